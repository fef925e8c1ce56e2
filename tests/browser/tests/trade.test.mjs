// Industry and district pages (一业一页): the self-check list keeps its
// ticks in this browser only (across reloads, never in a request), works and
// prints without JavaScript, and prints alone from its button.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { visit, withPage as inPage } from '../lib/browser.mjs';
import { useSite } from '../lib/harness.mjs';
import { TRADE_PAGE } from '../lib/pages.mjs';
import { pdfText, squash } from '../lib/pdf.mjs';

const site = useSite();

const withPage = (fn, options = {}) => inPage(site.browser, options, fn);

const boxes = (page) => page.evaluate(() =>
  [...document.querySelectorAll('#self-check input[type=checkbox]')].map((b) => ({
    key: b.getAttribute('data-check-key'),
    checked: b.checked,
    label: document.querySelector(`label[for="${b.id}"]`)?.textContent.trim() ?? '',
  })));

describe('industry page', () => {
  test('gathers current list items, active risk points and guidance for the trade', async () => {
    await withPage(async (page) => {
      await visit(page, site.base + TRADE_PAGE);
      const facts = await page.evaluate(() => ({
        h1: document.querySelector('main h1').textContent.trim(),
        items: [...document.querySelectorAll('#trade-items .trade-items a')].map((a) => a.getAttribute('href')),
        risks: [...document.querySelectorAll('#trade-risks .trade-items a')].map((a) => a.getAttribute('href')),
        statuses: [...document.querySelectorAll('#trade-items .type-label')].map((e) => e.textContent.trim()),
      }));
      assert.equal(facts.h1, '危险化学品');
      assert.ok(facts.items.length >= 3, 'list items are gathered');
      for (const href of facts.items) assert.match(href, /#item-[A-Z0-9-]+$/, 'each item links to its anchor');
      assert.ok(facts.risks.length >= 1, 'active risk points are gathered');
      // Every linked anchor exists on its page.
      for (const href of [facts.items[0], facts.risks[0]]) {
        const [path, anchor] = href.split('#');
        await visit(page, new URL(path, site.base).href);
        assert.ok(await page.evaluate((id) => !!document.getElementById(id), anchor), `#${anchor} exists on ${path}`);
      }
    });
  });

  test('ticks are kept across reloads, in this browser only, and never sent', async () => {
    const requests = [];
    await withPage(async (page) => {
      page.on('request', (r) => requests.push({ url: r.url(), body: r.postData() ?? '' }));
      await visit(page, site.base + TRADE_PAGE);
      const before = await boxes(page);
      assert.ok(before.length >= 5, 'the page has a self-check list');
      assert.ok(before.every((b) => !b.checked && b.label), 'every box starts unticked and has a label');
      const progress = page.locator('[data-check-progress]');
      assert.equal((await progress.textContent()).trim(), `已勾选 0 项，共 ${before.length} 项`);
      // Tick two by their labels, the way a reader does (keyboard for one).
      await page.getByLabel(before[0].label, { exact: true }).check();
      await page.getByLabel(before[2].label, { exact: true }).focus();
      await page.keyboard.press('Space');
      assert.equal((await progress.textContent()).trim(), `已勾选 2 项，共 ${before.length} 项`);
      assert.equal(await progress.getAttribute('aria-live'), 'polite');

      await page.reload();
      const after = await boxes(page);
      assert.deepEqual(after.filter((b) => b.checked).map((b) => b.key), [before[0].key, before[2].key]);
      assert.equal((await page.locator('[data-check-progress]').textContent()).trim(), `已勾选 2 项，共 ${before.length} 项`);
      const stored = await page.evaluate(() => Object.keys(window.localStorage).filter((k) => k.startsWith('gongshi-check:')));
      assert.deepEqual(stored, ['gongshi-check:industries/hazchem']);

      // “清除勾选” clears the ticks and the stored state.
      await page.getByRole('button', { name: '清除勾选' }).click();
      assert.equal((await boxes(page)).filter((b) => b.checked).length, 0);
      assert.equal(await page.evaluate(() => window.localStorage.getItem('gongshi-check:industries/hazchem')), null);
    });
    assert.ok(requests.length > 0);
    const keys = ['item-', 'risk-', 'check'];
    for (const r of requests) {
      assert.equal(r.body, '', `no request carries a body: ${r.url}`);
      const u = new URL(r.url);
      assert.equal(u.search.includes('check') || keys.some((k) => u.hash.includes(k)), false, `no tick state in ${r.url}`);
    }

    // Another browser profile (another reader) starts from nothing.
    await withPage(async (page) => {
      await visit(page, site.base + TRADE_PAGE);
      assert.equal((await boxes(page)).filter((b) => b.checked).length, 0);
    });
  });

  test('without JavaScript the boxes tick and the list is complete', async () => {
    await withPage(async (page) => {
      await visit(page, site.base + TRADE_PAGE);
      const list = await boxes(page);
      assert.ok(list.length >= 5);
      assert.equal(await page.locator('[data-check-progress]').isVisible(), false, 'no progress count without the script');
      await page.getByLabel(list[1].label, { exact: true }).check();
      assert.equal((await boxes(page)).filter((b) => b.checked).length, 1);
    }, { javaScriptEnabled: false });
  });

  test('the checklist prints with its boxes, and alone from its button', async () => {
    await withPage(async (page) => {
      await visit(page, site.base + TRADE_PAGE);
      const list = await boxes(page);
      const whole = squash(pdfText(await page.pdf({ format: 'A4' })));
      assert.ok(whole.includes('自查清单'));
      for (const b of list) assert.ok(whole.includes(squash(b.label)), `printed: ${b.label}`);
      assert.ok(!whole.includes('跳到主要内容') && !whole.includes('站内搜索'), 'no site chrome on paper');

      await page.evaluate(() => { window.print = () => {}; });
      await page.getByRole('button', { name: '打印自查清单' }).click();
      const alone = squash(pdfText(await page.pdf({ format: 'A4' })));
      for (const b of list) assert.ok(alone.includes(squash(b.label)), `printed alone: ${b.label}`);
      assert.ok(!alone.includes('防范措施：'), 'the risk section is left out');
      assert.ok(!alone.includes('全部相关文件'), 'the listing is left out');
      assert.ok(alone.includes('自查人'), 'the signature line is printed');
      const source = await page.locator('.check-source').textContent();
      assert.match(source, /截至 \d{4}年\d{1,2}月\d{1,2}日 现行有效.*网址：https?:\/\//);
      assert.ok(alone.includes(squash(source)), `where the sheet comes from is printed: ${source}`);
    });
  });
});
