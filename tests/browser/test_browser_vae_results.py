"""The VAE anomaly result on the page: it follows a language switch (status, summary, histogram and ROC), and it
says so when it belongs to earlier settings or to a model trained or reset since (``tabs.harness.stale``)."""

from __future__ import annotations

import pytest

from playground.data.images import available_image_sets
from tabs.harness.i18n import t
from tests.browser.see import figure

pytestmark = pytest.mark.browser

needs_fashion = pytest.mark.skipif("fashion" not in available_image_sets(),
                                   reason="Fashion-MNIST is not installed (the quick scenario scores it)")


def _text(page, elem_id: str) -> str:
    return page.locator(f"#{elem_id}").inner_text()


def _run_anomaly(page) -> None:
    """The quick scenario (the shipped model scores Fashion-MNIST against MNIST), to its end."""
    page.locator("#vae-anomaly-run").scroll_into_view_if_needed()
    page.locator("#vae-anomaly-run").click()
    page.wait_for_function("() => document.querySelector('#vae-anomaly-status')?.innerText.includes('AUC =')",
                           timeout=60_000)
    page.locator("#vae-roc .js-plotly-plot").wait_for(timeout=30_000)


def _open(page) -> None:
    page.locator("#tab-vae-button").click()
    page.locator("#vae-grid img").wait_for(timeout=30_000)


def _note_shown(page) -> bool:
    return page.locator("#vae-anomaly-stale").is_visible()


@needs_fashion
def test_a_language_switch_redraws_the_finished_anomaly_result(page, artifacts):
    _open(page)
    _run_anomaly(page)
    assert "vs Fashion-MNIST" in figure(page, "#vae-hist")["title"]
    page.get_by_label("Tiếng Việt").check()
    page.wait_for_function("() => document.querySelector('#vae-anomaly-status')?.innerText.includes('Xong')",
                           timeout=60_000)
    status, summary = _text(page, "vae-anomaly-status"), _text(page, "vae-anomaly-md")
    assert "so với Fashion-MNIST" in status, status
    assert "Ngưỡng" in summary and "bắt được" in summary and "anomalies" not in summary, summary
    hist, roc = figure(page, "#vae-hist"), figure(page, "#vae-roc")
    assert hist["title"].startswith("Biểu đồ tần suất điểm") and "so với" in hist["title"], hist["title"]
    assert [tr["name"] for tr in hist["traces"]] == ["bình thường", "bất thường"]
    assert roc["title"].startswith("Đường cong ROC"), roc["title"]
    assert roc["xaxis"] == "tỉ lệ dương tính giả" and "ngẫu nhiên" in [tr["name"] for tr in roc["traces"]]
    page.locator("#vae-roc").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "screenshots" / "vae-anomaly-vi.png"))


@needs_fashion
def test_the_anomaly_result_says_when_it_is_from_earlier_settings_or_an_earlier_model(page, artifacts):
    _open(page)
    _run_anomaly(page)
    assert not _note_shown(page)
    # its own settings: another score
    page.get_by_label("−ELBO (recon + KL)").check()
    page.locator("#vae-anomaly-stale").wait_for(timeout=15_000)
    assert "From the previous settings" in _text(page, "vae-anomaly-stale")
    # the choices by their labels, not their values ("recon → elbo")
    assert f"{t('vae.score.recon', 'en')} → {t('vae.score.elbo', 'en')}" in _text(page, "vae-anomaly-stale")
    page.get_by_label("reconstruction error −log p(x|μ)").check()  # back as it was: the result matches again
    page.locator("#vae-anomaly-stale").wait_for(state="hidden", timeout=15_000)
    # the model it was made with is replaced: a reset of the session's VAE
    page.locator("#vae-reset").scroll_into_view_if_needed()
    page.locator("#vae-reset").click()
    page.locator("#vae-anomaly-stale").wait_for(timeout=15_000)
    assert "the model was reset since" in _text(page, "vae-anomaly-stale")
    page.locator("#vae-anomaly-stale").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "screenshots" / "vae-anomaly-stale.png"))
    # made again: the note goes; then one training step of the session's VAE marks it as trained since
    _run_anomaly(page)
    page.locator("#vae-anomaly-stale").wait_for(state="hidden", timeout=15_000)
    page.locator("#vae-step").scroll_into_view_if_needed()
    page.locator("#vae-step").click()
    page.locator("#vae-anomaly-stale").wait_for(timeout=15_000)
    assert "trained again" in _text(page, "vae-anomaly-stale")
    page.get_by_label("Tiếng Việt").check()  # the note follows the language
    page.wait_for_function("() => document.querySelector('#vae-anomaly-stale')?.innerText.includes('huấn luyện lại')",
                           timeout=60_000)
