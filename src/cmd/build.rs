//! `pufa build`: build the site straight into a staging folder beside the
//! output, and swap it in when every file is written.

use std::time::Instant;

use jiff::Timestamp;
use pufa::output::{self, Staging};
use pufa::schedule::Visibility;

use super::{Failure, load_config, report, resolve_now};
use crate::cli::BuildArgs;

pub fn run(args: &BuildArgs, clock: Timestamp) -> Result<(), Failure> {
    let started = Instant::now();
    let config = load_config(&args.site.root, args.base_url.as_deref())?;
    let now = resolve_now(args.site.now.as_deref(), &config, clock)?;
    let visibility = Visibility {
        drafts: args.drafts,
        future: false,
    };
    let out = args
        .output
        .clone()
        .unwrap_or_else(|| args.site.root.join("public"));
    let summary = build_into(&config, now, visibility, &out)?;
    report(&summary.warnings);
    let (articles, files, ms) = (
        summary.articles,
        summary.files,
        started.elapsed().as_millis(),
    );
    eprintln!(
        "built {articles} articles, {files} files into {0} in {ms} ms · 已生成 {articles} 篇文章、{files} 个文件，写入 {0}，用时 {ms} 毫秒",
        out.display()
    );
    Ok(())
}

/// Builds the site into `out` (checked, staged, swapped in); prints the
/// errors, and returns the warnings for the caller to show. On failure the
/// old output stays as it was.
pub fn build_into(
    config: &pufa::config::Config,
    now: Timestamp,
    visibility: Visibility,
    out: &std::path::Path,
) -> Result<pufa::Summary, Failure> {
    // Before anything is read or written: a refused folder is left as it is.
    let target = output::check(out, &config.root).map_err(Failure::Refused)?;
    let staging = Staging::begin(&target).map_err(|e| {
        eprintln!(
            "error: cannot write the output: {0}\n  错误：无法写入输出文件夹：{0}",
            pufa::diagnostics::escape_controls(&e.to_string())
        );
        Failure::Site
    })?;
    // Files stream into the staging folder as they are rendered; on any error
    // the staging folder is dropped and the old output stays as it was.
    let mut summary = pufa::build_with(config, now, visibility, &|f| {
        staging.write(&f).map_err(std::io::Error::other)
    })
    .map_err(|diags| {
        report(&diags);
        Failure::Site
    })?;
    if let Err(e) = staging.commit() {
        eprintln!(
            "error: cannot write the output: {0}\n  错误：无法写入输出文件夹：{0}",
            pufa::diagnostics::escape_controls(&e.to_string())
        );
        return Err(Failure::Site);
    }
    // Feeds, share cards and the sitemap point at base_url: a placeholder
    // is worth saying on every build (and publish) until it is changed.
    summary.warnings.extend(config.placeholder_base_url());
    Ok(summary)
}
