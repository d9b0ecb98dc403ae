"""Draw your own data in headless Chromium: points clicked and a stroke dragged on the GAN Lab's canvas are counted,
Start trains on them (the plane's real points are the drawing's), the link carries the drawing and restores it, in
both languages; Gen vs disc classifies a starter's colours. Screenshots: artifacts/screenshots/drawn-*.png."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest

import tabs
from playground.data import drawn, toy2d
from tabs.harness.i18n import STRINGS

tabs.discover()  # every tab's strings join the table

pytestmark = pytest.mark.browser
LONG = 180_000  # ms: a first run loads the GAN's code on a shared 2-core machine


def _pick_drawn(page, prefix: str, lang: str = "en") -> None:
    label = STRINGS["drawn.choice"][lang]
    if prefix == "gan":
        page.locator("#gan-data input").click()
        page.get_by_role("option", name=label).click()
    else:
        page.locator(f"#{prefix}-data").get_by_text(label).click()
    page.locator(f"#{prefix}-canvas canvas").wait_for()


def _at(box: dict, x: float, y: float) -> tuple[float, float]:
    """The page position of plane point (x, y) on a canvas's bounding box."""
    e = toy2d.EXTENT
    return box["x"] + (x + e) / (2 * e) * box["width"], box["y"] + (e - y) / (2 * e) * box["height"]


def _count(page, prefix: str) -> str:
    return page.locator(f"#{prefix}-canvas .drawn-count").inner_text()


def test_clicked_points_train_the_gan_and_travel_in_the_link(page, browser, app_url, artifacts):
    page.locator("#tab-gan-button").click()
    _pick_drawn(page, "gan")
    assert _count(page, "gan") == "0 points (max 200)"
    canvas = page.locator("#gan-canvas canvas")
    box = canvas.bounding_box()
    for x, y in [(-1.5, 1.0), (-1.3, 1.2), (-1.1, 0.9), (-1.4, 0.8)]:  # four clicks, blue, upper left
        page.mouse.click(*_at(box, x, y))
    page.locator("#gan-canvas .drawn-swatch").nth(1).click()  # orange: a stroke along the bottom
    page.mouse.move(*_at(box, 0.0, -1.5))
    page.mouse.down()
    for i in range(1, 9):
        page.mouse.move(*_at(box, 0.15 * i, -1.5))
    page.mouse.up()
    page.wait_for_function("() => /^1[0-4] points/.test(document.querySelector('#gan-canvas .drawn-count').innerText)")
    n = int(_count(page, "gan").split()[0])
    assert 10 <= n <= 14  # 4 clicks + a stroke of about 8 (a point every 0.12 of the plane)
    page.locator("#gan-canvas .drawn-undo").click()  # drops the whole stroke
    page.wait_for_function("() => document.querySelector('#gan-canvas .drawn-count').innerText.startsWith('4 ')")
    page.mouse.click(*_at(box, 1.5, -1.5))  # orange again: one point, lower right
    page.wait_for_function("() => document.querySelector('#gan-canvas .drawn-count').innerText.startsWith('5 ')")
    assert "Custom" in page.locator("#gan-preset input").input_value()
    page.wait_for_function("() => document.querySelector('#gan-replay-note')?.innerText.includes('Replay is off')")
    steps = page.locator("#gan-steps input")
    steps.fill("150")
    steps.press("Tab")
    page.locator("#gan-start").click()
    page.locator("#gan-status").get_by_text("Done").wait_for(timeout=LONG)
    assert "drawn point" in page.locator("#gan-coverage").inner_text()
    real = page.evaluate("() => { const d = document.querySelector('#gan-plane .js-plotly-plot').data[1];"
                         " return d.x.map((x, i) => [x, d.y[i]]); }")
    near = lambda cx, cy: sum(abs(x - cx) < 0.5 and abs(y - cy) < 0.5 for x, y in real)  # noqa: E731
    assert near(-1.3, 1.0) > 0.6 * len(real) and near(1.5, -1.5) > 0.1 * len(real)  # 4 of 5 points, 1 of 5
    assert near(0.6, -1.5) == 0  # the undone stroke is not in the data
    page.locator("#gan-canvas").screenshot(path=str(artifacts / "screenshots" / "drawn-gan-canvas.png"))
    page.locator("#gan-link").click()
    box_text = page.locator("#gan-link-box textarea")
    page.wait_for_function("() => document.querySelector('#gan-link-box textarea').value.includes('gan.data=d1.')")
    link = box_text.input_value()
    code = parse_qs(urlparse(link).query)["gan.data"][0]
    points, labels = drawn.decode(code)
    assert len(points) == 5 and labels.tolist() == [0, 0, 0, 0, 1]

    other = browser.new_page(viewport={"width": 1400, "height": 1000})  # a student opens the link, in Vietnamese
    try:
        other.set_default_timeout(60_000)
        other.goto(link + "&lang=vi")
        other.wait_for_selector("#tabs")
        other.locator("#gan-canvas canvas").wait_for()
        other.wait_for_function("() => document.querySelector('#gan-canvas .drawn')?.dataset.points === '5'")
        other.wait_for_function("() => document.querySelector('#gan-canvas .drawn-count').innerText.includes('điểm')")
        assert _count(other, "gan") == "5 điểm (tối đa 200)"
        assert other.locator("#gan-data input").input_value() == STRINGS["drawn.choice"]["vi"]
        assert other.locator("#gan-canvas .drawn-undo").inner_text() == STRINGS["drawn.undo"]["vi"]
        assert other.locator("#gan-canvas .drawn-clear").inner_text() == STRINGS["drawn.clear"]["vi"]
        other.locator("#gan-canvas").screenshot(path=str(artifacts / "screenshots" / "drawn-gan-canvas-vi.png"))
        other.locator("#gan-canvas .drawn-clear").click()  # cleared: Start says so, in Vietnamese
        other.wait_for_function("() => document.querySelector('#gan-canvas .drawn-count').innerText.startsWith('0 ')")
        other.locator("#gan-start").click()
        other.get_by_text(re.compile("Hãy vẽ ít nhất 3 điểm")).first.wait_for()
    finally:
        other.close()


def test_a_preset_hides_the_canvas_and_picking_a_built_in_set_brings_its_name_back(page):
    page.locator("#tab-gan-button").click()
    _pick_drawn(page, "gan")
    page.mouse.click(*_at(page.locator("#gan-canvas canvas").bounding_box(), 0.5, 0.5))
    page.wait_for_function("() => document.querySelector('#gan-canvas .drawn-count').innerText.startsWith('1 ')")
    page.locator("#gan-preset input").click()
    page.get_by_role("option", name=re.compile("^Mode collapse")).click()
    page.locator("#gan-canvas").wait_for(state="hidden")
    assert page.locator("#gan-data input").input_value() == STRINGS["gan.data.ring8"]["en"]
    _pick_drawn(page, "gan")  # the drawing is still there
    page.wait_for_function("() => document.querySelector('#gan-canvas .drawn')?.dataset.points === '1'")


def test_gen_vs_disc_classifies_a_starter_s_colours(page, artifacts):
    page.get_by_role("tab", name=STRINGS["tab.genvsdisc"]["en"], exact=True).click()
    _pick_drawn(page, "gvd")
    page.locator("#gvd-canvas .drawn-starter").select_option(label=STRINGS["drawn.starter.smiley"]["en"])
    page.wait_for_function("() => document.querySelector('#gvd-canvas .drawn')?.dataset.points === '60'")
    page.locator("#gvd-start").click()
    page.locator("#gvd-status").get_by_text("Done").wait_for(timeout=LONG)
    assert "LDA" in page.locator("#gvd-metrics").inner_text()
    page.wait_for_function("() => document.querySelector('#gvd-plane .js-plotly-plot')?.data?.length > 0")
    colours = page.evaluate("() => [...new Set(document.querySelector('#gvd-plane .js-plotly-plot').data"
                            ".filter(t => t.type === 'scatter' && t.marker).map(t => t.marker.color).flat())]")
    assert {"#3b82f6", "#f97316", "#22c55e"} <= set(colours)  # three classes: the smiley's face, eyes and mouth
    page.locator("#gvd-canvas").screenshot(path=str(artifacts / "screenshots" / "drawn-gvd-canvas.png"))
