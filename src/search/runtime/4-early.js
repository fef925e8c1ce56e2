  // Part 4 of 5 of the search runtime: the first page from the heads of the postings
  // alone (since index format 4), when they prove it.
  // The parts are one function scope, concatenated in file-name order
  // into /search.js (src/search/runtime.rs); not a script on its own.

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
    var s = score(meta, q, postings);
    var b = bounds(meta, q, postings, s);
    var one = b.one;
    var u0 = b.u0;
    var u0whole = b.u0whole;
    var listed = b.listed;
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
   * What the heads say of each record (see earlyTop): `one(id)` gives its
   * score from the heads L, its bound U, whether it matches every clause
   * already (whole) or may (maybe); `listed`, every record some head
   * lists; `u0` and `u0whole`, the same for a record no head lists.
   */
  function bounds(meta, q, postings, s) {
    var n = meta.records;
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
    // tail's highest (one less for a record before the tail's ties; r < 0:
    // a record no head lists, of which nothing is known but the tail).
    var most = function (t, r) {
      var p = postings.get(t);
      if (!p) return 0;
      if (r < 0) return p.tail ? p.tailMax : 0;
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
        var x = most(t, r);
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
      q.cross.forEach(function (t) { U += 0.5 * most(t, r); });
      return { U: U, maybe: full === nClauses };
    };
    var b0 = bound(-1);
    var u0 = b0.U;
    var u0whole = b0.maybe;
    var nClauses = q.clauses.length;
    var one = function (id) {
      if (!inHead[id]) return { L: 0, U: u0, whole: false, maybe: u0whole };
      var b = bound(id);
      return { L: s.total[id], U: b.U, whole: s.fullCount[id] === nClauses, maybe: b.maybe };
    };
    return { one: one, u0: u0, u0whole: u0whole, listed: listed };
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
    return Object.assign(described(text, norm, parsed, filters), {
      complete: true,
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

