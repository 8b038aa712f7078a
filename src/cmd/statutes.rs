//! `pufa statutes import FILE.md…`: a law's official text in Markdown → the
//! YAML of `statutes/<key>.yaml` (the parsing is `pufa::statutes::import`).

use std::io::Write;
use std::path::{Path, PathBuf};

use pufa::diagnostics::Diagnostic;
use pufa::statutes::import::{self, Options, Source};

use super::{Failure, Said, report};
use crate::cli::{ImportArgs, StatutesArgs, StatutesCommand};

pub fn run(args: &StatutesArgs) -> Result<(), Failure> {
    match &args.command {
        StatutesCommand::Import(args) => run_import(args),
    }
}

fn run_import(args: &ImportArgs) -> Result<(), Failure> {
    if let Some(output) = &args.output {
        check_output(output, args)?;
    }
    let stem = |p: &PathBuf| p.file_stem().map(|s| s.to_string_lossy().into_owned());
    let options = Options {
        key: args
            .key
            .clone()
            .or_else(|| args.output.as_ref().and_then(stem)),
        short: args.short.clone(),
        aliases: args.aliases.clone(),
        articles_total: args.articles_total,
        effective: args.effective.clone(),
    };
    options
        .check()
        .map_err(|(en, zh)| Failure::Said(Said::new(en, zh)))?;

    let mut sources = Vec::with_capacity(args.files.len());
    let mut unreadable = Vec::new();
    for path in &args.files {
        if let Some(text) = read(path, &mut unreadable) {
            sources.push(Source {
                path: path.clone(),
                text,
            });
        }
    }
    if !unreadable.is_empty() {
        report(&unreadable);
        return Err(Failure::Site);
    }
    let imported = import::import(&sources, &options).map_err(|problems| {
        report(&problems);
        Failure::Site
    })?;

    let law = &imported.law;
    let first = law.articles.keys().next().copied().unwrap_or(0);
    let last = law.articles.keys().next_back().copied().unwrap_or(0);
    let (name, count, total, effective) = (
        &law.name,
        law.articles.len(),
        law.articles_total,
        &law.effective,
    );
    let to = match &args.output {
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(imported.yaml.as_bytes())
                .and_then(|()| out.flush())
                .map_err(|e| {
                    Said::new(
                        format!("cannot write the YAML: {e}"),
                        format!("无法输出 YAML：{e}"),
                    )
                })?;
            String::new()
        }
        Some(output) => {
            write(output, &imported.yaml, args.force)?;
            format!(" → {}", output.display())
        }
    };
    eprintln!(
        "imported 《{name}》: {count} articles ({first}–{last} of {total}), effective {effective}{to} · 已导入《{name}》：{count} 条（第 {first}–{last} 条，共 {total} 条），{effective} 起施行{to}"
    );
    Ok(())
}

/// Refuses an --output that is not a law's file name, that does not match
/// --key, that exists (without --force) or that is one of the inputs.
fn check_output(output: &Path, args: &ImportArgs) -> Result<(), Failure> {
    let stem = output.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let yaml = matches!(
        output.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    );
    if !yaml {
        return Err(Said::new(
            format!(
                "--output {}: a law's file is KEY.yaml (e.g. statutes/minfadian.yaml)",
                output.display()
            ),
            format!(
                "--output {}：法律数据的文件名应为 键名.yaml（例如 statutes/minfadian.yaml）",
                output.display()
            ),
        )
        .into());
    }
    if let Some(key) = &args.key
        && key != stem
    {
        return Err(Said::new(
            format!(
                "--output {} and --key {key} disagree: a law's key is its file name",
                output.display()
            ),
            format!(
                "--output {} 与 --key {key} 不一致：法律的键名就是它的文件名",
                output.display()
            ),
        )
        .into());
    }
    if args.key.is_none() && !import::is_key(stem) {
        return Err(Said::new(
            format!(
                "--output {}: the file name is the law's key, used in URLs; use only a-z, 0-9 and - (e.g. minfadian.yaml)",
                output.display()
            ),
            format!(
                "--output {}：文件名就是法律的键名，用在网址里，只能用 a-z、0-9 和 -（例如 minfadian.yaml）",
                output.display()
            ),
        )
        .into());
    }
    if !args.force && std::fs::symlink_metadata(output).is_ok() {
        return Err(Said::new(
            format!("{} already exists", output.display()),
            format!("{} 已经存在", output.display()),
        )
        .hint("pass --force to replace it", "要替换它，请加 --force")
        .into());
    }
    let canonical = |p: &Path| std::fs::canonicalize(p).ok();
    if let Some(out) = canonical(output)
        && args
            .files
            .iter()
            .any(|f| canonical(f).as_ref() == Some(&out))
    {
        return Err(Said::new(
            format!(
                "--output {} is one of the files being imported",
                output.display()
            ),
            format!(
                "--output {} 是正在导入的文件之一，不能作为输出文件",
                output.display()
            ),
        )
        .into());
    }
    Ok(())
}

/// A Markdown file as text (UTF-8, at most pufa's file size limit), or
/// its problem added to `problems`.
fn read(path: &Path, problems: &mut Vec<Diagnostic>) -> Option<String> {
    let limit = pufa::read::DEFAULT_MAX_FILE_MB << 20;
    let bytes = match pufa::read::file(path, limit) {
        Ok(bytes) => bytes,
        Err(e) => {
            problems.push(e.into_diagnostic(path, |io| {
                Diagnostic::error(path, format!("cannot read the file: {io}"))
                    .zh(format!("无法读取文件：{io}"))
            }));
            return None;
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) => Some(text),
        Err(_) => {
            problems.push(
                Diagnostic::error(path, "the file is not UTF-8")
                    .zh("文件不是 UTF-8 编码")
                    .hint("save it as UTF-8")
                    .hint_zh("请另存为 UTF-8 编码"),
            );
            None
        }
    }
}

/// Writes only `path`: a new file, or (with `force`) over the old one.
fn write(path: &Path, text: &str, force: bool) -> Result<(), Failure> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if force {
        options.create(true).truncate(true);
    } else {
        // Checked before reading the input; this closes the gap since.
        options.create_new(true);
    }
    super::write_file(&options, path, text)
}
