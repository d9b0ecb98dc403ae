"""Two-dimensional toy distributions for GANs, and the mode-coverage metric.

- ``ring8``: 8 Gaussians on a circle of radius 2, std 0.02 (the usual mode-collapse benchmark).
- ``grid25``: 5x5 Gaussians at {-2, -1, 0, 1, 2}^2, std 0.02.
- ``moons``: two interleaved half circles (as scikit-learn's ``make_moons``), scaled to about [-2, 2].
- ``spiral``: one arm of an Archimedean spiral, radius up to 2.

Every distribution is described by a set of *reference points* with a *region* label each: the mode
centres for the Gaussian mixtures, and points along the clean curve for moons and spiral (cut into 8
arcs of equal probability). The coverage metric (Srivastava et al., VEEGAN, 2017) then reads the same
for all of them: a generated point is *high quality* when it lies within 3 standard deviations of the
nearest reference point; a region (mode) is *covered* when it receives enough high-quality points.

A drawn data set (``playground.data.drawn``: a code such as ``"d1.AAIE..."``) is accepted wherever a name is: its
points are the reference points, and its colours (or, for one colour, k-means regions) are the regions.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import torch

DISTRIBUTIONS = ("ring8", "grid25", "moons", "spiral")
RING_RADIUS = 2.0
MODE_STD = 0.02  # ring8 and grid25
CURVE_STD = 0.05  # moons and spiral: noise around the clean curve
CURVE_REGIONS = 8  # moons and spiral are cut into this many arcs, each with 1/8 of the probability
QUALITY_STDS = 3.0
EXTENT = 2.6  # plots and the discriminator heatmap cover [-EXTENT, EXTENT]^2
SPIRAL_T = (0.5 * math.pi, 3.0 * math.pi)  # angle range of the spiral arm


def _drawn():
    from playground.data import drawn  # imported late: drawn reads EXTENT from this module

    return drawn


def is_drawn(name: str) -> bool:
    """Whether ``name`` is a drawn data set's code (``playground.data.drawn``) rather than a built-in name."""
    return _drawn().is_drawn(name)


def _check(name: str) -> None:
    if is_drawn(name):
        _drawn().decode(name)  # a damaged code says what is wrong with it
        return
    if name not in DISTRIBUTIONS:
        raise ValueError(f"unknown 2-D distribution {name!r}; choose one of {', '.join(DISTRIBUTIONS)}")


def mode_centres(name: str) -> torch.Tensor:
    """Centres of the Gaussian mixtures, shape (K, 2); only for ring8 and grid25."""
    if name == "ring8":
        angles = torch.arange(8, dtype=torch.float64) * (2 * math.pi / 8)
        return (RING_RADIUS * torch.stack([angles.cos(), angles.sin()], 1)).float()  # (8, 2)
    if name == "grid25":
        axis = torch.arange(-2, 3, dtype=torch.float32)
        gx, gy = torch.meshgrid(axis, axis, indexing="ij")
        return torch.stack([gx.reshape(-1), gy.reshape(-1)], 1)  # (25, 2)
    raise ValueError(f"{name!r} has no discrete modes; mode_centres works for ring8 and grid25")


def noise_std(name: str) -> float:
    _check(name)
    if is_drawn(name):
        return _drawn().JITTER
    return MODE_STD if name in ("ring8", "grid25") else CURVE_STD


def _curve(name: str, u: torch.Tensor) -> torch.Tensor:
    """Points on the clean curve for parameters ``u`` in [0, 1), shape (N,) -> (N, 2).

    Equal ranges of ``u`` carry equal probability, so regions are ``floor(u * CURVE_REGIONS)``."""
    if name == "moons":
        upper = u < 0.5
        t = (u % 0.5) * 2 * math.pi  # angle in [0, pi) along each moon
        x = torch.where(upper, torch.cos(t), 1 - torch.cos(t))
        y = torch.where(upper, torch.sin(t), 0.5 - torch.sin(t))
        # make_moons spans x in [-1, 2], y in [-0.5, 1]: centre it and scale it to about [-2.3, 2.3]
        return torch.stack([(x - 0.5) * 1.5, (y - 0.25) * 1.5], 1)
    t = SPIRAL_T[0] + u * (SPIRAL_T[1] - SPIRAL_T[0])
    r = t * (RING_RADIUS / SPIRAL_T[1])  # radius grows with the angle, up to 2
    return torch.stack([r * torch.cos(t), r * torch.sin(t)], 1)


def sample(name: str, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
    """``n`` points from a distribution, shape (n, 2), float32 on the CPU."""
    _check(name)
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    if is_drawn(name):
        return _drawn().sample(name, n, generator)
    if name in ("ring8", "grid25"):
        centres = mode_centres(name)
        idx = torch.randint(len(centres), (n,), generator=generator)
        return centres[idx] + MODE_STD * torch.randn(n, 2, generator=generator)
    u = torch.rand(n, generator=generator)
    return _curve(name, u) + CURVE_STD * torch.randn(n, 2, generator=generator)


def reference(name: str) -> tuple[np.ndarray, np.ndarray, int]:
    """(points (M, 2), region of each point (M,), number of regions): what coverage measures against."""
    _check(name)
    if is_drawn(name):
        return _drawn().reference(name)  # its own cache, bounded (codes come from users)
    return _builtin_reference(name)


@functools.lru_cache(maxsize=None)
def _builtin_reference(name: str) -> tuple[np.ndarray, np.ndarray, int]:
    if name in ("ring8", "grid25"):
        centres = mode_centres(name).numpy()
        return centres, np.arange(len(centres)), len(centres)
    m = 2000  # dense enough that the gap between neighbours (< 0.01) is far below 3 std (0.15)
    u = (torch.arange(m, dtype=torch.float32) + 0.5) / m
    points = _curve(name, u).numpy()
    regions = np.minimum((u.numpy() * CURVE_REGIONS).astype(np.int64), CURVE_REGIONS - 1)
    return points, regions, CURVE_REGIONS


@dataclass(frozen=True)
class Coverage:
    """How well generated 2-D points cover a distribution.

    modes_covered: regions that received at least ``min_count`` high-quality points (of n_modes).
    high_quality: fraction of points within 3 std of the nearest reference point.
    per_mode: high-quality points per region, shape (n_modes,).
    """

    modes_covered: int
    n_modes: int
    high_quality: float
    per_mode: tuple[int, ...]
    min_count: int

    def as_dict(self) -> dict:
        return {"modes_covered": self.modes_covered, "n_modes": self.n_modes,
                "high_quality": round(self.high_quality, 4)}


def coverage(points: np.ndarray | torch.Tensor, name: str, min_share: float = 0.1) -> Coverage:
    """Mode coverage of generated points (N, 2) against distribution ``name``.

    A region counts as covered when it holds at least ``min_share`` of its fair share of the points
    (``min_share * N / n_modes``, and at least 1): a handful of stray points does not cover a mode,
    while a mode that gets a tenth of what it should still counts (it is found, just under-weighted).
    """
    pts = np.asarray(points.detach().cpu() if isinstance(points, torch.Tensor) else points, dtype=np.float64)
    if pts.ndim != 2 or pts.shape[1] != 2 or len(pts) == 0:
        raise ValueError(f"points must have shape (N, 2) with N >= 1, got {pts.shape}")
    if not 0.0 < min_share <= 1.0:
        raise ValueError(f"min_share must be in (0, 1], got {min_share}")
    ref, regions, n_modes = reference(name)
    finite = np.isfinite(pts).all(1)
    d2 = ((pts[:, None, :] - ref[None, :, :]) ** 2).sum(-1)  # (N, M)
    nearest = np.where(finite, np.nan_to_num(d2, nan=np.inf).argmin(1), 0)
    dist = np.where(finite, np.sqrt(d2[np.arange(len(pts)), nearest]), np.inf)
    good = dist <= QUALITY_STDS * noise_std(name)
    per_mode = np.bincount(regions[nearest[good]], minlength=n_modes)
    min_count = max(1, math.ceil(min_share * len(pts) / n_modes))
    return Coverage(int((per_mode >= min_count).sum()), n_modes, float(good.mean()),
                    tuple(int(c) for c in per_mode), min_count)
