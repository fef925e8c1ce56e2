// gongshi serve: live reload and the error overlay. Served by the preview
// server only (never part of `gongshi build`'s output) and added to HTML
// pages as they are sent.
(function () {
  'use strict';
  if (!window.EventSource) return;
  var here = location.pathname.replace(/^\//, '');
  if (here === '' || here.slice(-1) === '/') here += 'index.html';
  var overlay = null;

  function hideOverlay() {
    if (overlay) { overlay.remove(); overlay = null; }
  }

  function showOverlay(diags) {
    hideOverlay();
    overlay = document.createElement('section');
    overlay.setAttribute('role', 'alertdialog');
    overlay.setAttribute('aria-labelledby', 'gongshi-live-title');
    overlay.setAttribute('lang', 'zh-CN');
    overlay.style.cssText = 'position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;' +
      'background:#fff;color:#1a1a1a;border-top:4px solid #b00020;padding:1rem 1.25rem;font:1rem/1.6 system-ui,sans-serif;' +
      'box-shadow:0 -4px 16px rgba(0,0,0,.25)';
    var h = document.createElement('h2');
    h.id = 'gongshi-live-title';
    h.style.cssText = 'margin:0 0 .5rem;font-size:1.15rem;color:#b00020';
    var errors = diags.filter(function (d) { return d.severity === 'error'; }).length;
    h.textContent = '内容有 ' + errors + ' 个错误，预览仍显示上一次成功生成的网站';
    overlay.appendChild(h);
    var list = document.createElement('ol');
    list.style.cssText = 'margin:0;padding-left:1.5rem';
    diags.forEach(function (d) {
      var li = document.createElement('li');
      var where = document.createElement('code');
      where.textContent = d.path + ':' + Math.max(d.line, 1) + ':' + Math.max(d.col, 1);
      li.appendChild(where);
      li.appendChild(document.createTextNode(' ' + d.field + '：' + (d.severity === 'warning' ? '警告：' : '') + d.message));
      if (d.hint) {
        var hint = document.createElement('div');
        hint.textContent = '提示：' + d.hint;
        li.appendChild(hint);
      }
      list.appendChild(li);
    });
    overlay.appendChild(list);
    var close = document.createElement('button');
    close.type = 'button';
    close.textContent = '暂时关闭';
    close.style.cssText = 'margin-top:.75rem;font:inherit;padding:.25rem .75rem';
    close.addEventListener('click', hideOverlay);
    overlay.appendChild(close);
    document.body.appendChild(overlay);
  }

  function refreshStyles() {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    Array.prototype.forEach.call(links, function (l) {
      var url = new URL(l.href);
      url.searchParams.set('live', Date.now());
      var next = l.cloneNode();
      next.href = url.href;
      next.addEventListener('load', function () { l.remove(); });
      l.after(next);
    });
  }

  // The browser reconnects by itself when the connection drops. It gives
  // up on any answer but 200 (503: the preview already has too many streams
  // open, or it was restarted mid-request): then try again, waiting longer
  // each time, a little at random so that many tabs don't come back at once.
  var delay = 0;
  function listen() {
    var source = new EventSource('/__gongshi/events');
    source.addEventListener('open', function () { delay = 0; });
    source.addEventListener('error', function () {
      if (source.readyState !== EventSource.CLOSED) return;
      delay = Math.min(delay ? delay * 2 : 5000, 60000);
      setTimeout(listen, delay + Math.random() * 1000);
    });
    source.addEventListener('failed', function (e) {
      showOverlay(JSON.parse(e.data));
    });
    source.addEventListener('built', function (e) {
      var changed = JSON.parse(e.data);
      hideOverlay();
      var page = changed.indexOf(here) >= 0 || changed.some(function (p) { return /\.js$/.test(p); });
      if (page) {
        // Chromium and Firefox keep showing the old page until the new one
        // paints (paint holding), and restore the scroll position.
        location.reload();
      } else if (changed.some(function (p) { return /\.css$/.test(p); })) {
        refreshStyles();
      }
    });
  }
  listen();
})();
