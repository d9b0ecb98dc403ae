"""Live frames at the pace the page draws them (``tabs/harness/pacing.py``): a page that acknowledges frames never
has more than one on its way, a Stop goes out without waiting, and API clients and silent pages get plain timed
frames. Time is a ``ManualClock``: each test moves it and checks exactly what the stream sent by then."""

from __future__ import annotations

import re

import pytest

from tabs.harness import live, pacing
from tabs.harness.clock import ManualClock
from tabs.harness.runner import Phase
from tests.unit.fakes import Reader, Session, Steps, fake_live, until

TOKEN = re.compile(r'<span hidden class="pg-ack" title="([^"]+)"></span>$')
CLICK = 1_000_000.0  # the page's clock at the click (``Page.stamp_js``): the stream is paced
NEARLY = 0.25  # "just before a moment", in times that binary floats add exactly (0.4 + 0.99 != 1.39 exactly)


@pytest.fixture(autouse=True)
def exact_times(monkeypatch):
    """The harness's intervals as exact binary fractions, so that sums of them compare exactly."""
    monkeypatch.setattr(live, "FRAME_INTERVAL", 0.5)
    monkeypatch.setattr(live, "PACE_POLL", 0.125)
    monkeypatch.setattr(pacing, "FIRST_WAIT", 1.0)
    monkeypatch.setattr(pacing, "WAIT", 4.0)


class Paced:
    """A run streamed as to a page (``paced``) or to an API client, and read on a thread. The run makes a
    snapshot only when ``advance`` lets it, so that every frame that is due has something new to show."""

    def __init__(self, paced: bool) -> None:
        self.clock = ManualClock()
        self.core = Steps()
        self.tab = fake_live(self.core, self.clock, name="paced")
        self.data = {"state": Session(), "lang": "en", "work": None}
        if paced:
            self.data["page"] = CLICK
        stream = self.tab.start(self.data)
        next(stream)
        self.reader = Reader(stream)

    def tokens(self) -> list[str]:
        return [m.group(1) for s in self.reader.statuses() if (m := TOKEN.search(s))]

    def _step(self) -> None:
        run = self.data["state"].run
        self.core.allow(1)
        until(lambda: run.version > self.core.done - 1 and run.latest is not None and run.latest.step == self.core.done
              and self.core.permits._value == 0, "the run makes its snapshot")

    def advance(self, seconds: float) -> int:
        """One more snapshot, then the time moves on and the stream reacts; the number of frames sent so far."""
        self._step()
        self.clock.advance(seconds)
        self.clock.settle()
        return len(self.reader.frames)

    def answer(self, token: str) -> int:
        """The page answers the newest frame; the number of frames sent once the stream has reacted."""
        mark = self.clock.mark()
        assert pacing.acknowledge(token)
        self.clock.settle(since=mark)
        return len(self.reader.frames)

    def stop(self) -> dict:
        out = self.tab.stop(self.data)
        self.clock.advance(live.PACE_POLL)  # a stream waiting on the page looks at its run this often
        self.reader.join()
        return out


def test_a_page_that_has_not_drawn_the_last_frame_gets_no_new_one(monkeypatch):
    monkeypatch.setattr(pacing, "FIRST_WAIT", 8.0)  # a slow page: it answers within the wait, however long
    monkeypatch.setattr(pacing, "WAIT", 8.0)
    monkeypatch.setattr(pacing, "REST", 0.0)  # (the rest after an answer has a test of its own)
    run = Paced(paced=True)
    assert run.advance(live.FRAME_INTERVAL) == 1
    assert run.advance(4.0) == 1  # a new snapshot waits; unpaced, it would have gone out long ago
    assert pacing.waiting() >= 1
    assert run.answer(run.tokens()[-1]) == 2  # the page drew frame 1: the waiting snapshot goes out at once
    for n in (3, 4):
        assert run.advance(live.FRAME_INTERVAL) == n - 1  # a new snapshot, but the last frame is not drawn yet
        assert run.answer(run.tokens()[-1]) == n
    assert len(set(run.tokens())) == len(run.tokens()) == 4  # a token per frame, never twice
    assert not pacing.acknowledge(run.tokens()[0])  # an answered (or unknown) token is refused
    run._step()
    out = run.stop()  # a Stop goes out without waiting for the page's answer to the last frame
    assert run.reader.frames[-1]["status"] == out["status"] and "pg-ack" not in out["status"]
    assert run.data["state"].run.phase == Phase.STOPPED


def test_after_an_answer_the_page_rests_as_long_as_it_drew():
    """A page that needed 0.6 s for a frame gets the next one 0.6 s after its answer, not at once: idle half of
    the time, it answers a click (Stop) at once instead of after the frame in hand."""
    run = Paced(paced=True)
    sent = run.advance(live.FRAME_INTERVAL)
    for _ in range(3):
        assert run.advance(0.75) == sent  # drawing (meanwhile the run made a new snapshot)
        assert run.answer(run.tokens()[-1]) == sent
        assert run.advance(0.75 - NEARLY) == sent  # resting as long as it drew: nothing yet
        sent = run.advance(NEARLY)
        assert sent == len(run.tokens())  # the next frame, at the end of the rest
    run.stop()


def test_api_clients_get_timed_frames_without_tokens():
    run = Paced(paced=False)  # no page clock: gradio_client, a script
    for n in range(1, 4):
        assert run.advance(live.FRAME_INTERVAL) == n
    run.stop()
    assert not run.tokens() and all("pg-ack" not in s for s in run.reader.statuses())


def test_a_page_that_never_answers_falls_back_to_timed_frames():
    run = Paced(paced=True)
    frames = run.advance(live.FRAME_INTERVAL)
    for _ in range(pacing.GIVE_UP):  # each tokened frame waits FIRST_WAIT for an answer that never comes
        assert run.advance(pacing.FIRST_WAIT - NEARLY) == frames
        frames = run.advance(NEARLY)
    assert len(run.tokens()) == pacing.GIVE_UP  # then timed frames, every FRAME_INTERVAL, without tokens
    for _ in range(3):
        assert run.advance(live.FRAME_INTERVAL) == frames + 1
        frames += 1
    assert len(run.tokens()) == pacing.GIVE_UP
    run.stop()
    assert pacing.waiting() == 0  # nothing left behind


def test_a_late_answer_makes_the_stream_wait_for_the_page():
    """The first frame with figures can take a loaded page seconds: its answer comes after the short wait ran out.
    The page is alive and slow, so from then on each frame waits for it (up to WAIT), not timed frames."""
    run = Paced(paced=True)
    run.advance(live.FRAME_INTERVAL)
    assert run.advance(pacing.FIRST_WAIT) == 2  # the first wait runs out: a second frame goes out
    first, second = run.tokens()
    assert pacing.acknowledge(first)  # ... and then the page answers the first one, late (no frame waits for it)
    assert run.advance(pacing.WAIT - NEARLY) == 2  # the second is not answered yet: nothing more goes out
    run.answer(second)  # it took 3.75 s to draw: the page rests REST_MAX (2 s) before the next frame
    assert run.advance(pacing.REST_MAX - NEARLY) == 2
    assert run.advance(NEARLY) == 3
    run.stop()
    assert pacing.waiting() == 0


def test_a_page_that_stops_answering_still_gets_a_frame_every_wait():
    """A page that answered before and then goes quiet (a hidden browser tab draws nothing) gets a frame every
    WAIT seconds, each with a token, so that it is paced again as soon as it answers."""
    run = Paced(paced=True)
    run.advance(live.FRAME_INTERVAL)
    assert run.advance(live.FRAME_INTERVAL) == 1  # a new snapshot waits for the page
    assert run.answer(run.tokens()[-1]) == 1  # it answers once (and rests as long as it drew), then goes quiet
    frames = run.advance(live.FRAME_INTERVAL)
    assert frames == 2
    for _ in range(3):
        assert run.advance(pacing.WAIT - NEARLY) == frames
        frames = run.advance(NEARLY)
        assert frames == len(run.tokens())
    run.stop()
    assert pacing.waiting() == 0


def test_the_route_acknowledges_a_token(monkeypatch):
    """The route alone (Starlette's test client): a token answers its stream; a huge body is not read whole."""
    from starlette.applications import Starlette
    from starlette.testclient import TestClient

    monkeypatch.setattr(pacing, "REST", 0.0)
    client = TestClient(Starlette(routes=pacing.ROUTES))
    pacer = pacing.Pacer(paced=True, clock=ManualClock())
    token = TOKEN.search(pacer.tag("status")).group(1)
    assert not pacer.ready()
    assert client.post(pacing.ACK_PATH, content=token.encode()).status_code == 204
    assert pacer.ready() and pacing.waiting() == 0
    assert client.post(pacing.ACK_PATH, content=b"x" * 10_000_000).status_code == 204  # an unknown token


def test_the_streams_of_a_class_share_the_frames_a_second_the_server_sends():
    streams = pacing.Streams(frames_per_s=16)
    assert streams.gap(0.5) == 0.5
    with streams, streams, streams:
        assert streams.active == 3 and streams.gap(0.5) == 0.5  # a few streams: each at its own pace
    assert streams.active == 0
    for _ in range(32):
        streams.__enter__()
    assert streams.gap(0.5) == 2.0  # thirty-two: 16 frames a second in all, each stream every 2 s


def test_a_stream_among_many_gets_its_frames_less_often_and_counts_itself_out_when_it_ends():
    run = Paced(paced=False)
    streams = run.tab.page.streams
    until(lambda: streams.active == 1, "the stream counts itself in")
    for _ in range(15):  # fifteen more streams of the class: 16 in all, one frame a second each at most
        streams.__enter__()
    first = run.advance(0.5)
    assert run.advance(0.5) == first  # 0.5 s after a frame: not due yet (alone it would be)
    assert run.advance(0.5) == first + 1
    for _ in range(15):
        streams.__exit__()
    run.stop()
    assert streams.active == 0
