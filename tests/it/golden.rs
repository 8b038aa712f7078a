//! Golden output: the SHA-256 of every file that the repository's sample
//! site and a generated 60-article corpus (`tests/fixtures/corpus/`) build
//! to, pinned in `tests/snapshots/output-*.sha256`. A change meant only to
//! make pufa faster must leave both manifests as they are.
//!
//! The corpus is the output of the benchmark kit's
//! `gen_corpus.py --n 60 --format pufa` (default seed), committed so that
//! tests read nothing outside the repository.
//!
//! To accept an intended change of the output, run
//! `UPDATE_SNAPSHOTS=1 cargo test --test it golden` and review the manifests'
//! diff before committing it.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

use assert_cmd::Command;
use sha2::{Digest, Sha256};

use crate::support::{Site, copy_sample};

/// The build time of the golden builds. Pinned here rather than shared with
/// the other tests, so that changing theirs cannot move these manifests.
const NOW: &str = "2026-11-29T12:00:00+08:00";
/// How many paths of each kind a failure lists before it just counts.
const LISTED: usize = 30;

const UPDATE: &str = "UPDATE_SNAPSHOTS=1 cargo test --test it golden";

#[test]
fn golden_sample_site() {
    let dir = tempfile::tempdir().unwrap();
    copy_sample(dir.path());
    check(
        "output-sample.sha256",
        &manifest(dir.path(), &Run::default()),
    );
}

#[test]
fn golden_corpus() {
    let site = Site::fixture("corpus");
    check(
        "output-corpus.sha256",
        &manifest(site.root(), &Run::default()),
    );
}

/// The same site in another folder (deeper, with a space and Chinese in its
/// path, given relative to another working folder), built in another time
/// zone and locale on one thread, gives the same bytes: no absolute path,
/// local time or thread order leaks into the output.
#[test]
fn golden_output_depends_on_neither_folder_nor_machine() {
    let here = tempfile::tempdir().unwrap();
    copy_sample(here.path());
    let elsewhere = tempfile::tempdir().unwrap();
    let cwd = elsewhere.path().join("另一个 文件夹");
    let there = cwd.join("pufa-site");
    copy_sample(&there);

    let usual = manifest(here.path(), &Run::default());
    let other = manifest(
        &there,
        &Run {
            cwd: Some(&cwd),
            env: &[
                ("TZ", "America/Los_Angeles"),
                ("LANG", "C"),
                ("LC_ALL", "C"),
                ("RAYON_NUM_THREADS", "1"),
            ],
        },
    );
    if let Some(report) = differences(&usual, &other) {
        panic!("the sample site's output depends on where or how it is built:\n{report}");
    }
}

/// How the binary is run, apart from the site it builds.
#[derive(Default)]
struct Run<'a> {
    /// The working folder; the site is then given relative to it.
    cwd: Option<&'a Path>,
    env: &'a [(&'a str, &'a str)],
}

/// Builds the site at `root` with the real binary and returns its manifest:
/// `<sha256 hex>  <path under public/>` per file, sorted by path.
fn manifest(root: &Path, run: &Run) -> String {
    let mut cmd = Command::cargo_bin("pufa").unwrap();
    cmd.args(["build", "--now", NOW, "--root"]);
    match run.cwd {
        Some(cwd) => cmd.current_dir(cwd).arg(root.strip_prefix(cwd).unwrap()),
        None => cmd.arg(root),
    };
    let out = cmd.envs(run.env.iter().copied()).output().unwrap();
    assert!(
        out.status.success(),
        "build of {} failed:\n{}",
        root.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let public = root.join("public");
    let mut files: Vec<(String, String)> = walkdir::WalkDir::new(&public)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(&public).unwrap();
            let rel: Vec<_> = rel.iter().map(|c| c.to_string_lossy()).collect();
            let bytes = std::fs::read(e.path()).unwrap();
            (rel.join("/"), hex(&Sha256::digest(&bytes)))
        })
        .collect();
    files.sort();
    let mut text = String::new();
    for (path, hash) in files {
        writeln!(text, "{hash}  {path}").unwrap();
    }
    text
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        write!(s, "{b:02x}").unwrap();
        s
    })
}

/// Compares `actual` with the committed manifest `tests/snapshots/<name>`,
/// or rewrites the manifest under `UPDATE_SNAPSHOTS`.
fn check(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}\nrun `{UPDATE}` to create it", path.display()));
    if let Some(report) = differences(&expected, actual) {
        panic!(
            "the output differs from tests/snapshots/{name}:\n{report}\
             if the change is intended, run `{UPDATE}` and commit the manifest"
        );
    }
}

/// The paths changed, added and removed from `expected` to `actual`, or
/// `None` if the manifests are identical.
fn differences(expected: &str, actual: &str) -> Option<String> {
    if expected == actual {
        return None;
    }
    let (old, new) = (parse(expected), parse(actual));
    let changed: Vec<&str> = new
        .iter()
        .filter(|(path, hash)| old.get(*path).is_some_and(|h| h != *hash))
        .map(|(path, _)| *path)
        .collect();
    let added: Vec<&str> = new
        .keys()
        .filter(|p| !old.contains_key(*p))
        .copied()
        .collect();
    let removed: Vec<&str> = old
        .keys()
        .filter(|p| !new.contains_key(*p))
        .copied()
        .collect();
    let mut report = String::new();
    for (what, paths) in [("changed", changed), ("added", added), ("removed", removed)] {
        if paths.is_empty() {
            continue;
        }
        writeln!(report, "{} {what}:", paths.len()).unwrap();
        for path in paths.iter().take(LISTED) {
            writeln!(report, "  {path}").unwrap();
        }
        if paths.len() > LISTED {
            writeln!(report, "  … and {} more", paths.len() - LISTED).unwrap();
        }
    }
    if report.is_empty() {
        // Same files and hashes, different text: order or format.
        report.push_str("the same files and hashes, but the manifest text differs\n");
    }
    Some(report)
}

/// A manifest as path → hash.
fn parse(manifest: &str) -> BTreeMap<&str, &str> {
    manifest
        .lines()
        .filter_map(|line| line.split_once("  "))
        .map(|(hash, path)| (path, hash))
        .collect()
}
