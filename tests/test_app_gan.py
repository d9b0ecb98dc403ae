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
    assert values[0] == "ring8" and values[7] == 2  # data, d_steps


def test_single_step_export_and_reset(client, tmp_path):
    from gradio_client import Client

    own = Client(client.src, verbose=False)  # a fresh browser session of its own
    with pytest.raises(AppError, match="Nothing trained yet"):
        own.predict("en", api_name="/gan_export")
    first = own.predict(*TINY, api_name="/gan_step")
    assert "now at step 1" in first[0]
    second = own.predict(*TINY, api_name="/gan_step")
    assert "now at step 2" in second[0]
    paths = own.predict("en", api_name="/gan_export")
    names = sorted(p.rsplit("/", 1)[-1] for p in paths)
    assert names == ["generator-ring8-step2.safetensors", "history-ring8-step2.csv"]
    own.predict("en", api_name="/gan_reset")
    with pytest.raises(AppError, match="Nothing trained yet"):
        own.predict("en", api_name="/gan_export")
    # another session never saw this one's model
    with pytest.raises(AppError, match="Nothing trained yet"):
        Client(client.src, verbose=False).predict("en", api_name="/gan_export")
