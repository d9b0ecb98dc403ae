"""What the tabs' slide pictures share (``tabs/<tab>/slides.py``): a matplotlib figure on an Agg canvas of its own
(no pyplot: thread-safe, no global state), a projector's styles, blitted animation of the moving artists, stills.
One figure is built per export and its artists are updated frame by frame.

Type is sized for a projector: at 1280 x 720 tick labels are 22 px, axis titles 25 px, the title 31 px.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import numpy as np
from PIL import Image
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from tabs.harness.film import SLIDE, STILL, Frame

DPI = 100
TICK, LABEL, TITLE = 16, 18, 22  # points (x DPI / 72 = pixels)
ORANGE, GREY, INDIGO = "#f97316", "#52525b", "#6366f1"



def figure(size: tuple[int, int] = SLIDE) -> Figure:
    fig = Figure(figsize=(size[0] / DPI, size[1] / DPI), dpi=DPI, facecolor="white")
    FigureCanvasAgg(fig)
    return fig


def style(ax) -> None:
    ax.tick_params(labelsize=TICK, width=1.5, length=6)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_linewidth(1.5)
    ax.grid(color="#e4e4e7", linewidth=1)
    ax.set_axisbelow(True)


def value_range(values: np.ndarray, pad: float = 0.08, q: tuple[float, float] = (1, 99)) -> tuple[float, float]:
    """A y range that holds the curve (by default the 1st to 99th percentile: one spike does not flatten the
    rest)."""
    v = values[np.isfinite(values)]
    if v.size == 0:
        return 0.0, 1.0
    lo, hi = np.percentile(v, q)
    span = max(hi - lo, 1e-6)
    return float(lo - pad * span), float(hi + pad * span)


def animate(fig: Figure, animated: list, update, frames: list[Frame], under=None) -> Iterator:
    """Blitting: the axes, ticks and labels are drawn once; each frame draws only what moves (text is
    what costs most to draw). ``under(pixels, frame)`` may paint into the canvas (an (H, W, 4) uint8 array)
    before the moving artists are drawn over it."""
    for a in animated:
        a.set_animated(True)
    fig.canvas.draw()
    background = fig.canvas.copy_from_bbox(fig.bbox)
    for f in frames:
        update(f)
        fig.canvas.restore_region(background)
        if under is not None:
            under(np.asarray(fig.canvas.buffer_rgba()), f)
        for a in animated:
            fig.draw_artist(a)
        yield Image.fromarray(np.asarray(fig.canvas.buffer_rgba())[..., :3].copy())


def save_stills(fig: Figure, base: Path, svg: bool = True) -> list[Path]:
    png = base.with_suffix(".png")
    fig.savefig(png, dpi=DPI * STILL[0] / SLIDE[0])  # the same layout, 1.5x the pixels
    out = [png]
    if svg:
        fig.savefig(base.with_suffix(".svg"))
        out.append(base.with_suffix(".svg"))
    return out
