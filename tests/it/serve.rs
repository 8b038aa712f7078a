//! `pufa serve` over real HTTP: pages, 404s, refused traversal, live reload
//! after a save, the error page after a broken save and recovery after a fix.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{NOW, PNG, Site, article, png};

/// A running `pufa serve`, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
    /// What it prints to the terminal after the `serving …` line.
    log: std::sync::mpsc::Receiver<String>,
}

impl Server {
    fn start(site: &Site, extra: &[&str]) -> Server {
        Self::start_command(Self::command(site, extra))
    }

    fn command(site: &Site, extra: &[&str]) -> Command {
        let mut command = Command::new(assert_cmd::cargo::cargo_bin("pufa"));
        command
            .args(["serve", "--port", "0", "--root"])
            .arg(site.root())
            .args(extra)
            .env("PUFA_NOW", NOW)
            .stderr(Stdio::piped());
        command
    }

    fn start_command(mut command: Command) -> Server {
        let mut child = command.spawn().unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let port = loop {
            let line = rx
                .recv_timeout(Duration::from_secs(20))
                .expect("server starts");
            if let Some(rest) = line.strip_prefix("serving http://127.0.0.1:") {
                break rest.split('/').next().unwrap().parse().unwrap();
            }
        };
        Server {
            child,
            port,
            log: rx,
        }
    }

    /// The lines it prints until the report of build `generation`.
    fn log_until(&self, generation: u64) -> Vec<String> {
        let end = format!("(generation {generation})");
        let mut lines = Vec::new();
        loop {
            let line = self
                .log
                .recv_timeout(Duration::from_secs(20))
                .expect("the build is reported");
            let done = line.ends_with(&end);
            lines.push(line);
            if done {
                return lines;
            }
        }
    }

    /// (status, content type, body) of a GET with the raw `target`.
    fn get(&self, target: &str) -> (u16, String, String) {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(
            s,
            "GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).unwrap();
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head.split(' ').nth(1).unwrap().parse().unwrap();
        let content_type = head
            .lines()
            .find_map(|l| l.strip_prefix("Content-Type: "))
            .unwrap_or_default()
            .to_string();
        (status, content_type, body.to_string())
    }

    /// (status, body) of the answer to `request`, sent as it is; status 0
    /// when the connection closed without an answer.
    fn raw(&self, request: &str) -> (u16, String) {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        s.write_all(request.as_bytes()).unwrap();
        answer(&read_all(&mut s))
    }

    /// The most memory the server has used so far (its peak resident size).
    #[cfg(target_os = "linux")]
    fn peak_memory(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let kib = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().strip_suffix("kB"))
            .unwrap();
        kib.trim().parse::<u64>().unwrap() * 1024
    }

    /// Opens the live-reload stream; returns a function that waits until
    /// the next build is announced (and checks it is a newer generation).
    fn rebuilds(&self) -> impl FnMut() {
        let mut next = self.events();
        let mut generation = next();
        move || {
            let g = next();
            assert!(g > generation, "a new generation after the save");
            generation = g;
        }
    }

    /// Opens the live-reload stream; returns a reader of its `data:` lines.
    fn events(&self) -> impl FnMut() -> u64 {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(s, "GET /__pufa/events HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let mut reader = BufReader::new(s);
        move || loop {
            let mut line = String::new();
            assert!(
                reader.read_line(&mut line).unwrap() > 0,
                "event stream closed"
            );
            if let Some(n) = line.trim().strip_prefix("data: ") {
                return n.parse().unwrap();
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What the server sent until it closed the connection (or reset it, or
/// the read timed out).
fn read_all(s: &mut TcpStream) -> Vec<u8> {
    let mut raw = Vec::new();
    let mut buf = [0u8; 4096];
    while let Ok(n) = s.read(&mut buf) {
        if n == 0 {
            break;
        }
        raw.extend_from_slice(&buf[..n]);
    }
    raw
}

/// (status, body) of a raw answer; status 0 for none.
fn answer(raw: &[u8]) -> (u16, String) {
    let text = String::from_utf8_lossy(raw);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, body.to_string())
}

/// Polls `get` until `pred` holds (rebuilds take milliseconds; CI may be slow).
fn eventually(server: &Server, target: &str, pred: impl Fn(u16, &str) -> bool) -> (u16, String) {
    let start = Instant::now();
    loop {
        let (status, _, body) = server.get(target);
        if pred(status, &body) || start.elapsed() > Duration::from_secs(20) {
            return (status, body);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn serves_pages_with_content_types_and_the_sites_404() {
    let site = Site::fixture("basic");
    site.write("static/文件/说明.txt", "中文路径");
    let server = Server::start(&site, &[]);
    let (status, ct, body) = server.get("/");
    assert_eq!((status, ct.as_str()), (200, "text/html; charset=utf-8"));
    assert!(body.contains("<title>测试普法站</title>"));
    assert!(
        body.contains("/__pufa/events"),
        "live reload script injected"
    );
    let (status, ct, _) = server.get("/rss.xml");
    assert_eq!(
        (status, ct.as_str()),
        (200, "application/rss+xml; charset=utf-8")
    );
    let (status, ct, body) = server.get("/%E6%96%87%E4%BB%B6/%E8%AF%B4%E6%98%8E.txt");
    assert_eq!(
        (status, ct.as_str(), body.as_str()),
        (200, "text/plain; charset=utf-8", "中文路径")
    );
    let (status, _, body) = server.get("/no/such/page/");
    assert_eq!(status, 404);
    assert!(body.contains("页面不存在"), "the site's own 404 page");
    let (status, _, _) = server.get("/education");
    assert_eq!(status, 301);
}

#[test]
fn requests_cannot_leave_the_site() {
    let site = Site::fixture("basic");
    site.write("secret.txt", "site root, not output");
    let server = Server::start(&site, &[]);
    for target in [
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/education/..%2f..%2fsite.yaml",
        "/..\\site.yaml",
    ] {
        let (status, _, body) = server.get(target);
        assert_eq!(status, 400, "{target}");
        assert!(!body.contains("root:"));
    }
    for target in [
        "/site.yaml",
        "/secret.txt",
        "/content/education/published.md",
    ] {
        assert_eq!(server.get(target).0, 404, "{target}");
    }
}

#[test]
fn a_save_rebuilds_and_tells_the_browser_to_reload() {
    let site = Site::fixture("basic");
    let server = Server::start(&site, &[]);
    let mut next_event = server.events();
    let first = next_event();
    // Editors' apps often save by writing a temporary file and renaming it.
    let page = site
        .read("content/education/published.md")
        .replace("正文第一段", "修改后的第一段");
    site.write("content/education/.published.md.tmp", &page);
    std::fs::rename(
        site.path("content/education/.published.md.tmp"),
        site.path("content/education/published.md"),
    )
    .unwrap();
    let second = next_event();
    assert!(second > first, "a new generation after the save");
    let (_, _, body) = server.get("/education/published/");
    assert!(body.contains("修改后的第一段"), "{body}");
}

#[test]
fn a_broken_save_shows_the_error_and_a_fix_recovers() {
    let site = Site::fixture("basic");
    let server = Server::start(&site, &[]);
    let good = site.read("content/education/published.md");
    site.write(
        "content/education/published.md",
        &good.replace("title:", "titel:"),
    );
    let (status, body) = eventually(&server, "/education/published/", |s, _| s == 500);
    assert_eq!(status, 500);
    assert!(
        body.contains("content/education/published.md:2:1"),
        "{body}"
    );
    assert!(body.contains("无法识别的设置项「titel」"), "{body}");
    // One mistake, one error: qa/links.md links to the broken article,
    // and that link is not reported as a link to a missing file.
    assert!(body.contains("网站有 1 处错误"), "{body}");
    assert!(!body.contains("不存在"), "{body}");
    assert!(!body.contains('`'), "no raw backticks on the page: {body}");
    assert!(
        body.contains("/__pufa/events"),
        "the error page reloads itself too"
    );
    site.write("content/education/published.md", &good);
    let (status, body) = eventually(&server, "/education/published/", |s, _| s == 200);
    assert_eq!(status, 200);
    assert!(body.contains("已发布的文章"));
}

/// Restoring a file from a backup with `cp -p` or `rsync -a` writes new text
/// of the same size and puts the old modification time back: the preview
/// must still see the new text.
#[test]
fn a_rewrite_with_the_same_size_and_time_still_shows() {
    let site = Site::fixture("basic");
    let server = Server::start(&site, &[]);
    let mut rebuilt = server.rebuilds();
    let rel = "content/education/published.md";
    let (_, _, body) = server.get("/education/published/");
    assert!(body.contains("正文第一段"), "{body}");
    let old_time = std::fs::metadata(site.path(rel))
        .unwrap()
        .modified()
        .unwrap();
    let text = site.read(rel).replace("正文第一段", "正文第二段");
    assert_eq!(text.len(), site.read(rel).len());
    // File times come from a clock that ticks every few milliseconds.
    std::thread::sleep(Duration::from_millis(20));
    site.write(rel, &text);
    std::fs::File::options()
        .write(true)
        .open(site.path(rel))
        .unwrap()
        .set_modified(old_time)
        .unwrap();
    rebuilt();
    let (_, _, body) = server.get("/education/published/");
    assert!(body.contains("正文第二段"), "{body}");
}

/// The preview keeps unchanged articles between saves; a broken one must
/// stay broken (not come back as its last good version) while other
/// articles are saved, until it is fixed itself.
#[test]
fn a_broken_article_stays_an_error_while_others_are_saved() {
    let site = Site::fixture("basic");
    let server = Server::start(&site, &[]);
    let mut rebuilt = server.rebuilds();
    let good = site.read("content/education/published.md");
    site.write(
        "content/education/published.md",
        &good.replace("title:", "titel:"),
    );
    rebuilt();
    let other = site.read("content/qa/links.md");
    for round in 0..2 {
        site.write(
            "content/qa/links.md",
            &format!("{other}\n第 {round} 次修改。\n"),
        );
        rebuilt();
        let (status, _, body) = server.get("/qa/links/");
        assert_eq!(status, 500, "round {round}: {body}");
        assert!(body.contains("无法识别的设置项「titel」"), "{body}");
    }
    site.write("content/education/published.md", &good);
    let (status, body) = eventually(&server, "/qa/links/", |s, _| s == 200);
    assert_eq!(status, 200);
    assert!(body.contains("第 1 次修改"), "{body}");
}

/// Saves made while site.yaml is broken are not lost when it is fixed.
#[test]
fn edits_made_while_site_yaml_is_broken_show_when_it_is_fixed() {
    let site = Site::fixture("basic");
    let server = Server::start(&site, &[]);
    let mut rebuilt = server.rebuilds();
    let yaml = site.read("site.yaml");
    site.write("site.yaml", &format!("{yaml}\nnot yaml: [\n"));
    rebuilt();
    assert_eq!(server.get("/education/published/").0, 500);
    let published = site.read("content/education/published.md");
    site.write(
        "content/education/published.md",
        &format!("{published}\n配置坏掉时写的一段。\n"),
    );
    rebuilt();
    site.write("site.yaml", &yaml);
    rebuilt();
    let (status, page) = eventually(&server, "/education/published/", |s, _| s == 200);
    assert_eq!(status, 200);
    assert!(page.contains("配置坏掉时写的一段"), "{page}");
}

/// The terminal shows what a save caused, not every warning again.
#[test]
fn a_save_prints_only_the_warnings_it_caused() {
    let site = Site::fixture("basic");
    let server = Server::start(&site, &[]);
    let mut next = server.events();
    let first = next();
    let published = site.read("content/education/published.md");
    site.write(
        "content/education/published.md",
        &format!("{published}\n又一段。\n"),
    );
    assert_eq!(next(), first + 1);
    let log = server.log_until(first + 1);
    assert!(
        !log.iter().any(|l| l.contains("warning:")),
        "nothing new: {log:?}"
    );
    assert!(
        log.iter()
            .any(|l| l.contains("warnings shown before are still there")),
        "{log:?}"
    );
    // The summary line commented out: the digest is derived, with a warning.
    site.write(
        "content/education/published.md",
        &published.replacen("summary:", "# summary:", 1),
    );
    assert_eq!(next(), first + 2);
    let log = server.log_until(first + 2);
    let warnings: Vec<&String> = log.iter().filter(|l| l.contains("warning:")).collect();
    assert_eq!(warnings.len(), 1, "{log:?}");
    assert!(
        warnings[0].starts_with("content/education/published.md:")
            && warnings[0].contains("no `summary:`"),
        "{log:?}"
    );
}

#[test]
fn drafts_and_future_articles_are_shown_marked_when_asked() {
    let site = Site::fixture("basic");
    let server = Server::start(&site, &["--drafts", "--future"]);
    let (status, _, body) = server.get("/education/draft/");
    assert_eq!(status, 200);
    assert!(body.contains("预览：这是草稿，不会发布"));
    let (status, _, body) = server.get("/education/future/");
    assert_eq!(status, 200);
    assert!(body.contains("预览：这篇文章定时于 2026年12月4日 发布"));
    let plain = Server::start(&site, &[]);
    assert_eq!(plain.get("/education/draft/").0, 404);
}

/// Rebuilds reuse what did not change; each kind of change must still show:
/// an edited article, a new one, a deleted one, a new URL that other
/// articles link to, and site.yaml.
#[test]
fn incremental_rebuilds_show_every_kind_of_change() {
    let site = Site::fixture("basic");
    let server = Server::start(&site, &[]);
    let mut rebuilt = server.rebuilds();

    // Edit: the page has the new text.
    let published = site.read("content/education/published.md");
    site.write(
        "content/education/published.md",
        &format!("{published}\n增量编辑的一段。\n"),
    );
    rebuilt();
    let (_, page) = eventually(&server, "/education/published/", |_, b| {
        b.contains("增量编辑的一段")
    });
    assert!(page.contains("增量编辑的一段"));

    // A new article appears, and in its section's list.
    site.write(
        "content/qa/xin-wen-zhang.md",
        "---\ntitle: 新加的问答\ndate: 2026-11-01\nsummary: 新问答的摘要。\n---\n\n新问答的正文。\n",
    );
    rebuilt();
    let (status, _) = eventually(&server, "/qa/xin-wen-zhang/", |s, _| s == 200);
    assert_eq!(status, 200);
    let (_, _, list) = server.get("/qa/");
    assert!(list.contains("新加的问答"), "{list}");

    // A new URL for an article: the unchanged article that links to it
    // must link to the new address.
    site.write(
        "content/education/published.md",
        &published.replacen("title:", "slug: xin-wang-zhi\ntitle:", 1),
    );
    rebuilt();
    let (_, page) = eventually(&server, "/qa/links/", |_, b| {
        b.contains("/education/xin-wang-zhi/")
    });
    assert!(page.contains("href=\"/education/xin-wang-zhi/\""), "{page}");

    // A link to an article that does not exist yet is an error; writing
    // that article must fix the page that links to it, although that page
    // itself did not change.
    site.write(
        "content/qa/ask.md",
        &article(
            "先写好的问答",
            "2026-11-03",
            "",
            "见[后写的文章](../education/later.md)。",
        ),
    );
    rebuilt();
    let (_, page) = eventually(&server, "/qa/ask/", |_, b| b.contains("later.md"));
    assert!(page.contains("link to a missing article"), "{page}");
    site.write(
        "content/education/later.md",
        &article("后写的文章", "2026-11-04", "", "正文。"),
    );
    rebuilt();
    let (_, page) = eventually(&server, "/qa/ask/", |s, _| s == 200);
    assert!(
        page.contains("<a href=\"/education/later/\">后写的文章</a>"),
        "{page}"
    );

    // Sections reordered (qa/ first now): no article changed, so all are
    // reused from the last build, and each must still show its own section
    // although the sections are numbered anew.
    let qa = site.read("content/qa/_index.md");
    site.write(
        "content/qa/_index.md",
        &qa.replace("weight: 2", "weight: 0"),
    );
    rebuilt();
    let (_, page) = eventually(&server, "/qa/links/", |_, b| {
        b.contains("<a href=\"/qa/\">维权咨询</a></p>")
    });
    assert!(page.contains("<a href=\"/qa/\">维权咨询</a></p>"), "{page}");
    let (_, _, page) = server.get("/education/xin-wang-zhi/");
    assert!(
        page.contains("<a href=\"/education/\">普法教育</a></p>"),
        "{page}"
    );

    // Deleted: gone.
    site.remove("content/qa/xin-wen-zhang.md");
    rebuilt();
    let (status, _) = eventually(&server, "/qa/xin-wen-zhang/", |s, _| s == 404);
    assert_eq!(status, 404);

    // site.yaml: every page.
    let yaml = site.read("site.yaml");
    site.write("site.yaml", &yaml.replace("测试普法站", "改名后的普法站"));
    rebuilt();
    let (_, page) = eventually(&server, "/qa/links/", |_, b| b.contains("改名后的普法站"));
    assert!(page.contains("改名后的普法站"));
}

/// The cache keeps parsed front matter; a new time zone in site.yaml must
/// still move an article's date (dates are read in the site's time zone).
#[test]
fn a_new_time_zone_in_site_yaml_reaches_cached_articles() {
    let site = Site::fixture("basic");
    site.write(
        "content/qa/shi-qu.md",
        &article("时区", "2026-11-02T01:00:00+08:00", "", "正文。"),
    );
    let server = Server::start(&site, &[]);
    let mut next = server.events();
    next();
    let (_, _, page) = server.get("/qa/shi-qu/");
    assert!(page.contains("2026年11月2日"), "{page}");
    let yaml = site.read("site.yaml");
    site.write("site.yaml", &format!("{yaml}timezone: UTC\n"));
    next();
    let (_, page) = eventually(&server, "/qa/shi-qu/", |_, b| b.contains("2026年11月1日"));
    assert!(page.contains("2026年11月1日"), "{page}");
}

/// A cover under static/ that is missing is an error; adding the image
/// must fix the article, although the article itself did not change.
#[test]
fn adding_a_missing_static_cover_fixes_the_article() {
    let site = Site::fixture("basic");
    site.write(
        "content/qa/cover.md",
        &article(
            "有封面的问答",
            "2026-11-03",
            "cover: /images/later.png\n",
            "正文。",
        ),
    );
    let server = Server::start(&site, &[]);
    let mut rebuilt = server.rebuilds();
    let (_, _, page) = server.get("/qa/cover/");
    assert!(page.contains("not found"), "{page}");
    site.write_bytes("static/images/later.png", PNG);
    rebuilt();
    let (status, page) = eventually(&server, "/qa/cover/", |s, _| s == 200);
    assert_eq!(status, 200, "{page}");
    // The share image is the square cut from the cover.
    assert!(page.contains("/images/later.square.png"), "{page}");
}

#[test]
fn images_added_or_replaced_beside_an_article_show_in_it() {
    // Each rendering lists the assets its images looked up; the preview
    // renders an article again when one of those changes, and only then.
    let site = Site::fixture("basic");
    site.write(
        "content/qa/figure.md",
        &article(
            "有插图的问答",
            "2026-11-03",
            "",
            "正文。\n\n![示意图](later.png)",
        ),
    );
    let server = Server::start(&site, &[]);
    let mut rebuilt = server.rebuilds();
    let (_, _, page) = server.get("/qa/figure/");
    assert!(
        page.contains("image <code>later.png</code> not found"),
        "{page}"
    );

    site.write_bytes("content/qa/later.png", PNG);
    rebuilt();
    let (status, page) = eventually(&server, "/qa/figure/", |s, _| s == 200);
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains(r#"<img src="/qa/later.png" alt="示意图" loading="lazy" decoding="async" width="4" height="4">"#),
        "{page}"
    );

    // The same file replaced by a larger picture: the page gives its new size.
    site.write_bytes("content/qa/later.png", &png(8, 6));
    rebuilt();
    let (_, page) = eventually(&server, "/qa/figure/", |_, p| p.contains(r#"width="8""#));
    assert!(page.contains(r#"width="8" height="6""#), "{page}");
}

/// A client sending an endless request head (a gigabyte without a line
/// break grew the server by as much, and it kept the memory): the server
/// stops reading at the limit, answers 414 or 431, and stays small.
#[cfg(target_os = "linux")]
#[test]
fn an_endless_request_head_is_refused_and_memory_stays_small() {
    let site = Site::fixture("basic");
    let server = Server::start(&site, &[]);
    assert_eq!(server.get("/").0, 200);
    let before = server.peak_memory();
    let cases: [(&[u8], &str); 2] = [
        (b"GET /", "HTTP/1.1 414 URI Too Long\r\n"),
        (
            b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Filler: ",
            "HTTP/1.1 431 Request Header Fields Too Large\r\n",
        ),
    ];
    for (start, status_line) in cases {
        let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let mut reader = s.try_clone().unwrap();
        let answer = std::thread::spawn(move || read_all(&mut reader));
        s.write_all(start).unwrap();
        // 64 MiB without a line break; the server may close before the end.
        let chunk = vec![b'a'; 64 * 1024];
        for _ in 0..1024 {
            if s.write_all(&chunk).is_err() {
                break;
            }
        }
        let grown = server.peak_memory().saturating_sub(before);
        assert!(
            grown < 16 * 1024 * 1024,
            "the server grew by {} MiB",
            grown / 1024 / 1024
        );
        let _ = s.shutdown(std::net::Shutdown::Write);
        let raw = String::from_utf8_lossy(&answer.join().unwrap()).into_owned();
        assert!(raw.starts_with(status_line), "{raw:?}");
        assert!(raw.contains("Connection: close\r\n"), "{raw:?}");
    }
    let (status, body) = server.raw("GET / HTTP/1.1\r\nHost: localhost\r\nX-Long: \r\n\r\n");
    assert_eq!(status, 200, "{body}");
}

/// Slow clients (connections open, the head never finished) used to hold
/// two file descriptors and a thread each: about 510 of them used up the
/// usual limit of 1,024 open files, and every other request was reset.
/// Here with 300 against a limit of 256 (raised by the server to the
/// system's maximum), then against a maximum of 200 (the server drops the
/// clients that have waited longest for their heads), with 20 pages
/// listening for reloads.
#[cfg(target_os = "linux")]
#[test]
fn slow_clients_do_not_keep_other_requests_out() {
    use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
    use std::os::unix::process::CommandExt;
    let site = Site::fixture("basic");
    let hard = getrlimit(Resource::Nofile).maximum;
    for limit in [
        Rlimit {
            current: Some(256),
            maximum: hard,
        },
        Rlimit {
            current: Some(200),
            maximum: Some(200),
        },
    ] {
        let mut command = Server::command(&site, &[]);
        // SAFETY: only a system call between fork and exec.
        unsafe {
            command.pre_exec(move || Ok(setrlimit(Resource::Nofile, limit)?));
        }
        let server = Server::start_command(command);
        // Live-reload streams stay open as long as the page: they must not
        // take what requests need either.
        let mut streams: Vec<_> = (0..20).map(|_| server.events()).collect();
        for next in &mut streams {
            assert_eq!(next(), 1);
        }
        let slow: Vec<TcpStream> = (0..300)
            .map(|_| {
                let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
                s.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
                    .unwrap();
                s
            })
            .collect();
        for i in 0..20 {
            let started = Instant::now();
            let (status, body) = server.raw("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assert_eq!(
                status, 200,
                "request {i} with the limit at {limit:?}: {body}"
            );
            assert!(body.contains("<title>测试普法站</title>"));
            assert!(
                started.elapsed() < Duration::from_secs(5),
                "request {i} took {:?}",
                started.elapsed()
            );
        }
        drop((slow, streams));
    }
}

/// A client sending its head a byte at a time (slowloris) is answered 408
/// and dropped when the head has taken 10 seconds, however steadily it sends.
#[test]
fn a_client_trickling_its_head_is_cut_off() {
    let site = Site::fixture("basic");
    let server = Server::start(&site, &[]);
    let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    s.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
        .unwrap();
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(30) && s.write_all(b"a").is_ok() {
        // Other requests are answered meanwhile.
        assert_eq!(server.get("/about.txt").0, 200);
        std::thread::sleep(Duration::from_millis(500));
    }
    let took = started.elapsed();
    assert!(
        (Duration::from_secs(9)..Duration::from_secs(20)).contains(&took),
        "cut off after {took:?}"
    );
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let (status, body) = answer(&read_all(&mut s));
    assert!(
        status == 408 || status == 0,
        "408 or nothing: {status} {body}"
    );
}

/// DNS rebinding: a page on `evil.example` whose name is made to point at
/// 127.0.0.1 reads the preview (drafts too) as its own site, with `Host:
/// evil.example`. And a page anywhere can send requests with its `Origin`.
#[test]
fn requests_for_other_hosts_or_from_other_origins_are_refused() {
    let site = Site::fixture("basic");
    let server = Server::start(&site, &["--drafts"]);
    let port = server.port;
    let draft = "/education/draft/";
    for host in [
        "localhost".to_string(),
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        format!("pufa.localhost:{port}"),
    ] {
        let (status, body) = server.raw(&format!(
            "GET {draft} HTTP/1.1\r\nHost: {host}\r\nOrigin: http://{host}\r\n\r\n"
        ));
        assert_eq!(status, 200, "{host}: {body}");
        assert!(body.contains("预览：这是草稿，不会发布"), "{host}");
    }
    for target in [draft, "/__pufa/events"] {
        let (status, body) = server.raw(&format!(
            "GET {target} HTTP/1.1\r\nHost: evil.example:{port}\r\n\r\n"
        ));
        assert_eq!(status, 403, "{target}");
        assert_eq!(
            body,
            format!(
                "pufa serve answers only requests for this computer (localhost, 127.0.0.1, [::1] or another IP address), not for `evil.example:{port}`: a web page may be trying to read the preview through DNS rebinding.\n\
If you reach the preview by that name yourself, start it with --allow-host evil.example\n\
预览只回答发给本机的请求（localhost、127.0.0.1、[::1] 或其他 IP 地址），不回答发给 `evil.example:{port}` 的请求：可能有网页想借 DNS 重绑定读取预览。\n\
如果这个名字是你自己用的，启动预览时加上 --allow-host evil.example\n"
            )
        );
        let (status, body) = server.raw(&format!(
            "GET {target} HTTP/1.1\r\nHost: localhost:{port}\r\nOrigin: http://evil.example\r\n\r\n"
        ));
        assert_eq!(status, 403, "{target}");
        assert_eq!(
            body,
            "pufa serve does not answer requests made by pages of other sites (this one came from `http://evil.example`).\n\
预览不回答其他网站的网页发来的请求（这个请求来自 `http://evil.example`）。\n"
        );
    }
}

/// A name the editor uses for this computer is answered when given.
#[test]
fn a_name_given_with_allow_host_is_answered() {
    let site = Site::fixture("basic");
    let server = Server::start(&site, &["--allow-host", "Preview.Example"]);
    let (status, _) = server.raw("GET /about.txt HTTP/1.1\r\nHost: preview.example:8080\r\n\r\n");
    assert_eq!(status, 200);
    let (status, body) = server.raw("GET /about.txt HTTP/1.1\r\nHost: other.example\r\n\r\n");
    assert_eq!(status, 403);
    assert!(body.contains("--allow-host other.example"), "{body}");
}

/// The preview reads a static file when it is asked for, maybe seconds
/// after the build that listed it: a file (or a folder) swapped for a
/// symbolic link meanwhile must not be followed out of the site.
#[cfg(unix)]
#[test]
fn a_static_file_swapped_for_a_link_is_never_served() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("note.txt"), "TOP-SECRET-OUTSIDE").unwrap();
    let site = Site::fixture("basic");
    site.write("static/note.txt", "公开的说明");
    site.write("static/docs/note.txt", "公开的文件夹");
    let server = Server::start(&site, &[]);
    for round in 0..20 {
        let (target, real, link) = if round % 2 == 0 {
            (
                "/note.txt",
                "static/note.txt",
                outside.path().join("note.txt"),
            )
        } else {
            (
                "/docs/note.txt",
                "static/docs",
                outside.path().to_path_buf(),
            )
        };
        let (status, body) = eventually(&server, target, |s, _| s == 200);
        assert_eq!(status, 200, "round {round}: {body}");
        // The real one kept aside, the link renamed into its place.
        let kept = site.path(&format!("{real}.kept"));
        std::fs::rename(site.path(real), &kept).unwrap();
        std::os::unix::fs::symlink(&link, site.path(".swap")).unwrap();
        std::fs::rename(site.path(".swap"), site.path(real)).unwrap();
        // Asked for at once: the build that listed the real file is
        // still the current one.
        for _ in 0..3 {
            let (status, _, body) = server.get(target);
            assert!(
                !body.contains("TOP-SECRET"),
                "round {round}: {status} {body}"
            );
        }
        std::fs::remove_file(site.path(real)).unwrap();
        std::fs::rename(&kept, site.path(real)).unwrap();
    }
}
