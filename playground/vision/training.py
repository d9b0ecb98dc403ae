"""Generic, model-agnostic pieces of a training loop (nothing here knows about images or CNNs).

The pieces both races share (``count_params``, ``param_groups``, ``PeakMemory``) live in ``playground.training``
and are re-exported here; what only the vision race uses so far:

- ``warmup_schedule(total_steps, warmup, kind)``: a learning-rate multiplier per step;
- ``batches(n, batch_size, g)``: a seeded shuffle split into index batches;
- ``BusyClock``: seconds of work, not counting the time a generator spent suspended at a yield.
"""

from __future__ import annotations

import math
import time
from typing import Callable

import torch

from playground.kit.training import PeakMemory, count_params, param_groups  # noqa: F401 (re-exported)

SCHEDULES = ("constant", "linear", "cosine")


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
