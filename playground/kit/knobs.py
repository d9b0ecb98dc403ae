"""Limits declared once: a config field carries its range and help text.

A field made with ``knob(...)`` holds its default, its lowest and highest value, whether it is a whole
number and what it means. Three readers use that one declaration:

- ``check(config)`` (called from a config's ``__post_init__``) raises a ``KnobError`` saying what is allowed;
- the UI builds its widgets' minimum / maximum / info from ``limits(Config)`` (``tabs/widgets.py``);
- the command line gets one flag per field from ``add_arguments(parser, Config)``.

    @dataclass
    class VaeConfig:
        latent: int = knob(2, 1, 64, integer=True, help="size of the latent code z")
        lr: float = knob(1e-3, 0.0, 1.0, open_low=True, help="Adam learning rate")

        def __post_init__(self):
            check(self)
"""

from __future__ import annotations

import argparse
import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Limit:
    """What a field accepts. ``open_low``: the lowest value itself is not allowed (a learning rate > 0).
    ``zero_auto``: 0 is also allowed and means "pick a sensible value for the device" (outside lo..hi)."""

    lo: float | None = None
    hi: float | None = None
    integer: bool = False
    choices: tuple | None = None
    help: str = ""
    open_low: bool = False
    zero_auto: bool = False
    optional: bool = False  # None is allowed (e.g. "no limit")

    def describe(self) -> str:
        """The allowed values in words (English; the UI translates from the fields, not from this)."""
        if self.choices is not None:
            return "one of " + ", ".join(map(str, self.choices))
        kind = "a whole number" if self.integer else "a number"
        low = f"greater than {_num(self.lo)}" if self.open_low else f"from {_num(self.lo)}"
        text = f"{kind} {low} to {_num(self.hi)}"
        return text + (" (0 = automatic)" if self.zero_auto else "")


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


class KnobError(ValueError):
    """A value outside its declared limits. Carries the pieces so a UI can say it in any language."""

    def __init__(self, name: str, limit: Limit, value: Any) -> None:
        self.name, self.limit, self.value = name, limit, value
        super().__init__(f"{name} must be {limit.describe()}; got {value!r}")


def knob(default: Any, lo: float | None = None, hi: float | None = None, *, integer: bool = False,
         choices: tuple | None = None, help: str = "", open_low: bool = False, zero_auto: bool = False,
         optional: bool = False):
    """A dataclass field with its limits in ``metadata["limit"]``."""
    limit = Limit(lo, hi, integer, tuple(choices) if choices is not None else None, help, open_low, zero_auto,
                  optional)
    if isinstance(default, (list, dict, set)):
        return field(default_factory=lambda: type(default)(default), metadata={"limit": limit})
    return field(default=default, metadata={"limit": limit})


def limits(config_or_cls) -> dict[str, Limit]:
    """``{field name: Limit}`` for every field declared with ``knob``."""
    return {f.name: f.metadata["limit"] for f in dataclasses.fields(config_or_cls) if "limit" in f.metadata}


def coerce(name: str, limit: Limit, value: Any) -> Any:
    """``value`` checked against ``limit`` and turned into the field's type; ``KnobError`` otherwise.

    Accepts what widgets and JSON clients send: numbers as floats ("8.0" for a whole number is fine), numeric
    strings, and refuses NaN, infinities, booleans and out-of-range values with one clear message."""
    if value is None and limit.optional:
        return None
    if limit.choices is not None:
        if isinstance(value, (list, tuple)):  # a multiple choice: every element must be allowed
            if not all(isinstance(v, str) and v in limit.choices for v in value):
                raise KnobError(name, limit, value)
            return tuple(value)
        if value not in limit.choices:
            raise KnobError(name, limit, value)
        return value
    if limit.lo is None and limit.hi is None:
        return value
    if isinstance(value, bool) or value is None:
        raise KnobError(name, limit, value)
    try:
        number = float(value.strip()) if isinstance(value, str) else float(value)
    except (TypeError, ValueError, OverflowError):
        raise KnobError(name, limit, value) from None
    if not math.isfinite(number):
        raise KnobError(name, limit, value)
    if limit.zero_auto and number == 0:
        return 0
    if limit.integer and number != int(number):
        raise KnobError(name, limit, value)
    if number > limit.hi or number < limit.lo or (limit.open_low and number <= limit.lo):
        raise KnobError(name, limit, value)
    return int(number) if limit.integer else number


def check(config) -> None:
    """Check (and normalise the types of) every knob field of a dataclass instance in place."""
    for name, limit in limits(config).items():
        object.__setattr__(config, name, coerce(name, limit, getattr(config, name)))


# ---------------------------------------------------------------- command line
def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def add_arguments(parser: argparse.ArgumentParser, cls, defaults: dict[str, Any] | None = None,
                  skip: tuple[str, ...] = ()) -> None:
    """One flag per knob field of ``cls``: ``--lr-g 0.002``; lists take several values (``nargs='+'``).

    The flags default to ``None`` ("not given"): ``config_from_args`` fills in the dataclass defaults (or
    ``defaults``), so a preset can supply its own values under the user's flags."""
    defaults = defaults or {}
    for f in dataclasses.fields(cls):
        if "limit" not in f.metadata or f.name in skip:
            continue
        limit: Limit = f.metadata["limit"]
        default = defaults.get(f.name, f.default if f.default is not dataclasses.MISSING else f.default_factory())
        help_text = f"{limit.help} ({limit.describe()}; default {default})".strip()
        kw: dict[str, Any] = dict(default=None, help=help_text, dest=f.name)
        if isinstance(default, bool):
            parser.add_argument(_flag(f.name), action=argparse.BooleanOptionalAction, **kw)
        elif isinstance(default, (tuple, list)):
            parser.add_argument(_flag(f.name), nargs="+", metavar="VALUE", **kw)
        elif limit.choices is not None:
            parser.add_argument(_flag(f.name), choices=limit.choices, **kw)
        else:
            kind = int if limit.integer else float
            parser.add_argument(_flag(f.name), type=kind if limit.lo is not None else str, **kw)


def config_from_args(cls, args: argparse.Namespace, base: dict[str, Any] | None = None, **extra):
    """The config the flags describe: ``base`` (e.g. a preset) under the flags the user gave."""
    values = dict(base or {})
    for name in limits(cls):
        given = getattr(args, name, None)
        if given is not None:
            values[name] = tuple(given) if isinstance(given, list) else given
    return cls(**values, **extra)
