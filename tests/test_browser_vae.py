"""The VAE Explorer in a real browser: the pretrained map is there at once, a cell opens large, training streams."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_vae_tab_end_to_end(page, artifacts):
    page.get_by_role("tab", name="VAE Explorer").click()
    grid = page.locator("#vae-grid img")
    grid.wait_for(timeout=30_000)  # the shipped model's map, before any training
    page.locator("#vae-scatter .js-plotly-plot").wait_for(timeout=60_000)
    page.locator("#vae-compare-ae img").wait_for(state="attached", timeout=60_000)

    # click the cell in row 4, column 15 of the 20 x 20 grid: it shows large with its z
    box = grid.bounding_box()
    natural = page.evaluate("() => { const i = document.querySelector('#vae-grid img');"
                            " return [i.naturalWidth, i.naturalHeight]; }")
    sx, sy = box["width"] / natural[0], box["height"] / natural[1]
    grid.click(position={"x": (1 + 15 * 29 + 14) * sx, "y": (1 + 4 * 29 + 14) * sy})
    page.wait_for_function("() => document.querySelector('#vae-cell-info')?.innerText.includes('Row 4, column 15')",
                           timeout=30_000)
    page.locator("#vae-cell img").wait_for()
    page.screenshot(path=str(artifacts / "screenshots" / "vae-pretrained.png"), full_page=True)

    # anomaly detection with the shipped model, then a short training run from scratch on digits
    page.locator("#vae-anomaly-run").click()
    page.wait_for_function("() => document.querySelector('#vae-anomaly-md')?.innerText.includes('AUC')",
                           timeout=60_000)
    page.locator("#vae-data input").click()
    page.get_by_role("option", name="scikit-learn digits 8×8").click()
    epochs = page.locator("#vae-epochs input[type=number]")
    epochs.fill("15")
    epochs.press("Enter")
    page.locator("#vae-train").click()
    page.wait_for_function("() => document.querySelector('#vae-status')?.innerText.includes('Done in')",
                           timeout=90_000)
    page.wait_for_timeout(1500)  # the panels refresh after training
    page.locator("#vae-compare-ae").scroll_into_view_if_needed()  # its images load lazily
    page.wait_for_timeout(1000)
    page.screenshot(path=str(artifacts / "screenshots" / "vae-trained-digits.png"), full_page=True)
    assert "Epoch" not in page.locator("#vae-status").inner_text()
    assert "Click a cell" in page.locator("#vae-cell-info").inner_text()  # the old model's cell is gone
    # the whole tab switches to Vietnamese
    page.get_by_label("Tiếng Việt").check()
    page.get_by_text("Huấn luyện từ đầu").wait_for(timeout=10_000)
