"""The language switch of one build of the app: one event relabels every widget and redraws every figure.

A tab registers each redraw with ``page.on_language(fn, inputs, outputs)`` (a live run's with
``page.relabel_live``): every redraw runs inside the one event that relabels the widgets, since the page handles
the events of a switch one after another, about 0.3-0.5 s each on a busy 2-core machine (the VAE tab took 15.1-18.4 s
to settle with twenty events, 4.3-6.3 s with one). ``/set_language`` gives API clients the relabelling alone.
"""

from __future__ import annotations

import logging
from typing import Any, Callable

import gradio as gr

from tabs.harness.i18n import DEFAULT_LANG, note_session_language

log = logging.getLogger("playground.common")


def _is_update(value) -> bool:
    return isinstance(value, dict) and value.get("__type__") == "update"


def _merge(first, second):
    """Two answers for one output in the same event: a relabelling (an update) and a redraw (a value or update)."""
    if not _is_update(first):
        return second
    if _is_update(second):
        return {**first, **second}
    return {**first, "value": second}


def _answers(fn, inputs, outputs, data: dict) -> dict:
    if isinstance(inputs, (set, dict)):
        result = fn(data)
    else:
        result = fn(*[data[c] for c in inputs])
    if isinstance(result, dict) and not _is_update(result):
        return result
    outputs = list(outputs)
    if len(outputs) == 1:
        return {outputs[0]: result}
    return dict(zip(outputs, result))


class LanguageSwitch:
    """The redraws of one app's language switch, registered by the tabs and wired once (``wire``).

    A switch relabels the page's frame and the open tab, and redraws that tab's figures, in one event; every other
    tab catches up when it is opened (its ``select``), so a switch costs the page one tab's worth of updates (with
    all seven at once the page took seconds to apply some 450 updates). ``open`` and ``shown`` are per-session
    states: the open tab, and the language each tab was last drawn in."""

    def __init__(self, lang: gr.components.Component, first_tab: str | None = None) -> None:
        self.lang = lang
        self._listeners: list[tuple[Callable, Any, list, dict | None, str | None]] = []
        self.open = gr.State(first_tab)  # the tab on screen (the load sets it from the address, a select after)
        self.shown = gr.State({})  # tab id -> the language it was last drawn in (absent: the default)

    def on_language(self, fn, inputs, outputs, then: dict | None = None, owner: str | None = None) -> None:
        """Redraw ``outputs`` when the language changes: ``fn`` is called as a Gradio handler would call it
        (``inputs`` a list: one argument each; a set: one dict) and returns a dict, a value per output, or one
        value. ``then``: the keyword arguments of a ``.then`` event run after the redraw. ``owner``: the tab the
        outputs belong to (None: the page's frame, always redrawn)."""
        self._listeners.append((fn, inputs, outputs, then, owner))

    def relabel_live(self, live, status: gr.components.Component, outputs: list, owner: str | None = None) -> None:
        """A language switch redraws a live run's status and figures from its last snapshot (no training), so
        no figure keeps the old language. ``live`` is a wired ``tabs.harness.live.Live``."""
        self.on_language(lambda data: live.frame(data[live.state], data[self.lang]), {live.state, self.lang},
                         [status, *outputs], owner=owner)

    def _redraw(self, listeners: list, data: dict, out: dict) -> None:
        for fn, ins, outs, _, _ in listeners:
            try:
                answers = _answers(fn, ins, outs, data)
            except Exception:
                log.exception("a redraw after the language switch failed: %s", getattr(fn, "__qualname__", fn))
                continue
            for c, v in answers.items():
                out[c] = _merge(out[c], v) if c in out else v

    def wire(self, components: list, updates: Callable, owners: list | None = None, tabs: dict | None = None,
             api_name: str = "set_language", shown_js: str | None = None):
        """The language switch: ``updates(lang, owners)`` relabels ``components`` (the translator's; ``owners``
        says each one's tab), and the registered redraws fill their outputs. A redraw that fails leaves its outputs
        as they were (logged): the rest of the page still switches. ``tabs``: tab id -> its ``gr.Tab``.

        Two small events instead of one large one (the page walks its whole component tree for every output of an
        event, declared outputs that are skipped included: 458 outputs took it 3-5 s): the switch relabels the
        page's frame and stamps the open tab's hidden trigger; that trigger's change, or the tab's select when it
        is opened later, relabels and redraws that tab alone. ``shown_js`` runs after a tab's event (the page is
        revealed once the tab on screen speaks the language). Returns the switch's event."""
        lang, opened, shown = self.lang, self.open, self.shown
        owners = owners if owners is not None else [None] * len(components)
        tabs = tabs or {}
        owners = [o if o in tabs else None for o in owners]  # a widget of no known tab belongs to the frame
        listeners = [(fn, ins, outs, then, owner if owner in tabs else None)
                     for fn, ins, outs, then, owner in self._listeners]
        triggers = {tab: gr.Textbox(value="", visible=False, label=f"language-{tab}") for tab in tabs}
        self.triggers = triggers  # a new value draws that tab in the page's language (a lecture's move opens a tab)

        def inputs_of(group: list) -> list:
            extra = [c for _, ins, _, _, _ in group for c in ins if c is not lang]
            return [lang, opened, shown, *dict.fromkeys(extra)]  # the language first: the API's one positional argument

        def outputs_of(comps: list, group: list, more: list = ()) -> list:
            return list(dict.fromkeys([opened, shown, *comps, *(c for _, _, outs, _, _ in group for c in outs),
                                       *more]))

        def redrawn(owner: str | None, group: list, data: dict) -> dict:
            now = data[lang]
            out = {c: u for c, u, o in zip(components, updates(now, {owner}), owners) if o == owner}
            self._redraw(group, data, out)
            return out

        frame_group = [item for item in listeners if item[4] is None]
        frame_in = inputs_of(frame_group)
        frame_out = outputs_of([c for c, o in zip(components, owners) if o is None], frame_group, list(triggers.values()))
        counter = iter(range(1, 1 << 62))

        def switch(*values):
            data = dict(zip(frame_in, values))
            now = data[lang]
            note_session_language(now)  # the widgets' own checks answer this session in it
            out = redrawn(None, frame_group, data)
            if data[opened] in triggers:  # a new stamp each time, so that its change always fires
                out[triggers[data[opened]]] = f"{now}:{next(counter)}"
            return [out.get(c, gr.skip()) for c in frame_out]

        event = lang.change(switch, frame_in, frame_out, api_visibility="private", queue=False, show_progress="hidden")
        for _, _, _, then, _ in frame_group:
            if then:
                event.then(**then)

        def catch_up(tab: str, inputs: list, outputs: list, group: list):
            def run(*values):
                data = dict(zip(inputs, values))
                now, seen = data[lang], dict(data[shown] or {})
                if seen.get(tab, DEFAULT_LANG) == now:  # drawn in this language already
                    return [tab if c is opened else gr.skip() for c in outputs]
                out = redrawn(tab, group, data)
                out[shown], out[opened] = {**seen, tab: now}, tab
                return [out.get(c, gr.skip()) for c in outputs]
            return run

        for tab_id, block in tabs.items():  # the open tab now, any other when it is opened
            group = [item for item in listeners if item[4] == tab_id]
            ins = inputs_of(group)
            outs = outputs_of([c for c, o in zip(components, owners) if o == tab_id], group)
            fn = catch_up(tab_id, ins, outs, group)
            for trigger in (triggers[tab_id].change, block.select):
                caught = trigger(fn, ins, outs, api_visibility="private", queue=False, show_progress="hidden")
                for _, _, _, then, _ in group:
                    if then:
                        caught.then(**then)
                if shown_js and trigger is not block.select:
                    caught.then(None, js=shown_js, api_visibility="private", queue=False)
        if api_name:  # for API clients: the relabelling alone, from the language alone

            def set_language(lang: str) -> list[dict]:
                note_session_language(lang)
                return updates(lang)

            gr.api(set_language, api_name=api_name)
        return event
