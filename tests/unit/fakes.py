"""Stand-ins for the harness's tests: a core whose every step the test allows, a page of plain keys, a Live on a
manual clock, and a reader that consumes a stream on its own thread as Gradio does."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from playground.kit.runs import Diverged
from tabs.harness import live
from tabs.harness.clock import ManualClock
from tabs.harness.pacing import Streams
from tabs.harness.sessions import BrowserSessions
from tabs.harness.shared import SharedRuns
from tests import waiting

CANARY = 60.0  # real seconds: the longest a test waits for a thread to react (never a speed budget)


@dataclass(frozen=True)
class Snap:
    step: int


class Steps:
    """A fake core whose steps the test lets through. Each step is two halves, each waiting for a permit, with a
    heartbeat (``None``) between them (a long update that Pause and Stop may interrupt), then ``Snap(i)``. While it
    waits for a permit it yields heartbeats, as a real core yields between its updates, so Pause and Stop act at
    once and a figure can be drawn. ``allow(n)`` lets n whole steps run, ``allow_half()`` one half; ``free=True``:
    no waiting at all (a core as fast as the machine). ``diverge_at`` / ``fail_at`` end it at that step."""

    def __init__(self, n: int = 10**9, diverge_at: int | None = None, fail_at: int | None = None,
                 free: bool = False) -> None:
        self.n, self.diverge_at, self.fail_at, self.free = n, diverge_at, fail_at, free
        self.permits = threading.Semaphore(0)
        self.done = 0  # steps finished

    def allow(self, n: int = 1) -> None:
        for _ in range(2 * n):
            self.permits.release()

    def allow_half(self) -> None:
        self.permits.release()

    def _half(self):
        while not self.free and not self.permits.acquire(timeout=0.001):  # (a real wait: other threads run)
            yield None

    def __call__(self, *_args):
        for i in range(1, self.n + 1):
            yield from self._half()
            yield None  # a heartbeat: Pause and Stop may act here, inside a step
            yield from self._half()
            if i == self.diverge_at:
                raise Diverged(i)
            if i == self.fail_at:
                raise ValueError("the data set is missing")
            self.done = i
            yield Snap(i)


class Session(live.LiveSession):
    pass


class FakePage:
    """A page whose widgets are plain strings (the handlers only use them as keys)."""

    lang, clock = "lang", "page"

    def __init__(self) -> None:
        self.sessions = BrowserSessions()
        self.streams = Streams()

    def relabel_live(self, *args) -> None:
        pass


def fake_live(core: Steps, clock: ManualClock | None = None, name: str = "fake") -> live.Live:
    """A Live wired to plain keys: state "state", status "status", one input "work" (ignored by the core)."""
    t = live.Live(FakePage(), name, Session, make_run=lambda s, cfg: core(), render=lambda s, snap, lang: {"fig": snap.step},
                  where=lambda s, snap, lang: f"step {snap.step}", config=lambda values, lang: values.get("work"),
                  clock=clock or ManualClock())
    t.state, t.status_output, t.inputs = "state", "status", {"work": "work"}
    t.runs = SharedRuns()  # identical Starts share a run, within this test only
    return t


class Reader:
    """Reads a stream on its own thread, as Gradio does; ``frames`` are what it got, in order."""

    def __init__(self, stream) -> None:
        self.frames: list[dict] = []
        self.thread = threading.Thread(target=lambda: self.frames.extend(stream), daemon=True)
        self.thread.start()

    def statuses(self) -> list[str]:
        return [str(f.get("status", "")) for f in self.frames]

    def join(self) -> None:
        self.thread.join(CANARY)
        assert not self.thread.is_alive(), "the stream did not end"


def until(condition, what: str) -> None:
    """Wait (real time, at most ``CANARY``) for another thread to do something; a canary, not a budget."""
    waiting.until(condition, what, CANARY, every=0.005)
