"""What a figure on the page shows, read from the browser: the traces plotly drew (kind, name, how many points,
the values of small ones), the title, the axis titles and the subplot titles, so a browser test can assert what
a student sees rather than only that an element appeared."""

from __future__ import annotations

import re

_READ = """sel => {
  const g = document.querySelector(sel + ' .js-plotly-plot');
  if (!g || !g.data) return null;
  const small = v => (v && v.length <= 64) ? Array.from(v) : null;
  const L = g.layout || {};
  const axis = k => (L[k] && L[k].title) ? (L[k].title.text ?? L[k].title) : '';
  return {
    title: (L.title && (L.title.text ?? L.title)) || '',
    xaxis: axis('xaxis'), yaxis: axis('yaxis'),
    annotations: (L.annotations || []).map(a => a.text || ''),
    traces: g.data.map(d => ({
      type: d.type || 'scatter', name: d.name ?? '',
      n: (d.type === 'heatmap' ? (d.z || []).length : (d.y || d.x || []).length),
      x: small(d.x), y: small(d.y), z: (d.type === 'heatmap' && d.z && d.z.length <= 64) ? d.z.map(r => Array.from(r)) : null,
    })),
  };
}"""


def figure(page, selector: str) -> dict:
    """The plotly figure inside ``selector`` as drawn now (``None`` when there is none)."""
    return page.evaluate(_READ, selector)


def traces(page, selector: str, kind: str | None = None) -> list[dict]:
    fig = figure(page, selector)
    assert fig is not None, f"no figure drawn in {selector}"
    return [tr for tr in fig["traces"] if kind is None or tr["type"] == kind]


def percent(text: str) -> float:
    """The first percentage in ``text`` (``40.9%`` -> 40.9)."""
    m = re.search(r"(\d+(?:[.,]\d+)?)\s*%", text)
    assert m, f"no percentage in {text!r}"
    return float(m.group(1).replace(",", "."))


# the texts of a drawn plotly figure, each with its box on the page: the title, the axis titles, the legend's
# entries, the annotations (subplot titles among them), the colour bar's title. Tick labels are left out (plotly
# places them itself, and hides the ones that would overlap), except that a log axis's labels are counted.
_TEXTS = """root => {
  const out = [];
  const figs = Array.from(document.querySelectorAll(root + ' .js-plotly-plot')).filter(g => g.offsetParent);
  figs.forEach((g, fi) => {
    const box = g.querySelector('.main-svg').getBoundingClientRect();
    const id = (g.closest('[id]') || {}).id || ('figure ' + fi);
    const add = (kind, el) => {
      const r = el.getBoundingClientRect();
      const text = (el.textContent || '').trim();
      if (!text || r.width === 0 || r.height === 0) return;
      out.push({figure: id, kind, text, x0: r.left, y0: r.top, x1: r.right, y1: r.bottom,
                fx0: box.left, fy0: box.top, fx1: box.right, fy1: box.bottom});
    };
    g.querySelectorAll('.gtitle').forEach(el => add('title', el));
    g.querySelectorAll('.g-xtitle text, .g-x2title text, .g-x3title text, .g-x4title text').forEach(el => add('xtitle', el));
    g.querySelectorAll('.g-ytitle text, .g-y2title text, .g-y3title text, .g-y4title text').forEach(el => add('ytitle', el));
    g.querySelectorAll('.legend .traces').forEach(el => add('legend', el));
    g.querySelectorAll('.annotation-text-g').forEach(el => add('annotation', el));
    g.querySelectorAll('.cbtitle text').forEach(el => add('colorbar', el));
  });
  return out;
}"""


def figure_texts(page, root: str) -> list[dict]:
    """Every visible figure's texts under ``root`` (a CSS selector), each with its box and its figure's box."""
    return page.evaluate(_TEXTS, root)


def box_problems(frame: dict, boxes: list[dict], slack: float = 1.0, apart: tuple = ()) -> list[str]:
    """What a reader would find unreadable in one figure (``frame``: its box): a text running out of it, or two texts
    drawn over each other by more than ``slack`` pixels each way. ``apart``: kinds whose texts may touch each other
    (plotly spaces its own tick labels). A box is ``{kind, text, x0, y0, x1, y1}``; one line per defect."""
    out = [f"{b['kind']} {b['text']!r} runs out of its figure" for b in boxes
           if b["x0"] < frame["x0"] - slack or b["x1"] > frame["x1"] + slack
           or b["y0"] < frame["y0"] - slack or b["y1"] > frame["y1"] + slack]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if a["kind"] == b["kind"] and a["kind"] in apart:
                continue
            dx = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
            dy = min(a["y1"], b["y1"]) - max(a["y0"], b["y0"])
            if dx > slack and dy > slack:
                out.append(f"{a['kind']} {a['text']!r} overlaps {b['kind']} {b['text']!r}")
    return out


def text_collisions(texts: list[dict], slack: float = 1.0) -> list[str]:
    """``box_problems`` for every figure of ``figure_texts``: one line per defect, named by its figure."""
    out = []
    for name in dict.fromkeys(x["figure"] for x in texts):
        mine = [x for x in texts if x["figure"] == name]
        frame = {"x0": mine[0]["fx0"], "y0": mine[0]["fy0"], "x1": mine[0]["fx1"], "y1": mine[0]["fy1"]}
        out += [f"{name}: {d}" for d in box_problems(frame, mine, slack)]
    return out
