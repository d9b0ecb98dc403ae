"""A lecture in the app: every moment of the shipped lecture can be opened and lands on its figure (the app's own
check, ``python -m playground lecture check``), a broken one is told why, and a move sets exactly the moment's
settings on its tab (the rest back to what the page opens with) and stamps that tab's openers alone."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import gradio as gr
import pytest

from playground import lecture as lectures
from playground.lecture.format import parse
from tabs.lecture import check

ROOT = Path(__file__).resolve().parents[2]


def _moment(link: str, figure: str) -> dict:
    return {"link": link, "figure": figure, "says": {"en": "x", "vi": "y"}, "shows": {"en": "a", "vi": "b"}}


def test_every_moment_of_the_shipped_lecture_lands_on_its_figure(demo):
    results = list(check.check(lectures.load(lectures.find("default"))))
    assert [r for r in results if r["problems"]] == []
    landed = {r["moment"]: r["lands_on"] for r in results}
    lecture = lectures.load(lectures.find("default"))
    for m in lecture.moments:  # a training tab lands on a recording, the others (and a sample photo) on an instant view
        kind = "instant view" if m.tab in ("attention", "vae") or "vision.sample" in m.link else "recording"
        assert kind in landed[m.number], (m.number, m.tab, landed[m.number])
    ln = next(m for m in lecture.moments if m.link.get("lab.experiment") == "ln")
    assert landed[ln.number] == "recording lab_ln-default.json.gz"  # the experiment the link opens, not the others


def test_a_moment_that_cannot_be_opened_is_told_why(demo):
    lecture = parse({"name": "broken", "title": {"en": "B", "vi": "B"}, "sections": [
        {"outline": "I.A.3", "title": {"en": "a", "vi": "a"}, "moments": [
            _moment("tab=lab&lab.experiment=lstm", "lab-lstm-timing"),  # a button draws it, not the recording
            _moment("tab=vision&vision.seed=5", "vis-acc"),  # no recording of seed 5, no sample photo: Start
            _moment("tab=gan&gan.steps=abc", "gan-plane")]},
        {"outline": "I.B.3", "title": {"en": "a", "vi": "a"}, "moments": [
            _moment("tab=gan&gan.wings=2", "gan-plane"),
            _moment("tab=gan&vae.beta=4", "gan-plane"),
            _moment("tab=nowhere", "gan-plane")]},
        {"outline": "I.B.5", "title": {"en": "a", "vi": "a"}, "moments": [_moment("tab=vae", "no-such-figure")]}]})
    problems = {r["moment"]: " | ".join(r["problems"]) for r in check.check(lecture)}
    assert "'lab-lstm-timing': what the moment lands on does not draw it" in problems[1]
    assert "lands on nothing" in problems[2]
    assert "gan.steps=abc: not a value this setting takes" in problems[3]
    assert "gan.wings: gan has no such setting" in problems[4]
    assert "vae.beta: a moment sets the settings of the tab it opens (gan) only" in problems[5]
    assert "tab=nowhere: no such tab" in problems[6]
    assert "no element of the page has this id" in problems[7]


def test_the_command_line_checks_a_lecture_and_fails_on_a_broken_one(tmp_path):
    ok = subprocess.run([sys.executable, "-m", "playground", "lecture", "check", "default", "--json"], cwd=ROOT,
                        capture_output=True, text=True, timeout=300)
    assert ok.returncode == 0, ok.stderr[-2000:]
    rows = [json.loads(line) for line in ok.stdout.splitlines()]
    assert rows[-1]["failed"] == 0 and rows[-1]["uncovered"] == "-" and rows[-1]["moments"] == len(rows) - 1
    bad = json.loads((ROOT / "assets/lectures/default.json").read_text(encoding="utf-8"))
    bad["name"] = "bad"
    bad["sections"][0]["moments"][0]["link"] = "tab=attention&attention.layer=99"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    failed = subprocess.run([sys.executable, "-m", "playground", "lecture", "check", str(path), "--json"], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert failed.returncode == 2
    first = json.loads(failed.stdout.splitlines()[0])
    assert first["moment"] == 1 and "attention.layer=99: not a value this setting takes" in first["problems"]
    assert "1 of" in failed.stderr


def _skipped(value) -> bool:
    return isinstance(value, dict) and value.get("__type__") == "update" and len(value) == 1


def test_a_move_opens_the_moments_tab_and_sets_its_settings_there_alone(demo):
    page, bar = demo.page, demo.page.lecture
    lecture = lectures.load(lectures.find("default"))
    collapse = next(m for m in lecture.moments if m.link.get("gan.preset") == "mode_collapse")
    out = dict(zip(bar.move_outputs, bar.go({"name": "default", "n": collapse.number - 1}, "vi", "+1")))
    assert out[bar.tab_set].selected == "gan" and out[page.language.open] == "gan"
    assert out[bar.state] == {"name": "default", "n": collapse.number}
    assert out[bar.says].startswith(f"**{collapse.number} / {len(lecture.moments)}** · I.B.3 ")
    assert collapse.says["vi"] in out[bar.says]
    landing = json.loads(out[bar.landing])
    assert landing["figure"] == "gan-plane" and landing["address"] == f"lecture=default&moment={collapse.number}"
    stamped = [tab for tab, trigger in bar._settings_triggers.items() if not _skipped(out[trigger])]
    assert stamped == ["gan"]  # only the moment's tab sets its settings (and only its openers draw)
    assert not _skipped(out[page.language.triggers["gan"]])  # and it is drawn in the page's language

    settings = bar._settings(out[bar.state], "gan")
    values = dict(zip(bar._tab_widgets["gan"], settings))
    assert values["preset"] == "mode_collapse" and values["d_steps"] == 2
    preset = page.links._presets["gan"]("mode_collapse")
    assert {k: values[k] for k in preset} == preset  # every one of the preset's own values
    assert not _skipped(settings[-1])  # then its openers run (the open trigger last, after the settings)
    assert all(_skipped(v) for v in bar._settings(out[bar.state], "vae"))  # another tab's settings stay


def test_a_move_resets_what_the_moment_leaves_out_and_stays_within_the_lecture(demo):
    page, bar = demo.page, demo.page.lecture
    restored = dict(zip([k for k, _ in page.links.widgets()],
                        page.links.restore({"tab": "gan", "gan.steps": "400"}, reset="gan")))
    assert restored["gan.steps"] == 400
    assert restored["gan.lr_g"] == page.links.shared("gan")["lr_g"].value  # back to what the page opens with
    assert _skipped(restored["vae.beta"])  # another tab: as the user left it
    total = len(lectures.load(lectures.find("default")).moments)
    last = dict(zip(bar.move_outputs, bar.go({"name": "default", "n": total}, "en", "+1")))
    assert last[bar.state]["n"] == total
    first = dict(zip(bar.move_outputs, bar.go({"name": "default", "n": 1}, "en", "-1")))
    assert first[bar.state]["n"] == 1
    with pytest.raises(gr.Error, match="No lecture is open"):
        bar.go(None, "en", "+1")
    with pytest.raises(gr.Error, match="no lecture named"):
        bar.go({"name": "nothing", "n": 1}, "en", "+1")


def test_a_lecture_address_opens_its_moment_and_a_bad_one_opens_the_page_without_it(demo):
    bar = demo.page.lecture
    params, shown = bar.from_address({"lecture": "default", "moment": "4", "lang": "vi", "present": "1"})
    moment = lectures.load(lectures.find("default")).moment(4)
    assert {k: params[k] for k in moment.link} == moment.link and params["present"] == "1"
    assert shown[0] == {"name": "default", "n": 4} and moment.says["vi"] in shown[2]
    params, shown = bar.from_address({"lecture": "default", "moment": "4", "tab": "vae"})
    assert params["tab"] == "vae"  # the address's own settings win over the moment's
    params, shown = bar.from_address({"lecture": "default", "moment": "999"})
    assert shown[0]["n"] == len(lectures.load(lectures.find("default")).moments)  # the last one
    for bad in ({"lecture": "../x"}, {"lecture": "default", "moment": "two"}):
        params, shown = bar.from_address(bad)
        assert shown[0] is None and "tab" not in params
