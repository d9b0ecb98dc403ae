"""Generative vs Discriminative in headless Chromium: run the comparison (with outliers), pause and stop,
the size sweep and a small synthetic-data experiment; screenshots to look at."""

from __future__ import annotations

import pytest


def _fill(page, elem_id: str, value) -> None:
    box = page.locator(f"#{elem_id} input").first
    box.fill(str(value))
    box.press("Tab")


@pytest.mark.browser
def test_comparison_pause_stop_and_outliers(page, artifacts):
    page.locator("#tab-genvsdisc-button").click()
    page.get_by_text("More settings").first.click()  # the accordion with the number of updates
    _fill(page, "gvd-steps", 20000)  # far more than the test lets it run
    page.locator("#gvd-start").click()
    status = page.locator("#gvd-status")
    status.get_by_text("Training").wait_for()
    page.locator("#gvd-pause").click(force=True, no_wait_after=True)
    status.get_by_text("Paused").wait_for()
    paused_at = status.inner_text()
    page.wait_for_timeout(1000)
    assert status.inner_text() == paused_at, "nothing may train while paused"
    page.locator("#gvd-stop").click(force=True)
    status.get_by_text("Stopped").wait_for()
    page.locator("#gvd-plane .js-plotly-plot").wait_for()

    page.locator("#gvd-data").get_by_text("Gaussian blobs").click()
    _fill(page, "gvd-steps", 400)
    slider = page.locator("#gvd-outliers input[type=number]")
    slider.fill("15")
    slider.press("Tab")
    page.locator("#gvd-start").click()
    status.get_by_text("✓ Done").wait_for(timeout=120_000)
    assert "Plane flipped by outliers" in page.locator("#gvd-metrics").inner_text()
    page.locator("#gvd-plane").scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    page.locator("#gvd-plane").screenshot(path=str(artifacts / "screenshots" / "genvsdisc-plane-outliers.png"))
    page.locator("#gvd-density").screenshot(path=str(artifacts / "screenshots" / "genvsdisc-density.png"))
    page.locator("#gvd-metrics").screenshot(path=str(artifacts / "screenshots" / "genvsdisc-metrics.png"))


@pytest.mark.browser
def test_sweep_and_synthetic_data(page, artifacts):
    page.locator("#tab-genvsdisc-button").click()
    page.locator("#gvd-data").get_by_text("Circles").click()
    page.get_by_text("More settings").first.click()
    _fill(page, "gvd-steps", 150)
    _fill(page, "gvd-sweep-max", 32)
    _fill(page, "gvd-sweep-repeats", 3)
    page.locator("#gvd-sweep-start").click()
    page.locator("#gvd-sweep-status").get_by_text("✓ Done").wait_for(timeout=180_000)
    page.locator("#gvd-sweep-plot").scroll_into_view_if_needed()
    page.locator("#gvd-sweep-plot").screenshot(path=str(artifacts / "screenshots" / "genvsdisc-sweep.png"))

    page.locator("#aug-data").get_by_text("scikit-learn").click()
    _fill(page, "aug-repeats", 2)
    page.get_by_text("More settings").nth(1).click()
    _fill(page, "aug-gan-steps", 300)
    _fill(page, "aug-vae-steps", 300)
    page.locator("#aug-start").click()
    page.locator("#aug-status").get_by_text("✓ Done").wait_for(timeout=300_000)
    page.screenshot(path=str(artifacts / "screenshots" / "genvsdisc-augment.png"), full_page=True)
    assert "N = 5" in page.locator("#aug-verdict").inner_text(), page.locator("#aug-status").inner_text()
    page.locator("#aug-plot").scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    page.screenshot(path=str(artifacts / "screenshots" / "genvsdisc-augment.png"), full_page=True)
