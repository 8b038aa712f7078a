//! `pufa new SECTION/NAME`: a draft with complete front matter, dated for its
//! campaign when one is given: today while the campaign's window is open
//! (asked first at a terminal), else the day's next occurrence. A section
//! folder that does not exist is made, with an `_index.md` holding the
//! title from `--section-title` (asked for at a terminal); without one,
//! the error says how.
//!
//! SECTION/NAME is read with [`pufa::confine::resolve`] inside content/:
//! `../../x`, `/abs/path`, encoded dots and the like are refused, and so
//! are section folders that are symbolic links (the build skips them, and
//! they may lead anywhere). The file is created only if nothing, not even
//! a dangling link, is at its place.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use jiff::{Timestamp, ZonedDateTime};
use pufa::calendar::AwarenessDay;
use pufa::config::Config;
use pufa::confine::{self, Leading};

use super::{Failure, Said, load_config, resolve_now};
use crate::cli::NewArgs;

pub fn run(args: &NewArgs, clock: Timestamp) -> Result<(), Failure> {
    let config = load_config(&args.site.root, None)?;
    let now = resolve_now(args.site.now.as_deref(), &config, clock)?
        .to_zoned_datetime(config.timezone.clone());
    let (section, name) = section_and_name(&args.path)?;
    refuse_links(&config, &section)?;
    let section_dir = config.content_dir().join(&section);
    let shown = Path::new("content").join(&section);
    let path = section_dir.join(format!("{name}.md"));
    if std::fs::symlink_metadata(&path).is_ok() {
        return Err(Said::new(
            format!(
                "{} already exists; pufa new never overwrites an article",
                shown.join(format!("{name}.md")).display()
            ),
            format!(
                "{} 已经存在；pufa new 不会覆盖已有的文章",
                shown.join(format!("{name}.md")).display()
            ),
        )
        .hint(
            "choose another name, or open the existing file",
            "换一个文件名，或者直接打开已有的文件",
        )
        .into());
    }
    let day = match &args.campaign {
        None => None,
        Some(key) => Some(
            config
                .calendar
                .iter()
                .find(|d| &d.key == key)
                .ok_or_else(|| {
                    let keys = pufa::calendar::keys(&config.calendar);
                    Said::new(
                        format!("`--campaign {key}` names no awareness day"),
                        format!("「--campaign {key}」不是宣传日历里的节点"),
                    )
                    .hint(format!("use one of: {keys}"), format!("可用的节点：{keys}"))
                })?,
        ),
    };
    let date = match (&args.date, day) {
        (Some(text), _) => pufa::time::parse(text, &config.timezone).map_err(|msg| {
            Said::new(
                format!("--date: {msg}"),
                format!("--date 的时间「{}」看不懂", text.trim()),
            )
            .hint(
                "write it as 2026-12-04 08:00 (the site's time zone)",
                "写成 2026-12-04 08:00 这样（站点时区）",
            )
        })?,
        (None, Some(day)) => campaign_date(&config, day, &now)?,
        (None, None) => now
            .date()
            .tomorrow()
            .ok()
            .and_then(|d| {
                d.to_datetime(config.publish_time)
                    .to_zoned_datetime(config.timezone.clone())
                    .ok()
            })
            .unwrap_or(now.clone()),
    };
    // Checked last, so that a wrong --date or --campaign makes no folder.
    if !section_dir.is_dir() {
        make_section(&config, &section, args)?;
    } else if let Some(title) = &args.section_title
        && std::fs::symlink_metadata(section_dir.join("_index.md")).is_err()
    {
        write_new(&section_dir.join("_index.md"), &section_index(title)?)?;
        eprintln!(
            "已给栏目 {shown} 加上名称“{title}”（{index}）\ngave the section {shown} its title “{title}” ({index})",
            shown = shown.display(),
            index = shown.join("_index.md").display(),
        );
    }
    let title = args.title.clone().unwrap_or_else(|| name.to_string());
    let text = front_matter(
        &title,
        &date.strftime("%Y-%m-%d %H:%M").to_string(),
        args.campaign.as_deref(),
    );
    write_new(&path, &text)?;
    println!("{}", path.display());
    let when = date.strftime("%Y-%m-%d %H:%M");
    eprintln!(
        "已创建草稿，发布时间 {when}；写好后删掉「draft: true」这一行，到时间就会发布\ncreated a draft dated {when}; remove `draft: true` when it is ready to go out"
    );
    Ok(())
}

/// The date of a new article for `day`: today, at the site's publish time,
/// while the campaign's window is open (asked first at a terminal: "publish
/// today?"), else the next time the day comes round.
fn campaign_date(
    config: &Config,
    day: &AwarenessDay,
    now: &ZonedDateTime,
) -> Result<ZonedDateTime, Failure> {
    let at = |d: jiff::civil::Date| {
        d.to_datetime(config.publish_time)
            .to_zoned_datetime(config.timezone.clone())
            .ok()
    };
    let today = now.date();
    let running = day.upcoming(today).next().filter(|o| o.contains(today));
    if let Some(o) = running {
        let window = pufa::calendar::describe_window(&o);
        let yes = !std::io::stdin().is_terminal()
            || ask(&format!(
                "{} {}的宣传时段（{window}）正在进行。宣传时段内，今天发布？[Y/n] ",
                day.label(),
                day.name
            ))
            .is_none_or(|answer| !matches!(answer.as_str(), "n" | "N" | "no" | "否" | "不"));
        if yes && let Some(date) = at(today) {
            return Ok(date);
        }
    }
    day.upcoming(today)
        .filter_map(|o| at(o.day))
        .find(|z| z > now)
        .ok_or_else(|| {
            Said::new(
                "cannot find the campaign's next date",
                "找不到这个宣传节点的下一个日期",
            )
            .hint(
                "give the date with --date 2026-12-04 08:00",
                "用 --date 2026-12-04 08:00 写明发布时间",
            )
            .into()
        })
}

/// Asks at the terminal; the answer trimmed, `None` on end of input.
fn ask(question: &str) -> Option<String> {
    eprint!("{question}");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    match std::io::stdin().lock().read_line(&mut answer) {
        Ok(0) | Err(_) => None,
        Ok(_) => Some(answer.trim().to_string()),
    }
}

/// Makes the missing section folder with its `_index.md`: the title from
/// `--section-title`, or asked at a terminal; otherwise explains how.
fn make_section(config: &Config, section: &Path, args: &NewArgs) -> Result<(), Failure> {
    let shown = Path::new("content").join(section);
    let title = match &args.section_title {
        Some(t) => Some(t.clone()),
        None if std::io::stdin().is_terminal() => ask(&format!(
            "栏目 {0} 还不存在。请输入新栏目的中文名称（例如 新闻动态），直接回车则不新建：\nthere is no section {0} yet; its title (Enter: none): ",
            shown.display()
        ))
        .filter(|t| !t.is_empty()),
        None => None,
    };
    let Some(title) = title else {
        let existing = existing_sections(config);
        let (list, list_zh) = if existing.is_empty() {
            ("none".to_string(), "还没有".to_string())
        } else {
            (existing.join(", "), existing.join("、"))
        };
        let example = format!(
            "pufa new {} --section-title 新闻动态",
            args.path.trim_end_matches(".md")
        );
        return Err(Said::new(
            format!(
                "there is no section folder {} (sections: {list})",
                shown.display()
            ),
            format!(
                "没有栏目文件夹 {}（现有栏目：{list_zh}）",
                shown.display()
            ),
        )
        .hint(
            format!("to make the section, give it a title: `{example}`"),
            format!("要新建这个栏目，请加上它的中文名称再运行一次：「{example}」（“新闻动态”换成你的栏目名称）"),
        )
        .into());
    };
    let index = section_index(&title)?;
    let dir = config.content_dir().join(section);
    std::fs::create_dir_all(&dir).map_err(|e| {
        Said::new(
            format!("cannot create {}: {e}", shown.display()),
            format!("无法创建文件夹 {}：{e}", shown.display()),
        )
    })?;
    write_new(&dir.join("_index.md"), &index)?;
    eprintln!(
        "已新建栏目 {0}（{title}）\ncreated the section {0} ({title})",
        shown.display()
    );
    Ok(())
}

/// A section's `_index.md` with its title.
fn section_index(title: &str) -> Result<String, Failure> {
    let title = title.trim();
    if title.is_empty() || title.contains(['\n', '\r']) {
        return Err(Said::new(
            "--section-title: the section's title is empty or has a line break",
            "--section-title：栏目名称是空的，或者有换行",
        )
        .hint(
            "write it on one line, e.g. --section-title 新闻动态",
            "写在一行里，例如 --section-title 新闻动态",
        )
        .into());
    }
    let quoted = serde_json::to_string(title).expect("string serialises");
    Ok(format!(
        "---\ntitle: {quoted}\ndescription: \"\"   # 一句话介绍这个栏目（可以不填）\n---\n"
    ))
}

/// The section folders under content/, for the message about a missing one.
fn existing_sections(config: &Config) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(config.content_dir())
        .map(|rd| {
            rd.filter_map(Result::ok)
                .filter(|e| e.path().is_dir())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| !pufa::content::is_ignored(n))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// Creates `path` with `text`; never through a link, never over a file
/// made meanwhile (`create_new`).
fn write_new(path: &Path, text: &str) -> Result<(), Failure> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    super::write_file(&options, path, text)
}

/// The section folder (relative to content/) and the file name of
/// `written`, which must stay inside content/.
fn section_and_name(written: &str) -> Result<(PathBuf, String), Failure> {
    let text = written.trim_end_matches(".md");
    let resolved = confine::resolve(text, Path::new(""), Leading::Refused).map_err(|why| {
        Said::new(
            format!("`{written}` is not a place inside content/: {why}"),
            format!("「{written}」不是 content/ 里的位置"),
        )
        .hint(
            "write SECTION/NAME, e.g. `qa/new-article`",
            "写成 栏目/文件名，例如「qa/new-article」",
        )
    })?;
    let usage = || -> Failure {
        Said::new(
            format!("`{written}` names no section"),
            format!("「{written}」没有写栏目"),
        )
        .hint(
            format!("write SECTION/NAME, e.g. `qa/{written}`"),
            format!("写成 栏目/文件名，例如「qa/{written}」"),
        )
        .into()
    };
    let name = resolved
        .path
        .file_name()
        .filter(|_| !resolved.folder)
        .ok_or_else(usage)?
        .to_string_lossy()
        .into_owned();
    let section = resolved.path.parent().unwrap_or(Path::new(""));
    if section.as_os_str().is_empty() {
        return Err(usage());
    }
    // The build would skip the file (hidden, temporary or backup names).
    let skipped = section
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .chain([format!("{name}.md")])
        .find(|part| pufa::content::is_ignored(part));
    if let Some(part) = skipped {
        return Err(Said::new(
            format!("`{part}` is a hidden or temporary name that the build skips"),
            format!("「{part}」是隐藏或临时文件的名字，构建时会跳过"),
        )
        .hint("choose another name", "换一个名字")
        .into());
    }
    Ok((section.to_path_buf(), name))
}

/// Refuses a section path through a symbolic link under content/ (content/
/// itself may be one: that is the site's own choice).
fn refuse_links(config: &Config, section: &Path) -> Result<(), Failure> {
    let mut at = config.content_dir();
    let mut shown = PathBuf::from("content");
    for part in section.components() {
        at.push(part);
        shown.push(part);
        if std::fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(Said::new(
                format!(
                    "{} is a symbolic link; pufa new writes only into real folders inside content/",
                    shown.display()
                ),
                format!(
                    "{} 是符号链接；pufa new 只往 content/ 里真实的文件夹写文件",
                    shown.display()
                ),
            )
            .into());
        }
    }
    Ok(())
}

fn front_matter(title: &str, date: &str, campaign: Option<&str>) -> String {
    let quoted = |s: &str| serde_json::to_string(s).expect("string serialises");
    let mut out = String::from("---\n");
    out.push_str(&format!("title: {}\n", quoted(title)));
    out.push_str(&format!("date: {date}\n"));
    out.push_str("draft: true        # 写完后删除这一行，文章到 date 时发布\n");
    out.push_str("summary: \"\"        # 一句话摘要，不超过 120 字（用于列表、订阅和分享卡片）\n");
    if let Some(key) = campaign {
        out.push_str(&format!("campaign: {}\n", quoted(key)));
    }
    out.push_str("laws: []           # 例如 [\"民法典\", \"反家庭暴力法\"]\n");
    out.push_str("audiences: []      # 例如 [\"妇女\", \"儿童\"]\n");
    out.push_str("tags: []\n");
    out.push_str("---\n\n正文从这里开始。\n");
    out
}
