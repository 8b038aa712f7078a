//! The awareness days as readers see them at one instant: running ones
//! first, the others by their next date, empty ones in no list.

use crate::support::{Site, article};

/// 2026-12-06: 11·25 (window to 12月10日) and 12·4 are both running.
const DEC_6: &str = "2026-12-06T10:00:00+08:00";

fn campaign_site() -> Site {
    let site = Site::minimal();
    site.write(
        "site.yaml",
        "title: 小站\nbase_url: https://x.example.cn/\nwechat:\n  account: 古县妇女联合会\ncalendar:\n  days:\n    - key: year-end\n      name: 年终普法\n      date: \"12-20\"\n",
    );
    for (file, title, date, key) in [
        ("a", "反家暴宣传", "2026-11-25 08:00", "11-25"),
        ("b", "宪法日", "2026-12-04 08:00", "12-4"),
        ("c", "三八维权", "2026-03-08 08:00", "3-8"),
        ("d", "民法典宣传月", "2026-05-06 08:00", "5"),
        ("e", "家庭日", "2026-05-15 08:00", "5-15"),
        ("f", "年终", "2026-12-01 08:00", "year-end"),
    ] {
        site.write(
            &format!("content/news/{file}.md"),
            &article(title, date, &format!("campaign: \"{key}\"\n"), "正文。"),
        );
    }
    site
}

/// The campaign keys in the order `html` links to them, once each.
fn order(html: &str, from: &str) -> Vec<String> {
    let part = html.split(from).nth(1).unwrap_or_default();
    let part = part.split("</ul>").next().unwrap_or_default();
    let mut keys: Vec<String> = Vec::new();
    for piece in part.split("href=\"/campaigns/").skip(1) {
        let key = piece.split('/').next().unwrap().to_string();
        if !key.starts_with('"') && !keys.contains(&key) {
            keys.push(key);
        }
    }
    keys
}

#[test]
fn running_campaigns_come_first_then_the_next_dates_and_empty_ones_are_left_out() {
    let site = campaign_site();
    let out = site.pufa(&["build", "--now", DEC_6]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let list = site.read("public/campaigns/index.html");
    assert_eq!(
        order(&list, "<ul class=\"campaigns\">"),
        ["11-25", "12-4", "year-end", "3-8", "5", "5-15"],
        "running (by date), then this year's 12·20, then next year's"
    );
    // 6·1 has no article: in no list, but its page and feed are published.
    assert!(!list.contains("国际儿童节"), "{list}");
    assert!(site.exists("public/campaigns/6-1/rss.xml"));
    assert!(site.exists("public/campaigns/6-1/index.html"));
    assert!(!site.read("public/sitemap.xml").contains("/campaigns/6-1/"));
    let subscribe = site.read("public/subscribe/index.html");
    assert!(!subscribe.contains("campaigns/6-1/rss.xml"), "{subscribe}");
    assert!(subscribe.contains("campaigns/11-25/rss.xml"), "{subscribe}");

    // Every running campaign is on the home page, none that is not.
    let home = site.read("public/index.html");
    let banner = home
        .split("class=\"campaign-banner")
        .nth(1)
        .and_then(|b| b.split("</div>").next())
        .unwrap_or_default();
    assert!(banner.contains("11·25 国际消除对妇女暴力日"), "{banner}");
    assert!(banner.contains("12·4"), "{banner}");
    assert!(banner.contains("11月25日–12月10日"), "{banner}");
    assert!(!banner.contains("3·8"), "{banner}");
    assert_eq!(banner.matches("正在进行").count(), 2, "{banner}");

    // The lists change when a window closes: 宪法宣传周 ends on 12月7日, so
    // 12·4 stops running at the midnight after it (no countdown shows while
    // campaigns run, so the midnights before change nothing).
    let next = site.pufa(&["schedule", "--next", "--now", DEC_6]);
    assert_eq!(
        String::from_utf8(next.stdout).unwrap(),
        "2026-12-08T00:00:00+08:00\n"
    );
    for (now, running) in [
        ("2026-12-07T23:59:59+08:00", 2),
        ("2026-12-08T00:00:00+08:00", 1),
    ] {
        let out = site.pufa(&["build", "--now", now]);
        assert!(out.status.success());
        let home = site.read("public/index.html");
        assert_eq!(home.matches("正在进行").count(), running, "{now}");
    }
}

#[test]
fn after_the_windows_close_the_home_page_counts_down_to_the_next_day_with_articles() {
    let site = campaign_site();
    let out = site.pufa(&["build", "--now", "2026-12-12T10:00:00+08:00"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list = site.read("public/campaigns/index.html");
    assert_eq!(
        order(&list, "<ul class=\"campaigns\">"),
        ["year-end", "3-8", "5", "5-15", "11-25", "12-4"]
    );
    let home = site.read("public/index.html");
    assert!(!home.contains("正在进行"), "{home}");
    assert!(
        home.contains("距 12·20 年终普法还有 <strong>8</strong> 天"),
        "{home}"
    );
}
