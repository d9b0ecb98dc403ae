"""The GAN Lab's film for slides: the plane (2-D data) or the fixed-noise grid (images) as the run goes.

``capture`` runs on the run's thread between two updates (``tabs.harness.film.filmed``); ``export`` draws the
frames in the user's language when asked: the plane beside its losses (``GanPlaneSlides``, matplotlib on an Agg
canvas of its own) or one digit grid per slide.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Iterator

import numpy as np
from matplotlib.cm import ScalarMappable
from matplotlib.colors import LinearSegmentedColormap, ListedColormap, Normalize

from playground.data import drawn, toy2d
from playground.gan import trainer as core
from tabs.gan.figures import REAL_SHOWN
from tabs.harness import film
from tabs.harness.film import Frame
from tabs.harness.i18n import t
from tabs.harness.plots import image_grid
from tabs.harness.slides import (GREY, INDIGO, LABEL, ORANGE, TICK, TITLE, animate, figure, save_stills, style,
                                 value_range)

log = logging.getLogger("playground.film")
# plotly.js's built-in "RdBu" (the GAN plane's scale in the app; plotly.py's RdBu is ColorBrewer's, reversed)
PLOTLY_RDBU = [(0.0, (5 / 255, 10 / 255, 172 / 255)), (0.35, (106 / 255, 137 / 255, 247 / 255)),
               (0.5, (190 / 255, 190 / 255, 190 / 255)), (0.6, (220 / 255, 170 / 255, 132 / 255)),
               (0.7, (230 / 255, 145 / 255, 90 / 255)), (1.0, (178 / 255, 10 / 255, 28 / 255))]


def capture(trainer: core.GanTrainer):
    """What one frame needs, small: 1,000 points and D's 48 x 48 map in float16 (11 kB), or the 8 x 8
    grid of fixed-noise images at one pixel per pixel, compressed (about 20 kB for MNIST)."""
    def grab(snap: core.GanSnapshot) -> dict:
        if trainer.config.is_toy:
            return {"step": snap.step, "samples": trainer.generate(trainer.fixed_noise).astype(np.float16),
                    "heat": trainer.heatmap()[1].astype(np.float16)}
        samples = trainer.generate(trainer.fixed_noise[: core.GRID_IMAGES])  # (64, H, W) in [0, 1]
        return {"step": snap.step, "grid": film.pack_image(image_grid(samples, ncol=8, pad=1))}
    return grab


def export(the_film: film.Film, trainer: core.GanTrainer, history: dict, lang: str) -> film.Exported:
    cfg = trainer.config
    if toy2d.is_drawn(cfg.data):  # a drawing is named by its size, not by its code
        name, tag = t("gan.data.drawn_named", lang, n=drawn.n_points(cfg.data)), "drawn"
    else:
        name, tag = t(f"gan.data.{cfg.data}", lang), cfg.data
    title = t("film.gan.title", lang, data=name, step="{step}")
    stem = f"gan-{tag}-step{the_film.all()[-1].payload['step'] if len(the_film) else 0}"
    if cfg.is_toy:
        texts = dict(real=t("gan.fig.real", lang), fake=t("gan.fig.fake", lang), d=t("gan.fig.d_prob", lang),
                     loss_d=t("gan.fig.loss_d", lang), loss_g=t("gan.fig.loss_g", lang),
                     step_axis=t("gan.fig.step", lang), losses=t("gan.fig.losses", lang), title=title)
        slides = GanPlaneSlides(core.real_data(cfg.data)[:REAL_SHOWN].numpy(), toy2d.EXTENT, history,
                                cfg.loss in ("minimax", "ns"), texts)
        out = film.export(the_film, stem, slides.slides, slides.stills)
    else:
        head = t("film.gan.images", lang, data=name)

        def grids(frames, size=film.SLIDE):
            for f in frames:
                caption = t("film.step", lang, step=f.payload["step"])
                yield film.grid_slide(f.payload["grid"].image(), head, caption, size)

        def still(frame: film.Frame, base: Path) -> list[Path]:
            path = base.with_suffix(".png")
            next(grids([frame], film.STILL)).save(path)
            return [path]
        out = film.export(the_film, stem, grids, still)
    log.info("film %s: %d frames, %.1f MB, %.1f s", stem, out.frames, out.gif_bytes / 1e6, out.seconds)
    return out


class GanPlaneSlides:
    """Frames ``{"step", "samples" (N, 2), "heat" (R, R)}`` of a 2-D GAN run, with its loss history."""

    def __init__(self, real: np.ndarray, extent: float, history: dict[str, list[float]], probability: bool,
                 texts: dict[str, str]) -> None:
        self.real, self.extent, self.history, self.prob, self.texts = real, extent, history, probability, texts

    def _build(self, frames: list[Frame]):
        fig = figure()
        e = self.extent
        plane = fig.add_axes((0.07, 0.17, 0.4, 0.71))  # square: 0.4 x 12.8 in = 0.71 x 7.2 in
        bar_ax = fig.add_axes((0.485, 0.17, 0.015, 0.71))
        losses = fig.add_axes((0.63, 0.17, 0.34, 0.71))  # room for the last tick label
        style(plane)
        style(losses)
        heats = np.stack([f.payload["heat"] for f in frames]).astype(np.float32)
        vmin, vmax = (0.0, 1.0) if self.prob else value_range(heats.ravel(), 0.0)
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
        lo_d, hi_d = value_range(d_loss[steps <= last])
        lo_g, hi_g = value_range(g_loss[steps <= last])
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
        yield from animate(fig, animated, update, frames, under=paint)

    def stills(self, frame: Frame, base: Path) -> list[Path]:
        fig, _, update = self._build([frame])
        update(frame)
        return save_stills(fig, base)
