"""Whether the app can open every moment of a lecture (``python -m playground lecture check FILE``).

A moment's link is read as the page reads an address (``tabs.harness.links``): every setting must be one its tab
shares and a value its widget takes, and with those settings the tab's openers (``Page.on_open``) must land on
something: a recording of exactly those settings, or an instant view. Its figure must be an element of the page.
The app is built once for this (its widgets only: no model loads).
"""

from __future__ import annotations

import functools
from typing import Iterator

from playground import lecture as lectures
from tabs.harness.links import _skipped, parse


@functools.lru_cache(maxsize=1)
def _page():
    import app

    demo = app.build_demo()
    ids = {getattr(b, "elem_id", None) for b in demo.blocks.values()} - {None}
    return demo.page, ids


def lands_on(page, moment: lectures.Moment) -> tuple[list[str], list[str]]:
    """(what the moment lands on, its problems): its settings must be valid, and something its tab draws when a link
    opens it (a recording of exactly these settings, an instant view) must draw the moment's figure."""
    tab, problems = moment.tab, []
    if tab not in page.tabs:
        return [], [f"tab={tab}: no such tab (there are: {', '.join(page.tabs)})"]
    shared = page.links.shared(tab)
    params = page.links.settings(moment.link)
    values = {w: w.value for w in shared.values()}
    for key, text in params.items():
        if key == "tab":
            continue
        owner, _, name = key.partition(".")
        if owner != tab:
            if key in moment.link:
                problems.append(f"{key}: a moment sets the settings of the tab it opens ({tab}) only")
            continue
        if name not in shared:
            problems.append(f"{key}: {tab} has no such setting")
            continue
        value = parse(shared[name], text)
        if _skipped(value):
            problems.append(f"{key}={text[:40]}: not a value this setting takes")
            continue
        values[shared[name]] = value
    found, drawn = [], set()
    for when, lands, figures in page.views.get(tab, []):
        if when is not None:
            try:
                if not when(values):
                    continue
            except KeyError:
                continue
        what = lands(values)
        if what:
            found.append(what)
            drawn |= figures
    if not problems and not found:
        problems.append("lands on nothing: no recording of these settings and no instant view (it would wait for Start)")
    elif found and moment.figure not in drawn:
        problems.append(f"figure {moment.figure!r}: what the moment lands on does not draw it (it draws "
                        f"{', '.join(sorted(drawn))})")
    return found, problems


def check(lecture: lectures.Lecture) -> Iterator[dict]:
    """One result per moment: where it goes, what it lands on, and its problems (an empty list: it can be opened)."""
    page, ids = _page()
    for m in lecture.moments:
        found, problems = lands_on(page, m)
        if m.figure not in ids:
            problems.append(f"figure {m.figure!r}: no element of the page has this id")
        yield {"moment": m.number, "section": m.section, "tab": m.tab, "figure": m.figure,
               "lands_on": ", ".join(found) or "-", "problems": problems}
