// After a lecture's move (tabs/harness/lecture.py): the address shows the moment (the page's language and
// presenter mode kept), and the moment's figure comes into view once its tab is drawn. CLOSE: the bar was closed.
(landing) => {
  const q = new URLSearchParams(window.location.search);
  let info = {};
  try { info = JSON.parse(landing || '{}'); } catch (e) { info = {}; }
  if (!{{CLOSE}} && !info.address) return [];  // an ordinary link: its address stays as it is
  // room at the top of the page for the bar, which is fixed at the window's top
  const bar = document.getElementById('lecture-bar');
  const says = document.getElementById('lecture-says');
  if (says) { says.setAttribute('role', 'status'); says.setAttribute('aria-live', 'polite'); }
  document.body.style.paddingTop = {{CLOSE}} || !bar ? '' : `${Math.ceil(bar.offsetHeight) + 6}px`;
  for (const key of [...q.keys()]) if (!['lang', 'present'].includes(key)) q.delete(key);
  if (!{{CLOSE}} && info.address) for (const [k, v] of new URLSearchParams(info.address)) q.set(k, v);
  const lang = document.querySelector('#lang input:checked');
  if (lang && lang.value) q.set('lang', lang.value);
  if (document.documentElement.classList.contains('present')) q.set('present', '1'); else q.delete('present');
  const text = q.toString();
  window.history.replaceState(null, '', text ? `?${text}` : window.location.pathname);
  if (!{{CLOSE}} && info.figure) {
    // the figure on screen, its top just under the bar, once its tab is drawn: the tab's figures settle over a few
    // seconds (a recording's last frame, an instant view, tables above it growing), so look again every 250 ms for
    // 6 s; the reader's own scrolling (wheel, touch, a click) ends the looking
    let tries = 0, cancelled = false;
    const cancel = () => { cancelled = true; };
    for (const type of ['wheel', 'touchstart', 'mousedown']) window.addEventListener(type, cancel, {once: true, passive: true});
    const bring = () => {
      if (cancelled) return;
      const el = document.getElementById(info.figure);
      if (el && el.offsetParent !== null) {
        const under = bar ? bar.getBoundingClientRect().bottom : 0;
        const box = el.getBoundingClientRect();
        if (box.top < under || box.bottom > window.innerHeight)
          window.scrollTo({top: Math.max(0, box.top + window.scrollY - under - 6), behavior: 'instant'});
      }
      if (++tries < 24) setTimeout(bring, 250);
      else for (const type of ['wheel', 'touchstart', 'mousedown']) window.removeEventListener(type, cancel);
    };
    setTimeout(bring, 100);
  }
  return [];
}
