//! The reader's view (issue 24): the sample site, built by the real binary
//! and served on loopback, opened in headless Chromium as WeChat's in-app
//! browser on a 375 px phone, at 100 % and 200 % text, light and dark, in
//! 长辈模式 and without JavaScript. `tests/browser/check.cjs` drives Chromium
//! through playwright-core and runs axe-core; it prints one line per
//! problem (page, mode, check, element) and this test fails with them.
//! The npm packages come from `tests/browser/package-lock.json`, installed
//! by `.ci/install-test-deps`.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{CHROMIUM, Site, alone};

/// The pages looked at: (name, path). The name `404` expects a 404 status.
const PAGES: &[(&str, &str)] = &[
    ("home", "/"),
    // An article with statute quotes, an image and lists.
    ("article", "/education/fanjiabao-zhengju/"),
    // A question and its answer.
    ("qa", "/qa/baohuling-shenqing/"),
    ("campaign", "/campaigns/11-25/"),
    // A law's full text: chapters, article labels, the source link.
    ("law", "/statutes/fanjiabaofa/"),
    // 家暴
    ("search", "/search/?q=%E5%AE%B6%E6%9A%B4"),
    ("404", "/no-such-page/"),
    ("subscribe", "/subscribe/"),
];

fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

/// Serves `dir` on loopback as a static host would: `index.html` for
/// folders, the site's `404.html` (status 404) for what is missing, and
/// content types a browser insists on (CSS, JavaScript).
fn static_server(dir: PathBuf) -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let dir = dir.clone();
            std::thread::spawn(move || answer(stream, &dir));
        }
    });
    port
}

fn answer(mut stream: std::net::TcpStream, dir: &Path) {
    let mut line = String::new();
    let mut reader = BufReader::new(&stream);
    if reader.read_line(&mut line).is_err() {
        return;
    }
    // Read the headers to their end, so closing does not reset the connection.
    let mut header = String::new();
    while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
        header.clear();
    }
    let target = line.split(' ').nth(1).unwrap_or("/");
    let target = target.split('?').next().unwrap_or("/");
    let mut path = dir.join(target.trim_start_matches('/'));
    if target.ends_with('/') {
        path = path.join("index.html");
    }
    let (status, body, path) = match std::fs::read(&path) {
        Ok(b) if !target.contains("..") => ("200 OK", b, path),
        _ => {
            let missing = dir.join("404.html");
            let body = std::fs::read(&missing).unwrap_or_default();
            ("404 Not Found", body, missing)
        }
    };
    let ct = match path.extension().and_then(|e| e.to_str()) {
        Some("css") => "text/css",
        Some("js") => "text/javascript",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("xml") => "application/xml",
        _ => "text/html; charset=utf-8",
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {ct}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(&body);
}

/// Fails with what to run when Node or the npm packages are missing,
/// rather than passing without having looked.
fn require_deps() {
    let modules = browser_dir().join("node_modules");
    let missing: Vec<&str> = ["playwright-core", "axe-core"]
        .into_iter()
        .filter(|m| !modules.join(m).join("package.json").exists())
        .collect();
    assert!(
        missing.is_empty(),
        "the browser test needs the npm packages {missing:?} in {}: run .ci/install-test-deps",
        modules.display()
    );
    let node = Command::new("node").arg("--version").output();
    assert!(
        node.as_ref().is_ok_and(|o| o.status.success()),
        "the browser test needs Node.js (`node`, v20 or later): run .ci/install-test-deps ({node:?})"
    );
    assert!(
        Path::new(CHROMIUM).exists(),
        "the browser test needs {CHROMIUM}: run .ci/install-test-deps"
    );
}

#[test]
fn pages_hold_at_large_text_in_wechat_light_dark_and_care_mode_with_no_axe_violations() {
    require_deps();
    let _alone = alone();
    let site = Site::sample();
    site.build_ok();
    for (name, path) in PAGES {
        let file = path.split('?').next().unwrap().trim_start_matches('/');
        assert!(
            *name == "404" || site.exists(&format!("public/{file}index.html")),
            "the sample site has no page {path} for `{name}`: update PAGES in tests/it/browser.rs"
        );
    }
    let port = static_server(site.path("public"));
    let out = Command::new("node")
        .arg(browser_dir().join("check.cjs"))
        .arg(format!("http://127.0.0.1:{port}"))
        .args(PAGES.iter().map(|(name, path)| format!("{name}={path}")))
        .env("PUFA_CHROMIUM", CHROMIUM)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let summary = stdout.lines().last().unwrap_or_default();
    assert!(
        out.status.success() && summary.starts_with("browser:") && summary.ends_with(" 0 problems"),
        "the pages fail in the browser ({}):\n{stdout}{stderr}",
        out.status
    );
    println!("{summary}");
}
