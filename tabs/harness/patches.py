"""The app's process-wide changes to Gradio's classes, all in one place, each where Gradio offers no hook.

- ``harden_inputs``: every input widget answers a value it cannot take with one clear message (in both languages:
  a widget's preprocessing does not know the page's language) and one log line. Gradio's own checks either fail
  with a bare exception (a string or ``None`` in a slider, a number in a checkbox group), which reaches an API client
  as an empty error, or raise a ``gr.Error`` that prints a full traceback for what is only a user's mistake. An
  event's ``validator`` runs after preprocessing, too late for these.
- ``harden_images``: an image (an upload, the editor's background, layers and composite) is measured from its file's
  header before Gradio decodes it: one over ``MAX_IMAGE_SIDE`` pixels a side, or not an image, is refused (a
  20000 x 20000 PNG raised Pillow's bare ``DecompressionBombError``; a 9000 x 9000 one cost 1.3 GB before the tab
  refused it).
- ``served_session`` also answers a value Gradio refuses before any widget sees it (a file path that was never
  uploaded, a string where the editor's dictionary belongs) with a message instead of an empty error.
- ``slide_ready_plots``: every plotly figure's camera button saves a PNG at three times its size on screen
  (plotly's ``config.toImageButtonOptions``; ``gr.Plot`` takes no config of its own).

``apply()`` makes both changes once; ``tests/unit/test_patches.py`` checks them against the pinned Gradio.
"""

from __future__ import annotations

import json
from typing import Any

import gradio as gr
from gradio.components.plot import PlotData
from gradio.exceptions import InvalidPathError
from pydantic import ValidationError

from tabs.harness.i18n import LANGS, SESSION, label_of, session_language, t, user_error

HARDENED = (gr.Number, gr.Slider, gr.Dropdown, gr.Radio, gr.CheckboxGroup, gr.Checkbox, gr.Textbox)
# the camera button of every plotly figure's toolbar saves a PNG at 3x the size on screen (a 700 x 500 figure
# becomes 2100 x 1500: sharp on a slide, with the text in proportion; a fixed 1920 x 1080 would redraw the
# figure larger with the same small text). Its file is named after the widget (gan-plane.png).
SLIDE_IMAGE = {"format": "png", "scale": 3}


MAX_IMAGE_SIDE = 4096  # pixels a side (the Vision tab's limit): a decoded 4096 x 4096 RGBA picture is 64 MB
MAX_LAYERS = 8  # layers of an image editor's value


def apply() -> None:
    harden_inputs()
    harden_images()
    slide_ready_plots()
    served_session()


def served_session() -> None:
    """While Gradio processes a request, ``i18n.SESSION`` names its session, so the widgets' checks below answer in
    that session's language (Gradio's preprocessing gets no request)."""
    from gradio.blocks import Blocks

    if getattr(Blocks.process_api, "_served", False):
        return
    original = Blocks.process_api

    async def process_api(self, *args, **kwargs):
        session = kwargs.get("session_hash", args[5] if len(args) > 5 else None)
        token = SESSION.set(session)
        try:
            return await original(self, *args, **kwargs)
        except (InvalidPathError, ValidationError):  # Gradio's checks of a payload, before any widget's
            raise said("app.err.input.sent") from None
        finally:
            SESSION.reset(token)

    process_api._served = True
    Blocks.process_api = process_api


def _shown(payload: Any) -> str:
    text = repr(payload)
    return text if len(text) <= 40 else text[:37] + "..."


def _is_text(value: str) -> bool:
    """False for a string holding a lone surrogate (JSON lets a client send one: "\\ud800")."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def said(key: str, **fmt) -> gr.Error:
    """A user error in the served session's language, or in both when that is not known."""
    lang = session_language()
    return user_error(" / ".join(dict.fromkeys(t(key, code, **fmt) for code in ((lang,) if lang else LANGS))))


def refusal(widget, key: str, detail: str = "", **fmt) -> gr.Error:
    """``Label: <message>`` for a value a widget cannot take, in the language of the session being served, or in both
    (``English / Vietnamese``) when that is not known (an API client that never chose one); a ``detail`` (Gradio's own
    words, English only) comes first, followed by the gist in brackets."""
    lang = session_language()
    langs = (lang,) if lang else LANGS
    label = label_of(widget, lang or "en") if not isinstance(widget, str) else widget
    both = " / ".join(dict.fromkeys(t(key, code, **fmt) for code in langs))
    return user_error(f"{label}: {detail} ({both})." if detail else f"{label}: {both}.")


def _checked(widget, payload, original, numeric: bool):
    label = widget
    if numeric and payload is not None and (isinstance(payload, bool) or not isinstance(payload, (int, float))):
        raise refusal(label, "app.err.input.number", value=_shown(payload))
    if payload is None and isinstance(widget, gr.Slider):
        raise refusal(label, "app.err.input.missing")
    if isinstance(payload, str) and not _is_text(payload):  # the tokenizers fail on it with a bare error
        raise refusal(label, "app.err.input.surrogate")
    try:
        return original(widget, payload)
    except gr.Error as e:  # Gradio's own words ("Value 5 is greater than maximum value 3."): no traceback
        e.print_exception = False
        raise refusal(label, "app.err.input.gradio", detail=str(e.message)[:200].rstrip(".")) from None
    except Exception:  # noqa: BLE001 - a value of the wrong kind; the handler never sees it
        raise refusal(label, "app.err.input.kind", value=_shown(payload)) from None


def harden_inputs() -> None:
    """Wrap the preprocessing of every input kind in ``HARDENED`` (once)."""
    for cls in HARDENED:
        if getattr(cls.preprocess, "_hardened", False):
            continue
        original = cls.preprocess
        numeric = issubclass(cls, (gr.Number, gr.Slider))

        def preprocess(self, payload, _original=original, _numeric=numeric):
            return _checked(self, payload, _original, _numeric)

        preprocess._hardened = True
        cls.preprocess = preprocess


def _image_files(payload: Any) -> list[str]:
    """The files of an image widget's value: an upload's, or the editor's background, layers and composite."""
    def field(value, name):
        return value.get(name) if isinstance(value, dict) else getattr(value, name, None)

    files, layers = [], field(payload, "layers") or []
    if len(layers) > MAX_LAYERS:
        raise said("app.err.input.layers", n=len(layers), most=MAX_LAYERS)
    for part in [payload, field(payload, "background"), field(payload, "composite"), *layers]:
        path = field(part, "path") if part is not None else None
        if isinstance(path, str):
            files.append(path)
    return files


def _measured(widget, payload) -> None:
    """Refuse an image before it is decoded: its size read from the header alone (Pillow's ``open`` is lazy)."""
    from PIL import Image

    for path in _image_files(payload):
        try:
            with Image.open(path) as picture:
                width, height = picture.size
        except Image.DecompressionBombError:  # beyond Pillow's own limit (about 179 million pixels)
            raise refusal(widget, "app.err.input.image_huge", side=MAX_IMAGE_SIDE) from None
        except Exception:  # noqa: BLE001 - not an image Pillow can read
            raise refusal(widget, "app.err.input.image_bad") from None
        if max(width, height) > MAX_IMAGE_SIDE:
            raise refusal(widget, "app.err.input.image_big", width=width, height=height, side=MAX_IMAGE_SIDE)


def harden_images() -> None:
    """Wrap the preprocessing of ``gr.Image`` and ``gr.ImageEditor`` (once): measured, then decoded."""
    for cls in (gr.Image, gr.ImageEditor):
        if getattr(cls.preprocess, "_hardened", False):
            continue
        original = cls.preprocess

        def preprocess(self, payload, _original=original):
            _measured(self, payload)
            return _checked(self, payload, _original, numeric=False)

        preprocess._hardened = True
        cls.preprocess = preprocess


def slide_ready_plots() -> None:
    """Give every plotly figure that a ``gr.Plot`` shows the toolbar settings above (Gradio 6 passes a figure's
    ``config`` to ``Plotly.react``). A figure's own ``config`` keys win."""
    if getattr(gr.Plot.postprocess, "_slide_ready", False):
        return
    original = gr.Plot.postprocess

    def postprocess(self, value):
        out = original(self, value)
        if out is None or out.type != "plotly" or not out.plot.startswith("{") or out.plot.startswith('{"config"'):
            return out
        config = {"toImageButtonOptions": {**SLIDE_IMAGE, "filename": self.elem_id or "figure"}, "displaylogo": False}
        # spliced in front: no parse of a large figure on every streamed frame (a later "config" key wins); a new
        # PlotData, since the one given may be a figure the tab keeps
        body = out.plot[1:] if out.plot.strip() != "{}" else "}"
        return PlotData(type=out.type, plot='{"config": ' + json.dumps(config) + (", " if body != "}" else "") + body)

    postprocess._slide_ready = True
    gr.Plot.postprocess = postprocess
