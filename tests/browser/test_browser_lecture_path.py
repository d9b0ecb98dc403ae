"""The lecture path in a real browser at a projector's 1024x768, in presenter mode (issue 23): the shipped lecture
walks the whole outline in both languages, each moment's figure drawn and on screen under the bar, its texts and its
text alternative in the page's language; the presenter's keys; a link that draws its figure at once.
Screenshots: artifacts/screenshots/lecture-path-<lang>-<n>.png (look at them)."""

from __future__ import annotations

import re

import pytest

import tabs
from playground import lecture as lectures
from tabs.harness.i18n import STRINGS
from tests.browser import see

tabs.discover()
pytestmark = pytest.mark.browser
VIETNAMESE = re.compile("[ăâđêôơưàáãèéìíòóõùúýĩũ\u1ea0-\u1ef9]", re.IGNORECASE)  # its letters, tones included
SLOW = 120_000  # ms: a moment's first figure may load a model (SmolLM2, EfficientNet) on a shared 2-core machine
DRAWN = """fig => { const el = document.getElementById(fig);
  return !!el && el.offsetParent !== null && !!el.querySelector('.js-plotly-plot .main-svg, img[src]'); }"""
ON_SCREEN = """fig => { const el = document.getElementById(fig), bar = document.getElementById('lecture-bar');
  if (!el || !bar) return false;
  const box = el.getBoundingClientRect(), under = bar.getBoundingClientRect().bottom;
  return box.top >= under - 2 && box.bottom <= window.innerHeight + 2; }"""


# the GAN's status as a reader sees it (Gradio may put a timer, "0.3s", before it)
STATUS = "document.querySelector('#gan-status').innerText.replace(/^\\s*[\\d.]+s\\s*/, '').trim()"


def _projector(page) -> None:
    page.set_viewport_size({"width": 1024, "height": 768})


def _language_of(texts: list[str], lang: str) -> list[str]:
    """The texts that are not in ``lang`` (Vietnamese ones carry its letters; English ones none of them)."""
    if lang == "vi":
        words = " ".join(texts)
        return [] if not words.strip() or VIETNAMESE.search(words) else texts
    return [t for t in texts if VIETNAMESE.search(t)]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_shipped_lecture_walks_the_outline_each_figure_on_the_first_screen(page, app_url, artifacts, lang):
    lecture = lectures.load(lectures.find("default"))
    _projector(page)
    page.goto(f"{app_url}/?lecture=default&moment=1&present=1&lang={lang}")
    problems = []
    for m in lecture.moments:
        says = page.locator("#lecture-says")
        page.wait_for_function("([sel, text]) => (document.querySelector(sel)?.innerText || '').includes(text)",
                               arg=["#lecture-says", m.says[lang][:40]], timeout=SLOW)
        assert f"{m.number} / {len(lecture.moments)}" in says.inner_text()
        page.wait_for_function(DRAWN, arg=m.figure, timeout=SLOW)
        try:  # the page brings the figure under the bar once its tab has settled
            page.wait_for_function(ON_SCREEN, arg=m.figure, timeout=15_000)
        except Exception:
            box = page.evaluate("f => { const r = document.getElementById(f).getBoundingClientRect(); "
                                "return [Math.round(r.top), Math.round(r.bottom)]; }", m.figure)
            problems.append(f"moment {m.number}: #{m.figure} is not on the first screen ({box})")
        tab = page.locator(f"[role=tablist] #tab-{m.tab}-button")  # the moment's tab is open, named in the language
        assert tab.get_attribute("aria-selected") == "true", f"moment {m.number}: {m.tab} is not the open tab"
        assert tab.inner_text().strip() == STRINGS[f"tab.{m.tab}"][lang]
        fig = see.figure(page, f"#{m.figure}")
        if fig is not None:  # a plotly figure: its texts, and its text alternative, speak the page's language
            texts = [fig["title"], fig["xaxis"], fig["yaxis"]] + [t["name"] for t in fig["traces"] if t["name"]]
            wrong = _language_of([t for t in texts if t], lang)
            if wrong:
                problems.append(f"moment {m.number}: #{m.figure} not in {lang}: {wrong[:3]}")
            alt = page.evaluate("f => document.querySelector('#' + f + ' .js-plotly-plot')?.getAttribute('aria-label')",
                                m.figure)
            if not alt:
                problems.append(f"moment {m.number}: #{m.figure} has no text alternative")
            elif _language_of([alt], lang):
                problems.append(f"moment {m.number}: #{m.figure}'s text alternative is not in {lang}: {alt[:80]}")
        page.screenshot(path=str(artifacts / "screenshots" / f"lecture-path-{lang}-{m.number:02d}.png"))
        if m.number < len(lecture.moments):
            page.keyboard.press("n")  # presenter mode's key for Next
    assert problems == []
    assert "moment=" + str(len(lecture.moments)) in page.url and f"lang={lang}" in page.url
    page.keyboard.press("p")
    page.wait_for_function("([sel, text]) => (document.querySelector(sel)?.innerText || '').includes(text)",
                           arg=["#lecture-says", lecture.moments[-2].says[lang][:40]], timeout=SLOW)


def test_the_presenters_keys_drive_the_run_on_screen_and_never_a_text_field(page, app_url, artifacts):
    _projector(page)
    page.goto(f"{app_url}/?present=1&lang=vi&tab=gan")
    page.wait_for_selector("#gan-start")
    status = page.locator("#gan-status")
    status.get_by_text("Lần chạy đã ghi").wait_for(timeout=SLOW)  # the link landed on the default's recording
    page.keyboard.press("?")
    legend = page.locator("#keys-legend")
    legend.wait_for()
    assert "Phím tắt khi trình chiếu" in legend.inner_text() and "Bắt đầu" in legend.inner_text()
    page.screenshot(path=str(artifacts / "screenshots" / "lecture-keys-legend-vi.png"))
    page.keyboard.press("?")
    legend.wait_for(state="detached")
    page.keyboard.press(" ")  # Start
    page.wait_for_function(f"() => ({STATUS}).startsWith('▶')", timeout=SLOW)
    page.keyboard.press(" ")  # Pause
    page.wait_for_function(f"() => ({STATUS}).startsWith('‖')", timeout=SLOW)
    before = page.evaluate(f"() => {STATUS}")
    page.keyboard.press("ArrowRight")  # Step +1
    page.wait_for_function(f"b => ({STATUS}) !== b", arg=before, timeout=SLOW)
    assert page.evaluate(f"() => {STATUS}").startswith("‖")
    seed = page.locator("#gan-seed input").first  # typing into a field is typing, not a key
    seed.click()
    page.keyboard.press("s")
    page.wait_for_timeout(800)
    assert page.evaluate(f"() => {STATUS}").startswith("‖")
    page.locator("#gan-status").click()
    page.keyboard.press("s")  # Stop
    page.wait_for_function(f"() => ({STATUS}).startsWith('■')", timeout=SLOW)
    page.keyboard.press("r")  # Replay the recording of these settings
    page.wait_for_function(f"() => /^[▷✓]/.test({STATUS})", timeout=SLOW)
    page.keyboard.press("4")  # the fourth tab
    page.wait_for_function("() => document.querySelector('#tab-vae-button')?.getAttribute('aria-selected') === 'true'",
                           timeout=30_000)
    page.keyboard.press("8")  # the eighth
    page.wait_for_selector("#vis-race-start", state="visible", timeout=30_000)
    page.keyboard.press("9")  # the ninth: the lecture
    page.wait_for_selector("#lec-begin", state="visible", timeout=30_000)
    first = lectures.load(lectures.find("default")).moment(1).says["vi"]
    page.wait_for_function("says => (document.querySelector('#lec-moment input')?.value || '').startsWith(says)",
                           arg="1. " + first[:40], timeout=30_000)  # the picker speaks the page's language too
    page.locator("#present input").uncheck()  # outside presenter mode the keys are the browser's
    page.wait_for_function("() => !document.documentElement.classList.contains('present')")
    page.keyboard.press("?")
    page.wait_for_timeout(500)
    assert page.locator("#keys-legend").count() == 0


def test_a_link_draws_its_figure_at_once(page, app_url):
    _projector(page)
    page.goto(f"{app_url}/?tab=attention&lang=vi")  # no Run pressed: the link's sentence is drawn
    page.wait_for_function(DRAWN, arg="attn-heatmap", timeout=SLOW)
    fig = see.figure(page, "#attn-heatmap")
    assert [tr for tr in fig["traces"] if tr["type"] == "heatmap"], fig
    assert VIETNAMESE.search(fig["title"]), fig["title"]  # drawn in the link's language
    page.goto(f"{app_url}/?tab=gan&gan.preset=mode_collapse")
    page.locator("#gan-status").get_by_text("Recorded run").wait_for(timeout=SLOW)
    assert "of these settings" in page.locator("#gan-status").inner_text()
    coverage = page.locator("#gan-coverage")
    coverage.get_by_text("Modes covered").wait_for(timeout=SLOW)
    covered = re.search(r"Modes covered: (\d+) / 8", coverage.inner_text())
    assert covered and int(covered.group(1)) < 8, coverage.inner_text()  # the collapse's recording, not the default's
    page.goto(f"{app_url}/?tab=vision&vision.sample=cat")
    page.wait_for_function(DRAWN, arg="vis-top5", timeout=SLOW)
    page.wait_for_function("() => (document.querySelector('#vis-top5 .js-plotly-plot')?.getAttribute('aria-label')"
                           " || '').toLowerCase().includes('cat')", timeout=SLOW)
