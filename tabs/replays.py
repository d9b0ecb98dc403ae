"""Instant replays of recorded runs (``assets/replays``, built by ``python -m playground replay record``).

A replay goes through a tab's own render and where functions and the harness's Pause / Step / Stop: the
harness (``tabs/live.py``) paces the recorded snapshots, and a ``Replayer`` here puts into the tab's session
what its figures read (a stand-in for the trainer, filled from the recording), as ``make_run`` does live.

``replay_controls(tr, "gan")`` makes the Replay button, its length control and a one-line note, for the row
that holds Start; ``Live.wire(..., replay=controls)`` connects them. The Replay button is enabled only while
the settings on screen are exactly those of a recording (config and seed).
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

import gradio as gr
import numpy as np

from playground import replay
from playground.replay import recorders as replay_record
from tabs.i18n import error, t, user_error

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
    return replay_record.load(path)


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


def find(tab: str, config: Any) -> dict | None:
    """The header of the recording made with exactly ``config`` (and so its seed), if there is one."""
    key = replay.config_dict(REPLAYERS[tab].key(config) if tab in REPLAYERS else config)
    return next((h for h in recordings(tab) if replay.config_dict(h["config"]) == key), None)


def load(head: dict) -> replay.Recording:
    """The whole recording behind a header (checked: a damaged file raises ``ValueError``)."""
    path = Path(head["path"])
    return _load(str(path), path.stat().st_mtime)


def duration(speed: str, rec: replay.Recording) -> float:
    """Seconds the whole replay lasts at ``speed``."""
    seconds = SPEEDS.get(str(speed), SPEEDS[DEFAULT_SPEED])
    return rec.seconds if seconds is None else seconds


def replay_controls(tr, prefix: str) -> dict[str, gr.components.Component]:
    """The Replay button and its length, for the row that holds Start, and a note (put it under the row)."""
    button = tr(gr.Button, value="live.replay", elem_id=f"{prefix}-replay", min_width=90)
    speed = tr(gr.Dropdown, choices=[(f"live.replay.speed.{k}", k) for k in SPEEDS], value=DEFAULT_SPEED,
               show_label=False, container=False, elem_id=f"{prefix}-replay-speed", min_width=110, scale=0)
    return {"replay": button, "speed": speed}


def replay_note(prefix: str) -> gr.Markdown:
    return gr.Markdown(elem_id=f"{prefix}-replay-note", elem_classes=["replay-note"])


# ---------------------------------------------------------------- the harness's side
@dataclass(frozen=True)
class ReplayInfo:
    """What the status line says about a replay (``Run.replay``)."""

    rec: replay.Recording
    speed: str

    def facts(self, lang: str) -> str:
        return t("live.replay.facts", lang, seed=self.rec.seed, date=self.rec.recorded[:10],
                 version=self.rec.code_version.split("+")[0][:8], length=t(f"live.replay.speed.{self.speed}", lang))

    def status(self, phase: str, where: str, lang: str) -> str:
        key = f"live.replay.{phase}" if phase in ("running", "paused", "done", "stopped") else "live.replay.running"
        return t(key, lang, where=where, facts=self.facts(lang))


def paced(frames: Iterator, n: int, seconds: float) -> Iterator:
    """The recorded snapshots spread over ``seconds`` (``None`` heartbeats while waiting, so Pause and Stop
    act within 50 ms); 0 seconds: all at once."""
    gap = seconds / max(1, n - 1)
    for snap in frames:
        yield snap
        end = time.perf_counter() + gap
        while (left := end - time.perf_counter()) > 0:
            time.sleep(min(left, 0.05))
            yield None


class ReplayWiring:
    """The Replay button of one ``Live``: starts a replay ``Run`` drawn by the harness's own stream."""

    def __init__(self, live) -> None:
        self.live = live
        self.replayer = REPLAYERS.get(live.name)
        if self.replayer is None:
            raise ValueError(f"no replayer for the live run {live.name!r} (add one to tabs.replays.REPLAYERS)")

    def match(self, data: dict, lang: str) -> dict | None:
        """The recording of exactly the settings on screen; None when there is none (or they are invalid)."""
        try:
            config = self.live.config(self.live._values(data), lang)
        except Exception:  # an unfinished value: there is no recording of it either
            return None
        return find(self.live.name, config)

    def names(self) -> str:
        return ", ".join(h["name"] for h in recordings(self.live.name)) or "-"

    def start(self, data: dict, request: gr.Request = None):
        from tabs import live as harness

        lv = self.live
        session, lang, speed = data[lv.state], data[lv._lang], str(data[self._speed] or DEFAULT_SPEED)
        if lv.withdrawn(session, data):  # Stop came while this replay waited in the queue
            yield {lv.state: session, lv._status: t("live.withdrawn", lang)}
            return
        lv.config(lv._values(data), lang)  # a bad value: the same message as Start gives
        head = self.match(data, lang)  # the exact settings on screen, or nothing
        if head is None:
            yield {lv._status: t("live.replay.none", lang, names=self.names())}
            return
        try:
            rec = load(head)
        except ValueError as e:
            raise user_error(str(e)) from None
        harness._remember(request, session)
        session.end_run()
        frames = self.replayer.feed(session, rec, lv.config(lv._values(data), lang), lang)
        run = harness.Run(lambda: paced(frames, len(rec.frames), duration(speed, rec)), name=f"{lv.name}-replay",
                          slotless=True)
        run.replay = ReplayInfo(rec, speed if speed in SPEEDS else DEFAULT_SPEED)
        session.run = run.start()
        yield {lv.state: session, lv._status: lv.status(session, lang)}
        yield from lv._stream(session, lang, paced=lv.stamp(data) > 0)

    def availability(self, data: dict) -> dict:
        lang = data[self.live._lang]
        head = self.match(data, lang)
        if head is None:
            return {self._button: gr.update(interactive=False),
                    self._note: t("live.replay.unavailable", lang, names=self.names())}
        return {self._button: gr.update(interactive=True),
                self._note: t("live.replay.available", lang, seed=head["seed"], date=head["recorded"][:10],
                              seconds=head["seconds"])}

    def wire(self, controls: dict, queue: dict) -> dict:
        from tabs import live as harness
        from tabs.common import on_language
        from tabs.widgets import named

        lv = self.live
        self._button, self._speed, self._note = controls["replay"], controls["speed"], controls.get("note")
        read = {"session": lv.state, "lang": lv._lang, "speed": self._speed, **lv._inputs, "page": lv._page}
        frame = [lv._status, *lv._outputs]
        events = {"replay": self._button.click(*named(self.start, read), frame + [lv.state],
                                               api_name=f"{lv.name}_replay", js=harness.stamp_js(len(read)),
                                               **queue)}
        if self._note is not None:
            # the button is enabled only while the settings on screen are those of a recording
            initial = self.availability({**{c: c.value for c in lv._inputs.values()}, lv._lang: "en"})
            self._button.interactive = initial[self._button]["interactive"]
            self._note.value = initial[self._note]
            check = {"lang": lv._lang, **lv._inputs}
            events["replay_check"] = gr.on([c.change for c in lv._inputs.values()],
                                           *named(self.availability, check), [self._button, self._note],
                                           api_name=False, queue=False, show_progress="hidden")
            on_language(lv._lang, *named(self.availability, check), [self._button, self._note])
        return events


# ---------------------------------------------------------------- GAN Lab
class RecordedGan:
    """What the GAN tab's figures read from a ``GanTrainer``, served from a recording."""

    def __init__(self, rec: replay.Recording, lang: str) -> None:
        from playground.gan import trainer as gan

        self.config = gan.GanConfig(**{**rec.config, "device": "cpu"})
        self.device, self.lang = rec.device, lang
        self.n_params = tuple(rec.extra["n_params"])
        facts = rec.extra.get("classifier")  # images: the coverage's yardsticks, measured when recorded
        self.classifier_facts = tuple(facts) if facts else None
        self._rows = np.asarray(rec.extra["history"], dtype=np.float64)  # (steps, 6)
        self.step_count, self.elapsed, self._snap = 0, 0.0, None

    def show(self, snap) -> None:
        self._snap, self.step_count = snap, snap.step
        self.elapsed = float(self._rows[snap.step - 1, 5]) if snap.step else 0.0

    @property
    def history(self) -> list[tuple[float, ...]]:
        return [tuple(r) for r in self._rows[: self.step_count]]

    def history_columns(self) -> dict[str, list[float]]:
        from playground.gan import trainer as gan

        rows = self._rows[: self.step_count]
        return {name: rows[:, i].tolist() for i, name in enumerate(gan.HISTORY_FIELDS)}

    def visuals(self):
        s = self._snap
        samples = s.samples.astype(np.float32)
        if samples.ndim == 3 and s.samples.dtype == np.uint8:  # images were stored as uint8
            samples = samples / 255.0
        heat = None if s.heatmap is None else s.heatmap.astype(np.float32)
        return samples, heat, s.coverage

    def save_generator(self, path):
        raise error("live.replay.no_weights", self.lang)

    def save_history_csv(self, path):
        raise error("live.replay.no_weights", self.lang)

    def step(self, *args, **kwargs):
        raise error("live.replay.no_more", self.lang)


def _gan_feed(session, rec: replay.Recording, config, lang: str) -> Iterator:
    session.trainer = RecordedGan(rec, lang)
    for snap in rec.frames:
        session.trainer.show(snap)
        yield snap


# ---------------------------------------------------------------- Transformer Lab
class RecordedLab:
    """A lab's config without its models: the figures need only the config and the snapshots."""

    def __init__(self, cfg: Any, lang: str) -> None:
        self.cfg, self._lang = cfg, lang

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        raise error("live.replay.no_weights", self._lang)


def _lab_feed(tab: str):
    def feed(session, rec: replay.Recording, config, lang: str) -> Iterator:
        from playground.lab.recorder import EXPERIMENTS

        session.lab, session.history = RecordedLab(EXPERIMENTS[tab].config(**rec.config), lang), []
        for snap in rec.frames:
            session.history.append(snap)
            yield snap
    return feed


# ---------------------------------------------------------------- Fine-tuning Lab
def _ft_feed(session, rec: replay.Recording, race, lang: str) -> Iterator:
    """The records a race keeps (``tabs.finetune.session.make_run``), filled from the recorded snapshots."""
    from playground import finetune as core

    session.race_id += 1
    session.race, session.xaxis, session.started = race, race.xaxis, time.perf_counter()
    session.history, session.results = {s: [] for s in race.strategies}, []
    session.chance, session.n_test = rec.extra["chance"], rec.extra["n_test"]
    session.csv_path, session.csv_rows = None, 0
    done = 0.0  # seconds of the strategies already finished in the recorded race
    for snap in rec.frames:
        if snap.phase == "train":
            session.history[snap.strategy].append(dict(step=snap.step, time=round(snap.elapsed, 3), loss=snap.loss,
                                                       acc=snap.test_acc))
        if snap.result is not None:
            session.results.append(core.report(snap.result))
            done += snap.result.wall_s
        # the status's "in N s" reads the recorded race's time, not the replay's
        session.started = time.perf_counter() - (done if snap.result is not None else done + snap.elapsed)
        yield snap


# ---------------------------------------------------------------- Generative vs discriminative
def _gvd_feed(session, rec: replay.Recording, config, lang: str) -> Iterator:
    """What ``tabs.genvsdisc.gvd_run`` keeps, from the recorded snapshots."""
    session.config, session.history, session.view, session.view_snap, session.drawn = config, [], None, None, -1
    for item in rec.frames:
        if item.loss:
            session.history.append((item.step, item.loss))
        if item.view is not None:
            session.view, session.view_snap = item.view, item
        yield item


def _ft_key(race) -> dict:
    from playground.finetune import recorder

    return recorder.key(race.config, race.strategies)


REPLAYERS: dict[str, Replayer] = {
    "gan": Replayer(_gan_feed),
    "ft": Replayer(_ft_feed, _ft_key),
    "gvd": Replayer(_gvd_feed),
    **{tab: Replayer(_lab_feed(tab)) for tab in ("lab_seq2seq", "lab_ln", "lab_lstm", "lab_objectives")},
}
