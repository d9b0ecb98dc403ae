// "Draw your own data" (tabs/harness/canvas.py): the js_on_load of a gr.HTML whose value is a drawn data set's
// code ("d1." + base64url, 2 bytes a point: x 7 bits | y 7 bits | label 2 bits, playground/data/drawn.py).
// A click adds a point, a drag draws a stroke of points, the swatches pick the colour (class), Undo drops the last
// stroke, Clear empties the drawing, a starter replaces it. Each finished gesture sets props.value and triggers
// 'input' (the page copies the code to the tab's data setting); a value from the server (a link, a preset) redraws.
// The words of both languages and the starters are built in (a gr.skip() sent to a gr.HTML drops its other props in
// Gradio 6.31); the language is props.lang once a switch has sent it, else the page's language radio (#lang).
const EXTENT = {{EXTENT}}, GRID = {{GRID}}, MAX = {{MAX_POINTS}}, PREFIX = {{PREFIX}};
const COLOURS = {{COLOURS}}, TEXTS = {{TEXTS}}, STARTERS = {{STARTERS}};
const CELL = 2 * EXTENT / (GRID - 1);
const STROKE_GAP = 0.12;  // a drag adds a point once it is this far (plane units) from the last one
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function encode(points) {
    let bin = '';
    for (const [gx, gy, label] of points) {
        const word = (gx << 9) | (gy << 2) | label;
        bin += String.fromCharCode(word >> 8, word & 255);
    }
    return PREFIX + btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function decode(code) {  // [[gx, gy, label]...], or null when the code is not one (the server says why)
    if (typeof code !== 'string' || !code.startsWith(PREFIX)) return null;
    const body = code.slice(PREFIX.length);
    if ([...body].some(ch => !B64.includes(ch)) || body.length % 4 === 1) return null;
    let bin;
    try { bin = atob(body.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - body.length % 4) % 4)); }
    catch (e) { return null; }
    if (bin.length % 2 || bin.length / 2 > MAX) return null;
    const out = [];
    for (let i = 0; i < bin.length; i += 2) {
        const word = (bin.charCodeAt(i) << 8) | bin.charCodeAt(i + 1);
        out.push([word >> 9, (word >> 2) & (GRID - 1), word & 3]);
    }
    return out;
}

const root = element.querySelector('.drawn') || element;
root.innerHTML = `
  <div class="drawn-bar">
    <span class="drawn-colour-label"></span>
    ${COLOURS.map((c, i) => `<button type="button" class="drawn-swatch" data-label="${i}" style="background:${c}"></button>`).join('')}
    <button type="button" class="drawn-undo"></button>
    <button type="button" class="drawn-clear"></button>
    <select class="drawn-starter"></select>
  </div>
  <canvas class="drawn-canvas"></canvas>
  <div class="drawn-count" aria-live="polite"></div>`;
const canvas = root.querySelector('canvas');
const countEl = root.querySelector('.drawn-count');
const starter = root.querySelector('.drawn-starter');
let points = decode(props.value) || [];
let strokes = points.map(() => 1);  // points added by each gesture (Undo drops the last gesture's)
let label = 0;
let drawing = null;  // the gesture in progress: {added, last: [x, y]}

const pageLang = () => document.querySelector('#lang input:checked')?.value;
let lang = pageLang() || props.lang || 'en';
const texts = () => TEXTS[lang] || TEXTS.en;
function fill(template, n) {
    return String(template || '{n} / {max}').replace('{n}', n).replace('{max}', MAX);
}

function relabel() {
    const tx = texts();
    root.querySelector('.drawn-colour-label').textContent = tx.colour || '';
    root.querySelectorAll('.drawn-swatch').forEach((b, i) => {
        const name = (tx.class || 'class {k}').replace('{k}', i + 1);
        b.title = name;
        b.setAttribute('aria-label', name);
        b.classList.toggle('chosen', i === label);
    });
    root.querySelector('.drawn-undo').textContent = tx.undo || 'Undo';
    root.querySelector('.drawn-clear').textContent = tx.clear || 'Clear';
    const starters = STARTERS;
    starter.innerHTML = `<option value="">${tx.starter || ''}</option>` +
        starters.map((s, i) => `<option value="${i}">${(tx.starters || {})[s.name] || s.name}</option>`).join('');
    canvas.setAttribute('aria-label', tx.hint || '');
    draw();
}

function toPlane(ev) {
    const r = canvas.getBoundingClientRect();
    return [-EXTENT + (ev.clientX - r.left) / r.width * 2 * EXTENT, EXTENT - (ev.clientY - r.top) / r.height * 2 * EXTENT];
}
const snap = v => Math.max(0, Math.min(GRID - 1, Math.round((v + EXTENT) / CELL)));

function draw() {
    const size = Math.max(120, Math.round(canvas.clientWidth || 360));
    const dpr = window.devicePixelRatio || 1;
    if (canvas.width !== size * dpr) { canvas.width = size * dpr; canvas.height = size * dpr; }
    const ctx = canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, size, size);
    const px = v => (v + EXTENT) / (2 * EXTENT) * size;
    const py = v => (EXTENT - v) / (2 * EXTENT) * size;
    ctx.strokeStyle = '#e4e4e7';  // the plots' grid: a line at every whole number, the axes darker
    ctx.fillStyle = '#71717a';
    ctx.font = '11px sans-serif';
    for (let v = -Math.floor(EXTENT); v <= EXTENT; v++) {
        ctx.lineWidth = v === 0 ? 1.5 : 1;
        ctx.strokeStyle = v === 0 ? '#a1a1aa' : '#e4e4e7';
        ctx.beginPath(); ctx.moveTo(px(v), 0); ctx.lineTo(px(v), size); ctx.stroke();
        ctx.beginPath(); ctx.moveTo(0, py(v)); ctx.lineTo(size, py(v)); ctx.stroke();
        if (v !== 0) { ctx.fillText(String(v), px(v) + 2, size - 4); ctx.fillText(String(v), 3, py(v) - 3); }
    }
    for (const [gx, gy, k] of points) {
        ctx.beginPath();
        ctx.arc(px(gx * CELL - EXTENT), py(gy * CELL - EXTENT), 4, 0, 2 * Math.PI);
        ctx.fillStyle = COLOURS[k];
        ctx.fill();
        ctx.lineWidth = 0.8; ctx.strokeStyle = '#18181b'; ctx.stroke();
    }
    if (!points.length && texts().hint) {
        ctx.fillStyle = '#a1a1aa'; ctx.font = '14px sans-serif'; ctx.textAlign = 'center';
        ctx.fillText(texts().hint, size / 2, size / 2 - 12);
        ctx.textAlign = 'start';
    }
    countEl.textContent = fill(texts().count, points.length);
    root.dataset.points = String(points.length);
}

function commit() {  // the drawing as the component's value, and an 'input' for the page
    const code = encode(points);
    if (code === props.value) return;
    props.value = code;
    trigger('input');
}

function add(p) {
    if (points.length >= MAX) return false;
    points.push([snap(p[0]), snap(p[1]), label]);
    return true;
}

canvas.addEventListener('pointerdown', ev => {
    ev.preventDefault();
    canvas.setPointerCapture?.(ev.pointerId);
    const p = toPlane(ev);
    drawing = {added: add(p) ? 1 : 0, last: p};
    draw();
});
canvas.addEventListener('pointermove', ev => {
    if (!drawing) return;
    const p = toPlane(ev);
    if (Math.hypot(p[0] - drawing.last[0], p[1] - drawing.last[1]) < STROKE_GAP) return;
    if (add(p)) { drawing.added += 1; drawing.last = p; draw(); }
});
const finish = () => {
    if (!drawing) return;
    if (drawing.added) strokes.push(drawing.added);
    drawing = null;
    commit();
};
canvas.addEventListener('pointerup', finish);
canvas.addEventListener('pointercancel', finish);

root.querySelectorAll('.drawn-swatch').forEach((b, i) => b.addEventListener('click', () => { label = i; relabel(); }));
root.querySelector('.drawn-undo').addEventListener('click', () => {
    const n = strokes.pop() || 1;
    points = points.slice(0, Math.max(0, points.length - n));
    draw(); commit();
});
root.querySelector('.drawn-clear').addEventListener('click', () => { points = []; strokes = []; draw(); commit(); });
starter.addEventListener('change', () => {
    const s = STARTERS[Number(starter.value)];
    starter.value = '';
    if (!s) return;
    points = decode(s.code) || [];
    strokes = [points.length];
    draw(); commit();
});

watch('value', () => {  // set by the server: a link, a preset, the tab's data setting
    const got = decode(props.value);
    if (got === null || encode(got) === encode(points)) return;
    points = got; strokes = points.map(() => 1);
    draw();
});
watch('lang', () => { if (props.lang && props.lang !== lang) { lang = props.lang; relabel(); } });
if (window.ResizeObserver) new ResizeObserver(() => draw()).observe(canvas);
relabel();
