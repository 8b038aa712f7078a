//! One module per subcommand: an args struct (in `cli`) and a `run` function.

pub mod build;
pub mod check;
pub mod deploy;
pub mod init;
pub mod new;
pub mod publish;
pub mod schedule;
pub mod serve;
pub mod statutes;
pub mod wechat;

use std::io::Write;

use jiff::Timestamp;
use pufa::config::Config;
use pufa::diagnostics::Diagnostic;

/// Why a command failed; `main` maps it to the exit status.
pub enum Failure {
    /// The site has errors (already printed).
    Site,
    /// The command line was wrong.
    Usage(String),
    /// The command line was wrong, or the command cannot go on: said in
    /// English and Chinese, with a hint (what an editor reads).
    Said(Said),
    /// pufa will not write into the folder named (the reason is printed
    /// by `main`, English and Chinese with hints).
    Refused(pufa::output::Refusal),
}

/// A message for the editor in both languages, printed like a diagnostic
/// without a file: `error: …`, `  错误：…`, `  hint: …`, `  提示：…`.
#[derive(Debug)]
pub struct Said {
    pub en: String,
    pub zh: String,
    pub hint: Option<(String, String)>,
    /// Lines to copy (a piece of site.yaml), shown as they are, indented.
    pub example: Option<String>,
}

impl Said {
    pub fn new(en: impl Into<String>, zh: impl Into<String>) -> Said {
        Said {
            en: en.into(),
            zh: zh.into(),
            hint: None,
            example: None,
        }
    }

    pub fn hint(mut self, en: impl Into<String>, zh: impl Into<String>) -> Said {
        self.hint = Some((en.into(), zh.into()));
        self
    }

    pub fn example(mut self, lines: impl Into<String>) -> Said {
        self.example = Some(lines.into());
        self
    }
}

impl std::fmt::Display for Said {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Parts may quote the command line or file names.
        let e = pufa::diagnostics::escape_controls;
        write!(f, "error: {}\n  错误：{}", e(&self.en), e(&self.zh))?;
        if let Some((en, zh)) = &self.hint {
            write!(f, "\n  hint: {}\n  提示：{}", e(en), e(zh))?;
        }
        if let Some(example) = &self.example {
            writeln!(f)?;
            for line in example.lines() {
                write!(f, "\n    {}", e(line))?;
            }
        }
        Ok(())
    }
}

impl From<Said> for Failure {
    fn from(said: Said) -> Failure {
        Failure::Said(said)
    }
}

/// Prints diagnostics to stderr, every error and the first few warnings
/// of each kind (`pufa check --all` lists them all), then a count.
pub fn report(diags: &[Diagnostic]) {
    // Buffered: stderr is unbuffered, and a site with 3,000 warnings made
    // 50,000 write calls (a tenth of a second) one piece of text at a time.
    let mut err = std::io::BufWriter::new(std::io::stderr().lock());
    for line in pufa::diagnostics::summarise(diags, false) {
        let _ = writeln!(err, "{line}");
    }
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    if errors > 0 {
        let _ = writeln!(
            err,
            "{errors} error(s), {warnings} warning(s); nothing was written"
        );
    }
}

/// Loads site.yaml, printing its errors.
pub fn load_config(root: &std::path::Path, base_url: Option<&str>) -> Result<Config, Failure> {
    pufa::config::load(root, base_url).map_err(|errors| {
        report(&errors);
        Failure::Site
    })
}

/// `--now` / `PUFA_NOW` if given (read in the site's time zone), else the clock.
pub fn resolve_now(
    now: Option<&str>,
    config: &Config,
    clock: Timestamp,
) -> Result<Timestamp, Failure> {
    match now {
        None => Ok(clock),
        Some(text) => pufa::time::parse(text, &config.timezone)
            .map(|z| z.timestamp())
            .map_err(|msg| {
                Failure::Said(
                    Said::new(
                        format!("--now / PUFA_NOW: {msg}"),
                        format!("--now / PUFA_NOW 的时间「{}」看不懂", text.trim()),
                    )
                    .hint(
                        "write it as 2026-11-25 08:00 (the site's time zone) or 2026-11-25T08:00:00+08:00",
                        "写成 2026-11-25 08:00（站点时区）或 2026-11-25T08:00:00+08:00",
                    ),
                )
            }),
    }
}

/// Writes `text` to `path` opened with `options`; a failure is said in both
/// languages.
pub fn write_file(
    options: &std::fs::OpenOptions,
    path: &std::path::Path,
    text: &str,
) -> Result<(), Failure> {
    use std::io::Write;
    options
        .open(path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .map_err(|e| {
            Said::new(
                format!("cannot write {}: {e}", path.display()),
                format!("无法写入 {}：{e}", path.display()),
            )
            .into()
        })
}
