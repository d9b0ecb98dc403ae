"""The VAE Explorer through gradio_client: the API names, streaming training, translated errors."""

from __future__ import annotations

import json

import pytest
from gradio_client.exceptions import AppError

from playground.datasets import available_image_sets

SPEC = dict(n=6, lo=-2.5, hi=2.5, mode="dims", dim_x=0, dim_y=1)


def test_pretrained_model_answers_at_once(client):
    grid = client.predict(SPEC["n"], SPEC["lo"], SPEC["hi"], SPEC["mode"], SPEC["dim_x"], SPEC["dim_y"], "en",
                          api_name="/vae_grid")
    from PIL import Image

    w, h = Image.open(grid).size
    assert w == h and w >= 6 * 28
    strip, table, fig = client.predict(3, 7, "en", api_name="/vae_reparam")
    assert "z = μ + σ·ε" in table and fig["type"] == "plotly"
    interp, caption = client.predict(0, 1, 8, "vi", api_name="/vae_interpolate")
    assert "Từ một" in caption


def test_training_streams_curves_and_ends_with_a_status(client):
    job = client.submit("digits", "mlp", 2, 64, 1.0, 3, 0.003, 64, 0, *SPEC.values(), "en", api_name="/vae_train")
    outputs = list(job)
    assert len(outputs) >= 3  # streamed: one update per epoch at least
    curves, status, grid = job.result()
    assert status.startswith("Done in") and "ELBO" in status
    names = [tr["name"] for tr in json.loads(curves["plot"])["data"]]
    assert any("KL" in n for n in names) and any("ELBO" in n for n in names)


def test_anomaly_detection_gives_a_roc_with_auc(client):
    # a held-out class trains a second model on this session's settings and streams its progress
    job = client.submit("holdout", 0, "elbo", "en", api_name="/vae_anomaly")
    assert any("Training without class 0" in str(o[2]) for o in job)
    hist, roc, note, threshold = job.result()
    assert "held out" in json.loads(hist["plot"])["layout"]["title"]["text"]
    assert 0.0 <= float(note.split("AUC = **")[1].split("**")[0]) <= 1.0
    # back to the shipped model: Fashion-MNIST images against MNIST digits are easy to tell apart
    client.predict("en", api_name="/vae_reset")
    if "fashion" not in available_image_sets():
        pytest.skip("Fashion-MNIST is not installed")
    hist, roc, note, threshold = client.predict("other", 0, "recon", "en", api_name="/vae_anomaly")
    assert float(note.split("AUC = **")[1].split("**")[0]) > 0.9
    hist2, roc2, note2 = client.predict(threshold["value"] if isinstance(threshold, dict) else 400.0, "en",
                                        api_name="/vae_threshold")
    assert "anomalies caught" in note2


def test_bad_hyper_parameters_get_a_translated_message(client):
    with pytest.raises(AppError, match="Tốc độ học phải lớn hơn 0"):
        client.predict("digits", "mlp", 2, 64, 1.0, 3, 0.0, 64, 0, *SPEC.values(), "vi", api_name="/vae_train")
    with pytest.raises(AppError, match="Batch size must be a whole number from 8 to 1024"):
        client.predict("digits", "mlp", 2, 64, 1.0, 3, 0.003, 3, 0, *SPEC.values(), "en", api_name="/vae_train")
    with pytest.raises(AppError, match="“from” smaller than “to”"):
        client.predict(6, 2, -2, "dims", 0, 1, "en", api_name="/vae_grid")
