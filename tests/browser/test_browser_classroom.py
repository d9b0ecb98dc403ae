"""Two students in headless Chromium press Start on the same GAN settings: the second follows the first one's run,
is told so in Vietnamese, and its Stop ends only its own view."""

from __future__ import annotations

import pytest


def _open(browser, app_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(f"{app_url}/?tab=gan&lang=vi")
    page.wait_for_selector("#tabs")
    page.locator("#gan-start").wait_for()
    steps = page.locator("#gan-steps input")
    steps.fill("100000")  # the same settings for both, far more than the test lets run
    steps.press("Tab")
    return context, page


@pytest.mark.browser
def test_a_second_student_follows_the_first_one_s_run_and_stops_only_their_view(browser, app_url, artifacts):
    first_ctx, first = _open(browser, app_url)
    second_ctx, second = _open(browser, app_url)
    try:
        first.locator("#gan-start").click()
        first.locator("#gan-status").get_by_text("Đang huấn luyện").wait_for()
        second.locator("#gan-start").click()
        status = second.locator("#gan-status")
        status.get_by_text("Đang theo dõi một lần chạy do phiên khác bắt đầu").wait_for()
        second.locator("#gan-plane .js-plotly-plot").wait_for()
        second.wait_for_timeout(1500)
        assert "Đang huấn luyện" in status.inner_text()  # the run's own status follows the notice
        assert "Đang theo dõi" not in first.locator("#gan-status").inner_text()  # the one who started it is not told
        second.screenshot(path=str(artifacts / "screenshots" / "classroom-following-vi.png"), full_page=False)
        second.locator("#gan-stop").click(force=True)
        status.get_by_text("bạn đã dừng theo dõi").wait_for()
        assert "Đã dừng" in status.inner_text()
        left_at = status.inner_text()
        first.wait_for_timeout(1500)
        assert "Đang huấn luyện" in first.locator("#gan-status").inner_text()  # the run goes on for the first
        assert status.inner_text() == left_at  # the view stays where it stopped
        second.screenshot(path=str(artifacts / "screenshots" / "classroom-left-vi.png"), full_page=False)
        first.locator("#gan-stop").click(force=True)
        first.locator("#gan-status").get_by_text("Đã dừng").wait_for()
    finally:
        first_ctx.close()
        second_ctx.close()


@pytest.mark.browser
def test_a_run_that_waits_for_a_slot_shows_its_place_in_line_then_trains(browser, app_url, artifacts, monkeypatch):
    from tabs.harness import runner
    from tabs.harness.scheduler import Scheduler

    monkeypatch.setattr(runner, "SCHEDULER", Scheduler(slots=1))  # the server runs in this process: one slot
    first_ctx, first = _open(browser, app_url)
    second_ctx, second = _open(browser, app_url)
    try:
        seed = second.locator("#gan-seed input")
        seed.fill("7")  # a run of its own, not the first one's
        seed.press("Tab")
        first.locator("#gan-start").click()
        first.locator("#gan-status").get_by_text("Đang huấn luyện").wait_for()
        second.locator("#gan-start").click()
        status = second.locator("#gan-status")
        status.get_by_text("Đang chờ lượt huấn luyện").wait_for()
        assert "thứ 1 trong hàng" in status.inner_text() and "1 lần chạy đang huấn luyện" in status.inner_text()
        second.screenshot(path=str(artifacts / "screenshots" / "classroom-in-line-vi.png"), full_page=False)
        first.locator("#gan-pause").click(force=True)  # a paused run gives its slot to the next in line
        first.locator("#gan-status").get_by_text("Đã tạm dừng").wait_for()
        status.get_by_text("Đang huấn luyện").wait_for()
        second.locator("#gan-stop").click(force=True)
        status.get_by_text("Đã dừng").wait_for()
    finally:
        first_ctx.close()
        second_ctx.close()
