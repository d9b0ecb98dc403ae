"""Training the class-conditional digit diffusion model live (``playground.diffusion.digits`` holds the model).

- ``DigitsTrainer``: the U-Net, its moving average, the optimizer and the history of one run; ``step(n)`` trains n
  more steps and streams frozen ``DigitsSnapshot``s, each sampling step with an 8x8 grid from the run's fixed noise
  that improves live, and the shared classifier's agreement with the grid's labels;
- ``train(config)``: a fresh trainer for ``config.steps`` steps (the command line, benchmarks, tests).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np
import torch
import torch.nn.functional as F

from playground.diffusion import samplers, schedules
from playground.diffusion.digits import (CLIP_X0, GRID, GRID_LABELS, HISTORY_FIELDS, LIVE_SAMPLER, LIVE_STEPS, SHAPE,
                                         THREADS, DigitsConfig, DigitsModel, agreement, check_guidance, guided,
                                         save_model, to_images, training_data)
from playground.diffusion.unet import NULL_LABEL, DigitUNet
from playground.kit.runs import seeded_init
from playground.kit.runtime import fixed_threads, pick_device
from playground.kit.training import reports


@dataclass(frozen=True)
class DigitsSnapshot:
    """One report from the training loop (loss averaged since the previous report).

    grid: the averaged net's samples from the run's fixed noise with ``GRID_LABELS``, (64, 28, 28) in [0, 1]
        (``LIVE_STEPS`` DDIM steps at the config's guidance); only on sampling steps, else None.
    agreement, confidence: the shared classifier on that grid (see ``agreement``), with the grid.
    """

    step: int
    loss: float
    elapsed: float
    grid: np.ndarray | None = None
    agreement: float | None = None
    confidence: float | None = None

    def metrics(self) -> dict:
        out = {"step": self.step, "loss": round(self.loss, 5), "elapsed_s": round(self.elapsed, 3)}
        if self.agreement is not None:
            out.update(agree=round(self.agreement, 4), confidence=round(self.confidence, 4))
        return out


class DigitsTrainer:
    """The U-Net, its average, the optimizer, the step counter and the loss history of one run.

    Deep-copyable (a ``gr.State`` can hold it); the data are a shared read-only module cache. ``step(n)`` trains n
    more steps and yields snapshots, so a caller can stop at any yield and continue later from exactly there."""

    def __init__(self, config: DigitsConfig) -> None:
        self.config = config
        self.device = pick_device(config.device)
        # Everything random belongs to this run: weights and the grid's fixed noise from one generator seeded with
        # `seed`, batches, times, noise and label dropout from a second one (seed + 1), so runs in other sessions
        # never shift this run's numbers.
        init = torch.Generator().manual_seed(config.seed)
        net = DigitUNet(config.width)
        seeded_init(net, init)
        self.net = net.to(self.device)
        self.fixed_noise = torch.randn(GRID, *SHAPE, generator=init)  # (64, 1, 28, 28), on the CPU
        # the net that samples: an exponential moving average of the weights (as DDPM's own samples are drawn)
        self.net_shown = copy.deepcopy(self.net).requires_grad_(False) if config.ema > 0 else self.net
        self.opt = torch.optim.Adam(self.net.parameters(), lr=config.lr)
        self.rng = torch.Generator(device=self.device).manual_seed(config.seed + 1)
        self.step_count = 0
        self.elapsed = 0.0  # seconds spent inside step(), pauses and drawing excluded
        self.history: list[tuple[float, ...]] = []  # rows of HISTORY_FIELDS
        self._data: tuple[torch.Tensor, torch.Tensor] | None = None

    def __deepcopy__(self, memo):
        clone = self.__class__.__new__(self.__class__)
        memo[id(self)] = clone
        for key, value in self.__dict__.items():
            clone.__dict__[key] = value if key == "_data" else copy.deepcopy(value, memo)  # data: shared cache
        return clone

    @property
    def data(self) -> tuple[torch.Tensor, torch.Tensor]:
        """(images (5000, 1, 28, 28) in [-1, 1], labels (5000,)) on the training device."""
        if self._data is None:
            x, y = training_data()
            self._data = (x.to(self.device), y.to(self.device))
        return self._data

    @property
    def n_params(self) -> int:
        return self.net.n_params

    # -------------------------------------------------- one step
    def train_step(self) -> torch.Tensor:
        """One Adam step on the denoising loss; returns the detached loss (0-d, no device sync)."""
        cfg, rng, dev = self.config, self.rng, self.device
        x, y = self.data
        idx = torch.randint(len(x), (cfg.batch_size,), generator=rng, device=dev)
        x0, labels = x[idx], y[idx]  # (B, 1, 28, 28), (B,)
        # (1) label dropout: these images train the unconditional model p(x) (Ho & Salimans, 2022)
        drop = torch.rand(cfg.batch_size, generator=rng, device=dev) < cfg.p_uncond
        labels = torch.where(drop, torch.full_like(labels, NULL_LABEL), labels)
        # (2) noise each image to a uniform random time: x_t = a(t) x0 + s(t) eps
        t = torch.rand(cfg.batch_size, generator=rng, device=dev)  # (B,)
        noise = torch.randn(x0.shape, generator=rng, device=dev)
        x_t = schedules.q_sample(cfg.path, x0, t, noise)
        # (3) regress the target: eps (DDPM's simple loss) or the velocity eps - x0 (flow matching)
        loss = F.mse_loss(self.net(x_t, t, labels), schedules.target(cfg.objective, x0, noise, t))
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
             heartbeats: bool = False) -> Iterator[DigitsSnapshot | None]:
        """Train ``n`` more steps, yielding a snapshot every ``report_every`` steps and after the last.

        Snapshots carry the live grid and its agreement every ``sample_every`` steps and on the last one (never
        when ``sample_every`` is None); drawing it is not counted in ``elapsed``. ``heartbeats``: also yield
        ``None`` after each step that does not report, so a live run can pause or stop between reports. Closing
        the generator stops training at once. A loss that becomes NaN or infinite raises ``Diverged``."""
        if not isinstance(n, int) or isinstance(n, bool) or n < 1:
            raise ValueError(f"n must be a positive integer, got {n!r}")
        if not isinstance(report_every, int) or report_every < 1:
            raise ValueError(f"report_every must be a positive integer, got {report_every!r}")
        self.net.train()
        for report in reports(self, n, report_every, heartbeats):  # drawing the grid is not training time
            if report is None:
                yield None
                continue
            row, last = report
            yield self._snapshot(row, sample_every is not None and (last or self.step_count % sample_every == 0))

    def _snapshot(self, row: tuple[float, ...], visual: bool) -> DigitsSnapshot:
        step, loss, elapsed = row
        if not visual:
            return DigitsSnapshot(int(step), loss, elapsed)
        grid = self.live_grid()
        agree = agreement(grid, GRID_LABELS)
        return DigitsSnapshot(int(step), loss, elapsed, grid, agree["agree"], agree["confidence"])

    @torch.no_grad()
    @fixed_threads(THREADS)
    def live_grid(self, guidance: float | None = None, steps: int = LIVE_STEPS,
                  sampler: str = LIVE_SAMPLER) -> np.ndarray:
        """The averaged net's 64 digits from the run's fixed noise, (64, 28, 28) in [0, 1]."""
        guidance = self.config.guidance if guidance is None else check_guidance(guidance)
        cfg = self.config
        self.net_shown.eval()
        out = samplers.sample(
            guided(self.net_shown, GRID_LABELS.to(self.device), guidance), self.fixed_noise.to(self.device),
            path=cfg.path, objective=cfg.objective, sampler=sampler, steps=steps,
            generator=torch.Generator(self.device).manual_seed(cfg.seed + 2),
            clip_x0=CLIP_X0 if cfg.objective == "ddpm" else None)
        self.net_shown.train()
        return to_images(out.x)

    def model(self) -> DigitsModel:
        """A ``DigitsModel`` of the averaged net as it is now (a copy: training on does not change it)."""
        facts = {"steps": self.step_count, "train_s": round(self.elapsed, 2)}
        return DigitsModel(copy.deepcopy(self.net_shown), self.config, facts)

    # -------------------------------------------------- export
    def history_columns(self) -> dict[str, list[float]]:
        cols = list(zip(*self.history)) if self.history else [()] * len(HISTORY_FIELDS)
        return {name: list(col) for name, col in zip(HISTORY_FIELDS, cols)}

    def save_model(self, path: str | Path, facts: dict | None = None, half: bool = False) -> Path:
        """The averaged net (the one whose samples are on screen), see ``save_model``."""
        return save_model(path, self.net_shown, self.config,
                          {"steps": self.step_count, "train_s": round(self.elapsed, 2), **(facts or {})}, half)


def train(config: DigitsConfig, report_every: int = 50, sample_every: int | None = 250) -> Iterator[DigitsSnapshot]:
    """A fresh trainer run for ``config.steps`` steps, yielding snapshots (see ``DigitsTrainer.step``)."""
    yield from DigitsTrainer(config).step(config.steps, report_every, sample_every)
