"""Anomaly detection with a VAE: images unlike the training data are reconstructed badly.

Two set-ups: a class held out of training (normal = the other classes' test images, anomalous = that class),
or the other data set (Fashion-MNIST against digits, digits against Fashion-MNIST)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from playground.data.images import available_image_sets, load_images
from playground.kit.metrics import auc, roc_curve
from playground.vae.model import VAE, VaeConfig, kl_divergence, reconstruction_loss
from playground.vae.training import Split

SCORES = ("recon", "elbo")


@torch.no_grad()
def anomaly_scores(model: VAE, x: torch.Tensor, score: str = "recon", batch_size: int = 1000) -> np.ndarray:
    """Per-image anomaly score (N,): reconstruction error -log p(x|mu) or the negative ELBO (recon + KL).

    Deterministic: the decoder sees the posterior mean, so the same image always gets the same score."""
    if score not in SCORES:
        raise ValueError(f"score must be 'recon' or 'elbo', got {score!r}")
    model.eval()
    device = model.device
    out = []
    for i in range(0, len(x), batch_size):
        xb = x[i:i + batch_size].to(device)
        mu, logvar = model.encode(xb)
        s = reconstruction_loss(model.decode_logits(mu), xb)
        if score == "elbo" and model.variational:
            s = s + kl_divergence(mu, logvar)
        out.append(s.cpu())
    return torch.cat(out).numpy().astype(np.float64)


@dataclass(frozen=True)
class AnomalyResult:
    normal: np.ndarray      # (N,) scores of normal test images
    anomalous: np.ndarray   # (M,) scores of anomalous images
    fpr: np.ndarray
    tpr: np.ndarray
    thresholds: np.ndarray
    auc: float
    score: str
    description: str        # e.g. "digit 0 held out" or "fashion vs mnist"

    def rates_at(self, threshold: float) -> tuple[float, float]:
        """(false-positive rate, true-positive rate) when everything scoring above ``threshold`` is flagged."""
        return float(np.mean(self.normal > threshold)), float(np.mean(self.anomalous > threshold))


def other_set_name(data: str) -> str:
    """Which data set plays the anomaly for a model trained on ``data``: Fashion-MNIST for digits, MNIST for Fashion."""
    return "mnist" if data == "fashion" else "fashion"


def anomaly_inputs(cfg: VaeConfig, split: Split, n_other: int = 1000) -> tuple[torch.Tensor, torch.Tensor, str]:
    """(normal images, anomalous images, description) for a model trained with ``cfg``.

    With a held-out class: normal = test images of the other classes, anomalous = test images of that class.
    Without one: normal = the test set, anomalous = ``n_other`` images of the other data set (resized)."""
    if cfg.holdout >= 0:
        normal = split.test.x[split.test.y != cfg.holdout]
        anomalous = split.test.x[split.test.y == cfg.holdout]
        return normal, anomalous, f"{cfg.data}: class {split.test.classes[cfg.holdout]} held out"
    other = other_set_name(cfg.data)
    if other not in available_image_sets():
        raise ValueError("Fashion-MNIST is not installed: choose a held-out class for anomaly detection")
    odata = load_images(other)
    idx = torch.randperm(len(odata), generator=torch.Generator().manual_seed(cfg.seed))[:n_other]
    anomalous = odata.x[idx]
    size = split.test.x.shape[-2:]
    if anomalous.shape[-2:] != size:  # e.g. 28x28 Fashion against 8x8 digits
        anomalous = F.adaptive_avg_pool2d(anomalous, size) if anomalous.shape[-1] > size[-1] else \
            F.interpolate(anomalous, size=size, mode="bilinear")
    return split.test.x, anomalous, f"{cfg.data} vs {other}"


def anomaly_detection(model: VAE, cfg: VaeConfig, split: Split, score: str = "recon") -> AnomalyResult:
    """Score normal and anomalous images with ``model`` (trained with ``cfg``) and draw the ROC curve."""
    normal, anomalous, desc = anomaly_inputs(cfg, split)
    if len(anomalous) == 0 or len(normal) == 0:
        raise ValueError("the anomaly test needs both normal and anomalous images")
    s_n, s_a = anomaly_scores(model, normal, score), anomaly_scores(model, anomalous, score)
    fpr, tpr, thr = roc_curve(s_n, s_a)
    return AnomalyResult(s_n, s_a, fpr, tpr, thr, auc(fpr, tpr), score, desc)
