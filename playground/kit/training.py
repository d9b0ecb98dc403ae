"""The one training kit: model-agnostic pieces of a training loop, shared by every experiment.

Nothing here knows about BERT, images, GANs or strategies. Every function takes plain values (a model, a
device, numbers, a ``torch.Generator``) so a loop can pick what it needs:

- ``lr_schedule(kind, total_steps, warmup_steps, floor=...)``: learning-rate multiplier per step (constant,
  linear, cosine or step decay after a linear warm-up); ``set_lr(optimizer, lr)`` writes it (a float, or in place
  into a tensor lr of a CUDA-graph optimizer).
- ``param_groups(model, weight_decay)`` / ``make_optimizer(...)``: AdamW / Adam over the trainable
  weights, no decay on biases and normalisation weights; ``grad_norm(params)``: their gradients' L2 norm.
- ``count_params(model)``: (trainable, total), each tensor counted once.
- ``shuffled_batches(n, batch_size, generator, drop_single=...)`` / ``n_batches``: one epoch of shuffled index
  batches; ``eval_steps(total_steps, evals)``: evenly spaced evaluation steps, always the last one.
- ``check_finite(value, step)``: raises ``playground.kit.runs.Diverged`` for NaN or infinite losses.
- ``autocast(device)`` (bf16 on CUDA, off on the CPU), ``sync(device)``, ``device_name(device)``.
- ``PeakMemory(device)``: peak memory of a block (CUDA allocator peak, or CPU resident-set peak).
- ``GPU_RACE`` / ``wait_for_gpu(device)``: one GPU run at a time in the process, so the device-wide
  CUDA peak belongs to the run that measured it.
- ``SeededDropout`` / ``seed_dropout(model, generator)``: dropout that draws from a run's own generator.
"""

from __future__ import annotations

import math
import threading
import time
from typing import Callable, Iterator

import torch
from torch import nn

from playground.kit.runs import Diverged
from playground.kit.runtime import return_free_memory, rss_bytes

SCHEDULES = ("constant", "linear", "cosine", "step")
OPTIMIZERS = ("adamw", "adam")


# ---------------------------------------------------------------- learning rate
def lr_schedule(kind: str, total_steps: int, warmup_steps: int = 0, *, floor: float = 0.0, step_every: float = 0.33,
                step_gamma: float = 0.5) -> Callable[[int], float]:
    """Multiplier of the peak learning rate at step ``s`` (0-based).

    The first ``warmup_steps`` steps ramp up linearly from near 0 (``(s + 1) / (warmup_steps + 1)``); then
    ``kind`` decays over the remaining steps: ``constant``, ``linear`` or ``cosine`` from 1 down to ``floor`` at
    the end (``floor=0.1``: a tenth of the peak), or ``step`` (StepLR: times ``step_gamma`` after every
    ``step_every`` share of the steps)."""
    if kind not in SCHEDULES:
        raise ValueError(f"schedule must be one of {', '.join(SCHEDULES)}, got {kind!r}")
    if not 0.0 <= floor <= 1.0:
        raise ValueError(f"the schedule's floor is a share of the peak from 0 to 1, got {floor}")
    warm = max(0, int(warmup_steps))
    step_size = max(1, int(round(step_every * total_steps)))

    def factor(step: int) -> float:
        if step < warm:
            return (step + 1) / (warm + 1)
        progress = min(1.0, (step - warm) / max(1, total_steps - warm))
        if kind == "linear":
            return floor + (1.0 - floor) * max(0.0, 1.0 - progress)
        if kind == "cosine":
            return floor + (1.0 - floor) * 0.5 * (1.0 + math.cos(math.pi * progress))
        if kind == "step":
            return step_gamma ** ((step - warm) // step_size)
        return 1.0

    return factor


def warmup_steps(warmup: float, total_steps: int) -> int:
    """A warm-up given as a share of the steps, in steps."""
    if not 0.0 <= warmup < 1.0:
        raise ValueError(f"warmup must be a fraction from 0 to below 1, got {warmup}")
    return int(round(warmup * total_steps))


def set_lr(optimizer: torch.optim.Optimizer, lr: float) -> None:
    """Set every group's learning rate; a tensor lr (a CUDA graph reads it) is filled in place, no sync."""
    for group in optimizer.param_groups:
        if isinstance(group["lr"], torch.Tensor):
            group["lr"].fill_(lr)
        else:
            group["lr"] = lr


# ---------------------------------------------------------------- optimizer
def param_groups(model: nn.Module, weight_decay: float) -> list[dict]:
    """Trainable weights in two groups: matrices decay, biases and LayerNorm / BatchNorm weights do not."""
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        if p.requires_grad:
            (no_decay if p.ndim < 2 or "norm" in name.lower() else decay).append(p)
    groups = [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}]
    return [g for g in groups if g["params"]]


def make_optimizer(model: nn.Module, kind: str, lr: float, weight_decay: float, device: torch.device,
                   capturable: bool = False) -> torch.optim.Optimizer:
    """AdamW (decoupled weight decay) or Adam (L2 added to the gradient) over ``param_groups``.

    CUDA: the fused kernels; ``capturable=True`` keeps the step count and the learning rate (a tensor,
    change it with ``set_lr``) on the device so the whole step can be captured in a CUDA graph."""
    if kind not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {', '.join(OPTIMIZERS)}, got {kind!r}")
    groups = param_groups(model, weight_decay)
    kw: dict = {"fused": True} if device.type == "cuda" else {"foreach": True}
    if capturable:
        if device.type != "cuda":
            raise ValueError("a capturable optimizer needs a CUDA device")
        kw["capturable"] = True
        lr_t = torch.tensor(lr, dtype=torch.float32, device=device)
        for g in groups:
            g["lr"] = lr_t  # one tensor for all groups: set_lr fills it once
        lr = lr_t
    cls = torch.optim.AdamW if kind == "adamw" else torch.optim.Adam
    return cls(groups, lr=lr, **kw)


def count_params(model: nn.Module) -> tuple[int, int]:
    """(trainable, total) parameter counts, each tensor counted once (shared weights too)."""
    seen, trainable, total = set(), 0, 0
    for p in model.parameters():
        if id(p) in seen:
            continue
        seen.add(id(p))
        total += p.numel()
        trainable += p.numel() if p.requires_grad else 0
    return trainable, total


# ---------------------------------------------------------------- batches and evaluation points
def shuffled_batches(n: int, batch_size: int, generator: torch.Generator,
                     drop_single: bool = False) -> list[torch.Tensor]:
    """One epoch: a permutation of ``range(n)`` from ``generator``, cut into batches (the last may be short).
    ``drop_single``: a last batch of one item is dropped (BatchNorm in train mode cannot normalise one value)."""
    return list(torch.randperm(n, generator=generator).split(batch_size))[:n_batches(n, batch_size, drop_single)]


def n_batches(n: int, batch_size: int, drop_single: bool = False) -> int:
    """Batches per epoch of ``shuffled_batches(n, batch_size, g, drop_single)``."""
    full, rest = divmod(n, batch_size)
    if drop_single:
        return full + (1 if rest > 1 or (rest == 1 and full == 0) else 0)
    return full + (1 if rest else 0)


def eval_steps(total_steps: int, evals: int) -> set[int]:
    """Steps (1-based) after which a model is scored: ``evals`` of them evenly spaced, always the last one."""
    return {max(1, round(total_steps * (i + 1) / evals)) for i in range(evals)}


def grad_norm(params) -> torch.Tensor:
    """The L2 norm of all gradients of ``params`` together (a 0-d tensor; no sync)."""
    grads = [p.grad for p in params if p.grad is not None]
    if not grads:
        return torch.zeros(())
    return torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(g) for g in grads]))


def check_finite(value: float, step: int, what: str = "loss") -> float:
    """``value`` itself, or ``Diverged(step, what)`` when it is NaN or infinite."""
    if not math.isfinite(value):
        raise Diverged(step, what)
    return value


def reports(trainer, n: int, report_every: int, heartbeats: bool = False) -> Iterator[tuple | None]:
    """The loop of a trainer's ``step(n)``: ``trainer.train_step()`` ``n`` times (it counts ``trainer.step_count``
    and returns the update's losses, a detached scalar or vector), their mean over each report's updates once every
    ``report_every`` steps and after the last. Yields ``(row, last)`` at a report, ``row = (step, *means, elapsed)``
    appended to ``trainer.history`` first, and, with ``heartbeats``, ``None`` after each update that does not report
    (a live run may pause or stop there). ``trainer.elapsed`` counts training alone: the time the caller spends
    between two of its yields (drawing a snapshot, a consumer that waits) is not counted. A mean that is NaN or
    infinite raises ``Diverged``; one device sync per report."""
    sums, count = None, 0
    start = time.perf_counter()
    for i in range(n):
        losses = trainer.train_step()
        sums = losses.clone() if sums is None else sums.add_(losses)
        count += 1
        last = i == n - 1
        if trainer.step_count % report_every and not last:
            if heartbeats:
                trainer.elapsed += time.perf_counter() - start
                yield None
                start = time.perf_counter()
            continue
        means = (sums / count).reshape(-1).tolist()  # the one device sync per report
        if not all(math.isfinite(m) for m in means):
            raise Diverged(trainer.step_count, "loss")
        trainer.elapsed += time.perf_counter() - start
        row = (trainer.step_count, *means, trainer.elapsed)
        trainer.history.append(row)
        sums, count = None, 0
        yield row, last
        start = time.perf_counter()


# ---------------------------------------------------------------- device
def autocast(device: torch.device):
    """bf16 autocast on CUDA (matmuls in bf16, reductions in fp32); a no-op context on the CPU."""
    if device.type == "cuda":
        return torch.autocast("cuda", dtype=torch.bfloat16)
    return torch.autocast("cpu", enabled=False)


def sync(device: torch.device) -> None:
    """Wait for queued GPU work (so a clock reads real time); nothing on the CPU."""
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def device_name(device: torch.device) -> str:
    if device.type == "cuda":
        return f"cuda ({torch.cuda.get_device_name(device)})"
    return f"cpu ({torch.get_num_threads()} threads)"


# ---------------------------------------------------------------- one GPU run at a time
GPU_RACE = threading.Lock()
"""Held by the run that uses the GPU. ``torch.cuda.reset_peak_memory_stats`` and
``max_memory_allocated`` are device-wide, so two runs at once would reset and inflate each other's
peak; runs take turns instead. Any thread may release it (a stopped run's generator is closed from
the UI's thread)."""


def wait_for_gpu(device: torch.device, poll: float = 0.25) -> Iterator[float]:
    """Generator: on CUDA, wait for ``GPU_RACE``, yielding the seconds waited every ``poll`` s (so a UI
    can say "waiting for the GPU" and a stop can land); returns True once this run holds the lock,
    which the caller releases with ``GPU_RACE.release()``. On the CPU returns False at once.

        held = yield from wait_for_gpu(device)
        try: ... finally: held and GPU_RACE.release()"""
    if device.type != "cuda":
        return False
    start = time.perf_counter()
    while not GPU_RACE.acquire(timeout=poll):
        yield time.perf_counter() - start
    return True


# ---------------------------------------------------------------- memory
class PeakMemory:
    """Peak memory of a block of work, in MiB (``peak_mb``), and how it was measured (``kind``).

    CUDA: ``torch.cuda.max_memory_allocated`` after a reset (tensors of this process on that GPU; hold
    ``GPU_RACE`` so no other run shares the figure). CPU: a thread samples the resident set size every
    ``interval`` s; the figure is the peak above the level at the start (after ``malloc_trim``). It is
    process-wide: other work in the same process adds to it."""

    def __init__(self, device: torch.device, interval: float = 0.005) -> None:
        self.device, self.interval = device, interval
        self.kind = "cuda max_memory_allocated" if device.type == "cuda" else "cpu rss peak above start"
        self.peak_mb = 0.0

    def __enter__(self) -> "PeakMemory":
        if self.device.type == "cuda":
            torch.cuda.synchronize(self.device)
            torch.cuda.reset_peak_memory_stats(self.device)
            return self
        return_free_memory()
        self._start = rss_bytes()
        self._peak = self._start
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


# ---------------------------------------------------------------- dropout a run owns
class SeededDropout(nn.Module):
    """``nn.Dropout`` whose masks come from ``generator`` (on the tensor's device), not the global RNG,
    so a run's dropout is the same whatever other threads draw. Same scaling: kept units x 1/(1-p)."""

    def __init__(self, p: float, generator: torch.Generator) -> None:
        super().__init__()
        if not 0.0 <= p < 1.0:
            raise ValueError(f"dropout p must be from 0 to below 1, got {p}")
        self.p, self.generator = p, generator

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training or self.p == 0.0:
            return x
        keep = torch.rand(x.shape, generator=self.generator, device=x.device) >= self.p
        return x * keep.to(x.dtype) / (1.0 - self.p)

    def extra_repr(self) -> str:
        return f"p={self.p}, seeded"


def seed_dropout(model: nn.Module, generator: torch.Generator) -> int:
    """Replace every ``nn.Dropout`` with p > 0 inside ``model`` by a ``SeededDropout`` drawing from
    ``generator``; returns how many were replaced. (Dropout called as a function, e.g. inside an
    attention kernel, cannot be reached this way: set those probabilities to 0.)"""
    replaced = 0
    for parent in list(model.modules()):
        for name, child in list(parent.named_children()):
            if type(child) is nn.Dropout and child.p > 0:
                setattr(parent, name, SeededDropout(child.p, generator))
                replaced += 1
    return replaced
