"""What one browser session of the Diffusion Lab owns, and its runs: the 2-D denoiser trained live (config from the
widgets, a fresh trainer, more steps after the end, where it is) and the digits model trained from scratch."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from playground.data import drawn
from playground.diffusion import toy as core
from tabs.harness import canvas
from tabs.harness.i18n import t
from tabs.harness.live import LiveSession
from tabs.harness.widgets import read_config

# config field -> string key of its widget's label
LABELS = {"data": "diff.data", "objective": "diff.objective", "schedule": "diff.schedule",
          "sampler": "diff.sampler", "sample_steps": "diff.sample_steps", "lr": "diff.lr", "width": "diff.width",
          "depth": "diff.depth", "batch_size": "diff.batch_size", "ema": "diff.ema", "steps": "diff.steps",
          "seed": "diff.seed"}


@dataclass(frozen=True)
class View:
    """The samples on screen, with everything the time slider scrubs: the states along the reverse process
    ``paths`` (K, N, 2) at ``times`` (K,) from 1 (noise) to 0 (data), and their coverage."""

    step: int
    samples: np.ndarray  # (N, 2)
    paths: np.ndarray  # (K, N, 2)
    times: np.ndarray  # (K,)
    coverage: Any
    sampler: str
    sample_steps: int


@dataclass
class DiffusionSession(LiveSession):
    """What one browser session owns: its trainer (kept after a run ends, for Resume, the slider and downloads)."""

    trainer: Any = None  # core.DiffusionTrainer, or a replay's stand-in
    view: View | None = None  # the last frame's samples and paths
    quality: list | None = None  # the last quality-against-steps rows
    t: float = 0.0  # the time slider's value: where the planes are drawn
    sampler: str | None = None  # the sampler and steps chosen after the run started (None: the run's own)
    sample_steps: int | None = None

    def free(self) -> None:
        super().free()
        self.trainer, self.view, self.quality = None, None, None


def read(values: dict, lang: str) -> core.DiffusionConfig:
    """The config the widgets describe; every message in the user's language. ``data`` may be a drawing's code
    (``tabs.harness.canvas``), checked here so that its message is in the user's language too."""
    values, extra = dict(values), {}
    if drawn.is_drawn(values.get("data")) or values.get("data") == canvas.DRAWN:
        canvas.check(values.get("data"), lang)
        extra["data"] = values.pop("data")
    return read_config(core.DiffusionConfig, values, LABELS, lang, **extra)


def make_run(session: DiffusionSession, config: core.DiffusionConfig):
    """A fresh trainer (built on the run's thread, from its own seed) trained for ``config.steps`` steps."""
    session.trainer, session.view, session.quality = core.DiffusionTrainer(config), None, None
    session.sampler = session.sample_steps = None  # the widgets' values are the config's now
    return session.trainer.step(config.steps, report_every=1, heartbeats=True)


def more(session: DiffusionSession):
    """Resume after the end: another ``steps`` steps of the same trainer."""
    tr = session.trainer
    if tr is None:
        return None
    return tr.step(tr.config.steps, report_every=1, heartbeats=True)


def look(session: DiffusionSession, sampler: str | None = None, steps: int | None = None) -> View:
    """The trainer's samples now, from its fixed noise, with the sampler and steps chosen last (given here, chosen
    on screen after the run started, or the run's own)."""
    tr = session.trainer
    if sampler is not None:
        session.sampler, session.sample_steps = sampler, steps
    sampler = session.sampler or tr.config.sampler
    steps = session.sample_steps or tr.config.sample_steps
    samples, paths, times, cov = tr.visuals(sampler=sampler, steps=steps)
    session.view = View(tr.step_count, samples, paths, times, cov, sampler, steps)
    return session.view


def where(session: DiffusionSession, snap, lang: str) -> str:
    tr = session.trainer
    from tabs.harness.common import device_text

    return t("diff.where", lang, step=snap.step, rate=snap.step / max(snap.elapsed, 1e-9), elapsed=snap.elapsed,
             params=tr.n_params, device=device_text(str(tr.device), lang))
