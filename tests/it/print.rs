//! An article printed as an A4 flyer: Chromium prints the sample site's
//! longest article to PDF; it fits on two pages, with the QR code and the
//! hotline, and without the navigation.

use std::process::Command;

use crate::support::{CHROMIUM, CHROMIUM_FLAGS, Site, static_server};

#[test]
fn an_article_prints_on_at_most_two_a4_pages_without_navigation() {
    let site = Site::sample();
    site.build_ok();
    let page = site.read("public/qa/baohuling-shenqing/index.html");
    let css_url = page
        .split("<link rel=\"stylesheet\" href=\"")
        .filter_map(|s| s.split_once("\" media=\"print\">"))
        .map(|(url, _)| url.to_string())
        .next()
        .expect("a print stylesheet");
    let css = site.read(&format!("public{css_url}"));
    assert!(css.contains("@page { size: A4;"), "{css}");
    for hidden in [".masthead nav", ".site-footer", ".crumbs", ".copy-link"] {
        let rule = css.split("display: none !important").next().unwrap();
        assert!(rule.contains(hidden), "{hidden} is hidden in print");
    }
    assert!(
        page.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""),
        "a QR code"
    );
    assert!(page.contains("class=\"help-box\""), "the hotline");

    let (port, _) = static_server(site.path("public"));
    let pdf = site.path("flyer.pdf");
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(CHROMIUM)
        .args(CHROMIUM_FLAGS)
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--no-pdf-header-footer")
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("http://127.0.0.1:{port}/qa/baohuling-shenqing/"))
        .output()
        .unwrap_or_else(|e| panic!("{CHROMIUM} is needed for this test: {e}"));
    let bytes = std::fs::read(&pdf)
        .unwrap_or_else(|e| panic!("no PDF ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    let text = String::from_utf8_lossy(&bytes);
    let pages = text.matches("/Type /Page").count() - text.matches("/Type /Pages").count();
    assert!((1..=2).contains(&pages), "{pages} pages");
    // A4 in points.
    assert!(text.contains("/MediaBox [0 0 594.95996 841.91998]"), "A4");
}
