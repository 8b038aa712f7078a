//! Images: absolute https URLs, data URLs refused, sizes kept as CSS.

use super::*;

impl<'t> Converter<'t> {
    pub(super) fn image(&mut self, el: &'t Element) {
        let st = self.st;
        let src = el.attr("src").unwrap_or("").trim();
        let alt = el.attr("alt").unwrap_or("");
        let lower = src.to_ascii_lowercase();
        let shown = snippet(src);
        if lower.starts_with("data:") {
            self.lint(
                LintLevel::Error,
                "L08",
                &format!("data {}", snippet(alt)),
                format!(
                    "an image is embedded as a `data:` URI (alt “{}”); the editor cannot take it, so it is left out: save it as a PNG or JPEG file next to the article",
                    snippet(alt)
                ),
                format!("图片「{}」是以 data: 形式嵌在正文里的，公众号编辑器无法接收，导出时已略去", snippet(alt)),
                "把图片另存为 PNG 或 JPEG 文件，放在文章旁边",
            );
            return;
        }
        let absolute = if let Some(rest) = src.strip_prefix("//") {
            format!("https://{rest}")
        } else if src.starts_with('/') {
            format!("{}{src}", self.origin)
        } else {
            src.to_string()
        };
        let lower = absolute.to_ascii_lowercase();
        if !lower.starts_with("http://") && !lower.starts_with("https://") {
            self.lint(
                LintLevel::Error,
                "L08",
                &format!("relative {src}"),
                format!(
                    "the image `{shown}` has no https address, so it is left out (the editor fetches images by URL): put it next to the article so pufa publishes it"
                ),
                format!("图片「{shown}」没有 https 网址，导出时已略去（公众号编辑器按网址抓取图片）"),
                "把图片放在文章旁边，pufa 发布后它就有 https 网址",
            );
            return;
        }
        if lower.starts_with("http://") {
            self.lint(
                LintLevel::Error,
                "L08",
                &format!("http {absolute}"),
                format!(
                    "the image {} is not served over https; the 公众号 editor only fetches https images",
                    snippet(&absolute)
                ),
                format!("图片 {} 不是 https 网址，公众号编辑器只抓取 https 图片", snippet(&absolute)),
                "改用这张图片的 https 网址，或把图片放在文章旁边由 pufa 发布",
            );
        }
        let extension = image_extension(&absolute);
        if matches!(
            extension.as_str(),
            "webp" | "avif" | "svg" | "bmp" | "tif" | "tiff" | "heic" | "ico"
        ) {
            self.lint(
                LintLevel::Warning,
                "L08",
                &format!("format {absolute}"),
                format!(
                    "the image {} is {extension}; the 公众号 takes jpg, png and gif: convert it",
                    snippet(&absolute)
                ),
                format!(
                    "图片 {} 是 {extension} 格式，公众号只接受 jpg、png 和 gif",
                    snippet(&absolute)
                ),
                "把图片转换成 jpg 或 png",
            );
        }
        let mut style = st.img.clone();
        let width = el.attr("width").and_then(css_length);
        let height = el.attr("height").and_then(css_length);
        match (width, height) {
            (Some(w), Some(_)) => style.push_str(&format!(";width:{w};height:auto")),
            (Some(w), None) => style.push_str(&format!(";width:{w}")),
            (None, Some(h)) => style.push_str(&format!(";height:{h}")),
            (None, None) => {}
        }
        self.out.push_str(&format!(
            "<img src=\"{}\" alt=\"{}\" style=\"{style}\">",
            escape_attr(&absolute),
            escape_attr(alt)
        ));
    }

    // ----------------------------------------------------------------------
    // Footers
}

/// `600` or `600px` → `600px`; `50%` → `50%`.
pub(super) fn css_length(value: &str) -> Option<String> {
    let v = value.trim();
    let (number, unit) = match v.strip_suffix('%') {
        Some(n) => (n, "%"),
        None => (v.strip_suffix("px").unwrap_or(v), "px"),
    };
    let n: f64 = number.trim().parse().ok()?;
    (n > 0.0 && n.is_finite()).then(|| format!("{}{unit}", number.trim()))
}

pub(super) fn image_extension(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let file = path.rsplit('/').next().unwrap_or("");
    match file.rsplit_once('.') {
        Some((_, ext)) => ext.to_ascii_lowercase(),
        None => String::new(),
    }
}
