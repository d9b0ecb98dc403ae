"""Small shared helpers: seeding, device choice, cache folder, clocks."""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

import numpy as np
import torch


def set_seed(seed: int) -> None:
    """Seed python, numpy and torch (all devices) so a run can be repeated."""
    if not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)


def pick_device(name: str = "auto") -> torch.device:
    """'auto' -> cuda when available, else cpu. Asking for cuda without one is an error."""
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name.startswith("cuda") and not torch.cuda.is_available():
        raise ValueError("CUDA was requested but no GPU is available; use device='cpu' or 'auto'")
    if name not in ("cpu",) and not name.startswith("cuda"):
        raise ValueError(f"unknown device {name!r}; use 'auto', 'cpu' or 'cuda'")
    return torch.device(name)


def cache_dir() -> Path:
    """A per-user folder for converted weights and other derived files.

    ``DL_PLAYGROUND_CACHE`` overrides it; otherwise ``$XDG_CACHE_HOME`` or ``~/.cache``.
    """
    root = os.environ.get("DL_PLAYGROUND_CACHE")
    if root:
        path = Path(root)
    else:
        path = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "dl-playground"
    path.mkdir(parents=True, exist_ok=True)
    return path


def rss_bytes(pid: int | str = "self") -> int:
    """Resident memory of a process right now, read from /proc (Linux), in bytes."""
    with open(f"/proc/{pid}/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def rss_mb(pid: int | str = "self") -> float:
    return rss_bytes(pid) / 2**20


class Stopwatch:
    """Wall-clock timer: ``with Stopwatch() as sw: ...; sw.ms``."""

    def __enter__(self) -> "Stopwatch":
        self.start = time.perf_counter()
        self.seconds = 0.0
        return self

    def __exit__(self, *exc) -> None:
        self.seconds = time.perf_counter() - self.start

    @property
    def ms(self) -> float:
        return self.seconds * 1000.0
