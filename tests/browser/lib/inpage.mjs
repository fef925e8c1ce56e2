// Functions evaluated inside the page (passed to page.evaluate).

/** Focus-indicator facts about document.activeElement. */
export function focusFacts() {
  const parse = (c) => {
    const m = c.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return { r, g, b, a };
  };
  const lum = ({ r, g, b }) => {
    const f = (v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const contrast = (x, y) => {
    const [a, b] = [lum(x), lum(y)].sort((p, q) => q - p);
    return (a + 0.05) / (b + 0.05);
  };
  const backgroundBehind = (el) => {
    for (let n = el.parentElement; n; n = n.parentElement) {
      const c = parse(getComputedStyle(n).backgroundColor);
      if (c && c.a > 0.5) return c;
    }
    return { r: 255, g: 255, b: 255, a: 1 };
  };
  const signature = (e) => {
    const c = getComputedStyle(e);
    return [c.outlineStyle, c.outlineWidth, c.outlineColor, c.boxShadow, c.backgroundColor, c.color].join(' | ');
  };
  // The element focused at the previous call, now that it has lost focus:
  // its look must differ from its focused look.
  const prev = window.__gongshiPrevFocus;
  const prevBlurred = prev && prev !== document.activeElement ? signature(prev) : null;
  const el = document.activeElement;
  window.__gongshiPrevFocus = el;
  if (!el || el === document.body || el === document.documentElement) return null;
  const s = getComputedStyle(el);
  const rect = el.getBoundingClientRect();
  const outlineColor = parse(s.outlineColor);
  const behind = backgroundBehind(el);
  const describe = (e) => {
    let d = e.tagName.toLowerCase();
    if (e.id) d += `#${e.id}`;
    if (e.className && typeof e.className === 'string') d += `.${e.className.trim().split(/\s+/).join('.')}`;
    const text = (e.textContent || e.getAttribute('aria-label') || '').trim().slice(0, 30);
    return text ? `${d} “${text}”` : d;
  };
  return {
    element: describe(el),
    focusVisible: el.matches(':focus-visible'),
    outlineStyle: s.outlineStyle,
    outlineWidth: parseFloat(s.outlineWidth) || 0,
    outlineContrast: outlineColor && outlineColor.a > 0 ? contrast(outlineColor, behind) : 0,
    boxShadow: s.boxShadow,
    signature: signature(el),
    prevBlurred,
    inViewport: rect.bottom > 0 && rect.top < innerHeight && rect.right > 0 && rect.left < innerWidth,
    size: rect.width * rect.height,
  };
}

/** Elements that stick out of the viewport sideways, when the page scrolls sideways. */
export function horizontalOverflow() {
  const root = document.documentElement;
  const width = root.clientWidth;
  if (root.scrollWidth <= width) return null;
  const culprits = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && (r.right > width + 1 || r.left < -1)) {
      // Report the outermost offenders only.
      if (!culprits.some((c) => c.el.contains(el))) {
        culprits.push({ el, desc: `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''} [${Math.round(r.left)}, ${Math.round(r.right)}]` });
      }
    }
  }
  return { scrollWidth: root.scrollWidth, clientWidth: width, culprits: culprits.slice(0, 8).map((c) => c.desc) };
}

// Text squeezed to a character or two per line: a caption, heading, cell,
// paragraph or list item at least four characters long whose box is
// narrower than three of its characters and taller than three lines (a
// table caption left at `display: table-caption` in a table laid out as
// blocks collapses that way). Returns descriptions, [] when there is none.
export function squeezedText() {
  const found = [];
  for (const el of document.body.querySelectorAll('caption, h1, h2, h3, h4, th, td, p, li, dt, dd')) {
    const text = el.textContent.replace(/\s+/g, '');
    if (text.length < 4) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    // Inside a visually hidden box (table heads laid out as blocks).
    let hidden = false;
    for (let a = el.parentElement; a && !hidden; a = a.parentElement) {
      const b = a.getBoundingClientRect();
      hidden = (b.width <= 1 || b.height <= 1) && getComputedStyle(a).overflow === 'hidden';
    }
    if (hidden) continue;
    const style = getComputedStyle(el);
    const font = parseFloat(style.fontSize);
    const line = parseFloat(style.lineHeight) || font * 1.5;
    if (r.width < font * 3 && r.height > line * 3) {
      found.push(`${el.tagName.toLowerCase()} "${text.slice(0, 12)}" ${Math.round(r.width)}×${Math.round(r.height)}px`);
    }
  }
  return found.slice(0, 8);
}
