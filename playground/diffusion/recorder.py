"""The Diffusion Lab's recordings: every 2-D preset, as the tab trains it
(``python -m playground replay record --tab diffusion``)."""

from __future__ import annotations

import dataclasses

import numpy as np

from playground import replay
from playground.diffusion import toy
from playground.replay.recorders import CHECK_STEPS, Recorder, close

FRAMES = 40  # frames with samples (~4 kB each); the last one also keeps the reverse paths (~70 kB)


def types() -> list[type]:
    from playground.data import toy2d

    return [toy.DiffusionSnapshot, toy2d.Coverage]


def frame0(trainer: toy.DiffusionTrainer) -> toy.DiffusionSnapshot:
    samples, _, _, cov = trainer.visuals(keep=0)  # the untrained denoiser: the replay's first frame
    return toy.DiffusionSnapshot(0, 0.0, 0.0, samples, cov)


def record(name: str, config: toy.DiffusionConfig) -> replay.Recording:
    trainer = toy.DiffusionTrainer(config)
    every = max(1, config.steps // FRAMES)
    frames = [frame0(trainer)]
    for snap in trainer.step(config.steps, report_every=1, sample_every=every):
        if snap.samples is not None:
            frames.append(snap)
    _, paths, times, _ = trainer.visuals()  # the time slider's states for the trained model
    frames[-1] = dataclasses.replace(frames[-1], paths=paths, times=times)
    history = np.asarray(trainer.history, dtype=np.float32)  # (steps, 3): every step's loss, for the curve
    extra = {"history": history, "n_params": trainer.n_params,
             "quality_vs_steps": trainer.quality_vs_steps(config.sampler)}
    return replay.Recording(tab="diffusion", name=name, config=config, seed=config.seed, frames=replay.thin(frames),
                            extra=extra, seconds=trainer.elapsed, device=str(trainer.device))


def check(rec: replay.Recording, steps: int = CHECK_STEPS) -> None:
    """The first ``steps`` losses and the untrained denoiser's samples, from the recorded config and seed."""
    trainer = toy.DiffusionTrainer(toy.DiffusionConfig(**rec.config))
    close(frame0(trainer).samples, rec.frames[0].samples, "the untrained denoiser's samples")
    for _ in trainer.step(steps, report_every=1):
        pass
    close(np.asarray(trainer.history, np.float32)[:, 1], rec.extra["history"][:steps, 1],
          f"the losses of the first {steps} steps")


def recorder() -> Recorder:
    return Recorder(names=lambda: list(toy.PRESETS), config=toy.preset_config, record=record, types=types,
                    check=check)
