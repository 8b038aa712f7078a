//! Links: on-site links made absolute, external ones numbered as
//! references under `引用链接`, `tel:` and `mailto:` as text; URL helpers.

use super::*;

impl<'t> Converter<'t> {
    pub(super) fn link(&mut self, el: &'t Element) {
        let st = self.st;
        let href = el.attr("href").unwrap_or("").trim();
        let text = collapse_whitespace(&el.text());
        let target = self.target(href);
        let bare_url = match &target {
            Target::Keep(url) | Target::Cite(url) => {
                same_as_url(&text, href, url).then(|| url.clone())
            }
            _ => None,
        };
        if let Some(url) = bare_url {
            self.lint(
                LintLevel::Warning,
                "L10",
                &format!("bare {url}"),
                format!(
                    "a link's text is its own address ({url}); write what the page is, e.g. [《民法典》全文](…)"
                ),
                format!("链接文字就是网址本身（{url}）"),
                "写出这个网页是什么，例如 [《民法典》全文](…)",
            );
        }
        match target {
            Target::Unlink => self.inline_children(&el.children),
            Target::Tel(number) | Target::Mail(number) => {
                self.inline_children(&el.children);
                if !number.is_empty() && !text.contains(&number) {
                    self.out.push_str(&format!("（{}）", escape_text(&number)));
                }
            }
            Target::Keep(url) => {
                let style = if self.in_heading {
                    &st.link_in_heading
                } else {
                    &st.link
                };
                self.out.push_str(&format!(
                    "<a href=\"{}\" style=\"{style}\">",
                    escape_attr(&url)
                ));
                self.inline_children(&el.children);
                self.close("a");
            }
            Target::Cite(url) => {
                let bare = text.is_empty() || same_as_url(&text, href, &url);
                let number = self.cite(&url, if bare { &url } else { &text });
                if bare {
                    self.open("span", &st.url);
                    self.inline_children(&el.children);
                    self.close("span");
                } else {
                    self.inline_children(&el.children);
                }
                self.open("sup", self.mark_style());
                self.out.push_str(&format!("[{number}]"));
                self.close("sup");
            }
        }
    }

    /// The number of an external link, by first appearance, one per URL.
    pub(super) fn cite(&mut self, url: &str, text: &str) -> usize {
        if let Some(&n) = self.reference_numbers.get(url) {
            return n;
        }
        let n = self.references.len() + 1;
        self.reference_numbers.insert(url.to_string(), n);
        self.references.push((n, url.to_string(), text.to_string()));
        n
    }

    pub(super) fn target(&mut self, href: &str) -> Target {
        let lower = href.to_ascii_lowercase();
        if href.is_empty() || href.starts_with('#') {
            return Target::Unlink;
        }
        if lower.starts_with("javascript:") || lower.starts_with("vbscript:") {
            self.lint(
                LintLevel::Error,
                "L13",
                "javascript:",
                "a `javascript:` link in the body: scripts do not survive the editor; it is exported as plain text".to_string(),
                "正文里有 javascript: 链接，脚本带不进公众号编辑器，导出为纯文字".to_string(),
                "删掉这个链接，或改成普通网页的链接",
            );
            return Target::Unlink;
        }
        if let Some(number) = strip_prefix_ignore_case(href, "tel:") {
            return Target::Tel(percent_decode(number).trim().to_string());
        }
        if let Some(address) = strip_prefix_ignore_case(href, "mailto:") {
            let address = address.split('?').next().unwrap_or("");
            return Target::Mail(percent_decode(address).trim().to_string());
        }
        let absolute = if let Some(rest) = href.strip_prefix("//") {
            format!("https://{rest}")
        } else if href.starts_with('/') {
            format!("{}{href}", self.origin)
        } else if lower.starts_with("http://") || lower.starts_with("https://") {
            normalize_scheme_host(href)
        } else if has_scheme(href) {
            // ftp:, weixin:, …: not a link the editor keeps; cite it as written.
            return Target::Cite(href.to_string());
        } else {
            let resolved = format!("{}{href}", self.base_url);
            self.lint(
                LintLevel::Warning,
                "L10",
                &format!("relative {href}"),
                format!(
                    "the relative link `{href}` is exported as {resolved}; write it as a path from the site root (`/…`) or link the Markdown file"
                ),
                format!("相对链接「{href}」导出为 {resolved}"),
                "写成从网站根目录开始的路径（以 / 开头），或直接链接那篇文章的 Markdown 文件",
            );
            resolved
        };
        if absolute.starts_with("http://") {
            self.lint(
                LintLevel::Warning,
                "L10",
                &format!("http {absolute}"),
                format!(
                    "the link {absolute} is not https; use the https address if the site has one"
                ),
                format!("链接 {absolute} 不是 https 网址"),
                "如果那个网站有 https 地址，请改用 https",
            );
        }
        let host = split_url(&absolute)
            .map(|(scheme_host, _)| scheme_host.split_once("://").map_or("", |(_, h)| h))
            .unwrap_or("");
        if host == "mp.weixin.qq.com" {
            let https = match absolute.strip_prefix("http://") {
                Some(rest) => format!("https://{rest}"),
                None => absolute,
            };
            return Target::Keep(https);
        }
        if let Some(site) = self.on_site(&absolute) {
            return Target::Keep(site);
        }
        Target::Cite(absolute)
    }

    /// `url` on the site's own host and under its base path, rewritten to
    /// the base URL's scheme.
    pub(super) fn on_site(&self, url: &str) -> Option<String> {
        let (site_scheme_host, site_path) = split_url(&self.base_url)?;
        let (scheme_host, path) = split_url(url)?;
        let host = |sh: &str| sh.split_once("://").map(|(_, h)| h.to_string());
        if host(scheme_host)? != host(site_scheme_host)? {
            return None;
        }
        let path = if path.is_empty() { "/" } else { path };
        let under = path.starts_with(site_path) || format!("{path}/") == site_path;
        under.then(|| format!("{site_scheme_host}{path}"))
    }

    /// External links as `[n] text：URL` under `引用链接` (WECHAT.md §4.2).
    pub(super) fn reference_list(&mut self) {
        if self.references.is_empty() {
            return;
        }
        let st = self.st;
        self.footer_heading(REFERENCES_TITLE);
        for (n, url, text) in self.references.clone() {
            self.open("p", &st.notes_p);
            self.out
                .push_str(&format!("<span style=\"{}\">[{n}]</span> ", st.notes_num));
            if text != url {
                self.out.push_str(&escape_text(&text));
                self.out.push('：');
            }
            self.open("span", &st.url);
            self.out.push_str(&escape_text(&url));
            self.close("span");
            self.close("p");
        }
    }
}

/// True if a link's text is just its address (with or without scheme or
/// trailing slash).
pub(super) fn same_as_url(text: &str, href: &str, url: &str) -> bool {
    fn bare(s: &str) -> String {
        let s = s.trim();
        let lower = s.to_ascii_lowercase();
        let s = if lower.starts_with("https://") {
            &s[8..]
        } else if lower.starts_with("http://") {
            &s[7..]
        } else {
            s
        };
        s.trim_end_matches('/').to_ascii_lowercase()
    }
    let text = bare(text);
    !text.is_empty() && (text == bare(href) || text == bare(url))
}

/// `("https://host", "/path?q")` for an absolute http(s) URL.
pub(super) fn split_url(url: &str) -> Option<(&str, &str)> {
    let scheme_end = url.find("://")? + 3;
    let rest = &url[scheme_end..];
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    Some((&url[..scheme_end + host_end], &url[scheme_end + host_end..]))
}

/// Lower-cases an absolute URL's scheme and host (they are case-insensitive).
pub(super) fn normalize_scheme_host(url: &str) -> String {
    match split_url(url) {
        Some((scheme_host, rest)) => format!("{}{rest}", scheme_host.to_ascii_lowercase()),
        None => url.to_string(),
    }
}

pub(super) fn has_scheme(href: &str) -> bool {
    href.split_once(':').is_some_and(|(scheme, _)| {
        scheme
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

pub(super) fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// Decodes `%XX` escapes (for phone numbers and mail addresses shown as text).
pub(super) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = match bytes[i] {
            b'%' => s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok()),
            _ => None,
        };
        if let Some(b) = escaped {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
