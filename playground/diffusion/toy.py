"""Diffusion and flow matching on 2-D toy data, small enough to train live on one CPU thread.

A denoiser network learns to undo a Gaussian noising process x_t = a(t) x0 + s(t) eps (``schedules``):

- DDPM (Ho et al., 2020): the network predicts the noise eps from (x_t, t), loss ||eps - eps_hat||^2 (their
  "simple" loss), with the linear or the cosine (Nichol & Dhariwal, 2021) schedule;
- flow matching / rectified flow (Lipman et al., 2023; Liu et al., 2023): x_t = (1 - t) x0 + t eps on a straight
  line, the network predicts its velocity v = eps - x0, loss ||v - v_hat||^2.

Sampling runs the learned process backwards from noise (``samplers``: ancestral DDPM, DDIM, Euler on the ODE) with
1 to 1000 steps. The samples are measured as the GAN Lab's are (``toy2d.coverage``: modes covered, share of
high-quality samples; the same code), so a figure here means what it means there.

``DiffusionTrainer`` holds the net, its average, the optimizer and the history; ``trainer.step(n)`` is a
generator of frozen ``DiffusionSnapshot``s, so a UI can pause, resume or single-step it.
"""

from __future__ import annotations

import copy
import csv
import dataclasses
import functools
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np
import torch

from playground.data import drawn, toy2d
from playground.diffusion import samplers, schedules
from playground.diffusion.nets import Denoiser2d
from playground.kit import knobs
from playground.kit.knobs import knob
from playground.kit.runs import seeded_init
from playground.kit.runtime import fixed_threads, pick_device
from playground.kit.training import reports

THREADS = 1  # intra-op threads of a run: a small MLP trains fastest on one, and a seed gives the same figures anywhere
TOY_FIXED = 1000  # fixed noise points for the samples on screen (plot and coverage), as the GAN Lab's
TOY_POOL = 65536  # real points drawn once per distribution; batches are drawn from this pool
KEEP = 21  # states kept along the reverse process for the time slider (t = 1, 0.95, ..., 0 at >= 20 steps)
FIELD_RES = 21
QUALITY_STEPS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)
CLIP_X0 = 2 * toy2d.EXTENT  # x0_hat is clamped to [-5.2, 5.2]: far outside every data set, it only stops the
# first steps of a DDPM sampler (a = sqrt(alpha_bar) ~ 0.006 at t = 1, 5e-5 for cosine) from throwing points to
# infinity with an untrained net
HISTORY_FIELDS = ("step", "loss", "elapsed")
# Training times t = u^TIME_POWER, u ~ U[0, 1): density ~ t^(-2/3), most of the batch at low noise, where the
# 0.02-wide modes of ring8 are resolved (Karras et al., 2022, "EDM", likewise train mostly at small sigma). Measured
# on ring8, 3,000 steps, DDIM 50 steps: share of high-quality samples 0.57 with uniform t, 0.88 with t = u^2,
# 0.92 with t = u^3.
TIME_POWER = 3.0


# ---------------------------------------------------------------- configuration
@dataclass
class DiffusionConfig:
    """Everything that defines a run. Bad values raise ``ValueError`` naming the field and what is allowed."""

    data: str = knob("ring8", choices=toy2d.DISTRIBUTIONS, help="training data (or a drawn data set's code, d1....)")
    objective: str = knob("ddpm", choices=schedules.OBJECTIVES, help="ddpm: predict the noise; flow: predict "
                          "the velocity of the straight path (flow matching)")
    schedule: str = knob("linear", choices=schedules.SCHEDULES, help="DDPM noise schedule (flow ignores it)")
    sampler: str = knob("ddim", choices=samplers.SAMPLERS, help="how samples are drawn: ancestral DDPM, DDIM, "
                        "or Euler on the ODE")
    sample_steps: int = knob(50, 1, samplers.MAX_STEPS, integer=True, help="sampling steps (network evaluations)")
    width: int = knob(128, 8, 1024, integer=True, help="hidden width of the denoiser")
    depth: int = knob(3, 1, 8, integer=True, help="hidden layers of the denoiser")
    lr: float = knob(2e-3, 0.0, 1.0, open_low=True, help="Adam learning rate")
    batch_size: int = knob(256, 8, 4096, integer=True, help="batch size")
    steps: int = knob(4000, 1, 1_000_000, integer=True, help="training steps")
    ema: float = knob(0.99, 0.0, 0.9999, help="decay of the averaged net that samples (0: the net itself)")
    seed: int = knob(0, 0, 2**31 - 1, integer=True, help="seed of weights, noise and batches")
    device: str = "auto"

    def __post_init__(self) -> None:
        drawn.check_knobs(self)  # knobs.check, a drawn code in place of a data set's name too
        pick_device(self.device)  # raises when cuda is asked for and missing

    @property
    def path(self) -> schedules.Path:
        return schedules.path(self.objective, self.schedule)


# Presets: the UI's dropdown and the CLI's defaults. "default" is the one the UI opens with. Timings: one CPU thread
# of this 2-core machine, shared with other work (load 3-5), `DiffusionTrainer.elapsed`.
PRESETS: dict[str, dict] = {
    # DDPM, linear schedule, DDIM 50 steps. Seeds 0, 1, 2: 8/8 ring modes with 80-83% high-quality samples after
    # 2,000 steps (4.1 s), 91-93% after the 4,000 steps (8.1-8.2 s, 2.0 ms a step): the budget is 20 s.
    "default": dict(data="ring8", objective="ddpm", schedule="linear", sampler="ddim", sample_steps=50, steps=4000),
    # Flow matching, Euler 20 steps. Its velocity target eps - x0 is noisy at low t (eps is barely seen in x_t), so
    # a batch twice as large: seeds 0, 1: 8/8 with 83% after 2,000 steps (5.2-6.3 s), 90-91% after 4,000 (10-12 s,
    # 2.6-3.0 ms a step); with batch 256, 83-84% after 4,000.
    "flow": dict(data="ring8", objective="flow", sampler="euler", sample_steps=20, batch_size=512, steps=4000),
    # 25 modes need longer: seed 0, 25/25 with 68% after 4,000 steps, 81% after 8,000 (batch 512; width 256: no better)
    "grid25": dict(data="grid25", objective="ddpm", schedule="linear", sampler="ddim", sample_steps=50,
                   batch_size=512, steps=8000),
    # the curves are easier than the 0.02-wide modes: seed 0, 8/8 arcs with 93% (moons, linear) and 95% (spiral,
    # cosine schedule) after 4,000 steps
    "moons": dict(data="moons", objective="ddpm", schedule="linear", sampler="ddim", sample_steps=50, steps=4000),
    "spiral": dict(data="spiral", objective="ddpm", schedule="cosine", sampler="ddim", sample_steps=50, steps=4000),
}
DEFAULT_PRESET = "default"


def preset_config(name: str = DEFAULT_PRESET, **overrides) -> DiffusionConfig:
    """A ``DiffusionConfig`` from a preset, with some fields changed."""
    if name not in PRESETS:
        raise ValueError(f"unknown preset {name!r}; choose one of {', '.join(PRESETS)}")
    return DiffusionConfig(**{**PRESETS[name], **overrides})


def preset_for_data(data: str) -> str:
    """The preset the CLI starts from for a data set (its own preset when there is one)."""
    return data if data in PRESETS else DEFAULT_PRESET


@functools.lru_cache(maxsize=8)
def toy_pool(name: str) -> torch.Tensor:
    """A fixed pool of real points (TOY_POOL, 2) (the GAN Lab draws its pool with the same seed); read-only."""
    return toy2d.sample(name, TOY_POOL, torch.Generator().manual_seed(12345))


# ---------------------------------------------------------------- training
@dataclass(frozen=True)
class DiffusionSnapshot:
    """One report from the training loop (loss averaged since the previous report).

    samples: the averaged net's samples from the fixed noise (TOY_FIXED, 2), with the run's sampler and steps;
        on sampling steps only, else None. coverage: ``toy2d.Coverage`` of those samples, or None.
    paths, times: the states along the reverse process (K, TOY_FIXED, 2) at times (K,) from 1 to 0; the training
        loop leaves them None (the tab samples them itself), a recording keeps them on its last frame."""

    step: int
    loss: float
    elapsed: float
    samples: np.ndarray | None = None
    coverage: toy2d.Coverage | None = None
    paths: np.ndarray | None = None
    times: np.ndarray | None = None

    def metrics(self) -> dict:
        out = {"step": self.step, "loss": round(self.loss, 5), "elapsed_s": round(self.elapsed, 3)}
        if self.coverage is not None:
            out.update(self.coverage.as_dict())
        return out


class DiffusionTrainer:
    """The denoiser, its average, the optimizer, the step counter and the loss history of one run.

    Deep-copyable; the real points are a shared read-only module cache. ``step(n)`` trains n more steps and
    yields snapshots, so a caller can stop at any yield and continue later from exactly where it stopped."""

    def __init__(self, config: DiffusionConfig) -> None:
        self.config = config
        self.device = pick_device(config.device)
        self.path = config.path
        # Everything random belongs to this run: weights and the fixed noise from one generator seeded with
        # `seed`, batches, times and noise from a second, so runs in other threads never shift its numbers.
        init = torch.Generator().manual_seed(config.seed)
        net = Denoiser2d(config.width, config.depth)
        seeded_init(net, init)
        self.fixed_noise = torch.randn(TOY_FIXED, 2, generator=init).to(self.device)  # (TOY_FIXED, 2) at t = 1
        self.net = net.to(self.device)
        # the net that samples: an exponential moving average of the weights (as DDPM samples from its EMA)
        self.net_shown = copy.deepcopy(self.net).requires_grad_(False) if config.ema > 0 else self.net
        self.opt = torch.optim.Adam(self.net.parameters(), lr=config.lr)
        self.rng = torch.Generator(device=self.device).manual_seed(config.seed + 1)  # batches, times, noise
        self.step_count = 0
        self.elapsed = 0.0  # seconds spent inside step(), pauses excluded
        self.history: list[tuple[float, ...]] = []  # rows of HISTORY_FIELDS
        self._real: torch.Tensor | None = None

    def __deepcopy__(self, memo):
        clone = self.__class__.__new__(self.__class__)
        memo[id(self)] = clone
        for key, value in self.__dict__.items():
            clone.__dict__[key] = value if key in ("_real", "path") else copy.deepcopy(value, memo)
        return clone

    @property
    def real(self) -> torch.Tensor:
        if self._real is None:
            self._real = toy_pool(self.config.data).to(self.device)
        return self._real

    @property
    def n_params(self) -> int:
        return sum(p.numel() for p in self.net.parameters())

    # -------------------------------------------------- one step
    def train_step(self) -> torch.Tensor:
        """One Adam step on a batch: draw x0, t (see TIME_POWER) and eps, noise x0 to x_t, regress the target. Returns
        the detached loss (0-d, no device sync)."""
        cfg, g = self.config, self.rng
        n = cfg.batch_size
        x0 = self.real[torch.randint(len(self.real), (n,), generator=g, device=self.device)]  # (n, 2)
        t = torch.rand(n, generator=g, device=self.device) ** TIME_POWER  # (n,) in [0, 1)
        eps = torch.randn(n, 2, generator=g, device=self.device)  # (n, 2)
        x_t = schedules.q_sample(self.path, x0, t, eps)
        loss = (self.net(x_t, t) - schedules.target(self.path, x0, eps, t)).pow(2).mean()
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        self.opt.step()
        if self.net_shown is not self.net:
            with torch.no_grad():
                for avg, p in zip(self.net_shown.parameters(), self.net.parameters()):
                    avg.lerp_(p, 1.0 - cfg.ema)
        self.step_count += 1
        return loss.detach()

    @fixed_threads(THREADS)
    def step(self, n: int, report_every: int = 10, sample_every: int | None = None,
             heartbeats: bool = False) -> Iterator[DiffusionSnapshot | None]:
        """Train ``n`` more steps, yielding a snapshot every ``report_every`` steps and after the last.

        Snapshots carry samples and coverage every ``sample_every`` steps and on the last one (never when
        ``sample_every`` is None). ``heartbeats``: also yield ``None`` after every step that does not report, so a
        live run can pause or stop between any two updates. Closing the generator stops training at once. A loss
        that becomes NaN or infinite raises ``Diverged`` (the history keeps only finite rows)."""
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise ValueError(f"n must be a positive integer, got {n!r}")
        if isinstance(report_every, bool) or not isinstance(report_every, int) or report_every < 1:
            raise ValueError(f"report_every must be a positive integer, got {report_every!r}")
        for report in reports(self, n, report_every, heartbeats):
            if report is None:
                yield None
                continue
            row, last = report
            yield self._snapshot(row, sample_every is not None and (last or self.step_count % sample_every == 0))

    def _snapshot(self, row: tuple[float, ...], visual: bool) -> DiffusionSnapshot:
        step, loss, elapsed = row
        if not visual:
            return DiffusionSnapshot(int(step), loss, elapsed)
        samples, _, _, cov = self.visuals(keep=0)
        return DiffusionSnapshot(int(step), loss, elapsed, samples, cov)

    # -------------------------------------------------- looking at the model
    def predict(self, x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        """The averaged net's output (eps or v) at (x_t (N, 2), t (N,))."""
        return self.net_shown(x, t)

    @torch.no_grad()
    @fixed_threads(THREADS)
    def run_sampler(self, noise: torch.Tensor, sampler: str | None = None, steps: int | None = None,
                    keep: int = 0, seed: int | None = None) -> samplers.Sampled:
        """The reverse process from ``noise`` (N, 2) with a sampler and a number of steps (the run's own by
        default). The ancestral sampler's noise comes from a generator seeded with ``seed`` (default: the run's
        seed + 2), fresh each call, so the same call draws the same picture."""
        cfg = self.config
        sampler = sampler or cfg.sampler
        steps = cfg.sample_steps if steps is None else steps
        g = torch.Generator(device=self.device).manual_seed(cfg.seed + 2 if seed is None else seed)
        self.net_shown.eval()
        try:
            return samplers.sample(self.predict, noise.to(self.device), path=self.path, objective=cfg.objective,
                                   sampler=sampler, steps=steps, generator=g, keep=keep, clip_x0=CLIP_X0)
        finally:
            self.net_shown.train()

    def visuals(self, sampler: str | None = None, steps: int | None = None,
                keep: int = KEEP) -> tuple[np.ndarray, np.ndarray | None, np.ndarray, toy2d.Coverage]:
        """From the fixed noise: (samples (N, 2), states along the way (K, N, 2) from t = 1 to 0 or None when
        keep = 0, their times (K,), coverage of the samples)."""
        out = self.run_sampler(self.fixed_noise, sampler, steps, keep=keep)
        samples = out.x.float().cpu().numpy()
        paths = out.path.float().cpu().numpy() if out.path is not None else None
        return samples, paths, np.asarray(out.times, dtype=np.float64), toy2d.coverage(samples, self.config.data)

    def sample(self, n: int, seed: int = 0, sampler: str | None = None, steps: int | None = None) -> np.ndarray:
        """n fresh samples (n, 2) from a seeded noise batch (not the run's own random stream)."""
        noise = torch.randn(n, 2, generator=torch.Generator().manual_seed(seed))
        return self.run_sampler(noise, sampler, steps, seed=seed + 1).x.float().cpu().numpy()

    @torch.no_grad()
    @fixed_threads(THREADS)
    def field(self, t: float, res: int = FIELD_RES) -> tuple[np.ndarray, np.ndarray]:
        """(grid (res,), vectors (res, res, 2)) over [-EXTENT, EXTENT]^2, row i at y = grid[i]: what the net has
        learned at time t: the score -eps_hat / s(t) for DDPM (t is kept >= 1/T, where s > 0), the velocity
        v_hat = d x_t / dt for flow matching (the sampler moves against it, from t = 1 to 0)."""
        if not 0.0 <= t <= 1.0:
            raise ValueError(f"t must be in [0, 1], got {t}")
        grid = torch.linspace(-toy2d.EXTENT, toy2d.EXTENT, res)
        gy, gx = torch.meshgrid(grid, grid, indexing="ij")
        points = torch.stack([gx.reshape(-1), gy.reshape(-1)], 1).to(self.device)  # (res*res, 2)
        if self.config.objective == "ddpm":
            t = max(t, 1.0 / schedules.T)
        tt = torch.full((len(points),), float(t), device=self.device)
        self.net_shown.eval()
        pred = self.predict(points, tt)
        self.net_shown.train()
        if self.config.objective == "ddpm":
            pred = -pred / float(self.path.s(t))
        return grid.numpy(), pred.view(res, res, 2).float().cpu().numpy()

    def forward(self, t: float, n: int = 1000, seed: int = 0) -> np.ndarray:
        """The data noised to time t: n points of q(x_t) = a(t) x0 + s(t) eps, (n, 2); no network involved."""
        if not 0.0 <= t <= 1.0:
            raise ValueError(f"t must be in [0, 1], got {t}")
        g = torch.Generator().manual_seed(seed)
        x0 = toy2d.sample(self.config.data, n, g)
        eps = torch.randn(x0.shape, generator=g)
        return schedules.q_sample(self.path, x0, torch.full((n,), float(t)), eps).numpy()

    def quality_vs_steps(self, sampler: str | None = None, steps_list=QUALITY_STEPS, n: int = TOY_FIXED) -> list[dict]:
        """Sample quality against the number of sampling steps, from the same noise (seed 0): one dict per entry
        of ``steps_list`` with steps, nfe, modes (covered), of (modes in all), high_quality and ms_per_sample.

        More steps is not always better on this measure: a deterministic sampler with few steps narrows the modes
        (with the exact score, 200 DDIM steps of the linear schedule draw ring8's 0.02-wide modes 0.012 wide), which
        hides the net's own error near t = 0; with many steps the samples follow the net, blur included. Measured
        on the default preset, seed 0: DDIM 56% high quality at 10 steps, 94% at 50, 82% at 1,000."""
        sampler = sampler or self.config.sampler
        noise = torch.randn(n, 2, generator=torch.Generator().manual_seed(0))
        rows = []
        for steps in steps_list:
            t0 = time.perf_counter()
            out = self.run_sampler(noise, sampler, int(steps), seed=1)
            ms = (time.perf_counter() - t0) * 1000 / n
            cov = toy2d.coverage(out.x.float().cpu().numpy(), self.config.data)
            rows.append({"steps": int(steps), "nfe": out.nfe, "modes": cov.modes_covered, "of": cov.n_modes,
                         "high_quality": round(cov.high_quality, 4), "ms_per_sample": round(ms, 5)})
        return rows

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

    def save_model(self, path: str | Path) -> Path:
        """The sampling net's weights (the average when ``ema`` > 0) as safetensors, the config in the metadata."""
        from safetensors.torch import save_file

        path = Path(path)
        state = {k: v.detach().cpu().contiguous() for k, v in self.net_shown.state_dict().items()}
        meta = {"config": json.dumps(dataclasses.asdict(self.config)), "step": str(self.step_count),
                "format": "playground.diffusion 2-D denoiser"}
        save_file(state, str(path), metadata=meta)
        return path


def load_model(path: str | Path) -> tuple[Denoiser2d, DiffusionConfig]:
    """Rebuild a denoiser saved by ``DiffusionTrainer.save_model`` (on the CPU)."""
    from safetensors import safe_open
    from safetensors.torch import load_file

    with safe_open(str(path), "pt") as f:
        meta = f.metadata() or {}
    if "config" not in meta:
        raise ValueError(f"{path} is not a denoiser saved by the Diffusion Lab (no config in its metadata)")
    config = DiffusionConfig(**{**json.loads(meta["config"]), "device": "cpu"})
    net = Denoiser2d(config.width, config.depth)
    net.load_state_dict(load_file(str(path)))
    return net.eval(), config


def train(config: DiffusionConfig, report_every: int = 10,
          sample_every: int | None = 500) -> Iterator[DiffusionSnapshot]:
    """A fresh trainer run for ``config.steps`` steps, yielding snapshots (see ``DiffusionTrainer.step``)."""
    yield from DiffusionTrainer(config).step(config.steps, report_every, sample_every)
