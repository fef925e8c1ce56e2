// 年度报告 (Article 21): from the menu to the reports by year, a report's
// figures as a real table, the figures of a year's reports side by side;
// axe-clean in normal and reading mode; on a phone without JavaScript
// nothing scrolls sideways but the tables' own regions.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { axe, formatViolations, visit, withPage as inPage } from '../lib/browser.mjs';
import { useSite } from '../lib/harness.mjs';
import { REPORTS } from '../lib/pages.mjs';

const site = useSite();

const withPage = (fn, options = {}, setup = undefined) => inPage(site.browser, options, fn, setup);

/** A table as a reader's tools see it: caption, header cells with scope, rows. */
function tableFacts(selector) {
  const t = document.querySelector(selector);
  if (!t) return null;
  return {
    caption: t.caption?.textContent.trim(),
    cols: [...t.querySelectorAll('thead th')].map((th) => [th.getAttribute('scope'), th.textContent.trim()]),
    rows: [...t.querySelectorAll('tbody tr')].map((tr) => [
      tr.querySelector('th')?.getAttribute('scope'),
      tr.querySelector('th')?.textContent.trim(),
      ...[...tr.querySelectorAll('td')].map((td) => td.textContent.trim()),
    ]),
  };
}

describe('年度报告', () => {
  test('from the menu to the reports by year, then a year’s figures side by side', async () => {
    await withPage(async (page) => {
      await visit(page, site.base);
      await page.click('#site-nav a[href$="/reports/"]');
      await page.waitForURL(/\/reports\/$/);
      const years = await page.$$eval('.report-year h2', (hs) => hs.map((h) => h.textContent.trim()));
      assert.deepEqual(years, ['2025年度（3 份）', '2024年度（3 份）', '2023年度（1 份）'], 'newest year first');
      await page.click('a:text-is("2024年度各机关报告与工作数据对照")');
      await page.waitForURL(/\/reports\/years\/2024\/$/);
      const t = await page.evaluate(tableFacts, '.report-table');
      assert.equal(t.caption, '2024年度各机关报告中的工作数据');
      assert.deepEqual(t.cols.map((c) => c[0]), Array(7).fill('col'));
      assert.deepEqual(t.cols.map((c) => c[1]), [
        '发布机构', '不予处罚案件数（件）', '从轻、减轻处罚案件数（件）', '不予实施行政强制措施案件数（件）',
        '行政调解（件）', '执法回访（次）', '行政指导（次）',
      ]);
      assert.deepEqual(t.rows, [
        ['row', '市市场监督管理局服务型行政执法工作专项报告', '126', '48', '5', '37', '210', '1,645'],
        ['row', '市应急管理局服务型行政执法工作专项报告', '未列明', '未列明', '未列明', '未列明', '未列明', '未列明'],
        ['row', '市生态环境局服务型行政执法工作专项报告', '38', '27', '16', '未列明', '64', '325'],
      ]);
      // Each row header leads to its report.
      await page.click('.report-table tbody tr:first-child th a');
      await page.waitForURL(/\/reports\/scjg\/2024\/$/);
    });
  });

  test('a report shows its year, 文号 and figures as a table', async () => {
    await withPage(async (page) => {
      await visit(page, site.base + REPORTS['report with figures']);
      const facts = await page.evaluate(() => ({
        docNumber: [...document.querySelectorAll('.doc-header th')].find((th) => th.textContent === '文号')?.nextElementSibling.textContent.trim(),
        year: [...document.querySelectorAll('.doc-facets dt')].find((dt) => dt.textContent === '报告年度')?.nextElementSibling.textContent.trim(),
      }));
      assert.deepEqual(facts, { docNumber: '示市监〔2025〕9号', year: '2024年度' });
      const t = await page.evaluate(tableFacts, '.figures-table');
      assert.equal(t.caption, '2024年度服务型行政执法工作数据');
      assert.deepEqual(t.cols, [['col', '项目'], ['col', '数量']]);
      assert.deepEqual(t.rows, [
        ['row', '不予处罚案件数', '126件'],
        ['row', '从轻、减轻处罚案件数', '48件'],
        ['row', '不予实施行政强制措施案件数', '5件'],
        ['row', '行政调解', '37件'],
        ['row', '执法回访', '210次'],
        ['row', '行政指导：引导', '35次'],
        ['row', '行政指导：提示', '1,530次'],
        ['row', '行政指导：辅导', '22次'],
        ['row', '行政指导：约谈', '12次'],
        ['row', '行政指导：回访', '46次'],
        ['row', '行政指导合计', '1,645次'],
      ]);
      // A report that gives no figures has no table, and says nothing of 0.
      await visit(page, site.base + REPORTS['report without figures']);
      assert.equal(await page.locator('.figures-table').count(), 0);
    });
  });

  for (const [label, readingMode] of [['normal', false], ['reading mode (大字号/高对比度)', true]]) {
    test(`axe-clean report pages: ${label}`, async () => {
      await withPage(
        async (page) => {
          for (const [name, path] of Object.entries(REPORTS)) {
            await visit(page, site.base + path);
            assert.equal(await page.evaluate(() => document.documentElement.classList.contains('reading-mode')), readingMode);
            const violations = await axe(page);
            assert.equal(violations.length, 0, `${name}: ${formatViolations(violations)}`);
          }
        },
        {},
        async (w) => {
          if (readingMode) {
            await w.context.addInitScript(() => {
              if (location.protocol === 'http:') localStorage.setItem('gongshi-reading-mode', 'on');
            });
          }
        },
      );
    });
  }

  test('on a phone without JavaScript: the page does not scroll sideways, the tables scroll in their region', async () => {
    await withPage(
      async (page) => {
        for (const [name, path] of Object.entries(REPORTS)) {
          await visit(page, site.base + path);
          const m = await page.evaluate(() => {
            const region = document.querySelector('.table-scroll');
            return {
              overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
              region: region && {
                focusable: region.tabIndex === 0,
                labelled: Boolean(document.getElementById(region.getAttribute('aria-labelledby'))),
              },
            };
          });
          assert.ok(m.overflow <= 0, `${name}: no sideways scrolling (${m.overflow}px)`);
          if (m.region) assert.deepEqual(m.region, { focusable: true, labelled: true }, `${name}: the scrolling table can be reached by keyboard and is named`);
        }
      },
      { javaScriptEnabled: false, viewport: { width: 375, height: 740 }, isMobile: true },
    );
  });
});
