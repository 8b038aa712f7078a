//! `pufa statutes import`: a law's official text in the LawRefBook Markdown
//! layout → the YAML of `statutes/<key>.yaml`.
//!
//! The layout (the public LawRefBook/Laws collection of the texts of the
//! national law database):
//!
//! ```text
//! # 中华人民共和国未成年人保护法        the law's full name
//! # 婚姻家庭编                         (a file holding one part: the part)
//! 1991年9月4日 第七届……会议通过          adoption lines: a date, what happened
//! 2020年10月17日 ……第二次修订
//! <!-- INFO END -->                    the end of the adoption lines
//! ## 序言                              (the 宪法: its preamble, paragraphs)
//! ## 第一章 总 则                       第X编 and 第X章 headings; 第X节 under ###
//! 第一条 为了保护未成年人……              an article: 第X条, a space, its first 款
//! 未成年人依法平等地……                  every further line: a 款 or a 项 of it
//! （一）给予未成年人特殊、优先保护；
//! ```
//!
//! What the importer does with it:
//!
//! - Each non-blank line is one paragraph (款 or 项), as the collection
//!   writes them; lines are never joined. Whole-line HTML comments
//!   (`<!-- FORCE BREAK -->` in the 宪法's preamble) are not text.
//! - Zero-width characters (U+200B–U+200D, U+2060, U+FEFF) are dropped
//!   everywhere: they are invisible leftovers that would stop a citation
//!   or a search from matching. Whitespace (ASCII, full-width U+3000, en
//!   spaces U+2002 …) around a line, and between 第X条 and its text, is
//!   layout; inside an article's text nothing else is changed.
//! - Headings are normalised to `第一章 一般规定`: the number, one space,
//!   the title. The collection spaces titles out (`## 第一章  一般规定`
//!   with two en spaces, `## 第一章 总 则`, `### 第二节  监  护`), so
//!   whitespace between two Chinese characters is dropped and any other run
//!   of whitespace becomes one space. The label (第X编, 第X章, 第X节), not
//!   the number of `#`s, says what a heading is.
//! - The 民法典 comes as one file per part, headed `# 中华人民共和国民法典`
//!   then `# 婚姻家庭编`; such a part is named as the code numbers it
//!   (`第五编 婚姻家庭`, from [`CIVIL_CODE_PARTS`]). Several files of one
//!   law are merged in the order of their articles.
//! - `history` comes from the adoption lines: 修订 (revised), else 修正
//!   (amended, also by a 宪法修正案), else 通过 (adopted), else 公布
//!   (published). `effective` is the date of the article saying
//!   本法自…起施行 (the text in force, not a later amendment); without one,
//!   the date of an adoption line saying 施行 (the 民法典's parts,
//!   the 宪法's 公告公布施行).
//!
//! Text it cannot place is an error naming its file and line: text before
//! the first article that is neither an adoption line nor under 序言, an
//! article out of order or repeated, a gap in the numbers, an article
//! without text. Nothing is written then. The YAML made is read back with
//! the site's own reader before it is handed out, so what is written loads.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use super::numerals::{article_label, chinese_number, parse_chinese_number};
use super::{Event, EventKind, Law, StatuteArticle, data};
use crate::diagnostics::Diagnostic;

/// The 民法典's parts (编) in order: `# 婚姻家庭编` in its files is
/// `第五编 婚姻家庭`.
pub const CIVIL_CODE_PARTS: [&str; 7] = [
    "总则",
    "物权",
    "合同",
    "人格权",
    "婚姻家庭",
    "侵权责任",
    "继承",
];

const CIVIL_CODE: &str = "中华人民共和国民法典";

/// One Markdown file of a law.
pub struct Source {
    /// As the messages show it (as given on the command line).
    pub path: PathBuf,
    pub text: String,
}

/// What the command line says beyond the files.
#[derive(Debug, Default)]
pub struct Options {
    /// The law's key (its file name without `.yaml`); only checked, since
    /// the file name is the key. `law` when not given.
    pub key: Option<String>,
    /// The usual short name; default: the name without 中华人民共和国.
    pub short: Option<String>,
    /// More names citations use (`反家暴法`), besides the name and short name.
    pub aliases: Vec<String>,
    /// The law's last article, when the files hold only some of its parts
    /// (民法典: 1260); default: the last article of the text.
    pub articles_total: Option<u32>,
    /// `YYYY-MM-DD`, when the text does not say when it took effect.
    pub effective: Option<String>,
}

/// Whether `key` may name a law (`minfadian`): it is used in URLs.
pub fn is_key(key: &str) -> bool {
    data::is_slug(key)
}

impl Options {
    /// What is wrong with the options themselves, in words for the
    /// command line: (English, Chinese).
    pub fn check(&self) -> Result<(), (String, String)> {
        let said = |en: String, zh: String| Err((en, zh));
        if let Some(key) = &self.key
            && !data::is_slug(key)
        {
            return said(
                format!(
                    "--key {key}: a key is used in URLs, use only a-z, 0-9 and - (e.g. minfadian)"
                ),
                format!("--key {key}：键名用在网址里，只能用 a-z、0-9 和 -（例如 minfadian）"),
            );
        }
        if let Some(date) = &self.effective
            && !data::is_date(date)
        {
            return said(
                format!("--effective {date}: write the date as YYYY-MM-DD, e.g. 2021-01-01"),
                format!("--effective {date}：日期请写成 YYYY-MM-DD，例如 2021-01-01"),
            );
        }
        if self.short.as_deref().is_some_and(|s| s.trim().is_empty()) {
            return said("--short is empty".into(), "--short 简称不能为空".into());
        }
        for a in &self.aliases {
            let bare = data::bare_alias(a);
            if bare.is_empty() {
                return said("--alias is empty".into(), "--alias 别名不能为空".into());
            }
            if data::NOT_ALIASES.contains(&bare) {
                return said(
                    format!(
                        "--alias {bare}: it means \"this law\" inside any law, so it cannot name one"
                    ),
                    format!("--alias {bare}：“{bare}”在任何法律里都指“本法”，不能作为别名"),
                );
            }
        }
        if self.articles_total == Some(0) {
            return said(
                "--articles-total is the number of the law's last article; it cannot be 0".into(),
                "--articles-total 是这部法律最后一条的条号，不能为 0".into(),
            );
        }
        Ok(())
    }
}

/// A law read from its Markdown files.
#[derive(Debug)]
pub struct Imported {
    /// As pufa loads the YAML.
    pub law: Law,
    /// The text of `statutes/<key>.yaml`.
    pub yaml: String,
}

/// Reads the files of one law (one file, or one per part) into its YAML.
/// Every problem of every file at once.
pub fn import(sources: &[Source], options: &Options) -> Result<Imported, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let mut files: Vec<File> = sources
        .iter()
        .map(|s| parse_file(&s.path, &s.text, &mut problems))
        .collect();
    let Some(first) = files.first() else {
        return Err(vec![
            Diagnostic::error("", "no file to import").zh("没有要导入的文件"),
        ]);
    };
    if first.title.is_empty() {
        return Err(problems);
    }
    let name = first.title.clone();
    let name_from = first.path.clone();
    for f in &files[1..] {
        if !f.title.is_empty() && f.title != name {
            problems.push(
                problem(
                    &f.path,
                    f.title_line,
                    format!(
                        "this file holds 《{}》 but {} holds 《{name}》: the files of one import must be parts of one law",
                        f.title,
                        name_from.display()
                    ),
                    format!(
                        "这个文件是《{}》，而 {} 是《{name}》：一次导入的几个文件必须是同一部法律的几个部分",
                        f.title,
                        name_from.display()
                    ),
                )
                .hint("import each law on its own")
                .hint_zh("每部法律单独导入"),
            );
        }
    }
    for f in &files {
        if f.complete && f.articles.is_empty() {
            problems.push(
                problem(
                    &f.path,
                    0,
                    "the file has no article (no line starting 第一条, 第二条, …)".into(),
                    "文件里没有条文（没有以“第一条”“第二条”……开头的行）".into(),
                )
                .hint("articles are lines like `第一条 为了……`, after `<!-- INFO END -->`")
                .hint_zh("条文是“第一条 为了……”这样的行，写在「<!-- INFO END -->」之后"),
            );
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }

    // Parts of one law, in the order of their articles, none overlapping.
    files.sort_by_key(|f| f.articles[0].0.number);
    for pair in files.windows(2) {
        let (before, after) = (&pair[0], &pair[1]);
        let (last, _) = before.articles.last().expect("checked above");
        let (next, line) = &after.articles[0];
        if next.number <= last.number {
            problems.push(problem(
                &after.path,
                *line,
                format!(
                    "{} overlaps {}, which goes on to {}: the files must hold different articles",
                    article_label(next.number),
                    before.path.display(),
                    article_label(last.number)
                ),
                format!(
                    "{}与 {} 重叠（那个文件一直到{}）：几个文件的条文不能重复",
                    article_label(next.number),
                    before.path.display(),
                    article_label(last.number)
                ),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }

    let mut history: Vec<Event> = Vec::new();
    for f in &files {
        for (event, _) in &f.history {
            if !history.contains(event) {
                history.push(event.clone());
            }
        }
    }
    history.sort_by(|a, b| a.date.cmp(&b.date));

    let (effective, effective_note) = match effective(&files, &history, options) {
        Ok(found) => found,
        Err(d) => return Err(vec![d]),
    };

    let mut articles: BTreeMap<u32, StatuteArticle> = BTreeMap::new();
    let mut preamble = Vec::new();
    for f in &mut files {
        preamble.append(&mut f.preamble);
        for (a, _) in f.articles.drain(..) {
            articles.insert(a.number, a);
        }
    }
    let last = *articles.keys().next_back().expect("checked above");
    let articles_total = options.articles_total.unwrap_or(last);
    if articles_total < last {
        let f = files.last().expect("checked above");
        return Err(vec![
            problem(
                &f.path,
                0,
                format!(
                    "--articles-total {articles_total} is less than the text's last article, {}",
                    article_label(last)
                ),
                format!(
                    "--articles-total {articles_total} 小于文本的最后一条（{}）",
                    article_label(last)
                ),
            )
            .hint("give the number of the law's last article, or leave --articles-total out")
            .hint_zh("请给出这部法律最后一条的条号，或者去掉 --articles-total"),
        ]);
    }
    let short = match options.short.as_deref() {
        Some(short) => short.trim().to_string(),
        None => name
            .strip_prefix("中华人民共和国")
            .filter(|s| !s.is_empty())
            .unwrap_or(&name)
            .to_string(),
    };
    let mut aliases: Vec<String> = Vec::new();
    let given = options.aliases.iter().map(|a| a.trim());
    for a in [name.as_str(), short.as_str()].into_iter().chain(given) {
        if !aliases.iter().any(|x| x == a) {
            aliases.push(a.to_string());
        }
    }

    let made = Made {
        name,
        short,
        aliases,
        effective,
        effective_note,
        history,
        articles_total,
        preamble,
        articles,
    };
    let names: Vec<String> = sources
        .iter()
        .map(|s| {
            s.path.file_name().map_or_else(
                || s.path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            )
        })
        .collect();
    let yaml = made.yaml(&names);
    let key = options.key.as_deref().unwrap_or("law");
    let law = read_back(key, &yaml, &made, &sources[0].path)?;
    Ok(Imported { law, yaml })
}

/// What one file gave.
struct File {
    path: PathBuf,
    /// The law's name (`# 中华人民共和国民法典`); empty when the file does
    /// not start with one.
    title: String,
    title_line: usize,
    /// Whether the file was read to its end (not stopped at a problem that
    /// would make the rest meaningless).
    complete: bool,
    /// The adoption lines' events, with their lines.
    history: Vec<(Event, usize)>,
    /// Adoption lines that say 施行: (date, the line, its number).
    in_force: Vec<(String, String, usize)>,
    preamble: Vec<String>,
    /// Articles with the line of their 第X条.
    articles: Vec<(StatuteArticle, usize)>,
}

#[derive(PartialEq)]
enum Phase {
    /// Before `# 法律全称`.
    Title,
    /// The adoption lines, before `<!-- INFO END -->`.
    Info,
    /// Headings and articles.
    Body,
}

fn parse_file(path: &Path, text: &str, problems: &mut Vec<Diagnostic>) -> File {
    let mut file = File {
        path: path.to_path_buf(),
        title: String::new(),
        title_line: 0,
        complete: false,
        history: Vec::new(),
        in_force: Vec::new(),
        preamble: Vec::new(),
        articles: Vec::new(),
    };
    let mut phase = Phase::Title;
    let mut part: Option<String> = None;
    let mut chapter: Option<String> = None;
    let mut section: Option<String> = None;
    let mut has_part = false;
    let mut in_preamble = false;
    // Article number → the line of its 第X条.
    let mut seen: HashMap<u32, usize> = HashMap::new();
    // The last article's number and line.
    let mut last: Option<(u32, usize)> = None;
    let mut lines = 0;
    let first_problem = problems.len();
    for (i, raw) in text.split('\n').enumerate() {
        let line = i + 1;
        lines = line;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let clean = without_invisibles(raw);
        if let Some(c) = clean.chars().find(|&c| unwritable(c)) {
            problems.push(problem(
                path,
                line,
                format!(
                    "the line holds the control character U+{:04X}, which is not text",
                    c as u32
                ),
                format!("这一行有控制字符 U+{:04X}，不是正文", c as u32),
            ));
        }
        let t = clean.trim();
        if t.is_empty() {
            continue;
        }
        match phase {
            Phase::Title => match heading(t) {
                Some((1, title)) if !title.is_empty() => {
                    file.title = normalise(title);
                    file.title_line = line;
                    phase = Phase::Info;
                }
                _ => {
                    problems.push(
                        problem(
                            path,
                            line,
                            "a law's text starts with its full name as a `# ` heading".into(),
                            "法律文本的第一行应当是以「# 」开头的法律全称".into(),
                        )
                        .hint("e.g. `# 中华人民共和国反家庭暴力法`")
                        .hint_zh("例如「# 中华人民共和国反家庭暴力法」"),
                    );
                    return file;
                }
            },
            Phase::Info => {
                if is_info_end(t) {
                    phase = Phase::Body;
                } else if is_comment(t) {
                    continue;
                } else if let Some((1, title)) = heading(t) {
                    part = Some(part_name(title, &file.title));
                    has_part = true;
                } else if heading(t).is_some() || article_start(t).is_some() {
                    problems.push(no_info_end(path, line));
                    return file;
                } else if let Some((date, rest)) = dated(t) {
                    let kind = event_kind(rest);
                    let in_force = rest.contains("施行");
                    if let Some(event) = kind {
                        file.history.push((
                            Event {
                                date: date.clone(),
                                event,
                            },
                            line,
                        ));
                    }
                    if in_force {
                        file.in_force.push((date, t.to_string(), line));
                    }
                    if kind.is_none() && !in_force {
                        problems.push(
                            problem(
                                path,
                                line,
                                "cannot tell what this adoption line says happened: it names none of 通过, 修订, 修正, 公布, 施行".into(),
                                "看不出这一行说的是什么：它没有“通过”“修订”“修正”“公布”“施行”中的任何一个".into(),
                            ),
                        );
                    }
                }
                // Other lines above the marker are notes about the text.
            }
            Phase::Body => {
                if is_comment(t) {
                    continue;
                }
                if let Some((level, title)) = heading(t) {
                    let title = normalise(title);
                    if level == 1 {
                        part = Some(part_name(&title, &file.title));
                        (chapter, section, has_part, in_preamble) = (None, None, true, false);
                        continue;
                    }
                    match label(&title) {
                        Some((Unit::Part, _, _)) => {
                            part = Some(title);
                            (chapter, section, has_part, in_preamble) = (None, None, true, false);
                        }
                        Some((Unit::Chapter, _, _)) => {
                            chapter = Some(title);
                            (section, in_preamble) = (None, false);
                        }
                        Some((Unit::Section, _, _)) => {
                            section = Some(title);
                            in_preamble = false;
                        }
                        Some((Unit::SubPart, _, _)) => problems.push(problem(
                            path,
                            line,
                            format!("`{title}`: pufa's law files have no place for a 分编 yet"),
                            format!("「{title}」：pufa 的法律数据还不能记录“分编”"),
                        )),
                        None if title == "序言" && file.articles.is_empty() => in_preamble = true,
                        None => problems.push(
                            problem(
                                path,
                                line,
                                format!("cannot place the heading `{title}`: pufa reads 第X编, 第X章 and 第X节, and 序言 before the first article"),
                                format!("无法归入标题“{title}”：pufa 只认“第X编”“第X章”“第X节”，以及第一条之前的“序言”"),
                            ),
                        ),
                    }
                    continue;
                }
                let expected = last.map_or(1, |(l, _)| l + 1);
                let (n, rest) = match article_start(t) {
                    Some(Start::Article(n, rest)) => (n, rest),
                    Some(Start::NoSpace(n, rest)) if n == expected => {
                        problems.push(
                            problem(
                                path,
                                line,
                                format!("`{}` runs into its text: an article starts with 第X条 and a space", article_label(n)),
                                format!("“{}”与正文连在一起：条文应当以“第X条”加一个空格开头", article_label(n)),
                            )
                            .hint(format!("write `{} ` and then the text", article_label(n)))
                            .hint_zh(format!("写成“{} ”再接正文", article_label(n))),
                        );
                        (n, rest)
                    }
                    Some(Start::Inserted(n)) => {
                        problems.push(problem(
                            path,
                            line,
                            format!("an article inserted as {}之一: pufa's law files number articles 1, 2, 3 … and have no place for it yet", article_label(n)),
                            format!("“{}之一”这样插入的条文：pufa 的法律数据按 1、2、3……编号，还不能记录它", article_label(n)),
                        ));
                        continue;
                    }
                    // A paragraph that starts by citing an article.
                    Some(Start::NoSpace(..)) | None => {
                        if in_preamble {
                            file.preamble.push(t.to_string());
                        } else if let Some((article, _)) = file.articles.last_mut() {
                            article.paragraphs.push(t.to_string());
                        } else {
                            problems.push(
                                problem(
                                    path,
                                    line,
                                    "text before the first article that pufa cannot place".into(),
                                    "第一条之前有无法归类的文字".into(),
                                )
                                .hint("adoption lines go above `<!-- INFO END -->`; a preamble goes under a `## 序言` heading")
                                .hint_zh("通过、修改的记载写在「<!-- INFO END -->」之上；序言写在「## 序言」标题之下"),
                            );
                        }
                        continue;
                    }
                };
                // After a number out of place, the next is expected to follow
                // the one this should have been, so one slip is one error.
                let mut taken = n;
                if let Some(&first) = seen.get(&n) {
                    problems.push(problem(
                        path,
                        line,
                        format!("{} appears twice: first at line {first}", article_label(n)),
                        format!("{}出现了两次：第一次在第 {first} 行", article_label(n)),
                    ));
                    taken = expected;
                } else if let Some((l, at)) = last.filter(|&(l, _)| n < l) {
                    problems.push(problem(
                        path,
                        line,
                        format!(
                            "{} is out of order: it comes after {} (line {at})",
                            article_label(n),
                            article_label(l),
                        ),
                        format!(
                            "{}的顺序不对：它排在{}（第 {at} 行）之后",
                            article_label(n),
                            article_label(l),
                        ),
                    ));
                    taken = expected;
                } else if let Some((l, _)) = last.filter(|&(l, _)| n > l + 1) {
                    let missing = if n == l + 2 {
                        article_label(l + 1)
                    } else {
                        format!("{}至{}", article_label(l + 1), article_label(n - 1))
                    };
                    problems.push(problem(
                        path,
                        line,
                        format!(
                            "{} follows {}: {missing} is missing",
                            article_label(n),
                            article_label(l)
                        ),
                        format!(
                            "{}紧接在{}之后：缺了{missing}",
                            article_label(n),
                            article_label(l)
                        ),
                    ));
                } else if last.is_none() && n != 1 && !has_part {
                    problems.push(
                        problem(
                            path,
                            line,
                            format!("the text starts at {}: a law starts at 第一条", article_label(n)),
                            format!("文本从{}开始：一部法律应当从第一条开始", article_label(n)),
                        )
                        .hint("a file holding one part of a law names the part in a `# ` heading after the law's name, e.g. `# 婚姻家庭编`")
                        .hint_zh("只含法律一个部分的文件，要在法律全称之后用「# 」标题写出这一部分，例如「# 婚姻家庭编」"),
                    );
                }
                seen.entry(n).or_insert(line);
                last = Some((taken, line));
                in_preamble = false;
                let paragraphs = if rest.is_empty() {
                    Vec::new()
                } else {
                    vec![rest.to_string()]
                };
                file.articles.push((
                    StatuteArticle {
                        number: n,
                        part: part.clone(),
                        chapter: chapter.clone(),
                        section: section.clone(),
                        paragraphs,
                    },
                    line,
                ));
            }
        }
    }
    match phase {
        Phase::Body => file.complete = true,
        Phase::Info => problems.push(no_info_end(path, lines)),
        Phase::Title => problems.push(problem(
            path,
            0,
            "the file is empty".into(),
            "文件是空的".into(),
        )),
    }
    for (article, line) in &file.articles {
        if article.paragraphs.is_empty() {
            problems.push(problem(
                path,
                *line,
                format!("{} has no text", article_label(article.number)),
                format!("{}没有内容", article_label(article.number)),
            ));
        }
    }
    problems[first_problem..].sort_by_key(|d| d.line);
    file
}

/// An error at `line` of `path` (0: the whole file).
fn problem(path: &Path, line: usize, message: String, message_zh: String) -> Diagnostic {
    let d = Diagnostic::error(path, message).zh(message_zh);
    if line > 0 { d.at(line, 1) } else { d }
}

fn no_info_end(path: &Path, line: usize) -> Diagnostic {
    problem(
        path,
        line,
        "no `<!-- INFO END -->` line: it ends the adoption lines, before the first heading or article".into(),
        "没有「<!-- INFO END -->」这一行：它写在通过、修改的记载之后，第一个标题或条文之前".into(),
    )
}

/// The line without zero-width characters.
fn without_invisibles(line: &str) -> std::borrow::Cow<'_, str> {
    const INVISIBLE: [char; 5] = ['\u{200b}', '\u{200c}', '\u{200d}', '\u{2060}', '\u{feff}'];
    if line.contains(INVISIBLE) {
        line.replace(INVISIBLE, "").into()
    } else {
        line.into()
    }
}

/// Characters no text of a law holds and a YAML file could not carry as
/// written (controls, and line separators YAML would break lines at).
fn unwritable(c: char) -> bool {
    (c.is_control() && c != '\t') || matches!(c, '\u{2028}' | '\u{2029}' | '\u{fffe}' | '\u{ffff}')
}

fn is_comment(t: &str) -> bool {
    t.starts_with("<!--") && t.ends_with("-->")
}

fn is_info_end(t: &str) -> bool {
    is_comment(t) && t[4..t.len() - 3].trim() == "INFO END"
}

/// `## 第一章 总 则` → (2, `第一章 总 则`): a Markdown ATX heading.
fn heading(t: &str) -> Option<(usize, &str)> {
    let level = t.bytes().take_while(|&b| b == b'#').count();
    let rest = &t[level..];
    if level == 0 || level > 6 || !(rest.is_empty() || rest.starts_with(char::is_whitespace)) {
        return None;
    }
    Some((level, rest.trim()))
}

/// Whitespace between two Chinese characters dropped (`总 则` → `总则`),
/// any other run of it made one space, and one space between a heading's
/// label and its title (`第一章一般规定` → `第一章 一般规定`).
fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split(char::is_whitespace).filter(|w| !w.is_empty()) {
        let joins = match (out.chars().next_back(), word.chars().next()) {
            (Some(a), Some(b)) => wide(a) && wide(b),
            _ => true,
        };
        if !out.is_empty() && !joins {
            out.push(' ');
        }
        out.push_str(word);
    }
    match label(&out) {
        Some((_, label, title)) if !title.is_empty() && !title.starts_with(' ') => {
            format!("{label} {title}")
        }
        _ => out,
    }
}

/// A Chinese character, or Chinese or full-width punctuation.
fn wide(c: char) -> bool {
    c >= '\u{2e80}'
}

#[derive(Debug, PartialEq)]
enum Unit {
    /// 编
    Part,
    /// 分编
    SubPart,
    /// 章
    Chapter,
    /// 节
    Section,
}

/// `第五编 婚姻家庭` → (Part, `第五编`, ` 婚姻家庭`).
fn label(text: &str) -> Option<(Unit, &str, &str)> {
    let rest = text.strip_prefix('第')?;
    let digits = numeral_len(rest);
    parse_chinese_number(&rest[..digits])?;
    let after = &rest[digits..];
    let (unit, len) = if after.starts_with("分编") {
        (Unit::SubPart, "分编".len())
    } else {
        match after.chars().next()? {
            '编' => (Unit::Part, '编'.len_utf8()),
            '章' => (Unit::Chapter, '章'.len_utf8()),
            '节' => (Unit::Section, '节'.len_utf8()),
            _ => return None,
        }
    };
    let end = '第'.len_utf8() + digits + len;
    Some((unit, &text[..end], &text[end..]))
}

/// The length in bytes of the Chinese numeral at the start of `s`.
fn numeral_len(s: &str) -> usize {
    s.char_indices()
        .find(|&(_, c)| !"〇零一二三四五六七八九十百千两".contains(c))
        .map_or(s.len(), |(i, _)| i)
}

/// A part's heading as the law numbers it: `# 婚姻家庭编` in the 民法典's
/// files is `第五编 婚姻家庭`; a numbered one (`第五编 婚姻家庭`) stays;
/// another law's unnumbered part stays as written.
fn part_name(title: &str, law: &str) -> String {
    let title = normalise(title);
    if let Some((Unit::Part, _, _)) = label(&title) {
        return title;
    }
    if law == CIVIL_CODE {
        let bare = title.strip_suffix('编').unwrap_or(&title);
        if let Some(i) = CIVIL_CODE_PARTS.iter().position(|p| *p == bare) {
            return format!("第{}编 {bare}", chinese_number(i as u32 + 1));
        }
    }
    title
}

enum Start<'t> {
    /// `第十条 text` (the text may be empty).
    Article(u32, &'t str),
    /// `第十条之一 …`.
    Inserted(u32),
    /// `第十条text`: 第X条 without the space after it.
    NoSpace(u32, &'t str),
}

fn article_start(t: &str) -> Option<Start<'_>> {
    let rest = t.strip_prefix('第')?;
    let digits = numeral_len(rest);
    let n = parse_chinese_number(&rest[..digits])?;
    let after = rest[digits..].strip_prefix('条')?;
    if after.starts_with('之') {
        return Some(Start::Inserted(n));
    }
    match after.chars().next() {
        None => Some(Start::Article(n, "")),
        Some(c) if c.is_whitespace() => Some(Start::Article(n, after.trim_start())),
        Some(_) => Some(Start::NoSpace(n, after)),
    }
}

/// `2020年10月17日 …` (or in brackets, `（2020年10月17日…`) → (`2020-10-17`, `…`).
fn dated(t: &str) -> Option<(String, &str)> {
    let t = t.trim_start_matches(['（', '(']);
    let number = |s: &str| -> Option<(u32, usize)> {
        let len = s.bytes().take_while(u8::is_ascii_digit).count();
        Some((s[..len].parse().ok()?, len))
    };
    let (year, len) = number(t)?;
    let rest = t[len..].strip_prefix('年')?;
    let (month, len) = number(rest)?;
    let rest = rest[len..].strip_prefix('月')?;
    let (day, len) = number(rest)?;
    let rest = rest[len..].strip_prefix('日')?;
    if !(1000..=9999).contains(&year) || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    Some((format!("{year:04}-{month:02}-{day:02}"), rest.trim()))
}

/// What an adoption line says happened; a 修正案 or a decision adopted
/// (通过) amends the law, so 修订 and 修正 come first.
fn event_kind(line: &str) -> Option<EventKind> {
    [
        ("修订", EventKind::Revised),
        ("修正", EventKind::Amended),
        ("通过", EventKind::Adopted),
        ("公布", EventKind::Published),
    ]
    .into_iter()
    .find(|(word, _)| line.contains(word))
    .map(|(_, kind)| kind)
}

/// The date the law took effect, and a note saying where it comes from.
fn effective(
    files: &[File],
    history: &[Event],
    options: &Options,
) -> Result<(String, String), Diagnostic> {
    if let Some(date) = &options.effective {
        return Ok((date.clone(), "given with --effective".into()));
    }
    // The last article saying 本法自…起施行 (the 附则 at the end).
    let mut said: Option<(String, String)> = None;
    for f in files {
        for (a, _) in &f.articles {
            for p in &a.paragraphs {
                let Some(at) = p.find("本法自") else {
                    continue;
                };
                let rest = &p[at + "本法自".len()..];
                let date = if rest.starts_with("公布之日起施行") {
                    match history
                        .iter()
                        .rev()
                        .find(|e| e.event == EventKind::Published)
                    {
                        Some(e) => e.date.clone(),
                        None => {
                            return Err(problem(
                                &f.path,
                                0,
                                format!("{} says the law takes effect when it is published, but no adoption line gives that date", article_label(a.number)),
                                format!("{}说本法自公布之日起施行，但没有哪一行写了公布的日期", article_label(a.number)),
                            )
                            .hint("give the date with --effective YYYY-MM-DD")
                            .hint_zh("请用 --effective YYYY-MM-DD 给出日期"));
                        }
                    }
                } else if let Some((date, _)) =
                    dated(rest).filter(|(_, tail)| tail.starts_with("起施行"))
                {
                    date
                } else {
                    continue;
                };
                said = Some((date, format!("{} “{p}”", article_label(a.number))));
            }
        }
    }
    if let Some((date, note)) = said {
        return Ok((date, note));
    }
    // No such article: an adoption line that says 施行.
    if let Some((date, line, file)) = files
        .iter()
        .flat_map(|f| f.in_force.iter().map(move |(d, l, _)| (d, l, f)))
        .last()
    {
        let name = file.path.file_name().map_or_else(
            || file.path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        return Ok((
            date.clone(),
            format!(
                "no article imported says 本法自…起施行, so the date comes from the adoption line “{line}” ({name})"
            ),
        ));
    }
    let f = &files[0];
    Err(problem(
        &f.path,
        0,
        "cannot tell when the law took effect: no article says 本法自…起施行 and no adoption line says 施行".into(),
        "看不出本法何时施行：没有“本法自……起施行”的条文，也没有哪一行写了施行日期".into(),
    )
    .hint("give the date with --effective YYYY-MM-DD")
    .hint_zh("请用 --effective YYYY-MM-DD 给出日期"))
}

/// The law as the importer made it, before it is written.
struct Made {
    name: String,
    short: String,
    aliases: Vec<String>,
    effective: String,
    effective_note: String,
    history: Vec<Event>,
    articles_total: u32,
    preamble: Vec<String>,
    articles: BTreeMap<u32, StatuteArticle>,
}

impl Made {
    /// The YAML of `statutes/<key>.yaml`, with comments saying where it
    /// comes from (`sources`: the files' names).
    fn yaml(&self, sources: &[String]) -> String {
        let size: usize = self
            .articles
            .values()
            .map(|a| a.paragraphs.iter().map(|p| p.len() + 8).sum::<usize>() + 120)
            .sum();
        let mut out = String::with_capacity(size + 1024);
        let comment = |text: &str| crate::diagnostics::escape_controls(text).into_owned();
        let _ = writeln!(out, "# {}", comment(&self.name));
        let _ = writeln!(
            out,
            "# Made by `pufa statutes import` from {}.",
            comment(&sources.join(", "))
        );
        let _ = writeln!(out, "# effective: {}", comment(&self.effective_note));
        out.push_str("# 每一款（以及每一项）占 text 的一行。\n");
        let _ = writeln!(out, "name: {}", scalar(&self.name, false));
        let _ = writeln!(out, "short: {}", scalar(&self.short, false));
        let aliases: Vec<String> = self.aliases.iter().map(|a| scalar(a, true)).collect();
        let _ = writeln!(out, "aliases: [{}]", aliases.join(", "));
        let _ = writeln!(out, "effective: {}", self.effective);
        if !self.history.is_empty() {
            out.push_str("history:\n");
            for e in &self.history {
                let _ = writeln!(
                    out,
                    "  - {{ date: {}, event: {} }}",
                    e.date,
                    e.event.as_str()
                );
            }
        }
        let _ = writeln!(out, "articles_total: {}", self.articles_total);
        if !self.preamble.is_empty() {
            out.push_str("preamble: |\n");
            for p in &self.preamble {
                let _ = writeln!(out, "  {p}");
            }
        }
        out.push_str("articles:\n");
        for a in self.articles.values() {
            let _ = writeln!(out, "  {}:", a.number);
            for (key, value) in [
                ("part", &a.part),
                ("chapter", &a.chapter),
                ("section", &a.section),
            ] {
                if let Some(value) = value {
                    let _ = writeln!(out, "    {key}: {}", scalar(value, false));
                }
            }
            out.push_str("    text: |\n");
            for p in &a.paragraphs {
                let _ = writeln!(out, "      {p}");
            }
        }
        out
    }
}

/// `text` as a YAML scalar: plain when YAML reads it back as the same
/// string, else double-quoted (JSON's quoting is valid YAML).
fn scalar(text: &str, in_flow: bool) -> String {
    if plain_is_safe(text, in_flow) {
        text.to_string()
    } else {
        serde_json::to_string(text).expect("a string serialises")
    }
}

fn plain_is_safe(text: &str, in_flow: bool) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    let lower = text.to_ascii_lowercase();
    text.trim() == text
        && !"-?:,[]{}#&*!|>'\"%@`".contains(first)
        && !first.is_ascii_digit()
        && !matches!(first, '.' | '+')
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.ends_with(':')
        && !(in_flow && text.contains([',', '[', ']', '{', '}']))
        && !text.chars().any(|c| c.is_control() || unwritable(c))
        && ![
            "true", "false", "yes", "no", "on", "off", "null", "~", "y", "n",
        ]
        .contains(&lower.as_str())
}

/// Reads the YAML made back as a site would and checks it holds what was
/// imported: whatever the importer writes loads, and loads as this law.
fn read_back(key: &str, yaml: &str, made: &Made, path: &Path) -> Result<Law, Vec<Diagnostic>> {
    let bug = |what: String| {
        vec![Diagnostic::error(
            path,
            format!("the YAML made from this text does not read back as the same law ({what}); this is a bug in pufa, please report it"),
        )
        .zh(format!("由这份文本生成的 YAML 读回来与导入的内容不一致（{what}）；这是 pufa 的缺陷，请报告"))]
    };
    let law = match data::parse(key, yaml) {
        Ok(law) => law,
        Err(problems) => {
            // Names given on the command line (an alias such as 本法) are
            // the likely cause; the YAML's line says which.
            return Err(problems
                .into_iter()
                .map(|(line, message)| {
                    let shown = yaml.lines().nth(line.saturating_sub(1)).unwrap_or("");
                    Diagnostic::error(
                        path,
                        format!("the law made does not load: {message} (in `{shown}`)"),
                    )
                    .zh(format!("生成的法律数据无法读入：{message}（「{shown}」）"))
                })
                .collect());
        }
    };
    let same = law.name == made.name
        && law.short == made.short
        && law.effective == made.effective
        && law.history == made.history
        && law.articles_total == made.articles_total
        && law.preamble == made.preamble;
    if !same {
        return Err(bug("name, dates or preamble".into()));
    }
    if law.articles != made.articles {
        let n = made
            .articles
            .iter()
            .find(|(n, a)| law.articles.get(n) != Some(a))
            .map_or(0, |(n, _)| *n);
        return Err(bug(article_label(n)));
    }
    Ok(law)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LAW: &str = "\
# 中华人民共和国示例保护法

2001年2月3日 第九届全国人民代表大会常务委员会第二十次会议通过\u{3000}

2010年5月6日 第十一届全国人民代表大会常务委员会第十四次会议《关于修改〈中华人民共和国示例保护法〉的决定》第一次修正

2020年7月8日 第十三届全国人民代表大会常务委员会第二十次会议修订）

<!-- INFO END -->

\u{200b}

## 第一章\u{2002}\u{2002}总\u{3000}则

第一条 为了示例，制定本法。

第二条 本法所称示例，是指：

（一）第一项；

（二）第二项。

前款所称示例，不包括反例。

### 第一节  一般 规定

第三条　国家保护示例。

## 第二章 附 则

第四条 本法自2021年1月1日起施行。
";

    fn one(text: &str) -> Result<Imported, Vec<Diagnostic>> {
        import(
            &[Source {
                path: "law.md".into(),
                text: text.into(),
            }],
            &Options::default(),
        )
    }

    /// The errors of importing `text`, as `line: message`.
    fn errors(text: &str) -> Vec<String> {
        one(text)
            .expect_err("should fail")
            .iter()
            .map(|d| format!("{}: {}", d.line, d.message))
            .collect()
    }

    #[test]
    fn reads_names_dates_structure_and_paragraphs() {
        let law = one(LAW).unwrap().law;
        assert_eq!(law.name, "中华人民共和国示例保护法");
        assert_eq!(law.short, "示例保护法");
        assert_eq!(law.effective, "2021-01-01");
        let history: Vec<(&str, &str)> = law
            .history
            .iter()
            .map(|e| (e.date.as_str(), e.event.as_str()))
            .collect();
        assert_eq!(
            history,
            [
                ("2001-02-03", "通过"),
                ("2010-05-06", "修正"),
                ("2020-07-08", "修订")
            ]
        );
        assert_eq!(law.articles_total, 4);
        let a = &law.articles;
        assert_eq!(a[&1].chapter.as_deref(), Some("第一章 总则"));
        assert_eq!(a[&1].section, None);
        assert_eq!(
            a[&2].paragraphs,
            [
                "本法所称示例，是指：",
                "（一）第一项；",
                "（二）第二项。",
                "前款所称示例，不包括反例。"
            ]
        );
        // A full-width space after 第三条 is layout too.
        assert_eq!(a[&3].paragraphs, ["国家保护示例。"]);
        assert_eq!(a[&3].section.as_deref(), Some("第一节 一般规定"));
        assert_eq!(a[&4].chapter.as_deref(), Some("第二章 附则"));
        assert_eq!(a[&4].section, None, "a new chapter ends the section");
        assert!(a.values().all(|a| a.part.is_none()));
    }

    #[test]
    fn headings_are_normalised() {
        assert_eq!(
            normalise("第一章\u{2002}\u{2002}一般规定"),
            "第一章 一般规定"
        );
        assert_eq!(
            normalise("第二节\u{2002}\u{2002}监\u{2002}\u{2002}护"),
            "第二节 监护"
        );
        assert_eq!(normalise("第一章 总 则"), "第一章 总则");
        assert_eq!(normalise("第一章总则"), "第一章 总则");
        assert_eq!(
            normalise("第十章 WTO 规则  与 A B"),
            "第十章 WTO 规则与 A B"
        );
        assert_eq!(part_name("婚姻家庭编", CIVIL_CODE), "第五编 婚姻家庭");
        assert_eq!(part_name("总则", CIVIL_CODE), "第一编 总则");
        assert_eq!(part_name("继承编", CIVIL_CODE), "第七编 继承");
        assert_eq!(
            part_name("第二编  物权", "中华人民共和国某法"),
            "第二编 物权"
        );
        assert_eq!(part_name("婚姻家庭编", "中华人民共和国某法"), "婚姻家庭编");
    }

    #[test]
    fn adoption_lines() {
        assert_eq!(
            dated("1982年12月4日 全国人民代表大会公告公布施行"),
            Some(("1982-12-04".into(), "全国人民代表大会公告公布施行"))
        );
        assert_eq!(dated("（2020年5月28日通过）").unwrap().0, "2020-05-28");
        assert_eq!(dated("2020年13月28日 通过"), None);
        assert_eq!(dated("根据2020年5月28日"), None);
        let kind = |l: &str| event_kind(l).map(EventKind::as_str);
        assert_eq!(kind("第五次会议通过"), Some("通过"));
        assert_eq!(
            kind("第一次会议通过的《中华人民共和国宪法修正案》"),
            Some("修正")
        );
        assert_eq!(kind("《关于修改〈…〉的决定》第二次修正"), Some("修正"));
        assert_eq!(kind("第三十七次会议修订）"), Some("修订"));
        assert_eq!(kind("全国人民代表大会公告公布施行"), Some("公布"));
        assert_eq!(kind("施行"), None);
    }

    #[test]
    fn effective_without_an_article_comes_from_an_adoption_line() {
        let text = LAW
            .replace("第四条 本法自2021年1月1日起施行。", "第四条 附则。")
            .replace(
                "<!-- INFO END -->",
                "2021年1月1日 施行\n\n<!-- INFO END -->",
            );
        let imported = one(&text).unwrap();
        assert_eq!(imported.law.effective, "2021-01-01");
        assert!(imported.yaml.contains(
            "# effective: no article imported says 本法自…起施行, so the date comes from the adoption line “2021年1月1日 施行” (law.md)\n"
        ));
        // 施行 is not an event of the history.
        assert_eq!(imported.law.history.len(), 3);

        let text = LAW.replace("本法自2021年1月1日起施行。", "本法自公布之日起施行。");
        let e = errors(&text);
        assert_eq!(e.len(), 1);
        assert!(e[0].contains("no adoption line gives that date"), "{e:?}");
        let text = text.replace(
            "第一次修正",
            "第一次修正\n\n2020年7月9日 中华人民共和国主席令第五十号公布",
        );
        assert_eq!(one(&text).unwrap().law.effective, "2020-07-09");
    }

    #[test]
    fn the_yaml_says_where_it_comes_from() {
        let yaml = one(LAW).unwrap().yaml;
        assert!(
            yaml.starts_with(
                "# 中华人民共和国示例保护法\n\
             # Made by `pufa statutes import` from law.md.\n\
             # effective: 第四条 “本法自2021年1月1日起施行。”\n\
             # 每一款（以及每一项）占 text 的一行。\n\
             name: 中华人民共和国示例保护法\n\
             short: 示例保护法\n\
             aliases: [中华人民共和国示例保护法, 示例保护法]\n\
             effective: 2021-01-01\n\
             history:\n  - { date: 2001-02-03, event: 通过 }\n"
            ),
            "{yaml}"
        );
        assert!(yaml.contains(
            "  3:\n    chapter: 第一章 总则\n    section: 第一节 一般规定\n    text: |\n      国家保护示例。\n"
        ), "{yaml}");
    }

    #[test]
    fn names_yaml_would_misread_are_quoted() {
        for (text, flow) in [
            ("民法典", true),
            ("a: b", false),
            ("- 一", false),
            ("2021", false),
            ("yes", false),
            ("甲,乙", true),
            ("#一", false),
            (" 前后有空格 ", false),
        ] {
            let written = scalar(text, flow);
            let read: serde_yaml::Value =
                serde_yaml::from_str(&format!("k: [{written}]\nv: {written}\n")).unwrap();
            assert_eq!(read["v"].as_str(), Some(text), "{written}");
            assert_eq!(read["k"][0].as_str(), Some(text), "{written}");
        }
        assert_eq!(scalar("民法典", true), "民法典");
        assert_eq!(scalar("a: b", false), "\"a: b\"");
    }

    #[test]
    fn a_preamble_and_comment_lines() {
        let text = LAW.replace(
            "## 第一章",
            "## 序言\n\n第一段。\n\n<!-- FORCE BREAK -->\n\n第二段。\n\n## 第一章",
        );
        let law = one(&text).unwrap().law;
        assert_eq!(law.preamble, ["第一段。", "第二段。"]);
        assert_eq!(law.articles[&1].paragraphs, ["为了示例，制定本法。"]);
    }

    #[test]
    fn text_it_cannot_place() {
        // Before the first article, outside the adoption lines.
        let text = LAW.replace("## 第一章", "说明文字。\n\n## 第一章");
        assert_eq!(
            errors(&text),
            ["13: text before the first article that pufa cannot place"]
        );
        // Repeated, out of order, a gap, empty.
        let text = LAW
            .replace("第二条 本法", "第一条 本法")
            .replace("第三条　国家保护示例。", "第三条")
            .replace("第四条", "第六条");
        assert_eq!(
            errors(&text),
            [
                "17: 第一条 appears twice: first at line 15",
                "27: 第三条 has no text",
                "31: 第六条 follows 第三条: 第四条至第五条 is missing",
            ],
            "{text}"
        );
        let text = LAW
            .replace("第三条　", "第五条 ")
            .replace("第四条", "第三条");
        assert_eq!(
            errors(&text),
            [
                "27: 第五条 follows 第二条: 第三条至第四条 is missing",
                "31: 第三条 is out of order: it comes after 第五条 (line 27)",
            ]
        );
        let text = LAW.replace("第三条　", "第三条");
        assert_eq!(
            errors(&text),
            ["27: `第三条` runs into its text: an article starts with 第X条 and a space"]
        );
        let text = LAW.replace("第一条 为了", "第三条 为了");
        assert_eq!(
            errors(&text)[0],
            "15: the text starts at 第三条: a law starts at 第一条"
        );
        assert!(errors(&LAW.replace("第三条　", "第二条之一 "))[0].contains("之一"));
        assert!(
            errors(&LAW.replace("## 第二章 附 则", "## 附则"))[0]
                .starts_with("29: cannot place the heading `附则`")
        );
    }

    #[test]
    fn the_layout_around_the_articles() {
        assert_eq!(
            errors(&LAW.replace("<!-- INFO END -->", "")),
            [
                "13: no `<!-- INFO END -->` line: it ends the adoption lines, before the first heading or article"
            ]
        );
        assert_eq!(
            errors(&LAW.replace("# 中华人民共和国示例保护法", "中华人民共和国示例保护法")),
            ["1: a law's text starts with its full name as a `# ` heading"]
        );
        assert_eq!(
            errors(&LAW.replace("会议修订）", "会议决定")),
            [
                "7: cannot tell what this adoption line says happened: it names none of 通过, 修订, 修正, 公布, 施行"
            ]
        );
        assert_eq!(
            errors(&LAW.replace("国家保护示例。", "国家保护\u{7}示例。")),
            ["27: the line holds the control character U+0007, which is not text"]
        );
        assert_eq!(errors("\n\n"), ["0: the file is empty"]);
        let e = errors(&LAW.replace("本法自2021年1月1日起施行。", "附则。"));
        assert!(
            e[0].starts_with("0: cannot tell when the law took effect"),
            "{e:?}"
        );
    }

    fn part(part: &str, first: u32, last: u32, in_force: bool) -> Source {
        let mut text = format!(
            "# 中华人民共和国民法典\n\n# {part}\n\n2020年5月28日 第十三届全国人民代表大会第三次会议通过\n\n"
        );
        if in_force {
            text.push_str("2021年1月1日 施行\n\n");
        }
        text.push_str("<!-- INFO END -->\n\n## 第一章\u{2002}\u{2002}一般规定\n\n");
        for n in first..=last {
            text.push_str(&format!("{} 第{n}条的正文。\n\n", article_label(n)));
        }
        Source {
            path: format!("{part}.md").into(),
            text,
        }
    }

    #[test]
    fn the_parts_of_a_law_merge_in_article_order() {
        let options = Options {
            articles_total: Some(1260),
            aliases: vec!["民法典".into()],
            ..Options::default()
        };
        let sources = [
            part("继承编", 1119, 1121, true),
            part("总则", 1, 3, true),
            part("婚姻家庭编", 1040, 1041, false),
        ];
        let imported = import(&sources, &options).unwrap();
        let law = imported.law;
        assert_eq!(
            law.articles.keys().copied().collect::<Vec<_>>(),
            [1, 2, 3, 1040, 1041, 1119, 1120, 1121]
        );
        assert_eq!(law.articles[&1].part.as_deref(), Some("第一编 总则"));
        assert_eq!(law.articles[&1040].part.as_deref(), Some("第五编 婚姻家庭"));
        assert_eq!(law.articles[&1121].part.as_deref(), Some("第七编 继承"));
        assert_eq!(
            law.articles[&1121].chapter.as_deref(),
            Some("第一章 一般规定")
        );
        assert_eq!(law.articles_total, 1260);
        assert_eq!(law.effective, "2021-01-01");
        assert_eq!(
            law.history.len(),
            1,
            "the same line in every file is one event"
        );
        assert_eq!(law.aliases, ["中华人民共和国民法典", "民法典"]);
        assert!(
            imported
                .yaml
                .contains("from 继承编.md, 总则.md, 婚姻家庭编.md.\n")
        );

        // Overlapping parts; parts of different laws; too few articles.
        let sources = [part("总则", 1, 3, true), part("婚姻家庭编", 3, 4, false)];
        let e = import(&sources, &options).unwrap_err();
        assert_eq!(e[0].path, Path::new("婚姻家庭编.md"));
        assert!(
            e[0].message
                .starts_with("第三条 overlaps 总则.md, which goes on to 第三条"),
            "{e:?}"
        );
        let mut other = part("婚姻家庭编", 1040, 1041, false);
        other.text = other.text.replace("民法典", "婚姻法");
        let e = import(&[part("总则", 1, 3, true), other], &options).unwrap_err();
        assert_eq!(
            e[0].message,
            "this file holds 《中华人民共和国婚姻法》 but 总则.md holds 《中华人民共和国民法典》: the files of one import must be parts of one law"
        );
        let options = Options {
            articles_total: Some(100),
            ..Options::default()
        };
        let e = import(&[part("婚姻家庭编", 1040, 1041, true)], &options).unwrap_err();
        assert!(
            e[0].message.starts_with("--articles-total 100 is less"),
            "{e:?}"
        );
    }

    #[test]
    fn an_alias_that_cannot_name_the_law() {
        let options = Options {
            aliases: vec!["本法".into()],
            ..Options::default()
        };
        let sources = [Source {
            path: "law.md".into(),
            text: LAW.into(),
        }];
        let e = import(&sources, &options).unwrap_err();
        assert!(e[0].message.contains("`本法` means \"this law\""), "{e:?}");
    }
}
