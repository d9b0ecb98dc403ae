""""Draw your own data": a canvas under a tab's data picker, whose drawing becomes the tab's data setting.

A tab adds the choice ``CHOICE`` ("Draw your own") to its data picker and builds ``DrawnData`` right under it::

    picker = tr(gr.Dropdown, label="gan.data", choices=[..., canvas.CHOICE], value="ring8", elem_id="gan-data")
    drawn = DrawnData(page, "gan", picker, label="gan.data")
    settings = dict(data=drawn.data, ...)      # what the config, the API, the link and the stale note read
    for event in drawn.edited: event.then(...)  # a drawing or a pick by the user (not a preset, not a link)

``drawn.data`` is a hidden text setting that holds the picker's choice (``"ring8"``) or, while "Draw your own" is
chosen, the drawing's code (``"d1...."``, ``playground.data.drawn``): a link carries ``?gan.data=d1....`` and
restores both the picker and the drawing; a preset's data set goes into it like any other setting. The canvas
(``js/canvas.js``, a ``gr.HTML`` whose value is the code) shows the plane of the 2-D plots (``toy2d.EXTENT``), with a
colour (class) picker, Undo, Clear, a few starters and the count "n points (max 200)", in the page's language.
"""

from __future__ import annotations

import json
import math

import gradio as gr
import numpy as np

from playground.data import drawn, toy2d
from tabs.harness.i18n import CHOICE_KEYS, LANGS, error, t
from tabs.harness.scripts import script

DRAWN = "drawn"  # the picker's value that shows the canvas
CHOICE = ("drawn.choice", DRAWN)
CLASS_COLOURS = ("#3b82f6", "#f97316", "#22c55e", "#a855f7")  # blue, orange, green, purple: the classes' colours
TEXTS = ("colour", "class", "undo", "clear", "starter", "hint", "count")
STARTERS = ("heart", "smiley", "letters")
HTML = '<div class="drawn"></div>'  # js/canvas.js builds the rest (the template stays the same, so a redraw keeps it)
CSS = """
.drawn { display: flex; flex-direction: column; gap: 6px; }
.drawn-bar { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; font-size: 0.9em; }
.drawn-swatch { width: 22px; height: 22px; min-width: 22px; padding: 0; flex: 0 0 22px; border-radius: 50%;
  border: 2px solid transparent; cursor: pointer; }
.drawn-swatch.chosen { border-color: #18181b; box-shadow: 0 0 0 2px #fff inset; }
.drawn-bar button:not(.drawn-swatch), .drawn-starter { padding: 2px 8px; border: 1px solid #d4d4d8;
  border-radius: 6px; background: #fafafa; cursor: pointer; font-size: 0.9em; }
.drawn-canvas { width: 100%; max-width: 420px; aspect-ratio: 1 / 1; border: 1px solid #d4d4d8; border-radius: 6px;
  touch-action: none; cursor: crosshair; background: #fff; }
.drawn-count { font-size: 0.9em; color: #52525b; }
"""


def _code(points, labels) -> str:
    pts = np.clip(np.asarray(points, dtype=np.float64), -toy2d.EXTENT, toy2d.EXTENT)
    return drawn.encode(pts, labels)


def starter(name: str) -> str:
    """The code of a starter drawing: a heart (one colour), a smiley (face, eyes, mouth: three colours), the letters
    "AI" (two colours)."""
    if name == "heart":  # the classic heart curve, 60 points, scaled to the plane
        u = np.linspace(0, 2 * math.pi, 60, endpoint=False)
        x, y = 16 * np.sin(u) ** 3, 13 * np.cos(u) - 5 * np.cos(2 * u) - 2 * np.cos(3 * u) - np.cos(4 * u)
        return _code(np.stack([x, y + 2], 1) / 8.5, [0] * 60)
    if name == "smiley":
        u = np.linspace(0, 2 * math.pi, 40, endpoint=False)
        face = 2.0 * np.stack([np.cos(u), np.sin(u)], 1)
        eyes = np.array([[-0.7, 0.6], [-0.6, 0.7], [-0.8, 0.7], [0.7, 0.6], [0.6, 0.7], [0.8, 0.7]])
        m = np.linspace(1.15 * math.pi, 1.85 * math.pi, 14)
        mouth = 1.2 * np.stack([np.cos(m), np.sin(m)], 1)
        return _code(np.concatenate([face, eyes, mouth]), [0] * 40 + [1] * 6 + [2] * 14)
    if name == "letters":  # "A" from three strokes, "I" from one
        s = np.linspace(0, 1, 12)[:, None]
        left, right = np.array([-2.0, -1.8]) + s * [1.0, 3.6], np.array([0.0, -1.8]) + s * [-1.0, 3.6]
        bar = np.array([-1.5, 0.0]) + np.linspace(0, 1, 5)[:, None] * [1.0, 0.0]
        i = np.array([1.3, -1.8]) + s * [0.0, 3.6]
        return _code(np.concatenate([left, right, bar, i]), [0] * 29 + [1] * 12)
    raise ValueError(f"unknown starter {name!r}; choose one of {', '.join(STARTERS)}")


def starters() -> list[dict]:
    """The starters for the canvas: their names (the words come with ``texts``) and codes."""
    return [{"name": name, "code": starter(name)} for name in STARTERS]


def texts(lang: str) -> dict:
    """The canvas's words in ``lang`` (``js/canvas.js`` holds both languages' and follows the page's)."""
    out = {k: t(f"drawn.{k}", lang) for k in TEXTS}
    out["starters"] = {name: t(f"drawn.starter.{name}", lang) for name in STARTERS}
    return out


def _readable(code) -> bool:
    """A drawing the canvas can show (any number of points up to the limit, a drawing in progress too)."""
    if not drawn.is_drawn(code):
        return False
    try:
        drawn.decode_grid(code)
    except ValueError:
        return False
    return True


def check(code: str, lang: str) -> None:
    """A drawn code the user is about to train on, or a ``gr.Error`` in ``lang`` saying what is wrong with it."""
    try:
        n = 0 if code == DRAWN else drawn.n_points(code)  # the bare choice: nothing drawn yet
    except ValueError as e:
        raise error("drawn.err.bad", lang, msg=str(e)) from None
    if n < drawn.MIN_POINTS:
        raise error("drawn.err.few", lang, n=n, min=drawn.MIN_POINTS)


class DrawnData:
    """The canvas under ``picker`` (a Dropdown or Radio that offers ``CHOICE``), and the tab's data setting.

    ``data``: the hidden setting (the picker's choice, or the drawing's code); ``canvas``: the ``gr.HTML`` (in the
    column ``box``, shown while "Draw your own" is chosen);
    ``edited``: the events of a user's pick or drawing (a tab chains what must follow a user's edit, e.g. its
    preset reading "custom")."""

    def __init__(self, page, prefix: str, picker: gr.components.Component, label: str) -> None:
        self.page, self.picker = page, picker
        shown = picker.value == DRAWN
        # the column shows and hides the canvas: an update of a gr.HTML's own visibility replaces its props (6.31),
        # so its words and starters would be lost
        with gr.Column(visible=shown, elem_id=f"{prefix}-canvas-box") as self.box:
            self.canvas = gr.HTML("", html_template=HTML, css_template=CSS, elem_id=f"{prefix}-canvas",
                                  padding=False, lang="en",
                                  js_on_load=script("canvas", EXTENT=toy2d.EXTENT, GRID=drawn.GRID,
                                                    MAX_POINTS=drawn.MAX_POINTS, PREFIX=json.dumps(drawn.PREFIX),
                                                    COLOURS=json.dumps(list(CLASS_COLOURS)),
                                                    TEXTS=json.dumps({lang: texts(lang) for lang in LANGS},
                                                                     ensure_ascii=False),
                                                    STARTERS=json.dumps(starters())))
        self.data = page.tr(gr.Textbox, label=label, value=picker.value, visible=False,
                            max_length=drawn.MAX_CODE_LENGTH, elem_id=f"{prefix}-data-value")
        # a stale note names a changed data set by the picker's label for it, as it did when the picker was the setting
        CHOICE_KEYS[self.data._id] = CHOICE_KEYS.get(picker._id, [])
        self._choices = [c[1] if isinstance(c, (list, tuple)) else c for c in picker.choices]
        self.wire()

    # ------------------------------------------------------------ handlers
    def follow(self, value: str, choice: str, code: str) -> tuple:
        """The data setting changed (a pick, a drawing, a preset, a link): the picker and the canvas show it. A value
        that is neither a choice nor a drawing (a damaged link) is refused: the setting goes back to the picker's.
        Returns (setting, picker, canvas, the canvas's column)."""
        if _readable(value):
            return (gr.skip(), DRAWN if choice != DRAWN else gr.skip(), value if code != value else gr.skip(),
                    gr.update(visible=True))
        if value in self._choices and value != DRAWN:
            return gr.skip(), value if choice != value else gr.skip(), gr.skip(), gr.update(visible=False)
        if choice != DRAWN:
            return choice, gr.skip(), gr.skip(), gr.skip()
        return (code if _readable(code) else drawn.PREFIX), gr.skip(), gr.skip(), gr.skip()

    # ------------------------------------------------------------ wiring
    def wire(self) -> None:
        page = self.page
        quiet = dict(api_visibility="private", queue=False, show_progress="hidden")
        # the page copies a pick or a drawing into the setting at once (no trip to the server)
        picked = self.picker.input(None, [self.picker, self.canvas], self.data, js=script("canvas_pick",
                                   DRAWN=json.dumps(DRAWN), EMPTY=json.dumps(drawn.PREFIX)), **quiet)
        drew = self.canvas.input(None, [self.picker, self.canvas], self.data, js=script("canvas_pick",
                                 DRAWN=json.dumps(DRAWN), EMPTY=json.dumps(drawn.PREFIX)), **quiet)
        self.edited = [picked, drew]
        self.data.change(self.follow, [self.data, self.picker, self.canvas],
                         [self.data, self.picker, self.canvas, self.box],
                         trigger_mode="always_last", **quiet)
        page.on_language(lambda lang: gr.update(lang=lang), [page.lang], [self.canvas])  # js/canvas.js relabels
