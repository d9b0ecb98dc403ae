"""GAN Lab through the running app (gradio_client): streaming, the harness's controls, validation, downloads."""

from __future__ import annotations

import json

import pytest
from gradio_client.exceptions import AppError

from tabs.harness.i18n import t
from tests.app.streams import CANARY, step_in, wait_for_step
from tests.app import streams

TINY = dict(data="ring8", loss="ns", optimizer="adam", lr_g=1e-3, lr_d=1e-3, d_steps=1, latent_dim=8, width=32,
            depth=2, batch_size=64, arch="mlp", steps=400, seed=0, lang="en")


def test_start_streams_several_updates(client):
    frames = list(client.submit(**TINY, api_name="/gan_start"))
    assert len(frames) > 1, "the training loop should stream more than one update"
    status, coverage, plane, _image, losses, _d_out = frames[-1][:6]
    assert status.startswith("✓ Done: step 400")
    assert "Modes covered" in coverage
    fig = json.loads(plane["plot"])
    assert [tr["type"] for tr in fig["data"]] == ["heatmap", "scatter", "scatter"]
    assert len(fig["data"][2]["x"]) == 1000  # the fixed-noise points
    steps = json.loads(losses["plot"])["data"][0]["x"]
    assert steps[-1] == 400 and steps == sorted(steps)


def test_stop_ends_even_the_largest_gan_and_says_where(client):
    """Stop acts at the run's next yield, inside even a long update (tests/unit/test_live.py checks that exactly);
    here, through the app, its answer says where the run stopped and no later frame overwrites it."""
    own = streams.connect(client.src)
    big = dict(TINY, width=768, depth=6, batch_size=2048, d_steps=3, steps=1_000_000)  # seconds per update
    job = own.submit(**big, api_name="/gan_start")
    wait_for_step(job, 1)
    status = own.predict(lang="en", api_name="/gan_stop")[0]
    assert status.startswith("■ Stopped at step"), status
    job.result(timeout=CANARY)  # the stream ends by itself
    assert job.outputs()[-1][0] == status and 1 <= step_in(status) < big["steps"]


def test_bad_values_are_clear_errors_in_the_users_language(client):
    with pytest.raises(AppError, match="Learning rate of G must be a number greater than 0 and at most 1"):
        client.predict(**dict(TINY, lr_g=0), api_name="/gan_start")
    with pytest.raises(AppError, match=r"Steps \(G updates\) must be a whole number from 1 to 1,000,000"):
        client.predict(**dict(TINY, steps=0), api_name="/gan_start")
    with pytest.raises(AppError, match=r"must be a whole number .* \(got 2.5\)"):
        client.predict(**dict(TINY, seed=2.5), api_name="/gan_start")
    with pytest.raises(AppError, match="phải là một số lớn hơn 0"):
        client.predict(**dict(TINY, lr_d=-1, lang="vi"), api_name="/gan_start")


def test_divergence_is_reported_not_drawn_as_nan(client):
    own = streams.connect(client.src)
    frames = list(own.submit(**dict(TINY, optimizer="sgd", lr_g=1.0, lr_d=1.0, loss="lsgan", width=256, depth=4,
                                    steps=3000), api_name="/gan_start"))
    last = frames[-1]
    assert "diverged at step" in last[0]
    for fig in last[1:]:
        if isinstance(fig, dict) and "plot" in fig:
            assert "NaN" not in fig["plot"]


def test_preset_fills_controls(client):
    values = client.predict("mode_collapse", api_name="/gan_preset")
    assert values[0] == "ring8" and values[7] == 2  # data, d_steps


def test_single_step_export_and_reset(client):
    own = streams.connect(client.src)  # a fresh browser session of its own
    with pytest.raises(AppError, match="Nothing trained yet"):
        own.predict(lang="en", api_name="/gan_export")
    first = own.predict(**TINY, api_name="/gan_step")
    assert first[0].startswith("‖ Paused at step 1 ")
    second = own.predict(**TINY, api_name="/gan_step")
    assert second[0].startswith("‖ Paused at step 2 ")
    paths = own.predict(lang="en", api_name="/gan_export")
    names = sorted(p.rsplit("/", 1)[-1] for p in paths)
    assert names == ["generator-ring8-step2.safetensors", "history-ring8-step2.csv"]
    own.predict(lang="en", api_name="/gan_reset")
    with pytest.raises(AppError, match="Nothing trained yet"):
        own.predict(lang="en", api_name="/gan_export")
    # another session never saw this one's model
    with pytest.raises(AppError, match="Nothing trained yet"):
        streams.connect(client.src).predict(lang="en", api_name="/gan_export")


def test_a_reset_withdraws_a_start_clicked_before_it(client):
    """Reset, like Stop, carries the page's clock: a Start clicked before it and handled after it does not run."""
    own = streams.connect(client.src)
    own.predict(lang="en", page=2_000_000.0, api_name="/gan_reset")
    answer = own.predict(**TINY, page=1_000_000.0, api_name="/gan_start")
    assert answer[0] == t("live.withdrawn", "en")
    with pytest.raises(AppError, match="Nothing trained yet"):
        own.predict(lang="en", api_name="/gan_export")
