"""Figures of the Generative vs Discriminative tab, as plain plotly JSON (cheap to stream).

Every function takes numbers from a core snapshot (``playground.genvsdisc``, ``playground.genvsdisc.augment``) and
the language, and returns a ``PlotData``, an image array or Markdown.
"""

from __future__ import annotations

import numpy as np
from gradio.components.plot import PlotData

from playground import genvsdisc
from playground.genvsdisc import GENERATIVE, MODEL_NAMES
from playground.genvsdisc.augment import AugmentSnapshot
from tabs.harness.canvas import CLASS_COLOURS as CLASS_HEX
from tabs.harness.i18n import t
from tabs.harness.plots import axis, image_grid, plot_json

# blue, orange, green, purple: the canvas's colours (``tabs.harness.canvas``; a drawing that skips a colour has its
# classes numbered 0..K-1 in colour order, so its later classes take the earlier colours here)
HEX = list(CLASS_HEX)
CLASS_COLOURS = np.array([[int(h[i:i + 2], 16) for i in (1, 3, 5)] for h in HEX], dtype=np.float64)
MODEL_COLOURS = {"lda": "#7c3aed", "qda": "#db2777", "logreg": "#0891b2", "mlp": "#65a30d"}
SOURCE_COLOURS = {"real": "#52525b", "gan": "#f97316", "vae": "#6366f1"}
SHADE = 0.45  # how strongly p(y|x) tints the plane (0 white, 1 full class colour)
DENSITY_RANGE = 12.0  # log p(x) is drawn over the top 12 nats (below that it is all "very unlikely")
# The planes' margin and legend (the other figures set their own). The top margin holds the title above the panel
# titles; a legend sits at the foot of the figure (container coordinates), below the axes' tick labels and titles,
# whatever the figure's drawn height (presenter mode draws it smaller with larger text).
MARGIN = dict(l=45, r=15, t=75, b=70)
LEGEND = dict(orientation="h", x=0, y=0, yref="container", yanchor="bottom")
ROW_GAP = 0.1  # between two rows of panels (a fraction of the plot's height): room for the lower row's titles at
# presenter mode's 16 px on a figure drawn about 480 px high (tick labels only on the outer panels: same ranges)


def _r(a: np.ndarray, digits: int = 3) -> list:
    return np.round(np.asarray(a, dtype=np.float64), digits).tolist()


def _panels(n: int, cols: int, gap: float = 0.05, row_gap: float = ROW_GAP) -> list[tuple[list[float], list[float]]]:
    """(x domain, y domain) of n panels in a grid, row by row from the top."""
    rows = -(-n // cols)
    w, h = (1 - gap * (cols - 1)) / cols, (1 - row_gap * (rows - 1)) / rows
    out = []
    for i in range(n):
        r, c = divmod(i, cols)
        x0, y1 = c * (w + gap), 1 - r * (h + row_gap)
        out.append(([round(x0, 4), round(x0 + w, 4)], [round(y1 - h, 4), round(y1, 4)]))
    return out


def _square_axes(layout: dict, i: int, domain, extent: float, title: str, cols: int, rows: int) -> tuple[str, str]:
    """Axes of panel i of a ``rows`` x ``cols`` grid (equal scales over [-extent, extent], the same for every
    panel, so only the bottom row labels x and the left column y); returns the trace's axis names."""
    suffix = "" if i == 0 else str(i + 1)
    rng = [-extent, extent]
    row, col = divmod(i, cols)
    # constrain="domain": equal scales shrink the panel, not the range (a range that plotly must keep
    # adjusting in a resizing container can keep the browser busy)
    layout[f"xaxis{suffix}"] = axis("", range=rng, domain=domain[0], anchor=f"y{suffix}", showgrid=False,
                                     constrain="domain", showticklabels=row == rows - 1)
    layout[f"yaxis{suffix}"] = axis("", range=rng, domain=domain[1], anchor=f"x{suffix}", showgrid=False,
                                     scaleanchor=f"x{suffix}", scaleratio=1, constrain="domain",
                                     showticklabels=col == 0)
    layout.setdefault("annotations", []).append(dict(
        text=f"<b>{title}</b>", x=sum(domain[0]) / 2, y=domain[1][1], xref="paper", yref="paper",
        xanchor="center", yanchor="bottom", yshift=6, showarrow=False, font=dict(size=13)))  # clear of the top tick
    return f"x{suffix}", f"y{suffix}"


def _png_uri(rgb: np.ndarray) -> str:
    """An RGB array (H, W, 3) uint8 as a PNG data URI: a few kB instead of a long list of numbers."""
    import base64
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def _class_image(proba: np.ndarray, extent: float) -> dict:
    """p(y|x) (K, R, R) as a tinted picture: each cell mixes the class colours by their probability.

    Row i of the maps lies at y = ys[i] (going up). On an upward y axis plotly places an image's first row at
    y0 and the next ones above it (checked in Chromium), so the rows go in as they are; x0, y0 are the centres
    of the first pixel."""
    k, r, _ = proba.shape
    mix = np.einsum("kij,kc->ijc", proba.astype(np.float64), CLASS_COLOURS[:k])  # (R, R, 3)
    rgb = (255 * (1 - SHADE) + SHADE * mix).round().astype(np.uint8)
    step = 2 * extent / (r - 1)
    return dict(type="image", source=_png_uri(rgb), x0=-extent, dx=step, y0=-extent, dy=step, hoverinfo="skip")


def boundary_points(labels: np.ndarray, extent: float) -> tuple[np.ndarray, np.ndarray]:
    """Where the predicted class changes between neighbouring grid cells: midpoints of those cell pairs.

    A dotted outline of the decision boundary, far cheaper for the browser than a contour trace."""
    r = labels.shape[0]
    axis = np.linspace(-extent, extent, r)
    rows, cols = np.nonzero(labels[:, 1:] != labels[:, :-1])  # horizontal neighbours differ
    xs, ys = [(axis[cols] + axis[cols + 1]) / 2], [axis[rows]]
    rows, cols = np.nonzero(labels[1:, :] != labels[:-1, :])  # vertical neighbours differ
    xs.append(axis[cols])
    ys.append((axis[rows] + axis[rows + 1]) / 2)
    return np.concatenate(xs), np.concatenate(ys)


def _boundary(labels: np.ndarray, extent: float, ax: tuple[str, str], colour: str, name: str, show: bool) -> dict:
    x, y = boundary_points(labels, extent)
    return dict(type="scatter", mode="markers", x=_r(x), y=_r(y), name=name, showlegend=show,
                marker=dict(size=3, color=colour), xaxis=ax[0], yaxis=ax[1], hoverinfo="skip")


def _points(x: np.ndarray, y: np.ndarray, ax, k: int, lang: str, n_outliers: int, show: bool,
            symbol: str = "circle", size: int = 6, key: str = "gvd.fig.class") -> list[dict]:
    traces = []
    clean = len(x) - n_outliers
    for c in range(k):
        sel = np.nonzero(y[:clean] == c)[0]
        traces.append(dict(type="scatter", mode="markers", x=_r(x[sel, 0]), y=_r(x[sel, 1]),
                           name=t(key, lang, k=c), legendgroup=f"{key}{c}", showlegend=show,
                           marker=dict(size=size, color=HEX[c], symbol=symbol, line=dict(width=0.6, color="#18181b")),
                           xaxis=ax[0], yaxis=ax[1], hoverinfo="skip"))
    if n_outliers:
        out = x[clean:]
        traces.append(dict(type="scatter", mode="markers", x=_r(out[:, 0]), y=_r(out[:, 1]),
                           name=t("gvd.fig.outliers", lang), showlegend=show, legendgroup="outliers",
                           marker=dict(size=9, color=HEX[int(y[clean])], symbol="diamond",
                                       line=dict(width=1.5, color="#18181b")), xaxis=ax[0], yaxis=ax[1],
                           hoverinfo="skip"))
    return traces


def boundaries_figure(view, snap, lang: str) -> PlotData:
    """The four models' p(y|x) over the plane, their boundaries, the training points (2 x 2 panels)."""
    k = view.proba["lda"].shape[0]
    layout = dict(height=760, showlegend=True, uirevision="gvd-plane", margin=MARGIN, legend=LEGEND,
                  title=dict(text=t("gvd.fig.boundaries", lang, step=snap.step), x=0.01))
    data: list[dict] = []
    for i, (name, dom) in enumerate(zip(MODEL_NAMES, _panels(4, 2, row_gap=0.16))):  # a lower panel's title clears the upper one's ticks
        acc = snap.test_accuracy[name]
        ax = _square_axes(layout, i, dom, view.extent, t(f"gvd.short.{name}", lang) + f" · {acc:.1%}", 2, 2)
        data.append({**_class_image(view.proba[name], view.extent), "xaxis": ax[0], "yaxis": ax[1]})
        if view.clean_labels is not None:
            data.append(_boundary(view.clean_labels[name], view.extent, ax, "#a1a1aa",
                                  t("gvd.fig.clean_boundary", lang), i == 0))
        data.append(_boundary(view.proba[name].argmax(0), view.extent, ax, "#18181b", t("gvd.fig.boundary", lang),
                              i == 0))
        data += _points(view.train_x, view.train_y, ax, k, lang, view.n_outliers, i == 0)
    return plot_json(data, layout)


def density_figure(view, lang: str) -> PlotData:
    """Each generative model's log p(x), its anomaly threshold, and new points sampled from it."""
    k = view.proba["lda"].shape[0]
    # the title at the figure's top edge, the panels' titles below it (with presenter fonts they overlapped)
    layout = dict(height=490, uirevision="gvd-density", margin={**MARGIN, "t": 85, "b": 95}, legend=LEGEND,
                  title=dict(text=t("gvd.fig.density", lang), x=0.01, y=1, yref="container", yanchor="top",
                              pad=dict(t=8)))
    data: list[dict] = []
    axis = _r(np.linspace(-view.extent, view.extent, view.resolution), 4)
    for i, (name, dom) in enumerate(zip(GENERATIVE, _panels(2, 2))):
        ax = _square_axes(layout, i, dom, view.extent, t(f"gvd.short.{name}", lang), 2, 1)
        dens = view.log_density[name]
        top = float(dens.max())
        data.append(dict(type="heatmap", x=axis, y=axis, z=_r(np.clip(dens, top - DENSITY_RANGE, top), 2),
                         colorscale="Greys", reversescale=True, showscale=False, xaxis=ax[0], yaxis=ax[1],
                         hovertemplate="log p(x) = %{z:.2f}<extra></extra>"))
        data.append(dict(type="contour", x=axis, y=axis, z=_r(dens, 3), showscale=False, xaxis=ax[0], yaxis=ax[1],
                         contours=dict(coloring="none", start=view.threshold[name], end=view.threshold[name], size=1),
                         line=dict(color="#dc2626", width=2), name=t("gvd.fig.threshold", lang),
                         showlegend=i == 0, hoverinfo="skip"))
        xs, ys = view.samples[name]
        data += _points(np.asarray(xs), np.asarray(ys), ax, k, lang, 0, i == 0, symbol="x-thin-open", size=6,
                        key="gvd.fig.sampled")
    return plot_json(data, layout)


def loss_figure(history: list[tuple[int, dict]], lang: str) -> PlotData:
    steps = [s for s, _ in history]
    data = [dict(type="scatter", mode="lines", x=steps, y=[round(v[m], 5) for _, v in history],
                 name=t(f"gvd.short.{m}", lang), line=dict(color=MODEL_COLOURS[m])) for m in ("logreg", "mlp")]
    return plot_json(data, dict(height=280, title=dict(text=t("gvd.fig.loss", lang), x=0.01),
                           # the x labels a little lower: clear of the y axis's "0" at the corner
                           xaxis=axis(t("gvd.fig.step", lang), ticks="outside", ticklen=7, tickcolor="white"),
                           yaxis=axis("", rangemode="tozero"),
                           legend=LEGEND, margin=dict(l=50, r=15, t=45, b=90)))


def sweep_figure(snap, lang: str) -> PlotData:
    """Test accuracy against the training points per class (the unit of the sweep's control and of the lesson),
    mean over repeats with a +-1 std band."""
    sizes = list(snap.sizes)
    data = []
    for m, acc in snap.accuracy.items():
        seen = ~np.isnan(acc)
        mean = np.array([a[s].mean() if s.any() else np.nan for a, s in zip(acc, seen)])
        std = np.array([a[s].std() if s.any() else np.nan for a, s in zip(acc, seen)])
        ok = ~np.isnan(mean)
        xs = [sizes[i] for i in np.nonzero(ok)[0]]
        colour = MODEL_COLOURS[m]
        band_y = _r(np.r_[mean[ok] + std[ok], (mean[ok] - std[ok])[::-1]], 4)
        data.append(dict(type="scatter", x=xs + xs[::-1], y=band_y, fill="toself", fillcolor=colour,
                         opacity=0.15, line=dict(width=0), hoverinfo="skip", showlegend=False))
        data.append(dict(type="scatter", mode="lines+markers", x=xs, y=_r(mean[ok], 4), name=t(f"gvd.short.{m}", lang),
                         line=dict(color=colour, dash="solid" if m in GENERATIVE else "dash"),
                         error_y=dict(type="data", array=_r(std[ok], 4), visible=False)))
    return plot_json(data, dict(height=400, title=dict(text=t("gvd.fig.sweep", lang, done=snap.measured,
                                                          total=snap.total), x=0.01),
                           xaxis=axis(t("gvd.fig.sweep_x", lang), type="log", tickvals=sizes, ticktext=sizes),
                           yaxis=axis(t("gvd.fig.accuracy", lang), tickformat=".0%"),
                           legend=LEGEND, margin=dict(l=60, r=15, t=45, b=115)))


def augment_figure(snap, lang: str) -> PlotData:
    """Test accuracy per N and source: each repeat as a dot, the mean with +-1 std bars."""
    ns = sorted({c.n_real for c in snap.cells})
    offsets = {"real": -0.12, "gan": 0.0, "vae": 0.12}
    data = []
    for source, colour in SOURCE_COLOURS.items():
        xs, means, stds = [], [], []
        dots_x, dots_y = [], []
        for i, n in enumerate(ns):
            accs = [c.accuracy for c in snap.cells if c.source == source and c.n_real == n]
            if not accs:
                continue
            xs.append(i + offsets[source])
            means.append(float(np.mean(accs)))
            stds.append(float(np.std(accs)))
            dots_x += [i + offsets[source] + 0.03] * len(accs)
            dots_y += accs
        if not xs:
            continue
        data.append(dict(type="scatter", mode="markers", x=xs, y=_r(means, 4), name=t(f"aug.source.{source}", lang),
                         marker=dict(size=11, color=colour, symbol="line-ew-open", line=dict(width=3, color=colour)),
                         error_y=dict(type="data", array=_r(stds, 4), color=colour, thickness=1.5, width=6),
                         legendgroup=source))
        data.append(dict(type="scatter", mode="markers", x=dots_x, y=_r(dots_y, 4), showlegend=False,
                         marker=dict(size=6, color=colour, opacity=0.55), legendgroup=source, hoverinfo="y"))
    return plot_json(data, dict(height=380, title=dict(text=t("aug.fig.accuracy", lang), x=0.01),
                           xaxis=axis(t("aug.fig.n_real", lang), tickvals=list(range(len(ns))),
                                       ticktext=[str(n) for n in ns], range=[-0.5, max(len(ns) - 0.5, 0.5)]),
                           yaxis=axis(t("gvd.fig.accuracy", lang), tickformat=".0%"),
                           legend=dict(orientation="h", x=0, y=-0.2, yanchor="top"),
                           margin=dict(l=55, r=15, t=45, b=80)))


def synthetic_image(images: np.ndarray) -> np.ndarray:
    """(K, n, H, W) synthetic images -> one picture: a row per class, upscaled to about 36 px a digit."""
    k, n, h, w = images.shape
    return image_grid(images.reshape(k * n, h, w), ncol=n, pad=1, scale=max(1, 36 // h))


# ---------------------------------------------------------------- Markdown beside the figures
def _one_line(text: str) -> str:
    """A table cell kept on one line: the page's tables may break a long word anywhere ("discriminati / ve") when
    a narrow column squeezes it; an unbreakable cell keeps its column wide enough instead."""
    return f'<span style="white-space: nowrap">{text}</span>'

def gvd_metrics(snap: genvsdisc.GvdSnapshot, view_snap: genvsdisc.GvdSnapshot | None, lang: str) -> str:
    """The four models in a table: accuracies from the latest snapshot, outlier and anomaly figures from the
    latest one that measured them (they are measured with the plane's maps)."""
    view_snap = snap if snap.anomaly_auc is not None else view_snap
    outliers = snap.clean_test_accuracy is not None
    head = [t("gvd.tbl.model", lang), t("gvd.tbl.kind", lang), t("gvd.tbl.train", lang), t("gvd.tbl.test", lang)]
    if outliers:
        head += [t("gvd.tbl.clean", lang), t("gvd.tbl.flipped", lang)]
    head.append(t("gvd.tbl.auc", lang))
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for m in MODEL_NAMES:
        kind = _one_line(t("gvd.kind.gen" if m in GENERATIVE else "gvd.kind.disc", lang))
        cells = [t(f"gvd.model.{m}", lang), kind, f"{snap.train_accuracy[m]:.1%}", f"{snap.test_accuracy[m]:.1%}"]
        if outliers:
            flipped = view_snap.flipped[m] if view_snap and view_snap.flipped else None
            cells += [f"{snap.clean_test_accuracy[m]:.1%}", "…" if flipped is None else f"{flipped:.1%}"]
        auc = view_snap.anomaly_auc[m] if view_snap and view_snap.anomaly_auc else None
        cells.append("…" if auc is None else f"{auc:.2f}")
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows) + "\n\n" + t("gvd.tbl.note", lang)


def augment_verdict(snap: AugmentSnapshot, lang: str) -> str:
    """Per source and N: the mean gain over real-only, and whether every repeat agreed on its sign."""
    gains, summary = snap.gains(), snap.summary()
    lines = []
    for source in ("gan", "vae"):
        for n, g in gains.get(source, {}).items():
            key = "aug.verdict.helps" if g["min"] > 0 else "aug.verdict.hurts" if g["max"] < 0 else "aug.verdict.mixed"
            agree = summary[source][n].get("agreement")
            pts = lambda v: f"{100 * v:+.1f}"  # noqa: E731  (percentage points)
            lines.append(t(key, lang, source=t(f"aug.source.{source}", lang), n=n, mean=pts(g["mean"]),
                           lo=pts(g["min"]), hi=pts(g["max"]),
                           agree="?" if agree is None else f"{agree:.0%}"))
    if not lines:
        return t("aug.verdict.wait", lang)
    return "\n".join(f"- {line}" for line in lines) + "\n\n" + t("aug.verdict.note", lang)
