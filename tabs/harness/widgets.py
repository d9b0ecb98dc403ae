"""Widgets and checks built from a config's declared limits (``playground.knobs``).

``knob_widget(tr, Config, "lr_g", "gan.lr_g")`` makes a number box or slider whose minimum, maximum and step
come from the field; ``read_config(Config, values, labels, lang)`` checks what the widgets (or an API
client) sent and builds the config, with every message in the user's language.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import gradio as gr

from playground.kit import knobs
from tabs.harness.i18n import t, user_error


def _fmt(x: float) -> str:
    return f"{x:,}" if isinstance(x, int) or float(x).is_integer() and abs(x) >= 1000 else f"{x:g}"


def allowed(limit: knobs.Limit, lang: str) -> str:
    """What a field accepts, in words of ``lang``."""
    if limit.choices is not None:
        return t("app.err.allowed_choice", lang, choices=", ".join(map(str, limit.choices)))
    key = "app.err.allowed_int" if limit.integer else (
        "app.err.allowed_open" if limit.open_low else "app.err.allowed_num")
    text = t(key, lang, lo=_fmt(limit.lo), hi=_fmt(limit.hi))
    return text + (t("app.err.zero_auto", lang) if limit.zero_auto else "")


def knob_error(e: knobs.KnobError, label: str, lang: str) -> gr.Error:
    shown = repr(e.value) if not isinstance(e.value, str) else f"'{e.value[:40]}'"
    return user_error(t("app.err.knob", lang, name=label, allowed=allowed(e.limit, lang), value=shown[:60]))


def read_config(cls, values: dict[str, Any], labels: dict[str, str], lang: str, **extra):
    """``cls(**values, **extra)`` after checking each value against its field's limits.

    ``labels`` maps field names to string keys of their widget labels (for the messages)."""
    limits = knobs.limits(cls)
    clean = {}
    for name, value in values.items():
        if name in limits:
            try:
                value = knobs.coerce(name, limits[name], value)
            except knobs.KnobError as e:
                raise knob_error(e, t(labels.get(name, name), lang) if name in labels else name, lang) from None
        clean[name] = value
    try:
        return cls(**clean, **extra)
    except knobs.KnobError as e:
        raise knob_error(e, t(labels[e.name], lang) if e.name in labels else e.name, lang) from None
    except ValueError as e:  # a check across fields, phrased by the core
        raise user_error(t("app.err.config", lang, msg=str(e))) from None


def default_of(cls, name: str) -> Any:
    f = {f.name: f for f in dataclasses.fields(cls)}[name]
    return f.default if f.default is not dataclasses.MISSING else f.default_factory()


def step_for(limit: knobs.Limit, value: float) -> float:
    """An arrow-key step that fits the quantity: 1 for whole numbers, a tenth of the value's order otherwise."""
    if limit.integer:
        return 1
    mag = abs(value) if value else (limit.hi or 1)
    return 10 ** (math.floor(math.log10(mag)) - 1) if mag > 0 else 0.01


def knob_widget(tr, cls, name: str, label: str, slider: bool = False, value: Any = None, **kw):
    """A ``gr.Number`` (or ``gr.Slider``) for field ``name`` of ``cls`` with its declared range."""
    limit = knobs.limits(cls)[name]
    value = default_of(cls, name) if value is None else value
    if limit.choices is not None:
        raise TypeError(f"{name} is a choice: build a Radio or Dropdown for it")
    step = kw.pop("step", step_for(limit, value))
    common = dict(label=label, value=value, **kw)
    if slider:
        return tr(gr.Slider, minimum=limit.lo, maximum=limit.hi, step=step, **common)
    # No minimum/maximum/precision on a number box: Gradio would answer a bad value in English, or with
    # "cannot convert float NaN to integer"; read_config checks the declared range and says it in the
    # user's language.
    return tr(gr.Number, step=step, **common)


def named(fn, inputs: dict[str, Any]):
    """``(handler, input list)`` so that ``fn`` receives one dict ``{component: value}`` (Gradio's named
    inputs) while the API lists the parameters by their names, in a fixed order, with the widgets' values as
    defaults: ``client.predict(steps=400, lang="vi", api_name="/gan_start")``.

    (Gradio's own ``inputs={a, b}`` form is a set: its API parameters come out as param_1, param_2... in no
    fixed order.) ``fn`` may take ``request: gr.Request`` as a second argument. The request is the handler's
    last *positional* parameter: Gradio fills a ``gr.Request`` only into positional parameters (6.31's
    ``helpers.special_args`` stops at the first keyword-only one), and without it a closed browser tab could
    not be told which runs to stop."""
    import functools
    import inspect

    names, comps = list(inputs), list(inputs.values())
    n = len(comps)
    wants_request = "request" in inspect.signature(fn).parameters

    def split(args: tuple) -> tuple[dict, Any]:
        request = args[n] if len(args) > n else None  # Gradio inserts it after the inputs
        return dict(zip(comps, args[:n])), request

    if inspect.isgeneratorfunction(fn):
        @functools.wraps(fn)
        def handler(*args):
            data, request = split(args)
            yield from (fn(data, request) if wants_request else fn(data))
    else:
        @functools.wraps(fn)
        def handler(*args):
            data, request = split(args)
            return fn(data, request) if wants_request else fn(data)

    params = [inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD) for name in names]
    params.append(inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, default=None,
                                    annotation=gr.Request))
    handler.__signature__ = inspect.Signature(params)
    # Gradio reads the type hints to find the request: fn's own (copied by ``wraps``) may name types that
    # this module cannot resolve, which made Gradio see no hints at all
    handler.__annotations__ = {"request": gr.Request}
    del handler.__wrapped__  # Gradio must read the signature above, not fn's
    return handler, comps


def whole(value: Any, lo: int, hi: int, label_key: str, lang: str) -> int:
    """A whole number from a widget or an API client, or a translated ``gr.Error`` saying what is allowed."""
    limit = knobs.Limit(lo, hi, integer=True)
    try:
        return knobs.coerce(label_key, limit, value)
    except knobs.KnobError as e:
        raise knob_error(e, t(label_key, lang), lang) from None
