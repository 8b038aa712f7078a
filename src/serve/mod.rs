//! `pufa serve`: build in memory, serve on loopback, rebuild on every save
//! and reload open pages by themselves.
//!
//! The main thread watches the site (notify), waits for a burst of saves to
//! end, rebuilds the site model and publishes it as a new *generation*.
//! Worker threads answer from the current generation, rendering each page
//! when it is asked for ([`crate::render::Lazy`]); one thread keeps the
//! connections (`net.rs`: limits and deadlines; `hosts.rs`: who may ask).
//! Each page carries a small script that listens on `/__pufa/events`
//! (Server-Sent Events) and reloads when the generation moves on. A failed
//! build becomes the generation too: every page then shows the errors with
//! file and line, and the next good save brings the site back.
//!
//! Rebuilds are incremental: unchanged article files are not read again and
//! unchanged articles not rendered again ([`crate::cache`]), and no page is
//! rendered before it is asked for, so the time from a save to the reload is
//! what the model needs, not what the whole site does (10,000 articles: tens
//! of milliseconds instead of seconds).

mod files;
mod hosts;
mod http;
mod net;
pub mod watch;

use std::borrow::Cow;
use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use jiff::Timestamp;

use crate::cache::Cache;
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::output::Body;
use crate::render::Lazy;
use crate::schedule::Visibility;
use crate::site::Site;
use http::{Request, Response};
use net::EVENTS_PATH;

pub struct Options {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 lets the system choose a free port.
    pub port: u16,
    pub visibility: Visibility,
    /// Names besides `localhost` and IP addresses that requests may be addressed to.
    pub allow_hosts: Vec<String>,
}

/// One build's result, as served.
enum Built {
    Site(Box<LiveSite>),
    Failed(Vec<Diagnostic>),
}

/// The configuration and site model of one build.
struct Model {
    config: Config,
    site: Site,
}

self_cell::self_cell!(
    /// A site model and its pages, rendered on demand (the pages borrow the model).
    struct LiveSite {
        owner: Model,
        #[covariant]
        dependent: Lazy,
    }
);

struct Generation {
    number: u64,
    built: Arc<Built>,
}

/// The current generation, shared by the watcher and the workers.
struct Shared {
    current: Mutex<Generation>,
}

/// Runs until the process is stopped. `clock` gives "now" for each rebuild,
/// so scheduled articles appear while the server runs.
pub fn run(options: &Options, clock: &dyn Fn() -> Timestamp) -> std::io::Result<()> {
    let server = net::Server::bind(SocketAddr::new(options.bind, options.port))?;
    let addr = server.local_addr()?;
    let base_url = format!("http://{addr}/");

    let started = Instant::now();
    // Absolute, as the watcher reports paths: changed files are then
    // recognised as the ones the last build read.
    let root = std::path::absolute(&options.root).unwrap_or_else(|_| options.root.clone());
    let root = root.as_path();
    // Watching before the first build: a file saved while it runs is
    // reported, and the next build reads it again (the cache would keep
    // what the first build read).
    let (tx, rx) = std::sync::mpsc::channel();
    let mut watcher = notify::recommended_watcher(tx).map_err(std::io::Error::other)?;
    watch_site(&mut watcher, root);

    let mut cache = Cache::default();
    let mut shown = std::collections::HashSet::new();
    let (first, warnings) = build(root, &base_url, options.visibility, clock(), &mut cache);
    report_warnings(&warnings, &mut shown);
    report(&first, started.elapsed(), 1);
    let shared = Arc::new(Shared {
        current: Mutex::new(Generation {
            number: 1,
            built: Arc::new(first),
        }),
    });
    let generations = server.generations();
    generations.publish(1);

    warm_up(&shared);
    let handler = {
        let (shared, root) = (Arc::clone(&shared), root.to_path_buf());
        Arc::new(move |req: &Request| answer(req, &shared, &root))
    };
    let allowed = hosts::Allowed::new(&options.allow_hosts);
    std::thread::spawn(move || {
        if let Err(e) = server.run(handler, allowed) {
            eprintln!("error: the preview stopped answering: {e}\n错误：预览停止响应：{e}");
            std::process::exit(1);
        }
    });
    let mode = match (options.visibility.drafts, options.visibility.future) {
        (true, true) => "（显示草稿和定时文章 · drafts and scheduled shown）",
        (true, false) => "（显示草稿 · drafts shown）",
        (false, true) => "（显示定时文章 · scheduled shown）",
        (false, false) => "",
    };
    eprintln!("serving {base_url} {mode}\n预览地址 {base_url} · 按 Ctrl+C 停止 · Ctrl+C to stop");

    while let Some(changed) = watch::wait_for_changes(root, &rx) {
        let started = Instant::now();
        cache.note_changes(root, &changed);
        let (built, warnings) = build(root, &base_url, options.visibility, clock(), &mut cache);
        let took = started.elapsed();
        let built = Arc::new(built);
        let mut current = shared.current.lock().expect("not poisoned");
        current.number += 1;
        let number = current.number;
        let previous = std::mem::replace(&mut current.built, Arc::clone(&built));
        drop(current);
        generations.publish(number);
        // After the reload is on its way: printing and freeing a large site
        // take a while.
        report_warnings(&warnings, &mut shown);
        report(&built, took, number);
        drop(previous);
        warm_up(&shared);
    }
    Ok(())
}

/// Makes the current generation's feeds and search index in the background
/// (pages are rendered when asked for), and reports what that finds. Waits
/// until the editor has paused, and gives up if another save came
/// meanwhile: this work (the search index of 10,000 articles takes a few
/// hundred milliseconds) would otherwise compete with the next rebuild.
fn warm_up(shared: &Arc<Shared>) {
    const SETTLE: Duration = Duration::from_secs(2);
    let shared = Arc::clone(shared);
    let number = shared.current.lock().expect("not poisoned").number;
    std::thread::spawn(move || {
        std::thread::sleep(SETTLE);
        let built = {
            let current = shared.current.lock().expect("not poisoned");
            if current.number != number {
                return;
            }
            Arc::clone(&current.built)
        };
        if let Built::Site(site) = &*built {
            for e in site.borrow_dependent().errors() {
                eprintln!("{e}");
            }
        }
    });
}

fn watch_site(watcher: &mut notify::RecommendedWatcher, root: &Path) {
    use notify::{RecursiveMode, Watcher};
    for dir in ["content", "static", "themes", "statutes"] {
        let path = root.join(dir);
        if path.is_dir() {
            let _ = watcher.watch(&path, RecursiveMode::Recursive);
        }
    }
    // site.yaml: watch the folder (editors replace the file on save).
    let _ = watcher.watch(root, RecursiveMode::NonRecursive);
}

/// Builds the site model; returns it with the build's warnings.
fn build(
    root: &Path,
    base_url: &str,
    visibility: Visibility,
    now: Timestamp,
    cache: &mut Cache,
) -> (Built, Vec<Diagnostic>) {
    let model = cache.load_config(root, base_url).and_then(|config| {
        let (site, warnings) = crate::assemble_cached(&config, now, visibility, cache)?;
        Ok((Model { config, site }, warnings))
    });
    let (model, warnings) = match model {
        Ok(built) => built,
        Err(diags) => return (Built::Failed(diags), Vec::new()),
    };
    let built = match LiveSite::try_new(model, |m| Lazy::new(&m.config, &m.site)) {
        Ok(site) => Built::Site(Box::new(site)),
        Err(diags) => Built::Failed(diags),
    };
    (built, warnings)
}

/// Prints the warnings that the previous build did not have (all of them
/// the first time): an editor wants to see what the last save caused, not
/// the same hundred lines after every save.
fn report_warnings(warnings: &[Diagnostic], shown: &mut std::collections::HashSet<u64>) {
    // Compared by fingerprint: formatting every warning on every save (6,000
    // in a generated 10,000-article site) only to compare the text cost more
    // than the rest of reporting. `warnings` come sorted by file and line.
    let now: Vec<(u64, &Diagnostic)> = warnings
        .iter()
        .map(|w| (crate::stamp::fingerprint(w), w))
        .collect();
    let mut printed = std::collections::HashSet::new();
    // Buffered: stderr is not, and the first build may print thousands of lines.
    let mut err = std::io::BufWriter::new(std::io::stderr().lock());
    let new = now
        .iter()
        .filter(|(key, _)| !shown.contains(key) && printed.insert(*key))
        .map(|(_, w)| *w);
    // The first few of each kind; the rest are counted.
    for line in crate::diagnostics::summarise(new, false) {
        let _ = writeln!(err, "{line}");
    }
    *shown = now.into_iter().map(|(key, _)| key).collect();
    let still = shown.len() - printed.len();
    if still > 0 {
        let _ = writeln!(
            err,
            "({still} warnings shown before are still there · 另有 {still} 条警告同上次)"
        );
    }
}

fn report(built: &Built, took: Duration, generation: u64) {
    match built {
        Built::Site(site) => {
            let n = site.borrow_owner().site.articles.len() + site.borrow_owner().site.pages.len();
            let ms = took.as_millis();
            eprintln!(
                "已生成 {n} 篇文章，用时 {ms} 毫秒 · built {n} articles in {ms} ms (generation {generation})"
            );
        }
        Built::Failed(diags) => {
            let mut err = std::io::BufWriter::new(std::io::stderr().lock());
            for line in crate::diagnostics::summarise(diags, false) {
                let _ = writeln!(err, "{line}");
            }
            drop(err);
            eprintln!("生成失败：浏览器里会显示这些错误，改好保存后自动刷新");
            eprintln!(
                "build failed (generation {generation}); the browser shows the errors until the next good save"
            );
        }
    }
}

/// The response to a request the connection thread let through (a worker runs this).
fn answer(req: &Request, shared: &Shared, root: &Path) -> Response {
    if req.method != "GET" && req.method != "HEAD" {
        return Response::text(405, "only GET");
    }
    let (number, built) = {
        let g = shared.current.lock().expect("not poisoned");
        (g.number, Arc::clone(&g.built))
    };
    respond(req, &built, number, root)
}

/// The response for a path, from one generation of the site.
fn respond(req: &Request, built: &Built, generation: u64, root: &Path) -> Response {
    let Some(key) = site_path(&req.path) else {
        return Response::new(400, "text/plain; charset=utf-8", "bad path");
    };
    let site = match built {
        Built::Site(site) => site.borrow_dependent(),
        Built::Failed(diags) => {
            return Response::new(
                500,
                "text/html; charset=utf-8",
                error_page(diags, generation),
            );
        }
    };
    let path = if key.is_empty() || key.ends_with('/') {
        format!("{key}index.html")
    } else if !site.contains(&key) && site.contains(&format!("{key}/index.html")) {
        return Response::redirect(format!("/{key}/"));
    } else {
        key
    };
    match site
        .file(&path)
        .map(|body| body.and_then(|b| read(b, root, &path)))
    {
        Some(Ok(bytes)) => Response::new(
            200,
            http::content_type(&path),
            with_live_reload(&path, bytes, generation),
        ),
        Some(Err(e)) => Response::new(
            500,
            "text/html; charset=utf-8",
            error_page(std::slice::from_ref(&e), generation),
        ),
        None => {
            let page = site
                .file("404.html")
                .and_then(Result::ok)
                .and_then(|b| read(b, root, "404.html").ok())
                .unwrap_or_else(|| b"not found".to_vec());
            Response::new(
                404,
                "text/html; charset=utf-8",
                with_live_reload("404.html", page, generation),
            )
        }
    }
}

/// The bytes of the file at the output path `path`: rendered, or read
/// from its source now, never through a symbolic link ([`files`]), since
/// the source may have been replaced by one after the build listed it.
fn read(body: Cow<'_, Body>, root: &Path, path: &str) -> Result<Vec<u8>, Diagnostic> {
    let read = match body {
        // A page rendered for this request: no copy.
        Cow::Owned(Body::Bytes(bytes)) => Ok(bytes),
        body => match &*body {
            Body::Bytes(bytes) => Ok(bytes.clone()),
            Body::Copy(from) => files::read(root, from),
            Body::Image { from, op } => files::open(root, from)
                .and_then(|file| crate::images::process_file(file, from, *op)),
        },
    };
    read.map_err(|e| {
        Diagnostic::error(path, format!("cannot read: {e}"))
            .zh(format!("无法读取：{e}"))
            .hint("save the file again; the preview reads it on the next request")
            .hint_zh("重新保存这个文件，预览会在下次打开页面时再读取")
    })
}

/// The output-relative path a URL path names, or `None` for paths that try
/// to step outside the site (`..`, backslashes, NUL).
fn site_path(url_path: &str) -> Option<String> {
    let rest = url_path.strip_prefix('/')?;
    let bad = rest.contains('\0')
        || rest.contains('\\')
        || rest.split('/').any(|seg| seg == ".." || seg == ".");
    (!bad).then(|| rest.to_string())
}

/// Adds the reload listener to HTML pages (serve mode only, never in builds).
fn with_live_reload(path: &str, bytes: Vec<u8>, generation: u64) -> Vec<u8> {
    if !path.ends_with(".html") {
        return bytes;
    }
    let script = format!(
        "<script>(()=>{{const s=new EventSource(\"{EVENTS_PATH}\");s.addEventListener(\"reload\",e=>{{if(Number(e.data)!=={generation})location.reload()}})}})()</script>"
    );
    let mut html = String::from_utf8(bytes).unwrap_or_default();
    match html.rfind("</body>") {
        Some(i) => html.insert_str(i, &script),
        None => html.push_str(&script),
    }
    html.into_bytes()
}

/// What the browser shows while the site has errors.
fn error_page(diags: &[Diagnostic], generation: u64) -> Vec<u8> {
    let esc = crate::html::with_code;
    let mut items = String::new();
    for d in diags.iter().filter(|d| d.is_error()) {
        let place = if d.line > 0 {
            format!("{}:{}:{}", d.path.display(), d.line, d.column)
        } else {
            d.path.display().to_string()
        };
        items.push_str(&format!(
            "<li><code>{}</code><p><strong>{}</strong></p>{}{}{}</li>",
            esc(&place),
            esc(d.message_zh.as_deref().unwrap_or(&d.message)),
            d.message_zh
                .as_ref()
                .map(|_| format!("<p>{}</p>", esc(&d.message)))
                .unwrap_or_default(),
            d.hint_zh
                .as_ref()
                .map(|h| format!("<p>提示：{}</p>", esc(h)))
                .unwrap_or_default(),
            d.hint
                .as_ref()
                .map(|h| format!("<p>hint: {}</p>", esc(h)))
                .unwrap_or_default(),
        ));
    }
    let html = format!(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>网站有错误 · build failed</title>\
<style>body{{font:16px/1.6 system-ui,sans-serif;margin:0;padding:1rem;background:#fff6f5;color:#222}}h1{{color:#b03a2e;font-size:1.25rem}}li{{margin:0 0 1rem;padding:.75rem;background:#fff;border-left:4px solid #b03a2e;list-style:none}}ul{{padding:0}}code{{font-size:.9rem;color:#555}}p{{margin:.25rem 0}}</style></head>\
<body><h1>网站有 {} 处错误，修改后保存，页面会自动刷新</h1><p>The site has errors; fix them and save — this page reloads by itself.</p><ul>{items}</ul></body></html>",
        diags.iter().filter(|d| d.is_error()).count()
    );
    with_live_reload("error.html", html.into_bytes(), generation)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_error_page_shows_code_not_backticks() {
        assert_eq!(
            crate::html::with_code("no `summary:` <b> & `x`"),
            "no <code>summary:</code> &lt;b&gt; &amp; <code>x</code>"
        );
        assert_eq!(crate::html::with_code("a `b"), "a `b");
        let d = Diagnostic::error("content/a.md", "unknown key `titel`")
            .zh("无法识别的设置项「titel」")
            .hint("did you mean `title`?")
            .hint_zh("你是不是想写「title」？");
        let page = String::from_utf8(error_page(&[d], 1)).unwrap();
        assert!(!page.contains('`'), "{page}");
        assert!(
            page.contains("<p>unknown key <code>titel</code></p>"),
            "{page}"
        );
    }

    #[test]
    fn paths_outside_the_site_are_refused() {
        assert_eq!(site_path("/a/b/").as_deref(), Some("a/b/"));
        assert_eq!(site_path("/离婚/").as_deref(), Some("离婚/"));
        assert_eq!(site_path("/../etc/passwd"), None);
        assert_eq!(site_path("/a/../../x"), None);
        assert_eq!(site_path("/a\\..\\x"), None);
        assert_eq!(site_path("relative"), None);
    }
}
