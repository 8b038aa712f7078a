//! `pufa publish [TARGET] [--watch]`: build, then deploy, under one lock.
//!
//! With `--watch` it is a service (docs/scheduling.md has the systemd
//! unit): it sleeps until the next instant the built site changes (an
//! article falls due or expires, or midnight while the home page counts
//! down to an awareness day) or until content changes, and publishes again.
//! A failed build or deploy is logged and tried again later; the site
//! online stays the last good one. SIGTERM or Ctrl-C stops it between runs.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use jiff::{SignedDuration, Timestamp};
use pufa::config::Config;
use pufa::deploy::Options;
use pufa::schedule::{EventKind, Visibility};

use super::deploy::{deploy_to, selected};
use super::{Failure, Said, load_config, resolve_now};
use crate::cli::PublishArgs;

/// After a failed run, the next try waits this long, doubling up to `MAX_RETRY`.
const FIRST_RETRY: Duration = Duration::from_secs(5);
const MAX_RETRY: Duration = Duration::from_secs(300);
/// Saves come in bursts (an editor's save, a `git pull`): wait for quiet.
const SETTLE: Duration = Duration::from_millis(500);
/// How far ahead the schedule is read for the next change.
const HORIZON_DAYS: i64 = 400;

pub fn run(args: &PublishArgs, wall_clock: fn() -> Timestamp) -> Result<(), Failure> {
    let root = args.site.root.clone();
    let config = load_config(&root, None)?;
    // `--now` sets the clock; with --watch the clock then runs on from it
    // (rehearsing 11·25 at 07:59:50 takes ten seconds, not a day).
    let offset = match args.site.now.as_deref() {
        Some(text) => {
            let start = resolve_now(Some(text), &config, Timestamp::UNIX_EPOCH)?;
            start.duration_since(wall_clock())
        }
        None => SignedDuration::ZERO,
    };
    let clock = move || {
        wall_clock()
            .saturating_add(offset)
            .expect("a time near now")
    };
    let out = args.output.clone().unwrap_or_else(|| root.join("public"));
    if !args.watch {
        return publish(
            &config,
            &out,
            args.target.as_deref(),
            clock(),
            false,
            args.verify,
        )
        .map(|_| ());
    }
    watch(
        &root,
        &out,
        args.target.as_deref(),
        &clock,
        &config.timezone,
    )
}

/// Builds into `out` and deploys it, holding the publish lock throughout.
/// `quiet` (the service): no progress, no lines of its own; the caller logs.
/// `verify`: list the store instead of trusting the last manifest.
fn publish(
    config: &Config,
    out: &Path,
    target: Option<&str>,
    now: Timestamp,
    quiet: bool,
    verify: bool,
) -> Result<(pufa::Summary, Vec<pufa::deploy::Report>), Failure> {
    let targets = selected(config, target)?;
    let checked = pufa::output::check(out, &config.root).map_err(Failure::Refused)?;
    let _lock = pufa::output::publish_lock(&checked).map_err(|e| {
        let said = if e.source.kind() == std::io::ErrorKind::WouldBlock {
            Said::new(
                "another pufa publish is running for this output folder; wait for it to finish",
                "另一个 pufa publish 正在发布这个输出文件夹；请等它结束",
            )
        } else {
            Said::new(
                format!(
                    "cannot take the publish lock {}: {}",
                    e.path.display(),
                    e.source
                ),
                format!("无法锁定 {}：{}", e.path.display(), e.source),
            )
        };
        eprintln!("{said}");
        Failure::Site
    })?;
    let visibility = Visibility {
        drafts: false,
        future: false,
    };
    let summary = super::build::build_into(config, now, visibility, out)?;
    if !quiet {
        super::report(&summary.warnings);
        let (articles, files) = (summary.articles, summary.files);
        eprintln!(
            "built {articles} articles, {files} files into {0} · 已生成 {articles} 篇文章、{files} 个文件，写入 {0}",
            out.display()
        );
    }
    let options = Options {
        dry_run: false,
        progress: !quiet && std::io::IsTerminal::is_terminal(&std::io::stderr()),
        verify,
    };
    let reports = deploy_to(config, out, &targets, options, !quiet)?;
    Ok((summary, reports))
}

fn next_change(config: &Config, now: Timestamp) -> Option<Timestamp> {
    let (plan, _) = pufa::plan(config, now, HORIZON_DAYS).ok()?;
    plan.next_change.and_then(|t| t.parse::<Timestamp>().ok())
}

enum Event {
    Changed,
    Stop,
}

/// Sends [`Event::Stop`] on SIGTERM or SIGINT (Ctrl-C), so that a run in
/// progress finishes first; returns what stops listening.
#[cfg(unix)]
fn stop_on_signals(tx: mpsc::Sender<Event>) -> std::io::Result<impl FnOnce()> {
    let mut signals = signal_hook::iterator::Signals::new([
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGINT,
    ])?;
    let handle = signals.handle();
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            let _ = tx.send(Event::Stop);
        }
    });
    Ok(move || handle.close())
}

#[cfg(not(unix))]
fn stop_on_signals(tx: mpsc::Sender<Event>) -> std::io::Result<impl FnOnce()> {
    Ok(without_signals(tx))
}

/// Where there are no Unix signals (Windows), Ctrl-C ends the process as
/// usual: a run it interrupts leaves the site online as it was (the
/// output is swapped in whole, and the deploy uploads the manifest last).
/// Compiled everywhere, so that Linux builds and tests it too.
#[cfg_attr(unix, allow(dead_code))]
fn without_signals(tx: mpsc::Sender<Event>) -> impl FnOnce() {
    drop(tx);
    || ()
}

fn watch(
    root: &Path,
    out: &Path,
    target: Option<&str>,
    clock: &dyn Fn() -> Timestamp,
    tz: &jiff::tz::TimeZone,
) -> Result<(), Failure> {
    let (tx, rx) = mpsc::channel();
    let _watcher = watch_sources(root, tx.clone()).map_err(|e| {
        Said::new(
            format!("cannot watch {} for changes: {e}", root.display()),
            format!("无法监视 {} 里的改动：{e}", root.display()),
        )
    })?;
    let stop_listening = stop_on_signals(tx).map_err(|e| {
        Said::new(
            format!("cannot listen for SIGTERM and Ctrl-C: {e}"),
            format!("无法接收停止信号（SIGTERM、Ctrl-C）：{e}"),
        )
    })?;
    let log = |now: Timestamp, what: &str| log(now, tz, what);
    log(
        clock(),
        "watching: publishes when articles fall due, when campaign windows open and close, at midnight while the home page counts down, and when content changes · 值守中：文章到点、专题活动开始和结束、首页倒计时期间每天零点，以及内容有改动时，都会自动发布",
    );
    let mut retry = FIRST_RETRY;
    let mut last: Option<Timestamp> = None;
    loop {
        let now = clock();
        let started = Instant::now();
        let wake = match run_once(root, out, target, now, last) {
            Ok(next) => {
                retry = FIRST_RETRY;
                last = Some(now);
                log(now, &log_line(started, &next, tz));
                next.next
            }
            Err(why) => {
                let s = retry.as_secs();
                log(
                    now,
                    &format!(
                        "{}; the site online is unchanged; trying again in {s} s · {}；线上网站保持不变，{s} 秒后重试",
                        why.en, why.zh
                    ),
                );
                let at = now
                    .saturating_add(SignedDuration::try_from(retry).unwrap_or_default())
                    .ok();
                retry = (retry * 2).min(MAX_RETRY);
                at
            }
        };
        match wait(&rx, wake, clock) {
            Wake::Stop => break,
            Wake::Due | Wake::Changed => {}
        }
    }
    stop_listening();
    log(clock(), "stopped · 已停止");
    Ok(())
}

/// What one run of the watch loop did.
struct Ran {
    next: Option<Timestamp>,
    went_live: Vec<String>,
    withdrawn: Vec<String>,
    uploaded: usize,
    deleted: usize,
    warnings: usize,
}

fn run_once(
    root: &Path,
    out: &Path,
    target: Option<&str>,
    now: Timestamp,
    last: Option<Timestamp>,
) -> Result<Ran, Said> {
    let config = pufa::config::load(root, None).map_err(|errors| {
        super::report(&errors);
        Said::new(
            "site.yaml has errors (see above)",
            "site.yaml 有错误（见上）",
        )
    })?;
    // What falls due between the last run and this one, for the log.
    let (went_live, withdrawn) = match last {
        Some(last) => changes_between(&config, last, now),
        None => (Vec::new(), Vec::new()),
    };
    // The service's first run checks the store object by object: whatever
    // happened to it while the service was down is mended; later runs
    // trust the manifest the previous one left.
    let verify = last.is_none();
    let (summary, reports) =
        publish(&config, out, target, now, true, verify).map_err(|f| match f {
            Failure::Usage(m) => Said::new(m.clone(), m),
            Failure::Said(s) => s,
            Failure::Refused(r) => {
                eprintln!("{r}");
                Said::new(
                    "pufa will not write into the output folder (see above)",
                    "pufa 不会写入这个输出文件夹（见上）",
                )
            }
            Failure::Site => Said::new(
                "the build or the deploy failed (see above)",
                "生成或发布失败（见上）",
            ),
        })?;
    Ok(Ran {
        next: next_change(&config, now),
        went_live,
        withdrawn,
        uploaded: reports.iter().map(|r| r.uploaded).sum(),
        deleted: reports.iter().map(|r| r.deleted).sum(),
        warnings: summary.warnings.len(),
    })
}

/// Titles of articles published and withdrawn in `(from, to]`.
fn changes_between(config: &Config, from: Timestamp, to: Timestamp) -> (Vec<String>, Vec<String>) {
    let Ok((plan, _)) = pufa::plan(config, from, HORIZON_DAYS) else {
        return (Vec::new(), Vec::new());
    };
    let titles = |kind: EventKind| {
        plan.events
            .iter()
            .filter(|e| e.kind == kind && e.instant > from && e.instant <= to)
            .map(|e| format!("《{}》", e.title))
            .collect()
    };
    (titles(EventKind::Publish), titles(EventKind::Expire))
}

/// `published: … · 已发布：…`, English then Chinese.
fn log_line(started: Instant, ran: &Ran, tz: &jiff::tz::TimeZone) -> String {
    let secs = started.elapsed().as_secs_f64();
    let mut en = format!(
        "published: {} uploaded, {} deleted in {secs:.1} s",
        ran.uploaded, ran.deleted
    );
    let mut zh = format!(
        "已发布：上传 {} 个，删除 {} 个，用时 {secs:.1} 秒",
        ran.uploaded, ran.deleted
    );
    if !ran.went_live.is_empty() {
        let titles = ran.went_live.join("、");
        en.push_str(&format!("; went live: {titles}"));
        zh.push_str(&format!("；上线：{titles}"));
    }
    if !ran.withdrawn.is_empty() {
        let titles = ran.withdrawn.join("、");
        en.push_str(&format!("; withdrawn: {titles}"));
        zh.push_str(&format!("；下线：{titles}"));
    }
    if ran.warnings > 0 {
        let n = ran.warnings;
        en.push_str(&format!("; {n} warnings (`pufa check` lists them)"));
        zh.push_str(&format!("；{n} 个警告（「pufa check」可以列出）"));
    }
    match ran.next {
        Some(next) => {
            let at = local_time(next, tz);
            en.push_str(&format!("; next change {at}"));
            zh.push_str(&format!("；下次变化 {at}"));
        }
        None => {
            en.push_str("; nothing scheduled");
            zh.push_str("；没有定时的变化");
        }
    }
    format!("{en} · {zh}")
}

/// `[2026-11-25 08:00:00 +08:00] what`, in the site's time zone.
fn log(now: Timestamp, tz: &jiff::tz::TimeZone, what: &str) {
    eprintln!(
        "[{}] {}",
        local_time(now, tz),
        pufa::diagnostics::escape_controls(what)
    );
}

fn local_time(t: Timestamp, tz: &jiff::tz::TimeZone) -> String {
    t.to_zoned_datetime(tz.clone())
        .strftime("%Y-%m-%d %H:%M:%S %:z")
        .to_string()
}

enum Wake {
    Due,
    Changed,
    Stop,
}

/// Sleeps until `until` (on `clock`), a change under the site, or a signal.
fn wait(
    rx: &mpsc::Receiver<Event>,
    until: Option<Timestamp>,
    clock: &dyn Fn() -> Timestamp,
) -> Wake {
    loop {
        let left = until.map(|t| t.duration_since(clock()));
        let event = match left {
            Some(left) if left <= SignedDuration::ZERO => return Wake::Due,
            // Wake a little late rather than early: the output changes *at* the instant.
            Some(left) => rx.recv_timeout(
                Duration::try_from(left).unwrap_or_default() + Duration::from_millis(5),
            ),
            None => rx.recv().map_err(|_| mpsc::RecvTimeoutError::Disconnected),
        };
        match event {
            Ok(Event::Stop) => return Wake::Stop,
            Ok(Event::Changed) => {
                // Let the burst end; a stop within it still wins.
                while let Ok(e) = rx.recv_timeout(SETTLE) {
                    if let Event::Stop = e {
                        return Wake::Stop;
                    }
                }
                return Wake::Changed;
            }
            Err(mpsc::RecvTimeoutError::Timeout) => continue,
            Err(mpsc::RecvTimeoutError::Disconnected) => return Wake::Stop,
        }
    }
}

/// Watches what the site is built from (not the output, which the runs
/// write). The site folder itself is watched for site.yaml, since editors
/// save by replacing the file.
fn watch_sources(
    root: &Path,
    tx: mpsc::Sender<Event>,
) -> notify::Result<notify::RecommendedWatcher> {
    use notify::Watcher;
    let root = std::path::absolute(root)?;
    let folders: Vec<PathBuf> = ["content", "static", "themes", "statutes"]
        .iter()
        .map(|d| root.join(d))
        .filter(|p| p.is_dir())
        .collect();
    let config = root.join(pufa::config::FILE_NAME);
    let relevant = {
        let folders = folders.clone();
        move |p: &Path| p == config || folders.iter().any(|f| p.starts_with(f))
    };
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if let Ok(e) = res
            && !matches!(e.kind, notify::EventKind::Access(_))
            && e.paths.iter().any(|p| relevant(p))
        {
            let _ = tx.send(Event::Changed);
        }
    })?;
    watcher.watch(&root, notify::RecursiveMode::NonRecursive)?;
    for folder in &folders {
        watcher.watch(folder, notify::RecursiveMode::Recursive)?;
    }
    Ok(watcher)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_line_is_english_then_chinese() {
        let tz = jiff::tz::TimeZone::fixed(jiff::tz::offset(8));
        let ran = Ran {
            next: Some("2027-02-21T00:00:00+08:00".parse().unwrap()),
            went_live: vec!["《测试定时发布》".into()],
            withdrawn: vec!["《旧通知》".into(), "《旧活动》".into()],
            uploaded: 10,
            deleted: 1,
            warnings: 2,
        };
        let line = log_line(Instant::now(), &ran, &tz);
        assert_eq!(
            line,
            "published: 10 uploaded, 1 deleted in 0.0 s; went live: 《测试定时发布》; withdrawn: 《旧通知》、《旧活动》; 2 warnings (`pufa check` lists them); next change 2027-02-21 00:00:00 +08:00 · 已发布：上传 10 个，删除 1 个，用时 0.0 秒；上线：《测试定时发布》；下线：《旧通知》、《旧活动》；2 个警告（「pufa check」可以列出）；下次变化 2027-02-21 00:00:00 +08:00"
        );
        let quiet = Ran {
            next: None,
            went_live: Vec::new(),
            withdrawn: Vec::new(),
            uploaded: 0,
            deleted: 0,
            warnings: 0,
        };
        assert_eq!(
            log_line(Instant::now(), &quiet, &tz),
            "published: 0 uploaded, 0 deleted in 0.0 s; nothing scheduled · 已发布：上传 0 个，删除 0 个，用时 0.0 秒；没有定时的变化"
        );
    }

    #[test]
    fn without_signals_nothing_is_sent_and_stopping_is_a_no_op() {
        let (tx, rx) = mpsc::channel();
        let stop = without_signals(tx);
        stop();
        assert!(rx.recv().is_err(), "the sender is gone, nothing was sent");
    }
}
