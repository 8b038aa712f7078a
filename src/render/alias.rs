//! Redirect pages at the old addresses of articles (`aliases:`, as in Hugo
//! and Zola).
//!
//! Each alias of an article in this build gets a small page (`alias.html`)
//! that sends readers and search engines on to the article. Drafts,
//! scheduled and expired articles are not in the build, so they have none;
//! alias pages appear in no list, feed, sitemap or search index. Paths were
//! checked with the front matter (`frontmatter::alias_path`) and against
//! articles, sections and other aliases while assembling (`site`); what is
//! left is the files pufa generates itself (term pages, feeds, `index.html`).

use std::collections::HashSet;

use minijinja::context;

use super::{Job, made, meta};
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::site::Site;

/// One job per alias of every article and page in this build, and an error
/// for each alias at the path of a file pufa generates (`taken`).
pub(super) fn jobs<'s>(
    config: &Config,
    site: &'s Site,
    taken: &HashSet<&str>,
) -> (Vec<Job<'s>>, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for a in site.articles.iter().chain(&site.pages) {
        for alias in &a.front.aliases {
            if taken.contains(alias.path.as_str()) {
                let written = &alias.written;
                errors.push(
                    Diagnostic::error(
                        &a.shown,
                        format!(
                            "`aliases`: `{written}` is the address of a page pufa makes ({})",
                            alias.path
                        ),
                    )
                    .zh(format!(
                        "「aliases」：「{written}」是 pufa 自己生成的页面（{}）",
                        alias.path
                    ))
                    .at(alias.line, 1)
                    .hint("remove the alias, or correct it to the article's old address")
                    .hint_zh("删掉这个别名，或改成文章原来的网址"),
                );
                continue;
            }
            out.push(Job {
                path: alias.path.clone(),
                template: "alias.html",
                meta: made(meta(config, "alias", &a.front.title, &a.summary, &a.url)),
                vars: Box::new(|| context! {}),
            });
        }
    }
    (out, errors)
}
