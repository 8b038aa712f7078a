//! A `dir` target: a folder on this machine (an nginx docroot), replaced
//! atomically the way `pufa build` replaces `public/`: the copy is written
//! beside it and swapped in, so nginx serves the old site or the new one,
//! never a mix. The folder passes the same gate as any output
//! ([`crate::output::check_copy`]): pufa writes only into a folder it owns,
//! and not into the built site it copies (each copy would hold the last).
//! A refusal is shown as `pufa build` shows its own, exit status 2.
//!
//! With `gzip: true`, each text file gets a `.gz` beside it for nginx's
//! `gzip_static`; a file whose bytes did not change keeps its old `.gz`
//! (compressing at the best level is the slow part), and both keep their
//! modification time, which nginx's `ETag` is made of.

use std::path::Path;

use rayon::prelude::*;

use super::{DeployError, LocalFile, Options, Report};
use crate::config::deploy::{DeployTarget, DirTarget};
use crate::output::{self, Body, OutputFile, Staging};

pub fn deploy(
    dir: &DirTarget,
    target: &DeployTarget,
    site_root: &Path,
    public: &Path,
    local: &[LocalFile],
    options: Options,
) -> Result<Report, DeployError> {
    let out = output::check_copy(&dir.path, site_root, public).map_err(|r| {
        DeployError::refused(r.named_by(
            format!("deploy.{}.path in site.yaml", target.name),
            format!("site.yaml 里 deploy.{} 的 path", target.name),
        ))
    })?;
    let live = out.dir().to_path_buf();
    let mut report = Report::default();
    let mut unchanged = rustc_hash::FxHashSet::default();
    for f in local {
        if same_file(&f.path, &live.join(&f.key)) {
            report.unchanged += 1;
            unchanged.insert(f.key.as_str());
        } else {
            report.uploaded += 1;
            report.bytes += f.size;
            report.keys.push(f.key.clone());
        }
    }
    let gone = gone(&live, local);
    report.deleted = gone.len();
    if options.dry_run {
        for key in &report.keys {
            println!("copy    {key}");
        }
        for key in &gone {
            println!("delete  {key}");
        }
        return Ok(report);
    }
    let write_error = |e: output::WriteError| {
        DeployError::new(
            format!(
                "cannot write {}: {e}. The folder served is as it was.",
                dir.path.display()
            ),
            format!(
                "写不进 {}：{e}。正在提供服务的文件夹保持原样。",
                dir.path.display()
            ),
        )
    };
    // A site's own `x.gz` (a download) stays itself: no `.gz` for `x`.
    let keys: rustc_hash::FxHashSet<&str> = local.iter().map(|f| f.key.as_str()).collect();
    let staging = Staging::begin(&out).map_err(write_error)?;
    local
        .par_iter()
        .try_for_each(|f| {
            let same = unchanged.contains(f.key.as_str());
            staging.write(&OutputFile {
                path: f.key.clone(),
                body: Body::Copy(f.path.clone()),
            })?;
            if same {
                keep_time(&staging, &f.key, &live)?;
            }
            let gz = format!("{}.gz", f.key);
            if f.headers.content_encoding.is_none() || keys.contains(gz.as_str()) {
                return Ok(());
            }
            if same && live.join(&gz).is_file() {
                staging.write(&OutputFile {
                    path: gz.clone(),
                    body: Body::Copy(live.join(&gz)),
                })?;
                return keep_time(&staging, &gz, &live);
            }
            let bytes = super::body(f).map_err(|source| output::WriteError {
                path: f.path.clone(),
                source,
            })?;
            staging.write(&OutputFile::bytes(gz, bytes))
        })
        .map_err(write_error)?;
    staging.commit().map_err(write_error)?;
    Ok(report)
}

/// Gives the copy of an unchanged file the time of the one served, so
/// nginx's `ETag` and `Last-Modified` stay the same and browsers asking
/// again get `304 Not Modified`. (The copy is written into the spare, the
/// folder served until the last deploy, so the times would flip at each.)
fn keep_time(staging: &Staging, key: &str, live: &Path) -> Result<(), output::WriteError> {
    let served = live.join(key);
    let time = std::fs::metadata(&served)
        .and_then(|m| m.modified())
        .map_err(|source| output::WriteError {
            path: served,
            source,
        })?;
    staging.set_modified(key, time)
}

/// Files of the live folder that the site no longer has (not counting
/// the `.gz` copies pufa made and the marker).
fn gone(live: &Path, local: &[LocalFile]) -> Vec<String> {
    let keep: rustc_hash::FxHashSet<&str> = local.iter().map(|f| f.key.as_str()).collect();
    walkdir::WalkDir::new(live)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e
                .path()
                .strip_prefix(live)
                .ok()?
                .to_str()?
                .replace('\\', "/");
            // `x.gz` beside a file `x` is the copy pufa compressed.
            let sidecar = rel
                .strip_suffix(".gz")
                .is_some_and(|x| live.join(x).is_file());
            let counted = rel != output::MARKER && !sidecar && !keep.contains(rel.as_str());
            counted.then_some(rel)
        })
        .collect()
}

fn same_file(a: &Path, b: &Path) -> bool {
    let len = |p: &Path| {
        std::fs::symlink_metadata(p)
            .ok()
            .filter(|m| m.is_file())
            .map(|m| m.len())
    };
    len(a).is_some_and(|n| len(b) == Some(n))
        && matches!((std::fs::read(a), std::fs::read(b)), (Ok(x), Ok(y)) if x == y)
}
