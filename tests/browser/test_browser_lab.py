"""Transformer Lab and the generation panel in headless Chromium: train each experiment briefly, screenshot."""

from __future__ import annotations

import pytest

LONG = 240_000  # ms: training on a shared 2-core machine can be slow


def _set(page, selector: str, value: str) -> None:
    box = page.locator(f"{selector} input, {selector} textarea").first
    box.fill(value)
    box.press("Tab")


def _train(page, name: str, steps: str) -> None:
    _set(page, f"#lab-{name}-steps", steps)
    page.locator(f"#lab-{name}-start").click()
    page.locator(f"#lab-{name}-status").get_by_text("Done").wait_for(timeout=LONG)


def _shot(page, artifacts, name: str) -> None:
    page.wait_for_timeout(800)
    page.screenshot(path=str(artifacts / "screenshots" / f"lab-{name}.png"), full_page=True)


@pytest.mark.browser
def test_seq2seq_trains_and_shows_cross_attention(page, artifacts):
    page.get_by_role("tab", name="Transformer Lab").click()
    _train(page, "s2s", "500")
    page.locator("#lab-s2s-curves .js-plotly-plot").wait_for()
    page.locator("#lab-s2s-ask").click()
    page.locator("#lab-s2s-answer").get_by_text("Output").wait_for()
    page.locator("#lab-s2s-cross .js-plotly-plot").wait_for()
    page.locator("#lab-s2s-cross").scroll_into_view_if_needed()
    _shot(page, artifacts, "seq2seq")


@pytest.mark.browser
def test_ln_lstm_and_objectives(page, artifacts):
    page.get_by_role("tab", name="Transformer Lab").click()
    page.get_by_role("tab", name="2 · Pre-LN vs post-LN").click()
    _train(page, "ln", "60")
    assert "Loss at step 60" in page.locator("#lab-ln-summary").inner_text()
    _shot(page, artifacts, "ln")

    page.get_by_role("tab", name="3 · Transformer vs LSTM").click()
    _set(page, "#lab-lstm-lengths", "16, 64, 256")
    page.locator("#lab-lstm-time").click()
    page.locator("#lab-lstm-timing-note").get_by_text("At length 256").wait_for(timeout=LONG)
    _train(page, "lstm", "100")
    page.locator("#lab-lstm-by-d .js-plotly-plot").wait_for()
    _shot(page, artifacts, "lstm")

    page.get_by_role("tab", name="4 · BERT vs GPT objectives").click()
    _train(page, "obj", "300")
    page.locator("#lab-obj-go").click()
    page.locator("#lab-obj-result").get_by_text("Blank filled").wait_for()
    page.locator("#lab-obj-masks .js-plotly-plot").wait_for()
    _shot(page, artifacts, "objectives")


@pytest.mark.browser
def test_generation_panel_in_the_attention_explorer(page, artifacts):
    page.get_by_role("tab", name="Attention Explorer").click()
    page.locator("#gen-panel").get_by_text("Generate text step by step").click()
    page.locator("#gen-run").click()
    page.locator("#gen-attention .js-plotly-plot").wait_for(timeout=LONG)
    page.locator("#gen-text").get_by_text("tokens ·").wait_for(timeout=LONG)
    page.locator("#gen-panel").scroll_into_view_if_needed()
    _shot(page, artifacts, "generate")
