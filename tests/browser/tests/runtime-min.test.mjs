// The published search runtime, src/search/runtime.min.js, is terser's
// output for the parts in src/search/runtime/ as they are now
// (minify-runtime.mjs), and behaves as they do on the shared tokenizer
// vectors. No browser and no server needed; the browser tests then query
// the demo site through the minified file.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { MIN_PATH, minifiedRuntime } from '../minify-runtime.mjs';
import { loadRuntime } from '../lib/runtime.mjs';
import { REPO } from '../lib/server.mjs';

describe('search runtime: the minified file', () => {
  const committed = readFileSync(MIN_PATH, 'utf8');

  test('is the minified current source (else: node tests/browser/minify-runtime.mjs)', async () => {
    const want = await minifiedRuntime();
    assert.ok(want.length < 30000, `${want.length} bytes`);
    assert.equal(committed, want);
  });

  test('tokenizes and reads pinyin as the source does', () => {
    const module = { exports: {} };
    // eslint-disable-next-line no-new-func
    new Function('module', committed)(module);
    const min = module.exports;
    const src = loadRuntime();
    assert.equal(min.TOKENIZER_VERSION, src.TOKENIZER_VERSION);
    const vectors = JSON.parse(readFileSync(join(REPO, 'tests/search-vectors.json'), 'utf8'));
    assert.ok(vectors.tokens.length >= 30 && vectors.pinyin.length >= 5);
    for (const v of vectors.tokens) {
      assert.deepEqual(min.tokenizer.tokens(v.input), src.tokenizer.tokens(v.input), JSON.stringify(v.input));
    }
    for (const v of vectors.pinyin) {
      assert.deepEqual(min.tokenizer.pinyinAlternatives(v.query), src.tokenizer.pinyinAlternatives(v.query), v.query);
    }
  });
});
