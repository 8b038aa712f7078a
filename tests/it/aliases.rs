//! `aliases:`: redirect pages at an article's old addresses, and the
//! mistakes an alias can make (paths outside the site are in hostile.rs).

use crate::support::Site;

fn article(front: &str) -> String {
    format!("---\ntitle: 离婚冷静期\ndate: 2026-01-01\nsummary: 摘要\n{front}---\n\n正文。\n")
}

#[test]
fn each_alias_is_a_redirect_page_to_the_article() {
    let site = Site::minimal();
    site.write(
        "content/news/a.md",
        &article(
            "aliases: [\"/old/a/\", \"old/b.html\", \"old/c\", \"/2019/%E7%A6%BB%E5%A9%9A/\"]\n",
        ),
    );
    site.build_ok();
    let page = site.read("public/old/a/index.html");
    assert_eq!(
        page,
        r#"<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>离婚冷静期</title>
<link rel="canonical" href="https://x.example.cn/news/a/">
<meta name="robots" content="noindex">
<meta http-equiv="refresh" content="0; url=https://x.example.cn/news/a/">
</head>
<body>
<p>本文已移至：<a href="https://x.example.cn/news/a/">离婚冷静期</a></p>
</body>
</html>"#
    );
    assert_eq!(site.read("public/old/b.html"), page);
    assert_eq!(site.read("public/old/c/index.html"), page);
    // Percent-encoded as copied from a browser, or not: the same address.
    assert_eq!(site.read("public/2019/离婚/index.html"), page);
}

#[test]
fn aliases_appear_in_no_list_feed_sitemap_or_search_index() {
    let site = Site::minimal();
    site.write("content/news/a.md", &article("aliases: [/old-address/]\n"));
    site.build_ok();
    assert!(site.exists("public/old-address/index.html"));
    for (path, bytes) in site.output_tree("public") {
        if path.starts_with("old-address") {
            continue;
        }
        assert!(
            !String::from_utf8_lossy(&bytes).contains("old-address"),
            "{path} mentions the alias"
        );
    }
}

#[test]
fn drafts_scheduled_and_expired_articles_get_no_alias_pages() {
    let site = Site::minimal();
    site.write(
        "content/news/draft.md",
        "---\ntitle: 草稿\ndraft: true\naliases: [/old/draft/]\n---\n\n正文。\n",
    );
    site.write(
        "content/news/future.md",
        &article("aliases: [/old/future/]\n").replace("2026-01-01", "2027-01-01"),
    );
    site.write(
        "content/news/expired.md",
        &article("expires: 2026-06-01\naliases: [/old/expired/]\n"),
    );
    site.write("content/news/live.md", &article("aliases: [/old/live/]\n"));
    site.build_ok();
    assert!(site.exists("public/old/live/index.html"));
    for gone in ["draft", "future", "expired"] {
        assert!(!site.exists(&format!("public/old/{gone}")), "{gone}");
    }
}

#[test]
fn an_alias_at_the_address_of_an_article_or_section_is_an_error_naming_both() {
    let site = Site::minimal();
    site.write(
        "content/news/a.md",
        &article("aliases: [/news/b/, /news/]\n"),
    );
    site.write("content/news/b.md", &article(""));
    // A draft's address is taken too: it goes live one day.
    site.write(
        "content/news/c.md",
        "---\ntitle: 草稿\ndraft: true\n---\n\n正文。\n",
    );
    site.write(
        "content/news/d.md",
        &article("aliases: [news/c/index.html]\n"),
    );
    let err = site.build_err();
    for expected in [
        "content/news/a.md:5:1: error: `aliases`: `/news/b/` is the address of content/news/b.md",
        "content/news/a.md:5:1: error: `aliases`: `/news/` is the address of content/news/",
        "hint: remove it: an alias is an old address that no page uses any more",
        "content/news/d.md:5:1: error: `aliases`: `news/c/index.html` is the address of content/news/c.md",
    ] {
        assert!(err.contains(expected), "missing `{expected}` in:\n{err}");
    }
}

#[test]
fn two_articles_with_the_same_alias_is_an_error_naming_both() {
    let site = Site::minimal();
    site.write("content/news/a.md", &article("aliases: [/old/]\n"));
    site.write("content/news/b.md", &article("aliases: [old]\n"));
    let err = site.build_err();
    assert!(
        err.contains(
            "content/news/b.md:5:1: error: `aliases`: `old` is also an alias of content/news/a.md"
        ),
        "{err}"
    );
    assert!(
        err.contains("hint: one old address can lead to one article only"),
        "{err}"
    );
}

#[test]
fn an_alias_at_a_page_pufa_makes_is_an_error() {
    let site = Site::minimal();
    site.write(
        "content/news/a.md",
        &article("tags: [反家暴]\naliases: [/tags/, /rss.xml, /]\n"),
    );
    let err = site.build_err();
    for expected in [
        "content/news/a.md:6:1: error: `aliases`: `/tags/` is the address of a page pufa makes (tags/index.html)",
        "content/news/a.md:6:1: error: `aliases`: `/rss.xml` is the address of a page pufa makes (rss.xml)",
        "content/news/a.md:6:1: error: `aliases`: `/` is the address of a page pufa makes (index.html)",
    ] {
        assert!(err.contains(expected), "missing `{expected}` in:\n{err}");
    }
    assert!(!site.exists("public"));
    // `pufa check` finds them too.
    let check = site.pufa(&["check"]);
    assert_eq!(check.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&check.stdout)
            .contains("`/tags/` is the address of a page pufa makes"),
    );
}

#[test]
fn an_alias_wins_over_a_static_file_at_the_same_path() {
    let site = Site::minimal();
    site.write("static/old.html", "旧页面");
    site.write("content/news/a.md", &article("aliases: [old.html]\n"));
    site.build_ok();
    assert!(site.read("public/old.html").contains("本文已移至"));
}

#[test]
fn themes_without_an_alias_template_use_the_built_in_one() {
    let site = Site::minimal();
    site.write(
        "site.yaml",
        "title: 小站\nbase_url: https://x.example.cn/\ntheme: plain\n",
    );
    // A theme written before aliases existed: a copy of the default theme
    // without alias.html.
    let default = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    for entry in walkdir::WalkDir::new(&default) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(&default).unwrap();
        if entry.file_type().is_file() && !rel.ends_with("alias.html") {
            site.write_bytes(
                &format!("themes/plain/{}", rel.display()),
                &std::fs::read(entry.path()).unwrap(),
            );
        }
    }
    site.write("content/news/a.md", &article("aliases: [/old/]\n"));
    site.build_ok();
    assert!(site.read("public/old/index.html").contains("本文已移至"));
}

#[test]
fn aliases_are_relative_to_the_base_url() {
    let site = Site::minimal();
    site.write(
        "site.yaml",
        "title: 小站\nbase_url: https://u.github.io/blog/\n",
    );
    site.write(
        "content/news/a.md",
        &article("aliases: [/old/, /news/a/]\n"),
    );
    let err = site.build_err();
    assert!(
        err.contains("content/news/a.md:5:1: error: `aliases`: `/news/a/` is the address of content/news/a.md"),
        "{err}"
    );
    site.write("content/news/a.md", &article("aliases: [/old/]\n"));
    site.build_ok();
    assert!(site.read("public/old/index.html").contains(
        r#"<meta http-equiv="refresh" content="0; url=https://u.github.io/blog/news/a/">"#
    ));
}
