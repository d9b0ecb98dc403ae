"""Who trains next: the process's training slots, given out fairly between browser sessions (``Scheduler``).

``MAX_RUNS`` runs train at once in the process. A run that finds them taken waits in line, and the line is not
first come, first served: the next slot goes to the waiting run whose session has the fewest runs training (ties:
the session served longest ago, then the run that came first), and no session trains more than ``PER_SESSION`` runs at once. So one student who starts
a long sweep, then another, does not hold the class's short GAN runs behind both, and a lecturer's run waits for at
most one other of each session ahead of it.

A waiting run knows its place in that line and an estimated start (``Scheduler.place``), from the runs training
now and those ahead of it in line, each expected to take as long as the recent finished runs of its kind (the
median of the last ``KEEP``); with no finished run of a kind yet, there is no estimate, and the status says so.
No Gradio here; ``tabs.harness.runner.Run`` takes a slot through ``acquire`` and gives it back with ``release``.
"""

from __future__ import annotations

import heapq
import itertools
import os
import statistics
import threading
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any, Callable

from tabs.harness.clock import REAL, Clock

MAX_RUNS = int(os.environ.get("PLAYGROUND_MAX_RUNS", "4"))  # runs training at once in this process
PER_SESSION = int(os.environ.get("PLAYGROUND_RUNS_PER_SESSION", "2"))  # of them, at most this many of one session
KEEP = 5  # finished runs of a kind whose durations make its estimate
SESSIONS_KEPT = 256  # sessions whose last turn is remembered (a bound, not a limit on sessions)
POLL = 0.2  # seconds between two looks of a waiting run at whether it was stopped

_arrivals = itertools.count()


@dataclass(eq=False)
class Ticket:
    """One run's place in the scheduler: its kind (the live run's name, for the estimate), its browser session
    (``owner``; None: a session of its own) and the clock its times are read on."""

    kind: str
    owner: Any = None
    clock: Clock = REAL
    arrival: int = field(default_factory=lambda: next(_arrivals))
    started: float | None = None  # on ``clock``, since it holds its slot
    trained: float = 0.0  # seconds it held slots before (a paused run gives its slot back)

    @property
    def session(self) -> Any:
        return self.owner if self.owner is not None else self


@dataclass(frozen=True)
class Place:
    """Where a waiting run stands: ``position`` 1 is next; ``eta`` seconds until it starts (None: no estimate);
    ``training`` runs hold the slots now."""

    position: int
    eta: float | None
    training: int


class Scheduler:
    def __init__(self, slots: int = MAX_RUNS, per_session: int = PER_SESSION) -> None:
        self.slots, self.per_session = slots, per_session
        self._cond = threading.Condition()
        self._training: list[Ticket] = []
        self._waiting: list[Ticket] = []
        self._took: dict[str, deque] = {}  # kind -> durations (s) of its last finished runs
        self._served: dict[Any, int] = {}  # session -> the turn (a count) at which it last got a slot
        self._turns = itertools.count(1)

    # ------------------------------------------------------------ the line
    def _line(self) -> list[Ticket]:
        """The waiting runs in the order they will get slots: each next one from the session with the fewest runs
        training or ahead of it in this line; ties go to the session served longest ago (never: first), then to the
        earlier arrival. So two sessions take turns."""
        counts = Counter(t.session for t in self._training)
        served = dict(self._served)
        pending, out = sorted(self._waiting, key=lambda t: t.arrival), []
        turn = max(served.values(), default=0)
        while pending:
            best = min(pending, key=lambda t: (counts[t.session], served.get(t.session, -1), t.arrival))
            pending.remove(best)
            counts[best.session] += 1
            turn += 1
            served[best.session] = turn
            out.append(best)
        return out

    def _next(self) -> Ticket | None:
        """The run the next free slot goes to (None: no slot free, or every waiting session at its cap)."""
        if len(self._training) >= self.slots:
            return None
        counts = Counter(t.session for t in self._training)
        return next((t for t in self._line() if counts[t.session] < self.per_session), None)

    def acquire(self, ticket: Ticket, cancelled: Callable[[], bool] = lambda: False) -> bool:
        """Wait for a slot; False (and out of line) once ``cancelled()`` holds first."""
        with self._cond:
            self._waiting.append(ticket)
            self._cond.notify_all()
            try:
                while self._next() is not ticket:
                    if cancelled():
                        return False
                    self._cond.wait(POLL)
                ticket.started = ticket.clock.now()
                self._training.append(ticket)
                self._served[ticket.session] = next(self._turns)
                if len(self._served) > 4 * SESSIONS_KEPT:  # the longest-served sessions are forgotten
                    for old in sorted(self._served, key=self._served.get)[:SESSIONS_KEPT]:
                        del self._served[old]
                return True
            finally:
                self._waiting.remove(ticket)
                self._cond.notify_all()

    def release(self, ticket: Ticket, finished: bool = False) -> None:
        """Give the slot back; ``finished``: the run ran to its end, so the time it trained (its slots' time,
        pauses left out) makes its kind's estimate."""
        with self._cond:
            if ticket in self._training:
                self._training.remove(ticket)
                if ticket.started is not None:
                    ticket.trained += max(0.0, ticket.clock.now() - ticket.started)
                    ticket.started = None
                if finished:
                    self._took.setdefault(ticket.kind, deque(maxlen=KEEP)).append(ticket.trained)
            self._cond.notify_all()

    # ------------------------------------------------------------ what a waiting run is told
    def expected(self, kind: str) -> float | None:
        """Seconds a run of ``kind`` is expected to train: the median of its last finished runs here."""
        took = self._took.get(kind)
        return statistics.median(took) if took else None

    def place(self, ticket: Ticket) -> Place | None:
        """Where a waiting run stands (None once it trains, or if it never waited here)."""
        with self._cond:
            line = self._line()
            if ticket not in line:
                return None
            position = line.index(ticket) + 1
            now, known = ticket.clock.now(), True
            free = [0.0] * max(0, self.slots - len(self._training))  # when each slot is free, from now
            for t in self._training:
                took = self.expected(t.kind)
                known = known and took is not None
                free.append(max(1.0, (took or 0.0) - t.trained - (now - (t.started or now))))  # >= 1 s more
            heapq.heapify(free)
            for t in line[:position - 1]:
                took = self.expected(t.kind)
                known = known and took is not None
                heapq.heappush(free, heapq.heappop(free) + (took or 0.0))
            return Place(position, free[0] if known else None, len(self._training))

    @property
    def training(self) -> int:
        with self._cond:
            return len(self._training)

    @property
    def waiting(self) -> int:
        with self._cond:
            return len(self._waiting)


SCHEDULER = Scheduler()
