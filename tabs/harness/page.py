"""What one build of the app shares between its tabs (``Page``), and the page's head script.

A tab is an object built per app: ``TabSpec.build(page)`` receives the ``Page`` of the build it belongs to and
keeps every widget and handler to itself. Building the app twice in one process gives two pages, two sets of
handlers, and no state shared between them.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from tabs.harness.i18n import Translator
from tabs.harness.language import LanguageSwitch
from tabs.harness.links import Links
from tabs.harness.pacing import ACK_PATH
from tabs.harness.scripts import event_script, script
from tabs.harness.sessions import BrowserSessions


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
        self.tabs: dict[str, Any] = {}  # tab id -> the tab's object, as built
        self.blocks: dict[str, gr.Tab] = {}  # tab id -> its gr.Tab
        self.building: str | None = None  # the tab being built now (``build``): what it registers belongs to it
        # (tab id, fn, inputs, outputs) of what a tab shows when it opens (``on_open``): a click on the tab fires its
        # own select event, a link that opens the tab (``?tab=``) runs these after the page has restored the settings
        self.openers: list[tuple[str, Any, list, list, dict]] = []
        import tabs as registry

        specs = registry.tabs()
        self.language = LanguageSwitch(lang, specs[0].id if specs else None)

    def on_open(self, handler, inputs: list, outputs: list, queue: dict) -> None:
        """``handler`` (from ``widgets.named``) runs after every page load (``wire_openers``), in the queue ``queue``:
        it checks the address itself (``?tab=``) and shows nothing unless the link opens the tab it belongs to."""
        self.openers.append((self.building, handler, inputs, outputs, queue))

    def wire_openers(self, loaded) -> None:
        """After the page load ``loaded`` has restored a link's settings and opened its tab: every opener."""
        for _tab, handler, inputs, outputs, queue in self.openers:
            loaded.then(handler, inputs, outputs, api_name=False, **queue)

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
    """The page's head script (``js/head.js``, with ``js/ack.js`` inside)."""
    return "<script>\n" + script("head", ACK=script("ack", ACK_PATH=ACK_PATH.lstrip("/"))) + "</script>"


SHOW_PAGE = event_script("show")
PRESENT_JS = event_script("present")
