"""VAE core: reparameterization gradients, closed-form KL, training, latent grids, anomaly ROC, checkpoints, CLI,
and runs that own their randomness (bit-identical beside other runs)."""

from __future__ import annotations

import dataclasses
import json
import math
import threading
from dataclasses import asdict

import numpy as np
import pytest
import torch

from playground.kit import knobs, metrics
from playground import vae as core
from playground.data.images import available_image_sets
from playground.kit.runs import Diverged


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
    recon, kl = core.loss_terms(model, x, torch.Generator().manual_seed(0))
    recon.mean().backward()  # reconstruction only: sigma is reached only through z = mu + sigma * eps
    g = model.encoder.head.weight.grad  # (2*latent, hidden)
    assert g[:2].abs().sum() > 0 and g[2:].abs().sum() > 0


def test_the_autoencoder_has_no_noise_and_no_kl():
    model = core.VAE(core.VaeConfig(data="digits", kind="ae"), (1, 8, 8))
    x = torch.rand(3, 1, 8, 8)
    mu, logvar = model.encode(x)
    assert torch.equal(model.reparameterize(mu, logvar), mu)  # no generator needed: nothing is drawn
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
    items = list(core.train(model, cfg, split, report_every=3))
    snaps = [s for s in items if s is not None]
    assert [s.step for s in snaps] == sorted(s.step for s in snaps)
    assert sum(s.test_elbo is not None for s in snaps) == 2 and len(snaps) > 2
    # a heartbeat (None) after every update that does not report, and between evaluation batches
    updates = snaps[-1].step
    assert len(items) >= updates + 2 and items.count(None) >= updates - len(snaps)
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'recon'"):
        snaps[0].recon = 0.0  # frozen


def test_a_nan_loss_raises_diverged_instead_of_yielding_nan():
    cfg = core.VaeConfig(data="digits", epochs=1, seed=0)
    split = core.load_split(cfg)
    model = core.build_model(cfg, split.train.shape)
    with torch.no_grad():
        model.decoder.body[-1].bias.fill_(float("nan"))
    seen = []
    with pytest.raises(Diverged, match="diverged at step 2: the loss became NaN or infinite"):
        for s in core.train(model, cfg, split, report_every=2):
            seen.append(s)
    assert all(s is None for s in seen)  # no snapshot with NaN ever left the loop


def _tiny_run(seed: int = 3) -> tuple[list, torch.Tensor]:
    cfg = core.VaeConfig(data="digits", epochs=1, seed=seed, hidden=32, batch_size=64)
    model, _, history = core.fit(cfg)
    return [(s.recon, s.kl, s.test_elbo) for s in history], torch.cat([p.flatten() for p in model.parameters()])


def test_same_seed_same_numbers_and_no_global_rng_is_touched():
    state = torch.get_rng_state()
    a, wa = _tiny_run()
    assert torch.equal(torch.get_rng_state(), state)  # init, shuffling and eps all come from private generators
    b, wb = _tiny_run()
    assert a == b and torch.equal(wa, wb)
    c, _ = _tiny_run(seed=4)
    assert c != a


def test_concurrent_runs_with_the_same_seed_are_bit_identical_to_a_run_alone():
    alone, w_alone = _tiny_run()
    results: dict[str, tuple] = {}
    stop = threading.Event()

    def noise():  # another session drawing from the global RNG meanwhile (as dropout would)
        while not stop.is_set():
            torch.manual_seed(123)
            torch.randn(1000)

    def run(name):
        results[name] = _tiny_run()

    threads = [threading.Thread(target=run, args=(k,)) for k in ("a", "b")] + [threading.Thread(target=noise)]
    for th in threads:
        th.start()
    for th in threads[:2]:
        th.join()
    stop.set()
    threads[2].join()
    for history, weights in results.values():
        assert history == alone and torch.equal(weights, w_alone)


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
    fpr, tpr, thr = metrics.roc_curve(normal, anomalous)
    assert fpr[0] == tpr[0] == 0 and fpr[-1] == tpr[-1] == 1 and np.all(np.diff(thr) < 0)
    y = np.r_[np.zeros(300), np.ones(120)]
    assert metrics.auc(fpr, tpr) == pytest.approx(roc_auc_score(y, np.r_[normal, anomalous]), abs=1e-9)
    assert metrics.auc(*metrics.roc_curve(np.zeros(5), np.ones(5))[:2]) == 1.0


def test_knn_accuracy_separates_clusters():
    g = torch.Generator().manual_seed(0)
    z = torch.cat([torch.randn(50, 2, generator=g) - 5, torch.randn(50, 2, generator=g) + 5])
    y = torch.cat([torch.zeros(50), torch.ones(50)]).long()
    assert metrics.knn_accuracy(z, y, z + 0.1, y, k=5) == 1.0
    assert metrics.knn_accuracy(z, y, z, 1 - y, k=5) == 0.0


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
    (dict(latent=0), "latent must be a whole number from 1 to 32"), (dict(latent=33), "latent must be"),
    (dict(beta=-1.0), "beta must be a number from 0 to 10"), (dict(beta=float("nan")), "beta must be"),
    (dict(lr=0.0), "lr must be a number greater than 0 to 0.1"), (dict(lr=1e308), "lr must be"),
    (dict(epochs=0), "epochs must be"), (dict(data="cifar"), "data must be one of mnist, digits, fashion"),
    (dict(arch="rnn"), "arch must be one of mlp, conv"), (dict(kind="gan"), "kind must be one of vae, ae"),
    (dict(holdout=12), "holdout must be"), (dict(batch_size=2.5), "batch_size must be a whole number"),
    (dict(seed=-1), "seed must be"), (dict(hidden="abc"), "hidden must be"), (dict(device="tpu"), "device")])
def test_bad_config_values_are_refused_clearly(bad, message):
    with pytest.raises(ValueError, match=message):
        core.VaeConfig(**bad)


def test_config_values_from_widgets_and_json_are_normalised():
    cfg = core.VaeConfig(latent=4.0, holdout="3", epochs="2")
    assert (cfg.latent, cfg.holdout, cfg.epochs) == (4, 3, 2) and isinstance(cfg.latent, int)
    assert knobs.limits(core.VaeConfig)["latent"].hi == 32  # one range, read by the tab and the CLI


@pytest.mark.parametrize("bad, message", [
    (dict(lo=1e308), "lo must be a number from -100 to 100"), (dict(hi="abc"), "hi must be"),
    (dict(hi=float("nan")), "hi must be"), (dict(lo=2.0, hi=-2.0), "low < high"), (dict(n=41), "n must be"),
    (dict(mode="tsne"), "mode must be one of dims, pca")])
def test_bad_grid_specs_are_refused_clearly(bad, message):
    with pytest.raises(ValueError, match=message):
        core.GridSpec(**bad)


def test_grid_spec_adapts_to_the_latent_size():
    assert core.GridSpec(dim_x=3, dim_y=5).for_latent(2).dims == (0, 1)
    assert core.GridSpec(dim_x=3, dim_y=5).for_latent(8).dims == (3, 5)
    with pytest.raises(ValueError, match="two different latent dimensions between 0 and 3"):
        core.GridSpec(dim_x=2, dim_y=2).for_latent(4)
    model = core.build_model(core.VaeConfig(data="digits", latent=1))
    assert core.spec_latents(model, core.GridSpec(n=3)).shape == (9, 1)


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
    assert "latent must be a whole number from 1 to 32" in json.loads(capsys.readouterr().err)["error"]


def test_cli_flags_come_from_the_declared_limits(capsys):
    from playground.__main__ import main

    with pytest.raises(SystemExit):
        main(["vae", "--help"])
    text = " ".join(capsys.readouterr().out.split())  # argparse wraps lines
    for flag in ("--latent", "--batch-size", "--test-fraction", "--kind", "--beta", "--lr"):
        assert flag in text
    assert "a whole number from 1 to 32" in text
