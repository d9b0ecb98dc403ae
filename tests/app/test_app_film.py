"""Films for slides through the running app: the GAN, VAE and fine-tuning exports (GIF + PNG) after short runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image

from tabs.harness import film
from tests.app.streams import wait_for_step
from tests.app import streams

TINY = dict(data="ring8", loss="ns", optimizer="adam", lr_g=1e-3, lr_d=1e-3, d_steps=1, latent_dim=8, width=16,
            depth=1, batch_size=32, arch="mlp", steps=12, seed=0, lang="en")


def test_gan_film_downloads_after_a_short_run(client):

    own = streams.connect(client.src)
    own.submit(**TINY, api_name="/gan_start").result(timeout=60)
    files = own.predict(lang="en", api_name="/gan_film")
    paths = _paths(files)
    gif = next(p for p in paths if p.endswith(".gif"))
    img = Image.open(gif)
    assert img.n_frames == 12 and img.size == film.SLIDE  # one frame a step (cap 120), the last one too
    assert any(p.endswith(".png") for p in paths) and any(p.endswith(".svg") for p in paths)
    assert Image.open(next(p for p in paths if p.endswith(".png"))).size == film.STILL


@pytest.mark.slow
def test_gan_film_after_stop_ends_where_the_run_stopped(client):

    own = streams.connect(client.src)
    job = own.submit(**dict(TINY, steps=1_000_000), api_name="/gan_start")
    wait_for_step(job, 200)  # far enough for a film of several frames
    status = own.predict(lang="en", api_name="/gan_stop")[0]
    job.result(timeout=10)
    found = re.search(r"step ([\d,]+)", status)
    assert found, status
    step = int(found.group(1).replace(",", ""))
    paths = _paths(own.predict(lang="en", api_name="/gan_film"))
    gif = next(p for p in paths if p.endswith(".gif"))
    assert Path(gif).name == f"gan-ring8-step{step}.gif", (gif, status)  # the last frame is where it stopped
    assert 2 <= Image.open(gif).n_frames <= film.FILM_FRAMES + 1


def test_gan_film_before_any_run_is_a_clear_error(client):
    from gradio_client.exceptions import AppError

    own = streams.connect(client.src)
    with pytest.raises(AppError, match="Nothing filmed yet"):
        own.predict(lang="en", api_name="/gan_film")


def _paths(files) -> list[str]:
    files = files["value"] if isinstance(files, dict) else files
    return [f if isinstance(f, str) else f.get("path") for f in files]


def test_vae_film_downloads_after_a_short_run(client):

    own = streams.connect(client.src)
    train = dict(lang="en", data="digits", arch="mlp", latent=2, hidden=32, beta=1.0, epochs=2, lr=0.003,
                 batch_size=64, seed=0, grid_n=6, grid_lo=-2.5, grid_hi=2.5, grid_mode="dims", dim_x=0, dim_y=1)
    own.submit(**train, api_name="/vae_start").result(timeout=120)
    paths = _paths(own.predict(lang="en", api_name="/vae_film"))
    gif = Image.open(next(p for p in paths if p.endswith(".gif")))
    # 1,438 training digits in batches of 64: 23 updates an epoch, a snapshot every 5 and one at each epoch's end
    assert 8 <= gif.n_frames <= 12 and gif.size == film.SLIDE
    assert Image.open(next(p for p in paths if p.endswith(".png"))).size == film.STILL


def test_finetune_film_downloads_after_a_tiny_race(client):

    own = streams.connect(client.src)
    tiny = dict(data="bbc", strategies=["feature_extraction", "lora"], limit=32, test_limit=16, batch_size=16,
                max_length=32, lora_r=4, lora_alpha=8, seed=0, lang="vi")
    own.submit(**tiny, api_name="/ft_start").result(timeout=300)
    paths = _paths(own.predict(lang="vi", api_name="/ft_film"))
    gif = Image.open(next(p for p in paths if p.endswith(".gif")))
    assert gif.n_frames >= 2 and gif.size == film.SLIDE
    assert any(p.endswith(".svg") for p in paths)
