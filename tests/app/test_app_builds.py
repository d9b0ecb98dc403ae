"""A build of the app is an app of its own: two builds in one process serve their own handlers and states."""

from __future__ import annotations

import json

import pytest
from tests.app import streams

GAN = dict(data="ring8", loss="ns", optimizer="adam", lr_g=1e-3, lr_d=1e-3, d_steps=1, latent_dim=8, width=32,
           depth=2, batch_size=64, arch="mlp", steps=50, seed=0, lang="en")


@pytest.fixture(scope="module")
def second_app():
    import app

    demo = app.build_demo()
    demo.queue(default_concurrency_limit=2).launch(prevent_thread_lock=True, server_name="127.0.0.1",
                                                   server_port=None, quiet=True, **app.launch_kwargs())
    yield demo
    demo.close()


def test_two_builds_serve_their_own_runs(demo, client, second_app):
    assert demo.page is not second_app.page
    first_tab, second_tab = demo.page.tabs["gan"], second_app.page.tabs["gan"]
    assert first_tab is not second_tab and first_tab.live.state is not second_tab.live.state
    other = streams.connect(second_app.local_url)
    try:
        a = client.predict(**GAN, api_name="/gan_step")
        b = other.predict(**dict(GAN, seed=1, lang="vi"), api_name="/gan_step")
        assert a[0].startswith("‖ Paused at step 1") and b[0].startswith("‖ Đã tạm dừng tại bước 1")
        plane_a, plane_b = (json.loads(x[2]["plot"])["data"][2] for x in (a, b))
        assert plane_a["x"] != plane_b["x"]  # each app drew its own run (seeds 0 and 1)
        # each build's sessions hold its own run only
        assert demo.page.sessions.of(client.session_hash) and not second_app.page.sessions.of(client.session_hash)
        assert second_app.page.sessions.of(other.session_hash) and not demo.page.sessions.of(other.session_hash)
        client.predict(lang="en", api_name="/gan_stop")
        other.predict(lang="en", api_name="/gan_stop")
    finally:
        other.close()
