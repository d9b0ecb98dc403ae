"""The GAN Lab's recordings: every preset, as the tab trains it (``python -m playground replay record --tab gan``)."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from playground import replay
from playground.gan import trainer as gan
from playground.replay.recorders import CHECK_STEPS, Recorder, close

FRAMES = {"toy": 100, "image": 40}  # frames with samples: the plane is ~9 kB a frame, an image grid ~25 kB


def types() -> list[type]:
    from playground.data import toy2d
    from playground.kit.classifier import ClassCoverage

    return [gan.GanSnapshot, toy2d.Coverage, ClassCoverage]


def frame0(trainer: gan.GanTrainer) -> gan.GanSnapshot:
    samples, heat, cov = trainer.visuals()  # the untrained generator: the replay's first frame
    return gan.GanSnapshot(0, 0.0, 0.0, 0.0, 0.0, 0.0, samples, heat, cov)


def compact(snap: Any) -> Any:
    """Images keep the 64 drawn ones, as uint8 (the coverage was computed on all of them already)."""
    if snap.samples is None or snap.samples.ndim != 3:
        return snap
    grid = np.round(snap.samples[: gan.GRID_IMAGES] * 255).clip(0, 255).astype(np.uint8)
    return dataclasses.replace(snap, samples=grid)


def record(name: str, config: gan.GanConfig) -> replay.Recording:
    trainer = gan.GanTrainer(config)
    every = max(1, config.steps // FRAMES["toy" if config.is_toy else "image"])
    frames = [compact(frame0(trainer))]
    for snap in trainer.step(config.steps, report_every=1, sample_every=every):
        if snap.samples is not None:
            frames.append(compact(snap))
    history = np.asarray(trainer.history, dtype=np.float32)  # (steps, 6): every step's losses, for the curves
    extra = {"history": history, "n_params": list(trainer.n_params)}
    if not config.is_toy:  # the coverage's yardsticks: the classifier's accuracy, its confidence on real images
        from playground.kit.classifier import class_coverage, digit_classifier

        real = gan.real_data(config.data)[: gan.IMAGE_FIXED]  # (N, 1, H, W) in [-1, 1]
        extra["classifier"] = [digit_classifier(config.data).test_accuracy,
                               class_coverage(((real + 1) / 2).numpy(), config.data).confident]
    return replay.Recording(tab="gan", name=name, config=config, seed=config.seed, frames=replay.thin(frames),
                            extra=extra, seconds=trainer.elapsed, device=str(trainer.device))


def check(rec: replay.Recording, steps: int = CHECK_STEPS) -> None:
    """The first ``steps`` losses and the untrained generator's samples, from the recorded config and seed."""
    trainer = gan.GanTrainer(gan.GanConfig(**rec.config))
    close(compact(frame0(trainer)).samples, rec.frames[0].samples, "the untrained generator's samples")
    for _ in trainer.step(steps, report_every=1):
        pass
    close(np.asarray(trainer.history, np.float32)[:, 1:5], rec.extra["history"][:steps, 1:5],
          f"the losses of the first {steps} steps")


def recorder() -> Recorder:
    return Recorder(names=lambda: list(gan.PRESETS), config=gan.preset_config, record=record, types=types,
                    check=check)
