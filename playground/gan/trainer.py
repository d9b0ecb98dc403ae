"""Generative adversarial networks (Goodfellow et al., 2014), small enough to train live on a CPU.

A generator G maps noise z ~ N(0, I) to data; a discriminator D scores how real a sample looks.
They play a two-player game: D learns to tell real from fake, G learns to fool D.

- Data: 2-D toy distributions (``playground.toy2d``), a data set drawn on the page (``playground.data.drawn``: its
  code in place of a name), or small image sets (MNIST, scikit-learn digits,
  Fashion-MNIST when installed).
- Losses: the original minimax game, the non-saturating variant, least squares (Mao et al., 2017),
  and Wasserstein with gradient penalty (Gulrajani et al., 2017).
- ``GanTrainer`` holds G, D, their optimizers, the step counter and the history, so a UI can pause,
  resume or single-step it: ``trainer.step(n)`` is a generator of frozen ``GanSnapshot``s.
- ``train(config)`` runs ``config.steps`` steps on a fresh trainer (CLI, benchmark, tests).
"""

from __future__ import annotations

import copy
import csv
import dataclasses
import functools
import json
import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np
import torch
import torch.nn as nn

from playground.data import drawn, toy2d
from playground.kit.classifier import ClassCoverage, class_coverage
from playground.data.images import load_images
# the losses live in gan_losses; their names stay importable from here
from playground.gan.losses import (LOSS_REGISTRY, LOSSES, GanLoss, d_loss, d_output_to_display,  # noqa: F401
                                   g_loss, gradient_penalty)
from playground.gan.nets import build_networks
from playground.kit.knobs import knob
from playground.kit.pretrained import loaded_once
from playground.kit.training import lr_schedule, set_lr
from playground.kit.runs import Diverged, seeded_init
from playground.kit.runtime import fixed_threads, pick_device

THREADS = 1  # intra-op threads of a run: small nets train fastest on one, and a seed gives the same figures on any machine

TOY_SETS = toy2d.DISTRIBUTIONS
IMAGE_SETS = ("mnist", "digits", "fashion")
DATA_SETS = TOY_SETS + IMAGE_SETS
OPTIMIZERS = ("adam", "sgd")
DECAYS = ("constant", "linear", "cosine")
DECAY_FLOOR = 0.05  # a decaying learning rate ends at this share of its start
ARCHS = ("mlp", "dcgan")
HEATMAP_RES = 48  # the discriminator heatmap is HEATMAP_RES x HEATMAP_RES points over the plane
TOY_FIXED = 1000  # fixed-noise points for a 2-D run (plot and coverage)
IMAGE_FIXED = 256  # fixed-noise images (the first 64 make the grid; all of them the class coverage)
GRID_IMAGES = 64
TOY_POOL = 65536  # real 2-D points drawn once per distribution; batches are drawn from this pool


# ---------------------------------------------------------------- configuration
MAX_IMAGE_BATCH = 512  # image batches are capped lower: a 2048-image conv step takes seconds on a CPU


@dataclass
class GanConfig:
    """Everything that defines a run. Bad values raise ``ValueError`` saying what is allowed.

    Validation is pure: it loads nothing (whether Fashion-MNIST is installed is checked when a run starts)."""

    data: str = knob("ring8", choices=DATA_SETS, help="training data (or a drawn data set's code, d1....)")
    loss: str = knob("ns", choices=LOSSES, help="GAN objective")
    optimizer: str = knob("adam", choices=OPTIMIZERS, help="optimizer of both networks")
    lr_g: float = knob(1e-3, 0.0, 1.0, open_low=True, help="learning rate of G")
    lr_d: float = knob(1e-3, 0.0, 1.0, open_low=True, help="learning rate of D")
    beta1: float = knob(0.5, 0.0, 0.999, help="Adam beta1 (SGD: momentum)")
    beta2: float = knob(0.999, 0.0, 0.9999, help="Adam beta2")
    d_steps: int = knob(1, 1, 10, integer=True, help="discriminator updates per generator update")
    latent_dim: int = knob(16, 1, 256, integer=True, help="size of the noise z")
    width: int = knob(128, 4, 1024, integer=True, help="hidden width (conv nets: channels)")
    depth: int = knob(3, 1, 6, integer=True, help="hidden layers of the MLPs (the conv nets have two stages)")
    arch: str = knob("mlp", choices=ARCHS, help="network type (dcgan: conv nets, images only)")
    batch_size: int = knob(256, 8, 2048, integer=True, help=f"batch size (images: at most {MAX_IMAGE_BATCH})")
    gp_weight: float = knob(10.0, 0.0, 100.0, help="lambda of the WGAN-GP penalty")
    decay: str = knob("constant", choices=DECAYS, help="learning rates over the run: constant, or down to "
                      "a twentieth at the last step (linear, cosine)")
    ema: float = knob(0.0, 0.0, 0.9999, help="decay of the averaged generator shown on screen (0: show G itself)")
    steps: int = knob(2000, 1, 1_000_000, integer=True, help="generator steps")
    seed: int = knob(0, 0, 2**31 - 1, integer=True, help="seed of weights, noise and batches")
    device: str = "auto"

    def __post_init__(self) -> None:
        drawn.check_knobs(self)  # knobs.check, a drawn code in place of a data set's name too
        if self.batch_size > MAX_IMAGE_BATCH and not self.is_toy:
            raise ValueError(f"batch_size for image data must be at most {MAX_IMAGE_BATCH}; got {self.batch_size}")
        if self.arch == "dcgan" and self.is_toy:
            raise ValueError("arch 'dcgan' is for image data; 2-D toy data uses arch 'mlp'")
        pick_device(self.device)  # raises when cuda is asked for and missing

    @property
    def is_toy(self) -> bool:
        return is_toy(self.data)


def is_toy(data: str) -> bool:
    """2-D points (a built-in distribution or a drawn set), not images."""
    return data in TOY_SETS or drawn.is_drawn(data)


# Presets: the UI's dropdown and the CLI's defaults. "default" is the one the UI opens with.
PRESETS: dict[str, dict] = {
    # Reliable on ring8 (8 of 8 modes with >= 80% high-quality samples on 9 of seeds 0-9; benchmarks/claims.py):
    # non-saturating loss, Adam, a small MLP (fast steps), equal learning rates that fall to a twentieth along a
    # cosine (the game settles instead of chasing), and the samples of the averaged generator (EMA 0.99), which
    # smooths out the last steps' wobble. Without the average and the decay (lr 2e-3, 4,000 steps): 1 of 10 seeds.
    "default": dict(data="ring8", loss="ns", optimizer="adam", lr_g=3e-3, lr_d=3e-3, beta1=0.5, beta2=0.999,
                    d_steps=1, latent_dim=16, width=64, depth=2, arch="mlp", batch_size=256, steps=5000, seed=0,
                    decay="cosine", ema=0.99),
    # A bigger D trained twice per G step: G finds one blob that fools D and stays there (seed 0: 1 of 8).
    "mode_collapse": dict(data="ring8", loss="ns", optimizer="adam", lr_g=1e-3, lr_d=1e-3, beta1=0.5,
                          beta2=0.999, d_steps=2, latent_dim=16, width=128, depth=3, arch="mlp", batch_size=256,
                          steps=2500, seed=0),
    # Smaller steps and larger batches: smoother curves, slower to find the modes (8 of 8 at the end on 5 of seeds
    # 0-9, and with >= 80% high-quality samples on 4: not a reliable preset, and its label says so).
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
    """A fixed pool of real points (TOY_POOL, 2); shared read-only by all runs. Keyed by the name, which for a drawn
    set is its code: two drawings never share a pool, and the cache stays bounded (16 pools of 512 kB)."""
    return toy2d.sample(name, TOY_POOL, torch.Generator().manual_seed(12345))


def data_shape(data: str) -> tuple[int, ...]:
    """(2,) for toy data, (1, H, W) for images."""
    return (2,) if is_toy(data) else tuple(load_images(data).shape)


def real_data(data: str) -> torch.Tensor:
    """All real samples on the CPU: (TOY_POOL, 2) points, or (N, 1, H, W) images scaled to [-1, 1]."""
    if is_toy(data):
        return _toy_pool(data)
    return _scaled_images(data)


@loaded_once(maxsize=4)
def _scaled_images(data: str) -> torch.Tensor:
    return load_images(data).x * 2 - 1  # G ends in tanh, so the data lives in [-1, 1]



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


HISTORY_FIELDS = ("step", "loss_d", "loss_g", "d_real", "d_fake", "elapsed")


class GanTrainer:
    """G, D, their optimizers, the step counter and the loss history of one run.

    Deep-copyable (a ``gr.State`` can hold it); the real data are shared read-only module caches.
    ``step(n)`` trains n more steps and yields snapshots, so a caller can stop at any yield and
    continue later from exactly where it stopped.
    """

    def __init__(self, config: GanConfig) -> None:
        self.config = config
        self.device = pick_device(config.device)
        shape = data_shape(config.data)  # loads the images (a clear error when Fashion-MNIST is missing)
        # Everything random belongs to this run: the weights and the fixed noise come from one generator
        # seeded with `seed` (the same numbers torch.manual_seed(seed) used to give), batches and noise from
        # a second one, so runs in other sessions never shift this run's numbers.
        init = torch.Generator().manual_seed(config.seed)
        G, D = build_networks(config, shape)
        seeded_init(G, init)
        seeded_init(D, init)
        fixed = torch.randn(TOY_FIXED if config.is_toy else IMAGE_FIXED, config.latent_dim, generator=init)
        self.loss = LOSS_REGISTRY[config.loss]
        self.G, self.D = G.to(self.device), D.to(self.device)
        self.fixed_noise = fixed.to(self.device)  # (n_fixed, latent): the same z all run long
        self.opt_g = self._optimizer(self.G, config.lr_g)
        # the generator whose samples are shown: G itself, or an exponential moving average of its weights
        # (Yazici et al., 2019), which follows G without the last steps' back-and-forth
        self.G_shown = copy.deepcopy(self.G).requires_grad_(False) if config.ema > 0 else self.G
        self.opt_d = self._optimizer(self.D, config.lr_d)
        self.rng = torch.Generator(device=self.device).manual_seed(config.seed + 1)  # batches and noise
        # a decay runs over the configured steps; steps past them (a run continued) keep the last rate
        self._decay = lr_schedule(config.decay, config.steps, floor=DECAY_FLOOR)
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
    def train_step(self) -> Iterator[None | tuple[torch.Tensor, ...]]:
        """d_steps discriminator updates, then one generator update, as a generator: ``None`` between the
        updates (a caller may pause or stop there), then detached (loss_d, loss_g, mean D(real), mean D(fake))
        as 0-d tensors (no device sync)."""
        cfg, G, D = self.config, self.G, self.D
        if cfg.decay != "constant":
            factor = self._decay(self.step_count)
            set_lr(self.opt_d, cfg.lr_d * factor)
            set_lr(self.opt_g, cfg.lr_g * factor)
        G.train()
        D.requires_grad_(True)
        for _ in range(cfg.d_steps):  # (1) update D: real samples up, fakes down
            real = self.real_batch(cfg.batch_size)
            with torch.no_grad():
                fake = G(self.noise(cfg.batch_size))
            real_out, fake_out = D(real), D(fake)
            loss_d = self.loss.d(real_out, fake_out)
            if self.loss.penalty and cfg.gp_weight > 0:
                loss_d = loss_d + cfg.gp_weight * gradient_penalty(D, real, fake, self.rng)
            self.opt_d.zero_grad(set_to_none=True)
            loss_d.backward()
            self.opt_d.step()
            yield None
        D.requires_grad_(False)  # (2) update G through a frozen D: no gradient for D's weights
        loss_g = self.loss.g(D(G(self.noise(cfg.batch_size))))
        self.opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        self.opt_g.step()
        D.requires_grad_(True)
        if self.G_shown is not G:
            with torch.no_grad():
                for avg, p in zip(self.G_shown.parameters(), G.parameters()):
                    avg.lerp_(p, 1.0 - cfg.ema)
                for avg, b in zip(self.G_shown.buffers(), G.buffers()):  # batch-norm statistics: G's own
                    avg.copy_(b)
        self.step_count += 1
        yield (loss_d.detach(), loss_g.detach(), self.loss.display(real_out.detach()).mean(),
               self.loss.display(fake_out.detach()).mean())

    @fixed_threads(THREADS)
    def step(self, n: int, report_every: int = 10, sample_every: int | None = None,
             heartbeats: bool = False) -> Iterator[GanSnapshot | None]:
        """Train ``n`` more steps, yielding a snapshot every ``report_every`` steps and after the last.

        Snapshots carry samples, heatmap and coverage every ``sample_every`` steps and on the last one (never
        when ``sample_every`` is None). ``heartbeats``: also yield ``None`` between D and G updates, so a live
        run can pause or stop inside a long step. Closing the generator stops training at once. A loss that
        becomes NaN or infinite raises ``Diverged`` (the history keeps only finite rows)."""
        if not isinstance(n, int) or n < 1:
            raise ValueError(f"n must be a positive integer, got {n!r}")
        if not isinstance(report_every, int) or report_every < 1:
            raise ValueError(f"report_every must be a positive integer, got {report_every!r}")
        sums = torch.zeros(4, device=self.device)
        count = 0
        start = time.perf_counter()
        for i in range(n):
            for out in self.train_step():
                if out is not None:
                    sums += torch.stack(out)
                elif heartbeats:
                    self.elapsed += time.perf_counter() - start
                    yield None
                    start = time.perf_counter()
            count += 1
            last = i == n - 1
            if self.step_count % report_every and not last:
                continue
            means = (sums / count).tolist()  # the one device sync per report
            if not all(math.isfinite(m) for m in means):
                raise Diverged(self.step_count, "loss")
            self.elapsed += time.perf_counter() - start
            row = (self.step_count, *means, self.elapsed)
            self.history.append(row)
            visual = sample_every is not None and (last or self.step_count % sample_every == 0)
            snap = self._snapshot(row, visual)
            sums.zero_()
            count = 0
            yield snap
            start = time.perf_counter()  # time spent by the consumer is not training time

    def _snapshot(self, row: tuple[float, ...], visual: bool) -> GanSnapshot:
        step, loss_d, loss_g, d_real, d_fake, elapsed = row
        if not visual:
            return GanSnapshot(int(step), loss_d, loss_g, d_real, d_fake, elapsed)
        samples, heatmap, cov = self.visuals()
        return GanSnapshot(int(step), loss_d, loss_g, d_real, d_fake, elapsed, samples, heatmap, cov)

    # -------------------------------------------------- looking at the generator
    @torch.no_grad()
    @fixed_threads(THREADS)
    def generate(self, z: torch.Tensor) -> np.ndarray:
        """G(z) on the CPU: (N, 2) points, or (N, H, W) images in [0, 1]."""
        self.G_shown.eval()
        out = self.G_shown(z.to(self.device)).float().cpu()
        self.G_shown.train()
        if self.config.is_toy:
            return out.numpy()
        return ((out[:, 0] + 1) / 2).clamp(0, 1).numpy()  # (N, 1, H, W) -> (N, H, W)

    def sample(self, n: int, seed: int = 0) -> np.ndarray:
        """n fresh samples from a seeded noise batch (not the run's own random stream)."""
        z = torch.randn(n, self.config.latent_dim, generator=torch.Generator().manual_seed(seed))
        return self.generate(z)

    @torch.no_grad()
    @fixed_threads(THREADS)
    def heatmap(self, res: int = HEATMAP_RES) -> tuple[np.ndarray, np.ndarray]:
        """(grid (res,), D display values (res, res) with row i at y = grid[i]); 2-D data only."""
        grid = torch.linspace(-toy2d.EXTENT, toy2d.EXTENT, res)
        gy, gx = torch.meshgrid(grid, grid, indexing="ij")
        points = torch.stack([gx.reshape(-1), gy.reshape(-1)], 1).to(self.device)  # (res*res, 2)
        values = self.loss.display(self.D(points)).view(res, res)
        return grid.numpy(), values.float().cpu().numpy()

    @fixed_threads(THREADS)
    def visuals(self) -> tuple[np.ndarray, np.ndarray | None, toy2d.Coverage | ClassCoverage]:
        """(fixed-noise samples, D heatmap (2-D only), coverage) right now."""
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
        """The shown generator's weights (G, or its average when ``ema`` > 0: the one whose samples are on screen)
        as safetensors, with the config in the metadata (enough to rebuild it)."""
        from safetensors.torch import save_file

        path = Path(path)
        state = {k: v.detach().cpu().contiguous() for k, v in self.G_shown.state_dict().items()}
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
    saved = json.loads(meta["config"])
    saved.pop("cpu_threads", None)  # a field of older files
    config = GanConfig(**{**saved, "device": "cpu"})
    G, _ = build_networks(config, data_shape(config.data))
    G.load_state_dict(load_file(str(path)))
    return G.eval(), config


def train(config: GanConfig, report_every: int = 10, sample_every: int | None = 200) -> Iterator[GanSnapshot]:
    """A fresh trainer run for ``config.steps`` steps, yielding snapshots (see ``GanTrainer.step``)."""
    yield from GanTrainer(config).step(config.steps, report_every, sample_every)


