"""Experiment 1: one small encoder-decoder trained T5 style on several text-to-text tasks at once.

The encoder reads the whole input with bidirectional self-attention; the decoder writes the answer one
character at a time with causal self-attention, and looks back at the input through cross-attention.
``Seq2SeqLab.run()`` trains and yields ``Seq2SeqSnapshot``s (loss and exact match per task);
``Seq2SeqLab.answer(text)`` decodes a typed input greedily and returns every attention map.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Iterator

import numpy as np
import torch
import torch.nn.functional as F

from playground.kit import knobs
from playground.kit.knobs import knob
from playground.lab import common, tasks
from playground.kit.training import check_finite, lr_schedule, set_lr
from playground.lab.model import Seq2Seq, TransformerConfig, check_heads, init_weights, n_params
from playground.lab.vocab import BOS, EOS, PAD, SEQ2SEQ_VOCAB, pad_batch
from playground.kit.runtime import fixed_threads

MAX_IN = 48  # characters of input (prefix included)
MAX_OUT = 16  # characters of output, EOS included


@dataclass
class Seq2SeqConfig:
    tasks: tuple = knob(tasks.TASKS, choices=tasks.TASKS, help="tasks trained together (named by their prefix)")
    d_model: int = knob(64, 16, 512, integer=True, help="model width")
    n_heads: int = knob(4, 1, 16, integer=True, help="attention heads")
    n_layers: int = knob(2, 1, 6, integer=True, help="layers in the encoder and in the decoder")
    steps: int = knob(1250, 1, 100_000, integer=True, help="training steps")
    batch: int = knob(32, 1, 1024, integer=True, help="examples per step")
    lr: float = knob(3e-3, 0.0, 1.0, open_low=True, help="peak learning rate")
    warmup: int = knob(100, 0, 10_000, integer=True, help="linear warm-up steps")
    date_weight: float = knob(2.0, 0.0, 10.0, help="how much more often a date task is drawn than the others")
    eval_every: int = knob(250, 1, 100_000, integer=True, help="steps between exact-match checks")
    test_per_task: int = knob(100, 1, 2000, integer=True, help="held-out examples per task")
    seed: int = knob(0, 0, 2**31 - 1, integer=True, help="seed of the data and the initial weights")

    def __post_init__(self) -> None:
        knobs.check(self)
        if not self.tasks:
            raise ValueError("choose at least one task")
        check_heads(self)

    def model_config(self) -> TransformerConfig:
        return TransformerConfig(vocab_size=SEQ2SEQ_VOCAB.size, d_model=self.d_model, n_heads=self.n_heads,
                                 n_layers=self.n_layers, d_ff=4 * self.d_model, max_len=MAX_IN, norm="pre")


PRESETS = {"default": {}, "quick": {"steps": 400, "eval_every": 100}}


@dataclass(frozen=True)
class Seq2SeqSnapshot:
    step: int
    elapsed: float  # seconds of training (evaluation excluded)
    lr: float
    loss: float  # mean over the steps since the last snapshot
    task_loss: dict[str, float]
    exact: dict[str, float]  # latest held-out exact match per task (0..1); empty before the first check
    exact_step: int  # the step at which ``exact`` was measured
    samples: tuple[tuple[str, str, str], ...] = ()  # (input, target, output) of a few test examples
    done: bool = False


@dataclass(frozen=True)
class Decoding:
    """A greedy decoding of one input with every attention map (numpy, float32)."""

    input_tokens: list[str]  # the encoder's tokens (characters)
    output_tokens: list[str]  # what the decoder wrote, one character per step, ending with <eos>
    decoder_inputs: list[str]  # what the decoder read at each step: <bos> and the previous outputs
    text: str
    cross: np.ndarray  # (L, H, out_len, in_len): output step t looking at input character s
    decoder_self: np.ndarray  # (L, H, out_len, out_len), zero above the diagonal
    encoder_self: np.ndarray  # (L, H, in_len, in_len), no mask
    probs: list[float] = field(default_factory=list)  # probability of each chosen token


def encode_inputs(texts: list[str]) -> torch.Tensor:
    rows = []
    for t in texts:
        ids = SEQ2SEQ_VOCAB.encode(t)
        if len(ids) > MAX_IN:
            raise ValueError(f"input is {len(ids)} characters long; at most {MAX_IN} are allowed")
        rows.append(ids)
    return pad_batch(rows)


def encode_targets(texts: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
    """Teacher forcing: decoder input <bos> y1..yn, target y1..yn <eos>; both (B, T) padded."""
    ins = [[BOS] + SEQ2SEQ_VOCAB.encode(t) for t in texts]
    outs = [SEQ2SEQ_VOCAB.encode(t) + [EOS] for t in texts]
    return pad_batch(ins), pad_batch(outs)


@torch.no_grad()
def greedy(model: Seq2Seq, src: torch.Tensor, max_out: int = MAX_OUT) -> torch.Tensor:
    """Batched greedy decoding: (B, S) -> (B, <= max_out) output ids (after <bos>; PAD after <eos>)."""
    memory = model.encode(src)
    out = torch.full((src.shape[0], 1), BOS, dtype=torch.long)
    finished = torch.zeros(src.shape[0], dtype=torch.bool)
    for _ in range(max_out):
        logits = model.decode(out, memory, src)[:, -1]  # (B, V)
        nxt = logits.argmax(-1).masked_fill(finished, PAD)
        out = torch.cat([out, nxt[:, None]], dim=1)
        finished |= nxt == EOS
        if finished.all():
            break
    return out[:, 1:]


class Seq2SeqLab:
    """A model, its optimizer, its data stream and its held-out set: one run that can be resumed."""

    def __init__(self, cfg: Seq2SeqConfig) -> None:
        self.cfg = cfg
        g = torch.Generator().manual_seed(cfg.seed)
        self.model = init_weights(Seq2Seq(cfg.model_config(), pad_id=PAD), g)
        self.opt = common.adam(self.model, cfg.lr)
        self.schedule = lr_schedule("cosine", cfg.steps, cfg.warmup, floor=0.1)  # warm-up, then to lr / 10
        self.test = tasks.test_set(cfg.tasks, cfg.test_per_task)
        weights = tuple(cfg.date_weight if t.startswith("date") else 1.0 for t in cfg.tasks)
        self.stream = tasks.TaskStream(cfg.tasks, weights, cfg.seed, self.test.all_inputs)
        self.step_count, self.elapsed = 0, 0.0
        self.exact: dict[str, float] = {}
        self.exact_step = 0
        self.samples: tuple = ()

    @property
    def n_params(self) -> int:
        return n_params(self.model)

    def train_step(self) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
        names, xs, ys = self.stream.batch(self.cfg.batch)
        src = encode_inputs(xs)
        tgt_in, tgt_out = encode_targets(ys)
        set_lr(self.opt, self.cfg.lr * self.schedule(self.step_count))
        logits = self.model(src, tgt_in)  # (B, T, V)
        per_token = F.cross_entropy(logits.flatten(0, 1), tgt_out.flatten(), ignore_index=PAD,
                                    reduction="none").view(tgt_out.shape)  # (B, T)
        per_example = per_token.sum(1) / (tgt_out != PAD).sum(1)  # (B,)
        loss = per_example.mean()
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        self.opt.step()
        self.step_count += 1
        idx = {t: [i for i, n in enumerate(names) if n == t] for t in self.cfg.tasks}
        by_task = {t: per_example.detach()[i].mean() for t, i in idx.items() if i}
        return loss.detach(), by_task

    @torch.no_grad()
    def evaluate_task(self, task: str, n_samples: int = 2) -> tuple[float, list]:
        """Exact match on the held-out questions of one task, and a few (input, target, output) samples."""
        xs, ys = self.test.inputs[task], self.test.targets[task]
        self.model.eval()
        outs = [SEQ2SEQ_VOCAB.decode(row) for row in greedy(self.model, encode_inputs(xs))]
        self.model.train()
        return float(np.mean([o == y for o, y in zip(outs, ys)])), list(zip(xs[:n_samples], ys, outs))

    def _evaluate(self) -> Iterator[None]:
        """Every task in turn, yielding between them (a UI can pause); sets ``exact`` and ``samples``."""
        exact, samples = {}, []
        for task in self.cfg.tasks:
            exact[task], some = self.evaluate_task(task)
            samples += some
            yield None
        self.exact, self.exact_step, self.samples = exact, self.step_count, tuple(samples)

    def evaluate(self) -> dict[str, float]:
        """Exact match per task on the held-out set (also kept in ``exact``)."""
        for _ in self._evaluate():
            pass
        return self.exact

    @fixed_threads(common.THREADS)
    def run(self, steps: int | None = None, report_every: int = 25) -> Iterator[Seq2SeqSnapshot | None]:
        """Train ``steps`` more steps (default: up to ``cfg.steps``). Yields a snapshot every
        ``report_every`` steps, after each evaluation and at the end; ``None`` after every other step."""
        end = self.cfg.steps if steps is None else self.step_count + steps
        losses, task_losses = [], {t: [] for t in self.cfg.tasks}
        while self.step_count < end:
            t0 = time.perf_counter()
            loss, by_task = self.train_step()
            losses.append(loss)
            for t, v in by_task.items():
                task_losses[t].append(v)
            self.elapsed += time.perf_counter() - t0
            last = self.step_count == end
            evaluate = self.step_count % self.cfg.eval_every == 0 or last
            if evaluate:
                yield from self._evaluate()
            if evaluate or self.step_count % report_every == 0:
                yield self._snapshot(losses, task_losses, self.samples, done=last)
                losses, task_losses = [], {t: [] for t in self.cfg.tasks}
            else:
                yield None

    def _snapshot(self, losses, task_losses, samples, done: bool) -> Seq2SeqSnapshot:
        mean = check_finite(float(torch.stack(losses).mean()), self.step_count)
        return Seq2SeqSnapshot(
            step=self.step_count, elapsed=self.elapsed, lr=self.opt.param_groups[0]["lr"], loss=mean,
            task_loss={t: float(torch.stack(v).mean()) for t, v in task_losses.items() if v},
            exact=dict(self.exact), exact_step=self.exact_step, samples=samples, done=done)

    @torch.no_grad()
    def answer(self, text: str, max_out: int = MAX_OUT) -> Decoding:
        """Greedy decoding of one typed input, then one more pass to collect every attention map."""
        text = (text or "").strip()
        if not text:
            raise ValueError("type an input, e.g. 'date: ngày 9 tháng 11 năm 1989'")
        self.model.eval()
        src = encode_inputs([text])  # (1, S)
        out = greedy(self.model, src, max_out)[0]
        keep = out[out != PAD]
        tgt = torch.cat([torch.tensor([BOS]), keep[:-1]])[None]  # (1, out_len): what each step read
        memory, enc = self.model.encode(src, attn=True)
        logits, dec, cross = self.model.decode(tgt, memory, src, attn=True)
        probs = logits[0].softmax(-1)
        chosen = keep
        self.model.train()
        as_np = lambda ws: torch.stack(ws)[:, 0].float().numpy()  # list of (1, H, T, S) -> (L, H, T, S)
        return Decoding(
            input_tokens=[SEQ2SEQ_VOCAB.token(i) for i in src[0].tolist()],
            output_tokens=[SEQ2SEQ_VOCAB.token(i) for i in chosen.tolist()],
            decoder_inputs=[SEQ2SEQ_VOCAB.token(i) for i in tgt[0].tolist()],
            text=SEQ2SEQ_VOCAB.decode(keep), cross=as_np(cross), decoder_self=as_np(dec), encoder_self=as_np(enc),
            probs=[float(probs[t, i]) for t, i in enumerate(chosen.tolist())])


def preset_config(name: str = "default", **overrides) -> Seq2SeqConfig:
    if name not in PRESETS:
        raise ValueError(f"unknown preset {name!r}; choose from {', '.join(PRESETS)}")
    return Seq2SeqConfig(**{**PRESETS[name], **overrides})
