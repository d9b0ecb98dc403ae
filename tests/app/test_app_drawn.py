"""Drawn data through the running app (gradio_client): the GAN Lab and Generative vs Discriminative train on a drawing's
code given as their data setting, and a damaged code or a one-colour drawing for the classifiers is a clear message
in the user's language."""

from __future__ import annotations

import json

import numpy as np
import pytest
from gradio_client.exceptions import AppError

from playground.data import drawn
from tests.app.test_app_genvsdisc import GVD_TINY, args

TINY = dict(loss="ns", optimizer="adam", lr_g=1e-3, lr_d=1e-3, d_steps=1, latent_dim=8, width=32, depth=2,
            batch_size=64, arch="mlp", steps=60, seed=0, lang="en")
# two colours (classes 0 and 2), three points each, lower left and upper right
CODE = drawn.encode(np.array([[-1.5, -1.0], [-1.2, -0.8], [-1.0, -1.4], [1.4, 1.0], [1.1, 1.5], [1.6, 1.3]]),
                    [0, 0, 0, 2, 2, 2])


def test_a_gan_run_trains_on_a_drawing_and_measures_its_colours_as_modes(client):
    frames = list(client.submit(**TINY, data=CODE, api_name="/gan_start"))
    status, coverage, plane = frames[-1][:3]
    assert status.startswith("✓ Done: step 60")
    assert "Modes covered" in coverage and "/ 2**" in coverage and "drawn point" in coverage
    real = json.loads(plane["plot"])["data"][1]  # the real points drawn under the samples: the drawing's
    xs, ys = np.array(real["x"]), np.array(real["y"])
    assert len(xs) > 100 and ((np.abs(xs - -1.23) < 0.5) & (np.abs(ys - -1.07) < 0.5)).mean() > 0.3
    assert (np.abs(xs) < 2.6).all() and (np.abs(ys) < 2.6).all()


@pytest.mark.parametrize("lang, code, words", [
    ("en", "d1.", "Draw at least 3 points"),
    ("en", "drawn", "Draw at least 3 points"),
    ("vi", "d1.AAA", "Hãy vẽ ít nhất 3 điểm"),
    ("en", "d1.#!", "The drawn data cannot be read: .*only letters"),
    ("vi", "d1.ABCDE", "Không đọc được dữ liệu đã vẽ"),
])
def test_a_bad_drawing_is_a_clear_message_for_the_gan(client, lang, code, words):
    with pytest.raises(AppError, match=words):
        client.predict(**dict(TINY, data=code, lang=lang), api_name="/gan_start")


def test_gen_vs_disc_classifies_a_drawing_s_colours(client):
    values = args(client, "/gvd_start", **GVD_TINY, **{"Data set": CODE})
    frames = list(client.submit(*values, api_name="/gvd_start"))
    status, metrics = frames[-1][:2]
    assert "Done" in status and "LDA" in metrics
    plane = json.loads([f[2] for f in frames if isinstance(f[2], dict) and f[2].get("plot")][-1]["plot"])
    assert [tr["type"] for tr in plane["data"]].count("image") == 4


@pytest.mark.parametrize("lang, code, words", [
    ("en", drawn.encode(np.array([[0.0, 0.0], [1.0, 1.0], [-1.0, 1.0]]), [1, 1, 1]), "at least 2 classes"),
    ("vi", drawn.encode(np.array([[0.0, 0.0], [1.0, 1.0], [-1.0, 1.0]]), [3, 3, 3]), "ít nhất 2 lớp"),
    ("en", "d1.", "Draw at least 3 points"),
])
def test_gen_vs_disc_refuses_one_colour_and_an_empty_drawing(client, lang, code, words):
    with pytest.raises(AppError, match=words):
        client.predict(*args(client, "/gvd_start", lang=lang, **{"Data set": code}), api_name="/gvd_start")
