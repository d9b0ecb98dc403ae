"""A small labelled image set for transfer: a seeded, class-balanced subset of MNIST (always there) or
Fashion-MNIST (when Debian's package is installed), turned into what an ImageNet CNN expects.

Images stay at 28x28 (one channel) until a batch is drawn; ``to_input`` then resizes the batch to the run's
resolution, copies the grey channel into R, G and B and applies the ImageNet normalisation. Random
augmentation (``augment``) is a small affine jitter drawn from the run's generator.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F

from playground.data.images import available_image_sets, load_images
from playground.vision.net import MEAN, STD

TRANSFER_SETS = ("mnist", "fashion")


def transfer_sets() -> list[str]:
    """The transfer data sets installed here (MNIST always; Fashion-MNIST with its Debian package)."""
    return [n for n in TRANSFER_SETS if n in available_image_sets()]


@dataclass(frozen=True)
class TransferData:
    name: str
    classes: tuple[str, ...]
    train_x: torch.Tensor  # (N, 1, 28, 28) float32 in [0, 1]
    train_y: torch.Tensor  # (N,) int64, ``per_class`` of each class, classes interleaved by a shuffle
    test_x: torch.Tensor
    test_y: torch.Tensor

    @property
    def n_train(self) -> int:
        return len(self.train_y)

    @property
    def n_test(self) -> int:
        return len(self.test_y)

    def to(self, device: torch.device) -> "TransferData":
        return TransferData(self.name, self.classes, self.train_x.to(device), self.train_y.to(device),
                            self.test_x.to(device), self.test_y.to(device))


def prepare(name: str, per_class: int, test_per_class: int, seed: int) -> TransferData:
    """``per_class`` training and ``test_per_class`` test images of every class, drawn with ``seed``.

    For one seed the test images are the same whatever ``per_class`` is, and a smaller training set is
    part of a larger one: a sweep over training-set sizes changes only the amount of data."""
    if name not in TRANSFER_SETS:
        raise ValueError(f"unknown transfer data set {name!r}; choose one of {', '.join(TRANSFER_SETS)}")
    data = load_images(name)  # raises a clear ValueError when Fashion-MNIST is not installed
    g = torch.Generator().manual_seed(seed)
    train, test = [], []
    for c in range(len(data.classes)):
        idx = torch.nonzero(data.y == c).flatten()
        if per_class + test_per_class > len(idx):
            raise ValueError(f"{name} has {len(idx)} images of class {data.classes[c]!r}: per class, training "
                             f"({per_class}) + test ({test_per_class}) must be at most {len(idx)}")
        idx = idx[torch.randperm(len(idx), generator=g)]
        test.append(idx[:test_per_class])
        train.append(idx[test_per_class:test_per_class + per_class])
    train_idx = torch.cat(train)
    train_idx = train_idx[torch.randperm(len(train_idx), generator=g)]
    test_idx = torch.cat(test)
    return TransferData(name, data.classes, data.x[train_idx], data.y[train_idx], data.x[test_idx],
                        data.y[test_idx])


def augment(x: torch.Tensor, g: torch.Generator) -> torch.Tensor:
    """A random affine jitter per image: rotation +-10 degrees, scale 0.9-1.1, shift +-10 % (x: (B, 1, H, W)).

    The numbers are drawn on the CPU from ``g``, so a seed gives the same jitter on any device."""
    u = torch.rand(len(x), 4, generator=g).to(x.device) * 2 - 1  # (B, 4) in [-1, 1]
    angle, scale = u[:, 0] * math.radians(10), 1 + 0.1 * u[:, 1]
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    theta = torch.stack([torch.stack([cos, -sin, 0.1 * u[:, 2]], 1),
                         torch.stack([sin, cos, 0.1 * u[:, 3]], 1)], 1)  # (B, 2, 3)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)


def to_input(x: torch.Tensor, resolution: int) -> torch.Tensor:
    """(B, 1, 28, 28) grey in [0, 1] -> (B, 3, R, R) normalised like ImageNet photos."""
    if x.shape[-1] != resolution:
        x = F.interpolate(x, size=(resolution, resolution), mode="bilinear", align_corners=False)
    mean = torch.tensor(MEAN, device=x.device).view(1, 3, 1, 1)
    std = torch.tensor(STD, device=x.device).view(1, 3, 1, 1)
    return (x.expand(-1, 3, -1, -1) - mean) / std
