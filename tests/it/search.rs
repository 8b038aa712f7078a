//! Search in a real browser: headless Chromium opens the search page served
//! by `pufa serve`, searches, and the test reads the results from the DOM.
//! Chromium comes from Debian (`.ci/run` installs it).

use std::process::Command;

use crate::support::{CHROMIUM, CHROMIUM_FLAGS, Site};

/// Serves `dir` over HTTP on loopback, as a static host would (no live
/// reload script, which would keep the page loading forever).
fn static_server(dir: std::path::PathBuf) -> u16 {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
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
    port
}

/// The result titles, in order, for a search of `query`.
fn results(site: &Site, query: &str) -> Vec<String> {
    results_with_snippets(site, query)
        .into_iter()
        .map(|(title, _)| title)
        .collect()
}

/// The results, in order, for a search of `query`: (title, snippet HTML).
fn results_with_snippets(site: &Site, query: &str) -> Vec<(String, String)> {
    let port = static_server(site.path("public"));
    let encoded: String = percent_encode(query);
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(CHROMIUM)
        .args(CHROMIUM_FLAGS)
        .args(["--window-size=375,812", "--virtual-time-budget=5000"])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("http://127.0.0.1:{port}/search/?q={encoded}"))
        .output()
        .unwrap_or_else(|e| {
            panic!("{CHROMIUM} is needed for this test (apt-get install chromium): {e}")
        });
    let dom = String::from_utf8_lossy(&out.stdout).into_owned();
    let list = dom
        .split("id=\"search-results\"")
        .nth(1)
        .unwrap_or_default();
    let list = list.split("</ol>").next().unwrap_or_default();
    list.split("class=\"card-title\"")
        .skip(1)
        .map(|s| {
            let title = s.split_once('>').map(|(_, r)| r).unwrap_or_default();
            let title = title
                .split("</a>")
                .next()
                .unwrap_or_default()
                .replace("<mark>", "")
                .replace("</mark>", "");
            let snippet = s
                .split("class=\"card-summary snippet\">")
                .nth(1)
                .and_then(|s| s.split("</p>").next())
                .unwrap_or_default()
                .to_string();
            (title, snippet)
        })
        .collect()
}

fn percent_encode(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}

#[test]
fn chinese_queries_find_the_right_articles_title_hits_first() {
    let site = Site::fixture("search");
    site.build_ok();
    assert_eq!(
        results(&site, "家暴"),
        ["遭遇家暴怎么办", "协议离婚要注意什么"]
    );
    assert_eq!(results(&site, "抚养"), ["前夫不给抚养费怎么办"]);
    assert!(results(&site, "继承").is_empty());
}

#[test]
fn snippets_are_cut_from_the_article_text_and_highlighted() {
    let site = Site::fixture("search");
    site.build_ok();
    assert!(
        !site.path("public/search/t").exists(),
        "no per-article text files"
    );
    let found = results_with_snippets(&site, "抚养费");
    assert_eq!(found.len(), 1, "{found:?}");
    let (_, snippet) = &found[0];
    assert!(snippet.contains("<mark>抚养费</mark>"), "{snippet}");
}
