"""Fine-tuning strategies raced on one pretrained encoder, one data set and one seed.

The model is all-MiniLM-L6-v2 (6 BERT layers, hidden 384) with a fresh classification head
(``BertForSequenceClassification``: CLS -> pooler (dense + tanh) -> dropout -> linear). Every run
starts from a private deep copy of a pristine template, so the shared model of ``playground.models``
is never touched and strategies cannot leak into each other.

Strategies (what receives gradients):

- ``feature_extraction``: only the linear head. The encoder is frozen, so its outputs are computed
  ONCE (one forward pass, no graph) and the head trains on the cached features: every epoch after
  that costs almost nothing. This is the method's real advantage, and the timing shows it.
- ``freeze_bottom`` / ``freeze_top``: freeze the bottom (embeddings + first k layers) or the top
  (last k layers + pooler) of the encoder; k defaults to half the layers.
- ``freeze_interval``: freeze every n-th layer (layers 0, n, 2n, ...).
- ``full``: every weight.
- ``lora``: low-rank updates ``W x + B A x * alpha / r`` on chosen projections (peft), plus the head.
- ``ia3``: learned rescaling of keys, values and the feed-forward input (peft, Liu et al. 2022).
- ``prompt_tuning``: learned "virtual token" embeddings prepended to the input (peft, Lester et al. 2021).

``race(config, strategies)`` runs them one after another on the same batches and yields frozen
``Snapshot``s (step, loss, periodic test accuracy, elapsed seconds); the last snapshot of each
strategy carries a ``StrategyResult`` with the measured figures (trainable parameters, peak memory,
samples per second, wall time, test accuracy, representation drift).
"""

from __future__ import annotations

import argparse
import copy
import ctypes
import math
import os
import threading
import time
import warnings
from dataclasses import asdict, dataclass, replace
from typing import Iterator

import torch
import torch.nn.functional as F
from torch import nn

from playground import textdata
from playground.runtime import pick_device, rss_bytes, set_seed

STRATEGIES = ("feature_extraction", "freeze_bottom", "freeze_top", "freeze_interval",
              "full", "lora", "ia3", "prompt_tuning")
PEFT_STRATEGIES = ("lora", "ia3", "prompt_tuning")
DEFAULT_RACE = ("feature_extraction", "freeze_bottom", "full", "lora")

# Per-strategy learning rates (AdamW): a pretrained weight needs small steps (the course's 2e-5..5e-5
# to avoid catastrophic forgetting); a fresh head or a small adapter starting at zero needs larger ones.
DEFAULT_LR = {
    "feature_extraction": 2e-2,  # a linear probe on fixed features: plain logistic regression
    "freeze_bottom": 1e-4,
    "freeze_top": 1e-4,
    "freeze_interval": 1e-4,
    "full": 5e-5,
    "lora": 1e-3,
    "ia3": 5e-3,
    "prompt_tuning": 3e-2,
}
SCHEDULES = ("constant", "linear", "cosine", "step")
OPTIMIZERS = ("adamw", "adam")
LORA_TARGETS = ("query", "key", "value", "attention.output.dense", "intermediate.dense", "output.dense")

# Defaults that depend on the device: the CPU race must finish in about a minute on 2 cores,
# a GPU trains on the whole training set.
CPU_DEFAULTS = dict(limit=800, test_limit=250, max_length=32, batch_size=16, evals=3)
GPU_DEFAULTS = dict(limit=None, test_limit=None, max_length=64, batch_size=64, evals=10)


# ---------------------------------------------------------------- configuration
@dataclass
class FinetuneConfig:
    """Every knob of a race. ``None`` means "the default for the device" (see ``resolved``)."""

    data: str = "tweets"
    limit: int | None = None  # training examples (a seeded, stratified subset); None: device default
    test_limit: int | None = None  # test examples scored; None: device default
    max_length: int | None = None  # tokens per text (longer texts are cut)
    batch_size: int | None = None
    epochs: int = 1
    lr: float | None = None  # None: DEFAULT_LR of each strategy
    optimizer: str = "adamw"
    weight_decay: float = 0.01
    schedule: str = "linear"
    warmup: float = 0.1  # fraction of the steps spent ramping the learning rate up from 0
    step_every: float = 0.33  # StepLR: multiply by step_gamma after each such fraction of the steps
    step_gamma: float = 0.5
    max_grad_norm: float = 1.0  # gradient clipping by global norm; 0 switches it off
    group_by_length: bool = False  # batches of similar lengths: less padding, but skewed batches (see epoch_batches)
    freeze_k: int | None = None  # layers frozen by freeze_bottom / freeze_top; None: half of them
    freeze_every: int = 2  # freeze_interval: freeze layers 0, n, 2n, ...
    lora_r: int = 8
    lora_alpha: int = 16
    lora_dropout: float = 0.1
    lora_targets: tuple[str, ...] = ("query", "value")
    prompt_tokens: int = 8
    evals: int | None = None  # test-set evaluations per strategy, evenly spaced, the last one at the end
    probe_size: int = 64  # test texts whose encoder representations measure forgetting
    seed: int = 0
    device: str = "auto"

    def __post_init__(self) -> None:
        def whole(name: str, lo: int, hi: int, optional: bool = False) -> None:
            v = getattr(self, name)
            if optional and v is None:
                return
            if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
                raise ValueError(f"{name} must be a whole number from {lo} to {hi}, got {v!r}")

        def real(name: str, lo: float, hi: float, lo_open: bool = False, optional: bool = False) -> None:
            v = getattr(self, name)
            if optional and v is None:
                return
            ok = isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
            ok = ok and (lo < v if lo_open else lo <= v) and v <= hi
            if not ok:
                side = "greater than" if lo_open else "at least"
                raise ValueError(f"{name} must be a number {side} {lo} and at most {hi}, got {v!r}")

        if self.data not in textdata.TEXT_SETS:
            raise ValueError(f"data must be one of {', '.join(textdata.TEXT_SETS)}, got {self.data!r}")
        whole("limit", 8, 10_000_000, optional=True)
        whole("test_limit", 8, 10_000_000, optional=True)
        whole("max_length", 8, 512, optional=True)
        whole("batch_size", 1, 4096, optional=True)
        whole("epochs", 1, 100)
        real("lr", 0.0, 1.0, lo_open=True, optional=True)
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"optimizer must be one of {', '.join(OPTIMIZERS)}, got {self.optimizer!r}")
        real("weight_decay", 0.0, 1.0)
        if self.schedule not in SCHEDULES:
            raise ValueError(f"schedule must be one of {', '.join(SCHEDULES)}, got {self.schedule!r}")
        real("warmup", 0.0, 0.9)
        real("step_every", 0.0, 1.0, lo_open=True)
        real("step_gamma", 0.0, 1.0, lo_open=True)
        real("max_grad_norm", 0.0, 1000.0)
        if not isinstance(self.group_by_length, bool):
            raise ValueError(f"group_by_length must be True or False, got {self.group_by_length!r}")
        whole("freeze_k", 0, 64, optional=True)
        whole("freeze_every", 1, 64)
        whole("lora_r", 1, 256)
        whole("lora_alpha", 1, 1024)
        real("lora_dropout", 0.0, 0.9)
        if isinstance(self.lora_targets, str):
            self.lora_targets = tuple(s.strip() for s in self.lora_targets.split(",") if s.strip())
        self.lora_targets = tuple(self.lora_targets)
        bad = [t for t in self.lora_targets if t not in LORA_TARGETS]
        if not self.lora_targets or bad:
            raise ValueError(f"lora_targets must be a non-empty choice of {', '.join(LORA_TARGETS)}; got {bad or 'none'}")
        whole("prompt_tokens", 1, 128)
        whole("evals", 1, 100, optional=True)
        whole("probe_size", 0, 1024)
        whole("seed", 0, 2**31 - 1)
        pick_device(self.device)  # raises ValueError for an unknown or missing device

    def resolved(self, device: torch.device | None = None) -> "FinetuneConfig":
        """A copy with every ``None`` replaced by the default of the device that will run it."""
        device = device or pick_device(self.device)
        defaults = GPU_DEFAULTS if device.type == "cuda" else CPU_DEFAULTS
        filled = {k: v for k, v in defaults.items() if getattr(self, k) is None}
        return replace(self, device=str(device), **filled)

    def lr_for(self, strategy: str) -> float:
        return self.lr if self.lr is not None else DEFAULT_LR[strategy]


def check_strategies(strategies) -> tuple[str, ...]:
    """Parse ``'a,b'`` or a list into known, de-duplicated strategy names (order kept)."""
    if isinstance(strategies, str):
        strategies = [s.strip() for s in strategies.split(",") if s.strip()]
    out = []
    for s in strategies or []:
        if s not in STRATEGIES:
            raise ValueError(f"unknown strategy {s!r}; choose from {', '.join(STRATEGIES)}")
        if s not in out:
            out.append(s)
    if not out:
        raise ValueError(f"choose at least one strategy from {', '.join(STRATEGIES)}")
    return tuple(out)


# ---------------------------------------------------------------- snapshots and results
@dataclass(frozen=True)
class StrategyResult:
    """What one strategy cost and achieved, all measured during the run."""

    strategy: str
    trainable: int
    total: int
    pct: float  # trainable / total * 100
    train_s: float  # time in training steps (for feature extraction: + computing the features); no evaluation
    wall_s: float  # everything: copying the model, training, evaluating
    samples_per_s: float  # training examples processed per second of train_s (epochs x examples)
    peak_mem_mb: float
    mem_kind: str  # how peak_mem_mb was measured (see PeakMemory)
    state_mem_mb: float  # weights + gradients + optimizer moments, computed from the parameter counts
    test_acc: float
    device: str
    lr: float
    steps: int
    epochs: int
    n_train: int
    n_test: int
    feature_s: float | None  # feature extraction only: seconds to compute the cached features
    drift: float | None  # 1 - mean cosine(before, after) of mean-pooled encoder outputs on the probe texts
    frozen_layers: tuple[int, ...]
    seed: int
    data: str
    max_length: int
    batch_size: int

    def as_dict(self) -> dict:
        d = asdict(self)
        d["frozen_layers"] = list(self.frozen_layers)
        return d


@dataclass(frozen=True)
class Snapshot:
    """One report from a running race. ``result`` is set on the last snapshot of a strategy."""

    strategy: str
    index: int  # position of the strategy in the race
    phase: str  # "setup" | "features" | "train" | "done"
    step: int
    total_steps: int
    epoch: float
    loss: float | None  # mean training loss since the previous snapshot
    test_acc: float | None  # set on evaluation steps
    elapsed: float  # seconds since the strategy started
    result: StrategyResult | None = None
    model: nn.Module | None = None  # the trained model, on the last snapshot when asked for (tests)


# ---------------------------------------------------------------- measuring memory
_libc = None


def _release_freed_memory() -> None:
    """Ask glibc to hand freed heap pages back to the OS, so RSS reflects live memory (Linux only)."""
    global _libc
    try:
        if _libc is None:
            _libc = ctypes.CDLL("libc.so.6")
        _libc.malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _rss_bytes() -> int:
    try:
        import psutil

        return psutil.Process().memory_info().rss
    except ImportError:
        return rss_bytes()


class PeakMemory:
    """Peak memory of a block of work.

    CUDA: ``torch.cuda.max_memory_allocated`` after a reset (tensors of this process on that GPU,
    including the model copy). CPU: a thread samples the process's resident set size every 5 ms;
    the figure is the peak above the level measured at the start (after freed heap pages were
    returned with ``malloc_trim``). It is process-wide: other work in the same process adds to it.
    """

    def __init__(self, device: torch.device, interval: float = 0.005) -> None:
        self.device, self.interval = device, interval
        self.kind = "cuda max_memory_allocated" if device.type == "cuda" else "cpu rss peak above start"
        self.peak_mb = 0.0

    def __enter__(self) -> "PeakMemory":
        if self.device.type == "cuda":
            torch.cuda.synchronize(self.device)
            torch.cuda.reset_peak_memory_stats(self.device)
            return self
        _release_freed_memory()
        self._start = _rss_bytes()
        self._peak = self._start
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(self.interval):
            self._peak = max(self._peak, _rss_bytes())

    def __exit__(self, *exc) -> None:
        if self.device.type == "cuda":
            torch.cuda.synchronize(self.device)
            self.peak_mb = torch.cuda.max_memory_allocated(self.device) / 2**20
            return
        self._stop.set()
        self._thread.join()
        self._peak = max(self._peak, _rss_bytes())
        self.peak_mb = (self._peak - self._start) / 2**20


# ---------------------------------------------------------------- data prepared once per race
@dataclass(frozen=True)
class RaceData:
    """Token tensors of the training subset and the test set, already on the device."""

    name: str
    classes: tuple[str, ...]
    train_ids: torch.Tensor  # (N_train, T) int64 on device
    train_mask: torch.Tensor  # (N_train, T)
    train_len: torch.Tensor  # (N_train,) int64 on CPU: real lengths, to trim batches without a sync
    train_y: torch.Tensor  # (N_train,) on device
    test_ids: torch.Tensor  # (N_test, T)
    test_mask: torch.Tensor
    test_len: torch.Tensor  # CPU
    test_y: torch.Tensor

    @property
    def n_train(self) -> int:
        return len(self.train_y)

    @property
    def n_test(self) -> int:
        return len(self.test_y)


_tokenizer_lock = threading.Lock()
_templates: dict[int, nn.Module] = {}
_tokenizer = None


def tokenizer():
    global _tokenizer
    with _tokenizer_lock:
        if _tokenizer is None:
            from transformers import AutoTokenizer

            from playground.models import minilm_path

            _tokenizer = AutoTokenizer.from_pretrained(minilm_path())
        return _tokenizer


def _template(num_labels: int) -> nn.Module:
    """The pristine pretrained model with a ``num_labels`` head, loaded once; only ever deep-copied."""
    with _tokenizer_lock:
        if num_labels not in _templates:
            from transformers import AutoModelForSequenceClassification
            from transformers.utils import logging as hf_logging

            from playground.models import minilm_path

            hf_logging.disable_progress_bar()
            verbosity = hf_logging.get_verbosity()
            hf_logging.set_verbosity_error()  # "classifier.* newly initialised" is expected here
            try:
                model = AutoModelForSequenceClassification.from_pretrained(minilm_path(), num_labels=num_labels)
            finally:
                hf_logging.set_verbosity(verbosity)
            _templates[num_labels] = model.eval().requires_grad_(False)
        return _templates[num_labels]


def fresh_model(num_labels: int, seed: int) -> nn.Module:
    """A private copy of the pretrained encoder with a new head initialised from ``seed``.

    Every strategy of a race gets the same head for the same seed, so they start from one point."""
    model = copy.deepcopy(_template(num_labels))
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        std = model.config.initializer_range
        model.classifier.weight.copy_(torch.randn(model.classifier.weight.shape, generator=g) * std)
        model.classifier.bias.zero_()
    return model.requires_grad_(True)


def prepare(config: FinetuneConfig) -> RaceData:
    """Tokenize (cached), take the seeded subsets and move them to the device once."""
    cfg = config.resolved()
    device = pick_device(cfg.device)
    data = textdata.load_texts(cfg.data)
    enc = textdata.encode(data, tokenizer(), cfg.max_length)
    train = textdata.subsample(data.train_idx, data.labels, cfg.limit, cfg.seed)
    test = textdata.subsample(data.test_idx, data.labels, cfg.test_limit, 0)  # one test set for all seeds

    _template(data.num_classes)  # load the pretrained weights now, outside every strategy's measurements

    def put(idx):
        return (enc.input_ids[idx].to(device), enc.attention_mask[idx].to(device),
                enc.lengths[idx].clone(), data.labels[idx].to(device))

    return RaceData(data.name, data.classes, *put(train), *put(test))


def majority_baseline(config: FinetuneConfig) -> float:
    """Test accuracy of always answering the most common class, on the test texts the race scores."""
    cfg = config.resolved()
    data = textdata.load_texts(cfg.data)
    y = data.labels[textdata.subsample(data.test_idx, data.labels, cfg.test_limit, 0)]
    return torch.bincount(y).max().item() / len(y)


# ---------------------------------------------------------------- strategies
def frozen_layers(strategy: str, num_layers: int, freeze_k: int | None = None, every: int = 2) -> tuple[int, ...]:
    """Indices of the encoder layers a freezing strategy keeps fixed."""
    k = num_layers // 2 if freeze_k is None else freeze_k
    if strategy in ("freeze_bottom", "freeze_top") and not 0 <= k <= num_layers:
        raise ValueError(f"freeze_k must be from 0 to {num_layers} (the model has {num_layers} layers), got {k}")
    if strategy == "freeze_bottom":
        return tuple(range(k))
    if strategy == "freeze_top":
        return tuple(range(num_layers - k, num_layers))
    if strategy == "freeze_interval":
        return tuple(range(0, num_layers, every))
    if strategy == "feature_extraction":
        return tuple(range(num_layers))
    return ()


def apply_strategy(model: nn.Module, strategy: str, cfg: FinetuneConfig) -> nn.Module:
    """Set ``requires_grad`` (or wrap with peft) for ``strategy``; returns the model to train."""
    layers = model.bert.encoder.layer
    if strategy in PEFT_STRATEGIES:
        return _wrap_peft(model, strategy, cfg)
    if strategy == "full":
        return model.requires_grad_(True)
    model.requires_grad_(False)
    model.classifier.requires_grad_(True)
    if strategy == "feature_extraction":
        return model
    frozen = set(frozen_layers(strategy, len(layers), cfg.freeze_k, cfg.freeze_every))
    for i, layer in enumerate(layers):
        layer.requires_grad_(i not in frozen)
    # the embeddings sit below layer 0 and freeze with it; the pooler sits above the last layer and
    # freezes with it (the classifier, the new head, always trains)
    model.bert.embeddings.requires_grad_(0 not in frozen)
    model.bert.pooler.requires_grad_(len(layers) - 1 not in frozen)
    return model


def _wrap_peft(model: nn.Module, strategy: str, cfg: FinetuneConfig) -> nn.Module:
    from peft import IA3Config, LoraConfig, PromptTuningConfig, TaskType, get_peft_model

    if strategy == "lora":
        pc = LoraConfig(task_type=TaskType.SEQ_CLS, r=cfg.lora_r, lora_alpha=cfg.lora_alpha,
                        lora_dropout=cfg.lora_dropout, target_modules=_target_regex(cfg.lora_targets))
    elif strategy == "ia3":
        # (IA)^3 rescales keys, values and the input of the second feed-forward layer
        ff = r".*layer\.\d+\.output\.dense"
        pc = IA3Config(task_type=TaskType.SEQ_CLS, target_modules=rf".*\.(key|value)|{ff}", feedforward_modules=ff)
    else:
        pc = PromptTuningConfig(task_type=TaskType.SEQ_CLS, num_virtual_tokens=cfg.prompt_tokens)
    # peft adds the head (``classifier``) to modules_to_save for SEQ_CLS, so it trains too
    with warnings.catch_warnings():  # peft 0.21 asks transformers 5 a deprecated question; harmless
        warnings.filterwarnings("ignore", message=".*is_gradient_checkpointing.*", category=FutureWarning)
        return get_peft_model(model, pc)


def _target_regex(targets: tuple[str, ...]) -> str:
    """peft matches a string target as a full regex; 'output.dense' alone must not hit attention.output.dense."""
    parts = []
    for t in targets:
        if t == "output.dense":
            parts.append(r".*layer\.\d+\.output\.dense")
        elif t == "attention.output.dense":
            parts.append(r".*attention\.output\.dense")
        else:
            parts.append(rf".*\.{t.replace('.', chr(92) + '.')}")
    return "|".join(parts)


def count_params(model: nn.Module) -> tuple[int, int]:
    """(trainable, total) parameter counts, each tensor counted once."""
    seen, trainable, total = set(), 0, 0
    for p in model.parameters():
        if id(p) in seen:
            continue
        seen.add(id(p))
        total += p.numel()
        trainable += p.numel() if p.requires_grad else 0
    return trainable, total


# ---------------------------------------------------------------- pieces of the loop
def make_schedule(cfg: FinetuneConfig, total_steps: int):
    """Learning-rate multiplier per step: linear warmup, then constant / linear / cosine / step decay."""
    warm = int(round(cfg.warmup * total_steps))
    step_size = max(1, int(round(cfg.step_every * total_steps)))

    def factor(step: int) -> float:
        if step < warm:
            return (step + 1) / (warm + 1)
        progress = (step - warm) / max(1, total_steps - warm)
        if cfg.schedule == "linear":
            return max(0.0, 1.0 - progress)
        if cfg.schedule == "cosine":
            return 0.5 * (1.0 + math.cos(math.pi * progress))
        if cfg.schedule == "step":  # StepLR: x gamma every step_size steps after warmup
            return cfg.step_gamma ** ((step - warm) // step_size)
        return 1.0

    return factor


def make_optimizer(model: nn.Module, cfg: FinetuneConfig, lr: float, device: torch.device):
    """AdamW / Adam over the trainable weights; no weight decay on biases and LayerNorm (the BERT recipe)."""
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        if p.requires_grad:
            (no_decay if p.ndim < 2 or "LayerNorm" in name else decay).append(p)
    groups = [{"params": decay, "weight_decay": cfg.weight_decay}, {"params": no_decay, "weight_decay": 0.0}]
    groups = [g for g in groups if g["params"]]
    kw = {"fused": True} if device.type == "cuda" else {"foreach": True}
    if cfg.optimizer == "adamw":
        return torch.optim.AdamW(groups, lr=lr, **kw)
    # Adam's weight_decay is L2 added to the gradient (coupled), AdamW's is decoupled (Loshchilov & Hutter)
    return torch.optim.Adam(groups, lr=lr, **kw)


def epoch_batches(lengths: torch.Tensor, batch_size: int, g: torch.Generator,
                  group_by_length: bool = False) -> list[tuple[torch.Tensor, int]]:
    """One epoch of (indices, longest length in the batch) pairs from a seeded shuffle.

    ``group_by_length`` sorts texts by length inside windows of 50 batches (less padding, so less
    compute on long texts), then shuffles the batches. Off by default: on short runs it hurts accuracy
    badly (tweets: full fine-tuning 0.43 instead of 0.63 on 400 texts), because length correlates with
    the label and each batch then sees a skewed mix of classes."""
    perm = torch.randperm(len(lengths), generator=g)
    if not group_by_length:
        return [(idx, int(lengths[idx].max())) for idx in perm.split(batch_size)]
    window = batch_size * 50
    batches = []
    for start in range(0, len(perm), window):
        chunk = perm[start:start + window]
        chunk = chunk[torch.argsort(lengths[chunk], stable=True)]
        batches += [(idx, int(lengths[idx].max())) for idx in chunk.split(batch_size)]
    order = torch.randperm(len(batches), generator=g).tolist()
    return [batches[i] for i in order]


def _autocast(device: torch.device):
    if device.type == "cuda":
        return torch.autocast("cuda", dtype=torch.bfloat16)
    return torch.autocast("cpu", enabled=False)


@torch.inference_mode()
def evaluate(model: nn.Module, ids: torch.Tensor, mask: torch.Tensor, lengths: torch.Tensor,
             y: torch.Tensor, batch_size: int = 256) -> float:
    """Accuracy on (ids, mask) with labels y; texts sorted by length so batches carry little padding."""
    was_training = model.training
    model.eval()
    order = torch.argsort(lengths)
    correct = torch.zeros((), dtype=torch.int64, device=y.device)
    with _autocast(y.device):
        for b in range(0, len(order), batch_size):
            idx = order[b:b + batch_size]
            t = int(lengths[idx].max())
            idx = idx.to(y.device)
            logits = model(input_ids=ids[idx, :t], attention_mask=mask[idx, :t]).logits
            correct += (logits.argmax(-1) == y[idx]).sum()
    model.train(was_training)
    return correct.item() / max(1, len(y))


@torch.inference_mode()
def pooled_features(model: nn.Module, ids: torch.Tensor, mask: torch.Tensor, lengths: torch.Tensor,
                    batch_size: int = 256) -> torch.Tensor:
    """The frozen encoder's pooler output (what the head reads), (N, hidden) float32, in input order."""
    model.eval()
    out = torch.empty(len(ids), model.config.hidden_size, device=ids.device)
    order = torch.argsort(lengths)
    with _autocast(ids.device):
        for b in range(0, len(order), batch_size):
            idx = order[b:b + batch_size]
            t = int(lengths[idx].max())
            idx = idx.to(ids.device)
            out[idx] = model.bert(input_ids=ids[idx, :t], attention_mask=mask[idx, :t]).pooler_output.float()
    return out


@torch.inference_mode()
def probe_representations(model: nn.Module, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean-pooled last-layer encoder outputs, (N, hidden) float32: the forgetting probe.

    Prompt tuning prepends virtual tokens; only the positions of the real tokens are pooled."""
    was_training = model.training
    model.eval()
    with _autocast(ids.device):
        hs = model(input_ids=ids, attention_mask=mask, output_hidden_states=True).hidden_states[-1]
    hs = hs[:, -ids.shape[1]:].float()  # (N, T, H): drop virtual tokens, if any
    m = mask.unsqueeze(-1).to(hs.dtype)  # (N, T, 1)
    model.train(was_training)
    return (hs * m).sum(1) / m.sum(1).clamp_min(1)


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def _eval_steps(total_steps: int, evals: int) -> set[int]:
    """Steps (1-based) after which the test set is scored: evenly spaced, always the last one."""
    return {max(1, round(total_steps * (i + 1) / evals)) for i in range(evals)}


# ---------------------------------------------------------------- one strategy
def train_strategy(cfg: FinetuneConfig, strategy: str, data: RaceData, index: int = 0,
                   return_model: bool = False) -> Iterator[Snapshot]:
    """Train one strategy from a fresh copy of the pretrained model; yields Snapshots, the last with a result
    (and the trained model when ``return_model``).

    ``data`` comes from ``prepare(cfg)``."""
    cfg = cfg.resolved()  # fills the device defaults; a no-op on a resolved config
    device = pick_device(cfg.device)
    lr = cfg.lr_for(strategy)
    steps_per_epoch = math.ceil(data.n_train / cfg.batch_size)
    total_steps = steps_per_epoch * cfg.epochs
    evals = _eval_steps(total_steps, cfg.evals)
    log_every = max(1, total_steps // 100)  # about 100 loss points per strategy
    start = time.perf_counter()
    train_s = 0.0
    feature_s = None

    def snap(phase, step, loss=None, acc=None, result=None, model=None):
        return Snapshot(strategy, index, phase, step, total_steps, step / steps_per_epoch, loss, acc,
                        time.perf_counter() - start, result, model)

    yield snap("setup", 0)
    with PeakMemory(device) as mem:
        set_seed(cfg.seed)
        model = fresh_model(len(data.classes), cfg.seed).to(device)
        n_layers = model.config.num_hidden_layers
        probe = slice(0, min(cfg.probe_size, data.n_test))
        probe_ids, probe_mask = data.test_ids[probe], data.test_mask[probe]
        before = probe_representations(model, probe_ids, probe_mask) if cfg.probe_size else None
        model = apply_strategy(model, strategy, cfg)
        model.train()
        trainable, total = count_params(model)
        optimizer = make_optimizer(model, cfg, lr, device)
        factor = make_schedule(cfg, total_steps)
        scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, factor)
        params = [p for p in model.parameters() if p.requires_grad]
        g = torch.Generator().manual_seed(cfg.seed)  # the same batches for every strategy

        if strategy == "feature_extraction":
            # the encoder never changes, so its outputs are computed once and reused by every epoch
            _sync(device)
            t0 = time.perf_counter()
            train_feats = pooled_features(model, data.train_ids, data.train_mask, data.train_len)
            _sync(device)
            feature_s = time.perf_counter() - t0
            train_s += feature_s
            test_feats = pooled_features(model, data.test_ids, data.test_mask, data.test_len)
            yield snap("features", 0)
            model.train()
            head = lambda x: model.classifier(model.dropout(x))  # noqa: E731 - the head of BertForSequenceClassification

        step, running, n_running = 0, torch.zeros((), device=device), 0
        _sync(device)
        seg_start = time.perf_counter()  # the clock runs during training steps only
        for _epoch in range(cfg.epochs):
            batches = epoch_batches(data.train_len, cfg.batch_size, g, cfg.group_by_length)
            # one host-to-device copy of the epoch's indices instead of one per step
            on_device = torch.cat([b for b, _ in batches]).to(device).split([len(b) for b, _ in batches])
            for idx, (_, t) in zip(on_device, batches):
                with _autocast(device):
                    if strategy == "feature_extraction":
                        logits = head(train_feats[idx])
                    else:
                        logits = model(input_ids=data.train_ids[idx, :t], attention_mask=data.train_mask[idx, :t]).logits
                    loss = F.cross_entropy(logits.float(), data.train_y[idx])
                loss.backward()
                if cfg.max_grad_norm > 0:
                    torch.nn.utils.clip_grad_norm_(params, cfg.max_grad_norm, foreach=True)
                optimizer.step()
                scheduler.step()
                optimizer.zero_grad(set_to_none=True)
                running += loss.detach()  # stays on the device: no sync on steps that do not report
                n_running += 1
                step += 1
                if step not in evals and step % log_every:
                    continue
                mean_loss = (running / n_running).item()  # syncs, so the clock below is honest on a GPU
                train_s += time.perf_counter() - seg_start
                running.zero_()
                n_running = 0
                acc = None
                if step in evals:
                    if strategy == "feature_extraction":
                        acc = _head_accuracy(model, head, test_feats, data.test_y)
                    else:
                        acc = evaluate(model, data.test_ids, data.test_mask, data.test_len, data.test_y)
                    test_acc = acc
                yield snap("train", step, mean_loss, acc)
                _sync(device)
                seg_start = time.perf_counter()

        # the last step is always an evaluation step, so test_acc is the final model's accuracy
        drift = None
        if before is not None:
            after = probe_representations(model, probe_ids, probe_mask)
            drift = max(0.0, 1.0 - F.cosine_similarity(before, after, dim=-1).mean().item())
        state_mb = (total * 4 + trainable * 4 * 3) / 2**20  # fp32 weights + grads + two Adam moments
    wall_s = time.perf_counter() - start
    result = StrategyResult(
        strategy=strategy, trainable=trainable, total=total, pct=100.0 * trainable / total,
        train_s=train_s, wall_s=wall_s, samples_per_s=data.n_train * cfg.epochs / max(train_s, 1e-9),
        peak_mem_mb=mem.peak_mb, mem_kind=mem.kind, state_mem_mb=state_mb, test_acc=test_acc,
        device=_device_name(device), lr=lr, steps=total_steps, epochs=cfg.epochs, n_train=data.n_train,
        n_test=data.n_test, feature_s=feature_s, drift=drift,
        frozen_layers=frozen_layers(strategy, n_layers, cfg.freeze_k, cfg.freeze_every),
        seed=cfg.seed, data=data.name, max_length=cfg.max_length, batch_size=cfg.batch_size)
    yield snap("done", total_steps, result=result, model=model if return_model else None)


@torch.inference_mode()
def _head_accuracy(model: nn.Module, head, feats: torch.Tensor, y: torch.Tensor) -> float:
    model.eval()
    acc = (head(feats).argmax(-1) == y).float().mean().item()
    model.train()
    return acc


def _device_name(device: torch.device) -> str:
    if device.type == "cuda":
        return f"cuda ({torch.cuda.get_device_name(device)})"
    return f"cpu ({torch.get_num_threads()} threads)"


# ---------------------------------------------------------------- the race
def race(config: FinetuneConfig, strategies=DEFAULT_RACE) -> Iterator[Snapshot]:
    """Run ``strategies`` one after another on the same data, batches and seed; yield their Snapshots."""
    strategies = check_strategies(strategies)
    cfg = config.resolved()
    data = prepare(cfg)
    for i, strategy in enumerate(strategies):
        yield from train_strategy(cfg, strategy, data, index=i)


def run(config: FinetuneConfig, strategies=DEFAULT_RACE) -> list[StrategyResult]:
    """The race without the live view: the list of results."""
    return [s.result for s in race(config, strategies) if s.result is not None]


# ---------------------------------------------------------------- command line
def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", default="tweets", choices=textdata.TEXT_SETS)
    p.add_argument("--strategies", default=",".join(DEFAULT_RACE),
                   help=f"comma-separated, from: {', '.join(STRATEGIES)}")
    p.add_argument("--limit", type=int, help="training examples (default: all on a GPU, "
                   f"{CPU_DEFAULTS['limit']} on the CPU)")
    p.add_argument("--test-limit", type=int, help="test examples scored (default: all on a GPU, "
                   f"{CPU_DEFAULTS['test_limit']} on the CPU)")
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--batch-size", type=int)
    p.add_argument("--max-length", type=int)
    p.add_argument("--lr", type=float, help="one learning rate for all (default: per strategy)")
    p.add_argument("--optimizer", default="adamw", choices=OPTIMIZERS)
    p.add_argument("--weight-decay", type=float, default=0.01)
    p.add_argument("--schedule", default="linear", choices=SCHEDULES)
    p.add_argument("--warmup", type=float, default=0.1)
    p.add_argument("--max-grad-norm", type=float, default=1.0)
    p.add_argument("--group-by-length", action="store_true", help="batch texts of similar length (less padding)")
    p.add_argument("--freeze-k", type=int, help="layers frozen by freeze_bottom/freeze_top (default: half)")
    p.add_argument("--freeze-every", type=int, default=2)
    p.add_argument("--lora-r", type=int, default=8)
    p.add_argument("--lora-alpha", type=int, default=16)
    p.add_argument("--lora-dropout", type=float, default=0.1)
    p.add_argument("--lora-targets", default="query,value", help=f"from: {', '.join(LORA_TARGETS)}")
    p.add_argument("--prompt-tokens", type=int, default=8, help="prompt_tuning: virtual tokens")
    p.add_argument("--step-every", type=float, default=0.33, help="--schedule step: decay after this share of steps")
    p.add_argument("--step-gamma", type=float, default=0.5, help="--schedule step: the decay factor")
    p.add_argument("--probe-size", type=int, default=64, help="test texts of the forgetting probe (0: off)")
    p.add_argument("--evals", type=int, help="test evaluations per strategy (default: 3 on the CPU, 10 on a GPU)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--device", default="auto")


def config_from_args(args: argparse.Namespace) -> FinetuneConfig:
    return FinetuneConfig(
        data=args.data, limit=args.limit, test_limit=args.test_limit, epochs=args.epochs,
        batch_size=args.batch_size, max_length=args.max_length, lr=args.lr, optimizer=args.optimizer,
        weight_decay=args.weight_decay, schedule=args.schedule, warmup=args.warmup,
        max_grad_norm=args.max_grad_norm, group_by_length=args.group_by_length, freeze_k=args.freeze_k,
        freeze_every=args.freeze_every,
        lora_r=args.lora_r, lora_alpha=args.lora_alpha, lora_dropout=args.lora_dropout,
        lora_targets=args.lora_targets, prompt_tokens=args.prompt_tokens, step_every=args.step_every,
        step_gamma=args.step_gamma, probe_size=args.probe_size, evals=args.evals, seed=args.seed, device=args.device)


def report(r: StrategyResult) -> dict:
    """The result as a flat, rounded dict (one JSON line of the CLI)."""
    return {
        "experiment": "finetune", "strategy": r.strategy, "data": r.data, "trainable": r.trainable,
        "total": r.total, "pct": round(r.pct, 4), "train_s": round(r.train_s, 3), "wall_s": round(r.wall_s, 3),
        "samples_per_s": round(r.samples_per_s, 1), "peak_mem_mb": round(r.peak_mem_mb, 1),
        "mem_kind": r.mem_kind, "state_mem_mb": round(r.state_mem_mb, 1), "test_acc": round(r.test_acc, 4),
        "device": r.device, "lr": r.lr, "epochs": r.epochs, "steps": r.steps, "n_train": r.n_train,
        "n_test": r.n_test, "batch_size": r.batch_size, "max_length": r.max_length,
        "feature_s": None if r.feature_s is None else round(r.feature_s, 3),
        "drift": None if r.drift is None else round(r.drift, 6), "frozen_layers": list(r.frozen_layers),
        "seed": r.seed,
    }


def run_cli(args: argparse.Namespace) -> Iterator[dict]:
    strategies = check_strategies(args.strategies)
    cfg = config_from_args(args)
    for snap in race(cfg, strategies):
        if snap.result is not None:
            yield report(snap.result)
