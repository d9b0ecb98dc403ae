"""Three transformer ideas, measured on small random-initialised models (no pretrained weights needed).

1. Parallelism: an LSTM needs T sequential steps for T tokens; self-attention handles all positions in
   one batched matrix product. We time both on the same input.
2. Long range: how strongly the last output depends on each earlier input, |d y_T / d x_t|, at
   initialisation. Through an RNN the signal decays with distance; attention links every pair directly.
3. Pre-LN vs post-LN (Xiong et al., 2020): gradient norms per layer at initialisation. Post-LN puts large
   gradients near the output, which is why it needs a learning-rate warm-up; pre-LN keeps them even.
"""

from __future__ import annotations

import argparse
import math
from dataclasses import dataclass

import torch
from torch import nn

from playground.kit.runtime import best_ms

MAX_LEN = 2048


@dataclass(frozen=True)
class IdeasConfig:
    d_model: int = 64
    heads: int = 4
    batch: int = 8
    lengths: tuple[int, ...] = (16, 64, 256, 512)
    depth: int = 12  # layers in the pre-LN / post-LN stacks
    seed: int = 0

    def __post_init__(self):
        if self.d_model < 8 or self.d_model > 1024 or self.d_model % self.heads:
            raise ValueError(f"d_model must be 8-1024 and divisible by heads, got {self.d_model} / {self.heads}")
        if not self.lengths or min(self.lengths) < 2 or max(self.lengths) > MAX_LEN:
            raise ValueError(f"sequence lengths must lie between 2 and {MAX_LEN}")
        if not 1 <= self.batch <= 256 or not 1 <= self.depth <= 48:
            raise ValueError("batch must be 1-256 and depth 1-48")


def seeded(cls, *args, g: torch.Generator, **kwargs) -> nn.Module:
    """``cls(*args, **kwargs)`` with PyTorch's default initialisation drawn from ``g``, never from the
    process-wide RNG (the app serves many sessions from one process): built on the meta device (no draws),
    then given memory and filled. Covers the layers used here: Linear, LayerNorm, RNN/LSTM and the attention
    inside ``nn.TransformerEncoderLayer``."""
    module = cls(*args, device="meta", **kwargs).to_empty(device="cpu")
    with torch.no_grad():
        for m in module.modules():
            if isinstance(m, nn.Linear):
                nn.init.kaiming_uniform_(m.weight, a=math.sqrt(5), generator=g)
                if m.bias is not None:
                    if isinstance(m, nn.modules.linear.NonDynamicallyQuantizableLinear):  # attention's out_proj
                        nn.init.zeros_(m.bias)
                    else:
                        bound = 1 / math.sqrt(m.in_features)
                        nn.init.uniform_(m.bias, -bound, bound, generator=g)
            elif isinstance(m, nn.LayerNorm):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)
            elif isinstance(m, nn.RNNBase):  # RNN, LSTM: every weight and bias in +-1/sqrt(hidden)
                bound = 1 / math.sqrt(m.hidden_size)
                for w in m.parameters():
                    nn.init.uniform_(w, -bound, bound, generator=g)
            elif isinstance(m, nn.MultiheadAttention):
                nn.init.xavier_uniform_(m.in_proj_weight, generator=g)
                nn.init.zeros_(m.in_proj_bias)
    return module


@torch.no_grad()
def parallelism(cfg: IdeasConfig) -> list[dict]:
    """Forward time (best of 3) of a 1-layer LSTM and a 1-layer self-attention block on (B, T, C)."""
    g = torch.Generator().manual_seed(cfg.seed)
    lstm = seeded(nn.LSTM, cfg.d_model, cfg.d_model, batch_first=True, g=g).eval()
    attn = seeded(nn.TransformerEncoderLayer, cfg.d_model, cfg.heads, 4 * cfg.d_model, dropout=0.0,
                  batch_first=True, norm_first=True, g=g).eval()
    rows = []
    for T in cfg.lengths:
        x = torch.randn(cfg.batch, T, cfg.d_model, generator=g)  # (B, T, C)
        rows.append({"T": T, "lstm_ms": best_ms(lambda: lstm(x)), "attention_ms": best_ms(lambda: attn(x)),
                     "lstm_sequential_steps": T, "attention_sequential_steps": 1})
    return rows


def long_range(cfg: IdeasConfig, T: int = 64) -> dict[str, list[float]]:
    """|d y_{T-1} / d x_t| for t = 0..T-2 (mean over batch and channels): how much the last output can
    still feel an input T-1-t steps back. The last input itself (the residual / current step) is left out."""
    g = torch.Generator().manual_seed(cfg.seed)
    models = {
        "rnn": seeded(nn.RNN, cfg.d_model, cfg.d_model, batch_first=True, nonlinearity="tanh", g=g),
        "lstm": seeded(nn.LSTM, cfg.d_model, cfg.d_model, batch_first=True, g=g),
        "attention": seeded(nn.TransformerEncoderLayer, cfg.d_model, cfg.heads, 4 * cfg.d_model, dropout=0.0,
                            batch_first=True, norm_first=True, g=g),
    }
    out = {}
    for name, model in models.items():
        x = torch.randn(cfg.batch, T, cfg.d_model, generator=g, requires_grad=True)
        y = model(x)
        y = y[0] if isinstance(y, tuple) else y  # (B, T, C)
        y[:, -1].sum().backward()
        grad = x.grad.abs().mean(dim=(0, 2))[:-1]  # (T-1,)
        out[name] = grad.clamp_min(1e-30).tolist()
    return out


def ln_gradients(cfg: IdeasConfig, T: int = 32) -> dict[str, list[float]]:
    """Per-layer gradient norm at initialisation of a depth-layer stack, post-LN vs pre-LN."""
    out = {}
    for name, norm_first in (("post_ln", False), ("pre_ln", True)):
        g = torch.Generator().manual_seed(cfg.seed)  # the same weights and data for both placements
        layers = [seeded(nn.TransformerEncoderLayer, cfg.d_model, cfg.heads, 4 * cfg.d_model, dropout=0.0,
                         batch_first=True, norm_first=norm_first, g=g) for _ in range(cfg.depth)]
        head = seeded(nn.Linear, cfg.d_model, cfg.d_model, g=g)
        x = torch.randn(cfg.batch, T, cfg.d_model, generator=g)
        target = torch.randn(cfg.batch, T, cfg.d_model, generator=g)
        h = x
        for layer in layers:
            h = layer(h)
        nn.functional.mse_loss(head(h), target).backward()
        out[name] = [float(torch.sqrt(sum((p.grad ** 2).sum() for p in layer.parameters()))) for layer in layers]
    return out


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lengths", default="16,64,256,512")
    p.add_argument("--d-model", type=int, default=64)
    p.add_argument("--depth", type=int, default=12)
    p.add_argument("--seed", type=int, default=0)


def run_cli(args: argparse.Namespace) -> dict:
    try:
        lengths = tuple(int(x) for x in args.lengths.split(","))
    except ValueError as e:
        raise ValueError("--lengths takes whole numbers separated by commas, e.g. 16,64,256") from e
    cfg = IdeasConfig(d_model=args.d_model, lengths=lengths, depth=args.depth, seed=args.seed)
    return {"experiment": "ideas", "parallelism": parallelism(cfg), "long_range": long_range(cfg),
            "ln_gradients": ln_gradients(cfg), "torch_threads": torch.get_num_threads()}
