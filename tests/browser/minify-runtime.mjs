#!/usr/bin/env node
// The search runtime as the site publishes it: the five parts in
// src/search/runtime/ concatenated (lib/runtime.mjs) and minified by terser,
// written to src/search/runtime.min.js, which the Rust build embeds
// (src/search/runtime.rs). The source stays readable and commented; a
// first query carries about 2.4 KB (gzipped) less runtime.
//
//   node tests/browser/minify-runtime.mjs          rewrite runtime.min.js
//   node tests/browser/minify-runtime.mjs --check  exit 1 if it is stale
//
// The first line names the sources' FNV-1a (32 bits, the index's token
// hash), which `cargo test` checks against the parts, so an edited part
// without a new runtime.min.js fails there with this command in the
// message; tests/runtime-min.test.mjs checks the whole file is terser's
// output. The options are fixed, and terser's version is pinned in
// package.json, so the file is reproducible.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { minify } from 'terser';
import { runtimeSource } from './lib/runtime.mjs';
import { REPO } from './lib/server.mjs';

export const MIN_PATH = join(REPO, 'src/search/runtime.min.js');

/** FNV-1a, 32 bits, of a string's UTF-8 bytes, as 8 hex digits. */
export function fnv1a(text) {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(text, 'utf8')) {
    h ^= b;
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** What src/search/runtime.min.js must hold for the current parts. */
export async function minifiedRuntime() {
  const src = runtimeSource();
  const version = JSON.parse(
    readFileSync(join(REPO, 'tests/browser/node_modules/terser/package.json'), 'utf8'),
  ).version;
  const out = await minify(src, {
    ecma: 2017,
    compress: true,
    mangle: true,
    format: { comments: false },
  });
  return (
    `// gongshi search runtime, src/search/runtime/*.js (fnv1a ${fnv1a(src)}) ` +
    `minified by terser ${version}: node tests/browser/minify-runtime.mjs\n` +
    `${out.code}\n`
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const want = await minifiedRuntime();
  let have = '';
  try {
    have = readFileSync(MIN_PATH, 'utf8');
  } catch {
    // missing: written below, or stale under --check
  }
  if (process.argv.includes('--check')) {
    if (have !== want) {
      process.stderr.write(`${MIN_PATH} is stale: run node tests/browser/minify-runtime.mjs\n`);
      process.exit(1);
    }
  } else if (have !== want) {
    writeFileSync(MIN_PATH, want);
    process.stdout.write(`wrote ${MIN_PATH} (${want.length} bytes)\n`);
  }
}
