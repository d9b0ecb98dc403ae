"""Labelled 2-D data sets for the generative-vs-discriminative comparison, drawn from a generator.

- ``blobs``: three Gaussian classes with different covariances (the Gaussian models' own assumption).
- ``moons``: two interleaved half circles (curved classes; a straight line cannot separate them).
- ``circles``: a ring around a blob. The ring is not Gaussian, yet per-class covariances draw a circle.
- ``checker``: a 4 x 4 checkerboard. Both colours have the same mean and nearly the same covariance, so
  one Gaussian per class can hardly tell them apart; a flexible discriminative model can, given points.

A drawn data set (``playground.data.drawn``: its code in place of a name) uses its colours as the classes (2 to 4
of them; a colour the drawing skips is no class, so the classes are numbered 0..K-1 in colour order): a point is a
drawn point of its class, picked at random, plus Gaussian noise of ``DRAWN_STD * spread``.

Classes are balanced: point i has label i mod K, then the order is shuffled.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

import torch

from playground.data import drawn

DATA_SETS = ("blobs", "moons", "circles", "checker")
N_CLASSES = {"blobs": 3, "moons": 2, "circles": 2, "checker": 2}
EXTENT = 4.0  # the plane drawn and scored: [-EXTENT, EXTENT]^2 (wider when outliers lie further out)
OUTLIER_SIDES = ("away", "across")
CELL = 1.2  # side of a checkerboard cell
# noise around a drawn point: a few of the canvas's grid cells (0.04), so that a cloud of clicks reads as a class's
# region rather than as a set of exact dots (drawn.JITTER, 0.05, is what the GAN measures its samples against)
DRAWN_STD = 0.15

_BLOB_MEANS = torch.tensor([[-1.5, -0.9], [1.5, -0.9], [0.0, 1.5]])
_BLOB_COVS = torch.tensor([[[0.55, 0.30], [0.30, 0.45]],
                           [[0.35, -0.20], [-0.20, 0.60]],
                           [[0.80, 0.00], [0.00, 0.20]]])


@dataclass(frozen=True)
class Points:
    """x (N, 2) float32 and y (N,) int64 on the CPU, with the number of classes."""

    x: torch.Tensor
    y: torch.Tensor
    n_classes: int

    def __len__(self) -> int:
        return len(self.y)

    def concat(self, other: "Points") -> "Points":
        return Points(torch.cat([self.x, other.x]), torch.cat([self.y, other.y]), self.n_classes)


def n_classes(name: str) -> int:
    """The number of classes of a data set: a built-in one's, or the colours a drawing uses (``ValueError`` for a
    damaged code, or a drawing of one colour: there is nothing to classify)."""
    if drawn.is_drawn(name):
        k = len(drawn.classes(name))
        if k < 2:
            raise ValueError("a drawn data set for the classifiers needs points of at least 2 colours (classes); "
                             "this drawing has one: pick another colour and add points")
        return k
    if name not in DATA_SETS:
        raise ValueError(f"unknown data set {name!r}; choose one of {', '.join(DATA_SETS)} (or a drawn code)")
    return N_CLASSES[name]


def short_name(name: str) -> str:
    """A data set's name for messages and reports: a drawn code is named by its size, not spelled out."""
    return f"a drawing of {drawn.n_points(name)} points" if drawn.is_drawn(name) else name


def _drawn(code: str, y: torch.Tensor, generator: torch.Generator, spread: float) -> torch.Tensor:
    """Points (n, 2) for labels y (n,): a random drawn point of each one's class, plus noise."""
    points, labels = drawn.decode(code)
    labels = np.searchsorted(np.unique(labels), labels)  # colours -> classes 0..K-1
    x = torch.empty(len(y), 2)
    for k in range(int(labels.max()) + 1):
        mine = torch.from_numpy(points[labels == k]).float()  # (M_k, 2)
        rows = (y == k).nonzero().squeeze(1)
        x[rows] = mine[torch.randint(len(mine), (len(rows),), generator=generator)]
    return x + DRAWN_STD * spread * torch.randn(len(y), 2, generator=generator)


def sample(name: str, n: int, generator: torch.Generator, spread: float = 1.0) -> Points:
    """``n`` labelled points of data set ``name``; ``spread`` scales the noise around each class's shape."""
    k = n_classes(name)
    if n < k:
        raise ValueError(f"{short_name(name)} needs at least {k} points (one per class), got {n}")
    y = (torch.arange(n) % k)[torch.randperm(n, generator=generator)]  # (n,) balanced, shuffled
    if drawn.is_drawn(name):
        return Points(_drawn(name, y, generator, spread), y, k)
    noise = torch.randn(n, 2, generator=generator)  # (n, 2)
    if name == "blobs":
        chol = torch.linalg.cholesky(_BLOB_COVS)  # (3, 2, 2)
        x = _BLOB_MEANS[y] + spread * torch.einsum("nij,nj->ni", chol[y], noise)
    elif name == "moons":
        t = torch.rand(n, generator=generator) * math.pi  # angle along each half circle
        upper = torch.stack([torch.cos(t), torch.sin(t)], 1)
        lower = torch.stack([1 - torch.cos(t), 0.5 - torch.sin(t)], 1)
        clean = torch.where((y == 0)[:, None], upper, lower)
        x = (clean - torch.tensor([0.5, 0.25])) * 2.0 + 0.25 * spread * noise
    elif name == "circles":
        t = torch.rand(n, generator=generator) * 2 * math.pi
        ring = 2.2 * torch.stack([torch.cos(t), torch.sin(t)], 1)
        x = torch.where((y == 0)[:, None], ring + 0.25 * spread * noise, 0.6 * spread * noise)
    else:  # checker: cell (i, j) of a 4 x 4 board has colour (i + j) mod 2
        cell = torch.randint(8, (n,), generator=generator)  # one of the 8 cells of the point's colour
        i = cell // 2
        j = 2 * (cell % 2) + (i + y) % 2  # the column that gives (i + j) mod 2 == y
        corner = torch.stack([j, i], 1).float() * CELL - 2 * CELL  # lower-left corner of the cell
        x = corner + torch.rand(n, 2, generator=generator) * CELL + 0.05 * spread * noise
    return Points(x.float(), y, k)


def add_outliers(points: Points, n: int, cls: int, distance: float, side: str,
                 generator: torch.Generator) -> Points:
    """``points`` plus ``n`` far-away points labelled ``cls``.

    They lie ``distance`` beyond the class's mean, along the line from the mean of the other classes
    through this class's mean (``away``: on its own side, behind it) or the opposite way (``across``:
    past the other classes, where they look mislabelled). Small noise (std 0.3) keeps them apart."""
    if n == 0:
        return points
    if not 0 <= cls < points.n_classes:
        raise ValueError(f"the outlier class must be from 0 to {points.n_classes - 1}, got {cls}")
    if side not in OUTLIER_SIDES:
        raise ValueError(f"the outlier side must be one of {', '.join(OUTLIER_SIDES)}, got {side!r}")
    own = points.x[points.y == cls].mean(0)
    others = points.x[points.y != cls].mean(0)
    direction = own - others
    if direction.norm() < 0.2:  # checker: every class has its mean near the centre; go right
        direction = torch.tensor([1.0, 0.0])
    direction = direction / direction.norm()
    if side == "across":
        direction = -direction
    far = own + distance * direction + 0.3 * torch.randn(n, 2, generator=generator)  # (n, 2)
    return points.concat(Points(far.float(), torch.full((n,), cls, dtype=torch.int64), points.n_classes))


def plane_grid(resolution: int, extent: float) -> torch.Tensor:
    """Points of a resolution x resolution grid over [-extent, extent]^2, row-major, rows going up in y:
    cell (row i, column j) is point i*resolution + j at (xs[j], ys[i]). Shape (resolution^2, 2)."""
    axis = torch.linspace(-extent, extent, resolution)
    gy, gx = torch.meshgrid(axis, axis, indexing="ij")
    return torch.stack([gx.reshape(-1), gy.reshape(-1)], 1)
