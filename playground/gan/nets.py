"""The generator and discriminator networks of the GAN Lab: small MLPs, and DCGAN-style conv nets for images."""

from __future__ import annotations

import math

import torch
import torch.nn as nn


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


def build_networks(config, shape: tuple[int, ...]) -> tuple[nn.Module, nn.Module]:
    """(G, D) for a ``GanConfig`` and a data shape ((2,) or (1, H, W))."""
    if config.arch == "dcgan":
        return ConvGenerator(config.latent_dim, config.width, shape), ConvDiscriminator(config.width, shape)
    return (MLPGenerator(config.latent_dim, config.width, config.depth, shape),
            MLPDiscriminator(config.width, config.depth, shape))


