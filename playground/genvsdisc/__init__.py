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
- ``sweep``: test accuracy against training-set size, over several seeds;
- ``augment`` (+ ``conditional``): what generative models are for: synthetic digits from a class-conditional GAN
  and VAE as extra training data, and whether they help;
- ``cli``, ``augment_cli``: the two command lines; ``recorder``: the shipped recording of the default comparison.

Command lines: ``python -m playground genvsdisc --data checker --json`` (``--mode compare|sweep|all``) and
``python -m playground augment --json``.
"""

from playground.genvsdisc.data import DATA_SETS, N_CLASSES, Points, add_outliers, plane_grid, sample
from playground.genvsdisc.experiment import (DISCRIMINATIVE, GENERATIVE, MODEL_NAMES, GvdConfig, GvdRun,
                                             GvdSnapshot, PlaneView, train)
from playground.genvsdisc.gaussian import GaussianClassifier
from playground.genvsdisc.sweep import SweepSnapshot, sweep, sweep_sizes
from playground.kit.registry import Experiment, register

register(Experiment("genvsdisc", "generative (LDA, QDA) vs discriminative (logistic regression, MLP) on 2-D data",
                    cli="playground.genvsdisc.cli", order=50, recorders={"gvd": "playground.genvsdisc.recorder:recorder",
                                                     "gvd_sweep": "playground.genvsdisc.recorder:sweep_recorder"}))
register(Experiment("augment", "synthetic digits from a conditional GAN / VAE as extra training data: does it help?",
                    cli="playground.genvsdisc.augment_cli", order=51,
                    recorders={"aug": "playground.genvsdisc.recorder:augment_recorder"}))

__all__ = ["DATA_SETS", "N_CLASSES", "Points", "add_outliers", "plane_grid", "sample", "DISCRIMINATIVE",
           "GENERATIVE", "MODEL_NAMES", "GvdConfig", "GvdRun", "GvdSnapshot", "PlaneView", "train",
           "GaussianClassifier", "SweepSnapshot", "sweep", "sweep_sizes"]
