/* gongshi site search: the browser runtime of the index `gongshi build`
   writes to search/ (see src/search/mod.rs for the files). The search
   page's interface is search-ui.js, on top of this API.

   Its source is five parts in src/search/runtime/, one function scope
   concatenated in file-name order into /search.js: 1-tokenize.js (this
   part: the API notes, the constants, the tokenizer), 2-load.js,
   3-query.js, 4-early.js, 5-results.js.

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
   postings and the blocks of the tails it needs, before any count:
   res.early, res.count null, and res.rest() gives the whole result;
   a partial result, where no record has every word, comes early too,
   with res.complete false; search() asks for it). Type counts
   come with every whole result: a record's type is where its number falls
   (meta.json ranges). Facet counts, filters other than type and sorting by
   date need facets.bin, fetched only for them. */
(function (root) {
  'use strict';

  var TOKENIZER_VERSION = 1;
  var FORMAT = 7;
  // Rounds of fetching blocks of the tails for a first page (earlyTop)
  // before a query fetches every tail, each one round trip: at 100,000
  // documents 工地扬尘怎么管 needs three and 厨师健康证过期了 four (with
  // three it fetched 78 KB more); a partial result spends one proving
  // that no record has every word.
  var EARLY_ROUNDS = 4;
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

