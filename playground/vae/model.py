"""The VAE's configuration, networks and loss (Kingma & Welling, 2014), and a plain autoencoder beside it.

The encoder maps an image x to the parameters of q(z|x) = N(mu, diag(sigma^2)); the decoder maps a latent z
to Bernoulli pixel probabilities p(x|z). Training maximises the evidence lower bound

    ELBO(x) = E_q[log p(x|z)] - KL(q(z|x) || N(0, I))

i.e. minimises  recon + beta * KL  (beta = 1 is the plain VAE, beta != 1 the beta-VAE of Higgins et al.).
``kind="ae"`` gives the same network without sampling and without the KL term, which is why its codes land
anywhere, unevenly: nothing asks them to fill a Gaussian.

Randomness is always explicit: parameters are initialised from a ``torch.Generator`` and the epsilon of the
reparameterization comes from one, so a run never touches the process-wide RNG (the app trains several
sessions at once on threads of one process).
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, fields

import torch
import torch.nn.functional as F
from torch import nn

from playground.kit import knobs
from playground.data.images import IMAGE_SETS
from playground.kit.knobs import knob

ARCHS = ("mlp", "conv")
KINDS = ("vae", "ae")


@dataclass
class VaeConfig:
    """Everything that defines a run; the defaults are the UI's default preset and the CLI's defaults."""

    data: str = knob("mnist", choices=IMAGE_SETS, help="data set")
    latent: int = knob(2, 1, 32, integer=True, help="size of z; 2 makes the latent plane the map")
    arch: str = knob("mlp", choices=ARCHS, help="encoder and decoder: MLP or a small CNN")
    hidden: int = knob(256, 16, 1024, integer=True, help="width of the hidden layer(s)")
    kind: str = knob("vae", choices=KINDS, help="vae, or ae for a plain autoencoder (no sampling, no KL)")
    beta: float = knob(1.0, 0.0, 10.0, help="weight of the KL term; 1 = VAE, >1 = beta-VAE")
    epochs: int = knob(30, 1, 200, integer=True, help="passes over the training set")
    batch_size: int = knob(128, 8, 1024, integer=True, help="images per update")
    lr: float = knob(3e-3, 0.0, 0.1, open_low=True, help="Adam learning rate")
    holdout: int = knob(-1, -1, 9, integer=True, help="class left out of training (anomaly demo); -1 = none")
    test_fraction: float = knob(0.2, 0.05, 0.5, help="share of the data kept for testing")
    seed: int = knob(0, 0, 2**31 - 1, integer=True, help="seed of the split, the initial weights and the noise")
    device: str = "auto"

    def __post_init__(self) -> None:
        knobs.check(self)
        if self.device not in ("auto", "cpu") and not str(self.device).startswith("cuda"):
            raise ValueError(f"device must be 'auto', 'cpu' or 'cuda', got {self.device!r}")

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_dict(cls, d: dict) -> "VaeConfig":
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in known})

    def replace(self, **changes) -> "VaeConfig":
        return VaeConfig.from_dict({**asdict(self), **changes})


def image_shape(data: str) -> tuple[int, int, int]:
    """(C, H, W) of a data set's images, without loading it."""
    return (1, 8, 8) if data == "digits" else (1, 28, 28)


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

    @property
    def device(self) -> torch.device:
        return next(self.parameters()).device

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """x (B, C, H, W) in [0, 1] -> mu, logvar, each (B, latent). logvar is log sigma^2."""
        mu, logvar = self.encoder(x).chunk(2, dim=1)
        if not self.variational:
            return mu, torch.full_like(mu, -math.inf)  # a point code: sigma = 0
        return mu, logvar.clamp(min=-30.0, max=20.0)

    def reparameterize(self, mu: torch.Tensor, logvar: torch.Tensor, eps: torch.Tensor | None = None,
                       generator: torch.Generator | None = None) -> torch.Tensor:
        """z = mu + sigma * eps with eps ~ N(0, I): the noise is an input, so gradients reach mu and sigma.

        ``eps`` is given, or drawn from ``generator`` (on mu's device); never from the global RNG."""
        if not self.variational:
            return mu
        if eps is None:
            if generator is None:
                raise TypeError("reparameterize needs eps or a torch.Generator to draw it from")
            eps = torch.randn(mu.shape, generator=generator, device=mu.device, dtype=mu.dtype)
        return mu + torch.exp(0.5 * logvar) * eps

    def decode_logits(self, z: torch.Tensor) -> torch.Tensor:
        """z (B, latent) -> Bernoulli logits (B, C, H, W)."""
        return self.decoder(z)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """z (B, latent) -> pixel probabilities (B, C, H, W) in [0, 1]."""
        return torch.sigmoid(self.decoder(z))

    def forward(self, x: torch.Tensor, generator: torch.Generator | None = None
                ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        mu, logvar = self.encode(x)
        return self.decode_logits(self.reparameterize(mu, logvar, generator=generator)), mu, logvar


@torch.no_grad()
def init_parameters(model: nn.Module, generator: torch.Generator) -> nn.Module:
    """PyTorch's default initialisation of Linear / Conv layers (U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights
    and biases, i.e. kaiming_uniform with a = sqrt(5)), drawn from ``generator`` instead of the global RNG."""
    for m in model.modules():
        if isinstance(m, (nn.Linear, nn.Conv2d, nn.ConvTranspose2d)):
            fan_in, _ = nn.init._calculate_fan_in_and_fan_out(m.weight)
            bound = 1.0 / math.sqrt(fan_in)
            m.weight.uniform_(-bound, bound, generator=generator)
            if m.bias is not None:
                m.bias.uniform_(-bound, bound, generator=generator)
    return model


def build_model(cfg: VaeConfig, shape: tuple[int, int, int] | None = None,
                device: torch.device | str = "cpu") -> VAE:
    """A freshly initialised model, its weights drawn from ``torch.Generator().manual_seed(cfg.seed)``.

    The layers are built on the meta device first, so building draws nothing from the global RNG."""
    with torch.device("meta"):
        model = VAE(cfg, shape or image_shape(cfg.data))
    model.to_empty(device="cpu")
    init_parameters(model, torch.Generator().manual_seed(cfg.seed))
    return model.to(device)


def empty_model(cfg: VaeConfig, shape: tuple[int, int, int] | None = None) -> VAE:
    """A model without weights (meta tensors), to be filled by ``load_state_dict(..., assign=True)``."""
    with torch.device("meta"):
        return VAE(cfg, shape or image_shape(cfg.data))


# ---------------------------------------------------------------- loss
def kl_divergence(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """Closed-form KL(N(mu, sigma^2) || N(0, I)) per sample: -1/2 sum(1 + log sigma^2 - mu^2 - sigma^2), (B,)."""
    return -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp(), dim=1)


def reconstruction_loss(logits: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """-log p(x|z) for Bernoulli pixels: binary cross-entropy summed over pixels, per sample (B,)."""
    return F.binary_cross_entropy_with_logits(logits, x, reduction="none").flatten(1).sum(1)


def loss_terms(model: VAE, x: torch.Tensor, generator: torch.Generator | None = None
               ) -> tuple[torch.Tensor, torch.Tensor]:
    """One-sample estimate of the two ELBO terms, per sample: recon (B,), kl (B,) (zero for the AE).

    ``generator`` draws the epsilon of z = mu + sigma * eps (needed for a VAE)."""
    logits, mu, logvar = model(x, generator)
    recon = reconstruction_loss(logits, x)
    kl = kl_divergence(mu, logvar) if model.variational else torch.zeros_like(recon)
    return recon, kl
