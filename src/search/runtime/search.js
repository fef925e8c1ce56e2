/* gongshi site search: the browser runtime of the index `gongshi build`
   writes to search/ (see src/search/mod.rs for the files). The search
   page's interface is search-ui.js, on top of this API.

   Plain JavaScript, no WASM, no third-party code, nothing fetched from
   anywhere but the site; works under `default-src 'self'` (no eval, no
   inline style). The tokenizer mirrors src/search/tokenize.rs; both are
   checked against tests/search-vectors.json.

   API (also for other pages and tests):
     await gongshi.search("营业执照", {filters: {agency: ["scjg"]}})
       → [{url, title, type, type_name, excerpt, parent, agency, status,
           date, score, versions}, …] ranked, 10 by default ({offset, limit}).
     await gongshi.query(q, options) → {results, count, complete, types,
       facets, suggestion, synonyms, hidden, …}: everything the search page
       shows (hidden: results left out because they expired).
   Versions of one list item or document (linked by superseded_by) come
   as one result, the current one when there is one, ranked by the best
   match among them; `versions` lists the others [{url, title, status,
   date}]. A question's filler (STOP, FINAL) is dropped before lookup.
   Options: filters {type|agency|status|district|industry|list_kind|
   risk_level|method|year: [keys]}, expired (true: also what expired by
   the build day; a status filter with "expired" implies it), sort
   "relevance" | "date", offset,
   limit, facets (false: no facet counts; "later": res.withCounts() counts
   them), early (true: the first page may come from the heads of the
   postings alone, before any count: res.early, res.count null, and
   res.rest() gives the whole result; search() asks for it). Type counts
   come with every whole result: a record's type is where its number falls
   (meta.json ranges). Facet counts, filters other than type and sorting by
   date need facets.bin, fetched only for them. */
(function (root) {
  'use strict';

  var TOKENIZER_VERSION = 1;
  var FORMAT = 4;
  var MAX_WORD = 32;
  var MAX_CLAUSES = 12;
  var MAX_TOKENS = 64;

  // ---------------------------------------------------------------- tokenizer

  var WORD_RE;
  try {
    WORD_RE = new RegExp('[\\p{Alphabetic}\\p{N}]', 'u');
  } catch (e) {
    WORD_RE = /[A-Za-z0-9\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF]/;
  }

  function isCjk(cp) {
    return cp === 0x3007 ||
      (cp >= 0x3400 && cp <= 0x4DBF) ||
      (cp >= 0x4E00 && cp <= 0x9FFF) ||
      (cp >= 0xF900 && cp <= 0xFAFF) ||
      (cp >= 0x20000 && cp <= 0x323AF);
  }

  /** NFKC, lower case, then traditional → simplified with `t2s` (a Map). */
  function normalize(text, t2s) {
    var s = String(text).normalize('NFKC').toLowerCase();
    if (!t2s || !t2s.size) return s;
    var out = '';
    for (var ch of s) out += t2s.get(ch) || ch;
    return out;
  }

  /** Runs of a normalized text: [{cjk, chars}] (chars: code points as strings). */
  function runs(norm) {
    var out = [];
    var cur = null;
    for (var ch of norm) {
      var kind = isCjk(ch.codePointAt(0)) ? 1 : (WORD_RE.test(ch) ? 2 : 0);
      if (!cur || cur.kind !== kind) {
        cur = { kind: kind, chars: [] };
        if (kind) out.push(cur);
      }
      cur.chars.push(ch);
    }
    return out.filter(function (r) { return r.kind; }).map(function (r) {
      return { cjk: r.kind === 1, chars: r.chars, text: r.chars.join('') };
    });
  }

  /** Every token of a text, in the order of src/search/tokenize.rs. */
  function tokens(text, t2s) {
    var out = [];
    runs(normalize(text, t2s)).forEach(function (r) {
      if (r.cjk) {
        for (var i = 0; i < r.chars.length; i++) {
          if (i > 0) out.push(r.chars[i - 1] + r.chars[i]);
          out.push(r.chars[i]);
        }
      } else {
        out.push(r.chars.slice(0, MAX_WORD).join(''));
      }
    });
    return out;
  }

  /**
   * What a query looks up for one CJK run: its bigrams, or the character.
   * Bigrams in `common` (a Set) are left out where the others still chain
   * over the run: every character between the first and the last rare
   * bigram stays covered, and when two or more rare bigrams remain a common
   * one at either end goes too (电子商务|经营者 → 电子 子商 商务 务经).
   */
  function runTokens(chars, common) {
    return runBigrams(chars, common).map(function (b) { return b.t; });
  }

  /** runTokens with where each bigram starts: [{t, at}] (a character alone: at 0). */
  function runBigrams(chars, common) {
    if (chars.length === 1) return [{ t: chars[0], at: 0, w: 1 }];
    var all = [];
    for (var i = 1; i < chars.length; i++) all.push({ t: chars[i - 1] + chars[i], at: i - 1, w: 2 });
    if (!common || !common.size || all.length < 2) return all;
    var keep = all.map(function (b) { return !common.has(b.t); });
    var rare = keep.filter(Boolean).length;
    var from = 0;
    var to = chars.length - 1;
    if (rare >= 2) {
      from = keep.indexOf(true);
      to = keep.lastIndexOf(true) + 1;
    }
    // Character j is covered by bigram j−1 or bigram j.
    for (var j = from; j <= to; j++) {
      if ((j > 0 && keep[j - 1]) || (j < all.length && keep[j])) continue;
      keep[j < all.length ? j : j - 1] = true;
    }
    return all.filter(function (b, k) { return keep[k]; });
  }

  /**
   * The fewest of `bigrams` ([{t, at, w}], each covering characters at to
   * at+w−1) that still cover every character they cover: 超过保质期的食品 →
   * 超过 保质 期的 食品. For the words a query is not typed in (synonyms,
   * pinyin), which must match whole: each token is one more file to fetch,
   * and a record that has all of these has the phrase nearly always.
   */
  function cover(bigrams) {
    var starts = new Map();
    var chars = new Set();
    bigrams.forEach(function (b) {
      starts.set(b.at, b);
      for (var k = 0; k < b.w; k++) chars.add(b.at + k);
    });
    var out = [];
    var done = -1;
    Array.from(chars).sort(function (a, b) { return a - b; }).forEach(function (j) {
      if (j <= done) return;
      var b = starts.get(j) || starts.get(j - 1);
      out.push(b.t);
      done = b.at + b.w - 1;
    });
    return out;
  }

  // Pinyin syllables without tones, as the index writes them (ü as v).
  var SYLLABLES = ('a ai an ang ao ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu ' +
    'ca cai can cang cao ce cei cen ceng cha chai chan chang chao che chen cheng chi chong chou chu ' +
    'chua chuai chuan chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de ' +
    'dei den deng di dia dian diao die din ding diu dong dou du duan dui dun duo e ei en eng er fa ' +
    'fan fang fei fen feng fiao fo fou fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai ' +
    'guan guang gui gun guo ha hai han hang hao he hei hen heng hong hou hu hua huai huan huang hui ' +
    'hun huo ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai kan kang kao ke ' +
    'kei ken keng kong kou ku kua kuai kuan kuang kui kun kuo la lai lan lang lao le lei len leng li ' +
    'lia lian liang liao lie lin ling liu lo long lou lu luan lun luo lv lve ma mai man mang mao me ' +
    'mei men meng mi mian miao mie min ming miu mo mou mu na nai nan nang nao ne nei nen neng ni nia ' +
    'nian niang niao nie nin ning niu nong nou nu nuan nun nuo nv nve o ou pa pai pan pang pao pei ' +
    'pen peng pi pian piao pie pin ping po pou pu qi qia qian qiang qiao qie qin qing qiong qiu qu ' +
    'quan que qun ran rang rao re ren reng ri rong rou ru rua ruan rui run ruo sa sai san sang sao ' +
    'se sen seng sha shai shan shang shao she shei shen sheng shi shou shu shua shuai shuan shuang ' +
    'shui shun shuo si song sou su suan sui sun suo ta tai tan tang tao te tei teng ti tian tiao tie ' +
    'ting tong tou tu tuan tui tun tuo wa wai wan wang wei wen weng wo wong wu xi xia xian xiang xiao ' +
    'xie xin xing xiong xiu xu xuan xue xun ya yan yang yao ye yi yin ying yo yong you yu yuan yue ' +
    'yun za zai zan zang zao ze zei zen zeng zha zhai zhan zhang zhao zhe zhei zhen zheng zhi zhong ' +
    'zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo zi zong zou zu zuan zui zun zuo').split(' ');
  var SYLLABLE_SET = new Set(SYLLABLES);
  var SYLLABLE_ALIAS = { lue: 'lve', nue: 'nve' };

  /** The segmentations of a Latin word into the fewest pinyin syllables (at most 4). */
  function segment(word) {
    if (!/^[a-z]+$/.test(word) || word.length > 40) return [];
    var n = word.length;
    var best = [[[]]]; // best[i]: segmentations of word[0..i]; best[0] is the empty one
    var cost = [0];
    for (var i = 1; i <= n; i++) {
      cost[i] = Infinity;
      best[i] = [];
      for (var len = Math.min(6, i); len >= 1; len--) {
        var j = i - len;
        var syl = word.slice(j, i);
        syl = SYLLABLE_ALIAS[syl] || syl;
        if (cost[j] === Infinity || !SYLLABLE_SET.has(syl)) continue;
        var c = cost[j] + 1;
        if (c < cost[i]) {
          cost[i] = c;
          best[i] = [];
        }
        if (c === cost[i]) {
          for (var k = 0; k < best[j].length && best[i].length < 4; k++) best[i].push(best[j][k].concat([syl]));
        }
      }
    }
    return cost[n] === Infinity ? [] : best[n];
  }

  /** A chain of overlapping bigram tokens as [{t, at, w}]. */
  function chain(toks) {
    return toks.map(function (t, i) { return { t: t, at: i, w: 2 }; });
  }

  /** Pinyin alternatives of a Latin word: lists of bigram tokens. */
  function pinyinAlternatives(word) {
    var alts = [];
    var seen = new Set();
    var segs = segment(word);
    segs.forEach(function (sylls) {
      if (sylls.length < 2) return;
      var t = [];
      for (var i = 1; i < sylls.length; i++) t.push(':' + sylls[i - 1] + sylls[i]);
      var key = t.join(' ');
      if (!seen.has(key)) {
        seen.add(key);
        alts.push(t);
      }
    });
    // Initials only for what is not pinyin: "yyzz", not "xian".
    if (!segs.length && /^[a-z]{2,12}$/.test(word)) {
      var ini = [];
      for (var k = 1; k < word.length; k++) ini.push('!' + word[k - 1] + word[k]);
      alts.push(ini);
    }
    return alts;
  }

  // ------------------------------------------------------------------ loading

  var indexUrl = null;
  var cache = new Map();

  function defaultIndexUrl() {
    if (typeof document !== 'undefined') {
      var s = document.currentScript || document.querySelector('script[data-search-index]');
      if (s && s.getAttribute('data-search-index')) return s.getAttribute('data-search-index');
    }
    return '/search/';
  }

  function configure(opts) {
    if (opts && opts.index) {
      indexUrl = String(opts.index).replace(/\/?$/, '/');
      cache = new Map();
    }
  }

  function get(path, kind, versioned) {
    var key = kind + ':' + path;
    if (!cache.has(key)) {
      var p = (versioned ? loadMeta() : Promise.resolve(null)).then(function (meta) {
        var url = (indexUrl || (indexUrl = defaultIndexUrl())) + path + (meta ? '?v=' + meta.id : '');
        return fetch(url, { credentials: 'same-origin' }).then(function (res) {
          if (res.status === 404 && kind === 'bytes') return new ArrayBuffer(0);
          if (!res.ok) throw new Error('HTTP ' + res.status + ' ' + url);
          return kind === 'json' ? res.json() : kind === 'text' ? res.text() : res.arrayBuffer();
        });
      });
      p.catch(function () { cache.delete(key); });
      cache.set(key, p);
    }
    return cache.get(key);
  }

  function loadMeta() {
    return get('meta.json', 'json', false).then(function (meta) {
      if (meta.format !== FORMAT || meta.tokenizer !== TOKENIZER_VERSION) {
        throw new Error('search index format ' + meta.format + '/' + meta.tokenizer + ' is not supported');
      }
      if (!meta.t2sSet) {
        var bin = atob(meta.t2s_bits);
        var bits = new Uint8Array(bin.length);
        for (var i = 0; i < bin.length; i++) bits[i] = bin.charCodeAt(i);
        meta.t2sSet = bits;
      }
      if (!meta.groupOf) decodeVersions(meta);
      if (!meta.rangeEnds) {
        var end = 0;
        meta.rangeEnds = meta.ranges.map(function (r) { return (end += r[1]); });
      }
      return meta;
    });
  }

  function b64bytes(s) {
    var bin = atob(s || '');
    var b = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) b[i] = bin.charCodeAt(i);
    return b;
  }

  /**
   * meta.expired (runs of expired records) → meta.expiredBits, a bitset;
   * meta.versions (groups of versions, preferred first) → meta.groups and
   * meta.groupOf (record → group, −1 for none). See src/search/fold.rs.
   */
  function decodeVersions(meta) {
    var n = meta.records;
    var bits = new Uint8Array((n >> 3) + 1);
    var b = b64bytes(meta.expired);
    var pos = { i: 0 };
    var at = 0;
    while (pos.i < b.length) {
      at += varint(b, pos);
      var len = varint(b, pos);
      for (var k = 0; k < len; k++, at++) bits[at >> 3] |= 1 << (at & 7);
    }
    meta.expiredBits = bits;
    var groupOf = new Int32Array(n).fill(-1);
    var groups = [];
    var v = b64bytes(meta.versions);
    pos = { i: 0 };
    var count = v.length ? varint(v, pos) : 0;
    var prevFirst = 0;
    for (var g = 0; g < count; g++) {
      var size = varint(v, pos);
      var members = [];
      var prev = prevFirst;
      for (var m = 0; m < size; m++) {
        var z = varint(v, pos);
        prev += z % 2 ? -(z + 1) / 2 : z / 2;
        if (m === 0) prevFirst = prev;
        members.push(prev);
        groupOf[prev] = g;
      }
      groups.push(members);
    }
    meta.groups = groups;
    meta.groupOf = groupOf;
  }

  function isExpired(meta, id) {
    return (meta.expiredBits[id >> 3] >> (id & 7)) & 1;
  }

  /** The t2s/<n>.txt blocks a text needs: those of its traditional characters. */
  function t2sBlocks(meta, text) {
    var blocks = new Set();
    for (var ch of text) {
      var o = ch.codePointAt(0) - meta.t2s_from;
      if (o >= 0 && o < meta.t2sSet.length * 8 && (meta.t2sSet[o >> 3] >> (o & 7)) & 1) blocks.add(o >> 10);
    }
    return Array.from(blocks);
  }

  /** A t2s/<n>.txt block (or several, joined by commas) → Map. */
  function parseT2s(text, start) {
    var nums = text.trim().split(',');
    var map = new Map();
    var prev = start || 0;
    for (var i = 0; i + 1 < nums.length; i += 2) {
      var t = prev + Number(nums[i]);
      map.set(String.fromCodePoint(t), String.fromCodePoint(t + Number(nums[i + 1])));
      prev = t;
    }
    return map;
  }

  function loadT2s(meta, blocks) {
    if (!blocks.length) return Promise.resolve(null);
    return Promise.all(blocks.map(function (n) {
      return get('t2s/' + n + '.txt', 'text', true).then(function (t) {
        return parseT2s(t, meta.t2s_from + n * 1024);
      });
    })).then(function (maps) {
      var all = new Map();
      maps.forEach(function (m) { m.forEach(function (v, k) { all.set(k, v); }); });
      return all;
    });
  }

  function fnv(str) {
    var h = 0x811c9dc5;
    var bytes = utf8(str);
    for (var i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }

  var encoder = new TextEncoder();
  var decoder = new TextDecoder();
  function utf8(s) { return encoder.encode(s); }

  function shardName(meta, token) {
    var h = fnv(token);
    var bits = meta.base_bits;
    var bucket = bits ? (h & ((1 << bits) - 1)) >>> 0 : 0;
    var e = parseInt(meta.depths.charAt(bucket) || '0', 36);
    var name = bucket.toString(16);
    if (e) name += '-' + (((h >>> bits) & ((1 << e) - 1)) >>> 0).toString(16);
    return name;
  }

  function varint(b, pos) {
    var v = 0;
    var shift = 0;
    for (;;) {
      var x = b[pos.i++];
      v += (x & 0x7f) * Math.pow(2, shift);
      if (x < 0x80) return v;
      shift += 7;
    }
  }

  /**
   * The postings of `token` in a shard: {ids: Uint32Array, imp: Uint8Array,
   * tail: file of the rest or null, tailMax: highest byte of the rest}.
   * A frequent term's shard holds its head (its best-scoring postings);
   * the rest is t/<shard>.<i>.bin, fetched by withTails().
   */
  function findPostings(buf, token, shard) {
    var b = new Uint8Array(buf);
    if (!b.length) return null;
    var want = utf8(token);
    var pos = { i: 0 };
    var n = varint(b, pos);
    for (var t = 0; t < n; t++) {
      var len = varint(b, pos);
      var match = len === want.length;
      for (var k = 0; match && k < len; k++) match = b[pos.i + k] === want[k];
      pos.i += len;
      var blen = varint(b, pos);
      if (!match) {
        pos.i += blen;
        continue;
      }
      var p = readPostings(b, pos);
      var rest = varint(b, pos);
      p.tail = rest ? 't/' + shard + '.' + t + '.bin' : null;
      p.tailMax = rest ? b[pos.i++] : 0;
      // The tail's postings of byte tailMax are all of records after tie.
      p.tie = rest ? varint(b, pos) - 1 : -1;
      return p;
    }
    return null;
  }

  /** A count, record numbers as gaps, score bytes: {ids, imp}. */
  function readPostings(b, pos) {
    var count = varint(b, pos);
    var ids = new Uint32Array(count);
    var prev = 0;
    for (var j = 0; j < count; j++) {
      prev += varint(b, pos);
      ids[j] = prev;
    }
    var imp = b.subarray(pos.i, pos.i + count);
    pos.i += count;
    return { ids: ids, imp: imp };
  }

  function postingsOf(meta, token) {
    var shard = shardName(meta, token);
    return get('t/' + shard + '.bin', 'bytes', true).then(function (buf) {
      return findPostings(buf, token, shard);
    });
  }

  /**
   * `postings` (token → head) made whole: each tail fetched and appended
   * (the order of postings does not matter to scoring or ranking).
   */
  function withTails(postings) {
    var jobs = [];
    postings.forEach(function (p, t) {
      if (!p.tail) return;
      jobs.push(get(p.tail, 'bytes', true).then(function (buf) {
        if (!buf.byteLength) throw new Error('search index: ' + p.tail + ' is missing');
        var rest = readPostings(new Uint8Array(buf), { i: 0 });
        var ids = new Uint32Array(p.ids.length + rest.ids.length);
        ids.set(p.ids);
        ids.set(rest.ids, p.ids.length);
        var imp = new Uint8Array(ids.length);
        imp.set(p.imp);
        imp.set(rest.imp, p.imp.length);
        postings.set(t, { ids: ids, imp: imp, tail: null, tailMax: 0, tie: -1 });
      }));
    });
    return Promise.all(jobs).then(function () { return postings; });
  }

  /** The type of record `id` (index into meta.types), from meta.ranges. */
  function typeOf(meta, id) {
    var ends = meta.rangeEnds;
    for (var i = 0; i < ends.length; i++) if (id < ends[i]) return meta.ranges[i][0];
    return -1;
  }

  /**
   * facets.bin in one request: the facets' term names, record → document
   * (documents in order; each part's document), then one column of facet
   * terms per dimension.
   */
  function loadFacets(meta) {
    if (!cache.has('facets')) {
      cache.set('facets', get('facets.bin', 'bytes', true).then(function (buf) {
        var b = new Uint8Array(buf);
        var pos = { i: 0 };
        var nameLen = varint(b, pos);
        var names = JSON.parse(decoder.decode(b.subarray(pos.i, pos.i + nameLen)));
        pos.i += nameLen;
        names.forEach(function (terms, i) { meta.facets[i].terms = terms; });
        var nd = varint(b, pos);
        var np = varint(b, pos);
        // Per run of documents of one type: the documents, in order, then
        // their parts, each with its document as a difference from the last.
        var recDoc = new Int32Array(meta.records);
        var r = 0;
        var next = 0;
        var prev = 0;
        meta.ranges.forEach(function (run) {
          var key = meta.types[run[0]].key;
          for (var k = 0; k < run[1]; k++) {
            if (key !== 'item' && key !== 'risk') {
              recDoc[r++] = next++;
              continue;
            }
            var z = np-- > 0 ? varint(b, pos) : 0;
            prev += z % 2 ? -(z + 1) / 2 : z / 2;
            recDoc[r++] = prev;
          }
        });
        var docs = { recDoc: recDoc };
        docs.cols = meta.facets.map(function (f) {
          var off = new Uint32Array(nd + 1);
          var vals = [];
          for (var d = 0; d < nd; d++) {
            off[d] = vals.length;
            var v = varint(b, pos);
            if (f.enc === 'one') {
              if (v) vals.push(v - 1);
            } else if (f.enc === 'mask') {
              for (var t = 0; v; t++, v = Math.floor(v / 2)) if (v % 2) vals.push(t);
            } else {
              for (var k = 0; k < v; k++) vals.push(varint(b, pos));
            }
          }
          off[nd] = vals.length;
          return { off: off, vals: Uint16Array.from(vals) };
        });
        return docs;
      }));
    }
    return cache.get('facets');
  }

  /** order.bin: each document's place in newest-first order (for sorting by date). */
  function loadOrder(meta) {
    if (!cache.has('order')) {
      cache.set('order', get('order.bin', 'bytes', true).then(function (buf) {
        var b = new Uint8Array(buf);
        var pos = { i: 0 };
        var rank = new Int32Array(meta.docs);
        for (var d = 0; d < meta.docs; d++) rank[d] = varint(b, pos);
        return rank;
      }));
    }
    return cache.get('order');
  }

  function typeIndex(meta, key) {
    for (var i = 0; i < meta.types.length; i++) if (meta.types[i].key === key) return i;
    return -1;
  }

  function loadVocab() {
    return get('vocab.txt', 'text', true).then(function (t) {
      return t.split('\n').filter(Boolean);
    });
  }

  function displayOf(meta, id) {
    var k = meta.records_per_shard;
    return get('r/' + Math.floor(id / k) + '.json', 'json', true).then(function (s) {
      var r = s.r[id % k];
      return { rec: r, doc: s.d[r[0]] };
    });
  }

  // ------------------------------------------------------------------ queries

  /*
   * A question's filler, dropped before lookup so that 饭店员工没有健康证会被
   * 罚款吗 looks for 饭店员工没有健康证. STOP: phrases removed wherever
   * they are (longest first); they are chosen not to occur inside the
   * words of the documents. FINAL: sentence-final particles, removed from
   * the end of a run of three or more characters. PART: a character left
   * alone by those removals is dropped too. Nothing is dropped when it
   * would leave no run of two characters (吗, 酒吧 and 怎么办 stay as they
   * are). Documented in docs/architecture.md (search).
   */
  var STOP = ('请问 想问 问一下 咨询一下 请教 怎么办理 怎么办 怎么处理 怎么处罚 怎么罚 怎么样 怎么 咋办 咋整 ' +
    '如何处理 如何 会不会被 会不会 会被罚款 会被罚 会被 被罚款 被处罚 被罚 罚款多少钱 罚款多少 罚多少钱 罚多少 ' +
    '要罚多少 罚不罚 会罚 要罚 罚吗 罚款吗 违法吗 犯法吗 算违法 算不算 能不能 可不可以 可以吗 行不行 ' +
    '是不是 要不要 有没有事 有没有 什么 多少钱 多少 一下 我们 我家 我的 咱们 自己 了没 了吗 没去 的话 ' +
    '为什么 该怎么 应该 还能 两个字 几个字 找哪个部门 找哪个单位 哪个部门 哪个单位 去哪里 找哪里 归谁管 谁来管').split(' ').sort(function (a, b) { return b.length - a.length; });
  var FINAL = '吗呢啊呀嘛了';
  var PART = '吗呢啊呀嘛吧了的么会要能被去还都就也又我你他她它在把给里上';

  /** `norm` without the filler of a question (see STOP). */
  function dropFiller(norm) {
    var out = norm;
    STOP.forEach(function (w) { if (out.indexOf(w) >= 0) out = out.split(w).join(' '); });
    var kept = runs(out).map(function (r) {
      var t = r.chars.slice();
      if (r.cjk) {
        while (t.length >= 3 && FINAL.indexOf(t[t.length - 1]) >= 0) t.pop();
        if (t.length === 1 && PART.indexOf(t[0]) >= 0) return '';
      }
      return t.join('');
    }).filter(Boolean);
    var useful = runs(kept.join(' ')).some(function (r) { return r.chars.length >= 2; });
    return useful ? kept.join(' ') : norm;
  }

  /**
   * A CJK run of five characters or more cut at the synonym keys inside it
   * (longest first, not overlapping), so that each key becomes a word of
   * its own with its replacements: 饭店员工没有健康证 → 饭店 | 员工 | 没有 |
   * 健康证. A run that already holds a replacement of a key (营业执照 holds
   * 营业执照) is not cut there; shorter runs are words (健康证名 is a typo
   * of 健康证明, not 健康证 and 名).
   */
  function cutAtSynonyms(text, synonyms) {
    var chars = Array.from(text);
    if (chars.length < 5) return [text];
    var keys = synonymKeys(synonyms);
    var taken = new Uint8Array(chars.length);
    var cuts = [];
    keys.forEach(function (k) {
      var kc = Array.from(k);
      if (kc.length >= chars.length || kc.length < 2) return;
      if (synonyms[k].some(function (v) { return text.indexOf(v) >= 0; })) return;
      for (var at = 0; at + kc.length <= chars.length; at++) {
        var ok = true;
        for (var j = 0; ok && j < kc.length; j++) ok = chars[at + j] === kc[j] && !taken[at + j];
        if (!ok) continue;
        taken.fill(1, at, at + kc.length);
        cuts.push([at, at + kc.length]);
      }
    });
    if (!cuts.length) return [text];
    cuts.sort(function (a, b) { return a[0] - b[0]; });
    var parts = [];
    var from = 0;
    cuts.forEach(function (c) {
      if (c[0] > from) parts.push(chars.slice(from, c[0]).join(''));
      parts.push(chars.slice(c[0], c[1]).join(''));
      from = c[1];
    });
    if (from < chars.length) parts.push(chars.slice(from).join(''));
    // A character left alone between keys (跑|货运) is dropped: a word of one
    // character would match nearly every headline.
    return parts.filter(function (p) { return Array.from(p).length > 1; });
  }

  var keyCache = new WeakMap();
  function synonymKeys(synonyms) {
    if (!keyCache.has(synonyms)) {
      keyCache.set(synonyms, Object.keys(synonyms).filter(function (k) {
        return runs(k).length === 1 && runs(k)[0].cjk;
      }).sort(function (a, b) { return b.length - a.length || (a < b ? -1 : 1); }));
    }
    return keyCache.get(synonyms);
  }

  /** Whether a query has a word that reads as pinyin (then pinyin.json is fetched). */
  function pinyinWords(norm) {
    return runs(norm).some(function (r) {
      return !r.cjk && segment(r.text.slice(0, MAX_WORD)).some(function (s) { return s.length >= 2; });
    });
  }

  /**
   * Tokens of a replacement text (a synonym, a reading of pinyin), which
   * must match whole: the fewest bigrams that cover it ([cover]), and how
   * many its chain has (`full`), which its weight is scaled by so that it
   * scores as the whole chain would.
   */
  function textTokens(v, common) {
    var toks = [];
    var full = 0;
    runs(v).forEach(function (rr) {
      if (!rr.cjk) {
        toks.push(rr.text.slice(0, MAX_WORD));
        full++;
        return;
      }
      var b = runBigrams(rr.chars, common);
      toks = toks.concat(cover(b));
      full += b.length;
    });
    return { tokens: toks, full: full };
  }

  /** Covered tokens of a pinyin chain (see textTokens). */
  function chainTokens(toks) {
    return { tokens: cover(chain(toks)), full: toks.length };
  }

  /** A query as clauses (one per run), each with alternative token lists. */
  function parse(meta, norm, pinyinKeys) {
    var synonyms = meta.synonyms || {};
    pinyinKeys = pinyinKeys || {};
    var rs = [];
    runs(norm).forEach(function (r) {
      if (!r.cjk) return rs.push(r);
      cutAtSynonyms(r.text, synonyms).forEach(function (p) {
        var chars = Array.from(p);
        rs.push({ cjk: true, chars: chars, text: p });
      });
    });
    rs = rs.slice(0, MAX_CLAUSES);
    var common = meta.commonSet || (meta.commonSet = new Set(meta.common || []));
    var used = [];
    var clauses = rs.map(function (r) {
      var alts = [];
      var seen = new Set();
      function add(toks, weight, why) {
        // Covered tokens ({tokens, full}) score as their whole chain.
        if (!Array.isArray(toks)) {
          weight *= toks.full / Math.max(1, toks.tokens.length);
          toks = toks.tokens;
        }
        var key = toks.join(' ');
        if (!toks.length || seen.has(key)) return;
        seen.add(key);
        alts.push({ tokens: Array.from(new Set(toks)), weight: weight, why: why });
      }
      if (r.cjk) {
        add(runTokens(r.chars, common), 1, null);
        // The keys in the run, longest first and not overlapping: 渣土车
        // takes its own words, not also those of 渣土.
        var taken = [];
        synonymKeys(synonyms).forEach(function (k) {
          var at = r.text.indexOf(k);
          if (at < 0 || taken.some(function (t) { return at < t[1] && t[0] < at + k.length; })) return;
          taken.push([at, at + k.length]);
        });
        taken.map(function (t) { return r.text.slice(t[0], t[1]); }).forEach(function (k) {
          if (alts.length >= 8) return;
          synonyms[k].forEach(function (v) {
            // 营业执照 contains 执照 → 营业执照: the query already says it.
            if (r.text.indexOf(v) >= 0) return;
            add(textTokens(r.text.replace(k, v), common), 0.9, { from: k, to: v });
            used.push({ from: k, to: v });
          });
        });
      } else {
        var w = r.chars.slice(0, MAX_WORD).join('');
        add([w], 1, null);
        (synonyms[w] || []).forEach(function (v) {
          add(textTokens(v, common), 0.9, { from: w, to: v });
          used.push({ from: w, to: v });
        });
        pinyinAlternatives(w).forEach(function (t) { add(chainTokens(t), 0.8, 'pinyin'); });
        // A synonym key typed in pinyin (weihuapin → 危化品 → 危险化学品).
        var key = pinyinKeys[w];
        if (key) {
          add(textTokens(key, common), 0.8, 'pinyin');
          (synonyms[key] || []).forEach(function (v) {
            add(textTokens(v, common), 0.8, { from: key, to: v });
            used.push({ from: key, to: v });
          });
        }
      }
      return { text: r.text, cjk: r.cjk, chars: r.chars, alts: alts };
    });
    // Bigrams across neighbouring CJK clauses: a bonus for adjacency.
    var cross = [];
    for (var i = 1; i < clauses.length; i++) {
      var a = clauses[i - 1];
      var b = clauses[i];
      if (a.cjk && b.cjk) cross.push(a.chars[a.chars.length - 1] + b.chars[0]);
      // Two words of pinyin: the syllables across them (yingye zhizhao → :yezhi).
      if (!a.cjk && !b.cjk) {
        var sa = segment(a.text);
        var sb = segment(b.text);
        if (sa.length && sb.length) cross.push(':' + sa[0][sa[0].length - 1] + sb[0][0]);
      }
    }
    return { clauses: clauses, cross: cross, synonyms: used };
  }

  var DIMS = ['type', 'agency', 'status', 'district', 'industry', 'list_kind', 'risk_level', 'method', 'year'];

  /** Filters other than type: those need facets.bin. */
  function hasFacetFilters(filters) {
    return DIMS.some(function (d) { return d !== 'type' && filters[d] && filters[d].length; });
  }

  /** Scores every record: {score: Float32Array, full: Uint8Array, ids: matched ids}. */
  function score(meta, q, postings) {
    var n = meta.records;
    var total = new Float32Array(n);
    var fullCount = new Uint8Array(n);
    var touched = [];
    var seenRec = new Uint8Array(n);
    q.clauses.forEach(function (c) {
      var best = new Float32Array(n);
      var full = new Uint8Array(n);
      var hit = [];
      c.alts.forEach(function (a) {
        var sum = new Float32Array(n);
        var cnt = new Uint8Array(n);
        var list = [];
        a.tokens.forEach(function (t) {
          var p = postings.get(t);
          if (!p) return;
          for (var i = 0; i < p.ids.length; i++) {
            var id = p.ids[i];
            if (!cnt[id]) list.push(id);
            cnt[id]++;
            sum[id] += p.imp[i];
          }
        });
        var T = a.tokens.length;
        // Only the words as typed earn partial credit; a synonym or a pinyin
        // reading counts when it matches whole (a stray initials pair would
        // match nearly anything).
        var partial = a.why === null;
        for (var k = 0; k < list.length; k++) {
          var id = list[k];
          if (!partial && cnt[id] < T) continue;
          var cover = cnt[id] / T;
          var v = sum[id] * a.weight * cover * cover;
          if (best[id] === 0) hit.push(id);
          if (v > best[id]) best[id] = v;
          if (cnt[id] === T) full[id] = 1;
        }
      });
      for (var k = 0; k < hit.length; k++) {
        var id = hit[k];
        total[id] += best[id];
        fullCount[id] += full[id];
        if (!seenRec[id]) {
          seenRec[id] = 1;
          touched.push(id);
        }
      }
    });
    q.cross.forEach(function (t) {
      var p = postings.get(t);
      if (!p) return;
      for (var i = 0; i < p.ids.length; i++) {
        if (seenRec[p.ids[i]]) total[p.ids[i]] += p.imp[i] * 0.5;
      }
    });
    return { total: total, fullCount: fullCount, touched: touched };
  }

  /** Runs a query; see the API note at the top. */
  function query(q, options) {
    var opts = options || {};
    var filters = opts.filters || {};
    var limit = opts.limit == null ? 10 : opts.limit;
    var offset = opts.offset || 0;
    return loadMeta().then(function (meta) {
      var text = String(q == null ? '' : q).slice(0, 200);
      var pre = text.normalize('NFKC').toLowerCase();
      return loadT2s(meta, t2sBlocks(meta, pre)).then(function (t2s) {
        var norm = normalize(text, t2s);
        return (pinyinWords(norm) ? get('pinyin.json', 'json', true) : Promise.resolve(null)).then(function (py) {
          return [norm, parse(meta, dropFiller(norm), py)];
        });
      }).then(function (np) {
        var norm = np[0];
        var parsed = np[1];
        var wanted = new Set();
        parsed.clauses.forEach(function (c) {
          c.alts.forEach(function (a) { a.tokens.forEach(function (t) { wanted.add(t); }); });
        });
        parsed.cross.forEach(function (t) { wanted.add(t); });
        var list = Array.from(wanted).slice(0, MAX_TOKENS);
        var byDate = opts.sort === 'date';
        var early = opts.early && !offset && !byDate && !opts.expired && !hasFilters(filters);
        return Promise.all([
          Promise.all(list.map(function (t) { return postingsOf(meta, t); })),
          hasFacetFilters(filters) || byDate ? loadFacets(meta) : null,
          byDate ? loadOrder(meta) : null,
        ]).then(function (got) {
          var postings = new Map();
          list.forEach(function (t, i) { if (got[0][i]) postings.set(t, got[0][i]); });
          var top = early ? earlyTop(meta, parsed, postings, limit) : null;
          if (top) return earlyResult(text, norm, parsed, filters, top, function () {
            return query(q, Object.assign({}, opts, { early: false }));
          });
          return withTails(postings).then(function () {
            return rank(meta, text, norm, parsed, postings, filters, opts, got[1], got[2]);
          });
        });
      }).then(function (res) {
        var page = res.ordered.slice(offset, offset + limit);
        return Promise.all(page.map(function (id) {
          return result(meta, id, res.total[id], res.others.get(id) || []);
        })).then(function (results) {
          res.results = results;
          delete res.ordered;
          delete res.total;
          delete res.others;
          return res;
        });
      }).then(function (res) {
        if (res.complete || !hasLongCjkRun(res)) return res;
        return suggest(res).then(function () { return res; });
      }).then(function (res) {
        if (res.early) return res;
        var pool = res.pool;
        var poolAll = res.poolAll;
        delete res.pool;
        delete res.poolAll;
        var fill = function () {
          if (res.facets) return Promise.resolve(res);
          return counts(meta, res, pool, poolAll).then(function () { return res; });
        };
        if (opts.facets === false) return res;
        if (opts.facets === 'later') {
          res.withCounts = fill;
          return res;
        }
        return fill();
      });
    });
  }

  function hasLongCjkRun(res) {
    return res.clauses.some(function (c) { return c.cjk && c.chars.length >= 2; });
  }

  function rank(meta, text, norm, parsed, postings, filters, opts, docs, order) {
    var s = score(meta, parsed, postings);
    var nClauses = parsed.clauses.length;
    var matched = s.touched;
    var pass = filterFn(meta, filters, docs, null);
    var showExpired = opts.expired === true || (filters.status || []).indexOf('expired') >= 0;
    var whole = matched.filter(function (id) { return s.fullCount[id] === nClauses; });
    var some = matched.filter(function (id) { return s.total[id] > 0; });
    var pick = function (sc, show) {
      var f = foldVersions(meta, whole, sc, show, pass);
      if (f.pool.length > 0 || nClauses === 0) return f;
      f = foldVersions(meta, some, sc, show, pass);
      f.partial = true;
      return f;
    };
    // The status facet counts expired matches too (ticking 已失效 shows them).
    var all = showExpired ? null : pick({ total: s.total.slice(), fullCount: s.fullCount.slice() }, true);
    var folded = pick(s, showExpired);
    var isComplete = !folded.partial;
    var pool = folded.pool;
    var ordered = pool.filter(pass);
    // Type counts: by the type ranges, over the matches other filters keep.
    var typePass = filterFn(meta, filters, docs, 'type');
    var tc = new Array(meta.types.length).fill(0);
    for (var i = 0; i < pool.length; i++) if (typePass(pool[i])) tc[typeOf(meta, pool[i])]++;
    var chosen = filters.type || [];
    if (order) {
      // Newest document first; a document's parts in their order.
      ordered.sort(function (a, b) { return order[docs.recDoc[a]] - order[docs.recDoc[b]] || a - b; });
    } else if (isComplete) {
      ordered.sort(function (a, b) { return s.total[b] - s.total[a] || a - b; });
    } else {
      // Partial matches by score: a record that matches few words in its
      // headline beats a long page that has more of them in its body.
      ordered.sort(function (a, b) {
        return s.total[b] - s.total[a] || s.fullCount[b] - s.fullCount[a] || a - b;
      });
    }
    return {
      query: text,
      normalized: norm,
      clauses: parsed.clauses.map(function (c) {
        return { text: c.text, cjk: c.cjk, chars: c.chars, tokens: c.alts.length ? c.alts[0].tokens : [] };
      }),
      synonyms: parsed.synonyms,
      complete: isComplete,
      count: ordered.length,
      filters: filters,
      pool: pool,
      poolAll: all ? all.pool : pool,
      ordered: ordered,
      total: s.total,
      others: folded.others,
      hidden: folded.hidden,
      expired: showExpired,
      suggestion: null,
      types: meta.types.map(function (t, i) {
        return { key: t.key, name: t.name, count: tc[i], selected: chosen.indexOf(t.key) >= 0 };
      }),
      facets: null,
    };
  }

  function hasFilters(filters) {
    return DIMS.some(function (d) { return filters[d] && filters[d].length; });
  }

  /**
   * The first `k` results from the heads of the postings alone, or null
   * when the heads cannot prove them. A tail's postings score at most its
   * tailMax, and a record's total only grows with each posting it gains,
   * so each record (and a record no head has) gets an upper bound U beside
   * the score L its heads give. The first k by L are the true first k when
   * each is settled (matches every clause already, and its tails can add
   * nothing: U = L) and every unsettled record that could match every
   * clause has U below the k-th L. Versions fold as in foldVersions: a
   * group ranks as its preferred visible member with the best score of all
   * members. Only for the default view (no filters, relevance, expired
   * left out, first page); the counts need the tails (res.rest()).
   */
  function earlyTop(meta, q, postings, k) {
    var tailed = false;
    postings.forEach(function (p) { if (p.tail) tailed = true; });
    var nClauses = q.clauses.length;
    if (!tailed || !nClauses || !k) return null;
    var n = meta.records;
    var s = score(meta, q, postings);
    // Each term's head as a byte per record (0: not in the head), and every
    // record some head lists; any other is bounded by u0.
    var head = new Map();
    var listed = [];
    var inHead = new Uint8Array(n);
    postings.forEach(function (p, t) {
      var h = new Uint8Array(n);
      for (var i = 0; i < p.ids.length; i++) {
        h[p.ids[i]] = p.imp[i];
        if (!inHead[p.ids[i]]) listed.push(p.ids[i]);
        inHead[p.ids[i]] = 1;
      }
      head.set(t, h);
    });
    // The most token t can add to record r: its head byte, or at most the
    // tail's highest (one less for a record before the tail's ties).
    var most = function (t, r) {
      var p = postings.get(t);
      if (!p) return 0;
      var x = head.get(t)[r];
      if (x || !p.tail) return x;
      return r <= p.tie ? p.tailMax - 1 : p.tailMax;
    };
    // An alternative's bound for record r (r < 0: a record no head lists)
    // and whether it may match whole.
    var altBound = function (a, r) {
      var T = a.tokens.length;
      var sum = 0;
      var m = 0;
      for (var i = 0; i < T; i++) {
        var t = a.tokens[i];
        var x = r < 0 ? (postings.get(t) && postings.get(t).tail ? postings.get(t).tailMax : 0) : most(t, r);
        if (x) {
          sum += x;
          m++;
        }
      }
      if (a.why !== null && m < T) return [0, false];
      var cover = m / T;
      return [sum * a.weight * cover * cover, m === T];
    };
    var bound = function (r) {
      var U = 0;
      var full = 0;
      q.clauses.forEach(function (c) {
        var best = 0;
        var f = false;
        c.alts.forEach(function (a) {
          var b = altBound(a, r);
          if (b[0] > best) best = b[0];
          f = f || b[1];
        });
        U += best;
        if (f) full++;
      });
      q.cross.forEach(function (t) {
        var p = postings.get(t);
        U += 0.5 * (r < 0 ? (p && p.tail ? p.tailMax : 0) : most(t, r));
      });
      return { U: U, maybe: full === nClauses };
    };
    var b0 = bound(-1);
    var u0 = b0.U;
    var u0whole = b0.maybe;
    var one = function (id) {
      if (!inHead[id]) return { L: 0, U: u0, whole: false, maybe: u0whole };
      var b = bound(id);
      return { L: s.total[id], U: b.U, whole: s.fullCount[id] === nClauses, maybe: b.maybe };
    };
    var slack = function (x) { return x * (1 + 1e-6) + 1e-9; };
    var items = [];
    var groupSeen = new Uint8Array(meta.groups.length);
    for (var j = 0; j < listed.length; j++) {
      var id = listed[j];
      var g = meta.groupOf[id];
      var x;
      if (g < 0) {
        if (isExpired(meta, id)) continue;
        x = one(id);
        x.id = id;
        x.others = [];
      } else {
        if (groupSeen[g]) continue;
        groupSeen[g] = 1;
        x = group(meta, g, one);
        if (!x) continue;
      }
      if (!x.whole && !x.maybe) continue;
      x.settled = x.whole && x.U <= slack(x.L);
      items.push(x);
    }
    items.sort(function (a, b) { return b.L - a.L || a.id - b.id; });
    var top = items.filter(function (x) { return x.settled; }).slice(0, k);
    if (top.length < k) return null;
    var last = top[k - 1];
    // An unsettled record is out of the first k when even its bound is
    // below the k-th score, or equals it and the record comes later.
    var out = function (U, id) {
      return slack(U) < last.L || (U <= slack(last.L) && id > last.id);
    };
    for (var i = 0; i < items.length; i++) {
      if (!items[i].settled && !out(items[i].U, items[i].id)) return null;
    }
    if (u0whole && !(slack(u0) < last.L)) {
      // A record no head lists scores at most u0: if that ties with the
      // k-th, it must come later. Versions come as their preferred member;
      // any other record reaches u0 only with every tail at its highest
      // byte, so after the ties each tailed term's head ends with.
      if (!(u0 <= slack(last.L))) return null;
      for (var gi = 0; gi < meta.groups.length; gi++) {
        if (groupSeen[gi]) continue;
        var y = group(meta, gi, one);
        if (y && y.id <= last.id) return null;
      }
      var after = Infinity;
      postings.forEach(function (p) { if (p.tail) after = Math.min(after, p.tie); });
      if (after < last.id) return null;
    }
    return top;
  }

  /**
   * Group `g` as one result: its preferred visible member, the best score
   * and bound of all members, whether one matches every clause or may.
   * Null when every member has expired.
   */
  function group(meta, g, one) {
    var members = meta.groups[g];
    var rep = -1;
    for (var i = 0; i < members.length && rep < 0; i++) if (!isExpired(meta, members[i])) rep = members[i];
    if (rep < 0) return null;
    var x = { id: rep, L: 0, U: 0, whole: false, maybe: false };
    x.others = members.filter(function (m) { return m !== rep; });
    members.forEach(function (m) {
      var y = one(m);
      if (y.L > x.L) x.L = y.L;
      if (y.U > x.U) x.U = y.U;
      x.whole = x.whole || y.whole;
      x.maybe = x.maybe || y.maybe;
    });
    return x;
  }

  /** A first page from earlyTop: results, no counts yet; rest() gives all. */
  function earlyResult(text, norm, parsed, filters, top, rest) {
    var total = {};
    var others = new Map();
    top.forEach(function (x) {
      total[x.id] = x.L;
      others.set(x.id, x.others);
    });
    return {
      query: text,
      normalized: norm,
      clauses: parsed.clauses.map(function (c) {
        return { text: c.text, cjk: c.cjk, chars: c.chars, tokens: c.alts.length ? c.alts[0].tokens : [] };
      }),
      synonyms: parsed.synonyms,
      complete: true,
      early: true,
      count: null,
      filters: filters,
      ordered: top.map(function (x) { return x.id; }),
      total: total,
      others: others,
      hidden: null,
      expired: false,
      suggestion: null,
      types: null,
      facets: null,
      rest: rest,
    };
  }

  /**
   * Matches → results. The versions of one item or document rank as their
   * preferred member (the first the reader may see and, if any does, the
   * filters keep) with the best score and completeness among them, so a
   * current version always outranks those it replaced. By default expired
   * records are left out (counted in `hidden`) and a group is one result
   * (`others`: result → the other versions); with `showExpired` every
   * version is a result of its own, each ranked below the preferred one.
   */
  function foldVersions(meta, ids, s, showExpired, pass) {
    var out = [];
    var others = new Map();
    var seen = new Set();
    var hidden = 0;
    var visible = function (id) { return showExpired || !isExpired(meta, id); };
    ids.forEach(function (id) {
      var g = meta.groupOf[id];
      if (g < 0) {
        if (visible(id)) out.push(id);
        else hidden++;
        return;
      }
      if (seen.has(g)) return;
      seen.add(g);
      var members = meta.groups[g];
      var can = members.filter(visible);
      if (!can.length) {
        hidden++;
        return;
      }
      var rep = can.filter(pass)[0];
      if (rep === undefined) rep = can[0];
      members.forEach(function (m) {
        if (s.total[m] > s.total[rep]) s.total[rep] = s.total[m];
        if (s.fullCount[m] > s.fullCount[rep]) s.fullCount[rep] = s.fullCount[m];
      });
      out.push(rep);
      if (!showExpired) {
        others.set(rep, members.filter(function (m) { return m !== rep; }));
        return;
      }
      members.forEach(function (m) {
        if (m === rep || !(s.total[m] > 0)) return;
        s.total[m] = Math.min(s.total[m], s.total[rep] * 0.999);
        if (s.fullCount[m] > s.fullCount[rep]) s.fullCount[m] = s.fullCount[rep];
        out.push(m);
      });
    });
    return { pool: out, others: others, hidden: hidden };
  }

  /** A predicate over record ids for `filters`, leaving out dimension `skip`. */
  function filterFn(meta, filters, docs, skip) {
    var checks = [];
    DIMS.forEach(function (dim) {
      var keys = filters[dim];
      if (dim === skip || !keys || !keys.length) return;
      if (dim === 'type') {
        var kinds = new Set(keys.map(function (k) { return typeIndex(meta, k); }));
        checks.push(function (id) { return kinds.has(typeOf(meta, id)); });
        return;
      }
      if (!docs) return;
      var di = -1;
      for (var i = 0; i < meta.facets.length; i++) if (meta.facets[i].key === dim) di = i;
      if (di < 0) return;
      var want = new Set();
      meta.facets[di].terms.forEach(function (t, ti) { if (keys.indexOf(t.key) >= 0) want.add(ti); });
      var col = docs.cols[di];
      checks.push(function (id) {
        var d = docs.recDoc[id];
        for (var k = col.off[d]; k < col.off[d + 1]; k++) if (want.has(col.vals[k])) return true;
        return false;
      });
    });
    return function (id) {
      for (var i = 0; i < checks.length; i++) if (!checks[i](id)) return false;
      return true;
    };
  }

  /** Facet counts over the matches (each dimension ignores its own filter). */
  function counts(meta, res, pool, poolAll) {
    return loadFacets(meta).then(function (docs) {
      var filters = res.filters;
      var selected = function (dim, key) { return !!(filters[dim] && filters[dim].indexOf(key) >= 0); };
      res.facets = meta.facets.map(function (f, di) {
        var pass = filterFn(meta, filters, docs, f.key);
        var c = new Array(f.terms.length).fill(0);
        var col = docs.cols[di];
        var tally = function (id) {
          if (!pass(id)) return;
          var d = docs.recDoc[id];
          for (var k = col.off[d]; k < col.off[d + 1]; k++) c[col.vals[k]]++;
        };
        (f.key === 'status' ? poolAll : pool).forEach(function (id) {
          tally(id);
        });
        return {
          key: f.key,
          name: f.name,
          terms: f.terms.map(function (t, ti) {
            return { key: t.key, name: t.name, count: c[ti], selected: selected(f.key, t.key) };
          }),
        };
      });
    });
  }

  /**
   * "Did you mean": the stretch of the vocabulary that differs from a query
   * run in exactly one character and stands in the most vocabulary entries
   * (a word the site uses often, not one long headline that happens to rank
   * first); among equals, the one met first (most frequent entry first).
   */
  function suggest(res) {
    return loadVocab().then(function (vocab) {
      var changed = false;
      var parts = res.clauses.map(function (c) {
        var n = c.chars.length;
        if (!c.cjk || n < 2 || n > 8) return c.text;
        var seen = new Map();
        for (var i = 0; i < vocab.length; i++) {
          var v = Array.from(vocab[i]);
          var here = new Set();
          for (var at = 0; at + n <= v.length; at++) {
            var diff = 0;
            for (var k = 0; k < n && diff < 2; k++) if (v[at + k] !== c.chars[k]) diff++;
            if (diff === 1) here.add(v.slice(at, at + n).join(''));
          }
          here.forEach(function (w) { seen.set(w, (seen.get(w) || 0) + 1); });
        }
        var best = null;
        seen.forEach(function (count, w) { if (!best || count > seen.get(best)) best = w; });
        if (best === null) return c.text;
        changed = true;
        return best;
      });
      if (changed) res.suggestion = parts.join(' ');
    }, function () { /* no vocabulary: no suggestion */ });
  }

  function base() {
    return (indexUrl || (indexUrl = defaultIndexUrl())).replace(/search\/$/, '');
  }

  function result(meta, id, total, others) {
    return Promise.all([displayOf(meta, id)].concat(others.map(function (o) { return displayOf(meta, o); }))).then(function (all) {
      var x = all[0];
      var versions = all.slice(1).map(function (v) {
        var st = v.doc[4] >= 0 ? meta.statuses[v.doc[4]] : null;
        var u = base() + v.doc[1];
        return {
          url: v.rec[2] ? u + '#' + v.rec[2] : u,
          title: v.doc[0],
          status: st ? { key: st.key, label: st.name } : null,
          date: v.doc[5] || null,
        };
      });
      var r = x.rec;
      var d = x.doc;
      var isDoc = !r[2];
      var type = meta.types[r[1]];
      var docUrl = base() + d[1];
      var agency = d[3] >= 0 ? meta.agencies[d[3]] : null;
      var status = d[4] >= 0 ? meta.statuses[d[4]] : null;
      return {
        id: id,
        url: isDoc ? docUrl : docUrl + '#' + r[2],
        title: isDoc ? d[0] : r[3],
        type: type.key,
        type_name: type.name,
        excerpt: r[4],
        parent: isDoc ? null : { title: d[0], url: docUrl, type: meta.types[d[2]].key, type_name: meta.types[d[2]].name },
        agency: agency ? { key: agency.key, name: agency.name } : null,
        status: status ? { key: status.key, label: status.name } : null,
        date: d[5] || null,
        score: Math.round(total * meta.scoring.scale * 1000) / 1000,
        versions: versions,
      };
    });
  }

  function search(q, options) {
    var opts = Object.assign({ early: true }, options || {}, { facets: false });
    return query(q, opts).then(function (res) { return res.results; });
  }

  var api = {
    search: search,
    query: query,
    configure: configure,
    FILTERS: DIMS.slice(),
    TOKENIZER_VERSION: TOKENIZER_VERSION,
    tokenizer: {
      normalize: normalize,
      runs: runs,
      tokens: tokens,
      runTokens: runTokens,
      textTokens: textTokens,
      dropFiller: dropFiller,
      cutAtSynonyms: cutAtSynonyms,
      segment: segment,
      pinyinAlternatives: pinyinAlternatives,
      parseT2s: parseT2s,
      SYLLABLES: SYLLABLES,
      fnv: fnv,
    },
  };

  if (typeof module === 'object' && module.exports) {
    module.exports = api;
    return;
  }
  root.gongshi = Object.assign(root.gongshi || {}, api);

}(typeof window !== 'undefined' ? window : globalThis));
