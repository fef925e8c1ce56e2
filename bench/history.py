#!/usr/bin/env python3
"""Git history benchmark: the cost of reading history in a full build.

    python3 bench/history.py [--docs 10000] [--commits 2000] [--runs 5] [--work DIR]

Builds the corpus of bench/gen_corpus.py with K commits of history
(`--commits`) twice per round, in alternating order: the repository as it is
(history read: dates, revision lists, list versions and their pages), and the
same files without `.git` (a copy outside any repository, as
GIT_CEILING_DIRECTORIES makes it: front-matter dates only). The output folder
is deleted and the disk flushed before each timed build. Prints medians, the
ratio (the issue's target: at most 1.5×) and the phase timings of the median
run of each, and writes WORK/history-results.json.
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "bench"))
import build as buildbench  # noqa: E402


def run(gongshi, root, out, env):
    if os.path.exists(out):
        shutil.rmtree(out)
    os.sync()
    time.sleep(1.0)
    t0 = time.perf_counter()
    p = subprocess.run([gongshi, "build", "--root", root, "--output", out], env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        raise SystemExit(f"build of {root} failed:\n{p.stderr[-2000:]}")
    phases = {k: int(v) for k, v in re.findall(r"^  (\w[\w ]*): (\d+) ms", p.stderr, re.M)}
    files = sum(len(f) for _, _, f in os.walk(out))
    return wall, phases, files


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=10000)
    ap.add_argument("--commits", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--gongshi")
    ap.add_argument("--work", default=os.path.join(REPO, "bench", "work"))
    a = ap.parse_args()
    work = os.path.abspath(a.work)
    corpus = buildbench.ensure_corpus(work, a.docs, a.commits, a.seed)
    gongshi = buildbench.ensure_gongshi(a.gongshi)
    bare = os.path.join(work, "history-nogit", os.path.basename(corpus))
    shutil.rmtree(os.path.dirname(bare), ignore_errors=True)
    shutil.copytree(corpus, bare, ignore=shutil.ignore_patterns(".git"))
    env = dict(os.environ, GONGSHI_TIMINGS="1")
    env_bare = dict(env, GIT_CEILING_DIRECTORIES=os.path.dirname(bare))
    out = os.path.join(work, "history-out")
    tools = {"with history": (corpus, env), "without history": (bare, env_bare)}
    res = {k: [] for k in tools}
    run(gongshi, corpus, out, env)  # warm-up
    for r in range(a.runs):
        order = list(tools.items())
        if r % 2:
            order.reverse()
        for name, (root, e) in order:
            wall, phases, files = run(gongshi, root, out, e)
            res[name].append({"wall": wall, "phases": phases, "files": files})
            print(f"[history-bench] run {r + 1} {name}: {wall:.2f} s", file=sys.stderr, flush=True)
    med = {k: statistics.median(x["wall"] for x in v) for k, v in res.items()}
    ratios = [w["wall"] / n["wall"] for w, n in zip(res["with history"], res["without history"])]
    print(f"\n{a.docs} documents, {a.commits} commits, {a.runs} rounds after a warm-up, load {os.getloadavg()[0]:.2f}\n")
    print("| build | median s | min s | max s | files |")
    print("|---|---:|---:|---:|---:|")
    for k, v in res.items():
        ws = [x["wall"] for x in v]
        print(f"| {k} | {med[k]:.3f} | {min(ws):.3f} | {max(ws):.3f} | {v[0]['files']} |")
    ratio = med["with history"] / med["without history"]
    print(f"\nratio of medians {ratio:.2f}× (median of per-round ratios {statistics.median(ratios):.2f}×); "
          f"target ≤1.5×: {'met' if ratio <= 1.5 else 'NOT met'}")
    for k, v in res.items():
        mid = sorted(v, key=lambda x: x["wall"])[len(v) // 2]
        print(f"phases, median run {k}: " + ", ".join(f"{p} {ms}" for p, ms in mid["phases"].items()))
    with open(os.path.join(work, "history-results.json"), "w") as f:
        json.dump({"docs": a.docs, "commits": a.commits, "runs": res, "ratio": ratio}, f, indent=2)


if __name__ == "__main__":
    main()
