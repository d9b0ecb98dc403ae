"""A race split into calls of bounded length, the state kept between them (ZeroGPU).

A ZeroGPU Space holds a GPU only inside a decorated call, and one call may ask for at most a few minutes
(``duration``). ``plan`` packs a race into calls: whole strategies where they fit, a strategy's epochs
spread over several calls where it does not. A call that ends inside a strategy ends at an epoch boundary
with a ``Checkpoint`` (trained weights, optimizer moments, generator states, on the CPU); the next call
rebuilds the model and goes on from it, so the numbers are the ones a single call gives (the tests check
it). Each call prepares its own data on the device it gets.

    for piece in plan(cfg, strategies, max_s=120):        # -> [Call(segments=...), ...]
        for snap in run_call(cfg, piece, resume): ...       # the snapshots, then maybe a "chunk" one

``estimate_s`` is the duration asked for: start-up, a set-up per strategy, a time per training step,
times a margin; what is charged is the time actually used.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Iterator

from playground.data import text as textdata
from playground.kit import training
from playground.finetune.config import GPU_DEFAULTS, Checkpoint, FinetuneConfig, Snapshot
from playground.finetune.data import prepare
from playground.finetune.loop import train_strategy
from playground.finetune.strategies import check_strategies
from playground.kit.runtime import pick_device

START_S = 20.0  # a call's start-up: a process, CUDA, the model and the data on the device
SETUP_S = 6.0  # per strategy in a call: the model copy, the features, the graph capture
STEP_S = 0.015  # per training step (the fast path measures about 5 ms for a 64-text step on an H100)
MARGIN = 1.5


@dataclass(frozen=True)
class Segment:
    """Epochs ``first`` to ``last`` (exclusive) of one strategy, inside one call."""

    strategy: str
    index: int  # the strategy's place in the race
    first: int
    last: int


@dataclass(frozen=True)
class Call:
    segments: tuple[Segment, ...]
    seconds: int  # the duration to ask for


def steps_per_epoch(cfg: FinetuneConfig, n_train: int | None = None) -> int:
    if n_train is None:
        n_all = len(textdata.load_texts(cfg.data).train_idx)
        n_train = min(cfg.limit or n_all, n_all)  # on a GPU the default is the whole training split
    return math.ceil(n_train / (cfg.batch_size or GPU_DEFAULTS["batch_size"]))


def estimate_s(n_strategies: int, n_steps: int) -> int:
    """Seconds to ask for one call holding ``n_strategies`` set-ups and ``n_steps`` training steps."""
    return int(MARGIN * (START_S + SETUP_S * n_strategies + STEP_S * n_steps)) + 1


def plan(cfg: FinetuneConfig, strategies, max_s: int, n_train: int | None = None) -> list[Call]:
    """Pack the race into as few calls as fit ``max_s`` each, in race order. Raises ``ValueError`` when one
    epoch of one strategy alone does not fit a call (fewer texts or a larger batch would)."""
    strategies = check_strategies(strategies)
    per_epoch = steps_per_epoch(cfg, n_train)
    if estimate_s(1, per_epoch) > max_s:
        raise ValueError(f"one epoch needs about {estimate_s(1, per_epoch)} s of GPU, more than the {max_s} s "
                         "one call may hold: train on fewer texts")
    calls, segments, n_setups, n_steps = [], [], 0, 0
    for index, strategy in enumerate(strategies):
        epoch = 0
        while epoch < cfg.epochs:
            room = max_s - estimate_s(n_setups + 1, n_steps)  # what this call has left for a new segment
            fit = min(cfg.epochs - epoch, int(room / (MARGIN * STEP_S * per_epoch))) if room > 0 else 0
            if fit == 0 and not segments:  # rounding: one epoch always fits an empty call (checked above)
                fit = 1
            if fit == 0:  # close this call, open the next
                calls.append(Call(tuple(segments), min(max_s, estimate_s(n_setups, n_steps))))
                segments, n_setups, n_steps = [], 0, 0
                continue
            segments.append(Segment(strategy, index, epoch, epoch + fit))
            n_setups, n_steps, epoch = n_setups + 1, n_steps + fit * per_epoch, epoch + fit
    if segments:
        calls.append(Call(tuple(segments), min(max_s, estimate_s(n_setups, n_steps))))
    return calls


def run_call(cfg: FinetuneConfig, call: Call, resume: Checkpoint | None = None) -> Iterator[Snapshot | None]:
    """One call's segments, one after another, on data prepared here (where the call's GPU is). A segment
    that ends before its strategy's last epoch ends with a "chunk" snapshot carrying its checkpoint."""
    first = call.segments[0]
    if first.first > 0 and (resume is None or resume.strategy != first.strategy or resume.epoch != first.first):
        raise ValueError(f"this call goes on with {first.strategy} at epoch {first.first}: its checkpoint is missing")
    device = pick_device(cfg.device)
    held = False
    try:
        for waited in training.wait_for_gpu(device):  # one GPU race at a time in this process (peak memory)
            yield Snapshot(first.strategy, first.index, "wait", 0, 0, 0.0, None, None, waited)
        held = device.type == "cuda"
        data = prepare(cfg)
        for seg in call.segments:
            yield from train_strategy(cfg, seg.strategy, data, index=seg.index, until_epoch=seg.last,
                                      resume=resume if seg.first > 0 else None)
    finally:
        if held:
            training.GPU_RACE.release()


def chunked_race(cfg: FinetuneConfig, strategies, max_s: int,
                 call: Callable[[FinetuneConfig, Call, Checkpoint | None], Iterator] = run_call
                 ) -> Iterator[Snapshot | None]:
    """The race as ``plan`` splits it, each piece through ``call`` (a ZeroGPU-decorated ``run_call`` on a
    Space); the checkpoint of a piece is handed to the next. Yields every snapshot, "chunk" ones included."""
    cfg = cfg.resolved()
    resume = None
    for piece in plan(cfg, strategies, max_s):
        for snap in call(cfg, piece, resume):
            if snap is not None and snap.checkpoint is not None:
                resume = snap.checkpoint
            yield snap
