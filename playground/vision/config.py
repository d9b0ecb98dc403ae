"""The transfer race's settings and its strategies (a registry: one entry per strategy, no if-chains).

A strategy says whether the run starts from the ImageNet weights and how many leading units of the network
stay frozen (``first_trainable``: units before it get ``requires_grad=False`` and stay in eval mode, so their
BatchNorm layers keep the ImageNet statistics). Everything else about a run is the same for all of them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

import torch

from playground.kit import knobs
from playground.kit.knobs import knob
from playground.kit.runtime import pick_device
from playground.vision.data import TRANSFER_SETS, transfer_sets
from playground.vision.net import FC, HEAD

SCHEDULES = ("constant", "linear", "cosine")  # the race offers the kit's schedules but its step decay


@dataclass(frozen=True)
class Strategy:
    name: str
    pretrained: bool  # start from the ImageNet weights (else every weight is drawn from the run's generator)
    first_trainable: Callable[["VisionConfig"], int]  # units 0 .. k-1 frozen (eval mode, no gradients)
    lr: float  # default peak learning rate (AdamW)
    epochs: int  # default epochs
    colour: str  # the same colour in every figure of the tab


# Learning rates: random weights and a fresh linear head take large steps; pretrained convolutions small
# ones, or they forget what ImageNet taught them. Epochs: cheap strategies get more (a linear probe on cached
# features costs almost nothing per epoch: 30 epochs gave 0.877 on MNIST 50 per class at 48 px, 100 gave 0.893;
# top blocks scored 0.940 after 5 epochs and 0.933 after 10).
STRATEGIES: dict[str, Strategy] = {s.name: s for s in (
    Strategy("from_scratch", False, lambda c: 0, 2e-3, 5, "#71717a"),
    Strategy("feature_extraction", True, lambda c: FC, 1e-2, 100, "#2563eb"),
    Strategy("top_blocks", True, lambda c: HEAD - c.top_blocks, 1e-3, 5, "#16a34a"),
    Strategy("full", True, lambda c: 0, 5e-4, 5, "#f97316"),
)}
DEFAULT_RACE = tuple(STRATEGIES)
SWEEP_PAIR = ("feature_extraction", "from_scratch")

# Device defaults (0 in a config): the CPU race must finish within about 90 s on 2 cores, so it uses small
# images and a small subset; a GPU uses the weights' own resolution and more data.
# Measured (MNIST, 50 per class, seed 0): feature extraction reaches 0.71 at 32 px, 0.88 at 48, 0.87 at 64 and
# 0.91 at 96 px, while a from-scratch step costs about (R / 32)^2 times more: 48 px is the CPU's sweet spot.
# 40 per class keeps the four-strategy race near a minute on 2 quiet cores (estimated from CPU seconds measured on
# busy cores: see benchmarks/bench_vision.py).
CPU_DEFAULTS = dict(per_class=40, test_per_class=30, resolution=48)
GPU_DEFAULTS = dict(per_class=200, test_per_class=100, resolution=224)
CPU_SWEEP = (10, 25, 50)
GPU_SWEEP = (10, 50, 200)


def _lr(name: str):
    return knob(0.0, 0.0, 1.0, zero_auto=True, help=f"peak learning rate of {name} (0: its default)")


def _epochs(name: str):
    return knob(0, 1, 500, integer=True, zero_auto=True, help=f"epochs of {name} (0: its default)")


@dataclass
class VisionConfig:
    """Every knob of a race. 0 means "the default for the device" (``resolved``) or "the strategy's own"."""

    data: str = knob("mnist", choices=TRANSFER_SETS, help="labelled image set")
    per_class: int = knob(0, 1, 5000, integer=True, zero_auto=True, help="training images per class")
    test_per_class: int = knob(0, 1, 2000, integer=True, zero_auto=True, help="test images per class")
    resolution: int = knob(0, 32, 320, integer=True, zero_auto=True, help="image side the CNN sees (pixels)")
    batch_size: int = knob(32, 2, 512, integer=True, help="images per step")
    augment: bool = knob(False, choices=(False, True), help="random affine jitter of training images "
                                                            "(frozen prefixes are then recomputed every step)")
    top_blocks: int = knob(5, 1, 16, integer=True, help="MBConv blocks trained by top_blocks (with the head)")
    weight_decay: float = knob(1e-4, 0.0, 1.0, help="AdamW weight decay (not on biases and BatchNorm)")
    warmup: float = knob(0.1, 0.0, 0.5, help="fraction of the steps spent ramping the learning rate up")
    schedule: str = knob("cosine", choices=SCHEDULES, help="learning rate after warmup")
    lr_from_scratch: float = _lr("from_scratch")
    lr_feature_extraction: float = _lr("feature_extraction")
    lr_top_blocks: float = _lr("top_blocks")
    lr_full: float = _lr("full")
    epochs_from_scratch: int = _epochs("from_scratch")
    epochs_feature_extraction: int = _epochs("feature_extraction")
    epochs_top_blocks: int = _epochs("top_blocks")
    epochs_full: int = _epochs("full")
    evals: int = knob(4, 1, 100, integer=True, help="test-set evaluations per strategy (the last at the end)")
    seed: int = knob(0, 0, 2**31 - 1, integer=True, help="seed of the subset, the initial weights and the batches")
    device: str = knob("auto", choices=("auto", "cpu", "cuda"), help="where to train")

    def __post_init__(self) -> None:
        knobs.check(self)
        if self.data not in transfer_sets():
            raise ValueError(f"{self.data!r} is not installed here; available: {', '.join(transfer_sets())}")
        pick_device(self.device)  # raises when cuda is asked for and missing

    def resolved(self, device: torch.device | None = None) -> "VisionConfig":
        """The same config with the device defaults filled in."""
        device = device or pick_device(self.device)
        defaults = GPU_DEFAULTS if device.type == "cuda" else CPU_DEFAULTS
        return replace(self, **{k: v for k, v in defaults.items() if not getattr(self, k)})

    def lr_for(self, strategy: str) -> float:
        return getattr(self, f"lr_{strategy}") or STRATEGIES[strategy].lr

    def epochs_for(self, strategy: str) -> int:
        return getattr(self, f"epochs_{strategy}") or STRATEGIES[strategy].epochs

    def first_trainable(self, strategy: str) -> int:
        return STRATEGIES[strategy].first_trainable(self)


def check_strategies(strategies) -> tuple[str, ...]:
    """A tuple of known strategy names, each once; a clear error otherwise."""
    if isinstance(strategies, str):
        strategies = [s.strip() for s in strategies.split(",") if s.strip()]
    strategies = tuple(dict.fromkeys(strategies))
    unknown = [s for s in strategies if s not in STRATEGIES]
    if unknown or not strategies:
        raise ValueError(f"unknown strategy {', '.join(unknown) or '(none given)'}; "
                         f"choose from {', '.join(STRATEGIES)}")
    return strategies


def sweep_sizes(sizes, device: torch.device) -> tuple[int, ...]:
    """Training-set sizes (images per class) for a sweep: the device default when empty, sorted, each once."""
    if not sizes:
        return GPU_SWEEP if device.type == "cuda" else CPU_SWEEP
    out = []
    for s in sizes:
        if isinstance(s, bool) or not float(s).is_integer() or not 1 <= int(s) <= 5000:
            raise ValueError(f"training-set sizes must be whole numbers from 1 to 5000 images per class; got {s!r}")
        out.append(int(s))
    return tuple(sorted(set(out)))
