"""What one build of the app shares between its tabs (``Page``), and the page's head script.

A tab is an object built per app: ``TabSpec.build(page)`` receives the ``Page`` of the build it belongs to and
keeps every widget and handler to itself. Building the app twice in one process gives two pages, two sets of
handlers, and no state shared between them.
"""

from __future__ import annotations

import inspect
from typing import Any, Callable

import gradio as gr

from tabs.harness.i18n import Translator
from tabs.harness.language import LanguageSwitch
from tabs.harness.links import Links
from tabs.harness.pacing import ACK_PATH, Streams
from tabs.harness.runner import ORDER
from tabs.harness.scripts import event_script, script
from tabs.harness.sessions import BrowserSessions
from tabs.harness.widgets import named


OPENING = "opening"  # the key of ``data`` under which an opener receives its opening's order (``wire_openers``)


class Page:
    """The translator, the language radio, the page clock, the links, the language switch and the browser sessions
    of one build of the app (create it inside the ``gr.Blocks``)."""

    def __init__(self, tr: Translator, lang: gr.components.Component) -> None:
        self.tr, self.lang = tr, lang
        # The hidden last input of every click that starts, stops or resumes a run: the page's clock (ms) when it
        # clicked (``stamp_js``), 0 from API clients. It says the event comes from a page, which acknowledges
        # frames (``tabs.harness.pacing``), and orders a Stop and a queued Start (``Live.withdrawn``).
        self.clock = gr.Number(value=0, visible=False, label="page", elem_id="live-page-flag")
        self.links = Links()
        self.sessions = BrowserSessions()
        self.streams = Streams()  # the streams drawing now: their frames' pace (``tabs.harness.pacing``)
        self.tabs: dict[str, Any] = {}  # tab id -> the tab's object, as built
        self.blocks: dict[str, gr.Tab] = {}  # tab id -> its gr.Tab
        self.building: str | None = None  # the tab being built now (``build``): what it registers belongs to it
        # What a tab draws when a link (``?tab=``, a lecture's moment) opens it (``on_open``): a click on the tab fires
        # the tab's own select event; a link opens it in a page load, or in a lecture's move, which fire none. Each
        # tab's openers listen to a hidden trigger of its own (``open_triggers``), which the load or the move sets for
        # the tab it opens: the other tabs' openers cost nothing (a dozen queued events each load, 4 s of them, when
        # every opener ran and looked at the address itself).
        self.openers: list[tuple[str, Any, list, list, dict, Any]] = []
        # tab id -> (when, lands, the element ids it draws) of each opener: what a link to the tab lands on
        self.views: dict[str, list[tuple[Callable | None, Callable[[dict], str | None], set[str]]]] = {}
        self.open_triggers: dict[str, gr.Textbox] = {}
        import tabs as registry

        specs = registry.tabs()
        self.language = LanguageSwitch(lang, specs[0].id if specs else None)

    def on_open(self, fn, inputs: dict[str, Any], outputs: list, queue: dict,
                when: Callable[[dict], bool] | None = None, lands: Callable[[dict], str | None] | None = None,
                after: Callable[[Any], None] | None = None) -> None:
        """``fn(data, request)`` (a function or a generator, on ``named`` inputs) draws what the tab being built shows
        when a link opens it: after the page load that restored the link's settings, and after a lecture's move, in
        the queue ``queue``, when ``when(data)`` holds (the sub-tab the link chose); otherwise nothing changes.

        ``lands(values)``, given the settings a link would set (``{widget: value}``), names what the link lands on
        (``"recording lab_ln-default"``, ``"instant view"``) or None: ``python -m playground lecture check`` asks it.
        ``after(event)`` is called with the event the opener becomes (a provenance's ``made_by``)."""
        tab, first = self.building, outputs[0]

        def opened(data: dict, request: gr.Request = None):
            if when is not None and not when(data):
                yield {first: gr.skip()}  # another sub-tab (a handler that yields nothing blanks every output)
                return
            result = fn(data, request)
            if inspect.isgenerator(result):
                yield from result
            else:
                yield result

        self.openers.append((tab, opened, inputs, outputs, queue, after))
        if lands is not None:
            drawn = {getattr(c, "elem_id", None) for c in outputs} - {None}
            self.views.setdefault(tab, []).append((when, lands, drawn))

    def wire_openers(self) -> None:
        """Once, after every tab is built: each tab's openers run when its trigger changes (``open_values``). The
        trigger's value reaches the opener as ``data[OPENING]``: the opening's place in ``ORDER`` (``opening``)."""
        for tab, opened, inputs, outputs, queue, after in self.openers:
            if tab not in self.open_triggers:
                self.open_triggers[tab] = gr.Textbox(value="", visible=False, label=f"open-{tab}")
            trigger = self.open_triggers[tab]

            def handler(data: dict, request: gr.Request = None, opened=opened, trigger=trigger):
                yield from opened({**data, OPENING: self.opening(data.get(trigger))}, request)

            fn, args = named(handler, {**inputs, "opening": trigger})
            event = trigger.change(fn, args, outputs, api_name=False, **queue)
            if after is not None:
                after(event)

    @staticmethod
    def opening(stamp: Any) -> int:
        """An open trigger's value (``open_stamp``) as its place in ``ORDER``; 0 when it carries none."""
        try:
            return int(str(stamp).rsplit(":", 1)[1])
        except (IndexError, ValueError):
            return 0

    def open_stamp(self, tab: str) -> str:
        """A new value for ``tab``'s open trigger (its change runs the tab's openers)."""
        return f"{tab}:{next(ORDER)}"

    def open_values(self, tab: str | None) -> list:
        """For a load that opens ``tab`` (outputs ``open_triggers``): a new stamp for its trigger, the rest skipped."""
        return [self.open_stamp(name) if name == tab else gr.skip() for name in self.open_triggers]

    def on_language(self, fn, inputs, outputs, then: dict | None = None) -> None:
        self.language.on_language(fn, inputs, outputs, then, owner=self.building)

    def relabel_live(self, live, status: gr.components.Component, outputs: list) -> None:
        self.language.relabel_live(live, status, outputs, owner=self.building)

    def build(self, spec, block: gr.Tab) -> Any:
        """Build one tab inside its ``gr.Tab``: the widgets and redraws it registers belong to it (a language switch
        relabels the open tab, the others when opened)."""
        self.building, self.tr.owner = spec.id, spec.id
        try:
            self.blocks[spec.id] = block
            self.tabs[spec.id] = spec.build(self)
            return self.tabs[spec.id]
        finally:
            self.building, self.tr.owner = None, None

    @staticmethod
    def stamp_js(n_inputs: int) -> str:
        """A click's page-side step: its last input (the page clock) becomes the page's clock."""
        return event_script("stamp", N=n_inputs)

    def wire(self, shown_js: str | None = None) -> Any:
        """After every tab is built: the language switch (``shown_js`` runs once the open tab speaks the new
        language). Returns the switch's event (for ``.then``)."""
        return self.language.wire(self.tr.components, self.tr.updates, self.tr.owners, self.blocks, shown_js=shown_js)


def head() -> str:
    """The page's head script (``js/head.js``, with ``js/ack.js`` and the presenter's keys ``js/keys.js`` inside)."""
    import json

    import tabs as registry

    keys = script("keys", TABS=json.dumps([spec.id for spec in registry.tabs()]))
    return "<script>\n" + script("head", ACK=script("ack", ACK_PATH=ACK_PATH.lstrip("/")), KEYS=keys) + "</script>"


SHOW_PAGE = event_script("show")
PRESENT_JS = event_script("present")
