"""Experiment 2: pre-LN vs post-LN, each with and without a learning-rate warm-up.

Four runs of the same decoder-only character model on the same batches, from the same initial weights:
post-LN without warm-up, post-LN with, pre-LN without, pre-LN with. Xiong et al. (2020) argue that
post-LN puts large gradients on the last layers at the start of training, so a large learning rate
without warm-up derails it, while pre-LN keeps the per-layer gradients even and trains without warm-up.
This experiment measures it on a small model; whatever happens is reported, nothing is tuned to agree.
A run whose loss becomes NaN or infinite stops and says at which step (the others go on).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Iterator

import torch
import torch.nn.functional as F

from playground.kit import knobs
from playground.kit.knobs import knob
from playground.lab import common
from playground.kit.training import grad_norm, lr_schedule, set_lr
from playground.lab.model import LanguageModel, TransformerConfig, check_heads, init_weights, n_params
from playground.lab.textdata import char_data, random_windows
from playground.kit.runs import Diverged
from playground.kit.runtime import fixed_threads

RUNS = (("post", False), ("post", True), ("pre", False), ("pre", True))  # (norm, warm-up?)


def run_key(norm: str, warm: bool) -> str:
    return f"{norm}_{'warmup' if warm else 'nowarmup'}"


@dataclass
class LnConfig:
    n_layers: int = knob(6, 1, 24, integer=True, help="depth: blocks in the model")
    d_model: int = knob(64, 16, 512, integer=True, help="model width")
    n_heads: int = knob(4, 1, 16, integer=True, help="attention heads")
    lr: float = knob(1e-2, 0.0, 1.0, open_low=True, help="peak learning rate (Adam)")
    warmup: int = knob(100, 1, 10_000, integer=True, help="warm-up steps of the runs that warm up")
    steps: int = knob(200, 1, 100_000, integer=True, help="training steps of each run")
    batch: int = knob(8, 1, 512, integer=True, help="text windows per step")
    context: int = knob(32, 8, 512, integer=True, help="characters per window")
    seed: int = knob(0, 0, 2**31 - 1, integer=True, help="seed of the batches and the initial weights")

    def __post_init__(self) -> None:
        knobs.check(self)
        check_heads(self)


# What we measured (seed 0, 6 layers, 2 CPU cores): at lr 0.01 both post-LN runs stall at 3.37 nats, the loss of
# guessing from letter frequencies alone, with the gradients of their lower layers near 0, while both pre-LN runs
# train (2.9 and 2.5 after 150 steps); at lr 0.003 all four train and post-LN is slightly ahead.
PRESETS = {"default": {}, "low_lr": {"lr": 3e-3, "steps": 300}, "deep": {"n_layers": 12, "steps": 150}}


@dataclass(frozen=True)
class LnSnapshot:
    step: int
    elapsed: float
    lr: dict[str, float]  # run key -> learning rate at this step
    loss: dict[str, float | None]  # run key -> mean loss since the last snapshot (None once diverged)
    grad_norms: dict[str, list[float]]  # run key -> gradient norm of each layer, first layer first
    diverged_at: dict[str, int | None]
    done: bool = False


class LnLab:
    def __init__(self, cfg: LnConfig) -> None:
        self.cfg = cfg
        self.vocab, self.data = char_data()
        self.models, self.opts = {}, {}
        for norm, warm in RUNS:
            mcfg = TransformerConfig(vocab_size=self.vocab.size, d_model=cfg.d_model, n_heads=cfg.n_heads,
                                     n_layers=cfg.n_layers, d_ff=4 * cfg.d_model, max_len=cfg.context, norm=norm)
            # the same seed for every run: the blocks start from the same weights in all four
            model = init_weights(LanguageModel(mcfg, causal=True), torch.Generator().manual_seed(cfg.seed))
            self.models[run_key(norm, warm)] = model
            self.opts[run_key(norm, warm)] = common.adam(model, cfg.lr)
        self.warm = {run_key(n, w): w for n, w in RUNS}
        # a constant learning rate, after the warm-up of the runs that warm up
        self.schedules = {k: lr_schedule("constant", cfg.steps, cfg.warmup if w else 0) for k, w in self.warm.items()}
        self.batches = torch.Generator().manual_seed(cfg.seed + 1)
        self.step_count, self.elapsed = 0, 0.0
        self.diverged_at: dict[str, int | None] = {k: None for k in self.models}

    @property
    def n_params(self) -> int:
        return n_params(next(iter(self.models.values())))

    def lr(self, key: str, step: int) -> float:
        return self.cfg.lr * self.schedules[key](step)

    def _train_one(self, key: str, x: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        model, opt = self.models[key], self.opts[key]
        set_lr(opt, self.lr(key, self.step_count))
        logits = model(x)  # (B, T, V)
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        norms = torch.stack([grad_norm(b.parameters()) for b in model.stack.blocks])  # (L,)
        opt.step()
        return loss.detach(), norms

    @fixed_threads(common.THREADS)
    def run(self, steps: int | None = None, report_every: int = 10) -> Iterator[LnSnapshot | None]:
        end = self.cfg.steps if steps is None else self.step_count + steps
        losses = {k: [] for k in self.models}
        norms: dict[str, torch.Tensor] = {}
        while self.step_count < end:
            if all(v is not None for v in self.diverged_at.values()):
                raise Diverged(self.step_count, "loss of every run")
            t0 = time.perf_counter()
            window = random_windows(self.data, self.cfg.batch, self.cfg.context + 1, self.batches)
            x, y = window[:, :-1], window[:, 1:]  # (B, T): predict each next character
            for key in self.models:
                if self.diverged_at[key] is None:
                    loss, norms[key] = self._train_one(key, x, y)
                    losses[key].append(loss)
                    self.elapsed += time.perf_counter() - t0
                    yield None  # four models per step: a UI may pause between them
                    t0 = time.perf_counter()
            self.step_count += 1
            self.elapsed += time.perf_counter() - t0
            last = self.step_count == end
            if last or self.step_count % report_every == 0:
                yield self._snapshot(losses, norms, last)
                losses = {k: [] for k in self.models}

    def _snapshot(self, losses, norms, done: bool) -> LnSnapshot:
        mean, grads = {}, {}
        for key, values in losses.items():
            value = float(torch.stack(values).mean()) if values else None
            g = norms[key].tolist() if key in norms else []
            if value is not None and not (math.isfinite(value) and all(map(math.isfinite, g))):
                self.diverged_at[key] = self.step_count  # this run stops; the others go on
                value, g = None, []
            mean[key], grads[key] = value, g
        return LnSnapshot(step=self.step_count, elapsed=self.elapsed,
                          lr={k: self.lr(k, self.step_count - 1) for k in self.models}, loss=mean,
                          grad_norms=grads, diverged_at=dict(self.diverged_at), done=done)


def unigram_entropy() -> float:
    """The loss (nats per character) of a model that knows only how often each character occurs: a run that
    stays at this level has learned nothing about context."""
    _, data = char_data()
    p = torch.bincount(data).float()
    p = p[p > 0] / p.sum()
    return float(-(p * p.log()).sum())


def summary(history: list[LnSnapshot]) -> dict:
    """Per run: first and final loss, the lowest loss, where it diverged, first and last gradient norms."""
    out = {}
    for key in history[0].loss:
        curve = [(s.step, s.loss[key]) for s in history if s.loss[key] is not None]
        grads = [s.grad_norms[key] for s in history if s.grad_norms[key]]
        out[key] = {
            "first_loss": round(curve[0][1], 4) if curve else None,
            "final_loss": round(curve[-1][1], 4) if curve else None,
            "min_loss": round(min(v for _, v in curve), 4) if curve else None,
            "diverged_at": history[-1].diverged_at[key],
            "grad_norms_first": [round(v, 4) for v in grads[0]] if grads else [],
            "grad_norms_last": [round(v, 4) for v in grads[-1]] if grads else [],
        }
    return out


def preset_config(name: str = "default", **overrides) -> LnConfig:
    if name not in PRESETS:
        raise ValueError(f"unknown preset {name!r}; choose from {', '.join(PRESETS)}")
    return LnConfig(**{**PRESETS[name], **overrides})
