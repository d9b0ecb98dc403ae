"""Generative vs Discriminative on a projector (1024x768, presenter mode) in both languages: no two texts of a
figure overlap (title, panel titles, legend, axis titles, tick labels, as plotly drew them), every text lies inside
its figure, log axes label only the sizes measured, and no word of the results table breaks in the middle.
Screenshots: artifacts/screenshots/genvsdisc-present-<lang>-*.png (look at them)."""

from __future__ import annotations

import pytest

from tests.browser.see import box_problems

pytestmark = pytest.mark.browser

FIGURES = ("#gvd-plane", "#gvd-density", "#gvd-loss", "#gvd-sweep-plot")
SHORT = "&genvsdisc.steps=40&genvsdisc.sweep_max=8&genvsdisc.sweep_repeats=1"

# The boxes of a figure's texts as drawn: one entry per text (kind, text, box); a legend counts as one box.
_BOXES = """sel => {
  const g = document.querySelector(sel + ' .js-plotly-plot');
  if (!g) return null;
  const out = [];
  const add = (kind, el, text) => { const r = el.getBoundingClientRect();
    if (r.width > 0 && r.height > 0) out.push({kind, text: text ?? el.textContent, x0: r.left, y0: r.top, x1: r.right, y1: r.bottom}); };
  g.querySelectorAll('.gtitle').forEach(e => add('title', e));
  g.querySelectorAll('.annotation-text-g text, .annotation text').forEach(e => add('annotation', e));
  g.querySelectorAll('.g-xtitle text, .g-ytitle text, .g-x2title text, .g-y2title text').forEach(e => add('axis-title', e));
  g.querySelectorAll('.xtick text, .ytick text, [class*="xtick"] text, [class*="ytick"] text').forEach(e => add('tick', e));
  g.querySelectorAll('.legend .bg').forEach(e => add('legend', e, 'legend'));
  const f = g.getBoundingClientRect();
  return {frame: {x0: f.left, y0: f.top, x1: f.right, y1: f.bottom}, boxes: out};
}"""

# words of the table broken over two lines (a word whose rectangles lie on more than one line)
_BROKEN_WORDS = """sel => {
  const broken = [];
  document.querySelectorAll(sel + ' th, ' + sel + ' td').forEach(cell => {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const re = /\\S+/g; let m;
      while ((m = re.exec(n.data))) {
        const r = document.createRange(); r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
        const tops = new Set(Array.from(r.getClientRects()).filter(b => b.width > 0).map(b => Math.round(b.top)));
        if (tops.size > 1) broken.push(m[0]);
      }
    }
  });
  return broken;
}"""


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_figures_texts_do_not_collide_on_a_projector(module_page, app_url, artifacts, lang):
    page = module_page
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(f"{app_url}/?present=1&lang={lang}&tab=genvsdisc{SHORT}")
    page.locator("#gvd-start").click()
    page.wait_for_function("() => document.querySelector('#gvd-status')?.innerText.includes('✓')", timeout=120_000)
    page.locator("#gvd-sweep-start").click()
    page.wait_for_function("() => document.querySelector('#gvd-sweep-status')?.innerText.includes('✓')",
                           timeout=180_000)
    page.wait_for_timeout(1000)  # the last frames drawn
    problems = {}
    for sel in FIGURES:
        page.locator(sel).scroll_into_view_if_needed()
        page.mouse.move(0, 0)  # no modebar over the title
        page.wait_for_timeout(300)
        page.locator(sel).screenshot(path=str(artifacts / "screenshots" / f"genvsdisc-present-{lang}-{sel[5:]}.png"))
        drawn = page.evaluate(_BOXES, sel)
        assert drawn and drawn["boxes"], f"no figure drawn in {sel}"
        if found := box_problems(drawn["frame"], drawn["boxes"], apart=("tick",)):  # plotly spaces its ticks
            problems[sel] = found
    assert not problems, "\n".join(f"{sel}: {p}" for sel, found in problems.items() for p in found)
    # the sweep's log axis labels the sizes it measured, not plotly's minor ticks (5, 2, 1, 5, 2, ...)
    ticks = page.evaluate("() => Array.from(document.querySelectorAll('#gvd-sweep-plot .xtick text'))"
                          ".map(e => e.textContent)")
    assert ticks == ["2", "4", "8"], ticks
    page.locator("#gvd-metrics").scroll_into_view_if_needed()
    page.locator("#gvd-metrics").screenshot(path=str(artifacts / "screenshots" / f"genvsdisc-present-{lang}-table.png"))
    assert page.evaluate(_BROKEN_WORDS, "#gvd-metrics") == []
