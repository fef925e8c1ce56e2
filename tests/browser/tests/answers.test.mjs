// "Am I covered?": on a list page each item leads with its plain words —
// the violation and its 一句话说明, the conditions as boxes to tick under a
// lead worded from the list kind, what happens — and the legal columns
// come after, on a desktop table and on a phone's cards, with or without
// JavaScript.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { visit, watchedContext } from '../lib/browser.mjs';
import { useSite } from '../lib/harness.mjs';

const site = useSite();
const LIST = 'lists/scjg/2024-exempt/';
const ITEM = 'item-SJ-MF-008';

async function withPage(fn, options = {}) {
  const w = await watchedContext(site.browser, options);
  try {
    const page = await w.newPage();
    await fn(page, w);
    w.assertClean();
  } finally {
    await w.close();
  }
}

const cardOrder = (page) => page.evaluate((id) =>
  [...document.getElementById(id).querySelectorAll('td, th')].map((c) => c.getAttribute('data-label')), ITEM);

describe('an item in plain words', () => {
  for (const [label, options] of [
    ['desktop', {}],
    ['phone without JavaScript', { viewport: { width: 375, height: 740 }, isMobile: true, javaScriptEnabled: false }],
  ]) {
    test(`${label}: the answer first, conditions to tick, legal columns after`, async () => {
      await withPage(async (page) => {
        await visit(page, `${site.base}${LIST}#${ITEM}`);
        assert.deepEqual(await cardOrder(page), ['序号', '编号', '违法行为', '适用条件', '处理方式', '违反的法律依据', '处罚依据']);
        const row = await page.evaluate((id) => {
          const r = document.getElementById(id);
          return {
            summary: r.querySelector('.item-summary')?.textContent.trim(),
            legend: r.querySelector('.conditions legend')?.textContent.trim(),
            boxes: [...r.querySelectorAll('.conditions input[type=checkbox]')].map((b) => document.querySelector(`label[for="${b.id}"]`)?.textContent.trim()),
          };
        }, ITEM);
        assert.match(row.summary, /^一句话说明：.*健康证/);
        assert.equal(row.legend, '以下条件全部符合的，可以不予行政处罚：');
        assert.ok(row.boxes.length >= 2, 'one box per condition');
        assert.ok(row.boxes.every((t) => t && !/^[（(]?[一二三1-9]/.test(t)), 'conditions without their enumerators');
        // Ticking works by pointer and by keyboard, and nothing is sent.
        const box = page.locator(`#${ITEM} .conditions input[type=checkbox]`);
        await box.nth(0).click();
        await box.nth(1).focus();
        await page.keyboard.press('Space');
        assert.deepEqual(await box.evaluateAll((bs) => bs.slice(0, 2).map((b) => b.checked)), [true, true]);
        // The phone number to ask is one tap away.
        assert.match(await page.$eval('.items-help a[href^="tel:"]', (a) => a.getAttribute('href')), /^tel:\d+$/);
      }, options);
    });
  }

  test('each list kind words its own lead', async () => {
    await withPage(async (page) => {
      for (const [path, lead] of [
        ['lists/yjgl/2025-mitigated/', '可以依法从轻或者减轻处罚'],
        ['lists/sthj/2024-no-coercion/', '可以不予实施行政强制措施'],
      ]) {
        await visit(page, site.base + path);
        const legends = await page.$$eval('.conditions legend', (ls) => ls.map((l) => l.textContent));
        assert.ok(legends.length > 0 && legends.every((l) => l.includes(lead)), `${path}: ${legends[0]}`);
      }
    });
  });
});
