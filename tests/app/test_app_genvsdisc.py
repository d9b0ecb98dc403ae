"""Generative vs Discriminative tab through the running app (gradio_client): the three live runs stream,
bad values are translated errors, Step advances one snapshot."""

from __future__ import annotations

import json

import pytest
from gradio_client.exceptions import AppError
from tests.app import streams

GVD_TINY = {"Training points": 40, "Updates of logistic regression and the MLP": 30,
            "Points sampled from each Gaussian model": 40}
SWEEP_TINY = {"Updates of logistic regression and the MLP": 20, "Largest training set (points per class)": 4,
              "Training sets per size": 1}
AUG_TINY = {"Digits": "digits", "Real images per class (N)": [2], "Synthetic images per class (M)": 3,
            "Repeats (different real images each)": 1, "Conditional GAN updates": 20,
            "Conditional VAE updates": 20, "Classifier updates": 10}


def args(client, endpoint: str, lang: str = "en", **by_label) -> list:
    """The endpoint's inputs in order: its defaults, with the values given by widget label (lang first)."""
    params = client.view_api(return_format="dict", print_info=False)["named_endpoints"][endpoint]["parameters"]
    labels = [p["label"] for p in params]
    unknown = set(by_label) - set(labels)
    assert not unknown, f"no such inputs on {endpoint}: {unknown}"
    return [lang if p["label"] == "Language" else by_label.get(p["label"], p["parameter_default"]) for p in params]


def latest(frames: list, i: int):
    """Output i as last drawn: a frame may leave an output as it was (the plane is redrawn only with new maps)."""
    shown = [f[i] for f in frames if isinstance(f[i], str) or (isinstance(f[i], dict) and f[i].get("plot"))]
    return shown[-1]


def test_comparison_streams_to_the_end_with_all_four_models(client):
    frames = list(client.submit(*args(client, "/gvd_start", **GVD_TINY), api_name="/gvd_start"))
    assert len(frames) > 1
    status, metrics = frames[-1][:2]
    plane, density, loss = (latest(frames, i) for i in (2, 3, 4))
    assert "Done" in status and "30 of 30" in status
    for name in ("LDA", "QDA", "Logistic regression", "MLP", "Anomaly AUC"):
        assert name in metrics
    plane = json.loads(plane["plot"])
    assert [tr["type"] for tr in plane["data"]].count("image") == 4
    density = json.loads(density["plot"])
    assert [tr["type"] for tr in density["data"]].count("heatmap") == 2
    assert json.loads(loss["plot"])["data"][0]["x"][-1] == 30


def test_outliers_add_the_comparison_without_them(client):
    values = args(client, "/gvd_start", **GVD_TINY, **{"Number of outliers": 10, "Data set": "blobs"})
    frames = list(client.submit(*values, api_name="/gvd_start"))
    metrics, plane = frames[-1][1], latest(frames, 2)
    assert "Plane flipped by outliers" in metrics
    names = [tr.get("name") for tr in json.loads(plane["plot"])["data"]]
    assert "outliers" in names and "boundary without the outliers" in names


def test_bad_values_are_translated_errors(client):
    with pytest.raises(AppError, match="Training points"):
        client.predict(*args(client, "/gvd_start", **{"Training points": 2}), api_name="/gvd_start")
    with pytest.raises(AppError, match="Số điểm huấn luyện"):
        client.predict(*args(client, "/gvd_start", lang="vi", **{"Training points": 2}), api_name="/gvd_start")
    with pytest.raises(AppError, match="outlier class"):  # a check across fields, in the core's words
        client.predict(*args(client, "/gvd_start", **{"Class that gets them": 2}), api_name="/gvd_start")
    with pytest.raises(AppError, match="n_real"):
        client.predict(*args(client, "/aug_start", **{**AUG_TINY, "Real images per class (N)": []}),
                       api_name="/aug_start")


def test_step_advances_one_snapshot_and_pauses(client):

    own = streams.connect(client.src)  # a browser session of its own
    first = own.predict(*args(own, "/gvd_step", **GVD_TINY), api_name="/gvd_step")
    assert "Paused" in first[0] and "update 0 of 30" in first[0]
    second = own.predict(*args(own, "/gvd_step", **GVD_TINY), api_name="/gvd_step")
    assert "update 10 of 30" in second[0]


def test_sweep_streams_its_chart(client):
    frames = list(client.submit(*args(client, "/gvd_sweep_start", **SWEEP_TINY), api_name="/gvd_sweep_start"))
    status, plot = frames[-1][0], latest(frames, 1)
    assert "Done" in status and "2 of 2" in status
    traces = json.loads(plot["plot"])["data"]
    lines = [tr for tr in traces if tr.get("mode") == "lines+markers"]
    assert len(lines) == 4 and lines[0]["x"] == [2, 4]  # points per class (the unit of the control and the lesson)


def test_augmentation_experiment_reports_and_shows_the_synthetic_digits(client):
    frames = list(client.submit(*args(client, "/aug_start", **AUG_TINY), api_name="/aug_start"))
    status = frames[-1][0]
    verdict, plot = latest(frames, 1), latest(frames, 2)
    gan_grid, vae_grid = ([f[i] for f in frames if f[i]][-1] for i in (3, 4))
    assert "Done" in status
    assert "real + GAN, N = 2" in verdict and "real + VAE, N = 2" in verdict
    names = [tr.get("name") for tr in json.loads(plot["plot"])["data"]]
    assert {"real only", "real + GAN", "real + VAE"} <= set(names)
    assert gan_grid and vae_grid
