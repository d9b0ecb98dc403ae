"""Experiment 4: BERT vs GPT objectives on the same tiny corpus (``facts``), word by word.

Two models of the same size and the same initial weights, trained on the same windows of text:
- masked LM (BERT, Devlin et al. 2019): 15% of the words are hidden (80% -> <mask>, 10% -> a random word,
  10% kept) and predicted from **both sides**, so attention has no mask;
- causal LM (GPT, Radford et al. 2018): every word predicts the **next** one, so each position sees only
  itself and the words before it (a lower-triangular mask).
Then: ``fill`` asks both to fill a blank in the middle of a sentence; ``continue_text`` asks both to go on.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Iterator

import numpy as np
import torch
import torch.nn.functional as F

from playground.kit import knobs
from playground.kit.knobs import knob
from playground.kit.pretrained import loaded_once
from playground.lab import common, facts
from playground.kit.training import check_finite, lr_schedule, set_lr
from playground.lab.model import LanguageModel, TransformerConfig, causal_mask, check_heads, init_weights, n_params
from playground.lab.textdata import words
from playground.lab.vocab import MASK, PAD, SPECIALS, UNK, pad_batch
from playground.kit.runtime import fixed_threads

WARMUP = 50  # steps of linear warm-up, then a cosine to a tenth of the peak
KINDS = ("mlm", "clm")  # masked (bidirectional) and causal (next token)
BLANKS = ("_", "[mask]", "<mask>")
MAX_WORDS = 32  # longest typed sentence


@dataclass(frozen=True)
class WordVocab:
    words: tuple[str, ...]  # after the specials

    @property
    def size(self) -> int:
        return len(SPECIALS) + len(self.words)

    def encode_words(self, text: str) -> list[str]:
        """The words of ``text`` as the model reads them (a blank is '_')."""
        return _split(text)

    def encode(self, text: str) -> list[int]:
        index = {w: i + len(SPECIALS) for i, w in enumerate(self.words)}
        return [MASK if w in BLANKS else index.get(w, UNK) for w in _split(text)]

    @property
    def newline(self) -> int:
        """The line break that ends every sentence of the corpus (and starts a typed one)."""
        return len(SPECIALS) + self.words.index("\n")

    def word(self, i: int) -> str:
        return SPECIALS[i] if i < len(SPECIALS) else self.words[i - len(SPECIALS)].replace("\n", "↵")


def _split(text: str) -> list[str]:
    """Words, with a blank written as '_' or '[MASK]' kept as one piece."""
    text = text.replace("[MASK]", " _ ").replace("[mask]", " _ ").replace("<mask>", " _ ")
    return [w for part in text.split() for w in (["_"] if set(part) == {"_"} else words(part))]


@loaded_once(maxsize=1)
def word_data() -> tuple[WordVocab, list[list[int]]]:
    """The vocabulary of the fact corpus and each of its sentences as ids, starting with a line break."""
    sentences = facts.sentences()
    vocab = WordVocab(tuple(sorted({w for line in sentences for w in words(line)} | {"\n"})))
    return vocab, [[vocab.newline] + vocab.encode(line) for line in sentences]


@dataclass
class ObjectivesConfig:
    d_model: int = knob(64, 16, 512, integer=True, help="model width (both models)")
    n_heads: int = knob(4, 1, 16, integer=True, help="attention heads")
    n_layers: int = knob(2, 1, 8, integer=True, help="layers")
    steps: int = knob(500, 1, 100_000, integer=True, help="training steps (each model)")
    batch: int = knob(64, 1, 1024, integer=True, help="sentences per step")
    lr: float = knob(3e-3, 0.0, 1.0, open_low=True, help="peak learning rate")
    mask_rate: float = knob(0.15, 0.0, 1.0, open_low=True, help="share of words the masked LM must guess (at least one per sentence)")
    seed: int = knob(0, 0, 2**31 - 1, integer=True, help="seed of the batches, the masks and the initial weights")

    def __post_init__(self) -> None:
        knobs.check(self)
        check_heads(self)


PRESETS = {"default": {}, "quick": {"steps": 200}}


@dataclass(frozen=True)
class ObjectivesSnapshot:
    step: int
    elapsed: dict[str, float]
    loss: dict[str, float]  # "mlm": loss on the masked words; "clm": next-word loss
    accuracy: dict[str, float]  # share of the predicted words that were right, on this interval's batches
    done: bool = False


def mask_tokens(x: torch.Tensor, rate: float, vocab_size: int, g: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """BERT's corruption. x (B, T) -> corrupted input (B, T) and targets (B, T) with -100 where not chosen.
    Only words are chosen (not the leading line break, not padding), at least one per sentence."""
    words_ = x >= len(SPECIALS)
    words_[:, 0] = False
    chosen = (torch.rand(x.shape, generator=g) < rate) & words_
    pick = (torch.rand(x.shape, generator=g) * words_).argmax(1)  # one random word of each sentence
    chosen[torch.arange(x.shape[0]), pick] |= ~chosen.any(1)
    action = torch.rand(x.shape, generator=g)
    corrupted = x.clone()
    corrupted[chosen & (action < 0.8)] = MASK
    swap = chosen & (action >= 0.8) & (action < 0.9)
    corrupted[swap] = torch.randint(len(SPECIALS), vocab_size, (int(swap.sum()),), generator=g)
    return corrupted, x.masked_fill(~chosen, -100)


class ObjectivesLab:
    def __init__(self, cfg: ObjectivesConfig) -> None:
        self.cfg = cfg
        self.vocab, self.sentences = word_data()
        mcfg = TransformerConfig(vocab_size=self.vocab.size, d_model=cfg.d_model, n_heads=cfg.n_heads,
                                 n_layers=cfg.n_layers, d_ff=4 * cfg.d_model, max_len=MAX_WORDS, norm="pre")
        self.models = {kind: init_weights(LanguageModel(mcfg, causal=kind == "clm"),
                                          torch.Generator().manual_seed(cfg.seed)) for kind in KINDS}
        self.opts = {k: common.adam(m, cfg.lr) for k, m in self.models.items()}
        self.schedule = lr_schedule("cosine", cfg.steps, WARMUP, floor=0.1)
        self.g = torch.Generator().manual_seed(cfg.seed + 1)
        self.step_count = 0
        self.elapsed = {k: 0.0 for k in KINDS}

    @property
    def n_params(self) -> int:
        return n_params(self.models["mlm"])

    def batch(self) -> torch.Tensor:
        """(B, T) random sentences of the corpus: line break, words, line break, then padding."""
        pick = torch.randint(0, len(self.sentences), (self.cfg.batch,), generator=self.g).tolist()
        return pad_batch([self.sentences[i] + [self.vocab.newline] for i in pick])

    def _loss(self, kind: str, batch: torch.Tensor, masked) -> tuple[torch.Tensor, torch.Tensor]:
        if kind == "mlm":
            x, y = masked
        else:
            x, y = batch[:, :-1], batch[:, 1:].masked_fill(batch[:, 1:] == PAD, -100)  # predict each next word
        logits = self.models[kind](x, pad_id=PAD)  # (B, T, V)
        loss = F.cross_entropy(logits.transpose(1, 2), y, ignore_index=-100)
        keep = y != -100
        right = ((logits.argmax(-1) == y) & keep).sum() / keep.sum()
        return loss, right

    @fixed_threads(common.THREADS)
    def run(self, steps: int | None = None, report_every: int = 25) -> Iterator[ObjectivesSnapshot | None]:
        end = self.cfg.steps if steps is None else self.step_count + steps
        losses, rights = {k: [] for k in KINDS}, {k: [] for k in KINDS}
        while self.step_count < end:
            batch = self.batch()  # (B, T)
            masked = mask_tokens(batch[:, :-1], self.cfg.mask_rate, self.vocab.size, self.g)
            for kind in KINDS:
                t0 = time.perf_counter()
                opt = self.opts[kind]
                set_lr(opt, self.cfg.lr * self.schedule(self.step_count))
                loss, right = self._loss(kind, batch, masked)
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()
                self.elapsed[kind] += time.perf_counter() - t0
                losses[kind].append(loss.detach())
                rights[kind].append(right)
            self.step_count += 1
            last = self.step_count == end
            if last or self.step_count % report_every == 0:
                yield ObjectivesSnapshot(
                    self.step_count, dict(self.elapsed),
                    {k: check_finite(float(torch.stack(v).mean()), self.step_count) for k, v in losses.items()},
                    {k: float(torch.stack(v).mean()) for k, v in rights.items()}, last)
                losses, rights = {k: [] for k in KINDS}, {k: [] for k in KINDS}
            else:
                yield None

    # ------------------------------------------------------------ what each can do
    def _ids(self, text: str) -> torch.Tensor:
        """A typed sentence as ids (1, T), after a line break as every sentence of the corpus."""
        ids = self.vocab.encode(text)
        if not ids:
            raise ValueError("type a sentence")
        if len(ids) + 1 > MAX_WORDS:
            raise ValueError(f"at most {MAX_WORDS - 1} words, got {len(ids)}")
        return torch.tensor([self.vocab.newline] + ids)[None]

    def tokens(self, text: str) -> list[str]:
        """The labels of the tokens the models read for ``text`` (a line break first)."""
        return [self.vocab.word(i) for i in self._ids(text)[0].tolist()]

    @torch.no_grad()
    def fill(self, text: str, top: int = 5) -> dict:
        """The blank ('_' or '[MASK]') filled by each model. The masked LM reads the whole sentence; the
        causal LM can use only the words before the blank (its prediction at the previous position)."""
        ids = self._ids(text)
        where = (ids[0] == MASK).nonzero().flatten().tolist()
        if not where:
            raise ValueError("mark the blank with _ , e.g. 'the cat _ on the window sill'")
        pos = where[0]
        out = {"tokens": [self.vocab.word(i) for i in ids[0].tolist()], "blank": pos}
        for kind, model in self.models.items():
            model.eval()
            if kind == "mlm":
                probs = model(ids)[0, pos].softmax(-1)
            elif pos == 0:
                probs = torch.full((self.vocab.size,), 1.0 / self.vocab.size)  # nothing to the left: no clue
            else:
                probs = model(ids[:, :pos])[0, -1].softmax(-1)
            model.train()
            p, i = probs.topk(top)
            out[kind] = [(self.vocab.word(j), round(float(q), 4)) for q, j in zip(p, i.tolist())]
        return out

    @torch.no_grad()
    def continue_text(self, text: str, n_words: int = 8) -> dict[str, str]:
        """Greedy continuation. The causal LM does what it was trained for. The masked LM is asked the only
        way it can be: append a <mask>, fill it, repeat (it never learned to write past the end)."""
        ids = self._ids(text)
        out = {}
        for kind, model in self.models.items():
            model.eval()
            seq = ids
            for _ in range(n_words):
                if seq.shape[1] >= model.cfg.max_len:
                    break
                inp = torch.cat([seq, torch.tensor([[MASK]])], 1) if kind == "mlm" else seq
                nxt = model(inp)[0, -1].argmax()
                seq = torch.cat([seq, nxt.view(1, 1)], 1)
            model.train()
            out[kind] = " ".join(self.vocab.word(i) for i in seq[0, ids.shape[1]:].tolist())
        return out

    @torch.no_grad()
    def attention(self, text: str) -> dict[str, np.ndarray]:
        """Each model's mask (T, T; 1 = may attend) and its attention weights (L, H, T, T) on ``text``."""
        ids = self._ids(text)
        T = ids.shape[1]
        out = {}
        for kind, model in self.models.items():
            _, w = model(ids, attn=True)
            mask = causal_mask(T) if kind == "clm" else torch.ones(T, T, dtype=torch.bool)
            out[f"{kind}_mask"] = mask.numpy().astype(np.float32)
            out[f"{kind}_attention"] = w[:, 0].numpy()
        return out


def preset_config(name: str = "default", **overrides) -> ObjectivesConfig:
    if name not in PRESETS:
        raise ValueError(f"unknown preset {name!r}; choose from {', '.join(PRESETS)}")
    return ObjectivesConfig(**{**PRESETS[name], **overrides})
