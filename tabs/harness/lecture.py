"""The lecture bar above the tabs: where a lecture is (moment n of N, its section, its sentence), Previous and Next.

``?lecture=<name>&moment=<n>`` opens a lecture's moment (``playground.lecture``): the page load takes the moment's
link as its own address (the address's own settings win) and the bar appears. Previous and Next move in the page,
without loading it again: one event selects the moment's tab, sets every setting of that tab to the moment's link
(what the link leaves out goes back to what the page opens with), stamps that tab's open trigger, and its openers
(``Page.on_open``) draw its recording or its instant view; the address follows (``js/land.js``), so a reload or a
copied address opens the same moment.
"""

from __future__ import annotations

import functools
import itertools
import json
from pathlib import Path

import gradio as gr

from playground import lecture as lectures
from tabs.harness.i18n import t, user_error
from tabs.harness.scripts import event_script


@functools.lru_cache(maxsize=32)
def _read(path: str, mtime: float) -> lectures.Lecture:
    return lectures.load(path)


def read(name: str) -> lectures.Lecture:
    """The lecture ``name`` (cached; reread when its file changes). ``LectureError`` when there is none."""
    path = lectures.find(name)
    return _read(str(path), Path(path).stat().st_mtime)


def moment_text(lecture: lectures.Lecture, moment: lectures.Moment, lang: str) -> str:
    """The bar's text: "**3 / 22** · I.A.2 The architecture — Post-LN stalls…"."""
    section = lecture.section_of(moment)
    return t("lecture.bar", lang, n=moment.number, total=len(lecture.moments), outline=section.outline,
             section=section.title[lang], says=moment.says[lang])


def address(lecture: str, number: int) -> str:
    return f"lecture={lecture}&moment={number}"


class LectureBar:
    """Built in the page's frame before the tabs (``__init__``), wired after them (``wire``)."""

    def __init__(self, page) -> None:
        self.page, tr = page, page.tr
        self.state = gr.State(None)  # {"name", "n"} of the moment on screen, None outside a lecture
        # what the page-side step (land.js) needs: the figure to bring into view and the address to show
        self.landing = gr.Textbox(value="", visible=False, label="lecture-landing", elem_id="lecture-landing")
        with gr.Row(visible=False, elem_id="lecture-bar", equal_height=True) as self.row:
            self.prev = tr(gr.Button, value="lecture.prev", elem_id="lecture-prev", size="sm", scale=0, min_width=110)
            self.says = gr.Markdown(elem_id="lecture-says", container=False)
            self.next = tr(gr.Button, value="lecture.next", elem_id="lecture-next", size="sm", variant="primary",
                           scale=0, min_width=110)
            self.close = tr(gr.Button, value="lecture.close", elem_id="lecture-close", size="sm", scale=0,
                            min_width=50)
        self._stamps = itertools.count(1)
        self._starters: list[tuple] = []  # (button, lecture widget, moment widget or None): ``starts``
        page.lecture = self

    def starts(self, button, lecture_widget, moment_widget=None) -> None:
        """``button`` opens the lecture in ``lecture_widget`` at the moment in ``moment_widget`` (the first without
        one), in the page (wired with Previous and Next)."""
        self._starters.append((button, lecture_widget, moment_widget))

    # ------------------------------------------------------------ the page load
    def from_address(self, params) -> tuple[dict, list]:
        """The address's settings with a lecture's moment filled in, and the bar's outputs (``outputs_load``)."""
        params = dict(params or {})
        name = params.get("lecture")
        if not name:
            return params, [None, gr.Row(visible=False), gr.skip(), ""]
        lang = params.get("lang") if params.get("lang") in lectures.LANGS else "en"
        try:
            lecture = read(name)
            number = int(params.get("moment") or 1)
            moment = lecture.moment(min(max(number, 1), len(lecture.moments)))
        except (lectures.LectureError, ValueError) as e:
            gr.Warning(t("lecture.bad_address", lang, error=str(e)[:200]))
            return params, [None, gr.Row(visible=False), gr.skip(), ""]
        merged = {**moment.link, **{k: v for k, v in params.items() if k not in ("lecture", "moment")}}
        return merged, self._shown(lecture, moment, lang)

    def _shown(self, lecture, moment, lang: str) -> list:
        state = {"name": lecture.name, "n": moment.number}
        landing = json.dumps({"figure": moment.figure, "address": address(lecture.name, moment.number)})
        return [state, gr.Row(visible=True), moment_text(lecture, moment, lang), landing]

    @property
    def outputs_load(self) -> list:
        return [self.state, self.row, self.says, self.landing]

    # ------------------------------------------------------------ a move in the page
    def go(self, state, lang: str, target: int | str) -> list:
        """The outputs of a move to moment ``target`` (a number, or "+1" / "-1" from the one on screen): the tab, the
        bar, and a new stamp on the moment tab's settings trigger (``_settings`` then sets that tab's settings)."""
        page = self.page
        lang = lang if lang in lectures.LANGS else "en"
        if not state or "name" not in state:
            raise user_error(t("lecture.none_open", lang))
        try:
            lecture = read(state["name"])
        except lectures.LectureError as e:
            raise user_error(t("lecture.bad_address", lang, error=str(e)[:200])) from None
        now = int(state.get("n", 1))
        number = now + int(target) if isinstance(target, str) else int(target)
        number = min(max(number, 1), len(lecture.moments))
        moment = lecture.moment(number)
        tab = moment.tab
        stamp = f"{lang}:lecture:{lecture.name}:{number}:{next(self._stamps)}"
        redraw = [stamp if name == tab else gr.skip() for name in page.language.triggers]
        settings = [stamp if name == tab else gr.skip() for name in self._settings_triggers]
        return [gr.Tabs(selected=tab), tab, *self._shown(lecture, moment, lang), *redraw, *settings]

    def _settings(self, state, tab: str) -> list:
        """The settings of the moment on screen, for its tab's widgets (what the link leaves out back to what the page
        opens with), then a new stamp on the tab's open trigger: its openers draw the moment's figure."""
        page, widgets = self.page, self._tab_widgets[tab]
        opens = tab in page.open_triggers
        try:
            moment = read(state["name"]).moment(int(state["n"]))
        except (lectures.LectureError, ValueError, KeyError, TypeError):
            moment = None
        if moment is None or moment.tab != tab:
            return [gr.skip()] * (len(widgets) + opens)
        values = dict(zip([k for k, _ in page.links.widgets()], page.links.restore(moment.link, reset=tab)))
        return [values[f"{tab}.{name}"] for name in widgets] + ([page.open_stamp(tab)] if opens else [])

    def _begin(self, name: str, lang: str, number=1) -> list:
        try:
            number = int(number or 1)
        except (TypeError, ValueError):
            number = 1
        return self.go({"name": name, "n": number}, lang, number)

    def relabel(self, state, lang: str):
        if not state:
            return gr.skip()
        try:
            lecture = read(state["name"])
            return moment_text(lecture, lecture.moment(int(state["n"])), lang)
        except (lectures.LectureError, ValueError, KeyError):
            return gr.skip()

    def wire(self, tab_set: gr.Tabs) -> None:
        """After every tab is built (and ``page.wire``, ``page.wire_openers``): Previous, Next, the starters and the
        close button. A move is two small events, not one large one: the page walks its whole component tree for
        every output of an event, skipped ones included, and one event with every tab's settings (about 200 outputs)
        took the page 1-5 s to apply; the move's own (the tab, the bar, two triggers) and then the moment tab's
        settings (at most 25) take a fraction of that."""
        page = self.page
        self.tab_set = tab_set
        self._settings_triggers: dict[str, gr.Textbox] = {}
        self._tab_widgets: dict[str, list[str]] = {}
        for tab in page.tabs:
            trigger = gr.Textbox(value="", visible=False, label=f"lecture-{tab}")
            self._settings_triggers[tab] = trigger
            shared = page.links.shared(tab)
            self._tab_widgets[tab] = list(shared)
            outputs = list(shared.values()) + ([page.open_triggers[tab]] if tab in page.open_triggers else [])
            if outputs:  # the open trigger last: its openers read the settings, which must be on the page by then
                trigger.change(functools.partial(self._settings, tab=tab), [self.state], outputs, api_name=False,
                               queue=False, show_progress="hidden")
        self.move_outputs = [tab_set, page.language.open, self.state, self.row, self.says, self.landing,
                             *page.language.triggers.values(), *self._settings_triggers.values()]
        for button, delta in ((self.prev, "-1"), (self.next, "+1")):
            moved = button.click(functools.partial(self.go, target=delta), [self.state, page.lang],
                                 self.move_outputs, api_name=False, queue=False, show_progress="hidden")
            self.landed(moved)
        for button, name_widget, number_widget in self._starters:
            inputs = [name_widget, page.lang] + ([number_widget] if number_widget is not None else [])
            moved = button.click(self._begin, inputs, self.move_outputs, api_name=False, queue=False,
                                 show_progress="hidden")
            self.landed(moved)
        self.close.click(lambda: [None, gr.Row(visible=False), ""], None, [self.state, self.row, self.landing],
                         api_name=False, queue=False).then(None, js=event_script("land", CLOSE="true"),
                                                          api_name=False, queue=False)
        page.on_language(self.relabel, [self.state, page.lang], [self.says])

    def landed(self, moved) -> None:
        """After a move: the page shows the moment's figure (its tab's openers draw it) and its address."""
        moved.then(None, [self.landing], None, js=event_script("land", CLOSE="false"), api_name=False, queue=False)
