"""Replays of the Diffusion Lab's recordings: a stand-in for the trainer, filled from the recorded snapshots, that the
tab's figures read as they read a live ``DiffusionTrainer``. A recording holds the samples and the losses, not the
network: the field, quality against steps and the downloads need a live run (each says so)."""

from __future__ import annotations

from typing import Iterator

import numpy as np
import torch

from playground import replay
from playground.data import toy2d
from playground.diffusion import schedules
from playground.diffusion import toy as core
from tabs.harness.i18n import error
from tabs.harness.replay import Replayer


class RecordedDiffusion:
    """What the Diffusion tab's figures read from a ``DiffusionTrainer``, served from a recording."""

    def __init__(self, rec: replay.Recording, lang: str) -> None:
        self.config = core.DiffusionConfig(**{**rec.config, "device": "cpu"})
        self.device, self.lang = rec.device, lang
        self.n_params = int(rec.extra["n_params"])
        self._rows = np.asarray(rec.extra["history"], dtype=np.float64)  # (steps, len(HISTORY_FIELDS))
        self.step_count, self.elapsed, self._snap = 0, 0.0, None
        self._path = schedules.path(self.config.objective, self.config.schedule)
        self._quality = rec.extra.get("quality_vs_steps")  # measured on the recorded model with its own sampler

    def show(self, snap) -> None:
        self._snap, self.step_count = snap, snap.step
        self.elapsed = float(self._rows[snap.step - 1, -1]) if snap.step else 0.0

    def history_columns(self) -> dict[str, list[float]]:
        rows = self._rows[: self.step_count]
        return {name: rows[:, i].tolist() for i, name in enumerate(core.HISTORY_FIELDS)}

    def visuals(self, sampler=None, steps=None):
        """The recorded samples; their paths are the recorded ones when the frame kept them, else the end points."""
        s = self._snap
        samples = np.asarray(s.samples, dtype=np.float32)
        paths = getattr(s, "paths", None)
        times = getattr(s, "times", None)
        if paths is None or times is None:
            paths, times = samples[None], np.zeros(1)
        return samples, np.asarray(paths, np.float32), np.asarray(times, np.float64), s.coverage

    def forward(self, t: float, n: int = 1000, seed: int = 0) -> np.ndarray:
        """The data noised to ``t``: no network needed, so a replay shows it too."""
        g = torch.Generator().manual_seed(seed)
        x0 = toy2d.sample(self.config.data, n, g).double()
        noise = torch.randn(x0.shape, generator=g, dtype=torch.float64)
        return schedules.q_sample(self._path, x0, torch.full((n,), float(t), dtype=torch.float64), noise).float().numpy()

    def quality_vs_steps(self, sampler: str | None = None, **kwargs) -> list[dict]:
        """The recorded measurement (the recording has no network to measure another sampler with)."""
        if not self._quality or (sampler or self.config.sampler) != self.config.sampler:
            raise error("diff.err.replay_model", self.lang)
        return [dict(r) for r in self._quality]

    def step(self, *args, **kwargs):
        raise error("live.replay.no_more", self.lang)


def feed(session, rec: replay.Recording, config, lang: str) -> Iterator:
    """The recorded snapshots through a stand-in trainer."""
    session.trainer, session.view, session.quality = RecordedDiffusion(rec, lang), None, None
    session.sampler = session.sample_steps = None
    return _shown(session.trainer, rec)


def _shown(trainer: RecordedDiffusion, rec: replay.Recording) -> Iterator:
    for snap in rec.frames:
        if snap.samples is None:
            continue
        trainer.show(snap)
        yield snap


REPLAYER = Replayer(feed)
