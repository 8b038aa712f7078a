//! `site.yaml`: read as [`RawConfig`], validated into [`Config`].

pub mod deploy;

use std::path::{Path, PathBuf};

use jiff::tz::TimeZone;
use serde::Deserialize;

use crate::calendar::{AwarenessDay, RawCalendar};
use crate::confine::{self, Leading};
use crate::diagnostics::Diagnostic;
use crate::yaml;
use crate::yaml::key_line;

pub const FILE_NAME: &str = "site.yaml";

const MB: u64 = 1024 * 1024;

const KEYS: &[&str] = &[
    "title",
    "base_url",
    "language",
    "timezone",
    "theme",
    "description",
    "author",
    "hotline",
    "taxonomies",
    "feed",
    "wechat",
    "icp",
    "menu",
    "paginate",
    "calendar",
    "markdown",
    "images",
    "static",
    "limits",
    "deploy",
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Option<String>,
    base_url: Option<String>,
    language: Option<String>,
    timezone: Option<String>,
    theme: Option<String>,
    description: Option<String>,
    author: Option<String>,
    hotline: Option<Hotline>,
    taxonomies: Option<RawTaxonomies>,
    feed: Option<RawFeed>,
    wechat: Option<RawWechat>,
    icp: Option<String>,
    menu: Option<Vec<MenuItem>>,
    paginate: Option<usize>,
    calendar: Option<RawCalendar>,
    markdown: Option<RawMarkdown>,
    images: Option<RawImages>,
    #[serde(rename = "static")]
    static_files: Option<RawStatic>,
    limits: Option<RawLimits>,
    deploy: Option<serde_yaml::Value>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawStatic {
    allow_html: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawLimits {
    max_file_mb: Option<u64>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawImages {
    keep_originals: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawMarkdown {
    unsafe_html: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Hotline {
    pub number: String,
    pub label: String,
    /// More numbers that become `tel:` links in article text (a local
    /// legal-aid office, `0357-5221234`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<String>,
}

/// Numbers made `tel:` links in article text on every site: the women's
/// rights hotline, the police, the youth hotline.
pub const PHONE_NUMBERS: [&str; 3] = ["12338", "110", "12355"];

#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct MenuItem {
    pub name: String,
    pub url: String,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawTaxonomies {
    laws: Option<String>,
    audiences: Option<String>,
    tags: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawFeed {
    limit: Option<usize>,
    full_content: Option<bool>,
    max_bytes: Option<usize>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawWechat {
    account: Option<String>,
    share_image: Option<String>,
    default_cover: Option<String>,
}

/// The taxonomies articles can be classified by; the front-matter key is `key`.
#[derive(Debug, Clone, PartialEq)]
pub struct Taxonomy {
    pub key: &'static str,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FeedConfig {
    /// Most recent items per feed.
    pub limit: usize,
    /// Full article HTML in `content:encoded`, not only the summary.
    pub full_content: bool,
    /// Size budget of one feed file: past it, the oldest items lose their
    /// full content (readers on 4G fetch feeds often).
    pub max_bytes: usize,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct WechatConfig {
    pub account: Option<String>,
    /// Path under `static/` (or an absolute URL) of the default share image.
    pub share_image: Option<String>,
    /// Path under `static/` of the cover used in the 公众号 for articles
    /// without their own `cover:` (the federation's standard banner).
    pub default_cover: Option<String>,
}

/// The validated site configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub root: PathBuf,
    pub title: String,
    /// Always ends with `/`, e.g. `https://example.cn/pufa/`.
    pub base_url: String,
    /// `https://example.cn`: prepended to root-relative URLs to make them absolute.
    pub origin: String,
    /// The line of `base_url:` in site.yaml; `None` when `--base-url` gave it.
    pub base_url_line: Option<usize>,
    /// `/pufa/`: the path every site URL starts with.
    pub base_path: String,
    pub language: String,
    pub timezone: TimeZone,
    pub timezone_name: String,
    pub theme: String,
    pub description: String,
    pub author: Option<String>,
    pub hotline: Option<Hotline>,
    /// The numbers that become `tel:` links in article text:
    /// [`PHONE_NUMBERS`], the hotline's and its `also`, without repeats.
    pub phone_numbers: Vec<String>,
    pub taxonomies: Vec<Taxonomy>,
    pub feed: FeedConfig,
    pub wechat: WechatConfig,
    pub icp: Option<String>,
    pub menu: Vec<MenuItem>,
    pub paginate: usize,
    /// The awareness days: built-in ones as configured, plus the site's own.
    pub calendar: Vec<AwarenessDay>,
    /// Time of day `pufa new --campaign` dates new articles.
    pub publish_time: jiff::civil::Time,
    /// Keep raw HTML in Markdown as written (scripts, event handlers). Off by
    /// default: see `markdown::sanitize`.
    pub unsafe_html: bool,
    /// Also publish the originals of images that were resized, beside them
    /// as `<name>.original.<ext>` (for readers who need to download them).
    pub keep_originals: bool,
    /// Publish `.html`/`.htm` files that sit beside articles (page
    /// bundles). Off by default: such a page runs its scripts on the
    /// site's own address.
    pub allow_html: bool,
    /// The largest file pufa reads into memory (articles, law files,
    /// templates), in bytes: `limits: { max_file_mb }`.
    pub max_file_bytes: u64,
    /// `deploy:`, the places `pufa deploy` puts the site.
    pub deploy: Vec<deploy::DeployTarget>,
}

impl Config {
    /// A warning when `base_url` is a placeholder (`https://example.cn/`,
    /// what `pufa init` writes, `localhost`, …): feeds, share cards, the
    /// sitemap and WeChat's 阅读原文 links would all point there.
    pub fn placeholder_base_url(&self) -> Option<Diagnostic> {
        let host = self.origin.split_once("://")?.1;
        if !is_placeholder_host(host) {
            return None;
        }
        let url = &self.base_url;
        let d = Diagnostic::warning(
            FILE_NAME,
            format!("`base_url: {url}` is a placeholder, not the site's address"),
        )
        .zh(format!("「base_url: {url}」是示例地址，不是网站真正的网址"));
        Some(match self.base_url_line {
            Some(line) => d
                .at(line, 1)
                .hint("write the address readers use (https://…/); feeds, share cards and WeChat's 阅读原文 links point there")
                .hint_zh("改成读者访问网站用的网址（https://…/）；订阅、分享卡片和公众号“阅读原文”都链接到这里"),
            None => d
                .hint("it was given with --base-url; give the address readers use")
                .hint_zh("这是 --base-url 给的地址；请给出读者访问网站用的网址"),
        })
    }

    pub fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }

    pub fn static_dir(&self) -> PathBuf {
        self.root.join("static")
    }

    pub fn theme_dir(&self) -> PathBuf {
        self.root.join("themes").join(&self.theme)
    }

    /// The site URL of a path below the site root (`education/` → `/pufa/education/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_path, path.trim_start_matches('/'))
    }

    /// The absolute URL of a site URL (`/pufa/education/` → `https://…/pufa/education/`).
    pub fn absolute(&self, url: &str) -> String {
        if url.starts_with('/') {
            format!("{}{url}", self.origin)
        } else {
            url.to_string()
        }
    }
}

/// Reads `site.yaml` under `root`. `base_url_override` is `--base-url`.
pub fn load(root: &Path, base_url_override: Option<&str>) -> Result<Config, Vec<Diagnostic>> {
    let path = root.join(FILE_NAME);
    let shown = PathBuf::from(FILE_NAME);
    // Read before its own limit is known: the default applies.
    let limit = crate::read::DEFAULT_MAX_FILE_MB * MB;
    let text = crate::read::text(&path, limit).map_err(|e| {
        vec![e.into_diagnostic(&shown, |e| {
            Diagnostic::error(&shown, format!("cannot read the site configuration: {e}"))
                .hint("run pufa in the site folder (the one with site.yaml), pass --root DIR, or create a site with `pufa init DIR`").zh("读不到站点配置文件 site.yaml").hint_zh("请在站点文件夹（有 site.yaml 的那个）里运行 pufa，或用 --root 指定；新建站点用「pufa init 文件夹」")
        })]
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let raw: RawConfig = yaml::from_str(text, &shown, 1, KEYS).map_err(|d| vec![d])?;
    validate(raw, root, text, base_url_override)
}

fn validate(
    raw: RawConfig,
    root: &Path,
    text: &str,
    base_url_override: Option<&str>,
) -> Result<Config, Vec<Diagnostic>> {
    let RawConfig {
        title,
        base_url,
        language,
        timezone,
        theme,
        description,
        author,
        hotline,
        taxonomies,
        feed,
        wechat,
        icp,
        menu,
        paginate,
        calendar,
        markdown,
        images,
        static_files,
        limits,
        deploy,
    } = raw;
    let shown = Path::new(FILE_NAME);
    let at_key = |key: &str, d: Diagnostic| match key_line(text, key) {
        Some(line) => d.at(line, 1),
        None => d,
    };
    let mut errors = Vec::new();

    let title = title.filter(|t| !t.trim().is_empty()).unwrap_or_else(|| {
        errors.push(
            Diagnostic::error(shown, "the site has no `title`")
                .hint("add a line like `title: 古县妇联普法园地`")
                .zh("站点配置里没有标题（title）")
                .hint_zh("加一行，例如「title: 古县妇联普法园地」"),
        );
        String::new()
    });

    let base_url_line = match base_url_override {
        Some(_) => None,
        None => key_line(text, "base_url"),
    };
    let base_url = base_url_override.map(str::to_string).or(base_url);
    let (base_url, origin, base_path) = match base_url.as_deref().map(split_base_url) {
        Some(Ok(parts)) => parts,
        Some(Err(msg)) => {
            errors.push(at_key(
                "base_url",
                Diagnostic::error(shown, msg)
                    .hint(
                        "write the address readers use, e.g. `base_url: https://pufa.example.cn/`",
                    )
                    .zh("base_url（网站地址）写得不对")
                    .hint_zh("写读者访问的完整网址，例如「base_url: https://pufa.example.cn/」"),
            ));
            Default::default()
        }
        None => {
            errors.push(
                Diagnostic::error(shown, "the site has no `base_url`")
                    .hint("add a line like `base_url: https://pufa.example.cn/` (feeds and share cards need absolute addresses)").zh("站点配置里没有网站地址（base_url）").hint_zh("加一行，例如「base_url: https://pufa.example.cn/」（订阅和分享卡片需要完整网址）"),
            );
            Default::default()
        }
    };

    let timezone_name = timezone.unwrap_or_else(|| "Asia/Shanghai".to_string());
    let tz = TimeZone::get(&timezone_name).unwrap_or_else(|_| {
        errors.push(at_key(
            "timezone",
            Diagnostic::error(shown, format!("unknown time zone `{timezone_name}`"))
                .hint("use an IANA name such as `Asia/Shanghai`")
                .zh(format!("无法识别的时区「{timezone_name}」"))
                .hint_zh("使用标准时区名，例如「Asia/Shanghai」"),
        ));
        TimeZone::UTC
    });

    let paginate = paginate.unwrap_or(10);
    if paginate == 0 {
        errors.push(at_key(
            "paginate",
            Diagnostic::error(shown, "`paginate` must be at least 1")
                .zh("每页文章数（paginate）至少是 1")
                .hint("write the number of articles per list page, e.g. `paginate: 10`")
                .hint_zh("写每个列表页显示几篇文章，例如「paginate: 10」"),
        ));
    }

    let RawTaxonomies {
        laws,
        audiences,
        tags,
    } = taxonomies.unwrap_or_default();
    let taxonomies = vec![
        Taxonomy {
            key: "laws",
            name: laws.unwrap_or_else(|| "法律".into()),
        },
        Taxonomy {
            key: "audiences",
            name: audiences.unwrap_or_else(|| "人群".into()),
        },
        Taxonomy {
            key: "tags",
            name: tags.unwrap_or_else(|| "标签".into()),
        },
    ];

    let RawFeed {
        limit,
        full_content,
        max_bytes,
    } = feed.unwrap_or_default();
    let RawWechat {
        account,
        share_image,
        default_cover,
    } = wechat.unwrap_or_default();
    // Paths in site.yaml go through the same confinement as editors'
    // paths: a theme is a folder name under themes/, images are under static/.
    let theme = confined(
        theme,
        "theme",
        Leading::Refused,
        &mut errors,
        &at_key,
        shown,
    );
    let share_image = match share_image {
        Some(url) if url.starts_with("http") => Some(url),
        other => confined(other, "wechat", Leading::Base, &mut errors, &at_key, shown),
    };
    let default_cover = confined(
        default_cover,
        "wechat",
        Leading::Base,
        &mut errors,
        &at_key,
        shown,
    );
    if let Some(theme) = &theme
        && theme.contains('/')
    {
        errors.push(at_key(
            "theme",
            Diagnostic::error(
                shown,
                format!("`theme: {theme}` is not the name of a folder under themes/"),
            )
            .zh(format!("「theme: {theme}」不是 themes/ 下的文件夹名"))
            .hint("write the theme's folder name, e.g. `theme: default`")
            .hint_zh("写主题文件夹的名字，例如「theme: default」"),
        ));
    }
    if let Some(cover) = &default_cover
        && !root
            .join("static")
            .join(cover.trim_start_matches('/'))
            .is_file()
    {
        errors.push(at_key(
            "wechat",
            Diagnostic::error(
                shown,
                format!("`wechat.default_cover: {cover}` is not a file under static/"),
            )
            .zh(format!(
                "「wechat.default_cover」指定的图片 {cover} 在 static/ 里找不到"
            ))
            .hint("put the image under static/ and give its path relative to static/")
            .hint_zh("把图片放进 static/，这里写相对于 static/ 的路径"),
        ));
    }

    let (calendar, publish_time) = match crate::calendar::configure(calendar.unwrap_or_default()) {
        Ok(c) => c,
        Err(messages) => {
            for m in messages {
                errors.push(at_key(
                    "calendar",
                    Diagnostic::error(shown, m)
                        .zh("宣传日历（calendar）的设置有误")
                        .hint("see the Scheduling section of README.md for the calendar keys")
                        .hint_zh("宣传日历的写法见 README.md 的 Scheduling 一节"),
                ));
            }
            (Vec::new(), jiff::civil::Time::midnight())
        }
    };

    let RawLimits { max_file_mb } = limits.unwrap_or_default();
    let max_file_mb = max_file_mb.unwrap_or(crate::read::DEFAULT_MAX_FILE_MB);
    if max_file_mb == 0 {
        errors.push(at_key(
            "limits",
            Diagnostic::error(shown, "`limits.max_file_mb` must be at least 1")
                .zh("「limits.max_file_mb」（单个文件的大小上限，单位 MB）至少是 1")
                .hint(format!(
                    "remove it to use the default ({} MB), or write a larger number",
                    crate::read::DEFAULT_MAX_FILE_MB
                ))
                .hint_zh("删掉这一项使用默认值，或者写一个更大的数"),
        ));
    }

    let deploy = deploy::targets(deploy, root, text).unwrap_or_else(|mut e| {
        errors.append(&mut e);
        Vec::new()
    });

    let mut phone_numbers: Vec<String> = PHONE_NUMBERS.iter().map(|n| n.to_string()).collect();
    for n in hotline
        .iter()
        .flat_map(|h| std::iter::once(&h.number).chain(&h.also))
    {
        let n = n.trim();
        let digits = n.bytes().filter(u8::is_ascii_digit).count();
        if !(3..=20).contains(&digits)
            || !n.bytes().all(|b| b.is_ascii_digit() || b == b'-')
            || n.starts_with('-')
            || n.ends_with('-')
        {
            errors.push(at_key(
                "hotline",
                Diagnostic::error(
                    shown,
                    format!("`{n}` under `hotline` is not a phone number"),
                )
                .hint("write it as digits, with dashes if you like: `12338`, `0357-5221234`")
                .zh(format!("hotline 里的「{n}」不是电话号码"))
                .hint_zh("只写数字，可以用短横线分隔，例如「12338」「0357-5221234」"),
            ));
        } else if !phone_numbers.iter().any(|p| p == n) {
            phone_numbers.push(n.to_string());
        }
    }

    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Config {
        root: root.to_path_buf(),
        title,
        base_url,
        origin,
        base_url_line,
        base_path,
        language: language.unwrap_or_else(|| "zh-CN".into()),
        timezone: tz,
        timezone_name,
        theme: theme.unwrap_or_else(|| "default".into()),
        description: description.unwrap_or_default(),
        author,
        hotline,
        phone_numbers,
        taxonomies,
        feed: FeedConfig {
            limit: limit.unwrap_or(20),
            full_content: full_content.unwrap_or(true),
            max_bytes: max_bytes.unwrap_or(512 * 1024),
        },
        wechat: WechatConfig {
            account,
            share_image,
            default_cover,
        },
        icp: icp.filter(|s| !s.trim().is_empty()),
        menu: menu.unwrap_or_default(),
        paginate,
        calendar,
        publish_time,
        unsafe_html: markdown.and_then(|m| m.unsafe_html).unwrap_or(false),
        keep_originals: images.and_then(|i| i.keep_originals).unwrap_or(false),
        allow_html: static_files.and_then(|s| s.allow_html).unwrap_or(false),
        max_file_bytes: max_file_mb.saturating_mul(MB),
        deploy,
    })
}

/// Splits `https://host/sub/` into (normalised base URL, origin, base path).
/// Hosts that are no one's site: the example domains (IANA's reserved
/// example.com/.net/.org with any name under them; example.cn and
/// example.com.cn, which `pufa init` and hints use, and their `www.`), the
/// reserved top-level names (.example, .invalid, .test, .localhost), and
/// this computer (localhost, 127.x.x.x, ::1, 0.0.0.0). `host` may carry a
/// port. Names *under* example.cn (`pufa.guxian-fulian.example.cn`, the
/// sample site's) are not flagged: example.cn is an ordinary domain.
pub fn is_placeholder_host(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    let host = match host.strip_prefix('[') {
        // IPv6 in brackets, port after them.
        Some(rest) => rest.split(']').next().unwrap_or_default().to_string(),
        None => host.split(':').next().unwrap_or_default().to_string(),
    };
    let host = host.trim_end_matches('.');
    if let Ok(ip) = host.parse::<std::net::IpAddr>() {
        return ip.is_loopback() || ip.is_unspecified();
    }
    let tld = host.rsplit('.').next().unwrap_or_default();
    if host == "localhost" || matches!(tld, "example" | "invalid" | "test" | "localhost") {
        return true;
    }
    let reserved = ["example.com", "example.net", "example.org"];
    if reserved
        .iter()
        .any(|d| host == *d || host.ends_with(&format!(".{d}")))
    {
        return true;
    }
    ["example.cn", "example.com.cn", "example.edu"]
        .iter()
        .any(|d| host == *d || host.strip_prefix("www.") == Some(d))
}

fn split_base_url(url: &str) -> Result<(String, String, String), String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("`base_url` must start with https:// or http://, found `{url}`"))?;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    if host.is_empty() || host.contains(char::is_whitespace) {
        return Err(format!("`base_url` has no valid host: `{url}`"));
    }
    let scheme_len = url.len() - rest.len();
    let origin = format!("{}{host}", &url[..scheme_len]);
    let path = path.trim_end_matches('/');
    let base_path = if path.is_empty() {
        "/".to_string()
    } else {
        format!("/{path}/")
    };
    Ok((format!("{origin}{base_path}"), origin, base_path))
}

/// A path written in site.yaml (`key`), read by [`confine::resolve`] so it
/// stays inside its folder; an error at the key's line otherwise. Returns
/// the path with `/` separators, decoded and resolved.
fn confined(
    value: Option<String>,
    key: &str,
    leading: Leading,
    errors: &mut Vec<Diagnostic>,
    at_key: &dyn Fn(&str, Diagnostic) -> Diagnostic,
    shown: &Path,
) -> Option<String> {
    let value = value?;
    match confine::resolve(&value, Path::new(""), leading) {
        Ok(resolved) if !resolved.path.as_os_str().is_empty() => Some(resolved.to_slash()),
        Ok(_) => {
            errors.push(at_key(
                key,
                Diagnostic::error(shown, format!("`{value}` in `{key}` names no file"))
                    .zh(format!("「{key}」里的「{value}」没有指向文件"))
                    .hint("give a path inside the site: a folder name under themes/, or an image under static/")
                    .hint_zh("请写站点内的路径：themes/ 下的文件夹名，或 static/ 下的图片"),
            ));
            None
        }
        Err(why) => {
            errors.push(at_key(
                key,
                Diagnostic::error(shown, format!("`{value}` in `{key}` is not a usable path: {why}"))
                    .zh(format!("「{key}」里的「{value}」不能用作路径：{}", why.zh()))
                    .hint("give a path inside the site: a folder name under themes/, or an image under static/")
                    .hint_zh("请写站点内的路径：themes/ 下的文件夹名，或 static/ 下的图片"),
            ));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholder_hosts() {
        for host in [
            "example.cn",
            "www.example.cn",
            "EXAMPLE.COM",
            "example.org:8080",
            "pufa.example.com",
            "example.com.",
            "site.example",
            "x.invalid",
            "a.test",
            "localhost",
            "localhost:1111",
            "app.localhost",
            "127.0.0.1",
            "127.0.0.1:8080",
            "[::1]:8080",
            "0.0.0.0",
        ] {
            assert!(is_placeholder_host(host), "{host}");
        }
        for host in [
            "pufa.guxian-fulian.example.cn",
            "fulian.gov.cn",
            "examples.cn",
            "myexample.com",
            "192.168.1.10",
            "u.github.io",
        ] {
            assert!(!is_placeholder_host(host), "{host}");
        }
    }

    #[test]
    fn base_url_parts() {
        let (b, o, p) = split_base_url("https://u.github.io/blog").unwrap();
        assert_eq!(
            (b.as_str(), o.as_str(), p.as_str()),
            ("https://u.github.io/blog/", "https://u.github.io", "/blog/")
        );
        let (b, _, p) = split_base_url("http://localhost:1111/").unwrap();
        assert_eq!((b.as_str(), p.as_str()), ("http://localhost:1111/", "/"));
        assert!(split_base_url("example.com").is_err());
    }
}
