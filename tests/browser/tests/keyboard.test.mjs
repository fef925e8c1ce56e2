// 4. Elderly-friendly and keyboard use: skip link, visible focus, no
// sideways scrolling when zoomed or on a phone, the reading mode, and
// statuses and risk levels in words.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { visit, watchedContext } from '../lib/browser.mjs';
import { useSite } from '../lib/harness.mjs';
import { focusFacts, horizontalOverflow, squeezedText } from '../lib/inpage.mjs';
import { MISSING, PAGINATED, TEMPLATES } from '../lib/pages.mjs';

const site = useSite();
const KEY = 'gongshi-reading-mode';
const MAX_TAB_STOPS = 45;

const allPages = () => [
  ...Object.entries(TEMPLATES).map(([name, p]) => ({ name, url: site.base + p, status: p === MISSING ? 404 : 200 })),
  ...Object.entries(PAGINATED).map(([name, p]) => ({ name, url: site.hostile + p, status: 200 })),
];
const expected404 = () => [site.base + MISSING];

async function withContext(options, fn) {
  const w = await watchedContext(site.browser, { expected404: expected404(), ...options });
  try {
    await fn(w);
    w.assertClean();
  } finally {
    await w.close();
  }
}

describe('keyboard and elderly-friendly use', () => {
  test('the skip link is the first Tab stop, shows itself, and moves focus to main', async () => {
    await withContext({}, async (w) => {
      const page = await w.newPage();
      for (const { url, status } of allPages()) {
        await visit(page, url, { status });
        await page.keyboard.press('Tab');
        const first = await page.evaluate(focusFacts);
        assert.ok(first, `${url}: Tab focuses something`);
        assert.match(first.element, /^a\.skip-link “跳到主要内容”/, `${url}: first Tab stop`);
        assert.ok(first.inViewport, `${url}: the focused skip link is on screen`);
        await page.keyboard.press('Enter');
        const active = await page.evaluate(() => ({ id: document.activeElement.id, tag: document.activeElement.tagName, hash: location.hash }));
        assert.deepEqual(active, { id: 'main', tag: 'MAIN', hash: '#main' }, `${url}: Enter on the skip link focuses <main>`);
        // The next Tab continues inside main, not back at the header.
        await page.keyboard.press('Tab');
        const inMain = await page.evaluate(() => document.querySelector('main').contains(document.activeElement));
        assert.ok(inMain, `${url}: the Tab after the skip link lands inside main`);
      }
    });
  });

  async function checkFocus(pages, { readingMode = false, breakIt = false } = {}) {
    const failures = [];
    let checked = 0;
    await withContext({}, async (w) => {
      if (readingMode) {
        await w.context.addInitScript((key) => {
          if (location.protocol === 'http:') localStorage.setItem(key, 'on');
        }, KEY);
      }
      const page = await w.newPage();
      for (const { url, status } of pages) {
        await visit(page, url, { status });
        if (breakIt) {
          await page.evaluate(() => document.styleSheets[0].insertRule('*:focus-visible { outline: none !important; box-shadow: none !important; background: inherit !important; color: inherit !important; }'));
        }
        const seen = new Set();
        let previous = null;
        for (let i = 0; i < MAX_TAB_STOPS; i++) {
          await page.keyboard.press('Tab');
          const f = await page.evaluate(focusFacts);
          if (previous && f && f.prevBlurred === previous.signature) {
            failures.push(`${url}: ${previous.element} looks the same focused and unfocused (${f.prevBlurred})`);
          }
          previous = f;
          if (!f) break; // focus left the document
          if (seen.has(f.element) && i > 3) break; // wrapped around
          seen.add(f.element);
          checked++;
          const outlined = f.outlineStyle !== 'none' && f.outlineWidth >= 2 && f.outlineContrast >= 3;
          if (!f.focusVisible || !outlined || !f.inViewport) {
            failures.push(`${url}: ${f.element}: outline ${f.outlineStyle} ${f.outlineWidth}px contrast ${f.outlineContrast.toFixed(2)}, in viewport ${f.inViewport}`);
          }
        }
      }
    });
    return { failures, checked };
  }

  test('every focused element has a visible focus indicator', async () => {
    const { failures, checked } = await checkFocus(allPages());
    assert.ok(checked > 200, `checked only ${checked} focus stops`);
    assert.deepEqual(failures, []);
  });

  test('… in reading mode too', async () => {
    const names = ['home', 'document lists', 'document warnings (high risk)', 'search', 'registry agencies/'];
    const pages = allPages().filter((p) => names.includes(p.name));
    const { failures, checked } = await checkFocus(pages, { readingMode: true });
    assert.ok(checked > 50, `checked only ${checked} focus stops`);
    assert.deepEqual(failures, []);
  });

  test('… and the check itself fails when the focus style is removed', async () => {
    const { failures, checked } = await checkFocus(allPages().filter((p) => p.name === 'home'), { breakIt: true });
    assert.ok(checked > 10);
    assert.ok(failures.length >= checked, `${failures.length} failures for ${checked} stops`);
  });

  // [label, viewport, reading mode, browser default font size in px]
  for (const [label, viewport, readingMode, fontSize] of [
    ['1280×800 at 200% zoom (640×400 CSS px)', { width: 640, height: 400 }, false, 0],
    ['phone 375×667', { width: 375, height: 667 }, false, 0],
    ['phone 375×667 in reading mode', { width: 375, height: 667 }, true, 0],
    ['1280×1024 at 400% zoom (320×256 CSS px, WCAG reflow)', { width: 320, height: 256 }, false, 0],
    // The browser's own text size setting at 200% (32px), as many elderly
    // readers use it, alone and with the site's reading mode on top.
    ['phone 375×667 with the browser text size at 200%', { width: 375, height: 667 }, false, 32],
    ['phone 375×667 with the browser text size at 200%, reading mode', { width: 375, height: 667 }, true, 32],
  ]) {
    test(`no page scrolls sideways or squeezes text at ${label}`, async () => {
      await withContext({ viewport }, async (w) => {
        if (readingMode) {
          await w.context.addInitScript((key) => {
            if (location.protocol === 'http:') localStorage.setItem(key, 'on');
          }, KEY);
        }
        const page = await w.newPage();
        if (fontSize) {
          const cdp = await w.context.newCDPSession(page);
          await cdp.send('Page.setFontSizes', { fontSizes: { standard: fontSize, fixed: Math.round(fontSize * 0.8125) } });
        }
        const failures = [];
        for (const { url, status } of allPages()) {
          await visit(page, url, { status });
          if (fontSize) {
            const root = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
            assert.equal(root, fontSize * (readingMode ? 1.25 : 1), `${url}: root font size`);
          }
          if (readingMode) assert.ok(await page.evaluate(() => document.documentElement.classList.contains('reading-mode')));
          const o = await page.evaluate(horizontalOverflow);
          if (o) failures.push(`${url}: scrollWidth ${o.scrollWidth} > ${o.clientWidth}: ${o.culprits.join(', ')}`);
          const squeezed = await page.evaluate(squeezedText);
          if (squeezed.length) failures.push(`${url}: text a character or two wide: ${squeezed.join(', ')}`);
        }
        assert.deepEqual(failures, []);
      });
    });
  }

  test('… and the overflow check notices a page that does scroll sideways', async () => {
    await withContext({ viewport: { width: 375, height: 667 } }, async (w) => {
      const page = await w.newPage();
      await visit(page, site.base);
      assert.equal(await page.evaluate(horizontalOverflow), null);
      await page.evaluate(() => {
        const wide = document.createElement('div');
        wide.className = 'too-wide';
        document.querySelector('main').append(wide);
        document.styleSheets[0].insertRule('.too-wide { width: 500px; height: 1px; }');
      });
      const o = await page.evaluate(horizontalOverflow);
      assert.ok(o && o.scrollWidth > 375, 'overflow detected');
      assert.ok(o.culprits.some((c) => c.startsWith('div.too-wide')), o.culprits.join(', '));
    });
  });

  test('the reading mode toggle works from the keyboard and persists across pages', async () => {
    await withContext({}, async (w) => {
      const page = await w.newPage();
      await visit(page, site.base);
      const toggle = page.locator('button[data-reading-mode]');
      await toggle.waitFor({ state: 'visible' });
      assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
      const before = await page.evaluate(() => ({
        font: parseFloat(getComputedStyle(document.documentElement).fontSize),
        text: getComputedStyle(document.body).color,
      }));

      // Reach it with Tab like a keyboard user, then press Enter.
      let reached = false;
      for (let i = 0; i < 15 && !reached; i++) {
        await page.keyboard.press('Tab');
        reached = await page.evaluate(() => document.activeElement.matches('button[data-reading-mode]'));
      }
      assert.ok(reached, 'the toggle is in the Tab order near the top of the page');
      await page.keyboard.press('Enter');
      const on = await page.evaluate(() => ({
        mode: document.documentElement.classList.contains('reading-mode'),
        pressed: document.querySelector('button[data-reading-mode]').getAttribute('aria-pressed'),
        font: parseFloat(getComputedStyle(document.documentElement).fontSize),
        text: getComputedStyle(document.body).color,
      }));
      assert.equal(on.mode, true, 'Enter turns the reading mode on');
      assert.equal(on.pressed, 'true');
      assert.ok(on.font >= before.font * 1.2, `larger text: ${before.font}px → ${on.font}px`);
      assert.equal(on.text, 'rgb(0, 0, 0)', 'black text in high-contrast mode');
      assert.equal(await page.evaluate((k) => localStorage.getItem(k), KEY), 'on');

      // Another page, reached by following a link: still on.
      await Promise.all([page.waitForURL(/\/zhifa\/warnings\/$/), page.locator('.site-nav a', { hasText: '法律风险提示' }).click()]);
      assert.ok(await page.evaluate(() => document.documentElement.classList.contains('reading-mode')), 'persists across navigation');
      assert.equal(await page.locator('button[data-reading-mode]').getAttribute('aria-pressed'), 'true');

      // Space turns it off again, and that persists too.
      await page.locator('button[data-reading-mode]').focus();
      await page.keyboard.press('Space');
      assert.equal(await page.evaluate(() => document.documentElement.classList.contains('reading-mode')), false, 'Space turns it off');
      await visit(page, site.base + 'lists/');
      assert.equal(await page.evaluate(() => document.documentElement.classList.contains('reading-mode')), false, 'off persists');
      assert.equal(await page.evaluate((k) => localStorage.getItem(k), KEY), null);
    });
  });

  test('a stored reading mode is on before the page body is drawn (no flash of small text)', async () => {
    await withContext({}, async (w) => {
      await w.context.addInitScript((key) => {
        if (location.protocol !== 'http:') return;
        localStorage.setItem(key, 'on');
        // Record the mode when the parser first creates <body>.
        new MutationObserver((_, observer) => {
          if (document.body) {
            window.__modeAtBody = document.documentElement.classList.contains('reading-mode');
            observer.disconnect();
          }
        }).observe(document, { childList: true, subtree: true });
      }, KEY);
      const page = await w.newPage();
      for (const path of ['', TEMPLATES['document lists'], TEMPLATES.search]) {
        await visit(page, site.base + path);
        assert.equal(await page.evaluate(() => window.__modeAtBody), true, `${path || 'home'}: reading mode set before <body>`);
      }
    });
  });

  test('statuses and risk levels are shown in words, not colour alone', async () => {
    await withContext({}, async (w) => {
      const page = await w.newPage();
      const words = /^(现行有效|尚未施行|已失效|高风险|中风险|低风险)$/;
      let count = 0;
      for (const path of ['', 'warnings/', 'lists/', 'risk-levels/high/', 'warnings/2026-hazchem-winter/', 'warnings/2025-catering-spring/', 'lists/scjg/2023-exempt/']) {
        await visit(page, site.base + path);
        const badges = await page.$$eval('.badge, .status, [class*="level-"]', (els) =>
          els.map((e) => ({ cls: e.className, text: e.textContent.trim(), hidden: e.closest('[aria-hidden="true"]') !== null })),
        );
        for (const b of badges) {
          count++;
          assert.match(b.text, words, `${path}: badge ${b.cls} says what it means`);
          assert.equal(b.hidden, false, `${path}: badge ${b.cls} is not hidden from assistive technology`);
        }
      }
      assert.ok(count >= 10, `found ${count} badges`);
      // The expired bulletin and the replaced list say so in the header table.
      await visit(page, site.base + 'warnings/2025-catering-spring/');
      assert.equal((await page.locator('.doc-header .status').textContent()).trim(), '已失效');
      assert.equal((await page.locator('.doc-facets .level').textContent()).trim(), '低风险');
      await visit(page, site.base + 'warnings/2026-hazchem-winter/');
      assert.equal((await page.locator('.doc-facets .level').textContent()).trim(), '高风险');
    });
  });
});
