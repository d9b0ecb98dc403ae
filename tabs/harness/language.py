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

    def _gated(self, then: dict, owner: str | None) -> dict:
        """``then`` run only while ``owner``'s tab is open (another tab's follow-up waits for it to be opened)."""
        fn, ins, outs = then["fn"], then.get("inputs"), then.get("outputs")
        skip = {c: gr.skip() for c in (outs if isinstance(outs, (list, set, tuple)) else [outs])}
        if owner is None:
            return then
        if isinstance(ins, (set, dict)):
            def run(data):
                return fn(data) if data[self.open] == owner else skip
            return {**then, "fn": run, "inputs": set(ins) | {self.open}}

        def run_listed(open_tab, *args):
            return fn(*args) if open_tab == owner else skip
        return {**then, "fn": run_listed, "inputs": [self.open, *(ins or [])]}

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
             api_name: str = "set_language"):
        """The language switch: ``updates(lang, owners)`` relabels ``components`` (the translator's; ``owners``
        says each one's tab), then the open tab's registered redraws fill their outputs. A redraw that fails leaves
        its outputs as they were (logged): the rest of the page still switches. ``tabs``: tab id -> its ``gr.Tab``,
        whose select brings that tab up to the language. Returns the switch's event (for ``.then``)."""
        lang, opened, shown = self.lang, self.open, self.shown
        owners = owners if owners is not None else [None] * len(components)
        tabs = tabs or {}
        listeners = list(self._listeners)

        def inputs_of(group: list) -> list:
            extra = [c for _, ins, _, _, _ in group for c in ins if c is not lang]
            return [lang, opened, shown, *dict.fromkeys(extra)]  # the language first: the API's one positional argument

        def outputs_of(comps: list, group: list) -> list:
            return list(dict.fromkeys([opened, shown, *comps, *(c for _, _, outs, _, _ in group for c in outs)]))

        def handler(inputs: list, outputs: list, group: list, tab: str | None):
            """One event's function: relabel and redraw ``tab`` (None: the open one) with the page's frame."""
            def run(*values):
                data = dict(zip(inputs, values))
                now, seen = data[lang], dict(data[shown] or {})
                if tab is None:
                    note_session_language(now)  # the widgets' own checks answer this session in it
                target = tab if tab is not None else data[opened]
                if tab is not None and seen.get(tab, DEFAULT_LANG) == now:
                    return [tab if c is opened else gr.skip() for c in outputs]  # drawn in this language already
                mine = {target} if tab is not None else {None, target}
                relabel = updates(now, mine)
                out = {c: u for c, u, o in zip(components, relabel, owners) if o in mine}
                self._redraw([item for item in group if item[4] in mine], data, out)
                out[shown], out[opened] = {**seen, target: now}, target
                return [out.get(c, gr.skip()) for c in outputs]
            return run

        everything_in = inputs_of(listeners)
        everything_out = outputs_of(components, listeners)
        event = lang.change(handler(everything_in, everything_out, listeners, None), everything_in, everything_out,
                            api_visibility="private", queue=False, show_progress="hidden")
        for _, _, _, then, owner in listeners:
            if then:
                event.then(**self._gated(then, owner))
        for tab_id, block in tabs.items():  # opening a tab brings it up to the page's language
            group = [item for item in listeners if item[4] == tab_id]
            comps = [c for c, o in zip(components, owners) if o == tab_id]
            ins, outs = inputs_of(group), outputs_of(comps, group)
            caught = block.select(handler(ins, outs, group, tab_id), ins, outs, api_visibility="private",
                                  queue=False, show_progress="hidden")
            for _, _, _, then, _ in group:
                if then:
                    caught.then(**then)
        if api_name:  # for API clients: the relabelling alone, from the language alone

            def set_language(lang: str) -> list[dict]:
                note_session_language(lang)
                return updates(lang)

            gr.api(set_language, api_name=api_name)
        return event
