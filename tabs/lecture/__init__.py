"""Lecture: the course outline as a path of prepared moments (``assets/lectures``, ``playground.lecture``).

- ``layout``: ``LectureTab``, the outline with its moments (each a link, its sentence and what its figure shows),
  Begin and the moment picker; the bar above the tabs (``tabs.harness.lecture``) moves through them;
- ``check``: whether the app can open every moment of a lecture (``python -m playground lecture check``);
- ``strings``: its texts.
"""

from tabs.harness.registry import TabSpec, register
from tabs.lecture.layout import LectureTab
from tabs.lecture.strings import STRINGS

register(TabSpec(id="lecture", title="tab.lecture", order=100, build=LectureTab, strings=STRINGS))
