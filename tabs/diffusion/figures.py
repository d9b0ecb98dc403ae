"""The Diffusion Lab's figures, as plain plotly JSON (cheap to stream): the reverse process at a time t (samples,
their paths and the learned field), the forward process at t, the loss, quality against sampling steps, the digit
grids, and the readouts in words."""

from __future__ import annotations

import functools
import math

import numpy as np
import torch
from gradio.components.plot import PlotData

from playground.data import toy2d
from tabs.harness.i18n import t
from tabs.harness.plots import axis, image_grid, plot_json

REAL_SHOWN = 400  # real points under the samples
PATHS_SHOWN = 48  # samples whose whole path is drawn
FIELD_RES = 17  # arrows per side of the field
MAX_PLOT_POINTS = 400  # the loss curve is thinned to this many points per frame
ORANGE, GREY, INDIGO, TEAL = "#f97316", "#52525b", "#6366f1", "#0d9488"
LOG_TICKS = [1, 10, 100, 1000]  # the steps axis: one tick a decade (plotly's minor "2 5" ticks read as noise)
SHOWN_EXTENT = 1.5 * toy2d.EXTENT  # far outliers (noise at t = 1 reaches beyond the data) stay at the edge


@functools.lru_cache(maxsize=16)
def real_points(data: str) -> np.ndarray:
    """Real points drawn under the samples: the same 400 for a data set, whoever draws them."""
    return toy2d.sample(data, REAL_SHOWN, torch.Generator().manual_seed(12345)).numpy()


def nearest_index(times: np.ndarray, t_value: float) -> int:
    """The kept state closest to time ``t_value`` (times run from 1 down to 0)."""
    return int(np.abs(np.asarray(times) - t_value).argmin())


def _square(height: int, title: str, extent: float = toy2d.EXTENT, **kw) -> dict:
    rng = [-extent, extent]
    return dict(title=dict(text=title, x=0.01, font=dict(size=13)), height=height, margin=dict(l=40, r=10, t=84, b=30),
                showlegend=False, xaxis=axis("", range=rng, constrain="domain"),
                yaxis=axis("", range=rng, scaleanchor="x", scaleratio=1, constrain="domain"), **kw)


def arrows(grid: np.ndarray, vectors: np.ndarray, scale: float) -> tuple[list, list]:
    """Line segments (with arrow heads) for a field: ``vectors`` (R, R, 2) at points (grid[j], grid[i]). Lengths
    are relative to the median arrow: an arrow twice the median or longer is ``scale`` long, a shorter one in
    proportion. (Near t = 0 the score far from the data is thousands of times its size near them: scaled by the
    longest, every other arrow would be a dot.)"""
    v = np.asarray(vectors, dtype=np.float64).reshape(-1, 2)
    gy, gx = np.meshgrid(grid, grid, indexing="ij")
    base = np.stack([gx.ravel(), gy.ravel()], 1)
    length = np.linalg.norm(v, axis=1)
    top = 2.0 * float(np.median(length)) if len(length) else 0.0
    if not math.isfinite(top) or top <= 0:
        return [], []
    v = v * (scale / top) / np.maximum(1.0, length / top)[:, None]  # clipped at ``top``'s length
    tip = base + v
    ortho = np.stack([-v[:, 1], v[:, 0]], 1)
    left, right = tip - 0.3 * v + 0.18 * ortho, tip - 0.3 * v - 0.18 * ortho
    xs, ys = [], []
    for b, e, l, r in zip(base, tip, left, right):
        xs += [b[0], e[0], None, l[0], e[0], r[0], None]
        ys += [b[1], e[1], None, l[1], e[1], r[1], None]
    return [None if x is None else round(float(x), 3) for x in xs], [None if y is None else round(float(y), 3)
                                                                      for y in ys]


def reverse_figure(data: str, view, t_value: float, field, objective: str, lang: str) -> PlotData:
    """The samples' states at time ``t_value`` on their way from noise to data, the paths behind them and the
    learned field at that time. ``field``: (grid (R,), vectors (R, R, 2)) or None (a replay has no network)."""
    k = nearest_index(view.times, t_value)
    shown_t = float(view.times[k])
    now = np.clip(view.paths[k], -SHOWN_EXTENT, SHOWN_EXTENT)
    real = real_points(data)
    traces = [dict(type="scatter", mode="markers", x=real[:, 0].round(3).tolist(), y=real[:, 1].round(3).tolist(),
                   name=t("diff.fig.real", lang), marker=dict(size=4, color=GREY, opacity=0.45), hoverinfo="skip")]
    if field is not None:
        grid, vectors = field
        if objective == "flow":  # the velocity points from data to noise; the reverse process follows -v
            vectors = -np.asarray(vectors)
        ax, ay = arrows(np.asarray(grid), vectors, scale=0.8 * (grid[1] - grid[0]) if len(grid) > 1 else 0.2)
        traces.append(dict(type="scatter", mode="lines", x=ax, y=ay, line=dict(color=INDIGO, width=1.2),
                           opacity=0.55, hoverinfo="skip", name="field"))
    px, py = [], []
    for i in range(min(PATHS_SHOWN, view.paths.shape[1])):
        seg = np.clip(view.paths[: k + 1, i], -SHOWN_EXTENT, SHOWN_EXTENT)
        px += seg[:, 0].round(3).tolist() + [None]
        py += seg[:, 1].round(3).tolist() + [None]
    traces.append(dict(type="scatter", mode="lines", x=px, y=py, line=dict(color=ORANGE, width=1), opacity=0.35,
                       hoverinfo="skip", name="paths"))
    traces.append(dict(type="scatter", mode="markers", x=now[:, 0].round(3).tolist(), y=now[:, 1].round(3).tolist(),
                       name=t("diff.fig.samples", lang), marker=dict(size=4, color=ORANGE, opacity=0.8)))
    kind = "velocity" if objective == "flow" else "score"
    title = t("diff.fig.reverse", lang, t=shown_t, field=t(f"diff.fig.field.{kind}", lang), step=view.step)
    extent = toy2d.EXTENT if shown_t < 0.5 else SHOWN_EXTENT  # noise fills a wider square than the data
    return plot_json(traces, _square(520, title, extent, uirevision="reverse"))


def forward_figure(data: str, noised: np.ndarray, t_value: float, lang: str) -> PlotData:
    """The data noised to ``t_value`` in one step (no network involved)."""
    real = real_points(data)
    pts = np.clip(noised, -SHOWN_EXTENT, SHOWN_EXTENT)
    traces = [dict(type="scatter", mode="markers", x=real[:, 0].round(3).tolist(), y=real[:, 1].round(3).tolist(),
                   name=t("diff.fig.real", lang), marker=dict(size=3, color=GREY, opacity=0.35), hoverinfo="skip"),
              dict(type="scatter", mode="markers", x=pts[:, 0].round(3).tolist(), y=pts[:, 1].round(3).tolist(),
                   name=t("diff.fig.noised", lang), marker=dict(size=3, color=TEAL, opacity=0.7))]
    extent = toy2d.EXTENT if t_value < 0.5 else SHOWN_EXTENT
    return plot_json(traces, _square(360, t("diff.fig.forward", lang, t=t_value), extent, uirevision="forward"))


def empty_plane(height: int = 520) -> PlotData:
    """A plane before any run: its axes only (the plotting library loads with the tab, so a first frame draws at once)."""
    return plot_json([], _square(height, ""))


def empty_quality() -> PlotData:
    """The quality panel before it is measured: its axes only (the hint above it says what it will show)."""
    return plot_json([], dict(height=300, margin=dict(l=50, r=20, t=40, b=90),
                              xaxis=axis("", type="log", range=[0, 3], tickvals=LOG_TICKS), yaxis=axis("", range=[0, 1.05], tickformat=".0%")))


def _thin(xs: list, ys: list) -> tuple[list, list]:
    stride = max(1, math.ceil(len(xs) / MAX_PLOT_POINTS))
    return xs[::stride], [None if not math.isfinite(y) else round(y, 5) for y in ys[::stride]]


def loss_figure(history: dict, lang: str) -> PlotData:
    x, y = _thin(list(history["step"]), list(history["loss"]))
    data = [dict(type="scatter", mode="lines", x=x, y=y, name=t("diff.fig.loss", lang), line=dict(color=INDIGO))]
    return plot_json(data, dict(title=dict(text=t("diff.fig.loss", lang), x=0.01), height=300, uirevision="loss",
                                margin=dict(l=50, r=20, t=40, b=50), showlegend=False,
                                xaxis=axis(t("diff.fig.step", lang)), yaxis=axis("", type="log")))


def quality_figure(rows: list[dict], sampler: str, lang: str) -> PlotData:
    """High-quality share and share of modes covered against the number of sampling steps (log axis)."""
    steps = [r["steps"] for r in rows]
    data = [dict(type="scatter", mode="lines+markers", x=steps, y=[r["high_quality"] for r in rows],
                 name=t("diff.fig.hq", lang), line=dict(color=ORANGE)),
            dict(type="scatter", mode="lines+markers", x=steps, y=[r["modes"] / max(r["of"], 1) for r in rows],
                 name=t("diff.fig.modes", lang), line=dict(color=INDIGO, dash="dot"))]
    title = t("diff.fig.quality", lang, sampler=t(f"diff.sampler.{sampler}", lang))
    return plot_json(data, dict(title=dict(text=title, x=0.01), height=300, uirevision="quality",
                                margin=dict(l=50, r=20, t=40, b=90),
                                xaxis=axis(t("diff.fig.steps_axis", lang), type="log", tickvals=LOG_TICKS),
                                yaxis=axis("", range=[0, 1.05], tickformat=".0%")))


def coverage_markdown(data: str, view, lang: str) -> str:
    cov = view.coverage
    what = t("diff.cov.centre" if data in ("ring8", "grid25") else "diff.cov.drawn" if toy2d.is_drawn(data)
             else "diff.cov.curve", lang)
    return t("diff.cov", lang, covered=cov.modes_covered, n=cov.n_modes, hq=cov.high_quality, what=what,
             sampler=t(f"diff.sampler.{view.sampler}", lang), steps=view.sample_steps)


def digit_grid(images: np.ndarray) -> np.ndarray:
    """64 digits (64, 28, 28) in [0, 1] as one 8x8 mosaic, twice the size."""
    return image_grid(images[:64], ncol=8, pad=1, scale=2)


def digit_strip(images: np.ndarray) -> np.ndarray:
    """One sample's states x_T ... x_0 (F, 28, 28) side by side."""
    return image_grid(images, ncol=len(images), pad=1, scale=2)
