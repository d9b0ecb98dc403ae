"""Generative vs Discriminative's figures without a browser: what their axes say and in which unit."""

from __future__ import annotations

import json

import numpy as np
import pytest

from playground import genvsdisc as gvd
from tabs.genvsdisc import figures
from tabs.harness.i18n import t


def _sweep_snapshot() -> gvd.SweepSnapshot:
    """A hand-made sweep over 2, 4 and 8 points per class of three classes, two repeats each."""
    sizes, k = (2, 4, 8), 3
    acc = {m: np.array([[0.5, 0.6], [0.7, 0.7], [0.8, 0.9]]) for m in gvd.MODEL_NAMES}
    return gvd.SweepSnapshot(sizes, k, acc, measured=6, total=6, elapsed=1.0, done=True)


@pytest.mark.parametrize("lang, per_class", [("en", "per class"), ("vi", "mỗi lớp")])
def test_the_size_sweep_axis_counts_points_per_class_as_the_control_and_the_lesson_do(lang, per_class):
    snap = _sweep_snapshot()
    plot = json.loads(figures.sweep_figure(snap, lang).plot)
    lines = [tr for tr in plot["data"] if tr.get("mode") == "lines+markers"]
    assert lines and all(tr["x"] == list(snap.sizes) for tr in lines)  # 2, 4, 8: not 6, 12, 24
    x = plot["layout"]["xaxis"]
    assert x["tickvals"] == list(snap.sizes)
    assert per_class in x["title"]["text"]
    # the lesson and the sweep's control speak of the same unit
    assert per_class in t("gvd.sweep_max", lang) and per_class in t("gvd.sweep_intro", lang).split("\n")[1]
