"""The GAN objectives, as a registry: one ``GanLoss`` entry per loss (``playground.gan`` trains with them).

Adding a loss is one entry here plus its strings in ``tabs/strings/gan.py``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass(frozen=True)
class GanLoss:
    """One GAN objective: D's loss on (real, fake) outputs, G's loss on fake outputs, and how to show D(x).

    probability: D's output is a logit, shown as the probability sigmoid(D(x)); otherwise the raw score.
    penalty: the critic's loss adds a gradient penalty (WGAN-GP)."""

    d: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]
    g: Callable[[torch.Tensor], torch.Tensor]
    probability: bool
    penalty: bool = False

    def display(self, out: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(out) if self.probability else out


def _bce(out: torch.Tensor, target: float) -> torch.Tensor:
    return F.binary_cross_entropy_with_logits(out, torch.full_like(out, target))


LOSS_REGISTRY: dict[str, GanLoss] = {
    # the original game: D minimises -log D(x) - log(1 - D(G(z))); G minimises log(1 - D(G(z))), whose
    # gradient vanishes while D wins easily
    "minimax": GanLoss(d=lambda r, f: _bce(r, 1.0) + _bce(f, 0.0), g=lambda f: -_bce(f, 0.0), probability=True),
    # non-saturating: G maximises log D(G(z)) instead (Goodfellow et al., 2014, section 3)
    "ns": GanLoss(d=lambda r, f: _bce(r, 1.0) + _bce(f, 0.0), g=lambda f: _bce(f, 1.0), probability=True),
    # least squares (Mao et al., 2017): 1/2 (D(x) - 1)^2 + 1/2 D(G(z))^2
    "lsgan": GanLoss(d=lambda r, f: 0.5 * ((r - 1) ** 2).mean() + 0.5 * (f ** 2).mean(),
                     g=lambda f: 0.5 * ((f - 1) ** 2).mean(), probability=False),
    # Wasserstein critic (Gulrajani et al., 2017): maximise E[D(x)] - E[D(G(z))], plus the penalty
    "wgan-gp": GanLoss(d=lambda r, f: f.mean() - r.mean(), g=lambda f: -f.mean(), probability=False, penalty=True),
}
LOSSES = tuple(LOSS_REGISTRY)


def d_loss(loss: str, real_out: torch.Tensor, fake_out: torch.Tensor) -> torch.Tensor:
    """Discriminator loss from its outputs on a real batch and a fake batch (both (B,))."""
    return LOSS_REGISTRY[loss].d(real_out, fake_out)


def g_loss(loss: str, fake_out: torch.Tensor) -> torch.Tensor:
    """Generator loss from D's outputs on a fake batch (B,)."""
    return LOSS_REGISTRY[loss].g(fake_out)


def gradient_penalty(D: nn.Module, real: torch.Tensor, fake: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """WGAN-GP: (||grad_x D(x_hat)|| - 1)^2 at random points x_hat between real and fake samples."""
    eps = torch.rand(len(real), *[1] * (real.dim() - 1), generator=generator, device=real.device)  # (B, 1, ...)
    x_hat = (eps * real + (1 - eps) * fake).requires_grad_(True)
    (grad,) = torch.autograd.grad(D(x_hat).sum(), x_hat, create_graph=True)
    return ((grad.flatten(1).norm(dim=1) - 1) ** 2).mean()


def d_output_to_display(loss: str, out: torch.Tensor) -> torch.Tensor:
    """What "D(x)" means on screen: a probability for the BCE losses, the raw score otherwise."""
    return LOSS_REGISTRY[loss].display(out)
