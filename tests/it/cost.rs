//! Bounded cost on hostile input (issue 21): whatever an article, a data
//! file or site.yaml holds, pufa's time and memory stay proportional to its
//! size, and files it cannot read in bounded time (pipes, devices, endless
//! files) are refused with an error naming them.
//!
//! Each test asserts work done, not speed: the limits are many times what
//! the fixed code needs in a debug build, and many times less than the old
//! code took.

use std::time::{Duration, Instant};

use assert_cmd::Command;

use crate::support::{NOW, Site, article};

/// One finished (or stopped) run of the binary.
struct Run {
    /// `None` when the run was stopped at its time limit (or by a signal).
    code: Option<i32>,
    stderr: String,
    elapsed: Duration,
}

/// `pufa ARGS --root <site>`, stopped after `limit`.
fn pufa_within(site: &Site, args: &[&str], limit: Duration) -> Run {
    let started = Instant::now();
    let out = Command::cargo_bin("pufa")
        .unwrap()
        .args(args)
        .arg("--root")
        .arg(site.root())
        .env("PUFA_NOW", NOW)
        .timeout(limit)
        .output()
        .unwrap();
    Run {
        code: out.status.code(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        elapsed: started.elapsed(),
    }
}

/// A minimal site that knows the 民法典 (from the repository's statutes/).
fn site_with_statutes() -> Site {
    let site = Site::minimal();
    let law = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("statutes/minfadian.yaml"),
    )
    .unwrap();
    site.write("statutes/minfadian.yaml", &law);
    site
}

// ---------------------------------------------------------------------------
// Finding 5: positions of citations, links and warnings.

#[test]
fn an_article_with_a_citation_in_every_paragraph_builds_in_linear_time() {
    // 4 MB, 60,000 paragraphs: each citation's line was found by reading
    // the article from its start, 49 s in a release build. Now about 3 s
    // in a debug build.
    let site = site_with_statutes();
    let paragraph = "根据《中华人民共和国民法典》第一千零四十二条，禁止包办、买卖婚姻。又见民法典第1043条。\n\n";
    let n = 4 * 1024 * 1024 / paragraph.len() + 1;
    let body = paragraph.repeat(n);
    site.write(
        "content/news/big.md",
        &article("大", "2026-01-01", "", &body),
    );
    let run = pufa_within(&site, &["build"], Duration::from_secs(60));
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    eprintln!("4 MB of citations built in {:?}", run.elapsed);
    let page = site.read("public/news/big/index.html");
    assert!(page.matches("/statutes/minfadian/#a1042\"").count() >= n);
}
