//! Chinese Markdown as Chinese editors write it, end to end.

use crate::support::Site;

fn render_body(body: &str) -> String {
    let site = Site::minimal();
    site.write(
        "content/news/a.md",
        &format!("---\ntitle: 测试\ndate: 2026-01-01\nsummary: 摘要。\n---\n\n{body}"),
    );
    site.build_ok();
    let page = site.read("public/news/a/index.html");
    let start = page.find("<div class=\"prose\">").unwrap();
    let end = page[start..].find("</div>\n  <footer").unwrap();
    page[start + "<div class=\"prose\">".len()..start + end]
        .trim()
        .to_string()
}

#[test]
fn bold_next_to_chinese_punctuation() {
    assert_eq!(
        render_body("**注意：**正文"),
        "<p><strong>注意：</strong>正文</p>"
    );
    assert_eq!(
        render_body("这是**“重要”**的内容"),
        "<p>这是<strong>“重要”</strong>的内容</p>"
    );
}

#[test]
fn line_breaks_inside_chinese_add_no_space() {
    assert_eq!(
        render_body("离婚冷静期只适用于\n登记离婚。"),
        "<p>离婚冷静期只适用于登记离婚。</p>"
    );
    assert_eq!(
        render_body("Civil Code\nArticle 1077"),
        "<p>Civil Code\nArticle 1077</p>"
    );
}

#[test]
fn tables_footnotes_strikethrough() {
    let html = render_body(
        "| 顺序 | 继承人 |\n| --- | --- |\n| 第一顺序 | 配偶、子女、父母 |\n\n~~旧规定~~新规定[^1]\n\n[^1]: 注释内容。\n",
    );
    assert!(html.contains("<div class=\"table-wrap\"><table>"), "{html}");
    assert!(html.contains("<del>旧规定</del>新规定"), "{html}");
    assert!(html.contains("注释内容。"), "{html}");
}

#[test]
fn summary_falls_back_to_more_marker_then_first_sentences() {
    let site = Site::minimal();
    site.write(
        "content/news/a.md",
        "---\ntitle: 甲\ndate: 2026-01-01\n---\n\n第一段是导语。\n\n<!-- more -->\n\n第二段。\n",
    );
    let long = "这一句很长很长的话讲了人身安全保护令的申请条件和申请方式。".repeat(6);
    site.write(
        "content/news/b.md",
        &format!("---\ntitle: 乙\ndate: 2026-01-01\n---\n\n{long}\n"),
    );
    let stderr = site.build_ok();
    assert!(
        site.read("public/news/a/index.html")
            .contains(r#"<meta name="description" content="第一段是导语。">"#)
    );
    let sentence = "这一句很长很长的话讲了人身安全保护令的申请条件和申请方式。";
    let expected = sentence.repeat(4);
    assert!(site.read("public/news/b/index.html").contains(&format!(
        r#"<meta name="description" content="{expected}">"#
    )));
    assert!(stderr.contains("content/news/b.md:1:1: warning: no `summary:`; the first sentences are used as the digest"), "{stderr}");
}

#[test]
fn reading_time_and_character_count() {
    let site = Site::minimal();
    let body = "字".repeat(1200);
    site.write(
        "content/news/a.md",
        &format!("---\ntitle: 甲\ndate: 2026-01-01\nsummary: 摘要。\n---\n\n{body}\n"),
    );
    site.build_ok();
    let page = site.read("public/news/a/index.html");
    assert!(page.contains("约 1200 字 · 阅读约 3 分钟"), "{page}");
}

const DANGEROUS: &str = "<script>alert(1)</script>\n\n正文<img src=x onerror=alert(1)>。[点我](javascript:alert(1)) [也点我](JaVaScRiPt:alert(3))\n\n<iframe src=\"https://evil.example/\"></iframe>\n";

#[test]
fn raw_html_that_runs_code_is_removed_from_pages_and_feeds() {
    let site = Site::minimal();
    site.write(
        "content/news/a.md",
        &format!("---\ntitle: 危险\ndate: 2026-01-01\nsummary: 摘要。\n---\n\n{DANGEROUS}"),
    );
    let stderr = site.build_ok();
    assert!(
        stderr.contains("content/news/a.md:7:1: warning: removed HTML that could run code or is not allowed in articles: <script>, onerror=, <iframe>\n"),
        "{stderr}"
    );
    assert!(stderr.contains("content/news/a.md:9:32: warning: removed a link that would run code: `javascript:alert(1)`"), "{stderr}");
    for f in ["public/news/a/index.html", "public/rss.xml"] {
        let text = site.read(f).to_ascii_lowercase();
        for bad in ["<script>alert", "onerror", "javascript:", "<iframe"] {
            assert!(!text.contains(bad), "{bad} in {f}");
        }
    }
    let page = site.read("public/news/a/index.html");
    assert!(
        page.contains("<p>正文<img src=\"x\">。点我 也点我</p>"),
        "link text stays: {page}"
    );
}

#[test]
fn unsafe_html_can_be_allowed_in_site_yaml() {
    let site = Site::minimal();
    site.write(
        "site.yaml",
        "title: 小站\nbase_url: https://x.example.cn/\nmarkdown:\n  unsafe_html: true\n",
    );
    site.write(
        "content/news/a.md",
        &format!("---\ntitle: 嵌入\ndate: 2026-01-01\nsummary: 摘要。\n---\n\n{DANGEROUS}"),
    );
    site.build_ok();
    assert!(
        site.read("public/news/a/index.html")
            .contains("<iframe src=\"https://evil.example/\"></iframe>")
    );
}

/// Inputs that once crashed pufa (found by `fuzz/`): each must build or fail
/// cleanly, never panic.
#[test]
fn fuzz_crashes_stay_fixed() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz-crashes");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let site = Site::minimal();
        site.write_bytes("content/news/a.md", &std::fs::read(&path).unwrap());
        let out = site.pufa(&["build"]);
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{}: {}",
            path.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
