"""The shared metrics against scikit-learn: ROC / AUC with ties (infinite ones too), refusals where the AUC is
undefined, and kNN accuracy far from the origin."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from sklearn.metrics import roc_auc_score, roc_curve as sk_roc_curve
from sklearn.neighbors import KNeighborsClassifier

from playground.kit.metrics import auc, knn_accuracy, roc_curve


def _ours(normal, anomalous) -> float:
    return auc(*roc_curve(np.asarray(normal, float), np.asarray(anomalous, float))[:2])


def _sklearn(normal, anomalous) -> float:
    return roc_auc_score(np.r_[np.zeros(len(normal)), np.ones(len(anomalous))], np.r_[normal, anomalous])


def test_the_auc_equals_scikit_learns_with_ties():
    g = np.random.default_rng(0)
    normal, anomalous = g.normal(0, 1, 300).round(1), g.normal(0.8, 1, 200).round(1)  # many ties
    assert _ours(normal, anomalous) == pytest.approx(_sklearn(normal, anomalous), abs=1e-12)
    fpr, tpr, _ = roc_curve(normal, anomalous)
    sk_fpr, sk_tpr, _ = sk_roc_curve(np.r_[np.zeros(300), np.ones(200)], np.r_[normal, anomalous],
                                     drop_intermediate=False)
    assert np.allclose(fpr, sk_fpr) and np.allclose(tpr, sk_tpr)


def test_tied_infinite_scores_are_one_point():
    # inf - inf is NaN: a difference-based tie test cut the tied infinities into separate points
    normal, anomalous = [0.1, 0.5, np.inf, np.inf], [np.inf, np.inf, 0.7, 2.0]
    fpr, tpr, thresholds = roc_curve(normal, anomalous)
    assert list(thresholds[:2]) == [np.inf, np.inf] and len(thresholds) == 6  # one point for the four infinities
    assert (fpr[1], tpr[1]) == (0.5, 0.5)
    finite = 1e300  # scikit-learn ranks finite scores only: the same ordering with a huge stand-in
    assert _ours(normal, anomalous) == pytest.approx(_sklearn([0.1, 0.5, finite, finite], [finite, finite, 0.7, 2.0]))


@pytest.mark.parametrize("normal, anomalous, words", [
    ([], [0.3, 0.4], "0 normal and 2 anomalous"),
    ([0.3, 0.4], [], "2 normal and 0 anomalous"),
    ([0.1, np.nan], [0.3], "1 of the 3 anomaly scores are NaN"),
])
def test_an_undefined_auc_is_refused_with_a_message(normal, anomalous, words):
    with pytest.raises(ValueError, match=words):
        roc_curve(np.asarray(normal, float), np.asarray(anomalous, float))


def test_knn_accuracy_equals_scikit_learns_far_from_the_origin():
    g = torch.Generator().manual_seed(0)
    centres = torch.randn(5, 8, generator=g) * 3
    y_train, y_test = torch.arange(1000) % 5, torch.arange(1000) % 5
    x_train = centres[y_train] + torch.randn(1000, 8, generator=g) * 2.5
    x_test = centres[y_test] + torch.randn(1000, 8, generator=g) * 2.5
    for offset in (0.0, 1000.0):
        ref = KNeighborsClassifier(5).fit((x_train + offset).double().numpy(), y_train.numpy())
        expected = float((ref.predict((x_test + offset).double().numpy()) == y_test.numpy()).mean())
        assert knn_accuracy((x_train + offset), y_train, (x_test + offset), y_test) == pytest.approx(expected)
