#!/usr/bin/env python3
"""Full-build benchmark: gongshi against Hugo (and optionally Zola).

    python3 bench/build.py [--docs 10000] [--runs 5] [--peers DIR]
                           [--gongshi PATH] [--zola PATH] [--pagefind] [--work DIR]
                           [--commits K] [--seed S] [--out-root DIR]

Steps:
  1. generate the corpus once into WORK/corpus-N (WORK/corpus-N-commits-K with
     --commits) with bench/gen_corpus.py; reused while its stamp and
     document count match,
  2. install the peers with bench/install-peers.sh PEERS if
     PEERS/bin/hugo is missing,
  3. build gongshi with `cargo build --release` unless --gongshi is given,
  4. one warm-up build per tool, then --runs measured rounds; every round runs
     each tool once, and the order is rotated from round to round so that
     each tool goes first in turn,
  5. print a markdown table and write WORK/build-results.json.

With --pagefind (and --zola), "zola+pagefind" is timed too: Zola's build,
then `pagefind --site` over it, as one tool. It has pages and a search
index, as gongshi's build has (gongshi's open data has no peer there); the
ratio is printed beside the targets, not as one.

Each build writes to a new, empty output folder; all of them are removed
after the last run (see RECENTLY_DELETED for why not between runs).
Outputs go below WORK unless --out-root names another folder for every
tool, such as /dev/shm to take the disk out of the comparison (this
machine's virtual disk makes file creation cost 0.1-0.4 ms and varies a
lot from run to run); results then go to build-results-<folder>.json.
Wall time is time.perf_counter() around the child; peak memory is the child's
ru_maxrss from os.wait4 (KiB on Linux), reported in MiB ("MB").
Standard library only.
"""
import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = "bench"  # relative to REPO: everything the benchmarks need is in the repository
GEN_CORPUS = os.path.join(BENCH, "gen_corpus.py")
INSTALL_PEERS = os.path.join(BENCH, "install-peers.sh")
HUGO_SITE = os.path.join(BENCH, "hugo")
# Peers are installed here unless --peers says otherwise: inside bench/work/
# (git-ignored), never committed.
DEFAULT_PEERS = os.path.join(REPO, "bench", "work", "peers")

# ext4 without a journal (this machine's disk) will not reuse an inode freed
# less than dirty_expire_centisecs (30 s) + 5 s ago, and checks every free
# inode it passes: creating files right after deleting tens of thousands
# costs seconds of kernel time (seen: 14 s of system time for one build).
# So no run deletes anything: each writes to a new folder, all are removed
# after the last run, and leftovers from an earlier invocation are removed
# first and then waited out.
RECENTLY_DELETED = 36


def on_tmpfs(path):
    try:
        with open("/proc/mounts", encoding="utf-8") as f:
            mounts = [line.split() for line in f]
    except OSError:
        return False
    path = os.path.realpath(path)
    best = max((m for m in mounts if path == m[1] or path.startswith(m[1].rstrip("/") + "/")),
               key=lambda m: len(m[1]), default=None)
    return best is not None and best[2] == "tmpfs"


# Targets of issue #14 (a 2-core machine, outputs on tmpfs), by corpus size:
# at 10,000 documents peak memory, and CPU and wall time against Zola when
# Zola is timed; at 100,000 wall time against Hugo and peak memory.
TARGETS = {
    10000: {"max_peak_mb": 300, "max_cpu_to_zola": 1.0, "max_wall_to_zola": 0.9},
    100000: {"max_peak_mb": 1200, "max_wall_to_hugo": 0.2},
}


def cpu_s(t):
    """A tool's median CPU seconds (user + system) from its results entry."""
    return t["median_user_s"] + t["median_sys_s"]


def targets_met(results):
    """Each target of this corpus size, met or not (None: its peer was not timed)."""
    limits = TARGETS.get(results["docs"], {})
    tools = results["tools"]
    g = tools["gongshi"]
    zola = tools.get("zola")
    met = {}
    for k, v in limits.items():
        if k == "max_peak_mb":
            met[k] = g["median_peak_mb"] <= v
        elif k == "max_wall_to_hugo":
            met[k] = g["ratio_to_hugo"] is not None and g["ratio_to_hugo"] <= v
        elif k == "max_cpu_to_zola":
            met[k] = None if zola is None else cpu_s(g) <= v * cpu_s(zola)
        elif k == "max_wall_to_zola":
            met[k] = None if zola is None else g["median_s"] <= v * zola["median_s"]
    return {"applies": bool(limits), "limits": limits, "met": met}


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def die(msg, code=1):
    log(f"error: {msg}")
    sys.exit(code)


def count_files(root):
    n = 0
    for _, _, files in os.walk(root):
        n += len(files)
    return n


def count_docs(content):
    n = 0
    for _, _, files in os.walk(content):
        n += sum(1 for f in files if f.endswith(".md") and f != "_index.md")
    return n


def gongshi_outputs(root):
    """gongshi's files by kind: pages, search index, open data, the rest."""
    n = {"html": 0, "search": 0, "data": 0, "other": 0}
    for d, _, files in os.walk(root):
        top = os.path.relpath(d, root).split(os.sep)[0]
        for f in files:
            if top == "search" and not f.endswith(".html"):
                n["search"] += 1
            elif f.endswith(".html"):
                n["html"] += 1
            elif f.endswith((".csv", ".xlsx")) or (f.endswith(".json") and top in ("lists", "data")):
                n["data"] += 1
            else:
                n["other"] += 1
    return n


def tail(path, lines=40):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError:
        return ""


# ---------------------------------------------------------------- preparation

def ensure_corpus(work, docs, commits, seed):
    name = f"corpus-{docs}" + (f"-commits-{commits}" if commits else "")
    corpus = os.path.join(work, name)
    stamp_path = corpus + ".stamp.json"
    stamp = {"docs": docs, "commits": commits, "seed": seed,
             "generator_mtime": os.path.getmtime(os.path.join(REPO, GEN_CORPUS))}
    content = os.path.join(corpus, "content")
    if os.path.isdir(content):
        try:
            with open(stamp_path, encoding="utf-8") as f:
                old = json.load(f)
        except (OSError, ValueError):
            old = None
        if old == stamp and count_docs(content) == docs:
            log(f"corpus: reusing {corpus}")
            return corpus
        log(f"corpus: {corpus} is stale or incomplete, regenerating")
    if os.path.exists(corpus):
        shutil.rmtree(corpus)
    if os.path.exists(stamp_path):
        os.remove(stamp_path)
    cmd = [sys.executable, GEN_CORPUS, corpus, "--docs", str(docs)]
    if commits:
        cmd += ["--commits", str(commits)]
    if seed is not None:
        cmd += ["--seed", str(seed)]
    log(f"corpus: {' '.join(cmd)}")
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=REPO, check=True, stdout=subprocess.DEVNULL)
    log(f"corpus: generated in {time.perf_counter() - t0:.1f} s")
    n = count_docs(content)
    if n != docs:
        die(f"corpus generator wrote {n} documents, expected {docs}")
    with open(stamp_path, "w", encoding="utf-8") as f:
        json.dump(stamp, f)
    return corpus


def ensure_peers(peers):
    hugo = os.path.join(peers, "bin", "hugo")
    if not os.access(hugo, os.X_OK):
        log(f"peers: installing into {peers}")
        subprocess.run(["bash", INSTALL_PEERS, peers], cwd=REPO, check=True)
    if not os.access(hugo, os.X_OK):
        die(f"{hugo} is still missing after install-peers.sh")
    # Time the ELF binary itself, never a Python wrapper script.
    real = os.path.realpath(hugo)
    with open(real, "rb") as f:
        if f.read(4) != b"\x7fELF":
            die(f"{real} is not an ELF binary (a wrapper script?)")
    version = subprocess.run([real, "version"], capture_output=True, text=True).stdout.strip()
    return real, version


def ensure_gongshi(path):
    if path:
        path = os.path.abspath(path)
        if not os.access(path, os.X_OK):
            die(f"--gongshi {path} is not executable")
        return path
    log("gongshi: cargo build --release")
    subprocess.run(["cargo", "build", "--release"], cwd=REPO, check=True)
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(REPO, "target")
    binary = os.path.join(os.path.abspath(os.path.join(REPO, target)), "release", "gongshi")
    if not os.access(binary, os.X_OK):
        die(f"cargo build succeeded but {binary} is missing")
    return binary


# Zola cannot read site.toml and has no theme for this corpus, so it gets its
# own site folder: a config.toml, minimal templates that mirror the Hugo
# peer's layouts, and a hard-linked copy of content/ with an _index.md in
# every folder (Zola renders folders without one as orphan pages, while Hugo
# makes sections of top-level folders by itself). Unknown front matter keys
# are ignored by Zola, so the documents are used as they are.
ZOLA_CONFIG = """base_url = "http://localhost/"
title = "Zola benchmark peer"
default_language = "zh"
compile_sass = false
build_search_index = false
generate_feeds = false
"""
ZOLA_TEMPLATES = {
    "base.html": """<!DOCTYPE html>
<html lang="zh-cn">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{% block title %}{{ config.title }}{% endblock %}</title>
</head>
<body>
  <header><a href="{{ get_url(path="/") }}">{{ config.title }}</a></header>
  <main>
    {%- block main %}{% endblock -%}
  </main>
</body>
</html>
""",
    "page.html": """{% extends "base.html" %}
{% block title %}{{ page.title }} | {{ config.title }}{% endblock %}
{% block main %}
<article>
  <h1>{{ page.title }}</h1>
  {%- if page.date %}
  <time datetime="{{ page.date }}">{{ page.date | date(format="%Y-%m-%d") }}</time>
  {%- endif %}
  {{ page.content | safe }}
</article>
{% endblock %}
""",
    "section.html": """{% extends "base.html" %}
{% block title %}{{ section.title }} | {{ config.title }}{% endblock %}
{% block main %}
<section>
  <h1>{{ section.title }}</h1>
  {{ section.content | safe }}
  <ul>
    {%- for p in section.pages %}
    <li><a href="{{ p.permalink }}">{{ p.title }}</a>{% if p.date %} <time>{{ p.date | date(format="%Y-%m-%d") }}</time>{% endif %}</li>
    {%- endfor %}
    {%- for s in section.subsections %}{% set sub = get_section(path=s, metadata_only=true) %}
    <li><a href="{{ sub.permalink }}">{{ sub.title }}</a></li>
    {%- endfor %}
  </ul>
</section>
{% endblock %}
""",
    "index.html": """{% extends "base.html" %}
{% block main %}
{{ section.content | safe }}
{%- for s in section.subsections %}{% set sub = get_section(path=s) %}
<section>
  <h2><a href="{{ sub.permalink }}">{{ sub.title }}</a></h2>
  <ul>
    {%- for p in sub.pages %}
    <li><a href="{{ p.permalink }}">{{ p.title }}</a>{% if p.date %} <time>{{ p.date | date(format="%Y-%m-%d") }}</time>{% endif %}</li>
    {%- endfor %}
  </ul>
</section>
{%- endfor %}
{%- if section.pages %}
<section>
  <h2>其他页面</h2>
  <ul>
    {%- for p in section.pages %}
    <li><a href="{{ p.permalink }}">{{ p.title }}</a></li>
    {%- endfor %}
  </ul>
</section>
{%- endif %}
{% endblock %}
""",
}


def ensure_zola_site(work, corpus):
    site = os.path.join(work, "zola-site-" + os.path.basename(corpus))
    stamp = os.path.join(site, ".source-stamp")
    src_stamp = corpus + ".stamp.json"
    want = open(src_stamp, encoding="utf-8").read() if os.path.exists(src_stamp) else ""
    if os.path.exists(stamp) and open(stamp, encoding="utf-8").read() == want:
        return site
    if os.path.exists(site):
        shutil.rmtree(site)
    src = os.path.join(corpus, "content")
    dst = os.path.join(site, "content")

    def link(a, b):
        try:
            os.link(a, b)
        except OSError:
            shutil.copy2(a, b)

    shutil.copytree(src, dst, copy_function=link, ignore=shutil.ignore_patterns(".git"))
    for d, _, files in os.walk(dst):
        if "_index.md" not in files:
            title = os.path.relpath(d, dst)
            title = "首页" if title == "." else title
            with open(os.path.join(d, "_index.md"), "w", encoding="utf-8") as f:
                f.write(f'+++\ntitle = "{title}"\n+++\n')
    os.makedirs(os.path.join(site, "templates"))
    with open(os.path.join(site, "config.toml"), "w", encoding="utf-8") as f:
        f.write(ZOLA_CONFIG)
    for name, text in ZOLA_TEMPLATES.items():
        with open(os.path.join(site, "templates", name), "w", encoding="utf-8") as f:
            f.write(text)
    with open(stamp, "w", encoding="utf-8") as f:
        f.write(want)
    return site


# ---------------------------------------------------------------- measurement

def run_once(tool, scratch):
    """Run one build into a fresh output folder; return (seconds, peak KiB).

    Each run writes to a folder of its own ("{out}" in the command), and
    the folders are removed only after the last run (see RECENTLY_DELETED),
    except on tmpfs, where each run removes the same tool's previous one.
    """
    n = len(tool.setdefault("outs", []))
    out_dir = f"{tool['out']}-{n}"
    # On tmpfs, where inodes are not the question, a tool's earlier output
    # goes before its next run (untimed): at 100,000 documents every tool's
    # outputs kept in memory would leave too little RAM for the builds.
    if n and on_tmpfs(os.path.dirname(out_dir)):
        shutil.rmtree(tool["outs"][-1], ignore_errors=True)
    tool["outs"].append(out_dir)
    cmd = [c.replace("{out}", out_dir) for c in tool["cmd"]]
    # Flush the previous run's writes before timing, so no tool pays for
    # another's write-back.
    os.sync()
    time.sleep(1.0)
    out_path = os.path.join(scratch, tool["name"] + ".stdout")
    err_path = os.path.join(scratch, tool["name"] + ".stderr")
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=tool.get("cwd", REPO), stdin=subprocess.DEVNULL,
                                stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code  # reaped by wait4; keep Popen from waiting again
    if code != 0:
        log(f"\n{tool['name']} failed with exit code {code}: {' '.join(cmd)}")
        log("--- stdout (tail) ---\n" + tail(out_path))
        log("--- stderr (tail) ---\n" + tail(err_path))
        sys.exit(1)
    tool.setdefault("cpu", []).append((usage.ru_utime, usage.ru_stime))
    return elapsed, usage.ru_maxrss  # KiB on Linux


def clear_outputs(out_root):
    """Removes earlier runs' output folders; True when there were any."""
    removed = False
    for name in sorted(os.listdir(out_root)):
        if name.startswith(("out-gongshi", "hugo-out", "zola-out")):
            path = os.path.join(out_root, name)
            if os.path.isdir(path):
                shutil.rmtree(path)
                removed = True
    return removed


def spawn_floor_kib(scratch):
    """ru_maxrss of a child that does nothing.

    Linux carries the pre-exec address space's high-water mark into the
    child's ru_maxrss, and Popen forks (or vforks) from this Python process,
    so no child reports less than roughly this process's RSS. Peaks near
    this floor say "small", not an exact figure.
    """
    true = shutil.which("true") or "/bin/true"
    _, kib = run_once({"name": "floor", "cmd": [true], "out": os.path.join(scratch, "floor-out")}, scratch)
    return kib


def fmt_ratio(x):
    return "—" if x is None else f"{x:.2f}×"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=10000, help="documents in the corpus (default 10000)")
    ap.add_argument("--runs", type=int, default=5, help="measured runs per tool (default 5)")
    ap.add_argument("--peers", default=DEFAULT_PEERS, help="where Hugo/Pagefind live (default bench/work/peers, installed there when missing)")
    ap.add_argument("--gongshi", help="gongshi binary to time (default: cargo build --release)")
    ap.add_argument("--zola", help="zola binary; Zola is timed only when given")
    ap.add_argument("--pagefind", action="store_true",
                    help="with --zola, also time Zola then `pagefind --site` over its output as one tool "
                         "(pages and a search index, as gongshi's build has; PEERS/bin/pagefind)")
    ap.add_argument("--work", default=os.path.join(REPO, "bench", "work"),
                    help="scratch folder for corpora and outputs (default bench/work, git-ignored)")
    ap.add_argument("--commits", type=int, default=0, help="passed to gen_corpus.py --commits")
    ap.add_argument("--seed", type=int, help="passed to gen_corpus.py --seed")
    ap.add_argument("--out-root", help="where every tool writes its output (default: WORK)")
    a = ap.parse_args()
    if a.docs < 1 or a.runs < 1:
        die("--docs and --runs must be at least 1")

    work = os.path.abspath(a.work)
    peers = os.path.abspath(a.peers)
    os.makedirs(work, exist_ok=True)

    out_root = os.path.abspath(a.out_root) if a.out_root else work
    os.makedirs(out_root, exist_ok=True)
    corpus = ensure_corpus(work, a.docs, a.commits, a.seed)
    content = os.path.join(corpus, "content")
    hugo, hugo_version = ensure_peers(peers)
    gongshi = ensure_gongshi(a.gongshi)

    tools = [
        {"name": "gongshi", "bin": gongshi, "out": os.path.join(out_root, "out-gongshi"),
         "cmd": [gongshi, "build", "--root", corpus, "--output", "{out}"]},
        {"name": "hugo", "bin": hugo, "out": os.path.join(out_root, "hugo-out"), "version": hugo_version,
         "cmd": [hugo, "build", "-s", HUGO_SITE, "-c", content, "-d", "{out}",
                 "--noBuildLock", "--quiet"]},
    ]
    if a.zola:
        zola = os.path.abspath(a.zola)
        if not os.access(zola, os.X_OK):
            die(f"--zola {zola} is not executable")
        site = ensure_zola_site(work, corpus)
        zv = subprocess.run([zola, "--version"], capture_output=True, text=True).stdout.strip()
        tools.append({"name": "zola", "bin": zola, "out": os.path.join(out_root, "zola-out"), "version": zv,
                      "cmd": [zola, "--root", site, "build", "--output-dir", "{out}",
                              "--force"]})
        if a.pagefind:
            pagefind = os.path.realpath(os.path.join(peers, "bin", "pagefind"))
            if not os.access(pagefind, os.X_OK):
                die(f"{pagefind} is missing (bench/install-peers.sh installs it)")
            pv = subprocess.run([pagefind, "--version"], capture_output=True, text=True).stdout.strip()
            # One child, so that its CPU time and peak memory are the two
            # steps' (ru_maxrss of the children is the larger of the two).
            script = f'"{zola}" --root "{site}" build --output-dir "$1" --force && "{pagefind}" --site "$1" --silent'
            tools.append({"name": "zola+pagefind", "bin": zola, "out": os.path.join(out_root, "zola-pf-out"),
                          "version": pv, "cmd": ["sh", "-c", script, "sh", "{out}"]})
    elif a.pagefind:
        die("--pagefind needs --zola")

    for t in tools:
        t["times"], t["peaks"] = [], []
    if clear_outputs(out_root) and not on_tmpfs(out_root):
        log(f"removed earlier outputs; waiting {RECENTLY_DELETED} s (see RECENTLY_DELETED)")
        os.sync()
        time.sleep(RECENTLY_DELETED)

    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-logs-", dir=work) as scratch:
        floor_kib = spawn_floor_kib(scratch)
        log(f"warm-up: {', '.join(t['name'] for t in tools)}")
        for t in tools:
            run_once(t, scratch)
        for r in range(a.runs):
            k = r % len(tools)
            order = tools[k:] + tools[:k]
            for t in order:
                s, kib = run_once(t, scratch)
                t["times"].append(s)
                t["peaks"].append(kib)
                log(f"run {r + 1}/{a.runs} {t['name']:8s} {s:7.3f} s {kib / 1024:8.1f} MB")

    load_after = os.getloadavg()
    hugo_median = statistics.median(tools[1]["times"])
    results = {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
                    "loadavg_before": load_before, "loadavg_after": load_after},
        "spawn_floor_kib": floor_kib,
        "corpus": corpus, "docs": count_docs(content), "commits": a.commits, "seed": a.seed,
        "runs": a.runs, "warmup_runs": 1, "out_root": out_root, "tools": {},
    }
    rows = []
    for t in tools:
        med = statistics.median(t["times"])
        peak_mb = statistics.median(t["peaks"]) / 1024
        ratio = med / hugo_median if hugo_median > 0 else None
        files = count_files(t["outs"][-1])
        results["tools"][t["name"]] = {
            "cmd": t["cmd"], "version": t.get("version"),
            "times_s": [round(x, 4) for x in t["times"]], "peak_rss_kib": t["peaks"],
            "median_s": round(med, 4), "min_s": round(min(t["times"]), 4), "max_s": round(max(t["times"]), 4),
            "median_peak_mb": round(peak_mb, 1), "ratio_to_hugo": None if ratio is None else round(ratio, 3),
            # Measured runs only (the warm-up is the first entry).
            "median_user_s": round(statistics.median(u for u, _ in t["cpu"][1:]), 3),
            "median_sys_s": round(statistics.median(x for _, x in t["cpu"][1:]), 3),
            "files": files,
        }
        rows.append((t["name"], med, min(t["times"]), max(t["times"]), peak_mb, ratio, files,
                     results["tools"][t["name"]]["median_user_s"], results["tools"][t["name"]]["median_sys_s"]))

    g = results["tools"]["gongshi"]
    g["outputs"] = gongshi_outputs(tools[0]["outs"][-1])
    clear_outputs(out_root)
    results["targets"] = targets_met(results)

    print(f"\nFull build, {results['docs']} documents"
          + (f" ({a.commits} commits)" if a.commits else "")
          + f", {a.runs} runs after 1 warm-up, {os.cpu_count()} CPUs\n")
    print("| tool | median s | min s | max s | median peak MB | ratio to Hugo | files | user s | system s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, med, lo, hi, mb, ratio, files, user, sys_s in rows:
        print(f"| {name} | {med:.3f} | {lo:.3f} | {hi:.3f} | {mb:.1f} | {fmt_ratio(ratio)} | {files} "
              f"| {user:.2f} | {sys_s:.2f} |")
    o = g["outputs"]
    print(f"\ngongshi's files: {o['html']} HTML pages, {o['search']} search index files (with .gz twins), "
          f"{o['data']} open-data files (JSON, CSV, XLSX), {o['other']} others.")
    print(f"Outputs written below {out_root}.")
    print(f"\nPeak memory is the child's ru_maxrss; a no-op child reads {floor_kib / 1024:.1f} MB here (floor).")
    if max(load_before[0], load_after[0]) > 0.5:
        print(f"Load average before/after: {load_before[0]:.2f}/{load_after[0]:.2f}; "
              "other work on the machine skews these numbers.")
    print(f"\n{hugo_version}")
    for t in tools[2:]:
        print(t.get("version", ""))
    t = results["targets"]
    if not t["applies"]:
        print(f"\nTargets are set for {' and '.join(str(n) for n in TARGETS)} documents.")
    else:
        mark = {True: "met", False: "NOT met", None: "not measured (no Zola)"}
        print("\nTargets: " + ", ".join(f"{k} {v} {mark[t['met'][k]]}" for k, v in t["limits"].items()))
    zp = results["tools"].get("zola+pagefind")
    if zp:
        print(f"Against Zola + Pagefind (pages and a search index; no open data): wall "
              f"{g['median_s'] / zp['median_s']:.2f}×, CPU {cpu_s(g) / cpu_s(zp):.2f}× (not a target).")
    if g["files"] < results["docs"]:
        print(f"gongshi wrote {g['files']} files for {results['docs']} documents, so this was no full build")

    tag = "" if out_root == work else "-" + "".join(c if c.isalnum() else "-" for c in out_root).strip("-")
    path = os.path.join(work, f"build-results{tag}.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(results, f, ensure_ascii=False, indent=2)
        f.write("\n")
    print(f"\nwrote {path}")


if __name__ == "__main__":
    main()
