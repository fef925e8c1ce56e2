#!/usr/bin/env python3
"""Search benchmark: gongshi's index and runtime against Pagefind (extended).

    python3 bench/search.py [--docs 10000] [--runs 3] [--peers DIR]
                            [--gongshi PATH] [--work DIR] [--seed S]
                            [--skip-browser] [--no-pagefind]

Steps:
  1. the corpus from bench/gen_corpus.py (WORK/corpus-N, shared with
     bench/build.py), made into a site folder WORK/search-site-N with the
     corpus's site.toml plus hot words, a synonyms.toml of the citizen words
     the query set uses, and content/ hard-linked;
  2. index time and peak memory, --runs rounds, order rotated: the full
     `gongshi build` (every page plus the index; its search phase, which runs
     beside the pages on the same cores, is read from GONGSHI_TIMINGS), and `pagefind --site` over the same HTML documents
     (the 10,000 document pages of that build, hard-linked into a folder of
     their own, indexed from <main>);
  3. total index bytes: gongshi's search/ (files, and their .gz twins) and
     Pagefind's bundle;
  4. in headless Chromium (bench/search_browser.mjs, playwright-core from
     tests/browser/), each query of QUERIES cold (fresh context): bytes on the
     wire until the first ten results are shown with their titles and
     excerpts (gzip where the server gives it: .gz twins, and gzip on the fly
     for HTML, JS, JSON and text like nginx's gzip on), latency, and the top
     ten URLs; then a warm repeat for latency;
  5. top-10 precision against the corpus's structure: each query names the
     phrases a result must contain (in the list item, risk point or document
     it points to; a page counts when it or one of its items/risks does);
  6. a table per query class, targets from the issue, and WORK/search-results.json;
  7. the residents' questions of tests/search-questions.json (饭店员工没有健康证
     会被罚款吗 …), cold in the same browser: bytes on the wire and how many
     first pages came early. Their answers are the demo site's pages, not
     the corpus's, so they have no P@10 here; on the corpus most have no
     result with every word (a partial result), as a resident's sentence
     often has none on a real site.

With --no-pagefind only gongshi is measured (index time, memory, cold
bytes and P@10 without a peer): for corpus sizes where Pagefind would not
fit in memory (it peaks at 3.3 GB at 10,000 documents).

Standard library only (Python); the browser part is node + playwright-core.
"""
import argparse
import datetime as dt
import gzip
import http.server
import json
import os
import re
import shutil
import socketserver
import statistics
import subprocess
import sys
import threading
import time
import tomllib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import build as buildbench  # noqa: E402  (same folder: corpus, peers, binary)

REPO = buildbench.REPO
log = buildbench.log
die = buildbench.die

# Targets from the issue.
TARGET_TIME_RATIO = 0.10   # index time ≤ 1/10 of Pagefind's
TARGET_MEM_RATIO = 0.20    # peak memory ≤ 1/5 of Pagefind's
TARGET_COLD_BYTES = 50 * 1024

# What citizens type → what the corpus says (gen_corpus.py's wording).
SYNONYMS = {
    "执照": ["营业执照"],
    "电动车": ["电动自行车"],
    "电瓶车": ["电动自行车"],
    "消防通道": ["消防车通道"],
    "危化品": ["危险化学品"],
    "健康证": ["健康证明"],
    "网店": ["电子商务经营者"],
    "工地": ["施工现场"],
    "渣土车": ["建筑垃圾运输车辆"],
    "过期食品": ["超过保质期的食品"],
    "价签": ["明码标价"],
    "超载": ["超限"],
}
HOT_WORDS = ["营业执照", "明码标价", "消防车通道", "健康证明", "危险化学品"]

# (query, class, relevance): relevance is a list of groups of phrases; a unit
# is relevant when its text has, for every group, one of the group's phrases.
# Single characters are judged on headlines (title, violation, risk point):
# someone typing one character wants what is about it.
QUERIES = [
    # single characters
    ("证", "single character", [["证"]]),
    ("罚", "single character", [["罚"]]),
    ("药", "single character", [["药"]]),
    ("油", "single character", [["油"]]),
    ("尘", "single character", [["尘"]]),
    ("车", "single character", [["车"]]),
    ("火", "single character", [["火"]]),
    # parts of words
    ("执照", "partial word", [["执照"]]),
    ("许可", "partial word", [["许可"]]),
    ("标价", "partial word", [["标价"]]),
    ("健康证", "partial word", [["健康证"]]),
    ("消防车", "partial word", [["消防车"]]),
    ("危险废", "partial word", [["危险废"]]),
    ("油气", "partial word", [["油气"]]),
    # several words
    ("餐饮 燃气", "multi-word", [["餐饮"], ["燃气"]]),
    ("食品 保质期", "multi-word", [["食品"], ["保质期"]]),
    ("安全出口 锁闭", "multi-word", [["安全出口"], ["锁闭"]]),
    ("道路运输 驾驶员", "multi-word", [["道路运输"], ["驾驶员"]]),
    ("危险化学品 混存", "multi-word", [["危险化学品"], ["混存"]]),
    ("施工 扬尘", "multi-word", [["施工"], ["扬尘"]]),
    ("处方药 执业药师", "multi-word", [["处方药"], ["执业药师"]]),
    # synonyms (synonyms.toml)
    ("电动车", "synonym", [["电动车", "电动自行车"]]),
    ("消防通道", "synonym", [["消防通道", "消防车通道"]]),
    ("危化品", "synonym", [["危化品", "危险化学品"]]),
    ("网店", "synonym", [["网店", "电子商务经营者"]]),
    ("渣土车", "synonym", [["渣土车", "建筑垃圾运输车辆"]]),
    ("过期食品", "synonym", [["过期食品", "超过保质期的食品"]]),
    ("价签", "synonym", [["价签", "明码标价"]]),
    # pinyin, full and initials
    ("yingyezhizhao", "pinyin", [["营业执照"]]),
    ("yyzz", "pinyin", [["营业执照"]]),
    ("xiaofangchetongdao", "pinyin", [["消防车通道"]]),
    ("jiankangzhengming", "pinyin", [["健康证明"]]),
    ("weixianhuaxuepin", "pinyin", [["危险化学品"]]),
    ("mingmabiaojia", "pinyin", [["明码标价"]]),
    ("wxhxp", "pinyin", [["危险化学品"]]),
    # traditional characters
    ("營業執照", "traditional", [["营业执照"]]),
    ("消防車通道", "traditional", [["消防车通道"]]),
    ("危險化學品", "traditional", [["危险化学品"]]),
    ("健康證明", "traditional", [["健康证明"]]),
    ("明碼標價", "traditional", [["明码标价"]]),
    ("電動自行車", "traditional", [["电动自行车"]]),
    ("食品經營許可證", "traditional", [["食品经营许可证"]]),
]
CLASSES = ["single character", "partial word", "multi-word", "synonym", "pinyin", "traditional"]

# Plain-language questions people type (the demo site's search test set).
with open(os.path.join(REPO, "tests", "search-questions.json"), encoding="utf-8") as _f:
    QUESTIONS = [x["q"] for x in json.load(_f)["questions"]]


# --------------------------------------------------------------------- corpus

def strip_markdown(body):
    body = re.sub(r"```.*?```", " ", body, flags=re.S)
    return re.sub(r"[#>*`\[\]()\-|]", " ", body)


def load_units(content):
    """Pages and their parts, by URL path below the base (`lists/scjg/list-00001/`)."""
    pages = {}
    for dirpath, _, files in os.walk(content):
        for f in files:
            if not f.endswith(".md") or f == "_index.md":
                continue
            path = os.path.join(dirpath, f)
            text = open(path, encoding="utf-8").read()
            _, fm, body = text.split("+++", 2)
            d = tomllib.loads(fm)
            rel = os.path.relpath(path, content)[:-3].replace(os.sep, "/")
            url = rel + "/"
            doc_text = " ".join([d.get("title", ""), d.get("summary", ""), strip_markdown(body),
                                 d.get("outcome", ""), d.get("honor", ""), d.get("audience", "")])
            parts = {}
            for it in d.get("items", []):
                parts["item-" + it["id"]] = {
                    "head": it["violation"],
                    "text": " ".join([it["violation"], it.get("conditions", ""), it.get("handling", ""),
                                      it.get("basis", ""), it.get("penalty_basis", ""), it.get("note", "")]),
                }
            for n, r in enumerate(d.get("risks", []), 1):
                parts[f"risk-{n}"] = {
                    "head": r["point"],
                    "text": " ".join([r["point"], r.get("cause", ""), r.get("measures", ""), r.get("basis", "")]
                                     + r.get("self_check", [])),
                }
            pages[url] = {"head": d.get("title", ""), "text": doc_text, "parts": parts}
    return pages


def matches(text, groups):
    return all(any(p in text for p in g) for g in groups)


def judge(pages, url_path, groups, headline_only):
    """Whether a result (a path below the base, with an optional #anchor) is relevant."""
    path, _, anchor = url_path.partition("#")
    page = pages.get(path)
    if page is None:
        return False
    key = "head" if headline_only else "text"
    if anchor:
        part = page["parts"].get(anchor)
        return part is not None and matches(part[key], groups)
    return matches(page[key], groups) or any(matches(p[key], groups) for p in page["parts"].values())


def relevant_pages(pages, groups, headline_only):
    key = "head" if headline_only else "text"
    return sum(1 for p in pages.values()
               if matches(p[key], groups) or any(matches(x[key], groups) for x in p["parts"].values()))


# ----------------------------------------------------------------------- sites

def ensure_search_site(work, corpus, docs):
    site = os.path.join(work, f"search-site-{docs}")
    if os.path.exists(site):
        shutil.rmtree(site)
    os.makedirs(site)
    with open(os.path.join(corpus, "site.toml"), encoding="utf-8") as f:
        toml = f.read()
    toml = toml.replace('theme = "default"\n',
                        'theme = "default"\n\n[search]\nhot_words = '
                        + json.dumps(HOT_WORDS, ensure_ascii=False) + "\n", 1)
    with open(os.path.join(site, "site.toml"), "w", encoding="utf-8") as f:
        f.write(toml)
    with open(os.path.join(site, "synonyms.toml"), "w", encoding="utf-8") as f:
        f.write("# bench/search.py: citizen words → the corpus's wording\n")
        for k, v in SYNONYMS.items():
            f.write(f"{json.dumps(k, ensure_ascii=False)} = {json.dumps(v, ensure_ascii=False)}\n")
    # Hard links: the same files, no copy.
    subprocess.run(["cp", "-al", os.path.join(corpus, "content"), os.path.join(site, "content")], check=True)
    return site


def pagefind_site(work, out, pages):
    """The document pages of the gongshi build, hard-linked into a folder of their own."""
    site = os.path.join(work, "pagefind-site")
    if os.path.exists(site):
        shutil.rmtree(site)
    for url in pages:
        src = os.path.join(out, url, "index.html")
        dst = os.path.join(site, url, "index.html")
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        os.link(src, dst)
    return site


def dir_bytes(root, pred=lambda p: True):
    total = 0
    files = 0
    for dirpath, _, fs in os.walk(root):
        for f in fs:
            p = os.path.join(dirpath, f)
            if pred(p):
                total += os.path.getsize(p)
                files += 1
    return total, files


# ---------------------------------------------------------------------- server

COMPRESSIBLE = (".html", ".js", ".mjs", ".json", ".css", ".txt", ".svg", ".xml")


class QuietServer(socketserver.ThreadingTCPServer):
    """A browser context closed while it still fetches (the search page
    asks for the tails after its first page) is not an error."""

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files like nginx with `gzip on` and `gzip_static on`."""

    def log_message(self, *args):
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def send_head(self):
        # The site is built for https://example.gov.cn/zhifa/: its pages ask
        # for /zhifa/…; the files are at the root of the folder served.
        if self.path.startswith("/zhifa/"):
            self.path = self.path[len("/zhifa"):]
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        if not os.path.isfile(path):
            self.send_error(404)
            return None
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        ctype = self.guess_type(path)
        if path.endswith((".mjs", ".js")):
            ctype = "application/javascript"
        if path.endswith(".wasm") or ".pagefind" in os.path.basename(path):
            ctype = "application/wasm" if path.endswith(".wasm") else "application/octet-stream"
        body = None
        encoded = False
        if accepts and os.path.isfile(path + ".gz"):
            with open(path + ".gz", "rb") as f:
                body = f.read()
            encoded = True
        else:
            with open(path, "rb") as f:
                body = f.read()
            if accepts and path.endswith(COMPRESSIBLE) and len(body) >= 256:
                body = gzip.compress(body, 6, mtime=0)
                encoded = True
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        if encoded:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        import io
        return io.BytesIO(body)


def serve(root):
    handler = lambda *a, **k: Handler(*a, directory=root, **k)  # noqa: E731
    httpd = QuietServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"


# ----------------------------------------------------------------------- main

def timed(cmd, scratch, name, env=None):
    """Wall seconds, peak KiB and stderr of one run."""
    err_path = os.path.join(scratch, name + ".stderr")
    with open(os.devnull, "wb") as out, open(err_path, "wb") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=REPO, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                env=env or os.environ)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        log(f"{name} failed ({proc.returncode}): {' '.join(cmd)}\n" + buildbench.tail(err_path))
        sys.exit(1)
    with open(err_path, encoding="utf-8", errors="replace") as f:
        return elapsed, usage.ru_maxrss, f.read()


def median(xs):
    return statistics.median(xs) if xs else None


def browser_run(out, scratch, engines):
    """The browser half (search_browser.mjs) over the served output."""
    with open(os.path.join(out, "bench-blank.html"), "w", encoding="utf-8") as f:
        f.write('<!DOCTYPE html><html lang="zh-CN"><meta charset="utf-8"><link rel="icon" href="data:,">'
                "<title>bench</title>\n")
    httpd, origin = serve(out)
    try:
        spec = json.dumps({"origin": origin, "queries": [q for q, _, _ in QUERIES] + QUESTIONS,
                           "engines": engines}, ensure_ascii=False)
        spec_path = os.path.join(scratch, "browser-spec.json")
        with open(spec_path, "w", encoding="utf-8") as f:
            f.write(spec)
        res_path = os.path.join(scratch, "browser-results.json")
        log(f"browser: {len(QUERIES)} queries and {len(QUESTIONS)} questions × {len(engines)} engine(s), "
            f"cold and warm, at {origin}")
        subprocess.run(["node", os.path.join(HERE, "search_browser.mjs"), spec_path, res_path], check=True)
        with open(res_path, encoding="utf-8") as f:
            return json.load(f)
    finally:
        httpd.shutdown()


def questions_of(browser, engines):
    """Step 7: each engine's results for the residents' questions (they come
    after the queries in its list)."""
    return {engine: [{"question": q, **g} for q, g in zip(QUESTIONS, browser[engine][len(QUERIES):])]
            for engine in engines}


def print_questions(questions):
    print(f"\n### The residents' questions (tests/search-questions.json, {len(QUESTIONS)}), cold\n")
    print("| engine | median KB | max KB | at 50 KB or more | first page early | partial results |")
    print("|---|---:|---:|---:|---:|---:|")
    for engine, got in questions.items():
        xs = [g["bytes"] for g in got]
        early = sum(1 for g in got if g.get("early"))
        partial = sum(1 for g in got if g.get("complete") is False)
        print(f"| {engine} | {statistics.median(xs) / 1024:.1f} | {max(xs) / 1024:.1f} | "
              f"{sum(1 for x in xs if x >= TARGET_COLD_BYTES)} of {len(xs)} | "
              f"{early if engine == 'gongshi' else '–'} | {partial if engine == 'gongshi' else '–'} |")


def gongshi_alone(a, work, scratch, out, pages, run_gongshi, floor):
    """--no-pagefind: gongshi's build, index and cold queries, no peer."""
    log("warm-up: gongshi build")
    run_gongshi()
    runs = [run_gongshi() for _ in range(a.runs)]
    for r, x in enumerate(runs):
        log(f"round {r + 1}: gongshi {x['s']:.2f} s (search {x['search_s']} s), peak {x['kib'] / 1024:.0f} MB")
    search_dir = os.path.join(out, "search")
    g_raw, g_files = dir_bytes(search_dir, lambda p: not p.endswith(".gz") and not p.endswith("index.html"))
    g_gz, _ = dir_bytes(search_dir, lambda p: p.endswith(".gz"))
    print(f"\n## Search: gongshi alone, {a.docs} documents, {a.runs} runs (median)\n")
    print(f"- whole build {median([x['s'] for x in runs]):.2f} s, search phase "
          f"{median([x['search_s'] for x in runs if x['search_s'] is not None]):.2f} s, "
          f"peak {median([x['kib'] for x in runs]) / 1024:.0f} MB (spawn floor {floor // 1024} MB)")
    print(f"- index: {g_raw / 1e6:.1f} MB in {g_files} files (+ {g_gz / 1e6:.1f} MB .gz)")
    results = {"docs": a.docs, "gongshi": {"runs": runs}}
    if not a.skip_browser:
        browser = browser_run(out, scratch, ["gongshi"])
        per_query = []
        for (q, cls, groups), g in zip(QUERIES, browser["gongshi"]):
            head_only = cls == "single character"
            denom = min(10, max(relevant_pages(pages, groups, head_only), 1))
            paths = [u.split("://", 1)[-1].split("/", 1)[-1] for u in g["urls"][:10]]
            p10 = sum(1 for u in paths if judge(pages, u, groups, head_only)) / denom
            per_query.append({"query": q, "class": cls, **g, "p10": p10})
        results["queries"] = per_query
        for key, what in (("bytes", "through the API"), ("bytes_page", "API + search-ui.js"),
                          ("bytes_real", "the search page itself")):
            xs = [q[key] for q in per_query]
            over = sum(1 for x in xs if x >= TARGET_COLD_BYTES)
            print(f"- cold first query, {what}: median {statistics.median(xs) / 1024:.1f} KB, "
                  f"max {max(xs) / 1024:.1f} KB; {over} of {len(xs)} at 50 KB or more "
                  f"(< 50 KB: {'met' if max(xs) < TARGET_COLD_BYTES else 'NOT met for every query'})")
        early = sum(1 for q in per_query if q.get("early"))
        print(f"- first page early, from the heads of the postings and the blocks of the tails it needs (no whole tail fetched first): {early} of {len(per_query)}")
        for cls in CLASSES:
            xs = [q["p10"] for q in per_query if q["class"] == cls]
            print(f"- P@10 {cls}: {sum(xs) / len(xs):.2f} (n={len(xs)})")
        questions = questions_of(browser, ["gongshi"])
        print_questions(questions)
        results["questions"] = questions["gongshi"]
    path = os.path.join(work, f"search-results-alone-{a.docs}.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(results, f, ensure_ascii=False, indent=1)
    print(f"\nDetails: {path}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--peers", default=buildbench.DEFAULT_PEERS)
    ap.add_argument("--gongshi")
    ap.add_argument("--work", default=os.path.join(HERE, "work"))
    ap.add_argument("--seed", type=int)
    ap.add_argument("--skip-browser", action="store_true", help="index time, memory and size only")
    ap.add_argument("--no-pagefind", action="store_true",
                    help="gongshi alone: no peer runs, no ratios (for sizes Pagefind cannot index here)")
    a = ap.parse_args()

    work = os.path.abspath(a.work)
    os.makedirs(work, exist_ok=True)
    scratch = os.path.join(work, "search-scratch")
    os.makedirs(scratch, exist_ok=True)
    corpus = buildbench.ensure_corpus(work, a.docs, 0, a.seed)
    pagefind = os.path.join(a.peers, "bin", "pagefind")
    pf_version = None
    if not a.no_pagefind:
        if not os.access(pagefind, os.X_OK):
            buildbench.ensure_peers(a.peers)
        pagefind = os.path.realpath(pagefind)
        pf_version = subprocess.run([pagefind, "--version"], capture_output=True, text=True).stdout.strip()
    gongshi = buildbench.ensure_gongshi(a.gongshi)
    site = ensure_search_site(work, corpus, a.docs)
    out = os.path.join(work, f"search-out-{a.docs}")
    pages = load_units(os.path.join(corpus, "content"))
    log(f"corpus: {len(pages)} documents, {sum(len(p['parts']) for p in pages.values())} items and risk points")

    env = dict(os.environ, GONGSHI_TIMINGS="1", SOURCE_DATE_EPOCH="1794787200")
    gongshi_cmd = [gongshi, "build", "--root", site, "--output", out]
    pf_out = os.path.join(out, "pagefind")
    floor = buildbench.spawn_floor_kib(scratch)

    def run_gongshi():
        if os.path.exists(out):
            shutil.rmtree(out)
        secs, kib, err = timed(gongshi_cmd, scratch, "gongshi", env)
        # The index is built beside the pages (sharing both cores): its
        # writer's last lap is the time from its start to its last file.
        m = re.search(r"^\s*search gzip and write: (\d+) ms", err, re.M)
        return {"s": secs, "kib": kib, "search_s": int(m.group(1)) / 1000 if m else None}

    def run_pagefind(pf_site):
        if os.path.exists(pf_out):
            shutil.rmtree(pf_out)
        cmd = [pagefind, "--site", pf_site, "--output-path", pf_out, "--root-selector", "main", "--quiet"]
        secs, kib, _ = timed(cmd, scratch, "pagefind")
        return {"s": secs, "kib": kib, "cmd": cmd}

    if a.no_pagefind:
        gongshi_alone(a, work, scratch, out, pages, run_gongshi, floor)
        return
    log("warm-up: gongshi build, pagefind")
    run_gongshi()
    pf_site = pagefind_site(work, out, pages)
    run_pagefind(pf_site)
    g_runs, p_runs = [], []
    for r in range(a.runs):
        order = ["gongshi", "pagefind"] if r % 2 == 0 else ["pagefind", "gongshi"]
        for tool in order:
            if tool == "gongshi":
                g_runs.append(run_gongshi())
                pf_site = pagefind_site(work, out, pages)
            else:
                p_runs.append(run_pagefind(pf_site))
        log(f"round {r + 1}: gongshi {g_runs[-1]['s']:.2f} s (search {g_runs[-1]['search_s']} s), "
            f"pagefind {p_runs[-1]['s']:.2f} s")
    # The last gongshi run replaced out/: index it again for the browser.
    if not os.path.isdir(pf_out):
        run_pagefind(pf_site)

    g_time = median([x["s"] for x in g_runs])
    g_search = median([x["search_s"] for x in g_runs if x["search_s"] is not None])
    g_kib = median([x["kib"] for x in g_runs])
    p_time = median([x["s"] for x in p_runs])
    p_kib = median([x["kib"] for x in p_runs])

    search_dir = os.path.join(out, "search")
    g_raw, g_files = dir_bytes(search_dir, lambda p: not p.endswith(".gz") and not p.endswith("index.html"))
    g_gz, _ = dir_bytes(search_dir, lambda p: p.endswith(".gz"))
    p_bytes, p_files = dir_bytes(pf_out)

    results = {
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "loadavg": os.getloadavg()},
        "docs": a.docs,
        "spawn_floor_kib": floor,
        "gongshi": {"cmd": gongshi_cmd, "runs": g_runs, "median_s": g_time, "median_search_s": g_search,
                    "median_peak_kib": g_kib, "index_bytes": g_raw, "index_gz_bytes": g_gz, "index_files": g_files},
        "pagefind": {"version": pf_version, "cmd": p_runs[0]["cmd"] if p_runs else None, "runs": p_runs,
                     "median_s": p_time, "median_peak_kib": p_kib, "index_bytes": p_bytes, "index_files": p_files},
    }

    per_query = []
    if not a.skip_browser:
        browser = browser_run(out, scratch, ["gongshi", "pagefind"])
        for (q, cls, groups), g, p in zip(QUERIES, browser["gongshi"], browser["pagefind"]):
            head_only = cls == "single character"
            rel_pages = relevant_pages(pages, groups, head_only)
            denom = min(10, max(rel_pages, 1))

            def prec(urls):
                paths = [u.split("://", 1)[-1].split("/", 1)[-1] for u in urls[:10]]
                return sum(1 for u in paths if judge(pages, u, groups, head_only)) / denom

            per_query.append({
                "query": q, "class": cls, "relevant_pages": rel_pages,
                "gongshi": {**g, "p10": prec(g["urls"]), "p10_all": prec(g.get("urls_all", []))},
                "pagefind": {**p, "p10": prec(p["urls"])},
            })
        results["queries"] = per_query
        results["questions"] = questions_of(browser, ["gongshi", "pagefind"])
        results["chromium"] = browser.get("chromium")

    with open(os.path.join(work, "search-results.json"), "w", encoding="utf-8") as f:
        json.dump(results, f, ensure_ascii=False, indent=1)

    # ------------------------------------------------------------ the table
    mb = lambda kib: kib / 1024  # noqa: E731
    print(f"\n## Search: gongshi vs Pagefind {pf_version}, {a.docs} documents, {a.runs} runs (median)\n")
    print("| | gongshi | Pagefind | ratio |")
    print("|---|---|---|---|")
    print(f"| index time (s) | {g_search:.2f} search phase; {g_time:.2f} whole build | {p_time:.2f} | "
          f"{g_search / p_time:.3f} (whole build {g_time / p_time:.2f}) |")
    print(f"| peak memory (MB) | {mb(g_kib):.0f} whole build | {mb(p_kib):.0f} | {g_kib / p_kib:.3f} |")
    print(f"| index size | {g_raw / 1e6:.1f} MB in {g_files} files (+ {g_gz / 1e6:.1f} MB .gz) | "
          f"{p_bytes / 1e6:.1f} MB in {p_files} files | |")
    if per_query:
        def med(engine, cls, key):
            xs = [q[engine][key] for q in per_query if cls is None or q["class"] == cls]
            xs = [x for x in xs if x is not None]
            return statistics.median(xs) if xs else float("nan")

        def mx(engine, key):
            return max(q[engine][key] for q in per_query)

        def mean(engine, cls, key):
            xs = [q[engine][key] for q in per_query if cls is None or q["class"] == cls]
            return sum(xs) / len(xs) if xs else float("nan")

        print(f"| cold first query, bytes on the wire (median; max) | {med('gongshi', None, 'bytes') / 1024:.1f} KB; "
              f"{mx('gongshi', 'bytes') / 1024:.1f} KB (API: search.js + index) | "
              f"{med('pagefind', None, 'bytes') / 1024:.1f} KB; {mx('pagefind', 'bytes') / 1024:.1f} KB | |")
        print(f"| … on the search page (median; max) | {med('gongshi', None, 'bytes_page') / 1024:.1f} KB; "
              f"{mx('gongshi', 'bytes_page') / 1024:.1f} KB (+ search-ui.js); with facet counts "
              f"{med('gongshi', None, 'bytes_full') / 1024:.1f} KB | | |")
        print(f"| … the search page itself, cold `search/?q=` (median; max) | "
              f"{med('gongshi', None, 'bytes_real') / 1024:.1f} KB; {mx('gongshi', 'bytes_real') / 1024:.1f} KB "
              f"(facet panel closed: no facet data) | | |")
        print(f"| cold query latency, Chromium (median) | {med('gongshi', None, 'cold_ms'):.0f} ms | "
              f"{med('pagefind', None, 'cold_ms'):.0f} ms | |")
        print(f"| warm query latency (median) | {med('gongshi', None, 'warm_ms'):.1f} ms | "
              f"{med('pagefind', None, 'warm_ms'):.1f} ms | |")
        print("\n| query class | n | P@10 gongshi | P@10 gongshi, expired shown | P@10 Pagefind | cold KB gongshi | cold KB Pagefind |")
        print("|---|---|---|---|---|---|---|")
        for cls in CLASSES + [None]:
            n = sum(1 for q in per_query if cls is None or q["class"] == cls)
            print(f"| {cls or 'all'} | {n} | {mean('gongshi', cls, 'p10'):.2f} | {mean('gongshi', cls, 'p10_all'):.2f} | "
                  f"{mean('pagefind', cls, 'p10'):.2f} | "
                  f"{med('gongshi', cls, 'bytes') / 1024:.1f} | {med('pagefind', cls, 'bytes') / 1024:.1f} |")
        print("\n| query | class | P@10 g | P@10 pf | hits g | hits pf | cold KB g | cold KB pf |")
        print("|---|---|---|---|---|---|---|---|")
        for q in per_query:
            g, p = q["gongshi"], q["pagefind"]
            print(f"| {q['query']} | {q['class']} | {g['p10']:.1f} | {p['p10']:.1f} | {g['count']} | {p['count']} | "
                  f"{g['bytes'] / 1024:.1f} | {p['bytes'] / 1024:.1f} |")

    if per_query:
        print_questions(results["questions"])

    print("\nTargets:")
    print(f"- index time ≤ 1/10 of Pagefind's: search phase {g_search / p_time:.3f} "
          f"({'met' if g_search / p_time <= TARGET_TIME_RATIO else 'NOT met'}); "
          f"whole build {g_time / p_time:.2f}")
    print(f"- peak memory ≤ 1/5 of Pagefind's: {g_kib / p_kib:.3f} "
          f"({'met' if g_kib / p_kib <= TARGET_MEM_RATIO else 'NOT met'}; whole build, spawn floor {floor // 1024} MB)")
    if per_query:
        for key, what in (("bytes", "through the API"), ("bytes_page", "on the search page")):
            worst = max(q["gongshi"][key] for q in per_query)
            print(f"- cold first query < 50 KB {what}: median {med('gongshi', None, key) / 1024:.1f} KB, "
                  f"max {worst / 1024:.1f} KB ({'met' if worst < TARGET_COLD_BYTES else 'NOT met for every query'})")
        for cls in CLASSES:
            g, p = mean("gongshi", cls, "p10"), mean("pagefind", cls, "p10")
            ga = mean("gongshi", cls, "p10_all")
            print(f"- P@10 {cls}: {g:.2f} vs {p:.2f} ({'≥' if g >= p else '<'}); "
                  f"expired shown {ga:.2f} ({'≥' if ga >= p else '<'})")
    print(f"\nDetails: {os.path.join(work, 'search-results.json')}")


if __name__ == "__main__":
    main()
