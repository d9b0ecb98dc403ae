"""The harness's time, injectable: every wait of a run, a stream, a pacer and a replay goes through a ``Clock``.

``REAL`` reads ``time.perf_counter`` and waits on the real clock. ``ManualClock`` is time that moves only when it is
told to (``advance``): a test drives the harness with it and asserts the behaviour exactly (a page that never answers
gets its next frame once ``FIRST_WAIT`` has passed, not before), whatever the machine's load. Waits always wake on a
notify of their condition, so what happens between two moments of time (a Stop, a new snapshot) is seen at once.
"""

from __future__ import annotations

import threading
import time
import weakref
from typing import Callable


class Clock:
    """Real time."""

    def now(self) -> float:
        return time.perf_counter()

    def wait(self, cond: threading.Condition, predicate: Callable[[], bool], deadline: float | None) -> bool:
        """``cond.wait_for(predicate)`` until the clock reads ``deadline`` (absolute, on this clock; None: no end).
        The caller holds ``cond``. A deadline, not a timeout: a wait computed from a moment that has passed ends
        at once. A predicate may read the clock itself (the manual clock wakes every wait when time moves)."""
        return cond.wait_for(predicate, None if deadline is None else max(0.0, deadline - self.now()))

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


REAL = Clock()


class ManualClock(Clock):
    """Time that moves only by ``advance(seconds)``; waits end when their predicate holds or when the time passes
    their deadline. ``settle(n)`` returns once ``n`` threads wait on this clock having seen its present time: the
    harness has reacted to the last ``advance`` (a test then asserts what it did); after another event (a page's
    answer), ``settle(n, since=clock.mark())`` with the mark taken before it. Thread-safe."""

    def __init__(self, start: float = 0.0) -> None:
        self._now = start
        self._lock = threading.Lock()
        self._waiting: weakref.WeakSet = weakref.WeakSet()  # conditions someone waits on now
        self._sleeping = threading.Condition()
        self._blocked: dict[int, tuple[float, int]] = {}  # thread id -> (the time it saw, the block's number)
        self._blocks = 0  # blocks so far (each wait that found nothing to do yet)
        self._advanced = 0  # the number of blocks when the time last moved

    def now(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += seconds
            self._advanced = self._blocks
            waiting = list(self._waiting)
        for cond in waiting:  # every timed wait re-reads the time
            with cond:
                cond.notify_all()
        with self._sleeping:
            self._sleeping.notify_all()

    def _block(self, cond: threading.Condition) -> None:
        me = threading.get_ident()
        with self._lock:
            self._blocks += 1
            self._blocked[me] = (self._now, self._blocks)
        try:
            cond.wait()
        finally:
            with self._lock:
                self._blocked.pop(me, None)

    def wait(self, cond: threading.Condition, predicate: Callable[[], bool], deadline: float | None) -> bool:
        self._waiting.add(cond)
        while not predicate():
            if deadline is not None and self.now() >= deadline:
                return predicate()
            self._block(cond)
        return True

    def sleep(self, seconds: float) -> None:
        deadline = self.now() + seconds
        with self._sleeping:
            while self.now() < deadline:
                self._block(self._sleeping)

    def mark(self) -> int:
        """The number of blocks so far: ``settle(since=mark)`` waits for blocks after it."""
        with self._lock:
            return self._blocks

    def settle(self, waiters: int = 1, since: int | None = None, timeout: float = 60.0) -> None:
        """Return once ``waiters`` threads are blocked on this clock at its present time, each blocked again since
        ``since`` (default: the last ``advance``). The real ``timeout`` is a canary for a harness that never waits
        again, never a speed budget."""
        end = time.monotonic() + timeout
        while True:
            with self._lock:
                after = self._advanced if since is None else since
                ready = sum(seen == self._now and n > after for seen, n in self._blocked.values())
            if ready >= waiters:
                return
            if time.monotonic() > end:
                raise TimeoutError(f"{ready} of {waiters} threads waited on the clock within {timeout:.0f} s; "
                                   f"where the threads are:\n{_stacks()}")
            time.sleep(0.002)


def _stacks() -> str:
    """Every thread's innermost frames (for a test that waited in vain)."""
    import sys
    import traceback

    out = []
    for ident, frame in sys._current_frames().items():
        lines = traceback.format_stack(frame)[-4:]
        out.append(f"thread {ident}:\n" + "".join(lines))
    return "\n".join(out)
