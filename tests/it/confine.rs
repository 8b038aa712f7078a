//! Issue 21, "Never destroy, never run a stranger's script": paths editors
//! write stay inside the site, and what static/ and page bundles publish
//! cannot run code on the site's address.
//!
//! Each site sits in a [`Beside`] folder next to `victim/`: a text file, a
//! folder and a symbolic link that a path leaving the site would overwrite,
//! delete or turn into a folder. Builds run twice after a first good build,
//! so the second writes into the spare copy of the output (`.public.spare`),
//! where pufa deletes what is in the way: that is where a path outside the
//! output used to destroy files.

use std::path::PathBuf;
use std::process::Output;

use assert_cmd::Command;

use crate::support::{NOW, PNG, Site};

/// A site folder with a `victim/` folder beside it.
struct Beside {
    dir: tempfile::TempDir,
}

/// Path under `victim/` → what it is (and a file's text).
type Victim = Vec<(String, String)>;

fn article(front: &str) -> String {
    format!("---\ntitle: 甲\ndate: 2026-01-01\nsummary: 摘要\n{front}---\n\n正文。\n")
}

impl Beside {
    fn new() -> Beside {
        let beside = Beside {
            dir: tempfile::tempdir().unwrap(),
        };
        beside.write(
            "site/site.yaml",
            "title: 小站\nbase_url: https://x.example.cn/\n",
        );
        beside.write("site/content/news/_index.md", "---\ntitle: 新闻\n---\n");
        beside.write("site/content/news/ok.md", &article(""));
        std::fs::create_dir_all(beside.site().join("static")).unwrap();
        beside.write("victim/notes.txt", "要紧的笔记\n");
        beside.write("victim/folder/keep.txt", "留着\n");
        beside.write("victim/target.txt", "链接的目标\n");
        #[cfg(unix)]
        std::os::unix::fs::symlink("target.txt", beside.victim().join("link")).unwrap();
        beside
    }

    fn site(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    fn victim(&self) -> PathBuf {
        self.dir.path().join("victim")
    }

    /// Writes a file; `rel` is relative to the folder holding `site/`.
    fn write(&self, rel: &str, text: &str) -> &Self {
        self.write_bytes(rel, text.as_bytes())
    }

    fn write_bytes(&self, rel: &str, bytes: &[u8]) -> &Self {
        let path = self.dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
        self
    }

    fn pufa(&self, args: &[&str]) -> Output {
        Command::cargo_bin("pufa")
            .unwrap()
            .args(args)
            .arg("--root")
            .arg(self.site())
            .env("PUFA_NOW", NOW)
            .output()
            .unwrap()
    }

    /// `pufa build`: exit status and stderr.
    fn build(&self) -> (Option<i32>, String) {
        let out = self.pufa(&["build"]);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(!stderr.contains("panicked"), "{stderr}");
        (out.status.code(), stderr)
    }

    fn build_ok(&self) -> String {
        let (code, stderr) = self.build();
        assert_eq!(code, Some(0), "build failed:\n{stderr}");
        stderr
    }

    fn build_err(&self) -> String {
        let (code, stderr) = self.build();
        assert_eq!(code, Some(1), "expected errors, got:\n{stderr}");
        stderr
    }

    /// Two good builds: `public/` and its spare copy both exist.
    fn with_spare(self) -> Self {
        self.build_ok();
        self.build_ok();
        assert!(self.site().join(".public.spare").is_dir());
        self
    }

    /// Everything under `victim/`, folders and links included.
    fn victim_state(&self) -> Victim {
        let base = self.victim();
        walkdir::WalkDir::new(&base)
            .sort_by_file_name()
            .into_iter()
            .map(|e| {
                let e = e.unwrap();
                let rel = e.path().strip_prefix(&base).unwrap().display().to_string();
                let what = if e.path_is_symlink() {
                    format!(
                        "link to {}",
                        std::fs::read_link(e.path()).unwrap().display()
                    )
                } else if e.file_type().is_dir() {
                    "folder".to_string()
                } else {
                    String::from_utf8_lossy(&std::fs::read(e.path()).unwrap()).into_owned()
                };
                (rel, what)
            })
            .collect()
    }

    fn published(&self, rel: &str) -> bool {
        self.site().join("public").join(rel).exists()
    }

    /// Every file the folder holding `site/` and `victim/` has, outside
    /// `site/`: nothing may appear there.
    fn strays(&self) -> Vec<PathBuf> {
        walkdir::WalkDir::new(self.dir.path())
            .into_iter()
            .filter_map(Result::ok)
            .map(|e| {
                e.path()
                    .strip_prefix(self.dir.path())
                    .unwrap()
                    .to_path_buf()
            })
            .filter(|p| {
                !p.as_os_str().is_empty() && !p.starts_with("site") && !p.starts_with("victim")
            })
            .collect()
    }
}

/// Finding 1: the square share image of a cover was named from the
/// cover's URL, percent-decoded after the "inside the site" check, so
/// static/ folders literally named `%2e%2e` led two folders above the
/// output. The first build made folders and a `.square.png` outside the
/// site; with a spare output, the next one deleted `victim/notes.txt` to
/// make a folder in its place, and turned the link into a folder.
#[test]
fn covers_with_encoded_dots_never_write_or_delete_outside_the_site() {
    let beside = Beside::new().with_spare();
    let before = beside.victim_state();
    // The folders the encoded paths name, literally, so that each cover
    // exists under static/ as written.
    beside.write_bytes("site/static/%2e%2e/%2e%2e/victim/notes.txt/p.png", PNG);
    beside.write_bytes("site/static/%2E%2E/%2E%2E/victim/link/p.png", PNG);
    beside.write(
        "site/content/news/a.md",
        &article("cover: /%2e%2e/%2e%2e/victim/notes.txt/p.png\n"),
    );
    beside.write(
        "site/content/news/b.md",
        &article("cover: \"%2E%2E/%2E%2E/victim/link/p.png\"\n"),
    );
    let expected = [
        "content/news/a.md:5:1: error: `cover: /%2e%2e/%2e%2e/victim/notes.txt/p.png` is not a usable path: it has an encoded dot (`%2e`)",
        "  错误：「cover: /%2e%2e/%2e%2e/victim/notes.txt/p.png」不能用作路径：含有编码过的点（「%2e」）",
        "  hint: write the image's path as it is on disk, beside the article or under static/, e.g. `cover: /images/a.png`",
        "content/news/b.md:5:1: error: `cover: %2E%2E/%2E%2E/victim/link/p.png` is not a usable path: it has an encoded dot (`%2e`)",
        "2 error(s), 0 warning(s); nothing was written",
    ];
    for _ in 0..2 {
        let (code, err) = beside.build();
        assert_eq!(beside.victim_state(), before, "{err}");
        assert_eq!(beside.strays(), Vec::<PathBuf>::new());
        assert_eq!(code, Some(1), "{err}");
        for line in expected {
            assert!(
                err.lines().any(|l| l == line),
                "missing `{line}` in:\n{err}"
            );
        }
    }
    // `pufa check` reports the same errors, and writes nothing either.
    let check = beside.pufa(&["check"]);
    assert_eq!(check.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&check.stdout);
    for line in &expected[..4] {
        assert!(
            stdout.lines().any(|l| l == *line),
            "missing `{line}` in:\n{stdout}"
        );
    }
    assert_eq!(beside.victim_state(), before);
}

/// Other spellings of a way out of static/: encoded twice, backslashes,
/// an encoded slash, a drive letter, `//`, a NUL.
#[test]
fn covers_spelled_to_hide_a_way_out_are_errors() {
    let beside = Beside::new();
    for (name, cover, why) in [
        (
            "a",
            "/%252e%252e/%252e%252e/victim/p.png",
            "it is percent-encoded twice (`%25…`)",
        ),
        (
            "b",
            "'..\\..\\victim\\notes.txt'",
            "it uses `\\`, and paths use `/`",
        ),
        (
            "c",
            "/images%2f..%2f..%2f..%2fvictim/p.png",
            "it has an encoded `/` or `\\` (`%2f`, `%5c`)",
        ),
        ("d", "C:/Users/x/p.png", "it is an absolute path"),
        ("e", "//evil.example/p.png", "it is an absolute path"),
        (
            "f",
            "/images/p%00.png",
            "it contains the invisible control character U+0000",
        ),
        (
            "g",
            "/images/%c0%ae%c0%ae/p.png",
            "its percent-encoding does not decode to UTF-8 text",
        ),
    ] {
        beside.write(
            &format!("site/content/news/{name}.md"),
            &article(&format!("cover_square: {cover}\n")),
        );
        let cover = cover.trim_matches('\'').replace("\\\\", "\\");
        let line = format!(
            "content/news/{name}.md:5:1: error: `cover_square: {cover}` is not a usable path: {why}"
        );
        let err = beside.build_err();
        assert!(
            err.lines().any(|l| l == line),
            "missing `{line}` in:\n{err}"
        );
        std::fs::remove_file(beside.site().join(format!("content/news/{name}.md"))).unwrap();
    }
    assert_eq!(beside.strays(), Vec::<PathBuf>::new());
}

/// A file named `a\..\..\..\evil.txt` under static/ (a plain name on
/// Unix) was published at `a/../../../evil.txt`: the backslashes became
/// separators, and the file was written beside the site.
#[cfg(unix)]
#[test]
fn a_static_file_named_with_backslashes_is_an_error_not_a_write_outside() {
    let beside = Beside::new().with_spare();
    beside.write("site/static/a\\..\\..\\..\\evil.txt", "EVIL");
    beside.write("site/static/b\\c.txt", "x");
    for _ in 0..2 {
        let (code, err) = beside.build();
        assert_eq!(beside.strays(), Vec::<PathBuf>::new(), "{err}");
        assert_eq!(code, Some(1), "{err}");
        for line in [
            "static/a\\..\\..\\..\\evil.txt: error: cannot publish this file at `a\\..\\..\\..\\evil.txt`: it uses `\\`, and paths use `/`",
            "  hint: rename the file (letters, digits, `-` and `_` are safe everywhere)",
            "static/b\\c.txt: error: cannot publish this file at `b\\c.txt`: it uses `\\`, and paths use `/`",
            "2 error(s), 0 warning(s); nothing was written",
        ] {
            assert!(
                err.lines().any(|l| l == line),
                "missing `{line}` in:\n{err}"
            );
        }
    }
}

/// A cover under static/ reached through a symbolic link read an image
/// outside the site and published its square crop.
#[cfg(unix)]
#[test]
fn a_cover_through_a_symbolic_link_is_an_error() {
    let beside = Beside::new().with_spare();
    beside.write_bytes("victim/photo.png", PNG);
    std::os::unix::fs::symlink(beside.victim(), beside.site().join("static/linked")).unwrap();
    beside.write(
        "site/content/news/a.md",
        &article("cover: /linked/photo.png\n"),
    );
    let before = beside.victim_state();
    let err = beside.build_err();
    let line = "content/news/a.md:5:1: error: `cover: /linked/photo.png` goes through the symbolic link static/linked; pufa publishes only real files inside the site";
    assert!(
        err.lines().any(|l| l == line),
        "missing `{line}` in:\n{err}"
    );
    assert_eq!(beside.victim_state(), before);
}

/// A cover in a hidden folder of static/ would have published its square
/// crop (and a hidden folder) though the folder itself is never published.
#[test]
fn a_cover_in_a_hidden_folder_is_an_error() {
    let beside = Beside::new();
    beside.write_bytes("site/static/.private/photo.png", PNG);
    beside.write(
        "site/content/news/a.md",
        &article("cover: /.private/photo.png\n"),
    );
    let err = beside.build_err();
    let line = "content/news/a.md:5:1: error: `cover: /.private/photo.png` is a hidden or temporary file, which pufa does not publish";
    assert!(
        err.lines().any(|l| l == line),
        "missing `{line}` in:\n{err}"
    );
    // `.well-known/` is published, and so are covers in it.
    beside.write_bytes("site/static/.well-known/photo.png", PNG);
    beside.write(
        "site/content/news/a.md",
        &article("cover: /.well-known/photo.png\n"),
    );
    beside.build_ok();
    assert!(beside.published(".well-known/photo.square.png"));
}

/// Covers that stay inside the site work as before, from the article's
/// folder (`../`) and from static/ (`/x`, `x`, percent-encoded names).
#[test]
fn covers_inside_the_site_still_work() {
    let beside = Beside::new();
    beside.write_bytes("site/content/news/shared/cover.png", PNG);
    beside.write("site/content/news/shared/index.md", &article(""));
    beside.write_bytes("site/content/news/b/cover.png", PNG);
    beside.write(
        "site/content/news/b/index.md",
        &article("cover: ../shared/cover.png\n"),
    );
    beside.write_bytes("site/static/images/封面.png", PNG);
    beside.write(
        "site/content/news/c.md",
        &article("cover: /images/%E5%B0%81%E9%9D%A2.png\n"),
    );
    beside.write(
        "site/content/news/d.md",
        &article("cover: images/./封面.png\n"),
    );
    beside.build_ok();
    let page = std::fs::read_to_string(beside.site().join("public/news/c/index.html")).unwrap();
    assert!(
        page.contains("/images/%E5%B0%81%E9%9D%A2.square.png"),
        "{page}"
    );
    assert!(beside.published("images/封面.square.png"));
    assert!(beside.published("news/shared/cover.square.png"));
    let page = std::fs::read_to_string(beside.site().join("public/news/b/index.html")).unwrap();
    assert!(page.contains("/news/shared/cover.square.png"), "{page}");
}

/// Finding 9: `pufa new ../../x` wrote beside the site, `pufa new /abs/x`
/// anywhere, and a section folder that is a link led outside too.
#[test]
fn pufa_new_writes_only_inside_content() {
    let beside = Beside::new();
    let before = beside.victim_state();
    let victim = beside.victim().join("x");
    let absolute = victim.to_str().unwrap();
    let cases = [
        (
            "../../victim/x",
            "error: `../../victim/x` is not a place inside content/: its `..` lead out of the folder",
        ),
        (
            "news/../../../victim/x",
            "error: `news/../../../victim/x` is not a place inside content/: its `..` lead out of the folder",
        ),
        (
            "%2e%2e/%2e%2e/victim/x",
            "error: `%2e%2e/%2e%2e/victim/x` is not a place inside content/: it has an encoded dot (`%2e`)",
        ),
        (
            "..\\..\\victim\\x",
            "error: `..\\..\\victim\\x` is not a place inside content/: it uses `\\`, and paths use `/`",
        ),
    ];
    // The first line of each error; the hint says what to write.
    let first_line = |out: &std::process::Output| {
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(
            err.contains("\n  hint: write SECTION/NAME, e.g. `qa/new-article`\n"),
            "{err}"
        );
        err.lines().next().unwrap_or_default().to_string()
    };
    for (arg, message) in cases {
        let out = beside.pufa(&["new", arg]);
        assert_eq!(out.status.code(), Some(2), "{arg}");
        assert_eq!(first_line(&out), message);
    }
    let out = beside.pufa(&["new", absolute]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        first_line(&out),
        format!("error: `{absolute}` is not a place inside content/: it is an absolute path")
    );
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(beside.victim(), beside.site().join("content/linked")).unwrap();
        let out = beside.pufa(&["new", "linked/x"]);
        assert_eq!(out.status.code(), Some(2));
        assert_eq!(
            String::from_utf8_lossy(&out.stderr).lines().next(),
            Some(
                "error: content/linked is a symbolic link; pufa new writes only into real folders inside content/"
            )
        );
    }
    assert_eq!(beside.victim_state(), before);
    assert_eq!(beside.strays(), Vec::<PathBuf>::new());
    // A name the build would skip is refused too: the draft would vanish.
    let out = beside.pufa(&["new", "news/.draft"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim_end(),
        "error: `.draft.md` is a hidden or temporary name that the build skips
  错误：「.draft.md」是隐藏或临时文件的名字，构建时会跳过
  hint: choose another name
  提示：换一个名字"
    );
    // Inside content/, `.` and `..` that stay there are fine.
    let out = beside.pufa(&["new", "news/./../news/fine"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(beside.site().join("content/news/fine.md").is_file());
}

/// Finding 4: dotfiles under static/ were published (`.git/config`,
/// `.env`, `.htpasswd`). Now only `.well-known/` is, and each skipped
/// hidden file or folder is named in a warning.
#[test]
fn hidden_files_under_static_are_not_published_but_well_known_is() {
    let beside = Beside::new();
    beside.write("site/static/.git/config", "[remote \"origin\"]\n");
    beside.write("site/static/.env", "DB_PASSWORD=secret\n");
    beside.write("site/static/.htpasswd", "admin:$apr1$x\n");
    beside.write("site/static/docs/.secret.txt", "x");
    beside.write("site/static/docs/a.txt", "x");
    beside.write("site/static/.DS_Store", "x");
    beside.write(
        "site/static/.well-known/security.txt",
        "Contact: mailto:a@x.cn\n",
    );
    beside.write("site/content/news/b/index.md", &article(""));
    beside.write("site/content/news/b/.env", "x");
    beside.build_ok();
    // Every warning: the build shows 3 of a kind and counts the rest.
    let stderr = String::from_utf8(beside.pufa(&["check", "--all"]).stdout).unwrap();
    for gone in [
        ".git/config",
        ".env",
        ".htpasswd",
        "docs/.secret.txt",
        ".DS_Store",
        "news/b/.env",
    ] {
        assert!(!beside.published(gone), "{gone} was published");
    }
    assert!(beside.published(".well-known/security.txt"));
    assert!(beside.published("docs/a.txt"));
    for path in [".env", ".git", ".htpasswd", "docs/.secret.txt"] {
        let line = format!(
            "static/{path}: warning: not published: hidden files and folders (names starting with `.`) often hold secrets"
        );
        assert!(
            stderr.lines().any(|l| l == line),
            "missing `{line}` in:\n{stderr}"
        );
    }
    assert!(
        stderr.contains("  hint: only .well-known/ is published among them; if the server needs this file, put it there by other means"),
        "{stderr}"
    );
    assert!(!stderr.contains(".DS_Store"), "{stderr}");
    assert!(
        !stderr.contains("static/.git/config"),
        "one warning for the folder:\n{stderr}"
    );
}

/// Finding 4: an HTML page beside an article was published and ran its
/// scripts on the site's address. Now it needs `static.allow_html`.
#[test]
fn html_beside_an_article_is_published_only_when_allowed() {
    let beside = Beside::new();
    beside.write("site/content/news/b/index.md", &article(""));
    beside.write(
        "site/content/news/b/form.html",
        "<script>document.cookie</script>",
    );
    beside.write("site/content/news/b/old.HTM", "<p>x</p>");
    beside.write("site/content/news/b/style.xsl", "<xsl:stylesheet/>");
    beside.write("site/static/google1234.html", "google-site-verification");
    let stderr = beside.build_ok();
    assert!(!beside.published("news/b/form.html"));
    assert!(!beside.published("news/b/old.HTM"));
    assert!(
        beside.published("google1234.html"),
        "static/ keeps its pages"
    );
    assert!(!beside.published("news/b/style.xsl"));
    for file in ["form.html", "old.HTM", "style.xsl"] {
        let line = format!(
            "content/news/b/{file}: warning: not published: a web page beside an article (HTML, XHTML or XSLT) runs its scripts on the site's own address"
        );
        assert!(
            stderr.lines().any(|l| l == line),
            "missing `{line}` in:\n{stderr}"
        );
    }
    assert!(stderr.contains("  hint: put its content in the article, or set `static: { allow_html: true }` in site.yaml if every editor is trusted"), "{stderr}");
    beside.write(
        "site/site.yaml",
        "title: 小站\nbase_url: https://x.example.cn/\nstatic:\n  allow_html: true\n",
    );
    let stderr = beside.build_ok();
    assert!(!stderr.contains("web page"), "{stderr}");
    assert!(beside.published("news/b/form.html"));
}

const SCRIPTED_SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\">\n  <circle r=\"4\"/>\n  <rect onload=\"alert(document.domain)\"/>\n</svg>\n";

/// Finding 4: SVG images with scripts were published as they were, from
/// static/ and from page bundles.
#[test]
fn svg_images_that_could_run_code_are_errors_at_their_position() {
    let beside = Beside::new();
    beside.write("site/static/logo.svg", SCRIPTED_SVG);
    beside.write("site/content/news/b/index.md", &article(""));
    beside.write(
        "site/content/news/b/chart.svg",
        "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">\n<a xlink:href=\"javascript:alert(1)\"><text>点我</text></a>\n<script>alert(2)</script></svg>\n",
    );
    beside.write(
        "site/static/clean.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><defs><linearGradient id=\"g\"/></defs><rect fill=\"url(#g)\" width=\"4\" height=\"4\"/></svg>",
    );
    let expected = [
        "static/logo.svg:3:9: error: this SVG image could run code or load other files: the event handler `onload`",
        "  错误：这个 SVG 图片可能运行代码或加载其他文件：事件属性「onload」",
        "  hint: remove it (in the drawing program or a text editor), or export the image as PNG",
        "content/news/b/chart.svg:3:4: error: this SVG image could run code or load other files: the link `javascript:alert(1)` (only `#id` or an embedded PNG, JPEG, GIF or WebP is allowed)",
        "content/news/b/chart.svg:4:1: error: this SVG image could run code or load other files: a `<script>` element",
    ];
    let err = beside.build_err();
    for line in expected {
        assert!(
            err.lines().any(|l| l == line),
            "missing `{line}` in:\n{err}"
        );
    }
    assert!(!err.contains("clean.svg"), "{err}");
    let check = beside.pufa(&["check"]);
    assert_eq!(check.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&check.stdout);
    for line in expected {
        assert!(
            stdout.lines().any(|l| l == line),
            "missing `{line}` in:\n{stdout}"
        );
    }
    // Without the unsafe ones, the safe SVG is published as it is.
    std::fs::remove_file(beside.site().join("static/logo.svg")).unwrap();
    std::fs::remove_file(beside.site().join("content/news/b/chart.svg")).unwrap();
    beside.build_ok();
    assert!(beside.published("clean.svg"));
}

/// Finding 9: two files whose output paths differ only in case collide on
/// Windows, macOS and many CDNs; they were published without a word.
#[test]
fn files_differing_only_in_case_get_a_warning_naming_both() {
    let beside = Beside::new();
    beside.write_bytes("site/static/images/Logo.png", PNG);
    beside.write_bytes("site/static/images/logo.png", PNG);
    beside.write("site/content/news/b/index.md", &article(""));
    beside.write("site/content/news/b/Report.pdf", "x");
    beside.write("site/content/news/b/report.PDF", "x");
    let stderr = beside.build_ok();
    for line in [
        "static/images/logo.png: warning: published as `images/logo.png`, which differs only in case from `images/Logo.png` (static/images/Logo.png)",
        "  hint: rename one of them: on Windows, macOS and many servers and CDNs the two are one file",
        "content/news/b/report.PDF: warning: published as `news/b/report.PDF`, which differs only in case from `news/b/Report.pdf` (content/news/b/Report.pdf)",
    ] {
        assert!(
            stderr.lines().any(|l| l == line),
            "missing `{line}` in:\n{stderr}"
        );
    }
}

/// Paths in site.yaml go through the same confinement as editors' paths:
/// a theme is a folder name under themes/ (`theme: ../../x` read templates
/// from anywhere), and the share image and default cover are under static/.
#[test]
fn paths_in_site_yaml_stay_inside_the_site() {
    let site = Site::minimal();
    site.write(
        "site.yaml",
        "title: 小站\nbase_url: https://x.example.cn/\ntheme: ../../outside\n\
         wechat:\n  share_image: ../../../etc/share.png\n  default_cover: /%2e%2e/cover.png\n",
    );
    let out = site.pufa(&["check"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    for expected in [
        "site.yaml:3:1: error: `../../outside` in `theme` is not a usable path: ",
        "site.yaml:4:1: error: `../../../etc/share.png` in `wechat` is not a usable path: ",
        "site.yaml:4:1: error: `/%2e%2e/cover.png` in `wechat` is not a usable path: it has an encoded dot (`%2e`)",
    ] {
        assert!(
            stdout.contains(expected),
            "missing `{expected}` in:\n{stdout}"
        );
    }
    // Ordinary values still work.
    site.write(
        "site.yaml",
        "title: 小站\nbase_url: https://x.example.cn/\ntheme: default\n\
         wechat:\n  share_image: https://cdn.example.cn/share.png\n",
    );
    site.write(
        "content/news/a.md",
        &crate::support::article("甲", "2026-01-01", "", "正文。"),
    );
    site.build_ok();
}
