// Shared per-file setup. run.mjs builds the sites and starts nginx once and
// passes the address in GONGSHI_BROWSER_ORIGIN; a test file run on its own
// (node --test tests/crawl.test.mjs) starts its own server instead.
import { after, before } from 'node:test';
import { launch } from './browser.mjs';
import { startServer } from './server.mjs';

export function useSite({ browser = true } = {}) {
  const env = {};
  let server = null;
  let chromium = null;
  before(async () => {
    const origin = process.env.GONGSHI_BROWSER_ORIGIN;
    if (origin) {
      Object.assign(env, { origin, base: `${origin}/zhifa/`, hostile: `${origin}/hostile/` });
    } else {
      server = await startServer();
      Object.assign(env, server);
    }
    if (browser) {
      chromium = await launch();
      env.browser = chromium.browser;
    }
  });
  after(async () => {
    if (chromium) await chromium.close();
    if (server) await server.stop();
  });
  return env;
}
