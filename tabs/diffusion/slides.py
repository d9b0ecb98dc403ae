"""The Diffusion Lab's slides: the reverse process of the samples on screen, from noise (t = 1) to data (t = 0), as
an animated GIF, and its last frame as PNG and SVG (matplotlib on an Agg canvas of its own, in the user's language).

Unlike the GAN's film (the run as it trained), the frames here are the states one sampling run passes through: what
a lecturer shows to explain how a diffusion model draws."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import numpy as np

from playground.data import drawn, toy2d
from tabs.diffusion.figures import PATHS_SHOWN, SHOWN_EXTENT, real_points
from tabs.harness import film
from tabs.harness.common import export_path
from tabs.harness.film import Frame
from tabs.harness.i18n import t
from tabs.harness.slides import GREY, LABEL, ORANGE, TITLE, animate, figure, save_stills, style

log = logging.getLogger("playground.film")


class ReverseSlides:
    """Frames ``{"k": index into the kept states}`` of one view's reverse process."""

    def __init__(self, view, data: str, texts: dict[str, str]) -> None:
        self.view, self.data, self.texts = view, data, texts

    def _build(self):
        fig = figure()
        e = SHOWN_EXTENT
        plane = fig.add_axes((0.3, 0.08, 0.4, 0.78))  # square on a 16:9 slide
        style(plane)
        real = real_points(self.data)
        plane.scatter(real[:, 0], real[:, 1], s=18, c=GREY, alpha=0.45, linewidths=0, label=self.texts["real"])
        plane.set_xlim(-e, e)
        plane.set_ylim(-e, e)
        lines = [plane.plot([], [], color=ORANGE, linewidth=1, alpha=0.35)[0] for _ in
                 range(min(PATHS_SHOWN, self.view.paths.shape[1]))]
        dots = plane.scatter([], [], s=18, c=ORANGE, alpha=0.85, linewidths=0, label=self.texts["samples"])
        fig.legend(handles=[dots], loc="lower center", bbox_to_anchor=(0.5, 0.0), ncol=2, fontsize=LABEL,
                   markerscale=2.5, frameon=False)
        title = fig.text(0.02, 0.94, "", fontsize=TITLE, weight="bold", va="center")
        paths = np.clip(self.view.paths.astype(np.float32), -e * 1.02, e * 1.02)

        def update(frame: Frame) -> None:
            k = frame.payload["k"]
            for i, line in enumerate(lines):
                line.set_data(paths[: k + 1, i, 0], paths[: k + 1, i, 1])
            dots.set_offsets(paths[k])
            title.set_text(self.texts["title"].format(t=f"{float(self.view.times[k]):.2f}"))
        return fig, [*lines, dots, title], update

    def frames(self) -> list[Frame]:
        return [Frame(k + 1, {"k": k}) for k in range(len(self.view.times))]  # the GIF holds the last one longer

    def slides(self, frames: list[Frame]):
        fig, animated, update = self._build()
        yield from animate(fig, animated, update, frames)

    def stills(self, frame: Frame, base: Path) -> list[Path]:
        fig, _, update = self._build()
        update(frame)
        return save_stills(fig, base)


def export(view, config, lang: str) -> film.Exported:
    """``diffusion-<data>-<sampler><steps>-step<N>.gif`` and the last state as PNG and SVG."""
    t0 = time.perf_counter()
    data = config.data
    name = (t(f"diff.data.{data}", lang) if data in toy2d.DISTRIBUTIONS
            else t("diff.data.drawn_named", lang, n=drawn.n_points(data)))
    texts = dict(real=t("diff.fig.real", lang), samples=t("diff.fig.samples", lang),
                 title=t("film.diffusion.title", lang, data=name, sampler=t(f"diff.sampler.{view.sampler}", lang),
                         steps=view.sample_steps, t="{t}"))
    slides = ReverseSlides(view, data, texts)
    frames = slides.frames()
    stem = f"diffusion-{data if data in toy2d.DISTRIBUTIONS else 'drawn'}-{view.sampler}{view.sample_steps}-step{view.step}"
    gif, n = film.write_gif(slides.slides(frames), export_path(f"{stem}.gif"))
    files = [gif, *slides.stills(frames[-1], export_path(stem))]
    out = film.Exported([str(f) for f in files], n, time.perf_counter() - t0, gif.stat().st_size)
    log.info("reverse process %s: %d frames, %.1f MB, %.1f s", stem, out.frames, out.gif_bytes / 1e6, out.seconds)
    return out
