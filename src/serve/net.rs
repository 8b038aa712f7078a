//! The preview's connections. One thread waits on every socket (mio): it
//! reads each request head within limits and a deadline, checks who is
//! asking, hands the request to a few worker threads that make the
//! responses, writes the responses out, and keeps the live-reload streams.
//!
//! It used to be a thread per connection reading the head with no limit: a
//! client sending 1 GiB without a line break grew the server by as much
//! (and the allocator keeps freed memory, see main.rs), and a connection
//! held two file descriptors for as long as its client trickled bytes, so
//! about 510 slow clients used up the usual limit of 1,024 and every other
//! connection was reset. Now a connection costs one descriptor and at most
//! [`http::MAX_HEAD`] bytes until its head is complete, which must be within
//! [`HEAD_TIME`]; the limit on open files is raised to what the system
//! allows; and when connections run short, the one that has waited longest
//! for its head is dropped to make room, so slow clients cannot keep a
//! quick request out. A live-reload stream costs a socket and a few bytes,
//! never a thread.

use std::collections::BTreeMap;
use std::io::{self, Read, Write};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use mio::net::{TcpListener, TcpStream};
use mio::{Events, Interest, Poll, Token, Waker};

use super::hosts::Allowed;
use super::http::{self, Head, HeadBuffer, Request, Response};

/// Where pages listen for rebuilds (Server-Sent Events).
pub const EVENTS_PATH: &str = "/__pufa/events";

/// Time for the whole request head, from the connection on: a client
/// trickling a byte now and then (slowloris) is cut off all the same.
const HEAD_TIME: Duration = Duration::from_secs(10);
/// Time a response may wait for the client to take more of it.
const IDLE_TIME: Duration = Duration::from_secs(10);
/// After a response, time to wait for the client to close first, reading
/// what it still sends: closing with unread bytes resets the connection,
/// and the client may then lose the response (a 431, say) before reading it.
const LINGER_TIME: Duration = Duration::from_secs(1);
/// Most bytes read and dropped after a head (a body, the rest of an
/// oversized head) before the connection is closed anyway.
const LINGER_BYTES: usize = 64 * 1024;
/// A live-reload stream gets a comment this often, so that nothing between
/// closes it as idle.
const PING_EVERY: Duration = Duration::from_secs(15);
/// Most bytes waiting for a live-reload stream whose client does not read.
const MAX_QUEUED_EVENTS: usize = 4 * 1024;
/// Most connections at once: with full heads, 64 MiB.
const MAX_CONNECTIONS: usize = 4096;
/// While new connections cannot be taken (none could be dropped, or the
/// system refused), how soon to try again.
const ACCEPT_RETRY: Duration = Duration::from_millis(100);

const LISTENER: Token = Token(0);
const WAKER: Token = Token(1);
const FIRST_CONNECTION: usize = 2;

/// Makes the response to a request (on a worker thread).
pub type Handler = dyn Fn(&Request) -> Response + Send + Sync;

/// The preview's socket, bound but not answering yet.
pub struct Server {
    poll: Poll,
    listener: TcpListener,
    signal: Arc<Signal>,
}

/// What other threads tell the connection thread: it is woken to look at
/// the current generation and at finished responses.
struct Signal {
    generation: AtomicU64,
    waker: Waker,
}

/// Tells the open pages about new generations of the site.
#[derive(Clone)]
pub struct Generations(Arc<Signal>);

impl Generations {
    /// Makes `number` the current generation; pages of another reload.
    pub fn publish(&self, number: u64) {
        self.0.generation.store(number, Ordering::Release);
        let _ = self.0.waker.wake();
    }
}

impl Server {
    pub fn bind(addr: SocketAddr) -> io::Result<Server> {
        let mut listener = TcpListener::bind(addr)?;
        let poll = Poll::new()?;
        poll.registry()
            .register(&mut listener, LISTENER, Interest::READABLE)?;
        let waker = Waker::new(poll.registry(), WAKER)?;
        Ok(Server {
            poll,
            listener,
            signal: Arc::new(Signal {
                generation: AtomicU64::new(0),
                waker,
            }),
        })
    }

    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    pub fn generations(&self) -> Generations {
        Generations(Arc::clone(&self.signal))
    }

    /// Answers requests with `handler` until the process ends.
    pub fn run(self, handler: Arc<Handler>, allowed: Allowed) -> io::Result<()> {
        let (jobs, job_queue) = mpsc::channel();
        let (finished, done) = mpsc::channel();
        start_workers(job_queue, finished, handler, &self.signal);
        let mut connections = Connections {
            listener: self.listener,
            registry: self.poll.registry().try_clone()?,
            signal: self.signal,
            allowed,
            jobs,
            done,
            open: BTreeMap::new(),
            next_token: FIRST_CONNECTION,
            limit: connection_limit(),
            accept_paused: false,
            streams: 0,
            next_ping: Instant::now(),
            next_check: None,
        };
        let mut poll = self.poll;
        let mut events = Events::with_capacity(1024);
        loop {
            if let Err(e) = poll.poll(&mut events, connections.timeout(Instant::now())) {
                if e.kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                return Err(e);
            }
            for event in &events {
                match event.token() {
                    LISTENER => connections.accept(),
                    WAKER => {}
                    Token(token) => connections.advance(token),
                }
            }
            connections.take_finished();
            connections.announce();
            connections.tick(Instant::now());
        }
    }
}

/// Every open connection, owned by the connection thread.
struct Connections {
    listener: TcpListener,
    registry: mio::Registry,
    signal: Arc<Signal>,
    allowed: Allowed,
    jobs: mpsc::Sender<Job>,
    done: mpsc::Receiver<(usize, Vec<u8>)>,
    /// By token, which grows: the first is the oldest.
    open: BTreeMap<usize, Conn>,
    next_token: usize,
    /// Most connections at once (see [`connection_limit`]).
    limit: usize,
    /// Connections may be waiting in the listener's queue: try again soon.
    accept_paused: bool,
    /// How many connections are live-reload streams.
    streams: usize,
    next_ping: Instant,
    /// The earliest deadline of a connection, if any.
    next_check: Option<Instant>,
}

struct Conn {
    stream: TcpStream,
    state: State,
    /// When the connection is dropped unless it moves on.
    deadline: Option<Instant>,
}

enum State {
    /// Receiving the request head.
    Head(HeadBuffer),
    /// A worker makes the response.
    Working,
    Writing(Outgoing),
    /// A live-reload stream; `told` is the last generation sent.
    Events {
        out: Outgoing,
        told: u64,
        discarded: usize,
    },
    /// Response sent, waiting for the client to close.
    Lingering {
        discarded: usize,
    },
}

/// A request for a worker.
struct Job {
    token: usize,
    request: Request,
}

/// What the connection thread does next with a connection.
enum Next {
    Wait,
    Close,
    Handle(Request),
}

impl Connections {
    /// Takes every connection waiting in the listener's queue.
    fn accept(&mut self) {
        self.accept_paused = false;
        loop {
            if self.open.len() >= self.limit && !self.make_room() {
                self.accept_paused = true;
                return;
            }
            match self.listener.accept() {
                Ok((mut stream, _)) => {
                    let token = self.next_token;
                    self.next_token += 1;
                    let interest = Interest::READABLE | Interest::WRITABLE;
                    if self
                        .registry
                        .register(&mut stream, Token(token), interest)
                        .is_err()
                    {
                        continue;
                    }
                    let deadline = Instant::now() + HEAD_TIME;
                    self.next_check = earliest(self.next_check, Some(deadline));
                    // Registered edge-triggered: what the client has sent
                    // already is reported by the next poll.
                    self.open.insert(
                        token,
                        Conn {
                            stream,
                            state: State::Head(HeadBuffer::default()),
                            deadline: Some(deadline),
                        },
                    );
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                // Out of file descriptors (EMFILE, ENFILE): the connection
                // stays queued; make room or try again soon.
                Err(e) if matches!(e.raw_os_error(), Some(23 | 24)) => {
                    if !self.make_room() {
                        self.accept_paused = true;
                        return;
                    }
                }
                // A connection reset while queued, or the system short of
                // memory: try again soon rather than spin.
                Err(_) => {
                    self.accept_paused = true;
                    return;
                }
            }
        }
    }

    /// Drops the connection that has waited longest for its head (or, if
    /// none, the oldest live-reload stream: its page reconnects by itself);
    /// false when every connection is being answered.
    fn make_room(&mut self) -> bool {
        let oldest = |heads: bool| {
            self.open
                .iter()
                .find(|(_, c)| match c.state {
                    State::Head(_) => heads,
                    State::Events { .. } => !heads,
                    _ => false,
                })
                .map(|(&t, _)| t)
        };
        match oldest(true).or_else(|| oldest(false)) {
            Some(token) => {
                self.close(token);
                true
            }
            None => false,
        }
    }

    /// Does all that connection `token` allows now.
    fn advance(&mut self, token: usize) {
        loop {
            let Some(conn) = self.open.get_mut(&token) else {
                return;
            };
            match conn.advance(Instant::now()) {
                Next::Wait => {
                    self.next_check = earliest(self.next_check, conn.deadline);
                    return;
                }
                Next::Close => return self.close(token),
                Next::Handle(request) => self.handle(token, request),
            }
        }
    }

    /// A complete request: refused, a live-reload stream, or a worker's job.
    fn handle(&mut self, token: usize, request: Request) {
        let current = self.signal.generation.load(Ordering::Acquire);
        let Some(conn) = self.open.get_mut(&token) else {
            return;
        };
        if let Err(refusal) = self.allowed.check(&request) {
            conn.respond(refusal.into_bytes(request.method == "HEAD"));
        } else if request.method == "GET" && request.path == EVENTS_PATH {
            if self.streams == 0 {
                self.next_ping = Instant::now() + PING_EVERY;
            }
            self.streams += 1;
            let mut out = Outgoing::new(http::EVENT_STREAM.to_vec());
            out.push(http::reload_event(current).as_bytes());
            conn.state = State::Events {
                out,
                told: current,
                discarded: 0,
            };
            conn.deadline = None;
        } else {
            conn.state = State::Working;
            conn.deadline = None;
            // The workers live as long as the process.
            let _ = self.jobs.send(Job { token, request });
        }
    }

    /// Responses the workers have finished.
    fn take_finished(&mut self) {
        while let Ok((token, bytes)) = self.done.try_recv() {
            if let Some(conn) = self.open.get_mut(&token) {
                conn.respond(bytes);
                self.advance(token);
            }
        }
    }

    /// Tells every live-reload stream the current generation, if it moved on.
    fn announce(&mut self) {
        let current = self.signal.generation.load(Ordering::Acquire);
        self.tell_streams(|told| {
            (*told != current).then(|| {
                *told = current;
                http::reload_event(current).into_bytes()
            })
        });
    }

    /// Queues what `message` gives (from the last generation told) on each
    /// live-reload stream and sends it.
    fn tell_streams(&mut self, mut message: impl FnMut(&mut u64) -> Option<Vec<u8>>) {
        if self.streams == 0 {
            return;
        }
        let tokens: Vec<usize> = self
            .open
            .iter_mut()
            .filter_map(|(&token, conn)| match &mut conn.state {
                State::Events { out, told, .. } => {
                    let bytes = message(told)?;
                    out.push(&bytes);
                    Some(token)
                }
                _ => None,
            })
            .collect();
        for token in tokens {
            self.advance(token);
        }
    }

    /// Deadlines, pings, and connections left waiting in the queue.
    fn tick(&mut self, now: Instant) {
        if self.next_check.is_some_and(|d| d <= now) {
            self.expire(now);
        }
        if self.streams > 0 && now >= self.next_ping {
            self.next_ping = now + PING_EVERY;
            self.tell_streams(|_| Some(http::PING.to_vec()));
        }
        if self.accept_paused {
            self.accept();
        }
    }

    /// Closes the connections past their deadline (a head not complete in
    /// time is answered 408 first, if the socket takes it).
    fn expire(&mut self, now: Instant) {
        let mut next = None;
        let mut expired = Vec::new();
        for (&token, conn) in &self.open {
            match conn.deadline {
                Some(d) if d <= now => expired.push(token),
                d => next = earliest(next, d),
            }
        }
        self.next_check = next;
        for token in expired {
            if let Some(conn) = self.open.get_mut(&token)
                && matches!(conn.state, State::Head(_))
            {
                let late = Response::text(
                    408,
                    "the request head did not arrive in time\n请求头没有及时到达\n",
                );
                let _ = conn.stream.write(&late.into_bytes(false));
            }
            self.close(token);
        }
    }

    fn close(&mut self, token: usize) {
        if let Some(mut conn) = self.open.remove(&token) {
            if matches!(conn.state, State::Events { .. }) {
                self.streams -= 1;
            }
            let _ = self.registry.deregister(&mut conn.stream);
        }
    }

    /// How long the poll may wait.
    fn timeout(&self, now: Instant) -> Option<Duration> {
        let ping = (self.streams > 0).then_some(self.next_ping);
        let wait = earliest(self.next_check, ping).map(|d| d.saturating_duration_since(now));
        if self.accept_paused {
            return Some(wait.map_or(ACCEPT_RETRY, |w| w.min(ACCEPT_RETRY)));
        }
        wait
    }
}

impl Conn {
    /// Reads and writes what the socket allows in the connection's state.
    fn advance(&mut self, now: Instant) -> Next {
        loop {
            match &mut self.state {
                State::Head(head) => match read_head(&mut self.stream, head) {
                    Ok(Head::Partial) => return Next::Wait,
                    Ok(Head::Complete(request)) => return Next::Handle(request),
                    Ok(Head::Refused(response)) => self.respond(response.into_bytes(false)),
                    Err(_) => return Next::Close,
                },
                State::Working => return Next::Wait,
                State::Writing(out) => {
                    let before = out.sent;
                    match out.flush(&mut self.stream) {
                        Ok(true) => {
                            let _ = self.stream.shutdown(std::net::Shutdown::Write);
                            self.state = State::Lingering { discarded: 0 };
                            self.deadline = Some(now + LINGER_TIME);
                        }
                        Ok(false) => {
                            if out.sent > before {
                                self.deadline = Some(now + IDLE_TIME);
                            }
                            return Next::Wait;
                        }
                        Err(_) => return Next::Close,
                    }
                }
                State::Lingering { discarded } => {
                    return match drain(&mut self.stream, discarded) {
                        true => Next::Wait,
                        false => Next::Close,
                    };
                }
                State::Events { out, discarded, .. } => {
                    let sent = out.flush(&mut self.stream);
                    let open = sent.is_ok()
                        && out.pending() <= MAX_QUEUED_EVENTS
                        && drain(&mut self.stream, discarded);
                    return if open { Next::Wait } else { Next::Close };
                }
            }
        }
    }

    /// Starts sending `bytes`, a whole response.
    fn respond(&mut self, bytes: Vec<u8>) {
        self.state = State::Writing(Outgoing::new(bytes));
        self.deadline = Some(Instant::now() + IDLE_TIME);
    }
}

/// Reads what the client has sent, keeping at most what the head may be;
/// `Err` when the client closed or failed before the head was complete.
fn read_head(stream: &mut TcpStream, head: &mut HeadBuffer) -> io::Result<Head> {
    let mut chunk = [0u8; 4096];
    loop {
        let room = head.room().min(chunk.len());
        match stream.read(&mut chunk[..room]) {
            Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => match head.push(&chunk[..n]) {
                Head::Partial => {}
                done => return Ok(done),
            },
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(Head::Partial),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// Reads and drops what the client sends after its head; false when the
/// connection is over: closed, failed, or sent more than [`LINGER_BYTES`].
fn drain(stream: &mut TcpStream, discarded: &mut usize) -> bool {
    let mut scratch = [0u8; 4096];
    loop {
        match stream.read(&mut scratch) {
            Ok(0) => return false,
            Ok(n) => {
                *discarded += n;
                if *discarded > LINGER_BYTES {
                    return false;
                }
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return true,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return false,
        }
    }
}

/// Bytes being sent on a non-blocking socket.
struct Outgoing {
    bytes: Vec<u8>,
    sent: usize,
}

impl Outgoing {
    fn new(bytes: Vec<u8>) -> Self {
        Outgoing { bytes, sent: 0 }
    }

    fn push(&mut self, more: &[u8]) {
        if self.sent == self.bytes.len() {
            self.bytes.clear();
            self.sent = 0;
        }
        self.bytes.extend_from_slice(more);
    }

    fn pending(&self) -> usize {
        self.bytes.len() - self.sent
    }

    /// Writes what the socket takes; true when everything is sent.
    fn flush(&mut self, stream: &mut TcpStream) -> io::Result<bool> {
        while self.sent < self.bytes.len() {
            match stream.write(&self.bytes[self.sent..]) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(n) => self.sent += n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(false),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(true)
    }
}

fn earliest(a: Option<Instant>, b: Option<Instant>) -> Option<Instant> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Worker threads: as many as the machine has cores, at least 4 (a first
/// request for a feed makes all the feeds and the search index, hundreds
/// of milliseconds at 10,000 articles, and pages should still come).
fn start_workers(
    jobs: mpsc::Receiver<Job>,
    finished: mpsc::Sender<(usize, Vec<u8>)>,
    handler: Arc<Handler>,
    signal: &Arc<Signal>,
) {
    let count = std::thread::available_parallelism().map_or(4, |n| n.get().clamp(4, 16));
    let jobs = Arc::new(Mutex::new(jobs));
    for _ in 0..count {
        let (jobs, finished, handler, signal) = (
            Arc::clone(&jobs),
            finished.clone(),
            Arc::clone(&handler),
            Arc::clone(signal),
        );
        std::thread::spawn(move || {
            loop {
                let job = jobs.lock().unwrap_or_else(|e| e.into_inner()).recv();
                let Ok(Job { token, request }) = job else {
                    return;
                };
                // A bug in rendering one page must not take a worker away.
                let response =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| handler(&request)))
                        .unwrap_or_else(|_| {
                            Response::text(
                                500,
                                "internal error (see the terminal)\n内部错误（见终端）\n",
                            )
                        });
                let bytes = response.into_bytes(request.method == "HEAD");
                if finished.send((token, bytes)).is_err() {
                    return;
                }
                let _ = signal.waker.wake();
            }
        });
    }
}

/// How many connections to keep at once: [`MAX_CONNECTIONS`], fewer if
/// the system allows fewer open files, with some files left over for
/// rebuilds and the files the preview reads.
fn connection_limit() -> usize {
    let files = raise_open_files_limit();
    let spare = (files / 4).min(256);
    usize::try_from(files - spare)
        .unwrap_or(usize::MAX)
        .clamp(16, MAX_CONNECTIONS)
}

/// Raises the limit on open files to the most the system allows the
/// process, and returns it. Linux starts processes at a soft limit of
/// 1,024 under a hard limit that is usually far higher; the soft limit is
/// there for programs that use `select`, which the preview does not.
#[cfg(target_os = "linux")]
fn raise_open_files_limit() -> u64 {
    use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
    let limit = getrlimit(Resource::Nofile);
    // An unlimited hard limit cannot be set as the soft one: the kernel
    // caps open files at fs.nr_open, 1,048,576 by default.
    let most = limit.maximum.unwrap_or(1 << 20);
    if limit.current.is_some_and(|now| now < most)
        && setrlimit(
            Resource::Nofile,
            Rlimit {
                current: Some(most),
                maximum: limit.maximum,
            },
        )
        .is_ok()
    {
        return most;
    }
    limit.current.unwrap_or(most)
}

/// Elsewhere the limit is left as it is; macOS starts programs at 256.
#[cfg(not(target_os = "linux"))]
fn raise_open_files_limit() -> u64 {
    256
}
