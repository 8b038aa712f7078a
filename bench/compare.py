#!/usr/bin/env python3
"""Clean full builds of the same generated corpus with pufa and, when
installed, Hugo and Zola; plus two floors: the time `cp -r` takes to copy
pufa's output tree (one thread, reading as it goes), and the time pufa's own
writer takes to write that tree from memory (the "write floor",
`examples/write_floor.rs`, built here with cargo). Prints wall time, CPU
time and peak memory, median of N runs, and the ratios: of the medians,
and round by round (each tool's build divided by pufa's in the same round).

    python3 bench/compare.py [--sizes 1000,10000] [--runs 3] [--work /tmp/pufa-bench] [--keep-trash]
                             [--pufa PATH] [--raw-html]

`--raw-html` builds a variant of the corpus in which every article also
holds a paragraph of raw HTML (the kind editors paste: `<span style>`,
`<b>`, `<sup>`, a table), so every article goes through the HTML
sanitiser; it measures pufa only (the other tools' corpora have none).
Run it with `--pufa` pointing at two builds to see what sanitising costs.

The tools build in turns (pufa, Hugo, pufa, Hugo, ...), so that a machine
whose speed drifts gives each the same drift. `--work` on a RAM disk
(`/dev/shm/...`) takes the file system out of the comparison.

Earlier outputs are moved aside during a run, never deleted between builds;
the next run deletes them first and then waits a minute (`--settle`), since
this machine's ext4 is slow to create files for a minute after a large
delete. Other deletes on the same disk (a `cargo build` cleaning its
incremental files) do the same: leave the disk alone while measuring.

This virtual machine fills memory slowly: its host backs each page of
guest memory when the guest first touches it, and takes back every page the
guest frees (the balloon device's free page reporting), so a page freed and
allocated again is slow again. Measured here: touching 12 GiB took 48 s; new
file data went into memory at 260-290 MB/s, and at 2.1 GB/s for the few
seconds after a large free (before the host took the pages back). Every
build writes its output into new pages of the page cache, so this cost is
part of every build here, more so for a tool that writes more bytes. The
script prints the rate it measured first, to tell such a machine.

The corpus comes from ../shared/bench/gen_corpus.py (same articles for every
tool). Python 3 stdlib only; Hugo from Debian's `hugo` package.
"""
import argparse, os, re, resource, shutil, statistics, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def find_gen():
    """../shared/bench/gen_corpus.py beside the checkout, or beside a folder
    above it (a git worktree under /work/wt/NAME reaches /work/shared)."""
    here = os.path.dirname(ROOT)
    while True:
        gen = os.path.join(here, "shared", "bench", "gen_corpus.py")
        if os.path.exists(gen):
            return gen
        if os.path.dirname(here) == here:
            return os.path.join(os.path.dirname(ROOT), "shared", "bench", "gen_corpus.py")
        here = os.path.dirname(here)


GEN = find_gen()
NOW = "2026-11-29T12:00:00+08:00"


def stolen_ms():
    """CPU time the host has taken from this virtual machine so far (all
    CPUs, ms): the `steal` column of /proc/stat. 0 where there is none."""
    try:
        with open("/proc/stat") as f:
            fields = f.readline().split()
        return int(fields[8]) * 1000 // os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0


def calm(run):
    """Whether the host left the machine alone during `run` (see CALM)."""
    wall, _, _, stolen = run
    return stolen < CALM * wall * 1000 * (os.cpu_count() or 1)


def measure(cmd, cwd=None, before=None):
    """Runs cmd once; returns (wall s, cpu s, peak RSS MiB, ms stolen by
    the host from the machine meanwhile)."""
    if before:
        before()
    # Dirty pages of earlier runs are written back now, not during this one.
    os.sync()
    stolen = stolen_ms()
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(cmd)}")
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024, stolen_ms() - stolen


def medians(results):
    """The median of each field of `measure`'s results."""
    return tuple(statistics.median(r[i] for r in results) for i in range(4))


def median_of(runs, cmd, **kw):
    return medians([measure(cmd, **kw) for _ in range(runs)])


TRASH = []
# ext4 without a journal skips inodes freed in the last 60 s (longer while
# their inode table block is not yet written back) one by one, rereading
# the table for each; see `recently_deleted` in fs/ext4/ialloc.c.
SETTLE = 65
# A build counts as calm when the host took less than this share of the
# machine's CPU time (wall time × cores) while it ran.
CALM = 0.05


def aside(work, *paths):
    """Moves earlier output out of the way instead of deleting it.

    On ext4 without a journal (this machine's disk), a build right after
    deleting a large tree can be ten times slower than the same build a few
    minutes later: the inode allocator steps over every inode freed in the
    last minute. Renaming the old tree aside costs nothing; the trash is
    deleted at the start of the next run, before it settles (`clear_trash`).
    """
    def go():
        for p in paths:
            if os.path.lexists(p):
                dest = os.path.join(work, "trash", f"{os.getpid()}-{len(TRASH)}")
                os.makedirs(os.path.dirname(dest), exist_ok=True)
                os.rename(p, dest)
                TRASH.append(dest)
    return go


def page_cache_fill_rate(work):
    """MB/s at which 256 MiB of new file data goes into memory (no disk
    write: the file is deleted before writeback). A few GB/s on an ordinary
    machine; a few hundred MB/s on a virtual machine whose host backs each
    guest page when it is first touched (see the top of this file)."""
    os.makedirs(work, exist_ok=True)
    path = os.path.join(work, "fill-rate.tmp")
    block = b"\1" * (1 << 20)
    t0 = time.perf_counter()
    with open(path, "wb") as f:
        for _ in range(256):
            f.write(block)
    rate = 256 * 1.048576 / (time.perf_counter() - t0)
    os.remove(path)
    return rate


def on_tmpfs(path):
    """Whether `path` is on a RAM disk (nothing there to settle)."""
    path = os.path.realpath(path)
    best, kind = "", ""
    with open("/proc/self/mounts") as mounts:
        for line in mounts:
            _, point, fs, *_ = line.split()
            if (path == point or path.startswith(point.rstrip("/") + "/")) and len(point) > len(best):
                best, kind = point, fs
    return kind == "tmpfs"


def floor_binary():
    """Builds `examples/write_floor.rs` (see there) and returns its path,
    or None where cargo is not at hand."""
    if not shutil.which("cargo"):
        return None
    done = subprocess.run(["cargo", "build", "--quiet", "--release", "--example", "write_floor"],
                          cwd=ROOT, stdout=subprocess.DEVNULL)
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target")
    path = os.path.join(target, "release", "examples", "write_floor")
    return path if done.returncode == 0 and os.path.exists(path) else None


def write_floor(binary, runs, tree, dest, work):
    """Median (wall s, cpu s, -, stolen ms) of writing pufa's output tree
    from memory with pufa's writer: what writing alone costs on this disk."""
    results = []
    for _ in range(runs):
        aside(work, dest)()
        os.sync()
        stolen = stolen_ms()
        line = subprocess.run([binary, tree, dest], check=True, capture_output=True, text=True).stdout
        stolen = stolen_ms() - stolen
        wall, cpu = (float(x) for x in re.findall(r"(?:wall|cpu) ([0-9.]+|NaN) ms", line))
        results.append((wall / 1000, cpu / 1000, float("nan"), stolen))
    return medians(results)


# Appended to every article by --raw-html: what editors paste from other sites.
RAW_HTML = """
<p>如需帮助，请拨打 <b>12338</b>（<span style="color:#c00">妇女维权公益服务热线</span>）<sup>注</sup>。</p>

<table><tr><th>机构</th><th>电话</th></tr><tr><td>妇联</td><td>12338</td></tr><tr><td>公安</td><td>110</td></tr></table>

有疑问可以先看 <a href="/" title="首页">本站首页</a> 和 <abbr title="中华人民共和国">《民法典》</abbr>的说明。
"""


def add_raw_html(site):
    """Appends RAW_HTML to every article of the pufa corpus at `site`."""
    for folder, _, files in os.walk(os.path.join(site, "content")):
        for name in files:
            if name.endswith(".md") and name != "_index.md":
                with open(os.path.join(folder, name), "a", encoding="utf-8") as f:
                    f.write(RAW_HTML)


def clear_trash(work, settle=SETTLE):
    """Deletes what earlier runs moved aside, then waits `settle` seconds
    so that no build runs among freshly freed inodes. Deleting at the end of
    a run instead made the next run, minutes later, measure the deletion."""
    trash = os.path.join(work, "trash")
    if os.path.isdir(trash) and os.listdir(trash):
        shutil.rmtree(trash, ignore_errors=True)
        os.sync()
        if settle > 0 and not on_tmpfs(work):
            print(f"deleted earlier outputs in {trash}; waiting {settle} s for the file system to settle",
                  file=sys.stderr, flush=True)
            time.sleep(settle)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", default="/tmp/pufa-bench")
    ap.add_argument("--pufa", default=os.path.join(ROOT, "target", "release", "pufa"))
    ap.add_argument("--settle", type=int, default=SETTLE,
                    help="seconds to wait after deleting earlier runs' output (0 on a RAM disk)")
    ap.add_argument("--raw-html", action="store_true",
                    help="every article also holds raw HTML (sanitiser cost); pufa only")
    ap.add_argument("--keep-trash", action="store_true",
                    help="leave earlier runs' output where it was moved (on a slow disk deleting "
                         "it can take longer than the benchmark; delete it later yourself)")
    args = ap.parse_args()
    if not os.path.exists(args.pufa):
        sys.exit("build pufa first: cargo build --release")
    if not args.keep_trash:
        clear_trash(args.work, args.settle)
    fill_rate = page_cache_fill_rate(args.work)
    floor = floor_binary()
    rounds = []  # (articles, tool, [tool wall ÷ pufa wall, per round])
    hugo = None if args.raw_html else shutil.which("hugo")
    zola = None if args.raw_html else shutil.which("zola")
    rows = []
    for n in [int(s) for s in args.sizes.split(",")]:
        base = os.path.join(args.work, f"{n}-html" if args.raw_html else str(n))
        for fmt in ["pufa"] + (["hugo"] if hugo else []) + (["zola"] if zola else []):
            d = os.path.join(base, fmt)
            if not os.path.exists(d):
                subprocess.run([sys.executable, GEN, "--n", str(n), "--format", fmt, "--out", d],
                               check=True, stdout=subprocess.DEVNULL)
                if args.raw_html:
                    add_raw_html(d)
        site = os.path.join(base, "pufa")
        out = os.path.join(site, "public")
        spare = os.path.join(site, ".public.spare")
        pufa = [args.pufa, "build", "--root", site, "--now", NOW]
        # The tools take turns, run by run: this machine's speed drifts by a
        # fifth within minutes, and turns give every tool the same drift.
        tools = [("pufa", pufa, None, aside(args.work, out, spare))]
        if hugo:
            h = os.path.join(base, "hugo")
            version = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.split()[1]
            tools.append((f"hugo {version}", [hugo, "--quiet", "--cacheDir", os.path.join(h, ".cache")], h,
                          aside(args.work, os.path.join(h, "public"), os.path.join(h, "resources"), os.path.join(h, ".cache"))))
        if zola:
            z = os.path.join(base, "zola")
            tools.append(("zola", [zola, "build"], z, aside(args.work, os.path.join(z, "public"))))
        results = {name: [] for name, *_ in tools}
        for run in range(args.runs):
            # Each round starts with the next tool, so none always follows the same one.
            for name, cmd, cwd, before in tools[run % len(tools):] + tools[:run % len(tools)]:
                results[name].append(measure(cmd, cwd=cwd, before=before))
        tool_medians = {name: medians(runs) for name, runs in results.items()}
        rows.append((n, "pufa", tool_medians["pufa"]))
        files = sum(len(f) for _, _, f in os.walk(out))
        copy = os.path.join(base, "copy")
        r = median_of(args.runs, ["cp", "-r", out, copy], before=aside(args.work, copy))
        rows.append((n, f"cp -r ({files} files)", r))
        if floor:
            rows.append((n, "write floor (2 threads)", write_floor(floor, args.runs, out, os.path.join(base, "floor"), args.work)))
        # Rebuilds with nothing changed: the second one on updates the spare.
        measure(pufa)
        r = median_of(args.runs, pufa)
        rows.append((n, "pufa rebuild (no change)", r))
        rows.extend((n, name, m) for name, m in tool_medians.items() if name != "pufa")
        # Both builds of a round ran within seconds of each other, so their
        # ratio is less exposed to the machine's drift than a ratio of medians.
        for name, runs in results.items():
            if name == "pufa":
                continue
            pairs = list(zip(runs, results["pufa"]))
            rounds.append((n, name, [t[0] / p[0] for t, p in pairs],
                           [t[0] / p[0] for t, p in pairs if calm(t) and calm(p)]))
    print(f"clean full builds (and pufa rebuilds), median of {args.runs} runs, {os.cpu_count()} cores, in {args.work}")
    print(f"new file data goes into memory at {fill_rate:,.0f} MB/s"
          + ("  (slow: memory backed on first touch, as in a virtual machine)" if fill_rate < 1000 else ""))
    print(f"{'articles':>8}  {'tool':<26} {'wall s':>8} {'cpu s':>8} {'peak MiB':>9}  {'x pufa wall':>11}  {'ms/article':>10}  {'stolen ms':>9}")
    for n, tool, (wall, cpu, mem, stolen) in rows:
        pufa_wall = next(r[0] for m, t, r in rows if m == n and t == "pufa")
        ratio = f"{wall / pufa_wall:.1f}x" if tool != "pufa" else ""
        peak = f"{mem:.0f}" if mem == mem else "-"  # the write floor's is not its own
        print(f"{n:>8}  {tool:<26} {wall:>8.2f} {cpu:>8.2f} {peak:>9}  {ratio:>11}  {1000 * wall / n:>10.3f}  {stolen:>9.0f}")
    for n, tool, ratios, quiet in rounds:
        print(f"{n:>8}  {tool} ÷ pufa, round by round: median {statistics.median(ratios):.2f}x "
              f"(range {min(ratios):.2f}-{max(ratios):.2f}x, {len(ratios)} rounds)")
        if quiet and len(quiet) < len(ratios):
            print(f"{n:>8}  {tool} ÷ pufa, the {len(quiet)} rounds in which the host took under "
                  f"{CALM:.0%} of the CPU from both builds: median {statistics.median(quiet):.2f}x "
                  f"(range {min(quiet):.2f}-{max(quiet):.2f}x)")
    print("stolen ms: CPU time the host took from this machine during the build (median; "
          "/proc/stat steal, all cores). On a shared host it comes in bursts that slow a short "
          "build by a larger fraction than a long one.")
    if TRASH:
        print(f"(earlier outputs are in {os.path.join(args.work, 'trash')}: the next run deletes them, "
              f"or delete them yourself)", file=sys.stderr)


if __name__ == "__main__":
    main()
