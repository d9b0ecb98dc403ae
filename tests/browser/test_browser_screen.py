"""What a class sees on a projector: every tab at 1024x768 in presenter mode, in Vietnamese and in English, with its
figures drawn (a replay, the shipped model, a sample photo, a sentence): no two texts of a figure drawn over each
other, no text out of its figure, every tab's name in the tab bar, tables in a font that shapes Vietnamese, the
controls' choices readable whole. The screenshots are saved (artifacts/screenshots/screen-<tab>-<lang>.png)."""

from __future__ import annotations

import pytest

from tests.browser.see import figure_texts, text_collisions

TABS = ("attention", "lab", "gan", "vae", "diffusion", "genvsdisc", "finetune", "vision")
REPLAYED = {"lab": "lab-s2s", "gan": "gan", "diffusion": "diffusion", "genvsdisc": "gvd", "finetune": "ft"}  # tab -> its replay's prefix


def _draw(page, tab: str, lang: str) -> None:
    """Bring the tab's figures on screen as a student first sees them drawn."""
    if tab in REPLAYED:
        prefix = REPLAYED[tab]
        button = page.locator(f"#{prefix}-replay")
        button.wait_for()
        assert button.is_enabled(), f"{tab}: its default settings have a recording"
        button.click()
        done = {"en": "End of the", "vi": "Hết phần"}[lang]  # live.replay.done
        page.locator(f"#{prefix}-status").get_by_text(done).wait_for(timeout=90_000)
    elif tab == "attention":
        page.locator("#attn-run").click()
        page.locator("#attn-heatmap .js-plotly-plot .gtitle").wait_for(timeout=90_000)
    elif tab == "vision":
        page.locator("#vis-sample label").first.click()
        page.locator("#vis-top5 .js-plotly-plot .bars").wait_for(timeout=90_000)
    elif tab == "vae":
        page.locator("#vae-scatter .js-plotly-plot").wait_for(timeout=90_000)
    page.wait_for_timeout(800)  # the last frame's layout (plotly draws after the value arrives)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_tab_reads_cleanly_on_a_projector(module_page, app_url, artifacts, lang):
    page = module_page
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(f"{app_url}/?present=1&lang={lang}")
    page.wait_for_selector("#tabs")
    page.wait_for_function("() => !document.documentElement.classList.contains('lang-pending')")
    # every tab's name is in the bar (Gradio moves those that do not fit into a "..." menu)
    for tab in TABS:
        assert page.locator(f"[role=tablist] #tab-{tab}-button").is_visible(), f"{tab}'s name is not in the tab bar"
    defects = []
    for tab in TABS:
        page.locator(f"#tab-{tab}-button").click()
        _draw(page, tab, lang)
        page.screenshot(path=str(artifacts / "screenshots" / f"screen-{tab}-{lang}.png"))
        defects += [f"{lang} {tab}: {d}" for d in text_collisions(figure_texts(page, f"#tab-{tab}"))]
        # a dropdown's chosen value is readable whole (the replay length read "trong ...")
        for box in page.locator(f"#tab-{tab} input[role=combobox]").all():
            if box.is_visible() and box.evaluate("e => e.scrollWidth > e.clientWidth + 1"):
                defects.append(f"{lang} {tab}: dropdown {box.input_value()!r} is cut")
        # results tables draw Vietnamese in the interface's font (the monospace fallback misplaced diacritics)
        for cell in page.locator(f"#tab-{tab} table th").all()[:3]:
            family = cell.evaluate("e => getComputedStyle(e).fontFamily")
            if "mono" in family.lower():
                defects.append(f"{lang} {tab}: a table header in {family}")
    assert not defects, "\n".join(defects)
