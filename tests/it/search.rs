//! Search in a real browser: headless Chromium opens the search page served
//! by `pufa serve`, searches, and the test reads the results from the DOM.
//! Chromium comes from Debian (`.ci/run` installs it).

use std::process::Command;

use crate::support::{CHROMIUM, CHROMIUM_FLAGS, Site, article, static_server};

/// The result titles, in order, for a search of `query`.
fn results(site: &Site, query: &str) -> Vec<String> {
    results_with_snippets(site, query)
        .into_iter()
        .map(|(title, _)| title)
        .collect()
}

/// The results, in order, for a search of `query`: (title, snippet HTML).
fn results_with_snippets(site: &Site, query: &str) -> Vec<(String, String)> {
    results_and_requests(site, query).0
}

/// The results of a search of `query`, and the paths the page requested.
fn results_and_requests(site: &Site, query: &str) -> (Vec<(String, String)>, Vec<String>) {
    let (port, requests) = static_server(site.path("public"));
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
    let found = list
        .split("class=\"card-title\"")
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
        .collect();
    let requests = requests.lock().unwrap().clone();
    (found, requests)
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
fn snippets_come_from_the_index_and_are_highlighted() {
    let site = Site::fixture("search");
    site.build_ok();
    let (found, requests) = results_and_requests(&site, "抚养费");
    assert_eq!(found.len(), 1, "{found:?}");
    let (_, snippet) = &found[0];
    assert!(snippet.contains("<mark>抚养费</mark>"), "{snippet}");
    // The page, its style and script, the index: no article is fetched.
    let articles: Vec<&String> = requests
        .iter()
        .filter(|r| {
            !r.starts_with("/search/") && !r.starts_with("/assets/") && *r != "/favicon.ico"
        })
        .collect();
    assert!(articles.is_empty(), "{requests:?}");
    assert!(
        requests.iter().any(|r| r == "/search/index.json"),
        "{requests:?}"
    );
}

#[test]
fn snippets_never_cut_a_number_nor_run_into_a_heading() {
    let site = Site::minimal();
    // The first paragraph is longer than a snippet, and its 80th character
    // is inside the hotline's number; a heading follows it.
    let filler = "这十年里越来越多的姐妹懂得了拿起法律保护自己也知道了有人会帮她们走出困境而不是一个人默默忍受下去直到";
    assert_eq!(filler.chars().count(), 50);
    let body = format!(
        "自2016年3月1日起施行的反家庭暴力法，已经走过十年。{}遇到家暴请拨打 12338 妇女维权热线。\n\n## 申请保护令\n\n法院在七十二小时内作出裁定。\n",
        &filler[..filler.char_indices().nth(42).unwrap().0]
    );
    site.write(
        "content/news/a.md",
        &article("反家庭暴力法施行十年", "2026-11-01 08:00", "", &body),
    );
    site.build_ok();
    let (found, requests) = results_and_requests(&site, "家暴");
    assert_eq!(found.len(), 1, "{found:?} {requests:?}");
    let (_, snippet) = &found[0];
    let text = snippet.replace("<mark>", "").replace("</mark>", "");
    assert!(text.starts_with("自2016年3月1日"), "{text}");
    assert!(
        text.ends_with("请拨打…"),
        "cut before the number, not inside it: {text}"
    );
    assert!(!text.contains("1233"), "{text}");
    assert!(!text.contains("申请保护令"), "{text}");
    assert!(snippet.contains("<mark>家暴</mark>"), "{snippet}");
}
