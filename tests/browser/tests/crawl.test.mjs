// 1. The whole site, crawled from the home page with plain HTTP: every
// same-origin link resolves, nothing points outside /zhifa/, every asset
// loads with the right type, and nginx sends the deployment's headers.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useSite } from '../lib/harness.mjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HEADERS_SNIPPET, REPO, SECURITY_HEADERS } from '../lib/server.mjs';
import { MISSING } from '../lib/pages.mjs';

const site = useSite({ browser: false });

const LINK_ATTRS = [
  ['a', 'href'],
  ['link', 'href'],
  ['script', 'src'],
  ['img', 'src'],
  ['source', 'src'],
  ['iframe', 'src'],
  ['form', 'action'],
];

function decodeEntities(s) {
  return s
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#([0-9]+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Every URL an HTML page refers to, with the tag it came from. */
function extractLinks(html) {
  const out = [];
  for (const m of html.matchAll(/<([a-z]+)\b([^>]*)>/gi)) {
    const tag = m[1].toLowerCase();
    for (const [t, attr] of LINK_ATTRS) {
      if (t !== tag) continue;
      const a = m[2].match(new RegExp(`\\s${attr}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i'));
      if (a) out.push({ tag, value: decodeEntities(a[2] ?? a[3] ?? a[4]), canonical: /\srel\s*=\s*"?canonical\b/i.test(m[2]) });
    }
  }
  return out;
}

/** Fragment targets (id and name attributes) of a page. */
function extractIds(html) {
  const ids = new Set();
  for (const m of html.matchAll(/\s(?:id|name)\s*=\s*"([^"]*)"/g)) ids.add(decodeEntities(m[1]));
  return ids;
}

const TEXT_TYPES = /^(text\/|application\/(javascript|xml|atom\+xml)|image\/svg\+xml)/;

async function crawl(start, basePath) {
  const origin = new URL(start).origin;
  const seen = new Map(); // url without fragment -> {status, type, ids}
  const fragmentRefs = []; // {from, url, id}
  const problems = [];
  const external = new Set();
  const queue = [start];
  while (queue.length) {
    const url = queue.shift();
    if (seen.has(url)) continue;
    const res = await fetch(url, { redirect: 'manual', headers: { 'accept-encoding': 'gzip' } });
    const type = res.headers.get('content-type') || '';
    const entry = { status: res.status, type, ids: null };
    seen.set(url, entry);
    if (res.status !== 200) {
      problems.push(`${url}: HTTP ${res.status}${res.headers.get('location') ? ` → ${res.headers.get('location')}` : ''}`);
      await res.arrayBuffer();
      continue;
    }
    if (TEXT_TYPES.test(type) && !/charset=utf-8/i.test(type)) problems.push(`${url}: ${type} without charset=utf-8`);
    if (!type.startsWith('text/html')) {
      await res.arrayBuffer();
      continue;
    }
    const html = await res.text();
    entry.ids = extractIds(html);
    for (const { tag, value, canonical } of extractLinks(html)) {
      if (/^(mailto|tel):/i.test(value)) continue;
      let target;
      try {
        target = new URL(value, url);
      } catch {
        problems.push(`${url}: unparsable ${tag} URL ${value}`);
        continue;
      }
      if (target.protocol !== 'http:' && target.protocol !== 'https:') {
        problems.push(`${url}: ${tag} with ${target.protocol} URL ${value}`);
        continue;
      }
      if (target.origin !== origin) {
        if (target.protocol !== 'https:') problems.push(`${url}: external link not over https: ${value}`);
        external.add(target.origin);
        continue;
      }
      if (!target.pathname.startsWith(basePath)) {
        problems.push(`${url}: ${tag} points outside ${basePath}: ${value}`);
        continue;
      }
      // Only the canonical link is absolute: the site works behind any host name.
      if (!canonical && value.startsWith('http')) problems.push(`${url}: same-site ${tag} URL is absolute: ${value}`);
      const id = target.hash ? decodeURIComponent(target.hash.slice(1)) : '';
      target.hash = '';
      if (id && tag === 'a') fragmentRefs.push({ from: url, url: target.href, id });
      if (!seen.has(target.href)) queue.push(target.href);
    }
  }
  for (const { from, url, id } of fragmentRefs) {
    const page = seen.get(url);
    if (page?.ids && !page.ids.has(id)) problems.push(`${from}: link to ${url}#${id}, which has no such id`);
  }
  return { seen, problems, external };
}

describe('crawl', () => {
  let result;

  test('every same-origin link from the home page resolves, below /zhifa/', async () => {
    result = await crawl(site.base, '/zhifa/');
    assert.deepEqual(result.problems, []);
    const pages = [...result.seen.entries()].filter(([, e]) => e.type.startsWith('text/html'));
    // 21 documents plus sections, registries and terms: a crawl that stops
    // early would pass the check above trivially.
    assert.ok(pages.length >= 70, `crawled only ${pages.length} pages`);
    const urls = [...result.seen.keys()].map((u) => new URL(u).pathname);
    for (const p of ['/zhifa/lists/', '/zhifa/warnings/2026-hazchem-winter/', '/zhifa/agencies/scjg/', '/zhifa/search/', '/zhifa/regulation/']) {
      assert.ok(urls.includes(p), `crawl reached ${p}`);
    }
    // The only external links: the filing (备案) registers and 政府网站找错 in
    // the footer, and the feedback service site.toml names ([feedback]).
    assert.deepEqual([...result.external].sort(), [
      'https://beian.miit.gov.cn', 'https://beian.mps.gov.cn',
      'https://hudong.example.gov.cn', 'https://zfwzgl.www.gov.cn',
    ]);
  });

  test('every asset loads with its MIME type', async () => {
    const byPath = new Map([...result.seen.entries()].map(([u, e]) => [new URL(u).pathname, e]));
    const expect = {
      '/zhifa/gongshi.css': 'text/css',
      '/zhifa/print.css': 'text/css',
      '/zhifa/gongshi.js': 'application/javascript',
      '/zhifa/favicon.svg': 'image/svg+xml',
    };
    for (const [path, type] of Object.entries(expect)) {
      const e = byPath.get(path);
      assert.ok(e, `${path} is linked from the pages`);
      assert.equal(e.status, 200, path);
      assert.ok(e.type.startsWith(type), `${path} is ${e.type}, expected ${type}`);
    }
  });

  test('feeds, sitemap and robots.txt resolve, and every URL they list', async () => {
    const docs = ['atom.xml', 'lists/atom.xml', 'guidance/atom.xml', 'cases/atom.xml', 'warnings/atom.xml', 'agencies/scjg/atom.xml', 'industries/catering/atom.xml', 'sitemap.xml', 'robots.txt'];
    const listed = new Set();
    for (const d of docs) {
      const res = await fetch(site.base + d);
      assert.equal(res.status, 200, d);
      const type = res.headers.get('content-type');
      const body = await res.text();
      if (d.endsWith('atom.xml')) {
        assert.match(type, /^application\/atom\+xml/, `${d} type`);
        assert.match(body, /<feed xmlns="http:\/\/www\.w3\.org\/2005\/Atom"/);
        for (const m of body.matchAll(/<link[^>]*href="([^"]+)"/g)) listed.add(decodeEntities(m[1]));
        for (const m of body.matchAll(/<id>([^<]+)<\/id>/g)) if (m[1].startsWith('http')) listed.add(decodeEntities(m[1]));
      } else if (d === 'sitemap.xml') {
        assert.match(type, /^(application|text)\/xml/, `${d} type`);
        const locs = [...body.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => decodeEntities(m[1]));
        assert.ok(locs.length >= 70, `sitemap lists ${locs.length} URLs`);
        locs.forEach((l) => listed.add(l));
        // No orphan: every page in the sitemap is reachable by links.
        const orphans = locs.filter((l) => !result.seen.has(l));
        assert.deepEqual(orphans, [], 'sitemap pages the crawl did not reach');
      } else {
        assert.match(type, /^text\/plain/);
        const m = body.match(/^Sitemap:\s*(\S+)/m);
        assert.ok(m, 'robots.txt names the sitemap');
        listed.add(m[1]);
      }
    }
    const bad = [];
    for (const u of listed) {
      assert.ok(u.startsWith(site.base), `${u} is below the base URL ${site.base}`);
      const res = await fetch(u, { method: 'HEAD' });
      if (res.status !== 200) bad.push(`${u}: HTTP ${res.status}`);
    }
    assert.deepEqual(bad, []);
  });

  test('a missing URL gets the site 404 page with status 404', async () => {
    const res = await fetch(site.base + MISSING);
    assert.equal(res.status, 404);
    assert.match(res.headers.get('content-type'), /^text\/html; charset=utf-8/i);
    const body = await res.text();
    assert.match(body, /页面未找到|页面不存在/);
    assert.match(body, /href="\/zhifa\/"/);
    // The 404 page is served at any depth: its links and assets must not be
    // relative to where 404.html lives.
    const bad = [];
    for (const { value } of extractLinks(body)) {
      if (value.startsWith('#')) continue; // the skip link
      const u = new URL(value, site.base + MISSING);
      if (u.origin !== new URL(site.base).origin) continue;
      const r = await fetch(u, { method: 'HEAD' });
      if (r.status !== 200) bad.push(`${value} → ${u.pathname}: HTTP ${r.status}`);
    }
    assert.deepEqual(bad, []);
  });

  test('nginx sends the deployment headers, gzip and cache policy', async () => {
    const home = await fetch(site.base, { headers: { 'accept-encoding': 'gzip' } });
    await home.arrayBuffer();
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) assert.equal(home.headers.get(k), v, k);
    assert.equal(home.headers.get('cache-control'), 'public, max-age=300');
    const html = await (await fetch(site.base)).text();
    const css = html.match(/href="([^"]*gongshi\.css\?v=[0-9a-f]+)"/)[1];
    const js = html.match(/src="([^"]*gongshi\.js\?v=[0-9a-f]+)"/)[1];
    for (const asset of [css, js]) {
      const res = await fetch(new URL(asset, site.base), { headers: { 'accept-encoding': 'gzip' } });
      await res.arrayBuffer();
      assert.equal(res.status, 200, asset);
      assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable', asset);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', asset);
    }
    // fetch decompresses transparently; ask with a raw request to see the encoding.
    const { request } = await import('node:http');
    const encoding = await new Promise((ok, fail) => {
      const req = request(new URL(css, site.base), { headers: { 'accept-encoding': 'gzip' } }, (res) => {
        res.resume();
        ok(res.headers['content-encoding']);
      });
      req.on('error', fail);
      req.end();
    });
    assert.equal(encoding, 'gzip', 'stylesheet is served gzip-compressed');
    const feed = await fetch(site.base + 'atom.xml');
    await feed.arrayBuffer();
    assert.equal(feed.headers.get('content-security-policy'), SECURITY_HEADERS['content-security-policy'], 'headers on feeds too');
    assert.equal(feed.headers.get('cache-control'), 'public, max-age=300');
    const missing = await fetch(site.base + MISSING);
    await missing.arrayBuffer();
    assert.equal(missing.headers.get('content-security-policy'), SECURITY_HEADERS['content-security-policy'], 'headers on the 404 page too');
  });

  test('search index files are served from their precompressed .gz twins', async () => {
    // application/json is not in gzip_types, so a gzip encoding here can only
    // come from gzip_static serving meta.json.gz.
    const res = await fetch(site.base + 'search/meta.json', { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-encoding'), 'gzip');
    const meta = await res.json();
    assert.ok(meta && typeof meta === 'object', 'meta.json decodes');
    const plain = await fetch(site.base + 'search/meta.json', { headers: { 'accept-encoding': 'identity' } });
    assert.equal(plain.headers.get('content-encoding'), null);
  });

  test('README.md documents the same headers the tests serve', () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    assert.ok(readme.includes('## Deploying behind nginx'));
    assert.ok(readme.includes('```nginx\n' + HEADERS_SNIPPET + '```'), `README.md shows the header snippet:\n${HEADERS_SNIPPET}`);
  });
});
