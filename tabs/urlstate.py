"""Settings in the address: ``?tab=gan&lang=vi&present=1&gan.preset=mode_collapse``.

A tab registers the widgets that define its setup (``share("gan", "preset", preset_dropdown)``); opening a link
restores them, and each tab's "Link to this setup" button writes the address of what is on screen. Values
from the address are checked like any other input: a value a widget cannot take is ignored, never trusted.
"""

from __future__ import annotations

import json
import math

import gradio as gr

_shared: dict[str, dict[str, gr.components.Component]] = {}  # tab id -> {name: widget}
_presets: dict[str, callable] = {}  # tab id -> preset name -> {shared name: value}


def share_preset(tab: str, widget: gr.components.Component, values_of) -> None:
    """``?<tab>.preset=NAME`` selects the preset and fills in its values (explicit settings in the address win)."""
    share(tab, "preset", widget)
    _presets[tab] = values_of


def share(tab: str, name: str, widget: gr.components.Component) -> gr.components.Component:
    _shared.setdefault(tab, {})[name] = widget
    return widget


def widgets() -> list[tuple[str, gr.components.Component]]:
    """Every shared widget as (``tab.name``, widget), in a fixed order."""
    return [(f"{tab}.{name}", w) for tab, named in _shared.items() for name, w in named.items()]


def _choices(widget) -> list | None:
    raw = getattr(widget, "choices", None)
    if not raw:
        return None
    return [c[1] if isinstance(c, (list, tuple)) else c for c in raw]


def parse(widget: gr.components.Component, text: str):
    """The value ``text`` from the address means for ``widget``, or ``gr.skip()`` when it cannot take it."""
    choices = _choices(widget)
    if isinstance(widget, gr.CheckboxGroup):
        values = [v for v in text.split(",") if v]
        return values if choices is not None and all(v in choices for v in values) else gr.skip()
    if choices is not None:
        return text if text in choices else gr.skip()
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


def restore(request: gr.Request) -> list:
    """``demo.load``: one value (or skip) per shared widget, from the address."""
    params = dict(request.query_params) if request else {}
    for tab, values_of in _presets.items():
        name = params.get(f"{tab}.preset")
        if name is None:
            continue
        try:
            preset = values_of(name)
        except ValueError:
            continue
        for field, value in preset.items():
            params.setdefault(f"{tab}.{field}", str(value))
    return [parse(w, params[key]) if key in params else gr.skip() for key, w in widgets()]


def link_js(tab: str) -> str:
    """JS for a tab's "Link to this setup" button: the address of the current page with this tab's settings."""
    keys = json.dumps([f"{tab}.{name}" for name in _shared.get(tab, {})])
    return f"""(...values) => {{
        const keys = {keys};
        const url = new URL(window.location.href);
        for (const k of [...url.searchParams.keys()]) if (k.includes('.')) url.searchParams.delete(k);
        url.searchParams.set('tab', '{tab}');
        keys.forEach((k, i) => {{
            const v = values[i];
            if (v === null || v === undefined) return;
            url.searchParams.set(k, Array.isArray(v) ? v.join(',') : String(v));
        }});
        const text = url.toString();
        if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text);
        return text;
    }}"""


def link_button(tr, tab: str) -> None:
    """A "Link to this setup" button and the box that shows the link (copyable). Call after the tab's
    widgets are shared."""
    with gr.Row(elem_classes=["share-row"]):
        btn = tr(gr.Button, value="app.link", size="sm", scale=0, min_width=180, elem_id=f"{tab}-link")
        box = tr(gr.Textbox, label="app.link_box", show_label=False, interactive=False, buttons=["copy"],
                 elem_id=f"{tab}-link-box", scale=4)
    named = list(_shared.get(tab, {}).values())
    btn.click(None, named, box, js=link_js(tab), api_name=False, queue=False)
