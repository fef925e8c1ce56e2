// `gongshi serve` in a real browser: an edit reaches the open page by itself,
// a broken edit shows the CLI's diagnostics (file, line, field, hint) in an
// accessible overlay over the last good page, and fixing the file removes it.
// A page refused its event stream (503: too many open) tries again later.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { axe, formatViolations, launch } from '../lib/browser.mjs';
import { BINARY, REPO, SOURCE_DATE_EPOCH } from '../lib/server.mjs';

const DOC = 'content/guidance/2025-pharmacy-remind.md';
const PAGE = 'guidance/2025-pharmacy-remind/';

let root;
let server;
let origin;
let chromium;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'gongshi-live-'));
  for (const f of ['site.toml', 'synonyms.toml', 'content']) {
    cpSync(join(REPO, f), join(root, f), { recursive: true });
  }
  server = spawn(BINARY, ['serve', '--root', root, '--port', '0'], {
    env: { ...process.env, SOURCE_DATE_EPOCH },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  origin = await new Promise((ok, fail) => {
    let log = '';
    const timer = setTimeout(() => fail(new Error(`gongshi serve did not start:\n${log}`)), 120000);
    server.stderr.on('data', (chunk) => {
      log += chunk;
      const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(log);
      if (m) {
        clearTimeout(timer);
        ok(`http://127.0.0.1:${m[1]}`);
      }
    });
    server.on('exit', (code) => fail(new Error(`gongshi serve exited with ${code}:\n${log}`)));
  });
  chromium = await launch();
});

after(async () => {
  if (chromium) await chromium.close();
  if (server) server.kill();
  if (root) rmSync(root, { recursive: true, force: true });
});

// Waits until the page's text includes `text`. The preview reloads the page to
// show an edit, and while the new document loads it has no body yet.
const shows = (page, text) =>
  page.waitForFunction((t) => Boolean(document.body?.textContent.includes(t)), text, { timeout: 20000 });

describe('live preview', () => {
  test('an edit reaches the open page, then a broken edit shows the overlay until fixed', async () => {
    const context = await chromium.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 800 } });
    const errors = [];
    try {
      const page = await context.newPage();
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(`${origin}/${PAGE}`, { waitUntil: 'load' });
      // The event stream is open before we edit.
      await page.waitForFunction(() => performance.getEntriesByType('resource').some((r) => r.name.includes('/__gongshi/live.js')));
      await page.waitForTimeout(300);
      const original = readFileSync(join(root, DOC), 'utf8');

      writeFileSync(join(root, DOC), `${original}\n预览中新增的一句话。\n`);
      await shows(page, '预览中新增的一句话');

      // Broken front matter: the overlay names file, line and field.
      writeFileSync(join(root, DOC), original.replace('\nmethod = ', '\nmethod = 42\nold_method = '));
      const overlay = page.getByRole('alertdialog');
      await overlay.waitFor({ timeout: 20000 });
      const text = await overlay.textContent();
      assert.match(text, /content\/guidance\/2025-pharmacy-remind\.md:\d+:\d+/);
      assert.match(text, /method/);
      assert.match(text, /提示/);
      // The last good page stays underneath.
      assert.ok(await page.evaluate(() => document.body.textContent.includes('预览中新增的一句话')));
      const violations = await axe(page);
      assert.deepEqual(violations, [], formatViolations(violations));

      // A page opened while the content is broken shows the overlay at once.
      const other = await context.newPage();
      await other.goto(`${origin}/`, { waitUntil: 'load' });
      await other.getByRole('alertdialog').waitFor({ timeout: 20000 });
      await other.close();

      writeFileSync(join(root, DOC), `${original}\n修正后的内容。\n`);
      await shows(page, '修正后的内容');
      assert.equal(await page.getByRole('alertdialog').count(), 0);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('a page refused an event stream tries again later and then follows edits', async () => {
    const port = Number(new URL(origin).port);
    // Take every event stream the preview allows (64), keeping them open.
    const held = [];
    const subscribe = () => new Promise((ok, fail) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(`GET /__gongshi/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
      });
      let head = '';
      socket.on('data', (chunk) => {
        head += chunk;
        if (head.includes('\r\n')) {
          socket.removeAllListeners('data');
          ok({ socket, status: Number(head.split(' ')[1]) });
        }
      });
      socket.on('error', fail);
    });
    const context = await chromium.browser.newContext({ locale: 'zh-CN' });
    try {
      const fill = async () => {
        for (let i = 0; i < 200; i++) {
          const { socket, status } = await subscribe();
          if (status !== 200) {
            assert.equal(status, 503);
            socket.destroy();
            return;
          }
          held.push(socket);
        }
      };
      await fill();
      // Streams of pages that earlier tests closed are freed when the server
      // notices the close: take those places too before the page asks.
      await new Promise((ok) => setTimeout(ok, 1000));
      await fill();
      assert.ok(held.length >= 60 && held.length <= 64, `${held.length} streams held`);
      const page = await context.newPage();
      const streams = [];
      page.on('response', (r) => {
        if (r.url().includes('/__gongshi/events')) streams.push(r.status());
      });
      await page.goto(`${origin}/${PAGE}`, { waitUntil: 'load' });
      const deadline = Date.now() + 10000;
      while (!streams.includes(503) && Date.now() < deadline) await page.waitForTimeout(50);
      assert.deepEqual(streams, [503]);
      // Places free up; the page comes back by itself (after 5 s and a bit).
      for (const s of held) s.destroy();
      const back = Date.now() + 20000;
      while (!streams.includes(200) && Date.now() < back) await page.waitForTimeout(100);
      assert.deepEqual(streams, [503, 200]);
      await page.waitForTimeout(300);
      const original = readFileSync(join(root, DOC), 'utf8');
      writeFileSync(join(root, DOC), `${original}\n重新连接之后的一句话。\n`);
      await shows(page, '重新连接之后的一句话');
    } finally {
      for (const s of held) s.destroy();
      await context.close();
    }
  });
});
