//! A fixture site in a temporary folder, and the binary to run on it.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

/// Debian's Chromium, for the tests that look at pages as a browser does.
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// Headless Chromium on a machine without a network: no sandbox (root), no
/// GPU, and none of the background connections that would fail here.
pub const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

/// Held by tests that must not share the machine's two cores with each
/// other: the browser test (Chromium busy for most of a minute) and the
/// tests with a time limit it would push past (a 50 MB article's build).
pub fn alone() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The `--now` every test builds at unless it says otherwise.
pub const NOW: &str = "2026-11-29T12:00:00+08:00";

/// An article file: `title`, `date`, a summary and the `extra` front-matter
/// lines (each ending in `\n`), then `body`.
pub fn article(title: &str, date: &str, extra: &str, body: &str) -> String {
    format!("---\ntitle: {title}\ndate: {date}\nsummary: 摘要。\n{extra}---\n\n{body}\n")
}

/// A 4×4 red PNG (covers, images).
pub const PNG: &[u8] = b"\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x04\x00\x00\x00\x04\x08\x02\x00\x00\x00\x26\x93\x09\x29\x00\x00\x00\x10\x49\x44\x41\x54\x78\x9c\x63\x38\x60\x60\x00\x47\x0c\xc4\x71\x00\xdd\x43\x12\x01\x80\x75\xa2\x41\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60\x82";

/// A black PNG of `width` × `height` pixels.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    image::RgbImage::new(width, height)
        .write_to(&mut out, image::ImageFormat::Png)
        .unwrap();
    out.into_inner()
}

pub struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    /// A copy of `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> Site {
        let site = Site {
            dir: tempfile::tempdir().unwrap(),
        };
        let from = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        copy_dir(&from, site.root());
        site
    }

    /// A copy of the repository's sample site (not its `public/`).
    pub fn sample() -> Site {
        let site = Site {
            dir: tempfile::tempdir().unwrap(),
        };
        copy_sample(site.root());
        site
    }

    /// A site with only a site.yaml and one section, `content/news/`
    /// (titled 新闻, so that articles written there draw no warning).
    pub fn minimal() -> Site {
        let site = Site {
            dir: tempfile::tempdir().unwrap(),
        };
        site.write(
            "site.yaml",
            "title: 小站\nbase_url: https://x.example.cn/\n",
        );
        site.write("content/news/_index.md", "---\ntitle: 新闻\n---\n");
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) -> &Self {
        self.write_bytes(rel, text.as_bytes())
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) -> &Self {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
        self
    }

    pub fn remove(&self, rel: &str) -> &Self {
        std::fs::remove_file(self.path(rel)).unwrap();
        self
    }

    /// `pufa ARGS --root <site>`, with PUFA_NOW set to [`NOW`].
    pub fn pufa(&self, args: &[&str]) -> Output {
        Command::cargo_bin("pufa")
            .unwrap()
            .args(args)
            .arg("--root")
            .arg(self.root())
            .env("PUFA_NOW", NOW)
            .output()
            .unwrap()
    }

    /// Builds and asserts success; returns stderr (warnings).
    pub fn build_ok(&self) -> String {
        let out = self.pufa(&["build"]);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "build failed:\n{stderr}");
        stderr
    }

    /// Builds and asserts exit status 1; returns stderr (the errors).
    pub fn build_err(&self) -> String {
        let out = self.pufa(&["build"]);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(
            out.status.code(),
            Some(1),
            "expected errors, got:\n{stderr}"
        );
        stderr
    }

    pub fn read(&self, rel: &str) -> String {
        let path = self.path(rel);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.path(rel).exists()
    }

    /// Every file under `public/` with its bytes, sorted by path.
    pub fn output_tree(&self, dir: &str) -> Vec<(String, Vec<u8>)> {
        tree(&self.path(dir))
    }
}

/// Every file under `base` with its bytes, sorted by path.
pub fn tree(base: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(base)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(base)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// The parts of the repository that make up the sample site.
const SAMPLE: &[&str] = &["site.yaml", "content", "static", "statutes", "themes"];

/// Copies the repository's sample site (not its `public/`) into `to`.
pub fn copy_sample(to: &Path) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::create_dir_all(to).unwrap();
    for part in SAMPLE {
        let from = repo.join(part);
        if !from.exists() {
            continue;
        }
        if from.is_dir() {
            copy_dir(&from, &to.join(part));
        } else {
            std::fs::copy(&from, to.join(part)).unwrap();
        }
    }
}

/// Copies the folder `from` into `to` (created if missing).
pub fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

/// The paths a [`static_server`] was asked for.
pub type Requests = std::sync::Arc<std::sync::Mutex<Vec<String>>>;

/// Serves `dir` over HTTP on loopback, as a static host would (no live
/// reload script, which would keep the page loading forever). Every path
/// asked for is logged in order.
pub fn static_server(dir: std::path::PathBuf) -> (u16, Requests) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let requests = Requests::default();
    let log = requests.clone();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut line = String::new();
            let _ = BufReader::new(&stream).read_line(&mut line);
            let target = line
                .split(' ')
                .nth(1)
                .unwrap_or("/")
                .split('?')
                .next()
                .unwrap_or("/")
                .to_string();
            log.lock().unwrap().push(target.clone());
            let mut path = dir.join(target.trim_start_matches('/'));
            if target.ends_with('/') {
                path = path.join("index.html");
            }
            let (status, body) = match std::fs::read(&path) {
                Ok(b) => ("200 OK", b),
                Err(_) => ("404 Not Found", Vec::new()),
            };
            let ct = if target.ends_with(".js") {
                "text/javascript"
            } else if target.ends_with(".json") {
                "application/json"
            } else if target.ends_with(".css") {
                "text/css"
            } else if target.ends_with(".svg") {
                "image/svg+xml"
            } else {
                "text/html; charset=utf-8"
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Type: {ct}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(&body);
        }
    });
    (port, requests)
}
