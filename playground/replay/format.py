"""Recorded runs: the snapshots of a real run, saved so that a lecture can replay it in seconds.

A recording is what one core generator yielded for one config and seed (thinned to at most a few hundred
frames), plus the facts needed to trust it: the config, the seed, the code's version (git hash) and the date.

The file is gzip-compressed JSON, never pickle: loading it builds only numbers, strings, lists, dicts and
the snapshot dataclasses its reader names in ``types`` (nothing in the file can run code). Arrays are
deflated, base64 bytes with their dtype and shape; float arrays are stored as float16 (the figures need 3 digits) or
float32 (``keep``). A SHA-256 of the payload guards against a truncated or edited file.

    rec = Recording(tab="gan", name="default", config={...}, seed=0, frames=[snap, ...], extra={...})
    save(rec, path)
    rec = load(path, types=[GanSnapshot, Coverage])   # ValueError with a clear message when damaged
"""

from __future__ import annotations

import base64
import dataclasses
import datetime
import functools
import gzip
import hashlib
import json
import os
import subprocess
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import numpy as np

FORMAT = "playground.replay"
VERSION = 1
# the shipped recordings (PLAYGROUND_REPLAY_DIR points elsewhere, e.g. for a test)
REPLAY_DIR = Path(os.environ.get("PLAYGROUND_REPLAY_DIR")
                  or Path(__file__).resolve().parents[2] / "assets" / "replays")
HEAD = ("tab", "name", "config", "seed", "code_version", "recorded", "seconds", "device")  # readable without decoding
MAX_FRAMES = 300  # frames kept per recording: plenty for a 5-second replay, small on disk
ALLOWED_DTYPES = ("float16", "float32", "float64", "uint8", "int8", "int16", "int32", "int64", "bool")


@dataclass
class Recording:
    """One recorded run. ``frames`` are the snapshots the UI draws (dataclasses, in order); ``extra`` holds
    what the figures need besides them (e.g. the loss history of every step, as arrays)."""

    tab: str
    name: str  # the preset or experiment it records
    config: dict  # the run's config as plain JSON values (see ``config_dict``)
    seed: int
    frames: list = field(default_factory=list)
    extra: dict = field(default_factory=dict)
    code_version: str = ""
    recorded: str = ""  # ISO date and time (UTC)
    seconds: float = 0.0  # how long the recorded run trained
    device: str = "cpu"

    def matches(self, config: Any, ignore: Iterable[str] = ("device",)) -> bool:
        """True when ``config`` (a dataclass or a dict) describes exactly the recorded run."""
        return config_dict(config, ignore) == config_dict(self.config, ignore)


def config_dict(config: Any, ignore: Iterable[str] = ("device",)) -> dict:
    """A config as plain JSON values (tuples become lists, 10 == 10.0), without the ``ignore``d fields."""
    raw = dataclasses.asdict(config) if dataclasses.is_dataclass(config) else dict(config)
    return {k: v for k, v in json.loads(json.dumps(raw, default=list)).items() if k not in set(ignore)}


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """The git commit of the code (with "+dirty" when files differ from it), or "unknown" outside git."""
    root = Path(__file__).resolve().parents[2]
    try:
        head = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=root, capture_output=True,
                              text=True, timeout=5, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "playground"], cwd=root,
                               capture_output=True, text=True, timeout=5).stdout.strip()
        return head + ("+dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def thin(items: Sequence, most: int = MAX_FRAMES) -> list:
    """At most ``most`` items, evenly spread, always keeping the first and the last."""
    n = len(items)
    if n <= most:
        return list(items)
    idx = sorted({round(i * (n - 1) / (most - 1)) for i in range(most)})
    return [items[i] for i in idx]


def thin_keeping(items: Sequence, keep: Callable[[Any], bool], most: int = MAX_FRAMES) -> list:
    """Every item ``keep`` holds for, and the others thinned evenly to fill ``most`` (at least 2), in their order."""
    kept = [x for x in items if keep(x)]
    rest = [x for x in items if not keep(x)]
    ids = {id(x) for x in kept} | {id(x) for x in thin(rest, max(2, most - len(kept)))}
    return [x for x in items if id(x) in ids]


# ---------------------------------------------------------------- encoding (JSON-safe, typed, no code)
def _encode(value: Any, keep: frozenset, f32: bool = False) -> Any:
    """``keep``: field names whose float arrays stay float32; ``f32``: this value is inside one of them."""
    if isinstance(value, np.ndarray):
        arr = value
        if arr.dtype.kind == "f" and arr.dtype != np.float16:
            arr = arr.astype(np.float32 if f32 else np.float16)
        arr = np.ascontiguousarray(arr)
        # each array is deflated before base64 (deflating the base64 text afterwards finds far less)
        return {"__array__": base64.b64encode(zlib.compress(arr.tobytes(), 9)).decode("ascii"),
                "dtype": str(arr.dtype), "shape": list(arr.shape)}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"__type__": type(value).__name__,
                "fields": {f.name: _encode(getattr(value, f.name), keep, f32 or f.name in keep)
                           for f in dataclasses.fields(value)}}
    if isinstance(value, tuple):
        return {"__tuple__": [_encode(v, keep, f32) for v in value]}
    if isinstance(value, list):
        return [_encode(v, keep, f32) for v in value]
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value) and not any(k.startswith("__") for k in value):
            return {k: _encode(v, keep, f32 or k in keep) for k, v in value.items()}
        return {"__items__": [[_encode(k, keep, f32), _encode(v, keep, f32)] for k, v in value.items()]}
    if isinstance(value, (np.floating, np.integer, np.bool_)):
        return value.item()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"cannot record a value of type {type(value).__name__}")


def _decode(value: Any, types: dict[str, type], where: str) -> Any:
    if isinstance(value, list):
        return [_decode(v, types, where) for v in value]
    if not isinstance(value, dict):
        return value
    if "__array__" in value:
        dtype, shape = value.get("dtype"), value.get("shape")
        if dtype not in ALLOWED_DTYPES or not isinstance(shape, list):
            raise ValueError(f"{where}: an array has a bad dtype or shape ({dtype!r}, {shape!r})")
        try:
            buf = zlib.decompress(base64.b64decode(value["__array__"], validate=True))
        except (ValueError, zlib.error) as e:
            raise ValueError(f"{where}: an array is damaged ({e})") from None
        if len(buf) != np.dtype(dtype).itemsize * int(np.prod(shape, dtype=np.int64)):
            raise ValueError(f"{where}: an array's bytes do not fit its shape {shape}")
        return np.frombuffer(buf, dtype=dtype).reshape(shape)
    if "__type__" in value:
        cls = types.get(value["__type__"])
        if cls is None:
            raise ValueError(f"{where}: unexpected type {value['__type__']!r} (this reader knows "
                             f"{', '.join(sorted(types)) or 'none'})")
        fields = {k: _decode(v, types, where) for k, v in value["fields"].items()}
        try:
            return cls(**fields)
        except TypeError as e:
            raise ValueError(f"{where}: a {cls.__name__} does not fit this code ({e}); record it again") from None
    if "__tuple__" in value:
        return tuple(_decode(v, types, where) for v in value["__tuple__"])
    if "__items__" in value:
        return {_hashable(_decode(k, types, where)): _decode(v, types, where) for k, v in value["__items__"]}
    return {k: _decode(v, types, where) for k, v in value.items()}


def _hashable(key: Any) -> Any:
    return tuple(key) if isinstance(key, list) else key


# ---------------------------------------------------------------- files
def save(rec: Recording, path: str | Path, keep: Iterable[str] = ()) -> Path:
    """Write ``rec`` to ``path`` (gzip JSON). Fields named in ``keep`` stay float32 (others: float16)."""
    keep = frozenset(keep)
    payload = {"tab": rec.tab, "name": rec.name, "config": config_dict(rec.config, ()), "seed": rec.seed,
               "code_version": rec.code_version or code_version(), "device": rec.device,
               "recorded": rec.recorded or datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
               "seconds": round(rec.seconds, 3), "frames": [_encode(f, keep) for f in rec.frames],
               "extra": {k: _encode(v, keep, k in keep) for k, v in rec.extra.items()}}
    body = json.dumps(payload, separators=(",", ":"), sort_keys=True)
    doc = {"format": FORMAT, "version": VERSION, "sha256": hashlib.sha256(body.encode()).hexdigest(),
           "head": {k: payload[k] for k in HEAD}, "payload": body}
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same recording gives the same bytes (a rebuild with nothing new changes no file)
    path.write_bytes(gzip.compress(json.dumps(doc, separators=(",", ":")).encode(), mtime=0))
    return path


def load(path: str | Path, types: Iterable[type] = ()) -> Recording:
    """Read a recording; ``types`` are the snapshot dataclasses it may contain. A damaged, edited or foreign
    file raises ``ValueError`` saying what is wrong (and that ``python -m playground replay record`` rebuilds it)."""
    path = Path(path)
    where = f"recording {path.name}"
    fix = "rebuild it with `python -m playground replay record`"
    try:
        doc = json.loads(gzip.decompress(path.read_bytes()))
    except (OSError, EOFError, gzip.BadGzipFile, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ValueError(f"{where} is damaged (not a readable gzip JSON file: {e}); {fix}") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ValueError(f"{where} is not a playground recording; {fix}")
    if doc.get("version") != VERSION:
        raise ValueError(f"{where} has format version {doc.get('version')!r}, this code reads {VERSION}; {fix}")
    body = doc.get("payload")
    if not isinstance(body, str) or hashlib.sha256(body.encode()).hexdigest() != doc.get("sha256"):
        raise ValueError(f"{where} was changed or damaged after it was recorded (checksum mismatch); {fix}")
    p = json.loads(body)
    if doc.get("head") != {k: p.get(k) for k in HEAD}:
        raise ValueError(f"{where}: its header does not match its checked contents (edited?); {fix}")
    known = types if isinstance(types, dict) else {cls.__name__: cls for cls in types}
    return Recording(tab=p["tab"], name=p["name"], config=p["config"], seed=p["seed"],
                     frames=[_decode(f, known, where) for f in p["frames"]],
                     extra={k: _decode(v, known, where) for k, v in p["extra"].items()},
                     code_version=p["code_version"], recorded=p["recorded"], seconds=p["seconds"],
                     device=p.get("device", "cpu"))


def path_for(tab: str, name: str, folder: Path = REPLAY_DIR) -> Path:
    return Path(folder) / f"{tab}-{name}.json.gz"


def peek(path: str | Path) -> dict:
    """The recording's header (tab, name, config, seed, code_version, recorded, seconds, device), read without
    decoding its frames: cheap enough to list every recording when the app starts. ``load`` checks it later."""
    path = Path(path)
    try:
        doc = json.loads(gzip.decompress(path.read_bytes()))
        head = doc["head"]
        if doc.get("format") != FORMAT or not isinstance(head, dict) or not isinstance(head.get("config"), dict):
            raise ValueError
        return head
    except (OSError, EOFError, gzip.BadGzipFile, UnicodeDecodeError, ValueError, KeyError, TypeError):
        raise ValueError(f"recording {path.name} has no readable header; rebuild it with "
                         f"`python -m playground replay record`") from None


def header(path: str | Path) -> dict:
    """The recording's facts without its frames (tab, name, config, seed, code_version, recorded, seconds)."""
    rec = load(path, types=_AnyType())
    return {k: getattr(rec, k) for k in ("tab", "name", "config", "seed", "code_version", "recorded", "seconds",
                                          "device")} | {"frames": len(rec.frames)}


class _AnyType(dict):
    """For ``header``: any snapshot type decodes as a plain dict (nothing is constructed)."""

    def get(self, name, default=None):
        return lambda **fields: dict(fields)

    def __iter__(self):
        return iter(())
