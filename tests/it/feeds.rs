//! RSS feeds: absolute URLs, stable guids, RFC 2822 dates, item limits.

use crate::support::Site;

#[test]
fn site_feed_items_are_absolute_and_dated_in_the_site_offset() {
    let site = Site::fixture("basic");
    site.build_ok();
    let rss = site.read("public/rss.xml");
    assert!(
        rss.contains("<link>https://test.example.cn/education/published/</link>"),
        "{rss}"
    );
    // isPermaLink defaults to true in RSS 2.0, so the attribute is left out.
    assert!(
        rss.contains("<guid>https://test.example.cn/education/published/</guid>"),
        "{rss}"
    );
    assert!(
        rss.contains("<pubDate>Sun, 1 Nov 2026 08:00:00 +0800</pubDate>"),
        "{rss}"
    );
    assert!(
        rss.contains("<description><![CDATA[这是一篇已经发布的文章。]]></description>")
            || rss.contains("<description>这是一篇已经发布的文章。</description>"),
        "{rss}"
    );
    assert!(rss.contains(r#"<atom:link href="https://test.example.cn/rss.xml" rel="self" type="application/rss+xml"/>"#), "{rss}");
    // Full content with absolute links for readers away from the site.
    assert!(
        rss.contains("href=\"https://test.example.cn/education/published/\""),
        "{rss}"
    );
    assert!(!rss.contains("href=\"/"), "relative URL left in feed");
}

#[test]
fn item_limit_comes_from_site_yaml() {
    let site = Site::fixture("basic");
    for i in 1..=5 {
        site.write(
            &format!("content/qa/q{i}.md"),
            &format!("---\ntitle: 问题{i}\ndate: 2026-11-0{i}\nsummary: 摘要。\n---\n正文。\n"),
        );
    }
    site.build_ok();
    let rss = site.read("public/rss.xml");
    assert_eq!(rss.matches("<item>").count(), 3, "feed.limit is 3");
    assert_eq!(site.read("public/qa/rss.xml").matches("<item>").count(), 3);
}

#[test]
fn every_section_and_term_has_a_feed() {
    let site = Site::fixture("basic");
    site.build_ok();
    for f in [
        "public/education/rss.xml",
        "public/qa/rss.xml",
        "public/laws/min-fa-dian/rss.xml",
        "public/audiences/er-tong/rss.xml",
        "public/tags/li-hun-leng-jing-qi/rss.xml",
    ] {
        let rss = site.read(f);
        assert!(rss.starts_with("<?xml") || rss.starts_with("<rss"), "{f}");
        assert!(rss.contains("<item>"), "{f}");
    }
    let term = site.read("public/laws/fan-jia-ting-bao-li-fa/rss.xml");
    assert!(
        term.contains("<link>https://test.example.cn/qa/links/</link>"),
        "{term}"
    );
    assert!(
        !term.contains("<link>https://test.example.cn/education/published/</link>"),
        "{term}"
    );
}

/// Items are written once and copied into each feed: the channel must still
/// declare the namespaces its items use (and only those), or readers lose
/// the author and the full text.
#[test]
fn readers_get_the_author_and_the_full_text_in_every_feed() {
    let site = Site::fixture("basic");
    site.write(
        "content/qa/author.md",
        "---\ntitle: 谁写的\ndate: 2026-11-20\nauthor: 县妇联法律顾问\nsummary: 有作者的文章。\ntags: [家暴]\n---\n正文，**有作者**。\n",
    );
    site.build_ok();
    for f in [
        "public/rss.xml",
        "public/qa/rss.xml",
        "public/tags/jia-bao/rss.xml",
    ] {
        let channel = rss::Channel::read_from(site.read(f).as_bytes()).unwrap();
        let item = channel
            .items()
            .iter()
            .find(|i| i.title() == Some("谁写的"))
            .unwrap_or_else(|| panic!("{f}: no item"));
        let creators = item.dublin_core_ext().map(|dc| dc.creators().to_vec());
        assert_eq!(creators, Some(vec!["县妇联法律顾问".to_string()]), "{f}");
        assert!(
            item.content()
                .is_some_and(|c| c.contains("<strong>有作者</strong>")),
            "{f}: {item:?}"
        );
    }
    // No author anywhere in the section's feed: no Dublin Core namespace.
    let education = site.read("public/education/rss.xml");
    assert!(education.contains("xmlns:content="), "{education}");
    assert!(!education.contains("xmlns:dc="), "{education}");
}

#[test]
fn a_feed_over_its_budget_drops_full_text_and_its_namespace() {
    let site = Site::fixture("basic");
    let yaml = site
        .read("site.yaml")
        .replace("  limit: 3", "  limit: 3\n  max_bytes: 1");
    site.write("site.yaml", &yaml);
    site.build_ok();
    let text = site.read("public/rss.xml");
    assert!(!text.contains("content:encoded"), "{text}");
    assert!(!text.contains("xmlns:content="), "{text}");
    let channel = rss::Channel::read_from(text.as_bytes()).unwrap();
    assert_eq!(channel.items().len(), 3);
    assert!(channel.items().iter().all(|i| i.content().is_none()));
    assert!(channel.items().iter().all(|i| i.description().is_some()));
}
