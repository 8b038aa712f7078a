//! What a build publishes: pages, lists, taxonomies, sitemap, by status.

use crate::support::{PNG, Site, article};

/// Every output that lists articles: none may mention an unpublished one.
const LISTINGS: &[&str] = &[
    "public/index.html",
    "public/education/index.html",
    "public/archive/index.html",
    "public/rss.xml",
    "public/education/rss.xml",
    "public/sitemap.xml",
    "public/tags/index.html",
    "public/laws/index.html",
];

#[test]
fn published_articles_appear_everywhere() {
    let site = Site::fixture("basic");
    site.build_ok();
    assert!(site.exists("public/education/published/index.html"));
    for f in [
        "public/index.html",
        "public/rss.xml",
        "public/sitemap.xml",
        "public/archive/index.html",
    ] {
        assert!(site.read(f).contains("/education/published/"), "{f}");
    }
    let page = site.read("public/education/published/index.html");
    assert!(page.contains("<title>已发布的文章 - 测试普法站</title>"));
    assert!(
        page.contains(
            r#"<link rel="canonical" href="https://test.example.cn/education/published/">"#
        )
    );
    assert!(
        page.contains(r#"<meta property="og:description" content="这是一篇已经发布的文章。">"#)
    );
    // The theme's share image, under a content-hashed name.
    assert!(
        page.contains(r#"<meta itemprop="image" content="https://test.example.cn/assets/share."#)
    );
    assert!(page.contains(r#"<meta property="og:image:width" content="600">"#));
    assert!(page.contains(r#"<html lang="zh-CN""#));
    assert!(page.contains(r#"href="tel:12338""#));
}

#[test]
fn draft_future_and_expired_articles_are_in_no_output() {
    let site = Site::fixture("basic");
    site.build_ok();
    for slug in ["draft", "future", "expired"] {
        assert!(
            !site.exists(&format!("public/education/{slug}")),
            "{slug} page was written"
        );
        for f in LISTINGS {
            assert!(
                !site.read(f).contains(&format!("/education/{slug}/")),
                "{slug} listed in {f}"
            );
        }
    }
    // Their taxonomy terms exist only through them, so there are no term pages.
    for term in [
        "cao-gao-fa",
        "cao-gao-biao-qian",
        "wei-lai-biao-qian",
        "guo-qi-biao-qian",
    ] {
        assert!(!site.exists(&format!("public/laws/{term}")), "{term}");
        assert!(!site.exists(&format!("public/tags/{term}")), "{term}");
    }
    assert!(!site.read("public/laws/index.html").contains("草稿法"));
}

#[test]
fn the_boundaries_follow_now() {
    let site = Site::fixture("basic");
    // One second before the scheduled article's date it is out; at the date it is in.
    let out = site.pufa(&["build", "--now", "2026-12-04T07:59:59+08:00"]);
    assert!(out.status.success());
    assert!(!site.exists("public/education/future/index.html"));
    let out = site.pufa(&["build", "--now", "2026-12-04T00:00:00Z"]);
    assert!(out.status.success());
    assert!(
        site.exists("public/education/future/index.html"),
        "08:00+08:00 is 00:00Z"
    );
    // The expired notice was live before it expired.
    let out = site.pufa(&["build", "--now", "2026-03-08 23:59:59"]);
    assert!(out.status.success());
    assert!(site.exists("public/education/expired/index.html"));
}

#[test]
fn drafts_flag_previews_drafts() {
    let site = Site::fixture("basic");
    let out = site.pufa(&["build", "--drafts"]);
    assert!(out.status.success());
    let page = site.read("public/education/draft/index.html");
    assert!(page.contains("这是草稿，不会发布"));
}

#[test]
fn chinese_file_names_become_pinyin_urls() {
    let site = Site::fixture("basic");
    site.build_ok();
    assert!(site.exists("public/education/li-hun-leng-jing-qi/index.html"));
    assert!(site.exists("public/laws/min-fa-dian/index.html"));
    assert!(site.exists("public/laws/min-fa-dian/rss.xml"));
    assert!(site.exists("public/audiences/fu-nv/index.html"));
}

#[test]
fn relative_md_links_point_at_article_urls() {
    let site = Site::fixture("basic");
    let stderr = site.build_ok();
    let page = site.read("public/qa/links/index.html");
    assert!(
        page.contains(r#"<a href="/education/published/">已发布的文章</a>"#),
        "{page}"
    );
    assert!(
        page.contains(r#"<a href="/education/li-hun-leng-jing-qi/#fa-lv-zen-me-shuo">冷静期</a>"#)
    );
    // A link to a draft keeps its text and loses the link, with a warning.
    assert!(page.contains("以及草稿。"));
    assert!(stderr.contains(
        "content/qa/links.md:10:3: warning: `../education/draft.md` is not published yet (draft or scheduled); its link text is shown without a link"
    ), "{stderr}");
}

#[test]
fn bom_and_crlf_files_build() {
    let site = Site::fixture("basic");
    site.write_bytes(
        "content/qa/windows.md",
        "\u{feff}---\r\ntitle: 记事本写的文章\r\ndate: 2026-11-02\r\nsummary: 用记事本保存。\r\n---\r\n\r\n正文第一行\r\n第二行。\r\n".as_bytes(),
    );
    site.build_ok();
    let page = site.read("public/qa/windows/index.html");
    assert!(page.contains("<h1>记事本写的文章</h1>"));
    assert!(
        page.contains("正文第一行第二行。"),
        "CRLF inside Chinese text must not add a space"
    );
}

#[test]
fn sections_paginate() {
    let site = Site::fixture("basic");
    site.build_ok();
    // paginate: 2, and education has 2 live articles, qa 1: add two more to education.
    site.write(
        "content/education/a.md",
        "---\ntitle: 甲\ndate: 2026-01-01\nsummary: 甲。\n---\n甲。\n",
    );
    site.build_ok();
    assert!(site.exists("public/education/page/2/index.html"));
    let first = site.read("public/education/index.html");
    assert!(first.contains(r#"<a rel="next" href="/education/page/2/">"#));
}

#[test]
fn heading_ids_are_ascii_and_unique() {
    let site = Site::fixture("basic");
    site.build_ok();
    let page = site.read("public/education/published/index.html");
    assert!(page.contains(r#"<h2 id="fa-lv-zen-me-shuo">法律怎么说</h2>"#));
    assert!(page.contains(r#"<h2 id="fa-lv-zen-me-shuo-2">法律怎么说</h2>"#));
}

#[test]
fn static_files_and_robots_and_404() {
    let site = Site::fixture("basic");
    site.build_ok();
    assert_eq!(site.read("public/about.txt"), "静态文件原样复制。\n");
    assert!(
        site.read("public/robots.txt")
            .contains("Sitemap: https://test.example.cn/sitemap.xml")
    );
    assert!(site.read("public/404.html").contains("页面不存在"));
    let home = site.read("public/index.html");
    assert!(
        home.contains(
            r#"<a href="https://beian.miit.gov.cn/" rel="nofollow">测ICP备12345678号</a>"#
        )
    );
}

#[test]
fn base_url_with_a_sub_path_prefixes_every_link() {
    let site = Site::fixture("basic");
    let out = site.pufa(&["build", "--base-url", "https://u.example.io/pufa/"]);
    assert!(out.status.success());
    let page = site.read("public/qa/links/index.html");
    assert!(page.contains(r#"<a href="/pufa/education/published/">"#));
    assert!(page.contains(r#"href="/pufa/assets/style."#));
    assert!(
        site.read("public/rss.xml")
            .contains("<link>https://u.example.io/pufa/qa/links/</link>")
    );
}

#[test]
fn a_themes_card_template_shows_on_every_list_page() {
    let site = Site::fixture("basic");
    site.write(
        "themes/default/templates/card.html",
        "<li class=\"card\">卡片：{{ a.title }}（{{ a.date }}）· {{ site.title }}</li>\n",
    );
    site.build_ok();
    for f in [
        "public/index.html",
        "public/education/index.html",
        "public/laws/min-fa-dian/index.html",
        "public/tags/li-hun-leng-jing-qi/index.html",
    ] {
        let page = site.read(f);
        assert!(
            page.contains(
                "<li class=\"card\">卡片：已发布的文章（2026年11月1日）· 测试普法站</li>"
            ),
            "{f}: {page}"
        );
    }
}

#[test]
fn an_error_in_the_card_template_names_its_line() {
    let site = Site::fixture("basic");
    site.write(
        "themes/default/templates/card.html",
        "<li class=\"card\">\n{{ a.titel }}\n</li>\n",
    );
    let err = site.build_err();
    assert!(
        err.contains("themes/default/templates/card.html:2: error: template error:"),
        "{err}"
    );
}

/// `cover: /images/a.png` is under static/, whatever `--root` is: joined to
/// the article's folder, the leading `/` made it "outside the site" when
/// the root was an absolute path (as in `pufa serve`, always).
#[test]
fn a_cover_path_from_the_site_root_is_found_under_static() {
    let site = Site::fixture("basic");
    assert!(site.root().is_absolute());
    site.write_bytes("static/images/a.png", PNG);
    site.write(
        "content/qa/cover.md",
        &article(
            "有封面的问答",
            "2026-11-03",
            "cover: /images/a.png\n",
            "正文。",
        ),
    );
    site.build_ok();
    let page = site.read("public/qa/cover/index.html");
    assert!(page.contains("/images/a.square.png"), "{page}");
}

#[test]
fn hidden_and_temporary_files_under_content_are_not_published() {
    // The preview ignores changes to these files; publishing them would
    // let it show a stale version (and a half-finished download is not
    // something to publish anyway).
    let site = Site::fixture("basic");
    let ignored = [
        ".notes.txt",
        "~lock.docx",
        "form.pdf~",
        "#draft.md#",
        ".a.md.swp",
        "a.md.swx",
        "upload.tmp",
        "photo.png.crdownload",
        "4913",
    ];
    for name in ignored {
        site.write(&format!("content/qa/{name}"), "x");
    }
    site.write("content/qa/form.pdf", "%PDF-1.4");
    site.build_ok();
    assert!(site.exists("public/qa/form.pdf"));
    for name in ignored {
        assert!(
            !site.exists(&format!("public/qa/{name}")),
            "{name} is published"
        );
    }
}

/// Themes written when the default templates imported `macros.html` keep
/// working: the macros now wrap the partials the default templates include.
#[test]
fn templates_that_import_macros_html_make_the_same_pages() {
    let site = Site::fixture("basic");
    site.build_ok();
    let before = site.output_tree("public");
    let import = "{% extends \"base.html\" %}\n{% import \"macros.html\" as m %}\n";
    site.write(
        "themes/default/templates/list.html",
        &format!(
            "{import}{{% block content %}}\n<header class=\"page-head\">\n  <p class=\"crumbs\"><a href=\"{{{{ site.home_url }}}}\">首页</a>{{% if taxonomy is defined %}} › <a href=\"{{{{ taxonomy.url }}}}\">{{{{ taxonomy.name }}}}</a>{{% endif %}}</p>\n  <h1>{{{{ heading }}}}</h1>\n  {{%- if description %}}\n  <p class=\"lead\">{{{{ description }}}}</p>\n  {{%- endif %}}\n  {{%- if page.feed_url %}}\n  <p class=\"feed-link\"><a href=\"{{{{ page.feed_url }}}}\">订阅本栏目（RSS）</a></p>\n  {{%- endif %}}\n</header>\n{{{{ m.cards(articles) }}}}\n{{{{ m.pager(paginator) }}}}\n{{% endblock %}}\n"
        ),
    );
    site.write(
        "themes/default/templates/taxonomy.html",
        &format!(
            "{import}{{% block content %}}\n<header class=\"page-head\">\n  <p class=\"crumbs\"><a href=\"{{{{ site.home_url }}}}\">首页</a></p>\n  <h1>按{{{{ taxonomy.name }}}}浏览</h1>\n  <p class=\"lead\">共 {{{{ taxonomy.count }}}} 项，点选查看相关文章。</p>\n</header>\n{{{{ m.chips(terms, taxonomy.name) }}}}\n{{% endblock %}}\n"
        ),
    );
    site.write(
        "themes/default/templates/archive.html",
        &format!(
            "{import}{{% block content %}}\n<header class=\"page-head\">\n  <p class=\"crumbs\"><a href=\"{{{{ site.home_url }}}}\">首页</a></p>\n  <h1>文章归档</h1>\n</header>\n{{{{ m.years_list(years, \"这里还没有文章。\") }}}}\n{{% endblock %}}\n"
        ),
    );
    site.build_ok();
    let after = site.output_tree("public");
    let differs: Vec<&str> = before
        .iter()
        .zip(&after)
        .filter(|(b, a)| b != a)
        .map(|(b, _)| b.0.as_str())
        .collect();
    assert_eq!(before.len(), after.len());
    assert!(differs.is_empty(), "pages differ: {differs:?}");
}

#[test]
fn a_themes_partial_replaces_the_built_in_one() {
    let site = Site::fixture("basic");
    site.write(
        "themes/default/templates/partials/chips.html",
        "<p class=\"my-chips\">{{ label }}：{% for l in links %}{{ l.name }} {% endfor %}</p>\n",
    );
    site.build_ok();
    let home = site.read("public/index.html");
    assert!(home.contains("<p class=\"my-chips\">法律："), "{home}");
    let tags = site.read("public/tags/index.html");
    assert!(tags.contains("<p class=\"my-chips\">标签："), "{tags}");
    // An error in it is reported in it, not at the templates including it.
    site.write(
        "themes/default/templates/partials/chips.html",
        "<ul>\n{{ lable }}\n</ul>\n",
    );
    let err = site.build_err();
    assert!(
        err.contains(
            "themes/default/templates/partials/chips.html:2: error: template error: undefined value"
        ),
        "{err}"
    );
}
