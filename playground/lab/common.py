"""Training pieces every lab experiment shares: the learning-rate schedule, the optimizer, a heartbeat clock,
gradient norms, and the divergence check."""

from __future__ import annotations

import math
import time

import torch
from torch import nn

from playground.kit.runs import Diverged

HEARTBEAT_S = 0.2  # a loop yields None at least this often so a UI can pause or stop it


def lr_at(step: int, peak: float, warmup: int, total: int, decay: bool = True) -> float:
    """Linear warm-up over ``warmup`` steps to ``peak``, then (``decay``) cosine down to peak / 10."""
    if warmup > 0 and step < warmup:
        return peak * (step + 1) / warmup
    if not decay or total <= warmup:
        return peak
    progress = min(1.0, (step - warmup) / max(1, total - warmup))
    return peak * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress)))


def adam(model: nn.Module, lr: float) -> torch.optim.Optimizer:
    # foreach=False: the plain per-tensor loop (the multi-tensor path measured no faster for these tiny tensors)
    return torch.optim.AdamW(model.parameters(), lr=lr, betas=(0.9, 0.98), weight_decay=0.0, foreach=False)


def set_lr(opt: torch.optim.Optimizer, lr: float) -> None:
    for group in opt.param_groups:
        group["lr"] = lr


def grad_norm(params) -> torch.Tensor:
    """The L2 norm of all gradients of ``params`` together (a 0-d tensor; no sync)."""
    grads = [p.grad for p in params if p.grad is not None]
    if not grads:
        return torch.zeros(())
    return torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(g) for g in grads]))


def check_finite(value: float, step: int, what: str = "loss") -> float:
    if not math.isfinite(value):
        raise Diverged(step, what)
    return value


class Heartbeat:
    """``due()`` is True when ``HEARTBEAT_S`` has passed since the last time it was True."""

    def __init__(self, every: float = HEARTBEAT_S) -> None:
        self.every, self.last = every, time.perf_counter()

    def due(self) -> bool:
        now = time.perf_counter()
        if now - self.last >= self.every:
            self.last = now
            return True
        return False


# ---------------------------------------------------------------- exports
def _flatten(prefix: str, value, out: dict) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(f"{prefix}.{k}" if prefix else str(k), v, out)
    elif isinstance(value, (list, tuple)):
        if all(isinstance(v, (int, float)) for v in value):
            for i, v in enumerate(value):
                out[f"{prefix}.{i}"] = v
    elif isinstance(value, (int, float, str)) or value is None:
        out[prefix] = value


def history_csv(history: list, path) -> str:
    """The snapshots of a run as CSV: one row per snapshot, nested numbers flattened ('loss.pre_warmup')."""
    import csv
    import dataclasses

    rows = []
    for snap in history:
        row: dict = {}
        for f in dataclasses.fields(snap):
            if f.name != "samples":
                _flatten(f.name, getattr(snap, f.name), row)
        rows.append(row)
    columns = list(dict.fromkeys(k for r in rows for k in r))
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, columns)
        writer.writeheader()
        writer.writerows(rows)
    return str(path)


def save_models(models: dict[str, nn.Module], path, config=None) -> str:
    """Every model's weights in one safetensors file, keys prefixed by the model's name; the config as metadata."""
    import dataclasses
    import json

    from safetensors.torch import save_file

    tensors = {f"{name}.{k}": v.detach().contiguous().clone() for name, m in models.items()
               for k, v in m.state_dict().items()}
    meta = {"config": json.dumps(dataclasses.asdict(config), default=list)} if config is not None else None
    save_file(tensors, str(path), metadata=meta)
    return str(path)
