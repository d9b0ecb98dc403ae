"""Exports for slides in headless Chromium: the GAN Lab's GIF after a short run, and every plotly figure's
camera button saving a PNG at 3x its size on screen."""

from __future__ import annotations

import pytest
from PIL import Image


@pytest.mark.browser
def test_gan_gif_button_after_a_short_run_and_the_camera_png(page, artifacts):
    shots = artifacts / "screenshots"
    page.locator("#tab-gan-button").click()
    button = page.locator("#gan-film")
    assert button.is_disabled(), "nothing filmed yet"
    steps = page.locator("#gan-steps input")
    steps.fill("60")
    steps.press("Tab")
    page.locator("#gan-start").click()
    page.locator("#gan-status").get_by_text("Done").wait_for(timeout=120_000)
    page.wait_for_function("() => !document.querySelector('#gan-film').disabled", timeout=10_000)
    button.click()
    link = page.locator("#gan-film-files a[download$='.gif']")
    link.wait_for(timeout=120_000)
    with page.expect_download() as info:
        link.click()
    gif = shots / "film-gan.gif"
    info.value.save_as(gif)
    img = Image.open(gif)
    assert img.size == (1280, 720) and img.n_frames == 60
    img.seek(img.n_frames - 1)
    img.convert("RGB").save(shots / "film-gan-last-frame.png")
    page.locator("#gan-film-files").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "film-gan-files.png"))

    # the plane's toolbar: the camera saves a PNG three times the size on screen
    plot = page.locator("#gan-plane .js-plotly-plot")
    config = plot.evaluate("el => el._context.toImageButtonOptions")
    assert config == {"format": "png", "scale": 3, "filename": "gan-plane"}
    box = plot.bounding_box()
    plot.hover()
    with page.expect_download() as info:
        page.locator("#gan-plane .modebar-btn[data-title^='Download plot']").click()
    png = shots / "film-gan-camera.png"
    info.value.save_as(png)
    w, h = Image.open(png).size
    assert abs(w - 3 * box["width"]) <= 6 and abs(h - 3 * box["height"]) <= 6, (w, h, box)
