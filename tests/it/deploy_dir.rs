//! `pufa deploy` to a `dir` target (the folder nginx serves): what lands
//! there, what changes on the next deploy, the folders it refuses, and the
//! server block `--nginx-conf` prints, run in a real nginx.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::process::Output;

use crate::support::{PNG, Site};

/// A target `www` in `folder` (relative to the site or absolute).
fn with_target(site: &Site, folder: &str, extra: &str) {
    let yaml = site.read("site.yaml");
    let yaml = yaml.split("\ndeploy:").next().unwrap().trim_end();
    site.write(
        "site.yaml",
        &format!("{yaml}\ndeploy:\n  www:\n    type: dir\n    path: {folder}\n{extra}"),
    );
}

fn deploy(site: &Site, args: &[&str]) -> (Output, String) {
    let out = site.pufa(&[&["deploy"], args].concat());
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out, stderr)
}

fn deploy_ok(site: &Site, args: &[&str]) -> String {
    let (out, stderr) = deploy(site, args);
    assert!(out.status.success(), "deploy failed:\n{stderr}");
    stderr
}

/// Every file under `dir` with its bytes, hidden ones included.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            (
                rel.to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// Every file and folder under `dir`, hidden ones included (to see that
/// nothing was made or removed).
fn entries(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.path().to_string_lossy().into_owned())
        .collect()
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .unwrap();
    out
}

/// Text a browser reads, which pufa compresses for gzip_static.
fn is_text(key: &str) -> bool {
    let ext = key.rsplit('.').next().unwrap_or_default();
    [
        "html",
        "css",
        "js",
        "xml",
        "json",
        "txt",
        "svg",
        "ics",
        "webmanifest",
    ]
    .contains(&ext)
}

/// What the deployed folder must hold: public/ (with its mark), and with
/// `gzip: true` a `.gz` beside each text file; the `.gz` files are checked
/// by their contents, and the rest compared as bytes.
fn assert_deployed(site: &Site, folder: &Path, gzip: bool) {
    let public = tree(&site.path("public"));
    let mut served = tree(folder);
    for (key, bytes) in &public {
        if gzip && is_text(key) {
            let gz = served
                .remove(&format!("{key}.gz"))
                .unwrap_or_else(|| panic!("no {key}.gz"));
            assert_eq!(gunzip(&gz), *bytes, "{key}.gz");
        }
    }
    assert_eq!(
        served.keys().collect::<Vec<_>>(),
        public.keys().collect::<Vec<_>>()
    );
    assert!(served == public, "the served files differ from public/");
}

/// The keys whose bytes differ between two trees (added and removed too).
fn changed(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    keys.into_iter()
        .filter(|k| a.get(*k) != b.get(*k))
        .cloned()
        .collect()
}

#[test]
fn deploy_copies_the_built_site_then_only_what_changed() {
    let site = Site::fixture("basic");
    site.write_bytes("static/images/banner.png", PNG);
    with_target(&site, "www", "    gzip: true\n");
    let www = site.path("www");

    // Before any build: told to build first, nothing made.
    let (out, stderr) = deploy(&site, &["www"]);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("Run `pufa build` first"), "{stderr}");
    assert!(!www.exists());

    site.build_ok();
    let files = tree(&site.path("public")).len() - 1; // not the mark
    let stderr = deploy_ok(&site, &["www"]);
    assert!(
        stderr.contains(&format!("deployed to www: {files} copied ("))
            && stderr.contains(", 0 deleted, 0 unchanged in "),
        "{stderr}"
    );
    assert_deployed(&site, &www, true);
    assert!(
        !www.join("images/banner.png.gz").exists(),
        "PNG is not text"
    );

    // Nothing changed: nothing copied.
    let stderr = deploy_ok(&site, &["www"]);
    assert!(
        stderr.contains(&format!(
            "deployed to www: 0 copied (0 B), 0 deleted, {files} unchanged"
        )),
        "{stderr}"
    );
    assert_deployed(&site, &www, true);

    // One article edited: its page (and the lists that quote it) change,
    // nothing else.
    let before = tree(&www);
    let public_before = tree(&site.path("public"));
    let article = "content/education/published.md";
    site.write(
        article,
        &format!(
            "{}\n新增一段：调解不成的，可以向人民法院起诉。\n",
            site.read(article)
        ),
    );
    site.build_ok();
    let edited = changed(&public_before, &tree(&site.path("public")));
    assert!(
        edited.contains(&"education/published/index.html".to_string()),
        "{edited:?}"
    );
    assert!(edited.len() < files / 4, "{edited:?}");
    let stderr = deploy_ok(&site, &["www"]);
    assert!(
        stderr.contains(&format!("deployed to www: {} copied (", edited.len()))
            && stderr.contains(&format!(
                ", 0 deleted, {} unchanged in ",
                files - edited.len()
            )),
        "{stderr}"
    );
    assert_deployed(&site, &www, true);
    let mut expected: Vec<String> = edited
        .iter()
        .flat_map(|k| [k.clone(), format!("{k}.gz")])
        .filter(|k| !k.ends_with(".gz") || is_text(k.trim_end_matches(".gz")))
        .collect();
    expected.sort();
    assert_eq!(changed(&before, &tree(&www)), expected);
    assert!(
        String::from_utf8(std::fs::read(www.join("education/published/index.html")).unwrap())
            .unwrap()
            .contains("调解不成的，可以向人民法院起诉")
    );

    // One article deleted: its page goes, with its .gz.
    assert!(www.join("qa/links/index.html").is_file());
    let public_before = tree(&site.path("public"));
    site.remove("content/qa/links.md");
    site.build_ok();
    let public_after = tree(&site.path("public"));
    let removed = public_before
        .keys()
        .filter(|k| !public_after.contains_key(*k))
        .count();
    assert!(removed >= 1);
    let stderr = deploy_ok(&site, &["www"]);
    assert!(
        stderr.contains(&format!(", {removed} deleted, ")),
        "{stderr}"
    );
    assert!(!www.join("qa/links/index.html").exists());
    assert!(!www.join("qa/links/index.html.gz").exists());
    assert_deployed(&site, &www, true);

    // --dry-run lists and changes nothing.
    site.write(
        "content/qa/links.md",
        "---\ntitle: 回来了\ndate: 2026-01-01\nsummary: 摘要。\n---\n正文。\n",
    );
    site.build_ok();
    let before = tree(&www);
    let (out, stderr) = deploy(&site, &["www", "--dry-run"]);
    assert!(out.status.success(), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("copy    qa/links/index.html"), "{stdout}");
    assert!(stderr.contains("would deploy to www: "), "{stderr}");
    assert_eq!(tree(&www), before);

    // gzip turned off: the .gz files go.
    with_target(&site, "www", "    gzip: false\n");
    deploy_ok(&site, &["www"]);
    assert_deployed(&site, &www, false);
}

#[test]
fn a_dir_target_pufa_may_not_write_is_refused_and_nothing_touched() {
    let site = Site::fixture("basic");
    site.build_ok();
    let elsewhere = tempfile::tempdir().unwrap();
    let mine = elsewhere.path().join("html");
    std::fs::create_dir(&mine).unwrap();
    std::fs::write(mine.join("index.html"), "<h1>原来的网站</h1>").unwrap();
    let mine = mine.to_str().unwrap().to_string();
    for (folder, why) in [
        (".", "it holds the site's own files (site.yaml, content/)"),
        ("content", "it is one of the site's inputs"),
        (
            "content/education",
            "it is inside content/, one of the site's inputs",
        ),
        (&mine, "it holds files pufa did not write"),
        // The built site itself, or a folder in it: each copy would
        // hold the last one.
        (
            "public",
            "is copied there, and the copy would take in itself",
        ),
        (
            "public/www",
            "is copied there, and the copy would take in itself",
        ),
    ] {
        with_target(&site, folder, "    gzip: true\n");
        let site_before = (entries(site.root()), tree(site.root()));
        let elsewhere_before = (entries(elsewhere.path()), tree(elsewhere.path()));
        let (out, stderr) = deploy(&site, &["www"]);
        assert_eq!(out.status.code(), Some(2), "{folder}: {stderr}");
        assert!(
            stderr.starts_with("error: refusing to write into ")
                && stderr.contains(" (deploy.www.path in site.yaml): ")
                && stderr.lines().next().unwrap().ends_with(why)
                && stderr.contains("错误：拒绝写入")
                && stderr.contains("（site.yaml 里 deploy.www 的 path）"),
            "{folder}: {stderr}"
        );
        let hint = if folder == mine {
            "hint: pufa replaces everything in the folder it writes"
        } else {
            "hint: change deploy.www.path in site.yaml to a folder of its own"
        };
        assert!(stderr.contains(hint), "{folder}: {stderr}");
        assert!(!stderr.contains("\\u{a}"), "{stderr}");
        assert!(!stderr.contains("--output"), "{stderr}");
        assert_eq!(
            (entries(site.root()), tree(site.root())),
            site_before,
            "{folder}"
        );
        assert_eq!(
            (entries(elsewhere.path()), tree(elsewhere.path())),
            elsewhere_before,
            "{folder}"
        );
    }
}

/// The server block `--nginx-conf` prints, in Debian's nginx.
#[cfg(target_os = "linux")]
mod nginx {
    use std::io::{Read, Write};
    use std::net::TcpStream;
    use std::path::Path;
    use std::time::Duration;

    use super::{deploy_ok, gunzip, tree};
    use crate::support::{PNG, Site};

    /// Debian's nginx.
    const NGINX: &str = "/usr/sbin/nginx";

    /// A running nginx, stopped (the master and its worker) when dropped.
    struct Nginx {
        child: std::process::Child,
        dir: tempfile::TempDir,
    }

    impl Nginx {
        /// The command line with its prefix, config and logs in `dir`.
        fn command(dir: &Path) -> std::process::Command {
            let d = dir.display();
            let mut c = std::process::Command::new(NGINX);
            c.arg("-p")
                .arg(dir)
                .arg("-c")
                .arg(dir.join("nginx.conf"))
                .arg("-e")
                .arg(dir.join("error.log"))
                .arg("-g")
                .arg(format!(
                    "daemon off; pid {d}/nginx.pid; error_log {d}/error.log;"
                ));
            c
        }

        /// `nginx -t`, then nginx in the foreground with `http {}` including
        /// each of `servers` (each a file, as in Debian's conf.d/), on ports
        /// already taken by nothing; `None` if one was taken after all.
        fn start(servers: &[String], ports: &[u16]) -> Option<Nginx> {
            if !Path::new(NGINX).is_file() {
                panic!(
                    "{NGINX} is needed for this test (.ci/install-test-deps, or apt-get install nginx)"
                );
            }
            let dir = tempfile::tempdir().unwrap();
            let d = dir.path().display();
            let mut includes = String::new();
            for (i, server) in servers.iter().enumerate() {
                let file = dir.path().join(format!("site{i}.conf"));
                std::fs::write(&file, server).unwrap();
                includes.push_str(&format!("    include {};\n", file.display()));
            }
            // As root (CI), the workers would run as nobody and could not read
            // the temporary folders.
            let user = if rustix::process::geteuid().is_root() {
                "user root;\n"
            } else {
                ""
            };
            // Debian's nginx.conf, cut down: http {} includes mime.types, then
            // conf.d/*.conf where the printed block goes.
            std::fs::write(
                dir.path().join("nginx.conf"),
                format!(
                    "{user}worker_processes 1;
    events {{
        worker_connections 64;
    }}
    http {{
        include /etc/nginx/mime.types;
        default_type application/octet-stream;
        sendfile on;
        access_log {d}/access.log;
        client_body_temp_path {d}/client_body;
        proxy_temp_path {d}/proxy;
        fastcgi_temp_path {d}/fastcgi;
        uwsgi_temp_path {d}/uwsgi;
        scgi_temp_path {d}/scgi;
    {includes}}}
    "
                ),
            )
            .unwrap();
            let test = Self::command(dir.path()).arg("-t").output().unwrap();
            let said = String::from_utf8_lossy(&test.stderr);
            assert!(test.status.success(), "nginx -t:\n{said}");
            assert!(
                !said.contains("[warn]") && !said.contains("[emerg]"),
                "nginx -t:\n{said}"
            );
            let child = Self::command(dir.path())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap();
            let mut nginx = Nginx { child, dir };
            let started = std::time::Instant::now();
            loop {
                if let Some(status) = nginx.child.try_wait().unwrap() {
                    let log = std::fs::read_to_string(nginx.dir.path().join("error.log"))
                        .unwrap_or_default();
                    if log.contains("Address already in use") {
                        return None;
                    }
                    panic!("nginx stopped ({status}):\n{log}");
                }
                if ports
                    .iter()
                    .all(|p| TcpStream::connect(("127.0.0.1", *p)).is_ok())
                {
                    return Some(nginx);
                }
                assert!(
                    started.elapsed() < Duration::from_secs(20),
                    "nginx does not answer"
                );
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }

    impl Drop for Nginx {
        fn drop(&mut self) {
            // SIGTERM to the master stops its worker too (a SIGKILL would
            // leave the worker listening).
            let pid = rustix::process::Pid::from_child(&self.child);
            let _ = rustix::process::kill_process(pid, rustix::process::Signal::TERM);
            for _ in 0..250 {
                if !matches!(self.child.try_wait(), Ok(None)) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }

    /// An answer: status, headers (names in lower case), body as sent.
    struct Answer {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    }

    impl std::fmt::Debug for Answer {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(
                f,
                "{} {:?} and {} bytes",
                self.status,
                self.headers,
                self.body.len()
            )
        }
    }

    impl Answer {
        fn header(&self, name: &str) -> Option<&str> {
            self.headers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        }

        fn has(&self, name: &str, value: &str) -> bool {
            self.header(name) == Some(value)
        }
    }

    /// `GET path` over HTTP/1.1, with `extra` header lines (each ending in \r\n).
    fn get(port: u16, path: &str, extra: &str) -> Answer {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: test.example.cn\r\n{extra}Connection: close\r\n\r\n"
        )
        .unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).unwrap();
        let end = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a complete head");
        let head = String::from_utf8(raw[..end].to_vec()).unwrap();
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .unwrap()
            .split(' ')
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(": "))
            .map(|(n, v)| (n.to_ascii_lowercase(), v.to_string()))
            .collect();
        let mut body = raw[end + 4..].to_vec();
        // What nginx compresses as it sends has no length: chunks.
        if headers.contains(&("transfer-encoding".into(), "chunked".into())) {
            body = unchunk(&body);
        }
        Answer {
            status,
            headers,
            body,
        }
    }

    /// The body of a `Transfer-Encoding: chunked` answer.
    fn unchunk(mut raw: &[u8]) -> Vec<u8> {
        let mut body = Vec::new();
        loop {
            let eol = raw.windows(2).position(|w| w == b"\r\n").unwrap();
            let size = std::str::from_utf8(&raw[..eol]).unwrap();
            let size = usize::from_str_radix(size.split(';').next().unwrap(), 16).unwrap();
            if size == 0 {
                return body;
            }
            body.extend_from_slice(&raw[eol + 2..eol + 2 + size]);
            raw = &raw[eol + 2 + size + 2..];
        }
    }

    const GZIP: &str = "Accept-Encoding: gzip, deflate, br\r\n";

    /// The body as the browser sees it: gunzipped if it came compressed.
    fn decoded(a: &Answer) -> Vec<u8> {
        match a.header("content-encoding") {
            Some("gzip") => gunzip(&a.body),
            None => a.body.clone(),
            Some(other) => panic!("Content-Encoding: {other}"),
        }
    }

    fn free_port() -> u16 {
        std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    }

    /// The server block `pufa deploy NAME --nginx-conf` prints, run the way a
    /// user runs it: in the site folder, without --root.
    fn nginx_conf(site: &Site, name: &str, port: u16) -> String {
        let out = assert_cmd::Command::cargo_bin("pufa")
            .unwrap()
            .args(["deploy", name, "--nginx-conf", "--listen"])
            .arg(format!("127.0.0.1:{port}"))
            .current_dir(site.root())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// The site served by Debian's nginx with the server blocks pufa printed:
    /// `www` (gzip_static, pages revalidated) and `plain` (no .gz files, pages
    /// cached five minutes); every header is checked on real answers.
    #[test]
    fn serves_the_deployed_folder_with_the_printed_server_block() {
        use pufa::deploy::headers;

        let site = Site::fixture("basic");
        site.write_bytes("static/images/banner.png", PNG);
        site.write(
            "static/.well-known/security.txt",
            "Contact: mailto:webmaster@test.example.cn\n",
        );
        let yaml = site.read("site.yaml");
        site.write(
            "site.yaml",
            &format!(
                "{yaml}deploy:
      www:
        type: dir
        path: served
        gzip: true
      plain:
        type: dir
        path: served-plain
        html_max_age: 300
    "
            ),
        );
        site.build_ok();
        deploy_ok(&site, &["www"]);
        deploy_ok(&site, &["plain"]);
        let public = tree(&site.path("public"));

        let (nginx, www, plain) = loop {
            let (www, plain) = (free_port(), free_port());
            let servers = [
                nginx_conf(&site, "www", www),
                nginx_conf(&site, "plain", plain),
            ];
            // The folder is relative to the site in site.yaml; nginx needs it whole.
            let root = site.root().canonicalize().unwrap().join("served");
            assert!(
                servers[0].contains(&format!("    root \"{}\";", root.display())),
                "{}",
                servers[0]
            );
            if let Some(nginx) = Nginx::start(&servers, &[www, plain]) {
                break (nginx, www, plain);
            }
        };
        let page = |p: &str| public[p].clone();
        let css = public
            .keys()
            .find(|k| k.starts_with("assets/style.") && k.ends_with(".css"))
            .unwrap()
            .clone();
        let js = public
            .keys()
            .find(|k| k.starts_with("assets/") && k.ends_with(".js"))
            .unwrap()
            .clone();
        let immutable = "public, max-age=31536000, immutable";

        // The home page: UTF-8, revalidated, the .gz file pufa wrote when the
        // browser takes gzip, the page itself when not.
        let a = get(www, "/", GZIP);
        assert_eq!(a.status, 200);
        assert!(a.has("content-type", "text/html; charset=utf-8"), "{a:?}");
        assert!(a.has("cache-control", "no-cache"), "{a:?}");
        assert!(a.has("content-encoding", "gzip"), "{a:?}");
        assert!(a.has("vary", "Accept-Encoding"), "{a:?}");
        assert_eq!(
            a.body,
            std::fs::read(site.path("served/index.html.gz")).unwrap(),
            "gzip_static sends the file pufa wrote"
        );
        assert_eq!(gunzip(&a.body), page("index.html"));
        let a = get(www, "/index.html", "");
        assert!(a.header("content-encoding").is_none(), "{a:?}");
        assert_eq!(a.body, page("index.html"));
        assert!(String::from_utf8(a.body).unwrap().contains("测试普法站"));

        // A hashed stylesheet and script: a year, immutable; UTF-8.
        let a = get(www, &format!("/{css}"), GZIP);
        assert!(a.has("content-type", "text/css; charset=utf-8"), "{a:?}");
        assert!(a.has("cache-control", immutable), "{a:?}");
        assert_eq!(decoded(&a), page(&css));
        assert!(a.has("content-encoding", "gzip"));
        let a = get(www, &format!("/{js}"), "");
        // Debian's mime.types says application/javascript, newer ones text/javascript.
        let ct = a.header("content-type").unwrap();
        assert!(ct.ends_with("javascript; charset=utf-8"), "{a:?}");
        assert!(a.has("cache-control", immutable), "{a:?}");
        assert_eq!(a.body, page(&js));

        // Feeds and the search index: UTF-8, revalidated, compressed.
        for (path, ct) in [
            ("rss.xml", "application/xml; charset=utf-8"),
            ("education/rss.xml", "application/xml; charset=utf-8"),
            ("search/index.json", "application/json; charset=utf-8"),
            ("sitemap.xml", "application/xml; charset=utf-8"),
            ("robots.txt", "text/plain; charset=utf-8"),
        ] {
            let a = get(www, &format!("/{path}"), GZIP);
            assert_eq!(a.status, 200, "{path}");
            assert!(a.has("content-type", ct), "{path}: {a:?}");
            assert!(a.has("cache-control", "no-cache"), "{path}: {a:?}");
            assert!(a.has("content-encoding", "gzip"), "{path}: {a:?}");
            assert_eq!(gunzip(&a.body), page(path), "{path}");
        }

        // An image without a hash in its name: an hour; never gzipped.
        let a = get(www, "/images/banner.png", GZIP);
        assert_eq!(a.status, 200);
        assert!(a.has("content-type", "image/png"), "{a:?}");
        assert!(a.has("cache-control", "public, max-age=3600"), "{a:?}");
        assert!(a.header("content-encoding").is_none(), "{a:?}");
        assert_eq!(a.body, PNG);

        // An article's folder: its index.html, revalidated; without the final
        // slash, a redirect that keeps the reader's scheme and host.
        let a = get(www, "/education/published/", GZIP);
        assert_eq!(a.status, 200);
        assert!(a.has("content-type", "text/html; charset=utf-8"), "{a:?}");
        assert!(a.has("cache-control", "no-cache"), "{a:?}");
        assert_eq!(gunzip(&a.body), page("education/published/index.html"));
        let a = get(www, "/education/published", "");
        assert_eq!(a.status, 301, "{a:?}");
        assert!(a.has("location", "/education/published/"), "{a:?}");
        let a = get(www, "/education/li-hun-leng-jing-qi/", "");
        assert_eq!(a.status, 200);
        assert_eq!(a.body, page("education/li-hun-leng-jing-qi/index.html"));

        // Unknown addresses: 404 with the site's page, never cached for long
        // (not even a hashed name: the next deploy may bring it).
        let not_found = page("404.html");
        for path in [
            "/no/such/page/",
            "/no-such.html",
            "/assets/style.0123abcd.css",
            "/images/missing.png",
        ] {
            let a = get(www, path, "");
            assert_eq!(a.status, 404, "{path}: {a:?}");
            assert!(
                a.has("content-type", "text/html; charset=utf-8"),
                "{path}: {a:?}"
            );
            assert!(a.has("cache-control", "no-cache"), "{path}: {a:?}");
            assert_eq!(a.body, not_found, "{path}");
        }

        // Hidden files are not served (the mark pufa leaves); .well-known/ is.
        for path in ["/.pufa-output", "/.well-known"] {
            let a = get(www, path, "");
            assert_eq!(a.status, 404, "{path}: {a:?}");
            assert_eq!(a.body, not_found, "{path}");
        }
        assert!(site.path("served/.pufa-output").is_file());
        let a = get(www, "/.well-known/security.txt", "");
        assert_eq!(a.status, 200, "{a:?}");
        assert!(a.has("content-type", "text/plain; charset=utf-8"), "{a:?}");
        assert_eq!(a.body, page(".well-known/security.txt"));

        // Every file of the site, with the headers object storage gets.
        for (key, bytes) in &public {
            if key == ".pufa-output" {
                continue;
            }
            let a = get(www, &format!("/{key}"), "");
            assert_eq!(a.status, 200, "{key}");
            assert_eq!(&a.body, bytes, "{key}");
            let (ct, class) = headers::content_type(key);
            let cc = headers::cache_control(key, class, 0);
            assert!(a.has("cache-control", &cc), "{key}: {a:?}");
            let served = a.header("content-type").unwrap();
            assert!(
                served == ct
                    || key.ends_with(".js") && served.ends_with("javascript; charset=utf-8"),
                "{key}: {served}, object storage: {ct}"
            );
        }

        // Deployed again with nothing changed (the first time into a new
        // folder, then into the one served before): the same ETag, plain
        // and gzipped, so a browser asking again gets 304 (the deploy keeps
        // the files' times).
        let etag = |path: &str, extra: &str| {
            let a = get(www, path, extra);
            assert_eq!(a.status, 200, "{path}: {a:?}");
            a.header("etag").unwrap().to_string()
        };
        let css_url = format!("/{css}");
        let tags = [
            etag("/qa/", ""),
            etag("/qa/", GZIP),
            etag(&css_url, ""),
            etag(&css_url, GZIP),
        ];
        for _ in 0..2 {
            std::thread::sleep(Duration::from_millis(1100));
            deploy_ok(&site, &["www"]);
            assert_eq!(
                [
                    etag("/qa/", ""),
                    etag("/qa/", GZIP),
                    etag(&css_url, ""),
                    etag(&css_url, GZIP)
                ],
                tags
            );
            let a = get(www, "/qa/", &format!("If-None-Match: {}\r\n", tags[0]));
            assert_eq!(a.status, 304, "{a:?}");
            let a = get(
                www,
                "/qa/",
                &format!("{GZIP}If-None-Match: {}\r\n", tags[1]),
            );
            assert_eq!(a.status, 304, "{a:?}");
        }
        // `plain`: no .gz files, so nginx compresses as it sends; pages and
        // feeds cached five minutes (html_max_age: 300).
        assert!(!site.path("served-plain/index.html.gz").exists());
        let a = get(plain, "/", GZIP);
        assert_eq!(a.status, 200);
        assert!(a.has("content-type", "text/html; charset=utf-8"), "{a:?}");
        assert!(a.has("cache-control", "public, max-age=300"), "{a:?}");
        assert!(a.has("content-encoding", "gzip"), "{a:?}");
        assert_eq!(gunzip(&a.body), page("index.html"));
        let a = get(plain, "/rss.xml", "");
        assert!(a.has("cache-control", "public, max-age=300"), "{a:?}");
        assert_eq!(a.body, page("rss.xml"));
        let a = get(plain, &format!("/{css}"), GZIP);
        assert!(a.has("cache-control", immutable), "{a:?}");
        assert_eq!(gunzip(&a.body), page(&css));
        let a = get(plain, "/nope", "");
        assert_eq!(a.status, 404);
        assert!(a.has("cache-control", "public, max-age=300"), "{a:?}");
        assert_eq!(a.body, not_found);

        // nginx logged nothing wrong but the files it did not find (the 404s).
        let log = std::fs::read_to_string(nginx.dir.path().join("error.log")).unwrap_or_default();
        let wrong: Vec<&str> = log
            .lines()
            .filter(|l| !l.contains("[notice]") && !l.contains("(2: No such file or directory)"))
            .collect();
        assert!(wrong.is_empty(), "{log}");
    }
}
