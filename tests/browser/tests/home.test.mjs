// The home page's ways in: 按行业, 按区域, 按部门 and the eight guidance
// methods right after the intro, every term listed (暂无 when it has no
// document, and then not a link), an industry page one click away; the
// 更新动态 block, the footer link to changes/ on every page, and the
// sitemap entry; axe-clean in normal and reading mode.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { axe, formatViolations, visit, withPage as inPage } from '../lib/browser.mjs';
import { useSite } from '../lib/harness.mjs';
import { MISSING, TEMPLATES } from '../lib/pages.mjs';

const site = useSite();
const WAYS = [
  ['industries', '按行业'],
  ['districts', '按区域'],
  ['agencies', '按部门'],
  ['methods', '行政指导方式'],
];
const METHODS = ['引导', '示范', '提示', '辅导', '建议', '规劝', '约谈', '回访'];
const HOSTILE_404 = [/\/hostile\/(.*\/)?x$/];

const withPage = (options, fn) => inPage(site.browser, options, fn);

/** The ways in as shown: per block its heading, labels and terms. */
function waysOnPage() {
  return [...document.querySelectorAll('main nav.way')].map((nav) => {
    const heading = document.getElementById(nav.getAttribute('aria-labelledby'));
    return {
      key: [...nav.classList].find((c) => c.startsWith('way-'))?.slice(4),
      heading: heading && nav.contains(heading) ? heading.textContent.trim() : null,
      terms: [...nav.querySelectorAll('li')].map((li) => {
        const a = li.querySelector('a');
        return {
          name: li.querySelector('.way-name').textContent.trim(),
          count: li.querySelector('.way-count').textContent.trim(),
          href: a ? a.href : null,
          focusable: li.querySelector('a, button, [tabindex]') !== null,
        };
      }),
    };
  });
}

describe('home page: ways in and 更新动态', () => {
  test('the four ways in lead the page, each a labelled nav with every term of its registry, in order, with counts', async () => {
    await withPage({}, async (page) => {
      await visit(page, site.base);
      const ways = await page.evaluate(waysOnPage);
      assert.deepEqual(ways.map((w) => [w.key, w.heading]), WAYS);
      // Right after the intro, before anything else in main.
      const order = await page.evaluate(() => {
        const intro = document.querySelector('main .home-intro');
        const ways = document.querySelector('.home-ways');
        return { next: intro.nextElementSibling?.className, searchAfter: Boolean(ways.compareDocumentPosition(document.querySelector('.home-search')) & Node.DOCUMENT_POSITION_FOLLOWING) };
      });
      assert.equal(order.next, 'home-ways', 'the ways in follow the intro');
      assert.ok(order.searchAfter, 'the search box comes after them');

      // Each block holds exactly the registry page's terms, in its order,
      // with the same counts.
      for (const [i, [key]] of WAYS.entries()) {
        await visit(page, `${site.base}${key}/`);
        const terms = await page.$$eval('main .term-list li', (lis) =>
          lis.map((li) => ({ name: li.querySelector('a').textContent.trim(), href: li.querySelector('a').href, count: Number(li.querySelector('.count').textContent.match(/\d+/)[0]) })),
        );
        assert.ok(terms.length > 0, `${key}: the registry has terms`);
        assert.deepEqual(
          ways[i].terms.map((t) => [t.name, t.count]),
          terms.map((t) => [t.name, t.count ? `${t.count} 件` : '暂无']),
          `${key}: every term, in order, with its count`,
        );
        for (const [j, t] of terms.entries()) {
          assert.equal(ways[i].terms[j].href, t.count ? t.href : null, `${key}/${t.name}: linked only when it has documents`);
        }
      }
      assert.deepEqual(ways[3].terms.map((t) => t.name), METHODS, 'the eight methods of the regulation');
      assert.equal(ways[0].terms.length, 10, 'all ten industries of site.toml');
    });
  });

  test('an industry page (一业一页) is one click from the home page', async () => {
    await withPage({}, async (page) => {
      await visit(page, site.base);
      const block = page.getByRole('navigation', { name: '按行业' });
      await Promise.all([page.waitForURL(/\/zhifa\/industries\/catering\/$/), block.getByRole('link', { name: /^餐饮服务/ }).click()]);
      assert.equal(await page.evaluate(() => document.body.classList.contains('kind-trade')), true, 'the industry page, not a plain term listing');
      assert.match(await page.locator('main h1').textContent(), /餐饮服务/);
    });
  });

  test('every link of the ways in resolves to the page of its term', async () => {
    await withPage({}, async (page) => {
      await visit(page, site.base);
      const links = await page.$$eval('main nav.way .way-terms a', (as) => as.map((a) => ({ href: a.href, name: a.querySelector('.way-name').textContent.trim() })));
      assert.ok(links.length >= 30, `${links.length} links`);
      for (const { href, name } of links) {
        assert.match(href, /\/zhifa\/(industries|districts|agencies|methods)\/[a-z0-9-]+\/$/);
        const res = await page.request.get(href);
        assert.equal(res.status(), 200, href);
        const html = await res.text();
        const h1 = html.match(/<h1[^>]*>([\s\S]*?)<\/h1>/)?.[1] ?? '';
        assert.ok(h1.includes(name), `${href}: its heading names ${name} (${h1})`);
      }
      // Below the agencies, the way on to their record (执法公示情况).
      const more = await page.$eval('main nav.way-agencies .way-more a', (a) => ({ href: a.href, text: a.textContent }));
      assert.match(more.href, /\/zhifa\/record\/$/);
      assert.equal((await page.request.get(more.href)).status(), 200);
    });
  });

  test('terms without documents stay listed, marked 暂无, and are not links', async () => {
    // The hostile fixture has one guidance and one case, so most methods
    // and the agency “普通机构” have nothing yet.
    await withPage({ expected404: HOSTILE_404 }, async (page) => {
      await visit(page, site.hostile);
      const ways = await page.evaluate(waysOnPage);
      const methods = ways.find((w) => w.key === 'methods');
      assert.deepEqual(methods.terms.map((t) => t.name), METHODS, 'all eight methods are listed');
      const empty = ways.flatMap((w) => w.terms.filter((t) => t.count === '暂无'));
      assert.ok(empty.length >= 5, `${empty.length} terms marked 暂无`);
      for (const t of empty) {
        assert.equal(t.href, null, `${t.name}: no link`);
        assert.equal(t.focusable, false, `${t.name}: not a Tab stop`);
      }
      const linked = ways.flatMap((w) => w.terms.filter((t) => t.count !== '暂无'));
      assert.ok(linked.length >= 2 && linked.every((t) => t.href && /^\d+ 件$/.test(t.count)));
      // Hostile names are shown as text.
      assert.ok(ways.find((w) => w.key === 'industries').terms.some((t) => t.name === '行业</title><script>alert(1)</script>'));
    });
  });

  test('更新动态: the five newest public revisions, the link to changes/, and changes/ in the sitemap', async () => {
    await withPage({}, async (page) => {
      await visit(page, site.base + 'changes/');
      const all = await page.$$eval('main .change-list li', (lis) =>
        lis.map((li) => ({ date: li.querySelector('time').getAttribute('datetime'), title: li.querySelector('a').textContent.trim(), href: li.querySelector('a').href })),
      );
      assert.ok(all.length > 5, `the demo has ${all.length} revisions`);

      await visit(page, site.base);
      const block = page.getByRole('region', { name: '更新动态' });
      const shown = await block.locator('.change-list li').evaluateAll((lis) =>
        lis.map((li) => ({ date: li.querySelector('time').getAttribute('datetime'), title: li.querySelector('a').textContent.trim(), href: li.querySelector('a').href })),
      );
      assert.deepEqual(shown, all.slice(0, 5), 'the first five entries of changes/, newest first');
      await Promise.all([page.waitForURL(/\/zhifa\/changes\/$/), block.getByRole('link', { name: '查看全部更新动态' }).click()]);

      const sitemap = await (await page.request.get(site.base + 'sitemap.xml')).text();
      const entry = sitemap.match(/<url><loc>[^<]*\/zhifa\/changes\/<\/loc>(?:<lastmod>([\d-]+)<\/lastmod>)?<\/url>/);
      assert.ok(entry, 'changes/ is in the sitemap');
      assert.equal(entry[1], all[0].date, 'dated by the newest revision');
    });
  });

  test('every page links 更新动态 from its footer', async () => {
    await withPage({ expected404: [site.base + MISSING] }, async (page) => {
      for (const [name, path] of Object.entries(TEMPLATES)) {
        await visit(page, site.base + path, { status: path === MISSING ? 404 : 200 });
        const href = await page.locator('footer.site-footer a', { hasText: '更新动态' }).evaluateAll((as) => as.map((a) => a.href));
        assert.deepEqual(href, [site.base + 'changes/'], `${name}: one footer link to changes/`);
      }
      await visit(page, site.base + TEMPLATES['document cases']);
      await Promise.all([page.waitForURL(/\/zhifa\/changes\/$/), page.locator('footer.site-footer a', { hasText: '更新动态' }).click()]);
      assert.equal((await page.locator('main h1').textContent()).trim(), '更新动态');
    });
  });

  for (const [label, options] of [
    ['normal', {}],
    ['reading mode (大字号/高对比度)', { readingMode: true }],
    ['a phone in reading mode', { readingMode: true, viewport: { width: 375, height: 667 } }],
  ]) {
    test(`axe-clean home page: ${label}`, async () => {
      await withPage(options.viewport ? { viewport: options.viewport } : {}, async (page, w) => {
        if (options.readingMode) {
          await w.context.addInitScript(() => {
            if (location.protocol === 'http:') localStorage.setItem('gongshi-reading-mode', 'on');
          });
        }
        await visit(page, site.base);
        assert.equal(await page.evaluate(() => document.documentElement.classList.contains('reading-mode')), Boolean(options.readingMode));
        const violations = await axe(page);
        assert.equal(violations.length, 0, formatViolations(violations));
      });
    });
  }
});
