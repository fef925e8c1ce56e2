  // Part 2 of 5 of the search runtime: loading the index files, each fetched once and
  // cached: meta.json, term shards and their tails, t2s/, syn/, facets.bin,
  // order.bin, the display shards r/.
  // The parts are one function scope, concatenated in file-name order
  // into /search.js (src/search/runtime.rs); not a script on its own.

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

  /**
   * The synonyms a query can use, as one map: a key starts with one of its
   * characters, or with the first of the key a word of pinyin reads as
   * (`py`, pinyin.json). The lexicon is split by a key's first character
   * (syn/<its code point mod meta.synonym_files>.json; meta.synonym_starts
   * lists the first characters), so a query fetches a few small files, not
   * the whole lexicon.
   */
  function loadSynonyms(meta, norm, py) {
    var starts = meta.synonym_starts || '';
    var want = new Set();
    var consider = function (ch) { if (ch && starts.indexOf(ch) >= 0) want.add(ch); };
    for (var ch of norm) consider(ch);
    if (py) {
      runs(norm).forEach(function (r) {
        var key = !r.cjk && py[r.chars.slice(0, MAX_WORD).join('')];
        if (key) consider(Array.from(key)[0]);
      });
    }
    var buckets = new Set();
    want.forEach(function (c) { buckets.add(c.codePointAt(0) % meta.synonym_files); });
    var files = Array.from(buckets).map(function (n) {
      return get('syn/' + n + '.json', 'json', true);
    });
    return Promise.all(files).then(function (maps) {
      var all = {};
      maps.forEach(function (m) { Object.keys(m).forEach(function (k) { all[k] = m[k]; }); });
      return all;
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
   * tail: true while blocks of the rest are not fetched, tailMax: highest
   * byte of the rest, tie, blocks}. A frequent term's shard holds its head
   * (its best-scoring postings); the rest, its tail, is the file
   * t/<shard>.<i>.bin (or another term's with the same postings), `whole`,
   * and blocks of 4,096 postings in record order: {first: its first
   * record, max: its highest byte, file: t/<shard>.<i>.<b>.bin (the whole
   * tail when it is one block), done}, fetched by fetchBlocks() as a query
   * needs them.
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
      p.tail = !!rest;
      p.tailMax = rest ? b[pos.i++] : 0;
      // The tail's postings of byte tailMax are all of records after tie.
      p.tie = rest ? varint(b, pos) - 1 : -1;
      p.blocks = [];
      if (!rest) return p;
      // A tail another term shares (same postings): its files, fetched once.
      var base = shard + '.' + t;
      var file = varint(b, pos);
      if (file) {
        base = String.fromCharCode.apply(null, b.subarray(pos.i, pos.i + file));
        pos.i += file;
      }
      var nb = varint(b, pos);
      var first = 0;
      p.whole = 't/' + base + '.bin';
      p.head = { ids: p.ids, imp: p.imp };
      p.parts = [];
      for (var j = 0; j < nb; j++) {
        first += varint(b, pos);
        var name = nb > 1 ? 't/' + base + '.' + j + '.bin' : p.whole;
        p.blocks.push({ first: first, max: b[pos.i++], file: name, done: false });
      }
      return p;
    }
    return null;
  }

  /**
   * In runs of record numbers sorted by `first` (a tail's blocks, the
   * segments of earlyTop), the index of the last that starts at or before
   * record `r`: the one `r` falls in; −1 when `r` comes before them all.
   */
  function runOf(xs, r) {
    var lo = 0;
    var hi = xs.length - 1;
    if (hi < 0 || r < xs[0].first) return -1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (xs[mid].first <= r) lo = mid;
      else hi = mid - 1;
    }
    return lo;
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
   * Fetches blocks of the tails and adds their postings to `postings`
   * (the order of postings does not matter to scoring or ranking):
   * `want`, token → block indexes; null: every block not yet fetched.
   */
  function fetchBlocks(postings, want) {
    var jobs = [];
    postings.forEach(function (p, t) {
      if (!p.tail) return;
      var left = p.blocks.filter(function (x) { return !x.done; });
      var which = want ? (want.get(t) || []).map(function (j) { return p.blocks[j]; }) : left;
      which = which.filter(function (x) { return !x.done; });
      if (!which.length) return;
      // More than three quarters of the blocks left come as the whole tail in
      // one file (unless only one or two are left of several): about the
      // same bytes in far fewer requests (at 100,000 documents, the 59
      // residents' questions: 61 fewer, 1 KB more in all).
      var whole = which.length * 4 > left.length * 3 && (left.length === p.blocks.length || left.length > 2);
      var files = whole ? [p.whole] : which.map(function (x) { return x.file; });
      jobs.push(Promise.all(files.map(function (file) {
        return get(file, 'bytes', true).then(function (buf) {
          if (!buf.byteLength) throw new Error('search index: ' + file + ' is missing');
          return readPostings(new Uint8Array(buf), { i: 0 });
        });
      })).then(function (got) {
        if (whole) p.parts = got;
        else p.parts = p.parts.concat(got);
        (whole ? p.blocks : which).forEach(function (x) { x.done = true; });
        var all = [p.head].concat(p.parts);
        var len = 0;
        all.forEach(function (x) { len += x.ids.length; });
        var ids = new Uint32Array(len);
        var imp = new Uint8Array(len);
        var at = 0;
        all.forEach(function (x) {
          ids.set(x.ids, at);
          imp.set(x.imp, at);
          at += x.ids.length;
        });
        p.ids = ids;
        p.imp = imp;
        p.tail = p.blocks.some(function (x) { return !x.done; });
      }));
    });
    return Promise.all(jobs).then(function () { return postings; });
  }

  /** `postings` (token → head) made whole: every block of every tail. */
  function withTails(postings) {
    return fetchBlocks(postings, null);
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

