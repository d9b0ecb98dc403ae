"""Recorded runs (playground/replay.py): a safe file format, and shipped recordings that the code still makes."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import pytest

from playground import replay
from playground.gan import trainer as gan
from playground.gan import recorder as gan_recorder
from playground.replay import recorders as replay_record

SHIPPED = sorted(replay.REPLAY_DIR.glob("*.json.gz"))
BUDGET = 8 * 2**20  # all shipped recordings together


def _tiny() -> replay.Recording:
    cfg = gan.preset_config("default", steps=6, width=8, depth=1, batch_size=16)
    return gan_recorder.record("tiny", cfg)


@pytest.fixture(scope="module")
def tiny_file(tmp_path_factory) -> Path:
    return replay.save(_tiny(), tmp_path_factory.mktemp("rec") / "gan-tiny.json.gz", keep=("history",))


def test_a_recording_round_trips_with_its_facts(tiny_file):
    rec = replay.load(tiny_file, gan_recorder.types())
    assert rec.tab == "gan" and rec.seed == 0 and rec.config["steps"] == 6
    assert rec.code_version and rec.recorded.startswith("20")
    assert [f.step for f in rec.frames] == [0, 1, 2, 3, 4, 5, 6]
    assert rec.frames[3].samples.shape == (gan.TOY_FIXED, 2) and rec.frames[3].samples.dtype == np.float16
    assert isinstance(rec.frames[3].coverage, gan_recorder.types()[1])
    assert rec.extra["history"].dtype == np.float32 and rec.extra["history"].shape == (6, 6)
    assert rec.matches(gan.preset_config("default", steps=6, width=8, depth=1, batch_size=16))
    assert not rec.matches(gan.preset_config("default", steps=6, width=8, depth=1, batch_size=16, seed=1))


def _rewrite(src: Path, dst: Path, edit) -> Path:
    doc = json.loads(gzip.decompress(src.read_bytes()))
    edit(doc)
    dst.write_bytes(gzip.compress(json.dumps(doc).encode()))
    return dst


def test_a_damaged_or_edited_file_is_refused_with_a_clear_message(tiny_file, tmp_path):
    types = gan_recorder.types()
    cut = tmp_path / "cut.json.gz"
    cut.write_bytes(tiny_file.read_bytes()[:-40])
    with pytest.raises(ValueError, match=r"damaged \(not a readable gzip JSON file.*replay record"):
        replay.load(cut, types)
    # one number changed inside the payload: the checksum no longer fits
    edited = _rewrite(tiny_file, tmp_path / "edited.json.gz",
                      lambda d: d.update(payload=d["payload"].replace('"seed":0', '"seed":1', 1)))
    with pytest.raises(ValueError, match="changed or damaged after it was recorded"):
        replay.load(edited, types)
    # the header (read at start-up to list the recordings) must say what the checked contents say
    relabelled = _rewrite(tiny_file, tmp_path / "relabelled.json.gz", lambda d: d["head"].update(seed=5))
    assert replay.peek(relabelled)["seed"] == 5
    with pytest.raises(ValueError, match="header does not match"):
        replay.load(relabelled, types)
    other = _rewrite(tiny_file, tmp_path / "other.json.gz", lambda d: d.update(format="pickle"))
    with pytest.raises(ValueError, match="not a playground recording"):
        replay.load(other, types)
    newer = _rewrite(tiny_file, tmp_path / "newer.json.gz", lambda d: d.update(version=99))
    with pytest.raises(ValueError, match="format version 99"):
        replay.load(newer, types)
    with pytest.raises(ValueError, match="unexpected type 'GanSnapshot'"):  # only the types the reader names
        replay.load(tiny_file, [])


def test_a_forged_array_or_type_builds_nothing(tmp_path):
    """Even with a valid checksum, a file cannot name a class to build or an array bigger than its bytes."""
    def forge(payload: dict) -> Path:
        body = json.dumps(payload)
        import hashlib

        doc = {"format": replay.FORMAT, "version": replay.VERSION, "sha256": hashlib.sha256(body.encode()).hexdigest(),
               "head": {k: payload.get(k) for k in replay.HEAD}, "payload": body}
        path = tmp_path / "forged.json.gz"
        path.write_bytes(gzip.compress(json.dumps(doc).encode()))
        return path

    base = dict(tab="gan", name="x", config={}, seed=0, code_version="x", recorded="2026", seconds=0, device="cpu",
                extra={})
    with pytest.raises(ValueError, match="unexpected type 'Popen'"):
        replay.load(forge(dict(base, frames=[{"__type__": "Popen", "fields": {"args": "ls"}}])),
                    gan_recorder.types())
    arr = {"__array__": "eNoDAAAAAAE=", "dtype": "float32", "shape": [1000]}  # zlib of b"": 0 bytes
    with pytest.raises(ValueError, match="do not fit its shape"):
        replay.load(forge(dict(base, frames=[arr])), [])
    with pytest.raises(ValueError, match="bad dtype"):
        replay.load(forge(dict(base, frames=[dict(arr, dtype="object")])), [])


def test_thin_keeps_the_ends_and_at_most_the_limit():
    items = list(range(1000))
    kept = replay.thin(items, 300)
    assert len(kept) == 300 and kept[0] == 0 and kept[-1] == 999 and kept == sorted(kept)
    assert replay.thin(items[:10], 300) == items[:10]


# ---------------------------------------------------------------- the shipped recordings
def test_the_shipped_recordings_exist_and_fit_the_budget():
    names = {p.name for p in SHIPPED}
    assert {f"gan-{name}.json.gz" for name in gan.PRESETS} <= names, "every GAN preset has a recording"
    assert sum(p.stat().st_size for p in SHIPPED) < BUDGET


# the fine-tuning checks load MiniLM and train on its texts (~10-20 s of CPU), the vision one EfficientNet: slow
CHECKED = [pytest.param(p, id=p.name, marks=[pytest.mark.slow] if p.name.startswith(("ft", "vision")) else []) for p in SHIPPED]


@pytest.mark.parametrize("path", CHECKED)
def test_a_shipped_recording_is_what_the_code_makes_now(path):
    """Rerun the first snapshots from the recorded config and seed and compare (``Recorder.check``: float16
    storage keeps ~3 digits, so 1e-3 relative; any change of the model, the data or the seeding moves the
    first losses by far more). A failure means: rebuild with ``python -m playground replay record``."""
    rec = replay_record.load(path)
    assert len(rec.frames) <= replay.MAX_FRAMES
    tab = path.name.split("-", 1)[0]
    r = replay_record.recorder(tab)
    assert rec.matches(r.key(r.config(rec.name))), f"{path.name} was recorded with other settings than the preset now"
    r.check(rec, replay_record.CHECK_STEPS)


def test_the_staleness_check_has_teeth(tiny_file):
    """The check fails when the code would make other numbers (here: the same file read as if seed 1 made it)."""
    rec = replay.load(tiny_file, gan_recorder.types())
    gan_recorder.check(rec, 5)
    rec.config["seed"] = 1
    with pytest.raises(AssertionError, match="differ from the recording"):
        gan_recorder.check(rec, 5)


def test_a_replay_spreads_its_frames_evenly_over_its_length():
    """At "5 s" a replay of n frames shows one every 5 / (n - 1) seconds, with heartbeats between (so Pause and
    Stop act at once); "instant" shows them all at once. Checked on a manual clock."""
    import threading

    from tabs.harness.clock import ManualClock
    from tabs.harness.replay import paced

    clock = ManualClock()
    shown: list[tuple[float, int]] = []

    def play():
        for item in paced(iter(range(6)), 6, 5.0, clock):
            if item is not None:
                shown.append((clock.now(), item))

    player = threading.Thread(target=play)
    player.start()
    for _ in range(96):  # 6 s in steps of 1/16 s (binary fractions: the sums are exact)
        clock.settle()
        clock.advance(0.0625)
    player.join(60)
    assert [i for _, i in shown] == list(range(6))
    assert [t for t, _ in shown] == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    assert [i for i in paced(iter(range(6)), 6, 0.0, clock) if i is not None] == list(range(6))  # at once


def test_a_recording_is_named_in_the_page_s_language():
    import tabs
    from tabs.harness.replay import recording_title

    tabs.discover()  # the tabs' strings (the app has them from its start)
    assert recording_title("gan", "mnist", "vi") == "Chữ số MNIST (28×28)"  # the preset's own label
    assert recording_title("gvd", "default", "vi") == "thiết lập mặc định"
    assert recording_title("gvd", "default", "en") == "the default settings"
    assert recording_title("gvd", "unheard_of", "vi") == "unheard_of"


def test_a_link_s_landing_leaves_a_run_the_visitor_started_while_it_landed(monkeypatch):
    """The recording a link lands on replaces what the session ran before the link opened the tab, never a run
    started by a click that came while the link landed (a Replay pressed at once used to be replaced by it)."""
    from types import SimpleNamespace

    from tabs.harness import replay as replays
    from tabs.harness.page import OPENING, Page
    from tabs.harness.runner import Run

    live = SimpleNamespace(name="x", state="session", lang="lang", config=lambda values, lang: {"a": 1},
                           values=lambda data: {})
    wiring = replays.ReplayWiring(live, replays.Replayer(feed=None))
    monkeypatch.setattr(replays, "find", lambda name, key: {"path": "x-default.json.gz"})
    monkeypatch.setattr(wiring, "_play", lambda *args, **kw: iter(["landed"]))

    def land(session, opening):
        return list(wiring.opened({"session": session, "lang": "en", OPENING: opening}, force=True))

    before = Run(lambda: iter(()), slotless=True)
    opening = Page.opening(Page.open_stamp(None, "lab"))  # the number a link's opening takes, between the two runs
    after = Run(lambda: iter(()), slotless=True)
    assert before.order < opening < after.order
    assert land(SimpleNamespace(run=before), opening) == ["landed"]  # a run from before the link: replaced
    assert land(SimpleNamespace(run=None), opening) == ["landed"]
    kept = land(SimpleNamespace(run=after), opening)  # started while the link landed: kept
    assert kept != ["landed"] and kept[0]["session"].run is after
