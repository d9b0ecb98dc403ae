"""Generative vs discriminative's recording: the default plane comparison, at the tab's own cadence
(``experiment.REPORT_EVERY``, ``experiment.VIEW_EVERY``)."""

from __future__ import annotations

import time

from playground import replay
from playground.genvsdisc import experiment as ex
from playground.replay.recorders import CHECK_STEPS, Recorder, close_fields, first

CHECKED = ("loss", "train_accuracy", "test_accuracy")


def record(name: str, config: ex.GvdConfig) -> replay.Recording:
    start = time.perf_counter()
    frames = [s for s in ex.train(config) if s is not None]
    return replay.Recording(tab="gvd", name=name, config=config, seed=config.seed, frames=replay.thin(frames),
                            seconds=time.perf_counter() - start)


def check(rec: replay.Recording, steps: int = CHECK_STEPS) -> None:
    close_fields(list(first(ex.train(ex.GvdConfig(**rec.config)), 2)), rec.frames, CHECKED)


def recorder() -> Recorder:
    return Recorder(names=lambda: ["default"], config=lambda name: ex.GvdConfig(), record=record,
                    types=lambda: [ex.GvdSnapshot, ex.PlaneView], check=check)


# ---------------------------------------------------------------- the size sweep (``gvd_sweep-default``)
def record_sweep(name: str, config: ex.GvdConfig) -> replay.Recording:
    from playground.genvsdisc.sweep import sweep

    start = time.perf_counter()
    frames = [s for s in sweep(config) if s is not None]
    return replay.Recording(tab="gvd_sweep", name=name, config=config, seed=config.seed, frames=replay.thin(frames),
                            seconds=time.perf_counter() - start)


def check_sweep(rec: replay.Recording, steps: int = CHECK_STEPS) -> None:
    from playground.genvsdisc.sweep import sweep

    close_fields(list(first(sweep(ex.GvdConfig(**rec.config)), 2)), rec.frames, ("accuracy", "measured"))


def sweep_recorder() -> Recorder:
    from playground.genvsdisc.sweep import SweepSnapshot

    return Recorder(names=lambda: ["default"], config=lambda name: ex.GvdConfig(), record=record_sweep,
                    types=lambda: [SweepSnapshot], check=check_sweep)
