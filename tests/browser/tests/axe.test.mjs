// 2. axe-core (WCAG 2.0/2.1/2.2 A and AA rules): no violation on one page
// of each template, in normal and in reading mode (大字号/高对比度).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AXE_PATH, axe, eventually, formatViolations, visit, watchedContext } from '../lib/browser.mjs';
import { useSite } from '../lib/harness.mjs';
import { HOSTILE_AXE, MISSING, PAGINATED, TEMPLATES } from '../lib/pages.mjs';

const site = useSite();

async function check(url, { status = 200, readingMode = false } = {}) {
  const w = await watchedContext(site.browser, { expected404: status === 404 ? [url] : [] });
  try {
    if (readingMode) {
      await w.context.addInitScript(() => {
        if (location.protocol === 'http:') window.localStorage.setItem('gongshi-reading-mode', 'on');
      });
    }
    const page = await w.newPage();
    await visit(page, url, { status });
    if (readingMode) {
      assert.ok(await page.evaluate(() => document.documentElement.classList.contains('reading-mode')), 'reading mode is on');
    }
    const violations = await axe(page);
    assert.equal(violations.length, 0, `axe violations on ${url}${readingMode ? ' (reading mode)' : ''}:\n${formatViolations(violations)}`);
    w.assertClean();
  } finally {
    await w.close();
  }
}

describe('axe-core, WCAG 2.2 AA', () => {
  test('axe runs under the CSP via evaluate, while an injected <script> is refused', async () => {
    const w = await watchedContext(site.browser);
    try {
      const page = await w.newPage();
      await visit(page, site.base);
      // addScriptTag({path}) reads the file and inserts it as an inline
      // <script>: the policy (script-src falls back to 'self') blocks it.
      await assert.rejects(page.addScriptTag({ path: AXE_PATH }), /Content Security Policy|violates/);
      assert.equal(await page.evaluate(() => typeof window.axe), 'undefined');
      assert.ok(await eventually(() => w.stats.cspEvents >= 1), 'the browser reported a securitypolicyviolation');
      w.problems.length = 0;
      assert.deepEqual(await axe(page), []);
      // axe really runs its rules: break the page and it says so.
      await page.evaluate(() => document.documentElement.removeAttribute('lang'));
      const broken = await axe(page);
      assert.deepEqual(broken.map((v) => v.id), ['html-has-lang']);
      w.assertClean();
    } finally {
      await w.close();
    }
  });

  for (const [name, path] of Object.entries(TEMPLATES)) {
    const status = path === MISSING ? 404 : 200;
    test(name, () => check(site.base + path, { status }));
  }
  for (const [name, path] of Object.entries({ ...PAGINATED, ...HOSTILE_AXE })) {
    test(`${name} (hostile fixture)`, () => check(site.hostile + path));
  }
  test('document cases with highlighted code (hostile fixture), reading mode', () => check(site.hostile + HOSTILE_AXE['document cases with highlighted code'], { readingMode: true }));
  for (const name of ['home', 'document lists', 'document warnings (high risk)', 'industry page (一业一页)', '行政调解 (mediation)', 'dispute kind (labour)', 'search']) {
    test(`${name}, reading mode`, () => check(site.base + TEMPLATES[name], { readingMode: true }));
  }
});
