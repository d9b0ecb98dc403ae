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


# ---------------------------------------------------------------- synthetic data (``aug-default``)
def record_augment(name: str, config) -> replay.Recording:
    """The snapshots that add a cell (and the first and the last); the synthetic digits on the last one only, as 8-bit
    pixels (the figure keeps the grid it drew until a new one comes; with every new grid kept it was 1.0 MB, with a
    float grid on every snapshot 9.1 MB)."""
    from dataclasses import replace

    from playground.genvsdisc import augment

    start = time.perf_counter()
    frames = [s for s in augment.run(config) if s is not None]
    kept, cells = [], -1
    for i, f in enumerate(frames):
        last = i == len(frames) - 1
        if len(f.cells) != cells or last:
            kept.append(replace(f, grid=as_pixels(f.grid) if last else None))
            cells = len(f.cells)
    return replay.Recording(tab="aug", name=name, config=config, seed=config.seed, frames=replay.thin(kept),
                            seconds=time.perf_counter() - start)


def as_pixels(grid: dict | None) -> dict | None:
    """Synthetic digits in [0, 1] as uint8 pixels (``from_pixels`` reads them back)."""
    import numpy as np

    return None if grid is None else {k: np.clip(np.rint(v * 255), 0, 255).astype(np.uint8) for k, v in grid.items()}


def from_pixels(grid: dict | None) -> dict | None:
    import numpy as np

    return None if grid is None else {k: np.asarray(v, dtype=np.float32) / 255 for k, v in grid.items()}


def check_augment(rec: replay.Recording, steps: int = CHECK_STEPS) -> None:
    """The first generator's first losses (the recording keeps the first snapshot, then one per cell)."""
    from playground.genvsdisc import augment

    close_fields(list(first(augment.run(augment.AugmentConfig(**rec.config)), 1)), rec.frames[:1], ("losses", "step"))


def augment_recorder() -> Recorder:
    from playground.genvsdisc import augment

    return Recorder(names=lambda: ["default"], config=lambda name: augment.AugmentConfig(), record=record_augment,
                    types=lambda: [augment.AugmentSnapshot, augment.Cell], check=check_augment)
