"""The GAN Lab's film for slides: the plane (2-D data) or the fixed-noise grid (images) as the run goes.

``capture`` runs on the run's thread between two updates (``tabs.film.filmed``); ``export`` draws the
frames in the user's language when asked.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from playground.gan import trainer as core
from playground.data import toy2d
from tabs import film
from tabs.film_plots import GanPlaneSlides
from tabs.i18n import t
from tabs.plots import image_grid

log = logging.getLogger("playground.film")
REAL_SHOWN = 400  # real points under the generated ones (as on screen)


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
    name = t(f"gan.data.{cfg.data}", lang)
    title = t("film.gan.title", lang, data=name, step="{step}")
    stem = f"gan-{cfg.data}-step{the_film.all()[-1].payload['step'] if len(the_film) else 0}"
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
