"""The Lecture tab: a lecture's outline and moments, Begin, and a picker that opens any moment in the page."""

from __future__ import annotations

import gradio as gr

from playground import lecture as lectures
from tabs.harness.i18n import t
from tabs.harness.lecture import address, read

DEFAULT = "default"


def outline_markdown(name: str, lang: str) -> str:
    """The lecture's sections and moments: each moment a link that opens it (``?lecture=&moment=``), its sentence,
    and what its figure shows."""
    try:
        lecture = read(name)
    except lectures.LectureError as e:
        return t("lec.unreadable", lang, error=str(e)[:300])
    lines = [f"## {lecture.title[lang]}",
             t("lec.count", lang, sections=len(lecture.sections), moments=len(lecture.moments))
             + (t("lec.uncovered", lang, ids=", ".join(lecture.uncovered())) if lecture.uncovered() else "")]
    for section in lecture.sections:
        lines.append(f"\n### {section.outline} · {section.title[lang]}")
        for m in section.moments:
            link = f"?{address(lecture.name, m.number)}&lang={lang}"
            lines.append(f"{m.number}. [{m.says[lang]}]({link})  \n   *{t('lec.lands', lang, shows=m.shows[lang])}*")
    return "\n".join(lines)


def moment_choices(name: str, lang: str) -> list[tuple[str, int]]:
    try:
        lecture = read(name)
    except lectures.LectureError:
        return []
    return [(f"{m.number}. {m.says[lang][:90]}", m.number) for m in lecture.moments]


class LectureTab:
    def __init__(self, page) -> None:
        self.page, tr = page, page.tr
        names = lectures.names()
        first = DEFAULT if DEFAULT in names else (names[0] if names else None)
        tr(gr.Markdown, value="lec.intro")
        with gr.Row(equal_height=True):
            self.choice = tr(gr.Dropdown, label="lec.choose", choices=names, value=first, scale=1, elem_id="lec-choice")
            self.moment = tr(gr.Dropdown, label="lec.moment", choices=moment_choices(first, "en") if first else [],
                             value=1 if first else None, scale=3, elem_id="lec-moment")
            self.begin = tr(gr.Button, value="lec.begin", variant="primary", scale=0, min_width=140, elem_id="lec-begin")
            self.open = tr(gr.Button, value="lec.open", scale=0, min_width=180, elem_id="lec-open")
        self.outline = gr.Markdown(outline_markdown(first, "en") if first else "", elem_id="lecture-outline")
        self.wire()

    def redraw(self, name: str, lang: str):
        choices = moment_choices(name, lang)
        return outline_markdown(name, lang), gr.Dropdown(choices=choices, value=choices[0][1] if choices else None)

    def wire(self) -> None:
        page = self.page
        self.choice.change(self.redraw, [self.choice, page.lang], [self.outline, self.moment], api_name=False,
                           queue=False, show_progress="hidden")
        page.on_language(lambda name, lang: outline_markdown(name, lang), [self.choice, page.lang], [self.outline])
        # an update, not a component: the switch merges it with the widget's relabelling (a component became its value)
        page.on_language(lambda name, moment, lang: gr.update(choices=moment_choices(name, lang), value=moment),
                         [self.choice, self.moment, page.lang], [self.moment])
        page.lecture.starts(self.begin, self.choice, None)  # moment 1
        page.lecture.starts(self.open, self.choice, self.moment)
