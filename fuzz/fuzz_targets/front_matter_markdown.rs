//! Fuzzes the front-matter + Markdown path (issue 7): arbitrary bytes as
//! one article.
//!
//! Every input goes through the in-memory path a build takes per article:
//! UTF-8 check, BOM/CRLF normalisation, the `---` split, YAML front matter
//! and its validation, then the Markdown renderer (CJK emphasis, links,
//! statute citations with the repository's `statutes/`), the derived
//! summary and the text statistics. Inputs whose length is a multiple of 8
//! also go, unchanged, through `pufa::build` as `content/news/a.md` of a
//! small site in a temporary folder (slugs, URLs, taxonomies, templates,
//! feeds, the search index), which is about a hundred times slower, so only
//! part of the corpus pays for it.
//!
//! The target fails on a panic (or, under libFuzzer's `-timeout`, a hang).
//! See docs/hostile-input.md for how to run it.

#![no_main]

use std::collections::HashMap;
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
        let laws = Path::new(env!("CARGO_MANIFEST_DIR")).join("../statutes");
        std::fs::create_dir_all(root.join("statutes")).unwrap();
        for e in std::fs::read_dir(&laws).expect("../statutes") {
            let e = e.unwrap();
            std::fs::copy(e.path(), root.join("statutes").join(e.file_name())).unwrap();
        }
        std::fs::create_dir_all(root.join("content/news")).unwrap();
        let config = pufa::config::load(&root, None).expect("site.yaml loads");
        let statutes = Statutes::load(&root).expect("statutes load");
        let now: jiff::Timestamp = "2026-11-29T04:00:00Z".parse().unwrap();
        World {
            _dir: dir,
            root,
            config,
            statutes,
            now,
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
    let articles = HashMap::new();
    let assets = HashMap::new();
    let links = markdown::Links {
        articles: &articles,
        assets: &assets,
        statutes: &w.statutes,
        statutes_url: "/statutes/",
        unsafe_html: w.config.unsafe_html,
    };
    let source = markdown::Source {
        body: split.body,
        body_line: split.body_line,
        path: &w.root.join("content/news/a.md"),
        shown,
    };
    let mut diags = Vec::new();
    let rendered = markdown::render(&source, &links, &mut diags);
    let _ = markdown::derive_summary(&rendered.plain);
    let _ = markdown::stats(&rendered.plain);
    let _ = pufa::slug::slugify(split.body);
}
