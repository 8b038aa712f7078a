//! The HTTP headers each published file is served with: the same rules for
//! object storage (set per object) and for nginx (`nginx.rs` prints them).

/// `Cache-Control` of files whose name carries a hash of their bytes
/// (`assets/style.dcde3f82.css`): a new version is a new name.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// `Cache-Control` of images and other files without a hash in their name:
/// an hour in caches, then asked again.
pub const FILES: &str = "public, max-age=3600";

/// What kind of file this is, for headers and for the upload order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    /// Images, fonts, downloads: nothing they point to.
    Media,
    /// Stylesheets and scripts (they may point to media).
    Style,
    /// Pages.
    Page,
    /// Feeds, sitemap, search index, robots.txt: they list the pages.
    Listing,
}

/// `Content-Type` (with `charset=utf-8` on text: object storage serves
/// exactly what was set, and without a charset some browsers show Chinese
/// as mojibake), and the file's class.
pub fn content_type(key: &str) -> (&'static str, Class) {
    let ext = key
        .rsplit('/')
        .next()
        .and_then(|name| name.rsplit_once('.'))
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => ("text/html; charset=utf-8", Class::Page),
        "css" => ("text/css; charset=utf-8", Class::Style),
        "js" | "mjs" => ("text/javascript; charset=utf-8", Class::Style),
        "xml" | "rss" => ("application/xml; charset=utf-8", Class::Listing),
        "atom" => ("application/atom+xml; charset=utf-8", Class::Listing),
        "json" => ("application/json; charset=utf-8", Class::Listing),
        "webmanifest" => ("application/manifest+json; charset=utf-8", Class::Listing),
        "txt" => ("text/plain; charset=utf-8", Class::Listing),
        "ics" => ("text/calendar; charset=utf-8", Class::Listing),
        "svg" => ("image/svg+xml; charset=utf-8", Class::Media),
        "png" => ("image/png", Class::Media),
        "jpg" | "jpeg" => ("image/jpeg", Class::Media),
        "gif" => ("image/gif", Class::Media),
        "webp" => ("image/webp", Class::Media),
        "avif" => ("image/avif", Class::Media),
        "ico" => ("image/x-icon", Class::Media),
        "woff2" => ("font/woff2", Class::Media),
        "woff" => ("font/woff", Class::Media),
        "ttf" => ("font/ttf", Class::Media),
        "otf" => ("font/otf", Class::Media),
        "pdf" => ("application/pdf", Class::Media),
        "mp3" => ("audio/mpeg", Class::Media),
        "m4a" => ("audio/mp4", Class::Media),
        "mp4" => ("video/mp4", Class::Media),
        "doc" => ("application/msword", Class::Media),
        "docx" => (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Class::Media,
        ),
        "xls" => ("application/vnd.ms-excel", Class::Media),
        "xlsx" => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Class::Media,
        ),
        "zip" => ("application/zip", Class::Media),
        _ => ("application/octet-stream", Class::Media),
    }
}

/// Text worth compressing (images and fonts are compressed already).
pub fn compressible(content_type: &str) -> bool {
    content_type.contains("charset=utf-8")
}

/// `Cache-Control` for a file. Pages and listings revalidate (`no-cache`)
/// unless `html_max_age` allows a short cache: a scheduled article must
/// appear on the home page as soon as it is deployed.
pub fn cache_control(key: &str, class: Class, html_max_age: u32) -> String {
    match class {
        Class::Page | Class::Listing if html_max_age == 0 => "no-cache".to_string(),
        Class::Page | Class::Listing => format!("public, max-age={html_max_age}"),
        _ if is_hashed(key) => IMMUTABLE.to_string(),
        _ => FILES.to_string(),
    }
}

/// `name.<8 or more hex digits>.ext`: the theme's assets, named by the
/// hash of their bytes.
pub fn is_hashed(key: &str) -> bool {
    let name = key.rsplit('/').next().unwrap_or(key);
    let mut parts = name.split('.').rev();
    let (Some(_ext), Some(hash), Some(_stem)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    hash.len() >= 8 && hash.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_carries_its_charset() {
        for key in [
            "index.html",
            "a/rss.xml",
            "assets/style.dcde3f82.css",
            "search/index.json",
            "robots.txt",
            "x.ICS",
        ] {
            assert!(content_type(key).0.ends_with("charset=utf-8"), "{key}");
        }
        assert_eq!(content_type("a/cover.png").0, "image/png");
        assert_eq!(content_type("a/noext").0, "application/octet-stream");
    }

    #[test]
    fn only_hashed_names_are_immutable() {
        let cc = |k: &str| cache_control(k, content_type(k).1, 0);
        assert_eq!(cc("assets/style.dcde3f82.css"), IMMUTABLE);
        assert_eq!(cc("assets/share.55b37ece.png"), IMMUTABLE);
        assert_eq!(cc("images/cover-default.png"), FILES);
        assert_eq!(cc("education/x/cover.square.png"), FILES);
        assert_eq!(cc("index.html"), "no-cache");
        assert_eq!(cc("rss.xml"), "no-cache");
        assert_eq!(
            cache_control("index.html", Class::Page, 60),
            "public, max-age=60"
        );
        assert!(!is_hashed("a.cafe.png"));
        assert!(!is_hashed("dcde3f82.css"));
    }
}
