// 执法公示情况 (Articles 4, 10, 21): the record page is a real table
// (caption, header cells with scope, a 合计 row) that JavaScript makes
// sortable without changing what it says, that reads in source order with
// every link when JavaScript is off, that is axe-clean in both display
// modes and a card per agency on a phone; each agency page carries its own
// row. Built on 2026-11-16, so this year's report is the one on 2025 and
// last year's the one on 2024.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { axe, formatViolations, visit, withPage as inPage } from '../lib/browser.mjs';
import { useSite } from '../lib/harness.mjs';
import { horizontalOverflow } from '../lib/inpage.mjs';

const site = useSite();
const RECORD = 'record/';
const AGENCY = 'agencies/scjg/';

const withPage = (fn, options = {}, setup = undefined) => inPage(site.browser, options, fn, setup);

const readingMode = async (w) => {
  await w.context.addInitScript(() => {
    if (location.protocol === 'http:') localStorage.setItem('gongshi-reading-mode', 'on');
  });
};

/** The record table as a reader's tools see it. */
function recordFacts() {
  const t = document.querySelector('table.record-table');
  const cell = (c) => ({
    tag: c.tagName.toLowerCase(),
    scope: c.getAttribute('scope'),
    text: c.textContent.trim().replace(/\s+/g, ' '),
    sort: c.getAttribute('data-sort'),
    links: [...c.querySelectorAll('a')].map((a) => a.getAttribute('href')),
  });
  return {
    caption: t.caption?.textContent.trim(),
    head: [...t.tHead.rows[0].cells].map(cell),
    buttons: [...t.tHead.querySelectorAll('th button')].length,
    rows: [...t.tBodies[0].rows].map((tr) => [...tr.cells].map(cell)),
    foot: t.tFoot ? [...t.tFoot.rows[0].cells].map(cell) : null,
    sections: [...document.querySelectorAll('section.record-agency > h2')].map((h) => h.textContent.trim()),
  };
}

describe('执法公示情况', () => {
  test('a real table: caption, every header cell with its scope, a 合计 row, the report columns by year', async () => {
    await withPage(
      async (page) => {
        await visit(page, site.base + RECORD);
        const f = await page.evaluate(recordFacts);
        assert.match(f.caption, /^各部门执法公示情况（截至 2026年11月16日）/);
        assert.deepEqual(f.head.map((c) => [c.tag, c.scope]), Array(8).fill(['th', 'col']));
        assert.deepEqual(f.head.map((c) => c.text), [
          '部门', '现行清单', '有效风险提示', '2026年行政指导', '典型案例', '2025年度报告', '2024年度报告', '最新发布',
        ]);
        assert.ok(f.rows.length >= 10, 'a row per agency');
        for (const row of f.rows) {
          assert.deepEqual([row[0].tag, row[0].scope], ['th', 'row'], `${row[0].text} heads its row`);
          assert.deepEqual(row.slice(1).map((c) => c.tag), Array(7).fill('td'));
        }
        assert.deepEqual([f.foot[0].tag, f.foot[0].scope, f.foot[0].text], ['th', 'row', '合计']);
        // Report columns: a link to the report, or 未发布 as plain text.
        const byName = Object.fromEntries(f.rows.map((r) => [r[0].text, r]));
        const scjg = byName['市市场监督管理局'];
        assert.equal(scjg[5].text, '已发布：市市场监督管理局2025年度报告');
        assert.deepEqual(scjg[5].links, ['/zhifa/reports/scjg/2025/']);
        assert.deepEqual(scjg[6].links, ['/zhifa/reports/scjg/2024/']);
        const cgj = byName['市城市管理局'];
        assert.deepEqual([cgj[5].text, cgj[5].links, cgj[6].text, cgj[6].links], ['未发布', [], '未发布', []]);
        const published = (n) => f.rows.filter((r) => r[n].links.length === 1).length;
        assert.equal(f.foot[5].text, `${published(5)} 个部门已发布`);
        assert.equal(f.foot[6].text, `${published(6)} 个部门已发布`);
        // The lead says which report is which year's.
        const lead = await page.textContent('.page-lead');
        assert.match(lead, /今年应发布的是2025年度报告，去年应发布的是2024年度报告/);
        // The figures table beside a report: a real table too.
        const compared = await page.evaluate(() => {
          const t = document.querySelector('#record-scjg table.compare-table');
          return t && {
            caption: t.caption.textContent.trim(),
            cols: [...t.tHead.querySelectorAll('th')].map((th) => th.getAttribute('scope')),
            rows: [...t.tBodies[0].rows].map((tr) => [tr.cells[0].tagName, tr.cells[0].getAttribute('scope'), ...[...tr.cells].map((c) => c.textContent.trim().replace(/\s+/g, ' '))]),
          };
        });
        assert.equal(compared.caption, '2025年度报告所列数字与本站公示对照');
        assert.deepEqual(compared.cols, ['col', 'col', 'col']);
        assert.ok(compared.rows.every((r) => r[0] === 'TH' && r[1] === 'row'));
        const row = (name) => compared.rows.find((r) => r[2] === name).slice(3);
        assert.deepEqual(row('行政指导：示范'), ['未列明', '行政指导 0 篇']);
        assert.deepEqual(row('行政调解'), ['44件', '— 本站不公示此项']);
        assert.match(row('行政指导：提示')[1], /^行政指导 1 篇/);
      },
      { javaScriptEnabled: false },
    );
  });

  test('with JavaScript the column headers are buttons that sort the rows by number, then back to source order', async () => {
    await withPage(async (page) => {
      await visit(page, site.base + RECORD);
      const source = (await page.evaluate(recordFacts)).rows.map((r) => r[0].text);
      const f = await page.evaluate(recordFacts);
      assert.equal(f.buttons, 8, 'every column header is a button');
      assert.match(f.caption, /（点击列标题可排序）$/);
      const column = async (n) => (await page.evaluate(recordFacts)).rows.map((r) => r[n]);
      const sortState = () => page.$$eval('table.record-table thead th', (ths) => ths.map((th) => th.getAttribute('aria-sort')));
      for (const [n, label] of [[1, '现行清单'], [4, '典型案例'], [5, '2025年度报告']]) {
        const button = page.locator('table.record-table thead th button', { hasText: label });
        await button.click();
        let state = await sortState();
        assert.equal(state[n], 'descending', `${label}: first click sorts descending`);
        assert.equal(state.filter(Boolean).length, 1, 'one column sorted at a time');
        let values = (await column(n)).map((c) => Number(c.sort));
        assert.ok(values.every((v) => Number.isFinite(v)), `${label}: numbers to sort by`);
        assert.deepEqual(values, [...values].sort((a, b) => b - a), `${label}: descending by number`);
        assert.ok(values[0] > values[values.length - 1], `${label}: the order changed something`);
        await button.press('Enter');
        state = await sortState();
        assert.equal(state[n], 'ascending', `${label}: by keyboard too, ascending next`);
        values = (await column(n)).map((c) => Number(c.sort));
        assert.deepEqual(values, [...values].sort((a, b) => a - b), `${label}: ascending by number`);
        await button.click();
        assert.deepEqual(await sortState(), Array(8).fill(null), `${label}: third click, no sort`);
        assert.deepEqual((await page.evaluate(recordFacts)).rows.map((r) => r[0].text), source, 'source order again');
        assert.match(await page.locator('table.record-table + p[aria-live]').textContent(), /已恢复原顺序/);
      }
      // Sorting moves whole rows: each row still heads its own cells.
      await page.locator('table.record-table thead th button', { hasText: '2025年度报告' }).click();
      const top = (await page.evaluate(recordFacts)).rows[0];
      assert.equal(top[5].sort, '1');
      assert.match(top[5].text, new RegExp(`^已发布：${top[0].text}2025年度报告$`));
    });
  });

  test('without JavaScript the table reads in source order with every link, each leading to what it counts', async () => {
    await withPage(
      async (page) => {
        await visit(page, site.base + RECORD);
        const f = await page.evaluate(recordFacts);
        assert.equal(f.buttons, 0, 'plain header cells');
        assert.ok(!f.caption.includes('排序'));
        assert.deepEqual(f.rows.map((r) => r[0].text), f.sections, 'rows in the order of the sections below, site.toml’s');
        for (const row of f.rows) {
          const name = row[0].text;
          assert.equal(row[0].links.length, 1, `${name} links to its section`);
          for (const [n, c] of row.slice(1, 5).entries()) {
            assert.equal(c.links.length, Number(c.sort) > 0 ? 1 : 0, `${name}, column ${n + 1}: a count above 0 links to what it counts`);
          }
          for (const c of row.slice(5, 7)) assert.equal(c.links.length, Number(c.sort), `${name}: a published report is linked`);
        }
        // In-page links reach their sections; the others resolve.
        const hrefs = [...new Set(f.rows.flatMap((r) => r.flatMap((c) => c.links)))];
        for (const href of hrefs.filter((h) => h.startsWith('#'))) {
          assert.ok(await page.locator(`[id="${href.slice(1)}"]`).count(), `${href} exists`);
        }
        for (const href of hrefs.filter((h) => !h.startsWith('#'))) {
          const res = await page.request.get(new URL(href, site.base).href);
          assert.equal(res.status(), 200, href);
        }
      },
      { javaScriptEnabled: false },
    );
  });

  for (const [label, setup] of [['normal', async () => {}], ['reading mode (大字号/高对比度)', readingMode]]) {
    test(`axe-clean record and agency pages: ${label}`, async () => {
      await withPage(
        async (page) => {
          for (const path of [RECORD, AGENCY]) {
            await visit(page, site.base + path);
            assert.equal(await page.evaluate(() => document.documentElement.classList.contains('reading-mode')), label !== 'normal');
            // The figures' documents shown too.
            await page.$$eval('details.compare-docs', (ds) => ds.forEach((d) => { d.open = true; }));
            const violations = await axe(page);
            assert.equal(violations.length, 0, `${path}: ${formatViolations(violations)}`);
          }
        },
        {},
        setup,
      );
    });
  }

  for (const [label, setup] of [['normal', async () => {}], ['reading mode', readingMode]]) {
    test(`at 375 px each row is a card with its labels, nothing scrolls sideways: ${label}`, async () => {
      await withPage(
        async (page) => {
          for (const path of [RECORD, AGENCY]) {
            await visit(page, site.base + path);
            await page.$$eval('details.compare-docs', (ds) => ds.forEach((d) => { d.open = true; }));
            const overflow = await page.evaluate(horizontalOverflow);
            assert.equal(overflow, null, `${path}: ${JSON.stringify(overflow)}`);
          }
          await visit(page, site.base + RECORD);
          const cards = await page.evaluate(() => {
            const t = document.querySelector('table.record-table');
            const head = t.tHead.getBoundingClientRect();
            return {
              headHidden: head.width <= 1 && head.height <= 1,
              rows: [...t.tBodies[0].rows].map((tr) => ({
                display: getComputedStyle(tr).display,
                width: tr.getBoundingClientRect().width,
                labels: [...tr.cells].slice(1).map((c) => [getComputedStyle(c, '::before').content, c.getAttribute('data-label')]),
              })),
            };
          });
          assert.ok(cards.headHidden, 'the column headers are left to screen readers');
          for (const r of cards.rows) {
            assert.equal(r.display, 'block', 'a card');
            assert.ok(r.width <= 375, `a card fits (${r.width}px)`);
            for (const [shown, label] of r.labels) assert.equal(shown, JSON.stringify(label), 'each value under its label');
          }
        },
        { viewport: { width: 375, height: 740 }, isMobile: true },
        setup,
      );
    });
  }

  test('an agency page carries its own row, and only its own', async () => {
    await withPage(async (page) => {
      await visit(page, site.base + AGENCY);
      const facts = await page.evaluate(() => ({
        heading: document.querySelector('#record-title')?.textContent.trim(),
        back: document.querySelector('a[href$="record/#record-scjg"]')?.textContent.trim(),
        parts: [...document.querySelectorAll('.record-detail h3')].map((h) => h.id),
        others: document.querySelectorAll('[id^="record-"]:not([id^="record-scjg"]):not(#record-title)').length,
        reports: [...document.querySelectorAll('#record-scjg-reports + ul a')].map((a) => a.getAttribute('href')),
        caption: document.querySelector('.compare-table caption')?.textContent.trim(),
      }));
      assert.deepEqual(facts, {
        heading: '执法公示情况（截至 2026年11月16日）',
        back: '与其他部门对照查看执法公示情况',
        parts: ['record-scjg-lists', 'record-scjg-warnings', 'record-scjg-guidance', 'record-scjg-cases', 'record-scjg-reports'],
        others: 0,
        reports: ['/zhifa/reports/scjg/2025/', '/zhifa/reports/scjg/2024/', '/zhifa/reports/scjg/2023/'],
        caption: '2025年度报告所列数字与本站公示对照',
      });
      await page.click('a[href$="record/#record-scjg"]');
      await page.waitForURL(/\/record\/#record-scjg$/);
    });
  });
});
