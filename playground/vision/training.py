"""Generic, model-agnostic pieces of a training loop (nothing here knows about images or CNNs).

Written for the vision race while ``playground/training.py`` did not exist yet on main; each piece has a
generic signature so it can move there unchanged and serve the text fine-tuning loop too.

- ``count_params(model)``: (trainable, total), each tensor once, read from the model;
- ``param_groups(model, weight_decay)``: no weight decay on biases and normalisation weights;
- ``warmup_schedule(total_steps, warmup, kind)``: a learning-rate multiplier per step;
- ``batches(n, batch_size, g)``: a seeded shuffle split into index batches;
- ``PeakMemory(device)``: the peak memory of a block of work;
- ``BusyClock``: seconds of work, not counting the time a generator spent suspended at a yield.
"""

from __future__ import annotations

import ctypes
import math
import threading
import time
from typing import Callable

import torch
from torch import nn

from playground.runtime import rss_bytes

SCHEDULES = ("constant", "linear", "cosine")


def count_params(model: nn.Module) -> tuple[int, int]:
    """(trainable, total) parameter counts, each tensor counted once (tied weights too)."""
    seen, trainable, total = set(), 0, 0
    for p in model.parameters():
        if id(p) in seen:
            continue
        seen.add(id(p))
        total += p.numel()
        trainable += p.numel() if p.requires_grad else 0
    return trainable, total


def param_groups(model: nn.Module, weight_decay: float) -> list[dict]:
    """Optimizer groups over the trainable weights: matrices and kernels decay, biases and the 1-D weights of
    normalisation layers do not (decaying a BatchNorm / LayerNorm scale towards 0 only hurts)."""
    decay, no_decay = [], []
    for p in model.parameters():
        if p.requires_grad:
            (no_decay if p.ndim < 2 else decay).append(p)
    groups = [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}]
    return [g for g in groups if g["params"]]


def warmup_schedule(total_steps: int, warmup: float = 0.1, kind: str = "cosine") -> Callable[[int], float]:
    """Multiplier of the peak learning rate at each step (for ``LambdaLR``): a linear ramp over the first
    ``warmup`` fraction of the steps, then constant, linear decay to 0 or a cosine to 0."""
    if kind not in SCHEDULES:
        raise ValueError(f"schedule must be one of {', '.join(SCHEDULES)}; got {kind!r}")
    if not 0.0 <= warmup < 1.0:
        raise ValueError(f"warmup must be a fraction from 0 to below 1, got {warmup}")
    warm = int(round(warmup * total_steps))

    def factor(step: int) -> float:
        if step < warm:
            return (step + 1) / (warm + 1)
        progress = (step - warm) / max(1, total_steps - warm)
        if kind == "linear":
            return max(0.0, 1.0 - progress)
        if kind == "cosine":
            return 0.5 * (1.0 + math.cos(math.pi * min(1.0, progress)))
        return 1.0

    return factor


def batches(n: int, batch_size: int, g: torch.Generator) -> list[torch.Tensor]:
    """One epoch of index batches from a shuffle drawn from ``g`` (the same ``g`` state, the same batches).

    A last batch of a single item is dropped: BatchNorm in train mode cannot normalise one value."""
    perm = torch.randperm(n, generator=g)
    return list(perm.split(batch_size))[:n_batches(n, batch_size)]


def n_batches(n: int, batch_size: int) -> int:
    """Batches per epoch of ``batches(n, batch_size, g)``."""
    full, rest = divmod(n, batch_size)
    return full + (1 if rest > 1 or (rest == 1 and full == 0) else 0)


_libc = None


def _release_freed_memory() -> None:
    """Ask glibc to hand freed heap pages back to the OS, so RSS reflects live memory (Linux only)."""
    global _libc
    try:
        if _libc is None:
            _libc = ctypes.CDLL("libc.so.6")
        _libc.malloc_trim(0)
    except (OSError, AttributeError):
        pass


class PeakMemory:
    """Peak memory of a block of work, in MB (``peak_mb``), and how it was measured (``kind``).

    CUDA: ``torch.cuda.max_memory_allocated`` after a reset. CPU: a thread samples the process's resident
    set size every 5 ms; the figure is the peak above the level at the start (after freed heap pages were
    returned). It is process-wide: other work in the same process adds to it."""

    def __init__(self, device: torch.device, interval: float = 0.005) -> None:
        self.device, self.interval = torch.device(device), interval
        self.kind = "cuda max_memory_allocated" if self.device.type == "cuda" else "cpu rss peak above start"
        self.peak_mb = 0.0

    def __enter__(self) -> "PeakMemory":
        if self.device.type == "cuda":
            torch.cuda.synchronize(self.device)
            torch.cuda.reset_peak_memory_stats(self.device)
            return self
        _release_freed_memory()
        self._start = self._peak = rss_bytes()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(self.interval):
            self._peak = max(self._peak, rss_bytes())

    def __exit__(self, *exc) -> None:
        if self.device.type == "cuda":
            torch.cuda.synchronize(self.device)
            self.peak_mb = torch.cuda.max_memory_allocated(self.device) / 2**20
            return
        self._stop.set()
        self._thread.join()
        self._peak = max(self._peak, rss_bytes())
        self.peak_mb = (self._peak - self._start) / 2**20


class BusyClock:
    """Seconds of work of a generator: ``stop()`` before each ``yield``, ``start()`` after it, so time the
    consumer spends (drawing, pausing) is not counted. On a GPU ``stop`` waits for queued work first."""

    def __init__(self, device: torch.device | None = None) -> None:
        self.device = device
        self.seconds = 0.0
        self._t0: float | None = None

    def start(self) -> None:
        self._t0 = time.perf_counter()

    def stop(self) -> float:
        if self._t0 is not None:
            if self.device is not None and self.device.type == "cuda":
                torch.cuda.synchronize(self.device)
            self.seconds += time.perf_counter() - self._t0
            self._t0 = None
        return self.seconds
