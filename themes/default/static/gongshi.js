/* gongshi default theme — optional progressive enhancement.
   Everything works without this file: it only reveals two buttons
   (reading mode and "print the checklist") and remembers the reading mode. */
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

  var toggles = document.querySelectorAll('[data-reading-mode]');
  function apply(on) {
    if (on) { root.classList.add('reading-mode'); } else { root.classList.remove('reading-mode'); }
    for (var i = 0; i < toggles.length; i++) {
      toggles[i].setAttribute('aria-pressed', on ? 'true' : 'false');
    }
  }
  apply(stored());
  for (var i = 0; i < toggles.length; i++) {
    toggles[i].hidden = false;
    toggles[i].addEventListener('click', function () {
      var on = !root.classList.contains('reading-mode');
      apply(on);
      store(on);
    });
  }

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
}());
