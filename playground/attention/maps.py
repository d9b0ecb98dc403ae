"""Attention maps of pretrained transformers: extraction, rollout, head ablation.

Every function returns numpy arrays and plain dataclasses; figures are drawn by the UI.
Shapes: L layers, H heads (query heads, also for grouped-query attention), T tokens.
"""

from __future__ import annotations

import argparse
import contextlib
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

from playground.kit import pretrained as models
from playground.kit.runtime import Stopwatch

MAX_TOKENS = 256  # default cap: a 256 x 256 map is still readable and fast
MAX_TOKENS_LIMIT = 1024
MAX_CHARS = 20_000  # longer text is cut before tokenising, so a pasted book cannot stall a worker


@dataclass(frozen=True)
class AttentionResult:
    model: str
    causal: bool
    tokens: list[str]  # readable labels (original text spans; special tokens as themselves)
    pieces: list[str]  # the tokenizer's own pieces
    special: list[bool]
    attentions: np.ndarray  # (L, H, T, T) float32; row i is query i, each row sums to 1
    n_input_tokens: int  # before truncation
    truncated: bool
    ablated: tuple[tuple[int, int], ...] = ()
    next_token_probs: np.ndarray | None = None  # (V,) decoder only: p(next token | text)
    top_next: list[tuple[str, float]] = field(default_factory=list)
    top_next_ids: list[int] = field(default_factory=list)
    forward_ms: float = 0.0

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.attentions.shape)


# ---------------------------------------------------------------- input checks
def check_text(text: str) -> str:
    if not isinstance(text, str) or not text.strip():
        raise ValueError("The text is empty: type a sentence to see its attention")
    return text[:MAX_CHARS]


def check_max_tokens(max_tokens: int) -> int:
    if not isinstance(max_tokens, (int, np.integer)) or not 4 <= max_tokens <= MAX_TOKENS_LIMIT:
        raise ValueError(f"max_tokens must be a whole number from 4 to {MAX_TOKENS_LIMIT}, got {max_tokens!r}")
    return int(max_tokens)


def check_heads(heads, num_layers: int, num_heads: int) -> tuple[tuple[int, int], ...]:
    out = []
    for layer, head in heads:
        if not (0 <= int(layer) < num_layers and 0 <= int(head) < num_heads):
            raise ValueError(f"head ({layer}, {head}) does not exist: layers 0-{num_layers - 1}, heads 0-{num_heads - 1}")
        out.append((int(layer), int(head)))
    return tuple(sorted(set(out)))


def parse_heads(spec: str) -> list[tuple[int, int]]:
    """'3:1, 4:2' -> [(3, 1), (4, 2)] (layer:head, both from 0)."""
    out = []
    for part in filter(None, (p.strip() for p in (spec or "").split(","))):
        try:
            layer, head = part.split(":")
            out.append((int(layer), int(head)))
        except ValueError as e:
            raise ValueError(f"'{part}' is not layer:head (e.g. 3:1)") from e
    return out


# ---------------------------------------------------------------- tokens
def _labels(text: str, tok, ids: list[int], offsets) -> tuple[list[str], list[str], list[bool]]:
    """Readable labels: the text each token covers, so subword markers (##, Ġ, ▁) vanish and
    byte-level pieces of one character (Vietnamese diacritics, emoji) show that character."""
    pieces = tok.convert_ids_to_tokens(ids)
    unk = tok.unk_token_id
    specials = set(tok.all_special_ids) - {unk}
    labels, special, prev = [], [], None
    for i, (tid, piece) in enumerate(zip(ids, pieces)):
        is_special = tid in specials
        span = None if offsets is None else tuple(offsets[i])
        if is_special or span is None or span[0] == span[1]:
            label = piece if is_special else tok.decode([tid]).strip() or piece
        else:
            label = text[span[0]:span[1]].strip() or "␣"
            if tid == unk and unk is not None:
                label = f"{piece}:{label}"  # the model saw only [UNK]; show what it stood for
            elif prev is not None and span[0] < prev[1]:
                label = "+" + label  # another byte of the same character
        labels.append(label)
        special.append(is_special)
        prev = span
    return labels, pieces, special


def tokenize(lm: models.LoadedModel, text: str, max_tokens: int):
    tok = lm.tokenizer
    n_input = len(tok(text, add_special_tokens=True)["input_ids"])
    kw = dict(truncation=True, max_length=max_tokens, return_tensors="pt")
    try:
        enc = tok(text, return_offsets_mapping=True, **kw)
        offsets = enc.pop("offset_mapping")[0].tolist()
    except (NotImplementedError, TypeError):  # slow tokenizers have no offsets
        enc, offsets = tok(text, **kw), None
    enc = {k: v for k, v in enc.items() if k in ("input_ids", "attention_mask", "token_type_ids")}
    return enc, offsets, n_input


# ---------------------------------------------------------------- head ablation
def _out_projections(model: nn.Module) -> list[nn.Module]:
    """Per layer, the linear map applied to the concatenated head outputs (B, T, H*hs).

    Zeroing a head's slice of its input removes exactly that head's contribution.
    """
    names = ("self_attn.o_proj", "attention.output.dense", "attn.c_proj", "attn.out_proj", "attn.o_proj")
    found = [m for n, m in model.named_modules() if n.endswith(names)]
    if not found:
        raise ValueError(f"head ablation is not supported for {type(model).__name__}")
    return found


@contextlib.contextmanager
def ablate_heads(lm: models.LoadedModel, heads: tuple[tuple[int, int], ...]):
    """Switch off heads for the duration of the block (hooks are removed afterwards)."""
    if not heads:
        yield
        return
    projections = _out_projections(lm.model)
    head_dim = getattr(lm.model.config, "head_dim", None) or lm.model.config.hidden_size // lm.num_heads
    by_layer: dict[int, list[int]] = {}
    for layer, head in heads:
        by_layer.setdefault(layer, []).append(head)

    def make_hook(hs: list[int]):
        def hook(_module, args):
            x = args[0].clone()  # (B, T, H*hs)
            for h in hs:
                x[..., h * head_dim:(h + 1) * head_dim] = 0
            return (x, *args[1:])
        return hook

    handles = [projections[layer].register_forward_pre_hook(make_hook(hs)) for layer, hs in by_layer.items()]
    try:
        yield
    finally:
        for h in handles:
            h.remove()


# ---------------------------------------------------------------- extraction
def extract(model: str, text: str, *, max_tokens: int = MAX_TOKENS,
            ablate: list[tuple[int, int]] | tuple = (), top_k: int = 10) -> AttentionResult:
    """Run the model once and return every layer's and head's attention weights."""
    text = check_text(text)
    max_tokens = check_max_tokens(max_tokens)
    lm = models.load(model)
    heads = check_heads(ablate, lm.num_layers, lm.num_heads)
    enc, offsets, n_input = tokenize(lm, text, max_tokens)
    ids = enc["input_ids"][0].tolist()
    # a decoder only needs the last position's logits: skip the (T x vocab) projection for the others
    extra = {"logits_to_keep": 1} if lm.causal else {}
    with torch.inference_mode(), ablate_heads(lm, heads), Stopwatch() as sw:
        out = lm.model(**enc, output_attentions=True, **extra)
    att = torch.stack(out.attentions, dim=1)[0]  # (L, H, T, T)
    labels, pieces, special = _labels(text, lm.tokenizer, ids, offsets)
    probs, top, top_ids = None, [], []
    if lm.causal and getattr(out, "logits", None) is not None:
        probs_t = torch.softmax(out.logits[0, -1].float(), dim=-1)  # (V,)
        values, idx = probs_t.topk(min(top_k, probs_t.numel()))
        top_ids = [int(i) for i in idx]
        top = [(lm.tokenizer.decode([i]), float(v)) for v, i in zip(values, top_ids)]
        probs = probs_t.numpy()
    return AttentionResult(
        model=lm.name, causal=lm.causal, tokens=labels, pieces=pieces, special=special,
        attentions=att.float().numpy(), n_input_tokens=n_input, truncated=n_input > len(ids),
        ablated=heads, next_token_probs=probs, top_next=top, top_next_ids=top_ids, forward_ms=sw.ms,
    )


# ---------------------------------------------------------------- analysis
def rollout(attentions: np.ndarray, residual: float = 0.5) -> np.ndarray:
    """Attention rollout (Abnar & Zuidema, 2020): how much each token draws on each input token
    after l layers. Heads are averaged, the residual path is added as identity, rows renormalised,
    and the layers multiplied: R_l = Â_l R_{l-1}. Returns (L, T, T)."""
    A = attentions.mean(axis=1)  # (L, T, T)
    T = A.shape[-1]
    A = residual * np.eye(T, dtype=A.dtype) + (1 - residual) * A
    A = A / A.sum(axis=-1, keepdims=True)
    out = np.empty_like(A)
    acc = np.eye(T, dtype=A.dtype)
    for layer in range(A.shape[0]):
        acc = A[layer] @ acc
        out[layer] = acc
    return out


def future_mass(attentions: np.ndarray) -> np.ndarray:
    """Per layer, the average share of attention a token gives to tokens after it. (L,)

    Exactly 0 for a causal decoder; well above 0 for a bidirectional encoder."""
    T = attentions.shape[-1]
    upper = np.triu(np.ones((T, T), dtype=bool), k=1)
    return (attentions * upper).sum(axis=-1).mean(axis=(1, 2))


def head_patterns(attentions: np.ndarray, causal: bool) -> dict[str, np.ndarray]:
    """Scores (L, H) in [0, 1] for three well-known head behaviours, averaged over query rows 1..T-1:
    previous token (weight on i-1), first-token sink (weight on token 0), and broad
    (row entropy divided by the largest entropy the row could have: log T, or log(i+1) when causal)."""
    L, H, T, _ = attentions.shape
    if T < 3:
        z = np.zeros((L, H), dtype=np.float32)
        return {"previous": z, "first": z, "broad": z}
    prev = np.diagonal(attentions, offset=-1, axis1=2, axis2=3).mean(-1)
    first = attentions[..., 1:, 0].mean(-1)
    p = np.clip(attentions, 1e-12, 1.0)
    ent = -(p * np.log(p)).sum(-1)  # (L, H, T)
    n_choices = np.arange(1, T + 1) if causal else np.full(T, T)
    broad = (ent[..., 1:] / np.log(np.maximum(n_choices[1:], 2))).mean(-1)
    return {"previous": prev, "first": first, "broad": broad}


PATTERN_THRESHOLDS = {"previous": 0.5, "first": 0.6, "broad": 0.9}


def dominant_pattern(scores: dict[str, np.ndarray]) -> np.ndarray:
    """Per head, the first pattern (previous, first, broad) whose score passes its threshold, else ''. (L, H)"""
    out = np.full(next(iter(scores.values())).shape, "", dtype=object)
    for name in reversed(list(PATTERN_THRESHOLDS)):  # earlier names win
        out = np.where(scores[name] >= PATTERN_THRESHOLDS[name], name, out)
    return out


@dataclass(frozen=True)
class AblationEffect:
    tokens: list[str]  # the union of both top-k lists, base order first
    p_base: list[float]  # p(token) with every head
    p_ablated: list[float]  # p(token) with the chosen heads switched off
    kl: float  # KL(p_base || p_ablated) over the whole vocabulary, in nats
    total_variation: float
    top_base: str
    top_ablated: str


def ablation_effect(base: AttentionResult, ablated: AttentionResult) -> AblationEffect:
    """How switching heads off moved the decoder's next-token distribution."""
    if base.next_token_probs is None or ablated.next_token_probs is None:
        raise ValueError("next-token effects need a decoder (causal) model")
    p, q = base.next_token_probs.astype(np.float64), ablated.next_token_probs.astype(np.float64)
    kl = float(np.sum(p * (np.log(p + 1e-12) - np.log(q + 1e-12))))
    names = dict(zip(ablated.top_next_ids, (tok for tok, _ in ablated.top_next)))
    names.update(zip(base.top_next_ids, (tok for tok, _ in base.top_next)))
    ids = list(dict.fromkeys(base.top_next_ids + ablated.top_next_ids))
    return AblationEffect(
        tokens=[names[i] for i in ids], p_base=[float(p[i]) for i in ids], p_ablated=[float(q[i]) for i in ids],
        kl=kl, total_variation=float(0.5 * np.abs(p - q).sum()),
        top_base=base.top_next[0][0], top_ablated=ablated.top_next[0][0])


# ---------------------------------------------------------------- command line
def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", default="minilm", help="minilm | smollm2 | a hub id (online)")
    p.add_argument("--text", required=True)
    p.add_argument("--max-tokens", type=int, default=MAX_TOKENS)
    p.add_argument("--ablate", default="", help="heads to switch off, layer:head,... e.g. 3:1,4:2")
    p.add_argument("--top-k", type=int, default=5)
    p.add_argument("--out", help="save attentions [L, H, T, T] and tokens to this .npz")


def run_cli(args: argparse.Namespace) -> dict:
    res = extract(args.model, args.text, max_tokens=args.max_tokens,
                  ablate=parse_heads(args.ablate), top_k=args.top_k)
    if args.out:
        save_npz(args.out, res)
    report = {
        "experiment": "attention", "model": res.model, "kind": "decoder" if res.causal else "encoder",
        "tokens": res.tokens, "pieces": res.pieces, "shape": list(res.shape),
        "truncated": res.truncated, "n_input_tokens": res.n_input_tokens,
        "ablated": [list(h) for h in res.ablated], "forward_ms": round(res.forward_ms, 2),
        "future_mass_per_layer": [round(float(x), 4) for x in future_mass(res.attentions)],
        "top_next": [{"token": t, "p": round(p, 5)} for t, p in res.top_next],
        "out": args.out,
    }
    return report


def save_npz(path, res: AttentionResult) -> None:
    np.savez_compressed(path, attentions=res.attentions.astype(np.float32),
                        tokens=np.array(res.tokens), pieces=np.array(res.pieces),
                        special=np.array(res.special), model=np.array(res.model))
