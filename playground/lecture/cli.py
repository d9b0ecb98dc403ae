"""``python -m playground lecture list | show NAME | check FILE|NAME``.

``check`` reads the file (its shape, its languages, the outline's sections it covers), then asks the app whether it
can open every moment (``tabs.lecture.check``: each setting is one the tab's widget accepts, and the moment lands on
a recording or an instant view). The app's widgets are built for that; no model loads. Exit status 2 when a moment
cannot be opened or the file cannot be read.
"""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path
from typing import Iterator

from playground.lecture import format as lectures


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=("list", "show", "check"), help="list the shipped lectures, show one's "
                        "moments, or check one")
    parser.add_argument("lecture", nargs="?", default="default", help="a lecture's name (assets/lectures/NAME.json) "
                        "or a file's path (default: default)")
    parser.add_argument("--lang", choices=lectures.LANGS, default="en", help="the language of what `show` prints")


def _open(spec: str) -> lectures.Lecture:
    path = Path(spec)
    return lectures.load(path if path.suffix == ".json" or path.exists() else lectures.find(spec))


def run_cli(args: argparse.Namespace) -> Iterator[dict]:
    if args.action == "list":
        for name in lectures.names():
            lecture = lectures.load(lectures.find(name))
            yield {"lecture": name, "title": lecture.title[args.lang], "sections": len(lecture.sections),
                   "moments": len(lecture.moments), "uncovered": ",".join(lecture.uncovered()) or "-"}
        return
    lecture = _open(args.lecture)
    if args.action == "show":
        for m in lecture.moments:
            yield {"moment": m.number, "section": m.section, "link": "&".join(f"{k}={v}" for k, v in m.link.items()),
                   "figure": m.figure, "says": m.says[args.lang]}
        return
    # the links are the app's addresses: only the app's widgets know which values they take
    check = importlib.import_module("tabs.lecture.check")
    failed = 0
    for result in check.check(lecture):
        failed += bool(result["problems"])
        yield {**result, "problems": "; ".join(result["problems"]) or "-"}
    summary = {"lecture": lecture.name, "file": lecture.path, "moments": len(lecture.moments),
               "sections": len(lecture.sections), "uncovered": ",".join(lecture.uncovered()) or "-",
               "failed": failed}
    yield summary
    if failed:
        raise ValueError(f"{failed} of {len(lecture.moments)} moments cannot be opened (see above)")
