"""The VAE Explorer through gradio_client: live training (start, stop within 2 s with a final status), the
latent tools on the shipped model, anomaly detection, and bad inputs answered with a message."""

from __future__ import annotations

import json

import pytest
from gradio_client.exceptions import AppError

from playground.data.images import available_image_sets
from tests.app.streams import wait_for

# the endpoints' parameters by name (the widgets' values are the defaults of the others)
TRAIN = dict(lang="en", data="mnist", arch="mlp", latent=2, hidden=256, beta=1.0, epochs=30, lr=0.003,
             batch_size=128, seed=0, grid_n=6, grid_lo=-2.5, grid_hi=2.5, grid_mode="dims", dim_x=0, dim_y=1)
GRID = dict(lang="en", grid_n=6, grid_lo=-2.5, grid_hi=2.5, grid_mode="dims", dim_x=0, dim_y=1)
SMALL = dict(data="digits", epochs=2, hidden=32, batch_size=64)


def args(base: dict, **changes) -> dict:
    return {**base, **changes}


def test_pretrained_model_answers_at_once(client):
    grid, cell, info = client.predict(**GRID, api_name="/vae_grid")
    from PIL import Image

    w, h = Image.open(grid).size
    assert w == h and w >= 6 * 29 and "Click a cell" in info
    strip, table, fig = client.predict(lang="en", image=3, eps_seed=7, api_name="/vae_reparam")
    assert "z = μ + σ·ε" in table and fig["type"] == "plotly"
    interp, caption = client.predict(lang="vi", image_a=0, image_b=1, steps=8, api_name="/vae_interpolate")
    assert "Từ một" in caption


def test_training_streams_and_stop_says_where_it_stopped(client):
    job = client.submit(**TRAIN, api_name="/vae_start")
    wait_for(job, "epoch 2")  # the first epoch ended: curves drawn
    status, *_ = client.predict(lang="en", api_name="/vae_stop")
    assert status.startswith("■ Stopped at epoch"), status
    job.result(timeout=10)
    assert job.outputs()[-1][0] == status  # no late frame overwrote the answer
    curves = [o[1] for o in job.outputs() if isinstance(o[1], dict) and o[1].get("plot")][-1]
    names = [tr["name"] for tr in json.loads(curves["plot"])["data"]]
    assert any("KL" in n for n in names) and any("ELBO" in n for n in names)


def test_pause_and_resume_through_the_api(client):
    job = client.submit(**args(TRAIN, data="digits", epochs=50, hidden=32, batch_size=16), api_name="/vae_start")
    wait_for(job, "epoch")
    status, *_ = client.predict(lang="en", api_name="/vae_pause_resume")
    assert status.startswith("‖ Paused at epoch"), status
    job.result(timeout=10)  # the stream ends on the pause
    resumed = client.submit(lang="en", api_name="/vae_pause_resume")
    wait_for(resumed, "Training")
    status, *_ = client.predict(lang="en", api_name="/vae_stop")
    assert status.startswith("■ Stopped at epoch"), status
    resumed.result(timeout=10)


def test_a_short_run_ends_with_the_test_figures(client):
    job = client.submit(**args(TRAIN, **SMALL), api_name="/vae_start")
    status, curves, grid = job.result(timeout=120)
    assert status.startswith("✓ Done: epoch 2 of 2") and "Test set: ELBO" in status, status
    assert "threads" in status or "GPU" in status  # the device notice, read at the time


def test_the_autoencoder_trains_beside_the_session_model(client):
    # a small digits VAE first: the autoencoder copies the session's settings
    client.submit(**args(TRAIN, **SMALL), api_name="/vae_start").result(120)
    status, vae_grid, ae_grid, ae_zoom, note, scatter = client.submit(lang="en", api_name="/vae_ae_start").result(120)
    assert status.startswith("✓ Done: autoencoder, epoch 2 of 2"), status
    assert vae_grid and ae_grid and ae_zoom and "autoencoder grid over z" in note
    assert "Autoencoder codes" in json.loads(scatter["plot"])["layout"]["title"]["text"]


def test_step_advances_one_snapshot_and_pauses(client):
    status, curves, grid = client.predict(**args(TRAIN, **SMALL), api_name="/vae_step")
    assert status.startswith("‖ Paused at epoch 1 of 2 (update 5)"), status
    status, *_ = client.predict(lang="en", api_name="/vae_stop")
    assert status.startswith("■ Stopped at epoch 1")
    client.predict(lang="en", api_name="/vae_reset")


def test_anomaly_detection_gives_a_roc_with_auc(client):
    client.predict(lang="en", api_name="/vae_reset")
    job = client.submit(lang="en", scenario="holdout", holdout="3", score="elbo",
                        api_name="/vae_anomaly_start")  # '3' as documented
    status, hist, roc, note, threshold = job.result(timeout=300)
    assert status.startswith("✓ Done: AUC =") and "class 3 held out" in status
    assert "held out" in json.loads(hist["plot"])["layout"]["title"]["text"]
    assert 0.0 <= float(note.split("AUC = **")[1].split("**")[0]) <= 1.0
    if "fashion" not in available_image_sets():
        pytest.skip("Fashion-MNIST is not installed")
    status, hist, roc, note, threshold = client.predict(lang="en", scenario="other", holdout="0", score="recon",
                                                      api_name="/vae_anomaly_start")
    assert float(note.split("AUC = **")[1].split("**")[0]) > 0.9
    hist2, roc2, note2 = client.predict(lang="en", threshold=400.0, api_name="/vae_threshold")
    assert "anomalies caught" in note2


@pytest.mark.parametrize("endpoint, values, message", [
    ("/vae_start", args(TRAIN, lang="vi", lr=0.0), "Tốc độ học phải là một số lớn hơn 0 và không quá 0.1"),
    ("/vae_start", args(TRAIN, batch_size=3), "Batch size must be a whole number from 8 to 1,024 (got 3)"),
    ("/vae_start", args(TRAIN, latent=2.5), "Latent size must be a whole number from 1 to 32"),
    ("/vae_start", args(TRAIN, grid_hi=1e308), "z to must be a number from -100 to 100"),
    ("/vae_grid", args(GRID, grid_lo=2, grid_hi=-2), "low < high"),
    ("/vae_grid", args(GRID, lang="vi", grid_lo=2, grid_hi=-2), "Khoảng z cần có"),
    ("/vae_grid", args(GRID, grid_hi=1e308), "z to must be a number from -100 to 100 (got 1e+308)"),
    ("/vae_grid", args(GRID, grid_lo="abc"), "expected a number, got 'abc'"),  # the app's number check
    ("/vae_reparam", dict(lang="en", image=3, eps_seed=1e308),
     "ε seed must be a whole number from 0 to 2,147,483,647 (got 1e+308)"),
    ("/vae_reparam", dict(lang="en", image=100000, eps_seed=0), "Test image # must be a whole number from 0 to 999"),
    ("/vae_interpolate", dict(lang="en", steps=2.5), "Steps must be a whole number from 2 to 32"),
    ("/vae_interpolate", dict(lang="en", image_b=-1),
     "Image B (test #) must be a whole number from 0 to 999 (got -1)"),
    ("/vae_anomaly_start", dict(lang="en", scenario="holdout", holdout="11"),
     "Held-out class must be a whole number from -1 to 9"),
    ("/vae_anomaly_start", dict(lang="vi", scenario="holdout", holdout="x"),
     "Lớp bị giữ lại phải là một số nguyên từ -1 đến 9"),
    ("/vae_anomaly_start", dict(lang="en", scenario="elsewhere"), "not in the list of choices"),  # Gradio's check
])
def test_bad_inputs_get_a_clear_translated_message(client, endpoint, values, message):
    with pytest.raises(AppError) as e:
        client.predict(**values, api_name=endpoint)
    assert message in str(e.value)


def _raw_call(app_url: str, endpoint: str, body: str) -> str:
    """Call an endpoint with a raw JSON body (gradio_client cannot send NaN); return the streamed events."""
    import httpx

    r = httpx.post(f"{app_url}/gradio_api/call{endpoint}", content=body,
                   headers={"Content-Type": "application/json"}, timeout=30)
    event_id = r.json()["event_id"]
    events = httpx.get(f"{app_url}/gradio_api/call{endpoint}/{event_id}", timeout=60).text
    assert "event: error" in events, events[-500:]
    return json.loads(events.split("event: error\ndata: ", 1)[1].splitlines()[0])["error"]


@pytest.mark.parametrize("endpoint, body, message", [
    ("/vae_grid", '{"data": ["vi", 6, NaN, 2.5, "dims", 0, 1]}', "z từ phải là một số từ -100 đến 100"),
    ("/vae_grid", '{"data": ["en", 6, -2, Infinity, "dims", 0, 1]}', "z to must be a number from -100 to 100"),
    ("/vae_reparam", '{"data": ["en", 3, Infinity]}', "ε seed must be a whole number from 0 to 2,147,483,647"),
    ("/vae_reparam", '{"data": ["en", NaN, 0]}', "Test image # must be a whole number"),
])
def test_nan_and_infinity_get_a_message_too(app_url, endpoint, body, message):
    assert message in _raw_call(app_url, endpoint, body)
