  // Part 4 of 5 of the search runtime: the first page from the heads of the postings
  // and the blocks of their tails that it needs (since index format 7), when they
  // prove it.
  // The parts are one function scope, concatenated in file-name order
  // into /search.js (src/search/runtime.rs); not a script on its own.

  function hasFilters(filters) {
    return DIMS.some(function (d) { return filters[d] && filters[d].length; });
  }

  /**
   * The first `k` results from the postings known so far (the heads, and
   * the blocks of the tails fetched), when they prove them: {top}; else
   * {want}, the blocks of the tails that hold the records in the way
   * (token → block indexes; empty: none helps, fetch them all); null when
   * no tail is left to fetch. A block's postings score at most its max
   * (one less, before the tail's ties, than the tail's highest), and a
   * record's total only grows with each posting it gains, so each record
   * gets an upper bound U beside the score L the known postings give. The
   * first k by L are the true first k when each is settled (matches every
   * clause already, and its tails can add nothing: U = L) and every
   * unsettled record that could match every clause has U below the k-th
   * L (or equal to it and a later record number). Versions fold as in
   * foldVersions: a group ranks as its preferred visible member with the
   * best score of all members. Only for the default view (no filters,
   * relevance, expired left out, first page); the counts need every tail
   * (res.rest()).
   *
   * A question that no record matches whole (a resident's sentence seldom
   * has every word in one item) is ranked as rank() ranks a partial
   * result: every record with a score, by score, then by the clauses it
   * matches. That needs proof that no record can match every clause: the
   * records listed are decided by their own blocks, the others by the
   * blocks that rule out one clause for them (killBlocks: the clause
   * whose tails have the fewest blocks left); then the first k are proved
   * as above, with {partial: true} on the result.
   */
  function earlyTop(meta, q, postings, k) {
    var tailed = false;
    postings.forEach(function (p) { if (p.tail) tailed = true; });
    var nClauses = q.clauses.length;
    if (!tailed || !nClauses || !k) return null;
    var s = score(meta, q, postings);
    var b = bounds(meta, q, postings, s);
    var listed = b.listed;
    var items = [];
    var groupSeen = new Uint8Array(meta.groups.length);
    for (var j = 0; j < listed.length; j++) {
      var id = listed[j];
      var g = meta.groupOf[id];
      var x;
      if (g < 0) {
        if (isExpired(meta, id)) continue;
        x = b.one(id);
        x.id = id;
        x.others = [];
        x.members = [id];
      } else {
        if (groupSeen[g]) continue;
        groupSeen[g] = 1;
        x = group(meta, g, b.one);
        if (!x) continue;
      }
      items.push(x);
    }
    var want = new Map();
    var wantRecord = function (r) { b.blocksOf(r, want); };
    var cands = items.filter(function (x) { return x.whole || x.maybe; });
    var sure = cands.some(function (x) { return x.whole; });
    var segMaybe = b.segments.filter(function (g) { return g.maybe; });
    if (!sure && (cands.length || segMaybe.length)) {
      // No record matches every clause yet, but some may: fetch what
      // decides it. A partial result needs every such record ruled out;
      // the records no posting lists are ruled out by the blocks of one
      // clause (see killBlocks), those listed by their own blocks.
      if (partialLikely(cands, segMaybe, k)) {
        cands.forEach(function (x) { x.members.forEach(wantRecord); });
        b.killBlocks(segMaybe, want);
        return { want: want };
      }
    }
    if (!cands.length && !segMaybe.length) return ranked(meta, q, b, items, groupSeen, k, true, want);
    return ranked(meta, q, b, cands, groupSeen, k, false, want);
  }

  /**
   * Whether to try to prove that no record matches every clause, none
   * being known to: when no record a head lists may (only records no
   * posting lists could, and the heads hold each word's best), or fewer
   * than k may (a whole result could not fill the page). Otherwise the
   * candidates' own blocks come first, as for a whole result.
   */
  function partialLikely(cands, segMaybe, k) {
    var may = cands.length;
    segMaybe.forEach(function (g) { may += g.end - g.first; });
    return may < k || !cands.length;
  }

  /**
   * The first k of `items` when the known postings prove them: {top}; else
   * {want}. Whole (`partial` false): records that match every clause, by
   * score; partial: every record with a score, by score, then the number
   * of clauses matched, as rank() orders a partial result.
   */
  function ranked(meta, q, b, items, groupSeen, k, partial, want) {
    var nClauses = q.clauses.length;
    var slack = function (x) { return x * (1 + 1e-6) + 1e-9; };
    var wantRecord = function (r) { b.blocksOf(r, want); };
    // Whether a record (or segment) may be among the results at all.
    var may = function (x) { return partial ? x.U > 0 : x.maybe; };
    items.forEach(function (x) {
      x.settled = (partial ? x.L > 0 : x.whole) && x.U <= slack(x.L);
    });
    items = items.filter(function (x) { return x.settled || may(x); });
    items.sort(function (a, b) { return b.L - a.L || (partial ? b.F - a.F : 0) || a.id - b.id; });
    var top = items.filter(function (x) { return x.settled; }).slice(0, k);
    var unsettled = items.filter(function (x) { return !x.settled; });
    if (top.length < k) {
      var count = items.length;
      b.segments.forEach(function (g) { if (may(g)) count += g.end - g.first; });
      // Every record that can be a result is settled: the result is these.
      if (count === top.length) return { top: top, partial: partial };
      // Fewer than k can be results: the blocks that settle each of them.
      if (count < k) {
        unsettled.forEach(function (x) { x.members.forEach(wantRecord); });
        b.segments.forEach(function (g) { if (may(g)) wantRecord(g.first); });
        return { want: want };
      }
      // Not enough settled yet: the blocks of the records that could score
      // best come first.
      unsettled.sort(function (a, b) { return b.U - a.U || a.id - b.id; });
      unsettled.slice(0, k).forEach(function (x) { x.members.forEach(wantRecord); });
      return { want: want };
    }
    var last = top[k - 1];
    // An unsettled record is out of the first k when even its bound is
    // below the k-th score, or equals it and the record comes later (in a
    // partial result, only if no record can match more clauses than the
    // k-th: all but one).
    var ties = !partial || last.F >= nClauses - 1;
    var out = function (U, id) {
      return slack(U) < last.L || (ties && U <= slack(last.L) && id > last.id);
    };
    unsettled.forEach(function (x) {
      if (!out(x.U, x.id)) x.members.forEach(wantRecord);
    });
    // Records no known posting lists: a segment whose bound reaches the
    // k-th score holds such a record before the k-th, or beats it. Versions
    // come as their preferred member, so a group no posting lists is
    // judged as a group.
    var open = false;
    b.segments.forEach(function (g) {
      if (!may(g) || slack(g.U) < last.L) return;
      open = true;
      var lone = !ties;
      for (var r = g.first; r < g.end && r <= last.id && !lone; r++) {
        lone = !b.inHead[r] && meta.groupOf[r] < 0 && !isExpired(meta, r);
      }
      if (lone || !(g.U <= slack(last.L))) wantRecord(g.first);
    });
    if (open) {
      for (var gi = 0; gi < meta.groups.length; gi++) {
        if (groupSeen[gi]) continue;
        var y = group(meta, gi, b.one);
        if (y && may(y) && !out(y.U, y.id)) y.members.forEach(wantRecord);
      }
    }
    return want.size ? { want: want } : { top: top, partial: partial };
  }

  /**
   * What the known postings say of each record (see earlyTop): `one(id)`
   * gives its score L, its bound U, whether it matches every clause
   * already (whole) or may (maybe); `listed`, every record some known
   * posting lists (inHead: a byte per record); `segments`, runs of
   * record numbers [first, end) in which a record no posting lists has the
   * same bound U and maybe; `blocksOf(r, want)` adds to `want` the blocks
   * not fetched yet that may hold a posting of record r.
   */
  function bounds(meta, q, postings, s) {
    var n = meta.records;
    var head = new Map();
    var listed = [];
    var inHead = new Uint8Array(n);
    var cuts = [0, n];
    postings.forEach(function (p, t) {
      var h = new Uint8Array(n);
      for (var i = 0; i < p.ids.length; i++) {
        h[p.ids[i]] = p.imp[i];
        if (!inHead[p.ids[i]]) listed.push(p.ids[i]);
        inHead[p.ids[i]] = 1;
      }
      head.set(t, h);
      if (!p.tail) return;
      p.blocks.forEach(function (x) { cuts.push(x.first); });
      if (p.tie >= 0) cuts.push(p.tie + 1);
    });
    // The most token t can add to record r: its known byte, or at most the
    // max of the block not fetched that r falls in (one less for a record
    // before the tail's ties). `none`: as for a record no posting lists.
    var most = function (t, r, none) {
      var p = postings.get(t);
      if (!p) return 0;
      var x = none ? 0 : head.get(t)[r];
      if (x || !p.tail) return x;
      var j = runOf(p.blocks, r);
      if (j < 0 || p.blocks[j].done) return 0;
      return Math.min(p.blocks[j].max, r <= p.tie ? p.tailMax - 1 : p.tailMax);
    };
    // An alternative's bound for record r and whether it may match whole.
    var altBound = function (a, r, none) {
      var T = a.tokens.length;
      var sum = 0;
      var m = 0;
      for (var i = 0; i < T; i++) {
        var x = most(a.tokens[i], r, none);
        if (x) {
          sum += x;
          m++;
        }
      }
      if (a.why !== null && m < T) return [0, false];
      var cover = m / T;
      return [sum * a.weight * cover * cover, m === T];
    };
    var bound = function (r, none) {
      var U = 0;
      var full = 0;
      q.clauses.forEach(function (c) {
        var best = 0;
        var f = false;
        c.alts.forEach(function (a) {
          var b = altBound(a, r, none);
          if (b[0] > best) best = b[0];
          f = f || b[1];
        });
        U += best;
        if (f) full++;
      });
      q.cross.forEach(function (t) { U += 0.5 * most(t, r, none); });
      return { U: U, maybe: full === nClauses };
    };
    var nClauses = q.clauses.length;
    cuts.sort(function (x, y) { return x - y; });
    var segments = [];
    for (var c = 0; c < cuts.length; c++) {
      var a = cuts[c];
      if (a >= n || (segments.length && segments[segments.length - 1].first === a)) continue;
      var g = bound(a, true);
      g.first = a;
      segments.push(g);
    }
    segments.forEach(function (g, i) { g.end = i + 1 < segments.length ? segments[i + 1].first : n; });
    var one = function (id) {
      if (!inHead[id]) {
        var g = segments[runOf(segments, id)];
        return { L: 0, F: 0, U: g.U, whole: false, maybe: g.maybe };
      }
      var b = bound(id);
      return { L: s.total[id], F: s.fullCount[id], U: b.U, whole: s.fullCount[id] === nClauses, maybe: b.maybe };
    };
    // Adds to `want` the block of token t's tail that record r falls in,
    // unless it came already.
    var wantBlock = function (want, t, r) {
      var p = postings.get(t);
      if (!p || !p.tail) return;
      var j = runOf(p.blocks, r);
      if (j < 0 || p.blocks[j].done) return;
      if (!want.has(t)) want.set(t, []);
      if (want.get(t).indexOf(j) < 0) want.get(t).push(j);
    };
    var blocksOf = function (r, want) {
      postings.forEach(function (p, t) {
        if (!head.get(t)[r]) wantBlock(want, t, r);
      });
    };
    // The blocks that rule out, for the records of `segs` (none listed by a
    // known posting), every alternative of one clause: per alternative the
    // block of its token with the fewest blocks left; the clause whose
    // alternatives need the fewest in all.
    var killBlocks = function (segs, want) {
      var left = function (t) {
        var p = postings.get(t);
        return p && p.tail ? p.blocks.filter(function (x) { return !x.done; }).length : 0;
      };
      var cheapest = function (a) {
        var best = null;
        a.tokens.forEach(function (t) { if (best === null || left(t) < left(best)) best = t; });
        return best;
      };
      var pick = null;
      var cost = Infinity;
      q.clauses.forEach(function (c) {
        var n = 0;
        c.alts.forEach(function (a) { n += left(cheapest(a)); });
        if (n < cost) {
          cost = n;
          pick = c;
        }
      });
      segs.forEach(function (g) {
        pick.alts.forEach(function (a) { wantBlock(want, cheapest(a), g.first); });
      });
    };
    return { one: one, listed: listed, inHead: inHead, segments: segments, blocksOf: blocksOf, killBlocks: killBlocks };
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
    var x = { id: rep, L: 0, F: 0, U: 0, whole: false, maybe: false, members: members };
    x.others = members.filter(function (m) { return m !== rep; });
    members.forEach(function (m) {
      var y = one(m);
      if (y.L > x.L) x.L = y.L;
      if (y.U > x.U) x.U = y.U;
      if (y.F > x.F) x.F = y.F;
      x.whole = x.whole || y.whole;
      x.maybe = x.maybe || y.maybe;
    });
    return x;
  }

  /** A first page from earlyTop: results, no counts yet; rest() gives all. */
  function earlyResult(text, norm, parsed, filters, e, rest) {
    var top = e.top;
    var total = {};
    var others = new Map();
    top.forEach(function (x) {
      total[x.id] = x.L;
      others.set(x.id, x.others);
    });
    return Object.assign(described(text, norm, parsed, filters), {
      complete: !e.partial,
      early: true,
      count: null,
      ordered: top.map(function (x) { return x.id; }),
      total: total,
      others: others,
      hidden: null,
      expired: false,
      suggestion: null,
      types: null,
      facets: null,
      rest: rest,
    });
  }

