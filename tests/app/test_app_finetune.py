"""Fine-tuning Lab through the running app (gradio_client): the race and the size sweep on the live-run harness
(Start / Step / Stop), the table in %, the CSV, errors in the user's language, a seed that reproduces."""

from __future__ import annotations

import csv
import json
import math

import httpx
import pytest
import torch
from gradio_client.exceptions import AppError

from tests.app.streams import wait_for
from tests.app import streams

# a tiny race: 32 BBC texts, 16 test texts, 2 steps per strategy
TINY = dict(data="bbc", strategies=["feature_extraction", "lora"], limit=32, test_limit=16, batch_size=16,
            max_length=32, lora_r=4, lora_alpha=8, seed=0, lang="en")
SHARED = {k: v for k, v in TINY.items() if k not in ("strategies", "limit")}  # what the sweep reads too
FE, LORA = "Feature extraction (head only)", "LoRA (peft)"


def _plot(value) -> dict:
    return json.loads(value["plot"])


@pytest.fixture(scope="module")
def race_client(client):
    own = streams.connect(client.src)
    return own, list(own.submit(**TINY, api_name="/ft_start"))


@pytest.fixture(scope="module")
def race_frames(race_client):
    return race_client[1]


def test_race_streams_and_ends_with_a_table_in_percent(race_frames):
    assert len(race_frames) > 2, "the race should stream updates while it trains"
    status, loss_plot, acc_plot, table, params_plot, csv_path = race_frames[-1][:6]
    assert status.startswith("✓ Done: 2 strategies in") and "cpu" in status.lower(), status
    assert "± " in status  # the best strategy's accuracy comes with its interval
    loss = _plot(loss_plot)
    assert {tr["name"].replace("<br>", " ") for tr in loss["data"]} == {FE, LORA}  # long names break in two
    assert all(tr["x"][-1] == 2 for tr in loss["data"])  # 32 texts / 16 per step
    acc = _plot(acc_plot)
    assert all(0 <= y <= 100 for tr in acc["data"] for y in tr["y"])  # percent, not a fraction
    assert all("error_y" in tr for tr in acc["data"])
    lo, hi = acc["layout"]["yaxis"]["range"]
    assert 0 <= lo < hi <= 101 and acc["layout"]["yaxis"]["ticksuffix"] == "%"
    assert table["headers"][:5] == ["strategy", "trainable params", "% trainable", "test accuracy %",
                                    "95% interval (points)"]
    rows = {r[0]: r for r in table["data"]}
    assert set(rows) == {FE, LORA}
    assert rows[FE][1] == "1,925"  # 384 * 5 + 5: the 5-class head only
    assert 0 <= float(rows[FE][3]) <= 100 and rows[FE][4].startswith("±")
    bubbles = _plot(params_plot)
    assert len(bubbles["data"]) == 2 and bubbles["layout"]["yaxis"]["tickformat"] == ".0f"
    with open(csv_path) as f:
        lines = list(csv.DictReader(f))
    assert [r["strategy"] for r in lines] == ["feature_extraction", "lora"]
    assert {"trainable", "total", "pct", "train_s", "samples_per_s", "peak_mem_mb", "test_acc", "n_test",
            "mem_kind", "drift"} <= set(lines[0])
    assert int(lines[1]["trainable"]) == 6 * 2 * (384 * 4 * 2) + 1925  # LoRA r=4 on query and value
    assert float(rows[LORA][3]) == round(100 * float(lines[1]["test_acc"]), 1)


def test_redraw_against_seconds_and_in_vietnamese_without_training(race_client):
    own, frames = race_client
    out = own.predict(xaxis="time", lang="vi", api_name="/ft_redraw")
    status, loss = out[0], _plot(out[1])
    assert status.startswith("✓ Xong: 2 chiến lược")
    assert loss["layout"]["xaxis"]["title"]["text"] == "giây"
    steps = _plot(frames[-1][1])["data"][0]["x"]
    assert len(loss["data"][0]["x"]) == len(steps) and loss["data"][0]["x"] != steps
    assert out[3]["headers"][3] == "độ chính xác kiểm tra %"


def test_a_seed_reproduces_the_table(client):
    one = dict(TINY, strategies=["bitfit"], limit=16, batch_size=8, seed=3)
    first = streams.connect(client.src).predict(**one, api_name="/ft_start")
    again = streams.connect(client.src).predict(**one, api_name="/ft_start")
    assert first[3]["data"][0][3] == again[3]["data"][0][3]  # test accuracy %
    assert _plot(first[1])["data"][0]["y"] == _plot(again[1])["data"][0]["y"]  # every loss point


def test_empty_table_has_headers_before_any_run(client, demo):
    table = next(b for b in demo.blocks.values() if getattr(b, "elem_id", None) == "ft-table")
    assert table.value["headers"][:2] == ["strategy", "trainable params"] and table.value["data"] in ([], [[]])
    by_id = {b.elem_id: b for b in demo.blocks.values() if getattr(b, "elem_id", None)}
    assert by_id["ft-lora-dropout"].value == 0  # the knob's default: above 0 the GPU fast path is off
    from playground import finetune as core

    assert [c[1] for c in by_id["ft-strategies"].choices] == list(core.REGISTRY)  # bitfit, from_scratch included


def test_stop_says_where_it_stopped_and_the_table_holds_only_this_race(client):
    own = streams.connect(client.src)
    own.predict(**dict(TINY, strategies=["feature_extraction"]), api_name="/ft_start")  # a previous race
    # nothing to stop after the end (and the client's first call of an endpoint is not what is timed below)
    assert own.predict(lang="en", api_name="/ft_stop")[0].startswith("✓ Done: **Feature extraction (head only)** in ")
    job = own.submit(**dict(TINY, strategies=["full", "lora"], limit=400, epochs=5, batch_size=8),
                     api_name="/ft_start")
    wait_for(job, "step")
    status = own.predict(lang="en", api_name="/ft_stop")[0]
    assert status.startswith("■ Stopped at Full fine-tuning, step ") and "(strategy 1 of 2)" in status, status
    job.result(timeout=15)  # the stream ends by itself
    for frame in job.outputs():
        table, acc = frame[3], frame[2]
        if isinstance(table, dict) and "data" in table:
            assert all(row[0] != FE for row in table["data"]), "a previous race's row beside the new one"
        if isinstance(acc, dict) and "plot" in acc:
            lo, hi = _plot(acc)["layout"]["yaxis"]["range"]
            assert 0 <= lo < hi <= 101


def test_step_advances_one_report_and_pauses(client):
    own = streams.connect(client.src)
    first = own.predict(**dict(TINY, strategies=["feature_extraction"]), api_name="/ft_step")
    assert first[0].startswith("‖ Paused at"), first[0]
    status = own.predict(lang="en", api_name="/ft_pause_resume")  # resume: runs to the end
    assert status[0].startswith("✓ Done: **Feature extraction (head only)** in "), status[0]
    assert own.predict(lang="en", api_name="/ft_stop")[0].startswith("✓ Done")  # nothing left to stop


@pytest.mark.parametrize("change, message", [
    (dict(strategies=[]), "Choose at least one strategy"),
    (dict(strategies=["nope"]), "is not in the list of choices"),  # Gradio's own check
    (dict(lr=-0.1), "Learning rate (0 = per-strategy default) must be a number greater than 0 and at most 1"),
    (dict(limit=3), "Training texts (0 = device default) must be a whole number from 8 to 10,000,000"),
    (dict(batch_size=-2), "Batch size (0 = device default) must be a whole number from 1 to 4,096"),
    (dict(max_length=1e308), "must be a whole number from 8 to 512 (or 0 for automatic) (got 1e+308)"),
    (dict(seed=2.5), "Seed must be a whole number from 0 to 2,147,483,647 (got 2.5)"),
    (dict(test_limit="abc"), "expected a number, got 'abc'"),
    (dict(freeze_k=10), "must be at most 6: the model has 6 layers"),
    (dict(lora_targets=[]), "LoRA needs at least one target module"),
    (dict(epochs=0), "Epochs must be a whole number from 1 to 100"),
    (dict(lang="vi", strategies=[]), "Hãy chọn ít nhất một chiến lược"),
    (dict(lang="vi", lora_r=0), "Hạng LoRA r phải là một số nguyên từ 1 đến 256"),
])
def test_bad_inputs_are_clear_errors(client, change, message):
    with pytest.raises(AppError) as e:
        client.predict(**dict(TINY, **change), api_name="/ft_start")
    assert message in str(e.value)


@pytest.mark.skipif(torch.cuda.is_available(), reason="the limit applies to CPU races only")
def test_cpu_race_size_is_capped(client):
    with pytest.raises(AppError, match="On the CPU at most 5,000 training texts"):
        client.predict(**dict(TINY, data="tweets", limit=6000), api_name="/ft_start")


def _raw_error(app_url: str, endpoint: str, **values) -> str:
    """Call an endpoint with a raw JSON body (gradio_client cannot send NaN); return its error message."""
    info = httpx.get(f"{app_url}/gradio_api/info", timeout=30).json()["named_endpoints"][endpoint]["parameters"]
    data = [values.get(p["parameter_name"], p.get("parameter_default")) for p in info]
    body = json.dumps({"data": data})  # allow_nan: NaN and Infinity tokens, as a JavaScript client may send
    r = httpx.post(f"{app_url}/gradio_api/call{endpoint}", content=body,
                   headers={"Content-Type": "application/json"}, timeout=30)
    events = httpx.get(f"{app_url}/gradio_api/call{endpoint}/{r.json()['event_id']}", timeout=60).text
    assert "event: error" in events, events[-500:]
    return json.loads(events.split("event: error\ndata: ", 1)[1].splitlines()[0])["error"]


@pytest.mark.parametrize("field", ["limit", "test_limit", "batch_size", "max_length", "lr", "seed", "epochs",
                                   "max_grad_norm", "freeze_k", "freeze_every", "lora_r", "lora_alpha",
                                   "weight_decay", "warmup", "lora_dropout", "prompt_tokens"])
@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_nan_and_infinity_in_every_number_field_get_a_message(app_url, field, bad):
    message = _raw_error(app_url, "/ft_start", **dict(TINY, **{field: bad}))
    # a slider's own range check answers infinity first (Gradio's words); everything else is the tab's message
    assert "must be" in message or "greater than maximum value" in message, (field, message)


def test_sweep_streams_accuracy_against_training_texts(client):
    own = streams.connect(client.src)
    frames = list(own.submit(**dict(SHARED, sweep_a="feature_extraction", sweep_b="bitfit", sizes=[25, 50],
                                    batch_size=8, repeats=2), api_name="/ft_sweep_start"))
    status, plot = frames[-1][:2]
    assert status.startswith("✓ Done: 8 points in"), status  # 2 strategies x 2 sizes x 2 seeds
    fig = _plot(plot)
    lines = [tr for tr in fig["data"] if tr.get("name")]
    dots = [tr for tr in fig["data"] if not tr.get("name")]
    assert [tr["x"] for tr in lines] == [[25, 50], [25, 50]]
    assert all(0 <= y <= 100 for tr in fig["data"] for y in tr["y"])
    # the spread over the seeds: each line point is the seeds' mean, its bar spans their lowest to highest
    for line, seeds in zip(lines, dots):
        for i, x in enumerate(line["x"]):
            ys = [y for xx, y in zip(seeds["x"], seeds["y"]) if xx == x]
            assert len(ys) == 2
            assert line["y"][i] == pytest.approx(sum(ys) / 2, abs=0.01)
            assert line["error_y"]["array"][i] == pytest.approx(max(ys) - line["y"][i], abs=0.02)
            assert line["error_y"]["arrayminus"][i] == pytest.approx(line["y"][i] - min(ys), abs=0.02)
    assert "2 seeds" in fig["layout"]["yaxis"]["title"]["text"]
    with pytest.raises(AppError, match="compares two different strategies"):
        own.predict(**dict(SHARED, sweep_a="full", sweep_b="full", sizes=[25]), api_name="/ft_sweep_start")
    with pytest.raises(AppError, match="at least one training-set size"):
        own.predict(**dict(SHARED, sweep_a="full", sweep_b="bitfit", sizes=[]), api_name="/ft_sweep_start")
    assert own.predict(lang="en", api_name="/ft_sweep_stop")[0].startswith("✓ Done")


def test_zerogpu_duration_grows_with_strategies_and_steps():
    from playground import finetune as core
    from tabs.finetune.session import race_duration

    bbc = core.FinetuneConfig(data="bbc", device="cpu")
    one, four = race_duration(bbc, ["full"]), race_duration(bbc, ["full"] * 4)
    assert one < four == race_duration(bbc, ["full", "lora", "bitfit", "feature_extraction"])
    assert race_duration(bbc, ["full"]) < race_duration(core.FinetuneConfig(data="bbc", epochs=3, device="cpu"),
                                                        ["full"])
    assert race_duration(core.FinetuneConfig(data="tweets", device="cpu"), ["full"] * 4) == 115  # the README's


def test_each_step_of_a_run_sees_the_request_context():
    """ZeroGPU reads the request from a context variable: the run's thread must see the copy made at Start."""
    import contextvars
    import threading

    from tabs.finetune.session import _in_context

    var = contextvars.ContextVar("request", default=None)

    def gen():
        for _ in range(3):
            yield var.get()

    var.set("visitor")
    ctx = contextvars.copy_context()
    seen = []
    th = threading.Thread(target=lambda: seen.extend(_in_context(ctx, gen)))
    th.start()
    th.join()
    assert seen == ["visitor"] * 3


def test_a_replay_keeps_the_records_as_a_live_race_does():
    """One record keeping for both: the replay's feed and the live race fill a session through ``begin`` and
    ``record``; a newer run's id leaves an older run's snapshots out."""
    from playground import finetune as core
    from playground import replay as recordings
    from playground.replay import recorders
    from tabs.finetune import replay
    from tabs.finetune.session import Race, RaceSession

    path = recordings.REPLAY_DIR / "ft-cpu_default.json.gz"
    if not path.exists():
        pytest.skip("no recording of the CPU default race")
    rec = recorders.load(str(path))
    race = Race(core.FinetuneConfig(device="cpu", freeze_k=3), tuple(rec.config["strategies"]))
    sess = RaceSession()
    snaps = list(replay.feed(sess, rec, race, "en"))
    assert len(snaps) == len(rec.frames) and sess.race is race and sess.chance == rec.extra["chance"]
    trained = [f for f in rec.frames if f.phase == "train"]
    assert sum(len(points) for points in sess.history.values()) == len(trained)
    assert [r["strategy"] for r in sess.results] == list(race.strategies)
    old = sess.race_id
    sess.begin(race)  # a newer run: empty records, and the old run's snapshots go nowhere
    assert sess.history == {s: [] for s in race.strategies} and sess.results == []
    sess.record(trained[0], old)
    assert sess.history[trained[0].strategy] == []
    sess.record(trained[0], sess.race_id)
    assert len(sess.history[trained[0].strategy]) == 1


def test_slides_export_after_a_replay(client):
    """A replay is filmed: "GIF + PNG for slides" (``/ft_film``) gives the GIF, PNG and SVG after it."""
    from playground import replay as recordings

    if not (recordings.REPLAY_DIR / "ft-cpu_default.json.gz").exists():
        pytest.skip("no recording of the CPU default race")
    own = streams.connect(client.src)
    frames = list(own.submit(lang="en", speed="instant", api_name="/ft_replay"))
    assert "End of the" in frames[-1][0], frames[-1][0]
    files = own.predict(lang="en", api_name="/ft_film")
    files = files["value"] if isinstance(files, dict) else files  # the update that also shows the box
    assert sorted(str(f).rsplit(".", 1)[-1] for f in files) == ["gif", "png", "svg"], files
