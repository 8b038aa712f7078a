//! Reading `statutes/<key>.yaml`: the site's files, and the library's
//! (the same format, compiled into the binary).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};

use super::{DataError, Event, Law, Origin, StatuteArticle};

/// The folder under the site root.
pub const FOLDER: &str = "statutes";

/// What "this law" is called inside any law; it can never name one law.
pub(crate) const NOT_ALIASES: [&str; 4] = ["本法", "该法", "此法", "前款"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLaw {
    name: String,
    short: String,
    #[serde(default)]
    aliases: Vec<String>,
    effective: String,
    #[serde(default)]
    history: Vec<Event>,
    articles_total: u32,
    #[serde(default, deserialize_with = "preamble_only")]
    preamble: String,
    #[serde(default, deserialize_with = "unique_articles")]
    articles: BTreeMap<u32, RawArticle>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawArticle {
    #[serde(default)]
    part: Option<String>,
    #[serde(default)]
    chapter: Option<String>,
    #[serde(default)]
    section: Option<String>,
    #[serde(deserialize_with = "text_only")]
    text: String,
}

/// A string, and only a string: YAML would read `text: 123` as "123".
fn text_only<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    d.deserialize_any(TextOnly("the article's text as a string (one line per 款)"))
}

/// [`text_only`] for `preamble:`.
fn preamble_only<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    d.deserialize_any(TextOnly(
        "the preamble as a string (one line per paragraph)",
    ))
}

/// A visitor that takes strings (and nothing, as "") and says what it expected.
struct TextOnly(&'static str);

impl Visitor<'_> for TextOnly {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<String, E> {
        Ok(s.to_string())
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<String, E> {
        Ok(String::new())
    }
}

/// A map of articles that refuses the same number twice (YAML would keep
/// the last silently).
fn unique_articles<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<u32, RawArticle>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = BTreeMap<u32, RawArticle>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("articles by number, e.g. `1042: { text: ... }`")
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(BTreeMap::new())
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            while let Some(number) = map.next_key::<u32>()? {
                let article = map.next_value::<RawArticle>()?;
                if out.insert(number, article).is_some() {
                    return Err(serde::de::Error::custom(format!(
                        "article {number} appears twice"
                    )));
                }
            }
            Ok(out)
        }
    }
    d.deserialize_map(V)
}

/// The site's law files under `<root>/statutes/`, merged with `library`:
/// a site file adds a law, or replaces the library's law of its key. All
/// problems of the site's files at once (the library's laws have none:
/// its tests load them).
pub fn load(root: &Path, max_file_bytes: u64, library: &[Law]) -> Result<Vec<Law>, Vec<DataError>> {
    let files = site_files(root).map_err(|e| vec![e])?;
    let mut errors = Vec::new();
    // The library's laws no site file replaces: their names are taken.
    let replaced: HashSet<&str> = files.iter().map(|(key, _)| key.as_str()).collect();
    let kept: Vec<&Law> = library
        .iter()
        .filter(|l| !replaced.contains(l.key.as_str()))
        .collect();
    // Alias → the law that has it (an index into `kept`, or a site key).
    let mut owners: HashMap<String, Owner> = HashMap::new();
    for (i, law) in kept.iter().enumerate() {
        for alias in &law.aliases {
            owners.entry(alias.clone()).or_insert(Owner::Library(i));
        }
    }

    let mut laws: Vec<Law> = Vec::new();
    for (key, path) in files {
        let shown = PathBuf::from(FOLDER).join(path.file_name().unwrap_or_default());
        let err = |line: usize, message: String| DataError {
            path: shown.clone(),
            line,
            message,
        };
        if !is_slug(&key) {
            errors.push(err(
                0,
                format!(
                    "the file name `{key}` is used in URLs: use only a-z, 0-9 and -, e.g. `minfadian.yaml`"
                ),
            ));
            continue;
        }
        if laws.iter().any(|l| l.key == key) {
            errors.push(err(0, format!("a second file for the law `{key}`")));
            continue;
        }
        let bytes = match crate::read::file(&path, max_file_bytes) {
            Ok(b) => b,
            Err(e) => {
                errors.push(err(0, format!("cannot read the file: {}", e.into_io())));
                continue;
            }
        };
        let Ok(source) = String::from_utf8(bytes) else {
            errors.push(err(0, "the file is not UTF-8: save it as UTF-8".into()));
            continue;
        };
        let source = source.strip_prefix('\u{feff}').unwrap_or(&source);
        match parse(&key, source) {
            Ok(law) => {
                let alias_line = match line_of_key(source, "aliases") {
                    0 => line_of_key(source, "name"),
                    n => n,
                };
                for alias in &law.aliases {
                    match owners.get(alias) {
                        Some(Owner::Site(owner)) if owner != &key => errors.push(err(
                            alias_line,
                            format!("`{alias}` already names the law in statutes/{owner}.yaml"),
                        )),
                        Some(&Owner::Library(i)) => errors.push(err(
                            alias_line,
                            format!(
                                "`{alias}` already names 《{}》 in pufa's law library: to replace that law, name this file {}.yaml; to add another law, take `{alias}` out of its names",
                                kept[i].name, kept[i].key
                            ),
                        )),
                        _ => {
                            owners.insert(alias.clone(), Owner::Site(key.clone()));
                        }
                    }
                }
                laws.push(law);
            }
            Err(found) => errors.extend(found.into_iter().map(|(line, m)| err(line, m))),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    laws.extend(kept.into_iter().cloned());
    laws.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(laws)
}

/// Who has a name already, while site files are read.
enum Owner {
    /// The library's law at this index of the laws kept.
    Library(usize),
    /// The site's law of this key.
    Site(String),
}

/// The `*.yaml` and `*.yml` files of `<root>/statutes/` as (key, path),
/// sorted; none when the folder is missing.
fn site_files(root: &Path) -> Result<Vec<(String, PathBuf)>, DataError> {
    let dir = root.join(FOLDER);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(DataError {
                path: PathBuf::from(FOLDER),
                line: 0,
                message: format!("cannot read the folder: {e}"),
            });
        }
    };
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let is_yaml = matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        );
        if !is_yaml || !path.is_file() {
            continue;
        }
        let Some(file_name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let key = file_name
            .trim_end_matches(".yaml")
            .trim_end_matches(".yml")
            .to_string();
        files.push((key, path));
    }
    files.sort();
    Ok(files)
}

/// One file's text to a law, or its problems as (line, message).
pub(crate) fn parse(key: &str, source: &str) -> Result<Law, Vec<(usize, String)>> {
    crate::yaml::check_cost(source).map_err(|e| vec![e])?;
    let raw: RawLaw = match serde_yaml::from_str(source) {
        Ok(raw) => raw,
        Err(e) => {
            let mut line = e.location().map(|l| l.line()).unwrap_or(0);
            let mut message = yaml_message(&e);
            // Our own error from `unique_articles`: point at the repeat.
            if let Some(n) = message
                .strip_prefix("articles: article ")
                .and_then(|m| m.strip_suffix(" appears twice"))
                .and_then(|n| n.parse::<u32>().ok())
            {
                line = line_of_article_nth(source, n, 2).max(line);
                message = format!("article {n} appears twice");
            }
            return Err(vec![(line, message)]);
        }
    };
    let mut problems = Vec::new();
    let name = raw.name.trim().to_string();
    let short = raw.short.trim().to_string();
    if name.is_empty() {
        problems.push((line_of_key(source, "name"), "`name` is empty".into()));
    }
    if short.is_empty() {
        problems.push((line_of_key(source, "short"), "`short` is empty".into()));
    }
    if !is_date(raw.effective.trim()) {
        problems.push((
            line_of_key(source, "effective"),
            format!(
                "`effective: {}` is not a date: write it as YYYY-MM-DD, e.g. 2021-01-01",
                raw.effective
            ),
        ));
    }
    let history_lines = item_lines(source, "history");
    let mut history: Vec<Event> = Vec::with_capacity(raw.history.len());
    for (i, event) in raw.history.into_iter().enumerate() {
        let line = history_lines
            .get(i)
            .copied()
            .unwrap_or_else(|| line_of_key(source, "history"));
        let date = event.date.trim().to_string();
        if !is_date(&date) {
            problems.push((
                line,
                format!(
                    "`date: {date}` in history is not a date: write it as YYYY-MM-DD, e.g. 2020-10-17"
                ),
            ));
        } else if let Some(before) = history.last().filter(|e| e.date > date) {
            problems.push((
                line,
                format!(
                    "history is oldest first, but {date} comes after {}",
                    before.date
                ),
            ));
        }
        history.push(Event {
            date,
            event: event.event,
        });
    }
    if raw.articles_total == 0 {
        problems.push((
            line_of_key(source, "articles_total"),
            "`articles_total` is the number of the law's last article; it cannot be 0".into(),
        ));
    }

    let mut aliases: Vec<String> = Vec::new();
    let add = |a: &str, aliases: &mut Vec<String>| {
        let a = a
            .trim()
            .trim_start_matches('《')
            .trim_end_matches('》')
            .trim();
        if !a.is_empty() && !aliases.iter().any(|x| x == a) {
            aliases.push(a.to_string());
        }
    };
    for a in &raw.aliases {
        let bare = bare_alias(a);
        if bare.is_empty() {
            problems.push((line_of_key(source, "aliases"), "an alias is empty".into()));
        } else if NOT_ALIASES.contains(&bare) {
            problems.push((
                line_of_key(source, "aliases"),
                format!("`{bare}` means \"this law\" inside any law, so it cannot name this one"),
            ));
        } else {
            add(bare, &mut aliases);
        }
    }
    add(&name, &mut aliases);
    add(&short, &mut aliases);
    if let Some(rest) = name.strip_prefix("中华人民共和国") {
        add(rest, &mut aliases);
    }

    let article_lines = article_lines(source);
    let mut articles = BTreeMap::new();
    for (number, a) in raw.articles {
        let line = article_lines.get(&number).copied().unwrap_or(0);
        if number == 0 || number > raw.articles_total {
            problems.push((
                line,
                format!(
                    "article {number} is out of range: the law has articles 1 to {} (articles_total)",
                    raw.articles_total
                ),
            ));
            continue;
        }
        let paragraphs = lines_of(&a.text);
        if paragraphs.is_empty() {
            problems.push((line, format!("article {number} has no text")));
            continue;
        }
        let label = |l: Option<String>| l.map(|l| l.trim().to_string()).filter(|l| !l.is_empty());
        articles.insert(
            number,
            StatuteArticle {
                number,
                part: label(a.part),
                chapter: label(a.chapter),
                section: label(a.section),
                paragraphs,
            },
        );
    }
    if !problems.is_empty() {
        problems.sort();
        return Err(problems);
    }
    Ok(Law {
        key: key.to_string(),
        origin: Origin::Site,
        name,
        short,
        aliases,
        effective: raw.effective.trim().to_string(),
        history,
        articles_total: raw.articles_total,
        preamble: lines_of(&raw.preamble),
        articles,
    })
}

/// A text's non-empty lines, trimmed: one per 款 (or paragraph).
fn lines_of(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

/// serde_yaml's message without its own " at line X column Y" (the line is
/// reported separately).
fn yaml_message(e: &serde_yaml::Error) -> String {
    let m = e.to_string();
    match m.find(" at line ") {
        Some(i) => m[..i].to_string(),
        None => m,
    }
}

pub(crate) fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

pub(crate) fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> { s.get(r)?.parse().ok() };
    matches!(
        (num(0..4), num(5..7), num(8..10)),
        (Some(_), Some(1..=12), Some(1..=31))
    ) && b
        .iter()
        .enumerate()
        .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// The line of a top-level `key:` (1-based), or 0.
fn line_of_key(source: &str, key: &str) -> usize {
    source
        .lines()
        .position(|l| {
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map_or(0, |i| i + 1)
}

/// The lines (1-based) of the items (`- …`) of the top-level list `key:`,
/// in order; empty when there is none.
fn item_lines(source: &str, key: &str) -> Vec<usize> {
    let start = line_of_key(source, key);
    if start == 0 {
        return Vec::new();
    }
    let mut lines = Vec::new();
    for (i, l) in source.lines().enumerate().skip(start) {
        let t = l.trim_start();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if t.len() == l.len() && !t.starts_with('-') {
            break; // the next top-level key
        }
        if t == "-" || t.starts_with("- ") {
            lines.push(i + 1);
        }
    }
    lines
}

/// The line (1-based) of each `  1042:` under `articles:`, read in one
/// pass: looking each article up from the top made a law of many articles
/// quadratic.
fn article_lines(source: &str) -> HashMap<u32, usize> {
    let start = line_of_key(source, "articles");
    let mut lines = HashMap::new();
    for (i, l) in source.lines().enumerate().skip(start) {
        let t = l.trim_start();
        let digits = t.bytes().take_while(u8::is_ascii_digit).count();
        if t.len() == l.len() || digits == 0 || !t[digits..].trim_start().starts_with(':') {
            continue;
        }
        if let Ok(number) = t[..digits].parse::<u32>() {
            lines.entry(number).or_insert(i + 1);
        }
    }
    lines
}

/// The line of the `nth` (1-based) `  1042:` under `articles:`, or 0.
fn line_of_article_nth(source: &str, number: u32, nth: usize) -> usize {
    let start = line_of_key(source, "articles");
    let wanted = number.to_string();
    source
        .lines()
        .enumerate()
        .skip(start)
        .filter(|(_, l)| {
            let t = l.trim_start();
            t.len() < l.len()
                && t.strip_prefix(wanted.as_str())
                    .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .nth(nth - 1)
        .map_or(0, |(i, _)| i + 1)
}

/// An alias as citations use it: trimmed, without 《》.
pub(crate) fn bare_alias(a: &str) -> &str {
    a.trim()
        .trim_start_matches('《')
        .trim_end_matches('》')
        .trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "\
name: 中华人民共和国反家庭暴力法
short: 反家庭暴力法
aliases: [《反家暴法》, 反家庭暴力法]
effective: 2016-03-01
articles_total: 38
articles:
  2:
    chapter: 第一章 总则
    text: |
      本法所称家庭暴力，是指……
  3:
    text: |
      家庭成员之间应当互相帮助。

      反家庭暴力是国家、社会和每个家庭的共同责任。
";

    fn problems(source: &str) -> Vec<(usize, String)> {
        parse("x", source).expect_err("should fail")
    }

    #[test]
    fn reads_a_law() {
        let law = parse("fanjiabaofa", GOOD).unwrap();
        assert_eq!(law.name, "中华人民共和国反家庭暴力法");
        assert_eq!(
            law.aliases,
            ["反家暴法", "反家庭暴力法", "中华人民共和国反家庭暴力法"]
        );
        assert_eq!(law.articles_total, 38);
        assert_eq!(law.effective, "2016-03-01");
        let a3 = &law.articles[&3];
        assert_eq!(
            a3.paragraphs,
            [
                "家庭成员之间应当互相帮助。",
                "反家庭暴力是国家、社会和每个家庭的共同责任。"
            ]
        );
        assert_eq!(a3.chapter, None);
        assert_eq!(law.articles[&2].chapter.as_deref(), Some("第一章 总则"));
    }

    #[test]
    fn text_that_is_not_a_string_is_reported_at_its_line() {
        let source = GOOD.replace(
            "    text: |\n      本法所称家庭暴力，是指……\n",
            "    text: [一, 二]\n",
        );
        let p = problems(&source);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].0, 9, "{p:?}");
        assert!(p[0].1.contains("expected the article's text"), "{p:?}");
        for not_text in ["123", "true", "{ a: 1 }"] {
            let source = GOOD.replace(
                "    text: |\n      本法所称家庭暴力，是指……\n",
                &format!("    text: {not_text}\n"),
            );
            let p = problems(&source);
            assert_eq!(p[0].0, 9, "{p:?}");
            assert!(p[0].1.starts_with("articles.2.text: invalid type"), "{p:?}");
        }
    }

    #[test]
    fn unknown_field_is_reported_at_its_line() {
        let source = GOOD.replace("    chapter:", "    chaptre:");
        let p = problems(&source);
        assert_eq!(p[0].0, 8, "{p:?}");
        assert!(p[0].1.contains("unknown field `chaptre`"), "{p:?}");
    }

    #[test]
    fn missing_field_is_reported() {
        let source = GOOD.replace("articles_total: 38\n", "");
        let p = problems(&source);
        assert!(p[0].1.contains("missing field `articles_total`"), "{p:?}");
    }

    #[test]
    fn article_out_of_range_and_empty_text() {
        let source = GOOD.replace("  3:\n", "  39:\n").replace(
            "  2:\n    chapter: 第一章 总则\n    text: |\n      本法所称家庭暴力，是指……\n",
            "  2:\n    text: \"  \"\n",
        );
        let p = problems(&source);
        assert_eq!(p.len(), 2, "{p:?}");
        assert_eq!(p[0], (7, "article 2 has no text".to_string()));
        assert_eq!(p[1].0, 9);
        assert!(p[1].1.starts_with("article 39 is out of range"), "{p:?}");
    }

    #[test]
    fn the_same_article_twice() {
        let source = format!("{GOOD}  2:\n    text: 又一遍\n");
        let p = problems(&source);
        assert_eq!(p, [(16, "article 2 appears twice".to_string())]);
    }

    #[test]
    fn bad_date_and_this_law() {
        let source = GOOD
            .replace("2016-03-01", "2016年3月1日")
            .replace("[《反家暴法》, 反家庭暴力法]", "[本法]");
        let p = problems(&source);
        assert_eq!(p.len(), 2, "{p:?}");
        assert_eq!(p[0].0, 3);
        assert!(p[0].1.contains("本法"), "{p:?}");
        assert_eq!(p[1].0, 4);
        assert!(p[1].1.contains("YYYY-MM-DD"), "{p:?}");
    }

    #[test]
    fn yaml_syntax_error_has_a_line() {
        let source = GOOD.replace("short: 反家庭暴力法", "short: [反家庭暴力法");
        let p = problems(&source);
        assert!(p[0].0 >= 2, "{p:?}");
    }

    #[test]
    fn parts_sections_history_and_preamble() {
        let source = GOOD
            .replace(
                "    chapter: 第一章 总则\n",
                "    part: 第一编 总则\n    chapter: 第一章 总则\n    section: \" 第一节 一般规定 \"\n",
            )
            .replace(
                "articles_total: 38\n",
                "history:\n  - { date: 2015-12-27, event: 通过 }\n  - date: 2016-01-01\n    event: 修正\narticles_total: 38\npreamble: |\n  第一段。\n\n  第二段。\n",
            );
        let law = parse("fanjiabaofa", &source).unwrap();
        let a2 = &law.articles[&2];
        assert_eq!(a2.part.as_deref(), Some("第一编 总则"));
        assert_eq!(a2.section.as_deref(), Some("第一节 一般规定"));
        assert_eq!(law.articles[&3].part, None);
        assert_eq!(
            law.history,
            [
                Event {
                    date: "2015-12-27".into(),
                    event: super::super::EventKind::Adopted
                },
                Event {
                    date: "2016-01-01".into(),
                    event: super::super::EventKind::Amended
                }
            ]
        );
        assert_eq!(law.preamble, ["第一段。", "第二段。"]);
        assert_eq!(law.origin, Origin::Site);
        // Templates see the events in Chinese.
        assert_eq!(
            serde_json::to_string(&law.history[0]).unwrap(),
            r#"{"date":"2015-12-27","event":"通过"}"#
        );

        // Files without them still load (GOOD has none).
        let law = parse("fanjiabaofa", GOOD).unwrap();
        assert!(law.history.is_empty() && law.preamble.is_empty());
    }

    #[test]
    fn history_problems_are_reported_at_their_item() {
        let source = GOOD.replace(
            "articles_total: 38\n",
            "history:\n  - { date: 2016-01-01, event: 通过 }\n  # a comment\n  - { date: 2015-12-27, event: 修正 }\n  - { date: 2015年, event: 修订 }\narticles_total: 38\n",
        );
        assert_eq!(
            problems(&source),
            [
                (
                    8,
                    "history is oldest first, but 2015-12-27 comes after 2016-01-01".to_string()
                ),
                (
                    9,
                    "`date: 2015年` in history is not a date: write it as YYYY-MM-DD, e.g. 2020-10-17"
                        .to_string()
                ),
            ]
        );
        let source = GOOD.replace(
            "articles_total: 38\n",
            "history:\n  - { date: 2016-01-01, event: 修改 }\narticles_total: 38\n",
        );
        let p = problems(&source);
        assert_eq!(p[0].0, 6, "{p:?}");
        assert!(
            p[0].1
                .contains("unknown variant `修改`, expected one of `通过`, `修订`, `修正`, `公布`"),
            "{p:?}"
        );
    }

    #[test]
    fn a_site_file_adds_a_law_or_replaces_the_library_s() {
        let library_law = |key: &str, source: &str| {
            let mut law = parse(key, source).unwrap();
            law.origin = Origin::Library;
            law
        };
        let library = [
            library_law("fanjiabaofa", GOOD),
            library_law(
                "yifa",
                "name: 中华人民共和国乙法\nshort: 乙法\neffective: 2020-01-01\narticles_total: 3\n",
            ),
        ];
        let dir = tempfile::tempdir().unwrap();
        // No folder: the library.
        assert_eq!(load(dir.path(), 1 << 24, &library).unwrap(), library);

        // A file of the library's key replaces its law; another adds one.
        let folder = dir.path().join(FOLDER);
        std::fs::create_dir(&folder).unwrap();
        let own = GOOD.replace("articles_total: 38", "articles_total: 39");
        std::fs::write(folder.join("fanjiabaofa.yaml"), &own).unwrap();
        std::fs::write(
            folder.join("a-law.yaml"),
            "name: 甲法\nshort: 甲法\neffective: 2020-01-01\narticles_total: 3\n",
        )
        .unwrap();
        let laws = load(dir.path(), 1 << 24, &library).unwrap();
        let shown: Vec<(&str, Origin, u32)> = laws
            .iter()
            .map(|l| (l.key.as_str(), l.origin, l.articles_total))
            .collect();
        assert_eq!(
            shown,
            [
                ("a-law", Origin::Site, 3),
                ("fanjiabaofa", Origin::Site, 39),
                ("yifa", Origin::Library, 3)
            ]
        );

        // A site law may not take a name of a library law it does not replace.
        std::fs::write(
            folder.join("b-law.yaml"),
            "name: 丙法\nshort: 丙法\naliases: [乙法]\neffective: 2020-01-01\narticles_total: 3\n",
        )
        .unwrap();
        let errors = load(dir.path(), 1 << 24, &library).unwrap_err();
        let shown: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(
            shown,
            [
                "statutes/b-law.yaml:3: `乙法` already names 《中华人民共和国乙法》 in pufa's law library: to replace that law, name this file yifa.yaml; to add another law, take `乙法` out of its names"
            ]
        );
        // Replacing it frees its names.
        std::fs::rename(folder.join("b-law.yaml"), folder.join("yifa.yaml")).unwrap();
        let laws = load(dir.path(), 1 << 24, &library).unwrap();
        assert_eq!(laws.len(), 3);
        assert_eq!(laws[2].name, "丙法");
    }

    #[test]
    fn loading_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        // No folder: no laws (besides the library's, none here).
        assert!(load(dir.path(), 1 << 24, &[]).unwrap().is_empty());
        let folder = dir.path().join(FOLDER);
        std::fs::create_dir(&folder).unwrap();
        std::fs::write(folder.join("fanjiabaofa.yaml"), GOOD).unwrap();
        std::fs::write(folder.join("README.txt"), "ignored").unwrap();
        std::fs::write(
            folder.join("a-law.yaml"),
            "name: 甲法\nshort: 甲法\neffective: 2020-01-01\narticles_total: 3\n",
        )
        .unwrap();
        let laws = load(dir.path(), 1 << 24, &[]).unwrap();
        assert_eq!(
            laws.iter().map(|l| l.key.as_str()).collect::<Vec<_>>(),
            ["a-law", "fanjiabaofa"]
        );

        // Every file's problems at once, with paths relative to the root.
        std::fs::write(folder.join("Bad Name.yaml"), GOOD).unwrap();
        std::fs::write(folder.join("copy.yaml"), GOOD).unwrap();
        std::fs::write(folder.join("latin1.yaml"), b"name: \xe9\n").unwrap();
        std::fs::write(
            folder.join("zzz.yaml"),
            "name: 乙法\nshort: 乙法\neffective: 2020-01-01\narticles_total: 3\narticles:\n  1:\n    text: 一\n  1:\n    text: 二\n",
        )
        .unwrap();
        let errors = load(dir.path(), 1 << 24, &[]).unwrap_err();
        let shown: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(errors.len(), 6, "{shown:#?}");
        assert!(
            shown[0].starts_with("statutes/Bad Name.yaml: the file name"),
            "{shown:#?}"
        );
        // copy.yaml repeats all three names of fanjiabaofa.yaml.
        assert!(shown[1].starts_with("statutes/fanjiabaofa.yaml:3: `反家暴法` already names the law in statutes/copy.yaml"), "{shown:#?}");
        assert!(
            shown[4].starts_with("statutes/latin1.yaml: the file is not UTF-8"),
            "{shown:#?}"
        );
        assert!(
            shown[5].contains("statutes/zzz.yaml:") && shown[5].contains("article 1 appears twice"),
            "{shown:#?}"
        );
    }
}
