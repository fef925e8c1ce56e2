// 8. Site search: the runtime (src/search/runtime/, as published: search.js) over the
// index gongshi build wrote, served by nginx. First the ranking, run in node
// against the served files (fast, no browser); then the search page in
// Chromium: typing shows results, filters and type tabs narrow them, the
// URL round-trips through the back button, keyboard-only use, axe, the CSP,
// hostile content shown as text, and what a cold query fetches.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { axe, formatViolations, visit, withPage as inPage } from '../lib/browser.mjs';
import { useSite } from '../lib/harness.mjs';
import { focusFacts } from '../lib/inpage.mjs';
import { loadRuntime } from '../lib/runtime.mjs';
import { REPO } from '../lib/server.mjs';

const site = useSite();
const runtime = loadRuntime();

describe('search ranking (the runtime in node, over the served index)', () => {
  before(() => runtime.configure({ index: `${site.base}search/` }));

  test('a violation finds its list item first, with its list, agency and status', async () => {
    const [first, second] = await runtime.search('营业执照', { expired: true });
    assert.equal(first.type, 'item');
    assert.equal(first.url, `${site.base}lists/scjg/2024-exempt/#item-SJ-MF-001`);
    assert.match(first.title, /营业执照/);
    assert.equal(first.parent.title, '示例市市场监管领域轻微违法行为免罚清单（2024年版）');
    assert.equal(first.parent.url, `${site.base}lists/scjg/2024-exempt/`);
    assert.deepEqual(first.agency, { key: 'scjg', name: '市市场监督管理局' });
    assert.deepEqual(first.status, { key: 'current', label: '现行有效' });
    assert.ok(first.excerpt.startsWith('适用条件：'), first.excerpt);
    // With expired material shown, the same item of the superseded 2023
    // list comes next, marked so.
    assert.equal(second.url, `${site.base}lists/scjg/2023-exempt/#item-SJ-MF-001`);
    assert.equal(second.status.key, 'expired');
    assert.ok(first.score >= second.score);
  });

  test('current first: versions of an item are one result, expired material only on request', async () => {
    for (const q of ['营业执照', '健康证', '价格标签写得不全', '未将营业执照置于住所或者主要经营场所的醒目位置']) {
      const res = await runtime.query(q, { limit: 100, facets: false });
      assert.ok(res.results.length > 0, q);
      assert.ok(res.results.every((r) => !r.status || r.status.key !== 'expired'), `${q}: no expired result by default`);
      const item = res.results.find((r) => r.url.endsWith('#item-SJ-MF-001') || r.url.endsWith('#item-SJ-MF-008') || r.url.endsWith('#item-SJ-MF-006'));
      assert.ok(item, q);
      assert.match(item.url, /2024-exempt/, `${q}: the current list's item`);
      assert.equal(item.versions.length, 1, `${q}: 另有 1 个历史版本`);
      assert.match(item.versions[0].url, /\/lists\/scjg\/2023-exempt\/#item-SJ-MF-00[168]$/);
      assert.equal(item.versions[0].status.key, 'expired');
      // Shown: every version a result, the current one above the expired.
      const all = await runtime.query(q, { limit: 100, facets: false, expired: true });
      const urls = all.results.map((r) => r.url);
      const old = urls.indexOf(item.versions[0].url);
      assert.ok(urls.indexOf(item.url) >= 0 && urls.indexOf(item.url) < old, `${q}: current above expired`);
      assert.ok(all.results.every((r) => r.versions.length === 0), 'nothing folded when shown');
    }
    // The old text of an item finds its current version; hidden results are counted.
    const res = await runtime.query('健康证', { facets: false });
    assert.ok(res.hidden > 0, 'the expired risk point is counted as hidden');
    const all = await runtime.query('健康证', { facets: false, expired: true, limit: 100 });
    assert.ok(all.results.some((r) => r.url.endsWith('2025-catering-spring/#risk-2')), 'and found with expired: true');
    // Only an expired bulletin has every word of 健康证过期了: by default the
    // current partial matches show, the right exemption first; showing
    // expired material adds the bulletin and keeps every one of them.
    const now = await runtime.query('健康证过期了', { facets: false, limit: 100 });
    assert.equal(now.complete, false);
    assert.ok(now.hidden > 0);
    assert.match(now.results[0].url, /#item-SJ-MF-008$/);
    const also = await runtime.query('健康证过期了', { facets: false, limit: 100, expired: true });
    const alsoUrls = also.results.map((r) => r.url);
    for (const r of now.results) assert.ok(alsoUrls.includes(r.url), `${r.url} stays when expired material is shown`);
    assert.ok(also.results.some((r) => r.status && r.status.key === 'expired'), 'and the expired bulletin is added');
    assert.equal(also.count, now.count + also.results.filter((r) => r.status && r.status.key === 'expired').length);
    // A status filter with 已失效 shows them too.
    const exp = await runtime.query('健康证', { facets: false, filters: { status: ['expired'] }, limit: 100 });
    assert.ok(exp.count > 0 && exp.results.every((r) => r.status.key === 'expired'));
  });

  test('natural questions: filler dropped, the default lexicon applies, pinyin of several words', async () => {
    assert.equal(runtime.tokenizer.dropFiller('饭店员工没有健康证会被罚款吗'), '饭店员工没有健康证');
    assert.equal(runtime.tokenizer.dropFiller('公司搬家了没去变更登记'), '公司搬家 去变更登记');
    assert.equal(runtime.tokenizer.dropFiller('吗'), '吗', 'nothing dropped when nothing would be left');
    assert.equal(runtime.tokenizer.dropFiller('酒吧'), '酒吧');
    const res = await runtime.query('饭店员工没有健康证会被罚款吗');
    assert.deepEqual(res.clauses.map((c) => c.text), ['饭店', '员工', '没有', '健康证']);
    assert.ok(res.synonyms.some((x) => x.from === '饭店' && x.to === '餐饮'), 'from the theme lexicon');
    assert.ok(res.synonyms.some((x) => x.from === '健康证' && x.to === '健康证明'), 'from the site, merged');
    const [py] = await runtime.search('dongji weihuapin');
    assert.match(py.title, /危险化学品/, 'weihuapin → 危化品 → 危险化学品');
    const [yy] = await runtime.search('yingye zhizhao');
    assert.match(yy.title, /营业执照/);
  });

  test('the plain-language question set: the right current page in the top 3', async () => {
    const { questions } = JSON.parse(readFileSync(join(REPO, 'tests/search-questions.json'), 'utf8'));
    assert.ok(questions.length >= 40);
    let top3 = 0;
    let top1 = 0;
    const misses = [];
    for (const { q, expect } of questions) {
      const urls = (await runtime.search(q, { limit: 3 })).map((r) => r.url.slice(site.base.length));
      const at = urls.findIndex((u) => expect.includes(u));
      if (at >= 0) top3++;
      if (at === 0) top1++;
      if (at < 0) misses.push(`${q} → ${urls.join(' ')}`);
    }
    process.stdout.write(`# search questions: ${top3}/${questions.length} in the top 3, ${top1} first\n`);
    for (const q of ['饭店员工没有健康证会被罚款吗', '公司搬家了没去变更登记', '广告里写了最佳两个字会罚吗']) {
      assert.ok(!misses.some((m) => m.startsWith(`${q} →`)), `${q} must be in the top 3`);
    }
    assert.ok(top3 >= questions.length - 2, `top 3: ${top3}/${questions.length}; misses:\n${misses.join('\n')}`);
  });

  test('disputes: 劳动纠纷找谁 finds 劳动争议, a result labelled 行政调解 with who mediates', async () => {
    const [first, second] = await runtime.search('劳动纠纷找谁');
    assert.equal(first.url, `${site.base}mediation/labor/`);
    assert.equal(first.title, '劳动争议');
    assert.equal(first.type, 'mediation');
    assert.equal(first.type_name, '行政调解');
    assert.equal(first.parent, null);
    assert.equal(first.status, null, 'a page of site.toml has no status');
    assert.deepEqual(first.agency, { key: 'rsj', name: '市人力资源和社会保障局' });
    assert.ok(first.excerpt.startsWith('调解机关：市人力资源和社会保障局；'), first.excerpt);
    assert.equal(second.url, `${site.base}mediation/`, 'then the page of every kind');
    assert.equal(second.agency, null, 'which no one agency publishes');
    // The type tab counts them: 行政调解 and the kinds whose page says 调解
    // (the land page speaks of 书面申请 only).
    const res = await runtime.query('调解', { limit: 20 });
    const tab = res.types.find((t) => t.key === 'mediation');
    assert.equal(tab.name, '行政调解');
    assert.equal(tab.count, res.results.filter((r) => r.type === 'mediation').length);
    assert.ok(tab.count >= 8, `${tab.count}`);
  });

  test('a risk point is a result of its own, linked to its anchor', async () => {
    // (That bulletin has expired: shown on request.)
    const [first] = await runtime.search('健康证明过期', { expired: true });
    assert.equal(first.type, 'risk');
    assert.equal(first.url, `${site.base}warnings/2025-catering-spring/#risk-2`);
    assert.equal(first.parent.type, 'warnings');
  });

  test('a part of a word finds the whole (执照 → 营业执照)', async () => {
    const part = await runtime.query('执照');
    const whole = await runtime.query('营业执照');
    assert.ok(part.complete);
    assert.deepEqual(part.results.map((r) => r.url).slice(0, 3), whole.results.map((r) => r.url).slice(0, 3));
  });

  test('traditional characters, full width and case fold to the same results', async () => {
    const simplified = (await runtime.search('营业执照')).map((r) => r.url);
    assert.deepEqual((await runtime.search('營業執照')).map((r) => r.url), simplified);
    assert.deepEqual((await runtime.search('　营业执照　')).map((r) => r.url), simplified);
  });

  test('pinyin, full and initials, finds headlines', async () => {
    for (const q of ['yingyezhizhao', 'yyzz', 'YingYeZhiZhao']) {
      const [first] = await runtime.search(q);
      assert.ok(first, `${q} finds something`);
      assert.match(first.title, /营业执照/, q);
    }
    const [e] = await runtime.search('ddzxc');
    assert.ok(e, 'initials of 电动自行车 … find it');
  });

  test('synonyms from synonyms.toml: 电动车 finds 电动自行车, and says so', async () => {
    const res = await runtime.query('电动车');
    assert.ok(res.complete);
    assert.match(res.results[0].title, /电动自行车/);
    assert.deepEqual(res.synonyms, [{ from: '电动车', to: '电动自行车' }]);
    const fire = await runtime.query('消防通道');
    assert.ok(fire.results.some((r) => /疏散通道/.test(r.title)), 'a list of replacements: 消防车通道, 疏散通道');
  });

  test('no record with every term: best partial matches, said so, and did you mean', async () => {
    const res = await runtime.query('营业执找');
    assert.equal(res.complete, false);
    assert.ok(res.count > 0);
    assert.match(res.results[0].title, /营业执照/);
    assert.equal(res.suggestion, '营业执照');
    const ok = await runtime.query('营业执照');
    assert.equal(ok.suggestion, null, 'no suggestion when everything matched');
    // Inside a longer headline, and for two characters.
    assert.equal((await runtime.query('进货查演记录')).suggestion, '进货查验记录');
    // A lexicon word inside the run is cut out and searched alone: 健康证名
    // finds the 健康证明 item itself, with nothing left to suggest.
    // A phrase that is a lexicon word itself is not cut (过期食品 stays
    // whole, not 过期 + 食品).
    assert.deepEqual((await runtime.query('过期食品')).clauses.map((c) => c.text), ['过期食品']);
    const named = await runtime.query('健康证名');
    assert.match(named.results[0].url, /#item-SJ-MF-008$/);
    assert.equal(named.suggestion, null);
    assert.equal((await runtime.query('执找')).suggestion, '执照');
    // Words the site uses are not typos: a resident's sentence that no one
    // record holds whole gets no "did you mean" that rewrites its words
    // (过期 → 定期, 员工 → 法工, 超市 → 市市).
    for (const q of ['健康证过期了', '员工没有健康证', '超市卖过期食品会罚多少', '厨师没办健康证']) {
      const r = await runtime.query(q);
      assert.equal(r.suggestion, null, `${q}: ${r.suggestion}`);
    }
    // An unknown word beside known ones: only it is replaced.
    assert.equal((await runtime.query('餐饮 营业执找')).suggestion, '餐饮 营业执照');
  });

  test('two words: records with both first, adjacency helps', async () => {
    const res = await runtime.query('餐饮 油烟');
    assert.ok(res.complete);
    assert.match(res.results[0].title, /油烟/);
    assert.match(res.results[0].title, /餐饮/);
  });

  test('filters narrow, counts ignore their own dimension, sort by date', async () => {
    const all = await runtime.query('安全', { limit: 100 });
    const yjgl = await runtime.query('安全', { filters: { agency: ['yjgl'] }, limit: 100 });
    assert.ok(yjgl.count > 0 && yjgl.count < all.count);
    assert.ok(yjgl.results.every((r) => r.agency && r.agency.key === 'yjgl'));
    const agency = yjgl.facets.find((f) => f.key === 'agency');
    assert.equal(agency.terms.find((t) => t.key === 'yjgl').count, yjgl.count);
    assert.ok(agency.terms.find((t) => t.key === 'yjgl').selected);
    assert.ok(agency.terms.some((t) => t.key !== 'yjgl' && t.count > 0), 'other agencies still counted');
    const types = all.types.reduce((n, t) => n + t.count, 0);
    assert.equal(types, all.count, 'type counts add up to the total');
    const items = await runtime.query('安全', { filters: { type: ['item'] }, limit: 100 });
    assert.ok(items.results.every((r) => r.type === 'item'));
    assert.equal(items.count, all.types.find((t) => t.key === 'item').count);
    const byDate = await runtime.query('安全', { sort: 'date', limit: 100 });
    const dates = byDate.results.map((r) => r.date || '0000');
    assert.deepEqual(dates, [...dates].sort().reverse(), 'newest first');
  });

  test('type counts without facets.bin; facet counts match a count over every result', async () => {
    const quick = await runtime.query('安全', { facets: false });
    assert.equal(quick.facets, null, 'no facet counts asked for');
    assert.equal(quick.types.reduce((n, t) => n + t.count, 0), quick.count, 'type counts come anyway');
    for (const filters of [{}, { agency: ['yjgl'] }, { type: ['item'] }, { status: ['current'], type: ['lists', 'item'] }]) {
      const res = await runtime.query('安全', { filters, limit: 100000 });
      assert.equal(res.results.length, res.count);
      // Brute force, from the display data of every result: each dimension
      // counted over the results the other filters keep.
      // The status facet counts expired matches too: ticking 已失效 shows them.
      const unfiltered = async (skip) => {
        const f = { ...filters };
        delete f[skip];
        return (await runtime.query('安全', { filters: f, limit: 100000, facets: false, expired: skip === 'status' })).results;
      };
      const tally = (rs, key) => rs.reduce((m, r) => { const k = key(r); if (k) m[k] = (m[k] || 0) + 1; return m; }, {});
      const want = {
        type: tally(await unfiltered('type'), (r) => r.type),
        agency: tally(await unfiltered('agency'), (r) => r.agency && r.agency.key),
        status: tally(await unfiltered('status'), (r) => r.status && r.status.key),
      };
      const got = {
        type: Object.fromEntries(res.types.filter((t) => t.count).map((t) => [t.key, t.count])),
        agency: Object.fromEntries(res.facets.find((f) => f.key === 'agency').terms.filter((t) => t.count).map((t) => [t.key, t.count])),
        status: Object.fromEntries(res.facets.find((f) => f.key === 'status').terms.filter((t) => t.count).map((t) => [t.key, t.count])),
      };
      assert.deepEqual(got, want, JSON.stringify(filters));
    }
  });

  test('nothing found is an empty list, not an error', async () => {
    assert.deepEqual(await runtime.search('zzzqqqxxx'), []);
    assert.deepEqual(await runtime.search('，。！'), []);
  });
});

/** Runs fn with a watched page; fails on console errors, CSP violations, failed loads. */
const withPage = (fn, options = {}) => inPage(site.browser, options, fn);

const hits = (page) => page.locator('#search-results .search-hit');
const statusText = (page) => page.locator('#search-status').textContent();
async function waitForHits(page) {
  await page.locator('#search-results .search-hit').first().waitFor();
}
/** Results and type tabs shown, and facets when the panel is open (search-ui.js sets data-state). */
async function waitForCounts(page) {
  await page.locator('#search-results[data-state=done] .search-types').waitFor();
}
/** Opens the filter panel (a click on its summary) and waits for its counts. */
async function openFilters(page) {
  assert.equal(await page.locator('#search-filters').evaluate((d) => d.open), false, 'the panel starts closed');
  await page.locator('#search-filters-toggle').click();
  await page.locator('#search-facets-slot[data-state=done]').waitFor();
}
/** What the accessibility tree says of an element: role, name, expanded. */
async function axNode(page, selector) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument');
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
    const { nodes } = await cdp.send('Accessibility.getPartialAXTree', { nodeId, fetchRelatives: false });
    const n = nodes[0];
    const prop = (k) => ((n.properties || []).find((p) => p.name === k) || {}).value;
    return { role: n.role && n.role.value, name: n.name && n.name.value, expanded: (prop('expanded') || {}).value };
  } finally {
    await cdp.detach();
  }
}
/** The counts a facet shows in the panel: {term key: count}. */
async function panelCounts(page, dim) {
  return page.locator(`#search-facets-slot input[id^="facet-${dim}-"]`).evaluateAll((boxes, dim) => Object.fromEntries(boxes.map((b) => [
    b.id.slice(`facet-${dim}-`.length),
    Number(document.querySelector(`label[for="${b.id}"] .count`).textContent.match(/\d+/)[0]),
  ])), dim);
}

describe('the search page', () => {
  test('typing a query shows results and announces how many', async () => {
    await withPage(async (page) => {
      await visit(page, `${site.base}search/`);
      assert.equal(await page.locator('#search-results').getAttribute('data-search-index'), '/zhifa/search/');
      await page.locator('#search-q').click();
      await page.keyboard.type('营业执照');
      await waitForHits(page);
      assert.match(await statusText(page), /^找到 \d+ 条结果$/);
      assert.equal(await page.locator('#search-status').getAttribute('role'), 'status');
      const first = hits(page).first();
      assert.equal(await first.locator('h3 a').getAttribute('href'), '/zhifa/lists/scjg/2024-exempt/#item-SJ-MF-001');
      assert.match(await first.locator('.hit-parent').textContent(), /出自：示例市市场监管领域轻微违法行为免罚清单（2024年版）/);
      assert.ok((await first.locator('mark').count()) > 0, 'the query is marked in the title');
      assert.match(await first.locator('.badge').textContent(), /现行有效/);
      // Typing keeps the URL in step without filling the history.
      await page.waitForFunction(() => new URLSearchParams(location.search).get('q') === '营业执照');
      // Focus stays in the box while typing.
      assert.equal(await page.evaluate(() => document.activeElement.id), 'search-q');
    });
  });

  test('hot words are links that search', async () => {
    await withPage(async (page) => {
      await visit(page, `${site.base}search/`);
      const words = await page.locator('.hot-words a').allTextContents();
      assert.deepEqual(words, ['营业执照', '健康证明', '免罚清单', '电动自行车', '危险化学品', '消防通道']);
      await page.locator('.hot-words a', { hasText: '电动自行车' }).click();
      await waitForCounts(page);
      assert.equal(new URL(page.url()).searchParams.get('q'), '电动自行车');
      assert.equal(await page.locator('#search-q').inputValue(), '电动自行车');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'search-results-title');
    });
  });

  test('on a phone the first result is on the first screen: hot words give way, the tabs are one row', async () => {
    await withPage(async (page) => {
      await visit(page, `${site.base}search/`);
      assert.ok(await page.locator('.hot-words').isVisible(), 'an empty box offers the hot words');
      await visit(page, `${site.base}search/?q=${encodeURIComponent('营业执照没挂')}`);
      await waitForCounts(page);
      assert.equal(await page.locator('.hot-words').isVisible(), false);
      const first = await hits(page).first().locator('h3').boundingBox();
      assert.ok(first && first.y + first.height <= 844, `the first result's title ends at ${first && first.y + first.height}px`);
      const rows = await page.locator('.search-types li').evaluateAll((lis) => new Set(lis.map((li) => Math.round(li.getBoundingClientRect().top))).size);
      assert.equal(rows, 1, 'the type tabs are one row');
      // The row scrolls inside itself; the page does not.
      assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth), true);
    }, { viewport: { width: 390, height: 844 } });
  });

  test('type tabs and facets narrow the results; the URL and the back button follow', async () => {
    await withPage(async (page) => {
      await visit(page, `${site.base}search/?q=${encodeURIComponent('营业执照')}`);
      await waitForCounts(page);
      const total = Number((await statusText(page)).match(/\d+/)[0]);
      // Type tab: list items only.
      await page.locator('#search-type-item').click();
      await page.waitForFunction(() => new URLSearchParams(location.search).get('type') === 'item');
      await waitForCounts(page);
      assert.equal(await page.locator('#search-type-item').getAttribute('aria-pressed'), 'true');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'search-type-item', 'focus stays on the tab');
      const labels = await hits(page).locator('.type-label').allTextContents();
      assert.ok(labels.length > 0 && labels.every((l) => l === '清单事项'), labels.join());
      // Facet: expired only, in the filter panel.
      await openFilters(page);
      await page.locator('#facet-status-expired').check();
      await page.waitForFunction(() => new URLSearchParams(location.search).get('status') === 'expired');
      await waitForCounts(page);
      const narrowed = Number((await statusText(page)).match(/\d+/)[0]);
      assert.ok(narrowed > 0 && narrowed < total, `${narrowed} < ${total}`);
      const badges = await hits(page).locator('.badge').allTextContents();
      assert.ok(badges.every((b) => b === '已失效'), badges.join());
      assert.match(await page.locator('#search-filters-toggle').textContent(), /已选 1 项/);
      // Back: the facet goes, then the tab; the panel stays open.
      await page.goBack();
      await page.waitForFunction(() => !new URLSearchParams(location.search).has('status'));
      await page.locator('#facet-status-expired').waitFor();
      assert.equal(await page.locator('#facet-status-expired').isChecked(), false);
      await page.goBack();
      await page.waitForFunction(() => !new URLSearchParams(location.search).has('type'));
      await waitForCounts(page);
      assert.equal(await page.locator('#search-type-all').getAttribute('aria-pressed'), 'true');
      assert.equal(Number((await statusText(page)).match(/\d+/)[0]), total);
    });
  });

  test('a shared URL shows the same results: query, filters and sort', async () => {
    await withPage(async (page) => {
      await visit(page, `${site.base}search/?q=${encodeURIComponent('电动车')}&type=risk&sort=date`);
      await waitForCounts(page);
      assert.equal(await page.locator('#search-q').inputValue(), '电动车');
      assert.equal(await page.locator('#search-sort').inputValue(), 'date');
      assert.equal(await page.locator('#search-type-risk').getAttribute('aria-pressed'), 'true');
      assert.match(await hits(page).first().locator('h3').textContent(), /电动自行车/);
      assert.match(await page.locator('.search-synonyms').textContent(), /“电动车”同时按“电动自行车”查找/);
    });
  });

  test('the expired switch: off by default, in the URL, back and forward follow; versions as links', async () => {
    await withPage(async (page) => {
      await visit(page, `${site.base}search/?q=${encodeURIComponent('营业执照')}`);
      await waitForCounts(page);
      const box = page.locator('#search-expired');
      assert.equal(await box.isChecked(), false);
      assert.equal(await hits(page).locator('.badge', { hasText: '已失效' }).count(), 0, 'no expired result by default');
      // The current item says it has an older version and links to it.
      const first = hits(page).first();
      assert.equal(await first.locator('h3 a').getAttribute('href'), '/zhifa/lists/scjg/2024-exempt/#item-SJ-MF-001');
      const versions = first.locator('details.hit-versions');
      assert.equal(await versions.locator('summary').textContent(), '另有 1 个历史版本');
      await versions.locator('summary').click();
      assert.equal(await versions.locator('a').getAttribute('href'), '/zhifa/lists/scjg/2023-exempt/#item-SJ-MF-001');
      assert.match(await versions.locator('li').textContent(), /已失效/);
      const before = Number((await statusText(page)).match(/\d+/)[0]);
      // On: in the URL, expired results shown, focus stays on the switch.
      await box.check();
      await page.waitForFunction(() => new URLSearchParams(location.search).get('expired') === '1');
      await waitForCounts(page);
      assert.equal(await page.evaluate(() => document.activeElement.id), 'search-expired');
      const after = Number((await statusText(page)).match(/\d+/)[0]);
      assert.ok(after > before, `${after} > ${before}`);
      assert.ok(await hits(page).locator('.badge', { hasText: '已失效' }).count() > 0);
      // Back: off again; forward: on.
      await page.goBack();
      await page.waitForFunction(() => !new URLSearchParams(location.search).has('expired'));
      await waitForCounts(page);
      assert.equal(await page.locator('#search-expired').isChecked(), false);
      assert.equal(Number((await statusText(page)).match(/\d+/)[0]), before);
      await page.goForward();
      await page.waitForFunction(() => new URLSearchParams(location.search).get('expired') === '1');
      await waitForCounts(page);
      assert.equal(await page.locator('#search-expired').isChecked(), true);
      // A shared URL with the switch on.
      await visit(page, `${site.base}search/?q=${encodeURIComponent('健康证')}&expired=1`);
      await waitForCounts(page);
      assert.equal(await page.locator('#search-expired').isChecked(), true);
      assert.ok(await hits(page).locator('.badge', { hasText: '已失效' }).count() > 0);
      const violations = await axe(page);
      assert.equal(violations.length, 0, formatViolations(violations));
    });
  });

  test('a typo gets a partial-match notice and a suggestion that searches', async () => {
    await withPage(async (page) => {
      await visit(page, `${site.base}search/?q=${encodeURIComponent('营业执找')}`);
      await waitForHits(page);
      assert.match(await page.locator('#search-results .notice').first().textContent(), /没有同时包含全部关键词的结果/);
      assert.match(await statusText(page), /部分匹配.*您是不是要找：营业执照/);
      await page.locator('.search-suggestion a').click();
      await page.waitForFunction(() => new URLSearchParams(location.search).get('q') === '营业执照');
      await page.waitForFunction(() => /^找到 \d+ 条结果$/.test(document.getElementById('search-status').textContent));
      assert.equal(await page.locator('#search-q').inputValue(), '营业执照');
    });
  });

  test('keyboard only: search, land on the results, filter with Space, open a result', async () => {
    await withPage(async (page) => {
      await visit(page, `${site.base}search/`);
      await page.keyboard.press('Tab'); // skip link
      await page.keyboard.press('Enter');
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'search-q', 'the first stop in main is the search box');
      await page.keyboard.type('健康证明');
      await page.keyboard.press('Enter');
      await waitForHits(page);
      await page.waitForFunction(() => document.activeElement.id === 'search-results-title');
      await waitForCounts(page);
      // Tab on to the first result, every stop visibly focused.
      let reached = false;
      for (let i = 0; i < 20 && !reached; i++) {
        await page.keyboard.press('Tab');
        const f = await page.evaluate(focusFacts);
        assert.ok(f && f.focusVisible && f.outlineStyle !== 'none', `visible focus on ${f && f.element}`);
        reached = await page.evaluate(() => !!document.activeElement.closest('.search-hit'));
      }
      assert.ok(reached, 'Tab reaches the first result');
      // The filter panel opens with Enter on its summary, which says so.
      const toggle = page.locator('#search-filters-toggle');
      await toggle.focus();
      assert.equal(await page.locator('#search-filters').evaluate((d) => d.open), false);
      await page.keyboard.press('Enter');
      await page.locator('#search-facets-slot[data-state=done]').waitFor();
      const ax = await axNode(page, '#search-filters-toggle');
      assert.equal(ax.name, '筛选（机构、行业、年份……）');
      assert.equal(ax.expanded, true, JSON.stringify(ax));
      assert.equal(await page.evaluate(() => document.activeElement.id), 'search-filters-toggle', 'focus stays on the summary');
      // Back to a facet checkbox: Space toggles it, focus stays there.
      const box = page.locator('#search-facets-slot input[type=checkbox]').first();
      const id = await box.getAttribute('id');
      await box.focus();
      await page.keyboard.press('Space');
      await page.waitForFunction(() => location.search.includes('agency=') || location.search.includes('status='));
      await page.waitForFunction((want) => document.activeElement.id === want, id);
      assert.equal(await page.locator(`#${id}`).isChecked(), true);
      // Enter on a result opens it at its anchor.
      const link = hits(page).first().locator('h3 a');
      const href = await link.getAttribute('href');
      await link.focus();
      await Promise.all([page.waitForURL((u) => u.pathname + u.hash === href), page.keyboard.press('Enter')]);
      assert.ok(await page.evaluate(() => !!document.querySelector(':target')), 'the anchor exists');
      // Back: the same results and filter.
      await page.goBack();
      await waitForHits(page);
      assert.equal(await page.locator('#search-q').inputValue(), '健康证明');
    });
  });

  test('axe finds nothing on the search page with results, the filter panel closed or open, also in reading mode', async () => {
    for (const reading of [false, true]) {
      await withPage(async (page, w) => {
        if (reading) {
          await w.context.addInitScript(() => {
            if (location.protocol === 'http:') window.localStorage.setItem('gongshi-reading-mode', 'on');
          });
        }
        await visit(page, `${site.base}search/?q=${encodeURIComponent('营业执找')}`);
        await waitForCounts(page);
        const violations = await axe(page);
        assert.equal(violations.length, 0, `axe${reading ? ' (reading mode)' : ''}:\n${formatViolations(violations)}`);
        await openFilters(page);
        const open = await axe(page);
        assert.equal(open.length, 0, `axe, panel open${reading ? ' (reading mode)' : ''}:\n${formatViolations(open)}`);
      });
    }
  });

  test('the programmatic API answers on the page', async () => {
    await withPage(async (page) => {
      await visit(page, `${site.base}search/`);
      await page.waitForFunction(() => window.gongshi && typeof window.gongshi.search === 'function');
      const r = await page.evaluate(() => window.gongshi.search('营业执照', { filters: { agency: ['scjg'] } }));
      assert.ok(r.length > 0);
      for (const key of ['url', 'title', 'type', 'excerpt', 'parent', 'agency', 'status', 'score']) {
        assert.ok(key in r[0], `result has ${key}`);
      }
      assert.ok(r.every((x) => x.agency.key === 'scjg'));
    });
  });

  test('a cold query fetches the meta, its shards, its synonyms and the shown records only', async () => {
    await withPage(async (page) => {
      const fetched = [];
      page.on('requestfinished', (req) => {
        const u = new URL(req.url());
        if (u.pathname.startsWith('/zhifa/search/') && u.pathname !== '/zhifa/search/') fetched.push(u.pathname.slice('/zhifa/search/'.length));
      });
      await visit(page, `${site.base}search/?q=${encodeURIComponent('营业执照')}`);
      await waitForCounts(page);
      const kinds = new Set(fetched.map((f) => f.replace(/\/.*$/, '/')));
      assert.deepEqual([...kinds].sort(), ['meta.json', 'r/', 'syn/', 't/'], 'type tabs need no facets.bin');
      // The synonyms of keys that start with one of its four characters, not the lexicon.
      const syn = fetched.filter((f) => f.startsWith('syn/')).map((f) => f.replace(/\?.*$/, ''));
      assert.ok(syn.length >= 1 && syn.length <= 4, syn.join(' '));
      const meta = await page.evaluate(async () => (await fetch('/zhifa/search/meta.json')).json());
      assert.ok(syn.every((f) => [...'营业执照'].some((c) => f === `syn/${c.codePointAt(0) % meta.synonym_files}.json`)), syn.join(' '));
      assert.ok(fetched.filter((f) => f.startsWith('t/')).length <= 3, '营业执照: three bigrams, at most three shards');
      assert.ok(!fetched.some((f) => f.startsWith('t2s/')) && !fetched.includes('vocab.txt'), fetched.join(' '));
      assert.ok(Number(await page.locator('#search-type-item .count').textContent().then((t) => t.match(/\d+/)[0])) > 0);
      // Opening the filter panel fetches facets.bin, once.
      fetched.length = 0;
      await openFilters(page);
      assert.deepEqual(fetched.map((f) => f.replace(/\?.*$/, '')), ['facets.bin']);
      // Its counts are those of every result (brute force over the API).
      const brute = await page.evaluate(async () => {
        const m = { agency: {}, status: {} };
        const rs = (await window.gongshi.query('营业执照', { limit: 100000, facets: false })).results;
        for (const r of rs) if (r.agency) m.agency[r.agency.key] = (m.agency[r.agency.key] || 0) + 1;
        // Status counts expired matches too (ticking 已失效 shows them).
        const all = (await window.gongshi.query('营业执照', { limit: 100000, facets: false, expired: true })).results;
        for (const r of all) if (r.status) m.status[r.status.key] = (m.status[r.status.key] || 0) + 1;
        return m;
      });
      assert.deepEqual(await panelCounts(page, 'agency'), brute.agency);
      assert.deepEqual(await panelCounts(page, 'status'), brute.status);
      // A new query with the panel open counts at once, from the cached file.
      fetched.length = 0;
      await page.locator('#search-q').fill('健康证明');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => new URLSearchParams(location.search).get('q') === '健康证明');
      await page.locator('#search-facets-slot[data-state=done]').waitFor();
      assert.ok(!fetched.includes('facets.bin'), fetched.join(' '));
      // A traditional query needs the table.
      fetched.length = 0;
      await page.locator('#search-q').fill('營業執照');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => new URLSearchParams(location.search).get('q') === '營業執照');
      await page.waitForFunction(() => /營業執照/.test(document.getElementById('search-results-title').textContent));
      // … only the blocks of the table its characters are in.
      const blocks = fetched.filter((f) => f.startsWith('t2s/'));
      assert.ok(blocks.length >= 1 && blocks.length <= 3, fetched.join(' '));
      assert.match(await hits(page).first().locator('h3').textContent(), /营业执照/);
    });
  });

  test('a URL with a facet filter opens the panel and fetches facets.bin at once', async () => {
    await withPage(async (page) => {
      const fetched = [];
      page.on('requestfinished', (req) => {
        const u = new URL(req.url());
        if (u.pathname.startsWith('/zhifa/search/')) fetched.push(u.pathname.slice('/zhifa/search/'.length));
      });
      await visit(page, `${site.base}search/?q=${encodeURIComponent('安全')}&agency=yjgl`);
      await waitForCounts(page);
      assert.ok(fetched.includes('facets.bin'), fetched.join(' '));
      assert.equal(await page.locator('#search-filters').evaluate((d) => d.open), true, 'the panel is open');
      assert.equal(await page.locator('#search-facets-slot').getAttribute('data-state'), 'done');
      assert.match(await page.locator('#search-filters-toggle').textContent(), /已选 1 项/);
      assert.equal(await page.locator('#facet-agency-yjgl').isChecked(), true);
      const count = Number((await statusText(page)).match(/\d+/)[0]);
      assert.equal((await panelCounts(page, 'agency')).yjgl, count);
      const all = await page.evaluate(() => window.gongshi.query('安全', { filters: { agency: ['yjgl'] }, limit: 100000, facets: false }));
      assert.equal(all.count, count);
      assert.ok(all.results.every((r) => r.agency && r.agency.key === 'yjgl'));
      const shown = await hits(page).locator('h3 a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      assert.deepEqual(shown, all.results.slice(0, shown.length).map((r) => r.url));
      // The type tabs count within the filter.
      const tabs = await page.locator('.search-types button .count').allTextContents();
      assert.equal(Number(tabs[0].match(/\d+/)[0]), count, 'all types: the filtered count');
    });
  });

  test('results from hostile content are text: no markup runs', async () => {
    await withPage(async (page) => {
      let dialogs = 0;
      page.on('dialog', () => dialogs++);
      await visit(page, `${site.hostile}search/?q=${encodeURIComponent('违法行为 alert')}`);
      await waitForCounts(page);
      const facts = await page.evaluate(() => {
        const box = document.getElementById('search-results');
        return {
          text: box.textContent,
          elements: [...box.querySelectorAll('script, img, iframe, object, embed, [style]')].map((e) => e.outerHTML.slice(0, 60)),
          handlers: [...box.querySelectorAll('*')].flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => a.name)),
          jsLinks: [...box.querySelectorAll('a')].filter((a) => /^\s*javascript:/i.test(a.getAttribute('href'))).length,
        };
      });
      assert.match(facts.text, /<script>alert\(1\)<\/script>/, 'markup in a violation is shown as text');
      assert.deepEqual(facts.elements, []);
      assert.deepEqual(facts.handlers, []);
      assert.equal(facts.jsLinks, 0);
      assert.equal(dialogs, 0);
    }, { expected404: [/\/hostile\/(.*\/)?x$/] });
  });
});
