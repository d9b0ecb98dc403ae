  // Presenter mode's keys (spliced into head.js): Space Start / Pause, → Step, S Stop, R Replay, N / P the lecture's
  // next and previous moment, 1-9 the tabs, ? this legend. Never while a text field, a list or a menu has the focus,
  // nor with Ctrl, Alt or Meta held (the browser's own shortcuts).
  const KEY_TABS = {{TABS}};
  const LEGEND = {
    en: [['Space', 'Start, or Pause / Resume a run'], ['→', 'Step +1'], ['S', 'Stop'], ['R', 'Replay the recording'],
         ['N / P', 'next / previous moment of the lecture'], ['1 – 9', 'open a tab'], ['?', 'show or hide these keys']],
    vi: [['Space', 'Bắt đầu, hoặc Tạm dừng / Tiếp tục'], ['→', 'Một bước'], ['S', 'Dừng'], ['R', 'Phát lại lần chạy đã ghi'],
         ['N / P', 'khoảnh khắc tiếp theo / trước của bài giảng'], ['1 – 9', 'mở một thẻ'], ['?', 'hiện hoặc ẩn bảng phím này']],
  };
  const TITLE = {en: 'Presenter keys', vi: 'Phím tắt khi trình chiếu'};
  const pageLang = () => { const c = document.querySelector('#lang input:checked'); return c && c.value === 'vi' ? 'vi' : 'en'; };
  const typing = (el) => !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName)
    && !['checkbox', 'radio', 'button', 'range'].includes((el.type || '').toLowerCase()) || !!el.closest('[role=listbox]'));
  const shown = (el) => !!el && el.offsetParent !== null;
  // the run the keys drive: the open tab's first visible Start within the screen (else its first visible one)
  const controls = () => {
    const starts = [...document.querySelectorAll('button[id$="-start"]')].filter(shown);
    const onScreen = starts.filter((b) => { const r = b.getBoundingClientRect(); return r.bottom > 0 && r.top < window.innerHeight; });
    const start = onScreen[0] || starts[0];
    if (!start) return null;
    const prefix = start.id.slice(0, -'-start'.length);
    const get = (name) => document.getElementById(`${prefix}-${name}`);
    return {start, pause: get('pause'), step: get('step'), stop: get('stop'), replay: get('replay'), status: get('status')};
  };
  const press = (button) => { if (shown(button) && !button.disabled) { button.click(); return true; } return false; };
  const openTab = (n) => {
    const id = KEY_TABS[n];
    if (!id) return false;
    const own = document.getElementById(`tab-${id}-button`);
    if (own) { own.click(); return true; }
    const labels = [...document.querySelectorAll('#tabs .tab-container.visually-hidden button')];
    const label = labels[n] && labels[n].textContent.trim();
    const hidden = [...document.querySelectorAll('#tabs .overflow-dropdown button')].find((b) => b.textContent.trim() === label);
    if (hidden) { hidden.click(); return true; }
    return false;
  };
  const legend = () => {
    let box = document.getElementById('keys-legend');
    if (box) { box.remove(); return true; }
    const lang = pageLang();
    box = document.createElement('div');
    box.id = 'keys-legend';
    box.setAttribute('role', 'dialog');
    box.setAttribute('aria-label', TITLE[lang]);
    box.innerHTML = `<strong>${TITLE[lang]}</strong><table>${LEGEND[lang].map(([k, v]) => `<tr><td><kbd>${k}</kbd></td><td>${v}</td></tr>`).join('')}</table>`;
    document.body.appendChild(box);
    return true;
  };
  document.addEventListener('keydown', (e) => {
    if (!document.documentElement.classList.contains('present') || e.ctrlKey || e.altKey || e.metaKey) return;
    if (typing(document.activeElement)) return;
    const c = controls(), key = e.key;
    let done = false;
    if (key === '?') done = legend();
    else if (key === 'Escape' && document.getElementById('keys-legend')) done = legend();
    else if (key === ' ' && c) {
      // the status's first mark says where the run is (Gradio may put a timer before it): ▶ ▷ training or replaying,
      // ‖ paused, ⋯ waiting for its turn (Pause / Resume); anything else (ready, ✓ done, ■ stopped): Start
      const mark = ((c.status && c.status.textContent) || '').match(/[▶▷‖⋯✓■]/);
      done = mark && '▶▷‖⋯'.includes(mark[0]) && c.pause ? press(c.pause) : press(c.start);
    } else if (key === 'ArrowRight' && c) done = press(c.step);
    else if ((key === 's' || key === 'S') && c) done = press(c.stop);
    else if ((key === 'r' || key === 'R') && c) done = press(c.replay);
    else if (key === 'n' || key === 'N') done = press(document.getElementById('lecture-next'));
    else if (key === 'p' || key === 'P') done = press(document.getElementById('lecture-prev'));
    else if (/^[1-9]$/.test(key)) done = openTab(+key - 1);
    if (done) { e.preventDefault(); e.stopPropagation(); }
  }, true);
