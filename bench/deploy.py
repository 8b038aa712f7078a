#!/usr/bin/env python3
"""Measures `pufa deploy` to S3 on a generated corpus, against a local S3
server on loopback: the first deploy (every file uploaded), the second with
nothing changed, and one after editing one article.

    python3 bench/deploy.py [--articles 10000] [--server moto|s3s] [--gzip] [--runs 3]
                            [--work /tmp/pufa-bench] [--pufa PATH] [--moto PATH] [--s3s-fs PATH]
                            [--jobs 8] [--direct] [--latency MS] [--replay-lists]
                            [--also OTHER_PUFA [--also-rounds 4]]

The corpus is compare.py's: `WORK/N/pufa`, generated with
../shared/bench/gen_corpus.py when missing. It is copied to `WORK/N/deploy`
(site.yaml there gains the `deploy:` target; one article is edited there),
so compare.py's corpus stays as generated.

Between pufa and the server sits a small counting proxy (threads, one per
connection; it forwards bytes verbatim, so SigV4 signatures still hold, and
parses only enough HTTP to count requests and request-body bytes). Its
counts are checked against pufa's summary line (`N uploaded (X MB) ...;
M requests`): a mismatch is printed. `--direct` leaves the proxy out
(pufa's own counts only), to see what the proxy costs. `--latency MS`
makes the proxy hold each request that long before forwarding it, as a
server across the Internet would (the listing's pages come one after the
other, so they pay it one after the other). `--replay-lists` makes the
proxy answer a listing page it has already seen, while nothing was
written since, from memory: the second and third no-change deploys of a
run then measure pufa itself, as against a server that lists instantly.
`--also OTHER_PUFA` compares two builds of pufa: after the no-change
deploys, the two take turns at more of them, and their ratio is printed
pair by pair.

Each run starts a fresh server (moto keeps objects in memory; s3s-fs gets a
new folder), so the first deploy uploads everything; the no-change deploy
is repeated 3 times per run. Reported per step: wall time, pufa's CPU
(user + system) and peak RSS (wait4), the server's CPU (/proc), the
proxy's CPU (this script's own), files uploaded, requests and bytes.
Medians over --runs. Python 3 stdlib only.

Servers: `--server moto` runs moto's standalone S3 server (Python;
`.ci/install-test-deps` puts it in .ci/venv); `--server s3s` runs s3s-fs
(Rust; `cargo install s3s-fs --features binary --root DIR`), which keeps
objects as files in a folder under WORK/N.
"""
import argparse, os, re, resource, shutil, socket, socketserver, statistics, subprocess, sys, threading, time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import compare  # noqa: E402  (its corpus, clock, trash and steal helpers)

ROOT = compare.ROOT
BUCKET = "bench"
MANIFEST = ".pufa-deploy.json"
# The article edited in step (c): one in the middle of the corpus.
EDIT = "\n\n本文于近日根据读者来信作了补充：遇到家庭暴力，可以拨打 12338 妇女维权公益服务热线。\n"


def default_pufa():
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target")
    return os.path.join(target, "release", "pufa")


def default_moto():
    here = os.path.join(ROOT, ".ci", "venv", "bin", "moto_server")
    return here if os.path.exists(here) else (shutil.which("moto_server") or here)


def default_s3s():
    return shutil.which("s3s-fs") or "s3s-fs"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_of(pid):
    """User + system CPU seconds of a running process (0 if gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def own_cpu():
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def human_bytes(n):
    """pufa's `human_bytes` (src/deploy/mod.rs), to compare with its summary."""
    if n >= 1 << 30:
        return f"{n / (1 << 30):.1f} GB"
    if n >= 1 << 20:
        return f"{n / (1 << 20):.1f} MB"
    if n >= 1 << 10:
        return f"{n / 1024:.1f} KB"
    return f"{n} B"


# ---------------------------------------------------------------- the proxy

class Counts:
    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with getattr(self, "lock", threading.Lock()):
            self.requests = 0
            self.body = 0          # request-body bytes, all requests
            self.puts = 0          # object uploads (PUT of a key other than the manifest)
            self.put_body = 0
            self.manifest_puts = 0
            self.manifest_body = 0
            self.by_kind = {}      # "GET list", "GET object", "PUT", "POST delete", ...
            self.statuses = {}
            self.connections = 0

    def add(self, method, target, body, status):
        path, _, query = target.partition("?")
        key = path.split("/", 2)[2] if path.count("/") >= 2 else ""
        if method == "GET" and not key:
            kind = "GET list"
        elif method == "POST" and "delete" in query:
            kind = "POST delete"
        else:
            kind = f"{method} {'manifest' if key == MANIFEST else 'object'}"
        with self.lock:
            self.requests += 1
            self.body += body
            self.by_kind[kind] = self.by_kind.get(kind, 0) + 1
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if method == "PUT" and key == MANIFEST:
                self.manifest_puts += 1
                self.manifest_body += body
            elif method == "PUT" and key:
                self.puts += 1
                self.put_body += body


def read_head(f):
    """The lines of an HTTP head up to the blank line (bytes), or None at EOF."""
    lines = []
    while True:
        line = f.readline(65537)
        if not line:
            return None
        if line in (b"\r\n", b"\n"):
            return lines
        lines.append(line)


def header(lines, name):
    name = name.lower().encode() + b":"
    for line in lines[1:]:
        if line.lower().startswith(name):
            return line.split(b":", 1)[1].strip().decode("latin-1")
    return None


def copy_body(lines, src, dst, *, no_body=False):
    """Forwards the body that `lines` announces, verbatim; returns
    (payload bytes, whether the connection ends after it)."""
    if no_body:
        return 0, False
    te = (header(lines, "transfer-encoding") or "").lower()
    if "chunked" in te:
        total = 0
        while True:
            size_line = src.readline(65537)
            dst.write(size_line)
            size = int(size_line.split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while True:  # trailers, then the blank line
                    t = src.readline(65537)
                    dst.write(t)
                    if t in (b"\r\n", b"\n", b""):
                        return total, False
            total += size
            left = size + 2  # the chunk and its CRLF
            while left:
                part = src.read(min(left, 1 << 16))
                if not part:
                    raise ConnectionError("short chunk")
                dst.write(part)
                left -= len(part)
    length = header(lines, "content-length")
    if length is not None:
        left = total = int(length)
        while left:
            part = src.read(min(left, 1 << 16))
            if not part:
                raise ConnectionError("short body")
            dst.write(part)
            left -= len(part)
        return total, False
    return 0, None  # no length: the caller decides (request: none; response: until close)


class Proxy(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, upstream_port, counts, latency=0.0, replay=False):
        self.upstream_port = upstream_port
        self.counts = counts
        self.latency = latency
        # Listing pages by request line, answered again from memory while
        # nothing was written to the bucket (--replay-lists); None: off.
        self.replay = {} if replay else None
        super().__init__(("127.0.0.1", 0), ProxyHandler)


class Tee:
    """A writer that also keeps what it wrote."""

    def __init__(self, f):
        self.f, self.kept = f, []

    def write(self, data):
        self.kept.append(bytes(data))
        return self.f.write(data)


class ProxyHandler(socketserver.StreamRequestHandler):
    def handle(self):
        counts = self.server.counts
        with counts.lock:
            counts.connections += 1
        up = socket.create_connection(("127.0.0.1", self.server.upstream_port))
        up.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        up_r, up_w = up.makefile("rb"), up.makefile("wb")
        try:
            while True:
                req = read_head(self.rfile)
                if req is None:
                    return
                method, target = req[0].decode("latin-1").split()[:2]
                if self.server.latency:
                    time.sleep(self.server.latency)  # a round trip to a distant server
                listing = method == "GET" and target.split("?")[0].count("/") == 1
                replay = self.server.replay
                if replay is not None and method not in ("GET", "HEAD"):
                    replay.clear()  # the bucket changes: listings answered before are stale
                if replay is not None and listing and target in replay:
                    head, payload = replay[target]
                    counts.add(method, target, 0, 200)
                    self.wfile.write(head + payload)
                    self.wfile.flush()
                    if b"connection: close" in head.lower():
                        return
                    continue
                up_w.write(b"".join(req) + b"\r\n")
                body, _ = copy_body(req, self.rfile, up_w)
                up_w.flush()
                resp = read_head(up_r)
                if resp is None:
                    return
                status = int(resp[0].split()[1])
                while 100 <= status < 200:  # interim answers, then the real one
                    self.wfile.write(b"".join(resp) + b"\r\n")
                    resp = read_head(up_r)
                    status = int(resp[0].split()[1])
                counts.add(method, target, body, status)
                self.wfile.write(b"".join(resp) + b"\r\n")
                keep = replay is not None and listing and status == 200 and header(resp, "content-length")
                out = Tee(self.wfile) if keep else self.wfile
                _, until_close = copy_body(resp, up_r, out,
                                           no_body=method == "HEAD" or status in (204, 304))
                if keep:
                    replay[target] = (b"".join(resp) + b"\r\n", b"".join(out.kept))
                if until_close is None:
                    while part := up_r.read1(1 << 16):
                        self.wfile.write(part)
                    self.wfile.flush()
                    return
                self.wfile.flush()
                if (header(resp, "connection") or "").lower() == "close":
                    return
        except (ConnectionError, OSError, ValueError, IndexError):
            return
        finally:
            up.close()


# --------------------------------------------------------------- the servers

class Server:
    """A local S3 server on a free loopback port, with the bucket created."""

    def __init__(self, kind, args, data_dir):
        self.kind = kind
        self.port = free_port()
        env = dict(os.environ)
        if kind == "moto":
            cmd = [args.moto, "-H", "127.0.0.1", "-p", str(self.port)]
        else:
            os.makedirs(os.path.join(data_dir, BUCKET))  # s3s-fs: a bucket is a folder
            cmd = [args.s3s_fs, "--host", "127.0.0.1", "--port", str(self.port),
                   "--access-key", "test", "--secret-key", "test", data_dir]
            env.setdefault("RUST_LOG", "error")
        self.log = open(os.path.join(args.work, f"{kind}.log"), "a")
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT, env=env)
        deadline = time.time() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                if self.proc.poll() is not None or time.time() > deadline:
                    sys.exit(f"{kind} did not start: {' '.join(cmd)} (see {self.log.name})")
                time.sleep(0.1)
        if kind == "moto":
            r = urllib.request.Request(f"http://127.0.0.1:{self.port}/{BUCKET}", method="PUT",
                                       headers={"x-amz-acl": "public-read"})
            urllib.request.urlopen(r).read()

    def cpu(self):
        return cpu_of(self.proc.pid)

    def rss_mib(self):
        try:
            with open(f"/proc/{self.proc.pid}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) / 1024
        except OSError:
            pass
        return float("nan")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


# ------------------------------------------------------------------ measuring

# The summary line is "English · 中文"; this reads the English half (pufa's cmd/deploy.rs).
SUMMARY = re.compile(r"deployed to (\S+): (\d+) uploaded \(([^)]*)\), (\d+) deleted, (\d+) unchanged; "
                     r"(\d+) requests?(?: \((\d+) retried\))? in ([0-9.]+) s")


def deploy(args, site, server, counts, pufa=None):
    """Runs `pufa deploy local` once; returns a dict of what it took."""
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower() and not k.startswith("AWS_")}
    env.update(AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", NO_PROXY="127.0.0.1")
    counts.reset()
    stolen, server_cpu, proxy_cpu = compare.stolen_ms(), server.cpu(), own_cpu()
    t0 = time.perf_counter()
    p = subprocess.Popen([pufa or args.pufa, "deploy", "local", "--root", site],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    err = p.stderr.read().decode("utf-8", "replace")
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    r = {
        "wall": wall,
        "cpu": ru.ru_utime + ru.ru_stime,
        "user": ru.ru_utime,
        "rss": ru.ru_maxrss / 1024,
        "server_cpu": server.cpu() - server_cpu,
        "proxy_cpu": own_cpu() - proxy_cpu,
        "stolen": compare.stolen_ms() - stolen,
    }
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"pufa deploy failed:\n{err}")
    m = SUMMARY.search(err)
    if not m:
        sys.exit(f"no summary line in pufa's output:\n{err}")
    r.update(line=m.group(0), uploaded=int(m.group(2)), human=m.group(3), deleted=int(m.group(4)),
             unchanged=int(m.group(5)), requests=int(m.group(6)), retried=int(m.group(7) or 0))
    if not args.direct:
        with counts.lock:
            r.update(p_requests=counts.requests, p_body=counts.body, p_puts=counts.puts,
                     p_put_body=counts.put_body, p_manifest_puts=counts.manifest_puts,
                     p_manifest_body=counts.manifest_body, p_kinds=dict(counts.by_kind),
                     p_statuses=dict(counts.statuses), p_connections=counts.connections)
        r["mismatch"] = check(r)
    return r


def check(r):
    """What pufa's summary line says that the proxy did not see."""
    wrong = []
    if r["requests"] != r["p_requests"]:
        wrong.append(f"requests: pufa says {r['requests']}, the proxy counted {r['p_requests']} "
                     f"({', '.join(f'{k} {v}' for k, v in sorted(r['p_kinds'].items()))})")
    if r["uploaded"] != r["p_puts"]:
        wrong.append(f"uploads: pufa says {r['uploaded']}, the proxy saw {r['p_puts']} PUTs of objects")
    if r["human"] != human_bytes(r["p_put_body"]):
        wrong.append(f"bytes: pufa says {r['human']}, the proxy saw {human_bytes(r['p_put_body'])} "
                     f"({r['p_put_body']} B) in object PUTs")
    bad = {s: n for s, n in r["p_statuses"].items() if s >= 300}
    # The first deploy asks for a manifest that is not there yet.
    if r["unchanged"] == 0 and bad.get(404) == 1:
        del bad[404]
    if bad:
        wrong.append(f"answers other than 2xx: {bad}")
    return wrong


def build(args, site):
    t0 = time.perf_counter()
    subprocess.run([args.pufa, "build", "--root", site, "--now", compare.NOW], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def prepare_site(args, n):
    """compare.py's corpus, copied to WORK/N/deploy with the deploy target."""
    base = os.path.join(args.work, str(n))
    corpus = os.path.join(base, "pufa")
    if not os.path.exists(corpus):
        subprocess.run([sys.executable, compare.GEN, "--n", str(n), "--format", "pufa", "--out", corpus],
                       check=True, stdout=subprocess.DEVNULL)
    site = os.path.join(base, "deploy")
    compare.aside(args.work, site)()
    shutil.copytree(corpus, site, ignore=shutil.ignore_patterns("public", ".public.spare"))
    return site


def write_target(site, endpoint, args):
    with open(os.path.join(site, "site.yaml"), encoding="utf-8") as f:
        text = f.read().split("\ndeploy:\n")[0].rstrip("\n") + "\n"
    text += (f"deploy:\n  local:\n    type: s3\n    endpoint: {endpoint}\n    bucket: {BUCKET}\n"
             f"    jobs: {args.jobs}\n    gzip: {'true' if args.gzip else 'false'}\n")
    with open(os.path.join(site, "site.yaml"), "w", encoding="utf-8") as f:
        f.write(text)


def one_run(args, site, article, original, counts, number):
    data_dir = os.path.join(args.work, str(args.articles), f"s3s-data-{os.getpid()}-{number}")
    server = Server(args.server, args, data_dir)
    proxy = None
    try:
        if args.direct:
            endpoint = f"http://127.0.0.1:{server.port}"
        else:
            proxy = Proxy(server.port, counts, args.latency / 1000, args.replay_lists)
            threading.Thread(target=proxy.serve_forever, daemon=True).start()
            endpoint = f"http://127.0.0.1:{proxy.server_address[1]}"
        write_target(site, endpoint, args)
        with open(article, "w", encoding="utf-8") as f:
            f.write(original)
        build(args, site)
        steps = {"first": deploy(args, site, server, counts)}
        steps["second"] = [deploy(args, site, server, counts) for _ in range(3)]
        if args.also:
            # No-change deploys by the two binaries in turn, so they share the machine's drift.
            pairs = [(deploy(args, site, server, counts, args.also), deploy(args, site, server, counts))
                     for _ in range(args.also_rounds)]
            steps["also"] = [a for a, _ in pairs]
            steps["also_main"] = [m for _, m in pairs]
        with open(article, "a", encoding="utf-8") as f:
            f.write(EDIT)
        steps["rebuild"] = build(args, site)
        steps["edit"] = deploy(args, site, server, counts)
        steps["server_rss"] = server.rss_mib()
        return steps
    finally:
        if proxy:
            proxy.shutdown()
            proxy.server_close()
        server.stop()
        with open(article, "w", encoding="utf-8") as f:
            f.write(original)
        if os.path.isdir(data_dir):
            compare.aside(args.work, data_dir)()


def fmt_row(name, rs):
    med = lambda k: statistics.median(r[k] for r in rs)
    r0 = rs[0]
    req = f"{med('requests'):.0f}"
    sent = r0["human"]
    if "p_requests" in r0:
        req = f"{med('p_requests'):.0f}"
        sent = f"{med('p_body') / 1e6:.2f} MB"
    return (f"{name:<22} {med('wall'):>7.2f} {med('cpu'):>7.2f} {med('server_cpu'):>8.2f} "
            f"{med('proxy_cpu'):>7.2f} {med('rss'):>8.0f} {med('uploaded'):>8.0f} {req:>8} {sent:>11}"
            f"  {min(r['wall'] for r in rs):.2f}-{max(r['wall'] for r in rs):.2f}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=10000)
    ap.add_argument("--server", choices=["moto", "s3s"], default="moto")
    ap.add_argument("--gzip", action="store_true", help="the target sends text gzip-compressed")
    ap.add_argument("--runs", type=int, default=3, help="fresh server each run; medians reported")
    ap.add_argument("--jobs", type=int, default=8, help="uploads in flight (the target's jobs:)")
    ap.add_argument("--work", default="/tmp/pufa-bench")
    ap.add_argument("--pufa", default=default_pufa())
    ap.add_argument("--moto", default=default_moto(), help="moto's moto_server")
    ap.add_argument("--s3s-fs", default=default_s3s(), help="the s3s-fs binary")
    ap.add_argument("--direct", action="store_true",
                    help="no counting proxy: pufa talks to the server itself")
    ap.add_argument("--latency", type=float, default=0, metavar="MS",
                    help="the proxy holds each request this long first, as a distant server would")
    ap.add_argument("--also", metavar="PATH",
                    help="another pufa binary: after the no-change deploys, it and --pufa take "
                         "turns at more of them (a before/after comparison)")
    ap.add_argument("--also-rounds", type=int, default=4, help="pairs per run with --also")
    ap.add_argument("--replay-lists", action="store_true",
                    help="the proxy answers a listing page it saw since the last write from memory "
                         "(the 2nd and 3rd no-change deploys then measure pufa, not the server's listing)")
    ap.add_argument("--settle", type=int, default=compare.SETTLE,
                    help="seconds to wait after deleting earlier runs' files (see compare.py)")
    ap.add_argument("--verbose", action="store_true", help="print every summary line")
    args = ap.parse_args()
    if args.direct and (args.latency or args.replay_lists):
        sys.exit("--latency and --replay-lists need the proxy (leave out --direct)")
    args.work = os.path.abspath(args.work)
    if not os.path.exists(args.pufa):
        sys.exit(f"no pufa at {args.pufa}: cargo build --release (or --pufa PATH)")
    server_bin = args.moto if args.server == "moto" else args.s3s_fs
    if not shutil.which(server_bin):
        sys.exit(f"no {args.server} server at {server_bin}")
    compare.clear_trash(args.work, args.settle)
    site = prepare_site(args, args.articles)
    posts = os.path.join(site, "content", "posts")
    names = sorted(f for f in os.listdir(posts) if f.endswith(".md") and f != "_index.md")
    article = os.path.join(posts, names[len(names) // 2])
    with open(article, encoding="utf-8") as f:
        original = f.read()
    counts = Counts()
    runs = [one_run(args, site, article, original, counts, i) for i in range(args.runs)]

    files = sum(len(f) for _, _, f in os.walk(os.path.join(site, "public")))
    print(f"pufa deploy, {args.articles} articles ({files} files in public/, {args.pufa}), "
          f"server {args.server}{' through the counting proxy' if not args.direct else ' (direct)'}, "
          f"jobs {args.jobs}, gzip {args.gzip}, added latency {args.latency:g} ms"
          f"{', listings replayed' if args.replay_lists else ''}; median of {args.runs} runs, {os.cpu_count()} cores, "
          f"load {os.getloadavg()[0]:.2f} at the end")
    print(f"{'step':<22} {'wall s':>7} {'cpu s':>7} {'srv cpu':>8} {'proxy':>7} {'peak MiB':>8} "
          f"{'uploaded':>8} {'requests':>8} {'body sent':>11}  wall range")
    firsts = [r["first"] for r in runs]
    seconds = [r["second"][0] for r in runs]
    agains = [s for r in runs for s in r["second"][1:]]
    edits = [r["edit"] for r in runs]
    again = "no change, replayed" if args.replay_lists else "no change, again"
    for name, rs in [("first deploy", firsts), ("second (no change)", seconds), (again, agains),
                     ("one article edited", edits)]:
        print(fmt_row(name, rs))
    if args.also:
        print(f"no change, the two binaries in turn ({args.also_rounds} pairs a run):")
        alsos = [s for r in runs for s in r["also"]]
        mains = [s for r in runs for s in r["also_main"]]
        print(fmt_row("  --pufa", mains))
        print(fmt_row("  --also", alsos))
        ratio = [a["wall"] / m["wall"] for r in runs for a, m in zip(r["also"], r["also_main"])]
        cpu = [a["cpu"] / m["cpu"] for r in runs for a, m in zip(r["also"], r["also_main"])]
        print(f"  --also ÷ --pufa, pair by pair: wall median {statistics.median(ratio):.2f}x "
              f"(range {min(ratio):.2f}-{max(ratio):.2f}), CPU median {statistics.median(cpu):.2f}x  "
              f"(--also is {args.also})")
    print(f"rebuild after the edit: {statistics.median(r['rebuild'] for r in runs):.2f} s; "
          f"server peak RSS {statistics.median(r['server_rss'] for r in runs):.0f} MiB; "
          f"stolen ms (median, first/second/edit): "
          f"{statistics.median(r['stolen'] for r in firsts):.0f}/"
          f"{statistics.median(r['stolen'] for r in seconds):.0f}/"
          f"{statistics.median(r['stolen'] for r in edits):.0f}")
    print("summary lines (last run):")
    last = runs[-1]
    for name, r in [("first", last["first"]), ("second", last["second"][-1]), ("edit", last["edit"])]:
        print(f"  {name:<6} {r['line']}")
        if "p_kinds" in r:
            kinds = ", ".join(f"{k} {v}" for k, v in sorted(r["p_kinds"].items()))
            print(f"         proxy: {kinds}; {r['p_connections']} connections; object bodies "
                  f"{r['p_put_body']} B, manifest {r['p_manifest_puts']} PUT(s) {r['p_manifest_body']} B")
    if args.verbose:
        for i, r in enumerate(runs):
            for name, s in [("first", r["first"])] + [("second", s) for s in r["second"]] + [("edit", r["edit"])]:
                print(f"  run {i} {name:<6} {s['line']}  (pufa cpu {s['cpu']:.2f} s, server cpu {s['server_cpu']:.2f} s)")
    wrong = [(i, name, w) for i, r in enumerate(runs)
             for name, s in [("first", r["first"])] + [("second", s) for s in r["second"]] + [("edit", r["edit"])]
             for w in s.get("mismatch", [])]
    for i, name, w in wrong:
        print(f"MISMATCH run {i} {name}: {w}")
    if not args.direct and not wrong:
        print("the proxy's counts agree with every summary line (requests, uploads, bytes)")
    sent = max(s["uploaded"] for s in seconds + agains)
    if sent:
        print(f"NOTE: a deploy with nothing changed uploaded {sent} files: the server's listing "
              f"does not give the ETags pufa recorded (s3s-fs lists no ETag at all)")
    for name, rs in [("second (no change)", seconds), (again, agains)]:
        med = statistics.median(s["wall"] for s in rs)
        print(f"{name}: median {med:.2f} s, slowest {max(s['wall'] for s in rs):.2f} s: "
              f"{'under' if med < 2 else 'OVER'} the 2 s target")
    print(f"(the copied site is {site}; earlier runs' files go to {os.path.join(args.work, 'trash')})",
          file=sys.stderr)


if __name__ == "__main__":
    main()
