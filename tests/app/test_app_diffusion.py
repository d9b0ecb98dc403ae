"""Diffusion Lab through the running app (gradio_client): a 2-D run streams and scrubs, the sampler redraws from the
same model, quality against steps is measured, the digits explorer redraws from the same noise, and bad values are
clear messages in the user's language."""

from __future__ import annotations

import json

import numpy as np
import pytest
from gradio_client.exceptions import AppError

from playground.data import drawn
from tests.app import streams
from tests.app.streams import CANARY, wait_for_step

TINY = dict(data="ring8", objective="ddpm", schedule="linear", sampler="ddim", sample_steps=20, lr=2e-3, width=32,
            depth=2, batch_size=128, ema=0.0, steps=150, seed=0, lang="en")


def _plot(value) -> dict:
    return json.loads(value["plot"])


def _samples(fig: dict) -> np.ndarray:
    tr = next(d for d in fig["data"] if d.get("name") in ("samples", "mẫu"))
    return np.stack([tr["x"], tr["y"]], 1)


@pytest.fixture(scope="module")
def trained(client):
    """A session of its own with a finished tiny run: (client, last frame)."""
    own = streams.connect(client.src)
    frames = list(own.submit(**TINY, api_name="/diffusion_start"))
    return own, frames


def test_a_run_streams_and_draws_samples_paths_and_the_field(trained):
    own, frames = trained
    assert len(frames) > 1
    status, coverage, reverse, forward, loss = frames[-1][:5]
    assert status.startswith("✓ Done: step 150")
    assert "Modes covered" in coverage and "20 steps = 20 network evaluations" in coverage
    fig = _plot(reverse)
    assert [d["name"] for d in fig["data"]] == ["real", "field", "paths", "samples"]
    assert len(_samples(fig)) == 1000  # the fixed noise's samples
    assert "t = 0.00" in fig["layout"]["title"]["text"]
    steps = _plot(loss)["data"][0]["x"]
    assert steps[-1] == 150 and steps == sorted(steps)


def test_the_time_slider_scrubs_from_noise_to_the_samples(trained):
    own, frames = trained
    at_end = _samples(_plot(frames[-1][2]))
    noise, noised = own.predict(t=1.0, lang="en", api_name="/diffusion_scrub")
    at_noise = _samples(_plot(noise))
    assert "t = 1.00" in _plot(noise)["layout"]["title"]["text"]
    assert 0.8 < at_noise.std() < 1.2  # x at t = 1 is the standard normal noise the samples started from
    assert not np.allclose(at_noise, at_end)
    forward = _plot(noised)["data"][1]
    assert 0.8 < np.std(forward["x"]) < 1.2  # the data noised to t = 1: noise too
    back, _ = own.predict(t=0.0, lang="en", api_name="/diffusion_scrub")
    assert np.allclose(_samples(_plot(back)), at_end)  # scrubbing back shows the same samples: nothing resampled
    with pytest.raises(AppError, match="Value 1.5 is greater than maximum value 1"):
        own.predict(t=1.5, lang="en", api_name="/diffusion_scrub")


def test_another_sampler_redraws_from_the_same_model_and_noise(trained):
    own, frames = trained
    reverse, _, coverage = own.predict(sampler="euler", sample_steps=20, lang="en",
                                       api_name="/diffusion_resample_sampler")
    assert "Euler (ODE), 20 steps" in coverage
    again, _, _ = own.predict(sampler="euler", sample_steps=20, lang="en", api_name="/diffusion_resample_sampler")
    assert np.allclose(_samples(_plot(reverse)), _samples(_plot(again)))  # deterministic: the same noise
    one, _, coverage = own.predict(sampler="ddim", sample_steps=1, lang="vi", api_name="/diffusion_resample_sample_steps")
    assert "1 bước = 1 lần gọi mạng" in coverage
    with pytest.raises(AppError, match="Value 0 is less than minimum value 1"):
        own.predict(sampler="ddim", sample_steps=0, lang="en", api_name="/diffusion_resample_sample_steps")


def test_quality_against_steps_is_measured_on_the_model_on_screen(trained):
    own, _ = trained
    fig, note = own.predict(sampler="ddim", lang="en", api_name="/diffusion_quality")
    data = _plot(fig)["data"]
    assert data[0]["x"] == [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]
    assert all(0 <= y <= 1 for y in data[0]["y"] + data[1]["y"])
    assert "step 150" in note and "ms per sample at 1000 steps" in note


def test_downloads_hold_the_denoiser_and_its_history(trained):
    own, _ = trained
    paths = own.predict(lang="en", api_name="/diffusion_export")
    names = sorted(p.rsplit("/", 1)[-1] for p in paths)
    assert names == ["denoiser-ring8-ddpm-step150.safetensors", "history-ring8-ddpm-step150.csv"]
    lines = open(paths[[p.endswith(".csv") for p in paths].index(True)]).read().splitlines()
    assert lines[0] == "step,loss,elapsed" and len(lines) == 151


def test_slides_of_the_reverse_process(trained):
    from PIL import Image

    own, _ = trained
    own.predict(sampler="ddim", sample_steps=20, lang="en", api_name="/diffusion_resample_sampler")
    files = own.predict(lang="vi", api_name="/diffusion_film")["value"]
    paths = [f["path"] if isinstance(f, dict) else f for f in files]
    gif = next(p for p in paths if p.endswith(".gif"))
    assert any(p.endswith(".png") for p in paths)
    with Image.open(gif) as im:
        assert im.n_frames == 21  # the kept states of 20 DDIM steps, t = 1 ... 0


def test_bad_values_are_clear_errors_in_the_users_language(client):
    with pytest.raises(AppError, match="Learning rate must be a number greater than 0"):
        client.predict(**dict(TINY, lr=0), api_name="/diffusion_start")
    with pytest.raises(AppError, match=r"Value 1001 is greater than maximum value 1000"):
        client.predict(**dict(TINY, sample_steps=1001), api_name="/diffusion_start")
    with pytest.raises(AppError, match="Số bước huấn luyện phải là một số nguyên"):
        client.predict(**dict(TINY, steps=0, lang="vi"), api_name="/diffusion_start")
    with pytest.raises(AppError, match="Nothing trained yet"):
        streams.connect(client.src).predict(lang="en", api_name="/diffusion_export")


def test_stop_says_where_and_a_drawing_trains_too(client):
    own = streams.connect(client.src)
    code = drawn.encode(np.array([[-1.5, -1.0], [-1.2, -0.8], [-1.0, -1.4], [1.4, 1.0], [1.1, 1.5], [1.6, 1.3]]),
                        [0, 0, 0, 2, 2, 2])
    job = own.submit(**dict(TINY, data=code, steps=1_000_000), api_name="/diffusion_start")
    wait_for_step(job, 1)
    status = own.predict(lang="en", api_name="/diffusion_stop")[0]
    assert status.startswith("■ Stopped at step"), status
    job.result(timeout=CANARY)
    coverage = job.outputs()[-1][1]
    assert "/ 2**" in coverage  # the drawing's two colours are its modes
    with pytest.raises(AppError, match="Draw at least 3 points"):
        own.predict(**dict(TINY, data="d1."), api_name="/diffusion_start")


DIGITS = dict(model="shipped", guidance=3.0, steps=20, sampler="ddim", seed=0, label=7)


def test_digits_redraw_from_the_same_noise_and_guidance_raises_agreement(client):
    grid3, strip, readout3 = client.predict(**DIGITS, lang="en", api_name="/diffusion_digits_draw")
    again = client.predict(**DIGITS, lang="en", api_name="/diffusion_digits_draw")
    assert np.array_equal(_image(grid3), _image(again[0]))  # the same seed: the same noise, the same grid
    _, _, readout0 = client.predict(**dict(DIGITS, guidance=0.0), lang="vi", api_name="/diffusion_digits_draw")
    assert "guidance 3, 20 steps, 2,560 network evaluations" in readout3  # 64 samples x 20 steps x 2 (guided)
    assert "hướng dẫn 0, 20 bước, 1,280 lần gọi mạng" in readout0 or "1.280" in readout0
    assert _share(readout3) > _share(readout0)
    assert _image(strip).shape[1] > 5 * _image(strip).shape[0]  # a strip: x_T ... x_0 side by side


def test_digits_bad_values_and_no_model_of_ones_own(client):
    own = streams.connect(client.src)
    with pytest.raises(AppError, match="Value 9 is greater than maximum value 8"):
        own.predict(**dict(DIGITS, guidance=9), lang="en", api_name="/diffusion_digits_draw")
    with pytest.raises(AppError, match="Chưa có mô hình huấn luyện tại đây"):
        own.predict(**dict(DIGITS, model="mine"), lang="vi", api_name="/diffusion_digits_draw")


def _image(value) -> np.ndarray:
    from PIL import Image

    path = value["path"] if isinstance(value, dict) else value
    return np.asarray(Image.open(path))


def _share(readout: str) -> float:
    import re

    return float(re.search(r"(\d+)%", readout).group(1)) / 100


def test_a_digit_model_trained_here_streams_its_grid_then_the_explorer_draws_from_it(client):
    own = streams.connect(client.src)
    frames = list(own.submit(steps=40, seed=0, lang="en", api_name="/diffusion_digits_start"))
    status, grid, readout = frames[-1][:3]
    assert status.startswith("✓ Done: step 40"), status
    assert grid is not None and "training step 40" in readout and "fixed noise, guidance 3" in readout
    _, _, mine = own.predict(**dict(DIGITS, model="mine"), lang="en", api_name="/diffusion_digits_draw")
    assert "trained here" in mine
    with pytest.raises(AppError, match="Training steps must be a whole number from 1"):
        own.predict(steps=0, seed=0, lang="en", api_name="/diffusion_digits_start")


def test_a_replay_shows_the_recorded_run_and_says_what_it_cannot_do(client):
    import dataclasses

    from playground.diffusion import toy

    own = streams.connect(client.src)
    default = {k: v for k, v in dataclasses.asdict(toy.preset_config("default")).items() if k != "device"}
    frames = list(own.submit(**default, lang="en", speed="instant", api_name="/diffusion_replay"))
    status, coverage, reverse = frames[-1][:3]
    assert status.startswith("✓ End of the **replay of a recorded run**"), status
    assert "Modes covered: 8 / 8" in coverage
    names = [d["name"] for d in _plot(reverse)["data"]]
    assert names == ["real", "paths", "samples"]  # no field: a recording has no network
    fig, note = own.predict(sampler=default["sampler"], lang="en", api_name="/diffusion_quality")
    assert _plot(fig)["data"][0]["x"][-1] == 1000  # the quality measured when it was recorded
    with pytest.raises(AppError, match="A replay carries the samples, not the network"):
        own.predict(sampler="euler", sample_steps=20, lang="en", api_name="/diffusion_resample_sampler")
    with pytest.raises(AppError, match="A replay carries the samples, not the network"):
        own.predict(lang="en", api_name="/diffusion_export")
