"""GAN Lab through the running app (gradio_client): streaming, validation, downloads."""

from __future__ import annotations

import json

import pytest
from gradio_client.exceptions import AppError

# data, loss, optimizer, lr_g, lr_d, beta1, beta2, d_steps, latent, width, depth, batch, arch, gp, steps, seed, lang
TINY = ["ring8", "ns", "adam", 1e-3, 1e-3, 0.5, 0.999, 1, 8, 32, 2, 64, "mlp", 10.0, 400, 0, "en"]


def test_start_streams_several_updates(client):
    job = client.submit(*TINY, api_name="/gan_start")
    frames = list(job)
    assert len(frames) > 1, "the training loop should stream more than one update"
    status, coverage, plane, _image, losses, _d_out = frames[-1][:6]  # buttons are not API outputs
    assert "400" in status and "Done" in status
    assert "Modes covered" in coverage
    fig = json.loads(plane["plot"])
    assert [tr["type"] for tr in fig["data"]] == ["heatmap", "scatter", "scatter"]
    assert len(fig["data"][2]["x"]) == 1000  # the fixed-noise points
    steps = json.loads(losses["plot"])["data"][0]["x"]
    assert steps[-1] == 400 and steps == sorted(steps)


def test_bad_learning_rate_is_a_clear_error(client):
    bad = list(TINY)
    bad[3] = 0  # lr_g
    with pytest.raises(AppError, match="Learning rate of G must be greater than 0"):
        client.predict(*bad, api_name="/gan_start")
    bad = list(TINY)
    bad[14] = 0  # steps
    with pytest.raises(AppError, match=r"Steps \(G updates\) must be between 1 and 1000000"):
        client.predict(*bad, api_name="/gan_start")


def test_vietnamese_error(client):
    bad = list(TINY)
    bad[4], bad[-1] = -1, "vi"
    with pytest.raises(AppError, match="phải lớn hơn 0"):
        client.predict(*bad, api_name="/gan_start")


def test_preset_fills_controls(client):
    values = client.predict("mode_collapse", api_name="/gan_preset")
    assert values[1] == "minimax" and values[0] == "ring8"
