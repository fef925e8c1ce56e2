// 3. Under the deployment's Content-Security-Policy, no page logs anything,
// throws, or violates the policy: every page of the demo site and of the
// hostile fixture is opened in chromium with JavaScript on.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { eventually, visit, watchedContext } from '../lib/browser.mjs';
import { useSite } from '../lib/harness.mjs';
import { MISSING } from '../lib/pages.mjs';
import { CSP } from '../lib/server.mjs';

const site = useSite();

async function sitemapPages(base) {
  const xml = await (await fetch(base + 'sitemap.xml')).text();
  return [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1].replace(/&amp;/g, '&'));
}

async function openAll(base, expected404 = []) {
  const urls = await sitemapPages(base);
  assert.ok(urls.length > 20, `${base}sitemap.xml lists ${urls.length} pages`);
  const missing = base + MISSING;
  const w = await watchedContext(site.browser, { expected404: [missing, ...expected404] });
  try {
    const page = await w.newPage();
    for (const url of urls) {
      const res = await visit(page, url);
      assert.equal(res.headers()['content-security-policy'], CSP, `${url} is served with the CSP`);
      // The script ran (it reveals the reading-mode toggle) without tripping the policy.
      assert.equal(await page.locator('button[data-reading-mode]').isVisible(), true, `${url}: gongshi.js ran`);
    }
    await visit(page, missing, { status: 404 });
    assert.deepEqual(w.problems, [], 'no console message, page error, CSP violation or failed load');
    assert.equal(w.stats.cspEvents, 0);
    return urls.length;
  } finally {
    await w.close();
  }
}

describe('Content-Security-Policy', () => {
  test('every page of the demo site runs clean under the CSP', async () => {
    await openAll(site.base);
  });

  test('every page of the hostile fixture runs clean under the CSP', async () => {
    // The sanitizer keeps <img src=x> from `<img src=x onerror=alert(1)>`
    // and drops the handler: the image is a harmless 404.
    await openAll(site.hostile, [/\/hostile\/(.*\/)?x$/]);
  });

  test('a policy violation would be caught', async () => {
    // The watcher itself: an inline script and an inline style attribute
    // added by the test are refused and reported.
    const w = await watchedContext(site.browser);
    try {
      const page = await w.newPage();
      await visit(page, site.base);
      await page.evaluate(() => {
        const s = document.createElement('script');
        s.textContent = 'window.__ran = true';
        document.body.append(s);
        const img = document.createElement('img');
        img.src = 'https://example.com/x.png';
        document.body.append(img);
      });
      assert.equal(await page.evaluate(() => window.__ran), undefined, 'inline script did not run');
      assert.ok(await eventually(() => w.stats.cspEvents >= 2), `securitypolicyviolation events: ${w.stats.cspEvents}`);
      assert.ok(await eventually(() => w.problems.some((p) => /Content Security Policy/.test(p))), 'chromium logged the violation to the console');
    } finally {
      await w.close();
    }
  });
});
