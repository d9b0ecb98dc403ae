// In the page's head (tabs/harness/page.py): the address's language and presenter mode before the first
// paint, figures fitted to a projector's first screen, and the frames' acknowledgements (ack.js, spliced in).
(() => {
  const q = new URLSearchParams(window.location.search);
  if (q.get('lang') && q.get('lang') !== 'en') document.documentElement.classList.add('lang-pending');
  if (['1', 'true', 'yes'].includes(q.get('present'))) document.documentElement.classList.add('present');
  setTimeout(() => document.documentElement.classList.remove('lang-pending'), 8000);  // never stay hidden
  // Presenter mode: a figure's block may declare a max-height (assets/style.css) and its plotly figure is drawn
  // to fit it: within the first screen when it starts there (the room below its top), so the main figure stays on
  // a projector's first screen. Plotly sets window.Plotly once loaded.
  const cap = (gd) => {
    if (!document.documentElement.classList.contains('present')) return null;
    const block = gd.closest('.block'), max = block && getComputedStyle(block).maxHeight;
    if (!max || !max.endsWith('px')) return null;
    const box = block.getBoundingClientRect(), top = box.top + window.scrollY;
    const room = box.width && top < window.innerHeight / 2 ? window.innerHeight - top - 8 : Infinity;
    return Math.floor(Math.min(parseFloat(max), room)) - 4;
  };
  // For the back of the room: markers half as large again, and every text at least 16 px, set in the figure itself
  // so that plotly sizes its margins for it (a CSS font size alone cuts long tick labels off).
  const larger = (trace) => !trace.marker || typeof trace.marker.size !== 'number' ? trace :
    {...trace, marker: {...trace.marker, size: Math.round(trace.marker.size * 1.5)}};
  const bump = (obj, depth) => {
    if (!obj || typeof obj !== 'object' || depth > 5) return obj;
    if (Array.isArray(obj)) return obj.length && typeof obj[0] === 'object' ? obj.map((o) => bump(o, depth + 1)) : obj;
    const out = {...obj};
    for (const [key, value] of Object.entries(obj)) {
      if (/font$/.test(key) && value && typeof value === 'object')
        out[key] = {...value, size: Math.max(value.size || 0, key === 'font' && depth === 1 ? 18 : 16)};
      else if (/^[xy]axis\d*$/.test(key) && value && typeof value === 'object')
        out[key] = {automargin: true, ...bump(value, depth + 1)};
      else if (value && typeof value === 'object') out[key] = bump(value, depth + 1);
    }
    return out;
  };
  const readable = (layout) => {
    const out = bump(layout, 0);
    out.font = {...(out.font || {}), size: Math.max((out.font || {}).size || 0, 16)};
    if (typeof out.title === 'string') out.title = {text: out.title};
    return out;
  };
  // A horizontal legend under the plot (y < 0 on the paper) is drawn at the bottom of the figure instead (yref
  // 'container'): plotly then reserves room for it below the axis title, which it otherwise overlaps whenever the
  // title or the entries are longer than the fixed gap (Vietnamese labels, presenter fonts).
  const legendRoom = (layout) => {
    const lg = layout && layout.legend;
    if (!lg || lg.orientation !== 'h' || !(lg.y < 0) || lg.yref) return layout;
    return {...layout, legend: {...lg, y: 0, yref: 'container', yanchor: 'bottom'}};
  };
  const fitted = (gd, height) => { const c = cap(gd); return c && height > c ? Math.max(c, 240) : height; };
  let plotly;
  Object.defineProperty(window, 'Plotly', {configurable: true, get: () => plotly, set: (lib) => {
    plotly = lib;
    const react = lib.react;
    lib.react = function (gd, data, layout, config) {
      if (gd && gd.closest && layout && layout.height) {
        gd.dataset.height = layout.height;
        layout = {...layout, height: fitted(gd, layout.height)};
      }
      layout = legendRoom(layout);
      if (Array.isArray(data) && document.documentElement.classList.contains('present')) {
        data = data.map((trace) => bump(larger(trace), 1));
        if (layout) layout = readable(layout);
      }
      return react.call(this, gd, data, layout, config);
    };
  }});
  {{ACK}}
{{KEYS}}
  window.presenterRefit = () => {
    if (!plotly) return;
    for (const gd of document.querySelectorAll('.js-plotly-plot[data-height]'))
      plotly.relayout(gd, {height: fitted(gd, +gd.dataset.height)});
  };
})();
