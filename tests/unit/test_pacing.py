"""Live frames at the pace the page draws them (``tabs/harness/pacing.py``): a page that acknowledges frames never has more
than one on its way, a Stop goes out without waiting, and API clients and silent pages get plain timed frames."""

from __future__ import annotations

import re
import threading
import time

import pytest

from tabs.harness import live, pacing
from tests.unit.test_live import FakePage, _Session, counter

TOKEN = re.compile(r'<span hidden class="pg-ack" title="([^"]+)"></span>$')


@pytest.fixture()
def tab():
    t = live.Live(FakePage(), "paced", _Session, make_run=lambda s, cfg: counter(work=cfg),
                  render=lambda s, snap, lang: {"fig": snap.step}, where=lambda s, snap, lang: f"step {snap.step}",
                  config=lambda values, lang: values["work"])
    t.state, t.status_output, t.inputs = "state", "status", {"work": "work"}
    return t


class Consumer:
    """Reads a stream on its own thread, as Gradio does, keeping each frame with the time it came."""

    def __init__(self, stream) -> None:
        self.frames: list[tuple[float, dict]] = []
        self.thread = threading.Thread(target=lambda: self.frames.extend((time.perf_counter(), f) for f in stream))
        self.thread.start()

    def tokens(self) -> list[str]:
        return [m.group(1) for _, f in self.frames if (m := TOKEN.search(str(f.get("status", ""))))]


def _start(tab, page: bool) -> tuple[dict, Consumer]:
    """Start a fast fake run (as from a page, or from an API client) and read its stream on a thread."""
    data = {"state": _Session(), "lang": "en", "work": 0.005}
    if page:
        data["page"] = time.time() * 1000  # the page's clock at the click (``live.stamp_js``)
    stream = tab.start(data)
    next(stream)
    return data, Consumer(stream)


def test_a_page_that_has_not_drawn_the_last_frame_gets_no_new_one(tab, monkeypatch):
    monkeypatch.setattr(pacing, "FIRST_WAIT", 5.0)  # a slow page: it answers within the wait, however long
    monkeypatch.setattr(pacing, "WAIT", 5.0)
    monkeypatch.setattr(pacing, "REST", 0.0)  # (the rest after an answer has a test of its own)
    data, reader = _start(tab, page=True)
    time.sleep(1.5)  # the run makes ~150 snapshots meanwhile; unpaced, 3-4 frames would have gone out
    assert len(reader.tokens()) == 1 and len(reader.frames) == 1
    assert pacing.waiting() >= 1
    for _ in range(3):  # the page draws each frame: the next goes out at once
        token = reader.tokens()[-1]
        t0 = time.perf_counter()
        assert pacing.acknowledge(token)
        deadline = time.time() + 2
        while len(reader.tokens()) < 2 + _ and time.time() < deadline:
            time.sleep(0.01)
        assert reader.frames[-1][0] - t0 < live.FRAME_INTERVAL + 0.3
    assert len(set(reader.tokens())) == len(reader.tokens()) == 4  # a token per frame, never twice
    assert not pacing.acknowledge(reader.tokens()[0])  # an answered (or unknown) token is refused
    out = tab.stop(data)  # a Stop goes out without waiting for the page's answer to the last frame
    reader.thread.join(2)
    assert not reader.thread.is_alive()
    assert reader.frames[-1][1]["status"] == out["status"] and "pg-ack" not in out["status"]
    assert data["state"].run.phase == live.Phase.STOPPED


def test_after_an_answer_the_page_rests_as_long_as_it_drew(tab, monkeypatch):
    """A page that needed 0.6 s for a frame gets the next one 0.6 s after its answer, not at once: idle half of
    the time, it answers a click (Stop) at once instead of after the frame in hand."""
    data, reader = _start(tab, page=True)
    gaps = []
    for _ in range(3):
        deadline = time.time() + 3
        while not reader.tokens() and time.time() < deadline:
            time.sleep(0.01)
        frames = len(reader.frames)
        time.sleep(0.6)  # drawing
        answered = time.perf_counter()
        assert pacing.acknowledge(reader.tokens()[-1])
        deadline = time.time() + 3
        while len(reader.frames) == frames and time.time() < deadline:
            time.sleep(0.01)
        gaps.append(reader.frames[-1][0] - answered)
    tab.stop(data)
    reader.thread.join(2)
    assert all(0.55 <= g <= 0.6 + live.FRAME_INTERVAL + 0.3 for g in gaps), gaps


def test_api_clients_get_timed_frames_without_tokens(tab):
    data, reader = _start(tab, page=False)  # no page flag: gradio_client, a script
    time.sleep(1.5)
    tab.stop(data)
    reader.thread.join(2)
    assert len(reader.frames) >= 3 and not reader.tokens()
    assert all("pg-ack" not in str(f["status"]) for _, f in reader.frames)


def test_a_page_that_never_answers_falls_back_to_timed_frames(tab, monkeypatch):
    monkeypatch.setattr(pacing, "FIRST_WAIT", 0.3)
    data, reader = _start(tab, page=True)
    time.sleep(2.5)
    tab.stop(data)
    reader.thread.join(2)
    # GIVE_UP tokens, each unanswered for FIRST_WAIT, then timed frames (no more tokens) every FRAME_INTERVAL
    assert len(reader.tokens()) == pacing.GIVE_UP
    assert len(reader.frames) - pacing.GIVE_UP >= 3
    assert pacing.waiting() == 0  # nothing left behind


def test_a_late_answer_makes_the_stream_wait_for_the_page(tab, monkeypatch):
    """The first frame with figures can take a loaded page seconds: its answer comes after the short wait ran out.
    The page is alive and slow, so from then on each frame waits for it (up to WAIT), not timed frames."""
    monkeypatch.setattr(pacing, "FIRST_WAIT", 0.3)
    monkeypatch.setattr(pacing, "WAIT", 5.0)
    data, reader = _start(tab, page=True)
    deadline = time.time() + 3
    while len(reader.tokens()) < 2 and time.time() < deadline:  # the first wait runs out: a second frame goes out
        time.sleep(0.01)
    first, second = reader.tokens()[:2]
    assert pacing.acknowledge(first)  # ... and then the page answers the first one, late
    sent = len(reader.frames)
    time.sleep(1.5)
    assert len(reader.frames) == sent  # the second is not answered yet: nothing more goes out
    assert pacing.acknowledge(second)
    deadline = time.time() + 2
    while len(reader.frames) == sent and time.time() < deadline:
        time.sleep(0.01)
    assert len(reader.frames) == sent + 1
    tab.stop(data)
    reader.thread.join(2)
    assert pacing.waiting() == 0


def test_a_page_that_stops_answering_still_gets_a_frame_every_wait(tab, monkeypatch):
    """A page that answered before and then goes quiet (a hidden browser tab draws nothing) gets a frame every
    WAIT seconds, each with a token, so that it is paced again as soon as it answers."""
    monkeypatch.setattr(pacing, "WAIT", 0.5)
    data, reader = _start(tab, page=True)
    time.sleep(0.3)
    assert pacing.acknowledge(reader.tokens()[-1])  # it answered once, then went quiet
    time.sleep(2.2)
    tab.stop(data)
    reader.thread.join(2)
    tokened = [t for t, f in reader.frames if "pg-ack" in str(f["status"])]
    assert len(tokened) == len(reader.frames) - 1  # all but Stop's answer
    gaps = [b - a for a, b in zip(tokened[1:], tokened[2:])]  # after the answered one: one frame per WAIT
    assert 3 <= len(tokened) <= 6 and all(g >= 0.45 for g in gaps), gaps
    assert pacing.waiting() == 0


def test_the_route_acknowledges_a_token(monkeypatch):
    """The route alone (Starlette's test client): a token answers its stream; a huge body is not read whole."""
    from starlette.applications import Starlette
    from starlette.testclient import TestClient

    monkeypatch.setattr(pacing, "REST", 0.0)
    client = TestClient(Starlette(routes=pacing.ROUTES))
    pacer = pacing.Pacer(paced=True)
    token = TOKEN.search(pacer.tag("status")).group(1)
    assert not pacer.ready()
    assert client.post(pacing.ACK_PATH, content=token.encode()).status_code == 204
    assert pacer.ready() and pacing.waiting() == 0
    assert client.post(pacing.ACK_PATH, content=b"x" * 10_000_000).status_code == 204  # an unknown token
