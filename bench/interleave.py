#!/usr/bin/env python3
"""Clean builds of compare.py's corpus by two pufa binaries in turn, seconds
apart, so that they share the machine's drift: a before/after check of the
build with less noise than two compare.py runs minutes apart.

    python3 bench/interleave.py BEFORE AFTER [--rounds 8] [--articles 10000] [--work /tmp/pufa-bench]

Each build writes into a fresh folder (the previous one is moved aside, as
in compare.py). Prints the medians of wall, user and system time and peak
memory, and AFTER ÷ BEFORE pair by pair. Run compare.py once first, for the
corpus. Python 3 stdlib only.
"""
import argparse, os, statistics, subprocess, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("before")
    ap.add_argument("after")
    ap.add_argument("--rounds", type=int, default=8)
    ap.add_argument("--articles", type=int, default=10000)
    ap.add_argument("--work", default="/tmp/pufa-bench")
    args = ap.parse_args()
    site = os.path.join(args.work, str(args.articles), "pufa")
    if not os.path.isdir(site):
        sys.exit(f"no corpus at {site}: run compare.py --sizes {args.articles} first")
    out = os.path.join(args.work, "interleave-out")
    res = {args.before: [], args.after: []}
    for r in range(args.rounds):
        pair = [args.before, args.after] if r % 2 == 0 else [args.after, args.before]
        for binary in pair:
            compare.aside(args.work, out)()
            os.sync()
            t0 = time.perf_counter()
            p = subprocess.Popen([binary, "build", "--root", site, "--now", compare.NOW, "--output", out],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _, status, ru = os.wait4(p.pid, 0)
            if os.waitstatus_to_exitcode(status) != 0:
                sys.exit(f"{binary} build failed")
            res[binary].append((time.perf_counter() - t0, ru.ru_utime, ru.ru_stime, ru.ru_maxrss / 1024))
    print(f"{args.articles} articles, clean builds in turn, {args.rounds} rounds, "
          f"load {os.getloadavg()[0]:.2f} at the end")
    for name, binary in [("before", args.before), ("after", args.after)]:
        rs = res[binary]
        wall, user, sys_, peak = (statistics.median(x[i] for x in rs) for i in range(4))
        print(f"{name:<6} wall {wall:.2f} s  user {user:.2f} s  sys {sys_:.2f} s  peak {peak:.0f} MiB  "
              f"({binary}; walls {' '.join(f'{x[0]:.2f}' for x in rs)})")
    ratios = [statistics.median(y[i] / x[i] for x, y in zip(res[args.before], res[args.after])) for i in range(3)]
    print("after ÷ before, pair by pair (median): wall {:.3f}, user {:.3f}, sys {:.3f}".format(*ratios))
    print(f"(earlier outputs are in {os.path.join(args.work, 'trash')}: compare.py's next run deletes them)",
          file=sys.stderr)


if __name__ == "__main__":
    main()
