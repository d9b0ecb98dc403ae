"""VAE core: reparameterization gradients, closed-form KL, training, latent grids, anomaly ROC, checkpoints, CLI."""

from __future__ import annotations

import json
import math
from dataclasses import asdict

import numpy as np
import pytest
import torch

from playground import vae as core
from playground.datasets import available_image_sets


@pytest.fixture(scope="module")
def digits_run():
    """The default preset on scikit-learn digits with class 0 held out (seeded; a few seconds)."""
    cfg = core.VaeConfig(data="digits", holdout=0, seed=0)
    model, split, history = core.fit(cfg)
    return cfg, model, split, history


def test_gradients_reach_mu_and_sigma_through_the_reparameterization():
    model = core.VAE(core.VaeConfig(data="digits"), (1, 8, 8))
    mu = torch.tensor([[0.3, -1.0]], requires_grad=True)
    logvar = torch.tensor([[-0.5, 0.2]], requires_grad=True)
    eps = torch.tensor([[1.5, -0.7]])
    z = model.reparameterize(mu, logvar, eps)
    z.sum().backward()
    # dz/dmu = 1; dz/dlogvar = 0.5 * sigma * eps
    assert torch.allclose(mu.grad, torch.ones_like(mu))
    assert torch.allclose(logvar.grad, 0.5 * torch.exp(0.5 * logvar.detach()) * eps)
    # and through a whole model: both halves of the encoder head (mu rows and logvar rows) get gradient
    x = torch.rand(4, 1, 8, 8)
    recon, kl = core.loss_terms(model, x)
    recon.mean().backward()  # reconstruction only: sigma is reached only through z = mu + sigma * eps
    g = model.encoder.head.weight.grad  # (2*latent, hidden)
    assert g[:2].abs().sum() > 0 and g[2:].abs().sum() > 0


def test_the_autoencoder_has_no_noise_and_no_kl():
    model = core.VAE(core.VaeConfig(data="digits", kind="ae"), (1, 8, 8))
    x = torch.rand(3, 1, 8, 8)
    mu, logvar = model.encode(x)
    assert torch.equal(model.reparameterize(mu, logvar), mu)
    _, kl = core.loss_terms(model, x)
    assert torch.all(kl == 0)


def test_kl_matches_the_closed_form_and_a_monte_carlo_estimate():
    mu = torch.tensor([[1.0, -2.0, 0.0]])
    sigma = torch.tensor([[0.5, 2.0, 1.0]])
    kl = core.kl_divergence(mu, torch.log(sigma ** 2))
    expected = sum(0.5 * (s ** 2 + m ** 2 - 1 - 2 * math.log(s)) for m, s in zip(mu[0].tolist(), sigma[0].tolist()))
    assert kl.item() == pytest.approx(expected, rel=1e-6)
    assert core.kl_divergence(torch.zeros(1, 4), torch.zeros(1, 4)).item() == pytest.approx(0.0, abs=1e-7)
    q = torch.distributions.Normal(mu[0], sigma[0])
    p = torch.distributions.Normal(torch.zeros(3), torch.ones(3))
    z = mu[0] + sigma[0] * torch.randn(200_000, 3, generator=torch.Generator().manual_seed(0))  # (S, 3) from q
    mc = (q.log_prob(z) - p.log_prob(z)).sum(1).mean().item()
    assert mc == pytest.approx(expected, rel=0.02)


def test_reconstruction_loss_is_bce_summed_over_pixels():
    x = torch.rand(2, 1, 8, 8).round()
    logits = torch.randn(2, 1, 8, 8)
    p = torch.sigmoid(logits)
    manual = -(x * torch.log(p) + (1 - x) * torch.log(1 - p)).flatten(1).sum(1)
    assert torch.allclose(core.reconstruction_loss(logits, x), manual, atol=1e-4)


def test_elbo_improves_over_a_short_run(digits_run):
    _, _, _, history = digits_run
    assert history[-1].test_elbo > history[0].test_elbo + 1.0
    assert all(s.test_elbo == pytest.approx(-(s.test_recon + s.test_kl)) for s in history)
    assert history[-1].done and history[-1].samples.shape == (16, 1, 8, 8)


def test_training_streams_frozen_snapshots():
    cfg = core.VaeConfig(data="digits", epochs=2, seed=1)
    split = core.load_split(cfg)
    model = core.build_model(cfg, split.train.shape)
    snaps = list(core.train(model, cfg, split, report_every=3))
    assert [s.step for s in snaps] == sorted(s.step for s in snaps)
    assert sum(s.test_elbo is not None for s in snaps) == 2 and len(snaps) > 2
    with pytest.raises(Exception):
        snaps[0].recon = 0.0  # frozen


def test_same_seed_same_numbers():
    cfg = core.VaeConfig(data="digits", epochs=1, seed=3)
    a = core.fit(cfg)[2][-1]
    b = core.fit(cfg)[2][-1]
    assert a.recon == b.recon and a.kl == b.kl


def test_grid_shapes_and_orientation(digits_run):
    _, model, split, _ = digits_run
    images, z = core.latent_grid(model, n=5, lo=-2, hi=2)
    assert images.shape == (25, 8, 8) and z.shape == (25, 2)
    assert images.min() >= 0 and images.max() <= 1
    assert z[0].tolist() == [-2, 2] and z[4].tolist() == [2, 2] and z[20].tolist() == [-2, -2]  # top row = high z1
    big = core.VAE(core.VaeConfig(data="digits", latent=4), (1, 8, 8))
    z4 = core.grid_latents(3, -1, 1, 4, dims=(1, 3))
    assert z4.shape == (9, 4) and torch.all(z4[:, [0, 2]] == 0)
    mu, sigma = core.posterior(big, split.test.x)
    assert mu.shape == sigma.shape == (len(split.test), 4) and torch.all(sigma > 0)
    center, basis = core.pca_plane(mu)
    assert torch.allclose(basis @ basis.T, torch.eye(2), atol=1e-5)
    images, zp = core.latent_grid(big, n=4, plane=(center, basis))
    assert images.shape == (16, 8, 8) and zp.shape == (16, 4)
    assert torch.allclose((zp - center) @ basis.T @ basis, zp - center, atol=1e-5)  # the points lie in the plane
    with pytest.raises(ValueError, match="two different latent dimensions"):
        core.grid_latents(3, -1, 1, 4, dims=(2, 2))
    with pytest.raises(ValueError, match="grid size"):
        core.latent_grid(model, n=1)


def test_reparameterization_demo_and_interpolation(digits_run):
    _, model, split, _ = digits_run
    r = core.reparameterization_demo(model, split.test.x[0], seed=5)
    assert torch.allclose(r.z, r.mu + r.sigma * r.eps, atol=1e-6)
    assert r.reconstruction.shape == r.mean_reconstruction.shape == r.image.shape == (8, 8)
    assert torch.equal(core.reparameterization_demo(model, split.test.x[0], seed=5).eps, r.eps)
    strip = core.interpolate(model, split.test.x[0], split.test.x[1], steps=7)
    assert strip.shape == (7, 8, 8)
    mu, _ = core.posterior(model, split.test.x[:2])
    assert torch.allclose(strip[0], core.decode_grid(model, mu[:1])[0], atol=1e-5)


def test_roc_and_auc_match_scikit_learn():
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(0)
    normal, anomalous = rng.normal(0, 1, 300), rng.normal(1, 1, 120)
    normal[:20] = anomalous[:20] = 0.5  # ties
    fpr, tpr, thr = core.roc_curve(normal, anomalous)
    assert fpr[0] == tpr[0] == 0 and fpr[-1] == tpr[-1] == 1 and np.all(np.diff(thr) < 0)
    y = np.r_[np.zeros(300), np.ones(120)]
    assert core.auc(fpr, tpr) == pytest.approx(roc_auc_score(y, np.r_[normal, anomalous]), abs=1e-9)
    assert core.auc(*core.roc_curve(np.zeros(5), np.ones(5))[:2]) == 1.0


def test_anomaly_auc_of_a_seeded_default_run_is_high(digits_run):
    cfg, model, split, _ = digits_run
    res = core.anomaly_detection(model, cfg, split, "recon")
    assert len(res.anomalous) == int((split.test.y == 0).sum()) and "held out" in res.description
    assert res.auc > 0.8, res.auc
    fp, tp = res.rates_at(float(np.median(res.normal)))
    assert 0.4 < fp < 0.6 and tp > fp
    assert core.anomaly_detection(model, cfg, split, "elbo").auc > 0.8


@pytest.mark.skipif("fashion" not in available_image_sets(), reason="Fashion-MNIST is not installed")
def test_fashion_images_are_anomalies_for_a_digit_model(digits_run):
    cfg, model, split, _ = digits_run
    cfg_all = core.VaeConfig.from_dict({**asdict(cfg), "holdout": -1})
    normal, anomalous, desc = core.anomaly_inputs(cfg_all, split)
    assert anomalous.shape[1:] == (1, 8, 8) and desc == "digits vs fashion"
    assert core.anomaly_detection(model, cfg_all, split).auc > 0.8


@pytest.mark.parametrize("bad, message", [
    (dict(latent=0), "latent"), (dict(beta=-1.0), "beta"), (dict(beta=float("nan")), "beta"),
    (dict(lr=0.0), "lr"), (dict(epochs=0), "epochs"), (dict(data="cifar"), "data"), (dict(arch="rnn"), "arch"),
    (dict(kind="gan"), "kind"), (dict(holdout=12), "holdout"), (dict(batch_size=2.5), "batch_size"),
    (dict(seed=-1), "seed")])
def test_bad_config_values_are_refused_clearly(bad, message):
    with pytest.raises(ValueError, match=message):
        core.VaeConfig(**bad)


@pytest.mark.parametrize("data, shape", [("digits", (1, 8, 8)), ("mnist", (1, 28, 28))])
def test_conv_encoder_and_decoder_shapes(data, shape):
    model = core.VAE(core.VaeConfig(data=data, arch="conv", latent=3), shape)
    x = torch.rand(5, *shape)
    mu, logvar = model.encode(x)
    assert mu.shape == logvar.shape == (5, 3)
    assert model.decode(mu).shape == (5, *shape)


def test_checkpoint_round_trip(tmp_path, digits_run):
    cfg, model, split, _ = digits_run
    path = core.save_checkpoint(tmp_path / "m.safetensors", {"vae": model}, cfg, {"note": 1}, half=False)
    cfg2, models, extra = core.load_checkpoint(path)
    assert cfg2 == core.VaeConfig.from_dict(asdict(cfg)) and extra == {"note": 1}
    assert torch.equal(models["vae"].decode(torch.zeros(1, 2)), model.eval().decode(torch.zeros(1, 2)))
    assert json.loads(path.with_suffix(".json").read_text())["config"]["holdout"] == 0


def test_shipped_checkpoint_is_small_and_made_with_the_default_preset():
    assert core.ASSET.stat().st_size < 2 * 2**20
    cfg, models, extra = core.load_checkpoint()
    assert cfg == core.VaeConfig()  # the UI preset, the CLI defaults and the shipped model agree
    assert set(models) == {"vae", "ae"} and extra["report"]["anomaly_auc"] > 0.9
    images, _ = core.latent_grid(models["vae"], n=20)
    assert images.shape == (400, 28, 28)


def test_cli_prints_the_metrics_and_an_auc(capsys, tmp_path):
    from playground.__main__ import main

    out = tmp_path / "v.safetensors"
    assert main(["vae", "--data", "digits", "--epochs", "2", "--holdout", "3", "--seed", "1", "--json",
                 "--save", str(out)]) == 0
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    for key in ("test_recon", "test_kl", "test_elbo"):
        assert isinstance(report[key], float)
    assert report["test_elbo"] == pytest.approx(-(report["test_recon"] + report["test_kl"]), abs=0.01)
    assert 0 <= report["anomaly_auc"] <= 1 and out.exists()
    assert main(["vae", "--latent", "0", "--json"]) == 2
    assert "latent" in json.loads(capsys.readouterr().err)["error"]
