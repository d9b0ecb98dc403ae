"""Recorders: how each experiment turns a run into a shipped recording, found through the registry.

An experiment's package names its recorders (``playground.kit.registry.Experiment.recorders``): a recording name
(the prefix of ``assets/replays/<name>-<preset>.json.gz``, which is also the live run's name in the tab) and a
function that returns its ``Recorder``. A recorder runs the same core generator the live tab runs, from the preset's
config and seed, keeps its snapshots (thinned to at most ``MAX_FRAMES``) and what the figures need besides them.
This module knows no experiment; the helpers below (``first``, ``numbers``, ``close``) are what the experiments'
``check`` functions share.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

import numpy as np

from playground.kit import registry
from playground.replay import format as replay

CHECK_STEPS = 5  # snapshots compared by ``check`` (and the staleness test)


@dataclass(frozen=True)
class Recorder:
    """How to record one live run: its presets, a config per preset, and the recording itself."""

    names: Callable[[], list[str]]
    config: Callable[[str], Any]
    record: Callable[[str, Any], replay.Recording]
    types: Callable[[], list[type]]
    check: Callable[[replay.Recording, int], None]  # raises AssertionError when the code now differs
    key: Callable[[Any], Any] = lambda config: config  # what the recording stores as its config


def names() -> list[str]:
    """Every recording name the registered experiments ship, in the course's order."""
    return list(registry.recorder_specs())


def recorder(tab: str) -> Recorder:
    specs = registry.recorder_specs()
    if tab not in specs:
        raise ValueError(f"no recorder for {tab!r}; choose one of {', '.join(specs)}")
    return registry.load_attribute(specs[tab])()


def load(path: str | Path) -> replay.Recording:
    """A shipped recording, with the snapshot types of its recorder."""
    tab = Path(path).name.split("-", 1)[0]
    return replay.load(path, recorder(tab).types() if tab in registry.recorder_specs() else [])


def record(tab: str, name: str, folder: Path = replay.REPLAY_DIR) -> Path:
    r = recorder(tab)
    if name not in r.names():
        raise ValueError(f"{tab} has no preset {name!r}; choose one of {', '.join(r.names())}")
    rec = r.record(name, r.config(name))
    return replay.save(rec, replay.path_for(tab, name, folder), keep=("history",))


# ---------------------------------------------------------------- what the experiments' checks share
def first(gen: Iterator, n: int) -> Iterator:
    """The first ``n`` snapshots of a core generator (heartbeats skipped); the generator is closed after."""
    got = 0
    try:
        for item in gen:
            if item is not None:
                yield item
                got += 1
                if got >= n:
                    return
    finally:
        gen.close()


def numbers(value: Any) -> np.ndarray:
    """Every number in a nested dict/list, in a fixed order (None -> nan)."""
    if isinstance(value, dict):
        return np.concatenate([numbers(value[k]) for k in sorted(value, key=str)] or [np.zeros(0)])
    if isinstance(value, (list, tuple)):
        return np.concatenate([numbers(v) for v in value] or [np.zeros(0)])
    return np.asarray([np.nan if value is None else value], dtype=np.float64)


def close(now: np.ndarray, recorded: np.ndarray, what: str) -> None:
    """float16 storage keeps ~3 significant digits: equal within 1e-3 relative (plus 5e-3 absolute, for the
    values near 0 and the uint8 images' 1/255 steps). A change in the code moves them by far more."""
    now, recorded = np.asarray(now, np.float32), np.asarray(recorded, np.float32)
    if now.dtype != recorded.dtype or now.shape != recorded.shape:
        raise AssertionError(f"{what}: shape {now.shape} now, {recorded.shape} in the recording")
    if recorded.size and np.issubdtype(np.asarray(recorded).dtype, np.floating):
        if not np.allclose(now, recorded, rtol=1e-3, atol=5e-3, equal_nan=True):
            worst = float(np.nanmax(np.abs(now - recorded)))
            raise AssertionError(f"{what} differ from the recording by up to {worst:.4g}: the code changed since "
                                 f"it was recorded; rebuild it with `python -m playground replay record`")


def close_fields(fresh: list, recorded: list, fields: tuple[str, ...]) -> None:
    """Each named field (when a snapshot has it) of fresh snapshots against the recorded ones, in order."""
    for i, (a, b) in enumerate(zip(fresh, recorded)):
        for f in fields:
            if hasattr(a, f):
                close(numbers(getattr(a, f)), numbers(getattr(b, f)), f"snapshot {i}'s {f}")
