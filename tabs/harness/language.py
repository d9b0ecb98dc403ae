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
    """The redraws of one app's language switch, registered by the tabs and wired once (``wire``)."""

    def __init__(self, lang: gr.components.Component) -> None:
        self.lang = lang
        self._listeners: list[tuple[Callable, Any, list, dict | None]] = []

    def on_language(self, fn, inputs, outputs, then: dict | None = None) -> None:
        """Redraw ``outputs`` when the language changes: ``fn`` is called as a Gradio handler would call it
        (``inputs`` a list: one argument each; a set: one dict) and returns a dict, a value per output, or one
        value. ``then``: the keyword arguments of a ``.then`` event run after the switch."""
        self._listeners.append((fn, inputs, outputs, then))

    def relabel_live(self, live, status: gr.components.Component, outputs: list) -> None:
        """A language switch redraws a live run's status and figures from its last snapshot (no training), so
        no figure keeps the old language. ``live`` is a wired ``tabs.harness.live.Live``."""
        self.on_language(lambda data: live.frame(data[live.state], data[self.lang]), {live.state, self.lang},
                         [status, *outputs])

    def wire(self, components: list, updates: Callable[[str], list], api_name: str = "set_language"):
        """The one event of a language switch: ``updates(lang)`` relabels ``components`` (the translator's), then
        every registered redraw fills its outputs. A redraw that fails leaves its outputs as they were (logged):
        the rest of the page still switches. Returns the event (for ``.then``)."""
        lang = self.lang
        extra = [c for _, ins, _, _ in self._listeners for c in ins if c is not lang]
        inputs = [lang, *dict.fromkeys(extra)]  # the language first: the API's one positional argument
        outputs = list(dict.fromkeys([*components, *(c for _, _, outs, _ in self._listeners for c in outs)]))
        listeners = list(self._listeners)

        def switch(*values):
            data = dict(zip(inputs, values))
            out = dict(zip(components, updates(data[lang])))
            for fn, ins, outs, _ in listeners:
                try:
                    answers = _answers(fn, ins, outs, data)
                except Exception:
                    log.exception("a redraw after the language switch failed: %s", getattr(fn, "__qualname__", fn))
                    continue
                for c, v in answers.items():
                    out[c] = _merge(out[c], v) if c in out else v
            return [out.get(c, gr.skip()) for c in outputs]

        event = lang.change(switch, inputs, outputs, api_visibility="private", queue=False, show_progress="hidden")
        if api_name:  # for API clients: the relabelling alone, from the language alone

            def set_language(lang: str) -> list[dict]:
                return updates(lang)

            gr.api(set_language, api_name=api_name)
        for _, _, _, then in listeners:
            if then:
                event.then(**then)
        return event
