"""The figures on screen as slide pictures: a plotly figure redrawn by matplotlib at slide size, PNG and SVG.

A tab's figures are plotly JSON (``tabs.harness.plots.plot_json``) or ``go.Figure``s; plotly cannot write a PNG
here without a browser engine (kaleido), and a lecturer wants the figure at a projector's size with its type
readable from the back of the room. ``slide(plot)`` reads the plotly figure's own data and layout and draws the
same thing on an Agg canvas of its own (``tabs.harness.slides``: no pyplot, thread-safe): lines and markers,
bars, heatmaps, histograms, the panels' places (axis domains), axis titles, log axes and their tick labels,
horizontal and vertical rules, the annotations that title panels, the legend. ``save(plots, stem)`` writes each
as PNG (1280 x 720) and SVG, named after the figure it shows.

A live tab exports what its current frame draws (``Live.frame``: the same render as the screen, so a replay's
frame too); the Attention Explorer its heatmaps. What plotly does that is not drawn here (hover text, buttons,
3-D) carries no content a slide needs.
"""

from __future__ import annotations

import copy
import html
import json
import re
import tempfile
from pathlib import Path
from typing import Any

import gradio as gr
import numpy as np
from matplotlib.colors import LinearSegmentedColormap, to_rgba
from matplotlib.ticker import NullLocator

from tabs.harness.film import SLIDE
from tabs.harness.i18n import error
from tabs.harness.runner import Phase
from tabs.harness.slides import LABEL, TICK, TITLE, figure, style
from tabs.harness.widgets import named

AREA = (0.1, 0.16, 0.97, 0.86)  # where plotly's "paper" goes on the slide: left, bottom, right, top (fractions)
LEGEND_GAP = 0.09  # between the legend's top and the panels' bottom (room for the x axis's title)
MAX_CATEGORIES = 40  # tick labels of a categorical axis at most (every k-th beyond)
DASHES = {"dash": (0, (6, 3)), "dot": (0, (1, 2)), "dashdot": (0, (6, 2, 1, 2)), "longdash": (0, (10, 3)),
          "solid": "-"}
SYMBOLS = {"circle": "o", "square": "s", "diamond": "D", "cross": "P", "x": "X", "triangle-up": "^",
           "triangle-down": "v", "star": "*"}
CYCLE = ["#2563eb", "#f97316", "#16a34a", "#9333ea", "#dc2626", "#0891b2", "#ca8a04", "#db2777"]


# ---------------------------------------------------------------- reading plotly
def plotly_dict(plot: Any) -> dict:
    """A plotly figure as a plain dict ``{"data": [...], "layout": {...}}``, from what a tab gives ``gr.Plot``."""
    if plot is None:
        raise ValueError("no figure")
    if isinstance(plot, dict):
        return plot
    raw = getattr(plot, "plot", None)  # gradio's PlotData (plotly JSON as text)
    if isinstance(raw, str):
        return json.loads(raw)
    if hasattr(plot, "to_plotly_json"):  # a go.Figure
        return json.loads(plot.to_json())
    raise ValueError(f"not a plotly figure: {type(plot).__name__}")


def text_of(value: Any) -> str:
    """Plotly's text (a string, or a dict with ``text``; HTML inside) as matplotlib text."""
    if isinstance(value, dict):
        value = value.get("text", "")
    if value is None:
        return ""
    s = str(value)
    s = re.sub(r"<br\s*/?>", "\n", s, flags=re.I)
    s = re.sub(r"<sup>(.*?)</sup>", lambda m: f"$^{{{m.group(1)}}}$", s, flags=re.I)
    s = re.sub(r"<sub>(.*?)</sub>", lambda m: f"$_{{{m.group(1)}}}$", s, flags=re.I)
    s = re.sub(r"<[^>]+>", "", s)
    s = html.unescape(s)
    return s.replace("−", "-") if "$" in s else s  # mathtext wants an ASCII minus


def colour(value: Any, default: str | None = None):
    """A plotly colour (hex, a name, ``rgb(...)``, ``rgba(...)``) as matplotlib takes it."""
    if not isinstance(value, str):
        return default
    m = re.match(r"rgba?\(([^)]*)\)", value.replace(" ", ""))
    if m:
        parts = [float(p) for p in m.group(1).split(",")]
        return (parts[0] / 255, parts[1] / 255, parts[2] / 255, parts[3] if len(parts) > 3 else 1.0)
    try:
        to_rgba(value)
        return value
    except ValueError:
        return default


def colormap(scale: Any, reverse: bool = False):
    """A plotly colour scale (a name or ``[[position, colour], ...]``) as a matplotlib colour map."""
    from matplotlib import colormaps

    if isinstance(scale, (list, tuple)) and scale:
        stops = [(float(p), colour(c, "black")) for p, c in scale]
        cmap = LinearSegmentedColormap.from_list("plotly", stops)
    else:
        name = str(scale or "viridis").lower()
        cmap = colormaps[name] if name in colormaps else colormaps["viridis"]
    return cmap.reversed() if reverse else cmap


def _axis_key(ref: str | None, letter: str) -> str:
    """'x2' -> 'xaxis2', None / 'x' -> 'xaxis'."""
    ref = ref or letter
    return f"{letter}axis{ref[1:]}"


def _paper(x: float, y: float, area: tuple = AREA) -> tuple[float, float]:
    left, bottom, right, top = area
    return left + x * (right - left), bottom + y * (top - bottom)


# ---------------------------------------------------------------- drawing
def slide(plot: Any, size: tuple[int, int] = SLIDE):
    """The plotly figure ``plot`` redrawn at ``size`` pixels (a matplotlib Figure on its own Agg canvas). The legend
    goes under the panels in as many columns as fit the slide's width; when it takes more than one row, the panels
    are drawn again above it."""
    spec = plotly_dict(plot)
    fig, top = _draw(spec, size, AREA)
    if top is not None and top + LEGEND_GAP > AREA[1]:
        fig, _ = _draw(spec, size, (AREA[0], top + LEGEND_GAP, AREA[2], AREA[3]))
    return fig


def _draw(spec: dict, size: tuple[int, int], area: tuple):
    """The figure, and the top of its legend (a fraction of the height; None without one)."""
    data, layout = spec.get("data") or [], spec.get("layout") or {}
    fig = figure(size)
    pairs: dict[tuple[str, str], Any] = {}
    for trace in data:
        pair = (_axis_key(trace.get("xaxis"), "x"), _axis_key(trace.get("yaxis"), "y"))
        pairs.setdefault(pair, None)
    if not pairs:
        pairs[("xaxis", "yaxis")] = None
    for xk, yk in pairs:
        x0, x1 = (layout.get(xk) or {}).get("domain") or (0, 1)
        y0, y1 = (layout.get(yk) or {}).get("domain") or (0, 1)
        (l, b), (r, t) = _paper(x0, y0, area), _paper(x1, y1, area)
        ax = fig.add_axes((l, b, max(r - l, 0.01), max(t - b, 0.01)))
        style(ax)
        pairs[(xk, yk)] = ax
    handles: dict[str, Any] = {}
    for i, trace in enumerate(data):
        ax = pairs[(_axis_key(trace.get("xaxis"), "x"), _axis_key(trace.get("yaxis"), "y"))]
        drawn = _trace(ax, trace, CYCLE[i % len(CYCLE)])
        name = text_of(trace.get("name"))
        if drawn is not None and name and trace.get("showlegend", True) is not False and name not in handles:
            handles[name] = drawn
    for (xk, yk), ax in pairs.items():
        _axes(ax, layout.get(xk) or {}, layout.get(yk) or {})
    _rules(layout, pairs)
    _annotations(fig, layout, pairs, area)
    title = text_of(layout.get("title"))
    if title:
        fig.text(0.01, 0.985, title, fontsize=TITLE, ha="left", va="top")
    if not handles or layout.get("showlegend", True) is False:
        return fig, None
    renderer = fig.canvas.get_renderer()
    for ncol in range(min(4, len(handles)), 0, -1):
        legend = fig.legend(list(handles.values()), list(handles), loc="lower center", bbox_to_anchor=(0.5, 0.0),
                            ncol=ncol, fontsize=TICK, frameon=False)
        box = legend.get_window_extent(renderer)
        if ncol == 1 or (box.x0 >= 0 and box.x1 <= fig.bbox.width):
            break
        legend.remove()
    return fig, box.y1 / fig.bbox.height


def _trace(ax, trace: dict, fallback: str):
    kind = trace.get("type", "scatter")
    if trace.get("visible") in (False, "legendonly"):
        return None
    if kind in ("scatter", "scattergl"):
        return _scatter(ax, trace, fallback)
    if kind == "bar":
        return _bar(ax, trace, fallback)
    if kind == "heatmap":
        return _heatmap(ax, trace)
    if kind == "image":
        return _image(ax, trace)
    if kind == "contour":
        return _contour(ax, trace)
    if kind == "histogram":
        values = [v for v in trace.get("x") or [] if v is not None]
        c = colour((trace.get("marker") or {}).get("color"), fallback)
        _, _, patches = ax.hist(values, bins=trace.get("nbinsx") or "auto", color=c,
                                alpha=float(trace.get("opacity") or 0.75))
        return patches[0] if len(patches) else None
    return None


def _numbers(values) -> list:
    return [np.nan if v is None else v for v in values or []]


def _scatter(ax, trace: dict, fallback: str):
    y = _numbers(trace.get("y"))
    x = _numbers(trace.get("x")) or list(range(len(y)))
    mode = trace.get("mode") or ("lines+markers" if len(y) < 20 else "lines")
    line, marker = trace.get("line") or {}, trace.get("marker") or {}
    c = colour(line.get("color"), None) or colour(marker.get("color"), fallback) or fallback
    if trace.get("fill") == "toself":  # a band (mean +- std): the outline is the area's edge
        return ax.fill(x, y, color=colour(trace.get("fillcolor"), c), alpha=0.25 if not trace.get("fillcolor")
                       else 1.0, linewidth=0)[0]
    drawn = None
    err = trace.get("error_y") or {}
    if err.get("array") is not None and err.get("visible", True) is not False:
        ax.errorbar(x, y, yerr=_numbers(err["array"]), fmt="none", ecolor=colour(err.get("color"), c),
                    elinewidth=2, capsize=5)
    if "lines" in mode:
        drawn, = ax.plot(x, y, color=c, linewidth=max(2.0, float(line.get("width") or 2) * 1.2),
                         linestyle=DASHES.get(line.get("dash") or "solid", "-"))
    if "markers" in mode:
        size = marker.get("size")
        size = float(np.mean(size)) if isinstance(size, list) and size else float(size or 6)
        colours = marker.get("color")  # one colour, or one per point (colours by name; numbers: the line's)
        each = isinstance(colours, list) and all(isinstance(v, str) for v in colours)
        symbol = str(marker.get("symbol") or "circle").replace("-open", "").replace("-thin", "")
        sc = ax.scatter(x, y, s=(size * 1.25) ** 2, c=[colour(v, c) for v in colours] if each else c,
                        marker=SYMBOLS.get(symbol, "o"), zorder=3)
        drawn = drawn or sc
    if "text" in mode and trace.get("text") is not None:
        texts = trace["text"] if isinstance(trace["text"], list) else [trace["text"]] * len(y)
        for xi, yi, s in zip(x, y, texts):
            ax.annotate(text_of(s), (xi, yi), fontsize=TICK - 2, ha="center", va="bottom")
    if trace.get("fill") in ("tozeroy", "tonexty") and drawn is not None:
        ax.fill_between(x, y, color=c, alpha=0.15)
    return drawn


def _bar(ax, trace: dict, fallback: str):
    marker = trace.get("marker") or {}
    colours = marker.get("color")
    c = [colour(v, fallback) for v in colours] if isinstance(colours, list) else colour(colours, fallback)
    x, y = _numbers(trace.get("x")), _numbers(trace.get("y"))
    if trace.get("orientation") == "h":
        labels = [text_of(v) for v in y] if y and isinstance(y[0], str) else y
        bars = ax.barh(range(len(x)) if labels and isinstance(labels[0], str) else labels, x, color=c)
        if labels and isinstance(labels[0], str):
            ax.set_yticks(range(len(labels)), labels)
    else:
        labels = [text_of(v) for v in x] if x and isinstance(x[0], str) else x
        bars = ax.bar(range(len(y)) if labels and isinstance(labels[0], str) else labels, y, color=c)
        if labels and isinstance(labels[0], str):
            ax.set_xticks(range(len(labels)), labels)
    return bars[0] if len(bars) else None


def _grid(trace: dict) -> np.ndarray:
    return np.array([[np.nan if v is None else float(v) for v in row] for row in trace.get("z") or [[]]], dtype=float)


def _numeric(values) -> bool:
    return values is not None and len(values) > 1 and all(isinstance(v, (int, float)) for v in values)


def _heatmap(ax, trace: dict):
    z = _grid(trace)
    if z.size == 0:
        return None
    cmap = colormap(trace.get("colorscale"), bool(trace.get("reversescale")))
    x, y = trace.get("x"), trace.get("y")
    extent = None
    if _numeric(x) and _numeric(y) and (len(x), len(y)) == (z.shape[1], z.shape[0]):
        dx, dy = (x[-1] - x[0]) / (len(x) - 1), (y[-1] - y[0]) / (len(y) - 1)  # cells centred on their values
        extent = (x[0] - dx / 2, x[-1] + dx / 2, y[0] - dy / 2, y[-1] + dy / 2)
    image = ax.imshow(z, aspect="auto", origin="lower", cmap=cmap, interpolation="nearest", extent=extent,
                      vmin=trace.get("zmin"), vmax=trace.get("zmax"))
    ax.grid(False)
    for letter, n, ticks in (("x", z.shape[1], ax.set_xticks), ("y", z.shape[0], ax.set_yticks)):
        labels = trace.get(letter)
        if extent is not None or labels is None or len(labels) != n or _numeric(labels):
            continue
        every = max(1, -(-n // MAX_CATEGORIES))
        ticks(range(0, n, every), [text_of(v) for v in labels[::every]],
              **({"rotation": 90} if letter == "x" and any(len(text_of(v)) > 3 for v in labels) else {}))
    if trace.get("showscale", True) is not False:
        bar = ax.figure.colorbar(image, ax=ax, fraction=0.04, pad=0.01)
        bar.ax.tick_params(labelsize=TICK - 2)
    return None


def _image(ax, trace: dict):
    """Plotly's image trace (an RGB picture as a data URI, placed by x0, dx, y0, dy): a class map over the plane."""
    import base64
    import io

    from PIL import Image

    source = str(trace.get("source") or "")
    if "," not in source:
        return None
    rgb = np.asarray(Image.open(io.BytesIO(base64.b64decode(source.split(",", 1)[1]))).convert("RGB"))
    h, w = rgb.shape[:2]
    x0, dx, y0, dy = (float(trace.get(k, d)) for k, d in (("x0", 0), ("dx", 1), ("y0", 0), ("dy", 1)))
    ax.imshow(rgb, origin="lower", aspect="auto", interpolation="nearest",
              extent=(x0 - dx / 2, x0 + dx * (w - 0.5), y0 - dy / 2, y0 + dy * (h - 0.5)))
    ax.grid(False)
    return None


def _contour(ax, trace: dict):
    """Plotly's contour: only its lines (the threshold of a density), at the levels it names."""
    z = _grid(trace)
    x, y = trace.get("x"), trace.get("y")
    if z.size == 0 or not (_numeric(x) and _numeric(y)):
        return None
    c = trace.get("contours") or {}
    start, end, size = c.get("start"), c.get("end"), c.get("size")
    levels = [start] if start is not None and (end is None or end == start) else \
        list(np.arange(start, end + 1e-12, size or 1)) if start is not None else 8
    line = trace.get("line") or {}
    drawn = ax.contour(np.asarray(x, float), np.asarray(y, float), z, levels=levels,
                       colors=[colour(line.get("color"), "#18181b")], linewidths=2)
    return drawn.legend_elements()[0][0] if drawn.allsegs and any(len(s) for s in drawn.allsegs) else None


def _axes(ax, xa: dict, ya: dict) -> None:
    for a, set_label, set_scale, set_lim, set_ticks, invert in (
            (xa, ax.set_xlabel, ax.set_xscale, ax.set_xlim, ax.set_xticks, ax.invert_xaxis),
            (ya, ax.set_ylabel, ax.set_yscale, ax.set_ylim, ax.set_yticks, ax.invert_yaxis)):
        label = text_of(a.get("title"))
        if label:
            set_label(label, fontsize=LABEL)
        if a.get("type") == "log":
            set_scale("log")
        rng = a.get("range")
        if isinstance(rng, list) and len(rng) == 2 and None not in rng:
            lo, hi = (10 ** rng[0], 10 ** rng[1]) if a.get("type") == "log" else rng
            try:
                set_lim(lo, hi)
            except (TypeError, ValueError):
                pass
        if a.get("tickvals") is not None:
            ticktext = a.get("ticktext")
            set_ticks(a["tickvals"], [text_of(v) for v in ticktext] if ticktext else [text_of(v) for v in a["tickvals"]])
            (ax.xaxis if a is xa else ax.yaxis).set_minor_locator(NullLocator())  # only the ticks plotly names
        if a.get("autorange") == "reversed":
            invert()
        if a.get("visible") is False or a.get("showticklabels") is False:
            (ax.xaxis if a is xa else ax.yaxis).set_ticklabels([])
    if ya.get("scaleanchor") or xa.get("scaleanchor"):
        ax.set_aspect("equal", adjustable="box")
    ax.tick_params(which="both", labelsize=TICK)


def _rules(layout: dict, pairs: dict) -> None:
    """Plotly's ``add_hline`` / ``add_vline``: a line shape across its axes (the other side in paper or domain)."""
    for shape in layout.get("shapes") or []:
        if shape.get("type") != "line":
            continue
        xk, yk = _axis_key(shape.get("xref", "x").split(" ")[0], "x"), _axis_key(shape.get("yref", "y").split(" ")[0], "y")
        ax = next((a for (px, py), a in pairs.items() if px == xk or py == yk), None)
        if ax is None:
            continue
        line = shape.get("line") or {}
        kw = dict(color=colour(line.get("color"), "#52525b"), linewidth=2,
                  linestyle=DASHES.get(line.get("dash") or "solid", "-"))
        if shape.get("x0") == shape.get("x1") and not str(shape.get("xref", "x")).startswith("paper"):
            ax.axvline(shape["x0"], **kw)
        elif shape.get("y0") == shape.get("y1") and not str(shape.get("yref", "y")).startswith("paper"):
            ax.axhline(shape["y0"], **kw)


def _annotations(fig, layout: dict, pairs: dict, area: tuple) -> None:
    for note in layout.get("annotations") or []:
        text = text_of(note.get("text"))
        if not text or note.get("visible") is False:
            continue
        xref, yref = str(note.get("xref", "x")), str(note.get("yref", "y"))
        size = TICK if (note.get("font") or {}).get("size", 12) <= 12 else LABEL
        ha = {"left": "left", "right": "right"}.get(note.get("xanchor"), "center")
        va = {"top": "top", "bottom": "bottom"}.get(note.get("yanchor"), "center")
        if xref == "paper" and yref == "paper":
            x, y = _paper(float(note.get("x", 0)), float(note.get("y", 0)), area)
            fig.text(x, y, text, fontsize=size, ha=ha, va=va)
            continue
        ax = pairs.get((_axis_key(xref.split(" ")[0], "x"), _axis_key(yref.split(" ")[0], "y")))
        if ax is None:
            continue
        transform = ax.transAxes if "domain" in xref and "domain" in yref else ax.transData
        ax.text(note.get("x", 0), note.get("y", 0), text, fontsize=size, ha=ha, va=va, transform=transform)


# ---------------------------------------------------------------- files
def save(plots: dict[str, Any], stem: str, size: tuple[int, int] = SLIDE) -> list[Path]:
    """Each figure of ``plots`` (name -> plotly figure) as ``<stem>-<name>.png`` and ``.svg`` in a folder of its
    own; a figure that is not there (None) is skipped. Returns the files, PNGs first."""
    folder = Path(tempfile.mkdtemp(prefix="slides-"))
    pngs, svgs = [], []
    for name, plot in plots.items():
        if plot is None:
            continue
        fig = slide(plot, size)
        base = folder / f"{_safe(stem)}-{_safe(name)}"
        fig.savefig(base.with_suffix(".png"), dpi=fig.dpi)
        fig.savefig(base.with_suffix(".svg"))
        pngs.append(base.with_suffix(".png"))
        svgs.append(base.with_suffix(".svg"))
    return pngs + svgs


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", str(name)).strip("-")[:60] or "figure"


# ---------------------------------------------------------------- a live tab's button
def live_plots(live, session, lang: str) -> dict[str, Any]:
    """The plotly figures of the frame ``live`` draws for ``session`` now, by their element's id. Drawn into a copy of
    the session, so that what a render remembers of its last frame ("the plane was drawn at ...") stays the
    stream's. Refused while the run trains: a render may skip a figure between two of its redraws, and a slide
    is a frame that stands still."""
    run = session.run
    if run is None or run.latest is None:
        raise error("stills.err.empty", lang)
    if not (run.phase.finished or run.phase == Phase.PAUSED):
        raise error("stills.err.running", lang)
    out = live.frame(copy.copy(session), lang)
    return {getattr(c, "elem_id", None) or f"figure-{i}": v for i, (c, v) in enumerate(out.items())
            if isinstance(c, gr.Plot) and _is_plot(v)}


def _is_plot(value: Any) -> bool:
    return isinstance(value, dict) and "data" in value or isinstance(getattr(value, "plot", None), str) \
        or hasattr(value, "to_plotly_json")


def controls(page, prefix: str) -> tuple[gr.Button, gr.File]:
    """The "PNG + SVG for slides" button and the list of its files (hidden until there are some)."""
    with gr.Row():
        button = page.tr(gr.Button, value="stills.button", size="sm", scale=0, min_width=220, elem_id=f"{prefix}-stills")
        files = page.tr(gr.File, label="stills.files", file_count="multiple", interactive=False, visible=False,
                        elem_id=f"{prefix}-stills-files", height=110)
    return button, files


def wire(page, live, button: gr.Button, files: gr.File, stem: str, api_name: str) -> None:
    """``button`` writes the figures of ``live``'s frame on screen (a replay's too) as slide pictures."""
    def export(data: dict) -> dict:
        lang = data[page.lang]
        plots = live_plots(live, data[live.state], lang)
        if not plots:
            raise error("stills.err.empty", lang)
        return gr.update(value=[str(p) for p in save(plots, stem)], visible=True)

    button.click(*named(export, {"session": live.state, "lang": page.lang}), files, api_name=api_name,
                 concurrency_id="film", concurrency_limit=1)
