"""The live comparison: two generative classifiers (LDA, QDA) beside two discriminative ones (logistic
regression, MLP) on the same 2-D points, with outliers, the density view and the anomaly scores.

``train(config)`` yields ``GvdSnapshot``s (and ``None`` heartbeats) while the discriminative models
train; the Gaussian models are fitted in closed form at the start. Everything random draws from
generators made from ``config.seed``, one stream per purpose, so the same seed gives the same numbers.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Iterator

import numpy as np
import torch

from playground.data import drawn
from playground.genvsdisc import discriminative as disc
from playground.genvsdisc.data import (DATA_SETS, EXTENT, OUTLIER_SIDES, Points, add_outliers, n_classes,
                                       plane_grid, sample, short_name)
from playground.genvsdisc.gaussian import GaussianClassifier
from playground.kit.knobs import knob
from playground.kit.runs import Diverged
from playground.kit.metrics import auc, roc_curve  # the VAE tab's anomaly ROC: same scoring, same curve
from playground.kit.runtime import fixed_threads

THREADS = 1  # intra-op threads of a run: small nets train fastest on one, and a seed gives the same figures on any machine

GENERATIVE = ("lda", "qda")
DISCRIMINATIVE = disc.MODELS
MODEL_NAMES = GENERATIVE + DISCRIMINATIVE
DENSITY_QUANTILE = 0.02  # a point is flagged as anomalous below the 2nd percentile of training log p(x)
REPORT_EVERY = 10  # a live run's snapshot every this many updates (the tab, the recording, the CLI)...
VIEW_EVERY = 50  # ...and the plane's maps every this many
# independent random streams of one run (one generator each, all from the seed)
TRAIN, TEST, OUTLIERS, INIT, SAMPLES, ANOMALIES, INIT_CLEAN, SWEEP = range(8)


def stream(seed: int, purpose: int) -> torch.Generator:
    """The generator of one purpose of a run: streams never share state, so adding draws to one
    (e.g. more samples) leaves the others' numbers unchanged."""
    return torch.Generator().manual_seed(seed * 64 + purpose)


@dataclass
class GvdConfig:
    data: str = knob("moons", choices=DATA_SETS, help="2-D data set (or a drawn data set's code, d1....)")
    n_train: int = knob(200, 4, 5000, integer=True, help="training points, all classes together")
    n_test: int = knob(2000, 10, 20000, integer=True, help="test points (drawn without outliers)")
    spread: float = knob(1.0, 0.2, 3.0, help="noise around each class's shape (1 = the usual look)")
    steps: int = knob(400, 1, 20000, integer=True, help="full-batch updates of the discriminative models")
    lr: float = knob(0.03, 0.0, 1.0, open_low=True, help="AdamW learning rate of the discriminative models")
    hidden: int = knob(32, 2, 256, integer=True, help="width of the MLP's two hidden layers")
    weight_decay: float = knob(1e-3, 0.0, 1.0, help="AdamW decoupled weight decay")
    reg: float = knob(1e-2, 0.0, 10.0, open_low=True, help="added to the Gaussian covariances' diagonal")
    outliers: int = knob(0, 0, 200, integer=True, help="far-away points added to one class")
    outlier_class: int = knob(0, 0, 3, integer=True, help="class that receives the outliers")
    outlier_distance: float = knob(6.0, 0.0, 30.0, help="how far beyond the class mean the outliers lie")
    outlier_side: str = knob("away", choices=OUTLIER_SIDES,
                             help="away: behind their own class; across: past the other classes")
    n_samples: int = knob(300, 0, 5000, integer=True, help="new points drawn from each fitted Gaussian model")
    resolution: int = knob(60, 10, 200, integer=True, help="grid cells per side of the decision-region maps")
    sweep_max: int = knob(128, 2, 1024, integer=True, help="largest training set per class in the size sweep")
    sweep_repeats: int = knob(5, 1, 20, integer=True, help="training sets drawn per size in the sweep")
    seed: int = knob(0, 0, 2**31 - 1, integer=True, help="seed of every random draw")

    def __post_init__(self) -> None:
        drawn.check_knobs(self)  # knobs.check, a drawn code in place of a data set's name too
        k, name = n_classes(self.data), short_name(self.data)
        if self.outlier_class >= k:
            raise ValueError(f"{name} has {k} classes: the outlier class must be from 0 to {k - 1}, "
                             f"got {self.outlier_class}")
        if self.n_train < k:
            raise ValueError(f"{name} needs at least {k} training points, got {self.n_train}")

    @property
    def n_classes(self) -> int:
        return n_classes(self.data)


@dataclass(frozen=True)
class PlaneView:
    """What the figures need, as numpy on the CPU. Grid maps are (R, R), row i at y = ys[i] going up.

    proba: p(y|x) of each model on the grid, {name: (K, R, R)}.
    clean_labels: argmax class of each model fitted without the outliers, {name: (R, R)} (None without).
    log_density: log p(x) of each generative model on the grid, {name: (R, R)}.
    threshold: its anomaly threshold (2nd percentile of the training points' log p(x)), {name: float}.
    samples: new points drawn from each generative model, {name: (x (S, 2), y (S,))}.
    """

    extent: float
    resolution: int
    train_x: np.ndarray
    train_y: np.ndarray
    n_outliers: int
    proba: dict
    clean_labels: dict | None
    log_density: dict
    threshold: dict
    samples: dict


@dataclass(frozen=True)
class GvdSnapshot:
    step: int
    elapsed: float
    loss: dict  # cross-entropy on the training points, discriminative models only (empty at step 0)
    train_accuracy: dict  # every model
    test_accuracy: dict
    clean_test_accuracy: dict | None = None  # the same models fitted without the outliers
    flipped: dict | None = None  # share of the data's square whose predicted class the outliers changed
    anomaly_auc: dict | None = None  # uniform points vs test points, score -log p(x) or 1 - max p(y|x)
    view: PlaneView | None = None
    done: bool = False

    def metrics(self) -> dict:
        r = lambda d: None if d is None else {k: round(float(v), 4) for k, v in d.items()}  # noqa: E731
        return {"step": self.step, "elapsed_s": round(self.elapsed, 3), "loss": r(self.loss),
                "train_accuracy": r(self.train_accuracy), "test_accuracy": r(self.test_accuracy),
                "clean_test_accuracy": r(self.clean_test_accuracy), "flipped": r(self.flipped),
                "anomaly_auc": r(self.anomaly_auc)}


def accuracy(proba: torch.Tensor, y: torch.Tensor) -> float:
    return float((proba.argmax(1) == y).double().mean())


def anomaly_points(config: GvdConfig) -> torch.Tensor:
    """The "anomalies" of the anomaly test: uniform points over [-EXTENT, EXTENT]^2, (n_test, 2).
    Some fall inside the data, so no score can reach an AUC of 1."""
    g = stream(config.seed, ANOMALIES)
    return (torch.rand(config.n_test, 2, generator=g) * 2 - 1) * EXTENT


class GvdRun:
    """Data, the fitted Gaussian models and the discriminative trainers of one run.

    ``step(n)`` trains n more full-batch updates and yields snapshots, so a caller can stop at any
    yield and continue later from where it stopped."""

    def __init__(self, config: GvdConfig) -> None:
        self.config = c = config
        self.clean = sample(c.data, c.n_train, stream(c.seed, TRAIN), c.spread)
        self.train_set = add_outliers(self.clean, c.outliers, c.outlier_class, c.outlier_distance,
                                      c.outlier_side, stream(c.seed, OUTLIERS))
        self.test_set = sample(c.data, c.n_test, stream(c.seed, TEST), c.spread)
        k = c.n_classes
        self.gaussians = {m: GaussianClassifier.fit(self.train_set.x, self.train_set.y, k, m == "lda", c.reg)
                          for m in GENERATIVE}
        g = stream(c.seed, INIT)
        self.trainers = {m: disc.FullBatchTrainer(m, self.train_set.x, self.train_set.y, k, c.hidden, c.lr,
                                                  c.weight_decay, g) for m in DISCRIMINATIVE}
        self.clean_gaussians, self.clean_trainers = {}, {}
        if c.outliers:  # the same models without the outliers, to measure what the outliers changed
            self.clean_gaussians = {m: GaussianClassifier.fit(self.clean.x, self.clean.y, k, m == "lda", c.reg)
                                    for m in GENERATIVE}
            g = stream(c.seed, INIT_CLEAN)
            self.clean_trainers = {m: disc.FullBatchTrainer(m, self.clean.x, self.clean.y, k, c.hidden, c.lr,
                                                            c.weight_decay, g) for m in DISCRIMINATIVE}
        gs = stream(c.seed, SAMPLES)
        self.samples = {m: tuple(t.numpy() for t in self.gaussians[m].sample(c.n_samples, gs))
                        for m in GENERATIVE} if c.n_samples else {m: (np.zeros((0, 2)), np.zeros(0, int))
                                                                   for m in GENERATIVE}
        self.anomalies = anomaly_points(c)
        self.step_count = 0
        self.elapsed = 0.0

    # -------------------------------------------------- predictions
    def models(self, clean: bool = False) -> dict:
        """{name: callable x (N, 2) -> p(y|x) (N, K)} for the four models (or their outlier-free twins)."""
        gauss, trainers = (self.clean_gaussians, self.clean_trainers) if clean else (self.gaussians, self.trainers)
        return {**{m: gauss[m].predict_proba for m in GENERATIVE},
                **{m: trainers[m].predict_proba for m in DISCRIMINATIVE}}

    def extent(self) -> float:
        """Half-width of the plane drawn: EXTENT, or wider so that every outlier shows."""
        return max(EXTENT, float(self.train_set.x.abs().max()) * 1.05)

    def anomaly_auc(self) -> dict:
        """AUC of telling uniform points from test points: generative models score -log p(x); a
        discriminative model has no p(x), the best it offers is its doubt 1 - max_y p(y|x)."""
        out = {}
        for name, predict in self.models().items():
            if name in GENERATIVE:
                s_normal, s_anom = (-self.gaussians[name].log_density(p) for p in (self.test_set.x, self.anomalies))
            else:
                s_normal, s_anom = (1 - predict(p).max(1).values for p in (self.test_set.x, self.anomalies))
            fpr, tpr, _ = roc_curve(s_normal.double().numpy(), s_anom.double().numpy())
            out[name] = auc(fpr, tpr)
        return out

    @torch.no_grad()
    def view(self) -> tuple[PlaneView, dict | None]:
        """The plane's maps, and the share of the data's square each model's outliers flipped."""
        c = self.config
        extent = self.extent()
        grid = plane_grid(c.resolution, extent)
        r = c.resolution
        proba = {m: f(grid).T.reshape(-1, r, r).float().numpy() for m, f in self.models().items()}
        clean_labels = flipped = None
        if c.outliers:
            clean_labels = {m: f(grid).argmax(1).reshape(r, r).numpy() for m, f in self.models(clean=True).items()}
            square = plane_grid(c.resolution, EXTENT)  # where the data lie, whatever the drawn extent
            flipped = {m: float((self.models()[m](square).argmax(1) != f(square).argmax(1)).double().mean())
                       for m, f in self.models(clean=True).items()}
        log_density, threshold = {}, {}
        for m in GENERATIVE:
            log_density[m] = self.gaussians[m].log_density(grid).reshape(r, r).float().numpy()
            threshold[m] = float(torch.quantile(self.gaussians[m].log_density(self.train_set.x), DENSITY_QUANTILE))
        view = PlaneView(extent, r, self.train_set.x.numpy(), self.train_set.y.numpy(), c.outliers, proba,
                         clean_labels, log_density, threshold, self.samples)
        return view, flipped

    @torch.no_grad()
    def snapshot(self, losses: dict, with_view: bool, done: bool) -> GvdSnapshot:
        train_acc = {m: accuracy(f(self.train_set.x), self.train_set.y) for m, f in self.models().items()}
        test_acc = {m: accuracy(f(self.test_set.x), self.test_set.y) for m, f in self.models().items()}
        clean_acc = None
        if self.config.outliers:
            clean_acc = {m: accuracy(f(self.test_set.x), self.test_set.y) for m, f in self.models(True).items()}
        view, flipped = self.view() if with_view else (None, None)
        return GvdSnapshot(self.step_count, self.elapsed, losses, train_acc, test_acc, clean_acc, flipped,
                           self.anomaly_auc() if with_view else None, view, done)

    # -------------------------------------------------- training
    @fixed_threads(THREADS)
    def step(self, n: int, report_every: int = REPORT_EVERY, view_every: int = VIEW_EVERY) -> Iterator[GvdSnapshot | None]:
        """n more updates of every discriminative model; a snapshot every ``report_every`` steps (with the
        plane's maps every ``view_every`` and at the end), a ``None`` heartbeat after every update."""
        target = min(self.step_count + n, self.config.steps)
        if self.step_count == 0:
            yield self.snapshot({}, True, target == 0)  # before any update: no loss yet
        while self.step_count < target:
            start = time.perf_counter()
            losses = {m: t.step() for m, t in self.trainers.items()}
            for t in self.clean_trainers.values():
                t.step()
            self.step_count += 1
            self.elapsed += time.perf_counter() - start
            done = self.step_count == target
            if self.step_count % report_every == 0 or done:
                values = {m: float(v) for m, v in losses.items()}
                bad = [m for m, v in values.items() if not np.isfinite(v)]
                if bad:
                    raise Diverged(self.step_count, f"{bad[0]} loss")
                yield self.snapshot(values, done or self.step_count % view_every == 0,
                                    done and self.step_count == self.config.steps)
            else:
                yield None


def train(config: GvdConfig, report_every: int = REPORT_EVERY, view_every: int = VIEW_EVERY) -> Iterator[GvdSnapshot | None]:
    """A fresh run for ``config.steps`` updates (CLI, benchmark, tests)."""
    yield from GvdRun(config).step(config.steps, report_every, view_every)
