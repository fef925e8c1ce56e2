// 6. Printing a warning bulletin: the paper copy has the self-check
// (自查) items and none of the site's navigation or search form.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { visit, watchedContext } from '../lib/browser.mjs';
import { useSite } from '../lib/harness.mjs';
import { WARNING_BULLETIN } from '../lib/pages.mjs';
import { pdfText, squash } from '../lib/pdf.mjs';

const site = useSite();

// Words that only occur in the site's chrome (header, navigation, search
// form, reading-mode button, footer), never in the bulletin itself.
const CHROME = ['跳到主要内容', '站内搜索', '大字号/高对比度', '典型案例', '行政指导', '关于本平台', '服务型行政执法办法', '当前位置', '主办单位', '网站标识码', '打印自查清单'];

async function printed(fn) {
  const w = await watchedContext(site.browser);
  try {
    const page = await w.newPage();
    await visit(page, site.base + WARNING_BULLETIN);
    const screen = await page.evaluate(() => ({
      title: document.querySelector('main h1').textContent.trim(),
      checks: [...document.querySelectorAll('.checklist li .text')].map((e) => e.textContent.trim()),
      points: [...document.querySelectorAll('.risk h3')].map((e) => e.textContent.trim()),
      nav: [...document.querySelectorAll('.site-nav a')].map((e) => e.textContent.trim()),
    }));
    assert.ok(screen.checks.length >= 5, 'the bulletin has self-check items');
    await fn(page, screen);
    w.assertClean();
  } finally {
    await w.close();
  }
}

describe('print', () => {
  test('the printed warning bulletin has the self-check items and no navigation', async () => {
    await printed(async (page, screen) => {
      // Sanity: the chrome words are on screen, so their absence on paper means something.
      for (const word of ['典型案例', '行政指导']) assert.ok(screen.nav.includes(word));
      const pdf = await page.pdf({ format: 'A4', printBackground: false });
      assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
      const text = squash(pdfText(pdf));
      assert.ok(text.includes(squash(screen.title)), 'the title is printed');
      assert.ok(text.includes('自查清单'), 'the checklist heading is printed');
      for (const item of screen.checks) assert.ok(text.includes(squash(item)), `self-check item printed: ${item}`);
      for (const point of screen.points) assert.ok(text.includes(squash(point)), `risk point printed: ${point}`);
      assert.ok(text.includes('☐'), 'tick boxes are printed');
      for (const word of CHROME) assert.ok(!text.includes(word), `“${word}” is not on paper`);
    });
  });

  test('“打印自查清单” prints the checklist alone', async () => {
    await printed(async (page, screen) => {
      assert.equal(await page.locator('.check-source').isVisible(), false, 'on screen the page header says it');
      const button = page.locator('button[data-print-checklist]');
      assert.ok(await button.isVisible(), 'the print button is shown when the script runs');
      // Stub window.print so the click does not open a dialog; keep the mode it sets.
      await page.evaluate(() => {
        window.print = () => {};
      });
      await button.click();
      assert.ok(await page.evaluate(() => document.documentElement.classList.contains('print-checklist')));
      const text = squash(pdfText(await page.pdf({ format: 'A4' })));
      for (const item of screen.checks) assert.ok(text.includes(squash(item)), `self-check item printed: ${item}`);
      // The sheet alone still says who issued it, when, until when, and where.
      const source = await page.evaluate(() => {
        const el = document.querySelector('.check-source');
        return { text: el.textContent, agency: document.querySelector('.doc-header td').textContent.trim() };
      });
      for (const part of ['发布机构：', '发布日期：', '有效期至：', '有效性：', '网址：']) {
        assert.ok(source.text.includes(part), `${part} in ${source.text}`);
      }
      assert.ok(text.includes(squash(source.text)), `printed: ${source.text}`);
      assert.ok(!text.includes('防范措施'), 'the risk details are left out');
      assert.ok(!text.includes('内容摘要'), 'the summary is left out');
      for (const word of CHROME) assert.ok(!text.includes(word), `“${word}” is not on paper`);
    });
  });
});
