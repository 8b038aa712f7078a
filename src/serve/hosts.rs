//! Which requests the preview answers: those addressed to this computer,
//! and none that a page of another site makes.
//!
//! A page on `evil.example` can make the browser send requests to the
//! preview in two ways. Directly (`fetch("http://127.0.0.1:12338/")`): the
//! browser adds `Origin: http://evil.example`. Or by DNS rebinding: the
//! name `evil.example` is made to point at 127.0.0.1, so the page's own
//! requests reach the preview as same-origin ones, with `Host:
//! evil.example`, and the page can read the answers — `--drafts` previews
//! included. So a request is answered only if its `Host` is a loopback name
//! (`localhost`, `*.localhost`), an IP address (a browser sends one only
//! when the user typed it: no DNS is involved, so nothing can be rebound)
//! or a name given with `--allow-host`, and if it has an `Origin`, that is
//! the preview itself.

use super::http::{Request, Response};

/// The names besides loopback names and IP addresses that requests may use.
#[derive(Debug, Default, Clone)]
pub struct Allowed {
    names: Vec<String>,
}

impl Allowed {
    /// `names` as given to `--allow-host` (with or without a port).
    pub fn new(names: &[String]) -> Self {
        let names = names
            .iter()
            .map(|n| normalise(name_of(n).unwrap_or(n)))
            .collect();
        Allowed { names }
    }

    /// `Err` with the refusal when the request may not be answered.
    pub fn check(&self, req: &Request) -> Result<(), Response> {
        if let Some(host) = &req.host
            && !self.allows(host)
        {
            return Err(refuse_host(host));
        }
        if let Some(origin) = &req.origin
            && !self.is_same_origin(origin, req.host.as_deref())
        {
            return Err(refuse_origin(origin));
        }
        Ok(())
    }

    /// Whether the authority `host` (a name or address, maybe with a port)
    /// is one the preview answers to.
    fn allows(&self, host: &str) -> bool {
        let Some(name) = name_of(host) else {
            return false;
        };
        let name = normalise(name);
        name == "localhost"
            || name.ends_with(".localhost")
            || is_ip_address(&name)
            || self.names.contains(&name)
    }

    /// Whether `origin` is the preview's own: `http://` and the authority
    /// the request was sent to (or, without a `Host`, one it answers to).
    fn is_same_origin(&self, origin: &str, host: Option<&str>) -> bool {
        let Some(authority) = origin.strip_prefix("http://") else {
            return false;
        };
        match host {
            Some(host) => authority.eq_ignore_ascii_case(host),
            None => self.allows(authority),
        }
    }
}

/// The name or address of an authority (`name`, `name:port`, `[v6]:port`),
/// or `None` when it is not one (a port that is not a number, a path, …).
fn name_of(authority: &str) -> Option<&str> {
    let (name, port) = match authority.strip_prefix('[') {
        Some(rest) => {
            let (addr, after) = rest.split_once(']')?;
            let port = match after {
                "" => None,
                _ => Some(after.strip_prefix(':')?),
            };
            (&authority[..addr.len() + 2], port)
        }
        None => match authority.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (authority, None),
        },
    };
    let port_ok =
        port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()));
    // What a browser sends: letters, digits, dots and hyphens (IDNs in
    // punycode), or an IPv6 address in brackets; anything else (`@`, `#`,
    // `%`) could make a name look like a loopback one.
    let name_ok = if name.starts_with('[') {
        is_ip_address(name)
    } else {
        !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
    };
    (port_ok && name_ok).then_some(name)
}

/// Lower case, without the trailing dot of a fully qualified name.
fn normalise(name: &str) -> String {
    name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase()
}

fn is_ip_address(name: &str) -> bool {
    match name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
        Some(v6) => v6.parse::<std::net::Ipv6Addr>().is_ok(),
        None => name.parse::<std::net::Ipv4Addr>().is_ok(),
    }
}

/// A header value fit to quote in a message: no control characters, not long.
fn quoted(value: &str) -> String {
    let short: String = value.chars().take(100).collect();
    crate::diagnostics::escape_controls(&short).into_owned()
}

fn refuse_host(host: &str) -> Response {
    let host = quoted(host);
    let name = name_of(&host).unwrap_or(&host);
    Response::text(
        403,
        format!(
            "pufa serve answers only requests for this computer (localhost, 127.0.0.1, [::1] or another IP address), not for `{host}`: a web page may be trying to read the preview through DNS rebinding.\n\
If you reach the preview by that name yourself, start it with --allow-host {name}\n\
预览只回答发给本机的请求（localhost、127.0.0.1、[::1] 或其他 IP 地址），不回答发给 `{host}` 的请求：可能有网页想借 DNS 重绑定读取预览。\n\
如果这个名字是你自己用的，启动预览时加上 --allow-host {name}\n"
        ),
    )
}

fn refuse_origin(origin: &str) -> Response {
    let origin = quoted(origin);
    Response::text(
        403,
        format!(
            "pufa serve does not answer requests made by pages of other sites (this one came from `{origin}`).\n\
预览不回答其他网站的网页发来的请求（这个请求来自 `{origin}`）。\n"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(host: Option<&str>, origin: Option<&str>) -> Request {
        Request {
            method: "GET".into(),
            path: "/".into(),
            host: host.map(String::from),
            origin: origin.map(String::from),
        }
    }

    fn answered(allowed: &Allowed, host: Option<&str>, origin: Option<&str>) -> bool {
        allowed.check(&request(host, origin)).is_ok()
    }

    #[test]
    fn loopback_names_and_addresses_are_answered_with_or_without_a_port() {
        let allowed = Allowed::default();
        for host in [
            "localhost",
            "localhost:12338",
            "LOCALHOST:1",
            "localhost.",
            "pufa.localhost:12338",
            "127.0.0.1",
            "127.0.0.1:12338",
            "[::1]",
            "[::1]:12338",
            "192.168.1.20:12338",
        ] {
            assert!(answered(&allowed, Some(host), None), "{host}");
        }
        // No Host at all (HTTP/1.0 tools): nothing a browser would send.
        assert!(answered(&allowed, None, None));
    }

    #[test]
    fn other_names_are_refused_unless_allowed() {
        let allowed = Allowed::default();
        for host in [
            "evil.example",
            "evil.example:12338",
            "localhost.evil.example",
            "127.0.0.1.evil.example",
            "localhost:http",
            "localhost:",
            "[::1",
            "[::1]x",
            "",
            "user@localhost",
            "evil.example#.localhost",
            "evil.example%2f.localhost",
            "evil.example/.localhost",
            "[::1]@evil.example",
        ] {
            assert!(!answered(&allowed, Some(host), None), "{host}");
        }
        let allowed = Allowed::new(&["Preview.Example:8080".into()]);
        assert!(answered(&allowed, Some("preview.example:12338"), None));
        assert!(!answered(&allowed, Some("evil.example"), None));
    }

    #[test]
    fn only_the_previews_own_origin_is_answered() {
        let allowed = Allowed::default();
        let host = Some("localhost:12338");
        assert!(answered(&allowed, host, Some("http://localhost:12338")));
        for origin in [
            "http://evil.example",
            "http://localhost:3000",
            "https://localhost:12338",
            "null",
        ] {
            assert!(!answered(&allowed, host, Some(origin)), "{origin}");
        }
        assert!(answered(&allowed, None, Some("http://127.0.0.1:1")));
        assert!(!answered(&allowed, None, Some("http://evil.example")));
    }
}
