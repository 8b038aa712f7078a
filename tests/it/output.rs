//! The output folder: atomic replacement, byte-identical rebuilds, and
//! writing only into folders that are pufa's own.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use proptest::prelude::*;

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

// ---------------------------------------------------------------------------
// Issue 21: pufa writes only into a folder that is its own.

/// A file system entry as a user would notice a change to it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Entry {
    Dir,
    File(Vec<u8>),
    Link(std::path::PathBuf),
}

/// Every entry under `dir` (links not followed), by path relative to it.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Entry> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(Result::unwrap)
        .map(|e| {
            let kind = e.file_type();
            let entry = if kind.is_symlink() {
                Entry::Link(std::fs::read_link(e.path()).unwrap())
            } else if kind.is_dir() {
                Entry::Dir
            } else {
                Entry::File(std::fs::read(e.path()).unwrap())
            };
            (e.path().strip_prefix(dir).unwrap().to_path_buf(), entry)
        })
        .collect()
}

/// A site in `site/` of a temporary folder, with the editor's other things
/// around it (a sibling file, a notes folder), so a test sees everything a
/// build might touch.
struct Jail {
    dir: tempfile::TempDir,
}

impl Jail {
    fn new(fixture: &str) -> Jail {
        let jail = Jail {
            dir: tempfile::tempdir().unwrap(),
        };
        let from = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(fixture);
        crate::support::copy_dir(&from, &jail.path("site"));
        jail.write("site/themes/mine/static/style.css", "body {}\n");
        std::fs::create_dir_all(jail.path("site/statutes")).unwrap();
        jail.write("sibling.txt", "别删我\n");
        jail.write("notes/todo.txt", "待办\n");
        jail.write("notes/.hidden", "x\n");
        jail
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// `pufa ARGS --root .` run in the site folder: exit status and stderr.
    fn pufa(&self, args: &[&str]) -> (Option<i32>, String) {
        let out = Command::cargo_bin("pufa")
            .unwrap()
            .args(args)
            .args(["--root", "."])
            .current_dir(self.path("site"))
            .env("PUFA_NOW", crate::support::NOW)
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        (out.status.code(), stderr)
    }

    fn snapshot(&self) -> BTreeMap<PathBuf, Entry> {
        snapshot(self.dir.path())
    }

    /// Runs `args` twice (the second run is the one that used to delete),
    /// asserting both are refused with `message` and nothing changes.
    fn refused_twice(&self, args: &[&str], message: &str) {
        let before = self.snapshot();
        for _ in 0..2 {
            let (code, stderr) = self.pufa(args);
            assert_eq!(code, Some(2), "{args:?} was not refused:\n{stderr}");
            assert!(
                stderr.starts_with(message),
                "{args:?}: expected\n{message}\ngot\n{stderr}"
            );
            assert_eq!(self.snapshot(), before, "{args:?} touched something");
        }
    }
}

#[test]
fn building_into_content_is_refused_and_every_article_stays() {
    let jail = Jail::new("basic");
    jail.refused_twice(
        &["build", "--output", "content"],
        "error: refusing to write into content/: it is one of the site's inputs
  错误：拒绝写入 content/：它是站点的源文件夹之一
  hint: give a new folder outside content/, static/, themes/ and statutes/, or leave out --output for the default
  提示：请另选一个不在 content/、static/、themes/、statutes/ 里的新文件夹，或者去掉 --output 使用默认文件夹
",
    );
}

#[test]
fn every_input_and_every_folder_inside_one_is_refused() {
    let jail = Jail::new("basic");
    for input in ["static", "themes", "statutes", "./content/"] {
        let shown = if input.ends_with('/') {
            input.to_string()
        } else {
            format!("{input}/")
        };
        jail.refused_twice(
            &["build", "--output", input],
            &format!("error: refusing to write into {shown}: it is one of the site's inputs\n"),
        );
    }
    // An output inside static/ used to be published into itself, growing
    // every build; inside content/ or a theme it would be read as input.
    for (inside, input) in [
        ("static/public", "static"),
        ("content/education", "content"),
        ("themes/mine/static", "themes"),
        ("statutes/new/deeper", "statutes"),
    ] {
        jail.refused_twice(
            &["build", "--output", inside],
            &format!(
                "error: refusing to write into {inside}/: it is inside {input}/, one of the site's inputs\n  错误：拒绝写入 {inside}/：它在站点的源文件夹 {input}/ 里面\n"
            ),
        );
    }
}

#[test]
fn the_site_folder_and_every_folder_above_it_are_refused() {
    let jail = Jail::new("basic");
    let message = |shown: &str| {
        format!(
            "error: refusing to write into {shown}: it holds the site's own files (site.yaml, content/)
  错误：拒绝写入 {shown}：站点自己的文件（site.yaml、content/）在里面
  hint: pufa replaces everything in the folder it writes: give it a folder of its own, such as public/ in the site folder (the default)
  提示：pufa 会替换输出文件夹里的全部内容：请给它一个专用的文件夹，例如站点文件夹里的 public/（默认）
"
        )
    };
    jail.refused_twice(&["build", "--output", "."], &message("./"));
    jail.refused_twice(&["build", "--output", ".."], &message("../"));
    jail.refused_twice(&["build", "--output", "/"], &message("/"));
    let parent = jail.dir.path().to_str().unwrap();
    jail.refused_twice(
        &["build", "--output", parent],
        &message(&format!("{parent}/")),
    );
}

#[test]
fn a_folder_holding_other_files_is_refused() {
    let jail = Jail::new("basic");
    let message = "error: refusing to write into ../notes/: it holds files pufa did not write
  错误：拒绝写入 ../notes/：里面有不是 pufa 生成的文件
  hint: pufa replaces everything in the folder it writes, so it writes only into a new or empty folder, or one it made (with a `.pufa-output` file in it)
  提示：pufa 会替换输出文件夹里的全部内容，所以只写入新的或空的文件夹，或者它自己生成的文件夹（里面有「.pufa-output」文件）
";
    jail.refused_twice(&["build", "--output", "../notes"], message);
    // A file is not a folder.
    jail.refused_twice(
        &["build", "--output", "../sibling.txt"],
        "error: refusing to write into ../sibling.txt: it is a file, not a folder\n",
    );
    // The home folder is such a folder too (pufa has no list of special
    // places: a folder is pufa's or it is not).
    let home = tempfile::tempdir().unwrap();
    std::fs::write(home.path().join(".bashrc"), "# mine\n").unwrap();
    let before = snapshot(home.path());
    let (code, stderr) = jail.pufa(&["build", "--output", home.path().to_str().unwrap()]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("it holds files pufa did not write"),
        "{stderr}"
    );
    assert_eq!(snapshot(home.path()), before);
}

#[test]
fn new_empty_and_own_folders_are_written() {
    let jail = Jail::new("basic");
    std::fs::create_dir(jail.path("empty")).unwrap();
    for out in ["../empty", "../new/deeper/out", "public"] {
        for _ in 0..3 {
            let (code, stderr) = jail.pufa(&["build", "--output", out]);
            assert_eq!(code, Some(0), "{out}: {stderr}");
        }
        let dir = jail.path("site").join(out);
        assert!(dir.join("index.html").is_file(), "{out}");
        assert!(dir.join(".pufa-output").is_file(), "{out}");
    }
    // The rebuilds kept the previous build as the spare, marked too.
    assert!(jail.path("site/.public.spare/.pufa-output").is_file());
    assert!(jail.path("empty/index.html").is_file());
}

#[cfg(unix)]
/// A link planted inside pufa's own output (which becomes the spare the
/// next build updates in place) where a page's folder should be: the build
/// removes the link, never what it points at. The writer used to look at
/// the page's path first, through the linked folder, and deleted the
/// stranger's `index.html` folder there (found by the property below).
#[test]
fn a_link_planted_in_the_output_is_removed_not_followed() {
    let jail = Jail::new("basic");
    let (code, stderr) = jail.pufa(&["build"]);
    assert_eq!(code, Some(0), "{stderr}");
    std::fs::create_dir_all(jail.path("other/index.html/kept")).unwrap();
    jail.write("other/index.html/kept/note.txt", "别人的文件\n");
    let published = jail.path("site/public/education/published");
    std::fs::remove_dir_all(&published).unwrap();
    std::os::unix::fs::symlink("../../../other", &published).unwrap();
    let before = snapshot(&jail.path("other"));
    for _ in 0..3 {
        let (code, stderr) = jail.pufa(&["build"]);
        assert_eq!(code, Some(0), "{stderr}");
    }
    assert_eq!(snapshot(&jail.path("other")), before, "other/ changed");
    assert!(
        jail.path("site/public/education/published/index.html")
            .is_file()
    );
}

#[test]
fn a_linked_output_stays_a_link_to_the_new_site() {
    let jail = Jail::new("basic");
    std::fs::create_dir_all(jail.path("www/site")).unwrap();
    std::os::unix::fs::symlink("../www/site", jail.path("site/public")).unwrap();
    for round in 0..3 {
        if round == 2 {
            jail.write("site/static/about.txt", "新的关于\n");
        }
        let (code, stderr) = jail.pufa(&["build"]);
        assert_eq!(code, Some(0), "{stderr}");
        assert_eq!(
            std::fs::read_link(jail.path("site/public")).unwrap(),
            Path::new("../www/site"),
            "the link was replaced"
        );
    }
    // The link shows the newest build; the spare sits beside its target.
    assert_eq!(
        std::fs::read_to_string(jail.path("site/public/about.txt")).unwrap(),
        "新的关于\n"
    );
    assert!(jail.path("www/.site.spare/.pufa-output").is_file());
    assert!(!jail.path("site/.public.spare").exists());

    // A link to a folder that is not pufa's is refused like the folder.
    std::os::unix::fs::symlink("../notes", jail.path("site/to-notes")).unwrap();
    let notes = std::fs::canonicalize(jail.path("notes")).unwrap();
    jail.refused_twice(
        &["build", "--output", "to-notes"],
        &format!(
            "error: refusing to write into to-notes/ (a link to {}/): it holds files pufa did not write\n",
            notes.display()
        ),
    );
    // So is a link into the site's inputs.
    std::os::unix::fs::symlink("content/qa", jail.path("site/to-qa")).unwrap();
    jail.refused_twice(
        &["build", "--output", "to-qa"],
        "error: refusing to write into to-qa/ (a link to ",
    );
}

#[test]
fn wechat_export_obeys_the_same_rules() {
    let jail = Jail::new("wechat");
    jail.refused_twice(
        &["wechat", "--output", "content"],
        "error: refusing to write into content/: it is one of the site's inputs\n",
    );
    jail.refused_twice(
        &["wechat", "--output", ".."],
        "error: refusing to write into ../: it holds the site's own files (site.yaml, content/)\n",
    );
    jail.refused_twice(
        &["wechat", "--output", "../notes"],
        "error: refusing to write into ../notes/: it holds files pufa did not write\n",
    );
    for _ in 0..2 {
        let (code, stderr) = jail.pufa(&["wechat"]);
        assert_eq!(code, Some(0), "{stderr}");
    }
    assert!(jail.path("site/wechat/.pufa-output").is_file());
}

/// Builds twice, then removes the marks, as an earlier pufa left them.
fn built_by_an_earlier_pufa(jail: &Jail, command: &str, out: &str) {
    for _ in 0..2 {
        let (code, stderr) = jail.pufa(&[command]);
        assert_eq!(code, Some(0), "{stderr}");
    }
    // (Without the unwrap, this also runs against the older pufa itself.)
    for dir in [format!("site/{out}"), format!("site/.{out}.spare")] {
        let _ = std::fs::remove_file(jail.path(&format!("{dir}/.pufa-output")));
    }
}

#[test]
fn an_earlier_pufas_output_is_adopted() {
    let jail = Jail::new("basic");
    built_by_an_earlier_pufa(&jail, "build", "public");
    let (code, stderr) = jail.pufa(&["build"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(jail.path("site/public/.pufa-output").is_file());
    assert!(jail.path("site/.public.spare/.pufa-output").is_file());

    let jail = Jail::new("wechat");
    built_by_an_earlier_pufa(&jail, "wechat", "wechat");
    let (code, stderr) = jail.pufa(&["wechat"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(jail.path("site/wechat/.pufa-output").is_file());
}

#[test]
fn an_earlier_pufas_output_holding_the_editors_files_is_refused() {
    let jail = Jail::new("basic");
    built_by_an_earlier_pufa(&jail, "build", "public");
    jail.write("site/public/草稿.md", "我的草稿\n");
    jail.refused_twice(
        &["build"],
        "error: refusing to write into ./public/: it looks like an earlier pufa's output, but holds `草稿.md`, which pufa never writes
  错误：拒绝写入 ./public/：它像是旧版 pufa 生成的文件夹，但里面有 pufa 从不生成的「草稿.md」
  hint: move `草稿.md` and anything else of yours out of it, then build again
  提示：把「草稿.md」和你自己的其他文件移出去，再重新构建
",
    );
    std::fs::remove_file(jail.path("site/public/草稿.md")).unwrap();
    // The old pufa moved a folder it was pointed at aside as the spare:
    // the editor's files there are not recycled either.
    jail.write("site/.public.spare/.git/HEAD", "ref: refs/heads/main\n");
    jail.refused_twice(
        &["build"],
        "error: refusing to write into ./public/: `.public.spare` beside it, where pufa keeps the previous build, holds `.git`, which pufa never writes
  错误：拒绝写入 ./public/：它旁边的「.public.spare」（pufa 存放上一次构建的地方）里有 pufa 从不生成的「.git」
  hint: pufa empties that folder when it builds: move `.public.spare` somewhere safe, then build again
  提示：pufa 构建时会清空这个文件夹：请先把「.public.spare」移到安全的地方，再重新构建
",
    );
}

#[test]
fn a_spare_that_is_not_pufas_is_refused() {
    let jail = Jail::new("basic");
    let (code, stderr) = jail.pufa(&["build"]);
    assert_eq!(code, Some(0), "{stderr}");
    jail.write("site/.public.spare/mine.txt", "我的\n");
    jail.refused_twice(
        &["build"],
        "error: refusing to write into ./public/: `.public.spare` beside it, where pufa keeps the previous build, holds files pufa did not write\n",
    );
}

#[test]
fn folders_merely_named_like_staging_folders_are_kept() {
    let jail = Jail::new("basic");
    jail.write("site/.public.tmp-1/mine.txt", "我的\n");
    jail.write("site/.public.old-2/mine.txt", "我的\n");
    // What a killed build leaves: a marked folder, or an empty one.
    jail.write("site/.public.tmp-3/.pufa-output", "");
    std::fs::create_dir(jail.path("site/.public.tmp-4")).unwrap();
    let (code, stderr) = jail.pufa(&["build"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(jail.path("site/.public.tmp-1/mine.txt").is_file());
    assert!(jail.path("site/.public.old-2/mine.txt").is_file());
    assert!(!jail.path("site/.public.tmp-3").exists());
    assert!(!jail.path("site/.public.tmp-4").exists());
}

#[cfg(unix)]
#[test]
fn a_lock_file_that_is_a_link_is_refused() {
    let jail = Jail::new("basic");
    // Opening it to lock would create (or open for writing) its target.
    std::os::unix::fs::symlink("../elsewhere.txt", jail.path("site/.public.lock")).unwrap();
    jail.refused_twice(
        &["build"],
        "error: refusing to write into ./public/: `.public.lock` beside it is not a plain file\n",
    );
}

// ---------------------------------------------------------------------------
// The property: whatever folder a build is pointed at, what pufa did not
// write survives two builds, and a refusal touches nothing at all.

/// What a build into an output should do.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Expect {
    Written,
    Refused,
    /// Depends on the generated tree.
    Either,
}

/// Outputs to try, relative to the site folder (the builds' working folder).
const OUTPUTS: &[(&str, Expect)] = &[
    (".", Expect::Refused),
    ("..", Expect::Refused),
    ("content", Expect::Refused),
    ("content/qa", Expect::Refused),
    ("static", Expect::Refused),
    ("static/new", Expect::Refused),
    ("themes", Expect::Refused),
    ("statutes", Expect::Refused),
    ("../notes", Expect::Refused),
    ("../other", Expect::Refused),
    ("../other/d0", Expect::Either),
    ("../sibling.txt", Expect::Refused),
    ("../loop", Expect::Refused),
    ("../empty", Expect::Written),
    ("../missing/out", Expect::Written),
    ("../marked", Expect::Written),
    ("public", Expect::Written),
];

/// Where generated links point, relative to the temporary folder.
const LINK_TARGETS: &[&str] = &[
    "site",
    "site/content",
    "site/static",
    "marked",
    "empty",
    "notes",
    "sibling.txt",
    "other",
    "nowhere",
    "",
];

#[derive(Debug, Clone)]
enum Kind {
    File(String),
    Dir,
    /// A link to `LINK_TARGETS[i]`.
    Link(usize),
}

fn generated_entry() -> impl Strategy<Value = (String, Kind)> {
    let folder = prop_oneof![Just(""), Just("d0/"), Just("d0/d1/"), Just("d2/")];
    let name = prop_oneof![
        Just("a"),
        Just("b.md"),
        Just("index.html"),
        Just("d0"),
        Just("news")
    ];
    let kind = prop_oneof![
        "[a-z一-龥]{0,8}".prop_map(Kind::File),
        Just(Kind::Dir),
        (0..LINK_TARGETS.len()).prop_map(Kind::Link),
    ];
    ((folder, name).prop_map(|(f, n)| format!("{f}{n}")), kind)
}

#[derive(Debug, Clone)]
struct Case {
    /// Index into [`OUTPUTS`].
    output: usize,
    /// Build through a link to the output instead of naming it.
    via_link: bool,
    /// The unrelated tree under `other/` (at least one entry).
    other: Vec<(String, Kind)>,
    /// Links planted inside pufa's own output and its spare (a stranger
    /// may put them there; pufa must not write through them).
    planted: Vec<(bool, String, usize)>,
}

fn case() -> impl Strategy<Value = Case> {
    (
        0..OUTPUTS.len(),
        any::<bool>(),
        proptest::collection::vec(generated_entry(), 1..8),
        proptest::collection::vec(
            (
                any::<bool>(),
                // None inside another: a planted link must not lead the
                // next one out of pufa's folder while the case is set up.
                prop_oneof![Just("index.html"), Just("qa"), Just("education/published")],
                0..LINK_TARGETS.len(),
            )
                .prop_map(|(spare, name, to)| (spare, name.to_string(), to)),
            0..3,
        ),
    )
        .prop_map(|(output, via_link, other, planted)| Case {
            output,
            via_link,
            other,
            planted,
        })
}

/// A site built twice into `marked/` (so with a spare), made once and
/// copied into every case.
fn marked_template() -> &'static Path {
    static TEMPLATE: std::sync::OnceLock<Jail> = std::sync::OnceLock::new();
    TEMPLATE
        .get_or_init(|| {
            let jail = Jail::new("basic");
            for _ in 0..2 {
                let (code, stderr) = jail.pufa(&["build", "--output", "../marked"]);
                assert_eq!(code, Some(0), "{stderr}");
            }
            jail
        })
        .dir
        .path()
}

#[cfg(unix)]
fn link(target: &Path, at: &Path) {
    // A name already taken (a file where a folder should go) is skipped.
    let _ = std::fs::create_dir_all(at.parent().unwrap());
    let _ = std::os::unix::fs::symlink(target, at);
}

#[cfg(unix)]
fn set_up(case: &Case) -> Jail {
    let jail = Jail::new("basic");
    let template = marked_template();
    crate::support::copy_dir(&template.join("marked"), &jail.path("marked"));
    crate::support::copy_dir(&template.join(".marked.spare"), &jail.path(".marked.spare"));
    std::fs::copy(template.join(".marked.lock"), jail.path(".marked.lock")).unwrap();
    std::fs::create_dir(jail.path("empty")).unwrap();
    link(Path::new("loop2"), &jail.path("loop"));
    link(Path::new("loop"), &jail.path("loop2"));
    let target = |i: usize| jail.path(LINK_TARGETS[i]);
    for (rel, kind) in &case.other {
        let at = jail.path("other").join(rel);
        // Nothing is made through a link made before: the tree stays in
        // other/ (a link to content/ must not put a file there).
        let through_link = at
            .ancestors()
            .skip(1)
            .take_while(|a| *a != jail.path("other"))
            .any(|a| std::fs::symlink_metadata(a).is_ok_and(|m| m.is_symlink()));
        if through_link {
            continue;
        }
        // A name already taken (a file where a folder should go) is skipped.
        let _ = std::fs::create_dir_all(at.parent().unwrap());
        match kind {
            Kind::File(text) => {
                let _ = std::fs::write(&at, text);
            }
            Kind::Dir => {
                let _ = std::fs::create_dir_all(&at);
            }
            Kind::Link(i) => link(&target(*i), &at),
        }
    }
    for (in_spare, rel, to) in &case.planted {
        let dir = if *in_spare { ".marked.spare" } else { "marked" };
        let at = jail.path(dir).join(rel);
        let _ = std::fs::remove_dir_all(&at);
        let _ = std::fs::remove_file(&at);
        link(&target(*to), &at);
    }
    jail
}

/// Whether `rel` is pufa's own: its output from the template, the spare,
/// the lock. What is inside may go; what links there lead to may not.
fn pufa_owns(rel: &Path) -> bool {
    rel.starts_with("marked")
        || rel.starts_with(".marked.spare")
        || rel == Path::new(".marked.lock")
}

#[cfg(unix)]
proptest! {
    #![proptest_config(proptest::test_runner::Config {
        // Each case is two builds of a small site (about 0.1 s): kept
        // modest for CI; `PROPTEST_CASES=500` searches longer.
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(24),
        failure_persistence: None,
        ..proptest::test_runner::Config::default()
    })]

    #[test]
    fn no_build_changes_what_pufa_did_not_write(case in case()) {
        let jail = set_up(&case);
        let (output, expect) = OUTPUTS[case.output];
        let output = if case.via_link {
            let to = jail.path("site").join(output);
            link(&to, &jail.path("site/link-out"));
            "link-out"
        } else {
            output
        };
        let before = jail.snapshot();
        let mut codes = Vec::new();
        for _ in 0..2 {
            let previous = jail.snapshot();
            let (code, stderr) = jail.pufa(&["build", "--output", output]);
            prop_assert!(code == Some(0) || code == Some(2), "exit {code:?}:\n{stderr}");
            if code == Some(2) {
                prop_assert!(stderr.starts_with("error: refusing to write into "), "{stderr}");
                prop_assert_eq!(&jail.snapshot(), &previous, "a refusal touched something");
            }
            codes.push(code);
        }
        prop_assert_eq!(codes[0], codes[1], "the second build decided otherwise");
        match expect {
            Expect::Written => prop_assert_eq!(codes[0], Some(0)),
            Expect::Refused => prop_assert_eq!(codes[0], Some(2)),
            Expect::Either => {}
        }
        let after = jail.snapshot();
        for (rel, entry) in &before {
            if !pufa_owns(rel) {
                prop_assert_eq!(after.get(rel), Some(entry), "{} changed", rel.display());
            }
        }
        if codes[0] == Some(0) {
            let written = jail.path("site").join(output);
            prop_assert!(written.join("index.html").is_file());
            prop_assert!(written.join(".pufa-output").is_file());
        }
    }
}
