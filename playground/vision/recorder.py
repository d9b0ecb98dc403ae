"""Vision Transfer's recording: the CPU default race (``vision_race-cpu_default``), as the tab runs it.

About 40 CPU-seconds on a free Space's 2 cores: a lecture that opens the tab by a link lands on it, and Start trains
live. A CPU recording never stands for a GPU race (the device is in its key: "auto" resolves to other sizes there).
"""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np

from playground import replay
from playground.kit.runtime import pick_device
from playground.replay.recorders import CHECK_STEPS, Recorder, close
from playground.vision import race as vrace
from playground.vision.config import CPU_SWEEP, DEFAULT_RACE, STRATEGIES, SWEEP_PAIR, VisionConfig, check_strategies


def key(config: VisionConfig, strategies) -> dict:
    """What a race recording must match: the settings as resolved on this device (a strategy's learning rate and
    epochs as its own when 0, as the tab shows them), the device, the strategies."""
    device = pick_device(config.device)
    resolved = replace(config.resolved(device), **{f"lr_{s}": config.lr_for(s) for s in STRATEGIES},
                       **{f"epochs_{s}": config.epochs_for(s) for s in STRATEGIES})
    return {"config": replay.config_dict(resolved, ()) | {"device": device.type},
            "strategies": list(check_strategies(strategies))}


def record(name: str, config: VisionConfig) -> replay.Recording:
    start = time.perf_counter()
    frames = [s for s in vrace.race(config, DEFAULT_RACE) if s is not None]
    kept = replay.thin_keeping(frames, lambda f: f.phase != "train" or f.result is not None or f.acc is not None)
    return replay.Recording(tab="vision_race", name=name, config=key(config, DEFAULT_RACE), seed=config.seed,
                            frames=kept, seconds=time.perf_counter() - start, device="cpu")


def check(rec: replay.Recording, steps: int = CHECK_STEPS) -> None:
    """The first strategy's first training losses, from the recorded settings and seed."""
    cfg = VisionConfig(**{**rec.config["config"], "device": "cpu"})
    recorded = [f.loss for f in rec.frames if f.phase == "train" and f.loss is not None][:2]
    fresh, gen = [], vrace.race(cfg, tuple(rec.config["strategies"][:1]))
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
    return Recorder(names=lambda: ["cpu_default"], config=lambda name: VisionConfig(device="cpu"), record=record,
                    types=lambda: [vrace.Snapshot, vrace.StrategyResult], check=check,
                    key=lambda config: key(config, DEFAULT_RACE))


# ---------------------------------------------------------------- the size sweep (``vision_sweep-cpu_default``)
def sweep_key(config: VisionConfig, sizes, strategies) -> dict:
    """What a sweep recording must match: the race's key (its strategies the sweep's) and the sizes."""
    return {**key(config, strategies), "sizes": [int(n) for n in sizes]}


def record_sweep(name: str, config: VisionConfig) -> replay.Recording:
    """The tab's default sweep: its points and, between them, each run's snapshots that end a phase or carry an
    accuracy (the status line reads them)."""
    start = time.perf_counter()
    frames = [s for s in vrace.size_sweep(config, CPU_SWEEP, SWEEP_PAIR) if s is not None
              and (isinstance(s, vrace.SweepPoint) or s.phase != "train" or s.acc is not None or s.result is not None)]
    return replay.Recording(tab="vision_sweep", name=name, config=sweep_key(config, CPU_SWEEP, SWEEP_PAIR),
                            seed=config.seed, frames=frames, seconds=time.perf_counter() - start, device="cpu")


def check_sweep(rec: replay.Recording, steps: int = CHECK_STEPS) -> None:
    """The first run's first training losses, from the recorded settings, the first size and the seed."""
    cfg = VisionConfig(**{**rec.config["config"], "device": "cpu"})
    recorded = [f.loss for f in rec.frames if not isinstance(f, vrace.SweepPoint) and f.phase == "train"
                and f.loss is not None][:1]
    fresh, gen = [], vrace.size_sweep(cfg, rec.config["sizes"][:1], tuple(rec.config["strategies"][:1]))
    try:
        for snap in gen:
            if isinstance(snap, vrace.Snapshot) and snap.phase == "train" and snap.loss is not None and \
                    snap.acc is not None:
                fresh.append(snap.loss)
                break
    finally:
        gen.close()
    close(np.asarray(fresh), np.asarray(recorded), "the first reported training loss of the sweep")


def sweep_recorder() -> Recorder:
    return Recorder(names=lambda: ["cpu_default"], config=lambda name: VisionConfig(device="cpu"),
                    record=record_sweep, types=lambda: [vrace.Snapshot, vrace.StrategyResult, vrace.SweepPoint],
                    check=check_sweep, key=lambda config: sweep_key(config, CPU_SWEEP, SWEEP_PAIR))
