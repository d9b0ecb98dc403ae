"""Lecture files (``playground.lecture``): the shipped lecture covers the outline in both languages, and a damaged
file is refused with a message that names the place in it."""

from __future__ import annotations

import json
import re

import pytest

from playground import lecture as lectures
from playground.lecture.format import LectureError, parse, parse_link

VIETNAMESE = re.compile("[ăâđêôơưàáãèéìíòóõùúýĩũ\u1ea0-\u1ef9]", re.IGNORECASE)  # its letters, tones included


def _moment(**over) -> dict:
    return {"link": "tab=gan", "figure": "gan-plane", "says": {"en": "x", "vi": "y"},
            "shows": {"en": "a", "vi": "b"}, **over}


def _lecture(moments=None, **over) -> dict:
    return {"name": "mine", "title": {"en": "Mine", "vi": "Của tôi"},
            "sections": [{"outline": "I.B.3", "title": {"en": "GAN", "vi": "GAN"},
                          "moments": moments if moments is not None else [_moment()]}], **over}


def test_the_shipped_lecture_covers_every_section_of_the_outline_in_both_languages():
    lecture = lectures.load(lectures.find("default"))
    assert lecture.uncovered() == []
    assert [s.outline for s in lecture.sections] == list(lectures.OUTLINE)  # in the outline's order
    assert [m.number for m in lecture.moments] == list(range(1, len(lecture.moments) + 1))
    for m in lecture.moments:
        assert 1 <= len(lecture.section_of(m).moments) <= 3
        for field in (m.says, m.shows):
            assert field["en"] != field["vi"]
            assert VIETNAMESE.search(field["vi"]), f"moment {m.number}: {field['vi']!r} reads as no Vietnamese"
            assert not VIETNAMESE.search(field["en"].replace("ngày 9 tháng 11 năm 1989", "")), field["en"]


def test_a_moment_is_found_by_its_number_and_nothing_outside_the_lecture():
    lecture = parse(_lecture([_moment(), _moment(link="tab=vae", figure="vae-grid")]))
    assert lecture.moment(2).tab == "vae" and lecture.moment(2).section == "I.B.3"
    for number in (0, 3, -1):
        with pytest.raises(LectureError, match="moments 1 to 2"):
            lecture.moment(number)


@pytest.mark.parametrize("raw, where", [
    (_lecture([_moment(says={"en": "x"})]), r"sections\[0\]\.moments\[0\]\.says\.vi: missing"),
    (_lecture([_moment(says={"en": "x", "vi": "y", "fr": "z"})]), "unknown language 'fr'"),
    (_lecture([_moment(link="gan.steps=400")]), r"moments\[0\]\.link: no tab="),
    (_lecture([_moment(link="tab=gan&tab=vae")]), "'tab' is given twice"),
    (_lecture([_moment(link="tab=gan&lang=vi")]), "'lang' belongs to the viewer's address"),
    (_lecture([_moment(figure="gan plane")]), r"\.figure: an element id"),
    (_lecture([_moment(extra=1)]), "unknown field 'extra'"),
    (_lecture([_moment()] * 4), "one to 3 moments"),
    (_lecture([]), "one to 3 moments"),
    (_lecture(name="../etc"), "name: lower-case"),
    ({**_lecture(), "sections": [{**_lecture()["sections"][0], "outline": "III.A.1"}]}, "not a section of the outline"),
    ({**_lecture(), "sections": _lecture()["sections"] * 2}, "'I.B.3' has a section already"),
    (_lecture([_moment(says={"en": "x" * 201, "vi": "y"})]), "201 characters, at most 200"),
])
def test_a_damaged_lecture_is_refused_with_the_place_it_is_wrong(raw, where):
    with pytest.raises(LectureError, match=where):
        parse(raw)


def test_a_link_may_be_what_the_link_box_gives_or_its_query_alone():
    expected = {"tab": "gan", "gan.preset": "mode_collapse", "gan.steps": "400"}
    for text in ("tab=gan&gan.preset=mode_collapse&gan.steps=400", "?tab=gan&gan.preset=mode_collapse&gan.steps=400",
                 "http://127.0.0.1:7860/?tab=gan&gan.preset=mode_collapse&gan.steps=400"):
        assert parse_link(text) == expected


def test_a_file_is_checked_for_its_size_its_text_and_its_name(tmp_path):
    good = tmp_path / "mine.json"
    good.write_text(json.dumps(_lecture()), encoding="utf-8")
    assert lectures.load(good).name == "mine"
    renamed = tmp_path / "other.json"
    renamed.write_text(json.dumps(_lecture()), encoding="utf-8")
    with pytest.raises(LectureError, match="a lecture's name is its file's name"):
        lectures.load(renamed)
    broken = tmp_path / "broken.json"
    broken.write_text('{"name": "broken",\n "title": }', encoding="utf-8")
    with pytest.raises(LectureError, match="line 2, column"):
        lectures.load(broken)
    huge = tmp_path / "huge.json"
    huge.write_text(" " * 200_001, encoding="utf-8")
    with pytest.raises(LectureError, match="at most 200,000"):
        lectures.load(huge)
    assert lectures.names(tmp_path) == ["broken", "huge", "mine", "other"]


def test_a_lecture_is_named_never_given_as_a_path():
    for name in ("../default", "/etc/passwd", "default.json", "", "A"):
        with pytest.raises(LectureError):
            lectures.find(name)
    with pytest.raises(LectureError, match="no lecture named 'nothing'.*default"):
        lectures.find("nothing")
