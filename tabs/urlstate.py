"""Settings in the address: ``?tab=gan&lang=vi&present=1&gan.preset=mode_collapse``.

A tab registers the widgets that define its setup (``share("gan", "preset", preset_dropdown)``); opening a link
restores them, and each tab's "Link to this setup" button writes the address of what is on screen. Values
from the address are checked like any other input: a value a widget cannot take is ignored, never trusted.

A link carries only what differs from what the page opens with (the selected preset's values, else the
widgets' initial values), so a lecturer's links stay short; a preset edited by hand reads ``custom`` and its
link carries the edited settings.
"""

from __future__ import annotations

import json
import math

import gradio as gr

_shared: dict[str, dict[str, gr.components.Component]] = {}  # tab id -> {name: widget}
_presets: dict[str, callable] = {}  # tab id -> preset name -> {shared name: value}
CUSTOM = "custom"  # the preset choice that means "edited by hand"


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


def restore(request: gr.Request) -> list:
    """``demo.load``: one value (or skip) per shared widget, from the address.

    ``<tab>.preset=NAME`` fills in that preset's values; a setting given explicitly wins, and when it differs
    from the preset (or from the page's own preset when the link names none) the preset reads ``custom``."""
    params = dict(request.query_params) if request else {}
    for tab, values_of in _presets.items():
        named = _shared[tab]
        key = f"{tab}.preset"
        name = params.get(key, named["preset"].value)
        try:
            preset = values_of(name)
        except ValueError:
            continue
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
    return [parse(w, params[key]) if key in params else gr.skip() for key, w in widgets()]


def _baselines(tab: str) -> tuple[dict, dict]:
    """What a page opens with for ``tab`` (each widget's initial value), and each preset's values."""
    named = _shared.get(tab, {})
    base = {f"{tab}.{n}": w.value for n, w in named.items()}
    presets = {}
    if tab in _presets:
        for name in _choices(named["preset"]) or []:
            try:
                presets[name] = {f"{tab}.{f}": v for f, v in _presets[tab](name).items()}
            except ValueError:
                continue
    return base, presets


def link_js(tab: str) -> str:
    """JS for a tab's "Link to this setup" button: the address of the current page with this tab's settings
    (only those that differ from what the page opens with, or from the preset chosen)."""
    keys = json.dumps([f"{tab}.{name}" for name in _shared.get(tab, {})])
    base, presets = _baselines(tab)
    return f"""(...values) => {{
        const keys = {keys};
        const base = {json.dumps(base, default=str)};
        const presets = {json.dumps(presets, default=str)};
        const same = (a, b) => {{
            if (Array.isArray(a) || Array.isArray(b))
                return Array.isArray(a) && Array.isArray(b) && a.map(String).join(',') === b.map(String).join(',');
            if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
            return String(a).toLowerCase() === String(b).toLowerCase();
        }};
        const preset = presets[values[keys.indexOf('{tab}.preset')]] || {{}};
        const url = new URL(window.location.href);
        for (const k of [...url.searchParams.keys()]) if (k.includes('.')) url.searchParams.delete(k);
        url.searchParams.set('tab', '{tab}');
        keys.forEach((k, i) => {{
            const v = values[i];
            if (v === null || v === undefined) return;
            if (same(v, k in preset ? preset[k] : base[k])) return;
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
