"""Shared fixtures: one app server per test session, one headless Chromium, GPU skipping."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")  # CI has no hub: fail fast and clearly
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # the app serves sessions from threads, as in app.py

import pytest  # noqa: E402
import torch  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts"


def pytest_collection_modifyitems(config, items):
    if torch.cuda.is_available():
        return
    skip = pytest.mark.skip(reason="needs a CUDA GPU")
    for item in items:
        if "gpu" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    (ARTIFACTS / "screenshots").mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def demo():
    """The app's Blocks, built once per test session: the tabs' handlers belong to the widgets of one build,
    so a second build in the same process would rewire them away from the running server."""
    import app

    return app.build_demo()


@pytest.fixture(scope="session")
def app_url(demo):
    """The whole app, launched once in this process; yields its local URL."""
    import app

    demo.queue(default_concurrency_limit=2).launch(
        prevent_thread_lock=True, server_name="127.0.0.1", server_port=None, quiet=True,
        **app.launch_kwargs())
    yield demo.local_url.rstrip("/")
    demo.close()


@pytest.fixture(scope="session")
def client(app_url):
    from gradio_client import Client

    return Client(app_url, verbose=False)


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium through playwright (no `playwright install`)."""
    exe = _chromium()
    if exe is None:
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail("REQUIRE_BROWSER is set but Chromium is not installed (apt-get install chromium)")
        pytest.skip("Chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=exe, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


@pytest.fixture()
def page(browser, app_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    p = context.new_page()
    p.set_default_timeout(60_000)
    p.goto(app_url)
    p.wait_for_selector("#tabs")
    yield p
    context.close()
