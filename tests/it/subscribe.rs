//! The 订阅 page: in Chinese, short, the 公众号 first when there is one,
//! honest that feeds cannot be used inside WeChat.

use crate::support::{Site, article};

fn site_with(yaml_extra: &str) -> Site {
    let site = Site::minimal();
    site.write(
        "site.yaml",
        &format!("title: 小站\nbase_url: https://x.example.cn/\n{yaml_extra}"),
    );
    site.write(
        "content/family-law/a.md",
        &article("彩礼", "2026-11-01 08:00", "campaign: \"3-8\"\n", "正文。"),
    );
    site.build_ok();
    site
}

#[test]
fn the_official_account_comes_first_and_feeds_are_addresses_to_copy() {
    let site = site_with("wechat:\n  account: 古县妇女联合会\n");
    let page = site.read("public/subscribe/index.html");
    let main = page
        .split("<main")
        .nth(1)
        .unwrap()
        .split("</main>")
        .next()
        .unwrap();
    let account = main.find("古县妇女联合会").expect("the account is named");
    let feeds = main.find("RSS 阅读器").expect("feeds are offered");
    assert!(account < feeds, "公众号 first");
    for english in ["Inoreader", "NetNewsWire", "有两种方式"] {
        assert!(!main.contains(english), "{english}");
    }
    // Addresses in read-only fields (one line, selectable), not <code> that wraps at dashes.
    assert!(
        main.contains(
            "<input type=\"text\" readonly value=\"https://x.example.cn/campaigns/3-8/rss.xml\""
        ),
        "{main}"
    );
    assert!(!main.contains("<code>"), "{main}");
    // Short: the whole-site feed open, the rest folded.
    assert_eq!(main.matches("<details>").count(), 2, "{main}");
}

#[test]
fn without_an_official_account_the_page_says_what_works_inside_wechat() {
    let site = site_with("");
    let page = site.read("public/subscribe/index.html");
    assert!(!page.contains("关注微信公众号"), "{page}");
    assert!(
        page.contains("<p class=\"lead only-wechat\">在微信里没有办法订阅本站。"),
        "{page}"
    );
    assert!(
        page.contains(".in-wechat .only-wechat { display: block; }"),
        "{page}"
    );
}
