"""Slide pictures through the running app: every training tab without a film exports the figures of the frame on
screen as PNG (1280 x 720) and SVG, after a replay of its recording too, and refuses clearly with nothing to export."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from gradio_client.exceptions import AppError
from PIL import Image

from playground import replay
from tabs.harness import film
from tests.app import streams

# (the replay's endpoint, the export's, the figures' element ids: one PNG and one SVG each)
TABS = [("/lab_ln_replay", "/lab_ln_stills", {"lab-ln-loss", "lab-ln-grads"}),
        ("/lab_seq2seq_replay", "/lab_seq2seq_stills", {"lab-s2s-curves"}),
        ("/lab_lstm_replay", "/lab_lstm_stills", {"lab-lstm-by-d", "lab-lstm-over"}),
        ("/lab_objectives_replay", "/lab_objectives_stills", {"lab-obj-curves"}),
        ("/gvd_replay", "/gvd_stills", {"gvd-plane", "gvd-density", "gvd-loss"}),
        ("/gvd_sweep_replay", "/gvd_sweep_stills", {"gvd-sweep-plot"}),
        ("/aug_replay", "/aug_stills", {"aug-plot"}),
        ("/vision_race_replay", "/vis_race_stills", {"vis-loss", "vis-acc"}),
        ("/vision_sweep_replay", "/vis_sweep_stills", {"vis-sweep"})]


def _paths(files) -> list[str]:
    files = files["value"] if isinstance(files, dict) else files
    return [f if isinstance(f, str) else f.get("path") for f in files]


@pytest.mark.parametrize("replay_api, stills_api, figures", TABS, ids=[t[1][1:] for t in TABS])
def test_slide_pictures_of_a_replayed_run(client, replay_api, stills_api, figures):
    name = replay_api[1:-len("_replay")]
    if not any(p.name.startswith(name.replace("lab_", "lab_") + "-") for p in replay.REPLAY_DIR.glob("*.json.gz")):
        pytest.skip(f"no recording of {name} here")
    own = streams.connect(client.src)
    own.submit(lang="en", speed="instant", api_name=replay_api).result(timeout=streams.CANARY)
    paths = _paths(own.predict(lang="en", api_name=stills_api))
    pngs, svgs = sorted(p for p in paths if p.endswith(".png")), sorted(p for p in paths if p.endswith(".svg"))
    shown = {re.sub(r"^[a-z0-9-]*?-(?=(lab|gvd|aug|vis)-)", "", Path(p).stem) for p in pngs}
    assert figures <= shown, (figures, shown)  # every figure of the frame, named after it
    assert len(pngs) == len(svgs) and all(Image.open(p).size == film.SLIDE for p in pngs)
    assert all("<svg" in open(p, encoding="utf-8").read(3000) for p in svgs)


def test_slide_pictures_before_any_run_are_a_clear_error(client):
    own = streams.connect(client.src)
    with pytest.raises(AppError, match="No figure to export yet"):
        own.predict(lang="en", api_name="/lab_ln_stills")
    with pytest.raises(AppError, match="Chưa có hình để xuất"):
        own.predict(lang="vi", api_name="/gvd_stills")
