//! Errors and warnings about the site, in compiler style.
//!
//! Every problem an editor can cause is a [`Diagnostic`]: the file, the line and
//! column when known, what is wrong and how to fix it. Stages collect all the
//! diagnostics they find instead of stopping at the first, so one build shows
//! everything that needs fixing.
//!
//! Messages quote what editors wrote (file names, slugs, values), and
//! editors' files can hold anything: the display writes control characters
//! as `\u{1b}` ([`escape_controls`]), so a message never drives the terminal.

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Diagnostic {
    pub level: Level,
    /// The file, relative to the site root where possible.
    pub path: PathBuf,
    /// 1-based line, 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column counted in characters, 0 when unknown.
    pub column: usize,
    pub message: String,
    /// The same in Chinese, for the editors (shown on its own line).
    pub message_zh: Option<String>,
    /// One line saying what to do about it.
    pub hint: Option<String>,
    pub hint_zh: Option<String>,
}

impl Diagnostic {
    pub fn error(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self {
            level: Level::Error,
            path: path.into(),
            line: 0,
            column: 0,
            message: message.into(),
            message_zh: None,
            hint: None,
            hint_zh: None,
        }
    }

    pub fn warning(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self {
            level: Level::Warning,
            ..Self::error(path, message)
        }
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = line;
        self.column = column;
        self
    }

    /// Places the diagnostic at a byte offset of `text` (the file's contents).
    pub fn at_offset(self, text: &str, offset: usize) -> Self {
        let (line, column) = line_col(text, offset);
        self.at(line, column)
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The message in Chinese.
    pub fn zh(mut self, message: impl Into<String>) -> Self {
        self.message_zh = Some(message.into());
        self
    }

    /// The hint in Chinese.
    pub fn hint_zh(mut self, hint: impl Into<String>) -> Self {
        self.hint_zh = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.level == Level::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Every part may quote the site's files; the line breaks between the
        // parts are the only ones that reach the terminal.
        let e = escape_controls;
        write!(f, "{}", e(&self.path.to_string_lossy()))?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.column > 0 {
                write!(f, ":{}", self.column)?;
            }
        }
        let level = match self.level {
            Level::Error => "error",
            Level::Warning => "warning",
        };
        write!(f, ": {level}: {}", e(&self.message))?;
        if let Some(zh) = &self.message_zh {
            let level_zh = match self.level {
                Level::Error => "错误",
                Level::Warning => "警告",
            };
            write!(f, "\n  {level_zh}：{}", e(zh))?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {}", e(hint))?;
        }
        if let Some(hint) = &self.hint_zh {
            write!(f, "\n  提示：{}", e(hint))?;
        }
        Ok(())
    }
}

/// `text` with every control character (C0 including line breaks and tab,
/// DEL, C1) and every bidirectional formatting character written as
/// `\u{1b}`: safe to print to a terminal, and visible to the editor. For
/// anything pufa prints that may come from the site's files.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    let unsafe_char = |c: char| {
        c.is_control()
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.contains(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// 1-based line and character column of a byte offset. Reads `text` up to
/// `offset`: for many positions in one text, use a [`LineIndex`].
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = memchr::memchr_iter(b'\n', before.as_bytes()).count() + 1;
    let line_start = memchr::memrchr(b'\n', before.as_bytes()).map_or(0, |i| i + 1);
    (line, count_chars(&before.as_bytes()[line_start..]) + 1)
}

/// Lines and columns of many byte offsets in one text, each found without
/// reading the text again: a renderer asks for the position of every
/// citation, link and warning of an article, and [`line_col`] for each
/// made a long article quadratic (8 MB with a citation per paragraph took
/// minutes).
pub struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset of the start of each line; the first is 0.
    line_starts: Vec<usize>,
    /// Characters before each multiple of [`CHECKPOINT`] bytes, so that a
    /// column on a very long line is counted from nearby, not from the
    /// line's start.
    chars_before: Vec<usize>,
}

/// Bytes between two character-count checkpoints of a [`LineIndex`].
const CHECKPOINT: usize = 4096;

impl<'a> LineIndex<'a> {
    /// Reads `text` once.
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let bytes = text.as_bytes();
        let mut line_starts = Vec::with_capacity(bytes.len() / 64 + 1);
        line_starts.push(0);
        line_starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
        let mut chars_before = Vec::with_capacity(bytes.len() / CHECKPOINT + 1);
        let mut total = 0;
        for block in bytes.chunks(CHECKPOINT) {
            chars_before.push(total);
            total += count_chars(block);
        }
        LineIndex {
            text,
            line_starts,
            chars_before,
        }
    }

    /// The same as [`line_col`]`(text, offset)`.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        // The number of line starts at or before `offset` is its line.
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let line_start = self.line_starts[line - 1];
        let column = self.chars_before(offset) - self.chars_before(line_start) + 1;
        (line, column)
    }

    /// Characters in `text[..offset]`, reading at most [`CHECKPOINT`] bytes.
    fn chars_before(&self, offset: usize) -> usize {
        let block = offset / CHECKPOINT;
        let counted = self.chars_before.get(block).copied().unwrap_or(0);
        counted + count_chars(&self.text.as_bytes()[block * CHECKPOINT..offset])
    }
}

/// Characters in UTF-8 `bytes`: the bytes that do not continue a character.
/// (Counts correctly across a cut inside a character, which checkpoints need.)
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The diagnostics of a failed stage: at least one of them is an error.
#[derive(Debug, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(ds);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// Sorted by file, then position, so output is stable across parallel runs.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.0.sort_by(|a, b| {
            (&a.path, a.line, a.column, a.level, &a.message)
                .cmp(&(&b.path, b.line, b.column, b.level, &b.message))
        });
        self.0
    }
}

/// Warnings of one kind listed before the rest are only counted.
pub const SHOWN_PER_KIND: usize = 3;

/// A line of a report: a diagnostic, or the count of the warnings of its
/// kind that are left out after it.
#[derive(Debug, PartialEq)]
pub enum Shown<'a> {
    Diagnostic(&'a Diagnostic),
    More(usize),
}

/// What editors read of `diags` (in the order given): every error, and of
/// each kind of warning the first [`SHOWN_PER_KIND`], the last of them
/// followed by the number left out; everything with `all`. A site with
/// 2,000 articles outside their campaign's window printed 8,000 lines of
/// one warning, and hid the one error among them.
pub fn summarise<'a>(diags: impl IntoIterator<Item = &'a Diagnostic>, all: bool) -> Vec<Shown<'a>> {
    let diags: Vec<&Diagnostic> = diags.into_iter().collect();
    if all {
        return diags.into_iter().map(Shown::Diagnostic).collect();
    }
    let kinds: Vec<Option<String>> = diags
        .iter()
        .map(|d| (!d.is_error()).then(|| kind(&d.message)))
        .collect();
    let mut total: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for k in kinds.iter().flatten() {
        *total.entry(k).or_default() += 1;
    }
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut out = Vec::with_capacity(diags.len().min(256));
    for (d, k) in diags.into_iter().zip(&kinds) {
        let Some(k) = k else {
            out.push(Shown::Diagnostic(d));
            continue;
        };
        let n = seen.entry(k).or_default();
        *n += 1;
        if *n <= SHOWN_PER_KIND {
            out.push(Shown::Diagnostic(d));
        }
        if *n == SHOWN_PER_KIND && total[k.as_str()] > SHOWN_PER_KIND {
            out.push(Shown::More(total[k.as_str()] - SHOWN_PER_KIND));
        }
    }
    out
}

/// The kind of a warning: its English message with every run of words
/// that hold a value (a number, a date, Chinese text, anything in
/// backticks) made one `…`, so "dated 2026-03-01 but its campaign 11·25
/// 国际消除对妇女暴力日 runs …" of one article is of the kind of another's
/// "dated 2025-10-05 but its campaign 12·4 国家宪法日 · 全国法制宣传日 runs …".
fn kind(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut after_value = false;
    for word in message.split(' ') {
        let value = word
            .chars()
            .any(|c| c.is_ascii_digit() || !c.is_ascii() || c == '`');
        if value && after_value {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(if value { "…" } else { word });
        after_value = value;
    }
    out
}

/// `1234567` as `1,234,567`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Shown::Diagnostic(d) => d.fmt(f),
            Shown::More(n) => {
                let n = thousands(*n);
                write!(
                    f,
                    "  … and {n} more like this one: `pufa check --all` lists them all\n  \
                     还有 {n} 处同类提醒，用「pufa check --all」查看"
                )
            }
        }
    }
}

/// The candidate a mistyped `wanted` most likely meant: the fewest edits
/// (characters added, removed, changed or swapped) away, and at most a
/// few: one for a short name, up to three for a long one. Ties go to the
/// alphabetically first, so the answer does not depend on the order of
/// `candidates`. For "did you mean" hints; reads every candidate.
pub fn nearest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // Edits allowed by the length of the last part of a path: what the
    // editor typed a letter wrong in.
    let name = wanted.rsplit('/').next().unwrap_or(wanted);
    let max_edits = (name.chars().count() / 5).clamp(1, 3);
    let wanted: Vec<char> = wanted.chars().collect();
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        let other: Vec<char> = candidate.chars().collect();
        if other.len().abs_diff(wanted.len()) > max_edits || other == wanted {
            continue;
        }
        // Paths share long beginnings and endings (the folder, `.md`);
        // edits lie between them.
        let prefix = wanted
            .iter()
            .zip(&other)
            .take_while(|(a, b)| a == b)
            .count();
        let (a, b) = (&wanted[prefix..], &other[prefix..]);
        let suffix = a
            .iter()
            .rev()
            .zip(b.iter().rev())
            .take_while(|(x, y)| x == y)
            .count();
        let (a, b): (String, String) = (
            a[..a.len() - suffix].iter().collect(),
            b[..b.len() - suffix].iter().collect(),
        );
        // A swap of two neighbours (`pgn` for `png`) is one edit.
        let edits = strsim::osa_distance(&a, &b);
        let better = match best {
            None => true,
            Some((e, c)) => edits < e || (edits == e && candidate < c),
        };
        if edits <= max_edits && better {
            best = Some((edits, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// A path shown relative to the site root, as editors see it in their folder.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "---\ntitle: 标题\nx";
        let offset = text.find('x').unwrap();
        assert_eq!(line_col(text, offset), (3, 1));
        let offset = text.find("题").unwrap();
        assert_eq!(line_col(text, offset), (2, 9));
    }

    #[test]
    fn the_line_index_agrees_with_line_col_everywhere() {
        // Longer than a checkpoint, and cut by one inside a character.
        let long_line = "长".repeat(CHECKPOINT / 2 + 7);
        let texts = [
            String::new(),
            "a".into(),
            "\n\n".into(),
            "---\ntitle: 标题\nx\n".into(),
            format!("甲\n{long_line}乙\nab{long_line}\n\n"),
            format!("{}\n", "x".repeat(CHECKPOINT - 1)),
        ];
        for text in &texts {
            let index = LineIndex::new(text);
            for offset in 0..=text.len() + 2 {
                assert_eq!(
                    index.line_col(offset),
                    line_col(text, offset),
                    "{offset} in {:?}",
                    text.chars().take(20).collect::<String>()
                );
            }
        }
    }

    #[test]
    fn chinese_lines_follow_the_english_ones() {
        let d = Diagnostic::warning("content/a.md", "no `summary:`")
            .zh("没有摘要")
            .hint("write one")
            .hint_zh("写一句摘要");
        assert_eq!(
            d.to_string(),
            "content/a.md: warning: no `summary:`\n  警告：没有摘要\n  hint: write one\n  提示：写一句摘要"
        );
    }

    #[test]
    fn control_characters_are_escaped_in_every_part() {
        let d = Diagnostic::error("content/a\x1b[2J.md", "`slug: a\x1b[2J\0b` is wrong")
            .at(4, 1)
            .zh("网址\x07")
            .hint("line\nbreak\ttab")
            .hint_zh("\u{9b}\u{202e}");
        assert_eq!(
            d.to_string(),
            "content/a\\u{1b}[2J.md:4:1: error: `slug: a\\u{1b}[2J\\u{0}b` is wrong\n  错误：网址\\u{7}\n  hint: line\\u{a}break\\u{9}tab\n  提示：\\u{9b}\\u{202e}"
        );
        assert!(matches!(escape_controls("正文 plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn near_misses_are_found_and_far_ones_are_not() {
        let files = [
            "news/2026-11-25.md",
            "news/2026-11-26.md",
            "qa/baohuling.md",
        ];
        assert_eq!(
            nearest("news/2026-1125.md", files),
            Some("news/2026-11-25.md")
        );
        assert_eq!(nearest("qa/baohulin.md", files), Some("qa/baohuling.md"));
        assert_eq!(nearest("news/离婚.md", files), None);
        assert_eq!(
            nearest("news/old.md", ["news/a1.md"]),
            None,
            "short: one edit"
        );
        assert_eq!(nearest("photo.pgn", ["photo.png"]), Some("photo.png"));
        assert_eq!(nearest("qa/baohuling.md", files), None, "not itself");
        // A tie goes to the first in order, whatever the order given.
        assert_eq!(
            nearest("news/2026-11-2.md", files.iter().rev().copied()),
            Some("news/2026-11-25.md")
        );
    }

    #[test]
    fn warnings_of_a_kind_are_counted_after_the_first_three() {
        let late = |file: &str, date: &str| {
            Diagnostic::warning(
                file,
                format!(
                    "dated {date} but its campaign 11·25 国际消除对妇女暴力日 runs 11月25日–12月10日"
                ),
            )
        };
        let mut diags: Vec<Diagnostic> = (1..=1236)
            .map(|i| {
                late(
                    &format!("content/news/{i}.md"),
                    &format!("2026-03-{:02}", i % 28 + 1),
                )
            })
            .collect();
        diags.insert(
            500,
            Diagnostic::error("content/news/x.md", "link to a missing article"),
        );
        // Another campaign, with a longer name: the same kind.
        diags.insert(
            700,
            Diagnostic::warning(
                "content/news/z.md",
                "dated 2025年10月5日 but its campaign 12·4 国家宪法日 · 全国法制宣传日 runs 12月1日–12月7日",
            ),
        );
        diags.push(Diagnostic::warning("content/news/y.md", "no `summary:`"));
        let shown = summarise(&diags, false);
        let text: Vec<String> = shown.iter().map(ToString::to_string).collect();
        assert_eq!(text.len(), 6, "{text:#?}");
        assert!(text[0].starts_with("content/news/1.md: warning: dated 2026-03-02"));
        assert_eq!(
            text[3],
            "  … and 1,234 more like this one: `pufa check --all` lists them all\n  \
             还有 1,234 处同类提醒，用「pufa check --all」查看"
        );
        assert_eq!(
            text[4],
            "content/news/x.md: error: link to a missing article"
        );
        assert_eq!(text[5], "content/news/y.md: warning: no `summary:`");
        assert_eq!(summarise(&diags, true).len(), diags.len());
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
    }

    #[test]
    fn display_is_compiler_style() {
        let d = Diagnostic::error("content/a.md", "unknown key `titel`")
            .at(2, 1)
            .hint("did you mean `title`?");
        assert_eq!(
            d.to_string(),
            "content/a.md:2:1: error: unknown key `titel`\n  hint: did you mean `title`?"
        );
    }
}
