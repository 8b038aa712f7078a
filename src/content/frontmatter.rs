//! Front matter: the YAML block between `---` lines at the top of a file.
//!
//! [`split`] separates it from the Markdown body; serde reads it as
//! [`RawFrontMatter`]; [`validate`] turns that into a [`FrontMatter`] with real
//! dates and checked slugs, reporting every problem with the line of its key.

use std::path::Path;

use jiff::ZonedDateTime;
use jiff::tz::TimeZone;
use serde::Deserialize;

use crate::diagnostics::Diagnostic;
use crate::yaml::key_line;
use crate::{slug, time, yaml};

/// A file split into front matter and body. Offsets are into the normalised
/// text (BOM removed, CRLF turned into LF), which keeps line numbers intact.
#[derive(Debug)]
pub struct Split<'a> {
    pub yaml: &'a str,
    pub body: &'a str,
    /// 1-based line of the first body line.
    pub body_line: usize,
}

/// Removes a UTF-8 byte-order mark and CR of CRLF line ends.
pub fn normalize(text: String) -> String {
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    // memchr searches with SIMD; `str::contains` goes a word at a time.
    if memchr::memchr(b'\r', text.as_bytes()).is_some() {
        text.replace("\r\n", "\n")
    } else {
        text
    }
}

pub fn split<'a>(text: &'a str, path: &Path) -> Result<Split<'a>, Diagnostic> {
    let Some(after_open) = text
        .strip_prefix("---\n")
        .or_else(|| (text.trim_end() == "---").then_some(""))
    else {
        if text.trim().is_empty() {
            return Err(Diagnostic::error(path, "the file is empty")
                .zh("文件是空的")
                .at(1, 1)
                .hint("write the article (front matter between `---` lines, then the text), or delete the file")
                .hint_zh("写上文章内容（先是两行「---」之间的前言，再是正文），或者删除这个文件"));
        }
        return Err(Diagnostic::error(path, "the file does not start with front matter")
            .zh("文件开头没有前言（front matter）")
            .at(1, 1)
            .hint("put a line `---` first, then `title: …` and the other keys, then another `---` line")
            .hint_zh("第一行写「---」，接着写「title: 标题」等设置，再用一行「---」结束"));
    };
    let mut offset = 0;
    for line in after_open.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let yaml = &after_open[..offset];
            let body = &after_open[offset + line.len()..];
            let body_line = 2 + yaml.matches('\n').count() + 1;
            return Ok(Split {
                yaml,
                body,
                body_line,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(path, "the front matter is not closed")
        .zh("前言（front matter）没有结束标记")
        .at(1, 1)
        .hint("add a line with only `---` after the last front-matter key")
        .hint_zh("在最后一个设置项后面加一行「---」"))
}

pub const ARTICLE_KEYS: &[&str] = &[
    "title",
    "date",
    "updated",
    "expires",
    "summary",
    "slug",
    "draft",
    "campaign",
    "laws",
    "audiences",
    "tags",
    "cover",
    "cover_square",
    "author",
    "weight",
    "aliases",
];

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawFrontMatter {
    title: Option<String>,
    date: Option<Scalar>,
    updated: Option<Scalar>,
    expires: Option<Scalar>,
    summary: Option<String>,
    slug: Option<String>,
    draft: Option<bool>,
    campaign: Option<Scalar>,
    laws: Option<Terms>,
    audiences: Option<Terms>,
    tags: Option<Terms>,
    cover: Option<String>,
    cover_square: Option<String>,
    author: Option<String>,
    weight: Option<i64>,
    aliases: Option<Vec<String>>,
}

/// A YAML scalar editors may write quoted or not: `date: 2026-11-25` and
/// `campaign: 5` are text to us, not a number.
#[derive(Deserialize)]
#[serde(untagged)]
enum Scalar {
    Text(String),
    Int(i64),
    Float(f64),
}

/// Taxonomy terms: a list, or one term written as plain text.
#[derive(Deserialize)]
#[serde(untagged)]
enum Terms {
    List(Vec<String>),
    One(String),
}

impl Scalar {
    fn into_string(self) -> String {
        match self {
            Scalar::Text(s) => s,
            Scalar::Int(i) => i.to_string(),
            Scalar::Float(f) => f.to_string(),
        }
    }
}

/// The default is the empty front matter an article that failed to load is
/// checked with (see `content::Unloaded`).
#[derive(Debug, Clone, Default)]
pub struct FrontMatter {
    pub title: String,
    pub date: Option<ZonedDateTime>,
    pub updated: Option<ZonedDateTime>,
    pub expires: Option<ZonedDateTime>,
    pub summary: Option<String>,
    pub slug: Option<String>,
    pub draft: bool,
    pub campaign: Option<String>,
    pub laws: Vec<String>,
    pub audiences: Vec<String>,
    pub tags: Vec<String>,
    pub cover: Option<String>,
    pub cover_square: Option<String>,
    pub author: Option<String>,
    pub weight: i64,
    pub aliases: Vec<Alias>,
}

/// An old address of an article (`aliases:`), where a redirect page goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    /// As the editor wrote it (trimmed), for messages.
    pub written: String,
    /// The redirect page's file, relative to the output folder, `/`
    /// separated: `old/a/index.html` for `/old/a/` or `old/a`, `old/a.html`
    /// for `old/a.html`. No `..`, `.` or empty segments, nothing absolute.
    pub path: String,
    /// The file line of the `aliases` key.
    pub line: usize,
}

impl FrontMatter {
    /// Terms of the taxonomy whose front-matter key is `key`.
    pub fn terms(&self, key: &str) -> &[String] {
        match key {
            "laws" => &self.laws,
            "audiences" => &self.audiences,
            "tags" => &self.tags,
            _ => &[],
        }
    }
}

/// C0 controls other than tab, line feed and carriage return, and DEL: not
/// allowed in XML, invisible in editors.
pub fn is_forbidden_control(c: char) -> bool {
    (c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r')) || ('\u{80}'..='\u{9f}').contains(&c)
}

/// Reads and validates an article's front matter. `split.yaml` starts on line 2.
pub fn parse(
    split: &Split<'_>,
    path: &Path,
    tz: &TimeZone,
) -> Result<FrontMatter, Vec<Diagnostic>> {
    let raw: RawFrontMatter = if split.yaml.trim().is_empty() {
        RawFrontMatter::default()
    } else {
        yaml::from_str(split.yaml, path, 2, ARTICLE_KEYS).map_err(|d| vec![d])?
    };
    validate(raw, split.yaml, path, tz)
}

fn validate(
    raw: RawFrontMatter,
    yaml: &str,
    path: &Path,
    tz: &TimeZone,
) -> Result<FrontMatter, Vec<Diagnostic>> {
    let RawFrontMatter {
        title,
        date,
        updated,
        expires,
        summary,
        slug,
        draft,
        campaign,
        laws,
        audiences,
        tags,
        cover,
        cover_square,
        author,
        weight,
        aliases,
    } = raw;
    let mut errors = Vec::new();
    let at_key = |key: &str, d: Diagnostic| match key_line(yaml, key) {
        Some(line) => d.at(line + 1, 1),
        None => d.at(1, 1),
    };
    let mut date_of = |key: &str, value: Option<Scalar>| -> Option<ZonedDateTime> {
        let text = value?.into_string();
        match time::parse(&text, tz) {
            Ok(z) => Some(z),
            Err(msg) => {
                let d = Diagnostic::error(path, format!("`{key}`: {msg}"))
                    .zh(format!("「{key}」不是有效的日期：{text}"));
                let d = match time::suggest(&text) {
                    Some(fixed) => d
                        .hint(format!("write `{key}: {fixed}`"))
                        .hint_zh(format!("请写成「{key}: {fixed}」")),
                    None => d.hint_zh("日期的写法：2026-11-25 或 2026-11-25 08:00"),
                };
                errors.push(at_key(key, d));
                None
            }
        }
    };
    let date = date_of("date", date);
    let updated = date_of("updated", updated);
    let expires = date_of("expires", expires);
    let draft = draft.unwrap_or(false);

    for (key, value) in [
        ("title", &title),
        ("summary", &summary),
        ("author", &author),
        ("slug", &slug),
    ] {
        if let Some(c) = value
            .as_deref()
            .and_then(|v| v.chars().find(|&c| is_forbidden_control(c)))
        {
            errors.push(at_key(
                key,
                Diagnostic::error(
                    path,
                    format!(
                        "`{key}` contains an invisible control character U+{:04X}",
                        c as u32
                    ),
                )
                .zh(format!("「{key}」里有看不见的控制字符 U+{:04X}", c as u32))
                .hint("delete it (it usually comes from copying out of Word, a PDF or a web page)")
                .hint_zh("删掉它（通常是从 Word、PDF 或网页复制时带进来的）"),
            ));
        }
    }
    let title = title.map(|t| t.trim().to_string()).unwrap_or_default();
    if title.is_empty() {
        errors.push(at_key(
            "title",
            Diagnostic::error(path, "the article has no `title`")
                .zh("文章没有标题（title）")
                .hint("add a line like `title: 人身安全保护令怎么申请` to the front matter")
                .hint_zh("在前言里加一行，例如「title: 人身安全保护令怎么申请」"),
        ));
    }
    if date.is_none() && !draft && key_line(yaml, "date").is_none() {
        errors.push(
            Diagnostic::error(path, "the article has no `date`")
                .zh("文章没有发布时间（date）")
                .at(1, 1)
                .hint("add `date: 2026-11-25 08:00` (the publish time), or `draft: true` while it is unfinished")
                .hint_zh("加一行「date: 2026-11-25 08:00」（发布时间）；还没写完可以先写「draft: true」"),
        );
    }
    if let (Some(d), Some(e)) = (&date, &expires)
        && e <= d
    {
        errors.push(at_key(
            "expires",
            Diagnostic::error(
                path,
                "`expires` is not after `date`: the article would never be shown",
            )
            .zh("下线时间（expires）不晚于发布时间（date），文章永远不会显示")
            .hint("set `expires` to a time after the publish date, or remove it")
            .hint_zh("把 expires 改到发布时间之后，或者删掉这一行"),
        ));
    }
    if let Some(s) = &slug
        && !slug::is_valid(s)
    {
        let suggestion = match slug::slugify(s) {
            suggestion if !suggestion.is_empty() => suggestion,
            _ => "li-hun-leng-jing-qi".to_string(),
        };
        errors.push(at_key(
            "slug",
            Diagnostic::error(path, format!("`slug: {s}` is not a valid URL segment"))
                .zh(format!("「slug: {s}」不能用作网址"))
                .hint(format!("use lower-case letters, digits and single dashes only, e.g. `slug: {suggestion}`"))
                .hint_zh(format!("只能用小写英文字母、数字和短横线，例如「slug: {suggestion}」")),
        ));
    } else if let Some(s) = &slug
        && s.len() > slug::MAX_LEN
    {
        errors.push(at_key("slug", slug_too_long(path, s)));
    }
    let mut clean_terms = |key: &str, terms: Option<Terms>| -> Vec<String> {
        let list = match terms {
            None => Vec::new(),
            Some(Terms::List(list)) => list,
            Some(Terms::One(text)) if text.contains([',', '，', '、', ';', '；']) => {
                let items: Vec<String> = text
                    .split([',', '，', '、', ';', '；'])
                    .map(|t| format!("\"{}\"", t.trim()))
                    .collect();
                errors.push(at_key(
                    key,
                    Diagnostic::error(
                        path,
                        format!("`{key}` is written as one piece of text, not a list"),
                    )
                    .zh(format!("「{key}」写成了一整段文字，而不是列表"))
                    .hint(format!(
                        "write it as a list: `{key}: [{}]`",
                        items.join(", ")
                    ))
                    .hint_zh(format!("写成列表：「{key}: [{}]」", items.join(", "))),
                ));
                Vec::new()
            }
            Some(Terms::One(one)) => vec![one],
        };
        let mut out: Vec<String> = Vec::new();
        for t in list {
            let t = t.trim().to_string();
            if !t.is_empty() && !out.contains(&t) {
                out.push(t);
            }
        }
        // Every term gets a page at `/<key>/<slug>/`.
        for t in &out {
            if let Some(d) = term_url_problem(key, t, path) {
                errors.push(at_key(key, d));
            }
        }
        out
    };
    let laws = clean_terms("laws", laws);
    let audiences = clean_terms("audiences", audiences);
    let tags = clean_terms("tags", tags);
    let aliases_line = key_line(yaml, "aliases").map_or(1, |l| l + 1);
    let aliases: Vec<Alias> = aliases
        .unwrap_or_default()
        .iter()
        .filter_map(|a| match alias_path(a, path) {
            Ok(path) => Some(Alias {
                written: a.trim().to_string(),
                path,
                line: aliases_line,
            }),
            Err(d) => {
                errors.push(d.at(aliases_line, 1));
                None
            }
        })
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(FrontMatter {
        title,
        date,
        updated,
        expires,
        summary: summary
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
        slug,
        draft,
        campaign: campaign.map(Scalar::into_string),
        laws,
        audiences,
        tags,
        cover: cover.filter(|s| !s.trim().is_empty()),
        cover_square: cover_square.filter(|s| !s.trim().is_empty()),
        author: author.filter(|s| !s.trim().is_empty()),
        weight: weight.unwrap_or(0),
        aliases,
    })
}

/// The output file of an alias: a path on this site, leading `/` optional,
/// percent-encoded or not (`/%E6%B3%95/` and `/法/` are the same address).
/// A path ending in `/` or whose last segment has no extension is a folder
/// and gets `index.html`. Read with [`crate::confine::resolve`], which
/// refuses empty segments, backslashes, control characters, encoded dots
/// and slashes and `:` (a whole URL or a Windows drive); refused here too:
/// `..` and `.` segments (even those that stay inside the site), `?` and
/// `#` (a query or a fragment names no file), and segments longer than
/// [`slug::MAX_LEN`] bytes.
pub fn alias_path(written: &str, file: &Path) -> Result<String, Diagnostic> {
    let text = written.trim();
    let not_a_path = || {
        Diagnostic::error(
            file,
            format!("`aliases`: `{text}` is not a path on this site"),
        )
        .zh(format!("「aliases」：「{text}」不是本站的网址路径"))
        .hint("write the old address without the domain, e.g. `/news/old-name/`")
        .hint_zh("写旧网址里域名后面的部分，例如「/news/old-name/」")
    };
    let resolved = crate::confine::resolve(text, Path::new(""), crate::confine::Leading::Base)
        .map_err(|_| not_a_path())?;
    // Old addresses are written as the browser showed them: a `.` or
    // `..` in one is a mistake or an attempt to leave the site. `?` and
    // `#` end a URL's path: an alias names a page, not a query.
    let rest = resolved.to_slash();
    if resolved.dotted || rest.contains(['?', '#']) {
        return Err(not_a_path());
    }
    let folder = resolved.folder;
    let segments: Vec<&str> = if rest.is_empty() {
        Vec::new()
    } else {
        rest.split('/').collect()
    };
    if let Some(long) = segments.iter().find(|s| s.len() > slug::MAX_LEN) {
        let n = long.len();
        return Err(Diagnostic::error(
            file,
            format!(
                "`aliases`: `{text}` has a segment of {n} bytes (at most {})",
                slug::MAX_LEN
            ),
        )
        .zh(format!(
            "「aliases」：「{text}」中有一段长 {n} 字节（最多 {}）",
            slug::MAX_LEN
        ))
        .hint("no server can serve a name that long; remove the alias")
        .hint_zh("这么长的名字服务器无法提供，请删掉这个别名"));
    }
    let has_extension = segments
        .last()
        .is_some_and(|s| s.rfind('.').is_some_and(|i| i > 0));
    let mut path = segments.join("/");
    if folder || !has_extension {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str("index.html");
    }
    Ok(path)
}

/// A valid `slug:` that no file system could hold as a folder name.
fn slug_too_long(path: &Path, s: &str) -> Diagnostic {
    let (n, short) = (s.len(), slug::shorten(s));
    Diagnostic::error(
        path,
        format!("`slug` is {n} characters long (at most {})", slug::MAX_LEN),
    )
    .zh(format!("「slug」有 {n} 个字符（最多 {}）", slug::MAX_LEN))
    .hint(format!("set a shorter `slug:`, e.g. `slug: {short}`"))
    .hint_zh(format!("改成短一些的「slug:」，例如「slug: {short}」"))
}

/// Why a taxonomy term cannot have a URL, if it cannot: nothing to
/// transliterate (`《》`), or a segment longer than [`slug::MAX_LEN`].
fn term_url_problem(key: &str, term: &str, path: &Path) -> Option<Diagnostic> {
    let seg = slug::slugify(term);
    if seg.is_empty() {
        return Some(
            Diagnostic::error(
                path,
                format!("cannot make a URL from the {key} term `{term}`"),
            )
            .hint("use words with letters or Chinese characters")
            .zh(format!("无法从分类词「{term}」生成网址"))
            .hint_zh("分类词要包含汉字或字母"),
        );
    }
    if seg.len() > slug::MAX_LEN {
        // A term this long is a pasted paragraph: quote its beginning.
        let shown: String = if term.chars().count() > 30 {
            term.chars().take(30).chain(['…']).collect()
        } else {
            term.to_string()
        };
        let n = seg.len();
        return Some(
            Diagnostic::error(
                path,
                format!(
                    "the {key} term `{shown}` makes a URL segment of {n} characters (at most {})",
                    slug::MAX_LEN
                ),
            )
            .hint("use a shorter term (a few words)")
            .zh(format!(
                "分类词「{shown}」生成的网址段有 {n} 个字符（最多 {}）",
                slug::MAX_LEN
            ))
            .hint_zh("改用简短的分类词（几个字）"),
        );
    }
    None
}

pub const SECTION_KEYS: &[&str] = &["title", "description", "weight", "slug"];

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawSectionMeta {
    title: Option<String>,
    description: Option<String>,
    weight: Option<i64>,
    slug: Option<String>,
}

/// Front matter of a section's `_index.md`.
#[derive(Debug, Clone, Default)]
pub struct SectionMeta {
    pub title: Option<String>,
    pub description: Option<String>,
    pub weight: i64,
    pub slug: Option<String>,
}

pub fn parse_section(split: &Split<'_>, path: &Path) -> Result<SectionMeta, Vec<Diagnostic>> {
    let raw: RawSectionMeta = if split.yaml.trim().is_empty() {
        RawSectionMeta::default()
    } else {
        yaml::from_str(split.yaml, path, 2, SECTION_KEYS).map_err(|d| vec![d])?
    };
    let RawSectionMeta {
        title,
        description,
        weight,
        slug,
    } = raw;
    let line = || key_line(split.yaml, "slug").map_or(1, |l| l + 1);
    if let Some(s) = &slug
        && !slug::is_valid(s)
    {
        return Err(vec![
            Diagnostic::error(path, format!("`slug: {s}` is not a valid URL segment"))
                .zh(format!("「slug: {s}」不能用作网址"))
                .at(line(), 1)
                .hint("use lower-case letters, digits and single dashes only")
                .hint_zh("只能用小写英文字母、数字和短横线"),
        ]);
    }
    if let Some(s) = &slug
        && s.len() > slug::MAX_LEN
    {
        return Err(vec![slug_too_long(path, s).at(line(), 1)]);
    }
    Ok(SectionMeta {
        title: title.filter(|t| !t.trim().is_empty()),
        description,
        weight: weight.unwrap_or(0),
        slug,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_finds_the_body_line() {
        let text = "---\ntitle: 标题\ndate: 2026-01-01\n---\n正文\n";
        let s = split(text, Path::new("a.md")).unwrap();
        assert_eq!(s.yaml, "title: 标题\ndate: 2026-01-01\n");
        assert_eq!(s.body, "正文\n");
        assert_eq!(s.body_line, 5);
    }

    #[test]
    fn bom_and_crlf_are_normalised() {
        let text = normalize("\u{feff}---\r\ntitle: 标题\r\n---\r\n正文\r\n".to_string());
        assert_eq!(text, "---\ntitle: 标题\n---\n正文\n");
    }

    #[test]
    fn aliases_become_files_inside_the_output() {
        let p = |a: &str| alias_path(a, Path::new("a.md")).map_err(|d| d.message);
        assert_eq!(p("/old/a/").unwrap(), "old/a/index.html");
        assert_eq!(p("old/a").unwrap(), "old/a/index.html");
        assert_eq!(p(" old/a.html ").unwrap(), "old/a.html");
        assert_eq!(p("/").unwrap(), "index.html");
        assert_eq!(p("/2019/05/离婚/").unwrap(), "2019/05/离婚/index.html");
        assert_eq!(
            p("/2019/%E7%A6%BB%E5%A9%9A/").unwrap(),
            "2019/离婚/index.html"
        );
        assert_eq!(p("/.well-known/x").unwrap(), ".well-known/x/index.html");
        for bad in [
            "",
            "../../etc/x",
            "/a/../../b/",
            "a/./b",
            "%2e%2e/x",
            "//evil.example/x",
            "a//b",
            "..\\..\\c",
            "/a?b=1",
            "/a#top",
            "https://x.example.cn/old/",
            "C:/x",
            "a\u{1b}[2J",
            "%FF",
            "/a%2f..%2f..%2fb/",
            "/%252e%252e/x",
        ] {
            assert_eq!(
                p(bad).unwrap_err(),
                format!("`aliases`: `{}` is not a path on this site", bad.trim()),
                "{bad}"
            );
        }
        assert!(p(&format!("/{}/", "a".repeat(201))).is_err());
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let e = split("---\ntitle: x\n正文\n", Path::new("a.md")).unwrap_err();
        assert_eq!(e.message, "the front matter is not closed");
    }
}
