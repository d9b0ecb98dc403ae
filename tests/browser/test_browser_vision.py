"""Vision tab in headless Chromium: a sample photo's predictions and Grad-CAM, a tiny race, the Vietnamese lesson."""

from __future__ import annotations

import pytest

from tests.browser.see import percent, traces


def _fill(page, elem_id: str, value: str) -> None:
    box = page.locator(f"#{elem_id} input")
    box.fill(value)
    box.press("Tab")


@pytest.mark.browser
def test_sample_photo_predictions_and_grad_cam(page, artifacts):
    page.locator("#tab-vision-button").click()
    page.locator("#vis-sample").get_by_text("Cat").click()
    page.locator("#vis-info").get_by_text("Egyptian cat").wait_for(timeout=120_000)
    page.locator("#vis-top5 .js-plotly-plot").wait_for()
    page.locator("#vis-cam img").wait_for()
    page.locator("#vis-maps img").wait_for()
    # five bars; the longest is the class the sentence names, at the probability it gives
    (bars,) = traces(page, "#vis-top5", "bar")
    assert bars["n"] == 5 and all(0 <= p <= 1 for p in bars["x"]), bars
    top = max(range(5), key=lambda i: bars["x"][i])
    info = page.locator("#vis-info").inner_text()
    assert "Egyptian cat" in bars["y"][top] and abs(100 * bars["x"][top] - percent(info)) < 0.051, (bars, info)
    assert sorted(bars["x"], reverse=True) == sorted(bars["x"], reverse=True)[:5] and sum(bars["x"]) <= 1.0001
    page.locator("#vis-stage").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "screenshots" / "vision-predict.png"), full_page=False)


@pytest.mark.browser
def test_tiny_race_and_screenshot(page, artifacts):
    page.locator("#tab-vision-button").click()
    _fill(page, "vis-per-class", "3")
    _fill(page, "vis-resolution", "32")
    page.locator("#vis-strategies").get_by_text("Full fine-tuning").click()  # untick: three strategies race
    page.get_by_text("Learning rate and epochs per strategy (0 = its default)").click()
    for name in ("from_scratch", "top_blocks"):
        _fill(page, f"vis-epochs-{name}", "1")
    page.locator("#vis-race-start").click()
    status = page.locator("#vis-race-status")
    status.get_by_text("3 of 3 strategies finished").wait_for(timeout=240_000)
    page.locator("#vis-loss .js-plotly-plot").wait_for()
    table = page.locator("#vis-table")
    for name in ("From scratch (random weights)", "Feature extraction (linear head)", "Fine-tune the top blocks"):
        assert table.get_by_text(name).count() >= 1, name
    assert "12,810" in table.inner_text()
    page.locator("#vis-race-start").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "screenshots" / "vision-race.png"), full_page=True)


@pytest.mark.browser
def test_vietnamese_labels_and_lesson(page, artifacts):
    page.locator("#tab-vision-button").click()
    page.locator("#lang").get_by_text("Tiếng Việt").click()
    page.locator("#tab-vision-button").wait_for()
    assert page.locator("#vis-strategies").get_by_text("Tinh chỉnh toàn bộ").count() == 1
    page.locator("#tab-vision .lesson").get_by_text("Bài học").click()
    page.get_by_text("Học chuyển giao (transfer learning)").first.wait_for()
    page.screenshot(path=str(artifacts / "screenshots" / "vision-vi-lesson.png"), full_page=False)


@pytest.mark.browser
def test_an_analysis_beside_a_changed_image_is_marked_until_analysed_again(page):
    """A stroke on the analysed photo: the note says the analysis is the earlier image's; "Analyse" clears it;
    clearing the editor clears the analysis too (issue 21, item 5)."""
    page.locator("#tab-vision-button").click()
    page.locator("#vis-sample").get_by_text("Cat", exact=True).click()
    page.locator("#vis-info").get_by_text("Egyptian cat").wait_for(timeout=120_000)
    note = page.locator("#vis-analysis-stale")
    assert not note.is_visible()
    page.locator("#vis-image button[aria-label=Brush]").click()
    box = page.locator("#vis-image canvas").first.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 60, y + 30, steps=8)
    page.mouse.up()
    note.get_by_text("From the previous settings: image 451×300").wait_for(timeout=30_000)
    page.locator("#vis-analyse").click()
    note.wait_for(state="hidden", timeout=60_000)
    page.locator("#vis-image button[aria-label='Clear canvas']").click()
    page.wait_for_function("() => !document.querySelector('#vis-info')?.innerText.trim()", timeout=30_000)
    assert not note.is_visible()
