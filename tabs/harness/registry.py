"""The app's tabs, each registered by its own package (``tabs/<tab>/__init__.py``); nothing central lists them.

    register(TabSpec(id="gan", title="tab.gan", order=30, build=GanTab, strings=STRINGS))

``build(page)`` is called inside the tab's ``gr.Tab`` once per build of the app and returns the tab's object (its
widgets and handlers belong to that build only); ``strings`` is the tab's table of texts in both languages.
``tabs()`` imports every package under ``tabs/`` once and returns the registered tabs in the course's order.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from playground.kit.registry import import_packages
from tabs.harness.i18n import add_strings

SHARED = ("harness",)  # packages under tabs/ that are not tabs


@dataclass(frozen=True)
class TabSpec:
    id: str  # the tab's element id (tab-<id>) and its ?tab= value
    title: str  # string key of its title
    order: int  # its place in the course (transformers, generative models, transfer learning)
    build: Callable[[Any], Any]  # build(page) -> the tab's object, inside its gr.Tab
    strings: Mapping[str, Mapping[str, str]]


_tabs: dict[str, TabSpec] = {}
_lock = threading.Lock()
_discovered = False


def register(spec: TabSpec) -> TabSpec:
    with _lock:
        if spec.id in _tabs:
            raise ValueError(f"a tab with the id {spec.id!r} is registered already")
        add_strings(spec.strings, f"tabs.{spec.id}")
        _tabs[spec.id] = spec
    return spec


def discover() -> None:
    """Import every tab package once (each registers itself)."""
    global _discovered
    if not _discovered:
        import_packages("tabs", SHARED)
        _discovered = True


def tabs() -> list[TabSpec]:
    """The registered tabs in the course's order."""
    discover()
    with _lock:
        return sorted(_tabs.values(), key=lambda s: (s.order, s.id))
