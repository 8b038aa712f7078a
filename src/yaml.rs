//! YAML reading with errors an editor can act on.
//!
//! Before serde sees the text, [`lint`] catches the mistakes editors really
//! make (full-width colons and spaces, tabs, a missing space after the colon,
//! a `#` that turns a title into a comment) and explains them in English and
//! Chinese. serde_yaml's own errors are then reworded, with positions shifted
//! to the editor's file.

mod guard;

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diagnostics::Diagnostic;
use guard::Refusal;

/// Key names editors write in Chinese, and the key they mean.
const CHINESE_KEYS: &[(&str, &str)] = &[
    ("标题", "title"),
    ("题目", "title"),
    ("日期", "date"),
    ("时间", "date"),
    ("发布时间", "date"),
    ("摘要", "summary"),
    ("简介", "summary"),
    ("标签", "tags"),
    ("作者", "author"),
    ("草稿", "draft"),
    ("封面", "cover"),
    ("法律", "laws"),
    ("人群", "audiences"),
    ("对象", "audiences"),
    ("网址", "slug"),
    ("专题", "campaign"),
];

/// Deserializes `text`, which starts on line `first_line` of the file at `path`.
/// `known_keys` feeds the "did you mean" hint for misspelt keys.
pub fn from_str<T: DeserializeOwned>(
    text: &str,
    path: &Path,
    first_line: usize,
    known_keys: &[&str],
) -> Result<T, Diagnostic> {
    if let Some(d) = lint(text, path, first_line, known_keys) {
        return Err(d);
    }
    guard::check(text).map_err(|r| refused(&r, path, first_line))?;
    serde_yaml::from_str(text).map_err(|e| to_diagnostic(&e, text, path, first_line, known_keys))
}

/// The first editor mistake in `text` that YAML would misread or reject.
fn lint(text: &str, path: &Path, first_line: usize, known_keys: &[&str]) -> Option<Diagnostic> {
    // The last line with something on it, kept as we go: looking back for
    // it from every line made a run of blank lines quadratic.
    let mut previous: Option<&str> = None;
    for (i, line) in text.lines().enumerate() {
        let at = |col: usize| (first_line + i, col);
        let before = previous;
        if !line.trim().is_empty() {
            previous = Some(line);
        }
        let previous = before;
        let indent: String = line.chars().take_while(|c| c.is_whitespace()).collect();
        if let Some(col) = indent.chars().position(|c| c == '\t') {
            let (l, c) = at(col + 1);
            return Some(
                Diagnostic::error(path, "a tab is used for indentation")
                    .zh("缩进里用了制表符（Tab 键）")
                    .at(l, c)
                    .hint("YAML allows only spaces: replace the tab with two spaces")
                    .hint_zh("YAML 只能用空格缩进：把 Tab 换成两个空格"),
            );
        }
        if let Some(col) = indent.chars().position(|c| c == '\u{3000}') {
            let (l, c) = at(col + 1);
            return Some(
                Diagnostic::error(path, "a full-width space is used for indentation")
                    .zh("缩进里用了全角空格")
                    .at(l, c)
                    .hint("switch the input method to half-width and indent with ordinary spaces")
                    .hint_zh("把输入法切换到半角，用普通空格缩进"),
            );
        }
        let body = &line[indent.len()..];
        if body.starts_with('#') || body.starts_with("- ") || body.is_empty() {
            continue;
        }
        let key_end = body.find([':', '：']).unwrap_or(body.len());
        let key = body[..key_end].trim();
        let looks_like_key = !key.is_empty()
            && key.chars().count() <= 20
            && !key.contains([' ', '"', '\'', '[', '{'])
            && (known_keys.contains(&key)
                || chinese_key(key).is_some()
                || key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
        if !looks_like_key || key_end == body.len() {
            continue;
        }
        let col = indent.chars().count() + body[..key_end].chars().count() + 1;
        let rest = &body[key_end..];
        let parent_opens_a_block = previous.is_some_and(|p: &str| p.trim_end().ends_with(':'));
        if !indent.is_empty() && known_keys.contains(&key) && !parent_opens_a_block {
            let (l, c) = at(1);
            return Some(
                Diagnostic::error(path, format!("`{key}` is indented"))
                    .zh(format!("「{key}」前面多了空格"))
                    .at(l, c)
                    .hint(format!(
                        "start `{key}:` at the beginning of the line, like the other keys"
                    ))
                    .hint_zh(format!("「{key}:」要和其他设置项一样顶格写")),
            );
        }
        if rest.starts_with('：') {
            let (l, c) = at(col);
            return Some(
                Diagnostic::error(
                    path,
                    format!("`{key}` is followed by a full-width colon `：`"),
                )
                .zh(format!("「{key}」后面用了全角冒号“：”"))
                .at(l, c)
                .hint(format!("write an ASCII colon and a space: `{key}: …`"))
                .hint_zh(format!("改成半角冒号加一个空格：「{key}: …」")),
            );
        }
        let after = &rest[1..];
        if after.starts_with('\u{3000}') {
            let (l, c) = at(col + 1);
            return Some(
                Diagnostic::error(path, format!("a full-width space follows `{key}:`"))
                    .zh(format!("「{key}:」后面是全角空格"))
                    .at(l, c)
                    .hint("use an ordinary (half-width) space after the colon")
                    .hint_zh("冒号后面要用半角空格"),
            );
        }
        if !after.is_empty() && !after.starts_with([' ', '\t']) && known_keys.contains(&key) {
            let (l, c) = at(col);
            return Some(
                Diagnostic::error(path, format!("no space after `{key}:`"))
                    .zh(format!("「{key}:」后面缺少空格"))
                    .at(l, c)
                    .hint(format!(
                        "put a space after the colon: `{key}: {}`",
                        after.trim()
                    ))
                    .hint_zh(format!("在冒号后面加一个空格：「{key}: {}」", after.trim())),
            );
        }
        if after.trim_start().starts_with('#') && known_keys.contains(&key) {
            let (l, c) = at(col + 2);
            let value = after.trim();
            return Some(
                Diagnostic::error(
                    path,
                    format!("`{key}` starts with `#`, which makes the rest of the line a comment"),
                )
                .zh(format!("「{key}」的值以 # 开头，YAML 会把它当成注释"))
                .at(l, c)
                .hint(format!("put the value in quotes: `{key}: \"{value}\"`"))
                .hint_zh(format!("给值加上英文引号：「{key}: \"{value}\"」")),
            );
        }
    }
    None
}

/// Refuses YAML that would cost far more than its size to read (see
/// [`guard`]); for files that report only a line and an English message.
pub fn check_cost(text: &str) -> Result<(), (usize, String)> {
    guard::check(text).map_err(|r| {
        let d = refused(&r, Path::new(""), 1);
        (d.line, d.message)
    })
}

/// The error for a text [`guard::check`] refused.
fn refused(r: &Refusal, path: &Path, first_line: usize) -> Diagnostic {
    match r {
        Refusal::TooDeep { line, column } => Diagnostic::error(
            path,
            format!(
                "the YAML is nested more than {} levels deep",
                guard::MAX_DEPTH
            ),
        )
        .zh(format!("YAML 嵌套超过 {} 层", guard::MAX_DEPTH))
        .at(first_line + line - 1, *column)
        .hint("front matter needs two or three levels: look for a run of `[` or `{`")
        .hint_zh("前言只需要两三层：检查是否有一连串的「[」或「{」"),
        Refusal::Expands {
            line,
            column,
            alias,
            budget,
        } => {
            let mb = budget / (1024 * 1024);
            Diagnostic::error(
                path,
                format!(
                    "the alias `{alias}` makes the YAML expand to more than {mb} MB (each `*name` repeats the value of its `&name`)"
                ),
            )
            .zh(format!(
                "别名「{alias}」让 YAML 展开后超过 {mb} MB（每个「*名字」都会把「&名字」的值重复一遍）"
            ))
            .at(first_line + line - 1, *column)
            .hint("write the values out instead of using `&` anchors and `*` aliases")
            .hint_zh("直接写出各项的值，不要用「&」锚点和「*」别名")
        }
    }
}

fn chinese_key(key: &str) -> Option<&'static str> {
    CHINESE_KEYS
        .iter()
        .find(|(zh, _)| *zh == key)
        .map(|(_, en)| *en)
}

fn to_diagnostic(
    e: &serde_yaml::Error,
    text: &str,
    path: &Path,
    first_line: usize,
    known_keys: &[&str],
) -> Diagnostic {
    let raw = e.to_string();
    // serde_yaml appends " at line L column C"; we print the position ourselves.
    let message = match raw.find(" at line ") {
        Some(i) => raw[..i].to_string(),
        None => raw,
    };
    let mut d = if let Some(key) = between(&message, "unknown field `", "`") {
        unknown_key(path, key, known_keys)
    } else if let Some(key) = between(&message, "duplicate entry with key \"", "\"")
        .or_else(|| between(&message, "duplicate field `", "`"))
    {
        Diagnostic::error(path, format!("the key `{key}` is written twice"))
            .zh(format!("「{key}」写了两次"))
            .hint("keep one of the two lines")
            .hint_zh("删掉其中一行")
    } else if message.contains("mapping values are not allowed") {
        Diagnostic::error(path, "a value contains `: `, which YAML reads as a new key")
            .zh("某个值里含有英文冒号加空格“: ”，YAML 会误读")
            .hint("put the whole value in quotes, e.g. `title: \"问答: 保护令\"`, or use a full-width colon `：` inside the text")
            .hint_zh("给整个值加英文引号，或在文字中改用全角冒号“：”")
    } else if message.contains("expected a boolean") {
        let key = message.split(':').next().unwrap_or("draft");
        Diagnostic::error(path, format!("`{key}` must be true or false"))
            .zh(format!("「{key}」只能写 true 或 false"))
            .hint(format!("write `{key}: true` or `{key}: false`"))
            .hint_zh(format!("写成「{key}: true」（是）或「{key}: false」（否）"))
    } else if message.contains("did not find expected key")
        || message.contains("while parsing a block mapping")
        || message.contains("did not find expected '-' indicator")
    {
        Diagnostic::error(path, "the indentation of the front matter is off")
            .zh("前言（front matter）的缩进不对")
            .hint("every key starts at the beginning of its line; list items are `- item` indented by two spaces, or write lists as [\"a\", \"b\"]")
            .hint_zh("每个设置项顶格写；列表项用两个空格缩进的「- 内容」，或写成 [\"甲\", \"乙\"]")
    } else if message.starts_with("repetition limit exceeded") {
        Diagnostic::error(
            path,
            "repetition limit exceeded: YAML aliases (`*name`) repeat their anchors (`&name`) too many times",
        )
        .zh("YAML 别名（「*名字」）重复引用锚点（「&名字」）的次数太多")
        .hint("write the values out instead of using `&` anchors and `*` aliases")
        .hint_zh("直接写出各项的值，不要用「&」锚点和「*」别名")
    } else {
        Diagnostic::error(path, friendly(&message))
            .zh("前言（front matter）不是有效的 YAML")
            .hint("check that each line reads `key: value` with an ASCII colon and a space")
            .hint_zh("检查每一行是否是“设置项: 值”的形式（半角冒号加空格）")
    };
    let duplicate = between(&message, "duplicate field `", "`")
        .or_else(|| between(&message, "duplicate entry with key \"", "\""));
    if let Some(key) = duplicate {
        // Point at the second time the key is written.
        let second = text
            .lines()
            .enumerate()
            .filter(|(_, l)| {
                l.strip_prefix(key)
                    .is_some_and(|r| r.trim_start().starts_with(':'))
            })
            .nth(1);
        if let Some((i, _)) = second {
            return d.at(first_line + i, 1);
        }
    }
    if let Some(loc) = e.location() {
        let line = first_line + loc.line() - 1;
        // Point at the key for unknown keys, whatever column serde reports.
        d = d.at(line, loc.column());
    } else if let Some(key) = between(&message, "unknown field `", "`")
        && let Some(line) = key_line(text, key)
    {
        d = d.at(first_line + line - 1, 1);
    } else if message.starts_with("repetition limit exceeded")
        && let Some(line) = key_holding_an_alias(text)
    {
        // serde_yaml gives no position when aliases expand too far: the
        // top-level key whose value uses one is the place to look.
        d = d.at(first_line + line - 1, 1);
    } else {
        d = d.at(1, 1); // like other whole-file errors
    }
    d
}

/// The 1-based line (in `text`) of the first top-level key whose value uses
/// a YAML alias (`*name` after a space, `[`, `{` or `,`).
fn key_holding_an_alias(text: &str) -> Option<usize> {
    let mut key = None;
    for (i, line) in text.lines().enumerate() {
        if !line.starts_with([' ', '\t', '-', '#']) && line.contains(':') {
            key = Some(i + 1);
        }
        let uses_alias = line.char_indices().any(|(j, c)| {
            c == '*'
                && line[..j]
                    .chars()
                    .next_back()
                    .is_none_or(|p| matches!(p, ' ' | '\t' | '[' | '{' | ','))
                && line[j + 1..]
                    .chars()
                    .next()
                    .is_some_and(|n| !n.is_whitespace())
        });
        if uses_alias {
            return key.or(Some(i + 1));
        }
    }
    None
}

/// An "unknown key" diagnostic with the closest known key as a hint.
pub fn unknown_key(path: &Path, key: &str, known_keys: &[&str]) -> Diagnostic {
    let d = Diagnostic::error(path, format!("unknown key `{key}`"))
        .zh(format!("无法识别的设置项「{key}」"));
    match chinese_key(key)
        .filter(|k| known_keys.contains(k))
        .or_else(|| did_you_mean(key, known_keys))
    {
        Some(best) => d
            .hint(format!("did you mean `{best}`?"))
            .hint_zh(format!("你是不是想写「{best}」？")),
        None => d
            .hint(format!("known keys are: {}", known_keys.join(", ")))
            .hint_zh(format!("可用的设置项：{}", known_keys.join("、"))),
    }
}

fn between<'a>(text: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let rest = &text[text.find(open)? + open.len()..];
    Some(&rest[..rest.find(close)?])
}

/// The closest candidate, if it is close enough to be a plausible typo.
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(word, c), *c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

fn friendly(message: &str) -> String {
    message
        .replace("invalid type: ", "wrong kind of value: found ")
        .replace(
            ", expected a sequence",
            ", expected a list like [\"a\", \"b\"]",
        )
        .replace(", expected a string", ", expected text")
}

/// The 1-based line where a top-level `key:` is written, for positioned errors.
pub fn key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_get_a_suggestion() {
        assert_eq!(did_you_mean("titel", &["title", "date"]), Some("title"));
        assert_eq!(did_you_mean("tag", &["tags", "title"]), Some("tags"));
        assert_eq!(did_you_mean("zzz", &["title", "date"]), None);
    }

    #[test]
    fn the_key_holding_an_alias_is_found() {
        let text = "title: 甲\nsummary: 3*4\ntags:\n  - &a [x, x]\n  - [*a, *a]\n";
        assert_eq!(key_holding_an_alias(text), Some(3));
        assert_eq!(key_holding_an_alias("tags: [&a x, *a]\n"), Some(1));
        assert_eq!(key_holding_an_alias("title: 注意 * 号\n"), None);
    }

    #[test]
    fn lint_finds_full_width_punctuation() {
        let p = Path::new("a.md");
        let d = lint("title：标题\n", p, 2, &["title"]).unwrap();
        assert_eq!((d.line, d.column), (2, 6));
        let d = lint("title:\u{3000}标题\n", p, 2, &["title"]).unwrap();
        assert!(d.message.contains("full-width space"));
        assert!(lint("title: 标题：副标题\n", p, 2, &["title"]).is_none());
        assert!(lint("summary: 注意：这里有冒号\n", p, 2, &["summary"]).is_none());
    }
}
