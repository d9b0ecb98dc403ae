"""The Fine-tuning Lab's recording: the CPU default race, as the tab runs it."""

from __future__ import annotations

import time

import numpy as np

from playground import replay
from playground.finetune import config as c
from playground.finetune.data import majority_baseline, test_labels
from playground.finetune.loop import race
from playground.finetune.strategies import DEFAULT_RACE
from playground.replay.recorders import CHECK_STEPS, Recorder, close


def key(config: c.FinetuneConfig, strategies) -> dict:
    """What a race recording must match: the settings as resolved on this machine, and the strategies (a
    GPU resolves "auto" to other sizes than the CPU, so a CPU recording never stands for a GPU race)."""
    return {"config": replay.config_dict(config.resolved(), ()), "strategies": list(strategies)}


def thinned(frames: list) -> list:
    """Every snapshot that ends a phase or carries a result or an accuracy; the others thinned evenly."""
    kept = [f for f in frames if f.phase != "train" or f.result is not None or f.test_acc is not None]
    rest = [f for f in frames if f not in kept]
    ids = {id(f) for f in kept} | {id(f) for f in replay.thin(rest, max(2, replay.MAX_FRAMES - len(kept)))}
    return [f for f in frames if id(f) in ids]


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
    fresh = []
    gen = race(cfg, tuple(rec.config["strategies"][:1]))
    try:
        for snap in gen:
            if snap is not None and snap.phase == "train" and snap.loss is not None:
                fresh.append(snap.loss)
                if len(fresh) == len(recorded):
                    break
    finally:
        gen.close()
    close(np.asarray(fresh), np.asarray(recorded), "the first training losses of the race")


def recorder() -> Recorder:
    return Recorder(names=lambda: ["cpu_default"], record=record, types=lambda: [c.Snapshot, c.StrategyResult],
                    check=check, key=lambda config: key(config, DEFAULT_RACE),
                    config=lambda name: c.FinetuneConfig(device="cpu", freeze_k=3))  # the tab's defaults
