"""Transformer Lab on a projector (1024x768, presenter mode) in both languages: no two texts of a figure overlap
(titles, panel titles, axis titles, legend, the labels of log axes, as plotly drew them) and every text lies inside
its figure. Experiments 2 and 3 from their recordings, 1 and 4 from a few live steps (their answer panels need
weights). Screenshots: artifacts/screenshots/lab-present-<lang>-*.png."""

from __future__ import annotations

import pytest

from tests.browser.see import box_problems

pytestmark = pytest.mark.browser

LONG = 240_000  # ms: training on a shared 2-core machine can be slow

_BOXES = """sel => {
  const g = document.querySelector(sel + ' .js-plotly-plot');
  if (!g) return null;
  const out = [];
  const add = (kind, el, text) => { const r = el.getBoundingClientRect();
    if (r.width > 0 && r.height > 0) out.push({kind, text: text ?? el.textContent, x0: r.left, y0: r.top, x1: r.right, y1: r.bottom}); };
  g.querySelectorAll('.gtitle').forEach(e => add('title', e));
  g.querySelectorAll('.annotation-text-g text').forEach(e => add('annotation', e));
  g.querySelectorAll('[class^="g-x"][class$="title"] text, [class^="g-y"][class$="title"] text').forEach(e => add('axis-title', e));
  const L = g._fullLayout;
  Object.keys(L).filter(k => /^[xy]axis\\d*$/.test(k) && L[k].type === 'log').forEach(k => {
    g.querySelectorAll('.' + k.replace('axis', '') + 'tick text').forEach(e => add('log-tick', e)); });
  g.querySelectorAll('.legend .bg').forEach(e => add('legend', e, 'legend'));
  const f = g.getBoundingClientRect();
  return {frame: {x0: f.left, y0: f.top, x1: f.right, y1: f.bottom}, boxes: out};
}"""


def _set(page, selector: str, value: str) -> None:
    box = page.locator(f"{selector} input, {selector} textarea").first
    box.fill(value)
    box.press("Tab")


def _done(page, short: str) -> None:
    """The run (or replay) clicked has ended: a ✓ that is not the recording the link landed on."""
    page.wait_for_function(f"""() => {{ const t = document.querySelector('#lab-{short}-status')?.innerText || '';
        return t.includes('✓') && !t.includes('Recorded run of these settings')
            && !t.includes('Lần chạy đã ghi với các thiết lập này'); }}""", timeout=LONG)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_lab_figures_texts_do_not_collide_on_a_projector(module_page, app_url, artifacts, lang):
    page = module_page
    page.set_viewport_size({"width": 1024, "height": 768})
    figures = []

    def open_experiment(name: str) -> None:
        page.goto(f"{app_url}/?present=1&lang={lang}&tab=lab&lab.experiment={name}")
        page.wait_for_selector("#tabs")

    open_experiment("seq2seq")
    _set(page, "#lab-s2s-steps", "20")
    page.locator("#lab-s2s-start").click()
    _done(page, "s2s")
    page.locator("#lab-s2s-ask").click()
    page.locator("#lab-s2s-enc .js-plotly-plot").wait_for(timeout=LONG)
    figures += [_check(page, artifacts, lang, sel) for sel in ("#lab-s2s-curves", "#lab-s2s-cross", "#lab-s2s-dec",
                                                               "#lab-s2s-enc")]
    for name, short, sels in (("ln", "ln", ("#lab-ln-loss", "#lab-ln-grads")),
                              ("lstm", "lstm", ("#lab-lstm-by-d", "#lab-lstm-over"))):
        open_experiment(name)
        page.locator(f"#lab-{short}-replay").click()
        _done(page, short)
        figures += [_check(page, artifacts, lang, sel) for sel in sels]
    _set(page, "#lab-lstm-lengths", "8, 32, 128")
    page.locator("#lab-lstm-time").click()
    page.locator("#lab-lstm-timing-note").get_by_text("128").wait_for(timeout=LONG)
    figures.append(_check(page, artifacts, lang, "#lab-lstm-timing"))
    open_experiment("objectives")
    _set(page, "#lab-obj-steps", "20")
    page.locator("#lab-obj-start").click()
    _done(page, "obj")
    page.locator("#lab-obj-go").click()
    page.locator("#lab-obj-masks .js-plotly-plot").wait_for(timeout=LONG)
    figures += [_check(page, artifacts, lang, sel) for sel in ("#lab-obj-curves", "#lab-obj-masks")]
    problems = [p for sel, found in figures for p in (f"{sel}: {x}" for x in found)]
    assert not problems, "\n".join(problems)


def _check(page, artifacts, lang: str, sel: str) -> tuple[str, list[str]]:
    page.locator(f"{sel} .js-plotly-plot").wait_for(timeout=LONG)
    page.locator(sel).scroll_into_view_if_needed()
    page.mouse.move(0, 0)  # no modebar over the title
    page.wait_for_timeout(400)
    page.locator(sel).screenshot(path=str(artifacts / "screenshots" / f"lab-present-{lang}-{sel[5:]}.png"))
    drawn = page.evaluate(_BOXES, sel)
    assert drawn and drawn["boxes"], f"no figure drawn in {sel}"
    return sel, box_problems(drawn["frame"], drawn["boxes"])  # a log axis labelling every minor tick shows as its labels overlapping
