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
SWEEP_REPEATS = 3  # the UI's default: seeds per size, so the curve comes with its spread (about 3x one sweep's time)
MAX_REPEATS = 10


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


def check_repeats(repeats) -> int:
    """A whole number of seeds per size, 1 to ``MAX_REPEATS``."""
    try:
        n = float(repeats)
    except (TypeError, ValueError):
        n = float("nan")
    if n != n or n != int(n) or not 1 <= n <= MAX_REPEATS:
        raise ValueError(f"sweep repeats must be a whole number from 1 to {MAX_REPEATS}, got {repeats!r}")
    return int(n)


def sweep(config: FinetuneConfig, strategies=SWEEP_PAIR, sizes=SWEEP_SIZES,
          repeats: int = 1) -> Iterator[Snapshot | SweepPoint | None]:
    """Generator: for each size (smallest first) ``repeats`` races of ``strategies`` on that many training texts,
    with seeds ``config.seed``, ``config.seed + 1``, ... (each seed draws its own subset, initial head and batch
    order: their spread is how far one point can move by chance); yields the races' Snapshots and heartbeats,
    and one ``SweepPoint`` per finished strategy, size and seed. Sizes above the training set are capped at its
    size (a point is reported once)."""
    strategies, sizes, repeats = check_strategies(strategies), check_sizes(sizes), check_repeats(repeats)
    seen = set()
    for n, seed in ((n, config.seed + k) for n in sizes for k in range(repeats)):
        for snap in race(replace(config, limit=n, seed=seed), strategies):
            if snap is not None and snap.result is not None:
                r = snap.result
                if (r.strategy, r.n_train, r.seed) in seen:
                    continue
                seen.add((r.strategy, r.n_train, r.seed))
                yield snap
                yield SweepPoint(r.strategy, r.n_train, r.test_acc, r.train_s, r.samples_per_s, r.epochs,
                                 r.seed, r.data)
                continue
            yield snap
