"""Replays of the GAN Lab's recordings: a stand-in for the trainer, filled from the recorded snapshots, that the
tab's figures read as they read a live ``GanTrainer``."""

from __future__ import annotations

from typing import Iterator

import numpy as np

from playground import replay
from playground.gan import trainer as core
from tabs.harness import film
from tabs.harness.plots import image_grid
from tabs.harness.i18n import error
from tabs.harness.replay import Replayer


class RecordedGan:
    """What the GAN tab's figures read from a ``GanTrainer``, served from a recording."""

    def __init__(self, rec: replay.Recording, lang: str) -> None:
        self.config = core.GanConfig(**{**rec.config, "device": "cpu"})
        self.device, self.lang = rec.device, lang
        self.n_params = tuple(rec.extra["n_params"])
        facts = rec.extra.get("classifier")  # images: the coverage's yardsticks, measured when recorded
        self.classifier_facts = tuple(facts) if facts else None
        self._rows = np.asarray(rec.extra["history"], dtype=np.float64)  # (steps, 6)
        self.step_count, self.elapsed, self._snap = 0, 0.0, None

    def show(self, snap: core.GanSnapshot) -> None:
        self._snap, self.step_count = snap, snap.step
        self.elapsed = float(self._rows[snap.step - 1, 5]) if snap.step else 0.0

    @property
    def history(self) -> list[tuple[float, ...]]:
        return [tuple(r) for r in self._rows[: self.step_count]]

    def history_columns(self) -> dict[str, list[float]]:
        rows = self._rows[: self.step_count]
        return {name: rows[:, i].tolist() for i, name in enumerate(core.HISTORY_FIELDS)}

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


def capture(trainer: RecordedGan):
    """A replay's frame for slides, as ``tabs.gan.slides.capture`` takes a live one, from the recorded samples."""
    def grab(snap: core.GanSnapshot) -> dict:
        samples, heat, _ = trainer.visuals()
        if trainer.config.is_toy:
            return {"step": snap.step, "samples": samples.astype(np.float16), "heat": heat.astype(np.float16)}
        return {"step": snap.step, "grid": film.pack_image(image_grid(samples[: core.GRID_IMAGES], ncol=8, pad=1))}
    return grab


def feed(session, rec: replay.Recording, config: core.GanConfig, lang: str) -> Iterator:
    """The recorded snapshots through a stand-in trainer, filmed as a live run is (its slides export after a
    replay)."""
    session.trainer = RecordedGan(rec, lang)
    return film.filmed(_shown(session.trainer, rec), session.film, capture(session.trainer))


def _shown(trainer: RecordedGan, rec: replay.Recording) -> Iterator:
    for snap in rec.frames:
        trainer.show(snap)
        yield snap


REPLAYER = Replayer(feed)
