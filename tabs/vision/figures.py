"""Figures of the Vision tab: top-5 bars, Grad-CAM overlay, feature-map mosaic, race curves, results table and
the size-sweep chart. Pure functions of core results (no state)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from playground.vision.config import STRATEGIES
from tabs.harness.i18n import t
from tabs.harness.plots import base_layout, colormap

COLUMNS = ("strategy", "trainable", "pct", "acc", "mem", "ips", "train_s", "wall_s", "cached", "lr", "epochs")


def strategy_name(s: str, lang: str) -> str:
    return t(f"vis.s.{s}", lang)


def top5_figure(preds, lang: str) -> go.Figure:
    """Horizontal bars, the top class on top."""
    preds = list(reversed(preds))
    fig = go.Figure(go.Bar(x=[p.prob for p in preds], y=[f"{p.name} ({p.index})" for p in preds], orientation="h",
                           marker_color=["#2563eb"] * (len(preds) - 1) + ["#f97316"],
                           text=[f"{p.prob:.1%}" for p in preds], textposition="auto",
                           hovertemplate="%{y}: %{x:.2%}<extra></extra>"))
    base_layout(fig, t("vis.fig.top5", lang), 300)
    fig.update_xaxes(title_text=t("vis.fig.prob", lang), tickformat=".0%", range=[0, 1])
    fig.update_layout(margin=dict(l=10, r=10, t=40, b=40))
    fig.update_yaxes(automargin=True)
    return fig


def cam_overlay(image: np.ndarray, heatmap: np.ndarray, alpha: float = 0.45) -> np.ndarray:
    """The crop the network saw (H, W, 3) in [0, 1] under a jet-coloured heatmap (H, W) in [0, 1] -> uint8."""
    heat = colormap(heatmap, "Jet").astype(np.float32) / 255.0
    return (np.clip((1 - alpha) * image + alpha * heat, 0, 1) * 255).astype(np.uint8)


def maps_mosaic(maps: np.ndarray, ncol: int = 4, side: int = 448, gap: int = 3) -> np.ndarray:
    """(n, h, w) maps in [0, 1], each coloured (viridis) and enlarged by whole pixels, tiled on white -> uint8."""
    n, h, w = maps.shape
    scale = max(1, (side - gap * (ncol + 1)) // (ncol * w))
    th, tw = h * scale, w * scale
    nrow = -(-n // ncol)
    canvas = np.full((nrow * (th + gap) + gap, ncol * (tw + gap) + gap, 3), 255, dtype=np.uint8)
    tiles = colormap(maps, "Viridis").repeat(scale, 1).repeat(scale, 2)  # (n, th, tw, 3)
    for i in range(n):
        r, c = divmod(i, ncol)
        top, left = gap + r * (th + gap), gap + c * (tw + gap)
        canvas[top:top + th, left:left + tw] = tiles[i]
    return canvas


def curves_figure(history: dict[str, list], metric: str, lang: str) -> go.Figure:
    """Loss (each report) or test accuracy (each evaluation) per strategy, against epochs."""
    fig = go.Figure()
    for s, rows in history.items():
        pts = [(r["epoch"], r[metric]) for r in rows if r.get(metric) is not None]
        if not pts:
            continue
        xs, ys = zip(*pts)
        markers = metric == "acc" or len(xs) < 20  # a short run's few points stay visible
        fig.add_trace(go.Scatter(x=xs, y=ys, name=strategy_name(s, lang), mode="lines+markers" if markers
                                 else "lines", line=dict(color=STRATEGIES[s].colour, width=2),
                                 hovertemplate="%{x:.2f}: %{y:.4f}<extra>" + strategy_name(s, lang) + "</extra>"))
    base_layout(fig, t("vis.fig.loss" if metric == "loss" else "vis.fig.acc", lang), 340)
    fig.update_layout(legend=dict(orientation="h", y=-0.25, yanchor="top"), margin=dict(b=90))
    fig.update_xaxes(title_text=t("vis.fig.epoch", lang))
    if metric == "acc":
        fig.update_yaxes(tickformat=".0%", range=[0, 1.02])
    return fig


def results_table(results: list[dict], lang: str) -> pd.DataFrame:
    yes, no = t("vis.yes", lang), t("vis.no", lang)
    rows = [[strategy_name(r["strategy"], lang), f"{r['trainable']:,}", round(r["pct"], 3), round(100 * r["test_acc"], 1),
             round(r["peak_mem_mb"], 1), round(r["images_per_s"], 1), round(r["train_s"], 2), round(r["wall_s"], 2),
             yes if r["cached"] else no, r["lr"], r["epochs"]] for r in results]
    return pd.DataFrame(rows, columns=[t(f"vis.col.{c}", lang) for c in COLUMNS])


def sweep_figure(points: list[dict], lang: str) -> go.Figure:
    """Test accuracy against training images per class (log x), one line per strategy."""
    fig = go.Figure()
    for s in dict.fromkeys(p["strategy"] for p in points):
        pts = sorted((p["per_class"], p["test_acc"]) for p in points if p["strategy"] == s)
        xs, ys = zip(*pts)
        fig.add_trace(go.Scatter(x=xs, y=ys, name=strategy_name(s, lang), mode="lines+markers",
                                 line=dict(color=STRATEGIES[s].colour, width=3), marker=dict(size=9),
                                 hovertemplate="%{x}: %{y:.1%}<extra>" + strategy_name(s, lang) + "</extra>"))
    base_layout(fig, t("vis.fig.sweep", lang), 380)
    sizes = sorted({p["per_class"] for p in points})
    # a tick at each size measured, not plotly's log ticks (which labelled every minor one: 2, 5, 2, 5, ...)
    fig.update_xaxes(type="log", title_text=t("vis.fig.per_class", lang), tickmode="array", tickvals=sizes,
                     ticktext=[str(v) for v in sizes], minor=dict(showgrid=False))
    fig.update_yaxes(tickformat=".0%", range=[0, 1.02], title_text=t("vis.fig.acc", lang))
    return fig
