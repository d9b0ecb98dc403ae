"""Translation: look up a string, and re-label every registered widget when the language changes.

The string table is assembled from the harness's own (``tabs/harness/strings.py``) and each registered tab's
(``tabs/<tab>/strings.py``, added by ``tabs.harness.registry.register``); a key defined twice is an error.
"""

from __future__ import annotations

import contextvars
import logging
import threading
from collections import OrderedDict
from typing import Callable, Mapping

import gradio as gr

from tabs.harness.strings import STRINGS as HARNESS_STRINGS

log = logging.getLogger("playground.app")
LANGS = ("en", "vi")
DEFAULT_LANG = "en"
TRANSLATABLE = ("label", "info", "placeholder", "value")

STRINGS: dict[str, dict[str, str]] = {}
_owners: dict[str, str] = {}


def add_strings(table: Mapping[str, Mapping[str, str]], owner: str) -> None:
    """Add a table of strings (``{key: {"en": ..., "vi": ...}}``); a key that another table defines is refused."""
    for key, entry in table.items():  # all checked first: a refused table adds nothing
        if key in STRINGS and _owners[key] != owner:
            raise KeyError(f"string key {key!r} of {owner} is defined already by {_owners[key]}")
        if DEFAULT_LANG not in entry:
            raise KeyError(f"string key {key!r} of {owner} has no English text")
    for key, entry in table.items():
        STRINGS[key], _owners[key] = dict(entry), owner


add_strings(HARNESS_STRINGS, "tabs.harness")


def t(key: str, lang: str = DEFAULT_LANG, **fmt) -> str:
    """The text for ``key`` in ``lang`` (English when the language is unknown), formatted with ``fmt``."""
    if key not in STRINGS:
        import tabs

        tabs.discover()  # a tab's strings arrive with its registration
    try:
        entry = STRINGS[key]
    except KeyError:
        raise KeyError(f"no string {key!r} in the harness's or any tab's strings") from None
    text = entry.get(lang if lang in LANGS else DEFAULT_LANG) or entry[DEFAULT_LANG]
    return text.format(**fmt) if fmt else text


# ---------------------------------------------------------------- the language of the session being served
# A widget's preprocessing (``tabs.harness.patches``) answers a bad value before any handler runs, so it cannot be
# told the page's language; it reads it here: ``patches`` sets the session of the request being processed, and every
# language switch notes the session's language (bounded: the oldest sessions are forgotten first).
SESSION: contextvars.ContextVar[str | None] = contextvars.ContextVar("playground_session", default=None)
_LANG_OF: OrderedDict[str, str] = OrderedDict()
_LANG_LOCK = threading.Lock()
MAX_SESSIONS = 10_000
LABEL_KEYS: dict[int, str] = {}  # a widget's id -> the string key of its label (for messages that name it)
CHOICE_KEYS: dict[int, list] = {}  # a widget's id -> its choices as (string key or label, value) pairs


def note_session_language(lang: str) -> None:
    """The session being served now reads ``lang`` (called by the language switch)."""
    session = SESSION.get()
    if not session or lang not in LANGS:
        return
    with _LANG_LOCK:
        _LANG_OF[session] = lang
        _LANG_OF.move_to_end(session)
        while len(_LANG_OF) > MAX_SESSIONS:
            _LANG_OF.popitem(last=False)


def session_language() -> str | None:
    """The language of the session being served now, if it ever switched (None: not known)."""
    session = SESSION.get()
    with _LANG_LOCK:
        return _LANG_OF.get(session) if session else None


def label_of(component, lang: str) -> str:
    """A widget's label in ``lang`` (its registered key), else its label as built."""
    key = LABEL_KEYS.get(getattr(component, "_id", -1))
    return t(key, lang) if key else (getattr(component, "label", None) or type(component).__name__)


def choice_label(component, value, lang: str):
    """What a choice widget shows for ``value`` in ``lang`` (its translated label); other values as they are."""
    for label, choice in CHOICE_KEYS.get(getattr(component, "_id", -1), []):
        if choice == value:
            return t(label, lang) if isinstance(label, str) and label in STRINGS else label
    return value


def user_error(message: str) -> gr.Error:
    """A ``gr.Error`` (a toast; the app keeps running) for a user's mistake: the server log gets one line,
    not a traceback (tracebacks are for bugs)."""
    log.info("user error: %s", message[:300])
    return gr.Error(message, print_exception=False)


def error(key: str, lang: str = DEFAULT_LANG, **fmt) -> gr.Error:
    """A ``user_error`` with a translated message."""
    return user_error(t(key, lang, **fmt))


class Translator:
    """Builds widgets whose texts are string keys, and remembers them for a language switch.

    ``tr(gr.Textbox, label="attn.text", info="attn.text_info", lines=2)`` creates the widget in the
    default language; ``choices`` may hold ``(key, value)`` pairs. ``updates(lang)`` returns one
    ``gr.update`` per registered widget, in ``components`` order.
    """

    def __init__(self) -> None:
        # (component, {attr: key}, choice (key, value) pairs or None, extra updates for a language or None)
        self._items: list[tuple[gr.components.Component, dict[str, str], list | None, Callable | None]] = []
        self.owner: str | None = None  # the tab being built now (None: the page's frame): ``owners``
        self._owners: list[str | None] = []  # each item's owner

    def __call__(self, cls, **kwargs):
        keys = {a: kwargs[a] for a in TRANSLATABLE if isinstance(kwargs.get(a), str) and kwargs[a] in STRINGS}
        for attr, key in keys.items():
            kwargs[attr] = t(key)
        choice_keys = None
        if isinstance(kwargs.get("choices"), list) and any(
                isinstance(c, tuple) and c[0] in STRINGS for c in kwargs["choices"]):
            choice_keys = kwargs["choices"]
            kwargs["choices"] = self._choices(choice_keys, DEFAULT_LANG)
        component = cls(**kwargs)
        if "label" in keys and isinstance(component, gr.blocks.Block):
            LABEL_KEYS[component._id] = keys["label"]
        if choice_keys and isinstance(component, gr.blocks.Block):
            CHOICE_KEYS[component._id] = [c if isinstance(c, tuple) else (c, c) for c in choice_keys]
        if isinstance(component, gr.helpers.Examples):
            # a helper, not a block: its table (a gr.Dataset) is what gets relabelled, headers and choices too
            self._items.append((component.dataset, keys, None, self._examples(component.dataset, kwargs["inputs"])))
            self._owners.append(self.owner)
        elif (keys or choice_keys) and isinstance(component, gr.blocks.Block):
            self._items.append((component, keys, choice_keys, None))
            self._owners.append(self.owner)
        return component

    def _examples(self, dataset, inputs: list) -> Callable[[str], dict]:
        """The headers (the inputs' labels) and the inputs' choices of an examples table, in a language."""
        known = {id(c): (k, ch) for c, k, ch, _ in self._items}
        props = [dict(p) for p in (dataset.component_props or [{} for _ in inputs])]

        def extra(lang: str) -> dict:
            headers, out = [], []
            for comp, prop in zip(inputs, props):
                keys, choices = known.get(id(comp), ({}, None))
                headers.append(t(keys["label"], lang) if "label" in keys else (comp.label or ""))
                out.append({**prop, "choices": self._choices(choices, lang)} if choices else prop)
            return {"headers": headers, "component_props": out}
        return extra

    @staticmethod
    def _choices(pairs: list, lang: str) -> list:
        return [(t(k, lang), v) if isinstance(k, str) and k in STRINGS else (k, v) for k, v in pairs]

    @property
    def components(self) -> list:
        return [c for c, _, _, _ in self._items]

    @property
    def owners(self) -> list[str | None]:
        """The tab each of ``components`` belongs to (None: the page's frame, outside every tab)."""
        return list(self._owners)

    def updates(self, lang: str, owners: set | None = None) -> list:
        """One ``gr.update`` per registered widget in ``lang``; with ``owners``, widgets of other tabs get
        ``gr.skip()`` (a language switch relabels the open tab first, the others when they are opened)."""
        out = []
        for (_component, keys, choice_keys, extra), owner in zip(self._items, self._owners):
            if owners is not None and owner not in owners:
                out.append(gr.skip())
                continue
            kw = {attr: t(key, lang) for attr, key in keys.items()}
            if choice_keys:
                kw["choices"] = self._choices(choice_keys, lang)
            if extra is not None:
                kw.update(extra(lang))
            out.append(gr.update(**kw))
        return out
