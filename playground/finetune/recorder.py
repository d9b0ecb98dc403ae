"""The Fine-tuning Lab's recordings: the CPU default race and the CPU default size sweep, as the tab runs them.

Both take longer than a student should wait on a free Space's 2 cores (issue #25: about 120 and 300 CPU-seconds
against a budget of 60), so the tab opens on them and Start trains live."""

from __future__ import annotations

import time

import numpy as np

from playground import replay
from playground.finetune import config as c
from playground.finetune.data import majority_baseline, test_labels
from playground.finetune.loop import race
from playground.finetune.strategies import DEFAULT_RACE
from playground.finetune.sweep import SWEEP_PAIR, SWEEP_REPEATS, SWEEP_SIZES, SweepPoint, sweep
from playground.replay.recorders import CHECK_STEPS, Recorder, close


def key(config: c.FinetuneConfig, strategies) -> dict:
    """What a race recording must match: the settings as resolved on this machine, and the strategies (a
    GPU resolves "auto" to other sizes than the CPU, so a CPU recording never stands for a GPU race)."""
    return {"config": replay.config_dict(config.resolved(), ()), "strategies": list(strategies)}


def thinned(frames: list) -> list:
    """Every snapshot that ends a phase or carries a result or an accuracy; the others thinned evenly."""
    return replay.thin_keeping(frames, lambda f: f.phase != "train" or f.result is not None or f.test_acc is not None)


def record(name: str, config: c.FinetuneConfig) -> replay.Recording:
    start = time.perf_counter()
    frames = [s for s in race(config, DEFAULT_RACE) if s is not None and s.phase != "wait"]
    return replay.Recording(tab="ft", name=name, config=key(config, DEFAULT_RACE), seed=config.seed,
                            frames=thinned(frames), seconds=time.perf_counter() - start, device="cpu",
                            extra={"chance": majority_baseline(config), "n_test": len(test_labels(config))})


def check(rec: replay.Recording, steps: int = CHECK_STEPS) -> None:
    """The first strategy's first training losses, from the recorded settings and seed."""
    cfg = c.FinetuneConfig(**{**rec.config["config"], "device": "cpu"})
    recorded = [f.loss for f in rec.frames if f.phase == "train" and f.loss is not None][:2]
    fresh = _first_losses(cfg, rec.config["strategies"], len(recorded))
    close(np.asarray(fresh), np.asarray(recorded), "the first training losses of the race")


def _first_losses(cfg: c.FinetuneConfig, strategies, n: int) -> list[float]:
    fresh = []
    gen = race(cfg, tuple(strategies[:1]))
    try:
        for snap in gen:
            if snap is not None and snap.phase == "train" and snap.loss is not None:
                fresh.append(snap.loss)
                if len(fresh) == n:
                    break
    finally:
        gen.close()
    return fresh


def tab_defaults(name: str) -> c.FinetuneConfig:
    """The settings the tab opens with, on the CPU (both recordings are of them)."""
    return c.FinetuneConfig(device="cpu", freeze_k=3)


def recorder() -> Recorder:
    return Recorder(names=lambda: ["cpu_default"], record=record, types=lambda: [c.Snapshot, c.StrategyResult],
                    check=check, key=lambda config: key(config, DEFAULT_RACE), config=tab_defaults)


# ---------------------------------------------------------------- the size sweep
def sweep_key(config: c.FinetuneConfig, strategies, sizes, repeats: int) -> dict:
    """What a sweep recording must match: the race's key, the sizes and the seeds per size."""
    return {**key(config, strategies), "sizes": [int(n) for n in sizes], "repeats": int(repeats)}


def record_sweep(name: str, config: c.FinetuneConfig) -> replay.Recording:
    """The tab's default sweep. Its curve reads only the points; each point's "done" snapshot (its strategy's
    measured result) is kept beside it for the status line."""
    start = time.perf_counter()
    frames = [s for s in sweep(config, SWEEP_PAIR, SWEEP_SIZES, SWEEP_REPEATS)
              if isinstance(s, SweepPoint) or (s is not None and s.result is not None)]
    return replay.Recording(tab="ft_sweep", name=name, config=sweep_key(config, SWEEP_PAIR, SWEEP_SIZES, SWEEP_REPEATS),
                            seed=config.seed, frames=frames, seconds=time.perf_counter() - start, device="cpu",
                            extra={"chance": majority_baseline(config), "n_test": len(test_labels(config))})


def check_sweep(rec: replay.Recording, steps: int = CHECK_STEPS) -> None:
    """The first point's strategy, trained again on the first size and seed, reaches the recorded test accuracy."""
    first = next(f for f in rec.frames if isinstance(f, SweepPoint))
    cfg = c.FinetuneConfig(**{**rec.config["config"], "device": "cpu", "limit": first.n_train, "seed": first.seed})
    fresh = [s.result.test_acc for s in race(cfg, (first.strategy,)) if s is not None and s.result is not None]
    close(np.asarray(fresh), np.asarray([first.test_acc]), f"the test accuracy of {first.strategy} on {first.n_train} texts")


def sweep_recorder() -> Recorder:
    return Recorder(names=lambda: ["cpu_default"], record=record_sweep,
                    types=lambda: [c.Snapshot, c.StrategyResult, SweepPoint], check=check_sweep,
                    key=lambda config: sweep_key(config, SWEEP_PAIR, SWEEP_SIZES, SWEEP_REPEATS), config=tab_defaults)
