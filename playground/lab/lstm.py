"""Experiment 3: transformer vs LSTM.

(a) Parallelism: forward and training-step time against sequence length, measured here and now. An LSTM
    must take T steps one after another; self-attention treats all T positions in one matrix product, at
    a cost that grows with T^2. On a CPU a fused LSTM kernel can still win on short inputs: we say so.
(b) Long range: recall the first token of a sequence after d random distractors. Both models get the same
    parameter budget (the LSTM's width is chosen to match the transformer's count) and the same batches;
    test accuracy is measured for every d while they train. Each distance d trains a pair of its own (from the
    same initial weights): trained on a mix of distances, one LSTM learned its latch on the short ones and then
    held it at every d alike (seed 0, 1,000 steps: 77%, 75%, 76% at d = 4, 16, 64), which hid the very effect
    of distance the experiment is about: a signal, and the gradient that teaches it, must cross d steps.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Iterator

import torch
import torch.nn.functional as F
from torch import nn

from playground.kit import knobs
from playground.kit.knobs import knob
from playground.lab import common
from playground.kit.training import check_finite
from playground.lab.model import LanguageModel, TransformerConfig, check_heads, init_weights, n_params
from playground.kit.runtime import best_ms, fixed_threads

SYMBOLS = 8  # the tokens to recall are 0..SYMBOLS-1; SYMBOLS is the query marker
MODELS = ("transformer", "lstm")


class LSTMClassifier(nn.Module):
    """Embedding -> LSTM -> linear head, predicting at every position like the transformer."""

    def __init__(self, vocab: int, hidden: int, layers: int = 1) -> None:
        super().__init__()
        self.emb = nn.Embedding(vocab, hidden)
        self.lstm = nn.LSTM(hidden, hidden, num_layers=layers, batch_first=True)
        self.head = nn.Linear(hidden, vocab)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        h, _ = self.lstm(self.emb(ids))  # (B, T, H)
        return self.head(h)  # (B, T, V)


def matched_lstm_width(target: int, vocab: int, layers: int = 1) -> int:
    """The LSTM width whose parameter count comes closest to ``target``."""
    def count(h: int) -> int:
        return vocab * h + layers * (8 * h * h + 8 * h) + h * vocab + vocab
    return min(range(4, 2048), key=lambda h: abs(count(h) - target))


def _whole_numbers(name: str, values, lo: int, hi: int, most: int) -> tuple[int, ...]:
    """A non-empty list of at most ``most`` whole numbers in lo..hi, sorted, without repeats (KnobError otherwise).
    The count is checked before any value: a list of 4,000 lengths is refused, not timed."""
    limit = knobs.Limit(lo, hi, integer=True)
    if isinstance(values, (int, float, str)):
        values = [values]
    values = list(values)
    if len(values) > most:
        raise ValueError(f"{name}: at most {most} values (got {len(values)})")
    out = tuple(sorted({knobs.coerce(name, limit, v) for v in values}))
    if not out:
        raise ValueError(f"{name} needs at least one value from {lo} to {hi}")
    return out


# Bounds of one request of part (a), at the widest width (256) on 2 cores: eight lengths up to 512 took 15.7 s and
# peaked at 767 MB of RSS (from 220); up to 1,024, 34 s and 1.1 GB; one length of 4,096 took 3.4 s a step
MAX_TIMED, MAX_LENGTHS, MAX_DISTANCES = 512, 6, 6


@dataclass
class LstmConfig:
    distances: tuple = knob((2, 8, 32), help="distances d to test (tokens between the first token and the "
                                             "question); each trains a transformer and an LSTM of its own")
    d_model: int = knob(32, 8, 256, integer=True, help="transformer width (the LSTM's is matched to its parameter count)")
    n_layers: int = knob(2, 1, 6, integer=True, help="transformer layers")
    n_heads: int = knob(2, 1, 8, integer=True, help="transformer heads")
    steps: int = knob(400, 1, 100_000, integer=True, help="training steps")
    batch: int = knob(32, 1, 1024, integer=True, help="sequences per step")
    lr: float = knob(3e-3, 0.0, 1.0, open_low=True, help="learning rate (both models)")
    eval_every: int = knob(50, 1, 100_000, integer=True, help="steps between accuracy checks")
    lengths: tuple = knob((16, 64, 256, 512), help="sequence lengths timed in part (a)")
    seed: int = knob(0, 0, 2**31 - 1, integer=True, help="seed of the data and the initial weights")

    def __post_init__(self) -> None:
        knobs.check(self)
        self.distances = _whole_numbers("distances", self.distances, 1, 512, MAX_DISTANCES)
        self.lengths = _whole_numbers("lengths", self.lengths, 2, MAX_TIMED, MAX_LENGTHS)
        check_heads(self)


PRESETS = {"default": {}, "quick": {"steps": 300, "distances": (2, 32)}}


# ---------------------------------------------------------------- (a) timing
def timing(cfg: LstmConfig, batch: int = 8) -> Iterator[dict | None]:
    """For each length T: best-of-3 forward and training-step time (ms) of both models (same widths as
    part (b)). Yields one row per T (and None between the measurements)."""
    g = torch.Generator().manual_seed(cfg.seed)
    models = build_models(cfg, max_len=max(cfg.lengths), g=g)
    for T in cfg.lengths:
        ids = torch.randint(0, SYMBOLS, (batch, T), generator=g)
        row = {"T": T}
        for name, model in models.items():
            opt = torch.optim.SGD(model.parameters(), lr=0.0)  # a step that changes nothing, timed all the same

            def forward():
                with torch.no_grad():
                    model(ids)

            def train_step():
                loss = F.cross_entropy(model(ids).transpose(1, 2), ids)
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()

            row[f"{name}_forward_ms"] = round(best_ms(forward), 3)
            yield None
            row[f"{name}_train_ms"] = round(best_ms(train_step), 3)
            yield None
        yield row


# ---------------------------------------------------------------- (b) long range
def build_models(cfg: LstmConfig, max_len: int, g: torch.Generator) -> dict[str, nn.Module]:
    vocab = SYMBOLS + 1
    tcfg = TransformerConfig(vocab_size=vocab, d_model=cfg.d_model, n_heads=cfg.n_heads, n_layers=cfg.n_layers,
                             d_ff=4 * cfg.d_model, max_len=max_len, norm="pre")
    transformer = init_weights(LanguageModel(tcfg, causal=True), g)
    width = matched_lstm_width(n_params(transformer), vocab)
    return {"transformer": transformer, "lstm": init_weights(LSTMClassifier(vocab, width), g)}


def recall_batch(batch: int, d: int, g: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """Sequences [x0, d random tokens, QUERY] (B, d + 2) and their answers x0 (B,)."""
    seq = torch.randint(0, SYMBOLS, (batch, d + 2), generator=g)
    seq[:, -1] = SYMBOLS
    return seq, seq[:, 0].clone()


@dataclass(frozen=True)
class LstmSnapshot:
    step: int
    elapsed: dict[str, float]  # model -> seconds spent training it
    loss: dict[str, float]  # model -> mean loss since the last snapshot (over every distance)
    accuracy: dict[str, dict[int, float]]  # model -> {d: test accuracy}; chance is 1 / SYMBOLS
    accuracy_step: int
    n_params: dict[str, int]
    done: bool = False


class LongRangeLab:
    """For every distance d a transformer and an LSTM of its own, all pairs from the same initial weights; both
    models of a pair see the same batches."""

    def __init__(self, cfg: LstmConfig) -> None:
        self.cfg = cfg
        max_len = max(cfg.distances) + 2  # one size for every pair: the same parameter counts at every d
        self.pairs = {d: build_models(cfg, max_len=max_len, g=torch.Generator().manual_seed(cfg.seed))
                      for d in cfg.distances}
        self.opts = {(d, k): common.adam(m, cfg.lr) for d, pair in self.pairs.items() for k, m in pair.items()}
        self.data = torch.Generator().manual_seed(cfg.seed + 1)
        test_g = torch.Generator().manual_seed(cfg.seed + 2)
        self.test = {d: recall_batch(256, d, test_g) for d in cfg.distances}
        self.step_count = 0
        self.elapsed = {k: 0.0 for k in MODELS}
        self.accuracy: dict[str, dict[int, float]] = {}
        self.accuracy_step = 0

    @property
    def models(self) -> dict[str, nn.Module]:
        """Every model by name (``transformer_d8``, ``lstm_d8``, ...), as a download saves them."""
        return {f"{k}_d{d}": m for d, pair in self.pairs.items() for k, m in pair.items()}

    @property
    def n_params(self) -> dict[str, int]:
        return {k: n_params(m) for k, m in self.pairs[self.cfg.distances[0]].items()}

    @torch.no_grad()
    def evaluate(self) -> dict[str, dict[int, float]]:
        out = {k: {} for k in MODELS}
        for d, (x, y) in self.test.items():
            for name, model in self.pairs[d].items():
                pred = model(x)[:, -1].argmax(-1)
                out[name][d] = float((pred == y).float().mean())
        self.accuracy, self.accuracy_step = out, self.step_count
        return out

    @fixed_threads(common.THREADS)
    def run(self, steps: int | None = None, report_every: int = 25) -> Iterator[LstmSnapshot | None]:
        end = self.cfg.steps if steps is None else self.step_count + steps
        losses = {k: [] for k in MODELS}
        while self.step_count < end:
            for d, pair in self.pairs.items():  # one batch per distance, the same for both models of its pair
                x, y = recall_batch(self.cfg.batch, d, self.data)
                for name, model in pair.items():
                    t0 = time.perf_counter()
                    loss = F.cross_entropy(model(x)[:, -1], y)  # only the answer at the query counts
                    self.opts[d, name].zero_grad(set_to_none=True)
                    loss.backward()
                    self.opts[d, name].step()
                    self.elapsed[name] += time.perf_counter() - t0
                    losses[name].append(loss.detach())
                yield None  # a chance to stop between distances
            self.step_count += 1
            last = self.step_count == end
            evaluate = last or self.step_count % self.cfg.eval_every == 0
            if evaluate:
                self.evaluate()
            if evaluate or self.step_count % report_every == 0:
                mean = {k: check_finite(float(torch.stack(v).mean()), self.step_count) for k, v in losses.items()}
                yield LstmSnapshot(self.step_count, dict(self.elapsed), mean, self.accuracy, self.accuracy_step,
                                   self.n_params, last)
                losses = {k: [] for k in MODELS}
            else:
                yield None


def preset_config(name: str = "default", **overrides) -> LstmConfig:
    if name not in PRESETS:
        raise ValueError(f"unknown preset {name!r}; choose from {', '.join(PRESETS)}")
    return LstmConfig(**{**PRESETS[name], **overrides})
