"""The VAE Explorer's tab pieces without a browser: the figures' layout (equal aspect of the latent plane), the
anomaly result's provenance and language, and the slide export."""

from __future__ import annotations

import json

import pytest

from playground import vae as core
from tabs.vae import figures as fig
from tabs.vae import session


@pytest.fixture(scope="module")
def shipped():
    return session.VaeSession()


def _equal_aspect(figure) -> bool:
    """A plotly figure (or the plain JSON that ``gr.Plot`` takes) whose y axis is scaled as its x axis."""
    layout = json.loads(figure.plot)["layout"] if hasattr(figure, "plot") else figure.to_plotly_json()["layout"]
    y = layout["yaxis"]
    return y.get("scaleanchor") == "x" and y.get("scaleratio", 1) == 1


@pytest.mark.parametrize("model", ["vae", "ae"])
def test_the_latent_scatter_is_drawn_at_equal_aspect(shipped, model):
    """A 1-sigma ellipse is drawn with its true shape only when a unit of z1 is as long as a unit of z0."""
    net = getattr(shipped, model)
    figure = fig.scatter_figure(net, shipped.test, core.GridSpec(), "en")
    assert _equal_aspect(figure), figure.layout.yaxis


def test_the_reparameterization_plane_is_drawn_at_equal_aspect(shipped):
    r = core.reparameterization_demo(shipped.vae, shipped.test.x[0], seed=0)
    assert _equal_aspect(fig.reparam_figure(r, "en"))


def test_the_slide_png_grid_fills_the_frame_height(shipped):
    """The exported still (1920 x 1080): the digit grid spans at least 80 % of the frame's height."""
    from types import SimpleNamespace

    import numpy as np
    from PIL import Image

    from tabs.harness import film
    from tabs.vae import slides

    the_film = film.Film(cap=4)
    grab = slides.capture(shipped)
    the_film.offer(lambda: grab(SimpleNamespace(epoch=3, step=120)))
    png = next(p for p in slides.export(the_film, "en").files if p.endswith(".png"))
    dark = np.asarray(Image.open(png).convert("L")) < 64  # the grid's black background (the texts are thin)
    h, w = dark.shape
    cols = dark.mean(axis=0) > 0.3  # the grid's columns: dark over much of the height (a text's, over a line)
    rows = np.nonzero(dark[:, cols].mean(axis=1) > 0.6)[0]  # the rows that cross the grid
    assert (w, h) == film.STILL
    assert (rows[-1] - rows[0] + 1) / h >= 0.8, (rows[0], rows[-1], h)
