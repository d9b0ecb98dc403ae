"""Variational autoencoder (Kingma & Welling, 2014) and a plain autoencoder beside it.

The encoder maps an image x to the parameters of q(z|x) = N(mu, diag(sigma^2)); the decoder maps a
latent z to Bernoulli pixel probabilities p(x|z). Training maximises the evidence lower bound

    ELBO(x) = E_q[log p(x|z)] - KL(q(z|x) || N(0, I))

i.e. minimises  recon + beta * KL  (beta = 1 is the plain VAE, beta != 1 the beta-VAE of Higgins et al.).
``kind="ae"`` gives the same network without sampling and without the KL term, which is why its latent
space is gappy: nothing asks the codes to fill a Gaussian.

Everything here returns tensors, numbers and frozen dataclasses; the tab, the CLI, the benchmark and the
tests all drive the same ``train`` generator.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Iterator

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from playground.datasets import IMAGE_SETS, ImageData, available_image_sets, load_images, train_test_split
from playground.runtime import pick_device, set_seed

ARCHS = ("mlp", "conv")
KINDS = ("vae", "ae")
SCORES = ("recon", "elbo")
ASSET = Path(__file__).resolve().parents[1] / "assets" / "vae_mnist_default.safetensors"


# ---------------------------------------------------------------- configuration
@dataclass
class VaeConfig:
    """Everything that defines a run; the defaults are the UI's default preset and the CLI's defaults."""

    data: str = "mnist"          # mnist | digits | fashion
    latent: int = 2              # size of z; 2 makes the latent plane the map
    arch: str = "mlp"            # mlp | conv
    hidden: int = 256            # width of the hidden layer(s)
    kind: str = "vae"            # vae | ae (plain autoencoder, no KL)
    beta: float = 1.0            # weight of the KL term (beta-VAE)
    epochs: int = 30
    batch_size: int = 128
    lr: float = 3e-3
    holdout: int = -1            # class left out of training (anomaly demo); -1 trains on every class
    test_fraction: float = 0.2
    seed: int = 0
    device: str = "auto"

    def __post_init__(self) -> None:
        if self.data not in IMAGE_SETS:
            raise ValueError(f"data must be one of {', '.join(IMAGE_SETS)}, got {self.data!r}")
        if self.arch not in ARCHS:
            raise ValueError(f"arch must be one of {', '.join(ARCHS)}, got {self.arch!r}")
        if self.kind not in KINDS:
            raise ValueError(f"kind must be 'vae' or 'ae', got {self.kind!r}")
        _check_int("latent", self.latent, 1, 64)
        _check_int("hidden", self.hidden, 8, 2048)
        _check_int("epochs", self.epochs, 1, 500)
        _check_int("batch_size", self.batch_size, 1, 4096)
        _check_int("holdout", self.holdout, -1, 9)
        _check_int("seed", self.seed, 0, 2**32 - 1)
        if not (isinstance(self.beta, (int, float)) and math.isfinite(self.beta) and 0.0 <= self.beta <= 100.0):
            raise ValueError(f"beta must be a number between 0 and 100, got {self.beta!r}")
        if not (isinstance(self.lr, (int, float)) and math.isfinite(self.lr) and 0.0 < self.lr <= 1.0):
            raise ValueError(f"lr (learning rate) must be in (0, 1], got {self.lr!r}")
        if not (isinstance(self.test_fraction, float) and 0.05 <= self.test_fraction <= 0.5):
            raise ValueError(f"test_fraction must be between 0.05 and 0.5, got {self.test_fraction!r}")
        if self.device != "auto" and self.device != "cpu" and not self.device.startswith("cuda"):
            raise ValueError(f"device must be 'auto', 'cpu' or 'cuda', got {self.device!r}")

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_dict(cls, d: dict) -> "VaeConfig":
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in known})


def _check_int(name: str, value, lo: int, hi: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise ValueError(f"{name} must be a whole number from {lo} to {hi}, got {value!r}")


# ---------------------------------------------------------------- networks
class MlpEncoder(nn.Module):
    def __init__(self, shape: tuple[int, int, int], hidden: int, latent: int) -> None:
        super().__init__()
        d = shape[0] * shape[1] * shape[2]
        self.body = nn.Sequential(nn.Flatten(), nn.Linear(d, hidden), nn.ReLU(),
                                  nn.Linear(hidden, hidden // 2), nn.ReLU())
        self.head = nn.Linear(hidden // 2, 2 * latent)  # mu and log sigma^2, side by side

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # (B, C, H, W) -> (B, 2*latent)
        return self.head(self.body(x))


class MlpDecoder(nn.Module):
    def __init__(self, shape: tuple[int, int, int], hidden: int, latent: int) -> None:
        super().__init__()
        self.shape = shape
        d = shape[0] * shape[1] * shape[2]
        self.body = nn.Sequential(nn.Linear(latent, hidden // 2), nn.ReLU(), nn.Linear(hidden // 2, hidden),
                                  nn.ReLU(), nn.Linear(hidden, d))

    def forward(self, z: torch.Tensor) -> torch.Tensor:  # (B, latent) -> logits (B, C, H, W)
        return self.body(z).view(-1, *self.shape)


class ConvEncoder(nn.Module):
    """Two stride-2 convolutions (H -> H/4), then a linear layer to the Gaussian's parameters."""

    def __init__(self, shape: tuple[int, int, int], hidden: int, latent: int) -> None:
        super().__init__()
        c, h, w = shape
        self.body = nn.Sequential(
            nn.Conv2d(c, 16, 4, 2, 1), nn.ReLU(),   # (B, 16, H/2, W/2)
            nn.Conv2d(16, 32, 4, 2, 1), nn.ReLU(),  # (B, 32, H/4, W/4)
            nn.Flatten(), nn.Linear(32 * (h // 4) * (w // 4), hidden), nn.ReLU())
        self.head = nn.Linear(hidden, 2 * latent)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.body(x))


class ConvDecoder(nn.Module):
    def __init__(self, shape: tuple[int, int, int], hidden: int, latent: int) -> None:
        super().__init__()
        c, h, w = shape
        self.grid = (32, h // 4, w // 4)
        self.fc = nn.Sequential(nn.Linear(latent, hidden), nn.ReLU(), nn.Linear(hidden, 32 * (h // 4) * (w // 4)),
                                nn.ReLU())
        self.body = nn.Sequential(nn.ConvTranspose2d(32, 16, 4, 2, 1), nn.ReLU(),  # (B, 16, H/2, W/2)
                                  nn.ConvTranspose2d(16, c, 4, 2, 1))             # (B, C, H, W) logits

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.body(self.fc(z).view(-1, *self.grid))  # (B, 32, H/4, W/4) -> (B, C, H, W)


class VAE(nn.Module):
    """encode -> (mu, logvar); reparameterize -> z; decode -> pixel probabilities.

    With ``kind="ae"`` the same network is a plain autoencoder: z = mu, no noise, no KL."""

    def __init__(self, cfg: VaeConfig, shape: tuple[int, int, int]) -> None:
        super().__init__()
        if cfg.arch == "conv" and (shape[1] % 4 or shape[2] % 4):
            raise ValueError(f"the conv encoder needs image sides divisible by 4, got {shape[1]}x{shape[2]}")
        self.latent, self.kind, self.shape = cfg.latent, cfg.kind, tuple(shape)
        enc, dec = (MlpEncoder, MlpDecoder) if cfg.arch == "mlp" else (ConvEncoder, ConvDecoder)
        self.encoder = enc(self.shape, cfg.hidden, cfg.latent)
        self.decoder = dec(self.shape, cfg.hidden, cfg.latent)

    @property
    def variational(self) -> bool:
        return self.kind == "vae"

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """x (B, C, H, W) in [0, 1] -> mu, logvar, each (B, latent). logvar is log sigma^2."""
        mu, logvar = self.encoder(x).chunk(2, dim=1)
        if not self.variational:
            logvar = torch.full_like(mu, -math.inf)  # a point code: sigma = 0
        return mu, logvar.clamp(min=-30.0, max=20.0) if self.variational else logvar

    def reparameterize(self, mu: torch.Tensor, logvar: torch.Tensor,
                       eps: torch.Tensor | None = None) -> torch.Tensor:
        """z = mu + sigma * eps with eps ~ N(0, I): the noise is an input, so gradients reach mu and sigma."""
        if not self.variational:
            return mu
        if eps is None:
            eps = torch.randn_like(mu)
        return mu + torch.exp(0.5 * logvar) * eps

    def decode_logits(self, z: torch.Tensor) -> torch.Tensor:
        """z (B, latent) -> Bernoulli logits (B, C, H, W)."""
        return self.decoder(z)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """z (B, latent) -> pixel probabilities (B, C, H, W) in [0, 1]."""
        return torch.sigmoid(self.decoder(z))

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        mu, logvar = self.encode(x)
        return self.decode_logits(self.reparameterize(mu, logvar)), mu, logvar


def build_model(cfg: VaeConfig, shape: tuple[int, int, int]) -> VAE:
    return VAE(cfg, shape)


# ---------------------------------------------------------------- loss
def kl_divergence(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """Closed-form KL(N(mu, sigma^2) || N(0, I)) per sample: -1/2 sum(1 + log sigma^2 - mu^2 - sigma^2), (B,)."""
    return -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp(), dim=1)


def reconstruction_loss(logits: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """-log p(x|z) for Bernoulli pixels: binary cross-entropy summed over pixels, per sample (B,)."""
    return F.binary_cross_entropy_with_logits(logits, x, reduction="none").flatten(1).sum(1)


def loss_terms(model: VAE, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """One-sample estimate of the two ELBO terms, per sample: recon (B,), kl (B,) (zero for the AE)."""
    logits, mu, logvar = model(x)
    recon = reconstruction_loss(logits, x)
    kl = kl_divergence(mu, logvar) if model.variational else torch.zeros_like(recon)
    return recon, kl


# ---------------------------------------------------------------- data
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


# ---------------------------------------------------------------- training
@dataclass(frozen=True)
class Snapshot:
    """One report from ``train``: per-sample averages in nats (ELBO = -(recon + kl)); the last batch's on
    in-epoch reports, the whole epoch's on epoch-end reports."""

    epoch: int
    step: int
    recon: float
    kl: float
    elbo: float
    loss: float                      # recon + beta * kl, what the optimiser minimises
    elapsed: float                   # seconds since the start
    test_recon: float | None = None  # filled at the end of each epoch
    test_kl: float | None = None
    test_elbo: float | None = None
    samples: torch.Tensor | None = None  # (S, C, H, W) decoded fixed_noise at the end of each epoch (CPU)
    done: bool = False


@torch.no_grad()
def evaluate(model: VAE, data: ImageData, batch_size: int = 1000) -> dict[str, float]:
    """Test-set averages: recon, kl, elbo (nats per image); one sample of z per image."""
    model.eval()
    device = next(model.parameters()).device
    total_r = total_k = 0.0
    for i in range(0, len(data), batch_size):
        r, k = loss_terms(model, data.x[i:i + batch_size].to(device))
        total_r += r.sum().item()
        total_k += k.sum().item()
    n = max(1, len(data))
    return {"recon": total_r / n, "kl": total_k / n, "elbo": -(total_r + total_k) / n}


def train(model: VAE, cfg: VaeConfig, split: Split, report_every: int = 10, n_samples: int = 16,
          evaluate_each_epoch: bool = True) -> Iterator[Snapshot]:
    """Adam on recon + beta*KL; yields a Snapshot every ``report_every`` steps and at the end of each epoch.

    The model is trained in place (the caller owns it). Seeds from ``cfg.seed``; ``.item()`` is called only
    on reporting steps. Stop early by closing the generator (the UI's Stop button does that)."""
    set_seed(cfg.seed)
    device = next(model.parameters()).device
    opt = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    fixed_noise = torch.randn(n_samples, cfg.latent, generator=torch.Generator().manual_seed(cfg.seed)).to(device)
    x_all = split.train.x.to(device)
    n = len(x_all)
    if n == 0:
        raise ValueError("the training set is empty")
    g = torch.Generator().manual_seed(cfg.seed)
    start, step = time.perf_counter(), 0
    for epoch in range(1, cfg.epochs + 1):
        model.train()
        perm = torch.randperm(n, generator=g).to(device)
        sum_r = torch.zeros((), device=device)  # epoch sums stay on the device: no sync per step
        sum_k = torch.zeros((), device=device)
        for i in range(0, n, cfg.batch_size):
            x = x_all[perm[i:i + cfg.batch_size]]
            recon, kl = loss_terms(model, x)
            loss = (recon + cfg.beta * kl).mean()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sum_r += recon.detach().sum()
            sum_k += kl.detach().sum()
            step += 1
            last_batch = i + cfg.batch_size >= n
            if step % report_every == 0 and not last_batch:
                r, k = recon.mean().item(), kl.mean().item()
                yield Snapshot(epoch, step, r, k, -(r + k), r + cfg.beta * k, time.perf_counter() - start)
        r, k = sum_r.item() / n, sum_k.item() / n  # epoch averages
        test = evaluate(model, split.test) if evaluate_each_epoch or epoch == cfg.epochs else {}
        with torch.no_grad():
            samples = model.decode(fixed_noise).cpu()
        yield Snapshot(epoch, step, r, k, -(r + k), r + cfg.beta * k, time.perf_counter() - start,
                       test.get("recon"), test.get("kl"), test.get("elbo"), samples, done=epoch == cfg.epochs)


def fit(cfg: VaeConfig, split: Split | None = None) -> tuple[VAE, Split, list[Snapshot]]:
    """Train to the end without a UI: (model, split, epoch-end snapshots)."""
    split = split or load_split(cfg)
    set_seed(cfg.seed)
    model = build_model(cfg, split.train.shape).to(pick_device(cfg.device))
    history = [s for s in train(model, cfg, split) if s.test_elbo is not None]
    return model, split, history


# ---------------------------------------------------------------- latent-space tools
@torch.no_grad()
def posterior(model: VAE, x: torch.Tensor, batch_size: int = 1000) -> tuple[torch.Tensor, torch.Tensor]:
    """Encoder means and standard deviations of images x (N, C, H, W): mu (N, latent), sigma (N, latent), CPU."""
    model.eval()
    device = next(model.parameters()).device
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


def grid_latents(n: int, lo: float, hi: float, latent: int, dims: tuple[int, int] = (0, 1),
                 plane: tuple[torch.Tensor, torch.Tensor] | None = None) -> torch.Tensor:
    """The N x N grid of latent points, row-major with the first axis going right and the second up.

    Two chosen latent dimensions (others 0, the prior mean) or, with ``plane=(center, basis)``, coordinates
    in that plane. Returns z (n*n, latent); cell (row r, column c) is z[r*n + c]."""
    if not isinstance(n, int) or not 2 <= n <= 40:
        raise ValueError(f"grid size must be a whole number from 2 to 40, got {n!r}")
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        raise ValueError(f"the grid range needs low < high, got {lo} .. {hi}")
    if plane is None and (len(dims) != 2 or dims[0] == dims[1] or not all(0 <= d < latent for d in dims)):
        raise ValueError(f"choose two different latent dimensions between 0 and {latent - 1}, got {tuple(dims)}")
    a = torch.linspace(lo, hi, n)                 # horizontal axis, left to right
    b = torch.linspace(hi, lo, n)                 # vertical axis, top row = high values
    bb, aa = torch.meshgrid(b, a, indexing="ij")  # (n, n) each
    coords = torch.stack([aa.reshape(-1), bb.reshape(-1)], 1)  # (n*n, 2)
    if plane is not None:
        center, basis = plane
        return center + coords @ basis  # (n*n, latent)
    z = torch.zeros(n * n, latent)
    z[:, dims[0]], z[:, dims[1]] = coords[:, 0], coords[:, 1]
    return z


@torch.no_grad()
def decode_grid(model: VAE, z: torch.Tensor) -> torch.Tensor:
    """Decode latent points z (M, latent) to grey images (M, H, W) in [0, 1] (first channel), CPU."""
    model.eval()
    device = next(model.parameters()).device
    return model.decode(z.to(device))[:, 0].cpu()


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
    model.eval()
    device = next(model.parameters()).device
    mu, logvar = model.encode(x[None].to(device))  # (1, latent) each
    eps = torch.randn(mu.shape, generator=torch.Generator().manual_seed(seed)).to(device)
    z = model.reparameterize(mu, logvar, eps)
    sigma = torch.exp(0.5 * logvar)
    return Reparameterization(mu[0].cpu(), sigma[0].cpu(), eps[0].cpu(), z[0].cpu(), x[0].cpu(),
                              model.decode(z)[0, 0].cpu(), model.decode(mu)[0, 0].cpu())


@torch.no_grad()
def interpolate(model: VAE, xa: torch.Tensor, xb: torch.Tensor, steps: int = 10) -> torch.Tensor:
    """Decode the straight line between the posterior means of images xa, xb (C, H, W): (steps, H, W)."""
    if not isinstance(steps, int) or not 2 <= steps <= 32:
        raise ValueError(f"the number of interpolation steps must be from 2 to 32, got {steps!r}")
    model.eval()
    device = next(model.parameters()).device
    mu, _ = model.encode(torch.stack([xa, xb]).to(device))  # (2, latent)
    t = torch.linspace(0, 1, steps, device=device)[:, None]  # (steps, 1)
    z = (1 - t) * mu[0] + t * mu[1]                          # (steps, latent)
    return model.decode(z)[:, 0].cpu()


def knn_accuracy(train_z: torch.Tensor, train_y: torch.Tensor, test_z: torch.Tensor, test_y: torch.Tensor,
                 k: int = 5) -> float:
    """Accuracy of a k-nearest-neighbour vote in latent space: how far apart the classes lie."""
    d = torch.cdist(test_z, train_z)                 # (N_test, N_train)
    idx = d.topk(k, largest=False).indices           # (N_test, k)
    votes = train_y[idx]                             # (N_test, k)
    pred = torch.mode(votes, dim=1).values
    return (pred == test_y).float().mean().item()


# ---------------------------------------------------------------- anomaly detection
@torch.no_grad()
def anomaly_scores(model: VAE, x: torch.Tensor, score: str = "recon", batch_size: int = 1000) -> np.ndarray:
    """Per-image anomaly score (N,): reconstruction error -log p(x|mu) or the negative ELBO (recon + KL).

    Deterministic: the decoder sees the posterior mean, so the same image always gets the same score."""
    if score not in SCORES:
        raise ValueError(f"score must be 'recon' or 'elbo', got {score!r}")
    model.eval()
    device = next(model.parameters()).device
    out = []
    for i in range(0, len(x), batch_size):
        xb = x[i:i + batch_size].to(device)
        mu, logvar = model.encode(xb)
        s = reconstruction_loss(model.decode_logits(mu), xb)
        if score == "elbo" and model.variational:
            s = s + kl_divergence(mu, logvar)
        out.append(s.cpu())
    return torch.cat(out).numpy().astype(np.float64)


def roc_curve(normal: np.ndarray, anomalous: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """ROC of "score above threshold = anomaly": (fpr, tpr, thresholds), thresholds decreasing, from (0,0) to (1,1)."""
    scores = np.concatenate([normal, anomalous])
    labels = np.concatenate([np.zeros(len(normal)), np.ones(len(anomalous))])
    order = np.argsort(-scores, kind="mergesort")
    scores, labels = scores[order], labels[order]
    distinct = np.r_[np.nonzero(np.diff(scores))[0], len(scores) - 1]  # last index of each tied score
    tps = np.cumsum(labels)[distinct]
    fps = (distinct + 1) - tps
    tpr = np.r_[0.0, tps / max(1, len(anomalous))]
    fpr = np.r_[0.0, fps / max(1, len(normal))]
    return fpr, tpr, np.r_[np.inf, scores[distinct]]


def auc(fpr: np.ndarray, tpr: np.ndarray) -> float:
    """Area under a ROC curve by the trapezoid rule."""
    return float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2))


@dataclass(frozen=True)
class AnomalyResult:
    normal: np.ndarray      # (N,) scores of normal test images
    anomalous: np.ndarray   # (M,) scores of anomalous images
    fpr: np.ndarray
    tpr: np.ndarray
    thresholds: np.ndarray
    auc: float
    score: str
    description: str        # e.g. "digit 0 held out" or "fashion vs mnist"

    def rates_at(self, threshold: float) -> tuple[float, float]:
        """(false-positive rate, true-positive rate) when everything scoring above ``threshold`` is flagged."""
        return float(np.mean(self.normal > threshold)), float(np.mean(self.anomalous > threshold))


def other_set_name(data: str) -> str:
    """Which data set plays the anomaly for a model trained on ``data``: Fashion-MNIST for digits, MNIST for Fashion."""
    return "mnist" if data == "fashion" else "fashion"


def anomaly_inputs(cfg: VaeConfig, split: Split, n_other: int = 1000) -> tuple[torch.Tensor, torch.Tensor, str]:
    """(normal images, anomalous images, description) for a model trained with ``cfg``.

    With a held-out class: normal = test images of the other classes, anomalous = test images of that class.
    Without one: normal = the test set, anomalous = ``n_other`` images of the other data set (resized)."""
    if cfg.holdout >= 0:
        normal = split.test.x[split.test.y != cfg.holdout]
        anomalous = split.test.x[split.test.y == cfg.holdout]
        return normal, anomalous, f"{cfg.data}: class {split.test.classes[cfg.holdout]} held out"
    other = other_set_name(cfg.data)
    if other not in available_image_sets():
        raise ValueError("Fashion-MNIST is not installed: choose a held-out class for anomaly detection")
    odata = load_images(other)
    idx = torch.randperm(len(odata), generator=torch.Generator().manual_seed(cfg.seed))[:n_other]
    anomalous = odata.x[idx]
    if anomalous.shape[-2:] != split.test.x.shape[-2:]:  # e.g. 28x28 Fashion against 8x8 digits
        anomalous = F.adaptive_avg_pool2d(anomalous, split.test.x.shape[-2:]) if anomalous.shape[-1] > \
            split.test.x.shape[-1] else F.interpolate(anomalous, size=split.test.x.shape[-2:], mode="bilinear")
    return split.test.x, anomalous, f"{cfg.data} vs {other}"


def anomaly_detection(model: VAE, cfg: VaeConfig, split: Split, score: str = "recon") -> AnomalyResult:
    normal, anomalous, desc = anomaly_inputs(cfg, split)
    if len(anomalous) == 0 or len(normal) == 0:
        raise ValueError("the anomaly test needs both normal and anomalous images")
    s_n, s_a = anomaly_scores(model, normal, score), anomaly_scores(model, anomalous, score)
    fpr, tpr, thr = roc_curve(s_n, s_a)
    return AnomalyResult(s_n, s_a, fpr, tpr, thr, auc(fpr, tpr), score, desc)


# ---------------------------------------------------------------- checkpoints
def save_checkpoint(path: str | Path, models: dict[str, VAE], cfg: VaeConfig, extra: dict | None = None,
                    half: bool = True) -> Path:
    """Save named models (e.g. {"vae": ..., "ae": ...}) in one safetensors file, the config in its metadata
    and in a ``.json`` next to it. ``half`` stores float16 (half the size; loads back as float32)."""
    from safetensors.torch import save_file

    path = Path(path)
    tensors = {}
    for name, model in models.items():
        for k, v in model.state_dict().items():
            v = v.detach().cpu().contiguous()
            tensors[f"{name}.{k}"] = v.half() if half and v.is_floating_point() else v
    meta = {"config": cfg.to_json(), "models": json.dumps(sorted(models)),
            "shape": json.dumps(list(next(iter(models.values())).shape)), "extra": json.dumps(extra or {})}
    path.parent.mkdir(parents=True, exist_ok=True)
    save_file(tensors, str(path), metadata=meta)
    path.with_suffix(".json").write_text(json.dumps({"config": json.loads(meta["config"]), **(extra or {})},
                                                    indent=1) + "\n")
    return path


def load_checkpoint(path: str | Path = ASSET, device: str = "cpu") -> tuple[VaeConfig, dict[str, VAE], dict]:
    """(config, {name: model in eval mode}, extra) from ``save_checkpoint``'s file."""
    from safetensors import safe_open

    path = Path(path)
    if not path.exists():
        raise ValueError(f"no checkpoint at {path}")
    with safe_open(str(path), framework="pt") as f:
        meta = f.metadata()
        tensors = {k: f.get_tensor(k) for k in f.keys()}
    cfg = VaeConfig.from_dict(json.loads(meta["config"]))
    shape = tuple(json.loads(meta["shape"]))
    models = {}
    for name in json.loads(meta["models"]):
        model = VAE(VaeConfig.from_dict({**asdict(cfg), "kind": name if name in KINDS else cfg.kind}), shape)
        state = {k[len(name) + 1:]: v.float() for k, v in tensors.items() if k.startswith(name + ".")}
        model.load_state_dict(state)
        models[name] = model.to(device).eval()
    return cfg, models, json.loads(meta.get("extra", "{}"))


# ---------------------------------------------------------------- command line
def add_arguments(p) -> None:
    d = VaeConfig()
    p.add_argument("--data", default=d.data, help="mnist | digits | fashion (default %(default)s)")
    p.add_argument("--latent", type=int, default=d.latent, help="size of z (default %(default)s)")
    p.add_argument("--arch", default=d.arch, help="mlp | conv (default %(default)s)")
    p.add_argument("--hidden", type=int, default=d.hidden)
    p.add_argument("--epochs", type=int, default=d.epochs)
    p.add_argument("--beta", type=float, default=d.beta, help="KL weight; 1 = plain VAE (default %(default)s)")
    p.add_argument("--batch-size", type=int, default=d.batch_size)
    p.add_argument("--lr", type=float, default=d.lr)
    p.add_argument("--holdout", type=int, default=d.holdout,
                   help="class left out of training; anomalies are then that class (default: none, anomalies "
                        "come from the other data set, Fashion-MNIST vs digits)")
    p.add_argument("--score", default="recon", help="anomaly score: recon | elbo")
    p.add_argument("--ae", action="store_true", help="also train the plain autoencoder (saved beside the VAE)")
    p.add_argument("--seed", type=int, default=d.seed)
    p.add_argument("--device", default=d.device)
    p.add_argument("--save", default=None, help="write the model(s) to this .safetensors file")


def run_cli(args) -> dict:
    cfg = VaeConfig(data=args.data, latent=args.latent, arch=args.arch, hidden=args.hidden, epochs=args.epochs,
                    beta=args.beta, batch_size=args.batch_size, lr=args.lr, holdout=args.holdout, seed=args.seed,
                    device=args.device)
    start = time.perf_counter()
    model, split, history = fit(cfg)
    train_seconds = time.perf_counter() - start
    test = evaluate(model, split.test)
    mu, _ = posterior(model, split.test.x)
    mu_tr, _ = posterior(model, split.train.x)
    report = {"data": cfg.data, "latent": cfg.latent, "arch": cfg.arch, "beta": cfg.beta, "epochs": cfg.epochs,
              "seed": cfg.seed, "test_recon": round(test["recon"], 3), "test_kl": round(test["kl"], 3),
              "test_elbo": round(test["elbo"], 3),
              "latent_knn_accuracy": round(knn_accuracy(mu_tr, split.train.y, mu, split.test.y), 4),
              "train_seconds": round(train_seconds, 2)}
    try:
        anomaly = anomaly_detection(model, cfg, split, args.score)
        report.update(anomaly_auc=round(anomaly.auc, 4), anomaly_setup=anomaly.description, anomaly_score=args.score)
    except ValueError as e:
        report.update(anomaly_auc=None, anomaly_setup=str(e))
    models = {"vae": model}
    if args.ae:
        ae_cfg = VaeConfig.from_dict({**asdict(cfg), "kind": "ae"})
        ae, _, _ = fit(ae_cfg, split)
        models["ae"] = ae
        report["ae_test_recon"] = round(evaluate(ae, split.test)["recon"], 3)
    if args.save:
        history_rows = [{"epoch": s.epoch, "recon": round(s.recon, 3), "kl": round(s.kl, 3),
                         "test_recon": round(s.test_recon, 3), "test_kl": round(s.test_kl, 3),
                         "test_elbo": round(s.test_elbo, 3)} for s in history]
        path = save_checkpoint(args.save, models, cfg, {"report": report, "history": history_rows})
        report["saved"] = str(path)
    return report
