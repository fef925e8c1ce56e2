#!/usr/bin/env python3
"""Live preview benchmark: save-to-served latency of `gongshi serve` vs `hugo server`.

    python3 bench/serve.py [--docs 10000] [--edits 20] [--peers DIR] [--work DIR]

For each server, on its own copy of the same corpus (bench/gen_corpus.py):
  1. start it, wait until the document page answers;
  2. content edit: append a unique marker paragraph to one document, then poll
     its page over HTTP (every 2 ms, from outside the server) until the marker
     is served; N times, one edit every second;
  3. template edit: the same with a marker comment in the template that renders
     that page (gongshi: a site override of `guidance.html`; Hugo:
     `layouts/_default/single.html` of the peer site);
  4. memory: the server's resident set after the edits and its peak (VmHWM).
Prints medians and maxima, the ratio to Hugo, and writes WORK/serve-results.json.
Hugo comes from bench/install-peers.sh (see bench/build.py).
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "bench"))
import build as buildbench  # noqa: E402  (corpus and peer helpers)

HUGO_SITE = buildbench.HUGO_SITE


def first_doc(content):
    """The first guidance document of the corpus (`guidance/guidance-00000`)."""
    names = sorted(n for n in os.listdir(os.path.join(content, "guidance"))
                   if n.endswith(".md") and not n.startswith("_"))
    return "guidance/" + names[0][:-3]


def log(msg):
    print(f"[serve-bench] {msg}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8", "replace")
    except Exception:
        return None


def wait_for(url, needle, timeout):
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        body = fetch(url)
        if body is not None and needle in body:
            return (time.perf_counter() - t0) * 1000
        time.sleep(0.002)
    return None


def rss_mb(pid):
    cur = peak = 0
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    cur = int(line.split()[1]) / 1024
                elif line.startswith("VmHWM:"):
                    peak = int(line.split()[1]) / 1024
    except OSError:
        pass
    return cur, peak


def edit_loop(path, url, edits, make):
    """Writes `make(text, marker)` to `path` `edits` times; returns latencies (ms)."""
    out = []
    original = open(path, encoding="utf-8").read()
    for k in range(edits):
        marker = f"LIVEBENCH{k}X{int(time.time() * 1000)}"
        with open(path, "w", encoding="utf-8") as f:
            f.write(make(original, marker))
        ms = wait_for(url, marker, 30)
        if ms is None:
            log(f"  edit {k}: marker never served")
        else:
            out.append(ms)
        time.sleep(1.0)
    with open(path, "w", encoding="utf-8") as f:
        f.write(original)
    return out


def append_marker(text, marker):
    return text.rstrip("\n") + f"\n\n{marker}\n"


# A visible paragraph (Go templates drop HTML comments), at the end of the
# template's main block.
def comment_marker(text, marker):
    i = text.rfind("{% endblock")
    if i < 0:
        return text + f"\n<p>{marker}</p>\n"
    return text[:i] + f"<p>{marker}</p>\n" + text[i:]


def hugo_comment_marker(text, marker):
    i = text.rfind("{{ end }}")
    if i < 0:
        return text + f"\n<p>{marker}</p>\n"
    return text[:i] + f"<p>{marker}</p>\n" + text[i:]


def run_server(name, cmd, cwd, url, content_file, template_file, template_make, edits):
    log(f"{name}: starting {' '.join(cmd[:3])} …")
    t0 = time.perf_counter()
    logf = open(os.path.join(os.path.dirname(cwd.rstrip("/")), f"serve-{name}.log"), "w")
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=logf, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        ready = wait_for(url, "</html>", 600)
        if ready is None:
            raise SystemExit(f"{name} never served {url}")
        startup = time.perf_counter() - t0
        log(f"{name}: serving after {startup:.1f} s; settling")
        time.sleep(8)  # let background work (gongshi's search index) finish
        content = edit_loop(content_file, url, edits, append_marker)
        log(f"{name}: content edits median {statistics.median(content):.1f} ms")
        time.sleep(3)
        template = edit_loop(template_file, url, edits, template_make)
        log(f"{name}: template edits median {statistics.median(template):.1f} ms")
        cur, peak = rss_mb(proc.pid)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
    return {
        "startup_s": round(startup, 2),
        "content_ms": content,
        "template_ms": template,
        "rss_mb": round(cur, 1),
        "peak_rss_mb": round(peak, 1),
    }


def summary(ms):
    return {"median": round(statistics.median(ms), 1), "max": round(max(ms), 1), "n": len(ms)}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=10000)
    ap.add_argument("--edits", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--peers", default=buildbench.DEFAULT_PEERS)
    ap.add_argument("--gongshi", help="gongshi binary (default: cargo build --release)")
    ap.add_argument("--work", default=os.path.join(REPO, "bench", "work"))
    a = ap.parse_args()
    work = os.path.abspath(a.work)
    os.makedirs(work, exist_ok=True)
    corpus = buildbench.ensure_corpus(work, a.docs, 0, a.seed)
    hugo, hugo_version = buildbench.ensure_peers(os.path.abspath(a.peers))
    gongshi = buildbench.ensure_gongshi(a.gongshi)
    DOC = first_doc(os.path.join(corpus, "content"))

    results = {"docs": a.docs, "edits": a.edits, "load_before": os.getloadavg()}

    # gongshi, on its own copy of the corpus, with an overridable template.
    g_root = os.path.join(work, f"serve-gongshi-{a.docs}")
    shutil.rmtree(g_root, ignore_errors=True)
    shutil.copytree(corpus, g_root, ignore=shutil.ignore_patterns(".git"))
    tdir = os.path.join(g_root, "templates")
    os.makedirs(tdir, exist_ok=True)
    shutil.copy(os.path.join(REPO, "themes", "default", "templates", "guidance.html"), tdir)
    port = free_port()
    results["gongshi"] = run_server(
        "gongshi", [gongshi, "serve", "--root", g_root, "--port", str(port)], g_root,
        f"http://127.0.0.1:{port}/{DOC}/", os.path.join(g_root, "content", DOC + ".md"),
        os.path.join(tdir, "guidance.html"), comment_marker, a.edits)

    # Hugo, on its own copy of the corpus and of the peer site.
    h_site = os.path.join(work, "serve-hugo-site")
    h_content = os.path.join(work, f"serve-hugo-content-{a.docs}")
    shutil.rmtree(h_site, ignore_errors=True)
    shutil.rmtree(h_content, ignore_errors=True)
    shutil.copytree(HUGO_SITE, h_site)
    shutil.copytree(os.path.join(corpus, "content"), h_content)
    port = free_port()
    results["hugo"] = run_server(
        "hugo", [hugo, "server", "-s", h_site, "-c", h_content, "--port", str(port),
                 "--bind", "127.0.0.1", "--disableLiveReload", "--noBuildLock", "--quiet"],
        h_site, f"http://127.0.0.1:{port}/{DOC}/", os.path.join(h_content, DOC + ".md"),
        os.path.join(h_site, "layouts", "_default", "single.html"), hugo_comment_marker, a.edits)
    results["hugo"]["version"] = hugo_version

    g, h = results["gongshi"], results["hugo"]
    rows = [
        ("content edit → served, median (ms)", summary(g["content_ms"])["median"], summary(h["content_ms"])["median"]),
        ("content edit → served, max (ms)", summary(g["content_ms"])["max"], summary(h["content_ms"])["max"]),
        ("template edit → served, median (ms)", summary(g["template_ms"])["median"], summary(h["template_ms"])["median"]),
        ("template edit → served, max (ms)", summary(g["template_ms"])["max"], summary(h["template_ms"])["max"]),
        ("resident memory after edits (MB)", g["rss_mb"], h["rss_mb"]),
        ("peak resident memory (MB)", g["peak_rss_mb"], h["peak_rss_mb"]),
        ("startup to first page (s)", g["startup_s"], h["startup_s"]),
    ]
    print(f"\n{a.docs} documents, {a.edits} edits each, load before {results['load_before'][0]:.2f}")
    print(f"{'':40} {'gongshi':>10} {'hugo':>10} {'ratio':>8}")
    for label, gv, hv in rows:
        ratio = f"{gv / hv:.3f}" if hv else "-"
        print(f"{label:40} {gv:>10} {hv:>10} {ratio:>8}")
    results["load_after"] = os.getloadavg()
    with open(os.path.join(work, "serve-results.json"), "w") as f:
        json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
