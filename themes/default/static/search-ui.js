/* gongshi site search: the search page (search/) on top of the API of
   search.js, which loads first. Results as you type, announced in a
   status region; type tabs with counts; the other facets with counts in a
   filter panel, collapsed until opened (their file, facets.bin, is
   fetched then, or at once when the URL has such filters); sort; the
   switch 显示已失效内容 (off: expired material is left out, and versions
   of one item come as one result with links to the others); query,
   filters and the switch in the URL (&expired=1), with history for the
   back button; focus kept
   where the reader is. Everything is built from text nodes: content
   never becomes markup. */
(function (root) {
  'use strict';

  var gongshi = root.gongshi;
  if (!gongshi || !gongshi.query) return;
  var query = gongshi.query;
  var configure = gongshi.configure;
  var normalize = gongshi.tokenizer.normalize;
  var DIMS = gongshi.FILTERS;

  var doc = root.document;
  var form = doc && doc.getElementById('search-form');
  var box = doc && doc.getElementById('search-q');
  var out = doc && doc.getElementById('search-results');
  if (!form || !box || !out || !out.hasAttribute('data-search-index')) return;
  configure({ index: out.getAttribute('data-search-index') });

  var statusEl = doc.getElementById('search-status');
  var PAGE = 10;
  var state = { q: '', filters: {}, sort: 'relevance', expired: false, shown: PAGE };
  var seq = 0;
  var timer = null;
  // The results shown (their facet counts come when the panel is open).
  var current = null;

  /** Filters other than type, which the panel holds. */
  function facetFilters(filters) {
    var n = 0;
    DIMS.forEach(function (d) { if (d !== 'type') n += (filters[d] || []).length; });
    return n;
  }

  function el(tag, attrs, children) {
    var e = doc.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') e.textContent = attrs[k];
      else if (attrs[k] !== false && attrs[k] != null) e.setAttribute(k, attrs[k] === true ? '' : attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) e.appendChild(typeof c === 'string' ? doc.createTextNode(c) : c); });
    return e;
  }

  /** Text with the query's characters and words marked (built from text nodes only). */
  function marked(text, res) {
    var terms = [];
    res.clauses.forEach(function (c) { if (c.text) terms.push(c.text); });
    (res.synonyms || []).forEach(function (s) { terms.push(s.to); });
    var frag = doc.createDocumentFragment();
    if (!terms.length) {
      frag.appendChild(doc.createTextNode(text));
      return frag;
    }
    var norm = normalize(text, null);
    // Mark only where the normalized text keeps the same length (nearly always).
    if (norm.length !== text.length) {
      frag.appendChild(doc.createTextNode(text));
      return frag;
    }
    var marks = new Uint8Array(text.length);
    terms.forEach(function (t) {
      if (t.length < 1) return;
      var from = 0;
      for (;;) {
        var at = norm.indexOf(t, from);
        if (at < 0) break;
        marks.fill(1, at, at + t.length);
        from = at + t.length;
      }
    });
    var i = 0;
    while (i < text.length) {
      var j = i;
      while (j < text.length && marks[j] === marks[i]) j++;
      var piece = text.slice(i, j);
      frag.appendChild(marks[i] ? el('mark', { text: piece }) : doc.createTextNode(piece));
      i = j;
    }
    return frag;
  }

  function fromUrl() {
    var p = new URLSearchParams(root.location.search);
    var filters = {};
    DIMS.forEach(function (d) {
      var v = p.getAll(d).filter(Boolean);
      if (v.length) filters[d] = v;
    });
    return {
      q: (p.get('q') || '').trim(),
      filters: filters,
      sort: p.get('sort') === 'date' ? 'date' : 'relevance',
      expired: p.get('expired') === '1',
      shown: PAGE,
    };
  }

  function toUrl(s) {
    var p = new URLSearchParams();
    if (s.q) p.set('q', s.q);
    DIMS.forEach(function (d) { (s.filters[d] || []).forEach(function (v) { p.append(d, v); }); });
    if (s.sort === 'date') p.set('sort', 'date');
    if (s.expired) p.set('expired', '1');
    var qs = p.toString();
    return root.location.pathname + (qs ? '?' + qs : '');
  }

  function commit(how) {
    var url = toUrl(state);
    if (url === root.location.pathname + root.location.search) return;
    if (how === 'push') root.history.pushState(null, '', url);
    else root.history.replaceState(null, '', url);
  }

  function announce(msg) {
    if (statusEl) statusEl.textContent = msg;
  }

  var controls = null;
  function ensureControls() {
    if (controls) return controls;
    var sort = el('select', { id: 'search-sort' }, [
      el('option', { value: 'relevance', text: '按相关度' }),
      el('option', { value: 'date', text: '按发布日期（新的在前）' }),
    ]);
    sort.addEventListener('change', function () {
      state.sort = sort.value;
      state.shown = PAGE;
      commit('push');
      run();
    });
    var expired = el('input', { type: 'checkbox', id: 'search-expired' });
    expired.addEventListener('change', function () {
      state.expired = expired.checked;
      state.shown = PAGE;
      commit('push');
      run({ focus: 'search-expired' });
    });
    // The filter panel: a disclosure, closed unless the URL has filters.
    var label = el('span', { text: PANEL_LABEL });
    var panel = el('details', { class: 'search-filters', id: 'search-filters', open: facetFilters(state.filters) > 0 }, [
      el('summary', { id: 'search-filters-toggle' }, [label]),
      el('div', { class: 'search-facets', id: 'search-facets-slot' }),
    ]);
    panel.addEventListener('toggle', function () {
      if (panel.open) loadCounts();
    });
    controls = {
      bar: el('div', { class: 'search-bar' }, [
        el('label', { for: 'search-sort', text: '排序：' }), sort,
        el('span', { class: 'search-switch' }, [expired, ' ', el('label', { for: 'search-expired', text: '显示已失效内容' })]),
      ]),
      sort: sort,
      expired: expired,
      panel: panel,
      label: label,
    };
    return controls;
  }

  var PANEL_LABEL = '筛选（机构、行业、年份……）';

  function toggleFilter(dim, key, on) {
    var list = (state.filters[dim] || []).filter(function (k) { return k !== key; });
    if (on) list.push(key);
    if (list.length) state.filters[dim] = list;
    else delete state.filters[dim];
    state.shown = PAGE;
    commit('push');
    run();
  }

  function renderTypes(res) {
    if (!res.types) return null;
    var total = res.types.reduce(function (n, t) { return n + t.count; }, 0);
    var noneSelected = !(state.filters.type && state.filters.type.length);
    var items = [el('li', {}, [typeButton('all', '全部', total, noneSelected)])];
    res.types.forEach(function (t) {
      if (t.count || t.selected) items.push(el('li', {}, [typeButton(t.key, t.name, t.count, t.selected)]));
    });
    return el('nav', { class: 'search-types', 'aria-label': '按类型查看结果' }, [el('ul', {}, items)]);
  }

  function typeButton(key, name, count, pressed) {
    var b = el('button', { type: 'button', id: 'search-type-' + key, 'aria-pressed': pressed ? 'true' : 'false' }, [
      name, ' ', el('span', { class: 'count', text: '（' + count + '）' }),
    ]);
    b.addEventListener('click', function () {
      if (key === 'all') delete state.filters.type;
      else state.filters.type = [key];
      state.shown = PAGE;
      commit('push');
      run({ focus: b.id });
    });
    return b;
  }

  function renderFacets(res) {
    var groups = [];
    res.facets.forEach(function (f) {
      var terms = f.terms.filter(function (t) { return t.count || t.selected; });
      if (!terms.length) return;
      var items = terms.map(function (t) {
        var id = 'facet-' + f.key + '-' + t.key;
        var box = el('input', { type: 'checkbox', id: id, checked: t.selected });
        box.addEventListener('change', function () {
          toggleFilter(f.key, t.key, box.checked);
          pendingFocus = id;
        });
        return el('li', {}, [box, ' ', el('label', { for: id }, [t.name, ' ', el('span', { class: 'count', text: '（' + t.count + '）' })])]);
      });
      groups.push(el('fieldset', { class: 'facet' }, [el('legend', { text: f.name }), el('ul', {}, items)]));
    });
    if (!groups.length) return [el('p', { class: 'notice', text: '这些结果没有可用的筛选条件。' })];
    return groups;
  }

  function zhDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
    return m ? m[1] + '年' + Number(m[2]) + '月' + Number(m[3]) + '日' : iso;
  }

  function renderHit(r, res) {
    var meta = [el('span', { class: 'type-label', text: r.type_name })];
    if (r.status) meta.push(el('span', { class: 'badge status status-' + r.status.key, text: r.status.label }));
    if (r.agency) meta.push(el('span', { class: 'meta-item' }, [el('span', { class: 'meta-key', text: '发布机构：' }), r.agency.name]));
    if (r.date) meta.push(el('span', { class: 'meta-item' }, [el('span', { class: 'meta-key', text: '发布日期：' }), el('time', { datetime: r.date, text: zhDate(r.date) })]));
    return el('li', { class: 'summary search-hit' }, [el('article', {}, [
      el('h3', { class: 'summary-title' }, [el('a', { href: r.url }, [marked(r.title, res)])]),
      r.parent ? el('p', { class: 'hit-parent' }, [el('span', { class: 'meta-key', text: '出自：' }), el('a', { href: r.parent.url, text: r.parent.title })]) : null,
      el('p', { class: 'summary-meta' }, meta),
      r.excerpt ? el('p', { class: 'summary-text' }, [marked(r.excerpt, res)]) : null,
      renderVersions(r),
    ])]);
  }

  /** The other versions of a result: a disclosure with a link to each. */
  function renderVersions(r) {
    var vs = r.versions || [];
    if (!vs.length) return null;
    var old = vs.every(function (v) { return v.status && v.status.key === 'expired'; });
    return el('details', { class: 'hit-versions' }, [
      el('summary', { text: '另有 ' + vs.length + ' 个' + (old ? '历史' : '其他') + '版本' }),
      el('ul', {}, vs.map(function (v) {
        var bits = [];
        if (v.status) bits.push(v.status.label);
        if (v.date) bits.push(zhDate(v.date));
        return el('li', {}, [el('a', { href: v.url, text: v.title }), bits.length ? '（' + bits.join('，') + '）' : null]);
      })),
    ]);
  }

  var pendingFocus = null;

  function render(res, opts) {
    var ctl = ensureControls();
    ctl.sort.value = state.sort;
    ctl.expired.checked = state.expired;
    var active = doc.activeElement && out.contains(doc.activeElement) ? doc.activeElement.id : null;
    var kids = [];
    kids.push(el('h2', { id: 'search-results-title', tabindex: '-1', text: '“' + res.query + '”的搜索结果' }));
    kids.push(renderTypes(res));
    if (!res.complete && res.results.length) {
      kids.push(el('p', { class: 'notice', text: '没有同时包含全部关键词的结果，下面是只包含部分关键词的结果。' }));
    }
    if (res.suggestion && res.suggestion !== res.normalized) {
      var a = el('a', { href: '?q=' + encodeURIComponent(res.suggestion), text: res.suggestion });
      a.addEventListener('click', function (e) {
        e.preventDefault();
        box.value = res.suggestion;
        state.q = res.suggestion;
        state.shown = PAGE;
        commit('push');
        run({ focus: 'search-results-title' });
      });
      kids.push(el('p', { class: 'search-suggestion' }, ['您是不是要找：', a, '？']));
    }
    if (res.synonyms && res.synonyms.length) {
      var seen = new Set();
      var words = res.synonyms.filter(function (x) {
        var k = x.from + '→' + x.to;
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      }).map(function (x) { return '“' + x.from + '”同时按“' + x.to + '”查找'; });
      kids.push(el('p', { class: 'search-synonyms', text: words.join('；') + '。' }));
    }
    kids.push(ctl.bar);
    if (res.hidden && !res.expired) {
      kids.push(el('p', { class: 'notice search-hidden', text: '另有 ' + res.hidden + ' 条已失效的结果未显示，勾选“显示已失效内容”可以查看。' }));
    }
    if (res.results.length) {
      kids.push(el('ol', { class: 'summary-list search-hits' }, res.results.map(function (r) { return renderHit(r, res); })));
      if (res.count > res.results.length) {
        var more = el('button', { type: 'button', class: 'search-more', text: '显示更多结果（还有 ' + (res.count - res.results.length) + ' 条）' });
        more.addEventListener('click', function () {
          var had = res.results.length;
          state.shown += PAGE;
          run({ focusHit: had });
        });
        kids.push(more);
      }
    } else {
      kids.push(el('p', { class: 'notice', text: '没有找到与“' + res.query + '”相关的结果。请换一个关键词，或通过下方的分类浏览查找。' }));
    }
    var n = facetFilters(state.filters);
    ctl.label.textContent = PANEL_LABEL + (n ? '，已选 ' + n + ' 项' : '');
    var slot = ctl.panel.querySelector('#search-facets-slot');
    slot.replaceChildren();
    slot.removeAttribute('data-state');
    out.replaceChildren(el('div', { class: 'search-layout' }, [
      el('div', { class: 'search-main' }, kids),
      el('div', { class: 'search-side' }, [ctl.panel]),
    ]));
    if (!pendingFocus && active && doc.activeElement !== doc.getElementById(active)) pendingFocus = active;
    // A first page shown before the counts (res.early) is announced once
    // the counts come, with them.
    if (!res.early) {
      announce(res.count
        ? '找到 ' + res.count + ' 条' + (res.complete ? '' : '部分匹配的') + '结果' + (res.suggestion ? '。您是不是要找：' + res.suggestion + '？' : '')
        : '没有找到相关结果' + (res.suggestion ? '。您是不是要找：' + res.suggestion + '？' : ''));
    }
    var o = opts || {};
    if (o.focus) pendingFocus = o.focus;
    if (o.focusHit != null) {
      var links = out.querySelectorAll('.search-hit h3 a');
      if (links[o.focusHit]) links[o.focusHit].focus();
    }
    applyFocus();
  }

  function applyFocus() {
    if (!pendingFocus) return;
    var target = doc.getElementById(pendingFocus);
    if (target) {
      target.focus();
      pendingFocus = null;
    }
  }

  /**
   * Facet counts for the results shown, into the open panel: facets.bin
   * is fetched the first time (data-state on the panel: "busy", "done").
   */
  function loadCounts() {
    var ctl = controls;
    var res = current;
    if (!ctl || !ctl.panel.open || !res || !res.withCounts) return Promise.resolve();
    if (res.countsShown) return res.countsShown;
    var slot = ctl.panel.querySelector('#search-facets-slot');
    slot.setAttribute('data-state', 'busy');
    slot.setAttribute('aria-busy', 'true');
    slot.replaceChildren(el('p', { class: 'search-loading', text: '正在统计筛选条件……' }));
    res.countsShown = res.withCounts().then(function () {
      if (res !== current) return;
      var active = doc.activeElement && doc.activeElement.id;
      slot.replaceChildren.apply(slot, renderFacets(res));
      slot.removeAttribute('aria-busy');
      slot.setAttribute('data-state', 'done');
      if (!pendingFocus && active && doc.activeElement !== doc.getElementById(active)) pendingFocus = active;
      applyFocus();
    }, function (err) {
      res.countsShown = null;
      if (res !== current) return;
      slot.removeAttribute('aria-busy');
      slot.setAttribute('data-state', 'error');
      slot.replaceChildren(el('p', { class: 'notice notice-warn', text: '筛选条件暂时不可用，请稍后再试。' }));
      if (root.console) root.console.warn('gongshi search:', err);
    });
    return res.countsShown;
  }

  function run(opts) {
    var my = ++seq;
    var q = state.q;
    // The hot words are a way in for an empty box; with a query they only
    // push the results down (below the first screen on a phone).
    var hotWords = doc.querySelector('.hot-words');
    if (hotWords) hotWords.hidden = !!q;
    if (!q) {
      out.replaceChildren();
      out.removeAttribute('data-state');
      announce('');
      return Promise.resolve();
    }
    out.setAttribute('aria-busy', 'true');
    // data-state: "busy", then "done" once results, type counts and (with
    // the panel open) facet counts are shown (or "error"); tests wait for it.
    out.setAttribute('data-state', 'busy');
    // The first results may come before the counts (res.early, from the
    // heads of the index and a few blocks of its tails: data-state
    // "results"); then the whole result replaces them, keeping the focus
    // on the same result.
    var opened = function (res, o) {
      if (my !== seq) return null;
      if (res.early) {
        current = res;
        render(res, o);
        out.setAttribute('data-state', 'results');
        return res.rest().then(function (full) {
          if (my !== seq) return null;
          var links = Array.prototype.slice.call(out.querySelectorAll('.search-hit h3 a'));
          var at = links.indexOf(doc.activeElement);
          return opened(full, at >= 0 ? { focusHit: at } : null);
        });
      }
      out.removeAttribute('aria-busy');
      current = res;
      render(res, o);
      return loadCounts().then(function () {
        if (my === seq) out.setAttribute('data-state', 'done');
      });
    };
    return query(q, { filters: state.filters, sort: state.sort, expired: state.expired, limit: state.shown, facets: 'later', early: true }).then(function (res) {
      return opened(res, opts);
    }).catch(function (err) {
      if (my !== seq) return;
      out.setAttribute('data-state', 'error');
      out.removeAttribute('aria-busy');
      out.replaceChildren(el('p', { class: 'notice notice-warn', text: '搜索暂时不可用，请稍后再试，或通过下方的分类浏览查找。' }));
      announce('搜索暂时不可用');
      if (root.console) root.console.warn('gongshi search:', err);
    });
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    clearTimeout(timer);
    state.q = box.value.trim();
    state.shown = PAGE;
    commit('push');
    run({ focus: state.q ? 'search-results-title' : null });
  });
  box.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = box.value.trim();
      if (q === state.q) return;
      state.q = q;
      state.shown = PAGE;
      commit('replace');
      run();
    }, 250);
  });
  root.addEventListener('popstate', function () {
    state = fromUrl();
    box.value = state.q;
    // Filters in the URL show in the panel.
    if (controls && facetFilters(state.filters)) controls.panel.open = true;
    run();
  });
  var hot = doc.querySelectorAll('[data-hot-word]');
  for (var h = 0; h < hot.length; h++) {
    hot[h].addEventListener('click', function (e) {
      e.preventDefault();
      var w = this.getAttribute('data-hot-word');
      box.value = w;
      state.q = w;
      state.filters = {};
      state.shown = PAGE;
      commit('push');
      run({ focus: 'search-results-title' });
    });
  }

  // Nothing is fetched until there is a query: a visitor who only browses
  // costs nothing.
  state = fromUrl();
  box.value = state.q;
  if (state.q) run();
}(window));
