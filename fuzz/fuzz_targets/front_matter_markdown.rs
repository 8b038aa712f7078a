//! Fuzzes the front-matter + Markdown path (issue 7): arbitrary bytes as
//! one article.
//!
//! Every input goes through the in-memory path a build takes per article:
//! UTF-8 check, BOM/CRLF normalisation, the `---` split, YAML front matter
//! and its validation, then the Markdown renderer (CJK emphasis, links,
//! statute citations with pufa's law library), the derived
//! summary and the text statistics. Inputs whose length is a multiple of 8
//! also go, unchanged, through `pufa::build` as `content/news/a.md` of a
//! small site in a temporary folder (slugs, URLs, taxonomies, templates,
//! feeds, the search index), which is about a hundred times slower, so only
//! part of the corpus pays for it.
//!
//! The target fails on a panic (or, under libFuzzer's `-timeout`, a hang).
//! With `PUFA_FUZZ_SANITISER=1` it also fails when the article's HTML, read
//! the way a browser tokenises it, still has something that runs: a
//! `<script>`-like element, an `on*` attribute or a `javascript:`,
//! `vbscript:` or non-image `data:` URL (character references decoded).
//! See docs/hostile-input.md for how to run it.

#![no_main]

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use pufa::content::frontmatter;
use pufa::markdown;
use pufa::schedule::Visibility;
use pufa::statutes::Statutes;

struct World {
    /// Keeps the temporary site alive.
    _dir: tempfile::TempDir,
    root: PathBuf,
    config: pufa::config::Config,
    statutes: Statutes,
    now: jiff::Timestamp,
    /// `PUFA_FUZZ_SANITISER` is set: check the HTML for anything that runs.
    check_html: bool,
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temporary folder");
        let root = dir.path().to_path_buf();
        std::fs::write(
            root.join("site.yaml"),
            "title: 小站\nbase_url: https://x.example.cn/\n",
        )
        .unwrap();
        std::fs::create_dir_all(root.join("content/news")).unwrap();
        let config = pufa::config::load(&root, None).expect("site.yaml loads");
        let statutes = Statutes::load(&root, pufa::read::DEFAULT_MAX_FILE_MB << 20).expect("statutes load");
        let now: jiff::Timestamp = "2026-11-29T04:00:00Z".parse().unwrap();
        World {
            _dir: dir,
            root,
            config,
            statutes,
            now,
            check_html: std::env::var_os("PUFA_FUZZ_SANITISER").is_some(),
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let w = world();
    if let Ok(text) = std::str::from_utf8(data) {
        in_memory(w, text);
    }
    if data.len() % 8 == 0 {
        let path = w.root.join("content/news/a.md");
        std::fs::write(&path, data).unwrap();
        let _ = pufa::build(&w.config, w.now, Visibility::default());
    }
});

fn in_memory(w: &World, text: &str) {
    let shown = Path::new("content/news/a.md");
    let text = frontmatter::normalize(text.to_string());
    let Ok(split) = frontmatter::split(&text, shown) else {
        return;
    };
    let _ = frontmatter::parse(&split, shown, &w.config.timezone);
    // Whatever map types `Links` asks for: no other article, no asset.
    let articles = Default::default();
    let assets = Default::default();
    let links = markdown::Links {
        articles: &articles,
        assets: &assets,
        statutes: &w.statutes,
        statutes_url: "/statutes/",
        unsafe_html: w.config.unsafe_html,
        phone_numbers: &w.config.phone_numbers,
    };
    let source = markdown::Source {
        body: split.body,
        body_line: split.body_line,
        path: &w.root.join("content/news/a.md"),
        shown,
    };
    let mut diags = Vec::new();
    let rendered = markdown::render(&source, &links, &mut diags);
    if w.check_html && !w.config.unsafe_html {
        if let Some(problem) = runnable(&rendered.html) {
            panic!(
                "sanitised HTML still runs code: {problem}\n{}",
                rendered.html
            );
        }
    }
    let _ = markdown::derive_summary(&rendered.plain);
    let _ = markdown::stats(&rendered.plain);
    let _ = pufa::slug::slugify(split.body);
}

/// Elements that must not survive sanitising.
const RUNNABLE: &[&str] = &[
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "base",
    "meta", "link", "noscript", "template",
];

const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "poster",
    "background",
    "srcset",
];

/// The first thing in `html` that a browser would run, if any.
fn runnable(html: &str) -> Option<String> {
    let found: RefCell<Option<String>> = RefCell::new(None);
    let settings = lol_html::RewriteStrSettings::new().append_element_content_handler(
        lol_html::element!("*", |el| {
            let tag = el.tag_name();
            if RUNNABLE.contains(&tag.as_str()) {
                found.borrow_mut().get_or_insert(format!("<{tag}>"));
            }
            // An SVG animation that sets a link runs its `values`/`to` URL.
            let target = decode(&el.get_attribute("attributename").unwrap_or_default())
                .trim()
                .to_ascii_lowercase();
            if (tag.starts_with("animate") || tag == "set") && target.ends_with("href") {
                found
                    .borrow_mut()
                    .get_or_insert(format!("<{tag} attributeName={target}>"));
            }
            for a in el.attributes() {
                let name = a.name();
                let value = decode(&a.value());
                let scheme: String = value
                    .chars()
                    .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
                    .take_while(|&c| c != ':')
                    .collect::<String>()
                    .to_ascii_lowercase();
                let url = URL_ATTRIBUTES.contains(&name.as_str()) && value.contains(':');
                let bad_url = url
                    && (scheme == "javascript"
                        || scheme == "vbscript"
                        || (scheme == "data"
                            && !(tag == "img"
                                && name == "src"
                                && value
                                    .trim_start()
                                    .to_ascii_lowercase()
                                    .starts_with("data:image/"))));
                if name.starts_with("on") || bad_url {
                    found
                        .borrow_mut()
                        .get_or_insert(format!("<{tag} {name}=\"{value}\">"));
                }
            }
            Ok(())
        }),
    );
    let _ = lol_html::rewrite_str(html, settings);
    found.into_inner()
}

/// Character references a browser decodes in attribute values: numeric
/// ones (with or without `;`) and `&colon;`, `&Tab;`, `&NewLine;`.
fn decode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at + 1..];
        let named = [("colon;", ':'), ("Tab;", '\t'), ("NewLine;", '\n')]
            .into_iter()
            .find(|(name, _)| rest.starts_with(name));
        if let Some((name, c)) = named {
            out.push(c);
            rest = &rest[name.len()..];
            continue;
        }
        let Some(number) = rest.strip_prefix('#') else {
            out.push('&');
            continue;
        };
        let (radix, digits) = match number.strip_prefix(['x', 'X']) {
            Some(hex) => (16, hex),
            None => (10, number),
        };
        let len = digits
            .find(|c: char| !c.is_digit(radix))
            .unwrap_or(digits.len());
        match u32::from_str_radix(&digits[..len], radix)
            .ok()
            .and_then(char::from_u32)
        {
            Some(c) if len > 0 => {
                out.push(c);
                rest = digits[len..].strip_prefix(';').unwrap_or(&digits[len..]);
            }
            _ => out.push('&'),
        }
    }
    out.push_str(rest);
    out
}
