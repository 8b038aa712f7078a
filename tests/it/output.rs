//! The output folder: atomic replacement and byte-identical rebuilds.

use crate::support::Site;

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = Site::fixture("basic");
    site.build_ok();
    let before = site.output_tree("public");
    site.write("content/education/broken.md", "---\ntitel: 坏了\n---\n");
    site.build_err();
    assert_eq!(site.output_tree("public"), before);
    // No staging folders are left behind.
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.starts_with(".public.tmp") || name.starts_with(".public.old")
        })
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_rebuild_replaces_stale_files() {
    let site = Site::fixture("basic");
    site.build_ok();
    assert!(site.exists("public/qa/links/index.html"));
    site.remove("content/qa/links.md");
    site.build_ok();
    assert!(
        !site.exists("public/qa/links/index.html"),
        "deleted article still published"
    );
}

#[test]
fn same_input_and_now_give_byte_identical_output() {
    let site = Site::fixture("basic");
    let (a, b) = (site.path("one"), site.path("two"));
    let out = site.pufa(&["build", "--output", a.to_str().unwrap()]);
    assert!(out.status.success());
    let out = site.pufa(&["build", "--output", b.to_str().unwrap()]);
    assert!(out.status.success());
    let (one, two) = (site.output_tree("one"), site.output_tree("two"));
    assert!(one.len() > 20);
    assert_eq!(one, two);
}

#[test]
fn a_second_build_into_the_same_output_waits_its_turn() {
    let site = Site::fixture("basic");
    site.build_ok();
    // Hold the lock as a running build would.
    let lock = std::fs::OpenOptions::new()
        .write(true)
        .open(site.path(".public.lock"))
        .unwrap();
    lock.lock().unwrap();
    let before = site.output_tree("public");
    let out = site.pufa(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("another pufa build is writing this output folder; wait for it to finish"),
        "{stderr}"
    );
    assert_eq!(site.output_tree("public"), before);
    drop(lock);
    site.build_ok();
}

#[test]
fn a_killed_build_leaves_the_old_or_the_new_output_never_a_mix() {
    // Build a site big enough that writing takes a while, then kill builds at
    // increasing delays: every time, public/ must equal one complete build.
    let site = Site::fixture("basic");
    for i in 0..300 {
        site.write(
            &format!("content/qa/q{i:03}.md"),
            &format!(
                "---\ntitle: 问题{i}\ndate: 2026-01-01\nsummary: 摘要。\n---\n{}\n",
                "正文。".repeat(200)
            ),
        );
    }
    site.build_ok();
    let old = site.output_tree("public");
    // The new build differs in every page.
    site.write(
        "site.yaml",
        &site.read("site.yaml").replace("测试普法站", "新的站名"),
    );
    let reference = site.path("reference");
    assert!(
        site.pufa(&["build", "--output", reference.to_str().unwrap()])
            .status
            .success()
    );
    let new = site.output_tree("reference");
    assert_ne!(old, new);
    let mut saw_old = false;
    let mut saw_new = false;
    for delay_ms in [0u64, 5, 10, 20, 40, 80, 160, 320] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("pufa"))
            .args(["build", "--root"])
            .arg(site.root())
            .env("PUFA_NOW", crate::support::NOW)
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let now = site.output_tree("public");
        if now == old {
            saw_old = true;
        } else {
            assert!(
                now == new,
                "a mix of old and new output after a kill at {delay_ms} ms"
            );
            saw_new = true;
            // Reset for the next round.
            site.write(
                "site.yaml",
                &site.read("site.yaml").replace("新的站名", "测试普法站"),
            );
            site.build_ok();
            site.write(
                "site.yaml",
                &site.read("site.yaml").replace("测试普法站", "新的站名"),
            );
        }
    }
    assert!(
        saw_old,
        "no kill landed before the swap; the test proves nothing"
    );
    let _ = saw_new;
    // The next build cleans up what killed builds left and succeeds.
    site.build_ok();
    let leftovers = std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(".public.tmp"))
        .count();
    assert_eq!(leftovers, 0);
}

/// (path, inode, modification time) of every file under `public/`.
#[cfg(unix)]
fn identities(site: &Site) -> Vec<(String, u64, std::time::SystemTime)> {
    use std::os::unix::fs::MetadataExt;
    let base = site.path("public");
    let mut files: Vec<_> = walkdir::WalkDir::new(&base)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let meta = e.metadata().unwrap();
            let rel = e.path().strip_prefix(&base).unwrap();
            (
                rel.to_string_lossy().into_owned(),
                meta.ino(),
                meta.modified().unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

#[cfg(unix)]
#[test]
fn a_rebuild_with_nothing_changed_writes_no_file() {
    let site = Site::fixture("basic");
    site.build_ok();
    let first = identities(&site);
    // The second build writes a fresh folder and keeps the first as the
    // spare; the third updates the spare, which needs no change at all.
    site.build_ok();
    assert!(site.exists(".public.spare/index.html"));
    site.build_ok();
    assert_eq!(identities(&site), first);
}

#[cfg(unix)]
#[test]
fn a_recycled_output_is_exactly_a_clean_build() {
    let site = Site::fixture("basic");
    site.build_ok();
    // The third build will update this first tree, kept as the spare.
    let before = identities(&site);
    site.build_ok();
    // Edit one article, delete another, turn a static file into a folder.
    let published = site.read("content/education/published.md");
    site.write(
        "content/education/published.md",
        &format!("{published}\n新加的一段。\n"),
    );
    site.remove("content/qa/links.md");
    site.remove("static/about.txt");
    site.write("static/about.txt/index.txt", "关于我们\n");
    site.build_ok();
    let recycled = site.output_tree("public");

    let clean = Site::fixture("basic");
    clean.write(
        "content/education/published.md",
        &format!("{published}\n新加的一段。\n"),
    );
    clean.remove("content/qa/links.md");
    clean.remove("static/about.txt");
    clean.write("static/about.txt/index.txt", "关于我们\n");
    clean.build_ok();
    assert_eq!(recycled, clean.output_tree("public"));
    assert!(!site.exists("public/qa/links/index.html"));

    // Files that did not change were left alone; the edited page was not.
    let after = identities(&site);
    let find = |files: &[(String, u64, std::time::SystemTime)], path: &str| {
        files.iter().find(|f| f.0 == path).cloned().unwrap()
    };
    assert_eq!(find(&after, "robots.txt"), find(&before, "robots.txt"));
    let page = "education/published/index.html";
    assert!(
        find(&after, page) != find(&before, page)
            && String::from_utf8_lossy(&recycled.iter().find(|f| f.0 == page).unwrap().1)
                .contains("新加的一段")
    );
}
