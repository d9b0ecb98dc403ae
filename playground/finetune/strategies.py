"""The fine-tuning strategies: one registry entry each.

An entry (``Strategy``) holds everything that differs between strategies: its name, its default
learning rate, how it prepares a fresh model (sets ``requires_grad`` or wraps it with peft), which
encoder layers it keeps fixed, whether the encoder is pretrained or random, whether its encoder is
frozen so features can be computed once, whether its step can be captured in a CUDA graph, and a
colour key (a string the tab maps to a colour). Adding a strategy = one ``register(Strategy(...))``
call here plus its strings (``ft.s.<name>`` in ``tabs/finetune/strings.py``).

Learning rates (AdamW): a pretrained weight needs small steps (the course's 2e-5..5e-5 to avoid
catastrophic forgetting); a fresh head, a small adapter starting at zero, or random weights need
larger ones.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Callable

import torch
from torch import nn

from playground.finetune.config import FinetuneConfig
from playground.kit.pretrained import load_lock
from playground.kit.training import seed_dropout


@dataclass(frozen=True)
class Strategy:
    name: str
    lr: float  # default peak learning rate
    colour: str  # colour key: the tab maps it to a colour
    prepare: Callable[[nn.Module, FinetuneConfig, torch.Generator], nn.Module]
    """(fresh model, config, the run's init generator) -> the model to train (requires_grad set, or peft-wrapped)"""
    frozen: Callable[[int, FinetuneConfig], tuple[int, ...]] = lambda n, cfg: ()
    """(number of encoder layers, config) -> indices of the layers kept fixed (for the report)"""
    pretrained: bool = True  # False: the same architecture, random weights from the run's seed
    cached_features: bool = False  # the encoder is frozen: its outputs are computed once, the head trains on them
    peft: bool = False  # wrapped by peft (the adapters add parameters to the total)
    graphable: bool = True  # its training step can be captured as a CUDA graph
    summary: str = ""


REGISTRY: dict[str, Strategy] = {}


def register(strategy: Strategy) -> Strategy:
    REGISTRY[strategy.name] = strategy
    return strategy


def get(name: str) -> Strategy:
    try:
        return REGISTRY[name]
    except KeyError:
        raise ValueError(f"unknown strategy {name!r}; choose from {', '.join(REGISTRY)}") from None


def check_strategies(strategies) -> tuple[str, ...]:
    """Parse ``'a,b'`` or a list into known, de-duplicated strategy names (order kept)."""
    if isinstance(strategies, str):
        strategies = [s.strip() for s in strategies.split(",") if s.strip()]
    out = []
    for s in strategies or []:
        get(s)
        if s not in out:
            out.append(s)
    if not out:
        raise ValueError(f"choose at least one strategy from {', '.join(REGISTRY)}")
    return tuple(out)


def apply_strategy(model: nn.Module, strategy: str, cfg: FinetuneConfig,
                   generator: torch.Generator | None = None) -> nn.Module:
    """Prepare ``model`` for ``strategy``; adapters are initialised from ``generator`` (default: seeded
    with ``cfg.seed``), never from the global random generator."""
    g = generator if generator is not None else torch.Generator().manual_seed(cfg.seed)
    return get(strategy).prepare(model, cfg, g)


def frozen_layers(strategy: str, num_layers: int, freeze_k: int | None = None, every: int = 2) -> tuple[int, ...]:
    """Indices of the encoder layers ``strategy`` keeps fixed."""
    cfg = FinetuneConfig(freeze_k=freeze_k, freeze_every=every, device="cpu")
    return get(strategy).frozen(num_layers, cfg)


# ---------------------------------------------------------------- freezing
def _k(num_layers: int, cfg: FinetuneConfig) -> int:
    k = num_layers // 2 if cfg.freeze_k is None else cfg.freeze_k
    if not 0 <= k <= num_layers:
        raise ValueError(f"freeze_k must be from 0 to {num_layers} (the model has {num_layers} layers), got {k}")
    return k


def _head_only(model: nn.Module) -> nn.Module:
    model.requires_grad_(False)
    model.classifier.requires_grad_(True)
    return model


def _freezer(plan: Callable[[int, FinetuneConfig], tuple[int, ...]]):
    def prepare(model: nn.Module, cfg: FinetuneConfig, g: torch.Generator) -> nn.Module:
        layers = model.bert.encoder.layer
        frozen = set(plan(len(layers), cfg))
        _head_only(model)
        for i, layer in enumerate(layers):
            layer.requires_grad_(i not in frozen)
        # the embeddings sit below layer 0 and freeze with it; the pooler sits above the last layer and
        # freezes with it (the classifier, the new head, always trains)
        model.bert.embeddings.requires_grad_(0 not in frozen)
        model.bert.pooler.requires_grad_(len(layers) - 1 not in frozen)
        return model

    return prepare


def _bitfit(model: nn.Module, cfg: FinetuneConfig, g: torch.Generator) -> nn.Module:
    """BitFit (Ben Zaken et al. 2022): only the bias vectors (attention, feed-forward, LayerNorm,
    pooler) and the new head train; every weight matrix and embedding stays fixed."""
    for name, p in model.named_parameters():
        p.requires_grad_(name.endswith(".bias") or name.startswith("classifier."))
    return model


def _everything(model: nn.Module, cfg: FinetuneConfig, g: torch.Generator) -> nn.Module:
    return model.requires_grad_(True)


# ---------------------------------------------------------------- peft
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


def _peft():
    """The ``peft`` module, first imported under the models' load lock (it imports transformers' lazy
    modules, which are not safe to import from two threads at once)."""
    with load_lock:
        import peft

        return peft


def _get_peft_model(model: nn.Module, peft_config) -> nn.Module:
    get_peft_model = _peft().get_peft_model

    # peft adds the head (``classifier``) to modules_to_save for SEQ_CLS, so it trains too
    with warnings.catch_warnings():  # peft 0.21 asks transformers 5 a deprecated question; harmless
        warnings.filterwarnings("ignore", message=".*is_gradient_checkpointing.*", category=FutureWarning)
        return get_peft_model(model, peft_config)


def _lora(model: nn.Module, cfg: FinetuneConfig, g: torch.Generator) -> nn.Module:
    peft = _peft()
    LoraConfig, TaskType = peft.LoraConfig, peft.TaskType
    pc = LoraConfig(task_type=TaskType.SEQ_CLS, r=cfg.lora_r, lora_alpha=cfg.lora_alpha,
                    lora_dropout=cfg.lora_dropout, target_modules=_target_regex(cfg.lora_targets))
    model = _get_peft_model(model, pc)
    with torch.no_grad():  # peft's own init draws A from the global generator: redo it from the run's
        for name, p in model.named_parameters():  # (drawn on the CPU: the same numbers on every device)
            if "lora_A" in name:
                p.copy_(nn.init.kaiming_uniform_(torch.empty(p.shape), a=math.sqrt(5), generator=g))
            elif "lora_B" in name:
                p.zero_()
    if cfg.lora_dropout > 0:
        device = next(model.parameters()).device
        seed_dropout(model, torch.Generator(device).manual_seed(cfg.seed))
    return model


def _ia3(model: nn.Module, cfg: FinetuneConfig, g: torch.Generator) -> nn.Module:
    IA3Config, TaskType = _peft().IA3Config, _peft().TaskType
    # (IA)^3 rescales keys, values and the input of the second feed-forward layer; scales start at 1
    ff = r".*layer\.\d+\.output\.dense"
    pc = IA3Config(task_type=TaskType.SEQ_CLS, target_modules=rf".*\.(key|value)|{ff}", feedforward_modules=ff)
    return _get_peft_model(model, pc)


def _prompt_tuning(model: nn.Module, cfg: FinetuneConfig, g: torch.Generator) -> nn.Module:
    PromptTuningConfig, TaskType = _peft().PromptTuningConfig, _peft().TaskType
    model = _get_peft_model(model, PromptTuningConfig(task_type=TaskType.SEQ_CLS,
                                                      num_virtual_tokens=cfg.prompt_tokens))
    with torch.no_grad():  # nn.Embedding's N(0, 1) init, from the run's generator
        for emb in model.prompt_encoder.values():
            w = emb.embedding.weight
            w.copy_(nn.init.normal_(torch.empty(w.shape), generator=g))
    return model


# ---------------------------------------------------------------- the registry
register(Strategy("feature_extraction", 2e-2, "blue", lambda m, cfg, g: _head_only(m),
                  frozen=lambda n, cfg: tuple(range(n)), cached_features=True,
                  summary="only the linear head; encoder outputs computed once and cached"))
register(Strategy("freeze_bottom", 1e-4, "green", _freezer(lambda n, cfg: tuple(range(_k(n, cfg)))),
                  frozen=lambda n, cfg: tuple(range(_k(n, cfg))),
                  summary="embeddings + the bottom k layers fixed"))
register(Strategy("freeze_top", 1e-4, "lime", _freezer(lambda n, cfg: tuple(range(n - _k(n, cfg), n))),
                  frozen=lambda n, cfg: tuple(range(n - _k(n, cfg), n)),
                  summary="the top k layers + pooler fixed"))
register(Strategy("freeze_interval", 1e-4, "teal", _freezer(lambda n, cfg: tuple(range(0, n, cfg.freeze_every))),
                  frozen=lambda n, cfg: tuple(range(0, n, cfg.freeze_every)),
                  summary="every n-th layer fixed"))
register(Strategy("full", 5e-5, "red", _everything, summary="every weight"))
register(Strategy("bitfit", 1e-3, "amber", _bitfit, summary="only the biases and the head (selective PEFT)"))
register(Strategy("lora", 1e-3, "purple", _lora, peft=True,
                  summary="low-rank updates W x + B A x * alpha / r on chosen projections, plus the head"))
register(Strategy("ia3", 5e-3, "pink", _ia3, peft=True,
                  summary="learned rescaling of keys, values and the feed-forward input (Liu et al. 2022)"))
register(Strategy("prompt_tuning", 3e-2, "orange", _prompt_tuning, peft=True, graphable=False,
                  summary="learned virtual-token embeddings prepended to the input (Lester et al. 2021)"))
register(Strategy("from_scratch", 3e-4, "slate", _everything, pretrained=False,
                  summary="the same architecture with random weights: what the pretraining is worth"))

STRATEGIES = tuple(REGISTRY)
PEFT_STRATEGIES = tuple(s.name for s in REGISTRY.values() if s.peft)
DEFAULT_RACE = ("feature_extraction", "freeze_bottom", "full", "lora")
DEFAULT_LR = {s.name: s.lr for s in REGISTRY.values()}
