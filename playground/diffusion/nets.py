"""The 2-D denoiser: a small MLP on (x_t, an embedding of t) that outputs eps or v."""

from __future__ import annotations

import math

import torch
import torch.nn as nn

TIME_FREQS = 16  # sinusoids of the time embedding: 2 * TIME_FREQS features


def time_embedding(t: torch.Tensor, n_freqs: int = TIME_FREQS, max_period: float = 1000.0) -> torch.Tensor:
    """Transformer-style sinusoids (Vaswani et al., 2017) of the step index t * 1000, as DDPM embeds its steps:
    t (N,) in [0, 1] -> (N, 2 n_freqs), with periods from about 6 steps up to 6,000 (longer than the whole range)."""
    freqs = torch.exp(-math.log(max_period) * torch.arange(n_freqs, dtype=torch.float32, device=t.device) / n_freqs)
    angles = (t.float() * 1000.0)[:, None] * freqs[None]  # (N, n_freqs)
    return torch.cat([angles.sin(), angles.cos()], dim=1).to(t.dtype if t.is_floating_point() else torch.float32)


class Denoiser2d(nn.Module):
    """(x_t (N, 2), t (N,)) -> prediction (N, 2): an MLP of ``depth`` hidden layers of ``width`` SiLU units on
    [x_t, time embedding]; the time embedding is also added (projected) to every hidden layer, so every layer
    knows the noise level (as DDPM's U-Net adds it to every block)."""

    def __init__(self, width: int = 128, depth: int = 3) -> None:
        super().__init__()
        self.inp = nn.Linear(2 + 2 * TIME_FREQS, width)
        self.time = nn.ModuleList(nn.Linear(2 * TIME_FREQS, width) for _ in range(depth - 1))
        self.hidden = nn.ModuleList(nn.Linear(width, width) for _ in range(depth - 1))
        self.out = nn.Linear(width, 2)
        self.act = nn.SiLU()

    def forward(self, x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        emb = time_embedding(t).to(x.dtype)  # (N, 2F)
        h = self.act(self.inp(torch.cat([x, emb], dim=1)))  # (N, width)
        for layer, time in zip(self.hidden, self.time):
            h = self.act(layer(h) + time(emb))  # (N, width)
        return self.out(h)  # (N, 2)
