"""Instant replays of recorded runs (``assets/replays``, built by ``python -m playground replay record``).

A replay goes through a tab's own render and where functions and the harness's Pause / Step / Stop: the
harness (``tabs/harness/live.py``) paces the recorded snapshots, and the tab's ``Replayer`` (``tabs/<tab>/replay.py``)
puts into its session what its figures read (a stand-in for the trainer, filled from the recording), as ``make_run``
does live. ``ControlSet.buttons(page, "gan", replay=True)`` makes the Replay button and its length control, and
``controls.replay_note()`` the one-line note; ``Live.wire`` connects them. The Replay button is enabled only while
the settings on screen are exactly those of a recording (config and seed).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

import gradio as gr

from playground import replay
from playground.replay import recorders
from tabs.harness.clock import REAL, Clock
from tabs.harness.i18n import t, user_error
from tabs.harness.page import OPENING
from tabs.harness.runner import Run
from tabs.harness.widgets import named

SPEEDS = {"instant": 0.0, "5": 5.0, "20": 20.0, "recorded": None}  # seconds for the whole replay (None: as recorded)
DEFAULT_SPEED = "5"


@dataclass(frozen=True)
class Replayer:
    """``feed(session, recording, config, lang)`` yields the recorded snapshots after setting up the session for
    them (``config``: what the widgets asked for); ``key(config)``: what a recording's config must equal."""

    feed: Callable[[Any, replay.Recording, Any, str], Iterator]
    key: Callable[[Any], Any] = lambda config: config


@functools.lru_cache(maxsize=64)
def _head(path: str, mtime: float) -> dict:
    return {**replay.peek(path), "path": path}


@functools.lru_cache(maxsize=16)
def _load(path: str, mtime: float) -> replay.Recording:
    return recorders.load(path)


def recordings(tab: str, folder: Path | None = None) -> list[dict]:
    """The headers of the shipped recordings of a live run (cached; reread when a file changes), with their
    ``path``. An unreadable file is skipped here (the tests and ``python -m playground replay check`` report it)."""
    out = []
    for path in sorted(Path(folder or replay.REPLAY_DIR).glob(f"{tab}-*.json.gz")):
        try:
            out.append(_head(str(path), path.stat().st_mtime))
        except (OSError, ValueError):
            continue
    return out


def find(tab: str, key: Any) -> dict | None:
    """The header of the recording made with exactly ``key`` (a config, or what its replayer's ``key`` makes)."""
    wanted = replay.config_dict(key)
    return next((h for h in recordings(tab) if replay.config_dict(h["config"]) == wanted), None)


def load(head: dict) -> replay.Recording:
    """The whole recording behind a header (checked: a damaged file raises ``ValueError``)."""
    path = Path(head["path"])
    return _load(str(path), path.stat().st_mtime)


def recording_title(tab: str, name: str, lang: str) -> str:
    """A recording's name as the page shows it (see ``ReplayWiring.names``)."""
    from tabs.harness.i18n import STRINGS

    for key in (f"{tab}.preset.{name}", f"live.recording.{name}"):
        if key in STRINGS:
            return t(key, lang)
    return name


def duration(speed: str, rec: replay.Recording) -> float:
    """Seconds the whole replay lasts at ``speed``."""
    seconds = SPEEDS.get(str(speed), SPEEDS[DEFAULT_SPEED])
    return rec.seconds if seconds is None else seconds


def controls(tr, prefix: str) -> tuple[gr.Button, gr.Dropdown]:
    """The Replay button and its length, for the row that holds Start."""
    button = tr(gr.Button, value="live.replay", elem_id=f"{prefix}-replay", min_width=90)
    speed = tr(gr.Dropdown, choices=[(f"live.replay.speed.{k}", k) for k in SPEEDS], value=DEFAULT_SPEED,
               show_label=False, container=False, elem_id=f"{prefix}-replay-speed", min_width=150, scale=0)
    return button, speed


@dataclass(frozen=True)
class ReplayInfo:
    """What the status line says about a replay (``Run.replay``)."""

    rec: replay.Recording
    speed: str
    opened: bool = False  # the tab opened on it (its default run is longer than a student should wait)

    def facts(self, lang: str) -> str:
        return t("live.replay.facts", lang, seed=self.rec.seed, date=self.rec.recorded[:10],
                 version=self.rec.code_version.split("+")[0][:8], length=t(f"live.replay.speed.{self.speed}", lang))

    def status(self, phase: str, where: str, lang: str) -> str:
        if self.opened and phase == "done":
            # short (a projector's first screen): the note under the buttons gives the recording's seed and date
            return t("live.replay.opened", lang, where=where)
        key = f"live.replay.{phase}" if phase in ("running", "paused", "done", "stopped") else "live.replay.running"
        return t(key, lang, where=where, facts=self.facts(lang))


def paced(frames: Iterator, n: int, seconds: float, clock: Clock = REAL) -> Iterator:
    """The recorded snapshots spread over ``seconds`` (``None`` heartbeats while waiting, so Pause and Stop
    act within 50 ms); 0 seconds: all at once."""
    gap = seconds / max(1, n - 1)
    for snap in frames:
        yield snap
        end = clock.now() + gap
        while (left := end - clock.now()) > 0:
            clock.sleep(min(left, 0.05))
            yield None


class ReplayWiring:
    """The Replay button of one ``Live``: starts a replay ``Run`` drawn by the harness's own stream."""

    def __init__(self, live, replayer: Replayer) -> None:
        self.live, self.replayer = live, replayer

    def match(self, data: dict, lang: str) -> dict | None:
        """The recording of exactly the settings on screen; None when there is none (or they are invalid)."""
        try:
            config = self.live.config(self.live.values(data), lang)
        except Exception:  # an unfinished value: there is no recording of it either
            return None
        return find(self.live.name, self.replayer.key(config))

    def names(self, lang: str) -> str:
        """The recordings of this run, by their names in the page's language (a preset's own label where the tab has
        one, ``<tab>.preset.<name>``; else the harness's ``live.recording.<name>``; else the file's name)."""
        return ", ".join(recording_title(self.live.name, h["name"], lang) for h in recordings(self.live.name)) or "-"

    def start(self, data: dict, request: gr.Request = None):
        lv = self.live
        session, lang, speed = data[lv.state], data[lv.lang], str(data[self._speed] or DEFAULT_SPEED)
        if lv.withdrawn(session, data):  # Stop came while this replay waited in the queue
            yield {lv.state: session, lv.status_output: t("live.withdrawn", lang)}
            return
        config = lv.config(lv.values(data), lang)  # a bad value: the same message as Start gives
        head = self.match(data, lang)  # the exact settings on screen, or nothing
        if head is None:
            yield {lv.status_output: t("live.replay.none", lang, names=self.names(lang))}
            return
        yield from self._play(data, config, head, speed, request)

    def opened(self, data: dict, request: gr.Request = None, force: bool = False):
        """The tab (or panel) was opened: a session that has run nothing here yet, with the settings on screen those
        of a recording, sees that recording at once, its status saying so and that Start trains it live. The tab's
        default run is longer than a student should wait (issue #25's budget); anything else changes nothing.
        ``force`` (a link or a lecture's moment opened the tab): the recording replaces whatever the session ran
        before the opening (``data[OPENING]``), not a run the visitor started while the link landed.
        It is drawn at once (its last frame): a link lands on the figure, the Replay button plays it again."""
        lv = self.live
        session, lang = data[lv.state], data[lv.lang]
        config = None
        if force and session.run is not None and session.run.order > data.get(OPENING, session.run.order):
            # a click (Start, Replay) came while the link landed: the visitor's run stays
            yield {lv.state: session}
            return
        if session.run is None or force:
            try:
                config = lv.config(lv.values(data), lang)
            except Exception:  # an unfinished value: no recording either, and nothing to say before Start
                config = None
        head = find(lv.name, self.replayer.key(config)) if config is not None else None
        if head is None:
            yield {lv.state: session}  # nothing changes (a handler that yields nothing blanks every output)
            return
        yield from self._play(data, config, head, "instant", request, opened=True)

    def lands(self, values: dict) -> str | None:
        """What a link that sets ``values`` ({widget: value}) lands on: this run's recording, or None."""
        head = self.match({c: values.get(c, c.value) for c in self.live.inputs.values()}, "en")
        return f"recording {Path(head['path']).name}" if head is not None else None

    def _play(self, data: dict, config, head: dict, speed: str, request, opened: bool = False):
        lv = self.live
        session, lang = data[lv.state], data[lv.lang]
        try:
            rec = load(head)
        except ValueError as e:
            raise user_error(str(e)) from None
        lv.remember(request, session)
        session.end_run()
        frames = self.replayer.feed(session, rec, config, lang)
        run = Run(lambda: paced(frames, len(rec.frames), duration(speed, rec), lv.clock), name=f"{lv.name}-replay",
                  slotless=True, clock=lv.clock)
        run.replay = ReplayInfo(rec, speed if speed in SPEEDS else DEFAULT_SPEED, opened=opened)
        session.run = run.start()
        yield {lv.state: session, lv.status_output: lv.status(session, lang)}
        yield from lv.stream(session, lang, paced=lv.stamp(data) > 0)

    def availability(self, data: dict) -> dict:
        lang = data[self.live.lang]
        head = self.match(data, lang)
        if head is None:
            return {self._button: gr.update(interactive=False),
                    self._note: t("live.replay.unavailable", lang, names=self.names(lang))}
        return {self._button: gr.update(interactive=True),
                self._note: t("live.replay.available", lang, seed=head["seed"], date=head["recorded"][:10],
                              seconds=head["seconds"])}

    def wire(self, controls, queue: dict, open_on=None) -> dict:
        """The Replay button, its note, and with ``open_on`` (a ``gr.Tab`` or ``gr.Accordion``) the recording shown
        when that block is opened (``opened``)."""
        lv = self.live
        page = lv.page
        self._button, self._speed, self._note = controls.replay, controls.speed, controls.note
        read = {"session": lv.state, "lang": lv.lang, "speed": self._speed, **lv.inputs, "page": page.clock}
        frame = [lv.status_output, *lv.outputs]
        events = {"replay": self._button.click(*named(self.start, read), frame + [lv.state],
                                               api_name=f"{lv.name}_replay", js=page.stamp_js(len(read)), **queue)}
        if open_on is not None:
            trigger = open_on.select if isinstance(open_on, gr.Tab) else open_on.expand
            events["opened"] = trigger(*named(self.opened, read), frame + [lv.state], api_name=f"{lv.name}_opened",
                                       js=page.stamp_js(len(read)), **queue)
        if not isinstance(open_on, gr.Accordion):  # (a closed panel's run waits for the panel)
            # a link to the tab (``?tab=``, a lecture's moment) lands on the recording of the settings it sets
            when = lv.open_when
            inputs = {**read, **({"open_when": when[0]} if when else {})}
            page.on_open(lambda data, request=None: self.opened(data, request, force=True), inputs,
                         frame + [lv.state], queue, when=(lambda data: data[when[0]] == when[1]) if when else None,
                         lands=self.lands)
        if self._note is not None:
            # the button is enabled only while the settings on screen are those of a recording
            initial = self.availability({**{c: c.value for c in lv.inputs.values()}, lv.lang: "en"})
            self._button.interactive = initial[self._button]["interactive"]
            self._note.value = initial[self._note]
            check = {"lang": lv.lang, **lv.inputs}
            events["replay_check"] = gr.on([c.change for c in lv.inputs.values()],
                                           *named(self.availability, check), [self._button, self._note],
                                           api_name=False, queue=False, show_progress="hidden",
                                           trigger_mode="always_last")  # a preset's fifteen changes: one or two calls
            page.on_language(*named(self.availability, check), [self._button, self._note])
        return events
