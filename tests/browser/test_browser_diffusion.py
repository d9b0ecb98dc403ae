"""Diffusion Lab in headless Chromium, as a student sees it: a replay in Vietnamese (the coverage and the figures'
titles in Vietnamese), the time slider scrubbing from the samples back to noise, a short live run measured against
its sampling steps, and the digits grid redrawn when the guidance changes."""

from __future__ import annotations

import pytest

from tests.browser.see import figure, percent, traces


def _slider_to(page, elem_id: str, value) -> None:
    box = page.locator(f"#{elem_id} input[type=number]")
    box.fill(str(value))
    box.press("Enter")


@pytest.mark.browser
def test_a_replay_in_vietnamese_and_the_time_slider(module_page, app_url, artifacts):
    page = module_page
    page.goto(f"{app_url}/?tab=diffusion&lang=vi")
    page.wait_for_function("() => !document.documentElement.classList.contains('lang-pending')")
    page.locator("#diffusion-replay").click()
    page.locator("#diffusion-status").get_by_text("Hết phần").wait_for(timeout=90_000)
    coverage = page.locator("#diffusion-coverage").inner_text()
    assert "Số chế độ được phủ: 8 / 8" in coverage and "50 bước = 50 lần gọi mạng" in coverage
    assert percent(coverage) >= 80  # the recorded default run: >= 80% high-quality samples
    reverse = figure(page, "#diffusion-reverse")
    assert reverse["title"].startswith("Quá trình ngược, t = 0.00 · bước 4000")
    samples = next(tr for tr in reverse["traces"] if tr["name"] == "mẫu")
    assert samples["n"] == 1000
    _slider_to(page, "diffusion-t", 1)
    page.wait_for_function("() => document.querySelector('#diffusion-reverse .gtitle')?.textContent.includes('t = 1.00')")
    page.wait_for_function("() => document.querySelector('#diffusion-forward .gtitle')?.textContent.includes('t = 1.00')")
    assert "dữ liệu làm nhiễu" in figure(page, "#diffusion-forward")["title"]
    page.screenshot(path=str(artifacts / "screenshots" / "diffusion-replay-vi.png"), full_page=True)
    # a switch to English relabels the finished replay, the planes (still at t = 1) and the digits' readout
    page.locator("#lang").get_by_text("English").click()
    page.locator("#diffusion-coverage").get_by_text("Modes covered: 8 / 8").wait_for(timeout=60_000)
    page.wait_for_function("() => document.querySelector('#diffusion-reverse .gtitle')?.textContent"
                           ".startsWith('Reverse process, t = 1.00')", timeout=30_000)
    page.locator("#diffusion-digits-readout").get_by_text("The classifier reads").wait_for(timeout=60_000)
    assert "Số chế độ" not in page.locator("#diffusion-coverage").inner_text()


@pytest.mark.browser
def test_a_live_run_then_quality_against_steps(page, artifacts):
    page.locator("#tab-diffusion-button").click()
    steps = page.locator("#diffusion-steps input")
    steps.fill("400")
    steps.press("Tab")
    page.locator("#diffusion-start").click()
    page.locator("#diffusion-status").get_by_text("Done: step 400").wait_for(timeout=120_000)
    names = [tr["name"] for tr in traces(page, "#diffusion-reverse")]
    assert names == ["real", "field", "paths", "samples"]  # the learned field is drawn for a live model
    page.locator("#diffusion-quality-btn").click()
    page.locator("#diffusion-quality-note").get_by_text("ms per sample").wait_for(timeout=120_000)
    hq = traces(page, "#diffusion-quality")[0]
    assert hq["x"] == [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] and all(0 <= y <= 1 for y in hq["y"])
    assert "Measured on the model at step 400" in page.locator("#diffusion-quality-note").inner_text()


@pytest.mark.browser
def test_digits_follow_the_guidance_slider(page, artifacts):
    page.locator("#tab-diffusion-button").click()
    readout = page.locator("#diffusion-digits-readout")
    readout.get_by_text("guidance 3, 50 steps").wait_for(timeout=120_000)  # drawn when the tab opens
    guided = percent(readout.inner_text())
    strip = page.locator("#diffusion-digits-strip img")
    strip.scroll_into_view_if_needed()  # a lazy image loads once it is near the viewport
    page.wait_for_function("() => document.querySelector('#diffusion-digits-strip img')?.naturalWidth > 0")
    assert strip.evaluate("e => e.naturalWidth > 5 * e.naturalHeight")  # x_T ... x_0 side by side
    _slider_to(page, "diffusion-guidance", 0)
    readout.get_by_text("guidance 0, 50 steps").wait_for(timeout=60_000)
    unguided = percent(readout.inner_text())
    assert guided > unguided, (guided, unguided)  # the classifier reads the asked-for digit more often with guidance
    assert "3,200 network evaluations" in readout.inner_text()  # unguided: one evaluation a step, not two
    page.locator("#diffusion-digits").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "screenshots" / "diffusion-digits.png"), full_page=True)


@pytest.mark.browser
def test_a_link_sets_the_lab_up(module_page, app_url):
    page = module_page
    page.goto(f"{app_url}/?tab=diffusion&diffusion.objective=flow&diffusion.sampler=euler&diffusion.sample_steps=20")
    page.locator("#diffusion-objective input[value=flow]").wait_for(state="attached")
    page.wait_for_function("() => document.querySelector('#diffusion-objective input[value=flow]').checked")
    assert page.locator("#diffusion-sampler input[value=euler]").is_checked()
    assert page.locator("#diffusion-sample-steps input[type=number]").input_value() == "20"
    assert page.locator("#diffusion-preset input").input_value() == "Custom (changed)"  # not the flow preset (batch 512)
