  // Part 5 of 5 of the search runtime: versions folded, filters, facet counts,
  // suggestions, the results as readers see them, and the API.
  // The parts are one function scope, concatenated in file-name order
  // into /search.js (src/search/runtime.rs); not a script on its own.

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
   * "Did you mean": for each query run that is not a word of the index (a
   * token of it has no postings: 营业执找), the stretch of the vocabulary
   * that differs from it in exactly one character and stands in the most
   * vocabulary entries (a word the site uses often, not one long headline
   * that happens to rank first); among equals, the one met first (most
   * frequent entry first). Runs the index knows stay as typed (过期 is not
   * turned into 定期), and without an unknown run there is no suggestion;
   * a two-character run is replaced only when it is the whole query.
   */
  function suggest(res) {
    return loadVocab().then(function (vocab) {
      var changed = false;
      var parts = res.clauses.map(function (c) {
        var n = c.chars.length;
        // Two characters in a sentence are more often a word the site does
        // not use (超市) than a typo: only a query of that word alone gets one.
        if (c.known || !c.cjk || n < 2 || n > 8 || (n === 2 && res.clauses.length > 1)) return c.text;
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
