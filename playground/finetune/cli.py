"""``python -m playground finetune``: the race (one JSON line per strategy) or, with ``--sweep``, accuracy
against training-set size (one JSON line per strategy and size). Every config flag comes from the
knobs of ``FinetuneConfig`` (``--limit``, ``--lr``, ``--lora-targets query value`` ...)."""

from __future__ import annotations

import argparse
from typing import Iterator

from playground.kit import knobs
from playground.finetune.chunks import chunked_race
from playground.finetune.config import FinetuneConfig, StrategyResult
from playground.finetune.loop import race
from playground.finetune.strategies import DEFAULT_RACE, STRATEGIES, check_strategies
from playground.finetune.sweep import SWEEP_PAIR, SweepPoint, sweep


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--strategies", default=None,
                   help=f"comma-separated, from: {', '.join(STRATEGIES)} (default: {','.join(DEFAULT_RACE)}; "
                        f"with --sweep: {','.join(SWEEP_PAIR)})")
    p.add_argument("--sweep", default=None, metavar="SIZES",
                   help="comma-separated training-set sizes, e.g. 50,100,200,400: accuracy against the "
                        "number of training texts for the chosen strategies (a pair, ideally)")
    p.add_argument("--repeats", type=int, default=1, metavar="K",
                   help="with --sweep: seeds per size (seed, seed + 1, ...), as the tab's sweep runs them (the tab: "
                        "3)")
    p.add_argument("--chunk-s", type=int, default=0, metavar="S",
                   help="split the race into calls of at most S seconds of GPU each, as on a ZeroGPU Space, the "
                        "state handed from one call to the next (0: one call)")
    knobs.add_arguments(p, FinetuneConfig)


def config_from_args(args: argparse.Namespace) -> FinetuneConfig:
    return knobs.config_from_args(FinetuneConfig, args)


def report(r: StrategyResult) -> dict:
    """The result as a flat, rounded dict (one JSON line of the CLI)."""
    return {
        "experiment": "finetune", "strategy": r.strategy, "data": r.data, "trainable": r.trainable,
        "total": r.total, "pct": round(r.pct, 4), "train_s": round(r.train_s, 3), "wall_s": round(r.wall_s, 3),
        "samples_per_s": round(r.samples_per_s, 1), "peak_mem_mb": round(r.peak_mem_mb, 1),
        "mem_kind": r.mem_kind, "state_mem_mb": round(r.state_mem_mb, 1), "test_acc": round(r.test_acc, 4),
        "device": r.device, "lr": r.lr, "epochs": r.epochs, "steps": r.steps, "n_train": r.n_train,
        "n_test": r.n_test, "batch_size": r.batch_size, "max_length": r.max_length,
        "feature_s": None if r.feature_s is None else round(r.feature_s, 3),
        "drift": None if r.drift is None else round(r.drift, 6), "frozen_layers": list(r.frozen_layers),
        "seed": r.seed, "step_mode": r.step_mode, "setup_s": round(r.setup_s, 3),
        "gpu_wait_s": round(r.gpu_wait_s, 3),
    }


def run_cli(args: argparse.Namespace) -> Iterator[dict]:
    cfg = config_from_args(args)
    if args.sweep is not None:
        for item in sweep(cfg, check_strategies(args.strategies or SWEEP_PAIR), args.sweep, args.repeats):
            if isinstance(item, SweepPoint):
                yield item.as_dict()
        return
    strategies = check_strategies(args.strategies or DEFAULT_RACE)
    if args.chunk_s < 0:
        raise ValueError(f"--chunk-s must be 0 (one call) or a number of seconds, got {args.chunk_s}")
    stream = chunked_race(cfg, strategies, args.chunk_s) if args.chunk_s else race(cfg, strategies)
    hand_overs: dict[str, int] = {}
    for snap in stream:
        if snap is not None and snap.checkpoint is not None:
            hand_overs[snap.strategy] = hand_overs.get(snap.strategy, 0) + 1
        if snap is not None and snap.result is not None:
            yield {**report(snap.result), "calls": 1 + hand_overs.get(snap.strategy, 0)}
