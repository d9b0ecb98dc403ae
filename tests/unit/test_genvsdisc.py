"""Generative vs discriminative core: Bayes' rule by hand, sampling, outliers, sweep, determinism, CLI."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from playground import genvsdisc as gvd
from playground.genvsdisc.gaussian import GaussianClassifier

ROOT = Path(__file__).resolve().parents[2]  # the repository (this file is in tests/unit)
TINY = dict(n_train=40, n_test=200, steps=20, resolution=12, n_samples=50, sweep_max=4, sweep_repeats=2)


def blobs(n=300, seed=0):
    return gvd.sample("blobs", n, torch.Generator().manual_seed(seed))


@pytest.mark.parametrize("shared", [True, False])
def test_posterior_is_bayes_rule_by_hand(shared):
    pts = blobs()
    model = GaussianClassifier.fit(pts.x, pts.y, 3, shared=shared, reg=0.01)
    x = np.array([[0.0, 0.0], [1.0, -1.0], [-2.0, 2.5], [3.0, 3.0]])
    pri, mu, cov = model.priors.numpy(), model.means.numpy(), model.covs.numpy()
    joint = np.empty((len(x), 3))
    for k in range(3):  # p(x|y=k) p(y=k) with the Gaussian density written out
        d = x - mu[k]
        maha = np.einsum("ni,ij,nj->n", d, np.linalg.inv(cov[k]), d)
        joint[:, k] = pri[k] * np.exp(-0.5 * maha) / (2 * math.pi * math.sqrt(np.linalg.det(cov[k])))
    expected = joint / joint.sum(1, keepdims=True)
    assert np.allclose(model.predict_proba(torch.tensor(x)).numpy(), expected, rtol=1e-9, atol=1e-12)
    assert np.allclose(model.log_density(torch.tensor(x)).numpy(), np.log(joint.sum(1)), rtol=1e-9)


def test_fitted_parameters_are_the_maximum_likelihood_ones():
    pts = blobs()
    x, y = pts.x.double().numpy(), pts.y.numpy()
    qda = GaussianClassifier.fit(pts.x, pts.y, 3, shared=False, reg=1e-9)
    lda = GaussianClassifier.fit(pts.x, pts.y, 3, shared=True, reg=1e-9)
    pooled = sum(np.cov(x[y == k].T, bias=True) * (y == k).sum() for k in range(3)) / len(y)
    for k in range(3):
        assert qda.priors[k].item() == pytest.approx((y == k).mean())
        assert np.allclose(qda.means[k].numpy(), x[y == k].mean(0))
        assert np.allclose(qda.covs[k].numpy(), np.cov(x[y == k].T, bias=True), atol=1e-8)
        assert np.allclose(lda.covs[k].numpy(), pooled, atol=1e-8)


def test_density_integrates_to_one_over_the_plane():
    pts = blobs()
    model = GaussianClassifier.fit(pts.x, pts.y, 3, shared=False)
    extent, r = 9.0, 300
    grid = gvd.plane_grid(r, extent)
    cell = (2 * extent / (r - 1)) ** 2
    assert model.log_density(grid).exp().sum().item() * cell == pytest.approx(1.0, abs=0.01)


@pytest.mark.parametrize("shared", [True, False])
def test_samples_have_the_fitted_mean_and_covariance(shared):
    pts = blobs()
    model = GaussianClassifier.fit(pts.x, pts.y, 3, shared=shared)
    x, y = model.sample(30000, torch.Generator().manual_seed(1))
    assert x.shape == (30000, 2) and y.shape == (30000,)
    for k in range(3):
        xk = x[y == k].numpy()
        assert (y == k).double().mean().item() == pytest.approx(model.priors[k].item(), abs=0.015)
        assert np.allclose(xk.mean(0), model.means[k].numpy(), atol=0.03)
        assert np.allclose(np.cov(xk.T), model.covs[k].numpy(), atol=0.04)


def test_a_class_without_points_is_a_clear_error():
    with pytest.raises(ValueError, match="class 2"):
        GaussianClassifier.fit(torch.zeros(4, 2), torch.tensor([0, 1, 0, 1]), 3, shared=True)


@pytest.mark.parametrize("name", gvd.DATA_SETS)
def test_data_sets_are_balanced_and_seeded(name):
    a = gvd.sample(name, 90, torch.Generator().manual_seed(3))
    b = gvd.sample(name, 90, torch.Generator().manual_seed(3))
    assert torch.equal(a.x, b.x) and torch.equal(a.y, b.y)
    counts = torch.bincount(a.y, minlength=a.n_classes)
    assert counts.max() - counts.min() <= 1 and a.x.abs().max() < gvd.data.EXTENT


def test_checkerboard_colours_alternate():
    pts = gvd.sample("checker", 400, torch.Generator().manual_seed(0), spread=0.2)
    cells = torch.floor((pts.x + 2 * 1.2) / 1.2).long().clamp(0, 3)  # (N, 2) column, row
    frac = (pts.x + 2.4) / 1.2 - cells  # where in its cell a point lies, 0..1 per axis
    inside = (frac.min(1).values > 0.1) & (frac.max(1).values < 0.9)  # away from cell borders
    assert torch.equal(((cells.sum(1)) % 2)[inside], pts.y[inside])


def test_config_limits():
    with pytest.raises(ValueError, match="outlier class"):
        gvd.GvdConfig(data="moons", outlier_class=2)
    with pytest.raises(ValueError, match="data"):
        gvd.GvdConfig(data="spiral")
    with pytest.raises(ValueError, match="lr"):
        gvd.GvdConfig(lr=0.0)


def _run(**kw):
    return [s for s in gvd.train(gvd.GvdConfig(**{**TINY, **kw}), report_every=5, view_every=10) if s is not None]


def test_training_streams_snapshots_and_heartbeats():
    items = list(gvd.train(gvd.GvdConfig(**TINY), report_every=5, view_every=10))
    snaps = [s for s in items if s is not None]
    assert None in items and [s.step for s in snaps] == [0, 5, 10, 15, 20]
    assert snaps[-1].done and snaps[-1].view is not None and snaps[1].view is None
    view = snaps[-1].view
    assert view.proba["qda"].shape == (2, 12, 12) and view.log_density["lda"].shape == (12, 12)
    assert np.allclose(view.proba["mlp"].sum(0), 1, atol=1e-5)
    assert view.samples["qda"][0].shape == (50, 2)
    assert set(snaps[-1].anomaly_auc) == set(gvd.MODEL_NAMES)
    json.dumps(snaps[-1].metrics())


def test_same_seed_same_numbers_other_seed_other_numbers():
    a, b, c = _run(seed=5), _run(seed=5), _run(seed=6)
    numbers = lambda run: [(s.step, s.loss, s.train_accuracy, s.test_accuracy, s.anomaly_auc) for s in run]  # noqa: E731
    assert numbers(a) == numbers(b)  # exact floats, not rounded ones
    assert np.array_equal(a[-1].view.proba["mlp"], b[-1].view.proba["mlp"])
    assert numbers(a)[-1] != numbers(c)[-1]


def test_outliers_behind_a_class_move_the_gaussian_boundary_more_than_logistic_regression():
    last = _run(data="blobs", n_train=150, steps=150, outliers=15, outlier_distance=6.0)[-1]
    assert last.flipped["lda"] > 0.05 and last.flipped["lda"] > 5 * last.flipped["logreg"]
    assert last.view.clean_labels["lda"].shape == (12, 12) and last.view.n_outliers == 15
    assert last.view.extent > gvd.data.EXTENT  # the plane widens so the outliers show


def test_sweep_fills_every_cell_and_repeats():
    cfg = gvd.GvdConfig(**TINY)
    assert gvd.sweep_sizes(cfg) == (2, 4)
    runs = [[s for s in gvd.sweep(cfg) if s is not None] for _ in range(2)]
    last = runs[0][-1]
    assert last.done and last.measured == last.total == 4
    assert all(not np.isnan(a).any() for a in last.accuracy.values())
    assert runs[0][-1].summary() == runs[1][-1].summary()


def test_cli_json():
    proc = subprocess.run([sys.executable, "-m", "playground", "genvsdisc", "--json", "--mode", "all",
                           "--n-train", "20", "--n-test", "50", "--steps", "5", "--sweep-max", "2",
                           "--sweep-repeats", "1", "--resolution", "10"], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env={**os.environ, "OMP_NUM_THREADS": "1"})
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["experiment"] for r in lines] == ["compare", "sweep"]
    assert set(lines[0]["test_accuracy"]) == set(gvd.MODEL_NAMES) and lines[1]["sizes_per_class"] == [2]
