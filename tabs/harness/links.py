"""Settings in the address: ``?tab=gan&lang=vi&present=1&gan.preset=mode_collapse``.

Each build of the app has one ``Links`` (``page.links``). A tab shares the widgets that define its setup
(``links.share("gan", "preset", dropdown)``); opening a link restores them, and each tab's "Link to this setup"
button writes the address of what is on screen. Values from the address are checked like any other input: a value
a widget cannot take is ignored, never trusted.

A link carries only what differs from what the page opens with (the selected preset's values, else the
widgets' initial values), so a lecturer's links stay short; a preset edited by hand reads ``custom`` and its
link carries the edited settings.
"""

from __future__ import annotations

import json
import math
from typing import Callable

import gradio as gr

from tabs.harness.scripts import event_script

CUSTOM = "custom"  # the preset choice that means "edited by hand"


def _choices(widget) -> list | None:
    raw = getattr(widget, "choices", None)
    if not raw:
        return None
    return [c[1] if isinstance(c, (list, tuple)) else c for c in raw]


def parse(widget: gr.components.Component, text: str):
    """The value ``text`` from the address means for ``widget``, or ``gr.skip()`` when it cannot take it."""
    choices = _choices(widget)
    if isinstance(widget, gr.CheckboxGroup):
        by_text = {str(c): c for c in choices or []}  # choices may be numbers: 25,50 in the address
        values = [v for v in text.split(",") if v]
        return [by_text[v] for v in values] if all(v in by_text for v in values) else gr.skip()
    if choices is not None:
        by_text = {str(c): c for c in choices}
        return by_text[text] if text in by_text else gr.skip()
    if isinstance(widget, (gr.Number, gr.Slider)):
        try:
            number = float(text)
        except ValueError:
            return gr.skip()
        if not math.isfinite(number):
            return gr.skip()
        lo, hi = getattr(widget, "minimum", None), getattr(widget, "maximum", None)
        if (lo is not None and number < lo) or (hi is not None and number > hi):
            return gr.skip()
        return int(number) if number.is_integer() else number
    if isinstance(widget, gr.Checkbox):
        return text in ("1", "true", "yes") if text in ("0", "1", "true", "false", "yes", "no") else gr.skip()
    if isinstance(widget, gr.Textbox):
        return text[: getattr(widget, "max_length", None) or 2000]
    return gr.skip()


def _skipped(value) -> bool:
    return isinstance(value, dict) and value.get("__type__") == "update"


def same(a, b) -> bool:
    if isinstance(a, (list, tuple)) or isinstance(b, (list, tuple)):
        return isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)) and list(map(str, a)) == list(map(str, b))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    return a == b


class Links:
    """The shared settings of one build of the app, by tab."""

    def __init__(self) -> None:
        self._shared: dict[str, dict[str, gr.components.Component]] = {}  # tab id -> {name: widget}
        self._presets: dict[str, Callable[[str], dict]] = {}  # tab id -> preset name -> {shared name: value}

    def share(self, tab: str, name: str, widget: gr.components.Component) -> gr.components.Component:
        """``?<tab>.<name>=VALUE`` sets ``widget``; the tab's link carries it when it differs."""
        named = self._shared.setdefault(tab, {})
        if name in named:
            raise ValueError(f"the link setting {tab}.{name} is shared twice")
        named[name] = widget
        return widget

    def share_all(self, tab: str, widgets: dict[str, gr.components.Component], prefix: str = "") -> None:
        for name, widget in widgets.items():
            self.share(tab, f"{prefix}{name}", widget)

    def share_preset(self, tab: str, widget: gr.components.Component, values_of: Callable[[str], dict]) -> None:
        """``?<tab>.preset=NAME`` selects the preset and fills in its values (explicit settings in the address win)."""
        self.share(tab, "preset", widget)
        self._presets[tab] = values_of

    def widgets(self) -> list[tuple[str, gr.components.Component]]:
        """Every shared widget as (``tab.name``, widget), in a fixed order."""
        return [(f"{tab}.{name}", w) for tab, named in self._shared.items() for name, w in named.items()]

    def restore(self, params, reset: str | None = None) -> list:
        """For ``demo.load`` and a lecture's move: one value (or skip) per shared widget, from the address's
        settings ``params`` (``request.query_params`` or a dict).

        ``<tab>.preset=NAME`` fills in that preset's values; a setting given explicitly wins, and when it differs
        from the preset (or from the page's own preset when the link names none) the preset reads ``custom``.
        ``reset`` (a tab id): that tab's settings the address does not name go back to what the page opens with (a
        lecture's moment shows exactly its link, whatever the previous moment set)."""
        params = self.settings(params)
        out = []
        for key, w in self.widgets():
            if key in params:
                out.append(parse(w, params[key]))
            elif reset is not None and key.startswith(f"{reset}."):
                out.append(w.value)
            else:
                out.append(gr.skip())
        return out

    def settings(self, params) -> dict[str, str]:
        """The address's settings with each named preset's values filled in (``restore``)."""
        params = dict(params or {})
        for tab, values_of in self._presets.items():
            self._apply_preset(tab, values_of, params)
        return params

    def shared(self, tab: str) -> dict[str, gr.components.Component]:
        """The widgets ``tab`` shares, by name."""
        return dict(self._shared.get(tab, {}))

    def _apply_preset(self, tab: str, values_of: Callable[[str], dict], params: dict) -> None:
        named = self._shared[tab]
        key = f"{tab}.preset"
        try:
            preset = values_of(params.get(key, named["preset"].value))
        except ValueError:
            return
        edited = False
        for field, value in preset.items():
            given = params.get(f"{tab}.{field}")
            if given is not None and field in named:
                parsed = parse(named[field], given)
                edited |= not _skipped(parsed) and not same(parsed, value)
            elif key in params:
                params[f"{tab}.{field}"] = str(value)
        if edited and CUSTOM in (_choices(named["preset"]) or []):
            params[key] = CUSTOM

    def _baselines(self, tab: str) -> tuple[dict, dict]:
        """What a page opens with for ``tab`` (each widget's initial value), and each preset's values."""
        named = self._shared.get(tab, {})
        base = {f"{tab}.{n}": w.value for n, w in named.items()}
        presets = {}
        if tab in self._presets:
            for name in _choices(named["preset"]) or []:
                try:
                    presets[name] = {f"{tab}.{f}": v for f, v in self._presets[tab](name).items()}
                except ValueError:
                    continue
        return base, presets

    def link_js(self, tab: str) -> str:
        """The "Link to this setup" button's script for ``tab`` (``js/link.js``)."""
        base, presets = self._baselines(tab)
        return event_script("link", KEYS=json.dumps([f"{tab}.{name}" for name in self._shared.get(tab, {})]),
                            BASE=json.dumps(base, default=str), PRESETS=json.dumps(presets, default=str),
                            PRESET_KEY=json.dumps(f"{tab}.preset"), TAB=json.dumps(tab))

    def button(self, tr, tab: str) -> None:
        """A "Link to this setup" button and the box that shows the link (copyable). Call after the tab's
        widgets are shared."""
        with gr.Row(elem_classes=["share-row"]):
            btn = tr(gr.Button, value="app.link", size="sm", scale=0, min_width=180, elem_id=f"{tab}-link")
            box = tr(gr.Textbox, label="app.link_box", show_label=False, interactive=False, buttons=["copy"],
                     elem_id=f"{tab}-link-box", scale=4)
        btn.click(None, list(self._shared.get(tab, {}).values()), box, js=self.link_js(tab), api_name=False,
                  queue=False)
