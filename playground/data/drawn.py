"""Data sets a student draws: up to 200 labelled points in the plane, carried as a short text code.

A drawn set is a list of points in [-EXTENT, EXTENT]^2 (``toy2d.EXTENT``, the square the 2-D plots show), each with
a class label 0..3 (the canvas's four colours). It travels in links and configs as a *code*::

    "d1." + base64url(2 bytes per point)     bits of each 16-bit word: x (7) | y (7) | label (2)

x and y are snapped to a 128-point grid over the square (one cell is 2 * EXTENT / 127, about 0.04), so a point
moves by at most half a cell. 200 points make a code of 537 characters: bounded, and short enough for an address.
The points keep the order they were drawn in (the canvas's Undo drops the last one).

``decode`` checks everything and raises ``ValueError`` saying what is wrong; ``toy2d`` then treats a code like the
name of a built-in distribution (``sample``, ``reference``, ``coverage``), so the same coverage code measures it.
"""

from __future__ import annotations

import base64
import binascii
import functools
import re
import zlib

import numpy as np
import torch

from playground.data.toy2d import EXTENT

PREFIX = "d1."  # the format's version: a later encoding gets another prefix, and old links still decode
MAX_POINTS = 200
MIN_POINTS = 3
N_LABELS = 4  # the canvas's colours
GRID = 128  # positions per axis (7 bits)
CELL = 2 * EXTENT / (GRID - 1)  # distance between two grid positions
JITTER = 0.05  # std of the Gaussian noise around each drawn point when sampling (as moons' and spiral's)
MAX_REGIONS = 8  # a one-colour drawing is cut into at most this many regions for the coverage measure
MAX_CODE_LENGTH = len(PREFIX) + -(-2 * MAX_POINTS * 4 // 3)  # 537: base64 of 400 bytes, no padding
_ALPHABET = re.compile(r"[A-Za-z0-9_-]*")


def is_drawn(name: str) -> bool:
    """Whether ``name`` is a drawn code (well formed or not) rather than the name of a built-in data set."""
    return isinstance(name, str) and name.startswith(PREFIX)


def quantize(points) -> np.ndarray:
    """Grid positions (N, 2) int64 in 0..127 of points (N, 2) inside the square."""
    pts = np.asarray(points, dtype=np.float64)
    return np.rint((pts + EXTENT) / CELL).astype(np.int64).clip(0, GRID - 1)


def encode(points, labels) -> str:
    """The code of points (N, 2) in [-EXTENT, EXTENT]^2 with labels (N,) in 0..3; ``ValueError`` when out of bounds."""
    pts = np.asarray(points, dtype=np.float64).reshape(-1, 2) if len(points) else np.zeros((0, 2))
    lab = np.asarray(labels, dtype=np.int64).reshape(-1)
    if len(pts) != len(lab):
        raise ValueError(f"a drawn data set needs one label per point: {len(pts)} points, {len(lab)} labels")
    if len(pts) > MAX_POINTS:
        raise ValueError(f"a drawn data set holds at most {MAX_POINTS} points, got {len(pts)}")
    if not np.isfinite(pts).all() or (np.abs(pts) > EXTENT + 1e-9).any():
        raise ValueError(f"drawn points must lie in [-{EXTENT}, {EXTENT}] on both axes")
    if ((lab < 0) | (lab >= N_LABELS)).any():
        raise ValueError(f"drawn labels must be from 0 to {N_LABELS - 1}")
    q = quantize(pts)
    words = (q[:, 0] << 9) | (q[:, 1] << 2) | lab  # (N,) 16-bit words
    raw = words.astype(">u2").tobytes()
    return PREFIX + base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_grid(code: str) -> tuple[np.ndarray, np.ndarray]:
    """(grid positions (N, 2) int64, labels (N,) int64) of a code, any number of points from 0 to MAX_POINTS."""
    if not isinstance(code, str) or not code.startswith(PREFIX):
        raise ValueError(f"a drawn data set's code starts with '{PREFIX}', got {str(code)[:20]!r}")
    body = code[len(PREFIX):]
    if len(code) > MAX_CODE_LENGTH:
        raise ValueError(f"a drawn data set holds at most {MAX_POINTS} points (a code of at most "
                         f"{MAX_CODE_LENGTH} characters), got a code of {len(code)} characters")
    if not _ALPHABET.fullmatch(body):
        raise ValueError("a drawn data set's code may hold only letters, digits, '-' and '_' after "
                         f"'{PREFIX}' (it was cut or mistyped)")
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        raise ValueError("a drawn data set's code was cut or mistyped: its length does not fit "
                         "whole points") from None
    if len(raw) % 2:
        raise ValueError("a drawn data set's code was cut or mistyped: its length does not fit whole points")
    words = np.frombuffer(raw, dtype=">u2").astype(np.int64)
    grid = np.stack([words >> 9, (words >> 2) & (GRID - 1)], 1)  # (N, 2)
    return grid, words & (N_LABELS - 1)


def decode(code: str) -> tuple[np.ndarray, np.ndarray]:
    """(points (N, 2) float64 on the grid, labels (N,) int64) of a code; ``ValueError`` when it is damaged, has more
    than MAX_POINTS or fewer than MIN_POINTS points."""
    grid, labels = decode_grid(code)
    if len(labels) < MIN_POINTS:
        raise ValueError(f"a drawn data set needs at least {MIN_POINTS} points, got {len(labels)}")
    return grid * CELL - EXTENT, labels


def n_points(code: str) -> int:
    """How many points a code holds (0 for an empty drawing); ``ValueError`` when it is damaged."""
    return len(decode_grid(code)[1])


def classes(code: str) -> np.ndarray:
    """The labels a drawing uses, sorted (the canvas's colour numbers; a drawing may skip some)."""
    return np.unique(decode(code)[1])


def check_knobs(config, field: str = "data") -> None:
    """``knobs.check(config)`` for a config whose ``field`` takes a built-in data set's name (one of the knob's
    choices) or a drawn set's code, which ``decode`` checks instead (its ``ValueError`` says what is wrong)."""
    from playground.kit import knobs

    for name, limit in knobs.limits(config).items():
        value = getattr(config, name)
        if name == field and is_drawn(value):
            decode(value)
            continue
        object.__setattr__(config, name, knobs.coerce(name, limit, value))


def sample(code: str, n: int, generator: torch.Generator | None = None, std: float = JITTER) -> torch.Tensor:
    """``n`` points (n, 2) float32: drawn points picked uniformly at random, plus Gaussian noise of ``std``."""
    points = torch.from_numpy(decode(code)[0]).float()  # (M, 2)
    idx = torch.randint(len(points), (n,), generator=generator)
    return points[idx] + std * torch.randn(n, 2, generator=generator)


@functools.lru_cache(maxsize=64)  # bounded: codes come from users
def reference(code: str) -> tuple[np.ndarray, np.ndarray, int]:
    """(points (M, 2), region of each point (M,), number of regions) for the coverage measure.

    The drawn points are the reference points. With two or more colours each colour is a region (a "mode"); a
    one-colour drawing is cut into up to MAX_REGIONS regions by k-means (seeded by the code, so the regions are
    the same on every machine and every visit)."""
    points, labels = decode(code)
    used = np.unique(labels)
    if len(used) > 1:
        return points, np.searchsorted(used, labels), len(used)
    regions = kmeans(points, min(MAX_REGIONS, len(np.unique(points, axis=0))), seed=zlib.crc32(code.encode()))
    return points, regions, int(regions.max()) + 1


def kmeans(points: np.ndarray, k: int, seed: int, iters: int = 50) -> np.ndarray:
    """Lloyd's k-means with k-means++ seeding (Arthur & Vassilvitskii, 2007): a region 0..k'-1 for each point (N,),
    numbered in order of first appearance; a region left empty is dropped (k' <= k)."""
    rng = np.random.default_rng(seed)
    centres = [points[rng.integers(len(points))]]
    for _ in range(1, k):  # each next centre far from the chosen ones (probability ~ squared distance)
        d2 = ((points[:, None] - np.array(centres)[None]) ** 2).sum(-1).min(1)
        if d2.sum() == 0:
            break
        centres.append(points[rng.choice(len(points), p=d2 / d2.sum())])
    c = np.array(centres)  # (k, 2)
    for _ in range(iters):
        assign = ((points[:, None] - c[None]) ** 2).sum(-1).argmin(1)  # (N,)
        new = np.array([points[assign == j].mean(0) if (assign == j).any() else c[j] for j in range(len(c))])
        if np.allclose(new, c):
            break
        c = new
    _, first = np.unique(assign, return_index=True)
    order = np.argsort(first)  # regions by first appearance: the drawing's own order
    rename = np.empty(assign.max() + 1, dtype=np.int64)
    rename[np.unique(assign)[order]] = np.arange(len(order))
    return rename[assign]
