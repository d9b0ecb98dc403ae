"""Instant replays through the running app (gradio_client): a replay streams the recorded frames through the tab's
own figures, says it is a replay, obeys Stop, and exists only for the exact settings that were recorded."""

from __future__ import annotations

import json

import pytest
from gradio_client.exceptions import AppError

from playground import replay
from playground.gan import trainer as gan
from tests.app import streams
from tests.app.streams import CANARY, step_in, wait_for, wait_for_step

pytestmark = pytest.mark.skipif(not (replay.REPLAY_DIR / "gan-default.json.gz").exists(),
                                reason="the shipped GAN recordings are missing")


def _settings(preset: str) -> dict:
    """Every setting of a preset, by the API's parameter names (a setting left out takes the widget's value, which
    is the default preset's)."""
    from tabs.gan.session import LABELS

    config = gan.preset_config(preset)
    return {name: getattr(config, name) for name in LABELS}


DEFAULT = _settings("default")


@pytest.fixture()
def own(client):
    return streams.connect(client.src)


def test_a_replay_streams_the_recorded_run(own):
    """How a replay spreads its frames over its length is checked exactly on a manual clock
    (tests/unit/test_replay.py); its first-frame latency lives in benchmarks/bench_latency.py."""
    frames = list(own.submit(**DEFAULT, lang="en", speed="5", api_name="/gan_replay"))
    assert len(frames) >= 6, "the replay should stream several frames"
    status, coverage, plane, _image, losses, _d = frames[-1][:6]
    assert status.startswith("✓ End of the **replay of a recorded run** (seed 0, recorded 20"), status
    assert f"step {DEFAULT['steps']:,} " in status and "Modes covered" in coverage
    fig = json.loads(plane["plot"])
    assert len(fig["data"][2]["x"]) == gan.TOY_FIXED
    assert json.loads(losses["plot"])["data"][0]["x"][-1] > DEFAULT["steps"] - 20  # thinned to 400 points
    # nothing more to train in a replay: Resume says so, Start is the way to train
    with pytest.raises(AppError, match="end of its recording"):
        own.predict(lang="en", api_name="/gan_pause_resume")


def test_stop_ends_a_replay_and_says_so(own):
    job = own.submit(**DEFAULT, lang="vi", speed="20", api_name="/gan_replay")
    wait_for(job, "Phát lại")
    wait_for_step(job, 1, word="bước")
    status = own.predict(lang="vi", api_name="/gan_stop")[0]
    assert status.startswith("■ Đã dừng **phát lại một lần chạy đã ghi** tại bước"), status
    job.result(timeout=CANARY)
    assert 0 < step_in(status, "bước") < DEFAULT["steps"], "stopped part way"


def test_settings_without_a_recording_are_never_replayed(own):
    status = own.predict(**dict(DEFAULT, seed=1), lang="en", speed="instant", api_name="/gan_replay")[0]
    assert status.startswith("No recording of these exact settings") and "Default: ring of 8" in status  # the recordings by their presets
    status = own.predict(**dict(DEFAULT, lr_g=0.001), lang="vi", speed="instant", api_name="/gan_replay")[0]
    assert status.startswith("Không có bản ghi")


def test_step_goes_through_a_replay_one_recorded_frame_at_a_time(own):
    preset = _settings("mode_collapse")
    job = own.submit(**preset, lang="en", speed="20", api_name="/gan_replay")
    wait_for(job, "Replay of a recorded run")
    paused = own.predict(lang="en", api_name="/gan_pause_resume")[0]
    assert paused.startswith("‖ **Replay of a recorded run** paused at step"), paused
    stepped = own.predict(**preset, lang="en", api_name="/gan_step")[0]
    assert step_in(stepped) == step_in(paused) + preset["steps"] // 100, "Step shows the next recorded frame"
    own.predict(lang="en", api_name="/gan_stop")
    job.result(timeout=CANARY)


def test_a_transformer_lab_experiment_replays_at_once(own):
    from playground.lab import ln

    if not (replay.REPLAY_DIR / "lab_ln-default.json.gz").exists():
        pytest.skip("no Transformer Lab recording")
    c = ln.LnConfig()
    frames = list(own.submit(lang="en", n_layers=c.n_layers, lr=c.lr, warmup=c.warmup, steps=c.steps, seed=c.seed,
                             speed="instant", api_name="/lab_ln_replay"))
    status, losses, _grads, summary = frames[-1]
    assert status.startswith("✓ End of the **replay of a recorded run** (seed 0"), status
    assert len(json.loads(losses["plot"])["data"]) == 4 and summary


def test_generative_vs_discriminative_replays_its_default_run(own):
    from playground.genvsdisc import GvdConfig

    if not (replay.REPLAY_DIR / "gvd-default.json.gz").exists():
        pytest.skip("no recording of the default run")
    api = own.view_api(return_format="dict", print_info=False)["named_endpoints"]["/gvd_replay"]
    names = [p["parameter_name"] for p in api["parameters"]]
    c = GvdConfig()
    values = {n: getattr(c, n) for n in names if hasattr(c, n)}
    frames = list(own.submit(**values, lang="en", speed="instant", api_name="/gvd_replay"))
    status, metrics, plane, density, loss = frames[-1][:5]
    assert status.startswith("✓ End of the **replay of a recorded run** (seed 0"), status
    assert "|" in metrics and plane is not None and density is not None and loss is not None


def test_the_fine_tuning_default_race_replays_on_a_cpu(own):
    import torch

    if torch.cuda.is_available():
        pytest.skip("on a GPU the default race resolves to other sizes than the CPU recording")
    if not (replay.REPLAY_DIR / "ft-cpu_default.json.gz").exists():
        pytest.skip("no recording of the CPU default race")
    frames = list(own.submit(lang="en", speed="instant", api_name="/ft_replay"))  # every widget at its default
    status = frames[-1][0]
    assert status.startswith("✓ End of the **replay of a recorded run** (seed 0"), status
    table = frames[-1][3]
    assert len(table["data"]) == 4, "one row per strategy of the default race"
    status = own.predict(lang="en", speed="instant", limit=400, api_name="/ft_replay")[0]
    assert status.startswith("No recording of these exact settings")


def _on_cpu_with(name: str) -> None:
    import torch

    if torch.cuda.is_available():
        pytest.skip("on a GPU the defaults resolve to other sizes than the CPU recordings")
    if not (replay.REPLAY_DIR / f"{name}.json.gz").exists():
        pytest.skip(f"no recording {name}")


def test_the_fine_tuning_tab_opens_on_its_recorded_race_once(own):
    """Issue #25: the CPU default race is longer than a class should wait, so opening the tab shows its recording at
    once (the tab's select event, ``/ft_opened``); a session that has run something is left as it is."""
    _on_cpu_with("ft-cpu_default")
    frames = list(own.submit(lang="vi", speed="5", api_name="/ft_opened"))  # the opening ignores the length control
    status, table = frames[-1][0], frames[-1][3]
    assert status.startswith("✓ **Lần chạy đã ghi** với các thiết lập này: 4 chiến lược"), status
    assert status.endswith("**Bắt đầu** để huấn luyện thật."), status
    assert len(table["data"]) == 4, "one row per strategy of the default race"
    assert len(frames) <= 3, "at once: the status, then the whole recording"
    again = list(own.submit(lang="vi", speed="5", api_name="/ft_opened"))
    unchanged = {"__type__": "update"}  # what the client receives for an output left as it is
    assert len(again) <= 1 and all(f[0] == unchanged for f in again), "opening the tab again changes nothing"


def test_the_fine_tuning_tab_opens_on_nothing_for_other_settings(own):
    _on_cpu_with("ft-cpu_default")
    frames = list(own.submit(lang="en", limit=400, api_name="/ft_opened"))
    assert [f[0] for f in frames] == [{"__type__": "update"}], "no recording of 400 texts: nothing changes"
    status = own.predict(lang="en", limit=400, api_name="/ft_replay")[0]
    assert status.startswith("No recording of these exact settings"), status


def test_the_size_sweep_opens_on_its_recording_and_replays_it(own):
    from playground import finetune as core

    _on_cpu_with("ft_sweep-cpu_default")
    frames = list(own.submit(lang="en", api_name="/ft_sweep_opened"))  # the panel's expand event
    status, plot = frames[-1][0], json.loads(frames[-1][1]["plot"])
    assert status.startswith("✓ **Recorded run** of these settings: 24 points"), status
    xs = sorted({x for trace in plot["data"] for x in (trace.get("x") or []) if isinstance(x, (int, float))})
    assert set(core.SWEEP_SIZES) <= set(xs), f"every size of the default sweep is on the curve: {xs}"
    # the Replay button plays the same recording again, at its chosen length
    replayed = list(own.submit(lang="en", speed="instant", api_name="/ft_sweep_replay"))
    assert replayed[-1][0].startswith("✓ End of the **replay of a recorded run** (seed 0"), replayed[-1][0]
    assert json.loads(replayed[-1][1]["plot"]) == plot
