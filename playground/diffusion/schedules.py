"""Noise schedules: every process here is a Gaussian path ``x_t = a(t) x0 + s(t) eps``, eps ~ N(0, I).

Time is continuous, t in [0, 1]: t = 0 is the data, t = 1 is (almost) pure noise.

- DDPM (Ho et al., 2020): ``T = 1000`` discrete steps with betas from 1e-4 to 0.02 ("linear"), or the cosine
  schedule of Nichol & Dhariwal (2021) (betas clipped at 0.999). ``alpha_bar_i = prod_{j <= i} (1 - beta_j)``,
  ``a = sqrt(alpha_bar)``, ``s = sqrt(1 - alpha_bar)``. Step i sits at t = i / T; between two steps
  ``log alpha_bar`` is interpolated linearly, so any t in [0, 1] is allowed and the integer steps are exact.
- Flow matching / rectified flow (Lipman et al., 2023; Liu et al., 2023): the straight line ``a = 1 - t``,
  ``s = t``.

What the network predicts (``target``): the noise eps for "ddpm", the velocity ``v = d x_t / dt = eps - x0`` for
"flow". ``to_x0_eps`` turns either prediction back into estimates of (x0, eps), which is all a sampler needs.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

import torch

T = 1000  # discrete DDPM steps
OBJECTIVES = ("ddpm", "flow")
SCHEDULES = ("linear", "cosine")
COSINE_OFFSET = 0.008  # s in Nichol & Dhariwal's f(t) = cos^2((t + s) / (1 + s) * pi / 2)
MAX_BETA = 0.999  # their clip: the last cosine betas would otherwise reach 1 (alpha_bar_T = 0)


def _betas(schedule: str) -> torch.Tensor:
    """The T betas of a DDPM schedule, float64, shape (T,)."""
    if schedule == "linear":
        return torch.linspace(1e-4, 0.02, T, dtype=torch.float64)
    i = torch.arange(T + 1, dtype=torch.float64)
    f = torch.cos((i / T + COSINE_OFFSET) / (1 + COSINE_OFFSET) * math.pi / 2) ** 2  # (T+1,)
    return (1 - f[1:] / f[:-1]).clamp(max=MAX_BETA)


@dataclass(frozen=True)
class Path:
    """A Gaussian path x_t = a(t) x0 + s(t) eps. Methods take t as a tensor (any shape) or a float and return
    float64 tensors of t's shape on t's device; callers cast to their own dtype.

    ``log_alpha_bar``: for DDPM, log alpha_bar at t = i / T, i = 0..T (T + 1 values, the first 0); None for flow.
    """

    name: str  # "ddpm-linear", "ddpm-cosine" or "flow"
    objective: str
    schedule: str | None
    log_alpha_bar: torch.Tensor | None = field(default=None, compare=False, repr=False)

    def _t(self, t) -> torch.Tensor:
        return torch.as_tensor(t, dtype=torch.float64).clamp(0.0, 1.0)

    def _log_ab(self, t) -> tuple[torch.Tensor, torch.Tensor]:
        """(log alpha_bar(t), its derivative in t), piecewise linear between the DDPM steps."""
        t = self._t(t)
        table = self.log_alpha_bar.to(t.device)  # (T+1,)
        u = t * T
        i = u.floor().clamp(0, T - 1).long()
        slope = table[i + 1] - table[i]
        return table[i] + slope * (u - i), slope * T

    def a(self, t) -> torch.Tensor:
        """Signal scale a(t): sqrt(alpha_bar) for DDPM, 1 - t for flow."""
        if self.objective == "flow":
            return 1.0 - self._t(t)
        return torch.exp(0.5 * self._log_ab(t)[0])

    def s(self, t) -> torch.Tensor:
        """Noise scale s(t): sqrt(1 - alpha_bar) for DDPM, t for flow."""
        if self.objective == "flow":
            return self._t(t)
        return torch.sqrt(-torch.expm1(self._log_ab(t)[0]))  # 1 - alpha_bar without cancellation near t = 0

    def alpha_bar(self, t) -> torch.Tensor:
        """a(t)^2 (DDPM's alpha_bar; for flow it is (1 - t)^2, given for comparison)."""
        return self.a(t) ** 2

    def da(self, t) -> torch.Tensor:
        """d a / d t."""
        if self.objective == "flow":
            return torch.full_like(self._t(t), -1.0)
        log_ab, dlog = self._log_ab(t)
        return 0.5 * dlog * torch.exp(0.5 * log_ab)

    def ds(self, t) -> torch.Tensor:
        """d s / d t (infinite for DDPM at t = 0, where s = 0: samplers never evaluate it there)."""
        if self.objective == "flow":
            return torch.ones_like(self._t(t))
        log_ab, dlog = self._log_ab(t)
        return -0.5 * dlog * torch.exp(log_ab) / torch.sqrt(-torch.expm1(log_ab))


def path(objective: str, schedule: str = "linear") -> Path:
    """The path of an objective ("ddpm" | "flow"); ``schedule`` ("linear" | "cosine") is ignored for flow.
    One shared read-only object per path."""
    if objective not in OBJECTIVES:
        raise ValueError(f"objective must be one of {', '.join(OBJECTIVES)}; got {objective!r}")
    if objective == "flow":
        return _path("flow", None)
    if schedule not in SCHEDULES:
        raise ValueError(f"schedule must be one of {', '.join(SCHEDULES)}; got {schedule!r}")
    return _path(objective, schedule)


@functools.lru_cache(maxsize=None)
def _path(objective: str, schedule: str | None) -> Path:
    if objective == "flow":
        return Path("flow", "flow", None)
    log_ab = torch.cat([torch.zeros(1, dtype=torch.float64), torch.log1p(-_betas(schedule)).cumsum(0)])  # (T+1,)
    return Path(f"ddpm-{schedule}", "ddpm", schedule, log_ab)


def _expand(coef: torch.Tensor, like: torch.Tensor) -> torch.Tensor:
    """A per-sample coefficient (N,) shaped (N, 1, ...) to broadcast against ``like`` (N, ...), in its dtype."""
    return coef.to(device=like.device, dtype=like.dtype).view(-1, *([1] * (like.dim() - 1)))


def q_sample(path: Path, x0: torch.Tensor, t: torch.Tensor, noise: torch.Tensor) -> torch.Tensor:
    """The forward process: x_t = a(t) x0 + s(t) noise. x0 (N, ...), t (N,) in [0, 1], noise like x0."""
    return _expand(path.a(t), x0) * x0 + _expand(path.s(t), x0) * noise


def _objective(path_or_objective: Path | str) -> str:
    objective = path_or_objective.objective if isinstance(path_or_objective, Path) else path_or_objective
    if objective not in OBJECTIVES:
        raise ValueError(f"objective must be one of {', '.join(OBJECTIVES)}; got {objective!r}")
    return objective


def target(path_or_objective: Path | str, x0: torch.Tensor, noise: torch.Tensor,
           t: torch.Tensor | None = None) -> torch.Tensor:
    """What the network learns to predict from (x_t, t): the noise for "ddpm" (Ho et al.'s eps-prediction), the
    velocity v = d x_t / dt = noise - x0 for "flow" (the rectified-flow regression target). Shape of x0.
    ``t`` is not needed by either target; it is accepted so every objective has the same signature."""
    return noise if _objective(path_or_objective) == "ddpm" else noise - x0


def to_x0_eps(path: Path, objective: str, x_t: torch.Tensor, t: torch.Tensor,
              pred: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """(x0_hat, eps_hat) from a network output. x_t and pred (N, ...), t (N,) in [0, 1].

    eps-prediction: eps_hat = pred, x0_hat = (x_t - s eps_hat) / a (undefined where a = 0).
    velocity: v = a' x0 + s' eps and x_t = a x0 + s eps, a 2x2 system: for flow (a' = -1, s' = 1)
    x0_hat = x_t - t v and eps_hat = x_t + (1 - t) v."""
    a, s = _expand(path.a(t), x_t), _expand(path.s(t), x_t)
    if _objective(objective) == "ddpm":
        return (x_t - s * pred) / a, pred
    da, ds = _expand(path.da(t), x_t), _expand(path.ds(t), x_t)
    det = a * ds - s * da  # 1 for flow
    return (ds * x_t - s * pred) / det, (a * pred - da * x_t) / det
