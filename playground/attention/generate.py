"""Text generation one token at a time, with every choice shown: temperature, top-k, top-p (nucleus).

At each step the model gives logits over the vocabulary for the next token. They are divided by the
temperature (0 means greedy: take the most likely token), cut to the k most likely (top-k) and to the
smallest set whose probabilities add up to p (top-p), renormalised, and one token is drawn from a private
``torch.Generator``. Each ``GenStep`` says which token was chosen, its probability, the alternatives, and
where the newest position looked (its attention over the context) when it made that choice.

Greedy decoding here equals ``model.generate(do_sample=False)`` token for token (a test checks it): both
run the prompt once and then feed one token at a time with the key/value cache.
"""

from __future__ import annotations

import argparse
import inspect
import time
from dataclasses import dataclass, field
from typing import Iterator

import numpy as np
import torch

from playground.kit import knobs, pretrained as models
from playground.kit.knobs import knob

MAX_PROMPT_CHARS = 4000
# A prompt is bounded in tokens too: one character can be many tokens (an emoji is 3-4 byte-level tokens, a
# family emoji about 20), and the context's attention grows with its square. 1,024 tokens keep one request's
# key/value cache and attention rows to tens of MB on SmolLM2.
MAX_PROMPT_TOKENS = 1024


@dataclass
class SamplingConfig:
    max_new_tokens: int = knob(20, 1, 256, integer=True, help="tokens to generate at most")
    temperature: float = knob(0.7, 0.0, 5.0, help="0 = greedy; below 1 sharper, above 1 flatter")
    top_k: int = knob(50, 0, 100_000, integer=True, help="keep only the k most likely tokens (0 = off)")
    top_p: float = knob(0.95, 0.0, 1.0, open_low=True, help="keep the most likely tokens up to this total probability (1 = off)")
    seed: int = knob(0, 0, 2**31 - 1, integer=True, help="seed of the sampling")
    alternatives: int = knob(5, 1, 20, integer=True, help="alternatives shown per step")

    def __post_init__(self) -> None:
        knobs.check(self)


@dataclass(frozen=True)
class GenStep:
    index: int  # 0 for the first generated token
    token_id: int
    token: str  # the token's text
    prob: float  # probability of the chosen token after temperature / top-k / top-p
    model_prob: float  # the model's own probability of it (temperature 1, no cut)
    alternatives: list[tuple[str, int, float, float]]  # the model's most likely tokens:
    # (text, id, probability after temperature / top-k / top-p (0 if cut), the model's own probability)
    kept: int  # tokens left after top-k and top-p (1 when greedy)
    attention: np.ndarray  # (L, H, T): the newest position's attention over the T context tokens
    context: list[str]  # the T context tokens (prompt + generated so far)
    ms: float  # time of this step's forward pass


@dataclass(frozen=True)
class Generation:
    prompt_ids: list[int]
    ids: list[int]  # generated ids only
    text: str  # generated text only
    steps: list[GenStep] = field(default_factory=list)


def next_token_probs(logits: torch.Tensor, temperature: float, top_k: int, top_p: float) -> torch.Tensor:
    """logits (V,) -> the probabilities (V,) sampling draws from. Temperature 0: all mass on the argmax."""
    if temperature == 0:
        probs = torch.zeros_like(logits, dtype=torch.float32)
        probs[logits.argmax()] = 1.0
        return probs
    scores = logits.float() / temperature
    if 0 < top_k < scores.numel():
        kth = scores.topk(top_k).values[-1]
        scores = scores.masked_fill(scores < kth, float("-inf"))
    probs = scores.softmax(-1)
    if top_p < 1.0:
        sorted_p, order = probs.sort(descending=True)
        before = sorted_p.cumsum(0) - sorted_p  # mass of the more likely tokens
        drop = before >= top_p  # the most likely token is always kept
        probs = probs.scatter(0, order, sorted_p.masked_fill(drop, 0.0))
        probs = probs / probs.sum()
    return probs


def _eos_ids(model, tokenizer) -> set[int]:
    eos = getattr(getattr(model, "generation_config", None), "eos_token_id", None)
    if eos is None:
        eos = tokenizer.eos_token_id if tokenizer is not None else None
    return set(eos if isinstance(eos, (list, tuple)) else [eos]) - {None}


@torch.no_grad()
def steps(model, input_ids: torch.Tensor, cfg: SamplingConfig, tokenizer=None) -> Iterator[GenStep]:
    """Generate from ``input_ids`` (1, T) one token at a time; stops after ``max_new_tokens`` or at EOS."""
    g = torch.Generator().manual_seed(cfg.seed)
    decode = (lambda ids: tokenizer.decode(ids)) if tokenizer is not None else (lambda ids: str(ids[0]))
    context = [decode([i]) for i in input_ids[0].tolist()]
    eos = _eos_ids(model, tokenizer)
    # transformers 5.x names the key/value cache `cache`; older releases `past_key_values`
    cache_arg = "cache" if "cache" in inspect.signature(model.forward).parameters else "past_key_values"
    feed, past = input_ids, None
    t0 = time.perf_counter()
    if input_ids.shape[1] > 1:
        # the prompt but its last token fills the cache without attention maps: asking for them over the whole
        # prompt keeps every layer's (heads, T, T) map at once (gigabytes for a long prompt); the last token's
        # forward then gives the one attention row per layer that is shown
        past = getattr(model(input_ids=input_ids[:, :-1], use_cache=True), cache_arg)
        feed = input_ids[:, -1:]
    for index in range(cfg.max_new_tokens):
        if index:
            t0 = time.perf_counter()
        out = model(input_ids=feed, use_cache=True, output_attentions=True, **{cache_arg: past})
        ms = (time.perf_counter() - t0) * 1000
        past = getattr(out, cache_arg)
        logits = out.logits[0, -1]  # (V,)
        probs = next_token_probs(logits, cfg.temperature, cfg.top_k, cfg.top_p)
        if cfg.temperature == 0:
            chosen = int(logits.argmax())
        else:
            chosen = int(torch.multinomial(probs, 1, generator=g))
        model_probs = logits.float().softmax(-1)
        top_m, top_i = model_probs.topk(min(cfg.alternatives, probs.numel()))
        attention = torch.stack([a[0, :, -1] for a in out.attentions]).float().numpy()  # (L, H, T)
        yield GenStep(index=index, token_id=chosen, token=decode([chosen]), prob=float(probs[chosen]),
                      model_prob=float(model_probs[chosen]),
                      alternatives=[(decode([i]), i, float(probs[i]), m) for m, i in zip(top_m.tolist(), top_i.tolist())],
                      kept=int((probs > 0).sum()), attention=attention, context=list(context), ms=ms)
        context.append(decode([chosen]))
        if chosen in eos:
            return
        feed = torch.tensor([[chosen]])


def encode_prompt(tokenizer, prompt: str) -> torch.Tensor:
    """The prompt's token ids (1, T), refused before any model work when it is empty or too long."""
    if not isinstance(prompt, str) or not prompt.strip():
        raise ValueError("The prompt is empty: type the beginning of a text")
    if len(prompt) > MAX_PROMPT_CHARS:
        raise ValueError(f"The prompt has {len(prompt):,} characters; at most {MAX_PROMPT_CHARS:,} are allowed")
    ids = tokenizer(prompt, return_tensors="pt")["input_ids"]
    if ids.shape[1] > MAX_PROMPT_TOKENS:
        raise ValueError(f"The prompt is {ids.shape[1]:,} tokens long; at most {MAX_PROMPT_TOKENS:,} are allowed "
                         f"(emoji and rare characters take several tokens each)")
    return ids


def stream(name: str, prompt: str, cfg: SamplingConfig) -> Iterator[GenStep]:
    """Load ``name`` (``playground.kit.pretrained.load``; it must be a decoder) and generate from ``prompt``."""
    lm = models.load(name)
    if not lm.causal:
        raise ValueError(f"'{name}' is an encoder (BERT-style): it cannot write text; choose a decoder such as 'smollm2'")
    yield from steps(lm.model, encode_prompt(lm.tokenizer, prompt), cfg, lm.tokenizer)


def generate(name: str, prompt: str, cfg: SamplingConfig) -> Generation:
    lm = models.load(name)
    prompt_ids = encode_prompt(lm.tokenizer, prompt)[0].tolist()
    done = list(stream(name, prompt, cfg))
    ids = [s.token_id for s in done]
    return Generation(prompt_ids, ids, lm.tokenizer.decode(ids), done)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", default="smollm2", help="'smollm2' (packaged) or a causal hub id when online")
    p.add_argument("--prompt", default="The capital of France is", help="the text to continue")
    knobs.add_arguments(p, SamplingConfig)


def run_cli(args: argparse.Namespace) -> dict:
    cfg = knobs.config_from_args(SamplingConfig, args)
    t0 = time.perf_counter()
    out = generate(args.model, args.prompt, cfg)
    return {"experiment": "generate", "model": args.model, "prompt": args.prompt, "text": out.text,
            "token_ids": out.ids, "prompt_ids": out.prompt_ids,
            "tokens": [{"token": s.token, "prob": round(s.prob, 4), "model_prob": round(s.model_prob, 4),
                        "kept": s.kept} for s in out.steps],
            "seconds": round(time.perf_counter() - t0, 2), "config": vars(cfg)}
