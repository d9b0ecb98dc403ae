"""A small variational autoencoder for 2-D points (Kingma & Welling, 2014), the VAE of the three-family table.

The image VAE (``playground.vae``) has a Bernoulli decoder over pixels; points in the plane need a Gaussian one:

    encoder  q(z|x) = N(mu_phi(x), diag sigma_phi(x)^2)          z in R^latent (2 by default)
    decoder  p(x|z) = N(m_theta(z), diag s_theta(z)^2)           x in R^2
    loss     -ELBO = E_q[-log p(x|z)] + beta * KL(q(z|x) || N(0, I))

A sample is z ~ N(0, I), then x ~ p(x|z): one decoder pass (and the decoder's own noise). ``sample(...,
mean_only=True)`` returns the decoder means m(z) instead, the picture usually shown for an image VAE.

Why a 2-D VAE struggles on a ring of 8 tight Gaussians: the decoder mean m(z) is a continuous function of z, and
the prior N(0, I) has no gaps, so the prior mass between the regions of z that map to two modes lands between the
modes ("bridges"). The KL term pushes the posteriors to tile the prior, the reconstruction term pushes the decoder
to sharp transitions; how much probability is left on the bridges is what the table measures.

Everything random belongs to the run: the weights from ``torch.Generator().manual_seed(seed)``, batches and the
reparameterization noise from a second generator seeded ``seed + 1`` (as the GAN Lab's trainer does).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterator

import numpy as np
import torch
import torch.nn as nn

from playground.data import toy2d
from playground.diffusion.toy import toy_pool
from playground.kit import knobs
from playground.kit.knobs import knob
from playground.kit.runs import seeded_init
from playground.kit.training import lr_schedule, reports, set_lr
from playground.kit.runtime import fixed_threads, pick_device

THREADS = 1  # a small MLP trains fastest on one intra-op thread, and a seed gives the same figures anywhere
TOY_FIXED = 1000  # fixed-noise samples shown and measured during a run (as the GAN Lab's TOY_FIXED)
MIN_LOGVAR = 2 * math.log(0.005)  # the decoder's std never drops below 0.005 (the ring's modes have std 0.02):
# a Gaussian likelihood with a learned variance is unbounded as the variance goes to 0 (the loss would run to -inf)
HISTORY_FIELDS = ("step", "loss", "recon", "kl", "elapsed")


@dataclass
class Vae2dConfig:
    """Everything that defines a 2-D VAE run. Bad values raise ``ValueError`` saying what is allowed."""

    data: str = knob("ring8", choices=toy2d.DISTRIBUTIONS, help="training data (a 2-D toy set)")
    latent: int = knob(2, 1, 16, integer=True, help="size of z")
    width: int = knob(128, 8, 1024, integer=True, help="hidden width of encoder and decoder")
    depth: int = knob(3, 1, 6, integer=True, help="hidden layers of encoder and decoder")
    beta: float = knob(1.0, 0.0, 10.0, help="weight of the KL term (1: the plain VAE)")
    warmup: int = knob(2000, 0, 1_000_000, integer=True, help="steps over which the KL weight rises from 0 to "
                       "beta (Bowman et al., 2016: without it the decoder learns to ignore z first)")
    lr: float = knob(3e-3, 0.0, 1.0, open_low=True, help="Adam learning rate")
    decay: str = knob("cosine", choices=("constant", "cosine"), help="learning rate over the run: constant, or "
                      "down to a twentieth at the last step along a cosine")
    batch_size: int = knob(256, 8, 4096, integer=True, help="points per update")
    steps: int = knob(6000, 1, 1_000_000, integer=True, help="training steps")
    seed: int = knob(0, 0, 2**31 - 1, integer=True, help="seed of weights, batches and noise")
    device: str = "auto"

    def __post_init__(self) -> None:
        knobs.check(self)
        pick_device(self.device)  # raises when cuda is asked for and missing


def _mlp(d_in: int, width: int, depth: int, d_out: int) -> nn.Sequential:
    layers: list[nn.Module] = []
    for i in range(depth):
        layers += [nn.Linear(d_in if i == 0 else width, width), nn.SiLU()]
    return nn.Sequential(*layers, nn.Linear(width, d_out))


class Vae2d(nn.Module):
    """encode -> (mu, logvar) of q(z|x); reparameterize -> z; decode -> (mean, logvar) of p(x|z)."""

    def __init__(self, cfg: Vae2dConfig) -> None:
        super().__init__()
        self.latent = cfg.latent
        self.encoder = _mlp(2, cfg.width, cfg.depth, 2 * cfg.latent)  # mu and log sigma^2, side by side
        self.decoder = _mlp(cfg.latent, cfg.width, cfg.depth, 2)  # the mean m(z)
        # one learned log s^2 per coordinate, the same for every z: a per-z variance made training unstable (a
        # bridge point scored against a tiny predicted variance gave a huge gradient)
        self.dec_logvar = nn.Parameter(torch.zeros(2))

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """x (B, 2) -> mu, logvar, each (B, latent)."""
        mu, logvar = self.encoder(x).chunk(2, dim=1)
        return mu, logvar.clamp(-30.0, 20.0)

    def decode(self, z: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """z (B, latent) -> mean (B, 2), logvar (B, 2) of the Gaussian p(x|z)."""
        mean = self.decoder(z)
        return mean, self.dec_logvar.clamp(MIN_LOGVAR, 10.0).expand_as(mean)

    @staticmethod
    def reparameterize(mu: torch.Tensor, logvar: torch.Tensor, eps: torch.Tensor) -> torch.Tensor:
        """z = mu + sigma * eps: the noise is an input, so gradients reach mu and sigma."""
        return mu + torch.exp(0.5 * logvar) * eps


def loss_terms(model: Vae2d, x: torch.Tensor, eps: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """(reconstruction NLL, KL), each averaged over the batch; x (B, 2), eps (B, latent).

    NLL of a diagonal Gaussian: 0.5 * sum_d ((x_d - m_d)^2 / s_d^2 + log s_d^2 + log 2 pi);
    KL(N(mu, sigma^2) || N(0, 1)) = -0.5 * sum_j (1 + log sigma_j^2 - mu_j^2 - sigma_j^2)."""
    mu, logvar = model.encode(x)
    mean, dec_logvar = model.decode(model.reparameterize(mu, logvar, eps))
    nll = 0.5 * (((x - mean) ** 2) * torch.exp(-dec_logvar) + dec_logvar + math.log(2 * math.pi)).sum(1)
    kl = -0.5 * (1 + logvar - mu ** 2 - logvar.exp()).sum(1)
    return nll.mean(), kl.mean()


@dataclass(frozen=True)
class Vae2dSnapshot:
    """One report of the loop (losses averaged since the previous report); samples (TOY_FIXED, 2) and their
    coverage on sampling steps only."""

    step: int
    loss: float
    recon: float
    kl: float
    elapsed: float
    samples: np.ndarray | None = None
    coverage: toy2d.Coverage | None = None

    def metrics(self) -> dict:
        out = {"step": self.step, "loss": round(self.loss, 5), "recon": round(self.recon, 5),
               "kl": round(self.kl, 5), "elapsed_s": round(self.elapsed, 3)}
        if self.coverage is not None:
            out.update(self.coverage.as_dict())
        return out


class Vae2dTrainer:
    """The model, its optimizer, the step counter and the loss history of one run; ``step(n)`` streams."""

    def __init__(self, config: Vae2dConfig) -> None:
        self.config = config
        self.device = pick_device(config.device)
        init = torch.Generator().manual_seed(config.seed)  # weights and the fixed noise
        model = Vae2d(config)
        seeded_init(model.encoder, init)
        seeded_init(model.decoder, init)  # dec_logvar starts at 0 (s = 1): nothing random
        self.fixed_z = torch.randn(TOY_FIXED, config.latent, generator=init).to(self.device)  # (TOY_FIXED, latent)
        self.fixed_eps = torch.randn(TOY_FIXED, 2, generator=init).to(self.device)  # the decoder's noise, fixed too
        self.model = model.to(self.device)
        self.opt = torch.optim.Adam(self.model.parameters(), lr=config.lr)
        self.rng = torch.Generator().manual_seed(config.seed + 1)  # batches and reparameterization noise (CPU)
        self._decay = lr_schedule(config.decay, config.steps, floor=0.05)  # steps past config.steps keep the last
        self.step_count = 0
        self.elapsed = 0.0  # seconds inside step(), the consumer's time excluded
        self.history: list[tuple[float, ...]] = []  # rows of HISTORY_FIELDS

    @property
    def n_params(self) -> int:
        return sum(p.numel() for p in self.model.parameters())

    def train_step(self) -> torch.Tensor:
        """One Adam step on a fresh batch; returns detached (loss, recon, kl) as a (3,) tensor (no device sync)."""
        cfg = self.config
        real = toy_pool(cfg.data)  # the GAN's and the diffusion model's pool: the same points for all three
        x = real[torch.randint(len(real), (cfg.batch_size,), generator=self.rng)].to(self.device)  # (B, 2)
        eps = torch.randn(cfg.batch_size, cfg.latent, generator=self.rng).to(self.device)  # (B, latent)
        recon, kl = loss_terms(self.model, x, eps)
        if cfg.decay != "constant":
            set_lr(self.opt, cfg.lr * self._decay(self.step_count))
        weight = cfg.beta * min(1.0, (self.step_count + 1) / cfg.warmup) if cfg.warmup else cfg.beta
        loss = recon + weight * kl
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        self.opt.step()
        self.step_count += 1
        return torch.stack([loss, recon, kl]).detach()

    @fixed_threads(THREADS)
    def step(self, n: int, report_every: int = 10, sample_every: int | None = None,
             heartbeats: bool = False) -> Iterator[Vae2dSnapshot | None]:
        """Train ``n`` more steps, a snapshot every ``report_every`` steps and after the last (samples and coverage
        every ``sample_every`` steps and on the last; never when None). ``heartbeats``: also yield None after
        every step, so a live run can pause inside a report. A NaN or infinite loss raises ``Diverged``."""
        if not isinstance(n, int) or n < 1:
            raise ValueError(f"n must be a positive integer, got {n!r}")
        if not isinstance(report_every, int) or report_every < 1:
            raise ValueError(f"report_every must be a positive integer, got {report_every!r}")
        for report in reports(self, n, report_every, heartbeats):
            if report is None:
                yield None
                continue
            (step, *means, elapsed), last = report
            if sample_every is not None and (last or step % sample_every == 0):
                samples = self.generate(self.fixed_z, self.fixed_eps)
                yield Vae2dSnapshot(step, *means, elapsed, samples, toy2d.coverage(samples, self.config.data))
            else:
                yield Vae2dSnapshot(step, *means, elapsed)

    @torch.no_grad()
    @fixed_threads(THREADS)
    def generate(self, z: torch.Tensor, eps: torch.Tensor | None = None) -> np.ndarray:
        """x = m(z) + s(z) * eps for z (N, latent) and eps (N, 2); the decoder means m(z) when eps is None.
        Returns (N, 2) on the CPU."""
        mean, logvar = self.model.decode(z.to(self.device))
        x = mean if eps is None else mean + torch.exp(0.5 * logvar) * eps.to(self.device)
        return x.float().cpu().numpy()

    def sample(self, n: int, seed: int = 0, mean_only: bool = False) -> np.ndarray:
        """n fresh samples from the prior (a seeded noise batch, not the run's own stream): (n, 2)."""
        g = torch.Generator().manual_seed(seed)
        z = torch.randn(n, self.config.latent, generator=g)
        eps = torch.randn(n, 2, generator=g)
        return self.generate(z, None if mean_only else eps)

    def history_columns(self) -> dict[str, list[float]]:
        cols = list(zip(*self.history)) if self.history else [()] * len(HISTORY_FIELDS)
        return {name: list(col) for name, col in zip(HISTORY_FIELDS, cols)}
