"""Transformer Lab and the generation panel in headless Chromium: train each experiment briefly, screenshot."""

from __future__ import annotations

import re

import pytest

from tests.browser.see import figure, traces

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
    page.locator("#tab-lab-button").click()
    _train(page, "s2s", "500")
    page.locator("#lab-s2s-curves .js-plotly-plot").wait_for()
    # per task a loss curve up to the last step and an exact-match curve in percent
    lines = traces(page, "#lab-s2s-curves")
    assert len(lines) >= 2 and len(lines) % 2 == 0, lines
    assert max(max(tr["x"] or [0]) for tr in lines) == 500, lines
    question = page.locator("#lab-s2s-question textarea, #lab-s2s-question input").first.input_value()
    page.locator("#lab-s2s-ask").click()
    page.locator("#lab-s2s-answer").get_by_text("Output").wait_for()
    page.locator("#lab-s2s-cross .js-plotly-plot").wait_for()
    answer = page.locator("#lab-s2s-answer").inner_text()
    m = re.search(r"Output: (.+) \(step (\d+) of (\d+)\)", answer)
    assert m and m.group(1).strip() and int(m.group(2)) <= int(m.group(3)), answer
    # the cross-attention's rows are the answer's tokens, its columns the question's characters
    cross = figure(page, "#lab-s2s-cross")
    (heat,) = [tr for tr in cross["traces"] if tr["type"] == "heatmap"]
    assert heat["n"] == int(m.group(3)) and "Cross-attention" in cross["title"], cross["title"]
    assert len(heat["z"][0]) >= len(question.replace(" ", "")), (len(heat["z"][0]), question)
    page.locator("#lab-s2s-cross").scroll_into_view_if_needed()
    _shot(page, artifacts, "seq2seq")


@pytest.mark.browser
def test_ln_lstm_and_objectives(page, artifacts):
    page.locator("#tab-lab-button").click()
    page.get_by_role("tab", name="2 · Pre-LN vs post-LN").click()
    _train(page, "ln", "60")
    assert "Loss at step 60" in page.locator("#lab-ln-summary").inner_text()
    _shot(page, artifacts, "ln")

    page.get_by_role("tab", name="3 · Transformer vs LSTM").click()
    _set(page, "#lab-lstm-lengths", "16, 64, 256")
    page.locator("#lab-lstm-time").click()
    page.locator("#lab-lstm-timing-note").get_by_text("At length 256").wait_for(timeout=LONG)
    timing = traces(page, "#lab-lstm-timing")
    assert timing and all(tr["x"] == [16, 64, 256] for tr in timing), timing
    _train(page, "lstm", "100")
    page.locator("#lab-lstm-by-d .js-plotly-plot").wait_for()
    _shot(page, artifacts, "lstm")

    page.get_by_role("tab", name="4 · BERT vs GPT objectives").click()
    _train(page, "obj", "300")
    page.locator("#lab-obj-go").click()
    page.locator("#lab-obj-result").get_by_text("Blank filled").wait_for()
    page.locator("#lab-obj-masks .js-plotly-plot").wait_for()
    filled = page.locator("#lab-obj-result").inner_text()
    assert re.search(r"Masked LM .*: \S.*\. Causal LM .*: \S", filled), filled
    # the masks as drawn: the causal LM sees nothing to the right of a word, the masked LM sees both sides
    masks = [tr["z"] for tr in traces(page, "#lab-obj-masks", "heatmap")]
    mlm, clm = masks[0], masks[1]
    n = len(clm)
    assert n >= 3 and all(clm[i][j] == 0 for i in range(n) for j in range(i + 1, n)), clm
    assert all(clm[i][i] > 0 for i in range(n)) and any(mlm[i][j] > 0 for i in range(n) for j in range(i + 1, n))
    _shot(page, artifacts, "objectives")


@pytest.mark.browser
def test_generation_panel_in_the_attention_explorer(page, artifacts):
    page.locator("#tab-attention-button").click()
    page.locator("#gen-panel").get_by_text("Generate text step by step").click()
    page.locator("#gen-run").click()
    page.locator("#gen-attention .js-plotly-plot").wait_for(timeout=LONG)
    page.locator("#gen-text").get_by_text("tokens ·").wait_for(timeout=LONG)
    page.locator("#gen-panel").scroll_into_view_if_needed()
    _shot(page, artifacts, "generate")


def _title(page, selector: str) -> str:
    fig = figure(page, selector)
    assert fig is not None, f"no figure in {selector}"
    return " ".join([fig["title"], fig["xaxis"], fig["yaxis"], *fig["annotations"]]).replace("<br>", " ")  # wrapped titles


@pytest.mark.browser
def test_a_language_switch_redraws_every_finished_lab_result(page):
    """After a switch to Vietnamese the answer, the fill-in text, the timing note and their figures stayed in
    English (they are no live run's frames)."""
    from tabs.harness.i18n import t

    page.locator("#tab-lab-button").click()
    _set(page, "#lab-s2s-steps", "20")
    page.locator("#lab-s2s-start").click()
    page.locator("#lab-s2s-status").get_by_text("Done").wait_for(timeout=LONG)
    page.locator("#lab-s2s-ask").click()
    page.locator("#lab-s2s-answer").get_by_text("Output").wait_for()
    page.locator("#lab-s2s-cross .js-plotly-plot").wait_for()

    page.get_by_role("tab", name="3 · Transformer vs LSTM").click()
    _set(page, "#lab-lstm-lengths", "8, 16")
    page.locator("#lab-lstm-time").click()
    page.locator("#lab-lstm-timing-note").get_by_text("At length 16").wait_for(timeout=LONG)

    page.get_by_role("tab", name="4 · BERT vs GPT objectives").click()
    _train(page, "obj", "20")
    page.locator("#lab-obj-go").click()
    page.locator("#lab-obj-result").get_by_text("Blank filled").wait_for()
    page.locator("#lab-obj-masks .js-plotly-plot").wait_for()

    page.locator("#lang").get_by_text("Tiếng Việt").click()
    page.locator("#lab-obj-result").get_by_text("Điền chỗ trống").wait_for()
    assert t("lab.fig.mask_clm", "vi") in _title(page, "#lab-obj-masks")
    assert t("lab.fig.loss", "vi") in _title(page, "#lab-obj-curves")  # a live run's figure, as before
    note = page.locator("#lab-lstm-timing-note").inner_text()
    assert "Ở độ dài 16" in note and "At length" not in note, note
    assert _title(page, "#lab-lstm-timing").startswith(t("lab.fig.timing", "vi"))
    answer = page.locator("#lab-s2s-answer").inner_text()
    assert "Đầu ra" in answer and "Output" not in answer, answer
    for sel, key in (("#lab-s2s-cross", "lab.fig.cross"), ("#lab-s2s-dec", "lab.fig.dec_self"),
                     ("#lab-s2s-enc", "lab.fig.enc_self")):
        assert _title(page, sel).startswith(t(key, "vi").split(",")[0]), (sel, _title(page, sel))
