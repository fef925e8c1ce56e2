// "Am I covered?": on a list page each item leads with its plain words —
// the violation and its 一句话说明, the conditions as boxes to tick under a
// lead worded from the list kind, what happens — and the legal columns
// come after, on a desktop table and on a phone's cards, with or without
// JavaScript; and its stamped original (附件) one download away.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { axe, formatViolations, visit, withPage as inPage } from '../lib/browser.mjs';
import { horizontalOverflow } from '../lib/inpage.mjs';
import { useSite } from '../lib/harness.mjs';

const site = useSite();
const LIST = 'lists/scjg/2024-exempt/';
const ITEM = 'item-SJ-MF-008';

const withPage = (fn, options = {}) => inPage(site.browser, options, fn);

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

  test('on a phone, whether a list applies is on the first screen', async () => {
    for (const [url, words] of [[LIST, '现行有效'], ['lists/scjg/2023-exempt/', '已失效']]) {
      await withPage(async (page) => {
        await visit(page, `${site.base}${url}`);
        const status = page.locator('.doc-head .doc-status .status');
        assert.equal((await status.textContent()).trim(), words);
        const box = await status.boundingBox();
        assert.ok(box && box.y + box.height <= 740, `${url}: the status ends at ${box && box.y + box.height}px`);
      }, { viewport: { width: 375, height: 740 }, isMobile: true });
    }
  });

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

describe('the list\'s stamped original (附件)', () => {
  const FILE = '示市监规〔2024〕3号.pdf';
  const ORIGINAL = readFileSync(new URL(`../../../content/lists/scjg/${FILE}`, import.meta.url));

  test('a numbered list of download links naming the file, its type and size; the file served as it is', async () => {
    await withPage(async (page) => {
      await visit(page, site.base + LIST);
      const block = await page.evaluate(() => {
        const s = document.querySelector('section.attachments');
        return {
          heading: document.getElementById(s.getAttribute('aria-labelledby'))?.textContent,
          list: s.querySelector(':scope > ol')?.children.length,
          links: [...s.querySelectorAll('ol > li > a')].map((a) => ({
            text: a.textContent.replace(/\s+/g, ' ').trim(),
            href: a.getAttribute('href'),
            download: a.hasAttribute('download'),
            type: a.getAttribute('type'),
          })),
        };
      });
      assert.equal(block.heading, '附件');
      assert.equal(block.list, 1);
      const [link] = block.links;
      assert.equal(link.text, `示例市市场监管领域轻微违法行为免罚清单（2024年版）盖章件 PDF 文件，${(ORIGINAL.length / 1024).toFixed(1)} KB`);
      assert.equal(link.href, `/zhifa/lists/scjg/2024-exempt/${encodeURIComponent(FILE)}`);
      assert.ok(link.download, 'a download link');
      assert.equal(link.type, 'application/pdf');
      // The link's accessible name carries the type and size too.
      assert.equal(await page.getByRole('link', { name: /盖章件 PDF 文件，\d+\.\d KB$/ }).count(), 1);
      const res = await page.request.get(new URL(link.href, site.base).href);
      assert.equal(res.status(), 200);
      assert.equal(res.headers()['content-type'], 'application/pdf');
      assert.ok(Buffer.compare(await res.body(), ORIGINAL) === 0, 'the file as committed, byte for byte');
    });
  });

  for (const [label, options] of [
    ['normal', {}],
    ['reading mode (大字号/高对比度)', { readingMode: true }],
    ['a phone in reading mode', { readingMode: true, viewport: { width: 375, height: 740 }, isMobile: true }],
  ]) {
    test(`axe-clean with its 附件 block: ${label}`, async () => {
      const { readingMode, ...context } = options;
      await withPage(async (page, w) => {
        if (readingMode) {
          await w.context.addInitScript(() => {
            if (location.protocol === 'http:') localStorage.setItem('gongshi-reading-mode', 'on');
          });
        }
        await visit(page, site.base + LIST);
        assert.equal(await page.evaluate(() => document.documentElement.classList.contains('reading-mode')), Boolean(readingMode));
        assert.ok(await page.locator('section.attachments a[download]').isVisible());
        const violations = await axe(page);
        assert.equal(violations.length, 0, formatViolations(violations));
        if (context.viewport) assert.equal(await page.evaluate(horizontalOverflow), null);
      }, context);
    });
  }
});
