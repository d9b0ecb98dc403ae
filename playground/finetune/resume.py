"""Strategies trained in chunks: a rebuilt run put back where a ``Checkpoint`` left it (trained weights,
generators, optimizer state), and optimizer state copied to the CPU for the next one."""

from __future__ import annotations

import torch
from torch import nn

from playground.finetune.config import Checkpoint


def restore_optimizer(optimizer, saved: dict) -> None:
    """The optimizer's moments and step counts from ``saved``. Captured CUDA graphs hold the addresses of
    the state tensors, so where the state exists already it is copied in place, never replaced."""
    current = optimizer.state_dict()["state"]  # the live tensors, not copies
    if not current:  # created lazily at the first step (eager and CPU paths): load it the ordinary way
        optimizer.load_state_dict(saved)
        return
    if current.keys() != saved["state"].keys():
        raise ValueError("this checkpoint's optimizer state does not fit the rebuilt run")
    with torch.no_grad():
        for i, state in saved["state"].items():
            for key, value in state.items():
                if isinstance(value, torch.Tensor):
                    current[i][key].copy_(value)
                else:
                    current[i][key] = value


def to_cpu(value):
    """A copy of a nested optimizer state with every tensor on the CPU."""
    if isinstance(value, torch.Tensor):
        return value.detach().cpu().clone()
    if isinstance(value, dict):
        return {k: to_cpu(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(to_cpu(v) for v in value)
    return value


def restore_run(model: nn.Module, g: torch.Generator, dropouts: list, resume: Checkpoint) -> None:
    """Put a rebuilt run back where ``resume`` left it: trained weights and generators (the optimizer's
    moments go back after any graph capture: ``restore_optimizer``)."""
    trainable = {n: p for n, p in model.named_parameters() if p.requires_grad}
    if (set(trainable) != set(resume.params) or len(dropouts) != len(resume.dropout_rngs)
            or any(p.shape != resume.params[n].shape for n, p in trainable.items())):
        raise ValueError(f"this checkpoint belongs to another configuration than {resume.strategy}'s")
    with torch.no_grad():
        for name, p in trainable.items():
            p.copy_(resume.params[name])
    g.set_state(resume.batch_rng)
    for d, state in zip(dropouts, resume.dropout_rngs):
        d.set_state(state)
