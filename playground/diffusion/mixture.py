"""The exact answers for a Gaussian mixture: what a perfect denoiser would output.

Data x0 ~ sum_k w_k N(mu_k, std^2 I) noised along a Gaussian path x_t = a x0 + s eps stays a mixture:
x_t ~ sum_k w_k N(a mu_k, (a^2 std^2 + s^2) I). Its score, the posterior mean E[x0 | x_t] and so the ideal eps-
or v-prediction are closed forms (Tweedie's formula: E[eps | x_t] = -s * score). The 2-D sets ring8 and grid25
are such mixtures (``toy2d.mode_centres``, ``toy2d.MODE_STD``): the tests compare the trained network and the
samplers against these.
"""

from __future__ import annotations

import torch

from playground.data import toy2d
from playground.diffusion.schedules import Path


def toy_mixture(name: str) -> tuple[torch.Tensor, float]:
    """(means (K, 2), std) of a 2-D set that is a Gaussian mixture with equal weights (ring8, grid25)."""
    return toy2d.mode_centres(name), toy2d.noise_std(name)


def _coefs(x: torch.Tensor, t, path: Path) -> tuple[torch.Tensor, ...]:
    t = torch.as_tensor(t, dtype=torch.float64, device=x.device).expand(len(x))  # (N,)
    return (path.a(t)[:, None], path.s(t)[:, None], path.da(t)[:, None],
            path.ds(t)[:, None] if (path.objective == "flow" or bool((t > 0).all())) else None)


def _responsibilities(x: torch.Tensor, a: torch.Tensor, var: torch.Tensor, means: torch.Tensor,
                      weights: torch.Tensor | None) -> torch.Tensor:
    """p(k | x_t) for every sample and component, (N, K)."""
    d2 = ((x[:, None, :] - a[:, :, None] * means[None]) ** 2).sum(-1)  # (N, K)
    logits = -0.5 * d2 / var  # the shared normaliser (2 pi var)^-1 cancels
    if weights is not None:
        logits = logits + torch.log(torch.as_tensor(weights, dtype=torch.float64, device=x.device))[None]
    return torch.softmax(logits, dim=1)


def _parts(x, t, path, means, std, weights):
    x64 = x.to(torch.float64)
    mu = torch.as_tensor(means, dtype=torch.float64, device=x.device)  # (K, 2)
    a, s, da, ds = _coefs(x64, t, path)
    var = a * a * std * std + s * s  # (N, 1): the variance of every noised component
    r = _responsibilities(x64, a, var, mu, weights)  # (N, K)
    centred = x64[:, None, :] - a[:, :, None] * mu[None]  # (N, K, 2): x_t - a mu_k
    return x64, mu, a, s, da, ds, var, r, centred


def exact_score(x: torch.Tensor, t, path: Path, means: torch.Tensor, std: float,
                weights: torch.Tensor | None = None) -> torch.Tensor:
    """grad_x log p_t(x) of the noised mixture, (N, 2) in x's dtype. x (N, 2); t a float or (N,)."""
    x64, mu, a, s, da, ds, var, r, centred = _parts(x, t, path, means, std, weights)
    score = -(r[:, :, None] * centred).sum(1) / var  # (N, 2)
    return score.to(x.dtype)


def exact_x0(x: torch.Tensor, t, path: Path, means: torch.Tensor, std: float,
             weights: torch.Tensor | None = None) -> torch.Tensor:
    """E[x0 | x_t], (N, 2): each component's Gaussian posterior mean mu_k + a std^2 / var (x_t - a mu_k), weighted
    by its responsibility."""
    x64, mu, a, s, da, ds, var, r, centred = _parts(x, t, path, means, std, weights)
    per = mu[None] + (a * std * std / var)[:, :, None] * centred  # (N, K, 2)
    return (r[:, :, None] * per).sum(1).to(x.dtype)


def exact_prediction(x: torch.Tensor, t, path: Path, objective: str, means: torch.Tensor, std: float,
                     weights: torch.Tensor | None = None) -> torch.Tensor:
    """What the perfect network outputs at (x_t, t), (N, 2): E[eps | x_t] = -s score for "ddpm", the marginal
    velocity E[a' x0 + s' eps | x_t] for "flow" (= E[eps] - E[x0] on the flow path)."""
    x64, mu, a, s, da, ds, var, r, centred = _parts(x, t, path, means, std, weights)
    eps = s * (r[:, :, None] * centred).sum(1) / var  # -s * score, (N, 2)
    if objective == "ddpm":
        return eps.to(x.dtype)
    x0 = (r[:, :, None] * (mu[None] + (a * std * std / var)[:, :, None] * centred)).sum(1)
    return (da * x0 + ds * eps).to(x.dtype)
