"""GAN core: toy data and coverage metric, config validation, training, determinism, stop, export."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from playground.gan import trainer as gan
from playground.data import toy2d

TINY = dict(latent_dim=4, width=16, depth=1, batch_size=32, steps=20, seed=0)


# ---------------------------------------------------------------- toy data and coverage
@pytest.mark.parametrize("name", toy2d.DISTRIBUTIONS)
def test_real_samples_are_all_high_quality(name):
    pts = toy2d.sample(name, 4000, torch.Generator().manual_seed(0))
    assert pts.shape == (4000, 2)
    cov = toy2d.coverage(pts, name)
    assert cov.modes_covered == cov.n_modes
    assert cov.high_quality > 0.98  # 3 std holds 99.7% of a 1-D Gaussian, ~98.9% of a 2-D one


def test_coverage_all_eight_modes_by_hand():
    centres = toy2d.mode_centres("ring8").numpy()
    assert np.allclose(np.linalg.norm(centres, axis=1), 2.0)
    pts = np.repeat(centres, 50, axis=0) + 0.01  # 400 points, all within 3 std (0.06) of a centre
    cov = toy2d.coverage(pts, "ring8")
    assert (cov.modes_covered, cov.n_modes, cov.high_quality) == (8, 8, 1.0)
    assert cov.per_mode == (50,) * 8


def test_coverage_one_mode_by_hand():
    pts = np.tile([[2.0, 0.0]], (400, 1))
    pts[:200] += 0.03  # still within 3 std
    cov = toy2d.coverage(pts, "ring8")
    assert cov.modes_covered == 1 and cov.high_quality == 1.0 and cov.per_mode[0] == 400


def test_coverage_counts_far_points_as_low_quality():
    pts = np.array([[2.0, 0.0]] * 10 + [[0.0, 0.0]] * 10 + [[2.1, 0.0]] * 10)  # centre; origin; 5 std off
    cov = toy2d.coverage(pts, "ring8")
    assert cov.high_quality == pytest.approx(1 / 3)
    assert cov.modes_covered == 1


def test_coverage_stray_points_do_not_cover_a_mode():
    centres = toy2d.mode_centres("ring8").numpy()
    pts = np.concatenate([np.repeat(centres[:1], 990, 0), centres[1:2].repeat(10, 0)])  # 10 < 13 needed
    assert toy2d.coverage(pts, "ring8").modes_covered == 1


def test_coverage_on_curves_uses_the_nearest_curve_point():
    ref, regions, n = toy2d.reference("spiral")
    cov = toy2d.coverage(ref, "spiral")
    assert (cov.modes_covered, cov.high_quality) == (n, 1.0)
    half = ref[regions < n // 2]
    assert toy2d.coverage(half, "spiral").modes_covered == n // 2
    assert toy2d.coverage(ref + 1.0, "moons").high_quality < 0.2


def test_coverage_rejects_bad_shapes_and_handles_nan():
    with pytest.raises(ValueError, match="shape"):
        toy2d.coverage(np.zeros((5, 3)), "ring8")
    cov = toy2d.coverage(np.array([[np.nan, 0.0], [2.0, 0.0]]), "ring8")
    assert cov.high_quality == 0.5
    with pytest.raises(ValueError, match="unknown 2-D distribution"):
        toy2d.sample("circle", 3)


# ---------------------------------------------------------------- config
@pytest.mark.parametrize("bad, match", [
    (dict(lr_g=0), "lr_g must be a number greater than 0 to 1"),
    (dict(lr_d=-1e-3), "lr_d must be a number greater than 0 to 1"),
    (dict(lr_g=2.0), r"lr_g must be a number greater than 0 to 1; got 2.0"),
    (dict(lr_d=float("nan")), "lr_d must be .* got nan"),
    (dict(width=100_000), "width must be a whole number from 4 to 1024; got 100000"),
    (dict(batch_size=4), "batch_size must be a whole number from 8 to 2048; got 4"),
    (dict(data="mnist", batch_size=1024), "batch_size for image data must be at most 512"),
    (dict(d_steps=0), "d_steps must be a whole number from 1 to 10; got 0"),
    (dict(d_steps=1.5), "d_steps must be a whole number from 1 to 10; got 1.5"),
    (dict(latent_dim=0), "latent_dim must be a whole number from 1 to 256"),
    (dict(loss="hinge"), "loss must be one of minimax, ns, lsgan, wgan-gp; got 'hinge'"),
    (dict(optimizer="rmsprop"), "optimizer must be one of"),
    (dict(data="cifar"), "data must be one of"),
    (dict(arch="dcgan"), "dcgan"),
    (dict(seed=-1), "seed must be a whole number from 0 to 2147483647; got -1"),
    (dict(steps=0), "steps must be a whole number from 1 to 1000000; got 0"),
])
def test_bad_config_raises(bad, match):
    with pytest.raises(ValueError, match=match):
        gan.GanConfig(**bad)


def test_presets_are_valid_and_cli_default_matches_ui():
    for name in gan.PRESETS:
        gan.preset_config(name)
    import argparse

    from playground.gan import cli as gan_cli

    p = argparse.ArgumentParser()
    gan_cli.add_arguments(p)
    cfg = gan_cli.config_from_args(p.parse_args(["--data", "ring8"]))
    assert cfg == gan.preset_config(gan.DEFAULT_PRESET)
    assert gan_cli.config_from_args(p.parse_args(["--data", "digits"])).steps == gan.PRESETS["digits"]["steps"]
    assert gan_cli.config_from_args(p.parse_args(["--data", "digits", "--lr-g", "0.01"])).lr_g == 0.01


def test_validation_is_pure_and_the_run_says_what_is_missing(monkeypatch):
    from playground.data import images as datasets

    monkeypatch.setattr(datasets, "fashion_available", lambda: False)
    cfg = gan.GanConfig(data="fashion", batch_size=64)  # checking the settings loads nothing
    with pytest.raises(ValueError, match="Fashion-MNIST is not installed"):
        gan.GanTrainer(cfg)


# ---------------------------------------------------------------- training
def _params(net):
    return [p.detach().clone() for p in net.parameters()]


@pytest.mark.parametrize("loss", gan.LOSSES)
@pytest.mark.parametrize("optimizer", gan.OPTIMIZERS)
def test_losses_finite_and_both_networks_update(loss, optimizer):
    trainer = gan.GanTrainer(gan.GanConfig(loss=loss, optimizer=optimizer, d_steps=2, **TINY))
    g0, d0 = _params(trainer.G), _params(trainer.D)
    snaps = list(trainer.step(6, report_every=3))
    assert [s.step for s in snaps] == [3, 6]
    for s in snaps:
        assert all(math.isfinite(v) for v in (s.loss_d, s.loss_g, s.d_real, s.d_fake))
    assert all(not torch.equal(a, b) for a, b in zip(g0, _params(trainer.G)))
    d1 = _params(trainer.D)
    if loss == "wgan-gp":  # the critic's output bias cancels in E[D(x)] - E[D(G(z))]: it never moves
        assert torch.equal(d0[-1], d1[-1])
        d0, d1 = d0[:-1], d1[:-1]
    assert all(not torch.equal(a, b) for a, b in zip(d0, d1))


@pytest.mark.parametrize("data, arch", [("digits", "mlp"), ("digits", "dcgan")])
def test_image_gan_trains_and_samples(data, arch):
    trainer = gan.GanTrainer(gan.GanConfig(data=data, arch=arch, latent_dim=8, width=16, depth=1, batch_size=16,
                                           steps=3))
    g0 = _params(trainer.G)
    snap = list(trainer.step(3, sample_every=3))[-1]
    assert snap.samples.shape == (gan.IMAGE_FIXED, 8, 8)
    assert 0.0 <= snap.samples.min() and snap.samples.max() <= 1.0
    assert snap.heatmap is None and snap.coverage.n_classes == 10
    assert sum(snap.coverage.per_class) == round(snap.coverage.confident * gan.IMAGE_FIXED)
    assert all(not torch.equal(a, b) for a, b in zip(g0, _params(trainer.G)))


def test_fixed_noise_grid_is_deterministic_for_a_seed():
    def grid(seed):
        trainer = gan.GanTrainer(gan.GanConfig(**{**TINY, "seed": seed}))
        first = trainer.visuals()[0]
        return first, list(trainer.step(15, sample_every=15))[-1].samples

    a0, a = grid(3)
    b0, b = grid(3)
    c0, c = grid(4)
    assert a.shape == (gan.TOY_FIXED, 2)
    np.testing.assert_array_equal(a0, b0)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert not np.array_equal(a0, a)  # training moved the samples


def test_snapshots_carry_heatmap_and_coverage_on_sampling_steps():
    snaps = list(gan.train(gan.GanConfig(**TINY), report_every=5, sample_every=10))
    assert [s.step for s in snaps] == [5, 10, 15, 20]
    assert [s.samples is not None for s in snaps] == [False, True, False, True]
    last = snaps[-1]
    assert last.heatmap.shape == (gan.HEATMAP_RES, gan.HEATMAP_RES)
    assert ((last.heatmap >= 0) & (last.heatmap <= 1)).all()  # D(x) is a probability for the ns loss
    assert isinstance(last.coverage, toy2d.Coverage)
    assert last.elapsed > 0


def test_stop_really_stops():
    trainer = gan.GanTrainer(gan.GanConfig(**TINY))
    run = trainer.step(1000, report_every=5)
    next(run)
    next(run)
    assert trainer.step_count == 10
    run.close()  # what a cancelled UI event / a Stop does
    with pytest.raises(StopIteration):
        next(run)
    assert trainer.step_count == 10 and len(trainer.history) == 2
    list(trainer.step(5))  # a later resume continues from where it stopped
    assert trainer.step_count == 15 and trainer.history[-1][0] == 15


def test_pause_and_resume_equals_one_run():
    one = gan.GanTrainer(gan.GanConfig(**TINY))
    list(one.step(12))
    two = gan.GanTrainer(gan.GanConfig(**TINY))
    list(two.step(5))
    list(two.step(7))
    for a, b in zip(one.G.parameters(), two.G.parameters()):
        assert torch.equal(a, b)


def test_trainer_deepcopies_and_exports(tmp_path):
    import copy

    trainer = gan.GanTrainer(gan.GanConfig(**TINY))
    list(trainer.step(10))
    clone = copy.deepcopy(trainer)
    assert clone.step_count == 10 and clone.G is not trainer.G
    list(clone.step(2))
    assert trainer.step_count == 10  # the copy trains on its own
    path = trainer.save_generator(tmp_path / "g.safetensors")
    G, cfg = gan.load_generator(path)
    z = trainer.fixed_noise[:5]
    np.testing.assert_allclose(G(z).detach().numpy(), trainer.generate(z), atol=1e-6)
    assert cfg.width == TINY["width"]
    csv_text = trainer.save_history_csv(tmp_path / "h.csv").read_text().splitlines()
    assert csv_text[0] == "step,loss_d,loss_g,d_real,d_fake,elapsed" and csv_text[-1].startswith("10,")


def test_the_averaged_generator_only_watches_g():
    plain = gan.GanTrainer(gan.GanConfig(**TINY))
    averaged = gan.GanTrainer(gan.GanConfig(**{**TINY, "ema": 0.9}))
    start = [p.clone() for p in averaged.G.parameters()]
    steps = []
    for _ in range(3):
        list(plain.step(1))
        list(averaged.step(1))
        steps.append([p.clone() for p in averaged.G.parameters()])
    # G trains exactly as without the average, and the losses are G's
    for a, b in zip(plain.G.parameters(), averaged.G.parameters()):
        assert torch.equal(a, b)
    assert [row[:5] for row in plain.history] == [row[:5] for row in averaged.history]
    # the average is the recurrence avg <- 0.9 avg + 0.1 G after every G update, from G's initial weights
    for i, avg in enumerate(averaged.G_shown.parameters()):
        want = start[i]
        for weights in steps:
            want = 0.9 * want + 0.1 * weights[i]
        torch.testing.assert_close(avg, want, rtol=1e-5, atol=1e-6)
    # what is shown and exported is the average, not G
    z = averaged.fixed_noise[:4]
    np.testing.assert_allclose(averaged.generate(z), averaged.G_shown(z).detach().numpy(), atol=1e-6)
    assert not np.allclose(averaged.generate(z), plain.generate(z))
    assert plain.G_shown is plain.G


def test_a_decaying_learning_rate_ends_at_its_floor():
    cfg = gan.GanConfig(**{**TINY, "decay": "linear", "steps": 10})
    trainer = gan.GanTrainer(cfg)
    lrs = []
    for _ in range(10):
        list(trainer.step(1))
        lrs.append((trainer.opt_g.param_groups[0]["lr"], trainer.opt_d.param_groups[0]["lr"]))
    assert lrs[0] == (cfg.lr_g, cfg.lr_d)  # the first step at the full rate
    assert all(a[0] > b[0] for a, b in zip(lrs, lrs[1:]))  # then down every step
    assert lrs[-1][0] == pytest.approx(cfg.lr_g * (gan.DECAY_FLOOR + (1 - gan.DECAY_FLOOR) * 0.1))
    list(trainer.step(5))  # a run continued past its steps keeps the last rate
    assert trainer.opt_g.param_groups[0]["lr"] == pytest.approx(cfg.lr_g * gan.DECAY_FLOOR)
    constant = gan.GanTrainer(gan.GanConfig(**{**TINY, "steps": 10}))
    list(constant.step(10))
    assert constant.opt_g.param_groups[0]["lr"] == cfg.lr_g


def test_training_changes_no_process_wide_setting():
    before = torch.get_num_threads()
    trainer = gan.GanTrainer(gan.GanConfig(**TINY))
    for _ in trainer.step(4, report_every=2, heartbeats=True):
        assert torch.get_num_threads() == before
    assert torch.get_num_threads() == before


def test_heartbeats_come_between_d_and_g_updates():
    trainer = gan.GanTrainer(gan.GanConfig(d_steps=3, **TINY))
    items = list(trainer.step(2, report_every=1, heartbeats=True))
    assert [type(i).__name__ for i in items] == ["NoneType"] * 3 + ["GanSnapshot"] + ["NoneType"] * 3 + ["GanSnapshot"]


def test_a_diverging_run_raises_instead_of_reporting_nan():
    from playground.kit.runs import Diverged

    trainer = gan.GanTrainer(gan.GanConfig(**{**TINY, "optimizer": "sgd", "lr_g": 1.0, "lr_d": 1.0, "loss": "lsgan",
                                              "width": 256, "depth": 4}))
    with pytest.raises(Diverged, match="diverged at step"):
        list(trainer.step(3000, report_every=1))
    assert all(math.isfinite(v) for row in trainer.history for v in row)


def test_a_seed_gives_the_same_run_while_other_runs_train_in_threads():
    import threading

    def run(seed):
        trainer = gan.GanTrainer(gan.GanConfig(**{**TINY, "seed": seed}))
        list(trainer.step(40, report_every=10))
        return [p.detach().clone() for p in trainer.G.parameters()], trainer.history

    alone = run(5)
    results = {}
    threads = [threading.Thread(target=lambda i=i: results.__setitem__(i, run(5 if i < 2 else 9))) for i in range(4)]
    for th in threads:
        th.start()
    torch.randn(1000)  # the process-wide RNG is used meanwhile: it must not matter
    for th in threads:
        th.join()
    for i in (0, 1):
        assert all(torch.equal(a, b) for a, b in zip(alone[0], results[i][0]))
        assert [r[:5] for r in alone[1]] == [r[:5] for r in results[i][1]]


def test_cli_json_and_samples_out(tmp_path, capsys):
    from playground.__main__ import main

    out = tmp_path / "s.npy"
    assert main(["gan", "--data", "ring8", "--steps", "30", "--seed", "1", "--width", "16", "--json",
                 "--samples-out", str(out), "--n-samples", "300"]) == 0
    import json

    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert report["step"] == 30 and report["n_modes"] == 8 and 0 <= report["high_quality"] <= 1
    assert np.load(out).shape == (300, 2)
    assert main(["gan", "--data", "ring8", "--lr-g", "0", "--json"]) == 2
    assert "lr_g must be a number greater than 0 to 1" in capsys.readouterr().err


@pytest.mark.gpu
def test_trains_on_cuda():
    trainer = gan.GanTrainer(gan.GanConfig(device="cuda", loss="wgan-gp", **TINY))
    snap = list(trainer.step(10, sample_every=10))[-1]
    assert trainer.device.type == "cuda" and next(trainer.G.parameters()).is_cuda
    assert isinstance(snap.samples, np.ndarray) and math.isfinite(snap.loss_d)
    img = gan.GanTrainer(gan.GanConfig(device="cuda", data="digits", arch="dcgan", **TINY))
    assert list(img.step(3, sample_every=3))[-1].samples.shape == (gan.IMAGE_FIXED, 8, 8)
