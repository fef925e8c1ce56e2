#!/usr/bin/env node
// `npm test`: global setup (build the demo site and the hostile fixture,
// start nginx), then every tests/*.test.mjs under node's test runner, then
// stop nginx — also when the tests fail or the run is interrupted.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BROWSER_DIR, startServer } from './lib/server.mjs';

const started = Date.now();
const server = await startServer();
process.stdout.write(`browser tests: sites built and served by nginx at ${server.base} and ${server.hostile} (${Date.now() - started} ms)\n`);

const only = process.argv.slice(2);
const files = only.length
  ? only
  : readdirSync(join(BROWSER_DIR, 'tests'))
      .filter((f) => f.endsWith('.test.mjs'))
      .sort()
      .map((f) => join('tests', f));

const child = spawn(
  process.execPath,
  ['--test', '--test-timeout=300000', `--test-concurrency=${process.env.GONGSHI_BROWSER_JOBS || 2}`, '--test-reporter=spec', ...files],
  {
    cwd: BROWSER_DIR,
    stdio: 'inherit',
    env: { ...process.env, GONGSHI_BROWSER_ORIGIN: server.origin },
  },
);

let interrupted = false;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    interrupted = true;
    child.kill(sig);
  });
}

const code = await new Promise((ok) => child.on('exit', (c, s) => ok(c ?? (s ? 1 : 0))));
await server.stop();
process.stdout.write(`browser tests: finished in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
process.exit(interrupted && code === 0 ? 1 : code);
