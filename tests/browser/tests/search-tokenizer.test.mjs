// The search runtime's tokenizer (src/search/runtime/, as published: search.js) against
// the shared vectors in tests/search-vectors.json, which the Rust tokenizer
// (src/search/tokenize.rs) is tested against too: both give the same
// tokens, so what the index holds is what a query looks up. No browser and
// no server needed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadRuntime } from '../lib/runtime.mjs';
import { REPO } from '../lib/server.mjs';

const runtime = loadRuntime();
const tk = runtime.tokenizer;
const vectors = JSON.parse(readFileSync(join(REPO, 'tests/search-vectors.json'), 'utf8'));

/** The traditional → simplified table from its source, src/search/t2s.txt. */
function t2sFromSource() {
  const map = new Map();
  for (const line of readFileSync(join(REPO, 'src/search/t2s.txt'), 'utf8').split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const [t, s] = Array.from(line.replace(/\s+/g, ''));
    map.set(t, s);
  }
  return map;
}

describe('search tokenizer: the shared vectors', () => {
  const t2s = t2sFromSource();

  test('same tokenizer version as the Rust side', () => {
    assert.equal(vectors.tokenizer_version, runtime.TOKENIZER_VERSION);
  });

  test('tokens of every input', () => {
    assert.ok(vectors.tokens.length >= 30);
    for (const v of vectors.tokens) {
      assert.deepEqual(tk.tokens(v.input, t2s), v.tokens, `${JSON.stringify(v.input)} (${v.note})`);
    }
  });

  test('pinyin alternatives of every query', () => {
    for (const v of vectors.pinyin) {
      assert.deepEqual(tk.pinyinAlternatives(v.query), v.alternatives, `${v.query} for ${v.text} (${v.note})`);
    }
  });
});

describe('search tokenizer: the runtime side', () => {
  test('a query looks up bigrams of a CJK run, or its one character', () => {
    assert.deepEqual(tk.runTokens(Array.from('营业执照')), ['营业', '业执', '执照']);
    assert.deepEqual(tk.runTokens(['证']), ['证']);
  });

  test('common bigrams are skipped where the rare ones still chain over the run', () => {
    const common = new Set(['经营', '营者', '食品', '营业', '安全']);
    // Inside the chain a common bigram goes when its characters are covered…
    assert.deepEqual(tk.runTokens(Array.from('品经营许可'), common), ['品经', '营许', '许可']);
    // …and at either end when two or more rare bigrams remain.
    assert.deepEqual(tk.runTokens(Array.from('食品经营许可证'), common), ['品经', '营许', '许可', '可证']);
    assert.deepEqual(tk.runTokens(Array.from('电子商务经营者'), common), ['电子', '子商', '商务', '务经']);
    assert.deepEqual(tk.runTokens(Array.from('营业执照'), common), ['业执', '执照']);
    // One rare bigram is not enough of a chain: the run stays covered.
    assert.deepEqual(tk.runTokens(Array.from('营业执'), common), ['营业', '业执']);
    assert.deepEqual(tk.runTokens(Array.from('经营者'), common), ['经营', '营者']);
    assert.deepEqual(tk.runTokens(Array.from('经营'), common), ['经营']);
    assert.deepEqual(tk.runTokens(Array.from('证'), common), ['证']);
  });

  test('the published table format decodes to the same pairs', () => {
    // A t2s/<n>.txt block: (traditional − previous traditional, simplified −
    // traditional)…, the first relative to the block's start.
    const start = 0x4e00;
    const pairs = [['丟', '丢'], ['並', '并'], ['乾', '干']];
    let prev = start;
    const text = pairs
      .map(([t, s]) => {
        const d = `${t.codePointAt(0) - prev},${s.codePointAt(0) - t.codePointAt(0)}`;
        prev = t.codePointAt(0);
        return d;
      })
      .join(',');
    assert.deepEqual([...tk.parseT2s(`${text}\n`, start)], pairs);
  });

  test('FNV-1a of a token picks the same shard as the Rust side', () => {
    assert.equal(tk.fnv(''), 0x811c9dc5);
    assert.equal(tk.fnv('a'), 0xe40c292c);
  });

  test('syllable segmentation prefers the fewest syllables and keeps ties', () => {
    assert.deepEqual(tk.segment('xian'), [['xian']]);
    assert.deepEqual(tk.segment('yingyezhizhao'), [['ying', 'ye', 'zhi', 'zhao']]);
    assert.deepEqual(tk.segment('fangan').map((s) => s.join("'")).sort(), ["fan'gan", "fang'an"]);
    assert.deepEqual(tk.segment('xyz'), []);
    assert.deepEqual(tk.segment('nue'), [['nve']]);
  });
});
