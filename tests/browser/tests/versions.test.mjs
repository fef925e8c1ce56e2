// A list's versions as a reader meets them: what a revision changed is
// marked inside the text, and a screen reader hears where each mark starts
// and ends; an expired list calls none of its versions current; the
// versions table reads as lines of text on a phone, not a column of
// single characters.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { visit, withPage as inPage } from '../lib/browser.mjs';
import { useSite } from '../lib/harness.mjs';
import { squeezedText } from '../lib/inpage.mjs';

const site = useSite();
const REVISED = 'lists/scjg/2024-exempt/versions/2025-01-01/';
const EXPIRED = 'lists/scjg/2023-exempt/versions/';

const withPage = (options, fn) => inPage(site.browser, options, fn);

/** The accessible name Chromium computes for the element at `selector`. */
async function axName(page, selector) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument');
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
    const { nodes } = await cdp.send('Accessibility.getPartialAXTree', { nodeId, fetchRelatives: false });
    return nodes[0].name ? nodes[0].name.value : '';
  } finally {
    await cdp.detach();
  }
}

describe('list versions', () => {
  test('a revision marks only what it changed, and says so to a screen reader', async () => {
    await withPage({}, async (page) => {
      await visit(page, site.base + REVISED);
      const cell = page.locator('.field-changes td[data-label="修改后"]').first();
      const marks = await cell.locator('ins').allTextContents();
      assert.deepEqual(marks, ['（不超过七日）'], 'the words added, not the whole condition');
      const before = await page.locator('.field-changes td[data-label="修改前"]').first().textContent();
      const after = await cell.textContent();
      assert.equal(after.replace('（不超过七日）', ''), before, 'the rest reads the same on both sides');
      // Visually the marks are colour and underline only; the words are for assistive technology.
      const hidden = await cell.locator('ins').first().evaluate((el) => {
        const s = getComputedStyle(el, '::before');
        return { content: s.content, width: s.width };
      });
      assert.equal(hidden.content, '"［新增："');
      assert.equal(hidden.width, '1px');
      const name = await axName(page, '.field-changes td[data-label="修改后"]');
      assert.ok(name.replace(/\s+/g, '').includes('［新增：（不超过七日）］'), name);
    });
  });

  test('an expired list calls none of its versions current', async () => {
    await withPage({}, async (page) => {
      await visit(page, site.base + EXPIRED);
      const badges = await page.locator('.versions-table .status').allTextContents();
      assert.ok(badges.length > 0);
      assert.deepEqual([...new Set(badges.map((b) => b.trim()))], ['已失效']);
      assert.equal(await page.locator('.versions-table td[data-label="施行至"]').first().textContent(), '2024年3月31日');
      assert.match(await page.locator('main').textContent(), /本清单已失效，已由《[^》]+》替代/);
    });
  });

  test('on a phone and at the browser text size of 200%, captions and cells read as lines', async () => {
    for (const fontSize of [0, 32]) {
      await withPage({ viewport: { width: 375, height: 667 } }, async (page) => {
        if (fontSize) {
          const cdp = await page.context().newCDPSession(page);
          await cdp.send('Page.setFontSizes', { fontSizes: { standard: fontSize, fixed: Math.round(fontSize * 0.8125) } });
        }
        for (const url of [EXPIRED, REVISED, 'lists/scjg/2024-exempt/versions/']) {
          await visit(page, site.base + url);
          assert.deepEqual(await page.evaluate(squeezedText), [], `${url} at ${fontSize || 16}px`);
          const caption = await page.locator('caption').first().boundingBox();
          assert.ok(caption.width > 200, `${url}: the caption is ${caption.width}px wide`);
        }
      });
    }
  });
});
