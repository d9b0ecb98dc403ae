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
  // A text alternative for every figure, kept current with it (each draw): its title and axes, and each trace's
  // name with its key number (a line's last value, a point cloud's size), in the figure's own language.
  const textOf = (t) => (t && typeof t === 'object' ? t.text : t) || '';
  const plain = (t) => String(t).replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  const num = (v) => typeof v === 'number' && isFinite(v) ? (Math.abs(v) >= 100 ? v.toFixed(0) : +v.toPrecision(3)) : v;
  // plotly.py may send an array as {dtype, bdata} (base64): read it back to read its values
  const TYPED = {f8: Float64Array, f4: Float32Array, i4: Int32Array, i2: Int16Array, i1: Int8Array, u1: Uint8Array,
                 u2: Uint16Array, u4: Uint32Array};
  const values = (v) => {
    if (!v || typeof v !== 'object' || Array.isArray(v) || ArrayBuffer.isView(v) || !v.bdata) return v;
    const T = TYPED[v.dtype];
    if (!T) return null;
    const bin = atob(v.bdata), bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new T(bytes.buffer);
  };
  const describe = (gd, data, layout) => {
    if (!gd || !gd.setAttribute || !Array.isArray(data)) return;
    const L = layout || {}, parts = [];
    const title = plain(textOf(L.title));
    if (title) parts.push(title);
    const axes = [textOf((L.xaxis || {}).title), textOf((L.yaxis || {}).title)].map(plain).filter(Boolean);
    if (axes.length === 2) parts.push(`${axes[1]} / ${axes[0]}`);
    const traces = data.filter((d) => d && d.showlegend !== false && (d.name || d.type === 'heatmap' || d.type === 'bar'))
      .slice(0, 8);
    for (const d of traces) {
      const name = plain(d.name || '');
      const y = values(d.y), x = values(d.x);
      const ys = y && y.length ? y : null, xs = x && x.length ? x : null;
      if (d.type === 'heatmap' && d.z) {
        const shape = d.z.shape || [d.z.length, (d.z[0] || []).length];
        parts.push(`${name || 'heatmap'} ${shape[0]}×${shape[1]}`);
      }
      else if (d.type !== 'bar' && ys && (d.mode || 'lines').includes('lines')) parts.push(`${name}: ${num(ys[ys.length - 1])}` + (xs ? ` (${num(xs[xs.length - 1])})` : ''));
      else if (d.type !== 'bar' && ys && name) parts.push(`${name}: ${ys.length}`);
      else if (d.type === 'bar' && xs && ys) {  // a bar chart: its bars, category and value (the first five)
        const [cats, vals] = d.orientation === 'h' ? [ys, xs] : [xs, ys];
        const bars = Array.from(cats).slice(0, 5).map((c, i) => `${plain(c)} ${num(vals[i])}`).join(', ');
        parts.push(name ? `${name}: ${bars}` : bars);
      }
    }
    if (!parts.length) return;
    gd.setAttribute('role', 'img');
    gd.setAttribute('aria-label', parts.join('. ').slice(0, 600));
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
      const drawn = react.call(this, gd, data, layout, config);
      describe(gd, data, layout);
      return drawn;
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
