"""Generic evaluation metrics: ROC curve, area under it, k-nearest-neighbour accuracy.

Plain numpy / torch, no model knowledge: any experiment that scores or embeds things can use them.
"""

from __future__ import annotations

import math

import numpy as np
import torch


def roc_curve(normal: np.ndarray, anomalous: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """ROC of "score above threshold = anomaly": (fpr, tpr, thresholds), thresholds decreasing, from (0,0) to (1,1).

    Tied scores form one point, infinite ones too (like scikit-learn's ``roc_curve`` with
    ``drop_intermediate=False``). The curve needs scores of both kinds and no NaN: with one kind only it is
    undefined (a ``ValueError`` says so, where it once returned an AUC of 0.0)."""
    normal, anomalous = np.asarray(normal, dtype=np.float64).ravel(), np.asarray(anomalous, dtype=np.float64).ravel()
    if len(normal) == 0 or len(anomalous) == 0:
        raise ValueError(f"a ROC curve needs normal and anomalous scores; got {len(normal)} normal and "
                         f"{len(anomalous)} anomalous ones")
    scores = np.concatenate([normal, anomalous])
    if np.isnan(scores).any():
        raise ValueError(f"{int(np.isnan(scores).sum())} of the {len(scores)} anomaly scores are NaN: a ROC curve "
                         f"cannot rank them")
    labels = np.concatenate([np.zeros(len(normal)), np.ones(len(anomalous))])
    order = np.argsort(-scores, kind="mergesort")
    scores, labels = scores[order], labels[order]
    # the last index of each run of equal scores (equality, not a zero difference: inf - inf is NaN)
    distinct = np.r_[np.nonzero(scores[1:] != scores[:-1])[0], len(scores) - 1]
    tps = np.cumsum(labels)[distinct]
    fps = (distinct + 1) - tps
    tpr = np.r_[0.0, tps / len(anomalous)]
    fpr = np.r_[0.0, fps / len(normal)]
    return fpr, tpr, np.r_[np.inf, scores[distinct]]


def auc(fpr: np.ndarray, tpr: np.ndarray) -> float:
    """Area under a ROC curve by the trapezoid rule."""
    return float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2))


def knn_accuracy(train_z: torch.Tensor, train_y: torch.Tensor, test_z: torch.Tensor, test_y: torch.Tensor,
                 k: int = 5) -> float:
    """Accuracy of a k-nearest-neighbour vote (Euclidean) of embeddings: how far apart the classes lie.

    Distances in float64 about the training points' mean: in float32 far from the origin, nearby points lost
    their order (274 of 1,000 votes changed at an offset of 1,000). A tied vote goes to the smallest label."""
    centre = train_z.double().mean(0)
    d = torch.cdist(test_z.double() - centre, train_z.double() - centre)  # (N_test, N_train)
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
