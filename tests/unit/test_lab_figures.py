"""The Transformer Lab's figures read on a projector: log axes label a few decades (not every minor tick: 5, 2, 1,
5, 2, 0.1 ...), panel titles are wrapped to their panel (two long titles collided and ran off the edge at 1024 px)."""

from __future__ import annotations

import math
import re

import pytest

from playground.lab import ln, lstm, seq2seq
from tabs.lab import figures


def _log_axes(fig) -> list[dict]:
    layout = fig.to_plotly_json()["layout"]
    return [v for k, v in layout.items() if re.fullmatch(r"[xy]axis\d*", k) and v.get("type") == "log"]


@pytest.fixture(scope="module")
def runs() -> dict:
    s2s = seq2seq.Seq2SeqLab(seq2seq.Seq2SeqConfig(d_model=16, n_heads=2, n_layers=1, steps=6, batch=4,
                                                   test_per_task=2, eval_every=3))
    lnl = ln.LnLab(ln.LnConfig(n_layers=2, d_model=16, n_heads=2, steps=6, batch=2, context=16))
    return {"s2s": [s for s in s2s.run(report_every=1) if s], "ln": [s for s in lnl.run(report_every=1) if s]}


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_log_axes_label_a_few_round_values(runs, lang):
    timing = [{"T": T, "transformer_forward_ms": 0.3 * T, "transformer_train_ms": T ** 1.6 / 20,
               "lstm_forward_ms": 0.05 * T, "lstm_train_ms": 0.2 * T} for T in (16, 64, 256, 512)]
    figs = [figures.seq2seq_curves(runs["s2s"], lang), figures.ln_grads(runs["ln"], lang),
            figures.timing_figure(timing, lang)]
    axes = [a for fig in figs for a in _log_axes(fig)]
    assert len(axes) >= 1 + 4 + 2
    for a in axes:
        if "tickmode" not in a:  # the x axis of the timing figure: the lengths measured
            assert list(a["tickvals"]) == [16, 64, 256, 512], a
            continue
        assert a["tickmode"] == "array" and 1 <= len(a["tickvals"]) <= 5, a
        mantissas = [f"{v / 10 ** math.floor(math.log10(v)):.3g}" for v in a["tickvals"]]
        if mantissas.count("1") >= 2:  # a range of decades: the decades alone, no minor ticks between them
            assert set(mantissas) == {"1"}, a["ticktext"]


def test_log_ticks_over_decades_and_within_one():
    assert figures.log_ticks([0.001, 3])["ticktext"] == ["0.001", "0.01", "0.1", "1"]
    assert figures.log_ticks([3.8, 5.2])["tickvals"] == [4.0, 5.0]
    wide = figures.log_ticks([1e-10, 1])
    assert len(wide["tickvals"]) <= 5 and all(x.startswith("10<sup>") for x in wide["ticktext"])
    assert figures.log_ticks([]) == {}


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_panel_titles_fit_their_panel(runs, lang):
    for fig, cols in ((figures.seq2seq_curves(runs["s2s"], lang), 2), (figures.ln_grads(runs["ln"], lang), 2),
                      (figures.masks_figure(_maps(), ["a", "b", "c"], lang), 2)):
        texts = [a.text for a in fig.layout.annotations]
        assert texts and all(len(line) <= 64 // cols for x in texts for line in x.split("<br>")), texts
        lines = max(x.count("<br>") + 1 for x in texts)
        assert fig.layout.margin.t >= 15 + 17 * lines, (fig.layout.margin, texts)  # the top titles inside


def _maps() -> dict:
    import numpy as np

    eye = np.tril(np.ones((3, 3)))
    return {"mlm_mask": np.ones((3, 3)), "clm_mask": eye, "mlm_attention": np.ones((1, 2, 3, 3)) / 3,
            "clm_attention": np.ones((1, 2, 3, 3)) / 3}


def test_the_recall_figure_orders_distances_as_numbers():
    """A recording's snapshot keeps its distances as text ("2", "32", "8"): drawn in that order, d ran backwards."""
    snap = lstm.LstmSnapshot(step=1, elapsed={"transformer": 0, "lstm": 0}, loss={"transformer": 1, "lstm": 1},
                             accuracy={m: {"2": 1.0, "32": 0.1, "8": 0.5} for m in ("transformer", "lstm")},
                             accuracy_step=1, n_params={"transformer": 1, "lstm": 1})
    by_d, _ = figures.recall_figures([snap], "vi")
    assert list(by_d.data[0].x) == [2, 8, 32]


def test_parameter_counts_read_as_whole_numbers_in_vietnamese():
    """"28,169 tham số" reads as a decimal in Vietnamese."""
    from tabs.lab import session

    assert session.count(28169, "en") == "28,169"
    assert session.count(28169, "vi") == "28\u202f169" and session.count(512, "vi") == "512"
    lab = lstm.LongRangeLab(lstm.LstmConfig(steps=1, distances=(2,), d_model=8, n_heads=2, n_layers=1))
    snap = [s for s in lab.run() if s][-1]
    where = session.lstm_where(session.LabSession(lab=lab), snap, "vi")
    assert f"{snap.n_params['lstm']:,}" not in where and session.count(snap.n_params["lstm"], "vi") in where, where
