#!/usr/bin/env python3
"""Does pufa's cost per article stay flat as the site grows? Builds a
10,000-article corpus and then a 50,000-article one, in pairs, and prints
each pair's per-article cost at 50,000 divided by that at 10,000 (issue 7's
target: at most 1.2).

    python3 bench/linearity.py [--pairs 3] [--small 10000] [--large 50000]
                               [--work /tmp/pufa-bench] [--out DIR]

Corpora come from ../shared/bench/gen_corpus.py (generated once into
WORK/N/pufa, as bench/compare.py does). Each build writes into a new
folder under --out (default WORK/linearity), so no build runs right after a
large delete; the folder is moved to WORK/trash at the end, and deleted at
the start of the next run, which then waits for the disk to settle (as
bench/compare.py does). Python 3 stdlib only.
"""
import argparse, os, subprocess, sys, time

from compare import SETTLE, clear_trash

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
GEN = os.path.join(ROOT, "..", "shared", "bench", "gen_corpus.py")
NOW = "2026-11-29T12:00:00+08:00"


def corpus(work, n):
    site = os.path.join(work, str(n), "pufa")
    if not os.path.exists(site):
        subprocess.run([sys.executable, GEN, "--n", str(n), "--format", "pufa", "--out", site],
                       check=True, stdout=subprocess.DEVNULL)
    return site


def build(pufa, site, out):
    """Wall seconds, peak MiB and user CPU seconds of one clean build into
    `out`. User CPU is pufa's own code; the kernel's share (creating files,
    and on a virtual machine filling memory the host backs on first touch)
    is left out of it."""
    os.sync()
    t0 = time.perf_counter()
    p = subprocess.Popen([pufa, "build", "--root", site, "--output", out, "--now", NOW],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"pufa build failed for {site}")
    return time.perf_counter() - t0, ru.ru_maxrss / 1024, ru.ru_utime


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=3)
    ap.add_argument("--small", type=int, default=10000)
    ap.add_argument("--large", type=int, default=50000)
    ap.add_argument("--work", default="/tmp/pufa-bench")
    ap.add_argument("--out", default=None)
    ap.add_argument("--pufa", default=os.path.join(ROOT, "target", "release", "pufa"))
    ap.add_argument("--settle", type=int, default=SETTLE)
    args = ap.parse_args()
    if not os.path.exists(args.pufa):
        sys.exit("build pufa first: cargo build --release")
    clear_trash(args.work, args.settle)
    small, large = corpus(args.work, args.small), corpus(args.work, args.large)
    out = args.out or os.path.join(args.work, "linearity")
    os.makedirs(out, exist_ok=True)
    ratios, user_ratios = [], []
    for i in range(args.pairs):
        ws, ms, us = build(args.pufa, small, os.path.join(out, f"{i}-small"))
        wl, ml, ul = build(args.pufa, large, os.path.join(out, f"{i}-large"))
        per_small, per_large = ws / args.small, wl / args.large
        ratios.append(per_large / per_small)
        user_ratios.append((ul / args.large) / (us / args.small))
        print(f"pair {i + 1}: {args.small} in {ws:.2f} s ({per_small * 1000:.3f} ms/article, {ms:.0f} MiB), "
              f"{args.large} in {wl:.2f} s ({per_large * 1000:.3f} ms/article, {ml:.0f} MiB): "
              f"ratio {ratios[-1]:.2f}; user CPU {us:.2f} and {ul:.2f} s, ratio {user_ratios[-1]:.2f}",
              flush=True)
    for name, r in [("per-article cost", ratios), ("per-article user CPU (pufa's own code)", user_ratios)]:
        r.sort()
        print(f"{name}, {args.large} / {args.small}: median {r[len(r) // 2]:.2f} "
              f"(range {r[0]:.2f}-{r[-1]:.2f})")
    trash = os.path.join(args.work, "trash")
    os.makedirs(trash, exist_ok=True)
    os.rename(out, os.path.join(trash, f"linearity-{os.getpid()}"))


if __name__ == "__main__":
    main()
