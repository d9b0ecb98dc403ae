"""A result that no longer matches the controls says so: the one mechanism every tab uses (``Provenance``).

A figure on screen was made from some settings. When the user changes one of them and the figure is not redrawn
at once (training it again takes a run), the figure stays, and a note above it says that it belongs to the
earlier settings and which ones changed ("⚠ From the previous settings: β 1 → 4, epochs 8 → 3. Press Train to
update."). Making the result again (the producing event) records the settings it was made from and clears the note;
another event can make it stale too (``invalidated_by``: the VAE retrained under an anomaly result).

    prov = Provenance(page, "vae-anomaly", {"scenario": scenario, "holdout": holdout}, labels={"scenario": "vae.scenario",
                      "holdout": "vae.holdout"}, action="vae.anomaly_run")   # the note is placed here
    prov.made_by(controls.start)                   # a click (its inputs' values when clicked) or an event (.then)
    prov.invalidated_by(train_start_event, "stale.retrained")

The note follows the page's language. A figure that can follow its controls (an instant view) should rather be
redrawn from them; this is for results that take a run to make again.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from playground.data import drawn
from tabs.harness.i18n import choice_label, t

REASON = "reason"  # the key in a recorded provenance under which an invalidating event's reason is kept


def _shown(value: Any) -> str:
    """A setting's value as the note shows it (short)."""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, tuple)):
        return ", ".join(_shown(v) for v in value) or "—"
    text = "—" if value is None or value == "" else str(value)
    return text if len(text) <= 48 else text[:47] + "…"


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return float(a) == float(b)
    return a == b


def note_text(made: dict | None, current: dict, labels: dict[str, str], action: str | None, lang: str,
              widgets: dict | None = None) -> str:
    """The note for a result made from ``made`` while the controls read ``current`` ("" when they agree).
    ``labels``: a setting's name -> the string key of its label; ``widgets``: a setting's name -> its widget, whose
    choices' labels the note shows instead of their values ("reconstruction error", not "recon")."""
    if not made:
        return ""
    widgets = widgets or {}

    def shown(k, v):
        if drawn.is_drawn(v):  # a drawing is named by what it is, not by its code
            try:
                return t("drawn.named", lang, n=drawn.n_points(v))
            except ValueError:
                return t("drawn.named", lang, n="?")
        return _shown(choice_label(widgets[k], v, lang) if k in widgets else v)

    changed = [f"{t(labels[k], lang) if k in labels else k} {shown(k, made[k])} → {shown(k, current.get(k))}"
               for k in made if k != REASON and k in current and not _same(made[k], current[k])]
    reason = made.get(REASON)
    if not changed and not reason:
        return ""
    parts = ([t(reason, lang)] if reason else []) + changed
    again = " " + t("stale.again", lang, action=t(action, lang)) if action else ""
    return "⚠ " + t("stale.note", lang, what="; ".join(parts)) + again


def _note(text: str) -> dict:
    """The note's update: shown with its text, hidden when the result matches the controls."""
    return gr.update(value=text, visible=bool(text))


class Provenance:
    """What one result on screen was made from, and the note that says when the controls no longer match it.

    ``inputs``: the settings that shape the result, by name (the components whose values it was made from);
    ``labels``: a name -> the string key of its label (the note names changed settings by it); ``action``: the
    string key of the button that makes the result again. Create it where the note goes (above the figure)."""

    def __init__(self, page, key: str, inputs: dict[str, gr.components.Component], labels: dict[str, str],
                 action: str | None = None) -> None:
        self.page, self.key = page, key
        self.names = list(inputs)
        self.inputs = [inputs[n] for n in self.names]
        self.widgets = dict(inputs)
        self.labels, self.action = dict(labels), action
        self.made = gr.State(None)  # the settings the result on screen was made from (None: no result yet)
        self.note = gr.Markdown("", elem_id=f"{key}-stale", elem_classes=["stale-note"], visible=False)
        self._wire_checks()

    # ------------------------------------------------------------ handlers
    def _current(self, values) -> dict:
        return dict(zip(self.names, values))

    def record(self, *values):
        """The result was just made from these values: remember them, clear the note."""
        return self._current(values), _note("")

    def check(self, lang: str, made: dict | None, *values) -> dict:
        return _note(note_text(made, self._current(values), self.labels, self.action, lang, self.widgets))

    def invalidate(self, reason: str):
        def mark(lang: str, made: dict | None, *values):
            if not made:
                return made, gr.skip()
            made = {**made, REASON: reason}
            return made, _note(note_text(made, self._current(values), self.labels, self.action, lang, self.widgets))
        return mark

    # ------------------------------------------------------------ wiring
    def _wire_checks(self) -> None:
        lang = self.page.lang
        # one event for all the settings, its triggers collapsed while one runs (a preset changes fifteen settings at
        # once: fifteen calls kept the page busy for seconds, each refreshing the loading state of every component)
        gr.on([c.change for c in self.inputs], self.check, [lang, self.made, *self.inputs], self.note, queue=False,
              api_visibility="private", show_progress="hidden", trigger_mode="always_last")
        self.page.on_language(self.check, [lang, self.made, *self.inputs], [self.note])

    def made_by(self, trigger) -> None:
        """``trigger`` makes the result: a button (its click records the inputs' values at the click) or an event
        (a ``.then`` records them once it has run)."""
        kw = dict(fn=self.record, inputs=self.inputs, outputs=[self.made, self.note], queue=False,
                  api_visibility="private", show_progress="hidden")
        if isinstance(trigger, gr.blocks.Block):
            trigger.click(**kw)
        else:
            trigger.then(**kw)

    def invalidated_by(self, trigger, reason: str) -> None:
        """After ``trigger`` (a button's click or an event), the result on screen belongs to an earlier state of
        something no control shows (a model trained since): the note says ``t(reason)``."""
        kw = dict(fn=self.invalidate(reason), inputs=[self.page.lang, self.made, *self.inputs],
                  outputs=[self.made, self.note], queue=False, api_visibility="private", show_progress="hidden")
        if isinstance(trigger, gr.blocks.Block):
            trigger.click(**kw)
        else:
            trigger.then(**kw)
