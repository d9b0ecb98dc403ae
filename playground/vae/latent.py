"""Tools for looking inside a trained VAE: posterior means, latent grids, the reparameterization made
visible, and interpolation between two images."""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from playground.kit import knobs
from playground.kit.knobs import knob
from playground.vae.model import VAE

Z_LIMIT = 100.0  # the widest latent range a grid may cover (codes of a plain AE reach a few tens)


@torch.no_grad()
def posterior(model: VAE, x: torch.Tensor, batch_size: int = 1000) -> tuple[torch.Tensor, torch.Tensor]:
    """Encoder means and standard deviations of images x (N, C, H, W): mu (N, latent), sigma (N, latent), CPU."""
    model.eval()
    device = model.device
    mus, sigmas = [], []
    for i in range(0, len(x), batch_size):
        mu, logvar = model.encode(x[i:i + batch_size].to(device))
        mus.append(mu.cpu())
        sigmas.append(torch.exp(0.5 * logvar).cpu())
    return torch.cat(mus), torch.cat(sigmas)


def pca_plane(mu: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The plane of the first two principal components of posterior means mu (N, latent).

    Returns (center (latent,), basis (2, latent)) with orthonormal rows; z = center + a*basis[0] + b*basis[1]."""
    if mu.shape[1] < 2:
        raise ValueError("a PCA plane needs a latent size of at least 2")
    center = mu.mean(0)
    _, _, vt = torch.linalg.svd(mu - center, full_matrices=False)  # rows of vt: principal directions
    return center, vt[:2]


@dataclass(frozen=True)
class GridSpec:
    """Which N x N grid of latent points to decode: a range [lo, hi] on both axes, in two chosen latent
    dimensions (the others at 0, the prior mean) or in the plane of the first two principal components."""

    n: int = knob(20, 2, 40, integer=True, help="cells per side")
    lo: float = knob(-3.0, -Z_LIMIT, Z_LIMIT, help="lowest z on both axes")
    hi: float = knob(3.0, -Z_LIMIT, Z_LIMIT, help="highest z on both axes")
    mode: str = knob("dims", choices=("dims", "pca"), help="two latent dimensions, or the PCA plane")
    dim_x: int = knob(0, 0, 31, integer=True, help="latent dimension along the horizontal axis")
    dim_y: int = knob(1, 0, 31, integer=True, help="latent dimension along the vertical axis")

    def __post_init__(self) -> None:
        knobs.check(self)
        if not self.lo < self.hi:
            raise ValueError(f"the grid range needs low < high, got {self.lo:g} .. {self.hi:g}")

    @property
    def dims(self) -> tuple[int, int]:
        return self.dim_x, self.dim_y

    def for_latent(self, latent: int) -> "GridSpec":
        """The spec a model with ``latent`` dimensions can draw: with two or fewer, the plane is (z0, z1);
        otherwise the dimensions must exist and differ."""
        if latent <= 2:
            return GridSpec(self.n, self.lo, self.hi, "dims", 0, min(1, latent - 1))
        if self.mode == "dims" and (self.dim_x == self.dim_y or max(self.dims) >= latent):
            raise ValueError(f"choose two different latent dimensions between 0 and {latent - 1}, "
                             f"got {self.dims}")
        return self


def grid_latents(n: int, lo: float, hi: float, latent: int, dims: tuple[int, int] = (0, 1),
                 plane: tuple[torch.Tensor, torch.Tensor] | None = None) -> torch.Tensor:
    """The N x N grid of latent points, row-major with the first axis going right and the second up.

    Two chosen latent dimensions (others 0, the prior mean) or, with ``plane=(center, basis)``, coordinates
    in that plane. Returns z (n*n, latent); cell (row r, column c) is z[r*n + c]."""
    if isinstance(n, bool) or not isinstance(n, int) or not 2 <= n <= 40:
        raise ValueError(f"grid size must be a whole number from 2 to 40, got {n!r}")
    if not (math.isfinite(lo) and math.isfinite(hi) and -Z_LIMIT <= lo < hi <= Z_LIMIT):
        raise ValueError(f"the grid range needs {-Z_LIMIT:g} <= low < high <= {Z_LIMIT:g}, got {lo} .. {hi}")
    if plane is None and latent == 1:
        dims = (0, 0)  # one latent dimension: every row is the same line
    elif plane is None and (len(dims) != 2 or dims[0] == dims[1] or not all(0 <= d < latent for d in dims)):
        raise ValueError(f"choose two different latent dimensions between 0 and {latent - 1}, got {tuple(dims)}")
    a = torch.linspace(lo, hi, n)                 # horizontal axis, left to right
    b = torch.linspace(hi, lo, n)                 # vertical axis, top row = high values
    bb, aa = torch.meshgrid(b, a, indexing="ij")  # (n, n) each
    coords = torch.stack([aa.reshape(-1), bb.reshape(-1)], 1)  # (n*n, 2)
    if plane is not None:
        center, basis = plane
        return center + coords @ basis  # (n*n, latent)
    z = torch.zeros(n * n, latent)
    z[:, dims[1]] = coords[:, 1]
    z[:, dims[0]] = coords[:, 0]
    return z


def spec_latents(model: VAE, spec: GridSpec, x: torch.Tensor | None = None) -> torch.Tensor:
    """The grid points of ``spec`` for ``model`` (n*n, latent); the PCA plane is fitted to images ``x``."""
    spec = spec.for_latent(model.latent)
    plane = None
    if spec.mode == "pca":
        if x is None:
            raise ValueError("the PCA plane needs images to fit")
        plane = pca_plane(posterior(model, x)[0])
    return grid_latents(spec.n, spec.lo, spec.hi, model.latent, spec.dims, plane)


@torch.no_grad()
def decode_grid(model: VAE, z: torch.Tensor) -> torch.Tensor:
    """Decode latent points z (M, latent) to grey images (M, H, W) in [0, 1] (first channel), CPU."""
    model.eval()
    return model.decode(z.to(model.device))[:, 0].cpu()


def latent_grid(model: VAE, n: int = 20, lo: float = -3.0, hi: float = 3.0, dims: tuple[int, int] = (0, 1),
                plane: tuple[torch.Tensor, torch.Tensor] | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """Decode an N x N grid: images (n*n, H, W) and their latent points (n*n, latent)."""
    z = grid_latents(n, lo, hi, model.latent, dims, plane)
    return decode_grid(model, z), z


@dataclass(frozen=True)
class Reparameterization:
    """z = mu + sigma * eps for one image, made visible."""

    mu: torch.Tensor              # (latent,)
    sigma: torch.Tensor           # (latent,)
    eps: torch.Tensor             # (latent,) drawn from N(0, I)
    z: torch.Tensor               # (latent,)
    image: torch.Tensor           # (H, W) the input
    reconstruction: torch.Tensor  # (H, W) decode(z)
    mean_reconstruction: torch.Tensor  # (H, W) decode(mu)


@torch.no_grad()
def reparameterization_demo(model: VAE, x: torch.Tensor, seed: int = 0) -> Reparameterization:
    """One image x (C, H, W): its mu and sigma, a seeded eps, z = mu + sigma*eps and both decodings."""
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**63:
        raise ValueError(f"the eps seed must be a whole number from 0 to {2**63 - 1}, got {seed!r}")
    model.eval()
    device = model.device
    mu, logvar = model.encode(x[None].to(device))  # (1, latent) each
    eps = torch.randn(mu.shape, generator=torch.Generator().manual_seed(seed)).to(device)
    z = model.reparameterize(mu, logvar, eps)
    sigma = torch.exp(0.5 * logvar)
    return Reparameterization(mu[0].cpu(), sigma[0].cpu(), eps[0].cpu(), z[0].cpu(), x[0].cpu(),
                              model.decode(z)[0, 0].cpu(), model.decode(mu)[0, 0].cpu())


@torch.no_grad()
def interpolate(model: VAE, xa: torch.Tensor, xb: torch.Tensor, steps: int = 10) -> torch.Tensor:
    """Decode the straight line between the posterior means of images xa, xb (C, H, W): (steps, H, W)."""
    if isinstance(steps, bool) or not isinstance(steps, int) or not 2 <= steps <= 32:
        raise ValueError(f"the number of interpolation steps must be from 2 to 32, got {steps!r}")
    model.eval()
    device = model.device
    mu, _ = model.encode(torch.stack([xa, xb]).to(device))  # (2, latent)
    t = torch.linspace(0, 1, steps, device=device)[:, None]  # (steps, 1)
    z = (1 - t) * mu[0] + t * mu[1]                          # (steps, latent)
    return model.decode(z)[:, 0].cpu()
