"""Training-set size sweep: test accuracy against the number of training points, for all four models.

The textbook expectation (Ng & Jordan, 2001): a generative model reaches its (higher) limit with fewer
points, a discriminative one needs more but ends lower in error when the generative assumptions are
wrong. Whether that shows depends on the data: on ``blobs`` the Gaussian assumption is right, on ``checker``
it is badly wrong. Each repeat draws fresh training sets from its own stream of the seed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Iterator

import numpy as np

from playground.genvsdisc import discriminative as disc
from playground.genvsdisc.data import sample
from playground.genvsdisc.experiment import (DISCRIMINATIVE, GENERATIVE, MODEL_NAMES, SWEEP, TEST, THREADS, GvdConfig,
                                             accuracy, stream)
from playground.genvsdisc.gaussian import GaussianClassifier
from playground.kit.runtime import fixed_threads

HEARTBEAT_STEPS = 25  # full-batch updates between heartbeats inside one fit


def sweep_sizes(config: GvdConfig) -> tuple[int, ...]:
    """Training points per class: 2, 4, 8, ... up to ``sweep_max`` (included)."""
    sizes, n = [], 2
    while n < config.sweep_max:
        sizes.append(n)
        n *= 2
    return tuple(sizes + [config.sweep_max])


@dataclass(frozen=True)
class SweepSnapshot:
    """accuracy: {model: (n_sizes, repeats)} test accuracies, NaN where not measured yet."""

    sizes: tuple[int, ...]
    n_classes: int
    accuracy: dict
    measured: int  # (size, repeat) cells done
    total: int
    elapsed: float
    done: bool = False

    def summary(self) -> dict:
        """{model: {"mean": [...], "std": [...]}} over the repeats measured so far (None where none)."""
        out = {}
        for m, acc in self.accuracy.items():
            seen = ~np.isnan(acc)
            mean = [float(a[s].mean()) if s.any() else None for a, s in zip(acc, seen)]
            std = [float(a[s].std()) if s.any() else None for a, s in zip(acc, seen)]
            out[m] = {"mean": [None if v is None else round(v, 4) for v in mean],
                      "std": [None if v is None else round(v, 4) for v in std]}
        return out

    def metrics(self) -> dict:
        return {"sizes_per_class": list(self.sizes), "n_classes": self.n_classes, "measured": self.measured,
                "total": self.total, "elapsed_s": round(self.elapsed, 3), "accuracy": self.summary()}


@fixed_threads(THREADS)
def sweep(config: GvdConfig) -> Iterator[SweepSnapshot | None]:
    """For each repeat, for each size: fit all four models on a fresh training set, score them on one
    shared test set. Yields a snapshot after each (size, repeat) and ``None`` heartbeats inside fits."""
    c = config
    sizes = sweep_sizes(c)
    test = sample(c.data, c.n_test, stream(c.seed, TEST), c.spread)
    acc = {m: np.full((len(sizes), c.sweep_repeats), np.nan) for m in MODEL_NAMES}
    start, measured, total = time.perf_counter(), 0, len(sizes) * c.sweep_repeats
    for r in range(c.sweep_repeats):
        g = stream(c.seed, SWEEP + r)
        for i, per_class in enumerate(sizes):
            train = sample(c.data, per_class * c.n_classes, g, c.spread)
            for m in GENERATIVE:
                model = GaussianClassifier.fit(train.x, train.y, c.n_classes, m == "lda", c.reg)
                acc[m][i, r] = accuracy(model.predict_proba(test.x), test.y)
            for m in DISCRIMINATIVE:
                trainer = disc.FullBatchTrainer(m, train.x, train.y, c.n_classes, c.hidden, c.lr,
                                                c.weight_decay, g)
                for s in range(c.steps):
                    trainer.step()
                    if s % HEARTBEAT_STEPS == HEARTBEAT_STEPS - 1:
                        yield None
                acc[m][i, r] = accuracy(trainer.predict_proba(test.x), test.y)
            measured += 1
            yield SweepSnapshot(sizes, c.n_classes, {m: a.copy() for m, a in acc.items()}, measured, total,
                                time.perf_counter() - start, measured == total)


def final(config: GvdConfig) -> SweepSnapshot:
    """Run the whole sweep without a UI; the last snapshot."""
    last = None
    for snap in sweep(config):
        if snap is not None:
            last = snap
    return last



