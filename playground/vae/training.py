"""Training the VAE: the seeded data split, the streaming training loop, test-set evaluation.

``train`` is a generator: it yields a frozen ``Snapshot`` every few updates and at the end of each epoch,
and ``None`` between updates (a heartbeat, so a live UI can pause or stop the run within a fraction of a
second whatever the batch size). The tab, the CLI, the benchmark and the tests all drive it.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Iterator

import torch

from playground.data.images import ImageData, load_images, train_test_split
from playground.kit.runs import Diverged
from playground.kit.runtime import fixed_threads, pick_device
from playground.vae.model import VAE, VaeConfig, build_model, loss_terms

THREADS = 1  # intra-op threads of a run: small nets train fastest on one, and a seed gives the same figures on any machine

EVAL_BATCH = 250  # images per evaluation batch: one heartbeat each


@dataclass(frozen=True)
class Split:
    train: ImageData
    test: ImageData


def load_split(cfg: VaeConfig) -> Split:
    """The seeded train/test split of ``cfg.data``; the held-out class (if any) is removed from training only."""
    data = load_images(cfg.data)
    train, test = train_test_split(data, cfg.test_fraction, seed=cfg.seed)
    if cfg.holdout >= 0:
        train = train.subset(torch.nonzero(train.y != cfg.holdout).squeeze(1))
    return Split(train, test)


@dataclass(frozen=True)
class Snapshot:
    """One report from ``train``: per-sample averages in nats (ELBO = -(recon + kl)); the last batch's on
    in-epoch reports, the whole epoch's on epoch-end reports."""

    epoch: int
    epochs: int
    step: int
    recon: float
    kl: float
    elbo: float
    loss: float                      # recon + beta * kl, what the optimiser minimises
    elapsed: float                   # seconds of training so far (time spent paused is not counted)
    test_recon: float | None = None  # filled at the end of each epoch
    test_kl: float | None = None
    test_elbo: float | None = None
    samples: torch.Tensor | None = None  # (S, C, H, W) decoded fixed_noise at the end of each epoch (CPU)
    done: bool = False

    @property
    def epoch_end(self) -> bool:
        return self.samples is not None


class _Clock:
    """Seconds spent inside the generator: the time a consumer holds it (paused) is left out."""

    def __init__(self) -> None:
        self.total, self._t0 = 0.0, time.perf_counter()

    def lap(self) -> float:
        now = time.perf_counter()
        self.total += now - self._t0
        self._t0 = now
        return self.total

    def resume(self) -> None:
        self._t0 = time.perf_counter()

    def beat(self) -> Iterator[None]:
        self.lap()
        yield None
        self.resume()


@fixed_threads(THREADS)
def evaluate_steps(model: VAE, data: ImageData, seed: int = 0, batch_size: int = EVAL_BATCH
                   ) -> Iterator[None]:
    """Test-set averages (recon, kl, elbo in nats per image; one z per image, eps seeded by ``seed``), as a
    generator that yields ``None`` between batches and *returns* the dict (``test = yield from ...``)."""
    model.eval()
    device = model.device
    g = torch.Generator(device=device).manual_seed(seed)
    total_r = torch.zeros((), device=device)
    total_k = torch.zeros((), device=device)
    for i in range(0, len(data), batch_size):
        with torch.no_grad():
            r, k = loss_terms(model, data.x[i:i + batch_size].to(device), g)
        total_r += r.sum()
        total_k += k.sum()
        yield None
    n = max(1, len(data))
    r, k = total_r.item() / n, total_k.item() / n
    return {"recon": r, "kl": k, "elbo": -(r + k)}


def evaluate(model: VAE, data: ImageData, seed: int = 0) -> dict[str, float]:
    """``evaluate_steps`` run to the end."""
    steps = evaluate_steps(model, data, seed)
    while True:
        try:
            next(steps)
        except StopIteration as end:
            return end.value


@fixed_threads(THREADS)
def train(model: VAE, cfg: VaeConfig, split: Split, report_every: int = 10, n_samples: int = 16,
          evaluate_each_epoch: bool = True) -> Iterator[Snapshot | None]:
    """Adam on recon + beta*KL; yields a Snapshot every ``report_every`` updates and at the end of each epoch,
    ``None`` after every other update (and between evaluation batches).

    The model is trained in place (the caller owns it). All randomness comes from generators seeded with
    ``cfg.seed`` (shuffling, eps, the fixed noise); ``.item()`` is called only on reporting steps. Raises
    ``Diverged`` when the loss becomes NaN or infinite. Stop early by closing the generator."""
    device = model.device
    x_all = split.train.x.to(device)
    n = len(x_all)
    if n == 0:
        raise ValueError("the training set is empty")
    opt = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    shuffle = torch.Generator().manual_seed(cfg.seed)                 # batch order (CPU)
    noise = torch.Generator(device=device).manual_seed(cfg.seed + 1)  # eps of z = mu + sigma * eps
    fixed_noise = torch.randn(n_samples, cfg.latent, generator=torch.Generator().manual_seed(cfg.seed)).to(device)
    clock, step = _Clock(), 0
    for epoch in range(1, cfg.epochs + 1):
        model.train()
        perm = torch.randperm(n, generator=shuffle).to(device)
        sum_r = torch.zeros((), device=device)  # epoch sums stay on the device: no sync per step
        sum_k = torch.zeros((), device=device)
        for i in range(0, n, cfg.batch_size):
            x = x_all[perm[i:i + cfg.batch_size]]
            recon, kl = loss_terms(model, x, noise)
            loss = (recon + cfg.beta * kl).mean()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sum_r += recon.detach().sum()
            sum_k += kl.detach().sum()
            step += 1
            if step % report_every == 0 and i + cfg.batch_size < n:
                r, k = _finite(step, recon.mean().item(), kl.mean().item())
                yield Snapshot(epoch, cfg.epochs, step, r, k, -(r + k), r + cfg.beta * k, clock.lap())
                clock.resume()
            else:
                yield from clock.beat()
        r, k = _finite(step, sum_r.item() / n, sum_k.item() / n)  # epoch averages
        test: dict = {}
        if evaluate_each_epoch or epoch == cfg.epochs:
            test = yield from evaluate_steps(model, split.test, cfg.seed)
            _finite(step, test["recon"], test["kl"], what="test loss")
        with torch.no_grad():
            samples = model.decode(fixed_noise).cpu()
        yield Snapshot(epoch, cfg.epochs, step, r, k, -(r + k), r + cfg.beta * k, clock.lap(), test.get("recon"),
                       test.get("kl"), test.get("elbo"), samples, done=epoch == cfg.epochs)
        clock.resume()


def _finite(step: int, recon: float, kl: float, what: str = "loss") -> tuple[float, float]:
    if not (math.isfinite(recon) and math.isfinite(kl)):
        raise Diverged(step, what)
    return recon, kl


def fit(cfg: VaeConfig, split: Split | None = None) -> tuple[VAE, Split, list[Snapshot]]:
    """Train to the end without a UI: (model, split, epoch-end snapshots)."""
    split = split or load_split(cfg)
    model = build_model(cfg, split.train.shape, pick_device(cfg.device))
    history = [s for s in train(model, cfg, split) if s is not None and s.epoch_end]
    return model, split, history
