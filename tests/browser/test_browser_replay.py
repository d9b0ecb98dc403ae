"""Instant replays in headless Chromium: Replay shows the recorded frames and says it is a replay; changing a
setting disables Replay (no recording of it); Start still trains live. How fast the first frame shows is measured
in benchmarks/bench_latency.py; here it is only a canary, several times the budget."""

from __future__ import annotations

import pytest

from playground import replay
from tests.browser.see import figure, traces

FIRST_FRAME_CANARY_S = 20.0  # the budget is 1 s (bench_latency.py); this only catches a replay that hangs

pytestmark = pytest.mark.skipif(not (replay.REPLAY_DIR / "gan-default.json.gz").exists(),
                                reason="the shipped GAN recordings are missing")


@pytest.mark.browser
def test_replay_shows_the_recorded_run_and_says_so(page, artifacts):
    shots = artifacts / "screenshots"
    page.locator("#tab-gan-button").click()
    button = page.locator("#gan-replay")
    button.wait_for()
    page.locator("#gan-plane .js-plotly-plot").wait_for()  # the empty plane: the plotting library has loaded
    assert button.is_enabled(), "the default preset has a recording"
    assert "Replay" in page.locator("#gan-replay-note").inner_text()
    # the page notes when the first replayed frame is on screen (status says replay, the plane is drawn),
    # so the figure is the page's own clock, not the test's polling
    page.evaluate("""() => {
        window.__clicked = null; window.__first = null;
        const seen = () => {
            const s = document.querySelector('#gan-status');
            const p = document.querySelector('#gan-plane .js-plotly-plot');
            const replaying = s && s.innerText.includes('Replay of a recorded run');
            if (window.__clicked !== null && window.__first === null && p && replaying)
                window.__first = performance.now();
        };
        new MutationObserver(seen).observe(document.body, {subtree: true, childList: true, characterData: true});
        document.querySelector('#gan-replay').addEventListener('click', () => { window.__clicked = performance.now(); },
                                                               {capture: true});
    }""")
    button.click()
    status = page.locator("#gan-status")
    page.wait_for_function("() => window.__first !== null", timeout=60_000)
    first = page.evaluate("() => (window.__first - window.__clicked) / 1000")
    print(f"first replayed frame on screen {first:.2f} s after the click")
    assert first < FIRST_FRAME_CANARY_S, f"first frame after {first:.1f} s"
    status.get_by_text("End of the").wait_for(timeout=60_000)
    assert "seed 0" in status.inner_text()
    # the last recorded frame is drawn: the data and the generator's samples on the plane
    plane = traces(page, "#gan-plane")
    assert len(plane) >= 2 and all(tr["n"] > 0 for tr in plane[:2]), plane
    page.locator("#gan-plane").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "replay-gan-done.png"))

    # another seed: there is no recording of it, so Replay is off and the note says why
    seed = page.locator("#gan-seed input")
    seed.fill("7")
    seed.press("Tab")
    page.wait_for_function("() => document.querySelector('#gan-replay').disabled")
    assert "no recording" in page.locator("#gan-replay-note").inner_text()
    page.locator("#gan-replay-note").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "replay-gan-no-recording.png"))
    seed.fill("0")
    seed.press("Tab")
    page.wait_for_function("() => !document.querySelector('#gan-replay').disabled")


@pytest.mark.browser
def test_generative_vs_discriminative_replay_looks_like_a_run(page, artifacts):
    if not (replay.REPLAY_DIR / "gvd-default.json.gz").exists():
        pytest.skip("no recording of the default run")
    page.locator("#tab-genvsdisc-button").click()
    page.locator("#gvd-replay").click()
    status = page.locator("#gvd-status")
    status.get_by_text("End of the").wait_for(timeout=60_000)
    page.locator("#gvd-plane .js-plotly-plot").wait_for()
    # what a run shows at its end: four models in the table, the plane titled with the last update
    table = page.locator("#gvd-metrics").inner_text()
    for name in ("LDA", "QDA", "Logistic regression", "MLP"):
        assert name in table, table
    plane = figure(page, "#gvd-plane")
    assert any("decision boundaries, update" in text.lower() for text in [plane["title"], *plane["annotations"]]), plane
    assert "seed 0" in status.inner_text()
    page.locator("#gvd-status").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "screenshots" / "replay-gvd-done.png"), full_page=True)
