//! Checks that need the finished site: files in `static/` nothing refers to.
//! (Everything else `pufa check` reports is found by the build itself.)

use std::collections::HashSet;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::output::{Body, OutputFile};

/// Files the web expects at fixed addresses, referred to by no page: site
/// verification files (WeChat's `MP_verify_*.txt`, search engines'), icons.
fn expected_unlinked(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    path.starts_with(".well-known/")
        || matches!(
            name,
            "favicon.ico"
                | "apple-touch-icon.png"
                | "CNAME"
                | "robots.txt"
                | "_headers"
                | "_redirects"
                | ".nojekyll"
        )
        || name.starts_with("MP_verify_")
        || name.starts_with("baidu_verify_")
        || (name.starts_with("google") && name.ends_with(".html"))
}

pub fn orphaned_static_files(config: &Config, files: &[OutputFile]) -> Vec<Diagnostic> {
    let static_dir = config.static_dir();
    let mut referenced: HashSet<String> = HashSet::new();
    for f in files {
        let Body::Bytes(bytes) = &f.body else {
            continue;
        };
        if !(f.path.ends_with(".html") || f.path.ends_with(".css") || f.path.ends_with(".xml")) {
            continue;
        }
        let text = String::from_utf8_lossy(bytes);
        for url in references(&text) {
            let path = url.split(['#', '?']).next().unwrap_or_default();
            let path = config.absolute(path);
            if let Some(local) = path.strip_prefix(&config.base_url) {
                let decoded = percent_encoding::percent_decode_str(local).decode_utf8_lossy();
                referenced.insert(decoded.into_owned());
            }
        }
    }
    // Files site.yaml itself points at are used (share image, default cover).
    for path in [&config.wechat.share_image, &config.wechat.default_cover]
        .into_iter()
        .flatten()
    {
        referenced.insert(path.trim_start_matches('/').to_string());
    }
    files
        .iter()
        .filter_map(|f| match &f.body {
            Body::Copy(from) if from.starts_with(&static_dir) => Some((f, from)),
            _ => None,
        })
        .filter(|(f, _)| !referenced.contains(&f.path) && !expected_unlinked(&f.path))
        .map(|(f, from)| {
            Diagnostic::warning(
                crate::diagnostics::display_path(&config.root, from),
                "no page refers to this file",
            )
            .zh("没有任何页面用到这个文件")
            .hint(format!(
                "link it from an article (e.g. `![说明]({})`), or delete it",
                config.url(&f.path)
            ))
            .hint_zh("在文章里引用它，或者删掉它")
        })
        .collect()
}

/// URL values of `href`, `src` and `url(…)` in HTML, CSS or XML text.
fn references(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for marker in ["href=\"", "src=\"", "content=\""] {
        let mut rest = text;
        while let Some(i) = rest.find(marker) {
            rest = &rest[i + marker.len()..];
            if let Some(end) = rest.find('"') {
                out.push(&rest[..end]);
            }
        }
    }
    let mut rest = text;
    while let Some(i) = rest.find("url(") {
        rest = &rest[i + 4..];
        if let Some(end) = rest.find(')') {
            out.push(rest[..end].trim_matches(['"', '\'']));
        }
    }
    out
}
