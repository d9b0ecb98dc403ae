"""Small transformers written out in full, nanoGPT style, with a path that returns attention weights.

One ``TransformerConfig`` is passed whole to every module. The pieces:

- ``Attention``: multi-head scaled dot-product attention, self or cross, with an optional causal mask;
  it always computes the weights by hand (softmax(QK^T / sqrt(d))) so they can be returned.
- ``Block``: attention (+ cross-attention in a decoder) + feed-forward, each wrapped in a residual with a
  LayerNorm either before the sublayer (pre-LN) or after the sum (post-LN, the 2017 original).
- ``Stack``: token + learned position embeddings, then blocks (a final LayerNorm for pre-LN).
- ``LanguageModel``: a stack + a linear head. ``causal=True`` is GPT-style (next token),
  ``causal=False`` BERT-style (masked tokens).
- ``Seq2Seq``: a bidirectional encoder and a causal decoder that cross-attends to the encoder (T5 style).

Shapes: B batch, T (or S) tokens, C = d_model, nh heads, hs = C // nh head size, L layers, V vocabulary.
Parameters are initialised explicitly from a ``torch.Generator`` (``init_weights``), so a seed fixes a
model bit for bit without touching the global RNG. No dropout (it would draw from the global RNG).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from playground.kit import knobs
from playground.kit.knobs import knob

NORMS = ("pre", "post")


@dataclass
class TransformerConfig:
    vocab_size: int = knob(64, 2, 100_000, integer=True, help="number of distinct tokens")
    d_model: int = knob(64, 8, 1024, integer=True, help="width of every token vector")
    n_heads: int = knob(4, 1, 32, integer=True, help="attention heads per layer")
    n_layers: int = knob(2, 1, 48, integer=True, help="blocks per stack")
    d_ff: int = knob(256, 8, 8192, integer=True, help="hidden width of the feed-forward layer")
    max_len: int = knob(64, 2, 8192, integer=True, help="longest sequence (learned positions)")
    norm: str = knob("pre", choices=NORMS, help="LayerNorm before the sublayer (pre) or after the residual (post)")

    def __post_init__(self) -> None:
        knobs.check(self)
        check_heads(self)


def check_heads(config) -> None:
    """Every head gets ``d_model / n_heads`` dimensions: the width must split evenly."""
    if config.d_model % config.n_heads:
        raise ValueError(f"d_model ({config.d_model}) must be divisible by n_heads ({config.n_heads})")


def causal_mask(T: int, device=None) -> torch.Tensor:
    """(T, T) bool, True where query i may look at key j (j <= i)."""
    return torch.ones(T, T, dtype=torch.bool, device=device).tril()


class Attention(nn.Module):
    """Multi-head attention. Self-attention when ``context`` is None, cross-attention otherwise."""

    def __init__(self, cfg: TransformerConfig) -> None:
        super().__init__()
        self.n_heads = cfg.n_heads
        self.q = nn.Linear(cfg.d_model, cfg.d_model)
        self.k = nn.Linear(cfg.d_model, cfg.d_model)
        self.v = nn.Linear(cfg.d_model, cfg.d_model)
        self.proj = nn.Linear(cfg.d_model, cfg.d_model)

    def forward(self, x: torch.Tensor, context: torch.Tensor | None = None, mask: torch.Tensor | None = None,
                need_weights: bool = True) -> tuple[torch.Tensor, torch.Tensor | None]:
        """x (B, T, C), context (B, S, C) or None, mask broadcastable to (B, nh, T, S), True = may attend.
        Returns y (B, T, C) and the weights (B, nh, T, S), each row summing to 1 (None if not needed)."""
        B, T, C = x.shape
        context = x if context is None else context
        S = context.shape[1]
        nh, hs = self.n_heads, C // self.n_heads
        q = self.q(x).view(B, T, nh, hs).transpose(1, 2)  # (B, nh, T, hs)
        k = self.k(context).view(B, S, nh, hs).transpose(1, 2)  # (B, nh, S, hs)
        v = self.v(context).view(B, S, nh, hs).transpose(1, 2)  # (B, nh, S, hs)
        if not need_weights:  # training: the same computation in one fused kernel (no weights kept)
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)  # (B, nh, T, hs)
            return self.proj(y.transpose(1, 2).reshape(B, T, C)), None
        scores = q @ k.transpose(-2, -1) / math.sqrt(hs)  # (B, nh, T, S)
        if mask is not None:
            scores = scores.masked_fill(~mask, float("-inf"))
        weights = scores.softmax(dim=-1)  # (B, nh, T, S); masked entries are exactly 0
        y = (weights @ v).transpose(1, 2).reshape(B, T, C)  # (B, T, nh, hs) -> (B, T, C)
        return self.proj(y), weights


class FeedForward(nn.Module):
    def __init__(self, cfg: TransformerConfig) -> None:
        super().__init__()
        self.up = nn.Linear(cfg.d_model, cfg.d_ff)
        self.down = nn.Linear(cfg.d_ff, cfg.d_model)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.down(F.gelu(self.up(x)))


class Block(nn.Module):
    """One transformer layer. The two placements differ only in where each LayerNorm sits:

        pre-LN : x = x + f(LN(x))        (Xiong et al. 2020: gradients stay even, no warm-up needed)
        post-LN: x = LN(x + f(x))        (Vaswani et al. 2017: needs a learning-rate warm-up)
    """

    def __init__(self, cfg: TransformerConfig, cross: bool = False) -> None:
        super().__init__()
        self.pre = cfg.norm == "pre"
        self.attn, self.ln1 = Attention(cfg), nn.LayerNorm(cfg.d_model)
        self.cross = Attention(cfg) if cross else None
        self.ln_cross = nn.LayerNorm(cfg.d_model) if cross else None
        self.ff, self.ln2 = FeedForward(cfg), nn.LayerNorm(cfg.d_model)

    def _residual(self, x: torch.Tensor, ln: nn.LayerNorm, f) -> tuple[torch.Tensor, torch.Tensor | None]:
        if self.pre:
            out = f(ln(x))
            y, w = out if isinstance(out, tuple) else (out, None)
            return x + y, w
        out = f(x)
        y, w = out if isinstance(out, tuple) else (out, None)
        return ln(x + y), w

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None = None, memory: torch.Tensor | None = None,
                memory_mask: torch.Tensor | None = None,
                need_weights: bool = True) -> tuple[torch.Tensor, torch.Tensor | None, torch.Tensor | None]:
        """x (B, T, C); memory (B, S, C) from the encoder in a decoder block.
        Returns x, self-attention weights (B, nh, T, T), cross-attention weights (B, nh, T, S) or None."""
        x, w_self = self._residual(x, self.ln1, lambda h: self.attn(h, mask=mask, need_weights=need_weights))
        w_cross = None
        if self.cross is not None:
            x, w_cross = self._residual(x, self.ln_cross,
                                        lambda h: self.cross(h, memory, memory_mask, need_weights=need_weights))
        x, _ = self._residual(x, self.ln2, self.ff)
        return x, w_self, w_cross


class Stack(nn.Module):
    """Embeddings + blocks. ``causal``: each position sees only itself and earlier ones (a decoder)."""

    def __init__(self, cfg: TransformerConfig, causal: bool, cross: bool = False) -> None:
        super().__init__()
        self.cfg, self.causal = cfg, causal
        self.tok = nn.Embedding(cfg.vocab_size, cfg.d_model)
        self.pos = nn.Embedding(cfg.max_len, cfg.d_model)
        self.blocks = nn.ModuleList(Block(cfg, cross) for _ in range(cfg.n_layers))
        # pre-LN leaves the residual stream un-normalised, so it needs one last LayerNorm
        self.ln_f = nn.LayerNorm(cfg.d_model) if cfg.norm == "pre" else nn.Identity()

    def mask(self, ids: torch.Tensor, pad_id: int | None = None) -> torch.Tensor | None:
        """(B or 1, 1, T, T) bool mask of allowed (query, key) pairs, or None when every pair is allowed."""
        T = ids.shape[1]
        mask = causal_mask(T, ids.device)[None, None] if self.causal else None  # (1, 1, T, T)
        if pad_id is not None:
            keys = (ids != pad_id)[:, None, None, :]  # (B, 1, 1, T): padding is never looked at
            mask = keys if mask is None else mask & keys
        return mask

    def forward(self, ids: torch.Tensor, pad_id: int | None = None, memory: torch.Tensor | None = None,
                memory_mask: torch.Tensor | None = None, attn: bool = False):
        """ids (B, T) -> hidden (B, T, C), and when ``attn``: lists of per-layer weights."""
        B, T = ids.shape
        if T > self.cfg.max_len:
            raise ValueError(f"sequence of {T} tokens is longer than the model's {self.cfg.max_len}")
        pos = torch.arange(T, device=ids.device)
        x = self.tok(ids) + self.pos(pos)  # (B, T, C)
        mask = self.mask(ids, pad_id)
        selfs, crosses = [], []
        for block in self.blocks:
            x, w_self, w_cross = block(x, mask, memory, memory_mask, need_weights=attn)
            if attn:
                selfs.append(w_self)
                crosses.append(w_cross)
        x = self.ln_f(x)
        return (x, selfs, crosses) if attn else x


class LanguageModel(nn.Module):
    """A stack and a head over the vocabulary: GPT-style when causal, BERT-style (masked LM) when not."""

    def __init__(self, cfg: TransformerConfig, causal: bool = True) -> None:
        super().__init__()
        self.cfg, self.causal = cfg, causal
        self.stack = Stack(cfg, causal)
        self.head = nn.Linear(cfg.d_model, cfg.vocab_size)

    def forward(self, ids: torch.Tensor, attn: bool = False, pad_id: int | None = None):
        """ids (B, T) -> logits (B, T, V); with ``attn`` also the weights (L, B, nh, T, T).
        ``pad_id``: tokens with this id are never attended to."""
        if attn:
            h, selfs, _ = self.stack(ids, pad_id, attn=True)
            return self.head(h), torch.stack(selfs)
        return self.head(self.stack(ids, pad_id))


class Seq2Seq(nn.Module):
    """Encoder-decoder (Vaswani et al. 2017; T5 frames every task as text in, text out)."""

    def __init__(self, cfg: TransformerConfig, pad_id: int = 0) -> None:
        super().__init__()
        self.cfg, self.pad_id = cfg, pad_id
        self.encoder = Stack(cfg, causal=False)
        self.decoder = Stack(cfg, causal=True, cross=True)
        self.head = nn.Linear(cfg.d_model, cfg.vocab_size)

    def encode(self, src: torch.Tensor, attn: bool = False):
        """src (B, S) -> memory (B, S, C) [, encoder self-attention list of (B, nh, S, S)]."""
        if attn:
            memory, selfs, _ = self.encoder(src, self.pad_id, attn=True)
            return memory, selfs
        return self.encoder(src, self.pad_id)

    def decode(self, tgt: torch.Tensor, memory: torch.Tensor, src: torch.Tensor, attn: bool = False):
        """tgt (B, T) starting with BOS -> logits (B, T, V) [, decoder self and cross weights]."""
        memory_mask = (src != self.pad_id)[:, None, None, :]  # (B, 1, 1, S)
        if attn:
            h, selfs, crosses = self.decoder(tgt, self.pad_id, memory, memory_mask, attn=True)
            return self.head(h), selfs, crosses
        return self.head(self.decoder(tgt, self.pad_id, memory, memory_mask))

    def forward(self, src: torch.Tensor, tgt: torch.Tensor) -> torch.Tensor:
        return self.decode(tgt, self.encode(src), src)


# ---------------------------------------------------------------- initialisation
def init_weights(model: nn.Module, generator: torch.Generator, std: float = 0.02) -> nn.Module:
    """GPT-2 style init drawn from ``generator``: N(0, std) for weights and embeddings, zero biases,
    LayerNorms at identity, and residual output projections scaled by 1/sqrt(2 L)."""
    n_layers = max((m.cfg.n_layers for m in model.modules() if isinstance(m, Stack)), default=1)
    with torch.no_grad():
        for name, m in model.named_modules():
            if isinstance(m, (nn.Linear, nn.Embedding)):
                scale = 1 / math.sqrt(2 * n_layers) if name.endswith(("proj", "down")) else 1.0
                nn.init.normal_(m.weight, 0.0, std * scale, generator=generator)
                if getattr(m, "bias", None) is not None:
                    m.bias.zero_()
            elif isinstance(m, nn.LayerNorm):
                m.weight.fill_(1.0)
                m.bias.zero_()
            elif isinstance(m, (nn.LSTM, nn.GRU, nn.RNN)):
                bound = 1 / math.sqrt(m.hidden_size)  # PyTorch's own rule, drawn from our generator
                for p in m.parameters():
                    nn.init.uniform_(p, -bound, bound, generator=generator)
    return model


def n_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())
