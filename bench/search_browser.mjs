// The browser half of bench/search.py: each query, for each engine, in a
// fresh headless Chromium context (nothing cached), from a blank page of
// the served site. Counts the bytes on the wire (Chrome's encodedDataLength:
// compressed bodies plus headers) from the moment the engine's script is
// requested until the first ten results are there with their titles and
// excerpts, and the time that took; then repeats the query warm.
//
//   node bench/search_browser.mjs SPEC.json OUT.json
//
// SPEC: {origin, queries, engines?} (engines: which of gongshi, pagefind;
// both when absent). OUT: {chromium, gongshi: [...], pagefind: [...]},
// one entry per query: {urls, count, bytes, bytes_page, bytes_full, requests,
// cold_ms, warm_ms, files}; files: [path, bytes] of each request counted in
// bytes, to see what a cold query fetched. gongshi: bytes is the API's first results (search.js and
// the index files), bytes_page adds the page's search-ui.js, bytes_full the
// type and facet counts (facets.bin) on top; bytes_real is what the search
// page itself fetches for a cold `search/?q=…` until its results show.
import { readFileSync, writeFileSync } from 'node:fs';
import { launch } from '../tests/browser/lib/browser.mjs';

const [specPath, outPath] = process.argv.slice(2);
const spec = JSON.parse(readFileSync(specPath, 'utf8'));
const blank = `${spec.origin}bench-blank.html`;

const ENGINES = {
  // gongshi: search.js, then the API. bytes: first results (what the page
  // shows first); bytes_full: with the type and facet counts too.
  async gongshi(page, q, net) {
    const first = await page.evaluate(async (query) => {
      const t0 = performance.now();
      await new Promise((ok, fail) => {
        const s = document.createElement('script');
        s.src = '/search.js';
        s.setAttribute('data-search-index', '/search/');
        s.onload = ok;
        s.onerror = fail;
        document.head.appendChild(s);
      });
      // early: as the search page asks, the first page from the heads of
      // the postings and the blocks of the tails it needs, when they prove
      // it (the whole tails come later, for counts).
      const res = await window.gongshi.query(query, { facets: false, early: true });
      return { ms: performance.now() - t0, urls: res.results.map((r) => r.url), early: !!res.early, complete: res.complete };
    }, q);
    await net.settle();
    const bytes = net.bytes;
    first.files = net.files;
    // The search page also loads its interface, search-ui.js.
    await page.evaluate(() => fetch('/search-ui.js').then((r) => r.text()));
    await net.settle();
    const bytesPage = net.bytes;
    first.count = await page.evaluate((query) => window.gongshi.query(query).then((res) => res.count), q);
    await net.settle();
    const bytesFull = net.bytes;
    const warm = await page.evaluate(async (query) => {
      const t0 = performance.now();
      await window.gongshi.query(query, { facets: false });
      return performance.now() - t0;
    }, q);
    // With expired material shown (the 显示已失效内容 switch), for a
    // comparison with Pagefind, which knows no status.
    const urlsAll = await page.evaluate((query) => window.gongshi.query(query, { facets: false, expired: true })
      .then((res) => res.results.map((r) => r.url)), q);
    return { ...first, bytes, bytesPage, bytesFull, warm, urls_all: urlsAll };
  },
  // Pagefind: its documented API, then data() of the first ten results.
  async pagefind(page, q, net) {
    const first = await page.evaluate(async (query) => {
      const t0 = performance.now();
      const pf = await import('/pagefind/pagefind.js');
      await pf.options({ baseUrl: '/' });
      const search = await pf.search(query);
      const data = await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
      window.__pf = pf;
      return { ms: performance.now() - t0, urls: data.map((d) => d.url), count: search.results.length };
    }, q);
    await net.settle();
    const bytes = net.bytes;
    const warm = await page.evaluate(async (query) => {
      const t0 = performance.now();
      const search = await window.__pf.search(query);
      await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
      return performance.now() - t0;
    }, q);
    return { ...first, bytes, bytesPage: bytes, bytesFull: bytes, warm };
  },
};

/**
 * Bytes on the wire (encoded body plus headers) of every request of the
 * context since start(), workers included (Pagefind fetches from one).
 */
async function network(context) {
  const state = { bytes: 0, requests: 0, pending: 0, counting: false, files: [] };
  context.on('request', () => {
    if (state.counting) state.pending++;
  });
  const done = async (req, ok) => {
    if (!state.counting) return;
    if (ok) {
      const s = await req.sizes();
      state.bytes += s.responseBodySize + s.responseHeadersSize;
      state.requests++;
      state.files.push([new URL(req.url()).pathname, s.responseBodySize + s.responseHeadersSize]);
    }
    state.pending--;
  };
  context.on('requestfinished', (req) => done(req, true));
  context.on('requestfailed', (req) => done(req, false));
  return {
    get bytes() {
      return state.bytes;
    },
    get requests() {
      return state.requests;
    },
    // [path, bytes] of each request so far, in the order they finished.
    get files() {
      return state.files.slice();
    },
    start() {
      state.counting = true;
    },
    async settle() {
      for (let i = 0; i < 200 && state.pending > 0; i++) await new Promise((ok) => setTimeout(ok, 10));
    },
  };
}

const chromium = await launch();
const out = { chromium: chromium.browser.version(), gongshi: [], pagefind: [] };
try {
  for (const q of spec.queries) {
    for (const engine of spec.engines ?? Object.keys(ENGINES)) {
      const context = await chromium.browser.newContext();
      try {
        const page = await context.newPage();
        const net = await network(context);
        await page.goto(blank, { waitUntil: 'load' });
        net.start();
        const r = await ENGINES[engine](page, q, net);
        out[engine].push({
          urls: r.urls,
          count: r.count,
          ...(r.early !== undefined ? { early: r.early, complete: r.complete } : {}),
          bytes: r.bytes,
          bytes_page: r.bytesPage,
          bytes_full: r.bytesFull,
          requests: net.requests,
          cold_ms: Math.round(r.ms * 10) / 10,
          warm_ms: Math.round(r.warm * 100) / 100,
          ...(r.urls_all ? { urls_all: r.urls_all } : {}),
          ...(r.files ? { files: r.files } : {}),
        });
      } finally {
        await context.close();
      }
    }
    // The real search page, cold: search/?q=… until its results are shown;
    // its own scripts, stylesheet and index files (not the HTML or the
    // site-wide assets every page loads). The filter panel, closed, fetches
    // no facet data. "Shown" is the moment data-state turns "results" (the
    // first page from the heads) or "done", taken in the page; what arrived
    // by then is counted from the page's resource timing (transferSize:
    // body and headers as received), so the tails the page asks for next
    // are not.
    {
      const context = await chromium.browser.newContext();
      try {
        await context.addInitScript(() => {
          window.__shownAt = null;
          new MutationObserver(() => {
            const el = document.getElementById('search-results');
            if (window.__shownAt == null && el && /^(results|done)$/.test(el.getAttribute('data-state') || '')) {
              window.__shownAt = performance.now();
            }
          }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-state'] });
        });
        const page = await context.newPage();
        await page.goto(`${spec.origin}search/?q=${encodeURIComponent(q)}`, { waitUntil: 'load' });
        await page.locator('#search-results[data-state=results], #search-results[data-state=done]').first().waitFor();
        const real = await page.evaluate(() => performance.getEntriesByType('resource')
          .filter((e) => e.responseEnd <= window.__shownAt
            && /^(\/zhifa)?\/(search\.js|search-ui\.js|search\.css|search\/.+)$/.test(new URL(e.name).pathname))
          .reduce((n, e) => n + e.transferSize, 0));
        out.gongshi.at(-1).bytes_real = real;
      } finally {
        await context.close();
      }
    }
    const g = out.gongshi.at(-1);
    const p = out.pagefind.at(-1);
    const peer = p ? `; pagefind ${p.count} hits ${(p.bytes / 1024).toFixed(1)} KB ${p.cold_ms} ms` : '';
    const heads = g.early ? ' (first page early)' : '';
    process.stderr.write(`  ${q}: gongshi ${g.count} hits ${(g.bytes / 1024).toFixed(1)} KB ${g.cold_ms} ms${heads}${peer}\n`);
  }
} finally {
  await chromium.close();
}
writeFileSync(outPath, JSON.stringify(out));
