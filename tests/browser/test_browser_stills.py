"""Slide pictures in headless Chromium: a Vietnamese link to the Lab lands on the pre-LN vs post-LN recording, and
its export button gives the loss and gradient figures as PNG and SVG, listed under a Vietnamese label."""

from __future__ import annotations

import pytest


@pytest.mark.browser
def test_a_replayed_lab_run_exports_its_figures_for_slides_in_vietnamese(page, app_url, artifacts):
    page.goto(f"{app_url}/?tab=lab&lab.experiment=ln&lang=vi")
    status = page.locator("#lab-ln-status")
    status.get_by_text("Lần chạy đã ghi", exact=False).first.wait_for(timeout=120_000)  # the recording, at once
    button = page.locator("#lab-ln-stills")
    assert button.inner_text().strip() == "PNG + SVG cho bài giảng"
    button.click()
    files = page.locator("#lab-ln-stills-files")
    page.wait_for_function("() => (document.querySelector('#lab-ln-stills-files')?.innerText || '')"
                           ".includes('lab-ln-lab-ln-grads')", timeout=60_000)
    names = " ".join(files.inner_text().split())
    rows = [row.inner_text() for row in files.locator("tr, li, .file-name").all()] or [names]
    listed = " ".join(" ".join(r.split()) for r in rows)
    for stem in ("lab-ln-lab-ln-loss", "lab-ln-lab-ln-grads"):  # each figure of the frame, as PNG and SVG
        for ext in ("png", "svg"):
            assert f"{stem}.{ext}" in listed.replace(" .", "."), listed
    assert "Cho bài giảng: mỗi hình của lần chạy" in names, names  # the list's label, in the page's language
    files.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "screenshots" / "lab-stills-vi.png"), full_page=False)
