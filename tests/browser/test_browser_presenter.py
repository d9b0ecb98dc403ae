"""Presenter mode at a projector's 1024x768, and lecture links that restore a setup.

Each tab is opened from a link (``?present=1&tab=...`` with a few settings, so the runs are short), its main
figure is drawn for real where that is cheap, and the figure and the tab's Start button (the main action on the
Attention and Vision tabs) must lie inside the first screen, without scrolling. Screenshots go to
artifacts/screenshots/present-<tab>.png.
"""

from __future__ import annotations

import pytest

from tabs.harness.i18n import t

W, H = 1024, 768

# tab -> (address settings, main figure, Start button, what to click to draw the figure (None: drawn on opening))
TABS = {
    "attention": ("", "#attn-heatmap", "#attn-run", "#attn-run"),
    "lab": ("&lab.s2s.steps=30", "#lab-s2s-curves", "#lab-s2s-start", "#lab-s2s-start"),
    "gan": ("&gan.steps=40", "#gan-plane", "#gan-start", "#gan-start"),
    "vae": ("", "#vae-grid", "#vae-train", None),
    "genvsdisc": ("&genvsdisc.steps=40", "#gvd-plane", "#gvd-start", "#gvd-start"),
    "finetune": ("", "#ft-acc", "#ft-start", None),
    "vision": ("", "#vis-top5", "#vis-analyse", "#vis-sample label:first-child"),
}


@pytest.fixture()
def projector(module_page):
    """The module's page at a projector's size; each test loads the link it checks."""
    module_page.set_viewport_size({"width": W, "height": H})
    module_page.set_default_timeout(90_000)
    return module_page


def _inside(page, selector: str) -> dict:
    box = page.locator(selector).bounding_box()
    assert box is not None, f"{selector} is not displayed"
    assert box["x"] >= 0 and box["y"] >= 0, (selector, box)
    assert box["x"] + box["width"] <= W + 1 and box["y"] + box["height"] <= H + 1, (selector, box)
    return box


def _tick_px(page, figure: str) -> float:
    """The font size (px) of the figure's first axis tick label as drawn."""
    return page.evaluate("""sel => { const t = document.querySelector(sel + ' .xtick text');
                                     return t ? parseFloat(getComputedStyle(t).fontSize) : 0; }""", figure)


def _drawn(page, figure: str) -> None:
    """Wait until the main figure shows content (a plotly chart or an image)."""
    page.wait_for_function(
        """(sel) => { const el = document.querySelector(sel);
                      return el && (el.querySelector('.js-plotly-plot .main-svg') || el.querySelector('img')); }""",
        arg=figure, timeout=120_000)
    page.wait_for_timeout(800)  # the last frame lands and the layout settles


@pytest.mark.browser
@pytest.mark.parametrize("tab", list(TABS))
def test_main_figure_and_start_on_the_first_screen(projector, app_url, artifacts, tab):
    settings, figure, start, draw = TABS[tab]
    page = projector
    page.goto(f"{app_url}/?present=1&tab={tab}{settings}")
    page.locator(start).wait_for(state="visible")
    assert page.evaluate("document.documentElement.classList.contains('present')")
    page.wait_for_function("document.querySelector('#present input')?.checked")  # the header toggle agrees
    if draw is not None:
        page.locator(draw).click()
    _drawn(page, figure)
    assert page.evaluate("window.scrollY") == 0
    fig_box, start_box = _inside(page, figure), _inside(page, start)
    assert fig_box["height"] > 200, (figure, fig_box)  # the figure itself, not a collapsed box
    assert not page.locator(f"#tab-{tab} .lesson").first.is_visible()  # the lesson is folded away
    page.screenshot(path=str(artifacts / "screenshots" / f"present-{tab}.png"))
    print(tab, "figure", fig_box, "start", start_box)


def _value(page, selector: str) -> str:
    return page.locator(f"{selector} input").first.input_value()


@pytest.mark.browser
def test_link_restores_settings(projector, app_url, artifacts):
    page = projector
    page.goto(f"{app_url}/?present=1&lang=vi&tab=vae&vae.latent=8&vae.epochs=3&vae.lr=0.002&vae.seed=7"
              "&vae.arch=conv&vae.epochs_bad=1&vae.hidden=999999")
    page.locator("#vae-train").wait_for(state="visible")
    page.wait_for_function("document.querySelector('#vae-seed input')?.value === '7'")
    assert _value(page, "#vae-latent") == "8"
    assert _value(page, "#vae-epochs") == "3"
    assert float(_value(page, "#vae-lr")) == 0.002
    assert page.locator("#vae-arch input[value='conv']").is_checked()
    page.wait_for_function("(text) => document.querySelector('#vae-train')?.innerText?.trim() === text",
                           arg=t("live.start", "vi"))  # ?lang=vi
    page.screenshot(path=str(artifacts / "screenshots" / "present-vae-link.png"))

    # the link button writes back only what differs from the page's defaults
    page.locator("#vae-link").click()
    page.wait_for_function("document.querySelector('#vae-link-box textarea')?.value.includes('vae.')")
    link = page.locator("#vae-link-box textarea").input_value()
    assert "vae.latent=8" in link and "vae.seed=7" in link and "vae.arch=conv" in link
    assert "vae.data=" not in link and "hidden" not in link  # unchanged, or refused in the address


@pytest.mark.browser
def test_gan_preset_reads_custom_after_an_edit(projector, app_url):
    page = projector
    page.goto(f"{app_url}/?tab=gan&gan.preset=mode_collapse")
    preset = page.locator("#gan-preset input")
    page.wait_for_function("document.querySelector('#gan-seed input') && "
                           "document.querySelector('#gan-preset input')?.value.startsWith('Mode collapse')")
    seed = page.locator("#gan-seed input")
    seed.fill("5")
    seed.press("Tab")
    page.wait_for_function("document.querySelector('#gan-preset input')?.value.startsWith('Custom')")
    page.locator("#gan-link").click()
    page.wait_for_function("document.querySelector('#gan-link-box textarea')?.value.includes('gan.')")
    link = page.locator("#gan-link-box textarea").input_value()
    assert "gan.preset=custom" in link and "gan.seed=5" in link and "gan.d_steps=2" in link, link
    # the link opens the same edited setup, and says it is custom
    page.goto(link)
    page.wait_for_function("document.querySelector('#gan-seed input')?.value === '5'")
    assert preset.input_value().startswith("Custom")
    seed = page.locator("#gan-seed input")
    seed.fill("0")  # back to the preset's own value: the preset's name again
    seed.press("Tab")
    page.wait_for_function("document.querySelector('#gan-preset input')?.value.startsWith('Mode collapse')")


@pytest.mark.browser
def test_lab_link_opens_the_experiment(projector, app_url):
    page = projector
    page.goto(f"{app_url}/?tab=lab&lab.experiment=ln&lab.ln.steps=77")
    page.locator("#lab-ln-start").wait_for(state="visible")
    page.wait_for_function("document.querySelector('#lab-ln-steps input')?.value === '77'")
    page.locator("#lab-link").click()
    page.wait_for_function("document.querySelector('#lab-link-box textarea')?.value.includes('lab.')")
    link = page.locator("#lab-link-box textarea").input_value()
    assert "lab.experiment=ln" in link and "lab.ln.steps=77" in link and "s2s" not in link, link


@pytest.mark.browser
def test_header_toggle_fits_the_figure_already_drawn(projector, app_url, artifacts):
    """Ticking "Presenter mode" during a lecture (not from the address) refits the figure on screen."""
    page = projector
    page.goto(f"{app_url}/?tab=gan&gan.steps=30")
    page.locator("#gan-start").click()
    _drawn(page, "#gan-plane")
    before = _tick_px(page, "#gan-plane")
    page.locator("#present input").check()
    page.wait_for_function("document.documentElement.classList.contains('present')")
    page.wait_for_timeout(800)
    page.evaluate("window.scrollTo(0, 0)")
    _inside(page, "#gan-plane")
    _inside(page, "#gan-start")
    assert _tick_px(page, "#gan-plane") > before, "presenter mode draws the figure's text larger"
    page.locator("#present input").uncheck()
    page.wait_for_function("!document.documentElement.classList.contains('present')")

