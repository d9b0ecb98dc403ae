"""Slide-sized pictures of the films' frames (``tabs/film.py``): the GAN plane beside its losses and the
fine-tuning curves, drawn with matplotlib on an Agg canvas of its own (no pyplot: thread-safe, no global
state). One figure is built per export and its artists are updated frame by frame.

Type is sized for a projector: at 1280 x 720 tick labels are 22 px, axis titles 25 px, the title 31 px.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Iterator

import numpy as np
from PIL import Image
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.cm import ScalarMappable
from matplotlib.colors import LinearSegmentedColormap, ListedColormap, Normalize
from matplotlib.figure import Figure

from tabs.film import SLIDE, STILL, Frame

DPI = 100
TICK, LABEL, TITLE = 16, 18, 22  # points (x DPI / 72 = pixels)
ORANGE, GREY, INDIGO = "#f97316", "#52525b", "#6366f1"
# plotly.js's built-in "RdBu" (the GAN plane's scale in the app; plotly.py's RdBu is ColorBrewer's, reversed)
PLOTLY_RDBU = [(0.0, (5 / 255, 10 / 255, 172 / 255)), (0.35, (106 / 255, 137 / 255, 247 / 255)),
               (0.5, (190 / 255, 190 / 255, 190 / 255)), (0.6, (220 / 255, 170 / 255, 132 / 255)),
               (0.7, (230 / 255, 145 / 255, 90 / 255)), (1.0, (178 / 255, 10 / 255, 28 / 255))]


def _figure(size: tuple[int, int] = SLIDE) -> Figure:
    fig = Figure(figsize=(size[0] / DPI, size[1] / DPI), dpi=DPI, facecolor="white")
    FigureCanvasAgg(fig)
    return fig


def _style(ax) -> None:
    ax.tick_params(labelsize=TICK, width=1.5, length=6)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_linewidth(1.5)
    ax.grid(color="#e4e4e7", linewidth=1)
    ax.set_axisbelow(True)


def _range(values: np.ndarray, pad: float = 0.08, q: tuple[float, float] = (1, 99)) -> tuple[float, float]:
    """A y range that holds the curve (by default the 1st to 99th percentile: one spike does not flatten the
    rest)."""
    v = values[np.isfinite(values)]
    if v.size == 0:
        return 0.0, 1.0
    lo, hi = np.percentile(v, q)
    span = max(hi - lo, 1e-6)
    return float(lo - pad * span), float(hi + pad * span)


def _animate(fig: Figure, animated: list, update, frames: list[Frame], under=None) -> Iterator:
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


def _save_stills(fig: Figure, base: Path, svg: bool = True) -> list[Path]:
    png = base.with_suffix(".png")
    fig.savefig(png, dpi=DPI * STILL[0] / SLIDE[0])  # the same layout, 1.5x the pixels
    out = [png]
    if svg:
        fig.savefig(base.with_suffix(".svg"))
        out.append(base.with_suffix(".svg"))
    return out


# ---------------------------------------------------------------- GAN: the plane and the losses
class GanPlaneSlides:
    """Frames ``{"step", "samples" (N, 2), "heat" (R, R)}`` of a 2-D GAN run, with its loss history."""

    def __init__(self, real: np.ndarray, extent: float, history: dict[str, list[float]], probability: bool,
                 texts: dict[str, str]) -> None:
        self.real, self.extent, self.history, self.prob, self.texts = real, extent, history, probability, texts

    def _build(self, frames: list[Frame]):
        fig = _figure()
        e = self.extent
        plane = fig.add_axes((0.07, 0.17, 0.4, 0.71))  # square: 0.4 x 12.8 in = 0.71 x 7.2 in
        bar_ax = fig.add_axes((0.485, 0.17, 0.015, 0.71))
        losses = fig.add_axes((0.63, 0.17, 0.34, 0.71))  # room for the last tick label
        _style(plane)
        _style(losses)
        heats = np.stack([f.payload["heat"] for f in frames]).astype(np.float32)
        vmin, vmax = (0.0, 1.0) if self.prob else _range(heats.ravel(), 0.0)
        self.norm = norm = Normalize(vmin, vmax)
        # the app's colours (plotly.js's "RdBu": blue where D says fake, red where it says real; matplotlib's
        # RdBu runs the other way) at 55 % over white, as plain RGB (cheaper to draw than transparency)
        rgb = LinearSegmentedColormap.from_list("plotly-RdBu", PLOTLY_RDBU)(np.linspace(0, 1, 256))[:, :3]
        self.cmap = cmap = ListedColormap(1 - 0.55 * (1 - rgb))

        def pale(h: np.ndarray) -> np.ndarray:
            return cmap(norm(h.astype(np.float32)))[..., :3]

        heat = plane.imshow(pale(heats[0]), extent=(-e, e, -e, e), origin="lower", interpolation="nearest",
                            aspect="equal")
        real = plane.scatter(self.real[:, 0], self.real[:, 1], s=22, c=GREY, alpha=0.6, linewidths=0,
                             label=self.texts["real"])
        fake = plane.scatter([], [], s=22, c=ORANGE, alpha=0.85, linewidths=0, label=self.texts["fake"])
        plane.set_xlim(-e, e)
        plane.set_ylim(-e, e)
        fig.legend(handles=[real, fake], loc="lower center", bbox_to_anchor=(0.27, 0.0), ncol=2, fontsize=LABEL,
                   markerscale=2.5, frameon=False)
        bar = fig.colorbar(ScalarMappable(norm, cmap), cax=bar_ax)
        bar.ax.tick_params(labelsize=TICK)
        bar.set_label(self.texts["d"], fontsize=LABEL)
        steps = np.asarray(self.history["step"], dtype=np.float64)
        d_loss = np.asarray(self.history["loss_d"], dtype=np.float64)
        g_loss = np.asarray(self.history["loss_g"], dtype=np.float64)
        last = max(f.payload["step"] for f in frames)
        losses.set_xlim(0, max(last, 1))
        lo_d, hi_d = _range(d_loss[steps <= last])
        lo_g, hi_g = _range(g_loss[steps <= last])
        losses.set_ylim(min(lo_d, lo_g), max(hi_d, hi_g))
        line_d, = losses.plot([], [], color=INDIGO, linewidth=3, label=self.texts["loss_d"])
        line_g, = losses.plot([], [], color=ORANGE, linewidth=3, label=self.texts["loss_g"])
        losses.set_xlabel(self.texts["step_axis"], fontsize=LABEL)
        losses.set_title(self.texts["losses"], fontsize=LABEL, loc="left")
        losses.legend(loc="upper right", fontsize=TICK, frameon=False)
        title = fig.text(0.02, 0.955, "", fontsize=TITLE, weight="bold", va="center")

        def update(frame: Frame) -> None:
            p = frame.payload
            heat.set_data(pale(p["heat"]))
            pts = np.clip(p["samples"].astype(np.float32), -e * 1.02, e * 1.02)  # outliers stay at the edge
            fake.set_offsets(pts)
            upto = steps <= p["step"]
            line_d.set_data(steps[upto], d_loss[upto])
            line_g.set_data(steps[upto], g_loss[upto])
            title.set_text(self.texts["title"].format(step=p["step"]))
        return fig, [heat, real, fake, line_d, line_g, title], update

    def slides(self, frames: list[Frame]) -> Iterator:
        """The heatmap is painted straight into the canvas, pixel for pixel (matplotlib's image resampling is the
        costly part of a frame)."""
        fig, (heat, *animated), update = self._build(frames)
        fig.canvas.draw()  # settles the layout: the plane's box in pixels
        box = heat.axes.get_window_extent()
        x0, y0, w, h = (int(round(v)) for v in (box.x0, box.y0, box.width, box.height))
        res = frames[0].payload["heat"].shape[0]
        rows, cols = np.arange(h) * res // h, np.arange(w) * res // w  # nearest cell of every pixel
        rows = rows[::-1]  # the canvas's first row is the top; the heatmap's is y = -extent
        top = int(fig.canvas.get_width_height()[1]) - y0 - h
        lut = (self.cmap(np.linspace(0, 1, 256))[:, :3] * 255).astype(np.uint8)

        def paint(pixels: np.ndarray, frame: Frame) -> None:
            level = np.clip(self.norm(frame.payload["heat"].astype(np.float32)) * 255, 0, 255).astype(np.uint8)
            pixels[top:top + h, x0:x0 + w, :3] = lut[level[rows][:, cols]]
        yield from _animate(fig, animated, update, frames, under=paint)

    def stills(self, frame: Frame, base: Path) -> list[Path]:
        fig, _, update = self._build([frame])
        update(frame)
        return _save_stills(fig, base)


# ---------------------------------------------------------------- fine-tuning: the curves growing
class FinetuneSlides:
    """Frames ``{"counts": {strategy: points so far}}`` of a race; ``history`` holds every point."""

    def __init__(self, history: dict[str, list[dict]], colours: dict[str, str], names: dict[str, str],
                 texts: dict[str, str], chance: float | None = None) -> None:
        self.history, self.colours, self.names, self.texts, self.chance = history, colours, names, texts, chance

    def _build(self):
        fig = _figure()
        loss_ax = fig.add_axes((0.07, 0.2, 0.4, 0.66))
        acc_ax = fig.add_axes((0.57, 0.2, 0.4, 0.66))
        for ax, key in ((loss_ax, "loss"), (acc_ax, "acc")):
            _style(ax)
            ax.set_xlabel(self.texts["step_axis"], fontsize=LABEL)
            ax.set_title(self.texts[key], fontsize=LABEL, loc="left")
        series = {}
        all_steps = [p["step"] for pts in self.history.values() for p in pts] or [1]
        losses = np.array([p["loss"] for pts in self.history.values() for p in pts if p.get("loss") is not None]
                          or [0.0, 1.0], dtype=np.float64)
        accs = [100 * p["acc"] for pts in self.history.values() for p in pts if p.get("acc") is not None]
        loss_ax.set_xlim(0, max(all_steps))
        acc_ax.set_xlim(0, max(all_steps))
        lo, hi = _range(losses, q=(0, 100))  # a race's curves start high: keep their start
        loss_ax.set_ylim(max(0.0, lo), hi)
        floor = min(accs + ([100 * self.chance] if self.chance is not None else []), default=0.0)
        acc_ax.set_ylim(max(0.0, 10 * math.floor((floor - 5) / 10)), 101)
        acc_ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0f}%")
        if self.chance is not None:
            acc_ax.axhline(100 * self.chance, color="#71717a", linestyle=":", linewidth=2)
        for s in self.history:
            c, name = self.colours.get(s, GREY), self.names.get(s, s)
            series[s] = (loss_ax.plot([], [], color=c, linewidth=3, label=name)[0],
                         acc_ax.plot([], [], color=c, linewidth=3, marker="o", markersize=8)[0])
        fig.legend(loc="lower center", ncol=min(4, max(1, len(series))), fontsize=TICK, frameon=False)
        title = fig.text(0.02, 0.95, "", fontsize=TITLE, weight="bold", va="center")

        def update(frame: Frame) -> None:
            counts = frame.payload["counts"]
            for s, (l_line, a_line) in series.items():
                pts = self.history[s][: counts.get(s, 0)]
                ls = [(p["step"], p["loss"]) for p in pts if p.get("loss") is not None and math.isfinite(p["loss"])]
                acs = [(p["step"], 100 * p["acc"]) for p in pts if p.get("acc") is not None]
                l_line.set_data([x for x, _ in ls], [y for _, y in ls])
                a_line.set_data([x for x, _ in acs], [y for _, y in acs])
            now = frame.payload.get("strategy")
            title.set_text(self.texts["title"].format(name=self.names.get(now, now or ""),
                                                      step=frame.payload.get("step", 0)))
        return fig, [a for pair in series.values() for a in pair] + [title], update

    def slides(self, frames: list[Frame]) -> Iterator:
        fig, animated, update = self._build()
        yield from _animate(fig, animated, update, frames)

    def stills(self, frame: Frame, base: Path) -> list[Path]:
        fig, _, update = self._build()
        update(frame)
        return _save_stills(fig, base)
