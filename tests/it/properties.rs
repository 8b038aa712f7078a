//! Property tests (issue 7, "Hostile input"): generated front matter,
//! Markdown, statute citations, slugs and whole sites never make pufa panic
//! or hang, and every failure points the editor at a file and a line.
//! Hostile paths (issue 21) never resolve outside their folder, and agree
//! with a reference model of `pufa::confine::resolve`.
//!
//! Most properties call the library in memory (a case costs microseconds);
//! one builds small generated sites with the real binary to check exit
//! statuses and messages. Every case runs on its own thread with a time
//! limit, so a hang fails the test instead of stalling CI.
//!
//! Cases per property: 64 by default (the whole file takes a few seconds);
//! `PROPTEST_CASES=5000 cargo test --test it properties` runs longer.
//! Failing inputs are printed shrunk; they are not saved to files.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{OnceLock, mpsc};
use std::time::Duration;

use proptest::prelude::*;
use proptest::test_runner::Config;
use pufa::content::frontmatter;
use pufa::diagnostics::Diagnostic;
use pufa::markdown::{self, cjk};
use pufa::statutes::Statutes;

use crate::support::NOW;

/// Longest a single case may take (debug build, 2-core machine, other
/// tests running beside it) before it counts as a hang.
const LIMIT: Duration = Duration::from_secs(20);

fn config(cases: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(cases);
    Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 512,
        ..Config::default()
    }
}

/// Runs `f` on a thread with the binary's main-thread stack (8 MiB) and
/// fails if it takes longer than [`LIMIT`]; a panic in `f` is re-raised here.
fn within<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    let handle = std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || {
            let _ = tx.send(f());
        })
        .unwrap();
    match rx.recv_timeout(LIMIT) {
        Ok(value) => {
            handle.join().unwrap();
            value
        }
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{what} did not finish within {LIMIT:?}"),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            std::panic::resume_unwind(handle.join().unwrap_err())
        }
    }
}

/// The laws of the repository's sample site (pufa's library), loaded once.
fn statutes() -> &'static Statutes {
    static STATUTES: OnceLock<Statutes> = OnceLock::new();
    STATUTES.get_or_init(|| {
        Statutes::load(
            Path::new(env!("CARGO_MANIFEST_DIR")),
            pufa::read::DEFAULT_MAX_FILE_MB << 20,
        )
        .expect("statutes/ loads")
    })
}

// ---------------------------------------------------------------------------
// Generators.

/// The keys pufa accepts, from pufa itself (generators must not drift from it).
use pufa::content::frontmatter::ARTICLE_KEYS;

fn cjk_text(max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!("[一-龥]{{1,{max}}}")).unwrap()
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => proptest::sample::select(ARTICLE_KEYS).prop_map(str::to_string),
        1 => proptest::sample::select(&["titel", "Title", "tilte", "日期", "标题", "tag", "date "][..])
            .prop_map(str::to_string),
        1 => "[a-z_]{1,8}",
    ]
}

fn separator() -> impl Strategy<Value = &'static str> {
    proptest::sample::select(
        &[
            ": ", ": ", ": ", ":", "：", "： ", ":　", " : ", ":\t", ": |\n  ",
        ][..],
    )
}

/// Front-matter values: valid ones, wrong kinds, Chinese punctuation, YAML
/// oddities and control characters.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => cjk_text(10),
        2 => (cjk_text(4), "[：，。；！？（）【】《》“”‘’、　]{1,3}", cjk_text(4))
            .prop_map(|(a, p, b)| format!("{a}{p}{b}")),
        2 => "20[0-9]{2}-[01][0-9]-[0-3][0-9]( [0-2][0-9]:[0-5][0-9])?",
        1 => "20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9](Z|[+-][01][0-9]:[0-5][0-9])",
        1 => "-?[0-9]{1,25}(\\.[0-9]{1,3})?",
        1 => proptest::sample::select(&[
            "true", "false", "null", "~", "yes", ".nan", "-.inf", "0x1F", "1e400", "\"\"", "''",
            "[]", "{}", "[民法典, 反家庭暴力法]", "[\"民法典\", \"婚姻\"]", "[a, b", "{a: 1}",
            "&a 锚", "*a", "!!binary aGVsbG8=", "!!int x", "|", ">", "- 项", "? 问",
            "%YAML 1.2", "@x", "`x`", "\"未闭合", "'未闭合", "\"转义\\x01\\0\\e\"",
            "\"\\u4e2d\\U0001F600\"", "3-8", "11-25", "5", "li-hun", "../../etc", "a/b",
            "https://x.example.cn/a.png", "../../outside.png", "images/cover.png",
            "《》", "“民法典”、“婚姻法”", "民法典，婚姻法", "---", "...", "#注释",
        ][..])
        .prop_map(str::to_string),
        1 => "[\\x00-\\x1f\\x7f]{1,3}",
        1 => "\\PC{0,12}",
    ]
}

fn front_line() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => (key(), separator(), value()).prop_map(|(k, s, v)| format!("{k}{s}{v}")),
        1 => (cjk_text(3), value()).prop_map(|(t, v)| format!("  - {t}{v}")),
        1 => "\\PC{0,16}",
    ]
}

/// A whole front-matter block: sometimes a valid article with a few extra
/// lines, sometimes only generated lines.
fn front_matter() -> impl Strategy<Value = String> {
    let lines = proptest::collection::vec(front_line(), 0..5);
    prop_oneof![
        (cjk_text(12), proptest::collection::vec(front_line(), 0..3)).prop_map(|(title, extra)| {
            let mut yaml = format!("title: {title}\ndate: 2026-01-01\nsummary: 摘要。\n");
            for l in extra {
                yaml.push_str(&l);
                yaml.push('\n');
            }
            yaml
        }),
        lines.prop_map(|ls| ls.into_iter().map(|l| l + "\n").collect()),
    ]
}

fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => (0u32..=1300).prop_map(pufa::statutes::chinese_number),
        2 => (0u32..=1300).prop_map(|n| n.to_string()),
        1 => (0u32..=99_999).prop_map(pufa::statutes::chinese_number),
        1 => (0u32..=1300).prop_map(|n| n
            .to_string()
            .chars()
            .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap())
            .collect()),
        1 => proptest::sample::select(&[
            "", "零", "两", "十", "十十", "一千二", "一百一", "九千九百九十九", "一万", "亿",
            "99999999999999999999", " 1042 ", "١٢",
        ][..])
        .prop_map(str::to_string),
    ]
}

/// What may follow an article number.
const TAILS: &[&str] = &[
    "",
    "",
    "之一",
    "第一款",
    "第二款第（三）项",
    "第3款",
    "第一款第一项",
    "款",
    "条",
];

/// Citation-like text: 《中华人民共和国民法典》第一千零四十二条第一款,
/// 民法典第1079条至第1080条, 第二十三条、第二十五条, and broken variants.
fn citation() -> impl Strategy<Value = String> {
    let law = proptest::sample::select(
        &[
            "《中华人民共和国民法典》",
            "《民法典》",
            "民法典",
            "《反家庭暴力法》",
            "反家暴法",
            "《中华人民共和国妇女权益保障法》",
            "《家庭教育促进法》",
            "《宪法》",
            "《不存在法》",
            "《民法典",
            "民法典》",
            "",
        ][..],
    );
    let join = proptest::sample::select(&["", "至", "、", "和", "到", "、以及", "或者", "，"][..]);
    (
        law,
        number(),
        proptest::sample::select(TAILS),
        proptest::collection::vec((join, number(), proptest::sample::select(TAILS)), 0..3),
    )
        .prop_map(|(law, n, tail, more)| {
            let mut s = format!("{law}第{n}条{tail}");
            for (j, n, t) in more {
                s.push_str(&format!("{j}第{n}条{t}"));
            }
            s
        })
}

/// One piece of Markdown; pieces are concatenated without separators so
/// they run into each other (emphasis next to punctuation, half links…).
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => cjk_text(6),
        2 => "[a-zA-Z0-9 ]{1,6}",
        3 => "[：，。；！？（）【】《》“”‘’、…—　]",
        4 => proptest::sample::select(&[
            "*", "**", "***", "_", "__", "~", "~~", "`", "``", "\n", "\n\n", "\n\n", "  \n",
            "\\", "# ", "## ", "###### ", "#标题", "- ", "* ", "1. ", "> ", "    ", "\t",
            "|", "| 甲 | 乙 |\n|---|---|\n", "| 一 | 二 |\n", "[", "]", "(", ")", "[链接](",
            "](../qa/x.md#a)", "](#锚)", "](https://example.cn/)", "](a.md)", "![图](a.png)",
            "![](https://example.cn/a.png)", "[^1]", "\n[^1]: 注\n", "<https://x.cn>",
            "{#id}", " {#custom-id}", "<!-- more -->", "<span>", "</span>", "<b>", "&amp;",
            "&#x4e2d;", "\n```\n", "\n~~~\n", "\u{1680}", "\u{1681}", "\u{169b}", "\u{fe01}",
            "\u{200b}", "\u{3000}", "\u{feff}", "\r\n", "\0",
        ][..])
        .prop_map(str::to_string),
        2 => citation(),
    ]
}

fn markdown_body() -> impl Strategy<Value = String> {
    proptest::collection::vec(fragment(), 0..40).prop_map(|v| v.concat())
}

/// Whole file: optional BOM, front matter (sometimes unclosed), body,
/// LF or CRLF line ends.
fn article_file() -> impl Strategy<Value = String> {
    (
        any::<bool>(),
        front_matter(),
        prop_oneof![8 => Just("---\n"), 1 => Just(""), 1 => Just("--- \n")],
        markdown_body(),
        any::<bool>(),
    )
        .prop_map(|(bom, yaml, close, body, crlf)| {
            let text = format!(
                "{}---\n{yaml}{close}\n{body}\n",
                if bom { "\u{feff}" } else { "" }
            );
            if crlf {
                text.replace('\n', "\r\n")
            } else {
                text
            }
        })
}

/// File names an editor might give an article (never hidden, no `/`).
fn file_name() -> impl Strategy<Value = String> {
    let names = prop_oneof![
        3 => cjk_text(10),
        2 => "[a-z0-9][a-z0-9-]{0,12}",
        1 => "[A-Za-z0-9 ._（）《》、，-]{1,12}".prop_filter("not hidden", |s| !s.starts_with('.')),
        1 => (cjk_text(4), "[ ._-]{1,3}", cjk_text(4)).prop_map(|(a, s, b)| format!("{a}{s}{b}")),
    ];
    // A name with nothing to transliterate (`（.md`) is an error at 1:1
    // (`unlocated_errors_get_a_line` below).
    names
}

// ---------------------------------------------------------------------------
// Checks.

fn lines_in(text: &str) -> usize {
    text.lines().count().max(1)
}

/// An error names the file and a line inside it.
fn assert_located(diags: &[Diagnostic], path: &Path, text: &str) {
    let errors: Vec<&Diagnostic> = diags.iter().filter(|d| d.is_error()).collect();
    assert!(!errors.is_empty(), "failed without an error: {diags:#?}");
    assert!(
        errors.iter().any(|d| d.path == path && d.line >= 1),
        "no error gives a line:\n{}",
        render(diags)
    );
    for d in diags {
        assert!(
            d.line <= lines_in(text) + 1,
            "line {} is past the end of the file ({} lines):\n{d}",
            d.line,
            lines_in(text)
        );
    }
}

fn render(diags: &[Diagnostic]) -> String {
    diags
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

// ---------------------------------------------------------------------------
// Properties.

proptest! {
    #![proptest_config(config(64))]

    /// Front matter: split and validated without panicking; an error points
    /// at a line of the file.
    #[test]
    fn front_matter_never_panics_and_errors_have_a_line(file in article_file()) {
        let shown = PathBuf::from("content/news/a.md");
        let text = file.clone();
        let result = within("front matter", move || {
            let text = frontmatter::normalize(text);
            let split = match frontmatter::split(&text, &shown) {
                Ok(split) => split,
                Err(d) => return (text.clone(), Err(vec![d])),
            };
            let parsed = frontmatter::parse(&split, &shown, &jiff::tz::TimeZone::UTC);
            (text.clone(), parsed.map(|_| ()))
        });
        if let (text, Err(diags)) = result {
            assert_located(&diags, Path::new("content/news/a.md"), &text);
        }
    }

    /// Markdown with CJK text, emphasis, links, lists, tables and citations:
    /// rendered without panicking; messages point inside the body; pufa's
    /// emphasis markers never leak into the HTML.
    #[test]
    fn markdown_never_panics_and_messages_point_into_the_body(body in markdown_body()) {
        let source = body.clone();
        let (rendered, diags) = within("markdown", move || {
            let articles = rustc_hash::FxHashMap::default();
            let assets = HashMap::new();
            let links = markdown::Links {
                articles: &articles,
                assets: &assets,
                statutes: statutes(),
                statutes_url: "/statutes/",
                unsafe_html: false,
                phone_numbers: &["12338".to_string()],
            };
            let mut diags = Vec::new();
            let src = markdown::Source {
                body: &source,
                body_line: 7,
                path: Path::new("/site/content/news/a.md"),
                shown: Path::new("content/news/a.md"),
            };
            let rendered = markdown::render(&src, &links, &mut diags);
            let summary = markdown::derive_summary(&rendered.plain);
            let _ = markdown::stats(&rendered.plain);
            assert!(summary.chars().count() <= 122, "summary too long: {summary}");
            (rendered, diags)
        });
        let last = 7 + lines_in(&body);
        for d in &diags {
            prop_assert!(
                d.line == 0 || (7..=last).contains(&d.line),
                "line {} outside the body (7..={last}):\n{d}",
                d.line
            );
        }
        for marker in ['\u{1680}', '\u{1681}', '\u{169b}'] {
            if !body.contains(marker) {
                prop_assert!(!rendered.html.contains(marker), "marker {marker:?} leaked:\n{}", rendered.html);
            }
        }
    }

    /// The CJK pre-pass maps every offset of its output back into the
    /// source, on a character boundary.
    #[test]
    fn cjk_offsets_map_back_to_character_boundaries(body in markdown_body()) {
        let prepared = cjk::prepare(&body);
        let text = prepared.text.as_ref();
        prop_assert_eq!(cjk::strip_markers(text).len() <= body.len(), true);
        for (i, _) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
            let o = prepared.source_offset(i);
            prop_assert!(o <= body.len(), "offset {i} maps to {o} > {}", body.len());
            prop_assert!(body.is_char_boundary(o), "offset {i} maps to {o}, inside a character of {body:?}");
        }
    }

    /// Citations: found in order, without overlap, on character boundaries.
    #[test]
    fn citations_are_well_formed(
        before in proptest::collection::vec(fragment(), 0..4),
        cites in proptest::collection::vec(citation(), 1..4),
    ) {
        let text = before.concat() + &cites.join("，");
        let t = text.clone();
        let found = within("citations", move || statutes().find(&t));
        let mut at = 0;
        for c in &found {
            prop_assert!(c.range.start >= at && c.range.end <= text.len(), "{:?} in {text:?}", c.range);
            prop_assert!(text.is_char_boundary(c.range.start) && text.is_char_boundary(c.range.end));
            prop_assert!(c.law < statutes().laws().len());
            for (r, n) in &c.links {
                prop_assert!(r.start >= c.range.start && r.end <= c.range.end, "link {r:?} outside {:?}", c.range);
                prop_assert!(c.articles.contains(n));
            }
            at = c.range.end;
        }
        let html = statutes().link_html(&text, &found, |law, n| format!("/statutes/{}/#a{n}", law.key));
        prop_assert!(!html.contains('<') || html.contains("<a class=\"cite\""));
    }
}

proptest! {
    #![proptest_config(config(256))]

    /// Slugs: ASCII `[a-z0-9-]` or empty, stable, never a path.
    #[test]
    fn slugify_gives_a_valid_slug_or_nothing(text in prop_oneof![
        "\\PC{0,24}",
        any::<String>(),
        (cjk_text(8), "[ ./\\\\:_-]{0,3}", "[A-Za-z0-9.]{0,8}").prop_map(|(a, b, c)| a + &b + &c),
    ]) {
        let slug = pufa::slug::slugify(&text);
        prop_assert!(slug.is_empty() || pufa::slug::is_valid(&slug), "{text:?} → {slug:?}");
        prop_assert_eq!(pufa::slug::slugify(&slug), slug.clone());
        prop_assert!(!slug.contains(['/', '.', '\\']));
    }

    #[test]
    fn valid_slugs_are_never_paths(text in "[a-z0-9./\\\\-]{1,12}") {
        if pufa::slug::is_valid(&text) {
            prop_assert!(!text.contains(['/', '.', '\\']), "{text:?}");
        }
    }
}

// ---------------------------------------------------------------------------
// Paths editors write (`pufa::confine`).

/// Parts of hostile paths: dots plain and encoded (once, twice, in either
/// case), encoded separators, backslashes, empty parts, drive letters,
/// NUL written and encoded, stray `%`, Chinese names and any character.
fn path_part() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "..", ".", "", "%2e", "%2E", "%2e%2e", "%2E%2e", ".%2e", "%252e", "%252E%252e",
            "%2f", "%2F", "%5c", "%5C", "\\", "..\\..", "a", "images", "离婚", "x.png",
            "\0", "%00", "%1b", "C:", "c:", "%", "%25", "%zz", "100%", "~", " ", "%c0%ae",
            "%e7%a6%bb", "%E7%A6", "file:",
        ])
        .prop_map(str::to_string),
        1 => "\\PC{0,4}",
        1 => any::<char>().prop_map(String::from),
    ]
}

fn hostile_path() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec!["", "/", "//"]),
        prop::collection::vec(path_part(), 0..7),
        any::<bool>(),
    )
        .prop_map(|(lead, parts, trailing)| {
            let mut text = format!("{lead}{}", parts.join("/"));
            if trailing {
                text.push('/');
            }
            text
        })
}

/// A folder inside the base: plain names only.
fn plain_folder() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec("[a-z]{1,3}|离婚|x\\.y", 0..4)
}

/// The reference model of `confine::resolve`, written as plainly as
/// possible and without the crate's helpers: the parts of the resolved
/// path, or `None` for a refusal.
fn model(written: &str, from: &[String], leading_is_base: bool) -> Option<Vec<String>> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    // Percent-decode by hand, noting every decoded byte.
    let bytes = written.as_bytes();
    let (mut out, mut escaped, mut i) = (Vec::new(), Vec::new(), 0);
    while i < bytes.len() {
        let high = bytes.get(i + 1).and_then(|&b| hex(b));
        let low = bytes.get(i + 2).and_then(|&b| hex(b));
        match (bytes[i], high, low) {
            (b'%', Some(h), Some(l)) => {
                escaped.push(h * 16 + l);
                out.push(h * 16 + l);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    if escaped.iter().any(|b| matches!(b, b'.' | b'/' | b'\\')) {
        return None;
    }
    let text = String::from_utf8(out).ok()?;
    if text.is_empty() || text.chars().any(|c| c.is_control() || c == '\\') {
        return None;
    }
    // Still encoded after one decoding: meant to be decoded twice.
    let tb = text.as_bytes();
    if (0..tb.len()).any(|i| {
        tb[i] == b'%'
            && tb.get(i + 1).and_then(|&b| hex(b)).is_some()
            && tb.get(i + 2).and_then(|&b| hex(b)).is_some()
    }) {
        return None;
    }
    let rooted = text.starts_with('/');
    if rooted && (!leading_is_base || text.starts_with("//")) {
        return None;
    }
    let body = text.strip_prefix('/').unwrap_or(&text);
    let body = body.strip_suffix('/').unwrap_or(body);
    let mut stack: Vec<String> = if rooted { Vec::new() } else { from.to_vec() };
    if body.is_empty() {
        return Some(stack);
    }
    for part in body.split('/') {
        match part {
            "" => return None,
            "." => {}
            ".." => {
                stack.pop()?;
            }
            p if p.contains(':') => return None,
            p => stack.push(p.to_string()),
        }
    }
    Some(stack)
}

proptest! {
    #![proptest_config(config(2048))]

    /// Whatever an editor writes, a resolved path is plain names inside
    /// the base, a valid output path, and what the reference model says.
    #[test]
    fn written_paths_never_leave_their_base(
        written in prop_oneof![hostile_path(), "\\PC{0,16}", any::<String>()],
        from in plain_folder(),
        leading_is_base in any::<bool>(),
    ) {
        use pufa::confine::{self, Leading};
        let from_path: PathBuf = from.iter().collect();
        let leading = if leading_is_base { Leading::Base } else { Leading::Refused };
        let got = confine::resolve(&written, &from_path, leading);
        let expected = model(&written, &from, leading_is_base);
        match &got {
            Ok(r) => {
                prop_assert!(
                    r.path.components().all(|c| matches!(c, std::path::Component::Normal(_))),
                    "{written:?} → {r:?}"
                );
                let slash = r.to_slash();
                if !slash.is_empty() {
                    prop_assert_eq!(confine::check_output(&slash), Ok(()), "{:?} → {:?}", written, slash);
                }
                // Joined to a base and resolved by the file system's rules,
                // it stays under the base.
                let base = Path::new("/srv/site/static");
                let joined = markdown::normalize(&base.join(&r.path));
                prop_assert!(joined.starts_with(base), "{written:?} → {joined:?}");
                let parts: Vec<String> = slash.split('/').filter(|p| !p.is_empty()).map(String::from).collect();
                prop_assert_eq!(Some(parts), expected, "{:?}", written);
            }
            Err(why) => prop_assert_eq!(None, expected, "{:?} refused: {:?}", written, why),
        }
    }

    /// An alias is a file inside the output whatever is written.
    #[test]
    fn aliases_are_plain_output_paths(written in prop_oneof![hostile_path(), any::<String>()]) {
        if let Ok(path) = frontmatter::alias_path(&written, Path::new("a.md")) {
            prop_assert_eq!(pufa::confine::check_output(&path), Ok(()), "{:?} → {:?}", written, path);
            prop_assert!(path.ends_with("index.html") || !path.ends_with('/'));
        }
    }
}

// ---------------------------------------------------------------------------
// Whole sites through the binary.

/// A generated site: site.yaml, an optional section `_index.md` and up to
/// three articles, with the repository's law texts.
#[derive(Debug, Clone)]
struct GeneratedSite {
    site_extra: Option<String>,
    section: (String, Option<String>),
    articles: Vec<(String, String)>,
}

fn generated_site() -> impl Strategy<Value = GeneratedSite> {
    (
        proptest::option::weighted(0.2, front_line()),
        (file_name(), proptest::option::weighted(0.3, front_matter())),
        proptest::collection::vec((file_name(), article_file()), 1..4),
    )
        .prop_map(|(site_extra, section, articles)| GeneratedSite {
            site_extra,
            section,
            articles,
        })
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// `path:line` or `path:line:column`, or a folder (`content/x/`: a section
/// folder without `_index.md`), then `: error: `.
fn is_located_error(line: &str) -> bool {
    let Some((place, _)) = line.split_once(": error: ") else {
        return false;
    };
    if place.ends_with('/') && !place.contains(':') {
        return true;
    }
    let mut parts = place.rsplitn(3, ':');
    let last = parts.next().unwrap_or("");
    let middle = parts.next().unwrap_or("");
    let numeric = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    numeric(last) && (numeric(middle) || !middle.is_empty())
}

proptest! {
    #![proptest_config(config(64))]

    /// `pufa build` on a generated site exits 0 or 1 (never 101, never
    /// hangs); on 1 at least one error is `path:line: error: …`; nothing is
    /// written outside `public/`.
    #[test]
    fn build_exits_0_or_1_with_located_errors(site in generated_site()) {
        let jail = tempfile::tempdir().unwrap();
        let root = jail.path().join("site");
        let mut yaml = "title: 小站\nbase_url: https://x.example.cn/\n".to_string();
        if let Some(extra) = &site.site_extra {
            yaml.push_str(extra);
            yaml.push('\n');
        }
        write(&root.join("site.yaml"), &yaml);
        let section = root.join("content").join(&site.section.0);
        if let Some(front) = &site.section.1 {
            write(&section.join("_index.md"), &format!("---\n{front}---\n"));
        }
        for (name, text) in &site.articles {
            write(&section.join(format!("{name}.md")), text);
        }
        let before = listing(jail.path());
        let out = assert_cmd::Command::cargo_bin("pufa")
            .unwrap()
            .args(["build", "--root"])
            .arg(&root)
            .env("PUFA_NOW", NOW)
            .timeout(LIMIT)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let code = out.status.code();
        prop_assert!(code.is_some(), "killed after {LIMIT:?} (a hang?):\n{stderr}");
        prop_assert!(code == Some(0) || code == Some(1), "exit {code:?}:\n{stderr}");
        if code == Some(1) {
            prop_assert!(
                stderr.lines().any(is_located_error),
                "no `path:line: error:` in:\n{stderr}"
            );
            prop_assert!(!root.join("public").exists());
        }
        let after = listing(jail.path());
        prop_assert_eq!(before, after, "wrote outside public/:\n{}", stderr);
    }
}

/// Every path under `dir` except the output, the lock beside it, and
/// pufa's staging folders while they exist.
fn listing(dir: &Path) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.path().strip_prefix(dir).unwrap().to_path_buf())
        .filter(|p| !p.starts_with("site/public") && p != Path::new("site/.public.lock"))
        .collect();
    paths.sort();
    paths
}

#[test]
fn located_error_lines_are_recognised() {
    assert!(is_located_error(
        "content/news/a.md:2:1: error: unknown key `titel`"
    ));
    assert!(is_located_error("site.yaml:3: error: x"));
    assert!(is_located_error("content/、/: error: x"));
    assert!(!is_located_error("content/news/a.md: error: x"));
    assert!(!is_located_error("error: cannot write the output: x"));
}

// ---------------------------------------------------------------------------
// Found by the properties above.

/// Errors an editor can cause in one article must say where. These three
/// once came without a line (`content/news/（.md: error: …`), which broke
/// "every error is path:line" for editors' tools.
#[test]
fn unlocated_errors_get_a_line() {
    let site = crate::support::Site::minimal();
    let article = |front: &str| {
        format!("---\ntitle: 甲\ndate: 2026-01-01\nsummary: 摘要\n{front}---\n\n正文。\n")
    };
    site.write("content/news/（.md", &article(""));
    site.write("content/news/b.md", &article("tags: [\"《》\"]\n"));
    let mut bomb = String::from("&a [x,x,x,x,x,x,x,x,x]");
    for (prev, name) in "abcdefgh".chars().zip("bcdefghi".chars()) {
        bomb.push_str(&format!(
            ", &{name} [{}]",
            vec![format!("*{prev}"); 9].join(",")
        ));
    }
    site.write("content/news/c.md", &article(&format!("tags: [{bomb}]\n")));
    let err = site.build_err();
    for expected in [
        "content/news/（.md:1:1: error: cannot make a URL from the file name `（`",
        "content/news/b.md:5:1: error: cannot make a URL from the tags term `《》`",
        "content/news/c.md:5:36: error: the alias `*a` makes the YAML expand to more than 4 MB",
    ] {
        assert!(err.contains(expected), "missing `{expected}` in:\n{err}");
    }
}

// ---------------------------------------------------------------------------
// `pufa schedule --next` (issue 25): the first instant the site changes.

/// Instants near which the `next` fixture changes, or seems to: window
/// edges, article times, midnights, New Year (all +08:00).
const NEXT_EDGES: &[&str] = &[
    "2026-11-25T00:00:00+08:00",
    "2026-11-25T08:00:00+08:00",
    "2026-11-30T18:15:30+08:00",
    "2026-12-01T00:00:00+08:00",
    "2026-12-01T07:00:00+08:00",
    "2026-12-04T09:30:00+08:00",
    "2026-12-08T00:00:00+08:00",
    "2026-12-11T00:00:00+08:00",
    "2026-12-20T10:00:00+08:00",
    "2026-12-25T00:00:00+08:00",
    "2027-01-01T00:00:00+08:00",
    "2027-01-03T00:00:00+08:00",
    "2027-01-05T00:00:00+08:00",
    "2027-01-06T00:00:00+08:00",
    "2027-01-10T08:00:00+08:00",
    "2027-03-02T00:00:00+08:00",
    "2027-03-08T08:00:00+08:00",
];

/// A `now` in seconds since 1970: anywhere from November to March, or
/// close to one of [`NEXT_EDGES`].
fn next_now() -> impl Strategy<Value = i64> {
    let edge = |i: usize| {
        NEXT_EDGES[i % NEXT_EDGES.len()]
            .parse::<jiff::Timestamp>()
            .unwrap()
            .as_second()
    };
    let from = edge(0) - 30 * 86_400;
    let until = edge(NEXT_EDGES.len() - 1) + 15 * 86_400;
    prop_oneof![
        2 => from..until,
        2 => (0..NEXT_EDGES.len(), -2 * 86_400i64..2 * 86_400).prop_map(move |(i, d)| edge(i) + d),
        1 => (0..NEXT_EDGES.len(), -3i64..3).prop_map(move |(i, d)| edge(i) + d),
    ]
}

proptest! {
    #![proptest_config(config(16))]

    /// `pufa schedule --next` at `now` prints `next`; builds at `now` and at
    /// `next - 1 s` are byte for byte the same, and a build at `next`
    /// differs: nothing changes before `next`, and something does at it.
    #[test]
    fn schedule_next_is_the_first_instant_the_output_changes(now in next_now()) {
        let site = crate::support::Site::fixture("next");
        let outs = tempfile::tempdir().unwrap();
        let pufa = |args: &[&str]| {
            let out = assert_cmd::Command::cargo_bin("pufa")
                .unwrap()
                .args(args)
                .arg("--root")
                .arg(site.root())
                .env_remove("PUFA_NOW")
                .timeout(LIMIT)
                .output()
                .unwrap();
            assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
            String::from_utf8(out.stdout).unwrap()
        };
        let rfc = |s: i64| jiff::Timestamp::from_second(s).unwrap().to_string();
        let next = pufa(&["schedule", "--next", "--now", &rfc(now)]);
        let next = next.trim_end().parse::<jiff::Timestamp>().unwrap().as_second();
        prop_assert!(next > now);
        let tree = |at: i64, name: &str| {
            let dir = outs.path().join(name);
            pufa(&["build", "--now", &rfc(at), "--output", dir.to_str().unwrap()]);
            crate::support::tree(&dir)
        };
        let (at_now, before, at_next) = (tree(now, "now"), tree(next - 1, "before"), tree(next, "next"));
        prop_assert!(at_now == before, "the output changed before {}", rfc(next));
        prop_assert!(at_now != at_next, "nothing changed at {}", rfc(next));
    }
}
