//! The sanitiser against a browser: every vector of
//! `tests/fixtures/xss/vectors.txt` is written into articles (as an HTML
//! block, inline in a paragraph, as the URL of Markdown links and images
//! and of raw HTML's URL attributes), the site is built, and headless
//! Chromium loads every page. Nothing may run, reach the beacon, navigate,
//! or leave a script-capable element or URL in the article body. Each
//! feed item's `content:encoded` must be the page's article body.
//!
//! How the browser reports: the site's `base.html` (an override of the
//! default theme's, in the site's `themes/default/`) starts with a trusted
//! script that replaces `alert`, `confirm`, `prompt`, `print`, `open`,
//! `fetch`, XHR, `sendBeacon`, `WebSocket` and `EventSource` with
//! recorders. A harness page loads the article pages in sandboxed iframes
//! (scripts, same origin, no modals: a dialog from a frame the recorders do
//! not reach is refused with a console message instead of hanging the
//! browser), reads each frame's records, checks it is still on its page,
//! and audits the DOM the browser built from the article: no `on*`
//! attribute, no script, frame, object, form, SVG or MathML element, no
//! `javascript:`/`vbscript:`/`data:` URL (except images), as the browser
//! resolves them. A listener on another port records any request to
//! `{BEACON}`. A few canaries built without the sanitiser
//! (`markdown: { unsafe_html: true }`) must be caught on every run, so the
//! test proves it can see each kind of escape.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::{CHROMIUM, CHROMIUM_FLAGS, Site};

/// One line of the corpus.
struct Vector {
    text: String,
    /// A URL, to place in links, images and URL attributes.
    url: bool,
}

fn vectors() -> Vec<Vector> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/xss/vectors.txt");
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (text, url) = match l.strip_prefix("url ") {
                Some(u) => (u, true),
                None => (l, false),
            };
            Vector {
                text: text.replace("{LF}", "\n").replace("{TAB}", "\t"),
                url,
            }
        })
        .collect()
}

/// Raw HTML with a URL in each attribute that takes one.
const URL_ATTRIBUTES: &[&str] = &[
    "<a href=\"{URL}\">链接</a>",
    "<a href='{URL}'>单引号</a>",
    "<img src=\"{URL}\" alt=\"图\">",
    "<iframe src=\"{URL}\"></iframe>",
    "<form action=\"{URL}\"><button>提交</button></form>",
    "<button formaction=\"{URL}\">按钮</button>",
    "<object data=\"{URL}\"></object>",
    "<embed src=\"{URL}\">",
    "<svg><a xlink:href=\"{URL}\"><text x=\"10\" y=\"10\">点</text></a></svg>",
    "<math href=\"{URL}\">点</math>",
    "<map name=\"m\"><area href=\"{URL}\" shape=\"rect\" coords=\"0,0,9,9\"></map>",
    "<video poster=\"{URL}\"></video>",
    "<blockquote cite=\"{URL}\">引用</blockquote>",
    "<meta http-equiv=\"refresh\" content=\"0;url={URL}\">",
    "<base href=\"{URL}\">",
];

/// The articles made from the corpus: (name, Markdown body).
fn articles(vectors: &[Vector]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (i, v) in vectors.iter().enumerate() {
        let n = i + 1;
        if v.url {
            // Spaces or brackets need the `<…>` form of a destination.
            let dest = if v.text.contains([' ', '(', ')', '<', '>']) {
                format!("<{}>", v.text.replace('<', "%3C").replace('>', "%3E"))
            } else {
                v.text.clone()
            };
            out.push((
                format!("u{n:03}-markdown"),
                format!(
                    "前文[链接]({dest})和![图]({dest})。\n\n[引用式][r]\n\n[r]: {dest}\n\n尾段。\n"
                ),
            ));
            let html: Vec<String> = URL_ATTRIBUTES
                .iter()
                .map(|t| t.replace("{URL}", &v.text))
                .collect();
            out.push((
                format!("u{n:03}-html"),
                format!(
                    "{}\n\n行内：{}\n\n尾段。\n",
                    html.join("\n\n"),
                    html.join(" ")
                ),
            ));
        } else {
            out.push((
                format!("v{n:03}-block"),
                format!("前文。\n\n{}\n\n尾段。\n", v.text),
            ));
            out.push((
                format!("v{n:03}-inline"),
                format!("前文 {} 后文。\n\n尾段。\n", v.text),
            ));
        }
    }
    out
}

/// Written before every other script of each page.
const GUARD: &str = "<script>(function(){var c=[];window.__xss=c;\
function rec(n){return function(){var a=[].slice.call(arguments).map(String).join(',');c.push(n+'('+a.slice(0,80)+')')}}\
['alert','confirm','prompt','print','open'].forEach(function(n){window[n]=rec(n)});\
window.fetch=function(u){rec('fetch')(u);return new Promise(function(){})};\
XMLHttpRequest.prototype.open=rec('xhr');XMLHttpRequest.prototype.send=function(){};\
navigator.sendBeacon=rec('sendBeacon');window.WebSocket=rec('WebSocket');window.EventSource=rec('EventSource');\
})()</script>";

/// The harness page: loads `PAGES` in sandboxed iframes, a few at a time,
/// and writes what it found into `#result` as JSON.
const HARNESS: &str = r#"<!doctype html><meta charset="utf-8"><pre id="result">running</pre><script>
var PAGES = __PAGES__;
var FORBIDDEN = ['script','iframe','frame','frameset','object','embed','applet','base','meta','link','style',
  'form','input','button','textarea','select','svg','math','template','noscript','title','xmp','plaintext',
  'noembed','noframes','portal','fencedframe','image','isindex','keygen','bgsound'];
var URLS = ['href','src','action','formaction','data','poster','background','cite','xlink:href','srcset','ping','lowsrc','dynsrc','codebase'];
var results = {}, next = 0, done = 0;
function audit(doc) {
  var out = [], body = doc.querySelector('.prose');
  if (!body) return ['no article body'];
  if (doc.querySelectorAll('base').length) out.push('<base> in the page');
  var all = body.getElementsByTagName('*');
  for (var i = 0; i < all.length; i++) {
    var el = all[i], tag = el.localName.toLowerCase();
    if (FORBIDDEN.indexOf(tag) >= 0) out.push('<' + tag + '>');
    if (el.namespaceURI !== 'http://www.w3.org/1999/xhtml') out.push('namespace ' + el.namespaceURI + ' ' + tag);
    for (var j = 0; j < el.attributes.length; j++) {
      var a = el.attributes[j], name = a.name.toLowerCase(), value = a.value;
      if (name.indexOf('on') === 0) out.push(tag + ' ' + name + '=');
      if (name === 'srcdoc') out.push(tag + ' srcdoc=');
      if (name === 'style' && /url\(|expression|position|behavior|binding|margin/i.test(value)) out.push(tag + ' style=' + value);
      if (URLS.indexOf(name) >= 0) {
        var proto = '';
        try { proto = new URL(value, doc.baseURI).protocol; } catch (e) {}
        var image = tag === 'img' && name === 'src' && /^\s*data:image\//i.test(value);
        if (proto === 'javascript:' || proto === 'vbscript:' || (proto === 'data:' && !image))
          out.push(tag + ' ' + name + '=' + value.slice(0, 60));
      }
    }
  }
  return out;
}
function check(frame, page) {
  var w = frame.contentWindow, out = [];
  try {
    if (w.location.pathname !== page) out.push('navigated to ' + w.location.href);
  } catch (e) { return ['navigated away']; }
  if (!w.__xss) return out.concat(['the page was replaced']);
  out = out.concat(w.__xss);
  try { out = out.concat(audit(w.document)); } catch (e) { out.push('audit failed: ' + e); }
  return out;
}
function start() {
  if (next >= PAGES.length) return;
  var page = PAGES[next++], frame = document.createElement('iframe'), finished = false;
  function finish(extra) {
    if (finished) return;
    finished = true;
    results[page] = check(frame, page).concat(extra);
    frame.remove();
    done++;
    if (done === PAGES.length) document.getElementById('result').textContent = JSON.stringify(results);
    else start();
  }
  frame.setAttribute('sandbox', 'allow-scripts allow-same-origin');
  frame.onload = function () { setTimeout(function () { finish([]); }, 500); };
  setTimeout(function () { finish(['did not finish loading']); }, 20000);
  frame.src = page;
  document.body.appendChild(frame);
}
for (var k = 0; k < 4; k++) start();
</script>"#;

/// Serves the harness and the built sites (`/<name>/…` from each site's
/// `public/`), a thread per connection.
fn serve(listener: TcpListener, sites: Vec<(String, PathBuf)>, harness: Arc<Mutex<String>>) {
    std::thread::spawn(move || {
        let sites = Arc::new(sites);
        for stream in listener.incoming().flatten() {
            let (sites, harness) = (Arc::clone(&sites), Arc::clone(&harness));
            std::thread::spawn(move || {
                let mut stream = stream;
                let mut line = String::new();
                let _ = BufReader::new(&stream).read_line(&mut line);
                let target = line.split(' ').nth(1).unwrap_or("/");
                let target = target.split(['?', '#']).next().unwrap_or("/").to_string();
                let body = if target == "/harness.html" {
                    Some(harness.lock().unwrap().clone().into_bytes())
                } else {
                    sites.iter().find_map(|(name, dir)| {
                        let rest = target.strip_prefix(&format!("/{name}/"))?;
                        let mut path = dir.join(rest);
                        if target.ends_with('/') {
                            path = path.join("index.html");
                        }
                        std::fs::read(path).ok()
                    })
                };
                let ext = target.rsplit('.').next().unwrap_or("");
                let ct = match ext {
                    "css" => "text/css",
                    "js" => "text/javascript",
                    "svg" => "image/svg+xml",
                    "png" => "image/png",
                    "xml" => "application/xml",
                    "json" => "application/json",
                    _ => "text/html; charset=utf-8",
                };
                let (status, body) = match body {
                    Some(b) => ("200 OK", b),
                    None => ("404 Not Found", Vec::new()),
                };
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status}\r\nContent-Type: {ct}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(&body);
            });
        }
    });
}

/// Records the path of every request; answers 204.
fn beacon(listener: TcpListener, hits: Arc<Mutex<Vec<String>>>) {
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut line = String::new();
            let _ = BufReader::new(&stream).read_line(&mut line);
            let path = line.split(' ').nth(1).unwrap_or("?").to_string();
            hits.lock().unwrap().push(path);
            let _ = stream.write_all(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
        }
    });
}

/// A site named `name` served at `http://127.0.0.1:<port>/<name>/` with the
/// guarded theme and `articles` in `content/news/`.
fn site(name: &str, port: u16, unsafe_html: bool, articles: &[(String, String)]) -> Site {
    let site = Site::minimal();
    site.write(
        "site.yaml",
        &format!(
            "title: 小站\nbase_url: http://127.0.0.1:{port}/{name}/\nfeed:\n  limit: 100000\n  max_bytes: 1000000000\nmarkdown:\n  unsafe_html: {unsafe_html}\n"
        ),
    );
    let base = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/base.html"),
    )
    .unwrap();
    let guarded = base.replacen(
        "<meta charset=\"utf-8\">",
        &format!("<meta charset=\"utf-8\">\n{GUARD}"),
        1,
    );
    assert_ne!(guarded, base, "base.html has no <meta charset>");
    site.write("themes/default/templates/base.html", &guarded);
    for (slug, body) in articles {
        site.write(
            &format!("content/news/{slug}.md"),
            &format!("---\ntitle: {slug}\ndate: 2026-01-01\nsummary: 摘要。\n---\n\n{body}"),
        );
    }
    site
}

/// What the browser saw, by page URL path (`/safe/news/v001-block/`):
/// every problem found. Pages without any are left out.
fn run_browser(
    port: u16,
    pages: &[String],
    harness: &Mutex<String>,
) -> BTreeMap<String, Vec<String>> {
    *harness.lock().unwrap() = HARNESS.replace("__PAGES__", &serde_json::to_string(pages).unwrap());
    let profile = tempfile::tempdir().unwrap();
    let out = assert_cmd::Command::new(CHROMIUM)
        .args(CHROMIUM_FLAGS)
        .args([
            "--enable-logging=stderr",
            "--v=0",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "--virtual-time-budget=3600000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("http://127.0.0.1:{port}/harness.html"))
        .timeout(Duration::from_secs(300))
        .output()
        .unwrap_or_else(|e| {
            panic!("{CHROMIUM} is needed for this test (apt-get install chromium): {e}")
        });
    let dom = String::from_utf8_lossy(&out.stdout);
    let json = dom
        .split("<pre id=\"result\">")
        .nth(1)
        .and_then(|r| r.split("</pre>").next())
        .unwrap_or_default()
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    let mut found: BTreeMap<String, Vec<String>> =
        serde_json::from_str(&json).unwrap_or_else(|e| {
            panic!(
                "the harness did not finish ({e}):\n{dom}\n{}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
    assert_eq!(found.len(), pages.len(), "pages the harness did not report");
    // A dialog in a frame the recorders do not reach (a nested frame).
    for line in String::from_utf8_lossy(&out.stderr).lines() {
        if let Some(at) = line.find("\"Ignored call to '") {
            found
                .entry("(a nested frame)".to_string())
                .or_default()
                .push(line[at..].to_string());
        }
    }
    found.retain(|_, v| !v.is_empty());
    found
}

/// Builds the corpus as `name` (sanitised unless `unsafe_html`) and the
/// canaries (never sanitised), runs the browser; returns the problems of
/// the corpus, of the canaries, and the two sites.
struct Run {
    corpus: BTreeMap<String, Vec<String>>,
    canaries: BTreeMap<String, Vec<String>>,
    corpus_site: Site,
    port: u16,
}

/// Vectors that escape without the sanitiser, one per way the test sees an
/// escape; built with `unsafe_html` on every run, each must be caught.
/// (name, vector, what the report must say about it).
const CANARIES: &[(&str, &str, &str)] = &[
    (
        "recorded-call",
        "<script>alert('canary')</script>",
        "alert(canary)",
    ),
    (
        "event-handler",
        "<img src=x onerror=confirm(2)>",
        "img onerror=",
    ),
    (
        "nested-frame",
        "<iframe src=\"javascript:alert(3)\"></iframe>",
        "Ignored call to 'alert()'",
    ),
    (
        "beacon",
        "<img src=x onerror=\"new Image().src='{BEACON}'\">",
        "request to the beacon",
    ),
    (
        "navigation",
        "<meta http-equiv=\"refresh\" content=\"0;url=/unsafe/\">",
        "navigated to",
    ),
    (
        "script-url",
        "<a href=\"java&#x09;script:alert(4)\">链接</a>",
        "a href=java",
    ),
];

fn run(unsafe_corpus: bool) -> Run {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let beacon_listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let beacon_port = beacon_listener.local_addr().unwrap().port();
    let with_beacon = |list: Vec<(String, String)>| -> Vec<(String, String)> {
        list.into_iter()
            .map(|(name, body)| {
                let url = format!("http://127.0.0.1:{beacon_port}/beacon/{name}");
                let body = body.replace("{BEACON}", &url);
                (name, body)
            })
            .collect()
    };
    // Without the sanitiser a Markdown image of `javascript:…` is looked
    // for as a file (and missing, an error): those pages are left out.
    let corpus = articles(&vectors())
        .into_iter()
        .filter(|(name, _)| !(unsafe_corpus && name.ends_with("-markdown")))
        .collect();
    let corpus = with_beacon(corpus);
    let canaries = with_beacon(
        CANARIES
            .iter()
            .map(|(n, v, _)| (format!("canary-{n}"), format!("{v}\n\n尾段。\n")))
            .collect(),
    );
    let corpus_site = site("safe", port, unsafe_corpus, &corpus);
    let canary_site = site("unsafe", port, true, &canaries);
    corpus_site.build_ok();
    canary_site.build_ok();
    let hits = Arc::new(Mutex::new(Vec::new()));
    beacon(beacon_listener, Arc::clone(&hits));
    let harness = Arc::new(Mutex::new(String::new()));
    serve(
        listener,
        vec![
            ("safe".into(), corpus_site.path("public")),
            ("unsafe".into(), canary_site.path("public")),
        ],
        Arc::clone(&harness),
    );
    let pages: Vec<String> = corpus
        .iter()
        .map(|(n, _)| format!("/safe/news/{n}/"))
        .chain(canaries.iter().map(|(n, _)| format!("/unsafe/news/{n}/")))
        .collect();
    // Two browser runs: a dialog refused in a nested frame is reported
    // without its page, so the canaries must not share a run with the corpus.
    let (corpus_pages, canary_pages) = pages.split_at(corpus.len());
    let mut found = run_browser(port, corpus_pages, &harness);
    found.extend(
        run_browser(port, canary_pages, &harness)
            .into_iter()
            .map(|(page, problems)| match page.starts_with('/') {
                true => (page, problems),
                false => (format!("/unsafe/{page}"), problems),
            }),
    );
    for hit in hits.lock().unwrap().iter() {
        let name = hit.rsplit('/').next().unwrap_or_default();
        let site = if name.starts_with("canary-") {
            "unsafe"
        } else {
            "safe"
        };
        found
            .entry(format!("/{site}/news/{name}/"))
            .or_default()
            .push(format!("request to the beacon: {hit}"));
    }
    let (canaries, corpus) = found
        .into_iter()
        .partition(|(page, _)| page.starts_with("/unsafe/"));
    Run {
        corpus,
        canaries,
        corpus_site,
        port,
    }
}

/// The article body of a built page.
fn body(page: &str) -> &str {
    let start = page.find("<div class=\"prose\">\n").unwrap() + "<div class=\"prose\">\n".len();
    let end = page
        .rfind("\n  </div>\n  <footer class=\"article-foot\">")
        .unwrap();
    &page[start..end]
}

fn report(found: &BTreeMap<String, Vec<String>>) -> String {
    found
        .iter()
        .map(|(page, problems)| format!("{page}: {}", problems.join("; ")))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn no_vector_of_the_corpus_runs_in_a_browser_in_pages_or_feeds() {
    let vectors = vectors();
    assert!(vectors.len() >= 150, "{} vectors", vectors.len());
    let run = run(false);
    // Each kind of escape is seen (built without the sanitiser).
    let seen = report(&run.canaries);
    for (name, _, said) in CANARIES {
        assert!(
            seen.contains(said),
            "the harness missed the canary {name} (`{said}`):\n{seen}"
        );
    }
    assert!(
        run.corpus.is_empty(),
        "{} pages of {} let something through:\n{}",
        run.corpus.len(),
        articles(&vectors).len(),
        report(&run.corpus)
    );
    // Feeds carry the same sanitised HTML as the pages.
    let feed =
        rss::Channel::read_from(&run.corpus_site.read("public/rss.xml").into_bytes()[..]).unwrap();
    let origin = format!("http://127.0.0.1:{}", run.port);
    let mut checked = 0;
    for item in feed.items() {
        let link = item.link().unwrap();
        let local = link.strip_prefix(&format!("{origin}/safe/")).unwrap();
        let page = run.corpus_site.read(&format!("public/{local}index.html"));
        let expected = body(&page)
            .replace(" href=\"/", &format!(" href=\"{origin}/"))
            .replace(" src=\"/", &format!(" src=\"{origin}/"));
        // (The rss crate trims the text it reads.)
        let content = item.content().unwrap_or_default();
        let expected = expected.trim_end();
        let same = content
            .bytes()
            .zip(expected.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        assert_eq!(
            content,
            expected,
            "{link}: the feed differs from the page at byte {same}: {:?} / {:?}",
            content.get(same.saturating_sub(20)..(same + 40).min(content.len())),
            expected.get(same.saturating_sub(20)..(same + 40).min(expected.len()))
        );
        checked += 1;
    }
    assert_eq!(checked, articles(&vectors).len());
}

/// The figure for docs/hostile-input.md: how many pages of the corpus let
/// something through without the sanitiser (`unsafe_html: true`).
/// `cargo test --test it xss -- --ignored --nocapture`
#[test]
#[ignore = "a figure for the docs: the corpus without the sanitiser"]
fn without_the_sanitiser_the_corpus_escapes() {
    let run = run(true);
    let pages = articles(&vectors())
        .iter()
        .filter(|(name, _)| !name.ends_with("-markdown"))
        .count();
    eprintln!(
        "without the sanitiser, {} of {pages} pages let something through:\n{}",
        run.corpus.len(),
        report(&run.corpus)
    );
    assert!(run.corpus.len() > pages / 2);
}

/// An article without raw HTML skips the sanitiser (most articles do, and
/// a build of 10,000 stays near a second). Its one way to run code is a
/// URL written in Markdown, which `dangerous_url` checks: on such a page,
/// with every URL of the corpus as links, images, references and
/// autolinks, the sanitiser finds nothing to remove.
#[test]
fn pages_without_raw_html_have_nothing_for_the_sanitiser_to_remove() {
    let mut markdown = String::from(
        "# 标题\n\n正文 **粗** *斜* ~~删~~ `码` [外链](https://example.cn/a?b=1&c=2 \"标题\")。\n\n",
    );
    for (i, v) in vectors().iter().filter(|v| v.url).enumerate() {
        let dest = format!("<{}>", v.text.replace('<', "%3C").replace('>', "%3E"));
        markdown.push_str(&format!(
            "链接[甲{i}]({dest})，图![乙{i}]({dest})，[引用{i}][r{i}]，<{}>。\n\n[r{i}]: {dest}\n\n",
            v.text.replace([' ', '<', '>'], "")
        ));
    }
    let site = Site::minimal();
    site.write(
        "content/news/a.md",
        &format!("---\ntitle: 甲\ndate: 2026-01-01\nsummary: 摘要。\n---\n\n{markdown}"),
    );
    let stderr = site.build_ok();
    assert!(
        stderr.contains("removed a link that would run code"),
        "{stderr}"
    );
    let page = site.read("public/news/a/index.html");
    let html = body(&page);
    let cleaned = pufa::markdown::sanitize::clean_article(html);
    assert_eq!(cleaned.removed, Vec::<String>::new(), "{html}");
}
