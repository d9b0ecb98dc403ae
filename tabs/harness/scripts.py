"""The page's JavaScript, kept in ``tabs/harness/js/*.js`` (not in Python strings) and read once.

``script("stamp", N=3)`` is the file's text with ``{{N}}`` filled in; an event's script (given to Gradio as ``js=``)
drops the file's leading ``//`` comment lines, which say what it is for.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

JS = Path(__file__).with_name("js")
PLACEHOLDER = re.compile(r"\{\{([A-Z_]+)\}\}")


@functools.lru_cache(maxsize=None)
def _read(name: str) -> str:
    return (JS / f"{name}.js").read_text(encoding="utf-8")


def script(name: str, **fill) -> str:
    """A script's text with each ``{{KEY}}`` replaced by ``fill[KEY]`` (in one pass: a value is never read as a
    template); a placeholder left unfilled is an error."""
    text = _read(name)
    missing = set(PLACEHOLDER.findall(text)) - set(fill)
    if missing:
        raise KeyError(f"{name}.js: placeholders {sorted(missing)} not filled")
    return PLACEHOLDER.sub(lambda m: str(fill[m.group(1)]), text)


def event_script(name: str, **fill) -> str:
    """The script as an event's ``js``: without its leading comment lines."""
    lines = script(name, **fill).splitlines()
    while lines and lines[0].lstrip().startswith("//"):
        lines.pop(0)
    return "\n".join(lines).strip()
