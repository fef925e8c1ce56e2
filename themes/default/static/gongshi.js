/* gongshi default theme — optional progressive enhancement.
   Everything works without this file: it only reveals buttons (reading
   mode, "print the checklist", and on phones 搜索 and 菜单, which fold the
   header), remembers the reading mode, and
   on search/ keeps the query in the box and says where to look instead.

   It is loaded from <head> without `defer`, so a stored reading mode is on
   before the page is first drawn (no flash of small text, no layout jump);
   the buttons are wired once the document has been parsed. */
(function () {
  'use strict';
  var KEY = 'gongshi-reading-mode';
  var root = document.documentElement;

  function stored() {
    try { return window.localStorage.getItem(KEY) === 'on'; } catch (e) { return false; }
  }
  function store(on) {
    try {
      if (on) { window.localStorage.setItem(KEY, 'on'); } else { window.localStorage.removeItem(KEY); }
    } catch (e) { /* storage unavailable: the mode lasts for this page only */ }
  }
  function setMode(on) {
    if (on) { root.classList.add('reading-mode'); } else { root.classList.remove('reading-mode'); }
  }

  // Before <body> exists: only the class on <html>.
  setMode(stored());
  // Phones fold the header's search and menu behind two buttons (menus()
  // below). Marked now, so the header is drawn folded from the start; the
  // folding itself is CSS, for narrow screens only.
  root.classList.add('has-menus');

  function queryParam(name) {
    var pairs = window.location.search.replace(/^\?/, '').split('&');
    var value = '';
    for (var k = 0; k < pairs.length; k++) {
      var kv = pairs[k].split('=');
      if (kv[0] === name && kv.length > 1) {
        try { value = decodeURIComponent(kv[1].replace(/\+/g, ' ')); } catch (e) { value = ''; }
      }
    }
    return value.replace(/^\s+|\s+$/g, '');
  }

  function init() {
    var toggles = document.querySelectorAll('[data-reading-mode]');
    function apply(on) {
      setMode(on);
      for (var i = 0; i < toggles.length; i++) {
        toggles[i].setAttribute('aria-pressed', on ? 'true' : 'false');
      }
    }
    apply(root.classList.contains('reading-mode'));
    for (var i = 0; i < toggles.length; i++) {
      toggles[i].hidden = false;
      toggles[i].addEventListener('click', function () {
        var on = !root.classList.contains('reading-mode');
        apply(on);
        store(on);
      });
    }

    // search/?q=…: there is no keyword index yet (the <noscript> notice says
    // the same without the script), so point to browsing instead of showing
    // nothing. A theme with an index marks #search-results data-search-index.
    var results = document.getElementById('search-results');
    if (results && !results.hasAttribute('data-search-index')) {
      var q = queryParam('q');
      var box = document.getElementById('search-q');
      if (box && q && !box.value) { box.value = q; }
      if (q) {
        var note = document.createElement('p');
        note.className = 'notice';
        note.textContent = '暂不能按关键词“' + q + '”搜索。请通过下方的分类浏览，按类型、发布机构、行业等查找公示信息。';
        results.appendChild(note);
      }
    }

    menus();
    refreshStatuses();
    checklists();
    sortables();

    if (typeof window.print === 'function') {
      var printers = document.querySelectorAll('[data-print-checklist]');
      for (var j = 0; j < printers.length; j++) {
        printers[j].hidden = false;
        printers[j].addEventListener('click', function () {
          root.classList.add('print-checklist');
          window.print();
        });
      }
      window.addEventListener('afterprint', function () {
        root.classList.remove('print-checklist');
      });
    }
  }

  /* The header on phones: 搜索 and 菜单 are disclosure buttons
     (aria-expanded, aria-controls) for the search form and the navigation.
     Without this script neither button shows and both panels stay open; on
     wide screens the buttons are hidden by CSS and the panels always shown.
     Opening the search moves focus into its field; Escape (in a panel or on
     its button) closes the panel and leaves focus on its button. */
  function menus() {
    var toggles = document.querySelectorAll('[data-menu-toggle]');
    var pairs = [];
    for (var i = 0; i < toggles.length; i++) {
      var panel = document.getElementById(toggles[i].getAttribute('aria-controls') || '');
      if (panel) { pairs.push({ button: toggles[i], panel: panel }); }
    }
    // A panel no button controls (a theme without the buttons) stays open.
    var panels = document.querySelectorAll('[data-menu-panel]');
    for (var j = 0; j < panels.length; j++) {
      var controlled = false;
      for (var k = 0; k < pairs.length; k++) { if (pairs[k].panel === panels[j]) { controlled = true; } }
      if (!controlled) { panels[j].classList.add('is-open'); }
    }
    function set(pair, open) {
      pair.button.setAttribute('aria-expanded', open ? 'true' : 'false');
      if (open) { pair.panel.classList.add('is-open'); } else { pair.panel.classList.remove('is-open'); }
    }
    function wire(pair) {
      pair.button.hidden = false;
      set(pair, false);
      pair.button.addEventListener('click', function () {
        var open = pair.button.getAttribute('aria-expanded') !== 'true';
        set(pair, open);
        var field = open && pair.panel.querySelector('input[type="search"]');
        if (field) { field.focus(); }
      });
      // Escape in the panel, or on its button just after opening it.
      var escape = function (e) {
        if ((e.key === 'Escape' || e.key === 'Esc') && pair.button.getAttribute('aria-expanded') === 'true' &&
            window.getComputedStyle(pair.button).display !== 'none') {
          set(pair, false);
          pair.button.focus();
        }
      };
      pair.panel.addEventListener('keydown', escape);
      pair.button.addEventListener('keydown', escape);
    }
    for (var n = 0; n < pairs.length; n++) { wire(pairs[n]); }
  }

  /* Statuses (现行有效 …) were computed on the build day. Each badge carries
     its timeline ("pending;2024-03-01 current;2025-01-01 expired"), so a
     page built last week shows today's status; the "状态截至" date follows. */
  var LABELS = { pending: '尚未施行', current: '现行有效', expired: '已失效' };
  function todayInBeijing() {
    var d = new Date(Date.now() + 8 * 3600 * 1000);
    function pad(n) { return (n < 10 ? '0' : '') + n; }
    return { iso: d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate()),
             zh: d.getUTCFullYear() + '年' + (d.getUTCMonth() + 1) + '月' + d.getUTCDate() + '日' };
  }
  function statusOn(timeline, iso) {
    var steps = timeline.split(';');
    var key = '';
    for (var i = 0; i < steps.length; i++) {
      var parts = steps[i].split(' ');
      if (parts.length === 1) { key = parts[0]; } else if (parts[0] <= iso) { key = parts[1]; }
    }
    return key;
  }
  function refreshStatuses() {
    var today = todayInBeijing();
    var badges = document.querySelectorAll('[data-status-timeline]');
    for (var i = 0; i < badges.length; i++) {
      var key = statusOn(badges[i].getAttribute('data-status-timeline'), today.iso);
      if (!LABELS[key]) { continue; }
      badges[i].className = badges[i].className.replace(/\bstatus-(pending|current|expired)\b/, 'status-' + key);
      badges[i].textContent = LABELS[key];
    }
    var asOf = document.querySelectorAll('[data-status-as-of] time');
    for (var j = 0; j < asOf.length; j++) {
      asOf[j].setAttribute('datetime', today.iso);
      asOf[j].textContent = today.zh;
    }
  }

  /* Self-check lists (data-checklist): ticks are kept in this browser's
     localStorage only, under the list's own key; nothing is sent anywhere.
     Without the script the boxes still tick, and print. */
  function checklists() {
    var lists = document.querySelectorAll('[data-checklist]');
    for (var i = 0; i < lists.length; i++) { checklist(lists[i]); }
  }
  function checklist(list) {
    var key = 'gongshi-check:' + list.getAttribute('data-checklist');
    var boxes = list.querySelectorAll('input[data-check-key]');
    var progress = list.querySelector('[data-check-progress]');
    var clear = list.querySelector('[data-check-clear]');
    var saved = {};
    try { saved = JSON.parse(window.localStorage.getItem(key) || '{}') || {}; } catch (e) { saved = {}; }
    function count() {
      var done = 0;
      for (var k = 0; k < boxes.length; k++) { if (boxes[k].checked) { done++; } }
      if (progress) {
        progress.hidden = false;
        progress.textContent = '已勾选 ' + done + ' 项，共 ' + boxes.length + ' 项';
      }
    }
    function save() {
      var ticks = {};
      var any = false;
      for (var k = 0; k < boxes.length; k++) {
        if (boxes[k].checked) { ticks[boxes[k].getAttribute('data-check-key')] = 1; any = true; }
      }
      try {
        if (any) { window.localStorage.setItem(key, JSON.stringify(ticks)); } else { window.localStorage.removeItem(key); }
      } catch (e) { /* storage unavailable: ticks last for this page only */ }
    }
    for (var k = 0; k < boxes.length; k++) {
      if (saved[boxes[k].getAttribute('data-check-key')]) { boxes[k].checked = true; }
      boxes[k].addEventListener('change', function () { save(); count(); });
    }
    if (clear) {
      clear.hidden = false;
      clear.addEventListener('click', function () {
        for (var k = 0; k < boxes.length; k++) { boxes[k].checked = false; }
        save();
        count();
      });
    }
    count();
  }

  /* Sortable tables (data-sortable): each column header of a known type
     becomes a button; its th carries aria-sort. The rows keep their
     order without the script, which is the page's own (site.toml's). */
  function sortables() {
    var tables = document.querySelectorAll('table[data-sortable]');
    for (var i = 0; i < tables.length; i++) { sortable(tables[i]); }
  }
  function sortable(table) {
    var heads = table.querySelectorAll('thead th[data-sort-type]');
    var body = table.tBodies[0];
    if (!body) { return; }
    var original = Array.prototype.slice.call(body.rows);
    var status = document.createElement('p');
    status.className = 'visually-hidden';
    status.setAttribute('aria-live', 'polite');
    table.parentNode.insertBefore(status, table.nextSibling);
    function value(row, n, type) {
      var cell = row.cells[n];
      if (!cell) { return ''; }
      var v = cell.hasAttribute('data-sort') ? cell.getAttribute('data-sort') : cell.textContent.trim();
      return type === 'number' ? (parseFloat(v) || 0) : v;
    }
    function sortBy(th, n, type) {
      var next = th.getAttribute('aria-sort') === 'descending' ? 'ascending' :
        th.getAttribute('aria-sort') === 'ascending' ? 'none' : 'descending';
      for (var h = 0; h < heads.length; h++) { heads[h].removeAttribute('aria-sort'); }
      var rows = original.slice();
      if (next !== 'none') {
        th.setAttribute('aria-sort', next);
        var sign = next === 'ascending' ? 1 : -1;
        rows.sort(function (a, b) {
          var x = value(a, n, type), y = value(b, n, type);
          var c = type === 'number' ? x - y : x.localeCompare(y, 'zh-Hans-CN');
          return c !== 0 ? sign * c : original.indexOf(a) - original.indexOf(b);
        });
      }
      for (var r = 0; r < rows.length; r++) { body.appendChild(rows[r]); }
      var label = th.textContent.trim();
      status.textContent = next === 'none' ? '已恢复原顺序' :
        '已按“' + label + '”' + (next === 'ascending' ? '升序' : '降序') + '排列';
    }
    for (var h = 0; h < heads.length; h++) {
      (function (th) {
        var n = th.cellIndex;
        var type = th.getAttribute('data-sort-type');
        var button = document.createElement('button');
        button.type = 'button';
        button.className = 'sort-button';
        while (th.firstChild) { button.appendChild(th.firstChild); }
        th.appendChild(button);
        button.addEventListener('click', function () { sortBy(th, n, type); });
      }(heads[h]));
    }
    var caption = table.caption;
    if (caption) {
      var hint = document.createElement('span');
      hint.className = 'sort-hint';
      hint.textContent = '（点击列标题可排序）';
      caption.appendChild(hint);
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
}());
