"""Small plotting helpers shared by the tabs (plotly figures and image mosaics)."""

from __future__ import annotations

import json

import numpy as np
import plotly.graph_objects as go
from gradio.components.plot import PlotData
from plotly.colors import sample_colorscale

FONT = dict(family="Inter, Source Sans Pro, DejaVu Sans, sans-serif", size=12)
JSON_BASE = dict(font=FONT, template=None, paper_bgcolor="white", plot_bgcolor="white",
                 margin=dict(l=50, r=20, t=40, b=40), legend=dict(orientation="h", x=0, y=-0.28, yanchor="top"))


def plot_json(data: list[dict], layout: dict) -> PlotData:
    """A plotly figure as plain JSON for ``gr.Plot``, skipping plotly's object validation (it costs ~10x more per
    streamed frame); ``layout`` keys win over ``JSON_BASE``."""
    return PlotData(type="plotly", plot=json.dumps({"data": data, "layout": {**JSON_BASE, **layout}}))


def axis(title: str, **kw) -> dict:
    """A plain-JSON axis with a light grid and no zero line."""
    return dict(title=dict(text=title), gridcolor="#e4e4e7", zeroline=False, **kw)


def base_layout(fig: go.Figure, title: str = "", height: int = 360, **kw) -> go.Figure:
    fig.update_layout(title=dict(text=title, x=0.01, font=dict(size=14)), height=height, font=FONT,
                      margin=dict(l=50, r=20, t=40 if title else 15, b=40), template="plotly_white",
                      legend=dict(orientation="h", y=-0.18), **kw)
    return fig


def lines_figure(x, series: dict[str, list], title: str = "", xaxis: str = "", yaxis: str = "",
                 height: int = 320, log_y: bool = False) -> go.Figure:
    """One line per named series over a shared x axis (e.g. losses over steps)."""
    fig = go.Figure()
    for name, ys in series.items():
        fig.add_trace(go.Scatter(x=list(x), y=list(ys), mode="lines", name=name))
    base_layout(fig, title, height)
    fig.update_xaxes(title_text=xaxis)
    fig.update_yaxes(title_text=yaxis, type="log" if log_y else "linear")
    return fig


def colormap(values: np.ndarray, scale: str = "Viridis") -> np.ndarray:
    """Map values in [0, 1] (any shape) to uint8 RGB (..., 3) with a plotly colour scale."""
    lut = np.array([[int(c) for c in s[s.index("(") + 1:-1].split(",")]
                    for s in sample_colorscale(scale, np.linspace(0, 1, 256), colortype="rgb")], dtype=np.uint8)
    idx = np.clip(np.nan_to_num(values) * 255, 0, 255).astype(np.int64)
    return lut[idx]


def image_grid(images: np.ndarray, ncol: int, pad: int = 1, scale: int = 1) -> np.ndarray:
    """Tile grey images (N, H, W) in [0, 1] into one uint8 picture (rows, cols) for ``gr.Image``."""
    images = np.clip(np.asarray(images, dtype=np.float32), 0, 1)
    n, h, w = images.shape
    nrow = -(-n // ncol)
    canvas = np.ones((nrow * (h + pad) + pad, ncol * (w + pad) + pad), dtype=np.float32)
    for i in range(n):
        r, c = divmod(i, ncol)
        canvas[pad + r * (h + pad): pad + r * (h + pad) + h, pad + c * (w + pad): pad + c * (w + pad) + w] = images[i]
    if scale > 1:
        canvas = canvas.repeat(scale, 0).repeat(scale, 1)
    return (canvas * 255).astype(np.uint8)
