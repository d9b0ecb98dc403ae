"""The VAE Explorer's film for slides: the decoded latent grid as training goes (``tabs.harness.film``).

``capture`` runs on the run's thread between two updates (``tabs.vae.session.make_run`` films the training run);
``export`` draws the frames in the user's language when asked, one digit grid per slide.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PIL import Image

from playground import vae as core
from tabs.harness import film
from tabs.harness.i18n import t
from tabs.harness.plots import image_grid

log = logging.getLogger("playground.film")


def capture(session):
    """On the run's thread: the grid on screen (its spec), decoded one pixel per pixel, compressed (about
    110 kB for 20 x 20 MNIST digits: a VAE film keeps at most ``tabs.vae.session.FILM_FRAMES``). The model's
    train/eval mode is left as it was."""
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


# the part of a slide's height that ``film.grid_slide`` leaves to the picture (its title above, caption below)
ROOM = 1 - 0.11 - 0.08


def filling(picture: Image.Image, size: tuple[int, int]) -> Image.Image:
    """The grid scaled to fill the slide's room for it. ``film.grid_slide`` scales by a whole factor, so a
    581-pixel grid (20 x 20 MNIST digits) on a 1080-pixel still stayed at 1x, half the height: smoothly to the
    room instead when a whole factor leaves more than a tenth of it empty (as the page's browser scales it)."""
    room = round(size[1] * ROOM)
    side = max(picture.size)
    if side >= room or (room // side) * side >= 0.9 * room:
        return picture  # a whole factor fills it (sharp pixels)
    k = room / side
    return picture.resize((int(picture.width * k), int(picture.height * k)), Image.LANCZOS)


def export(the_film: film.Film, lang: str) -> film.Exported:
    head = t("film.vae.title", lang)

    def slides(frames, size=film.SLIDE):
        for f in frames:
            caption = t("film.epoch", lang, epoch=f.payload["epoch"], step=f.payload["step"])
            yield film.grid_slide(filling(f.payload["grid"].image(), size), head, caption, size)

    def still(frame: film.Frame, base: Path) -> list[Path]:
        path = base.with_suffix(".png")
        next(slides([frame], film.STILL)).save(path)
        return [path]

    last = the_film.all()[-1].payload
    out = film.export(the_film, f"vae-epoch{last['epoch']}-step{last['step']}", slides, still)
    log.info("film vae: %d frames, %.1f MB, %.1f s", out.frames, out.gif_bytes / 1e6, out.seconds)
    return out
