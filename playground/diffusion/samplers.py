"""Samplers: from noise at t = 1 to data at t = 0, for any Gaussian path and either objective.

Each takes ``steps`` (1 to 1000) on a uniform time grid t_0 = 1 > t_1 > ... > t_steps = 0 and calls the network
once a step (nfe = steps). At each step the network output becomes estimates (x0_hat, eps_hat)
(``schedules.to_x0_eps``), and:

- "ddpm": ancestral sampling (Ho et al., 2020): draw x_{t'} from the Gaussian posterior q(x_{t'} | x_t, x0_hat);
  stochastic, its noise only from ``generator``. Written for a general path x_t = a x0 + s eps (Kingma et al.,
  2021, "Variational diffusion models", eq. 3-4), so it runs on the flow path too.
- "ddim": the deterministic DDIM update with eta = 0 (Song et al., 2021): x_{t'} = a(t') x0_hat + s(t') eps_hat.
- "euler": Euler's method on the ODE dx/dt = a'(t) x0_hat + s'(t) eps_hat: the probability-flow ODE for DDPM
  (Song et al., 2021, "Score-based generative modeling through SDEs"), the learned velocity for flow matching.
  For flow matching Euler and DDIM are the same update.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import torch

from playground.diffusion.schedules import Path, to_x0_eps

SAMPLERS = ("ddpm", "ddim", "euler")
MAX_STEPS = 1000

Predict = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]  # (x_t (N, ...), t (N,)) -> eps or v (N, ...)


@dataclass(frozen=True)
class Sampled:
    """x: the samples at t = 0, (N, ...). path: the kept states (K, N, ...) from t = 1 down to t = 0, or None.
    times: the K times of those states. nfe: network evaluations (one call of ``predict`` on the batch)."""

    x: torch.Tensor
    path: torch.Tensor | None
    times: tuple[float, ...]
    nfe: int


def kept_indices(steps: int, keep: int) -> list[int]:
    """Which of the steps + 1 states (0 is t = 1, ``steps`` is t = 0) to keep: ``keep`` evenly spaced ones (at
    least 2 and at most steps + 1), always the first and the last."""
    if keep <= 0:
        return []
    k = min(max(keep, 2), steps + 1)
    return sorted({round(j * steps / (k - 1)) for j in range(k)})


def _check(sampler: str, steps, keep) -> None:
    if sampler not in SAMPLERS:
        raise ValueError(f"sampler must be one of {', '.join(SAMPLERS)}; got {sampler!r}")
    if isinstance(steps, bool) or not isinstance(steps, int) or not 1 <= steps <= MAX_STEPS:
        raise ValueError(f"steps must be a whole number from 1 to {MAX_STEPS}; got {steps!r}")
    if isinstance(keep, bool) or not isinstance(keep, int) or keep < 0:
        raise ValueError(f"keep must be a whole number >= 0; got {keep!r}")


def _scalar(fn, t: float) -> float:
    return float(fn(torch.tensor(t, dtype=torch.float64)))


@torch.no_grad()
def sample(predict: Predict, noise: torch.Tensor, *, path: Path, objective: str, sampler: str, steps: int,
           generator: torch.Generator | None = None, keep: int = 0, clip_x0: float | None = None) -> Sampled:
    """Run a sampler from ``noise`` (N, ...) (the state at t = 1) to t = 0.

    predict(x_t, t): the network, x_t (N, ...) and t (N,) in [0, 1] in x's dtype and device -> eps ("ddpm") or v
    ("flow"). generator: the source of the ancestral sampler's noise (required for "ddpm": no global RNG).
    keep: how many evenly spaced states to keep in ``Sampled.path`` (0: none; else t = 1 and t = 0 among them).
    clip_x0: clamp x0_hat to [-clip_x0, clip_x0] (and recompute eps_hat from it) before each update, as DDPM
    does for images in [-1, 1]; it tames the first steps, where a = sqrt(alpha_bar) is tiny and x0_hat = (x_t -
    s eps_hat) / a magnifies the network's error (cosine schedule: a(1) = 5e-5)."""
    _check(sampler, steps, keep)
    if sampler == "ddpm" and generator is None:
        raise ValueError("the ancestral 'ddpm' sampler needs a torch.Generator for its noise")
    times = torch.linspace(1.0, 0.0, steps + 1, dtype=torch.float64).tolist()
    kept = set(kept_indices(steps, keep))
    x = noise.clone()
    states = [x.clone()] if 0 in kept else []
    for i in range(steps):
        t, t_next = times[i], times[i + 1]
        tt = torch.full((len(x),), t, dtype=x.dtype, device=x.device)  # (N,)
        pred = predict(x, tt)
        x0, eps = to_x0_eps(path, objective, x, torch.full((len(x),), t, dtype=torch.float64), pred)
        a, s = _scalar(path.a, t), _scalar(path.s, t)
        if clip_x0 is not None:
            x0 = x0.clamp(-clip_x0, clip_x0)
            if s > 0:
                eps = (x - a * x0) / s
        a_n, s_n = _scalar(path.a, t_next), _scalar(path.s, t_next)
        if sampler == "ddim":
            x = a_n * x0 + s_n * eps
        elif sampler == "euler":
            velocity = _scalar(path.da, t) * x0 + _scalar(path.ds, t) * eps  # dx/dt at (x, t)
            x = x + (t_next - t) * velocity
        else:  # ancestral: the posterior q(x_{t'} | x_t, x0_hat) of the Gaussian path (VDM eq. 3-4)
            alpha = a / a_n  # x_t = alpha x_{t'} + sigma noise: the forward transition from t' to t
            sigma2 = max(s * s - alpha * alpha * s_n * s_n, 0.0)
            mean = (alpha * s_n * s_n / (s * s)) * x + (a_n * sigma2 / (s * s)) * x0
            var = sigma2 * s_n * s_n / (s * s)  # 0 on the last step (s_n = 0): x_0 is the mean
            x = mean
            if var > 0:
                x = x + var ** 0.5 * torch.randn(x.shape, generator=generator, dtype=x.dtype, device=x.device)
        if i + 1 in kept:
            states.append(x.clone())
    kept_times = tuple(times[i] for i in sorted(kept))
    return Sampled(x, torch.stack(states) if states else None, kept_times, steps)
