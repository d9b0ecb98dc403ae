"""Every user-visible string of the app, in English and Vietnamese.

Each module in this package holds one tab's strings as ``STRINGS = {key: {"en": ..., "vi": ...}}``;
they are merged here (a key defined twice is an error), so there is one lookup for the whole app.
Keys are namespaced by tab: ``attn.*``, ``gan.*``, ``vae.*``, ``ft.*``; shared ones are ``app.*``.
"""

from __future__ import annotations

import importlib
import pkgutil

LANGS = ("en", "vi")


def _collect() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for key, value in module.STRINGS.items():
            if key in merged:
                raise KeyError(f"string key {key!r} is defined twice (second time in {info.name})")
            merged[key] = value
    return merged


STRINGS = _collect()
