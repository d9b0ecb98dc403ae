"""A tab's preset dropdown: a preset fills in every setting, and settings edited by hand make it read "custom".

    presets = Presets(core.PRESETS, core.preset_config, LABELS)   # the settings' field names, in the widgets' order
    preset.input(presets.apply, preset, widgets)                  # a preset's values ("custom" leaves them)
    widget.input(presets.matching, [preset, *widgets], preset)    # the preset the settings still equal, else custom
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Mapping

import gradio as gr

from tabs.harness.links import CUSTOM, same


class Presets:
    def __init__(self, presets: Mapping[str, Any], config_of: Callable[[str], Any], fields: Iterable[str]) -> None:
        self.presets, self.config_of, self.fields = presets, config_of, list(fields)

    def apply(self, name: str) -> tuple:
        """Every setting of preset ``name``; "custom" (the user's own settings) leaves them as they are."""
        if name not in self.presets:
            return tuple(gr.skip() for _ in self.fields)
        p = self.config_of(name)
        return tuple(getattr(p, f) for f in self.fields)

    def matching(self, current: str, *values) -> str:
        """After a setting changed: the preset the settings still equal (the chosen one first), else "custom"."""
        for name in (current, *self.presets):
            if name in self.presets and all(same(a, b) for a, b in zip(values, self.apply(name))):
                return name
        return CUSTOM

    def values_of(self, name: str) -> dict:
        """Preset ``name``'s settings by field (empty for "custom"), as a link shares them."""
        return dict(zip(self.fields, self.apply(name))) if name in self.presets else {}
