//! WeChat's limits on an article's metadata (WECHAT.md §7: L01–L07), checked
//! on the front matter and cover. The build reports them as warnings; `pufa
//! wechat` treats the ones that would break the paste as errors.

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::site::{Article, Site};

use super::{Lint, LintLevel};

/// WeChat editor's title limit (L01); the API's is 32 (L02).
pub const TITLE_MAX: usize = 64;
pub const TITLE_API_MAX: usize = 32;
pub const AUTHOR_MAX: usize = 16;
/// 2.35:1 within 3 %, at least 900 px wide (L06).
const COVER_RATIO: f64 = 2.35;
const COVER_MIN_WIDTH: u32 = 900;
/// Image file sizes (L07): warn over 2 MB, fail over 5 MB.
const IMAGE_WARN_BYTES: u64 = 2 * 1024 * 1024;
const IMAGE_MAX_BYTES: u64 = 5 * 1024 * 1024;

/// The lint stage, run on the assembled site by `build`, `check`, `serve`
/// and `pufa wechat` alike: for a site that republishes in a 公众号
/// (`wechat.account`), WeChat's limits on each article as warnings at the
/// front-matter line they are about. The summary ones (L03, L04) are
/// reported while assembling already.
pub fn warnings(config: &Config, site: &Site) -> Vec<Diagnostic> {
    if config.wechat.account.is_none() {
        return Vec::new();
    }
    let default_cover = config.wechat.default_cover.is_some();
    let mut diags = Vec::new();
    for article in site.articles.iter().chain(&site.pages) {
        let summary_given = article.front.summary.is_some();
        let lines = &article.key_lines;
        for lint in article_lints(article, summary_given, default_cover) {
            let line = match lint.code {
                "L01" | "L02" => lines.title,
                "L05" => lines.author,
                "L06" | "L07" => lines.cover,
                _ => continue,
            };
            // Warnings here, whatever `pufa wechat` makes of them.
            let mut d = lint.to_diagnostic(&article.shown, line);
            d.level = crate::diagnostics::Level::Warning;
            diags.push(d);
        }
    }
    diags
}

/// `default_cover`: the site has a standard cover for articles without one.
pub fn article_lints(a: &Article, summary_given: bool, default_cover: bool) -> Vec<Lint> {
    let mut lints = Vec::new();
    // (English · Chinese) message and hint.
    let mut push = |level, code, message: String, hint: String| {
        lints.push(Lint {
            level,
            code,
            message,
            hint: Some(hint),
        })
    };
    let title = a.front.title.chars().count();
    if title > TITLE_MAX {
        push(
            LintLevel::Error,
            "L01",
            format!(
                "title has {title} characters; the WeChat editor allows {TITLE_MAX} · 标题 {title} 字，公众号最多 {TITLE_MAX} 字"
            ),
            format!(
                "shorten `title:` to {TITLE_MAX} characters or fewer · 把标题缩短到 {TITLE_MAX} 字以内"
            ),
        );
    } else if title > TITLE_API_MAX {
        push(
            LintLevel::Warning,
            "L02",
            format!(
                "title has {title} characters; share cards and the API cut at {TITLE_API_MAX} · 标题 {title} 字，分享卡片只显示前 {TITLE_API_MAX} 字"
            ),
            format!(
                "to show the whole title on share cards, shorten it to {TITLE_API_MAX} characters · 想在分享卡片上显示完整标题，请缩短到 {TITLE_API_MAX} 字以内"
            ),
        );
    }
    if !summary_given {
        push(LintLevel::Warning, "L03", "no summary: WeChat would use the first 54 characters of the text · 没有摘要，公众号会截取正文前 54 字".into(), "write a one-sentence `summary:` · 在前言里写一句摘要（summary）".into());
    }
    let digest = a.summary.chars().count();
    if digest > 120 {
        push(
            LintLevel::Error,
            "L04",
            format!(
                "summary has {digest} characters; WeChat allows 120 · 摘要 {digest} 字，公众号最多 120 字"
            ),
            "shorten `summary:` to 120 characters or fewer · 把摘要缩短到 120 字以内".into(),
        );
    }
    if let Some(author) = &a.front.author {
        let n = author.chars().count();
        if n > AUTHOR_MAX {
            push(
                LintLevel::Warning,
                "L05",
                format!(
                    "author has {n} characters; WeChat allows {AUTHOR_MAX} · 作者 {n} 字，公众号最多 {AUTHOR_MAX} 字"
                ),
                format!(
                    "shorten `author:` to {AUTHOR_MAX} characters or fewer · 把作者缩短到 {AUTHOR_MAX} 字以内"
                ),
            );
        }
    }
    match &a.cover {
        None if default_cover => {}
        None => push(LintLevel::Warning, "L06", "no cover image: the 公众号 needs a 2.35:1 cover (e.g. 900×383) · 没有封面图：公众号文章需要一张 2.35:1 的封面（例如 900×383 像素）".into(), "add `cover:` with an image beside the article, or set `wechat.default_cover` in site.yaml for every article without one · 在前言里加一行「cover: 图片文件名」，或在 site.yaml 的 wechat 下设置 default_cover，给所有没有封面的文章用".into()),
        Some(cover) => {
            if let Some((w, h)) = cover.size {
                let ratio = f64::from(w) / f64::from(h.max(1));
                if (ratio - COVER_RATIO).abs() / COVER_RATIO > 0.03 {
                    push(LintLevel::Warning, "L06", format!("cover is {w}×{h} ({ratio:.2}:1); WeChat crops to 2.35:1 · 封面是 {w}×{h}，比例不是 2.35:1，公众号会裁切"), "crop the cover to 2.35:1, e.g. 900×383 · 把封面裁成 2.35:1，例如 900×383 像素".into());
                }
                if w < COVER_MIN_WIDTH {
                    push(LintLevel::Warning, "L06", format!("cover is {w} px wide; use at least {COVER_MIN_WIDTH} px · 封面宽度只有 {w} 像素，不足 {COVER_MIN_WIDTH} 像素"), format!("use a cover at least {COVER_MIN_WIDTH} px wide · 换一张至少 {COVER_MIN_WIDTH} 像素宽的封面"));
                }
            }
            if let Some(len) = cover.source.as_ref().and_then(|p| std::fs::metadata(p).ok()).map(|m| m.len()) {
                if len > IMAGE_MAX_BYTES {
                    push(LintLevel::Error, "L07", format!("cover is {} KB; WeChat takes at most 5 MB · 封面超过 5 MB", len / 1024), "make the image smaller (e.g. save it as JPEG, 1080 px wide) · 把图片改小（例如另存为 1080 像素宽的 JPEG）".into());
                } else if len > IMAGE_WARN_BYTES {
                    push(LintLevel::Warning, "L07", format!("cover is {} KB; keep it under 2 MB · 封面超过 2 MB，手机上打开会慢", len / 1024), "make the image smaller (e.g. save it as JPEG, 1080 px wide) · 把图片改小（例如另存为 1080 像素宽的 JPEG）".into());
                }
            }
        }
    }
    lints
}
