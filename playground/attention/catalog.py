"""What a model name offers before its weights load: whether it can load here at all, and its layers and heads.

- ``check_available(name)``: offline (``HF_HUB_OFFLINE`` set, or the hub's host does not resolve), a name that is
  neither packaged nor in the local hub cache is refused at once. Left to transformers, it took 26-34 s to fail
  (five retries of the hub on a DNS failure) for an id such as ``gpt2``.
- ``shape(name)``: (layers, query heads) read from the model's config (a packaged model's shipped files, or the
  hub cache), without loading any weights, so the UI's sliders can follow the model shown before any run.

Nothing here loads a model or reaches the network but ``hub_reachable``'s one DNS lookup (never when offline
mode is set).
"""

from __future__ import annotations

import json
import os
import socket
import struct
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

from playground.kit import pretrained as models

PROBE_TIMEOUT = 2.0  # seconds a DNS lookup of the hub may take before the hub counts as unreachable
PROBE_TTL = 60.0  # seconds a probe's answer is kept (a laptop may go on and off line)
_TRUE = {"1", "ON", "YES", "TRUE"}
_probe: dict = {}  # {"at": time.monotonic(), "ok": bool}
_probe_lock = threading.Lock()

OFFLINE = ("'{name}' is not packaged and not in this machine's model cache, and the Hugging Face hub cannot be "
           "reached (offline): use 'minilm' or 'smollm2'")


def offline_mode() -> bool:
    """``HF_HUB_OFFLINE`` (or ``TRANSFORMERS_OFFLINE``) is set: no request to the hub at all."""
    return any(os.environ.get(v, "").strip().upper() in _TRUE for v in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"))


def _hub_host() -> str:
    return urlparse(os.environ.get("HF_ENDPOINT", "https://huggingface.co")).hostname or "huggingface.co"


def hub_reachable() -> bool:
    """Whether the hub's host name resolves, within ``PROBE_TIMEOUT`` (answer kept ``PROBE_TTL`` s). A lookup
    that hangs (no resolver) counts as unreachable; it finishes in its own daemon thread."""
    with _probe_lock:
        if _probe and time.monotonic() - _probe["at"] < PROBE_TTL:
            return _probe["ok"]
    answer: list[bool] = []

    def lookup() -> None:
        try:
            socket.getaddrinfo(_hub_host(), 443)
            answer.append(True)
        except OSError:
            answer.append(False)

    worker = threading.Thread(target=lookup, daemon=True, name="hub-probe")
    worker.start()
    worker.join(PROBE_TIMEOUT)
    ok = bool(answer and answer[0])
    with _probe_lock:
        _probe.update(at=time.monotonic(), ok=ok)
    return ok


def cached_config(hub_id: str) -> Path | None:
    """The hub id's ``config.json`` in the local hub cache, or None (looked up on disk only)."""
    from huggingface_hub import try_to_load_from_cache

    try:
        found = try_to_load_from_cache(hub_id, "config.json")
    except Exception:  # a malformed id: not cached
        return None
    return Path(found) if isinstance(found, str) else None


def check_available(name: str) -> str:
    """``name`` (a packaged key or a hub id, checked by ``resolve_name``) when it can load here; a ValueError at
    once when it cannot: offline and neither packaged nor cached."""
    name = models.resolve_name(name)
    if name in models.PACKAGED or name in models.loaded_names() or cached_config(name) is not None:
        return name
    if offline_mode() or not hub_reachable():
        raise ValueError(OFFLINE.format(name=name[:60]))
    return name


# ---------------------------------------------------------------- layers and heads from a config
def _gguf_fields(path: Path, wanted: set[str]) -> dict:
    """The scalar metadata ``wanted`` from a GGUF file's header (the format's key/value section), read up to the
    last of them: a few kilobytes, not the 100 MB ``gguf.GGUFReader`` maps and indexes (about 20 s)."""
    scalar = {0: "B", 1: "b", 2: "H", 3: "h", 4: "I", 5: "i", 6: "f", 7: "?", 10: "Q", 11: "q", 12: "d"}
    found: dict = {}
    with open(path, "rb") as f:
        def read(fmt: str):
            return struct.unpack("<" + fmt, f.read(struct.calcsize("<" + fmt)))[0]

        def string() -> str:
            return f.read(read("Q")).decode("utf-8", "replace")

        def value(kind: int):
            if kind in scalar:
                return read(scalar[kind])
            if kind == 8:
                return string()
            if kind == 9:  # an array: item type, count, items (skipped item by item)
                item, count = read("I"), read("Q")
                for _ in range(count):
                    value(item)
                return None
            raise ValueError(f"{path.name}: unknown GGUF value type {kind}")

        if f.read(4) != b"GGUF":
            raise ValueError(f"{path.name} is not a GGUF file")
        read("I")  # version
        read("Q")  # tensor count
        for _ in range(read("Q")):
            key, kind = string(), read("I")
            v = value(kind)
            if key in wanted:
                found[key] = v
                if not wanted - found.keys():
                    break
    return found


def _from_config(config: dict) -> tuple[int, int] | None:
    layers = config.get("num_hidden_layers") or config.get("n_layer") or config.get("num_layers")
    heads = config.get("num_attention_heads") or config.get("n_head") or config.get("num_heads")
    return (int(layers), int(heads)) if layers and heads else None


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def _packaged_shape(name: str) -> tuple[int, int] | None:
    if name == "minilm":
        return _from_config(_read_json(models.minilm_path() / "config.json"))
    converted = models._smollm2_converted() / "config.json"  # the dequantised copy, once a first load made it
    if converted.exists():
        return _from_config(_read_json(converted))
    folder = models.smollm2_gguf_folder()
    if folder is None:
        return None
    arch = _gguf_fields(folder / models.SMOLLM2_GGUF, {"general.architecture"}).get("general.architecture")
    keys = {f"{arch}.block_count", f"{arch}.attention.head_count"}
    fields = _gguf_fields(folder / models.SMOLLM2_GGUF, keys)
    if keys - fields.keys():
        return None
    return int(fields[f"{arch}.block_count"]), int(fields[f"{arch}.attention.head_count"])


_shapes: dict[str, tuple[int, int] | None] = {}


def shape(name: str) -> tuple[int, int] | None:
    """(layers, query heads) of a model, from its config and without loading weights; None when no config is
    at hand (a hub id not cached yet) or the name is not allowed."""
    try:
        name = models.resolve_name(name)
    except ValueError:
        return None
    if name in models.loaded_names():
        lm = models.load(name)
        return lm.num_layers, lm.num_heads
    if name not in _shapes:
        if name in models.PACKAGED:
            found = _packaged_shape(name)
        else:
            config = cached_config(name)
            found = _from_config(_read_json(config)) if config is not None else None
        if found is None:
            return None  # not kept: the config may be cached later
        _shapes[name] = found
    return _shapes[name]
