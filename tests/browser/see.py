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
