"""Results from other settings say so (tabs/harness/stale.py), in the GAN Lab and the Fine-tuning Lab: a figure drawn
by a (replayed) run gets a note once a setting differs, naming it, and loses it when the settings match again."""

from __future__ import annotations

import pytest

from playground import replay

pytestmark = pytest.mark.browser


def _choose(page, dropdown: str, text: str) -> None:
    page.locator(f"{dropdown} input").click()
    page.locator("ul[role=listbox] li").get_by_text(text).first.click()


def _replay_instantly(page, prefix: str) -> None:
    _choose(page, f"#{prefix}-replay-speed", "at once")
    page.wait_for_function(f"() => !document.querySelector('#{prefix}-replay').disabled")
    page.locator(f"#{prefix}-replay").click()
    page.locator(f"#{prefix}-status").get_by_text("End of the").wait_for(timeout=120_000)


@pytest.mark.skipif(not (replay.REPLAY_DIR / "gan-digits.json.gz").exists(), reason="no GAN recordings")
def test_gan_digit_grid_is_marked_after_choosing_the_ring(page, artifacts):
    page.locator("#tab-gan-button").click()
    page.locator("#gan-plane .js-plotly-plot").wait_for()
    _choose(page, "#gan-preset", "8×8")
    page.wait_for_function("() => document.querySelector('#gan-data input')?.value.includes('8×8')")
    _replay_instantly(page, "gan")
    page.locator("#gan-image img").wait_for()
    note = page.locator("#gan-result-stale")
    assert not note.is_visible(), "the grid matches the settings on screen"
    _choose(page, "#gan-preset", "Default")
    note.wait_for(state="visible")
    text = note.inner_text()
    assert "From the previous settings" in text and "scikit-learn digits 8×8 → Ring of 8 Gaussians" in text  # the choices by their labels and "Start" in text, text
    page.locator("#gan-result-stale").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "screenshots" / "gan-stale-note.png"))
    page.locator("#lang").get_by_text("Tiếng Việt").click()
    page.locator("#gan-result-stale", has_text="Kết quả của thiết lập trước").wait_for()
    _choose(page, "#gan-preset", "8×8")  # the grid's own settings again: no note
    note.wait_for(state="hidden")


@pytest.mark.skipif(not (replay.REPLAY_DIR / "ft-cpu_default.json.gz").exists(), reason="no fine-tuning recording")
def test_finetune_results_are_marked_when_a_setting_changes(page, artifacts):
    page.locator("#tab-finetune-button").click()
    _replay_instantly(page, "ft")
    # a replay is filmed: its slides can be exported (the button was off after a replay)
    page.wait_for_function("() => !document.querySelector('#ft-film').disabled")
    note = page.locator("#ft-result-stale")
    assert not note.is_visible()
    box = page.locator("#ft-epochs input")
    box.fill("2")
    box.press("Tab")
    note.wait_for(state="visible")
    assert "1 → 2" in note.inner_text() and "Start the race" in note.inner_text(), note.inner_text()
    page.locator("#ft-xaxis").get_by_text("seconds").click()  # a redraw, not another race
    box.fill("1")
    box.press("Tab")
    note.wait_for(state="hidden")
