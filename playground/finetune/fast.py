"""The static-shape training step: length buckets, a fixed batch, CUDA graphs on a GPU.

The eager loop trims each batch to its longest text, so every batch has a new shape, and reads
nothing back from the GPU between reports. On a GPU that loop is bound by Python and kernel launches
(MiniLM is small), so ``StaticStep`` removes both costs without changing the arithmetic:

- **static shapes**: a batch is padded to the smallest of a few length buckets (``data.length_buckets``)
  and to ``batch_size`` rows; padded rows carry weight 0, so the loss is the mean over the real rows,
  exactly as in the eager loop (padded tokens are masked out of attention as before);
- **CUDA graphs**: on CUDA, the whole step (zeroing the gradients, forward, loss, backward, clipping,
  a capturable fused AdamW step, adding the loss to an on-device sum) is captured once per bucket and
  replayed per batch: one launch instead of hundreds. The learning rate is a device tensor the loop
  fills before each replay (``training.set_lr``); nothing is read back until a report point.

Capturing needs a few warm-up steps (cuBLAS handles, optimizer state). They run on a copy of the
starting point: the weights and the optimizer state are restored afterwards, so the first real step
starts from exactly where the eager loop would. On the CPU (or for a strategy whose step cannot be
captured) the same padded step runs eagerly, which is how the tests check the results are unchanged.
"""

from __future__ import annotations

import time
import warnings
from typing import Callable

import torch
import torch.nn.functional as F
from torch import nn

from playground.kit.training import autocast, sync


class StaticStep:
    """One optimizer step on a padded, fixed-shape batch. ``run(idx, length)`` takes the batch's indices
    (a device tensor of at most ``batch_size``) and its padded length (one of ``buckets``)."""

    def __init__(self, *, forward: Callable[[torch.Tensor, int], torch.Tensor], labels: torch.Tensor,
                 params: list[nn.Parameter], optimizer: torch.optim.Optimizer, batch_size: int,
                 buckets: tuple[int, ...], max_grad_norm: float, device: torch.device, graphs: bool) -> None:
        self.forward, self.labels, self.params, self.optimizer = forward, labels, params, optimizer
        self.batch_size, self.buckets, self.max_grad_norm, self.device = batch_size, buckets, max_grad_norm, device
        self.use_graphs = graphs and device.type == "cuda"
        self.idx = torch.zeros(batch_size, dtype=torch.int64, device=device)
        self.weight = torch.ones(batch_size, dtype=torch.float32, device=device)
        self.loss_sum = torch.zeros((), dtype=torch.float32, device=device)  # sum of batch-mean losses
        self._rows = batch_size  # rows of real data in the buffers now
        self.graphs: dict[int, torch.cuda.CUDAGraph] = {}
        self.setup_s = 0.0
        self.mode = "cuda_graphs" if self.use_graphs else "static"

    def _body(self, length: int) -> None:
        if self.use_graphs:
            torch._foreach_zero_([p.grad for p in self.params])  # static gradient buffers
        with autocast(self.device):
            logits = self.forward(self.idx, length)
            ce = F.cross_entropy(logits.float(), self.labels[self.idx], reduction="none")
        loss = (ce * self.weight).sum() / self.weight.sum()
        loss.backward()
        if self.max_grad_norm > 0:
            torch.nn.utils.clip_grad_norm_(self.params, self.max_grad_norm, foreach=True)
        self.optimizer.step()
        self.loss_sum += loss.detach()

    def _load(self, idx: torch.Tensor) -> None:
        n = len(idx)
        self.idx[:n].copy_(idx)
        if n != self._rows:  # only the last batch of an epoch is short
            self.idx[n:].zero_()  # any real row: its weight is 0
            self.weight[:n].fill_(1.0)
            self.weight[n:].fill_(0.0)
            self._rows = n

    def capture(self) -> None:
        """CUDA: warm up and capture one graph per bucket, then restore the starting weights and state.
        If capturing fails (an operation a graph cannot hold), the same step runs eagerly, with a warning."""
        if not self.use_graphs:
            return
        t0 = time.perf_counter()
        saved = [p.detach().clone() for p in self.params]
        try:
            self._capture()
        except RuntimeError as e:  # pragma: no cover - depends on the GPU stack
            warnings.warn(f"CUDA graph capture failed, running the static step eagerly: {e}")
            torch.cuda.synchronize(self.device)
            self.use_graphs, self.mode, self.graphs = False, "static", {}
            for p in self.params:
                p.grad = None
        self.reset()
        with torch.no_grad():
            for p, s in zip(self.params, saved):
                p.copy_(s)
        sync(self.device)
        self.setup_s = time.perf_counter() - t0

    def _capture(self) -> None:
        for p in self.params:
            p.grad = torch.zeros_like(p)
        side = torch.cuda.Stream(self.device)
        side.wait_stream(torch.cuda.current_stream(self.device))
        with torch.cuda.stream(side):
            for length in self.buckets:
                for _ in range(2):
                    self._body(length)
        torch.cuda.current_stream(self.device).wait_stream(side)
        for length in self.buckets:
            graph = torch.cuda.CUDAGraph()
            with torch.cuda.graph(graph):
                self._body(length)
            self.graphs[length] = graph

    def reset(self) -> None:
        """Fresh optimizer state (zero moments, step 0: what a new AdamW starts from) and loss sum."""
        for state in self.optimizer.state.values():
            for v in state.values():
                if isinstance(v, torch.Tensor):
                    v.zero_()
        self.loss_sum.zero_()

    def run(self, idx: torch.Tensor, length: int) -> None:
        self._load(idx)
        if self.use_graphs:
            self.graphs[length].replay()
            return
        self._body(length)
        self.optimizer.zero_grad(set_to_none=True)
