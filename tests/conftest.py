"""Shared fixtures and the tiers.

A test's tier is its folder: ``tests/unit`` (the core and the harness, no server), ``tests/app`` (gradio_client
against one shared server), ``tests/browser`` (headless Chromium), ``tests/claims`` (the slow checks that the
lessons' claims hold over several seeds). The mark is applied here, so a test cannot forget it:
``pytest -m unit``, ``-m app``... GPU tests are marked ``gpu`` and skipped without CUDA."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")  # CI has no hub: fail fast and clearly
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # the app serves sessions from threads, as in app.py

import pytest  # noqa: E402
import torch  # noqa: E402

from playground.kit.runtime import keep_freed_memory  # noqa: E402

keep_freed_memory()  # the allocator policy of the app and the CLI

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts"


TIERS = ("unit", "app", "browser", "claims")


def pytest_collection_modifyitems(config, items):
    skip = pytest.mark.skip(reason="needs a CUDA GPU")
    for item in items:
        tier = Path(str(item.fspath)).relative_to(ROOT / "tests").parts[0]
        if tier not in TIERS:
            raise pytest.UsageError(f"{item.nodeid}: a test lives in one of the tiers' folders {TIERS}")
        item.add_marker(getattr(pytest.mark, tier))
        if "gpu" in item.keywords and not torch.cuda.is_available():
            item.add_marker(skip)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    (ARTIFACTS / "screenshots").mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def demo():
    """The app's Blocks, built once per test session (a build is an app of its own: a second build in the same
    process serves its own handlers, which ``tests/app/test_app_builds.py`` checks)."""
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
    from tests.app.streams import connect

    return connect(app_url)


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


@pytest.fixture(scope="module")
def module_page(browser, app_url):
    """One browser page per test module: its context keeps the app's scripts cached, so a test's fresh load of
    the app costs about 1.5 s instead of 2.5-5 s for a new context."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    p = context.new_page()
    p.set_default_timeout(60_000)
    yield p
    context.close()


@pytest.fixture()
def page(module_page, app_url):
    """The module's page with the app freshly loaded: a new Gradio session (nothing of the previous test's runs,
    language or settings; the app keeps no state in the browser's storage)."""
    module_page.set_viewport_size({"width": 1400, "height": 1000})
    module_page.set_default_timeout(60_000)
    module_page.goto(app_url)
    module_page.wait_for_selector("#tabs")
    return module_page


@pytest.fixture(autouse=True)
def a_class_of_its_own():
    """Each test starts with no shared run (``tabs.harness.shared``): a run an earlier test finished is not shown to
    a later one's identical Start, and what a test left training is stopped."""
    yield
    import sys

    shared = sys.modules.get("tabs.harness.shared")
    if shared is not None:
        shared.SHARED.clear()
