"""Generative adversarial networks (Goodfellow et al., 2014), small enough to train live on a CPU.

A generator G maps noise z ~ N(0, I) to data; a discriminator D scores how real a sample looks.
They play a two-player game: D learns to tell real from fake, G learns to fool D.

- Data: 2-D toy distributions (``playground.toy2d``) or small image sets (MNIST, scikit-learn digits,
  Fashion-MNIST when installed).
- Losses: the original minimax game, the non-saturating variant, least squares (Mao et al., 2017),
  and Wasserstein with gradient penalty (Gulrajani et al., 2017).
- ``GanTrainer`` holds G, D, their optimizers, the step counter and the history, so a UI can pause,
  resume or single-step it: ``trainer.step(n)`` is a generator of frozen ``GanSnapshot``s.
- ``train(config)`` runs ``config.steps`` steps on a fresh trainer (CLI, benchmark, tests).
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import json
import math
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from playground import toy2d
from playground.datasets import ImageData, load_images
from playground.runtime import cache_dir, pick_device, set_seed

TOY_SETS = toy2d.DISTRIBUTIONS
IMAGE_SETS = ("mnist", "digits", "fashion")
DATA_SETS = TOY_SETS + IMAGE_SETS
LOSSES = ("minimax", "ns", "lsgan", "wgan-gp")
OPTIMIZERS = ("adam", "sgd")
ARCHS = ("mlp", "dcgan")
HEATMAP_RES = 48  # the discriminator heatmap is HEATMAP_RES x HEATMAP_RES points over the plane
TOY_FIXED = 1000  # fixed-noise points for a 2-D run (plot and coverage)
IMAGE_FIXED = 256  # fixed-noise images (the first 64 make the grid; all of them the class coverage)
GRID_IMAGES = 64
TOY_POOL = 65536  # real 2-D points drawn once per distribution; batches are drawn from this pool


# ---------------------------------------------------------------- configuration
CHOICES = {"data": DATA_SETS, "loss": LOSSES, "optimizer": OPTIMIZERS, "arch": ARCHS}
# field: (lowest, highest, integer?). Learning rates must be strictly above 0 (OPEN_LOW).
LIMITS: dict[str, tuple[float, float, bool]] = {
    "lr_g": (0.0, 1.0, False), "lr_d": (0.0, 1.0, False), "beta1": (0.0, 0.999, False),
    "beta2": (0.0, 0.9999, False), "d_steps": (1, 10, True), "latent_dim": (1, 256, True), "width": (4, 1024, True),
    "depth": (1, 6, True), "batch_size": (8, 2048, True), "gp_weight": (0.0, 100.0, False),
    "steps": (1, 1_000_000, True), "seed": (0, 2**31 - 1, True), "cpu_threads": (1, 256, True),
}
OPEN_LOW = {"lr_g", "lr_d"}
MAX_IMAGE_BATCH = 512


def limits(name: str, data: str = "ring8") -> tuple[float, float, bool]:
    """(lowest, highest, integer?) allowed for a numeric field (image batches are capped lower)."""
    lo, hi, integer = LIMITS[name]
    if name == "batch_size" and data not in TOY_SETS:
        hi = MAX_IMAGE_BATCH
    return lo, hi, integer


@dataclass
class GanConfig:
    """Everything that defines a run. Bad values raise ``ValueError`` saying what is allowed."""

    data: str = "ring8"
    loss: str = "ns"
    optimizer: str = "adam"
    lr_g: float = 1e-3
    lr_d: float = 1e-3
    beta1: float = 0.5
    beta2: float = 0.999
    d_steps: int = 1  # discriminator updates per generator update
    latent_dim: int = 16
    width: int = 128
    depth: int = 3  # hidden layers of the MLPs (the conv nets have a fixed two up/down-sampling stages)
    arch: str = "mlp"
    batch_size: int = 256
    gp_weight: float = 10.0  # lambda of WGAN-GP; only used with loss="wgan-gp"
    steps: int = 2000
    seed: int = 0
    device: str = "auto"
    # CPU threads for the training loop. These nets are small: one thread is faster than two spin-waiting
    # OpenMP threads, by far when the cores are shared (measured: 290 vs 29 steps/s on ring8, 2 busy cores).
    cpu_threads: int = 1

    def __post_init__(self) -> None:
        for name, allowed in CHOICES.items():
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name} must be one of {', '.join(allowed)}; got {getattr(self, name)!r}")
        for name in LIMITS:
            lo, hi, integer = limits(name, self.data)
            value = getattr(self, name)
            kind = "an integer" if integer else "a number"
            low = f"greater than {lo}" if name in OPEN_LOW else f"at least {lo}"
            if isinstance(value, bool) or not isinstance(value, int if integer else (int, float)):
                raise ValueError(f"{name} must be {kind} {low} and at most {hi}; got {value!r}")
            if not math.isfinite(value) or value > hi or value < lo or (name in OPEN_LOW and value <= lo):
                raise ValueError(f"{name} must be {low} and at most {hi}; got {value}")
        if self.arch == "dcgan" and self.is_toy:
            raise ValueError("arch 'dcgan' is for image data; 2-D toy data uses arch 'mlp'")
        if self.data == "fashion":
            load_images("fashion")  # raises a clear ValueError when the Debian package is missing
        pick_device(self.device)  # raises when cuda is asked for and missing

    @property
    def is_toy(self) -> bool:
        return self.data in TOY_SETS

    def replace(self, **changes) -> "GanConfig":
        return dataclasses.replace(self, **changes)


# Presets: the UI's dropdown and the CLI's defaults. "default" is the one the UI opens with.
PRESETS: dict[str, dict] = {
    # Reliable on ring8: non-saturating loss, Adam, a small MLP (fast steps), equal learning rates.
    "default": dict(data="ring8", loss="ns", optimizer="adam", lr_g=2e-3, lr_d=2e-3, beta1=0.5, beta2=0.999,
                    d_steps=1, latent_dim=16, width=64, depth=2, arch="mlp", batch_size=256, steps=4000, seed=0),
    # A bigger D trained twice per G step: G finds one blob that fools D and stays there (seed 0: 1 of 8).
    "mode_collapse": dict(data="ring8", loss="ns", optimizer="adam", lr_g=1e-3, lr_d=1e-3, beta1=0.5,
                          beta2=0.999, d_steps=2, latent_dim=16, width=128, depth=3, arch="mlp", batch_size=256,
                          steps=2500, seed=0),
    # Smaller steps and larger batches: slower to start, steadier once it has found the modes.
    "stable": dict(data="ring8", loss="ns", optimizer="adam", lr_g=1e-3, lr_d=1e-3, beta1=0.5, beta2=0.999,
                   d_steps=1, latent_dim=16, width=64, depth=2, arch="mlp", batch_size=512, steps=5000, seed=0),
    # DCGAN-style conv nets: far fewer steps to varied digits than an MLP (which collapsed to 4 classes in 90 s)
    "mnist": dict(data="mnist", loss="ns", optimizer="adam", lr_g=2e-4, lr_d=2e-4, beta1=0.5, beta2=0.999,
                  d_steps=1, latent_dim=64, width=32, depth=2, arch="dcgan", batch_size=64, steps=1000, seed=0),
    "digits": dict(data="digits", loss="ns", optimizer="adam", lr_g=1e-3, lr_d=1e-3, beta1=0.5, beta2=0.999,
                   d_steps=1, latent_dim=32, width=256, depth=2, arch="mlp", batch_size=128, steps=2000, seed=0),
}
DEFAULT_PRESET = "default"


def preset_config(name: str = DEFAULT_PRESET, **overrides) -> GanConfig:
    """A ``GanConfig`` from a preset, with some fields changed."""
    if name not in PRESETS:
        raise ValueError(f"unknown preset {name!r}; choose one of {', '.join(PRESETS)}")
    return GanConfig(**{**PRESETS[name], **overrides})


def preset_for_data(data: str) -> str:
    """The preset the CLI starts from for a data set (its own preset when there is one)."""
    return data if data in PRESETS else DEFAULT_PRESET


# ---------------------------------------------------------------- data
@functools.lru_cache(maxsize=16)
def _toy_pool(name: str) -> torch.Tensor:
    """A fixed pool of real points (TOY_POOL, 2); shared read-only by all runs."""
    return toy2d.sample(name, TOY_POOL, torch.Generator().manual_seed(12345))


def data_shape(data: str) -> tuple[int, ...]:
    """(2,) for toy data, (1, H, W) for images."""
    return (2,) if data in TOY_SETS else tuple(load_images(data).shape)


def real_data(data: str) -> torch.Tensor:
    """All real samples on the CPU: (TOY_POOL, 2) points, or (N, 1, H, W) images scaled to [-1, 1]."""
    if data in TOY_SETS:
        return _toy_pool(data)
    return _scaled_images(data)


@functools.lru_cache(maxsize=4)
def _scaled_images(data: str) -> torch.Tensor:
    return load_images(data).x * 2 - 1  # G ends in tanh, so the data lives in [-1, 1]


# ---------------------------------------------------------------- networks
def _mlp(sizes: list[int], act: nn.Module) -> list[nn.Module]:
    layers: list[nn.Module] = []
    for a, b in zip(sizes[:-2], sizes[1:-1]):
        layers += [nn.Linear(a, b), act]
    layers.append(nn.Linear(sizes[-2], sizes[-1]))
    return layers


class MLPGenerator(nn.Module):
    """z (B, latent) -> x (B, *shape); images end in tanh ([-1, 1]), 2-D points are unbounded."""

    def __init__(self, latent_dim: int, width: int, depth: int, shape: tuple[int, ...]) -> None:
        super().__init__()
        self.shape = shape
        out = math.prod(shape)
        layers = _mlp([latent_dim] + [width] * depth + [out], nn.ReLU())
        if len(shape) > 1:
            layers.append(nn.Tanh())
        self.net = nn.Sequential(*layers)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.net(z).view(len(z), *self.shape)  # (B, *shape)


class MLPDiscriminator(nn.Module):
    """x (B, *shape) -> score (B,): a logit for the BCE losses, a raw score for LSGAN / WGAN-GP."""

    def __init__(self, width: int, depth: int, shape: tuple[int, ...]) -> None:
        super().__init__()
        self.net = nn.Sequential(*_mlp([math.prod(shape)] + [width] * depth + [1], nn.LeakyReLU(0.2)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x.flatten(1)).squeeze(1)  # (B, D) -> (B,)


class ConvGenerator(nn.Module):
    """DCGAN-style (Radford et al., 2016): z -> (2w, H/4, W/4) -> two stride-2 transposed convs -> (1, H, W)."""

    def __init__(self, latent_dim: int, width: int, shape: tuple[int, ...]) -> None:
        super().__init__()
        c, h, w = shape
        if h % 4 or w % 4:
            raise ValueError(f"the conv generator needs image sides divisible by 4, got {h}x{w}")
        self.start = (2 * width, h // 4, w // 4)
        self.fc = nn.Sequential(nn.Linear(latent_dim, math.prod(self.start)), nn.BatchNorm1d(math.prod(self.start)),
                                nn.ReLU())
        self.up = nn.Sequential(
            nn.ConvTranspose2d(2 * width, width, 4, 2, 1), nn.BatchNorm2d(width), nn.ReLU(),  # (B, w, H/2, W/2)
            nn.ConvTranspose2d(width, c, 4, 2, 1), nn.Tanh())  # (B, c, H, W)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.up(self.fc(z).view(len(z), *self.start))  # (B, 2w, H/4, W/4) -> (B, c, H, W)


class ConvDiscriminator(nn.Module):
    """x (B, 1, H, W) -> two stride-2 convs -> score (B,). No batch norm, so WGAN-GP works too."""

    def __init__(self, width: int, shape: tuple[int, ...]) -> None:
        super().__init__()
        c, h, w = shape
        self.net = nn.Sequential(
            nn.Conv2d(c, width, 4, 2, 1), nn.LeakyReLU(0.2),  # (B, w, H/2, W/2)
            nn.Conv2d(width, 2 * width, 4, 2, 1), nn.LeakyReLU(0.2),  # (B, 2w, H/4, W/4)
            nn.Flatten(), nn.Linear(2 * width * (h // 4) * (w // 4), 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x).squeeze(1)  # (B,)


def build_networks(config: GanConfig) -> tuple[nn.Module, nn.Module]:
    shape = data_shape(config.data)
    if config.arch == "dcgan":
        return ConvGenerator(config.latent_dim, config.width, shape), ConvDiscriminator(config.width, shape)
    return (MLPGenerator(config.latent_dim, config.width, config.depth, shape),
            MLPDiscriminator(config.width, config.depth, shape))


# ---------------------------------------------------------------- losses
def d_loss(loss: str, real_out: torch.Tensor, fake_out: torch.Tensor) -> torch.Tensor:
    """Discriminator loss from its outputs on a real batch and a fake batch (both (B,))."""
    if loss in ("minimax", "ns"):  # -log D(x) - log(1 - D(G(z)))
        return (F.binary_cross_entropy_with_logits(real_out, torch.ones_like(real_out))
                + F.binary_cross_entropy_with_logits(fake_out, torch.zeros_like(fake_out)))
    if loss == "lsgan":  # 1/2 (D(x) - 1)^2 + 1/2 D(G(z))^2
        return 0.5 * ((real_out - 1) ** 2).mean() + 0.5 * (fake_out ** 2).mean()
    if loss == "wgan-gp":  # the critic maximises E[D(x)] - E[D(G(z))]; the penalty is added by the caller
        return fake_out.mean() - real_out.mean()
    raise ValueError(f"unknown loss {loss!r}; choose one of {', '.join(LOSSES)}")


def g_loss(loss: str, fake_out: torch.Tensor) -> torch.Tensor:
    """Generator loss from D's outputs on a fake batch (B,)."""
    if loss == "minimax":  # minimise log(1 - D(G(z))): its gradient vanishes while D wins easily
        return -F.binary_cross_entropy_with_logits(fake_out, torch.zeros_like(fake_out))
    if loss == "ns":  # non-saturating: maximise log D(G(z)) instead
        return F.binary_cross_entropy_with_logits(fake_out, torch.ones_like(fake_out))
    if loss == "lsgan":
        return 0.5 * ((fake_out - 1) ** 2).mean()
    if loss == "wgan-gp":
        return -fake_out.mean()
    raise ValueError(f"unknown loss {loss!r}; choose one of {', '.join(LOSSES)}")


def gradient_penalty(D: nn.Module, real: torch.Tensor, fake: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """WGAN-GP: (||grad_x D(x_hat)|| - 1)^2 at random points x_hat between real and fake samples."""
    eps = torch.rand(len(real), *[1] * (real.dim() - 1), generator=generator, device=real.device)  # (B, 1, ...)
    x_hat = (eps * real + (1 - eps) * fake).requires_grad_(True)
    (grad,) = torch.autograd.grad(D(x_hat).sum(), x_hat, create_graph=True)
    return ((grad.flatten(1).norm(dim=1) - 1) ** 2).mean()


def d_output_to_display(loss: str, out: torch.Tensor) -> torch.Tensor:
    """What "D(x)" means on screen: a probability for the BCE losses, the raw score otherwise."""
    return torch.sigmoid(out) if loss in ("minimax", "ns") else out


# ---------------------------------------------------------------- digit classifier (coverage for images)
class _Classifier(nn.Module):
    def __init__(self, shape: tuple[int, ...], n_classes: int) -> None:
        super().__init__()
        self.net = nn.Sequential(nn.Flatten(), nn.Linear(math.prod(shape), 256), nn.ReLU(), nn.Dropout(0.2),
                                 nn.Linear(256, n_classes))

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
CLASSIFIER_VERSION = 1


@functools.lru_cache(maxsize=None)
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
        save_file({**model.state_dict(), "test_accuracy": torch.tensor(acc)}, str(path))
    except OSError:  # a read-only cache is not fatal
        pass
    return Classifier(model.eval(), data, acc)


def _fit_classifier(model: nn.Module, images: ImageData, epochs: int = 15) -> float:
    """Seeded training on 85% of the images; returns accuracy on the other 15%."""
    from playground.datasets import train_test_split

    train, test = train_test_split(images, 0.15, seed=0)
    g = torch.Generator().manual_seed(0)
    with torch.random.fork_rng(devices=[]), intra_op_threads(1):  # dropout draws from the global RNG: keep it seeded and private
        torch.manual_seed(0)
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
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


# ---------------------------------------------------------------- training
@dataclass(frozen=True)
class GanSnapshot:
    """One report from the training loop (losses averaged since the previous report).

    samples: the generator's output on ``fixed_noise``, on the CPU: (TOY_FIXED, 2) points, or
        (IMAGE_FIXED, H, W) images in [0, 1]; only on sampling steps, else None.
    heatmap: D's output (see ``d_output_to_display``) on a grid over [-EXTENT, EXTENT]^2,
        (HEATMAP_RES, HEATMAP_RES), row i is y = grid[i]; 2-D data on sampling steps only.
    coverage: ``toy2d.Coverage`` or ``ClassCoverage`` of the samples, when there are samples.
    """

    step: int
    loss_d: float
    loss_g: float
    d_real: float
    d_fake: float
    elapsed: float
    samples: np.ndarray | None = None
    heatmap: np.ndarray | None = None
    coverage: toy2d.Coverage | ClassCoverage | None = None

    def metrics(self) -> dict:
        out = {"step": self.step, "loss_d": round(self.loss_d, 5), "loss_g": round(self.loss_g, 5),
               "d_real": round(self.d_real, 5), "d_fake": round(self.d_fake, 5), "elapsed_s": round(self.elapsed, 3)}
        if self.coverage is not None:
            out.update(self.coverage.as_dict())
        return out


class intra_op_threads:
    """Use ``n`` intra-op CPU threads in the calling thread until exit (None: leave it as it is).

    With PyTorch's OpenMP backend the setting belongs to the calling thread, so parallel sessions
    and other tabs keep their own. Re-entering after an exit is allowed (and exit is idempotent)."""

    def __init__(self, n: int | None) -> None:
        self.n, self.saved = n, None

    def __enter__(self) -> "intra_op_threads":
        if self.n is not None and self.saved is None:
            self.saved = torch.get_num_threads()
            torch.set_num_threads(self.n)
        return self

    def __exit__(self, *exc) -> None:
        if self.saved is not None:
            torch.set_num_threads(self.saved)
            self.saved = None


HISTORY_FIELDS = ("step", "loss_d", "loss_g", "d_real", "d_fake", "elapsed")
_INIT_LOCK = threading.Lock()


class GanTrainer:
    """G, D, their optimizers, the step counter and the loss history of one run.

    Deep-copyable (a ``gr.State`` can hold it); the real data are shared read-only module caches.
    ``step(n)`` trains n more steps and yields snapshots, so a caller can stop at any yield and
    continue later from exactly where it stopped.
    """

    def __init__(self, config: GanConfig) -> None:
        self.config = config
        self.device = pick_device(config.device)
        with _INIT_LOCK:  # set_seed touches the global RNG: keep parallel sessions from interleaving
            set_seed(config.seed)
            G, D = build_networks(config)
            fixed = torch.randn(TOY_FIXED if config.is_toy else IMAGE_FIXED, config.latent_dim)
        self.G, self.D = G.to(self.device), D.to(self.device)
        self.fixed_noise = fixed.to(self.device)  # (n_fixed, latent): the same z all run long
        self.opt_g = self._optimizer(self.G, config.lr_g)
        self.opt_d = self._optimizer(self.D, config.lr_d)
        self.rng = torch.Generator(device=self.device).manual_seed(config.seed + 1)  # batches and noise
        self.step_count = 0
        self.elapsed = 0.0  # seconds spent inside step(), pauses excluded
        self.history: list[tuple[float, ...]] = []  # rows of HISTORY_FIELDS
        self._real: torch.Tensor | None = None

    # -------------------------------------------------- pieces
    def _optimizer(self, net: nn.Module, lr: float) -> torch.optim.Optimizer:
        if self.config.optimizer == "adam":
            return torch.optim.Adam(net.parameters(), lr=lr, betas=(self.config.beta1, self.config.beta2))
        return torch.optim.SGD(net.parameters(), lr=lr, momentum=self.config.beta1)

    def __deepcopy__(self, memo):
        import copy

        clone = self.__class__.__new__(self.__class__)
        memo[id(self)] = clone
        for key, value in self.__dict__.items():
            # the real data are a shared read-only cache: never copy them
            clone.__dict__[key] = value if key == "_real" else copy.deepcopy(value, memo)
        return clone

    @property
    def real(self) -> torch.Tensor:
        """All real samples on the training device (shared CPU cache, one device copy per trainer on GPU)."""
        if self._real is None:
            self._real = real_data(self.config.data).to(self.device)
        return self._real

    def noise(self, n: int) -> torch.Tensor:
        return torch.randn(n, self.config.latent_dim, generator=self.rng, device=self.device)  # (n, latent)

    def real_batch(self, n: int) -> torch.Tensor:
        idx = torch.randint(len(self.real), (n,), generator=self.rng, device=self.device)
        return self.real[idx]  # (n, *shape)

    @property
    def n_params(self) -> tuple[int, int]:
        return sum(p.numel() for p in self.G.parameters()), sum(p.numel() for p in self.D.parameters())

    # -------------------------------------------------- one step of the game
    def train_step(self) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
        """d_steps discriminator updates, then one generator update.

        Returns detached (loss_d, loss_g, mean D(real), mean D(fake)) as 0-d tensors (no device sync)."""
        cfg, G, D = self.config, self.G, self.D
        G.train()
        D.requires_grad_(True)
        for _ in range(cfg.d_steps):  # (1) update D: real samples up, fakes down
            real = self.real_batch(cfg.batch_size)
            with torch.no_grad():
                fake = G(self.noise(cfg.batch_size))
            real_out, fake_out = D(real), D(fake)
            loss_d = d_loss(cfg.loss, real_out, fake_out)
            if cfg.loss == "wgan-gp" and cfg.gp_weight > 0:
                loss_d = loss_d + cfg.gp_weight * gradient_penalty(D, real, fake, self.rng)
            self.opt_d.zero_grad(set_to_none=True)
            loss_d.backward()
            self.opt_d.step()
        D.requires_grad_(False)  # (2) update G through a frozen D: no gradient for D's weights
        loss_g = g_loss(cfg.loss, D(G(self.noise(cfg.batch_size))))
        self.opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        self.opt_g.step()
        D.requires_grad_(True)
        self.step_count += 1
        show = functools.partial(d_output_to_display, cfg.loss)
        return loss_d.detach(), loss_g.detach(), show(real_out.detach()).mean(), show(fake_out.detach()).mean()

    def step(self, n: int, report_every: int = 10, sample_every: int | None = None) -> Iterator[GanSnapshot]:
        """Train ``n`` more steps, yielding a snapshot every ``report_every`` steps and after the last.

        Snapshots carry samples, heatmap and coverage every ``sample_every`` steps and on the last
        one (never when ``sample_every`` is None). Closing the generator stops training at once."""
        if not isinstance(n, int) or n < 1:
            raise ValueError(f"n must be a positive integer, got {n!r}")
        if not isinstance(report_every, int) or report_every < 1:
            raise ValueError(f"report_every must be a positive integer, got {report_every!r}")
        sums = torch.zeros(4, device=self.device)
        count = 0
        threads = intra_op_threads(self.config.cpu_threads if self.device.type == "cpu" else None)
        start = time.perf_counter()
        threads.__enter__()
        try:
            for i in range(n):
                sums += torch.stack(self.train_step())
                count += 1
                last = i == n - 1
                if self.step_count % report_every and not last:
                    continue
                means = (sums / count).tolist()  # the one device sync per report
                self.elapsed += time.perf_counter() - start
                row = (self.step_count, *means, self.elapsed)
                self.history.append(row)
                visual = sample_every is not None and (last or self.step_count % sample_every == 0)
                snap = self._snapshot(row, visual)
                sums.zero_()
                count = 0
                # the consumer may resume us on another thread (a server's worker pool): hand the
                # thread back with its own setting, and take the setting again when resumed
                threads.__exit__()
                yield snap
                threads.__enter__()
                start = time.perf_counter()  # time spent by the consumer is not training time
        finally:
            threads.__exit__()

    def _snapshot(self, row: tuple[float, ...], visual: bool) -> GanSnapshot:
        step, loss_d, loss_g, d_real, d_fake, elapsed = row
        if not visual:
            return GanSnapshot(int(step), loss_d, loss_g, d_real, d_fake, elapsed)
        samples, heatmap, cov = self.visuals()
        return GanSnapshot(int(step), loss_d, loss_g, d_real, d_fake, elapsed, samples, heatmap, cov)

    def snapshot(self, visual: bool = True) -> GanSnapshot:
        """The latest state (the last history row, or zeros before the first step)."""
        row = self.history[-1] if self.history else (self.step_count, math.nan, math.nan, math.nan, math.nan, 0.0)
        return self._snapshot(row, visual)

    # -------------------------------------------------- looking at the generator
    @torch.no_grad()
    def generate(self, z: torch.Tensor) -> np.ndarray:
        """G(z) on the CPU: (N, 2) points, or (N, H, W) images in [0, 1]."""
        self.G.eval()
        out = self.G(z.to(self.device)).float().cpu()
        self.G.train()
        if self.config.is_toy:
            return out.numpy()
        return ((out[:, 0] + 1) / 2).clamp(0, 1).numpy()  # (N, 1, H, W) -> (N, H, W)

    def sample(self, n: int, seed: int = 0) -> np.ndarray:
        """n fresh samples from a seeded noise batch (not the run's own random stream)."""
        z = torch.randn(n, self.config.latent_dim, generator=torch.Generator().manual_seed(seed))
        return self.generate(z)

    @torch.no_grad()
    def heatmap(self, res: int = HEATMAP_RES) -> tuple[np.ndarray, np.ndarray]:
        """(grid (res,), D display values (res, res) with row i at y = grid[i]); 2-D data only."""
        grid = torch.linspace(-toy2d.EXTENT, toy2d.EXTENT, res)
        gy, gx = torch.meshgrid(grid, grid, indexing="ij")
        points = torch.stack([gx.reshape(-1), gy.reshape(-1)], 1).to(self.device)  # (res*res, 2)
        values = d_output_to_display(self.config.loss, self.D(points)).view(res, res)
        return grid.numpy(), values.float().cpu().numpy()

    def visuals(self) -> tuple[np.ndarray, np.ndarray | None, toy2d.Coverage | ClassCoverage]:
        """(fixed-noise samples, D heatmap (2-D only), coverage) right now."""
        with intra_op_threads(self.config.cpu_threads if self.device.type == "cpu" else None):
            samples = self.generate(self.fixed_noise)
            if self.config.is_toy:
                return samples, self.heatmap()[1], toy2d.coverage(samples, self.config.data)
            return samples, None, class_coverage(samples, self.config.data)

    # -------------------------------------------------- export
    def history_columns(self) -> dict[str, list[float]]:
        cols = list(zip(*self.history)) if self.history else [()] * len(HISTORY_FIELDS)
        return {name: list(col) for name, col in zip(HISTORY_FIELDS, cols)}

    def save_history_csv(self, path: str | Path) -> Path:
        path = Path(path)
        with path.open("w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(HISTORY_FIELDS)
            for step, *rest in self.history:
                writer.writerow([int(step)] + [f"{v:.6g}" for v in rest])
        return path

    def save_generator(self, path: str | Path) -> Path:
        """G's weights as safetensors, with the config in the metadata (enough to rebuild G)."""
        from safetensors.torch import save_file

        path = Path(path)
        state = {k: v.detach().cpu().contiguous() for k, v in self.G.state_dict().items()}
        meta = {"config": json.dumps(dataclasses.asdict(self.config)), "step": str(self.step_count),
                "format": "playground.gan generator"}
        save_file(state, str(path), metadata=meta)
        return path


def load_generator(path: str | Path) -> tuple[nn.Module, GanConfig]:
    """Rebuild a generator saved by ``GanTrainer.save_generator`` (on the CPU)."""
    from safetensors import safe_open
    from safetensors.torch import load_file

    with safe_open(str(path), "pt") as f:
        meta = f.metadata() or {}
    if "config" not in meta:
        raise ValueError(f"{path} is not a generator saved by the GAN Lab (no config in its metadata)")
    config = GanConfig(**{**json.loads(meta["config"]), "device": "cpu"})
    G, _ = build_networks(config)
    G.load_state_dict(load_file(str(path)))
    return G.eval(), config


def train(config: GanConfig, report_every: int = 10, sample_every: int | None = 200) -> Iterator[GanSnapshot]:
    """A fresh trainer run for ``config.steps`` steps, yielding snapshots (see ``GanTrainer.step``)."""
    yield from GanTrainer(config).step(config.steps, report_every, sample_every)


# ---------------------------------------------------------------- command line
def add_arguments(parser) -> None:
    parser.add_argument("--data", choices=DATA_SETS, default="ring8")
    parser.add_argument("--preset", choices=list(PRESETS), default=None,
                        help="start from this preset (default: the data set's own preset, else 'default')")
    parser.add_argument("--steps", type=int, default=None, help="generator steps (default: the preset's)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--loss", choices=LOSSES, default=None)
    parser.add_argument("--optimizer", choices=OPTIMIZERS, default=None)
    parser.add_argument("--lr-g", type=float, default=None)
    parser.add_argument("--lr-d", type=float, default=None)
    parser.add_argument("--d-steps", type=int, default=None)
    parser.add_argument("--latent-dim", type=int, default=None)
    parser.add_argument("--width", type=int, default=None)
    parser.add_argument("--depth", type=int, default=None)
    parser.add_argument("--batch-size", type=int, default=None)
    parser.add_argument("--arch", choices=ARCHS, default=None)
    parser.add_argument("--device", default="auto")
    parser.add_argument("--samples-out", default=None, help="save generated samples (.npy): (N, 2) or (N, H, W)")
    parser.add_argument("--n-samples", type=int, default=1000)
    parser.add_argument("--progress", type=int, default=0, help="also print metrics every N steps (0: only the end)")


def config_from_args(args) -> GanConfig:
    preset = args.preset or preset_for_data(args.data)
    overrides = {k: getattr(args, k) for k in ("steps", "loss", "optimizer", "lr_g", "lr_d", "d_steps", "latent_dim",
                                                "width", "depth", "batch_size", "arch") if getattr(args, k) is not None}
    return preset_config(preset, data=args.data, seed=args.seed, device=args.device, **overrides)


def run_cli(args) -> Iterator[dict]:
    config = config_from_args(args)
    if args.n_samples < 1 or args.n_samples > 100_000:
        raise ValueError(f"--n-samples must be between 1 and 100000, got {args.n_samples}")
    if args.progress < 0:
        raise ValueError(f"--progress must be 0 or positive, got {args.progress}")
    trainer = GanTrainer(config)
    report = args.progress or config.steps
    last = None
    for snap in trainer.step(config.steps, report_every=min(report, config.steps), sample_every=report):
        last = snap
        if args.progress and snap.step < config.steps:
            yield snap.metrics()
    out = {"data": config.data, "loss": config.loss, "device": str(trainer.device), **last.metrics(),
           "steps_per_s": round(trainer.step_count / max(trainer.elapsed, 1e-9), 1)}
    if args.samples_out:
        samples = trainer.sample(args.n_samples, seed=config.seed)
        np.save(args.samples_out, samples)
        out["samples_out"] = str(args.samples_out)
        out["samples_shape"] = list(samples.shape)
    yield out
