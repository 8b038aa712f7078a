#!/usr/bin/env python3
"""Measures `pufa serve`: from saving one article to the reload event, and to
the rebuilt page being served, on a generated corpus.

    python3 bench/serve_latency.py --n 1000 [--edits 10] [--images K] [--pufa target/release/pufa]

Generates the corpus with ../shared/bench/gen_corpus.py (the shared generator,
so figures compare with other tools), starts `pufa serve --port 0`, listens on
the live-reload stream, edits one article N times and prints each latency and
the median. `--images K` first puts an image beside every K-th article and
shows it in the article (sites whose articles each have a picture). Python 3
stdlib only.
"""
import argparse, os, re, shutil, socket, statistics, subprocess, sys, tempfile, threading, time

HERE = os.path.dirname(os.path.abspath(__file__))
GEN = os.path.join(HERE, "..", "..", "shared", "bench", "gen_corpus.py")


def http_get(port, path):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
    data = b""
    while chunk := s.recv(65536):
        data += chunk
    s.close()
    return data.decode("utf-8", "replace")


def add_images(site, every):
    """Copies one of the corpus's pictures beside every `every`-th article,
    as `aNNNNN.png`, and shows it at the end of that article."""
    img = os.path.join(site, "static", "img")
    picture = os.path.join(img, sorted(os.listdir(img))[0])
    posts = os.path.join(site, "content", "posts")
    for name in sorted(os.listdir(posts))[::every]:
        stem, ext = os.path.splitext(name)
        if ext != ".md":
            continue
        shutil.copy(picture, os.path.join(posts, stem + ".png"))
        with open(os.path.join(posts, name), "a", encoding="utf-8") as f:
            f.write(f"\n![示意图]({stem}.png)\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--edits", type=int, default=10)
    ap.add_argument("--pufa", default=os.path.join(HERE, "..", "target", "release", "pufa"))
    ap.add_argument("--gen", default=GEN)
    ap.add_argument("--images", type=int, default=0, metavar="K",
                    help="an image beside every K-th article (0: none)")
    args = ap.parse_args()
    site = tempfile.mkdtemp(prefix=f"pufa-serve-{args.n}-")
    try:
        subprocess.run([sys.executable, args.gen, "--n", str(args.n), "--format", "pufa", "--out", site],
                       check=True, stdout=subprocess.DEVNULL)
        if args.images:
            add_images(site, args.images)
    except BaseException:
        shutil.rmtree(site, ignore_errors=True)
        raise
    proc = subprocess.Popen([args.pufa, "serve", "--port", "0", "--root", site,
                             "--now", "2026-11-29T12:00:00+08:00"], stderr=subprocess.PIPE, text=True)
    try:
        port = None
        for line in proc.stderr:
            m = re.match(r"serving http://127\.0\.0\.1:(\d+)/", line)
            if m:
                port = int(m.group(1))
                break
        threading.Thread(target=lambda: [None for _ in proc.stderr], daemon=True).start()
        ev = socket.create_connection(("127.0.0.1", port), timeout=20)
        ev.sendall(f"GET /__pufa/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        buf = ev.makefile("r", encoding="utf-8")

        def next_generation():
            for line in buf:
                if line.startswith("data: "):
                    return int(line[6:])

        next_generation()  # the current generation, sent on connect
        article = os.path.join(site, "content", "posts", "a00001.md")
        original = open(article, encoding="utf-8").read()
        to_event, to_page, extra = [], [], 0
        for i in range(args.edits):
            marker = f"编辑标记{i}号"
            t0 = time.perf_counter()
            with open(article, "w", encoding="utf-8") as f:
                f.write(original.replace("\n---\n", f"\n---\n\n{marker}\n", 1))
            # Saving in place is two changes (the file emptied, then written);
            # when the system pauses this process between them, the preview
            # builds the empty file first and then the saved one. What counts
            # is the reload that shows the edit.
            while True:
                next_generation()
                t1 = time.perf_counter()
                body = http_get(port, "/posts/a00001/")
                t2 = time.perf_counter()
                if marker in body:
                    break
                extra += 1
                assert t2 - t0 < 10, "the edit reaches the served page"
            to_event.append((t1 - t0) * 1000)
            to_page.append((t2 - t0) * 1000)
            time.sleep(0.3)
        images = f", an image beside 1 article in {args.images}" if args.images else ""
        print(f"articles: {args.n}{images}, edits: {args.edits}")
        print("save -> reload event, ms: " + " ".join(f"{x:.0f}" for x in to_event))
        print("save -> page served, ms:  " + " ".join(f"{x:.0f}" for x in to_page))
        print(f"median: reload event {statistics.median(to_event):.0f} ms, page served {statistics.median(to_page):.0f} ms")
        if extra:
            print(f"({extra} reload(s) came before the one with the edit: the file was read between emptying and writing)")
    finally:
        proc.terminate()
        proc.wait()
        shutil.rmtree(site, ignore_errors=True)


if __name__ == "__main__":
    main()
