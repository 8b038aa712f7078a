//! WeChat: the 公众号 export through `pufa wechat`, and the WeChat-facing parts
//! of the site (share metadata, images, QR codes, feeds, the 订阅 page).

use crate::support::Site;

fn export(site: &Site) -> String {
    let out = site.pufa(&["wechat"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    site.read("wechat/qa/baohuling.fragment.html")
}

#[test]
fn export_has_only_inline_styles() {
    let site = Site::fixture("wechat");
    let fragment = export(&site);
    for banned in [
        " class=",
        " id=",
        "<style",
        "<script",
        "<div",
        "var(",
        "position:",
    ] {
        assert!(!fragment.contains(banned), "{banned} in {fragment}");
    }
    assert!(fragment.contains("<section style=\""), "wrapper section");
    assert!(!fragment.contains("<h1"), "WeChat has its own title field");
    assert!(
        !fragment.contains(">\n<"),
        "no newline text nodes between blocks"
    );
}

#[test]
fn external_links_become_numbered_references() {
    let site = Site::fixture("wechat");
    let fragment = export(&site);
    // Two external sites, numbered by first appearance; the repeated one keeps [1].
    assert_eq!(fragment.matches("[1]").count(), 3, "{fragment}");
    assert_eq!(fragment.matches("[2]").count(), 2, "{fragment}");
    assert!(!fragment.contains("[3]"));
    assert!(fragment.contains("引用链接"));
    assert!(fragment.contains("https://www.cnwomen.com.cn/"));
    assert!(fragment.contains("https://www.court.gov.cn/zixun.html"));
    assert!(
        !fragment.contains("href=\"https://www.cnwomen.com.cn/\""),
        "external links are not links"
    );
    // WeChat's own articles and the site's pages stay links, made absolute.
    assert!(fragment.contains("href=\"https://mp.weixin.qq.com/s/abc123\""));
    assert!(fragment.contains("href=\"https://test.example.cn/qa/gaojieshu/\""));
}

#[test]
fn images_are_absolute_and_lists_have_literal_markers() {
    let site = Site::fixture("wechat");
    let fragment = export(&site);
    assert!(
        fragment.contains("src=\"https://test.example.cn/qa/baohuling/flow.png\""),
        "{fragment}"
    );
    assert!(!fragment.contains("src=\"/"));
    assert!(fragment.contains("1. "), "ordered list markers written out");
    assert!(
        fragment.contains("• ") || fragment.contains("◦ "),
        "bullet markers written out"
    );
}

#[test]
fn preview_page_has_copy_button_and_read_more_url() {
    let site = Site::fixture("wechat");
    export(&site);
    let preview = site.read("wechat/qa/baohuling.html");
    assert!(preview.contains("复制全文"));
    assert!(
        preview.contains("https://test.example.cn/qa/baohuling/"),
        "阅读原文 URL for the editor"
    );
    assert!(preview.contains("人身安全保护令怎么申请"));
    // The export is not part of the deployed site.
    site.build_ok();
    assert!(!site.exists("public/wechat"));
}

#[test]
fn export_snapshot() {
    let site = Site::fixture("wechat");
    let fragment = export(&site);
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots/wechat-baohuling.fragment.html");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &fragment).unwrap();
    }
    let expected =
        std::fs::read_to_string(&path).expect("run with UPDATE_SNAPSHOTS=1 to create the snapshot");
    assert_eq!(
        fragment, expected,
        "the export changed; review it and run with UPDATE_SNAPSHOTS=1"
    );
}

#[test]
fn export_errors_stop_the_export() {
    let site = Site::fixture("wechat");
    let long = "很长的标题".repeat(14);
    site.write(
        "content/qa/long.md",
        &format!(
            "---\ntitle: {long}\ndate: 2026-11-02\nsummary: 摘要。\n---\n\n- 一\n  - 二\n    - 三\n"
        ),
    );
    let out = site.pufa(&["wechat"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("content/qa/long.md: error: WeChat: title has 70 characters; the WeChat editor allows 64"), "{stderr}");
    assert!(
        stderr.contains("WeChat: a list is nested 3 levels deep"),
        "{stderr}"
    );
    assert!(!stderr.contains(" L11"), "no internal codes: {stderr}");
    // Every line an editor reads has its Chinese, with a hint.
    assert_eq!(
        crate::catalogue::editor_problems(&stderr),
        Vec::<String>::new(),
        "{stderr}"
    );
    assert!(!site.exists("wechat"), "nothing written on errors");
    // One article by path exports alone.
    let out = site.pufa(&["wechat", "content/qa/baohuling/index.md"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(site.exists("wechat/qa/baohuling.html"));
    assert!(!site.exists("wechat/qa/long.html"));
}

#[test]
fn article_pages_carry_share_metadata_sizes_and_a_qr_code() {
    let site = Site::fixture("wechat");
    site.build_ok();
    let page = site.read("public/qa/baohuling/index.html");
    assert!(page.contains("<title>人身安全保护令怎么申请 - 测试普法站</title>"));
    assert!(page.contains(
        r#"<meta name="description" content="不用先离婚，也不用交费，向法院申请即可。">"#
    ));
    // No cover_square: a square share image is cut from the 940×400 cover.
    assert!(page.contains(r#"<meta property="og:image" content="https://test.example.cn/qa/baohuling/cover.square.png">"#), "{page}");
    assert!(page.contains(r#"<meta property="og:image:width" content="400">"#));
    assert!(page.contains(
        r#"<meta itemprop="image" content="https://test.example.cn/qa/baohuling/cover.square.png">"#
    ));
    let square = image_size(&site.path("public/qa/baohuling/cover.square.png"));
    assert_eq!(square, (400, 400));
    // The wide figure is published at 1080 px, with its size in the page.
    assert_eq!(
        image_size(&site.path("public/qa/baohuling/flow.png")),
        (1080, 270)
    );
    assert!(page.contains(r#"width="1080" height="270""#));
    assert!(
        page.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""),
        "QR code"
    );
    assert!(page.contains("微信扫一扫：分享"));
    assert!(page.contains("点右上角 ··· 发送给朋友或分享到朋友圈"));
    assert!(page.contains(r#"<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">"#));
    assert!(page.contains(r#"<meta name="color-scheme" content="light dark">"#));
}

#[test]
fn feeds_have_enclosures_and_the_subscribe_page_lists_them() {
    let site = Site::fixture("wechat");
    site.build_ok();
    let rss = site.read("public/rss.xml");
    assert!(rss.contains(r#"<enclosure url="https://test.example.cn/qa/baohuling/cover.png" length="1735" type="image/png"/>"#), "{rss}");
    let subscribe = site.read("public/subscribe/index.html");
    assert!(subscribe.contains("https://test.example.cn/rss.xml"));
    assert!(subscribe.contains("https://test.example.cn/qa/rss.xml"));
    assert!(subscribe.contains("https://test.example.cn/laws/fan-jia-ting-bao-li-fa/rss.xml"));
    assert!(
        subscribe.contains("测试妇联"),
        "points WeChat readers to the 公众号"
    );
}

#[test]
fn feed_budget_drops_full_content_of_old_items() {
    let site = Site::fixture("wechat");
    site.write(
        "site.yaml",
        &format!("{}feed:\n  max_bytes: 3000\n", site.read("site.yaml")),
    );
    for i in 1..=4 {
        site.write(
            &format!("content/qa/q{i}.md"),
            &format!(
                "---\ntitle: 问题{i}\ndate: 2026-10-0{i}\nsummary: 摘要{i}。\n---\n{}\n",
                "正文内容。".repeat(100)
            ),
        );
    }
    site.build_ok();
    let rss = site.read("public/rss.xml");
    assert_eq!(rss.matches("<item>").count(), 5, "every item stays");
    assert!(
        rss.matches("<content:encoded>").count() < 5,
        "oldest items lose their full content"
    );
    assert!(rss.len() < 6000, "{} bytes", rss.len());
}

fn image_size(path: &std::path::Path) -> (u32, u32) {
    let bytes = std::fs::read(path).unwrap();
    // PNG IHDR: width and height are the big-endian u32s at bytes 16..24.
    (
        u32::from_be_bytes(bytes[16..20].try_into().unwrap()),
        u32::from_be_bytes(bytes[20..24].try_into().unwrap()),
    )
}

#[test]
fn originals_of_resized_images_are_published_only_when_asked() {
    let site = Site::fixture("wechat");
    site.build_ok();
    assert!(!site.exists("public/qa/baohuling/flow.original.png"));
    site.write(
        "site.yaml",
        &format!(
            "{}images:\n  keep_originals: true\n",
            site.read("site.yaml")
        ),
    );
    site.build_ok();
    assert_eq!(
        image_size(&site.path("public/qa/baohuling/flow.original.png")),
        (2000, 500)
    );
    assert_eq!(
        image_size(&site.path("public/qa/baohuling/flow.png")),
        (1080, 270)
    );
}

#[test]
fn images_over_the_size_limits_are_reported() {
    let site = Site::fixture("wechat");
    // A PNG header for a 800×600 image followed by 2.5 MB of data.
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    png.extend_from_slice(&800u32.to_be_bytes());
    png.extend_from_slice(&600u32.to_be_bytes());
    png.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
    png.resize(2_600_000, 7);
    site.write_bytes("content/qa/baohuling/big.png", &png);
    let page = site.read("content/qa/baohuling/index.md");
    site.write(
        "content/qa/baohuling/index.md",
        &format!("{page}\n![大图](big.png)\n"),
    );
    let stderr = site.build_ok();
    assert!(
        stderr.contains(
            "warning: image `big.png` is 2.5 MB; keep images under 2 MB for phones on 4G"
        ),
        "{stderr}"
    );
}
