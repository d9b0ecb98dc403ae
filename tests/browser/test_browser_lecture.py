"""Lecture-ready behaviour in a real browser (issue 14): on every training tab Stop is confirmed and says
where the run stopped; an error leaves the previous figures in place; a language switch relabels what is on
screen. Screenshots go to artifacts/screenshots/lecture-*.png (look at them)."""

from __future__ import annotations

import re

import pytest

from tabs.harness import pacing
import tabs
from tabs.harness.i18n import STRINGS

tabs.discover()  # every tab's strings join the table

pytestmark = pytest.mark.browser
LONG = 240_000  # ms: the first run of a tab loads data or a model on a shared 2-core machine
STOP_CANARY_MS = 10_000  # a Stop shows within this, or something is broken (the 1 s budget lives in the benchmark)

# tab, start, stop, status ids, settings that make a run long enough to stop (each update stays short)
TRAINING_TABS = [
    ("tab.gan", "gan-start", "gan-stop", "gan-status", {"gan-steps": "100000"}),
    ("tab.vae", "vae-train", "vae-stop", "vae-status", {}),
    ("tab.genvsdisc", "gvd-start", "gvd-stop", "gvd-status", {"gvd-steps": "20000"}),
    ("tab.finetune", "ft-start", "ft-stop", "ft-status", {"ft-limit": "800"}),
    ("tab.lab", "lab-s2s-start", "lab-s2s-stop", "lab-s2s-status", {"lab-s2s-steps": "100000"}),
    ("tab.vision", "vis-race-start", "vis-race-stop", "vis-race-status", {"vis-per-class": "20"}),
]


def _open(page, key: str) -> None:
    page.get_by_role("tab", name=STRINGS[key]["en"], exact=True).click()


def _fill(page, elem_id: str, value: str) -> None:
    box = page.locator(f"#{elem_id} input:not([type=range])").first
    box.fill(value)
    box.press("Tab")


def _time_stop(page, stop: str, status: str) -> float:
    """Milliseconds from the Stop click (in the page) to the status saying 'Stopped at ...'; on a loaded machine
    Playwright's own click can take seconds to land, so the clock runs inside the page."""
    page.evaluate("""([stop, status]) => { window.__t = {};
        document.getElementById(stop).addEventListener('click', () => { window.__t.click = performance.now(); }, true);
        const s = document.getElementById(status);
        new MutationObserver(() => { if (!window.__t.done && s.innerText.includes('Stopped at'))
            window.__t.done = performance.now(); }).observe(s, {subtree: true, childList: true, characterData: true});
    }""", [stop, status])
    # clicked from inside the page: a page redrawing 2.5 times a second on a loaded machine can keep Playwright's
    # own click waiting for a minute
    page.evaluate("id => document.getElementById(id).click()", stop)
    try:
        page.wait_for_function("() => window.__t.done", timeout=STOP_CANARY_MS)
    except Exception:
        raise AssertionError(f"no 'Stopped at' after {STOP_CANARY_MS} ms: {page.locator('#' + status).inner_text()!r}") \
            from None
    return page.evaluate("() => window.__t.done - window.__t.click")


@pytest.mark.parametrize("tab,start,stop,status,settings", TRAINING_TABS, ids=[t[0][4:] for t in TRAINING_TABS])
def test_stop_is_confirmed_and_says_where(page, artifacts, tab, start, stop, status, settings):
    _open(page, tab)
    if tab == "tab.genvsdisc":  # the number of steps sits in the "Advanced" accordion
        page.get_by_text(STRINGS["gvd.advanced"]["en"]).first.click()
    for elem_id, value in settings.items():
        _fill(page, elem_id, value)
    answered = pacing.answered()
    page.locator(f"#{start}").click()
    # a run that has reported at least once (so "where" has something to say)
    page.wait_for_function("id => /Training: .*\\d/.test(document.getElementById(id)?.innerText || '')",
                           arg=status, timeout=LONG)
    # ... and whose figures the page has drawn twice more: the first frame loads Plotly and draws every figure
    # for the first time, which on a loaded 2-core machine keeps the page's one thread busy for seconds (a Stop
    # clicked then waited for it: 2.85 s in CI). A lecturer stops a run that is under way.
    page.evaluate("""id => { window.__frames = 0; const s = document.getElementById(id);
        new MutationObserver(() => { window.__frames += 1; })
            .observe(s, {subtree: true, childList: true, characterData: true}); }""", status)
    page.wait_for_function("() => window.__frames >= 2", timeout=LONG)
    elapsed = _time_stop(page, stop, status)
    text = page.locator(f"#{status}").inner_text()
    # the budget (1 s) is measured by benchmarks/bench_latency.py; here only a canary, five times it and more: a
    # Stop the page shows at all, on a loaded machine (with a CPU hog beside it on 2 cores: 0.3-1.4 s since frames
    # are paced; 2.9-9.3 s before, when the page drew a queue of frames before the answer)
    with open(artifacts / "stop-latency.txt", "a") as f:
        f.write(f"{tab[4:]} {elapsed:.0f} ms\n")
    assert elapsed < STOP_CANARY_MS, (elapsed, text)
    assert re.search(r"Stopped at .*\d", text), text  # where it stopped: a step, an epoch, a strategy
    assert pacing.answered() >= answered + 2  # the page acknowledged the frames it drew (tabs/pacing.py)
    page.wait_for_timeout(1200)
    assert page.locator(f"#{status}").inner_text() == text  # no late frame overwrote the answer
    page.locator(f"#{status}").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "screenshots" / f"lecture-stop-{tab[4:]}.png"))


def _run_attention(page, text: str) -> None:
    page.locator("#attn-text textarea").fill(text)
    page.locator("#attn-run").click()
    page.wait_for_function("() => document.querySelector('#attn-summary')?.innerText.includes('tokens')",
                           timeout=90_000)
    page.locator("#attn-heatmap .js-plotly-plot").wait_for(timeout=30_000)


def test_attention_error_keeps_the_heatmap_and_cap_is_told(page, artifacts):
    _open(page, "tab.attention")
    _run_attention(page, "The cat sat on the mat")
    title = page.locator("#attn-heatmap .gtitle").text_content()
    summary = page.locator("#attn-summary").inner_text()

    page.locator("#attn-text textarea").fill("   ")
    page.locator("#attn-run").click()
    page.get_by_text("The text is empty").first.wait_for(timeout=30_000)
    page.wait_for_timeout(800)
    page.screenshot(path=str(artifacts / "screenshots" / "lecture-attention-empty.png"))
    assert page.locator("#attn-heatmap .js-plotly-plot").count() == 1
    assert page.locator("#attn-heatmap .gtitle").text_content() == title
    assert page.locator("#attn-summary").inner_text() == summary

    # a token cap beyond the limit is a message, not a silent clamp
    page.locator("#attn-text textarea").fill("The cat sat on the mat")
    _fill(page, "attn-max-tokens", "100000")
    page.locator("#attn-run").click()
    page.get_by_text("from 4 to 1,024").first.wait_for(timeout=30_000)
    assert page.locator("#attn-heatmap .gtitle").text_content() == title


def test_language_switch_relabels_outputs(page, artifacts):
    _open(page, "tab.attention")
    _run_attention(page, "The cat sat on the mat")
    # the examples table: headers and model names in the user's language
    page.locator("#lang").get_by_text("Tiếng Việt").click()
    page.wait_for_function("() => document.querySelector('#attn-heatmap .gtitle')?.textContent.includes('Lớp')",
                           timeout=30_000)
    # the widgets' labels (a few hundred updates) can take a while on a loaded machine
    page.get_by_role("tab", name=STRINGS["tab.genvsdisc"]["vi"]).wait_for(timeout=60_000)
    page.get_by_text("MiniLM-L6 · bộ mã hóa").first.wait_for(timeout=10_000)
    assert page.locator("#tab-attention th").filter(has_text="Câu văn").count() >= 1  # examples table header
    page.screenshot(path=str(artifacts / "screenshots" / "lecture-attention-vi.png"), full_page=True)
    assert page.get_by_text("MiniLM-L6 · encoder").count() == 0
    # the generation table's headers before any run: words in Vietnamese, not "1 2 3"
    page.locator("#gen-panel").get_by_text("Sinh văn bản từng bước").first.click()
    table = page.locator("#gen-table")
    table.get_by_text("lựa chọn khác").wait_for(timeout=10_000)
    table.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "screenshots" / "lecture-gen-table-vi.png"))


def test_vae_error_keeps_the_trained_figures(page, artifacts):
    _open(page, "tab.vae")
    page.locator("#vae-grid img").wait_for(timeout=30_000)
    _fill(page, "vae-epochs", "1")
    page.locator("#vae-train").click()
    page.locator("#vae-status").get_by_text("Done").wait_for(timeout=LONG)
    grid = page.locator("#vae-grid img").get_attribute("src")
    curves = page.locator("#vae-curves .js-plotly-plot").count()
    _fill(page, "vae-lr", "5")
    page.locator("#vae-train").click()
    page.get_by_text("Learning rate must be a number").first.wait_for(timeout=15_000)
    page.wait_for_timeout(800)
    page.screenshot(path=str(artifacts / "screenshots" / "lecture-vae-bad-value.png"))
    assert page.locator("#vae-grid img").get_attribute("src") == grid
    assert page.locator("#vae-curves .js-plotly-plot").count() == curves == 1
    assert "Done" in page.locator("#vae-status").inner_text()


def test_language_switch_relabels_a_finished_run(page, artifacts):
    """Generative vs discriminative: after a run, Vietnamese reaches the table, the figures and the status."""
    _open(page, "tab.genvsdisc")
    page.get_by_text(STRINGS["gvd.advanced"]["en"]).first.click()
    _fill(page, "gvd-steps", "50")
    page.locator("#gvd-start").click()
    page.locator("#gvd-status").get_by_text("Done").wait_for(timeout=LONG)
    page.locator("#gvd-plane .gtitle").first.wait_for(timeout=30_000)
    page.locator("#lang").get_by_text("Tiếng Việt").click()
    page.locator("#gvd-status").get_by_text("Xong").wait_for(timeout=60_000)
    page.locator("#gvd-metrics").get_by_text("Mô hình").first.wait_for(timeout=30_000)
    plane_title = STRINGS["gvd.fig.boundaries"]["vi"].split("{")[0].strip()
    page.wait_for_function("t => document.querySelector('#gvd-plane .gtitle')?.textContent.includes(t)",
                           arg=plane_title, timeout=30_000)
    # nothing of the finished run is left in English
    status, table = page.locator("#gvd-status").inner_text(), page.locator("#gvd-metrics").inner_text()
    assert "Done" not in status and "update" not in status, status
    assert STRINGS["gvd.model.logreg"]["vi"] in table and STRINGS["gvd.model.logreg"]["en"] not in table, table
    page.locator("#gvd-plane").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "screenshots" / "lecture-gvd-vi.png"))


def test_switching_to_the_encoder_clears_the_decoder_only_outputs(page, artifacts):
    _open(page, "tab.attention")
    page.locator("#attn-model input").fill("smollm2")
    page.keyboard.press("Enter")
    _run_attention(page, "The capital of France is")
    page.get_by_text(STRINGS["attn.ablate"]["en"]).first.click()
    page.locator("#attn-ablate-heads textarea, #attn-ablate-heads input").first.fill("0:0")
    page.locator("#attn-ablate-run").click()
    note = page.locator("#attn-ablate-note")
    note.get_by_text("KL").first.wait_for(timeout=90_000)
    page.locator("#attn-ablate-plot .js-plotly-plot").wait_for()
    page.locator("#attn-model input").fill("minilm")
    page.keyboard.press("Enter")
    page.wait_for_function("() => !document.querySelector('#attn-ablate-note')?.innerText.includes('KL')",
                           timeout=30_000)
    assert page.locator("#attn-ablate-plot .js-plotly-plot").count() == 0
    page.locator("#attn-ablate-note").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "screenshots" / "lecture-attention-cleared.png"))
