"""The live-run harness: one way for every training tab to run an experiment live.

A core training loop is a generator (``playground/``) that yields frozen snapshots, and ``None`` as a
heartbeat between expensive updates. A tab gets Start / Pause-Resume / Step / Stop (and Replay) for it by giving:

1. ``session``: a dataclass subclassing ``LiveSession``, one per browser session (kept in ``gr.State``),
   holding what the figures need (a trainer, a history...); its ``free()`` drops the models;
2. ``make_run(session, config) -> Iterator[snapshot | None]``: the core generator. It is called on the
   run's own thread, so everything it does (and its ``torch.Generator``) belongs to that run;
3. ``render(session, snapshot, lang) -> dict[component, value]``: one frame of figures;
4. ``where(session, snapshot, lang) -> str``: how far the run is ("step 80 of 4,000, 120 steps/s"), which
   the harness puts into its statuses ("Stopped at step 80 of 4,000").

    live = Live(page, "gan", GanSession, make_run=self.make_run, render=self.render, where=self.where,
                config=self.read, replayer=replay.REPLAYER)
    controls = ControlSet.buttons(page, "gan", replay=True)   # inside the row that holds Start
    status = controls.status_line()                           # where the status goes
    live.wire(controls, inputs={"lr_g": lr_g_box, ...}, outputs=[plane, losses])

How it behaves, for every tab alike:
- The run trains on a thread of its own (a ``Run``); the browser's streaming event only draws. Frames go
  out at most every ``FRAME_INTERVAL`` seconds, and never faster than the page draws them (``tabs.harness.pacing``).
- Pause and Stop act at the run's next yield (the cores yield at least every ~0.3 s), and their handlers wait
  for that before answering, so the answer ("Stopped at epoch 8") is never overwritten by a late frame.
- Step advances exactly one snapshot and pauses (starting a paused run first when there is none).
- A run waits for a free slot (``MAX_RUNS`` at once in the process, shared fairly between browser sessions by
  ``tabs.harness.scheduler``; a ``slot`` such as ``GPU_SLOT`` for work that must run alone), and while it waits
  its status gives its place in line and, once runs of the kinds ahead have finished here, when it should start.
- A loss that turns NaN (``Diverged``) stops the run with the last finite figures kept; a user error from
  the core (``ValueError``) becomes a toast after the last good frame; a bug is logged with its traceback.
- Closing the browser tab, or the state's time-to-live, stops the session's runs and frees their models; a client
  that goes away, or reads none of its frames, ends its run (waiting or running).
- A page's click carries the page's clock (``Live.stamp``): a Stop clicked while its Start still waited in
  Gradio's queue withdraws that Start when its turn comes (the Stop's handler ran first, with no run to stop).
  Running streams are never cancelled: they end with the run, so Stop's answer is never followed by an error.
"""

from __future__ import annotations

import copy
import logging
import threading
from dataclasses import dataclass, field, fields
from typing import Any, Callable, Iterator

import gradio as gr

from tabs.harness.clock import REAL, Clock
from tabs.harness.i18n import t, user_error
from tabs.harness.pacing import Pacer
from tabs.harness.runner import Phase, Run
from tabs.harness.shared import SHARED, Sharing, View
from tabs.harness.widgets import named

log = logging.getLogger("playground.live")

FRAME_INTERVAL = 0.4  # seconds between streamed frames (2.5 a second)
STOP_ANSWER = 0.5  # Stop answers after at most this long, even while one long update finishes (budget: 1 s on screen)
SESSION_TTL = 3 * 3600  # a session's state (and its models) is freed this long after its last run started
NO_CHANGE = gr.skip()  # the one way a handler says "leave this output as it is"
PACE_POLL = 0.1  # while the page draws, the stream looks at the run this often (a Stop or a pause goes out at once)
STREAMS = 64  # streaming events drawing at once (each mostly waits for the next frame)
UNREAD_LIMIT = 25  # frames queued for a client that reads none of them (10 s of frames): nobody watches the run
OWN_NAMES = {"session", "lang", "page", "speed", "pace"}  # the harness's own input names
PACES = {"full": 0.0, "1": 1.0, "3": 3.0}  # slow motion: seconds a run waits after each snapshot (``Run.set_pace``)


@dataclass
class LiveSession:
    """Base of a tab's per-browser-session state. Subclasses add what their figures need."""

    run: Run | None = field(default=None, repr=False)
    stream_id: int = 0  # a streaming loop draws only while its id is the newest
    stop_stamp: float = 0.0  # the page's clock (ms) at its newest Stop click: a Start clicked before it is withdrawn
    owner: str | None = None  # the browser session (Gradio's session hash) its runs train for: their share of slots
    shared: Any = field(default=None, repr=False, compare=False)  # the shared run it follows (``tabs.harness.shared``)
    synced: dict = field(default_factory=dict, repr=False, compare=False)  # what it last copied from that run
    drawn: bool = False  # a run's or a recording's figures are on its page: a new run's wait says so

    def end_run(self) -> None:
        if self.run is not None and not self.run.phase.finished:
            self.run.stop()

    def free(self) -> None:
        """Stop the run and drop what it holds (called when the browser session ends)."""
        run, self.run = self.run, None
        if run is not None:
            if not run.phase.finished:
                run.stop()
            run.release()  # its thread may live a moment longer (it hands memory back): not with the models

    def held(self):
        """Exclusive access to the run's models between two updates (or nothing to wait for without a run)."""
        import contextlib

        return self.run.hold() if self.run is not None else contextlib.nullcontext()

    def __deepcopy__(self, memo):
        # gr.State copies its default value for every new session. A run (a thread) is never copied: the
        # copy starts without one; everything else is copied as usual.
        new = copy.copy(self)
        for f in fields(self):
            if f.name not in ("run", "shared"):
                setattr(new, f.name, copy.deepcopy(getattr(self, f.name), memo))
        new.run, new.shared = None, None
        return new


@dataclass
class ControlSet:
    """The controls of one live run: Start, Pause / Resume, Step +1, Stop, and optionally Replay (with its length)
    in the row that holds Start, the status line, and the note under the row that says whether a recording of the
    settings on screen exists. Element ids are ``<prefix>-start``, ``<prefix>-status``... unless ``ids`` says
    otherwise."""

    prefix: str
    start: gr.Button
    pause: gr.Button | None = None
    step: gr.Button | None = None
    stop: gr.Button | None = None
    replay: gr.Button | None = None
    speed: gr.Dropdown | None = None
    pace: gr.Dropdown | None = None
    status: gr.Markdown | None = None
    note: gr.Markdown | None = None
    page: Any = field(default=None, repr=False)

    @classmethod
    def buttons(cls, page, prefix: str, *, pause: bool = True, step: bool = True, replay: bool = False,
                ids: dict[str, str] | None = None, size: str | None = None, pace: bool = True) -> "ControlSet":
        """The buttons, created where the caller's layout is now (inside the row that holds Start), and the pace
        (slow motion, so a lecturer can narrate the early updates) unless ``pace=False``."""
        from tabs.harness import replay as replays

        tr, ids = page.tr, ids or {}
        kw = {"size": size} if size else {}

        def button(name: str, key: str, **more):
            return tr(gr.Button, value=key, elem_id=ids.get(name, f"{prefix}-{name}"), **kw, **more)

        out = cls(prefix, button("start", "live.start", variant="primary"), page=page)
        out.pause = button("pause", "live.pause_resume") if pause else None
        out.step = button("step", "live.step") if step else None
        out.stop = button("stop", "live.stop", variant="stop")
        if replay:
            out.replay, out.speed = replays.controls(tr, prefix)
        if pace:
            out.pace = tr(gr.Dropdown, choices=[(f"live.pace.{k}", k) for k in PACES], value="full",
                          show_label=False, container=False, elem_id=f"{prefix}-pace", min_width=170, scale=0)
        return out

    def status_line(self, **kw) -> gr.Markdown:
        """The run's status line, created here (where the caller wants it)."""
        self.status = self.page.tr(gr.Markdown, value="live.idle", elem_id=f"{self.prefix}-status", **kw)
        return self.status

    def replay_note(self) -> gr.Markdown:
        """The note under the row: whether there is a recording of exactly these settings."""
        self.note = gr.Markdown(elem_id=f"{self.prefix}-replay-note", elem_classes=["replay-note"])
        return self.note


# ---------------------------------------------------------------- one tab's wiring
class Live(Sharing):
    """Turns a core generator and a render function into a live tab (see the module docstring)."""

    def __init__(self, page, name: str, session: type[LiveSession],
                 make_run: Callable[[LiveSession, Any], Iterator], render: Callable[[LiveSession, Any, str], dict],
                 where: Callable[[LiveSession, Any, str], str], config: Callable[[dict, str], Any],
                 slot: Callable[[Any], threading.Semaphore | None] | None = None,
                 more: Callable[[LiveSession], Iterator | None] | None = None, cpu_threads: int | None = None,
                 replayer=None, clock: Clock = REAL, shared: bool = True) -> None:
        self.page, self.name, self.session_cls, self.make_run, self.render = page, name, session, make_run, render
        # identical Starts share one run (``tabs.harness.shared``); False for a run that reads more than its config
        self.shared, self.runs = shared, SHARED
        self.cpu_threads = cpu_threads  # small nets: 1 thread is faster than 2 that wait for each other
        self.where, self.config, self.slot, self.more, self.replayer = where, config, slot, more, replayer
        self.clock = clock  # every wait of its runs and streams (a test drives them with a ManualClock)
        self.state: gr.State | None = None
        self.inputs: dict[str, gr.components.Component] = {}
        self.outputs: list = []
        self.status_output: gr.components.Component | None = None
        self.pace_input: gr.components.Component | None = None  # the control set's pace, once wired

    @property
    def lang(self) -> gr.components.Component:
        return self.page.lang

    # ------------------------------------------------------------ frames
    def status(self, session: LiveSession, lang: str) -> str:
        text = self._status(session, lang)
        run = session.run
        if isinstance(run, View) and not run.first:
            key = "live.following.left" if run.left else "live.following"
            return t(key, lang, status=text)
        return text

    def _status(self, session: LiveSession, lang: str) -> str:
        self.sync(session)
        run = session.run
        if run is None:
            return t("live.idle", lang)
        if run.latest is None:
            if run.phase == Phase.FAILED:
                return t("live.failed_early", lang, msg=_message(run.error, lang))
            if run.phase.finished:
                return t("live.stopped_early", lang)
            text = waiting_status(run.place(), lang) if run.queued else t("live.preparing", lang)
            return text + " " + t("live.earlier_figures", lang) if session.drawn else text
        where = self.where(session, run.latest, lang)
        if run.replay is not None and run.phase not in (Phase.DIVERGED, Phase.FAILED):
            return run.replay.status(run.phase.value, where, lang)  # says it is a recorded run, not a live one
        if run.phase == Phase.DIVERGED:
            return t("live.diverged", lang, step=run.error.step, what=run.error.what, where=where)
        if run.phase == Phase.FAILED:
            return t("live.failed", lang, where=where, msg=_message(run.error, lang))
        if run.phase == Phase.WAITING:  # resumed after a pause, back in line for a slot
            return t("live.back_in_line", lang, where=where, line=waiting_status(run.place(), lang).rstrip("…"))
        return t(f"live.{run.phase.value}", lang, where=where)

    def frame(self, session: LiveSession, lang: str) -> dict:
        """The status and, when there is a snapshot, every figure of it."""
        out = {self.status_output: self.status(session, lang)}
        run = session.run
        if run is not None and run.latest is not None:
            with run.hold():
                self.sync(session)
                out.update(self.render(session, run.latest, lang))
            session.drawn = True
        return out

    @staticmethod
    def sync(session: LiveSession) -> None:
        """A session that follows a shared run (or took it over) gets what the run put into its hub."""
        if session.shared is not None:
            session.shared.sync(session)

    def stream(self, session: LiveSession, lang: str, paced: bool = False) -> Iterator[dict]:
        """Draw the session's run until it pauses or ends; a newer stream of the session ends this one.
        ``paced``: the page acknowledges each frame it has drawn and the next waits for that (``tabs.harness.pacing``).
        A client that goes away ends the run (waiting or running), and so does one that reads none of its
        frames (``UNREAD_LIMIT``: a POST to ``/call/<name>_start`` whose stream is never read)."""
        session.stream_id += 1
        me, run = session.stream_id, session.run
        shown, last = -1, 0.0
        pacer = Pacer(paced, self.clock)
        unread = unread_messages()
        streams = self.page.streams
        streams.__enter__()
        try:
            while True:
                gap = streams.gap(FRAME_INTERVAL)  # longer when many streams draw (``tabs.harness.pacing.Streams``)
                if run.version != shown and self.clock.now() < last + gap:  # a newer snapshot, its frame
                    run.wait_for_phase(last + gap)  # not due yet: sleep, do not spin (spinning took the
                else:  # GIL from a small net: 20 steps/s through the app, 640 alone)
                    run.wait_for_change(shown, gap)
                successor = getattr(run, "successor", None)
                if session.stream_id == me and successor is not None and session.run is successor:
                    run, shown = successor, -1  # a view became a run of the session's own (slow motion): draw that
                    continue
                if session.stream_id != me or session.run is not run:
                    return
                if unread() > UNREAD_LIMIT and not run.phase.finished:
                    log.info("run %s stopped: its client reads none of its frames", self.name)
                    run.stop(wait=0)
                    return
                settled = run.phase == Phase.PAUSED or run.phase.finished
                if not settled and run.stopping:  # Stop answers for the run: no frame of it may come after that
                    run.wait_until(lambda: run.phase.finished, PACE_POLL)
                    continue
                if not settled and not pacer.ready():  # the page is still drawing the last frame
                    pacer.wait(PACE_POLL)
                    continue
                if run.phase in (Phase.DIVERGED, Phase.FAILED):  # keep the last good figures on screen
                    yield {self.status_output: self.status(session, lang)}
                elif settled or (run.version != shown and self.clock.now() - last >= gap):
                    shown, last = run.version, self.clock.now()
                    out = self.frame(session, lang)  # may wait for the run's update to end (``hold``)
                    if not settled and run.stopping:  # Stop was asked for meanwhile: its answer is the last word
                        continue
                    if not settled:
                        out[self.status_output] = pacer.tag(out[self.status_output])
                    yield out
                elif run.latest is None and self.clock.now() - last >= gap:
                    last = self.clock.now()
                    yield {self.status_output: self.status(session, lang)}
                if settled:
                    if run.phase == Phase.FAILED and run.error is not None:
                        raise user_error(_message(run.error, lang))
                    return
        except GeneratorExit:  # the browser went away or the event was cancelled: do not train for nobody
            if session.stream_id == me and run.phase in (Phase.RUNNING, Phase.WAITING):  # waiting for a slot too
                run.stop(wait=0)
            raise
        finally:
            streams.__exit__()
            pacer.close()

    # ------------------------------------------------------------ handlers
    def values(self, data: dict) -> dict:
        """The config fields' values, from the data of an event."""
        return {name: data[c] for name, c in self.inputs.items()}

    def new_run(self, session: LiveSession, config: Any, paused: bool, steps: int = 0, then_run: bool = False) -> Run:
        """A run of the session's own; ``steps``: it makes that many snapshots first, then pauses (``then_run``: goes
        on), counted from its very first one."""
        session.end_run()
        slot = self.slot(config) if self.slot else None
        session.run = Run(lambda: self.make_run(session, config), slot=slot, paused=paused, name=self.name,
                          cpu_threads=self.cpu_threads, clock=self.clock, owner=session.owner)
        if steps:
            session.run.step(steps, wait=0, then_run=then_run)  # before its thread starts: none is missed
        return session.run.start()

    def pace_of(self, data: dict, lang: str) -> float:
        """The slow-motion pace the event asks for (seconds after each snapshot; 0 without a pace control)."""
        if self.pace_input is None:
            return 0.0
        value = data.get(self.pace_input)
        if value in (None, ""):
            return 0.0
        if str(value) not in PACES:
            raise user_error(t("live.err.pace", lang, value=str(value)[:40], choices=", ".join(PACES)))
        return PACES[str(value)]

    def set_pace(self, data: dict) -> None:
        """The pace control changed: the session's run (if any) goes on at the new pace at once."""
        session, lang = data[self.state], data[self.lang]
        pace = self.pace_of(data, lang)
        if isinstance(session.run, View) and not session.run.left and pace > 0:
            # slow motion changes the run: a run of its own, caught up, going on at the new pace
            self.own(session, then_run=not session.run.phase.finished)
        if session.run is not None and session.run.replay is None:
            session.run.set_pace(pace)

    def remember(self, request: gr.Request | None, session: LiveSession) -> None:
        """The browser session of ``request`` owns ``session``: closing it frees the runs, and its runs share the
        training slots as that session's."""
        self.page.sessions.remember(request, session)
        if request is not None and getattr(request, "session_hash", None):
            session.owner = request.session_hash

    def stamp(self, data: dict) -> float:
        """When the page clicked (its clock, ms); 0 for API clients. Nonzero also means the page paces frames."""
        return float(data.get(self.page.clock) or 0)

    def note_stop(self, session: LiveSession, data: dict) -> None:
        """A Stop (or anything that ends the session's run) clicked now: clicks from before it are withdrawn."""
        session.stop_stamp = max(session.stop_stamp, self.stamp(data))

    def withdrawn(self, session: LiveSession, data: dict) -> bool:
        """A click from the page that came before its newest Stop (it waited in the queue meanwhile)."""
        return 0 < self.stamp(data) < session.stop_stamp

    def start(self, data: dict, request: gr.Request = None):
        session, lang = data[self.state], data[self.lang]
        if self.withdrawn(session, data):
            yield {self.state: session, self.status_output: t("live.withdrawn", lang)}
            return
        config = self.config(self.values(data), lang)
        pace = self.pace_of(data, lang)
        self.remember(request, session)
        self.begin(session, config, pace)
        yield {self.state: session, self.status_output: self.status(session, lang)}
        yield from self.stream(session, lang, paced=self.stamp(data) > 0)

    def pause_resume(self, data: dict, request: gr.Request = None):
        session, lang = data[self.state], data[self.lang]
        run = session.run
        if self.withdrawn(session, data):  # a Resume that waited in the queue while Stop ended the run
            yield {self.status_output: self.status(session, lang)}
            return
        if isinstance(run, View):  # Pause or Resume changes the run: the session's own, first
            following = run.phase in (Phase.RUNNING, Phase.WAITING) and not run.left
            run, copied = self.own(session, then_run=run.left and run.phase != Phase.DONE)  # Resume of a left view
            if copied:  # it catches up and pauses where the view was: drawn until then
                self.remember(request, session)
                yield {self.state: session, self.status_output: self.status(session, lang)}
                yield from self.stream(session, lang, paced=self.stamp(data) > 0)
                return
            if following:
                run.pause()
                yield self.frame(session, lang)
                return
        if run is not None and run.phase in (Phase.RUNNING, Phase.WAITING):
            run.pause()
            yield self.frame(session, lang)
            return
        if run is not None and run.phase == Phase.PAUSED:
            run.set_pace(self.pace_of(data, lang))
            run.resume()
        elif run is not None and run.replay is not None:  # a finished replay has nothing more to show
            raise user_error(t("live.replay.ended", lang))
        elif run is not None and run.phase in (Phase.DONE, Phase.STOPPED) and self.more is not None:
            gen = self.more(session)
            if gen is None:
                raise user_error(t("live.err.no_run", lang))
            session.run = run.then(lambda: gen)
            session.run.set_pace(self.pace_of(data, lang))
        else:
            raise user_error(t("live.err.no_run", lang))
        self.remember(request, session)
        yield from self.stream(session, lang, paced=self.stamp(data) > 0)

    def step(self, data: dict, request: gr.Request = None) -> dict:
        """One snapshot more, then paused; the answer is its frame (``stepping``'s last: it waits for a copy to
        catch up)."""
        out = None
        for out in self.stepping(data, request):
            pass
        session, lang = data[self.state], data[self.lang]
        return out if out is not None else {self.status_output: self.status(session, lang)}

    def stepping(self, data: dict, request: gr.Request = None) -> Iterator[dict]:
        """Step, as wired: its frame. A Step on a run other sessions follow changes the run, so the session gets a
        copy of its own trained up to one snapshot past its view (the same seed gives the same frames), and the
        status says how far the copy is while it catches up (no silent wait of up to a minute)."""
        session, lang = data[self.state], data[self.lang]
        run = session.run
        if isinstance(run, View):  # a step changes the run: the session's own, one snapshot past the view's
            target = run.version + 1
            run, copied = self.own(session, extra=1)
            if copied:
                session.stream_id += 1  # a stream of the view stops drawing
                me = session.stream_id
                while not self.caught_up(run, target, FRAME_INTERVAL):
                    if session.stream_id != me or session.run is not run:  # a newer click took over
                        return
                    yield {self.status_output: t("live.catching_up", lang, done=run.version, target=target)}
                out = self.frame(session, lang)
                out[self.state] = session
                yield out
                return
        if run is None or run.phase.finished:
            config = self.config(self.values(data), lang)
            self.remember(request, session)
            run = self.new_run(session, config, paused=True)
        else:
            run.pause()
        session.stream_id += 1  # a running stream of this session stops drawing
        run.step(1)
        out = self.frame(session, lang)
        out[self.state] = session
        if run.phase == Phase.FAILED and run.error is not None:
            raise user_error(_message(run.error, lang))
        yield out

    def stop(self, data: dict) -> dict:
        """End the run at its next yield and say where it stopped. Answers within ``STOP_ANSWER`` seconds
        even when one update takes longer: nothing trains after it, and its result is not shown."""
        session, lang = data[self.state], data[self.lang]
        self.note_stop(session, data)
        run = session.run
        if run is None:
            return {self.status_output: t("live.idle", lang)}
        if isinstance(run, View):  # only this session's view ends; the run goes on for the others
            run.stop()
            return {self.status_output: self.status(session, lang)}
        if run.stop(wait=STOP_ANSWER):
            return {self.status_output: self.status(session, lang)}
        if run.latest is None:
            return {self.status_output: t("live.stopped_early", lang)}
        return {self.status_output: t("live.stopped", lang, where=self.where(session, run.latest, lang))}

    # ------------------------------------------------------------ wiring
    def wire(self, controls: ControlSet, inputs: dict[str, gr.components.Component], outputs: list,
             relabel: bool = True, open_on=None, open_when: tuple[Any, Any] | None = None) -> dict[str, Any]:
        """Connect the control set. ``inputs`` maps config field names to widgets; returns the events by name.
        With a Replay button in ``controls``, the Live needs its ``replayer``; ``open_on`` (a ``gr.Tab`` or a
        ``gr.Accordion``) then shows the recording of the settings on screen when that block opens, in a session that
        has run nothing yet (event "opened"). A link that opens the tab (``?tab=``, a lecture's moment) lands on the
        recording of the settings it sets, when ``open_when`` (a widget and its value: the sub-tab the run lives in)
        holds. ``relabel``: a language switch redraws the run's status and figures from its last snapshot."""
        if OWN_NAMES & set(inputs):
            raise ValueError(f"{', '.join(sorted(OWN_NAMES))} are the harness's own input names: name the field otherwise")
        page = self.page
        self.state = gr.State(self.session_cls(), time_to_live=SESSION_TTL, delete_callback=page.sessions.forget)
        self.inputs, self.status_output, self.outputs = inputs, controls.status, outputs
        self.pace_input = controls.pace
        self.open_when = open_when
        paced = {"pace": controls.pace} if controls.pace is not None else {}
        # "page" last: API clients that pass values by position keep the order they had (it defaults to 0)
        read = {"session": self.state, "lang": page.lang, **inputs, **paced, "page": page.clock}
        control = {"session": self.state, "lang": page.lang, **paced, "page": page.clock}
        frame = [controls.status, *outputs]
        api = self.name
        # The streaming events only draw (the run trains on its own thread, bounded by RUN_SLOTS), so they
        # must not wait in Gradio's queue behind other sessions' long streams: one generous shared limit.
        # no spinner or red "Error" badge over the figures: the status line says what happens, a toast why
        queue = dict(concurrency_id="live", concurrency_limit=STREAMS, show_progress="hidden")
        events = {"start": controls.start.click(*named(self.start, read), frame + [self.state],
                                                api_name=f"{api}_start", js=page.stamp_js(len(read)), **queue)}
        if controls.pause is not None:
            events["pause"] = controls.pause.click(*named(self.pause_resume, control), frame,
                                                   api_name=f"{api}_pause_resume", js=page.stamp_js(len(control)),
                                                   **queue)
        if controls.step is not None:
            events["step"] = controls.step.click(*named(self.stepping, read), frame + [self.state],
                                                 api_name=f"{api}_step", js=page.stamp_js(len(read)), **queue)
        if controls.stop is not None:
            # Stop also withdraws a Start still waiting in the queue (``withdrawn``): without it, a Stop pressed
            # early said "Ready" and the run began after. Not Gradio's ``cancels``: it also cancelled a running
            # stream between two frames, and the page then showed a red "Error" over the status now and then
            events["stop"] = controls.stop.click(*named(self.stop, control), frame, api_name=f"{api}_stop",
                                                 queue=False, show_progress="hidden", js=page.stamp_js(len(control)))
        if controls.pace is not None:
            events["pace"] = controls.pace.change(*named(self.set_pace, {"session": self.state, "lang": page.lang,
                                                                         "pace": controls.pace}), None,
                                                  api_name=f"{api}_pace", queue=False, show_progress="hidden")
        if controls.replay is not None:
            from tabs.harness.replay import ReplayWiring

            if self.replayer is None:
                raise ValueError(f"the live run {self.name!r} has a Replay button but no replayer")
            events.update(ReplayWiring(self, self.replayer).wire(controls, queue, open_on=open_on))
        elif open_on is not None:
            raise ValueError(f"the live run {self.name!r} opens on a recording but has no Replay button")
        if relabel:
            page.relabel_live(self, controls.status, outputs)
        return events

    def drive(self, values: dict[str, Any], lang: str = "en", session: LiveSession | None = None):
        """Run ``start`` as the page would, without a server (benchmarks and tests): yields the frames.
        ``values`` maps config field names to widget values; unnamed fields keep the widgets' values."""
        session = session if session is not None else self.session_cls()
        data = {c: getattr(c, "value", None) for c in self.inputs.values()}
        data.update({self.inputs[k]: v for k, v in values.items()})
        data.update({self.state: session, self.lang: lang})
        yield from self.start(data)


def unread_messages() -> Callable[[], int]:
    """For the event being handled now: how many of its messages wait in Gradio's queue for a client that has not
    read them (0 when that cannot be told, e.g. outside a server). A client reading its stream keeps this near
    0; one that posted to ``/call/<api>`` and never opened the stream lets it grow by one a frame."""
    from gradio.context import LocalContext

    blocks, event_id = LocalContext.blocks.get(None), LocalContext.event_id.get(None)
    queue = getattr(blocks, "_queue", None)
    event = queue.event_ids_to_events.get(event_id) if queue is not None and event_id else None
    if event is None:
        return lambda: 0
    session_hash = event.session_hash

    def count() -> int:
        messages = queue.pending_messages_per_session.get(session_hash)
        return messages.qsize() if messages is not None else 0

    return count


def waiting_status(place, lang: str) -> str:
    """A run waiting in line: its place, how many train now, and when it should start (or that nobody can tell)."""
    if place is None:  # between two looks: it is about to start
        return t("live.preparing", lang)
    if place.eta is None:
        return t("live.waiting.unknown", lang, position=place.position, training=place.training)
    return t("live.waiting.eta", lang, position=place.position, training=place.training,
             eta=f"{place.eta:.0f} s" if place.eta < 90 else f"{place.eta / 60:.0f} min")


def _message(error: BaseException | None, lang: str) -> str:
    """A core error for the user: its own words for a ValueError, a plain sentence for a bug."""
    if isinstance(error, ValueError):
        return str(error)
    return t("app.err.bug", lang)
