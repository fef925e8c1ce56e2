// 7. Hostile content (tests/browser/fixtures/hostile): markup, script,
// javascript: links and template syntax in every field an editor controls
// are shown as text; nothing runs, no dialog opens, no template evaluates.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { visit, watchedContext } from '../lib/browser.mjs';
import { useSite } from '../lib/harness.mjs';

const site = useSite();

const PAGES = [
  '',
  'lists/',
  'lists/hostile-list/',
  'guidance/hostile-guidance/',
  'cases/hostile-case/',
  'warnings/hostile-warning/',
  'about/notes/',
  'agencies/evil/',
  'districts/d1/',
  'industries/i1/',
  'industries/i2/',
  'list-kinds/exempt/',
  'risk-levels/high/',
  'search/',
  'search/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E%7B%7B7*7%7D%7D',
  'no-such-page/%3Cscript%3Ealert(1)%3C%2Fscript%3E',
];

describe('hostile content', () => {
  test('the watcher notices a dialog', async () => {
    const w = await watchedContext(site.browser);
    try {
      const page = await w.newPage();
      await visit(page, site.hostile + 'about/');
      await page.evaluate(() => alert('test'));
      assert.deepEqual(w.problems.map((p) => p.replace(/ on .*: /, ': ')), ['dialog (alert): test']);
    } finally {
      await w.close();
    }
  });

  test('no dialog opens and no script runs on any hostile page', async () => {
    const w = await watchedContext(site.browser, {
      // <img src=x onerror=…> is kept as a plain <img src=x>: a harmless 404.
      expected404: [/\/hostile\/(.*\/)?x$/, /\/hostile\/no-such-page\//],
    });
    try {
      const page = await w.newPage();
      let dialogs = 0;
      page.on('dialog', () => dialogs++);
      for (const path of PAGES) {
        const missing = path.startsWith('no-such-page');
        await visit(page, site.hostile + path, { status: missing ? 404 : 200 });
        // A query runs after load: let it finish before the next page.
        if (path.includes('?q=')) await page.locator('#search-results[data-state=done]').waitFor();
        // Hover and focus everything, in case a handler survived somewhere.
        await page.evaluate(() => {
          for (const el of document.querySelectorAll('body *')) {
            for (const type of ['mouseover', 'focus', 'click']) {
              if (type === 'click' && el.closest('a[href], button, form')) continue;
              el.dispatchEvent(new Event(type, { bubbles: false }));
            }
          }
        });
        const facts = await page.evaluate(() => ({
          scripts: [...document.scripts].map((s) => s.getAttribute('src') || `inline: ${s.textContent.slice(0, 40)}`),
          handlers: [...document.querySelectorAll('*')].flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName}[${a.name}]`)),
          jsUrls: [...document.querySelectorAll('[href], [src], [action], [data], [formaction]')]
            .flatMap((el) => ['href', 'src', 'action', 'data', 'formaction'].map((n) => el.getAttribute(n)))
            .filter((v) => v && /^\s*javascript:/i.test(v)),
          dangerous: [...document.querySelectorAll('main iframe, main object, main embed, main svg script, main form:not([role=search]), main [style]')].map((e) => e.outerHTML.slice(0, 80)),
        }));
        // The theme script, and on search/ the search runtime and its page.
        const theme = facts.scripts.filter((s) => /\/hostile\/(gongshi|search|search-ui)\.js\?v=/.test(s));
        assert.deepEqual(facts.scripts, theme, `${path}: only the theme's scripts`);
        assert.equal(theme.length, path.startsWith('search/') ? 3 : 1, `${path}: the theme script is there`);
        assert.deepEqual(facts.handlers, [], `${path}: no event-handler attributes`);
        assert.deepEqual(facts.jsUrls, [], `${path}: no javascript: URLs`);
        assert.deepEqual(facts.dangerous, [], `${path}: no frames, objects, scripts in SVG, forms or inline styles from content`);
      }
      assert.equal(dialogs, 0, 'no dialog opened');
      w.assertClean();
    } finally {
      await w.close();
    }
  });

  test('markup and template syntax are shown literally', async () => {
    const w = await watchedContext(site.browser, { expected404: [/\/hostile\/(.*\/)?x$/] });
    try {
      const page = await w.newPage();
      await visit(page, site.hostile + 'lists/hostile-list/');
      const text = await page.evaluate(() => ({
        title: document.title,
        h1: document.querySelector('main h1').textContent,
        main: document.querySelector('main').innerText,
        header: document.querySelector('.site-title').textContent,
        footer: document.querySelector('.site-footer').innerText,
        description: document.querySelector('meta[name=description]').content,
      }));
      assert.match(text.h1, /<\/script><script>alert\(1\)<\/script> \{\{ 7\*7 \}\}/, 'title shown as text');
      assert.match(text.title, /^清单标题 <\/script><script>alert\(1\)<\/script> \{\{ 7\*7 \}\} - 注入测试站/);
      assert.match(text.header, /\{\{ 7\*7 \}\}/);
      assert.match(text.main, /序言：\{\{ 7\*7 \}\} 应原样显示。/, '{{ 7*7 }} in the body is literal');
      assert.match(text.main, /摘要 <\/script><script>alert\(1\)<\/script> \{\{ 7\*7 \}\} \{% if true %\}x\{% endif %\}/, 'summary shown as text');
      assert.match(text.main, /违法行为 <script>alert\(1\)<\/script> \{\{ 7\*7 \}\}/, 'list item shown as text');
      assert.match(text.main, /处理 \{% if true %\}x\{% endif %\}/);
      assert.match(text.main, /条件 \[x\]\(javascript:alert\(1\)\)/, 'a markdown link in a plain field stays text');
      assert.match(text.footer, /主办 <b onmouseover=alert\(1\)>单位<\/b>/);
      assert.match(text.description, /\{\{ 7\*7 \}\} \{% if true %\}x\{% endif %\}/);
      assert.doesNotMatch(text.main + text.title + text.header, /(^|[^0-9])49([^0-9]|$)/, 'no template was evaluated');
      // The raw <a href="javascript:…"> and [x](javascript:…) lost their targets.
      for (const a of await page.locator('main .doc-content a').evaluateAll((as) => as.map((x) => x.getAttribute('href')))) {
        assert.ok(a === null || !/javascript:/i.test(a), `link target ${a}`);
      }

      await visit(page, site.hostile);
      const home = await page.evaluate(() => document.querySelector('main').innerText);
      assert.match(home, /首页介绍：\{\{ 7\*7 \}\} 与 \{% if true %\}模板语法\{% endif %\} 原样显示。/);

      await visit(page, site.hostile + 'warnings/hostile-warning/');
      const warning = await page.evaluate(() => document.querySelector('main').innerText);
      assert.match(warning, /风险点 <script>alert\(1\)<\/script> \{\{ 7\*7 \}\}/);
      assert.match(warning, /自查 \{\{ 7\*7 \}\}/);
      assert.match(await page.locator('.doc-facets .level').textContent(), /^高风险 <img src=x onerror=alert\(1\)>$/);
      w.assertClean();
    } finally {
      await w.close();
    }
  });
});
