"""The shared digit classifier: a small net trained once per image set and cached, used to score generated
images (class coverage in the GAN Lab; whether synthetic digits look like their requested class)."""

from __future__ import annotations

import functools
import math
import threading
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from playground.data.images import IMAGE_SETS, ImageData, load_images
from playground.kit.runs import seeded_init
from playground.kit.runtime import built_apart, cache_dir, written_whole


class _Classifier(nn.Module):
    def __init__(self, shape: tuple[int, ...], n_classes: int) -> None:
        super().__init__()
        # no dropout: it would draw from the process-wide RNG that other sessions share
        self.net = nn.Sequential(nn.Flatten(), nn.Linear(math.prod(shape), 256), nn.ReLU(), nn.Linear(256, n_classes))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)  # (B, 1, H, W) in [0, 1] -> (B, classes) logits


@dataclass(frozen=True)
class Classifier:
    """A small classifier trained once on the real images (shared, read-only, on the CPU)."""

    model: nn.Module
    data: str
    test_accuracy: float

    @torch.no_grad()
    def probabilities(self, images: torch.Tensor) -> torch.Tensor:
        """images (B, 1, H, W) in [0, 1] -> class probabilities (B, classes)."""
        return torch.softmax(self.model(images.float().cpu()), dim=1)


_CLASSIFIER_LOCK = threading.Lock()
CLASSIFIER_VERSION = 2


@functools.lru_cache(maxsize=None)
@built_apart
def _classifier_cached(data: str) -> Classifier:
    images = load_images(data)
    shape, n_classes = tuple(images.shape), len(images.classes)
    model = _Classifier(shape, n_classes)
    path = cache_dir() / f"gan-classifier-{data}-v{CLASSIFIER_VERSION}.safetensors"
    from safetensors.torch import load_file, save_file

    if path.exists():
        try:
            state = load_file(str(path))
            acc = float(state.pop("test_accuracy").item())
            model.load_state_dict(state)
            return Classifier(model.eval(), data, acc)
        except Exception:  # a stale or broken cache file: train again
            pass
    acc = _fit_classifier(model, images)
    try:
        with written_whole(path) as tmp:
            save_file({**model.state_dict(), "test_accuracy": torch.tensor(acc)}, str(tmp))
    except OSError:  # a read-only cache is not fatal
        pass
    return Classifier(model.eval(), data, acc)


def _fit_classifier(model: nn.Module, images: ImageData, epochs: int = 15) -> float:
    """Seeded training on 85% of the images; returns accuracy on the other 15%."""
    from playground.data.images import train_test_split

    train, test = train_test_split(images, 0.15, seed=0)
    g = torch.Generator().manual_seed(0)
    seeded_init(model, g)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
    model.train()
    for _ in range(epochs):
        for idx in torch.randperm(len(train), generator=g).split(128):
            loss = F.cross_entropy(model(train.x[idx]), train.y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
    model.eval()
    with torch.no_grad():
        return float((model(test.x).argmax(1) == test.y).float().mean())


def digit_classifier(data: str) -> Classifier:
    """The cached classifier for an image set (trained on first use, then loaded from the cache folder)."""
    if data not in IMAGE_SETS:
        raise ValueError(f"no classifier for {data!r}; image sets are {', '.join(IMAGE_SETS)}")
    with _CLASSIFIER_LOCK:  # two sessions asking at once train it once
        return _classifier_cached(data)


@dataclass(frozen=True)
class ClassCoverage:
    """How generated images spread over the classes, according to the cached classifier.

    classes_covered: classes that get at least ``min_count`` confident predictions.
    confident: fraction of samples whose top class probability is >= ``threshold``.
    mean_confidence: mean top class probability.
    per_class: confident samples per class.
    """

    classes_covered: int
    n_classes: int
    confident: float
    mean_confidence: float
    per_class: tuple[int, ...]
    min_count: int
    threshold: float

    def as_dict(self) -> dict:
        return {"classes_covered": self.classes_covered, "n_classes": self.n_classes,
                "confident": round(self.confident, 4), "mean_confidence": round(self.mean_confidence, 4)}


def class_coverage(images: torch.Tensor | np.ndarray, data: str, threshold: float = 0.9,
                   min_share: float = 0.1) -> ClassCoverage:
    """Class coverage of generated images (N, 1, H, W) or (N, H, W) in [0, 1]."""
    x = torch.as_tensor(np.asarray(images, dtype=np.float32))
    if x.dim() == 3:
        x = x.unsqueeze(1)  # (N, H, W) -> (N, 1, H, W)
    clf = digit_classifier(data)
    probs = clf.probabilities(x)  # (N, classes)
    conf, label = probs.max(1)
    sure = conf >= threshold
    n_classes = probs.shape[1]
    per_class = torch.bincount(label[sure], minlength=n_classes)
    min_count = max(1, math.ceil(min_share * len(x) / n_classes))
    return ClassCoverage(int((per_class >= min_count).sum()), n_classes, float(sure.float().mean()),
                         float(conf.mean()), tuple(int(c) for c in per_class), min_count, threshold)


