// Debian's chromium driven by playwright-core, with every page watched for
// console messages, uncaught errors and Content-Security-Policy violations.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
export const AXE_PATH = require.resolve('axe-core/axe.min.js');
const AXE_SOURCE = readFileSync(AXE_PATH, 'utf8');

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Launch chromium with a fresh profile. Playwright refuses --user-data-dir
 * in `args` and takes it as launchPersistentContext's first parameter
 * instead; tests then open isolated contexts with browser.newContext().
 */
export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), 'gongshi-chromium-'));
  const persistent = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
    timeout: 30000,
  });
  const browser = persistent.browser();
  return {
    browser,
    async close() {
      await persistent.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

const matches = (list, url) => list.some((u) => (u instanceof RegExp ? u.test(url) : u === url));

/** Console messages that are expected and not a fault of the site. */
function expectedConsole(msg, expected404) {
  // Chromium logs an expected 404 (the missing-page test) as a failed resource.
  return (
    msg.type === 'error' &&
    /Failed to load resource: the server responded with a status of 404/.test(msg.text) &&
    matches(expected404, msg.url)
  );
}

/**
 * A browser context whose pages are all watched. `problems` collects every
 * console message, page error, CSP violation, failed request, dialog and
 * same-origin HTTP error; assertClean() fails the test when any occurred.
 * Options are Playwright context options plus `expected404` (URLs, or
 * RegExps of URLs, whose 404 status is expected).
 */
export async function watchedContext(browser, { expected404 = [], ...options } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN', ...options });
  context.setDefaultTimeout(15000);
  context.setDefaultNavigationTimeout(15000);
  const problems = [];
  const stats = { pages: new Set(), cspEvents: 0 };
  await context.exposeBinding('__gongshiCspViolation', ({ page }, v) => {
    stats.cspEvents++;
    problems.push(`CSP violation on ${page.url()}: ${v.directive} blocked ${v.blocked} (${v.source}:${v.line})`);
  });
  // Runs before any page script; not subject to the page's CSP.
  await context.addInitScript(() => {
    document.addEventListener(
      'securitypolicyviolation',
      (e) => {
        window.__gongshiCspViolation({
          directive: e.violatedDirective,
          blocked: e.blockedURI,
          source: e.sourceFile,
          line: e.lineNumber,
        });
      },
      true,
    );
  });
  const watch = (page) => {
    page.on('console', (m) => {
      const msg = { type: m.type(), text: m.text(), url: m.location()?.url };
      if (!expectedConsole(msg, expected404)) problems.push(`console.${msg.type} on ${page.url()}: ${msg.text}`);
    });
    page.on('pageerror', (e) => problems.push(`page error on ${page.url()}: ${e.message}`));
    page.on('dialog', (d) => {
      problems.push(`dialog (${d.type()}) on ${page.url()}: ${d.message()}`);
      d.dismiss().catch(() => {});
    });
    page.on('requestfailed', (r) => {
      // Chromium fetches the favicon after the load event; moving on to the
      // next page cancels that fetch. Not a fault of the site.
      if (r.failure()?.errorText === 'net::ERR_ABORTED' && r.url().endsWith('/favicon.svg')) return;
      problems.push(`request failed on ${page.url()}: ${r.url()} ${r.failure()?.errorText}`);
    });
    page.on('response', (r) => {
      const url = r.url();
      if (r.status() >= 400 && !(r.status() === 404 && matches(expected404, url))) problems.push(`HTTP ${r.status()} for ${url} (on ${page.url()})`);
    });
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame()) stats.pages.add(f.url());
    });
  };
  context.on('page', watch);
  return {
    context,
    problems,
    stats,
    async newPage() {
      return context.newPage();
    },
    assertClean(what = '') {
      assert.deepEqual(problems, [], `no console messages, page errors, CSP violations or failed loads${what ? ` (${what})` : ''}`);
    },
    async close() {
      await context.close().catch(() => {});
    },
  };
}

/** Navigate and wait until the page, its stylesheet and script have loaded. */
/**
 * Runs `fn(page, w)` in a fresh watched context (`options` as for
 * `watchedContext`; `setup(w)` first, if given), checks it stayed clean,
 * and closes it.
 */
export async function withPage(browser, options, fn, setup) {
  const w = await watchedContext(browser, options);
  try {
    if (setup) await setup(w);
    const page = await w.newPage();
    await fn(page, w);
    w.assertClean();
  } finally {
    await w.close();
  }
}

export async function visit(page, url, { status = 200 } = {}) {
  const res = await page.goto(url, { waitUntil: 'load' });
  assert.ok(res, `no response for ${url}`);
  assert.equal(res.status(), status, `HTTP status of ${url}`);
  return res;
}

/**
 * Run axe-core in the page. The source is evaluated through the DevTools
 * protocol (page.evaluate), which the page's CSP does not govern; a
 * <script> tag added by page.addScriptTag would be inline script and blocked.
 */
export async function axe(page, tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']) {
  const loaded = await page.evaluate(() => typeof window.axe === 'object');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  return page.evaluate(
    async (runOnly) => {
      const r = await window.axe.run(document, {
        runOnly: { type: 'tag', values: runOnly },
        resultTypes: ['violations'],
      });
      return r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
      }));
    },
    tags,
  );
}

export function formatViolations(violations) {
  return violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n` + v.nodes.map((n) => `    ${n.target}\n      ${n.summary.replace(/\n/g, '\n      ')}`).join('\n'))
    .join('\n');
}

/** Poll `condition` (sync) until true or `timeout` ms pass; returns its last value. */
export async function eventually(condition, timeout = 5000) {
  const deadline = Date.now() + timeout;
  let value = condition();
  while (!value && Date.now() < deadline) {
    await new Promise((ok) => setTimeout(ok, 20));
    value = condition();
  }
  return value;
}
