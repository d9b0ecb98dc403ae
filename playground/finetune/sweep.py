"""Accuracy against the number of training texts, for a chosen pair of strategies.

"Transfer learning needs less data" as a curve: for each training-set size the same strategies run on
the same seeded, class-stratified subset (and the same test texts), e.g. full fine-tuning of the
pretrained encoder against the same architecture trained from scratch.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterator

from playground.finetune.config import FinetuneConfig, Snapshot
from playground.finetune.loop import race
from playground.finetune.strategies import check_strategies

SWEEP_PAIR = ("full", "from_scratch")
SWEEP_SIZES = (50, 100, 200, 400)


@dataclass(frozen=True)
class SweepPoint:
    """One point of the curve: ``strategy`` trained on ``n_train`` texts reached ``test_acc``."""

    strategy: str
    n_train: int
    test_acc: float
    train_s: float
    samples_per_s: float
    epochs: int
    seed: int
    data: str

    def as_dict(self) -> dict:
        return {"experiment": "finetune_sweep", "strategy": self.strategy, "n_train": self.n_train,
                "test_acc": round(self.test_acc, 4), "train_s": round(self.train_s, 3),
                "samples_per_s": round(self.samples_per_s, 1), "epochs": self.epochs, "seed": self.seed,
                "data": self.data}


def check_sizes(sizes) -> tuple[int, ...]:
    """Parse ``'50,100'`` or a list into sorted, distinct whole numbers from 8 to 10,000,000."""
    if isinstance(sizes, str):
        sizes = [s.strip() for s in sizes.split(",") if s.strip()]
    out = set()
    for s in sizes or []:
        try:
            n = float(s)
        except (TypeError, ValueError):
            raise ValueError(f"sweep sizes must be whole numbers from 8 to 10,000,000, got {s!r}") from None
        if n != n or n != int(n) or not 8 <= n <= 10_000_000:
            raise ValueError(f"sweep sizes must be whole numbers from 8 to 10,000,000, got {s!r}")
        out.add(int(n))
    if not out:
        raise ValueError("give at least one training-set size for the sweep, e.g. 50,100,200")
    return tuple(sorted(out))


def sweep(config: FinetuneConfig, strategies=SWEEP_PAIR, sizes=SWEEP_SIZES) -> Iterator[Snapshot | SweepPoint | None]:
    """Generator: for each size (smallest first) a race of ``strategies`` on that many training texts;
    yields the races' Snapshots and heartbeats, and one ``SweepPoint`` per finished strategy and size.
    Sizes above the training set are capped at its size (a point is reported once)."""
    strategies, sizes = check_strategies(strategies), check_sizes(sizes)
    seen = set()
    for n in sizes:
        for snap in race(replace(config, limit=n), strategies):
            if snap is not None and snap.result is not None:
                r = snap.result
                if (r.strategy, r.n_train) in seen:
                    continue
                seen.add((r.strategy, r.n_train))
                yield snap
                yield SweepPoint(r.strategy, r.n_train, r.test_acc, r.train_s, r.samples_per_s, r.epochs,
                                 r.seed, r.data)
                continue
            yield snap
