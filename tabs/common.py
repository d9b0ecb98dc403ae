"""Helpers shared by the tabs: error translation, lesson panels, device notice."""

from __future__ import annotations

import atexit
import functools
import inspect
import logging
import os
import shutil
import tempfile
import time
from pathlib import Path

import gradio as gr
import torch

from tabs.i18n import t, user_error

log = logging.getLogger("playground.common")


def as_user_error(e: ValueError) -> gr.Error:
    """A ``gr.Error`` carrying the message itself (``str()`` of a ``gr.Error`` would add quotes)."""
    if isinstance(e, gr.Error):
        return e
    return user_error(e.args[0] if e.args and isinstance(e.args[0], str) else str(e))


def user_errors(fn):
    """Turn a ``ValueError`` from the core into a ``gr.Error`` toast, so the app keeps running.

    A ``gr.Error`` raised by the handler passes through unchanged. Works for plain handlers and for
    generator handlers (streaming)."""
    if inspect.isgeneratorfunction(fn):
        @functools.wraps(fn)
        def gen_wrapper(*args, **kwargs):
            try:
                yield from fn(*args, **kwargs)
            except ValueError as e:
                raise as_user_error(e) from None
        return gen_wrapper

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except ValueError as e:
            raise as_user_error(e) from None
    return wrapper


_EXPORTS = Path(tempfile.gettempdir()) / f"dl-playground-exports-{os.getpid()}"
EXPORT_MAX_AGE = 3600.0  # seconds an export file is kept (Gradio has served its own copy long before)


def export_path(name: str) -> Path:
    """A fresh path for a file a user downloads, in one folder of this process that is cleaned as it goes
    (files older than an hour are removed on every export) and removed when the process exits."""
    _EXPORTS.mkdir(parents=True, exist_ok=True)
    now = time.time()
    for old in _EXPORTS.glob("*/*"):
        try:
            if now - old.stat().st_mtime > EXPORT_MAX_AGE:
                old.unlink()
                old.parent.rmdir()
        except OSError:
            pass
    folder = Path(tempfile.mkdtemp(dir=_EXPORTS))  # one folder per export: two sessions never collide
    return folder / Path(name).name


atexit.register(shutil.rmtree, _EXPORTS, ignore_errors=True)


def lesson(tr, key: str, open: bool = True) -> None:
    """The lesson panel a tab opens with (text in tabs/strings, both languages)."""
    with tr(gr.Accordion, label="app.lesson", open=open, elem_classes=["lesson"]):
        tr(gr.Markdown, value=key, latex_delimiters=[{"left": "$", "right": "$", "display": False},
                                                    {"left": "$$", "right": "$$", "display": True}])


def device_notice(lang: str = "en") -> str:
    """Which device runs the work, as measured now (not assumed)."""
    if torch.cuda.is_available():
        return t("app.device.gpu", lang, name=torch.cuda.get_device_name(0))
    return t("app.device.cpu", lang, threads=torch.get_num_threads())


def on_language(lang: gr.components.Component, fn, inputs, outputs, then: dict | None = None) -> None:
    """Redraw ``outputs`` when the language changes: ``fn`` is called as a Gradio handler would call it (``inputs``
    a list: one argument each; a set: one dict) and returns a dict, a value per output, or one value.
    Every redraw runs in one event with the relabelling of the widgets (``wire_language``): the page handles the
    events of a switch one after another, about 0.3-0.5 s each on a busy 2-core machine, so twenty events took
    seconds more than their work. ``then``: the keyword arguments of a ``.then`` event run after the switch."""
    if not hasattr(lang, "_language_listeners"):
        lang._language_listeners = []
    lang._language_listeners.append((fn, inputs, outputs, then))


def relabel_live(lang: gr.components.Component, live, status: gr.components.Component, outputs: list) -> None:
    """A language switch redraws a live run's status and figures from its last snapshot (no training), so
    no figure keeps the old language. ``live`` is a wired ``tabs.live.Live``; ``status`` and ``outputs`` are
    what it was wired with."""
    on_language(lang, lambda data: live.frame(data[live.state], data[lang]), {live.state, lang}, [status, *outputs])


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


def wire_language(lang: gr.components.Component, components: list, updates, api_name: str = "set_language"):
    """The one event of a language switch: ``updates(lang)`` relabels ``components`` (the translator's), then every
    redraw registered with ``on_language`` fills its outputs. A redraw that fails leaves its outputs as they were
    (logged): the rest of the page still switches. Returns the event (for ``.then``)."""
    listeners = getattr(lang, "_language_listeners", [])
    extra = [c for _, ins, _, _ in listeners for c in ins if c is not lang]
    inputs = [lang, *dict.fromkeys(extra)]  # the language first: the API's one positional argument
    outputs = list(dict.fromkeys([*components, *(c for _, _, outs, _ in listeners for c in outs)]))

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
