"""Discriminative classifiers: they learn p(y|x) directly and nothing about how x is distributed.

- ``logreg``: multinomial logistic regression, softmax(W x + b): straight boundaries.
- ``mlp``: a small two-hidden-layer tanh network: curved boundaries.

Both train full-batch with AdamW on the cross-entropy (plus decoupled weight decay, which keeps a
logistic regression on separable data from growing its weights forever). Full batch means the only
randomness is the initialisation, drawn from the run's own generator.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from playground.kit.runs import seeded_init

MODELS = ("logreg", "mlp")


def build(kind: str, n_classes: int, hidden: int, generator: torch.Generator) -> nn.Module:
    """A freshly initialised classifier, 2-D points (N, 2) -> logits (N, K)."""
    if kind == "logreg":
        net = nn.Linear(2, n_classes)
    elif kind == "mlp":
        net = nn.Sequential(nn.Linear(2, hidden), nn.Tanh(), nn.Linear(hidden, hidden), nn.Tanh(),
                            nn.Linear(hidden, n_classes))
    else:
        raise ValueError(f"unknown discriminative model {kind!r}; choose one of {', '.join(MODELS)}")
    seeded_init(net, generator)
    return net


class FullBatchTrainer:
    """One classifier, its optimiser and its training points; ``step()`` does one full-batch update."""

    def __init__(self, kind: str, x: torch.Tensor, y: torch.Tensor, n_classes: int, hidden: int, lr: float,
                 weight_decay: float, generator: torch.Generator) -> None:
        self.kind = kind
        self.net = build(kind, n_classes, hidden, generator)
        self.x, self.y = x.float(), y.long()
        self.opt = torch.optim.AdamW(self.net.parameters(), lr=lr, weight_decay=weight_decay)

    def step(self) -> torch.Tensor:
        """One update; returns the loss before it, detached (no device sync)."""
        loss = F.cross_entropy(self.net(self.x), self.y)
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        self.opt.step()
        return loss.detach()

    @torch.no_grad()
    def predict_proba(self, x: torch.Tensor) -> torch.Tensor:
        """p(y|x) for points x (N, 2): (N, K)."""
        return torch.softmax(self.net(x.float()), dim=1)


def fit(kind: str, x: torch.Tensor, y: torch.Tensor, n_classes: int, hidden: int, lr: float,
        weight_decay: float, steps: int, generator: torch.Generator) -> FullBatchTrainer:
    """Train to the end without reporting (used by the sweep, which yields between fits)."""
    trainer = FullBatchTrainer(kind, x, y, n_classes, hidden, lr, weight_decay, generator)
    for _ in range(steps):
        trainer.step()
    return trainer
