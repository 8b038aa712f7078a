//! HTTP/1.1 for the preview server, as functions over bytes: a request head
//! is parsed (httparse) from what has arrived so far, within fixed limits,
//! and a response becomes the bytes to send. One request per connection
//! (`Connection: close`). The sockets belong to `net.rs`.
//!
//! Pages come from the built site in memory, never from a path joined to
//! the disk, so no request can reach a file outside the site.

/// The longest request line (method, target, version) answered; a longer
/// one gets 414. Browsers send far shorter ones, and the site's URLs are
/// limited to a few hundred bytes.
pub const MAX_LINE: usize = 8 * 1024;
/// The longest request head (request line and headers); a longer one gets
/// 431. A connection never holds more than this, however much is sent.
pub const MAX_HEAD: usize = 16 * 1024;
/// The most headers in a request; more get 431.
const MAX_HEADERS: usize = 64;

/// A parsed request: method, the decoded path (query and fragment
/// dropped), and the headers that say who asked.
#[derive(Debug)]
pub struct Request {
    pub method: String,
    pub path: String,
    /// The `Host` header, if any.
    pub host: Option<String>,
    /// The `Origin` header, if any (browsers send it on cross-origin requests).
    pub origin: Option<String>,
}

/// What the bytes received so far make.
#[derive(Debug)]
pub enum Head {
    /// Not a whole head yet.
    Partial,
    Complete(Request),
    /// Refused before it was complete or because it is malformed.
    Refused(Response),
}

/// A request head being received: at most [`MAX_HEAD`] bytes are kept,
/// and the bytes already searched for the head's end are not searched
/// again (a head sent a byte at a time costs no more than one sent whole).
#[derive(Default)]
pub struct HeadBuffer {
    bytes: Vec<u8>,
    /// How far the search for the blank line has come.
    scanned: usize,
}

impl HeadBuffer {
    /// How many more bytes the head may have.
    pub fn room(&self) -> usize {
        MAX_HEAD - self.bytes.len()
    }

    /// Adds received bytes (at most [`Self::room`]) and says what the head is now.
    pub fn push(&mut self, received: &[u8]) -> Head {
        debug_assert!(received.len() <= self.room());
        if self.bytes.is_empty() {
            // Most heads come in one read: no growing in steps.
            self.bytes.reserve_exact(received.len().max(1024));
        }
        self.bytes.extend_from_slice(received);
        let line_end = memchr::memchr(b'\n', &self.bytes[..self.bytes.len().min(MAX_LINE + 1)]);
        if line_end.is_none() && self.bytes.len() > MAX_LINE {
            return Head::Refused(Response::text(414, TOO_LONG));
        }
        // The blank line may straddle the previous read.
        let from = self.scanned.saturating_sub(3);
        self.scanned = self.bytes.len();
        let end = [&b"\r\n\r\n"[..], b"\n\n"]
            .iter()
            .filter_map(|end| {
                memchr::memmem::find(&self.bytes[from..], end).map(|i| from + i + end.len())
            })
            .min();
        match end {
            Some(end) => parse(&self.bytes[..end]),
            None if self.bytes.len() >= MAX_HEAD => Head::Refused(Response::text(431, TOO_LARGE)),
            None => Head::Partial,
        }
    }
}

const TOO_LONG: &str =
    "the request address is too long (at most 8 KiB)\n请求的网址太长（最多 8 KiB）\n";
const TOO_LARGE: &str = "the request head is too large (at most 16 KiB, 64 headers)\n请求头太大（最多 16 KiB、64 个字段）\n";

/// Parses a whole head (it ends with the blank line).
fn parse(head: &[u8]) -> Head {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut req = httparse::Request::new(&mut headers);
    match req.parse(head) {
        Ok(httparse::Status::Complete(_)) => {}
        Err(httparse::Error::TooManyHeaders) => {
            return Head::Refused(Response::text(431, TOO_LARGE));
        }
        _ => return bad_request(),
    }
    let (Some(method), Some(target)) = (req.method, req.path) else {
        return bad_request();
    };
    let (Ok(host), Ok(origin)) = (single(req.headers, "host"), single(req.headers, "origin"))
    else {
        return bad_request();
    };
    let raw_path = target.split(['?', '#']).next().unwrap_or("/");
    let path = percent_encoding::percent_decode_str(raw_path)
        .decode_utf8_lossy()
        .into_owned();
    Head::Complete(Request {
        method: method.to_string(),
        path,
        host,
        origin,
    })
}

fn bad_request() -> Head {
    Head::Refused(Response::text(400, "bad request\n请求格式不对\n"))
}

/// The value of the header `name` if it appears at most once; two of them
/// (which a proxy and the server might read differently) are an error.
fn single(headers: &[httparse::Header<'_>], name: &str) -> Result<Option<String>, ()> {
    let mut found = headers.iter().filter(|h| h.name.eq_ignore_ascii_case(name));
    let first = found
        .next()
        .map(|h| String::from_utf8_lossy(h.value).trim().to_string());
    match found.next() {
        Some(_) => Err(()),
        None => Ok(first),
    }
}

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    pub location: Option<String>,
}

impl Response {
    pub fn new(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            content_type,
            body: body.into(),
            location: None,
        }
    }

    /// A plain-text answer (errors and refusals).
    pub fn text(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self::new(status, "text/plain; charset=utf-8", body)
    }

    pub fn redirect(to: String) -> Self {
        Self {
            location: Some(to),
            ..Self::text(301, "moved")
        }
    }

    /// The bytes to send: status line, headers and (unless `head_only`) the body.
    pub fn into_bytes(self, head_only: bool) -> Vec<u8> {
        let reason = match self.status {
            200 => "OK",
            301 => "Moved Permanently",
            400 => "Bad Request",
            403 => "Forbidden",
            404 => "Not Found",
            405 => "Method Not Allowed",
            408 => "Request Timeout",
            414 => "URI Too Long",
            431 => "Request Header Fields Too Large",
            _ => "Internal Server Error",
        };
        let mut head = format!(
            "HTTP/1.1 {} {reason}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n",
            self.status,
            self.content_type,
            self.body.len()
        );
        if let Some(loc) = &self.location {
            head.push_str(&format!("Location: {loc}\r\n"));
        }
        head.push_str("\r\n");
        let mut bytes = head.into_bytes();
        if !head_only {
            bytes.extend_from_slice(&self.body);
        }
        bytes
    }
}

/// The head of a Server-Sent Events stream; events follow.
pub const EVENT_STREAM: &[u8] =
    b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";

/// The event telling open pages which generation of the site is current.
pub fn reload_event(generation: u64) -> String {
    format!("event: reload\ndata: {generation}\n\n")
}

/// A comment that keeps proxies and the browser from closing an idle stream.
pub const PING: &[u8] = b": ping\n\n";

pub fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("xml") if path.ends_with("rss.xml") => "application/rss+xml; charset=utf-8",
        Some("xml") => "application/xml; charset=utf-8",
        Some("txt") => "text/plain; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("ico") => "image/x-icon",
        Some("pdf") => "application/pdf",
        Some("ics") => "text/calendar; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn push_all(parts: &[&[u8]]) -> Head {
        let mut buf = HeadBuffer::default();
        let mut last = Head::Partial;
        for p in parts {
            last = buf.push(p);
        }
        last
    }

    fn status(head: Head) -> u16 {
        match head {
            Head::Refused(r) => r.status,
            Head::Complete(_) => 200,
            Head::Partial => 0,
        }
    }

    #[test]
    fn a_head_sent_in_pieces_is_complete_at_its_blank_line() {
        let text =
            b"GET /a%20b/?q=1 HTTP/1.1\r\nHost: localhost:1\r\nOrigin: http://localhost:1\r\n\r\n";
        let parts: Vec<&[u8]> = text.chunks(1).collect();
        let Head::Complete(req) = push_all(&parts) else {
            panic!("complete")
        };
        assert_eq!((req.method.as_str(), req.path.as_str()), ("GET", "/a b/"));
        assert_eq!(req.host.as_deref(), Some("localhost:1"));
        assert_eq!(req.origin.as_deref(), Some("http://localhost:1"));
        assert!(matches!(
            push_all(&[&text[..text.len() - 1]]),
            Head::Partial
        ));
        assert_eq!(status(push_all(&[b"GET / HTTP/1.0\n\n"])), 200);
    }

    #[test]
    fn heads_over_the_limits_are_refused_without_keeping_more() {
        let long_line = [b'a'; MAX_LINE + 1];
        assert_eq!(status(push_all(&[b"GET /", &long_line])), 414);
        let mut buf = HeadBuffer::default();
        assert!(matches!(buf.push(b"GET / HTTP/1.1\r\n"), Head::Partial));
        let header = b"X-A: b\r\n";
        let mut last = Head::Partial;
        while buf.room() > 0 {
            let n = header.len().min(buf.room());
            last = buf.push(&header[..n]);
            if !matches!(last, Head::Partial) {
                break;
            }
        }
        assert_eq!(status(last), 431);
        assert_eq!(buf.room(), 0);
        let many: String = (0..65).map(|i| format!("X-{i}: v\r\n")).collect();
        assert_eq!(
            status(push_all(&[
                format!("GET / HTTP/1.1\r\n{many}\r\n").as_bytes()
            ])),
            431
        );
        assert_eq!(status(push_all(&[b"GARBAGE\r\n\r\n"])), 400);
        assert_eq!(
            status(push_all(&[b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"])),
            400
        );
    }
}
