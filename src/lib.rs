//! pufa (普法): a static-site builder for Chinese legal-education publishers.
//!
//! The build is a pipeline of owned data: **load** (`content`) reads files
//! and front matter, **assemble** (`site`) places articles at URLs, decides
//! what is live and renders Markdown (`markdown`), **render** (`render`,
//! `feed`) turns the model into files in memory, and **write** (`output`)
//! swaps them into the output folder. See ARCHITECTURE.md for the map.

// `Diagnostic` is large (file, position, two messages, two hints) and is
// returned by value on the error path, which is cold: boxing it would only
// make every call site noisier.
#![allow(clippy::result_large_err)]

pub mod cache;
pub mod calendar;
pub mod check;
pub mod config;
pub mod confine;
pub mod content;
pub mod deploy;
pub mod diagnostics;
pub mod feed;
mod free;
pub mod html;
pub mod images;
pub mod markdown;
pub mod output;
pub mod read;
pub mod render;
pub mod schedule;
pub mod search;
pub mod serve;
pub mod site;
pub mod slug;
pub mod stamp;
pub mod statutes;
pub mod svg;
pub mod time;
pub mod wechat;
mod yaml;

use jiff::Timestamp;

use config::Config;
use diagnostics::{Diagnostic, Diagnostics};
use output::OutputFile;
use schedule::Visibility;

/// What a successful build made, besides its files.
#[derive(Debug)]
pub struct Summary {
    pub warnings: Vec<Diagnostic>,
    /// Articles in the output (for the summary line).
    pub articles: usize,
    /// Files handed to the sink.
    pub files: usize,
}

/// A successful build kept in memory (preview server, checks, tests).
#[derive(Debug)]
pub struct Built {
    pub files: Vec<OutputFile>,
    pub warnings: Vec<Diagnostic>,
    pub articles: usize,
}

/// Builds the whole site, handing every file to `sink` as soon as it is
/// made (in parallel, in no particular order). On failure, every diagnostic
/// found (errors and warnings) is returned, sorted by file and line; files
/// already handed over must then be discarded, which `output::Staging` does.
pub fn build_with(
    config: &Config,
    now: Timestamp,
    visibility: Visibility,
    sink: render::Sink<'_>,
) -> Result<Summary, Vec<Diagnostic>> {
    let (site, warnings) = assemble_with(config, now, visibility, None)?;
    let mut timer = Timer::from_env();
    let rendered = render::render(config, &site, sink);
    timer.lap("render and write");
    let articles = site.articles.len() + site.pages.len();
    free::later(site);
    match rendered {
        Ok(files) => Ok(Summary {
            warnings,
            articles,
            files,
        }),
        Err(errors) => Err(Diagnostics(warnings.into_iter().chain(errors).collect()).sorted()),
    }
}

/// Builds the whole site into memory, files sorted by path.
pub fn build(
    config: &Config,
    now: Timestamp,
    visibility: Visibility,
) -> Result<Built, Vec<Diagnostic>> {
    let files = std::sync::Mutex::new(Vec::new());
    let summary = build_with(config, now, visibility, &|f| {
        files.lock().expect("not poisoned").push(f);
        Ok(())
    })?;
    let mut files = files.into_inner().expect("not poisoned");
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Built {
        files,
        warnings: summary.warnings,
        articles: summary.articles,
    })
}

/// Loads and assembles the site model without rendering pages (used by
/// `pufa wechat`). Errors fail it; warnings come back with the site.
pub fn assemble(
    config: &Config,
    now: Timestamp,
    visibility: Visibility,
) -> Result<(site::Site, Vec<Diagnostic>), Vec<Diagnostic>> {
    assemble_with(config, now, visibility, None)
}

/// What a process that builds again and again (`pufa serve`) remembers
/// between builds, as the stages ask for it. `cache::Cache`, above the
/// stages, implements it; `build` passes none and knows of no cache.
pub(crate) trait Remember {
    /// Forgets everything not made with `config`.
    fn use_config(&mut self, config: &Config);
    /// What loading may ask.
    fn loads(&mut self) -> &mut dyn content::Memory;
    /// What assembling may ask.
    fn renderings(&mut self) -> &mut dyn site::Renderings;
}

/// [`assemble`] for a process that builds again and again (`pufa serve`):
/// unchanged articles come from `memory` instead of being read and rendered
/// again, and `memory` is updated for the next time.
pub(crate) fn assemble_cached(
    config: &Config,
    now: Timestamp,
    visibility: Visibility,
    memory: &mut dyn Remember,
) -> Result<(site::Site, Vec<Diagnostic>), Vec<Diagnostic>> {
    assemble_with(config, now, visibility, Some(memory))
}

fn assemble_with(
    config: &Config,
    now: Timestamp,
    visibility: Visibility,
    mut memory: Option<&mut dyn Remember>,
) -> Result<(site::Site, Vec<Diagnostic>), Vec<Diagnostic>> {
    let now = now.to_zoned_datetime(config.timezone.clone());
    let mut diags = Diagnostics::default();
    let mut timer = Timer::from_env();
    if let Some(memory) = memory.as_deref_mut() {
        memory.use_config(config);
    }
    let loads = memory.as_deref_mut().map(|m| m.loads());
    let content = content::load_cached(config, &mut diags, loads);
    timer.lap("load");
    let renderings = memory.map(|m| m.renderings());
    let site = site::assemble(config, content, &now, visibility, &mut diags, renderings);
    timer.lap("assemble");
    diags.extend(wechat::lints::warnings(config, &site));
    timer.lap("lint");
    if diags.has_errors() {
        return Err(diags.sorted());
    }
    Ok((site, diags.sorted()))
}

/// The editors' calendar for the next `days` days (`pufa schedule`). Reads
/// and validates every article, live or not, without rendering any.
pub fn plan(
    config: &Config,
    now: Timestamp,
    days: i64,
) -> Result<(schedule::Plan, Vec<Diagnostic>), Vec<Diagnostic>> {
    let now = now.to_zoned_datetime(config.timezone.clone());
    let mut diags = Diagnostics::default();
    let content = content::load(config, &mut diags);
    let placement = site::place_all(
        config,
        &content.sections,
        content.articles,
        &now,
        &mut diags,
    );
    if diags.has_errors() {
        return Err(diags.sorted());
    }
    let articles: Vec<schedule::PlannedArticle<'_>> = placement
        .articles
        .iter()
        .map(|p| schedule::PlannedArticle {
            front: &p.source.front,
            shown: p.source.shown.display().to_string(),
            url: config.absolute(&p.url),
        })
        .collect();
    let countdown = if render::theme::Theme::new(config).own_templates_mention("days_until") {
        schedule::Countdown::EveryDay
    } else {
        schedule::Countdown::WhileNoCampaignRuns
    };
    let plan = schedule::plan(&config.calendar, &articles, &now, days, countdown);
    Ok((plan, diags.sorted()))
}

/// Everything `pufa check` reports: the build's errors and warnings, plus
/// files under `static/` that no page refers to. Nothing is written.
/// Also a placeholder `base_url` (`build` and `wechat` warn about it
/// too; the preview, which builds for its own local address, does not).
pub fn check(config: &Config, now: Timestamp, visibility: Visibility) -> Vec<Diagnostic> {
    let mut diags = match build(config, now, visibility) {
        Err(diags) => Diagnostics(diags),
        Ok(built) => {
            let mut diags = Diagnostics(built.warnings);
            diags.extend(check::orphaned_static_files(config, &built.files));
            diags
        }
    };
    diags.extend(config.placeholder_base_url());
    diags.sorted()
}

/// Stage timings on stderr when `PUFA_TIMINGS` is set (for profiling).
struct Timer {
    /// When the last stage ended, and the process's CPU time then.
    last: Option<(std::time::Instant, Option<std::time::Duration>)>,
}

impl Timer {
    fn from_env() -> Self {
        Self {
            last: std::env::var_os("PUFA_TIMINGS").map(|_| (std::time::Instant::now(), cpu_time())),
        }
    }

    fn lap(&mut self, stage: &str) {
        // Only when PUFA_TIMINGS was set: `last` stays None otherwise.
        if let Some((last, last_cpu)) = self.last.as_mut() {
            let now = std::time::Instant::now();
            let cpu = cpu_time();
            let cpu_note = match (cpu, *last_cpu) {
                (Some(cpu), Some(before)) => {
                    format!(" (cpu {:.1} ms)", (cpu - before).as_secs_f64() * 1000.0)
                }
                _ => String::new(),
            };
            eprintln!(
                "timing: {stage} {:.1} ms{cpu_note}{}",
                (now - *last).as_secs_f64() * 1000.0,
                memory_note()
            );
            *last = now;
            *last_cpu = cpu;
        }
    }
}

/// CPU time of the whole process so far, every thread (ended ones too).
/// `None` where the platform does not say.
#[cfg(target_os = "linux")]
pub fn cpu_time() -> Option<std::time::Duration> {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ProcessCPUTime);
    Some(std::time::Duration::new(
        u64::try_from(t.tv_sec).ok()?,
        u32::try_from(t.tv_nsec).ok()?,
    ))
}

#[cfg(not(target_os = "linux"))]
pub fn cpu_time() -> Option<std::time::Duration> {
    None
}

/// `, memory 120 MiB (peak 180 MiB)` on Linux, from /proc; empty elsewhere.
fn memory_note() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        line.split_whitespace().nth(1)?.parse().ok()
    };
    match (field("VmRSS:"), field("VmHWM:")) {
        (Some(rss), Some(peak)) => {
            format!(", memory {} MiB (peak {} MiB)", rss / 1024, peak / 1024)
        }
        _ => String::new(),
    }
}
