"""A core generator driven on a thread of its own: Pause / Resume / Step / Stop at its yields (``Run``).

The thread half of the live-run harness (``tabs.harness.live`` puts it in front of a browser); no Gradio here. A run
first takes a slot (``tabs.harness.scheduler``: ``MAX_RUNS`` at once in the process, given out fairly between
browser sessions, plus an optional one such as ``GPU_SLOT``), then trains until its generator ends, diverges
(``Diverged``), fails, or is stopped. Its thread runs at a lower CPU priority than the server's, so an instant view
(an attention map, a prediction) computed beside four training runs answers as if they were not there.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import threading
from enum import Enum
from typing import Any, Callable, Iterator

from playground.kit.runs import Diverged
from playground.kit.runtime import limit_this_thread, lower_this_thread, return_free_memory, this_thread_count
from tabs.harness.clock import REAL, Clock
from tabs.harness.scheduler import MAX_RUNS, SCHEDULER, Place, Ticket  # noqa: F401 - MAX_RUNS: for callers

log = logging.getLogger("playground.live")

CONTROL_WAIT = 3.0  # longest wait of Pause for the run to reach its next yield
TRAINING_NICE = 10  # a run's thread (and the torch threads it starts) yields the CPU to requests: 110 vs 1024 weight
GPU_SLOT = threading.BoundedSemaphore(1)  # device-wide measurements (peak GPU memory) need the GPU alone
# One order for the process's runs and the openings of a tab (``Page.open_stamp``): a run numbered after an opening
# was started by a click that came while the link landed, which the landing must not replace.
ORDER = itertools.count(1)


class Phase(str, Enum):
    WAITING = "waiting"
    RUNNING = "running"
    PAUSED = "paused"
    DONE = "done"
    STOPPED = "stopped"
    DIVERGED = "diverged"
    FAILED = "failed"

    @property
    def finished(self) -> bool:
        return self in (Phase.DONE, Phase.STOPPED, Phase.DIVERGED, Phase.FAILED)


class Run:
    """A core generator driven on its own thread, with Pause / Resume / Step / Stop.

    ``latest`` is the last snapshot (never ``None``); ``version`` counts snapshots. ``hold()`` gives
    exclusive access to the models between two updates (for drawing)."""

    def __init__(self, make_gen: Callable[[], Iterator], slot: threading.Semaphore | None = None,
                 paused: bool = False, name: str = "run", cpu_threads: int | None = None,
                 after: "Run | None" = None, slotless: bool = False, clock: Clock = REAL, owner: Any = None) -> None:
        self._make_gen, self._slot, self.name, self.cpu_threads = make_gen, slot, name, cpu_threads
        self.clock, self.owner = clock, owner  # owner: the browser session it trains for (its fair share of slots)
        self.slotless = slotless  # a replay computes nothing: it takes no slot
        self.ticket = Ticket(name, owner, clock)
        self.replay = None  # a replay of a recorded run: its ``tabs.harness.replay.ReplayInfo``
        self._after = after  # a run on the same models that must have left its last update first
        self._cond = threading.Condition()
        self._models = threading.Lock()  # held by the worker while it computes, by hold() while drawing
        self._holders = 0  # hold() calls waiting for or holding the models: the worker lets them in first
        self._want = Phase.PAUSED if paused else Phase.RUNNING
        self._steps_left: int | None = None  # Step: snapshots to produce before pausing again
        self._after_steps = Phase.PAUSED  # what the run does once they are made (``step(then_run=True)``: run on)
        self.phase = Phase.WAITING
        self.queued = False  # True once it had to wait for a slot (the status says so only then)
        self._holding = False  # it holds one of the scheduler's slots (not while paused)
        self.pace = 0.0  # slow motion: seconds the run waits after each snapshot (0: full speed); ``set_pace``
        self.latest: Any = None
        self.version = 0
        self.error: BaseException | None = None
        self.started = clock.now()
        self.order = next(ORDER)
        self._thread = threading.Thread(target=self._work, name=f"live-{name}", daemon=True)

    # ------------------------------------------------------------ controls (any thread)
    def start(self) -> "Run":
        self._thread.start()
        return self

    def then(self, make_gen: Callable[[], Iterator]) -> "Run":
        """A new run on the same models, in the same slot, started once this one has left its last update
        (Resume after the end: more steps of the same trainer)."""
        return Run(make_gen, slot=self._slot, name=self.name, cpu_threads=self.cpu_threads, after=self,
                   clock=self.clock, owner=self.owner).start()

    def pause(self, wait: float = CONTROL_WAIT) -> bool:
        """Ask the run to pause at its next yield; True once it has."""
        with self._cond:
            if not self.phase.finished:
                self._want, self._steps_left = Phase.PAUSED, None
                self._cond.notify_all()
        return self.wait_until(lambda: self.phase in (Phase.PAUSED, Phase.WAITING) or self.phase.finished, wait)

    def resume(self, wait: float = CONTROL_WAIT) -> bool:
        with self._cond:
            self._want, self._steps_left = Phase.RUNNING, None
            self._cond.notify_all()
        return self.wait_until(lambda: self.phase != Phase.PAUSED, wait)

    def step(self, n: int = 1, wait: float = 30.0, then_run: bool = False) -> bool:
        """Produce ``n`` more snapshots, then pause (``then_run``: go on running, at the run's pace); True once done
        (or finished)."""
        with self._cond:
            target = self.version + n
            self._want, self._steps_left, self._after_steps = Phase.RUNNING, n, (
                Phase.RUNNING if then_run else Phase.PAUSED)
            self._cond.notify_all()
        return self.wait_until(lambda: self.version >= target and self.phase != Phase.RUNNING or self.phase.finished,
                          wait)

    def stop(self, wait: float = CONTROL_WAIT) -> bool:
        """End the run at its next yield (its generator is closed); True once it has ended."""
        with self._cond:
            self._want = Phase.STOPPED
            self._cond.notify_all()
        return self.wait_until(lambda: self.phase.finished, wait)

    def set_pace(self, seconds: float) -> None:
        """Slow motion for narrating a run: after each snapshot it waits ``seconds`` before training on (0: full
        speed). Takes effect at once, also during such a wait; Pause, Step and Stop act as ever. The core's clocks
        (``BusyClock``) count only its work, so its measured speed is the same at any pace."""
        with self._cond:
            self.pace = max(0.0, float(seconds))
            self._cond.notify_all()

    def place(self) -> Place | None:
        """Where the run stands in line for a slot, while it waits (None otherwise)."""
        return SCHEDULER.place(self.ticket) if self.phase == Phase.WAITING and not self.slotless else None

    @property
    def stopping(self) -> bool:
        """Stop was asked for (the run may still be finishing its update)."""
        return self._want == Phase.STOPPED

    def nudge(self) -> None:
        """Wake whoever waits on the run (a view of it that was stopped: its stream looks again)."""
        with self._cond:
            self._cond.notify_all()

    def release(self) -> None:
        """Drop the last snapshot (what holds the models) of a run nobody will look at again."""
        with self._cond:
            self.latest = None

    def _settled(self) -> bool:
        """Paused or ended: a stream has its last word to say."""
        return self.phase == Phase.PAUSED or self.phase.finished

    def wait_for_change(self, version: int, timeout: float) -> None:
        """Return when a snapshot newer than ``version`` exists, the phase changed or is settled (paused, ended),
        or after ``timeout``."""
        phase = self.phase
        with self._cond:
            self.clock.wait(self._cond, lambda: self.version != version or self.phase != phase or self._settled(),
                            self.clock.now() + timeout)

    def wait_for_phase(self, deadline: float) -> None:
        """Return when the phase changes or is settled (paused, ended, stopping), or the run's clock reads
        ``deadline``: new snapshots alone do not wake the caller (a stream waiting for its next frame to be due)."""
        phase = self.phase
        with self._cond:
            self.clock.wait(self._cond, lambda: self.phase != phase or self._settled() or self._want == Phase.STOPPED,
                            deadline)

    def wait_until(self, done: Callable[[], bool], timeout: float) -> bool:
        """Block until ``done()`` holds (it reads the run's state), or ``timeout`` seconds pass on the run's clock."""
        return self.wait_by(done, self.clock.now() + timeout)

    def wait_by(self, done: Callable[[], bool], deadline: float) -> bool:
        """Block until ``done()`` holds, or the run's clock reads ``deadline``."""
        with self._cond:
            return self.clock.wait(self._cond, done, deadline)

    @contextlib.contextmanager
    def hold(self):
        """Exclusive access to the run's models between two updates (the worker waits meanwhile, and lets a waiting
        holder in before its next update: a lock alone let a fast core take it back at once, and a figure waited);
        what the holder computes with them (a figure's samples) uses the run's own thread count, as the run does."""
        with self._cond:
            self._holders += 1
        try:
            with self._models, self._own_threads():
                yield
        finally:
            with self._cond:
                self._holders -= 1
                self._cond.notify_all()

    @contextlib.contextmanager
    def _own_threads(self):
        if not self.cpu_threads:
            yield
            return
        before = this_thread_count()
        limit_this_thread(self.cpu_threads)
        try:
            yield
        finally:
            limit_this_thread(before)

    def _set(self, phase: Phase) -> None:
        with self._cond:
            self.phase = phase
            self._cond.notify_all()

    # ------------------------------------------------------------ the worker
    def _gate(self) -> bool:
        """Between two yields: wait while paused; False when the run must end. A paused run computes nothing, so
        it gives its training slot back while it waits (four students who paused to look at a figure would
        otherwise hold the class's runs behind theirs) and takes its place in line again on Resume or Step."""
        with self._cond:
            paused = self._want == Phase.PAUSED
            if paused:
                self.phase = Phase.PAUSED
                self._cond.notify_all()
        if paused:
            self._give_slot_back()
            with self._cond:
                self._cond.wait_for(lambda: self._want != Phase.PAUSED)
        with self._cond:
            if self._want == Phase.STOPPED:
                return False
        if not self._take_slot():
            return False
        with self._cond:
            if self.phase != Phase.RUNNING:
                self.phase = Phase.RUNNING
                self._cond.notify_all()
            return True

    def _take_slot(self) -> bool:
        """Hold a training slot (wait in line for one, phase WAITING); False once Stop came first."""
        if self.slotless or self._holding:
            return True
        if self.phase != Phase.WAITING:
            self._set(Phase.WAITING)
        if not SCHEDULER.acquire(self.ticket, cancelled=self._waits):
            return False
        self._holding = True
        return True

    def _give_slot_back(self, finished: bool = False) -> None:
        """``finished``: the run ran to its end (its time makes its kind's estimate)."""
        if self._holding:
            self._holding = False
            SCHEDULER.release(self.ticket, finished=finished)

    def _linger(self) -> None:
        """After a snapshot, in slow motion: wait ``pace`` seconds on the run's clock, or until Pause, Stop, a Step
        or a new pace."""
        with self._cond:
            pace = self.pace
            if pace <= 0 or self._steps_left is not None or self._want != Phase.RUNNING:
                return
            self.clock.wait(self._cond, lambda: self._want != Phase.RUNNING or self.pace != pace
                            or self._steps_left is not None, self.clock.now() + pace)

    def _waits(self) -> bool:
        """Asked while the run waits for a slot: it is queued (the status says so); True once Stop came."""
        self.queued = True
        return self._want == Phase.STOPPED

    def _let_holders_in(self) -> None:
        with self._cond:
            self._cond.wait_for(lambda: self._holders == 0)

    def _work(self) -> None:
        gen = None
        end = Phase.DONE
        dropped = False  # the last snapshot came after Stop: it is not the run's
        with contextlib.ExitStack() as slots:
            try:
                lower_this_thread(TRAINING_NICE)  # before its first torch op: the pool it starts inherits it
                if not self.slotless:
                    slots.callback(self._give_slot_back)
                    if self._want != Phase.PAUSED and not self._take_slot():  # paused: in line on Resume
                        raise _Stopped
                    if self._slot is not None:
                        while not self._slot.acquire(timeout=0.2):
                            if self._waits():
                                raise _Stopped
                        slots.callback(self._slot.release)
                if self._after is not None:
                    self._after._thread.join()
                    self._after = None
                if self.cpu_threads:  # this thread only: other sessions keep theirs
                    limit_this_thread(self.cpu_threads)
                with self._models:
                    gen = self._make_gen()
                while self._gate():
                    with self._models:
                        item = next(gen, _END)
                    self._let_holders_in()
                    if item is _END:
                        break
                    if item is not None:
                        with self._cond:
                            if self._want == Phase.STOPPED:  # Stop has answered with the snapshot before this
                                end, dropped = Phase.STOPPED, True  # one: what the update made is not shown
                                break
                            self.latest = item
                            self.version += 1
                            if self._steps_left is not None:
                                self._steps_left -= 1
                                if self._steps_left <= 0:
                                    self._want, self._steps_left = self._after_steps, None
                            self._cond.notify_all()
                        self._linger()
                else:
                    end = Phase.STOPPED
            except _Stopped:
                end = Phase.STOPPED
            except Diverged as e:
                self.error, end = e, Phase.DIVERGED
            except ValueError as e:  # a user-facing message from the core
                self.error, end = e, Phase.FAILED
                log.info("run %s ended: %s", self.name, e)
            except Exception as e:  # a bug: keep the traceback in the log
                self.error, end = e, Phase.FAILED
                log.exception("run %s failed", self.name)
            finally:
                if gen is not None:
                    if dropped:
                        _drop(gen)
                    gen.close()
                gen = None
                self._give_slot_back(finished=end == Phase.DONE)  # before it says it ended: the slot is free then
                self._set(end)
                return_free_memory()


class _Stopped(Exception):
    pass


class Dropped(GeneratorExit):
    """Thrown into a run's generator at its last yield when the run ends without that snapshot (Stop came while
    the update that made it ran). To any generator it is a close; a wrapper that keeps what its consumer took
    (``tabs.harness.film.filmed``) tells it from a close after a snapshot that was taken."""


def _drop(gen) -> None:
    try:
        gen.throw(Dropped())
    except (GeneratorExit, StopIteration):
        pass


_END = object()
