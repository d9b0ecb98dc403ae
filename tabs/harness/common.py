"""Helpers shared by the tabs: user errors from the core, files for download, lesson panels, the device notice."""

from __future__ import annotations

import atexit
import functools
import inspect
import os
import shutil
import tempfile
import time
from pathlib import Path

import gradio as gr
import torch

from tabs.harness.i18n import t, user_error

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


def device_text(name: str, lang: str) -> str:
    """A core result's device ("cpu (2 threads)", "cuda (NVIDIA H200)") in the page's language."""
    import re

    m = re.fullmatch(r"cpu \((\d+) threads\)", str(name))
    if m:
        return t("app.device.cpu_threads", lang, threads=m.group(1))
    m = re.fullmatch(r"cuda \((.+)\)", str(name))
    return t("app.device.gpu_name", lang, name=m.group(1)) if m else str(name)


def device_notice(lang: str = "en") -> str:
    """Which device runs the work, as measured now (not assumed)."""
    if torch.cuda.is_available():
        return t("app.device.gpu", lang, name=torch.cuda.get_device_name(0))
    return t("app.device.cpu", lang, threads=torch.get_num_threads())
