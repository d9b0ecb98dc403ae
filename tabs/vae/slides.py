"""The VAE Explorer's film for slides: the decoded latent grid as training goes (``tabs.film``)."""

from __future__ import annotations

import logging
from pathlib import Path

from playground import vae as core
from tabs import film
from tabs.i18n import t
from tabs.plots import image_grid

log = logging.getLogger("playground.film")


def capture(session):
    """On the run's thread: the grid on screen (its spec), decoded one pixel per pixel, compressed (about
    110 kB for 20 x 20 MNIST digits: a VAE film keeps at most ``session.FILM_FRAMES``). The model's train/eval mode
    is left as it was."""
    def grab(snap: core.Snapshot) -> dict:
        model = session.vae
        spec = (session.view.spec if session.view is not None else core.GridSpec()).for_latent(model.latent)
        was = model.training
        try:
            z = core.spec_latents(model, spec, session.test.x if spec.mode == "pca" else None)
            images = core.decode_grid(model, z)  # (n*n, H, W)
        finally:
            model.train(was)
        return {"epoch": snap.epoch, "step": snap.step, "grid": film.pack_image(image_grid(images.numpy(), spec.n))}
    return grab


def filmed_run(train_run):
    """``train_run`` of the session, recorded into the session's film."""
    def make_run(session, plan):
        return film.filmed(train_run(session, plan), session.film, capture(session))
    return make_run


def export(the_film: film.Film, lang: str) -> film.Exported:
    head = t("film.vae.title", lang)

    def slides(frames, size=film.SLIDE):
        for f in frames:
            caption = t("film.epoch", lang, epoch=f.payload["epoch"], step=f.payload["step"])
            yield film.grid_slide(f.payload["grid"].image(), head, caption, size)

    def still(frame: film.Frame, base: Path) -> list[Path]:
        path = base.with_suffix(".png")
        next(slides([frame], film.STILL)).save(path)
        return [path]

    last = the_film.all()[-1].payload
    out = film.export(the_film, f"vae-epoch{last['epoch']}-step{last['step']}", slides, still)
    log.info("film vae: %d frames, %.1f MB, %.1f s", out.frames, out.gif_bytes / 1e6, out.seconds)
    return out
