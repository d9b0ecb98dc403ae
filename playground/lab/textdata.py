"""The small bilingual text shipped in ``assets/lab/corpus.txt`` (written for this project), as characters
or as words, and random training windows drawn from a private generator."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import torch

from playground.kit.pretrained import loaded_once
from playground.lab.vocab import CharVocab, normalise

CORPUS = Path(__file__).resolve().parents[2] / "assets" / "lab" / "corpus.txt"
WORD = re.compile(r"\w+|[^\w\s]", re.UNICODE)


@functools.lru_cache(maxsize=1)
def corpus_text() -> str:
    return normalise(CORPUS.read_text(encoding="utf-8"))


@loaded_once(maxsize=1)
def char_data() -> tuple[CharVocab, torch.Tensor]:
    """The vocabulary of the corpus's characters and the whole text as ids (N,)."""
    text = corpus_text()
    vocab = CharVocab.from_text(text)
    return vocab, torch.tensor(vocab.encode(text), dtype=torch.long)


def words(text: str) -> list[str]:
    """Lower-cased words and punctuation marks."""
    return WORD.findall(normalise(text).lower())


def random_windows(data: torch.Tensor, batch: int, length: int, g: torch.Generator) -> torch.Tensor:
    """(batch, length) windows of ``data`` at random offsets drawn from ``g``."""
    starts = torch.randint(0, data.numel() - length, (batch,), generator=g)
    return torch.stack([data[s:s + length] for s in starts.tolist()])
