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


@pytest.mark.browser
def test_vietnamese_labels_and_lesson(page, artifacts):
    page.get_by_role("tab", name="Fine-tuning Lab").click()
    page.locator("#lang").get_by_text("Tiếng Việt").click()
    page.locator("#ft-start", has_text="Bắt đầu cuộc đua").wait_for()
    assert page.locator("#ft-strategies").get_by_text("Tinh chỉnh toàn bộ").count() == 1
    page.get_by_role("tab", name="Phòng thí nghiệm Tinh chỉnh").wait_for()
    page.locator("#tab-finetune .lesson").get_by_text("Bài học").click()
    page.get_by_text("Học chuyển giao (transfer learning)").wait_for()
    page.screenshot(path=str(artifacts / "screenshots" / "finetune-vi-lesson.png"), full_page=False)
