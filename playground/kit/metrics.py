"""Generic evaluation metrics: ROC curve, area under it, k-nearest-neighbour accuracy.

Plain numpy / torch, no model knowledge: any experiment that scores or embeds things can use them.
"""

from __future__ import annotations

import math

import numpy as np
import torch


def roc_curve(normal: np.ndarray, anomalous: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """ROC of "score above threshold = anomaly": (fpr, tpr, thresholds), thresholds decreasing, from (0,0) to (1,1).

    Tied scores form one point (like scikit-learn's ``roc_curve`` with ``drop_intermediate=False``)."""
    scores = np.concatenate([normal, anomalous])
    labels = np.concatenate([np.zeros(len(normal)), np.ones(len(anomalous))])
    order = np.argsort(-scores, kind="mergesort")
    scores, labels = scores[order], labels[order]
    distinct = np.r_[np.nonzero(np.diff(scores))[0], len(scores) - 1]  # last index of each tied score
    tps = np.cumsum(labels)[distinct]
    fps = (distinct + 1) - tps
    tpr = np.r_[0.0, tps / max(1, len(anomalous))]
    fpr = np.r_[0.0, fps / max(1, len(normal))]
    return fpr, tpr, np.r_[np.inf, scores[distinct]]


def auc(fpr: np.ndarray, tpr: np.ndarray) -> float:
    """Area under a ROC curve by the trapezoid rule."""
    return float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2))


def knn_accuracy(train_z: torch.Tensor, train_y: torch.Tensor, test_z: torch.Tensor, test_y: torch.Tensor,
                 k: int = 5) -> float:
    """Accuracy of a k-nearest-neighbour vote (Euclidean) of embeddings: how far apart the classes lie."""
    d = torch.cdist(test_z, train_z)                 # (N_test, N_train)
    idx = d.topk(k, largest=False).indices           # (N_test, k)
    votes = train_y[idx]                             # (N_test, k)
    pred = torch.mode(votes, dim=1).values
    return (pred == test_y).float().mean().item()


def wilson_interval(p: float, n: int, z: float = 1.96) -> tuple[float, float]:
    """95% (``z`` = 1.96) Wilson score interval of an accuracy ``p`` measured on ``n`` independent test items:
    how far the true accuracy may be from the measured one by the luck of which items were drawn (250 test
    texts at 60%: about 54% to 66%). Stays inside [0, 1] even at 0% or 100%."""
    if n <= 0:
        return 0.0, 1.0
    p = min(max(float(p), 0.0), 1.0)
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)
