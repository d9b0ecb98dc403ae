"""Lectures: the course outline as a path of prepared moments (``assets/lectures/<name>.json``).

A lecture is a small JSON file a lecturer can copy and edit: the outline's sections (``outline``), and under each one
to three *moments*, each an address of the app (``tab=gan&gan.preset=mode_collapse``), the figure it lands on (an
element id), the one sentence it shows, and a short text alternative of the figure, in English and Vietnamese.
``format`` reads and checks the file's own shape; whether a moment's link is one the app can open (every setting
valid, a recording or an instant view to land on) only the app can say: ``python -m playground lecture check FILE``
asks it (``tabs.lecture.check``), building the app's widgets without loading any model.
"""

from playground.kit.registry import Experiment, register
from playground.lecture.format import (LANGS, LECTURE_DIR, Lecture, LectureError, Moment, Section, find, load,
                                       names, parse_link)
from playground.lecture.outline import OUTLINE

register(Experiment("lecture", "list, show or check a lecture (assets/lectures): the outline as a path of moments",
                    cli="playground.lecture.cli", order=850))

__all__ = ["LANGS", "LECTURE_DIR", "Lecture", "LectureError", "Moment", "OUTLINE", "Section", "find", "load", "names",
           "parse_link"]
