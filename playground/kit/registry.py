"""The experiments of the playground, each registered by its own package (``playground/<experiment>/__init__.py``).

Nothing central lists them: ``experiments()`` imports every package under ``playground/`` once, and each one that
is an experiment calls ``register(Experiment(...))``, as peft's methods register themselves. The command line
(``python -m playground``) and the replay recorder (``python -m playground replay``) read the registry; adding
an experiment touches no shared file.

    register(Experiment("gan", "train a GAN on 2-D toy data or small digit images", cli="playground.gan.cli",
                        order=30, recorders={"gan": "playground.gan.recorder:recorder"}))
"""

from __future__ import annotations

import importlib
import pkgutil
import threading
from dataclasses import dataclass, field
from typing import Any, Mapping

INFRASTRUCTURE = ("kit", "data")  # packages of shared pieces: they register nothing and are not experiments


@dataclass(frozen=True)
class Experiment:
    """One experiment as the command line and the recorder see it.

    ``cli``: the module with ``add_arguments(parser)`` and ``run_cli(args)`` (imported when the subcommand runs);
    ``recorders``: the recordings it ships, by their public name (the prefix of ``assets/replays/<name>-*``), each
    ``"module:attribute"`` of a function returning its ``playground.replay.Recorder``."""

    name: str
    help: str
    cli: str
    order: int = 100
    recorders: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.name.isidentifier() or self.name != self.name.lower():
            raise ValueError(f"an experiment's name is a lower-case identifier, got {self.name!r}")


_registry: dict[str, Experiment] = {}
_recordings: dict[str, str] = {}  # recording name -> the experiment that ships it
_lock = threading.Lock()
_discovered = False


def register(experiment: Experiment) -> Experiment:
    """Add an experiment; a name (or a recording name) that is taken already is refused."""
    with _lock:
        if experiment.name in _registry:
            raise ValueError(f"an experiment named {experiment.name!r} is registered already "
                             f"(by {_registry[experiment.name].cli})")
        for name in experiment.recorders:
            if name in _recordings:
                raise ValueError(f"the recording name {name!r} of {experiment.name!r} is taken by {_recordings[name]!r}")
        _registry[experiment.name] = experiment
        _recordings.update({name: experiment.name for name in experiment.recorders})
    return experiment


def import_packages(parent: str, skip: tuple[str, ...]) -> None:
    """Import every package directly under ``parent`` (by name order) except ``skip``: each one that registers
    itself does so as it is imported. Used for the experiments here and for the tabs (``tabs.harness.registry``)."""
    root = importlib.import_module(parent)
    for info in sorted(pkgutil.iter_modules(root.__path__), key=lambda m: m.name):
        if info.ispkg and info.name not in skip:
            importlib.import_module(f"{parent}.{info.name}")


def discover() -> None:
    """Import every package of ``playground`` once, so that each experiment has registered itself."""
    global _discovered
    if not _discovered:
        import_packages("playground", INFRASTRUCTURE)
        _discovered = True


def experiments() -> list[Experiment]:
    """Every registered experiment, in the course's order."""
    discover()
    with _lock:
        return sorted(_registry.values(), key=lambda e: (e.order, e.name))


def get(name: str) -> Experiment:
    discover()
    if name not in _registry:
        raise ValueError(f"no experiment {name!r}; choose one of {', '.join(e.name for e in experiments())}")
    return _registry[name]


def load_attribute(spec: str) -> Any:
    """``"package.module:attribute"`` -> the attribute (imported now)."""
    module, _, attribute = spec.partition(":")
    return getattr(importlib.import_module(module), attribute)


def recorder_specs() -> dict[str, str]:
    """Every shipped recording name and where its recorder lives, in the experiments' order."""
    return {name: spec for e in experiments() for name, spec in e.recorders.items()}
