"""Transformer Lab through the running app (gradio_client): each experiment streams, answers, and refuses bad values."""

from __future__ import annotations

import json

import pytest
from gradio_client.exceptions import AppError
from tests.app import streams

TASKS = ["date_vi", "date_en", "reverse", "sort"]


@pytest.fixture()
def own(client):
    """A fresh browser session of its own (its own gr.State)."""
    return streams.connect(client.src)


def _plot(value) -> dict:
    return json.loads(value["plot"])


def test_seq2seq_trains_then_answers_with_its_attention_maps(own):
    with pytest.raises(AppError, match="Train the model first"):
        own.predict("date: April 3rd, 2021", 0, 0, "en", api_name="/lab_ask")
    frames = list(own.submit(lang="en", tasks=TASKS, steps=30, d_model=16, n_layers=1, lr=3e-3, seed=0,
                              api_name="/lab_seq2seq_start"))
    status, curves, samples = frames[-1]
    assert "Done" in status and "step 30 of 30" in status
    assert len(_plot(curves)["data"]) == 2 * len(TASKS)  # loss and exact match per task
    assert "Held-out examples" in samples
    _upto, cross, dec, enc, answer, _layer, _head = own.predict("reverse: abc", 0, 0, "en", api_name="/lab_ask")
    assert "Output" in answer and "Correct answer: `cba`" in answer
    z = _plot(cross)["data"][0]["z"]
    assert len(z[0]) == len("reverse: abc")  # one column per input character
    masked = _plot(dec)["data"][1]["z"]  # the grey layer over the future
    assert masked[0][1] == 1 and masked[1][0] is None
    assert len(_plot(enc)["data"]) == 1  # no mask in the encoder


def test_the_layer_and_head_sliders_span_the_model(own, client):
    """The sliders read layer 0-5 and head 0-15 for the default 2-layer 4-head model; they follow the model that
    answered (one layer: no layer to choose)."""
    from playground.lab import seq2seq

    cfg = seq2seq.Seq2SeqConfig()
    props = {c["props"].get("elem_id"): c["props"] for c in client.config["components"]}
    assert (props["lab-s2s-layer"]["maximum"], props["lab-s2s-head"]["maximum"]) == (cfg.n_layers - 1, cfg.n_heads - 1)
    list(own.submit(lang="en", tasks=["reverse"], steps=3, d_model=16, n_layers=1, lr=3e-3, seed=0,
                    api_name="/lab_seq2seq_start"))
    *_, cross, _dec, _enc, answer, layer, head = own.predict("reverse: abc", 1, 2, "en", api_name="/lab_ask")
    assert layer["visible"] is False and layer["value"] == 0, layer  # one layer: nothing to choose
    assert (head["maximum"], head["value"], head["visible"]) == (cfg.n_heads - 1, 2, True), head
    assert "layer 1 head 2 does not exist" in answer and "layer 0 head 2 is shown" in answer, answer
    assert "layer 0 head 2" in _plot(cross)["layout"]["title"]["text"]


def test_a_layer_or_head_beyond_the_model_is_said_not_silently_remapped():
    """Layer 4 head 12 of a 2-layer 4-head model silently showed layer 1 head 3."""
    from playground.lab import seq2seq
    from tabs.lab import figures
    from tabs.lab.layout import LabTab

    lab = seq2seq.Seq2SeqLab(seq2seq.Seq2SeqConfig(tasks=("reverse",), d_model=16, n_layers=2, steps=1))
    d = lab.answer("reverse: abc")
    cross, dec, enc, answer = figures.decoding_figures(d, 4, 12, 99, "vi")
    assert "không có lớp 4 đầu 12" in answer and "lớp 1 đầu 3" in answer, answer
    assert all("lớp 1 đầu 3" in fig.layout.title.text for fig in (cross, dec, enc))
    assert "⚠" not in figures.decoding_figures(d, 1, 3, 99, "en")[3]
    assert LabTab.model_shape(None, 99) == (6, 4)  # the settings' own limit
    layer, head = LabTab.slider_ranges(2, 4, 4, 12)
    assert (layer["maximum"], layer["value"], head["maximum"], head["value"]) == (1, 1, 3, 3)


def test_ln_runs_four_placements(own):
    status, losses, grads, summary = list(own.submit(lang="en", n_layers=2, lr=3e-3, warmup=2, steps=4, seed=0,
                                                    api_name="/lab_ln_start"))[-1]
    assert "Done" in status
    names = [tr["name"] for tr in _plot(losses)["data"]]
    assert names == ["post-LN, no warm-up", "post-LN, warm-up", "pre-LN, no warm-up", "pre-LN, warm-up"]
    assert "Loss at step 4" in summary
    assert len(_plot(grads)["data"]) == 4 * 2  # 4 runs x 2 layers
    files = own.predict("en", api_name="/lab_ln_export")
    files = files["value"] if isinstance(files, dict) else files  # the box is made visible with its files
    csv_path, weights_path = [f if isinstance(f, str) else f.get("path", f.get("name")) for f in files]
    header = open(csv_path, encoding="utf-8").readline()
    assert "loss.pre_warmup" in header and "grad_norms.post_nowarmup.1" in header
    from safetensors import safe_open

    with safe_open(weights_path, "pt") as f:
        keys = list(f.keys())
        assert '"n_layers": 2' in f.metadata()["config"]
    assert {k.split(".")[0] for k in keys} == {"post_nowarmup", "post_warmup", "pre_nowarmup", "pre_warmup"}


def test_lstm_timing_and_long_range(own):
    fig, note = list(own.submit("8, 16", 16, "en", api_name="/lab_timing"))[-1]
    assert len(_plot(fig)["data"]) == 4 and "At length 16" in note
    status, by_d, _over = list(own.submit(lang="en", d_model=16, distances="2, 4", steps=6, seed=0,
                                         api_name="/lab_lstm_start"))[-1]
    assert "Done" in status and "parameters" in status
    assert _plot(by_d)["data"][0]["x"] == [2, 4]
    with pytest.raises(AppError, match="whole numbers separated by commas"):
        own.predict(lang="en", d_model=16, distances="2, four", steps=6, seed=0, api_name="/lab_lstm_start")


def test_objectives_fill_and_continue(own):
    status, curves = list(own.submit(lang="en", steps=5, d_model=16, mask_rate=0.15, seed=0,
                                     api_name="/lab_objectives_start"))[-1]
    assert "Done" in status and len(_plot(curves)["data"]) == 4
    result, masks = own.predict("_ is the capital of japan .", "en", api_name="/lab_fill")
    assert "Masked LM (reads both sides)" in result
    data = _plot(masks)["data"]
    assert len(data) == 4
    clm_mask = data[1]["z"]
    assert clm_mask[0][1] == 0 and clm_mask[1][0] == 1  # the causal mask hides the future
    result, _ = own.predict("the capital of japan is", "en", api_name="/lab_fill")
    assert "Continued" in result


def test_bad_values_are_translated(own):
    with pytest.raises(AppError, match="Peak learning rate must be a number greater than 0"):
        own.predict(lang="en", n_layers=2, lr=0, warmup=2, steps=4, seed=0, api_name="/lab_ln_start")
    with pytest.raises(AppError, match="Tốc độ học cực đại phải là"):
        own.predict(lang="vi", n_layers=2, lr=-1, warmup=2, steps=4, seed=0, api_name="/lab_ln_start")
    with pytest.raises(AppError, match="divisible"):
        own.predict(lang="en", tasks=TASKS, steps=30, d_model=30, n_layers=1, lr=3e-3, seed=0,
                    api_name="/lab_seq2seq_start")


def test_every_live_figure_draws_from_tiny_runs():
    from playground.lab import ln, lstm, objectives
    from tabs.lab import figures as plots

    h = [s for s in ln.LnLab(ln.LnConfig(n_layers=2, d_model=16, n_heads=2, steps=4, batch=2,
                                         context=16)).run(report_every=1) if s]
    assert len(plots.ln_losses(h, "vi").data) == 4 and len(plots.ln_grads(h, "vi").data) == 8
    h = [s for s in lstm.LongRangeLab(lstm.LstmConfig(steps=4, distances=(2, 4), eval_every=2)).run(report_every=1) if s]
    by_d, over = plots.recall_figures(h, "en")
    assert len(by_d.data) == 2 and len(over.data) == 4
    h = [s for s in objectives.ObjectivesLab(objectives.ObjectivesConfig(steps=3, d_model=16, n_heads=2)).run(report_every=1) if s]
    fig = plots.objectives_curves(h, "en")
    assert [tr.xaxis for tr in fig.data] == ["x", "x2", "x", "x2"]
    fig.to_json()


def test_a_bad_length_list_is_one_plain_message(own):
    """A translated message was wrapped again (shown in quotes, with a traceback in the server log)."""
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError) as info:
        own.predict("4, x", 16, "en", api_name="/lab_timing")
    message = str(info.value)
    assert "write whole numbers separated by commas" in message and "'Sequence" not in message, message
