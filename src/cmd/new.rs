//! `pufa new SECTION/NAME`: a draft with complete front matter, dated for its
//! campaign when one is given.
//!
//! SECTION/NAME is read with [`pufa::confine::resolve`] inside content/:
//! `../../x`, `/abs/path`, encoded dots and the like are refused, and so
//! are section folders that are symbolic links (the build skips them, and
//! they may lead anywhere). The file is created only if nothing, not even
//! a dangling link, is at its place.

use std::io::Write;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use pufa::config::Config;
use pufa::confine::{self, Leading};

use super::{Failure, load_config, resolve_now};
use crate::cli::NewArgs;

pub fn run(args: &NewArgs, clock: Timestamp) -> Result<(), Failure> {
    let config = load_config(&args.site.root, None)?;
    let now = resolve_now(args.site.now.as_deref(), &config, clock)?
        .to_zoned_datetime(config.timezone.clone());
    let (section, name) = section_and_name(&args.path)?;
    refuse_links(&config, &section)?;
    let section_dir = config.content_dir().join(&section);
    let section = section.display();
    if !section_dir.is_dir() {
        let existing: Vec<String> = std::fs::read_dir(config.content_dir())
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .filter(|e| e.path().is_dir())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        return Err(Failure::Usage(format!(
            "there is no section folder content/{section}; existing sections: {}",
            if existing.is_empty() {
                "none".to_string()
            } else {
                existing.join(", ")
            }
        )));
    }
    let path = section_dir.join(format!("{name}.md"));
    if std::fs::symlink_metadata(&path).is_ok() {
        return Err(Failure::Usage(format!(
            "{} already exists; pufa new never overwrites an article",
            path.display()
        )));
    }

    let day = match &args.campaign {
        None => None,
        Some(key) => Some(
            config
                .calendar
                .iter()
                .find(|d| &d.key == key)
                .ok_or_else(|| {
                    Failure::Usage(format!(
                        "`--campaign {key}` names no awareness day; use one of: {}",
                        pufa::calendar::keys(&config.calendar)
                    ))
                })?,
        ),
    };
    let date = match (&args.date, day) {
        (Some(text), _) => pufa::time::parse(text, &config.timezone)
            .map_err(|msg| Failure::Usage(format!("--date: {msg}")))?,
        (None, Some(day)) => {
            // The next time the day comes round, at the site's publish time.
            day.upcoming(now.date())
                .map(|o| o.day.to_datetime(config.publish_time))
                .filter_map(|dt| dt.to_zoned_datetime(config.timezone.clone()).ok())
                .find(|z| *z > now)
                .ok_or_else(|| Failure::Usage("cannot find the campaign's next date".into()))?
        }
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
    let title = args.title.clone().unwrap_or_else(|| name.to_string());
    let text = front_matter(
        &title,
        &date.strftime("%Y-%m-%d %H:%M").to_string(),
        args.campaign.as_deref(),
    );
    // `create_new`: never through a link, never over a file made meanwhile.
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .map_err(|e| Failure::Usage(format!("cannot write {}: {e}", path.display())))?;
    println!("{}", path.display());
    eprintln!(
        "created a draft dated {}; remove `draft: true` when it is ready to go out",
        date.strftime("%Y-%m-%d %H:%M")
    );
    Ok(())
}

/// The section folder (relative to content/) and the file name of
/// `written`, which must stay inside content/.
fn section_and_name(written: &str) -> Result<(PathBuf, String), Failure> {
    let text = written.trim_end_matches(".md");
    let resolved = confine::resolve(text, Path::new(""), Leading::Refused).map_err(|why| {
        Failure::Usage(format!(
            "`{written}` is not a place inside content/: {why}; write SECTION/NAME, e.g. `qa/new-article`"
        ))
    })?;
    let usage = || Failure::Usage(format!("write SECTION/NAME, e.g. `qa/{written}`"));
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
        return Err(Failure::Usage(format!(
            "`{part}` is a hidden or temporary name that the build skips; choose another name"
        )));
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
            return Err(Failure::Usage(format!(
                "{} is a symbolic link; pufa new writes only into real folders inside content/",
                shown.display()
            )));
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
