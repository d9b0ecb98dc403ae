"""Character-level vocabularies: one token per character, plus a few special tokens.

A character the vocabulary has never seen becomes ``<unk>``; Vietnamese letters are single code points
after NFC normalisation, so "ệ" is one token, not "e" plus two combining marks.
"""

from __future__ import annotations

import string
import unicodedata
from dataclasses import dataclass

import torch

SPECIALS = ("<pad>", "<bos>", "<eos>", "<mask>", "<unk>")
PAD, BOS, EOS, MASK, UNK = range(len(SPECIALS))

_VI_LOWER = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
ALPHABET = string.ascii_letters + string.digits + " .,:;!?'\"()-/_" + _VI_LOWER + _VI_LOWER.upper()


def normalise(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@dataclass(frozen=True)
class CharVocab:
    chars: str  # the ordinary characters, in token order after the specials

    @classmethod
    def from_text(cls, text: str) -> "CharVocab":
        return cls("".join(sorted(set(normalise(text)) - set(SPECIALS))))

    @property
    def size(self) -> int:
        return len(SPECIALS) + len(self.chars)

    @property
    def _index(self) -> dict[str, int]:
        return {c: i + len(SPECIALS) for i, c in enumerate(self.chars)}

    def encode(self, text: str) -> list[int]:
        index = self._index
        return [index.get(c, UNK) for c in normalise(text)]

    def decode(self, ids, stop_at_eos: bool = True) -> str:
        out = []
        for i in (ids.tolist() if isinstance(ids, torch.Tensor) else ids):
            if i == EOS and stop_at_eos:
                break
            if i >= len(SPECIALS):
                out.append(self.chars[i - len(SPECIALS)])
            elif i == MASK:
                out.append("_")
            elif i == UNK:
                out.append("?")
        return "".join(out)

    def token(self, i: int) -> str:
        """A readable label of one token (specials as themselves, a space as '␣')."""
        if i < len(SPECIALS):
            return SPECIALS[i]
        c = self.chars[i - len(SPECIALS)]
        return "␣" if c == " " else c


def pad_batch(rows: list[list[int]], pad: int = PAD) -> torch.Tensor:
    """Lists of ids -> (B, T_max) long tensor, right-padded."""
    T = max(len(r) for r in rows)
    out = torch.full((len(rows), T), pad, dtype=torch.long)
    for i, r in enumerate(rows):
        out[i, :len(r)] = torch.tensor(r, dtype=torch.long)
    return out


SEQ2SEQ_VOCAB = CharVocab(ALPHABET)
