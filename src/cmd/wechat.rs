//! `pufa wechat`: paste-ready exports of articles for the 公众号 editor.
//!
//! For each article, `<section>/<slug>.html` (a preview page with a 复制全文
//! button) and `<section>/<slug>.fragment.html` (only the fragment, for
//! tools), written like the site: all at once, or nothing on errors.

use jiff::Timestamp;
use pufa::diagnostics::Diagnostic;
use pufa::output::OutputFile;
use pufa::schedule::Visibility;
use pufa::site::Article;
use pufa::wechat::{self, ExportOptions, Lint};

use super::{Failure, load_config, report, resolve_now};
use crate::cli::WechatArgs;

pub fn run(args: &WechatArgs, clock: Timestamp) -> Result<(), Failure> {
    let config = load_config(&args.site.root, None)?;
    let now = resolve_now(args.site.now.as_deref(), &config, clock)?;
    let out = args
        .output
        .clone()
        .unwrap_or_else(|| args.site.root.join("wechat"));
    // Before the work: the export replaces everything in the folder.
    let target = pufa::output::check(&out, &args.site.root).map_err(Failure::Refused)?;
    let (site, _warnings) =
        pufa::assemble(&config, now, Visibility::default()).map_err(|diags| {
            report(&diags);
            Failure::Site
        })?;
    let chosen = select(&site.articles, &args.articles, &config)?;
    let options = ExportOptions {
        base_url: &config.base_url,
        primary_color: wechat::DEFAULT_PRIMARY,
    };
    let mut files = Vec::new();
    // The 阅读原文 links point at base_url: a placeholder sends readers nowhere.
    let mut diags: Vec<Diagnostic> = config.placeholder_base_url().into_iter().collect();
    let mut lines = Vec::new();
    for a in chosen {
        let export = wechat::export(&a.html, &options);
        let lints = wechat::lints::article_lints(
            a,
            a.front.summary.is_some(),
            config.wechat.default_cover.is_some(),
        );
        diags.extend(
            lints
                .iter()
                .chain(&export.lints)
                .map(|l| to_diagnostic(a, l)),
        );
        let base = a
            .url
            .strip_prefix(&config.base_path)
            .unwrap_or(&a.url)
            .trim_end_matches('/');
        let permalink = config.absolute(&a.url);
        files.push(OutputFile::bytes(
            format!("{base}.html"),
            wechat::preview_page(&a.front.title, &a.summary, &permalink, &export),
        ));
        files.push(OutputFile::bytes(
            format!("{base}.fragment.html"),
            export.fragment.clone(),
        ));
        let cover = a
            .cover
            .as_ref()
            .map(|c| config.absolute(&c.url))
            .or_else(|| {
                config
                    .wechat
                    .default_cover
                    .as_ref()
                    .map(|c| config.absolute(&config.url(c)))
            });
        lines.push(format!(
            "{} → {base}.html ({} characters, {} external links as references; 阅读原文: {permalink}{})",
            a.shown.display(),
            export.fragment.chars().count(),
            export.references.len(),
            cover.map(|c| format!("; cover: {c}")).unwrap_or_default()
        ));
    }
    report(&diags);
    if diags.iter().any(Diagnostic::is_error) {
        return Err(Failure::Site);
    }
    if let Err(e) = pufa::output::write_site(&target, &files) {
        eprintln!(
            "error: cannot write the export: {}",
            pufa::diagnostics::escape_controls(&e.to_string())
        );
        return Err(Failure::Site);
    }
    for line in lines {
        println!("{line}");
    }
    eprintln!(
        "exported {} articles into {} · 已导出 {} 篇，打开 .html 文件点“复制全文”后粘贴到公众号编辑器",
        files.len() / 2,
        out.display(),
        files.len() / 2
    );
    Ok(())
}

/// The articles named on the command line (path, slug or URL), or all live ones.
fn select<'a>(
    articles: &'a [Article],
    wanted: &[String],
    config: &pufa::config::Config,
) -> Result<Vec<&'a Article>, Failure> {
    if wanted.is_empty() {
        return Ok(articles.iter().collect());
    }
    wanted
        .iter()
        .map(|w| {
            let w = w.trim_end_matches('/');
            articles
                .iter()
                .find(|a| {
                    a.shown.to_string_lossy() == w
                        || a.shown.ends_with(w)
                        || a.slug == w
                        || a.url.trim_end_matches('/') == w
                        || config.absolute(&a.url).trim_end_matches('/') == w
                })
                .ok_or_else(|| {
                    Failure::Usage(format!(
                        "no live article matches `{w}`; give its Markdown path (content/qa/x.md), slug or URL"
                    ))
                })
        })
        .collect()
}

fn to_diagnostic(a: &Article, lint: &Lint) -> Diagnostic {
    lint.to_diagnostic(&a.shown, 0)
}
