"""GAN Lab in headless Chromium: train briefly, pause, resume, stop, screenshot."""

from __future__ import annotations

import pytest


@pytest.mark.browser
def test_train_briefly_and_screenshot(page, artifacts):
    page.locator("#tab-gan-button").click()
    steps = page.locator("#gan-steps input")
    steps.fill("100000")  # far more than the test lets it run
    steps.press("Tab")
    page.locator("#gan-start").click()
    status = page.locator("#gan-status")
    status.get_by_text("Training").wait_for()
    page.locator("#gan-plane .js-plotly-plot").wait_for()
    page.wait_for_timeout(1500)
    page.locator("#gan-pause").click(force=True)  # the page redraws 3x a second: skip the "stable" wait
    status.get_by_text("Paused").wait_for()
    paused_at = status.inner_text()
    page.wait_for_timeout(1000)
    assert status.inner_text() == paused_at, "no step may run while paused"
    page.locator("#gan-pause").click(force=True)  # the page redraws 3x a second: skip the "stable" wait  # resume
    status.get_by_text("Training").wait_for()
    page.wait_for_timeout(4000)
    page.locator("#gan-stop").click(force=True)
    status.get_by_text("Stopped").wait_for()
    stopped_at = status.inner_text()
    page.wait_for_timeout(1000)
    assert status.inner_text() == stopped_at
    assert "Modes covered" in page.locator("#gan-coverage").inner_text()
    page.locator("#gan-plane").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "screenshots" / "gan-ring8.png"), full_page=True)
