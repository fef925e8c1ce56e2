  // Part 3 of 5 of the search runtime: a question's filler, synonyms and pinyin, the
  // clauses and their tokens; scoring, query() and the ranking of a whole
  // result.
  // The parts are one function scope, concatenated in file-name order
  // into /search.js (src/search/runtime.rs); not a script on its own.

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
    // A phrase that is a lexicon word itself (过期食品) stays whole.
    if (chars.length < 4 || synonyms[text]) return [text];
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

  /**
   * A query as clauses (one per run), each with alternative token lists;
   * `synonyms`: those the query can use (loadSynonyms).
   */
  function parse(meta, norm, pinyinKeys, synonyms) {
    synonyms = synonyms || {};
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
          return loadSynonyms(meta, norm, py).then(function (syn) {
            return [norm, parse(meta, dropFiller(norm), py, syn)];
          });
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
          // A clause whose every token is in the index is a word the site
          // uses, not a typo: no "did you mean" replaces it. Known from the
          // heads alone, so the early and the whole path agree.
          parsed.clauses.forEach(function (c) {
            var typed = c.alts.length ? c.alts[0].tokens : [];
            c.known = typed.length > 0 && typed.every(function (t) { return postings.has(t); });
          });
          // The first page from the heads, then from the blocks of the tails
          // that hold what is in its way, for a few rounds; else every tail.
          var step = function (round) {
            var e = early ? earlyTop(meta, parsed, postings, limit) : null;
            if (e && e.top) return earlyResult(text, norm, parsed, filters, e, function () {
              return query(q, Object.assign({}, opts, { early: false }));
            });
            if (e && e.want.size && round < EARLY_ROUNDS) {
              return fetchBlocks(postings, e.want).then(function () { return step(round + 1); });
            }
            return withTails(postings).then(function () {
              return rank(meta, text, norm, parsed, postings, filters, opts, got[1], got[2]);
            });
          };
          return step(0);
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

  /** What every result says of its query: as typed, normalized, parsed. */
  function described(text, norm, parsed, filters) {
    return {
      query: text,
      normalized: norm,
      clauses: parsed.clauses.map(function (c) {
        return { text: c.text, cjk: c.cjk, chars: c.chars, tokens: c.alts.length ? c.alts[0].tokens : [], known: c.known === true };
      }),
      synonyms: parsed.synonyms,
      filters: filters,
    };
  }

  function rank(meta, text, norm, parsed, postings, filters, opts, docs, order) {
    var s = score(meta, parsed, postings);
    var nClauses = parsed.clauses.length;
    var matched = s.touched;
    var pass = filterFn(meta, filters, docs, null);
    var showExpired = opts.expired === true || (filters.status || []).indexOf('expired') >= 0;
    var whole = matched.filter(function (id) { return s.fullCount[id] === nClauses; });
    var some = matched.filter(function (id) { return s.total[id] > 0; });
    var fold = function (sc, show) {
      var f = foldVersions(meta, whole, sc, show, pass);
      if (f.pool.length > 0 || nClauses === 0) return f;
      f = foldVersions(meta, some, sc, show, pass);
      f.partial = true;
      return f;
    };
    var copy = function (sc) { return { total: sc.total.slice(), fullCount: sc.fullCount.slice() }; };
    // Folding raises the scores of the versions it keeps: the other view
    // starts from the scores as they were.
    var fresh = showExpired ? null : copy(s);
    // Whole matches, else partial ones, as the default view (expired left
    // out) decides; with expired material the choice is the same: when
    // only expired records match every word, they are added to the current
    // partial matches instead of replacing those.
    var shown = fold(showExpired ? copy(s) : s, false);
    var withExpired = function (sc) {
      if (!shown.partial || !shown.pool.length) return fold(sc, true);
      var f = foldVersions(meta, some, sc, true, pass);
      f.partial = true;
      return f;
    };
    // The status facet counts expired matches too (ticking 已失效 shows them).
    var all = fresh ? withExpired(fresh) : null;
    var folded = showExpired ? withExpired(s) : shown;
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
    return Object.assign(described(text, norm, parsed, filters), {
      complete: isComplete,
      count: ordered.length,
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
    });
  }

