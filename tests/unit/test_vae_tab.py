"""The VAE Explorer's tab pieces without a browser: the figures' layout (equal aspect of the latent plane), the
anomaly result's provenance and language, and the slide export."""

from __future__ import annotations

import pytest

from playground import vae as core
from tabs.vae import figures as fig
from tabs.vae import session


@pytest.fixture(scope="module")
def shipped():
    return session.VaeSession()


def _equal_aspect(figure) -> bool:
    y = figure.layout.yaxis
    return y.scaleanchor == "x" and (y.scaleratio is None or y.scaleratio == 1)


@pytest.mark.parametrize("model", ["vae", "ae"])
def test_the_latent_scatter_is_drawn_at_equal_aspect(shipped, model):
    """A 1-sigma ellipse is drawn with its true shape only when a unit of z1 is as long as a unit of z0."""
    net = getattr(shipped, model)
    figure = fig.scatter_figure(net, shipped.test, core.GridSpec(), "en")
    assert _equal_aspect(figure), figure.layout.yaxis


def test_the_reparameterization_plane_is_drawn_at_equal_aspect(shipped):
    r = core.reparameterization_demo(shipped.vae, shipped.test.x[0], seed=0)
    assert _equal_aspect(fig.reparam_figure(r, "en"))
