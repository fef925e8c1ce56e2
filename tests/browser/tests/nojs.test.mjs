// 5. Without JavaScript the site is whole: pages show their content and
// navigation, and the search form leads to search/, which offers browsing.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { visit, watchedContext, withPage } from '../lib/browser.mjs';
import { useSite } from '../lib/harness.mjs';
import { TEMPLATES } from '../lib/pages.mjs';

const site = useSite();
const NAV = ['首页', '公示清单', '行政指导', '典型案例', '法律风险提示'];

const noJs = (fn) => withPage(site.browser, { javaScriptEnabled: false }, fn);

describe('search, and the site without JavaScript', () => {
  test('home, indexes and documents render content and navigation', async () => {
    await noJs(async (page) => {
      const pages = Object.entries(TEMPLATES).filter(([name]) => !/404|search/.test(name));
      for (const [name, path] of pages) {
        await visit(page, site.base + path);
        assert.equal(await page.evaluate(() => typeof window.axe), 'undefined');
        const facts = await page.evaluate(() => ({
          h1: document.querySelector('main h1')?.textContent.trim() ?? '',
          mainText: document.querySelector('main').innerText.trim().length,
          mainLinks: document.querySelectorAll('main a[href]').length,
          nav: [...document.querySelectorAll('nav.site-nav a')].map((a) => a.textContent.trim()),
          styled: getComputedStyle(document.querySelector('.site-header')).backgroundColor,
        }));
        assert.ok(facts.h1.length > 1, `${name}: has a heading`);
        assert.ok(facts.mainText > 40, `${name}: main has content (${facts.mainText} characters)`);
        assert.ok(facts.mainLinks > 0 || /plain page|regulation/.test(name), `${name}: main has links`);
        for (const label of NAV) assert.ok(facts.nav.includes(label), `${name}: navigation has ${label}`);
        assert.notEqual(facts.styled, 'rgba(0, 0, 0, 0)', `${name}: the stylesheet applies`);
        // Controls that need the script stay hidden rather than dead.
        assert.equal(await page.locator('button[data-reading-mode]').isVisible(), false, `${name}: no dead reading-mode button`);
        assert.equal(await page.locator('button[data-print-checklist]').isVisible().catch(() => false), false);
      }
      // Documents keep their structured content.
      await visit(page, site.base + TEMPLATES['document lists']);
      assert.ok((await page.locator('.items-table tbody tr').count()) >= 10, 'list items table');
      await visit(page, site.base + TEMPLATES['document warnings (expired)']);
      assert.ok((await page.locator('.checklist li').count()) >= 5, 'self-check list');
      assert.ok(await page.locator('.doc-header .status', { hasText: '已失效' }).isVisible());
    });
  });

  test('the header search form submits to search/, which shows browse links', async () => {
    await noJs(async (page) => {
      await visit(page, site.base + TEMPLATES['document cases']);
      await page.getByRole('searchbox', { name: '站内搜索', exact: true }).fill('免罚 餐饮');
      await Promise.all([page.waitForURL(/\/zhifa\/search\/\?q=/), page.keyboard.press('Enter')]);
      const url = new URL(page.url());
      assert.equal(url.pathname, '/zhifa/search/');
      assert.equal(url.searchParams.get('q'), '免罚 餐饮');
      assert.ok(await page.locator('noscript, .notice').filter({ hasText: '未启用脚本' }).first().isVisible(), 'explains that keyword search needs the script');
      const browse = page.locator('section.browse');
      assert.ok(await browse.isVisible());
      const links = await browse.locator('a[href]').evaluateAll((as) => as.map((a) => [a.textContent.trim(), a.getAttribute('href')]));
      assert.ok(links.length >= 20, `browse links: ${links.length}`);
      for (const label of ['公示清单', '行政指导', '典型案例', '风险提示', '市市场监督管理局', '高风险']) {
        assert.ok(links.some(([t]) => t.endsWith(label)), `browse offers ${label}`);
      }
      // A browse link leads somewhere useful.
      await Promise.all([page.waitForURL(/\/zhifa\/warnings\/$/), browse.locator('a[href$="/zhifa/warnings/"]').click()]);
      assert.ok((await page.locator('main .summary').count()) >= 3);
    });
  });

  test('the home page search form submits too', async () => {
    await noJs(async (page) => {
      await visit(page, site.base);
      await page.locator('#home-q').fill('消防');
      await Promise.all([page.waitForURL(/\/zhifa\/search\/\?q=/), page.locator('.home-search button[type=submit]').click()]);
      assert.equal(new URL(page.url()).searchParams.get('q'), '消防');
      assert.ok((await page.locator('section.browse a[href]').count()) >= 20);
    });
  });

  test('with JavaScript, search/?q= searches, shows the query as text and still offers browsing', async () => {
    const w = await watchedContext(site.browser);
    try {
      const page = await w.newPage();
      await visit(page, site.base);
      await page.getByRole('searchbox', { name: '站内搜索', exact: true }).fill('<b>消防</b>');
      await Promise.all([page.waitForURL(/\/zhifa\/search\/\?q=/), page.keyboard.press('Enter')]);
      assert.equal(await page.locator('#search-q').inputValue(), '<b>消防</b>');
      await page.locator('#search-results .search-hit').first().waitFor();
      assert.match(await page.locator('#search-results h2').first().textContent(), /“<b>消防<\/b>”/);
      assert.equal(await page.locator('#search-results b').count(), 0, 'the query is shown as text');
      assert.ok((await page.locator('section.browse a[href]').count()) >= 20);
      w.assertClean();
    } finally {
      await w.close();
    }
  });
});
