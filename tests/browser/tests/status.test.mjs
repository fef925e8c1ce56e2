// Statuses (现行有效 …) are computed on the build day; the page's script
// refreshes them from each badge's timeline, so a page built long ago shows
// the status of the day it is read. Without JavaScript the page says as of
// which day its status holds.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { visit, watchedContext } from '../lib/browser.mjs';
import { useSite } from '../lib/harness.mjs';
import { TEMPLATES } from '../lib/pages.mjs';

const site = useSite();
const PAGE = TEMPLATES['document warnings (high risk)']; // valid until 2027-03-31, built 2026-11-16

async function statusOn(when, options = {}) {
  const w = await watchedContext(site.browser, options);
  try {
    const page = await w.newPage();
    if (when) await page.clock.setFixedTime(new Date(when));
    await visit(page, site.base + PAGE);
    const facts = await page.evaluate(() => ({
      badge: document.querySelector('.doc-header .status').textContent.trim(),
      cls: document.querySelector('.doc-header .status').className,
      asOf: document.querySelector('[data-status-as-of] time').textContent.trim(),
    }));
    w.assertClean();
    return facts;
  } finally {
    await w.close();
  }
}

describe('statuses refresh in the reader\'s browser', () => {
  test('on the build day the page shows what the build computed', async () => {
    const s = await statusOn('2026-11-16T10:00:00+08:00');
    assert.equal(s.badge, '现行有效');
    assert.equal(s.asOf, '2026年11月16日');
  });

  test('read after valid_until, the bulletin shows 已失效 as of today', async () => {
    const s = await statusOn('2027-04-01T09:00:00+08:00');
    assert.equal(s.badge, '已失效');
    assert.match(s.cls, /status-expired/);
    assert.doesNotMatch(s.cls, /status-current/);
    assert.equal(s.asOf, '2027年4月1日');
  });

  test('the day is Beijing\'s: 2027-03-31 23:30 UTC is already April 1st', async () => {
    const s = await statusOn('2027-03-31T17:30:00Z');
    assert.equal(s.badge, '已失效');
  });

  test('without JavaScript the build-day status and its date stay', async () => {
    const s = await statusOn(null, { javaScriptEnabled: false });
    assert.equal(s.badge, '现行有效');
    assert.equal(s.asOf, '2026年11月16日');
  });
});
