"""Fine-tuning Lab in headless Chromium: run a tiny race, watch it finish, screenshot."""

from __future__ import annotations

import pytest


def _fill(page, elem_id: str, value: str) -> None:
    box = page.locator(f"#{elem_id} input")
    box.fill(value)
    box.press("Tab")


@pytest.mark.browser
def test_tiny_race_and_screenshot(page, artifacts):
    page.get_by_role("tab", name="Fine-tuning Lab").click()
    page.locator("#ft-data").get_by_text("BBC News").click()
    _fill(page, "ft-limit", "40")
    _fill(page, "ft-test-limit", "24")
    page.locator("#ft-start").click()
    status = page.locator("#ft-status")
    status.get_by_text("Race finished").wait_for(timeout=240_000)
    assert "4 strategies" in status.inner_text()
    page.locator("#ft-loss .js-plotly-plot").wait_for()
    page.locator("#ft-params .js-plotly-plot").wait_for()
    table = page.locator("#ft-table")
    for name in ("Feature extraction (head only)", "Freeze bottom k layers", "Full fine-tuning", "LoRA (peft)"):
        assert table.get_by_text(name).count() >= 1, name
    assert "1,925" in table.inner_text()
    page.screenshot(path=str(artifacts / "screenshots" / "finetune-race.png"), full_page=True)
