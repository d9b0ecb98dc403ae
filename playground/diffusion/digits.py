"""Class-conditional diffusion on MNIST digits with classifier-free guidance, small enough for a CPU.

A ``DigitUNet`` (``unet``) learns to undo the Gaussian noising x_t = a(t) x0 + s(t) eps (``schedules``), told
which digit it is looking at, except for a share ``p_uncond`` of the training images whose label is replaced by
"no class" (``NULL_LABEL``). One network is then both p(x | y) and p(x), and sampling can push away from the
unconditional model (Ho & Salimans, 2022, "Classifier-free diffusion guidance"):

    pred = uncond + w * (cond - uncond)

w = 0 is the unconditional model, w = 1 the plain conditional one, w > 1 exaggerates what makes a digit that
digit: samples agree with their label more often and vary less. (Ho & Salimans write the same thing as
(1 + w') cond - w' uncond, so their w' is this w - 1; the slider here uses w.)

- ``DigitsConfig`` (limits declared once) and ``PRESETS``; the live training run is ``digits_training``
  (``DigitsTrainer.step(n)`` streams snapshots with an 8x8 grid from fixed noise that improves live);
- ``DigitsModel``: a trained net and its config: ``grid``, ``strip`` (one sample's x_T ... x_0), ``agreement``
  (the shared digit classifier); ``load_shipped()`` loads the model in ``assets/`` once per process;
- ``run_cli``: ``python -m playground diffusion --data mnist --json`` (a guidance sweep; optionally trains first).

Images live in [-1, 1] inside (the data are scaled from [0, 1]); everything that leaves this module is (N, 28, 28)
numpy in [0, 1].
"""

from __future__ import annotations

import dataclasses
import json
import math
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from playground.data.images import load_images
from playground.diffusion import samplers, schedules
from playground.diffusion.unet import N_CLASSES, NULL_LABEL, DigitUNet
from playground.kit import knobs
from playground.kit.knobs import knob
from playground.kit.pretrained import loaded_once
from playground.kit.runtime import Stopwatch, fixed_threads, pick_device

# Intra-op threads of a run and of sampling: one, as the GAN Lab's. The net is sized so that one thread meets the
# budgets (see ``unet``), which leaves the second core to another session; on the shared 2-core machine (load 4-5)
# two threads were slower than one (a training step 163 ms against 97 ms: each waits for the other). Fixing the
# count keeps a seed's figures the same on any machine (see ``fixed_threads``).
THREADS = 1
DATA = "mnist"
SHAPE = (1, 28, 28)
GRID = 64  # an 8x8 grid
GRID_LABELS = torch.arange(GRID) % N_CLASSES  # reading order 0 1 2 ... 9 0 1 ...: every digit 6 or 7 times
LIVE_SAMPLER, LIVE_STEPS = "ddim", 20  # the grid drawn while training: fewer steps than the explorer's 50
GUIDANCE_MAX = 8.0
GUIDANCE_SWEEP = (0.0, 1.0, 3.0, 5.0, 8.0)  # the CLI's rows
TARGET_AGREEMENT = 0.8  # the "time to 80% class agreement"
CLIP_X0 = 1.0  # DDPM clamps x0_hat to the data's range [-1, 1] (Ho et al., 2020), see ``samplers.sample``
HISTORY_FIELDS = ("step", "loss", "elapsed")
ASSET = Path(__file__).resolve().parents[2] / "assets" / "diffusion_mnist_default.safetensors"
FORMAT = "playground.diffusion digits"


# ---------------------------------------------------------------- configuration
@dataclass
class DigitsConfig:
    """Everything that defines a run. Bad values raise ``ValueError`` naming the field and what is allowed."""

    objective: str = knob("flow", choices=schedules.OBJECTIVES, help="ddpm: predict the noise; flow: predict "
                          "the velocity of the straight path (flow matching)")
    schedule: str = knob("linear", choices=schedules.SCHEDULES, help="DDPM noise schedule (flow ignores it)")
    width: int = knob(12, 4, 64, integer=True, help="channels of the U-Net's first stage (the second has twice)")
    steps: int = knob(1000, 1, 1_000_000, integer=True, help="training steps")
    batch_size: int = knob(128, 8, 512, integer=True, help="images per training step")
    lr: float = knob(2e-3, 0.0, 1.0, open_low=True, help="Adam learning rate")
    p_uncond: float = knob(0.15, 0.0, 0.5, open_low=True, help="share of labels replaced by 'no class' in "
                           "training (label dropout), which teaches the unconditional model guidance needs")
    ema: float = knob(0.995, 0.0, 0.9999, help="decay of the averaged net that samples (0: the net itself)")
    guidance: float = knob(3.0, 0.0, GUIDANCE_MAX, help="guidance scale w of the live grid (0: unconditional, "
                           "1: conditional)")
    seed: int = knob(0, 0, 2**31 - 1, integer=True, help="seed of weights, noise and batches")
    device: str = "auto"

    def __post_init__(self) -> None:
        knobs.check(self)
        pick_device(self.device)  # raises when cuda is asked for and missing

    @property
    def path(self) -> schedules.Path:
        return schedules.path(self.objective, self.schedule)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


PRESETS: dict[str, dict] = {
    # Flow matching. The live grid (64 samples, 20 DDIM steps, w = 3) passed 80% agreement at step 700, 500 and 600
    # on seeds 0, 1, 2 (looked at every 50 steps), after 50, 30 and 53 s of training on the loaded 2-core machine
    # (one thread; 39, 28 and 34 s of its CPU time): inside the 120 s. 1,000 steps (not 1,500) keep the
    # whole default run within a minute of CPU (issue #25): over seeds 0-4 the 80% mark came at steps 500-800 and
    # the run ended at 92-97% agreement (w = 3, 50 DDIM steps), after 45-54 s of training on one thread.
    "default": dict(objective="flow", width=12, steps=1000, batch_size=128, lr=2e-3, p_uncond=0.15, ema=0.995),
    # DDPM learns these digits far more slowly (not tuned): seed 0, linear schedule, agreement at w = 3 (192 samples,
    # 20 DDIM steps) 0.12 at step 500, 0.32 at 1,000, 0.43 at 1,500, where flow matching had 0.55, 0.93 and more.
    "ddpm": dict(objective="ddpm", schedule="linear", width=12, steps=3000, batch_size=128, lr=2e-3,
                 p_uncond=0.15, ema=0.995),
    "ddpm_cosine": dict(objective="ddpm", schedule="cosine", width=12, steps=3000, batch_size=128, lr=2e-3,
                        p_uncond=0.15, ema=0.995),
    # The model in assets/ (benchmarks/train_diffusion_digits.py): the default trained longer, with a slower average
    "shipped": dict(objective="flow", width=12, steps=6000, batch_size=128, lr=2e-3, p_uncond=0.15, ema=0.999),
}
DEFAULT_PRESET = "default"


def preset_config(name: str = DEFAULT_PRESET, **overrides) -> DigitsConfig:
    """A ``DigitsConfig`` from a preset, with some fields changed."""
    if name not in PRESETS:
        raise ValueError(f"unknown preset {name!r}; choose one of {', '.join(PRESETS)}")
    return DigitsConfig(**{**PRESETS[name], **overrides})


# ---------------------------------------------------------------- data and noise
@loaded_once(maxsize=1)
def training_data() -> tuple[torch.Tensor, torch.Tensor]:
    """The 5,000 MNIST digits scaled to [-1, 1], (5000, 1, 28, 28), and their labels (5000,); shared read-only."""
    images = load_images(DATA)
    return images.x * 2 - 1, images.y


def grid_noise(seed: int, n: int = GRID) -> torch.Tensor:
    """x_T of a grid: (n, 1, 28, 28) from ``seed`` alone, on the CPU, so a seed is the same noise on any device and
    a slider that changes guidance or steps redraws the same digits."""
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**31:
        raise ValueError(f"seed must be a whole number from 0 to {2**31 - 1}; got {seed!r}")
    return torch.randn(n, *SHAPE, generator=torch.Generator().manual_seed(seed))


def check_labels(labels) -> torch.Tensor:
    """Requested classes as an int64 tensor (N,) of values 0..9, or a ValueError."""
    y = torch.as_tensor(labels if labels is not None else GRID_LABELS).long().reshape(-1)
    if len(y) == 0 or int(y.min()) < 0 or int(y.max()) >= N_CLASSES:
        raise ValueError(f"labels must be digits 0 to {N_CLASSES - 1}; got {labels!r}")
    return y


def check_guidance(guidance) -> float:
    """The guidance scale w as a float in [0, GUIDANCE_MAX], or a ValueError."""
    try:
        w = float(guidance)
    except (TypeError, ValueError):
        w = math.nan
    if isinstance(guidance, bool) or not 0.0 <= w <= GUIDANCE_MAX:  # NaN fails the comparison too
        raise ValueError(f"guidance must be a number from 0 to {GUIDANCE_MAX:g}; got {guidance!r}")
    return w


def to_images(x: torch.Tensor) -> np.ndarray:
    """(N, 1, 28, 28) in [-1, 1] -> numpy (N, 28, 28) in [0, 1]."""
    return ((x[:, 0].float().cpu() + 1) / 2).clamp(0, 1).numpy()


def nfe_of(guidance: float, steps: int) -> int:
    """Network evaluations per sample: one a step, two where guidance needs both the conditional and the
    unconditional prediction (w not 0 or 1; they run as one batched forward, but cost two)."""
    return steps * (1 if guidance in (0.0, 1.0) else 2)


# ---------------------------------------------------------------- guidance
def guided(net: DigitUNet, labels: torch.Tensor, guidance: float):
    """``predict(x_t, t)`` for ``samplers.sample``: classifier-free guidance with scale w = ``guidance``,

        pred = uncond + w * (cond - uncond)        (Ho & Salimans, 2022; here w = 1 is the conditional model)

    w = 0 calls the net on ``NULL_LABEL`` alone (exactly the unconditional model), w = 1 on the labels alone;
    any other w runs both halves as one batched forward of 2N images."""
    null = torch.full_like(labels, NULL_LABEL)

    def predict(x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        if guidance == 0.0:
            return net(x, t, null)
        if guidance == 1.0:
            return net(x, t, labels)
        both = net(torch.cat([x, x]), torch.cat([t, t]), torch.cat([labels, null]))  # (2N, 1, 28, 28)
        cond, uncond = both.chunk(2)  # (N, 1, 28, 28) each
        return uncond + guidance * (cond - uncond)

    return predict


# ---------------------------------------------------------------- a trained model
class DigitsModel:
    """A trained U-Net (eval mode, no gradients) and its config: what the explorer draws from.

    Shared read-only by every session when it is the shipped model: sampling keeps no state but the ``nfe``
    counter (network evaluations per sample, summed over every grid and strip drawn)."""

    def __init__(self, net: DigitUNet, config: DigitsConfig, facts: dict | None = None) -> None:
        self.net = net.eval().requires_grad_(False)
        self.config = config
        self.facts = dict(facts or {})
        self.device = next(net.parameters()).device
        self.nfe = 0
        self._count = threading.Lock()

    def _sample(self, noise: torch.Tensor, labels: torch.Tensor, guidance: float, steps: int, sampler: str,
                seed: int, keep: int = 0) -> samplers.Sampled:
        cfg = self.config
        out = samplers.sample(
            guided(self.net, labels.to(self.device), guidance), noise.to(self.device), path=cfg.path,
            objective=cfg.objective, sampler=sampler, steps=steps, keep=keep,
            # the ancestral sampler's own noise: a second stream of the same seed
            generator=torch.Generator(self.device).manual_seed(seed + 1),
            clip_x0=CLIP_X0 if cfg.objective == "ddpm" else None)
        with self._count:
            self.nfe += nfe_of(guidance, steps)
        return out

    @torch.no_grad()
    @fixed_threads(THREADS)
    def grid(self, guidance: float, steps: int, sampler: str = "ddim", seed: int = 0,
             labels=None) -> np.ndarray:
        """64 digits (64, 28, 28) in [0, 1] from ``grid_noise(seed)``, labels ``GRID_LABELS`` unless given (64,).
        The same seed is the same noise whatever the guidance, steps or sampler."""
        guidance, y = check_guidance(guidance), check_labels(labels)
        if len(y) != GRID:
            raise ValueError(f"a grid has {GRID} labels; got {len(y)}")
        return to_images(self._sample(grid_noise(seed), y, guidance, steps, sampler, seed).x)

    @torch.no_grad()
    @fixed_threads(THREADS)
    def strip(self, label: int, guidance: float, steps: int, seed: int = 0, frames: int = 10,
              sampler: str = "ddim", labels=None) -> np.ndarray:
        """One sample's way from noise to digit, (frames, 28, 28) in [0, 1]: x_T first, x_0 last (evenly spaced
        states in between; at most steps + 1 frames). The sample is the grid's first cell that asks for
        ``label`` (same seed, labels, guidance, steps and sampler): its last frame is that cell of the grid.

        DDIM and Euler are deterministic, so the one sample runs alone (a batch of 1: its numbers agree with the
        grid's to float rounding); the ancestral sampler's noise depends on the whole batch, so it runs the grid.
        With the grid wanted too, ``draw`` gives both from one pass."""
        guidance, y = check_guidance(guidance), check_labels(labels)
        i, noise = self._cell(y, label, frames), grid_noise(seed, len(y))
        if sampler == "ddpm":
            out = self._sample(noise, y, guidance, steps, sampler, seed, keep=frames)
        else:
            out = self._sample(noise[i:i + 1], y[i:i + 1], guidance, steps, sampler, seed, keep=frames)
            i = 0
        states = out.path[:, i]  # (K, 1, 28, 28): the kept states of sample i, t = 1 first
        return to_images(states)

    @torch.no_grad()
    @fixed_threads(THREADS)
    def draw(self, guidance: float, steps: int, sampler: str = "ddim", seed: int = 0, label: int = 0,
             frames: int = 10, labels=None) -> tuple[np.ndarray, np.ndarray]:
        """(grid, strip) from one sampling pass: ``grid(...)`` (64, 28, 28) and the ``strip`` (frames, 28, 28) of
        its first cell that asks for ``label``, kept on the way (no second run: the strip's last frame is that cell
        exactly). What a slider's redraw needs, for the price of the grid alone."""
        guidance, y = check_guidance(guidance), check_labels(labels)
        if len(y) != GRID:
            raise ValueError(f"a grid has {GRID} labels; got {len(y)}")
        i = self._cell(y, label, frames)
        out = self._sample(grid_noise(seed), y, guidance, steps, sampler, seed, keep=frames)
        return to_images(out.x), to_images(out.path[:, i])  # path (K, 64, 1, 28, 28) -> sample i's (K, 28, 28)

    @staticmethod
    def _cell(y: torch.Tensor, label, frames) -> int:
        """The first index of ``label`` in ``y`` (checking ``label`` and ``frames``)."""
        if isinstance(frames, bool) or not isinstance(frames, int) or frames < 2:
            raise ValueError(f"frames must be a whole number >= 2; got {frames!r}")
        try:
            hits = (y == int(label)).nonzero().flatten().tolist() if int(label) in range(N_CLASSES) else []
        except (TypeError, ValueError):
            hits = []
        if not hits:
            raise ValueError(f"label must be one of the grid's digits 0 to {N_CLASSES - 1}; got {label!r}")
        return hits[0]

    def agreement(self, images, labels) -> dict:
        """How often the shared digit classifier sees the requested class; see ``agreement``."""
        return agreement(images, labels)

    @property
    def n_params(self) -> int:
        return self.net.n_params


def agreement(images, labels) -> dict:
    """images (N, 28, 28) or (N, 1, 28, 28) in [0, 1], labels (N,) -> {"agree": share the shared classifier
    (``digit_classifier("mnist")``) assigns to the requested class, "confidence": its mean top probability}."""
    from playground.kit.classifier import digit_classifier

    x = torch.as_tensor(np.asarray(images, dtype=np.float32))
    if x.dim() == 3:
        x = x.unsqueeze(1)  # (N, 28, 28) -> (N, 1, 28, 28)
    y = check_labels(labels)
    if len(y) != len(x):
        raise ValueError(f"{len(x)} images but {len(y)} labels")
    probs = digit_classifier(DATA).probabilities(x)  # (N, 10)
    top, guess = probs.max(1)
    return {"agree": float((guess == y).float().mean()), "confidence": float(top.mean())}


# ---------------------------------------------------------------- saving and loading
def save_model(path: str | Path, net: DigitUNet, config: DigitsConfig, facts: dict | None = None,
               half: bool = False) -> Path:
    """The net's weights as safetensors (``half``: float16, half the size; loads back as float32), its config
    and ``facts`` (how it was trained, what it measured) in the metadata and in a ``.json`` beside it."""
    from safetensors.torch import save_file

    path = Path(path)
    tensors = {}
    for k, v in net.state_dict().items():
        v = v.detach().cpu().contiguous()
        tensors[k] = v.half() if half and v.is_floating_point() else v
    meta = {"format": FORMAT, "config": json.dumps({**config.to_dict(), "device": "auto"}),
            "facts": json.dumps(facts or {})}
    path.parent.mkdir(parents=True, exist_ok=True)
    save_file(tensors, str(path), metadata=meta)
    path.with_suffix(".json").write_text(json.dumps({"config": json.loads(meta["config"]), **(facts or {})},
                                                    indent=1) + "\n")
    return path


def load_model(path: str | Path = ASSET, device: str = "cpu") -> DigitsModel:
    """A ``DigitsModel`` from ``save_model``'s file."""
    from safetensors import safe_open

    path = Path(path)
    if not path.exists():
        raise ValueError(f"no digits model at {path}")
    with safe_open(str(path), framework="pt") as f:
        meta = f.metadata() or {}
        tensors = {k: f.get_tensor(k).float() for k in f.keys()}
    if meta.get("format") != FORMAT:
        raise ValueError(f"{path} is not a digits model saved by the Diffusion Lab")
    config = DigitsConfig(**{**json.loads(meta["config"]), "device": device})
    net = DigitUNet(config.width)
    net.load_state_dict(tensors)
    return DigitsModel(net.to(pick_device(device)), config, json.loads(meta.get("facts", "{}")))


def load_shipped() -> DigitsModel:
    """The model trained offline (``benchmarks/train_diffusion_digits.py``), loaded once per process and shared
    read-only (a failed load is not kept: the next call tries again)."""
    from playground.kit.pretrained import load_once

    return load_once(("diffusion-digits", str(ASSET)), lambda: load_model(ASSET))


# ---------------------------------------------------------------- command line
def sweep(model: DigitsModel, steps: int = 50, sampler: str = "ddim", seed: int = 0,
          guidances=GUIDANCE_SWEEP) -> list[dict]:
    """One row per guidance: the grid's agreement and confidence, milliseconds per grid, nfe per sample."""
    rows = []
    for w in (0.0, 2.0):  # warm-up, one step at each batch size (64, 128): a first forward sets up its kernels
        model.grid(w, 1, sampler, seed)
    for w in guidances:
        with Stopwatch() as sw:
            images = model.grid(w, steps, sampler, seed)
        rows.append({"guidance": w, **{k: round(v, 4) for k, v in agreement(images, GRID_LABELS).items()},
                     "ms_per_grid": round(sw.ms, 1), "nfe": nfe_of(w, steps)})
    return rows


def run_cli(args) -> dict:
    """``python -m playground diffusion --data mnist --json``: the guidance sweep of the shipped model, or of one
    trained from scratch first (``--train-steps N``, reporting the training time to 80% agreement at the live
    grid's guidance). Reads args.seed, guidance, sample_steps, sampler, train_steps (None: the defaults)."""
    seed = 0 if getattr(args, "seed", None) is None else int(args.seed)
    guidance = check_guidance(3.0 if getattr(args, "guidance", None) is None else float(args.guidance))
    steps = 50 if getattr(args, "sample_steps", None) is None else int(args.sample_steps)
    sampler = getattr(args, "sampler", None) or "ddim"
    train_steps = int(getattr(args, "train_steps", None) or 0)
    if train_steps < 0:
        raise ValueError(f"--train-steps must be 0 (the shipped model) or positive; got {train_steps}")
    out: dict = {"data": DATA, "seed": seed, "sampler": sampler, "sample_steps": steps, "guidance": guidance}
    if train_steps:
        from playground.diffusion.digits_training import DigitsTrainer  # it imports this module

        config = preset_config(DEFAULT_PRESET, steps=train_steps, seed=seed, guidance=guidance,
                               device=getattr(args, "device", None) or "auto")
        trainer = DigitsTrainer(config)
        reached = None
        every = max(1, min(100, train_steps))
        for snap in trainer.step(train_steps, report_every=every, sample_every=every):
            if reached is None and snap.agreement is not None and snap.agreement >= TARGET_AGREEMENT:
                reached = snap
        model = trainer.model()
        out.update(model="trained", train_steps=train_steps, train_s=round(trainer.elapsed, 2),
                   loss=round(trainer.history[-1][1], 5),
                   time_to_80_s=None if reached is None else round(reached.elapsed, 2),
                   step_to_80=None if reached is None else reached.step)
    else:
        model = load_shipped()
        out.update(model="shipped", train_steps=model.facts.get("steps"))
    cfg = model.config
    out.update(objective=cfg.objective, schedule=cfg.schedule if cfg.objective == "ddpm" else None,
               n_params=model.n_params, threads=THREADS)
    rows = sweep(model, steps, sampler, seed)
    chosen = next((r for r in rows if r["guidance"] == guidance), None)
    if chosen is None:
        chosen = sweep(model, steps, sampler, seed, (guidance,))[0]
    out.update(agree=chosen["agree"], confidence=chosen["confidence"], ms_per_grid=chosen["ms_per_grid"],
               nfe=chosen["nfe"], rows=rows)
    return out
