"""Identical runs computed once: a class that presses Start on the same settings trains one run, not thirty.

A live run is a pure function of its configuration and seed (``README``: "What a seed guarantees"), so while one
is training, or kept after it finished, a session that starts exactly the same configuration *follows* it: its
figures are drawn from the same models, read-only, from the frame the run is at (its curves from the start), then
live. Each Start gets a ``View`` of a ``Shared`` run; the run itself trains into a session of its own (the *hub*,
which no browser owns), and a view copies into its own session what the run put there (``Shared.sync``), so every
figure and tool of the tab works on a view as on a run of its own.

- Stop on a view ends that view only ("Stopped at step 80"); the run stops when its last view has gone (Stop, a
  closed tab, a client that went away). A finished run is kept (``KEEP`` of them, least recently used first out,
  and for ``KEEP_S`` seconds after its last use), so the next identical Start shows its result at once.
- A view that changes something (Pause, Step, Resume after the end, slow motion) gets a run of its own
  (``Sharing.own``): the run itself when no other session follows it (nobody else can join it then), else a private
  copy that trains the same configuration again up to the frame the view was at (the same seed gives the same
  models) and goes on from there.
- Only full-speed runs of a tab that allows it (``Live(..., shared=True)``, the default) are shared: a run that
  reads more than its configuration (the VAE's side runs read the session's model) is not.

No Gradio here.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field, fields
from typing import Any, Callable

from playground.kit.runtime import held_bytes, return_free_memory
from tabs.harness.runner import ORDER, Phase, Run

log = logging.getLogger("playground.live")

KEEP = 8  # finished runs kept for the next identical Start
KEEP_S = 900.0  # seconds a finished run is kept after its last use
KEEP_MB = float(os.environ.get("PLAYGROUND_KEEP_MB", "192"))  # what the kept runs may hold in all (their tensors)
SWEEP_S = 60.0  # how often kept runs are looked at (their time runs out with nobody starting a run)
LEFT = ("phase", "latest", "version", "error")  # what a stopped view keeps of its run
HARNESS_FIELDS = {"run", "stream_id", "stop_stamp", "owner", "synced", "shared", "drawn"}  # never copied from the hub


def share_key(name: str, config: Any) -> str | None:
    """What two Starts must both have to share a run: the live run's name and its configuration as JSON (a
    dataclass by the fields it compares: not a request's context); None when the configuration holds anything
    else (it is then never shared)."""
    try:
        return name + "|" + json.dumps(_plain(config), sort_keys=True)
    except (TypeError, ValueError):
        return None


def _plain(value: Any, depth: int = 0) -> Any:
    if depth > 6:
        raise TypeError("nested too deep")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name), depth + 1) for f in dataclasses.fields(value) if f.compare}
    if isinstance(value, (list, tuple)):
        return [_plain(v, depth + 1) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v, depth + 1) for k, v in value.items()}
    if value is None or isinstance(value, (str, bool, int, float)):
        return float(value) if isinstance(value, float) else value
    raise TypeError(f"{type(value).__name__} is not a plain value")


@dataclass(eq=False)
class Shared:
    """One run and the sessions that follow it."""

    key: str
    hub: Any  # the session the run trains into (a LiveSession no browser owns)
    run: Run
    config: Any
    initial: dict = field(default_factory=dict)  # the hub's field values before the run: only what changed is copied
    views: set = field(default_factory=set)
    used: float = field(default_factory=time.monotonic)
    bytes: int = 0  # what it holds once finished (``held_bytes`` of its hub and last snapshot)

    def sync(self, session) -> None:
        """Copy into ``session`` what the run has put into the hub: each field the run set, and each container it
        may fill in place (a history, a film), once per new value, so what the session itself set since (a view
        it chose) stays."""
        from tabs.harness.film import Film

        hub, synced = self.hub, session.synced
        for f in fields(hub):
            if f.name in HARNESS_FIELDS:
                continue
            value = getattr(hub, f.name)
            if value is self.initial.get(f.name) and not isinstance(value, (list, dict, set, Film)):
                continue
            if synced.get(f.name) is not value:
                setattr(session, f.name, value)
                synced[f.name] = value

    @property
    def followers(self) -> int:
        return len(self.views)


class View:
    """A session's view of a shared run: it reads the run and never changes it. Stop ends the view alone: it keeps
    the frame it was at and says "stopped"; the run goes on for the other views."""

    replay = None  # a view is never a recording's replay
    successor = None  # the run of its session's own that replaced it (``Sharing.own``): its stream draws that one

    def __init__(self, shared: Shared, first: bool, registry: "SharedRuns") -> None:
        self.shared, self.core, self.first = shared, shared.run, first  # first: this view's Start began the run
        self.registry = registry
        self.order = next(ORDER)
        self.name, self.clock = self.core.name, self.core.clock
        self._left: tuple | None = None  # (phase, latest, version, error) once the view was stopped

    # ------------------------------------------------------------ what the harness reads
    def _seen(self, name: str):
        """The run's ``name`` (phase, latest, version, error) as this view shows it: frozen once it was stopped."""
        return self._left[LEFT.index(name)] if self._left else getattr(self.core, name)

    phase = property(lambda self: self._seen("phase"))
    latest = property(lambda self: self._seen("latest"))
    version = property(lambda self: self._seen("version"))
    error = property(lambda self: self._seen("error"))

    @property
    def queued(self) -> bool:
        return not self._left and self.core.queued

    @property
    def stopping(self) -> bool:
        return False  # a view's Stop acts at once

    @property
    def started(self) -> float:
        return self.core.started

    @property
    def left(self) -> bool:
        return self._left is not None

    def place(self):
        return None if self._left else self.core.place()

    def hold(self):
        return self.core.hold()

    def wait_for_change(self, version: int, timeout: float) -> None:
        """As ``Run.wait_for_change``, and also returns once the view was stopped."""
        core, phase = self.core, self.core.phase
        core.wait_by(lambda: self._left is not None or core.version != version or core.phase != phase
                     or core.phase == Phase.PAUSED or core.phase.finished, self.clock.now() + timeout)

    def wait_for_phase(self, deadline: float) -> None:
        """As ``Run.wait_for_phase``, and also returns once the view was stopped."""
        core, phase = self.core, self.core.phase
        core.wait_by(lambda: self._left is not None or core.phase != phase or core.phase == Phase.PAUSED
                     or core.phase.finished or core.stopping, deadline)

    def wait_until(self, done: Callable[[], bool], timeout: float) -> bool:
        return done() if self._left else self.core.wait_until(done, timeout)

    def start(self) -> "View":
        return self

    # ------------------------------------------------------------ leaving
    def stop(self, wait: float = 0.0) -> bool:
        """End this view at the frame it is at; the run stops once no view of it is left."""
        if self._left is None:
            core = self.core
            phase = core.phase if core.phase.finished else Phase.STOPPED
            self._left = (phase, *(getattr(core, name) for name in LEFT[1:]))
            self.registry.leave(self)
            core.nudge()  # a stream of this view waiting on the run looks again
        return True

    def release(self) -> None:
        self.stop()

    def set_pace(self, seconds: float) -> None:
        """Slow motion changes the run: ``Sharing.own`` gives the session a run of its own first."""


class SharedRuns:
    """The shared runs of the process: in progress (``_live``) and finished, kept for a while (``_done``): at most
    ``keep`` of them, holding at most ``keep_mb`` MB of tensors in all (least recently used first out; a run that
    holds more alone is not kept), each for ``keep_s`` seconds after its last use, looked at every ``sweep_s``
    seconds even when nobody starts a run (so memory returns after a class leaves)."""

    def __init__(self, keep: int = KEEP, keep_s: float = KEEP_S, keep_mb: float = KEEP_MB,
                 sweep_s: float = SWEEP_S) -> None:
        self.keep, self.keep_s, self.keep_bytes, self.sweep_s = keep, keep_s, int(keep_mb * 2**20), sweep_s
        self._lock = threading.Lock()
        self._live: dict[str, Shared] = {}
        self._done: OrderedDict[str, Shared] = OrderedDict()
        self._sweeper: threading.Thread | None = None
        self._woken = threading.Event()  # ``clear`` ends the sweeper's wait at once

    def view(self, key: str, make: Callable[[], tuple[Any, Run, Any]]) -> View:
        """A view of the run of ``key``: the one in progress or kept, else a new one from ``make()`` (its hub
        session, its run, not started yet, and its config)."""
        with self._lock:
            self._expire()
            shared = self._live.get(key)
            if shared is not None and (shared.run.phase.finished or shared.run.stopping):
                shared = self._settle(shared)
            if shared is None and key in self._done:
                shared = self._done[key]
                self._done.move_to_end(key)
            first = shared is None
            if first:
                hub, run, config = make()
                shared = Shared(key, hub, run, config)
                shared.initial = {f.name: getattr(hub, f.name) for f in fields(hub)}
                self._live[key] = shared
                run.start()
                self._sweep_later()
            shared.used = time.monotonic()
            view = View(shared, first, self)
            shared.views.add(view)
            return view

    def leave(self, view: View) -> None:
        with self._lock:
            shared = view.shared
            shared.views.discard(view)
            shared.used = time.monotonic()
            if not shared.views and not shared.run.phase.finished:
                shared.run.stop(wait=0)  # nobody watches it any more
                self._forget(shared)

    def take(self, view: View) -> Run | None:
        """The run itself for the session of ``view``, when no other view follows it (nobody can join it after):
        None when others do."""
        with self._lock:
            shared = view.shared
            if shared.views - {view}:
                return None
            shared.views.discard(view)
            self._forget(shared)
            return shared.run

    def _settle(self, shared: Shared) -> Shared | None:
        if self._live.get(shared.key) is shared:
            del self._live[shared.key]
            if shared.run.phase == Phase.DONE:
                shared.bytes = held_bytes((shared.hub, shared.run.latest))
                if shared.bytes > self.keep_bytes:  # alone more than all may hold: not kept, nothing dropped for it
                    log.info("run %s not kept: it holds %.0f MB", shared.key[:60], shared.bytes / 2**20)
                    self._drop(shared)
                    return None
                self._done[shared.key] = shared
                self._done.move_to_end(shared.key)
                while self._done and (len(self._done) > self.keep or self.kept_bytes > self.keep_bytes):
                    self._drop(self._done.popitem(last=False)[1])  # the least recently used first
                return shared
        return shared if self._done.get(shared.key) is shared else None

    @property
    def kept_bytes(self) -> int:
        return sum(s.bytes for s in self._done.values())

    def _forget(self, shared: Shared) -> None:
        if self._live.get(shared.key) is shared:
            del self._live[shared.key]
        if self._done.get(shared.key) is shared:
            del self._done[shared.key]

    def _expire(self) -> None:
        now = time.monotonic()
        for key, shared in list(self._done.items()):
            if now - shared.used > self.keep_s and not shared.views:
                del self._done[key]
                self._drop(shared)
        for shared in list(self._live.values()):  # ended runs nobody looked at since
            if shared.run.phase.finished:
                self._settle(shared)

    @staticmethod
    def _drop(shared: Shared) -> None:
        if not shared.views:
            shared.hub.free()  # its models go, unless a view still shows them (its session keeps them)
            shared.run.release()

    def _sweep_later(self) -> None:
        """Look at the kept runs every ``sweep_s`` seconds while there are any (one daemon thread, started on
        demand, gone when nothing is left)."""
        if self._sweeper is None or not self._sweeper.is_alive():
            self._woken.clear()
            self._sweeper = threading.Thread(target=self._sweep, name="shared-runs-sweep", daemon=True)
            self._sweeper.start()

    def _sweep(self) -> None:
        while not self._woken.wait(self.sweep_s):
            with self._lock:
                before = len(self._done)
                self._expire()
                quiet = not self._live  # nothing trains: the memory kept for the next step has no step to serve
                left = bool(self._live or self._done)
                if not left:
                    self._sweeper = None
            if quiet or len(self._done) < before:
                # back to the system: the models of the runs that went, and what the class freed since the last
                # trim (a stream's last frames, a closed tab's state: 73 MB after ten students, in one process)
                return_free_memory()
            if not left:
                return

    # ------------------------------------------------------------ for tests and benchmarks
    def counts(self) -> dict:
        with self._lock:
            self._expire()  # a run that ended since the last look is kept (or not) now
            return dict(training=len(self._live), kept=len(self._done), kept_mb=round(self.kept_bytes / 2**20, 1),
                        views=sum(len(s.views) for s in [*self._live.values(), *self._done.values()]))

    def clear(self) -> None:
        self._woken.set()
        with self._lock:
            for shared in [*self._live.values(), *self._done.values()]:
                if not shared.run.phase.finished:
                    shared.run.stop(wait=0)
            self._live.clear()
            self._done.clear()


class Sharing:
    """What ``tabs.harness.live.Live`` does with shared runs: a Start becomes a view of one (``begin``), and a view
    that changes something becomes a run of the session's own (``own``). Mixed into ``Live``, whose attributes it
    reads: ``name``, ``shared``, ``runs``, ``session_cls``, ``slot``, ``make_run``, ``cpu_threads``, ``clock`` and
    its method ``new_run``."""

    def begin(self, session, config: Any, pace: float = 0.0):
        """Start: a view of the shared run of exactly this config (in progress, kept, or new), or, for a run in slow
        motion or one that is never shared, a run of the session's own."""
        key = share_key(self.name, config) if self.shared and pace == 0 else None
        if key is None:
            run = self.new_run(session, config, paused=False)
            run.set_pace(pace)
            return run
        session.end_run()

        def make():
            hub = self.session_cls()
            hub.owner = session.owner
            slot = self.slot(config) if self.slot else None
            run = Run(lambda: self.make_run(hub, config), slot=slot, name=self.name, cpu_threads=self.cpu_threads,
                      clock=self.clock, owner=session.owner)
            return hub, run, config

        view = self.runs.view(key, make)
        session.run, session.shared, session.synced = view, view.shared, {}
        return view

    def own(self, session, extra: int = 0, then_run: bool = False) -> tuple[Run, bool]:
        """A run of the session's own in place of its view of a shared run, before it changes something: the run
        itself when no other session follows it, else a private copy that trains the same config again up to the
        view's frame (``extra`` snapshots more), then pauses (``then_run``: goes on). Returns (run, copied)."""
        view = session.run
        if not isinstance(view, View):
            return view, False
        core = view.registry.take(view) if not view.left else None
        if core is not None:
            session.run = view.successor = core  # it trains into the hub, which the session keeps copying from
            return core, False
        k = view.version + extra
        fresh = self.session_cls()  # what the run had put in the session goes: the copy fills its own
        for name in session.synced:
            setattr(session, name, getattr(fresh, name))
        session.shared, session.synced = None, {}
        # the same seed: the same models frame by frame, up to the view's (this ends the view)
        run = self.new_run(session, view.shared.config, paused=not then_run, steps=k, then_run=then_run)
        view.successor = run
        return run, True

    @staticmethod
    def caught_up(run: Run, target: int, timeout: float) -> bool:
        """Wait until a copy has made ``target`` snapshots and stopped there (or ended)."""
        return run.wait_until(lambda: run.version >= target and run.phase != Phase.RUNNING or run.phase.finished,
                              timeout)


SHARED = SharedRuns()
