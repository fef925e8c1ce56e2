// The search runtime as the site publishes it: the parts in
// src/search/runtime/ concatenated in file-name order (src/search/runtime.rs
// does the same, and its tests keep the two in step), loaded in node.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './server.mjs';

const DIR = join(REPO, 'src/search/runtime');

/** The runtime's source, one script. */
export function runtimeSource() {
  return readdirSync(DIR)
    .filter((f) => f.endsWith('.js'))
    .sort()
    .map((f) => readFileSync(join(DIR, f), 'utf8'))
    .join('');
}

/** The runtime's API (what `module.exports` gets), in this process. */
export function loadRuntime() {
  const module = { exports: {} };
  // eslint-disable-next-line no-new-func
  new Function('module', runtimeSource())(module);
  return module.exports;
}
