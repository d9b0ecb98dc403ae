"""Class-conditional generators for digits: you ask for a class, you get an image of it.

Both take the label as a one-hot vector concatenated to their input (Mirza & Osindero, 2014, for the
GAN; Sohn et al., 2015, for the VAE), and both are small MLPs so they train on a CPU in seconds.

- ``CondGAN``: G(z, y) -> image in [-1, 1]; D(x, y) -> logit "real image of class y", with the label
  entering D by projection (Miyato & Koyama, 2018): D(x, y) = w . phi(x) + e_y . phi(x). Non-saturating
  losses from ``playground.gan``. D sees the label, so a G that draws the wrong digit is caught (a D that
  only gets the one-hot concatenated to the pixels ignored it for hundreds of steps: samples of every
  class were judged right about 10% of the time, i.e. chance).
- ``CondVAE``: encoder q(z | x, y), decoder p(x | z, y) with Bernoulli pixels; the ELBO terms from
  ``playground.vae``. The label carries the class, so z is free to carry the style (slant, thickness).

Training loops are generators: they yield ``(step, losses)`` on reporting steps and ``None`` after every
other update (a heartbeat), and draw every random number from the generator passed in.
"""

from __future__ import annotations

from typing import Iterator

import torch
import torch.nn.functional as F
from torch import nn

from playground.gan.losses import d_loss, g_loss
from playground.kit.runs import Diverged, seeded_init
from playground.vae import kl_divergence, reconstruction_loss

KINDS = ("gan", "vae")


def _onehot(y: torch.Tensor, n_classes: int) -> torch.Tensor:
    return F.one_hot(y, n_classes).float()  # (B,) -> (B, K)


class CondGAN(nn.Module):
    def __init__(self, shape: tuple[int, int, int], n_classes: int, latent: int, hidden: int) -> None:
        super().__init__()
        self.shape, self.n_classes, self.latent = shape, n_classes, latent
        d = shape[0] * shape[1] * shape[2]
        self.G = nn.Sequential(nn.Linear(latent + n_classes, hidden), nn.LeakyReLU(0.2),
                               nn.Linear(hidden, hidden), nn.LeakyReLU(0.2), nn.Linear(hidden, d), nn.Tanh())
        self.phi = nn.Sequential(nn.Linear(d, hidden), nn.LeakyReLU(0.2), nn.Linear(hidden, hidden),
                                 nn.LeakyReLU(0.2))  # image features
        self.head = nn.Linear(hidden, 1)  # "is it a real digit at all"
        self.embed = nn.Linear(n_classes, hidden, bias=False)  # e_y: "is it a real digit of class y"
        self.D = nn.ModuleList([self.phi, self.head, self.embed])  # D's parameters, for its optimiser

    def generate(self, z: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """z (B, latent), y (B,) -> images (B, C, H, W) in [-1, 1]."""
        return self.G(torch.cat([z, _onehot(y, self.n_classes)], 1)).view(len(z), *self.shape)

    def discriminate(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """images (B, C, H, W) in [-1, 1], y (B,) -> logits (B,)."""
        h = self.phi(x.flatten(1))  # (B, hidden)
        return self.head(h).squeeze(1) + (self.embed(_onehot(y, self.n_classes)) * h).sum(1)  # (B,)

    @torch.no_grad()
    def sample(self, y: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        """Images of the requested classes y (B,), in [0, 1]: (B, C, H, W)."""
        self.eval()
        z = torch.randn(len(y), self.latent, generator=generator)
        return (self.generate(z, y) + 1) / 2


class CondVAE(nn.Module):
    def __init__(self, shape: tuple[int, int, int], n_classes: int, latent: int, hidden: int) -> None:
        super().__init__()
        self.shape, self.n_classes, self.latent = shape, n_classes, latent
        d = shape[0] * shape[1] * shape[2]
        self.encoder = nn.Sequential(nn.Linear(d + n_classes, hidden), nn.ReLU(), nn.Linear(hidden, 2 * latent))
        self.decoder = nn.Sequential(nn.Linear(latent + n_classes, hidden), nn.ReLU(), nn.Linear(hidden, d))

    def encode(self, x: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """x (B, C, H, W) in [0, 1], y (B,) -> mu, logvar (B, latent) each."""
        mu, logvar = self.encoder(torch.cat([x.flatten(1), _onehot(y, self.n_classes)], 1)).chunk(2, dim=1)
        return mu, logvar.clamp(-30.0, 20.0)

    def decode_logits(self, z: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """z (B, latent), y (B,) -> Bernoulli logits (B, C, H, W)."""
        return self.decoder(torch.cat([z, _onehot(y, self.n_classes)], 1)).view(len(z), *self.shape)

    @torch.no_grad()
    def sample(self, y: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        """Images of the requested classes y (B,): z ~ N(0, I), pixel probabilities in [0, 1], (B, C, H, W).

        The mean image of p(x|z, y), as the VAE tab shows it (drawing Bernoulli pixels gives salt noise)."""
        self.eval()
        z = torch.randn(len(y), self.latent, generator=generator)
        return torch.sigmoid(self.decode_logits(z, y))


def build(kind: str, shape: tuple[int, int, int], n_classes: int, latent: int, hidden: int,
          generator: torch.Generator) -> nn.Module:
    if kind not in KINDS:
        raise ValueError(f"unknown conditional generator {kind!r}; choose one of {', '.join(KINDS)}")
    model = (CondGAN if kind == "gan" else CondVAE)(shape, n_classes, latent, hidden)
    seeded_init(model, generator)
    return model


def train_gan(model: CondGAN, x: torch.Tensor, y: torch.Tensor, steps: int, batch_size: int, lr: float,
              generator: torch.Generator, report_every: int = 50) -> Iterator[tuple[int, dict] | None]:
    """Adam (beta1 = 0.5) on the non-saturating conditional GAN game; x (N, C, H, W) in [0, 1]."""
    real_all = x * 2 - 1  # G ends in tanh: the data live in [-1, 1]
    opt_d = torch.optim.Adam(model.D.parameters(), lr=lr, betas=(0.5, 0.999))
    opt_g = torch.optim.Adam(model.G.parameters(), lr=lr, betas=(0.5, 0.999))
    model.train()
    for step in range(1, steps + 1):
        idx = torch.randint(len(real_all), (batch_size,), generator=generator)
        real, labels = real_all[idx], y[idx]
        fake_labels = torch.randint(model.n_classes, (batch_size,), generator=generator)
        z = torch.randn(batch_size, model.latent, generator=generator)
        # (1) update D: real (image, label) pairs up, generated pairs down
        with torch.no_grad():
            fake = model.generate(z, fake_labels)
        loss_d = d_loss("ns", model.discriminate(real, labels), model.discriminate(fake, fake_labels))
        opt_d.zero_grad(set_to_none=True)
        loss_d.backward()
        opt_d.step()
        # (2) update G through a frozen D
        model.D.requires_grad_(False)
        loss_g = g_loss("ns", model.discriminate(model.generate(z, fake_labels), fake_labels))
        opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        opt_g.step()
        model.D.requires_grad_(True)
        if step % report_every == 0 or step == steps:
            losses = {"loss_d": loss_d.item(), "loss_g": loss_g.item()}
            if not all(map(torch.isfinite, map(torch.tensor, losses.values()))):
                raise Diverged(step, "GAN loss")
            yield step, losses
        else:
            yield None


def train_vae(model: CondVAE, x: torch.Tensor, y: torch.Tensor, steps: int, batch_size: int, lr: float,
              generator: torch.Generator, report_every: int = 50) -> Iterator[tuple[int, dict] | None]:
    """Adam on the negative ELBO, recon + KL (nats per image); x (N, C, H, W) in [0, 1]."""
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    model.train()
    for step in range(1, steps + 1):
        idx = torch.randint(len(x), (batch_size,), generator=generator)
        xb, yb = x[idx], y[idx]
        mu, logvar = model.encode(xb, yb)
        eps = torch.randn(mu.shape, generator=generator)
        z = mu + torch.exp(0.5 * logvar) * eps  # reparameterization: the noise is an input
        recon = reconstruction_loss(model.decode_logits(z, yb), xb)  # (B,)
        kl = kl_divergence(mu, logvar)  # (B,)
        loss = (recon + kl).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        if step % report_every == 0 or step == steps:
            value = loss.item()
            if not torch.isfinite(torch.tensor(value)):
                raise Diverged(step, "VAE loss")
            yield step, {"loss": value, "recon": recon.mean().item(), "kl": kl.mean().item()}
        else:
            yield None


def train(kind: str, model: nn.Module, x: torch.Tensor, y: torch.Tensor, steps: int, batch_size: int,
          lr: float, generator: torch.Generator, report_every: int = 50) -> Iterator[tuple[int, dict] | None]:
    loop = train_gan if kind == "gan" else train_vae
    yield from loop(model, x, y, steps, batch_size, lr, generator, report_every)


def per_class(model: nn.Module, n_per_class: int, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """n images of every class, class by class: images (K*n, C, H, W) in [0, 1], labels (K*n,)."""
    y = torch.arange(model.n_classes).repeat_interleave(n_per_class)
    return model.sample(y, generator), y
