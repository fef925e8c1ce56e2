// The header on a phone: at most 120 px tall at 375 px wide (in reading
// mode too), the search form and the navigation behind 搜索 and 菜单
// disclosure buttons that work from the keyboard; without JavaScript both
// stay open; wide screens keep them open with no buttons. And the desktop
// list table's column headers stay in view while its rows scroll.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { axe, formatViolations, visit, withPage as inPage } from '../lib/browser.mjs';
import { useSite } from '../lib/harness.mjs';
import { focusFacts, horizontalOverflow } from '../lib/inpage.mjs';
import { TEMPLATES } from '../lib/pages.mjs';

const site = useSite();
const PHONE = { width: 375, height: 667 };
const MAX_HEADER = 120;
const PAGES = ['home', 'document lists', 'industry page (一业一页)', 'search', 'what changed', 'plain page (accessibility)'];
const LIST = TEMPLATES['document lists'];

// The reading mode, when asked for, is on before the first page loads.
const readingModeOn = (w) => w.context.addInitScript(() => {
  if (location.protocol === 'http:') localStorage.setItem('gongshi-reading-mode', 'on');
});
const withPage = ({ readingMode = false, ...options }, fn) =>
  inPage(site.browser, options, (page) => fn(page), readingMode ? readingModeOn : undefined);

const headerHeight = (page) => page.evaluate(() => document.querySelector('.site-header').getBoundingClientRect().height);
const button = (page, name) => page.locator('.site-header button[data-menu-toggle]', { hasText: name });

/** Tab until `selector` has focus; returns the number of presses, or 0. */
async function tabTo(page, selector, max = 20) {
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement.matches(s), selector)) return i;
  }
  return 0;
}

describe('the header on phones, and sticky table headers on desktop', () => {
  for (const readingMode of [false, true]) {
    test(`the header is at most ${MAX_HEADER} px tall at 375 px${readingMode ? ', in reading mode' : ''}`, async () => {
      await withPage({ viewport: PHONE, readingMode }, async (page) => {
        for (const name of PAGES) {
          await visit(page, site.base + TEMPLATES[name]);
          assert.equal(await page.evaluate(() => document.documentElement.classList.contains('reading-mode')), readingMode);
          const h = await headerHeight(page);
          assert.ok(h <= MAX_HEADER, `${name}: header ${h.toFixed(1)} px`);
          // Folded, not gone: both buttons show, both panels wait behind them.
          for (const [label, panel] of [['搜索', 'header-search'], ['菜单', 'site-nav']]) {
            const b = button(page, label);
            assert.ok(await b.isVisible(), `${name}: the ${label} button shows`);
            assert.equal(await b.getAttribute('aria-expanded'), 'false');
            assert.equal(await b.getAttribute('aria-controls'), panel);
            assert.equal(await page.locator(`#${panel}`).isVisible(), false, `${name}: #${panel} is folded`);
          }
          assert.ok(await page.locator('button[data-reading-mode]').isVisible(), `${name}: the reading-mode toggle stays in the bar`);
        }
      });
    });
  }

  test('搜索 and 菜单 open and close from the keyboard, with aria-expanded, focus visible and Escape', async () => {
    await withPage({ viewport: PHONE }, async (page) => {
      await visit(page, site.base + TEMPLATES['document cases']);
      // 搜索: Tab to it, Enter opens the form and puts the cursor in the field.
      assert.ok(await tabTo(page, 'button[aria-controls="header-search"]'), 'the 搜索 button is in the Tab order');
      const f = await page.evaluate(focusFacts);
      assert.ok(f.focusVisible && f.outlineWidth >= 2 && f.outlineContrast >= 3, `visible focus: ${JSON.stringify(f)}`);
      await page.keyboard.press('Enter');
      assert.equal(await button(page, '搜索').getAttribute('aria-expanded'), 'true');
      assert.ok(await page.locator('#header-search').isVisible());
      assert.equal(await page.evaluate(() => document.activeElement.id), 'header-q', 'focus moves into the search field');
      // Escape folds it again and returns to the button.
      await page.keyboard.press('Escape');
      assert.equal(await button(page, '搜索').getAttribute('aria-expanded'), 'false');
      assert.equal(await page.locator('#header-search').isVisible(), false);
      assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-controls')), 'header-search');
      // Open again, search: the query reaches search/.
      await page.keyboard.press('Space');
      await page.keyboard.type('免罚');
      await Promise.all([page.waitForURL(/\/zhifa\/search\/\?q=/), page.keyboard.press('Enter')]);
      assert.equal(new URL(page.url()).searchParams.get('q'), '免罚');
      // Let the search page fetch its index before leaving it.
      await page.waitForLoadState('networkidle');

      // 菜单: Space opens the navigation, Tab reaches its links.
      await visit(page, site.base + TEMPLATES['document cases']);
      assert.ok(await tabTo(page, 'button[aria-controls="site-nav"]'), 'the 菜单 button is in the Tab order');
      await page.keyboard.press('Space');
      assert.equal(await button(page, '菜单').getAttribute('aria-expanded'), 'true');
      // Escape on the button itself, right after opening, folds it too.
      await page.keyboard.press('Escape');
      assert.equal(await button(page, '菜单').getAttribute('aria-expanded'), 'false');
      assert.equal(await page.locator('#site-nav').isVisible(), false);
      await page.keyboard.press('Space');
      assert.equal(await button(page, '菜单').getAttribute('aria-expanded'), 'true');
      assert.ok(await page.locator('#site-nav').isVisible());
      assert.equal(await headerHeight(page) > MAX_HEADER, true, 'the open menu pushes the page down rather than covering it');
      assert.ok(await tabTo(page, '#site-nav a', 5), 'Tab goes on into the open navigation');
      const link = await page.evaluate(focusFacts);
      assert.ok(link.focusVisible && link.inViewport && link.outlineWidth >= 2, `visible focus on the menu: ${JSON.stringify(link)}`);
      await Promise.all([page.waitForURL(/\/zhifa\/$/), page.keyboard.press('Enter')]);
      // A fresh page starts folded; the button closes what it opened.
      assert.equal(await button(page, '菜单').getAttribute('aria-expanded'), 'false');
      await button(page, '菜单').click();
      await button(page, '菜单').click();
      assert.equal(await page.locator('#site-nav').isVisible(), false);
    });
  });

  test('with both panels open the phone page is axe-clean and does not scroll sideways, in reading mode too', async () => {
    for (const readingMode of [false, true]) {
      for (const viewport of [PHONE, { width: 320, height: 256 }]) {
        await withPage({ viewport, readingMode }, async (page) => {
          await visit(page, site.base + LIST);
          await button(page, '搜索').click();
          await button(page, '菜单').click();
          assert.ok(await page.locator('#header-search').isVisible() && await page.locator('#site-nav').isVisible());
          const o = await page.evaluate(horizontalOverflow);
          assert.equal(o, null, `${viewport.width}px${readingMode ? ', reading mode' : ''}: ${o && o.culprits.join(', ')}`);
          const violations = await axe(page);
          assert.equal(violations.length, 0, formatViolations(violations));
        });
      }
    }
  });

  test('without JavaScript the phone header shows the search form and the navigation, reachable by Tab', async () => {
    await withPage({ viewport: PHONE, javaScriptEnabled: false }, async (page) => {
      await visit(page, site.base + TEMPLATES['document lists']);
      assert.equal(await page.locator('.site-header button[data-menu-toggle]').first().isVisible(), false, 'no dead buttons');
      assert.ok(await page.locator('#header-search').isVisible());
      assert.ok(await page.locator('#site-nav').isVisible());
      assert.ok(await tabTo(page, '#header-q'), 'the search field is a Tab stop');
      assert.ok(await tabTo(page, '#site-nav a'), 'so are the navigation links');
      assert.equal(await page.evaluate(horizontalOverflow), null);
    });
  });

  test('wide screens: no fold buttons, the search form and navigation always shown', async () => {
    for (const readingMode of [false, true]) {
      await withPage({ readingMode }, async (page) => {
        await visit(page, site.base + LIST);
        assert.equal(await page.locator('.site-header button[data-menu-toggle]').first().isVisible(), false);
        assert.equal(await page.locator('.site-header button[data-menu-toggle]').last().isVisible(), false);
        assert.ok(await page.locator('#header-search').isVisible());
        assert.ok(await page.locator('#site-nav').isVisible());
        assert.equal(await page.locator('#site-nav a').count() >= 5, true);
        // The first Tab stops after the skip link: title, reading mode, search.
        await page.keyboard.press('Tab');
        assert.ok(await tabTo(page, '#header-q', 4), 'the search field is within the first Tab stops');
      });
    }
  });

  test('desktop list tables keep their column headers at the top while the rows scroll; phones keep cards', async () => {
    await withPage({}, async (page) => {
      await visit(page, site.base + LIST);
      const facts = await page.evaluate(async () => {
        const table = document.querySelector('.items-table');
        const th = table.querySelector('thead th:nth-child(2)');
        const rows = table.querySelectorAll('tbody tr');
        const start = table.getBoundingClientRect().top + scrollY;
        // Room below the table, so it can scroll out of the viewport.
        document.styleSheets[0].insertRule('main { padding-bottom: 100vh; }', document.styleSheets[0].cssRules.length);
        const out = { position: getComputedStyle(th).position, rows: rows.length };
        // Scroll to the middle of the table: the header row sits at the top
        // of the viewport and is what the reader sees there.
        window.scrollTo(0, start + table.offsetHeight / 2);
        await new Promise(requestAnimationFrame);
        const r = th.getBoundingClientRect();
        out.middleTop = r.top;
        out.onTop = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2) === th;
        out.tableTop = table.getBoundingClientRect().top;
        // At the table's end it leaves with the last row.
        window.scrollTo(0, start + table.offsetHeight - 20);
        await new Promise(requestAnimationFrame);
        out.endTop = th.getBoundingClientRect().top;
        out.endTableBottom = table.getBoundingClientRect().bottom;
        return out;
      });
      assert.equal(facts.position, 'sticky');
      assert.ok(facts.rows >= 10, `${facts.rows} rows`);
      assert.ok(facts.tableTop < -100, 'the table itself has scrolled up');
      assert.ok(Math.abs(facts.middleTop) <= 1, `header row at the top: ${facts.middleTop}`);
      assert.ok(facts.onTop, 'the header row is drawn over the rows');
      assert.ok(Math.abs(facts.endTableBottom - 20) <= 1, `the page scrolls to the table's end (${facts.endTableBottom})`);
      assert.ok(facts.endTop < 0, `at the table's end the header row scrolls away with it (${facts.endTop})`);

      // A row reached by its anchor is not hidden under the header row.
      const anchor = await page.$eval('.items-table tbody tr:nth-child(6)', (tr) => tr.id);
      await page.goto('about:blank');
      await visit(page, `${site.base}${LIST}#${anchor}`);
      const covered = await page.evaluate((id) => {
        const row = document.getElementById(id).getBoundingClientRect();
        const head = document.querySelector('.items-table thead').getBoundingClientRect();
        return { row: row.top, head: head.bottom };
      }, anchor);
      assert.ok(covered.row >= covered.head - 1, `row at ${covered.row}, header row ends at ${covered.head}`);
    });
    await withPage({ viewport: PHONE }, async (page) => {
      await visit(page, site.base + LIST);
      const position = await page.$eval('.items-table thead th', (th) => getComputedStyle(th).position);
      assert.notEqual(position, 'sticky', 'phones: cards, no sticky header');
      assert.equal(await page.$eval('.items-table tbody tr', (tr) => getComputedStyle(tr).display), 'block');
    });
  });
});
