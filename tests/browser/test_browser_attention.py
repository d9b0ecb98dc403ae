"""The Attention Explorer in a real browser: type, render, open a head from the grid, switch language."""

from __future__ import annotations

import pytest

from tests.browser.see import figure

pytestmark = pytest.mark.browser


def _run(page, text: str) -> None:
    box = page.locator("#attn-text textarea")
    box.fill(text)
    page.locator("#attn-run").click()
    page.wait_for_function(
        "t => document.querySelector('#attn-summary')?.innerText.includes(t)", arg="tokens", timeout=90_000)
    page.locator("#attn-heatmap .js-plotly-plot").wait_for(timeout=30_000)


def test_attention_tab_end_to_end(page, artifacts):
    page.locator("#tab-attention-button").click()
    _run(page, "Hôm nay trời đẹp quá 😀 the cat sat on the mat")
    summary = page.locator("#attn-summary").inner_text()
    assert "minilm" in summary and "encoder" in summary
    # the heatmap shows the Vietnamese token text, not wordpiece markers
    ticks = page.locator("#attn-heatmap .xtick text").all_text_contents()
    assert "Hô" in ticks or "Hôm" in ticks, ticks
    assert not any(t.startswith("##") for t in ticks)
    grid = page.locator("#attn-grid img")
    grid.wait_for()
    page.screenshot(path=str(artifacts / "screenshots" / "attention-encoder.png"), full_page=True)

    # click the tile of layer 2, head 3: the sliders follow and the big heatmap re-renders
    box = grid.bounding_box()
    natural = page.evaluate("() => { const i = document.querySelector('#attn-grid img'); return [i.naturalWidth, i.naturalHeight]; }")
    sx, sy = box["width"] / natural[0], box["height"] / natural[1]
    from tabs.attention.figures import GridGeometry

    x, y = GridGeometry(layers=6, heads=12, tile=48).origin(layer=2, head=3)
    grid.click(position={"x": (x + 24) * sx, "y": (y + 24) * sy})
    page.wait_for_function(
        "() => document.querySelector('#attn-heatmap .gtitle')?.textContent.includes('Layer 2, head 3')", timeout=30_000)

    # typing a layer number redraws too
    number = page.locator("#attn-layer input[type=number]")
    number.fill("4")
    number.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('#attn-heatmap .gtitle')?.textContent.includes('Layer 4, head 3')", timeout=30_000)

    # the decoder: the masked upper triangle is drawn, and next-token predictions appear
    page.locator("#attn-model input").fill("smollm2")
    page.keyboard.press("Enter")
    _run(page, "The capital of France is")
    page.wait_for_function("() => document.querySelector('#attn-side')?.innerText.includes('Paris')", timeout=30_000)
    page.screenshot(path=str(artifacts / "screenshots" / "attention-decoder.png"), full_page=True)

    # switch the interface to Vietnamese
    page.locator("#lang").get_by_text("Tiếng Việt").click()
    page.locator("#tab-attention-button").wait_for(timeout=15_000)
    page.locator("#attn-run").get_by_text("Xem attention").wait_for(timeout=15_000)
    # the figure already drawn speaks Vietnamese too, for the same layer and head
    page.wait_for_function(
        "() => document.querySelector('#attn-heatmap .gtitle')?.textContent.includes('Lớp 4, đầu 3')", timeout=30_000)
    assert "Layer" not in figure(page, "#attn-heatmap")["title"]
    page.screenshot(path=str(artifacts / "screenshots" / "attention-vi.png"), full_page=False)


def test_empty_text_shows_a_message_and_the_app_keeps_running(page):
    page.locator("#tab-attention-button").click()
    page.locator("#attn-text textarea").fill("   ")
    page.locator("#attn-run").click()
    page.get_by_text("The text is empty").first.wait_for(timeout=30_000)
    _run(page, "Still alive after an error")


def test_a_view_of_an_earlier_sentence_is_marked_after_the_text_changes(page):
    """Edit the sentence, then move the layer slider: the heatmap is still the run's (the grid's) sentence, and
    the note above it says so until "Show attention" runs the new one (issue 21, item 5). Before any run, the
    sliders span MiniLM's 6 layers and 12 heads (item 3)."""
    page.locator("#tab-attention-button").click()
    number = page.locator("#attn-layer input[type=number]")
    assert (number.get_attribute("max"), page.locator("#attn-head input[type=number]").get_attribute("max")) \
        == ("5", "11")
    _run(page, "The cat sat on the mat.")
    note = page.locator("#attn-result-stale")
    assert not note.is_visible()
    page.locator("#attn-text textarea").fill("A completely different sentence")
    number.fill("3")
    number.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('#attn-heatmap .gtitle')?.textContent.includes('Layer 3')", timeout=30_000)
    note.get_by_text("From the previous settings: Sentence The cat sat on the mat.").wait_for(timeout=30_000)
    ticks = page.locator("#attn-heatmap .xtick text").all_text_contents()
    assert "mat" in ticks and "completely" not in ticks, ticks
    _run(page, "A completely different sentence")
    note.wait_for(state="hidden", timeout=30_000)
