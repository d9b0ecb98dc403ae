"""The VAE Explorer in a real browser: the pretrained map at once, a click decodes the cell on screen, a bad
range leaves the figures in place, live training stops within 2 s and says where, and the comparison with
the autoencoder. Screenshots go to artifacts/screenshots/vae-*.png (look at them)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

CELL = 29  # a 28-pixel MNIST image and its 1-pixel border, before scaling


def _click_cell(page, row: int, col: int, n: int = 20) -> None:
    grid = page.locator("#vae-grid img")
    box = grid.bounding_box()
    side = n * CELL + 1  # the picture's width in decoded pixels
    grid.click(position={"x": (1 + col * CELL + 14) / side * box["width"],
                         "y": (1 + row * CELL + 14) / side * box["height"]})


def _text(page, elem_id: str) -> str:
    return page.locator(f"#{elem_id}").inner_text()


def test_vae_tab_end_to_end(page, artifacts):
    shots = artifacts / "screenshots"
    page.locator("#tab-vae-button").click()
    page.locator("#vae-grid img").wait_for(timeout=30_000)  # the shipped model's map, before any training
    page.locator("#vae-scatter .js-plotly-plot").wait_for(timeout=60_000)
    page.locator("#vae-compare-ae-grid img").wait_for(state="attached", timeout=60_000)

    # change the range boxes WITHOUT redrawing: a click must still decode the grid on screen (z in [-3, 3])
    page.locator("#vae-lo input").fill("-1")
    page.locator("#vae-hi input").fill("1")
    _click_cell(page, 4, 15)
    page.wait_for_function("() => document.querySelector('#vae-cell-info')?.innerText.includes('Row 4, column 15')",
                           timeout=30_000)
    z = -3 + 15 * 6 / 19, 3 - 4 * 6 / 19
    assert f"{z[0]:+.2f}, {z[1]:+.2f}" in _text(page, "vae-cell-info")
    page.locator("#vae-cell img").wait_for()
    page.screenshot(path=str(shots / "vae-pretrained.png"), full_page=True)

    # a bad range: a message (toast), and the map stays as it was, without an error badge
    src = page.locator("#vae-grid img").get_attribute("src")
    page.locator("#vae-lo input").fill("5")
    page.locator("#vae-hi input").fill("-5")
    page.locator("#vae-hi input").press("Enter")
    page.get_by_text("low < high").first.wait_for(timeout=15_000)
    assert page.locator("#vae-grid img").get_attribute("src") == src
    page.wait_for_timeout(500)
    page.screenshot(path=str(shots / "vae-bad-range.png"))  # look: no "Error" badge over the map
    page.locator("#vae-lo input").fill("-3")
    page.locator("#vae-hi input").fill("3")

    # the comparison with the plain autoencoder (shipped with the model)
    page.locator("#vae-compare-ae-zoom").scroll_into_view_if_needed()
    page.wait_for_timeout(1000)
    page.locator("#vae-compare-md").screenshot(path=str(shots / "vae-compare-note.png"))
    page.screenshot(path=str(shots / "vae-compare.png"))

    # Enter in the test-image box applies the number
    box = page.locator("#vae-idx input")
    box.scroll_into_view_if_needed()
    box.fill("7")
    box.press("Enter")
    page.wait_for_function("() => document.querySelector('#vae-reparam-md')?.innerText.includes('class')",
                           timeout=30_000)

    # live training on MNIST: Stop answers within 2 s and says where training stopped
    page.locator("#vae-train").scroll_into_view_if_needed()
    page.locator("#vae-train").click()
    try:
        # a run under way past its first epoch (frames come at the page's pace: a loaded page may skip one)
        page.wait_for_function("() => /Training: epoch ([2-9]|1\\d) of 30/.test("
                               "document.querySelector('#vae-status')?.innerText)", timeout=120_000)
    except Exception:
        raise AssertionError(f"no epoch 2-19 after 120 s: {page.locator('#vae-status').inner_text()!r}") from None
    # time it inside the page, from the click event to the status saying so (on a loaded machine Playwright's
    # own click can take seconds to land; the handler itself answers in about 0.1 s)
    page.evaluate("""() => { window.__t = {};
        document.querySelector('#vae-stop').addEventListener('click', () => { window.__t.click = performance.now(); }, true);
        const s = document.querySelector('#vae-status');
        new MutationObserver(() => { if (!window.__t.done && s.innerText.includes('Stopped at epoch'))
            window.__t.done = performance.now(); }).observe(s, {subtree: true, childList: true, characterData: true}); }""")
    page.locator("#vae-stop").click()
    page.wait_for_function("() => window.__t.done", timeout=10_000)
    assert page.evaluate("() => window.__t.done - window.__t.click") < 2000
    status = _text(page, "vae-status")
    assert re.search(r"Stopped at epoch \d+ of 30", status), status
    page.wait_for_timeout(1500)  # the panels refresh from the stopped model
    assert _text(page, "vae-status") == status  # no late frame overwrote it
    page.screenshot(path=str(shots / "vae-stopped.png"), full_page=True)
    assert "Click a cell" in _text(page, "vae-cell-info")  # the old model's cell is gone

    # the whole tab switches to Vietnamese
    page.get_by_label("Tiếng Việt").check()
    # every tab relabels (a few hundred updates): about 20 s on 2 cores since the live tabs redraw too
    page.get_by_text("Bản đồ ẩn").first.wait_for(timeout=60_000)


def test_vae_grid_cells_are_even_on_a_projector(page, artifacts):
    page.set_viewport_size({"width": 1024, "height": 768})
    page.locator("#tab-vae-button").click()
    grid = page.locator("#vae-grid img")
    grid.wait_for(timeout=30_000)
    grid.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    grid.screenshot(path=str(artifacts / "screenshots" / "vae-grid-1024.png"))
    size = page.evaluate("() => { const i = document.querySelector('#vae-grid img');"
                         " return [i.naturalWidth, i.clientWidth, getComputedStyle(i).imageRendering]; }")
    assert size[2] != "pixelated" or size[0] % size[1] == 0, size  # scaled smoothly, or by a whole factor
    assert abs(size[0] - size[1]) / size[0] < 0.3  # drawn near the size it is shown at


def test_a_bad_setting_is_a_message_and_the_figures_stay(page, artifacts):
    page.locator("#tab-vae-button").click()
    page.locator("#vae-grid img").wait_for(timeout=30_000)
    src = page.locator("#vae-grid img").get_attribute("src")
    page.locator("#vae-lr input").fill("5")
    page.locator("#vae-train").click()
    page.get_by_text("Learning rate must be a number greater than 0 and at most 0.1").first.wait_for(timeout=15_000)
    page.wait_for_timeout(500)
    page.screenshot(path=str(artifacts / "screenshots" / "vae-bad-lr.png"))  # look: no "Error" badges
    assert page.locator("#vae-grid img").get_attribute("src") == src
    assert "Pretrained model loaded" in page.locator("#vae-status").inner_text()
