"""Generative vs discriminative classifiers on 2-D data.

A discriminative classifier learns p(y|x) directly: where the boundary between the classes runs.
A generative one learns how each class makes its points, p(x|y), and how common each class is, p(y),
then turns them around with Bayes' rule. Here the generative side is a Gaussian per class (shared
covariance: LDA; per-class covariance: QDA) and the discriminative side is logistic regression and a
small MLP. Because the generative models hold a density, they can also draw new points and score how
typical a point is (anomaly detection), which the discriminative ones cannot.

- ``data``: the labelled 2-D sets and the outlier control;
- ``gaussian``: ``GaussianClassifier`` (fit, Bayes' rule, density, sampling);
- ``discriminative``: logistic regression and the MLP, trained full batch;
- ``experiment``: ``GvdConfig`` and the live run ``train(config)`` (snapshots and heartbeats);
- ``sweep``: test accuracy against training-set size, over several seeds.

Command line: ``python -m playground genvsdisc --data checker --json`` (``--mode compare|sweep|all``).
"""

from __future__ import annotations

from typing import Iterator

from playground import knobs
from playground.genvsdisc.data import DATA_SETS, N_CLASSES, Points, add_outliers, plane_grid, sample
from playground.genvsdisc.experiment import (DISCRIMINATIVE, GENERATIVE, MODEL_NAMES, GvdConfig, GvdRun,
                                             GvdSnapshot, PlaneView, train)
from playground.genvsdisc.gaussian import GaussianClassifier
from playground.genvsdisc.sweep import SweepSnapshot, sweep, sweep_sizes

MODES = ("compare", "sweep", "all")


def add_arguments(parser) -> None:
    knobs.add_arguments(parser, GvdConfig)
    parser.add_argument("--mode", choices=MODES, default="all",
                        help="compare: train the four models once; sweep: accuracy against training-set size")
    parser.add_argument("--progress", type=int, default=0, help="also print metrics every N steps (0: only the end)")


def run_cli(args) -> Iterator[dict]:
    config = knobs.config_from_args(GvdConfig, args)
    if args.progress < 0:
        raise ValueError(f"--progress must be 0 or positive, got {args.progress}")
    head = {"data": config.data, "seed": config.seed}
    if args.mode in ("compare", "all"):
        last = None
        for snap in train(config, report_every=args.progress or config.steps):
            if snap is None:
                continue
            last = snap
            if args.progress and not snap.done:
                yield {"experiment": "compare", **head, **snap.metrics()}
        yield {"experiment": "compare", **head, "n_train": config.n_train, "outliers": config.outliers,
               **last.metrics()}
    if args.mode in ("sweep", "all"):
        last = None
        for snap in sweep(config):
            if snap is not None:
                last = snap
        yield {"experiment": "sweep", **head, "steps": config.steps, "repeats": config.sweep_repeats,
               **last.metrics()}


__all__ = ["DATA_SETS", "N_CLASSES", "Points", "add_outliers", "plane_grid", "sample", "DISCRIMINATIVE",
           "GENERATIVE", "MODEL_NAMES", "GvdConfig", "GvdRun", "GvdSnapshot", "PlaneView", "train",
           "GaussianClassifier", "SweepSnapshot", "sweep", "sweep_sizes", "add_arguments", "run_cli"]
