//! `pufa deploy` and `pufa publish` against a real S3-compatible server
//! (moto's standalone server, see `s3.rs`), checked with plain HTTP
//! requests as a reader's browser or a CDN would make them.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use super::s3::{Fault, FaultyProxy, S3Server};
use super::support::{NOW, Site, article};

const MANIFEST: &str = ".pufa-deploy.json";

fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("pufa")
}

/// The sample site (25 articles, 152 files) with a target `local`.
fn site_with_target(endpoint: &str, bucket: &str, extra: &str) -> Site {
    let site = Site::sample();
    let yaml = site.read("site.yaml");
    site.write(
        "site.yaml",
        &format!(
            "{yaml}\ndeploy:\n  local:\n    type: s3\n    endpoint: {endpoint}\n    bucket: {bucket}\n{extra}"
        ),
    );
    site
}

/// `pufa ARGS --root SITE` with a key in the environment and no ~/.aws.
fn command(site: &Site, args: &[&str]) -> Command {
    let mut cmd = Command::new(bin());
    cmd.args(args)
        .arg("--root")
        .arg(site.root())
        .env("PUFA_NOW", NOW)
        .env("AWS_ACCESS_KEY_ID", "AKIDPUFATEST")
        .env("AWS_SECRET_ACCESS_KEY", "pufa-test-secret")
        .env("HOME", site.root())
        .env("AWS_CONFIG_FILE", site.path("no-aws-config"))
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            site.path("no-aws-credentials"),
        );
    cmd
}

fn run(site: &Site, args: &[&str]) -> Output {
    command(site, args).output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn build(site: &Site) {
    let out = run(site, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

/// Deploys, asserts success, returns the summary line's numbers.
fn deploy(site: &Site) -> Summary {
    let out = run(site, &["deploy"]);
    let err = stderr(&out);
    assert!(out.status.success(), "deploy failed:\n{err}");
    Summary::parse(&err)
}

#[derive(Debug, PartialEq)]
struct Summary {
    uploaded: usize,
    deleted: usize,
    unchanged: usize,
    requests: usize,
    retried: usize,
}

impl Summary {
    /// `deployed to local: 3 uploaded (1.2 KB), 1 deleted, 148 unchanged; 6 requests (2 retried) in 0.1 s · 已发布到 local：…`
    /// (the numbers are read from the English half, before ` · `).
    fn parse(stderr: &str) -> Summary {
        let line = stderr
            .lines()
            .find(|l| l.starts_with("deployed to ") || l.starts_with("would deploy to "))
            .unwrap_or_else(|| panic!("no summary line in:\n{stderr}"));
        let (line, zh) = line
            .split_once(" · ")
            .unwrap_or_else(|| panic!("no Chinese half in {line}"));
        assert!(zh.contains("发布到 ") && zh.contains("，用时 "), "{zh}");
        let number_before = |word: &str| -> usize {
            let at = line
                .find(word)
                .unwrap_or_else(|| panic!("no `{word}` in {line}"));
            line[..at]
                .trim_end()
                .rsplit([' ', '('])
                .next()
                .unwrap()
                .parse()
                .unwrap()
        };
        Summary {
            uploaded: number_before(" uploaded"),
            deleted: number_before(" deleted"),
            unchanged: number_before(" unchanged"),
            requests: number_before(" request"),
            retried: if line.contains(" retried)") {
                number_before(" retried)")
            } else {
                0
            },
        }
    }
}

/// public/ as a deploy sees it: every file but pufa's marker.
fn local(site: &Site) -> BTreeMap<String, Vec<u8>> {
    site.output_tree("public")
        .into_iter()
        .filter(|(k, _)| k != ".pufa-output")
        .collect()
}

/// The bucket holds exactly public/ (and the manifest), byte for byte.
fn assert_mirror(server: &S3Server, bucket: &str, site: &Site) {
    let local = local(site);
    let listed: Vec<String> = server
        .list(bucket)
        .into_iter()
        .map(|(k, _)| k)
        .filter(|k| k != MANIFEST)
        .collect();
    let expected: Vec<&String> = local.keys().collect();
    assert_eq!(
        listed.iter().collect::<Vec<_>>(),
        expected,
        "the listing differs from public/"
    );
    for (key, bytes) in &local {
        let got = server.get(bucket, key);
        assert_eq!(got.status, 200, "{key}");
        assert!(
            got.body == *bytes,
            "{key}: the bytes online differ from public/"
        );
    }
}

/// What every file must be served with, written out here independently
/// of pufa's own table.
fn expected_headers(key: &str) -> (&'static str, &'static str) {
    let hashed = key.starts_with("assets/");
    let immutable = "public, max-age=31536000, immutable";
    let ext = key.rsplit('.').next().unwrap();
    match ext {
        "html" => ("text/html; charset=utf-8", "no-cache"),
        "xml" => ("application/xml; charset=utf-8", "no-cache"),
        "json" => ("application/json; charset=utf-8", "no-cache"),
        "txt" => ("text/plain; charset=utf-8", "no-cache"),
        "css" => ("text/css; charset=utf-8", immutable),
        "js" => ("text/javascript; charset=utf-8", immutable),
        "svg" if hashed => ("image/svg+xml; charset=utf-8", immutable),
        "png" if hashed => ("image/png", immutable),
        "png" => ("image/png", "public, max-age=3600"),
        other => panic!("the sample site has no .{other} files; add a line here"),
    }
}

#[test]
fn the_first_deploy_uploads_every_file_with_its_headers_and_the_second_uploads_none() {
    let server = S3Server::start();
    server.create_bucket("site");
    let site = site_with_target(&server.endpoint(), "site", "");
    build(&site);
    let files = local(&site).len();
    assert!(files > 100, "the sample site has {files} files");

    // --dry-run lists every file and changes nothing.
    let out = run(&site, &["deploy", "--dry-run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let listed = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        listed.lines().filter(|l| l.starts_with("upload ")).count(),
        files
    );
    assert!(listed.contains("upload  index.html  ("), "{listed}");
    assert!(
        server.list("site").is_empty(),
        "a dry run wrote to the bucket"
    );

    let first = deploy(&site);
    assert_eq!(
        (first.uploaded, first.deleted, first.unchanged),
        (files, 0, 0)
    );
    assert_mirror(&server, "site", &site);
    for key in local(&site).keys() {
        let got = server.get("site", key);
        let (content_type, cache_control) = expected_headers(key);
        assert_eq!(got.header("content-type"), Some(content_type), "{key}");
        assert_eq!(got.header("cache-control"), Some(cache_control), "{key}");
    }

    let second = deploy(&site);
    assert_eq!(
        (second.uploaded, second.deleted, second.unchanged),
        (0, 0, files)
    );
}

#[test]
fn an_edit_uploads_only_the_files_whose_bytes_changed_and_a_deleted_article_goes() {
    let server = S3Server::start();
    server.create_bucket("site");
    let site = site_with_target(&server.endpoint(), "site", "");
    build(&site);
    deploy(&site);
    // Somebody else's file in the bucket (WeChat's domain check).
    server.put("site", "MP_verify_abc123.txt", b"abc123");

    // Edit one article's body: its page changes, and the feeds and search
    // index that carry its text; nothing else.
    let before = local(&site);
    let article = "content/education/离婚冷静期.md";
    let text = site.read(article);
    site.write(
        article,
        &format!("{text}\n补充：冷静期内任何一方都可以撤回离婚登记申请。\n"),
    );
    build(&site);
    let after = local(&site);
    let changed: Vec<&String> = after
        .iter()
        .filter(|(k, v)| before.get(*k) != Some(v))
        .map(|(k, _)| k)
        .collect();
    assert!(
        changed.contains(&&"education/li-hun-leng-jing-qi/index.html".to_string()),
        "{changed:?}"
    );
    assert!(
        changed.len() < after.len() / 4,
        "{} of {} changed",
        changed.len(),
        after.len()
    );
    let out = run(&site, &["deploy", "--dry-run"]);
    let planned: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.strip_prefix("upload  "))
        .map(|l| l.split("  (").next().unwrap().to_string())
        .collect();
    let mut planned_sorted = planned.clone();
    planned_sorted.sort();
    assert_eq!(
        planned_sorted.iter().collect::<Vec<_>>(),
        changed,
        "the files to upload"
    );
    // In order: the page before the lists and feeds that link to it.
    let page = planned
        .iter()
        .position(|k| k == "education/li-hun-leng-jing-qi/index.html")
        .unwrap();
    let feed = planned
        .iter()
        .position(|k| k.ends_with(".xml"))
        .unwrap_or_else(|| panic!("{planned:?}"));
    assert!(page < feed, "{planned:?}");
    let s = deploy(&site);
    assert_eq!(s.uploaded, changed.len());
    assert_eq!(s.deleted, 0);
    assert_mirror_but(&server, &site, &["MP_verify_abc123.txt"]);

    // Delete an article: its page goes, the lists change, the foreign file stays.
    let gone = "news/2025-1125-fanjiabao/index.html";
    site.remove("content/news/2025-1125-fanjiabao.md");
    build(&site);
    assert!(!local(&site).contains_key(gone));
    let s = deploy(&site);
    assert!(s.deleted >= 1, "{s:?}");
    assert_eq!(
        server.get("site", gone).status,
        404,
        "the deleted article is still online"
    );
    assert_mirror_but(&server, &site, &["MP_verify_abc123.txt"]);
    assert_eq!(server.get("site", "MP_verify_abc123.txt").body, b"abc123");
}

#[test]
fn a_deploy_trusts_the_record_of_the_last_one_and_verify_mends_what_changed_behind_its_back() {
    let server = S3Server::start();
    server.create_bucket("site");
    let site = site_with_target(&server.endpoint(), "site", "");
    build(&site);
    let files = local(&site).len();
    deploy(&site);
    // Nothing changed: one request (the record), no listing.
    let again = deploy(&site);
    assert_eq!(
        (again.uploaded, again.unchanged, again.requests),
        (0, files, 1)
    );

    // Somebody overwrites two objects in the console.
    server.put("site", "index.html", b"tampered");
    let css = local(&site)
        .into_keys()
        .find(|k| k.ends_with(".css"))
        .unwrap();
    server.put("site", &css, b"body{}");
    let mended = {
        let out = run(&site, &["deploy", "--verify"]);
        assert!(out.status.success(), "{}", stderr(&out));
        Summary::parse(&stderr(&out))
    };
    assert_eq!((mended.uploaded, mended.unchanged), (2, files - 2));
    assert_mirror(&server, "site", &site);
    let after = deploy(&site);
    assert_eq!((after.uploaded, after.requests), (0, 1));
}

/// The manifest pufa keeps in the bucket (gzipped JSON), read by hand.
fn manifest_json(gz: &[u8]) -> serde_json::Value {
    let mut json = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(gz), &mut json).unwrap();
    serde_json::from_slice(&json).unwrap()
}

/// Like `assert_mirror`, for a bucket that also holds `others`.
fn assert_mirror_but(server: &S3Server, site: &Site, others: &[&str]) {
    let listed: Vec<String> = server
        .list("site")
        .into_iter()
        .map(|(k, _)| k)
        .filter(|k| k != MANIFEST && !others.contains(&k.as_str()))
        .collect();
    let local = local(site);
    assert_eq!(
        listed.iter().collect::<Vec<_>>(),
        local.keys().collect::<Vec<_>>()
    );
    for (key, bytes) in &local {
        assert!(
            server.get("site", key).body == *bytes,
            "{key} differs online"
        );
    }
}

#[test]
fn deploys_killed_at_several_moments_converge() {
    let server = S3Server::start();
    server.create_bucket("site");
    // A slow link, so that a deploy takes long enough to be cut short.
    let proxy = FaultyProxy::start(server.port, Fault::Slow(Duration::from_millis(15)));
    let site = site_with_target(&proxy.endpoint(), "site", "    jobs: 2\n");
    build(&site);
    deploy(&site);

    // A new version: one article edited, one deleted, one added.
    let edited = "content/education/离婚冷静期.md";
    let text = site.read(edited);
    site.write(edited, &format!("{text}\n补充一段。\n"));
    site.remove("content/news/2025-1125-fanjiabao.md");
    site.write(
        "content/news/xin-wen-gao.md",
        &article("新到的一篇", "2026-11-28 09:00", "", "第一段。\n\n第二段。"),
    );
    build(&site);

    // Kill deploys later and later, until one finishes before its kill.
    let mut cut_mid_upload = 0;
    let mut ms = 40;
    loop {
        let mut child = command(&site, &["deploy"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(ms));
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success());
            break;
        }
        let _ = child.kill();
        let _ = child.wait();
        // Killed between its claim and its last word: some entries of the
        // manifest are claims without an ETag.
        let manifest = manifest_json(&server.get("site", MANIFEST).body);
        let claims = manifest["files"]
            .as_object()
            .unwrap()
            .values()
            .filter(|e| e.get("etag").is_none())
            .count();
        if claims > 0 {
            cut_mid_upload += 1;
        }
        ms += 60;
        assert!(ms < 10_000, "the deploy never finished");
    }
    assert!(
        cut_mid_upload >= 2,
        "only {cut_mid_upload} deploys were cut while uploading"
    );
    deploy(&site);
    assert_mirror(&server, "site", &site);
    assert_eq!(deploy(&site).uploaded, 0);
}

#[test]
fn a_deploy_that_fails_deletes_nothing_and_what_it_claimed_is_cleaned_up_later() {
    let server = S3Server::start();
    server.create_bucket("site");
    // Feeds cannot be written through this proxy, for good.
    let proxy = FaultyProxy::start(server.port, Fault::PutsOf("rss.xml".into()));
    let site = site_with_target(&server.endpoint(), "site", "    retries: 1\n");
    build(&site);
    deploy(&site);

    let old = "news/2025-1125-fanjiabao/index.html";
    site.remove("content/news/2025-1125-fanjiabao.md");
    let added = "content/news/xin-wen-gao.md";
    site.write(
        added,
        &article("新到的一篇", "2026-11-28 09:00", "", "正文。"),
    );
    build(&site);
    let through_proxy = site
        .read("site.yaml")
        .replace(&server.endpoint(), &proxy.endpoint());
    site.write("site.yaml", &through_proxy);
    let out = run(&site, &["deploy"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("Nothing was deleted") && err.contains("没有删除任何文件"),
        "{err}"
    );
    assert_eq!(
        server.get("site", old).status,
        200,
        "a failed deploy deleted a page"
    );
    // The new article's page went up before the feeds failed.
    let new_page = "news/xin-wen-gao/index.html";
    assert_eq!(server.get("site", new_page).status, 200);

    // The editor withdraws the new article; the next deploy removes the
    // page the failed one put there, and the old one.
    site.remove(added);
    build(&site);
    let direct = site
        .read("site.yaml")
        .replace(&proxy.endpoint(), &server.endpoint());
    site.write("site.yaml", &direct);
    deploy(&site);
    assert_eq!(server.get("site", new_page).status, 404);
    assert_eq!(server.get("site", old).status, 404);
    assert_mirror(&server, "site", &site);
}

#[test]
fn a_flaky_network_still_converges() {
    let server = S3Server::start();
    server.create_bucket("site");
    // One request in ten fails: a 503 SlowDown, or a dropped connection.
    let proxy = FaultyProxy::start(
        server.port,
        Fault::Random {
            per_mille: 100,
            seed: 20261125,
        },
    );
    let site = site_with_target(&proxy.endpoint(), "site", "    retries: 6\n");
    build(&site);
    let mut retried = 0;
    let mut ok = false;
    for _ in 0..3 {
        let out = run(&site, &["deploy"]);
        if out.status.success() {
            retried += Summary::parse(&stderr(&out)).retried;
            ok = true;
            break;
        }
    }
    assert!(ok, "three deploys through a flaky network all failed");
    assert!(proxy.failed.load(std::sync::atomic::Ordering::Relaxed) > 5);
    assert!(retried > 0, "nothing was retried");
    assert_mirror(&server, "site", &site);
}

#[test]
fn gzip_bodies_are_served_with_their_encoding() {
    let server = S3Server::start();
    server.create_bucket("site");
    let site = site_with_target(
        &server.endpoint(),
        "site",
        "    gzip: true\n    html_max_age: 60\n",
    );
    build(&site);
    deploy(&site);
    let local = local(&site);
    for key in ["index.html", "rss.xml", "search/index.json"] {
        let got = server.get("site", key);
        assert_eq!(got.header("content-encoding"), Some("gzip"), "{key}");
        assert_eq!(
            got.header("cache-control"),
            Some("public, max-age=60"),
            "{key}"
        );
        let mut plain = Vec::new();
        flate2::read::GzDecoder::new(&got.body[..])
            .read_to_end(&mut plain)
            .unwrap();
        assert!(
            plain == local[key],
            "{key} does not gunzip to public/'s bytes"
        );
        assert!(
            got.body.len() < plain.len() / 2,
            "{key} is barely compressed"
        );
    }
    let png = server.get("site", "images/cover-default.png");
    assert_eq!(png.header("content-encoding"), None);
    assert_eq!(
        deploy(&site).uploaded,
        0,
        "gzip output is the same every time"
    );
}

#[test]
fn wrong_keys_a_missing_bucket_and_no_server_are_explained_in_both_languages() {
    let checking = S3Server::start_checking_keys();
    let cases = [
        (
            checking.endpoint(),
            "site",
            "refused pufa's key",
            "拒绝了 pufa 使用的密钥",
        ),
        // moto accepts any key; this bucket was never made.
        (String::new(), "no-such-bucket", "does not exist", "不存在"),
        (
            format!("http://127.0.0.1:{}", super::s3::free_port()),
            "site",
            "cannot reach",
            "连不上",
        ),
    ];
    let open = S3Server::start();
    for (endpoint, bucket, english, chinese) in cases {
        let endpoint = if endpoint.is_empty() {
            open.endpoint()
        } else {
            endpoint
        };
        let site = site_with_target(&endpoint, bucket, "    retries: 1\n");
        build(&site);
        let started = Instant::now();
        let out = run(&site, &["deploy"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains(english) && err.contains(chinese), "{err}");
        assert!(
            err.contains("AWS_ACCESS_KEY_ID") || !english.contains("key"),
            "{err}"
        );
        assert!(err.lines().count() <= 3, "one paragraph each:\n{err}");
        assert!(started.elapsed() < Duration::from_secs(20));
    }
}

#[test]
fn a_secret_in_site_yaml_is_an_error_naming_its_line() {
    let site = site_with_target(
        "https://oss-cn-hangzhou.aliyuncs.com",
        "b",
        "    secret_access_key: abcd\n",
    );
    let line = site
        .read("site.yaml")
        .lines()
        .position(|l| l.contains("secret_access_key"))
        .unwrap()
        + 1;
    for args in [&["deploy"][..], &["build"][..]] {
        let out = run(&site, args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains(&format!("site.yaml:{line}:5")), "{err}");
        assert!(err.contains("secret") && err.contains("密钥"), "{err}");
    }
    assert!(!site.exists("public/index.html"));
}

#[test]
fn publish_watch_puts_a_due_article_online_and_turns_the_countdown_at_midnight() {
    let server = S3Server::start();
    server.create_bucket("site");
    let site = site_with_target(&server.endpoint(), "site", "");
    // Four seconds before midnight on 20 February, 16 days before 3·8; an
    // article due at 23:59:58.
    site.write(
        "content/news/san-ba-yu-gao.md",
        &article(
            "三八维权周活动预告",
            "2027-02-20 23:59:58",
            "",
            "三八维权周就要到了。",
        ),
    );
    let mut child = command(
        &site,
        &["publish", "--watch", "--now", "2027-02-20T23:59:56+08:00"],
    )
    .stdout(Stdio::null())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let page = "news/san-ba-yu-gao/index.html";
    let wait_for = |what: &str, ok: &dyn Fn() -> bool| {
        let started = Instant::now();
        while !ok() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "{what} never happened"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    wait_for("the first publish", &|| {
        server.get("site", "index.html").status == 200
    });
    assert_eq!(
        server.get("site", page).status,
        404,
        "published before it was due"
    );
    let home = String::from_utf8(server.get("site", "index.html").body).unwrap();
    assert!(
        home.contains("还有 <strong>16</strong> 天"),
        "no countdown before midnight"
    );
    wait_for("the article going online", &|| {
        server.get("site", page).status == 200
    });
    wait_for("the countdown turning at midnight", &|| {
        let home = String::from_utf8(server.get("site", "index.html").body).unwrap();
        home.contains("还有 <strong>15</strong> 天")
    });
    // An editor saves a new article: it goes online without a manual step.
    site.write(
        "content/news/xin-gao.md",
        &article("新写的一篇", "2027-02-20 10:00", "", "刚刚保存。"),
    );
    wait_for("the saved article going online", &|| {
        server.get("site", "news/xin-gao/index.html").status == 200
    });
    // SIGTERM: it stops cleanly, between runs.
    terminate(child.id());
    let started = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "it did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut log = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    assert!(status.success(), "{log}");
    assert!(log.contains("went live: 《三八维权周活动预告》"), "{log}");
    assert!(log.contains("stopped"), "{log}");
    assert_mirror(&server, "site", &site);
}

fn terminate(pid: u32) {
    let status = Command::new("kill")
        .arg("-TERM")
        .arg(pid.to_string())
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn publish_watch_outlives_a_storage_outage() {
    // The storage is down when the service starts.
    let port = super::s3::free_port();
    let site = site_with_target(
        &format!("http://127.0.0.1:{port}"),
        "site",
        "    retries: 1\n",
    );
    let mut child = command(&site, &["publish", "--watch"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let reader = {
        let log = log.clone();
        let mut stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stderr.read(&mut buf) {
                if n == 0 {
                    break;
                }
                log.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        })
    };
    let wait_for = |what: &str, ok: &dyn Fn() -> bool| {
        let started = Instant::now();
        while !ok() {
            assert!(
                started.elapsed() < Duration::from_secs(40),
                "{what} never happened:\n{}",
                log.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    wait_for("a failed run", &|| {
        log.lock().unwrap().contains("trying again in 5 s")
    });
    assert!(
        child.try_wait().unwrap().is_none(),
        "the service exited on a transient error"
    );
    // The storage comes back; the service gets the site there by itself.
    let server = S3Server::start_on(port);
    server.create_bucket("site");
    wait_for("the site going online", &|| {
        server.get("site", "index.html").status == 200
    });
    wait_for("a published line", &|| {
        log.lock().unwrap().contains("published: ")
    });
    terminate(child.id());
    assert!(child.wait().unwrap().success());
    reader.join().unwrap();
    let log = log.lock().unwrap();
    assert!(log.contains("the site online is unchanged"), "{log}");
    assert!(log.contains("连不上"), "{log}");
    assert_mirror(&server, "site", &site);
}

#[test]
fn a_prefix_keeps_the_site_in_its_folder_of_the_bucket() {
    let server = S3Server::start();
    server.create_bucket("shared");
    server.put("shared", "other-site/index.html", b"<p>another site</p>");
    let site = site_with_target(&server.endpoint(), "shared", "    prefix: /pufa/\n");
    build(&site);
    let s = deploy(&site);
    let listed = server.list("shared");
    assert!(
        listed
            .iter()
            .all(|(k, _)| k.starts_with("pufa/") || k.starts_with("other-site/"))
    );
    assert_eq!(s.uploaded, local(&site).len());
    assert_eq!(
        server.get("shared", "pufa/index.html").body,
        local(&site)["index.html"]
    );
    assert!(listed.iter().any(|(k, _)| k == &format!("pufa/{MANIFEST}")));
    // Deleting inside the prefix never reaches the other site.
    site.remove("content/news/2025-1125-fanjiabao.md");
    build(&site);
    assert!(deploy(&site).deleted >= 1);
    assert_eq!(server.get("shared", "other-site/index.html").status, 200);
}

#[test]
fn deploy_wants_a_built_site_and_publish_one_at_a_time() {
    let server = S3Server::start();
    server.create_bucket("site");
    let site = site_with_target(&server.endpoint(), "site", "");
    // Nothing built yet: no public/ to take.
    let out = run(&site, &["deploy"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("pufa build") && err.contains("先运行"),
        "{err}"
    );
    // A folder that is not pufa's output is never uploaded.
    site.write("not-built/secret.txt", "x");
    let out = run(
        &site,
        &[
            "deploy",
            "--output",
            site.path("not-built").to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(server.list("site").is_empty());

    // While a publish holds its lock, another one stops at once.
    let lock = std::fs::File::create(site.path(".public.publish.lock")).unwrap();
    lock.lock().unwrap();
    let out = run(&site, &["publish"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(
        err,
        "error: another pufa publish is running for this output folder; wait for it to finish
  错误：另一个 pufa publish 正在发布这个输出文件夹；请等它结束
"
    );
    drop(lock);
    let out = run(&site, &["publish"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_mirror(&server, "site", &site);

    // An unknown target name is a usage error naming the ones there are.
    let out = run(&site, &["deploy", "oss"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: no deploy target `oss` in site.yaml; the targets are: local
  错误：site.yaml 里没有名为「oss」的发布目标；现有的发布目标：local
"
    );
}
