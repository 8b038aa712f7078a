//! Every link a built page makes inside the site leads to a file that was
//! written: a reader never taps into a 404, whatever the site holds.

use std::path::Path;

use crate::support::Site;

/// The site-internal targets of `href` and `src` attributes in `html` that
/// name no file under `public`. `base_url` is the site's absolute address;
/// links to it count as internal too.
fn missing_targets(public: &Path, html: &str, base_url: &str) -> Vec<String> {
    let mut missing = Vec::new();
    for attr in ["href=\"", "src=\""] {
        for (at, _) in html.match_indices(attr) {
            let value = &html[at + attr.len()..];
            let value = &value[..value.find('"').expect("attribute closed")];
            let Some(path) = internal_path(value, base_url) else {
                continue;
            };
            let path = path.split(['#', '?']).next().unwrap();
            let file = if path.is_empty() || path.ends_with('/') {
                format!("{path}index.html")
            } else {
                path.to_string()
            };
            // The output tree is named in UTF-8; links are percent-encoded.
            let decoded = percent_encoding::percent_decode_str(&file)
                .decode_utf8()
                .unwrap();
            if !public.join(&*decoded).is_file() {
                missing.push(value.to_string());
            }
        }
    }
    missing
}

/// `value` as a path under the output root, when it points inside the site.
fn internal_path<'a>(value: &'a str, base_url: &str) -> Option<&'a str> {
    if let Some(rest) = value.strip_prefix(base_url) {
        return Some(rest);
    }
    if value.starts_with("//") {
        return None;
    }
    value.strip_prefix('/')
}

/// Builds `site` and lists every broken internal link as `page → target`.
fn broken_links(site: &Site, base_url: &str) -> Vec<String> {
    site.build_ok();
    let public = site.path("public");
    let mut broken = Vec::new();
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(&public) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        pages += 1;
        let html = std::fs::read_to_string(entry.path()).unwrap();
        let page = entry.path().strip_prefix(&public).unwrap().display();
        for target in missing_targets(&public, &html, base_url) {
            broken.push(format!("{page} → {target}"));
        }
    }
    assert!(pages > 5, "only {pages} pages were built");
    broken
}

#[test]
fn the_sample_site_has_no_broken_internal_links() {
    let site = Site::sample();
    assert_eq!(
        broken_links(&site, "https://pufa.guxian-fulian.example.cn/"),
        Vec::<String>::new()
    );
}

#[test]
fn a_site_without_statutes_links_to_the_library_s_and_nothing_is_broken() {
    // The fixture has no `statutes/` folder: pufa's law library gives it
    // the statute index and pages the footer points at.
    let site = Site::fixture("basic");
    assert!(!site.path("statutes").exists());
    let broken = broken_links(&site, "https://test.example.cn/");
    assert_eq!(broken, Vec::<String>::new());
    assert!(
        site.read("public/index.html")
            .contains("href=\"/statutes/\"")
    );
    assert!(site.exists("public/statutes/minfadian/index.html"));
}

#[test]
fn a_site_with_statutes_links_to_them_and_nothing_is_broken() {
    let site = Site::fixture("statutes");
    assert_eq!(
        broken_links(&site, "https://l.example.cn/"),
        Vec::<String>::new()
    );
    assert!(
        site.read("public/index.html")
            .contains("href=\"/statutes/\"")
    );
}
