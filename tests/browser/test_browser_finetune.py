"""Fine-tuning Lab in headless Chromium: a tiny race to the end, a second race stopped midway (its table holds
only its own rows), the same in Vietnamese; screenshots."""

from __future__ import annotations


import pytest


def _fill(page, elem_id: str, value: str) -> None:
    box = page.locator(f"#{elem_id} input")
    box.fill(value)
    box.press("Tab")


def _two_strategies(page, drop: tuple[str, ...]) -> None:
    for name in drop:  # untick two of the four default strategies: the race stays tiny
        page.locator("#ft-strategies").get_by_text(name, exact=True).click()


@pytest.mark.browser
def test_race_then_a_stopped_race_and_screenshot(page, artifacts):
    page.locator("#tab-finetune-button").click()
    table = page.locator("#ft-table")
    assert "test accuracy %" in table.inner_text()  # headers before any run, not "1 2 3"
    page.locator("#ft-data").get_by_text("BBC News").click()
    _two_strategies(page, ("Freeze bottom k layers", "Full fine-tuning"))
    _fill(page, "ft-limit", "32")
    _fill(page, "ft-test-limit", "24")
    page.locator("#ft-start").click()
    status = page.locator("#ft-status")
    status.get_by_text("Done: 2 strategies").wait_for(timeout=240_000)
    page.locator("#ft-acc .js-plotly-plot").wait_for()
    assert "1,925" in table.inner_text() and "LoRA (peft)" in table.inner_text()
    page.screenshot(path=str(artifacts / "screenshots" / "finetune-race.png"), full_page=True)

    _fill(page, "ft-limit", "800")  # the second race: long enough to stop while LoRA trains
    page.locator("#ft-start").click()
    status.get_by_text("LoRA (peft), step").wait_for(timeout=240_000)
    page.locator("#ft-stop").click(force=True)  # the page redraws while it trains: skip the "stable" wait
    status.get_by_text("Stopped at LoRA (peft), step").wait_for(timeout=10_000)  # a canary; the budget: benchmark
    page.wait_for_timeout(1000)
    assert "Stopped at" in status.inner_text()  # never overwritten by a late frame
    assert table.inner_text().count("LoRA (peft)") == 0 and table.inner_text().count("Feature extraction") == 1
    page.screenshot(path=str(artifacts / "screenshots" / "finetune-stopped.png"), full_page=True)


@pytest.mark.browser
def test_vietnamese_start_stop_and_lesson(page, artifacts):
    page.locator("#tab-finetune-button").click()
    page.locator("#lang").get_by_text("Tiếng Việt").click()
    page.locator("#ft-start", has_text="Bắt đầu cuộc đua").wait_for()
    assert page.locator("#ft-strategies").get_by_text("Tinh chỉnh toàn bộ").count() == 1
    assert "độ chính xác kiểm tra %" in page.locator("#ft-table").inner_text()
    page.locator("#ft-data").get_by_text("BBC News").click()
    _fill(page, "ft-limit", "400")
    page.locator("#ft-start").click()
    status = page.locator("#ft-status")
    status.get_by_text("bước").wait_for(timeout=240_000)
    page.locator("#ft-stop").click(force=True)
    status.get_by_text("Đã dừng tại").wait_for(timeout=5_000)
    page.locator("#tab-finetune .lesson").get_by_text("Bài học").click()
    page.get_by_text("Học chuyển giao (transfer learning)").wait_for()
    page.screenshot(path=str(artifacts / "screenshots" / "finetune-vi-stopped.png"), full_page=True)


@pytest.mark.browser
def test_size_sweep_draws_both_curves(page, artifacts):
    page.locator("#tab-finetune-button").click()
    page.locator("#ft-data").get_by_text("BBC News").click()
    _fill(page, "ft-test-limit", "24")
    page.locator("#ft-sweep-box").get_by_text("Training-set-size sweep").click()
    for size in ("200", "400"):  # keep 50 and 100 texts: a quick sweep
        page.locator("#ft-sweep-sizes").get_by_text(size, exact=True).click()
    seeds = page.locator("#ft-sweep-repeats input[type=number]")
    seeds.fill("2")  # two seeds per size: the spread, at a small cost
    seeds.press("Tab")
    page.locator("#ft-sweep-start").click()
    status = page.locator("#ft-sweep-status")
    status.get_by_text("Done: 8 points").wait_for(timeout=300_000)
    plot = page.locator("#ft-sweep-plot")
    plot.locator(".js-plotly-plot").wait_for()
    assert "Full fine-tuning" in plot.inner_text() and "From scratch" in plot.inner_text()
    plot.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "screenshots" / "finetune-sweep.png"), full_page=False)


@pytest.mark.browser
def test_the_tab_opens_on_its_recorded_race_and_sweep_in_the_page_language(page, artifacts):
    """Issue #25: the CPU default race and sweep are longer than a class should wait, so the tab opens on their
    recordings: the figures are there at once, and the status says they are recorded and that Start trains live."""
    import torch

    from playground import replay

    if torch.cuda.is_available() or not (replay.REPLAY_DIR / "ft_sweep-cpu_default.json.gz").exists():
        pytest.skip("the CPU recordings stand only for the CPU defaults")
    page.locator("#lang").get_by_text("Tiếng Việt").click()
    page.locator("#tab-finetune-button", has_text="Tinh chỉnh").wait_for()
    page.locator("#tab-finetune-button").click()
    status = page.locator("#ft-status")
    status.get_by_text("Lần chạy đã ghi với các thiết lập này").wait_for(timeout=30_000)
    assert "Bắt đầu để huấn luyện thật" in status.inner_text(), status.inner_text()
    table = page.locator("#ft-table").inner_text()
    for name in ("Trích xuất đặc trưng", "Tinh chỉnh toàn bộ", "LoRA (peft)"):
        assert name in table, table
    from playground.replay import recorders

    rec = recorders.load(replay.REPLAY_DIR / "ft-cpu_default.json.gz")
    for result in (f.result for f in rec.frames if f.result is not None):  # the recorded counts, as measured
        assert f"{result.trainable:,}" in table, (result.strategy, result.trainable, table)
    page.locator("#ft-acc .js-plotly-plot").wait_for()
    page.screenshot(path=str(artifacts / "screenshots" / "finetune-opened-vi.png"))
    page.locator("#ft-sweep-box").click()
    sweep = page.locator("#ft-sweep-status")
    sweep.get_by_text("Lần chạy đã ghi với các thiết lập này").wait_for(timeout=30_000)
    assert "24" in sweep.inner_text(), sweep.inner_text()  # 2 strategies x 4 sizes x 3 seeds
    plot = page.locator("#ft-sweep-plot .js-plotly-plot")
    plot.wait_for()
    assert "số văn bản huấn luyện" in page.locator("#ft-sweep-plot").inner_text().lower()
    plot.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "screenshots" / "finetune-sweep-opened-vi.png"))


@pytest.mark.browser
def test_a_link_to_the_tab_opens_on_the_recorded_race_too(page, app_url):
    """A link that opens the Fine-tuning tab fires no select event: the page load shows the recording instead, in
    the link's language; a link with other settings (400 texts) opens on nothing recorded."""
    import torch

    from playground import replay

    if torch.cuda.is_available() or not (replay.REPLAY_DIR / "ft-cpu_default.json.gz").exists():
        pytest.skip("the CPU recording stands only for the CPU default race")
    page.goto(f"{app_url}/?tab=finetune&lang=vi")
    page.locator("#ft-status").get_by_text("Lần chạy đã ghi với các thiết lập này").wait_for(timeout=30_000)
    page.locator("#ft-table").get_by_text("LoRA (peft)").first.wait_for(timeout=10_000)  # the recorded rows
    page.locator("#tab-vision-button").click()  # away and back: a second opening changes nothing
    page.locator("#tab-finetune-button").click()
    page.wait_for_timeout(1500)
    assert "Lần chạy đã ghi với các thiết lập này" in page.locator("#ft-status").inner_text()
    assert "LoRA (peft)" in page.locator("#ft-table").inner_text()
    page.goto(f"{app_url}/?tab=finetune&lang=en&finetune.limit=400")
    page.locator("#ft-limit input").wait_for()
    page.wait_for_function("() => document.querySelector('#ft-limit input').value === '400'")
    page.wait_for_timeout(1500)  # the load's opener has answered by now (it runs right after the restore)
    assert "recorded run" not in page.locator("#ft-status").inner_text()
    assert "LoRA (peft)" not in page.locator("#ft-table").inner_text()
