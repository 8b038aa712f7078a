//! A real S3-compatible server for the deploy tests: moto's standalone
//! server (Python, from PyPI; `.ci/install-test-deps` puts it in
//! `.ci/venv`), one process per test on a free loopback port, killed when
//! the test ends. Plain HTTP requests check what it holds, as a browser or
//! CDN would see it. And a small proxy that makes the network unreliable.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

pub struct S3Server {
    child: Child,
    pub port: u16,
}

/// The version `.ci/install-test-deps` installs.
const MOTO: &str = "moto[server]==5.2.6";

/// moto's server: `PUFA_MOTO_SERVER`, else `.ci/venv`, else one this test
/// run installs from PyPI into cargo's temporary folder (once per run).
fn moto_server() -> PathBuf {
    static INSTALLED: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    if let Some(p) = std::env::var_os("PUFA_MOTO_SERVER") {
        return p.into();
    }
    let venv = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".ci/venv/bin/moto_server");
    if venv.exists() {
        return venv;
    }
    INSTALLED
        .get_or_init(|| {
            let venv = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("moto-venv");
            let server = venv.join("bin/moto_server");
            if !server.exists() {
                let ok = |c: &mut Command| c.status().is_ok_and(|s| s.success());
                let made = ok(Command::new("python3").arg("-m").arg("venv").arg(&venv))
                    && ok(Command::new(venv.join("bin/pip")).args(["install", "-q", MOTO]));
                assert!(made, "cannot install {MOTO} (run .ci/install-test-deps)");
            }
            server
        })
        .clone()
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl S3Server {
    /// A server that accepts any key (moto's default).
    pub fn start() -> S3Server {
        Self::spawn(false)
    }

    /// A server that checks keys: it knows none, so every key is wrong.
    pub fn start_checking_keys() -> S3Server {
        Self::spawn(true)
    }

    /// A server on this port (one a test chose before the server was up).
    pub fn start_on(port: u16) -> S3Server {
        Self::spawn_on(port, false)
    }

    fn spawn(check_keys: bool) -> S3Server {
        Self::spawn_on(free_port(), check_keys)
    }

    fn spawn_on(port: u16, check_keys: bool) -> S3Server {
        let mut cmd = Command::new(moto_server());
        cmd.args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if check_keys {
            cmd.env("INITIAL_NO_AUTH_ACTION_COUNT", "0");
        }
        let child = cmd.spawn().unwrap_or_else(|e| {
            panic!("moto's S3 server is needed for this test (run .ci/install-test-deps, or set PUFA_MOTO_SERVER): {e}")
        });
        let server = S3Server { child, port };
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "moto did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// A bucket anyone may read, like a website bucket behind a CDN.
    pub fn create_bucket(&self, name: &str) {
        let (status, _, body) = http(
            self.port,
            "PUT",
            &format!("/{name}"),
            &[("x-amz-acl", "public-read")],
            b"",
        );
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    }

    /// Puts an object as some other tool would (not pufa).
    pub fn put(&self, bucket: &str, key: &str, body: &[u8]) {
        let (status, _, _) = http(self.port, "PUT", &format!("/{bucket}/{key}"), &[], body);
        assert_eq!(status, 200);
    }

    /// Every key in the bucket with its size (ListObjectsV2, page by page).
    pub fn list(&self, bucket: &str) -> Vec<(String, u64)> {
        let mut keys = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let mut path = format!("/{bucket}?list-type=2");
            if let Some(t) = &token {
                path.push_str("&continuation-token=");
                path.push_str(&percent_encode(t));
            }
            let (status, _, body) = http(self.port, "GET", &path, &[], b"");
            assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
            let text = String::from_utf8(body).unwrap();
            let doc = roxmltree::Document::parse(&text).unwrap();
            for c in doc.descendants().filter(|n| n.has_tag_name("Contents")) {
                let child = |name: &str| {
                    c.children()
                        .find(|n| n.has_tag_name(name))
                        .and_then(|n| n.text())
                        .unwrap_or_default()
                        .to_string()
                };
                keys.push((child("Key"), child("Size").parse().unwrap()));
            }
            token = doc
                .descendants()
                .find(|n| n.has_tag_name("NextContinuationToken"))
                .and_then(|n| n.text())
                .map(str::to_string);
            if token.is_none() {
                break;
            }
        }
        keys.sort();
        keys
    }

    /// A plain GET of an object: status, headers (lower-case names), body.
    pub fn get(&self, bucket: &str, key: &str) -> Response {
        let (status, headers, body) = http(
            self.port,
            "GET",
            &format!("/{bucket}/{}", percent_encode_path(key)),
            &[],
            b"",
        );
        Response {
            status,
            headers,
            body,
        }
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// One HTTP/1.1 request on a fresh connection.
pub fn http(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (n, v) in headers {
        req.push_str(&format!("{n}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = memchr::memmem::find(&raw, b"\r\n\r\n").expect("a response head");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    (status, headers, raw[split + 4..].to_vec())
}

fn percent_encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

fn percent_encode_path(key: &str) -> String {
    key.split('/')
        .map(percent_encode)
        .collect::<Vec<_>>()
        .join("/")
}

/// How the proxy misbehaves.
#[derive(Clone)]
pub enum Fault {
    /// This share of requests (in thousandths) fails: half get a 503
    /// `SlowDown`, half have their connection dropped without an answer.
    Random { per_mille: u64, seed: u64 },
    /// Every PUT whose path contains this answers 500, for good.
    PutsOf(String),
    /// Every request waits this long first (a slow link).
    Slow(Duration),
}

/// A loopback proxy in front of the S3 server that fails requests.
pub struct FaultyProxy {
    pub port: u16,
    pub failed: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
}

impl FaultyProxy {
    pub fn start(upstream: u16, fault: Fault) -> FaultyProxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let failed = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (f, st) = (failed.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut rng = match fault {
                Fault::Random { seed, .. } => seed | 1,
                _ => 1,
            };
            for conn in listener.incoming() {
                if st.load(Ordering::Relaxed) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                // xorshift: the same faults on every run.
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                let roll = rng % 1000;
                let (fault, f) = (fault.clone(), f.clone());
                std::thread::spawn(move || serve(conn, upstream, &fault, roll, &f));
            }
        });
        FaultyProxy { port, failed, stop }
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for FaultyProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

/// Handles the requests of one client connection, one at a time.
fn serve(mut client: TcpStream, upstream: u16, fault: &Fault, roll: u64, failed: &AtomicU64) {
    let _ = client.set_read_timeout(Some(Duration::from_secs(30)));
    let mut roll = roll;
    while let Some(request) = read_request(&mut client) {
        let head = String::from_utf8_lossy(&request[..request.len().min(2048)]).into_owned();
        let line = head.lines().next().unwrap_or_default().to_string();
        let fail = match fault {
            Fault::Random { per_mille, .. } => roll < *per_mille,
            Fault::PutsOf(part) => line.starts_with("PUT ") && line.contains(part.as_str()),
            Fault::Slow(pause) => {
                std::thread::sleep(*pause);
                false
            }
        };
        roll = (roll * 7 + 13) % 1000;
        if fail {
            failed.fetch_add(1, Ordering::Relaxed);
            if matches!(fault, Fault::Random { .. }) && roll.is_multiple_of(2) {
                return; // dropped without an answer
            }
            let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code><Message>injected</Message></Error>";
            let status = if matches!(fault, Fault::PutsOf(_)) {
                "500 Internal Server Error"
            } else {
                "503 Slow Down"
            };
            let _ = write!(
                client,
                "HTTP/1.1 {status}\r\nContent-Type: application/xml\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            );
            continue;
        }
        let Ok(mut up) = TcpStream::connect(("127.0.0.1", upstream)) else {
            return;
        };
        if up.write_all(&request).is_err() {
            return;
        }
        let Some(response) = read_message(&mut up, true, line.starts_with("HEAD ")) else {
            return;
        };
        if client.write_all(&response).is_err() {
            return;
        }
    }
}

/// One request (head and `Content-Length` body), or `None` at the end.
fn read_request(s: &mut TcpStream) -> Option<Vec<u8>> {
    read_message(s, false, false)
}

/// A request or a response (`to_head`: the answer to a HEAD, with no body).
fn read_message(s: &mut TcpStream, response: bool, to_head: bool) -> Option<Vec<u8>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    let head_end = loop {
        if let Some(i) = memchr::memmem::find(&buf, b"\r\n\r\n") {
            break i + 4;
        }
        let n = s.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok());
    let no_body = to_head
        || response && (head.starts_with("http/1.1 204") || head.starts_with("http/1.1 304"));
    match length {
        _ if no_body => {}
        Some(n) => {
            while buf.len() < head_end + n {
                let got = s.read(&mut chunk).ok()?;
                if got == 0 {
                    return None;
                }
                buf.extend_from_slice(&chunk[..got]);
            }
        }
        None if response => {
            // Until the server closes (it answers `Connection: close`).
            s.read_to_end(&mut buf).ok()?;
        }
        None => {}
    }
    Some(buf)
}
