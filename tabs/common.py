"""Helpers shared by the tabs: error translation, lesson panels, device notice."""

from __future__ import annotations

import functools
import inspect

import gradio as gr
import torch

from tabs.i18n import t


def user_errors(fn):
    """Turn a ``ValueError`` from the core into a ``gr.Error`` toast, so the app keeps running.

    Works for plain handlers and for generator handlers (streaming)."""
    if inspect.isgeneratorfunction(fn):
        @functools.wraps(fn)
        def gen_wrapper(*args, **kwargs):
            try:
                yield from fn(*args, **kwargs)
            except ValueError as e:
                raise gr.Error(str(e)) from e
        return gen_wrapper

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except ValueError as e:
            raise gr.Error(str(e)) from e
    return wrapper


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
