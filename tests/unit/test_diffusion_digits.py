"""Diffusion Lab, digits: classifier-free guidance on a small U-Net (playground.diffusion.digits, unet)."""

from __future__ import annotations

import argparse
import copy
import threading

import numpy as np
import pytest
import torch

from playground.diffusion import digits as D
from playground.diffusion import digits_training as DT
from playground.diffusion import samplers
from playground.diffusion.unet import NULL_LABEL, DigitUNet
from playground.kit.runs import Diverged, seeded_init

TINY = dict(width=8, batch_size=16, steps=4, device="cpu")  # a run that takes well under a second


def _net(seed: int = 0, width: int = 8) -> DigitUNet:
    net = DigitUNet(width)
    seeded_init(net, torch.Generator().manual_seed(seed))
    return net.eval()


def _inputs(n: int = 6, seed: int = 1):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(n, 1, 28, 28, generator=g), torch.rand(n, generator=g), torch.arange(n) % 10


# ---------------------------------------------------------------- the network and guidance
def test_the_unet_keeps_the_image_shape_and_its_label_changes_the_output():
    net, (x, t, y) = _net(), _inputs()
    with torch.no_grad():
        out = net(x, t, y)
        assert out.shape == (6, 1, 28, 28)
        assert not torch.allclose(out, net(x, t, torch.full_like(y, NULL_LABEL)))  # the label is heard


def test_a_sample_does_not_depend_on_its_neighbours_in_the_batch():
    """GroupNorm, not BatchNorm: the first sample alone gives what it gives in a batch (so the strip, run on one
    sample, ends where the grid's cell does)."""
    net, (x, t, y) = _net(), _inputs()
    with torch.no_grad():
        torch.testing.assert_close(net(x[:1], t[:1], y[:1]), net(x, t, y)[:1], atol=1e-5, rtol=1e-4)


def test_guidance_zero_is_exactly_the_unconditional_model_and_one_the_conditional():
    net, (x, t, y) = _net(), _inputs()
    with torch.no_grad():
        uncond, cond = net(x, t, torch.full_like(y, NULL_LABEL)), net(x, t, y)
        assert torch.equal(D.guided(net, y, 0.0)(x, t), uncond)
        assert torch.equal(D.guided(net, y, 1.0)(x, t), cond)
        # any other w: uncond + w (cond - uncond), both halves from one batched forward
        torch.testing.assert_close(D.guided(net, y, 3.0)(x, t), uncond + 3.0 * (cond - uncond), atol=1e-4, rtol=1e-4)


def test_nfe_counts_both_halves_of_a_guided_step():
    model = D.DigitsModel(_net(), D.DigitsConfig(width=8, device="cpu"))
    model.grid(0.0, 3)
    assert model.nfe == 3
    model.grid(2.0, 3)
    assert model.nfe == 3 + 6 == 3 + D.nfe_of(2.0, 3)


# ---------------------------------------------------------------- a seed, the grid and the strip
def test_a_seed_reproduces_a_grid_and_another_seed_changes_it():
    model = D.DigitsModel(_net(), D.DigitsConfig(width=8, device="cpu"))
    a, b = model.grid(3.0, 4, seed=5), model.grid(3.0, 4, seed=5)
    assert a.shape == (64, 28, 28) and a.dtype == np.float32 and 0 <= a.min() and a.max() <= 1
    assert np.array_equal(a, b)
    assert not np.allclose(a, model.grid(3.0, 4, seed=6))
    assert np.array_equal(model.grid(2.0, 3, "ddpm", seed=5), model.grid(2.0, 3, "ddpm", seed=5))


@pytest.mark.parametrize("sampler", samplers.SAMPLERS)
def test_the_strip_starts_at_the_noise_and_ends_at_the_grids_sample(sampler):
    model = D.DigitsModel(_net(), D.DigitsConfig(width=8, device="cpu"))
    seed, label, steps = 3, 7, 6
    strip = model.strip(label, 3.0, steps, seed=seed, frames=4, sampler=sampler)
    grid = model.grid(3.0, steps, sampler, seed=seed)
    cell = int((D.GRID_LABELS == label).nonzero()[0])  # the grid's first 7
    assert strip.shape == (4, 28, 28)
    np.testing.assert_array_equal(strip[0], D.to_images(D.grid_noise(seed)[cell:cell + 1])[0])  # x_T
    np.testing.assert_allclose(strip[-1], grid[cell], atol=1e-4)  # x_0: that cell of the grid


def test_draw_gives_the_grid_and_the_strip_of_one_pass():
    model = D.DigitsModel(_net(), D.DigitsConfig(width=8, device="cpu"))
    grid, strip = model.draw(2.0, 5, "euler", seed=2, label=4, frames=3)
    np.testing.assert_array_equal(grid, model.grid(2.0, 5, "euler", seed=2))
    np.testing.assert_array_equal(strip[-1], grid[4])  # the grid's first 4 is its fifth cell
    np.testing.assert_allclose(strip, model.strip(4, 2.0, 5, seed=2, frames=3, sampler="euler"), atol=1e-4)
    assert model.nfe == 3 * D.nfe_of(2.0, 5)


def test_bad_values_raise_value_errors_that_name_them():
    for bad in (dict(objective="gan"), dict(width=0), dict(p_uncond=0.9), dict(p_uncond=0.0), dict(lr=0.0),
                dict(guidance=9.0), dict(batch_size=4), dict(ema=1.0), dict(seed=-1)):
        name = next(iter(bad))
        with pytest.raises(ValueError, match=name):
            D.DigitsConfig(**bad)
    with pytest.raises(ValueError, match="preset"):
        D.preset_config("nope")
    model = D.DigitsModel(_net(), D.DigitsConfig(width=8, device="cpu"))
    for call, match in [(lambda: model.grid(-1.0, 4), "guidance"), (lambda: model.grid(float("nan"), 4), "guidance"),
                        (lambda: model.grid(3.0, 0), "steps"), (lambda: model.grid(3.0, 4, "heun"), "sampler"),
                        (lambda: model.grid(3.0, 4, labels=[10] * 64), "labels"),
                        (lambda: model.grid(3.0, 4, labels=[1, 2]), "64 labels"),
                        (lambda: model.strip(11, 3.0, 4), "label"), (lambda: model.strip("x", 3.0, 4), "label"),
                        (lambda: model.strip(1, 3.0, 4, frames=1), "frames"),
                        (lambda: model.draw(3.0, 4, label=-1), "label"), (lambda: model.grid(3.0, 4, seed=-1), "seed")]:
        with pytest.raises(ValueError, match=match):
            call()


# ---------------------------------------------------------------- training
def test_the_trainer_streams_snapshots_with_a_live_grid():
    trainer = DT.DigitsTrainer(D.DigitsConfig(**TINY))
    snaps = list(trainer.step(4, report_every=2, sample_every=4))
    assert [s.step for s in snaps] == [2, 4]
    assert snaps[0].grid is None and snaps[0].agreement is None
    last = snaps[-1]
    assert last.grid.shape == (64, 28, 28) and 0 <= last.grid.min() and last.grid.max() <= 1
    assert 0 <= last.agreement <= 1 and 0 < last.confidence <= 1
    assert 0 < snaps[0].elapsed < last.elapsed and np.isfinite(last.loss)
    assert trainer.history_columns()["step"] == [2, 4]
    assert set(last.metrics()) == {"step", "loss", "elapsed_s", "agree", "confidence"}
    beats = list(trainer.step(3, report_every=10, heartbeats=True))  # steps 5, 6: heartbeats; 7: the last
    assert beats[:2] == [None, None] and beats[-1].step == 7


def _weights(trainer: DT.DigitsTrainer) -> torch.Tensor:
    return torch.cat([p.detach().flatten() for p in trainer.net_shown.parameters()])


def test_a_seed_reproduces_a_run_also_while_another_trains_beside_it():
    def run(seed: int) -> DT.DigitsTrainer:
        trainer = DT.DigitsTrainer(D.DigitsConfig(**TINY, seed=seed))
        for _ in trainer.step(4, report_every=4):
            pass
        return trainer

    alone = run(0)
    other = threading.Thread(target=run, args=(1,))
    other.start()
    beside = run(0)
    other.join()
    assert torch.equal(_weights(alone), _weights(beside))
    assert alone.history[-1][1] == beside.history[-1][1]
    assert not torch.equal(_weights(alone), _weights(run(2)))


def test_a_copied_trainer_continues_exactly_as_the_original():
    """A gr.State deep-copies what it holds: the copy has its own nets, optimizer and random stream."""
    trainer = DT.DigitsTrainer(D.DigitsConfig(**TINY))
    list(trainer.step(2, report_every=2))
    clone = copy.deepcopy(trainer)
    assert clone.data[0] is trainer.data[0]  # the images are shared, not copied
    list(trainer.step(2, report_every=2))
    list(clone.step(2, report_every=2))
    assert torch.equal(_weights(trainer), _weights(clone))
    assert [row[:2] for row in trainer.history] == [row[:2] for row in clone.history]  # (step, loss); not the time


def test_a_loss_that_becomes_nan_raises_diverged():
    trainer = DT.DigitsTrainer(D.DigitsConfig(**TINY))
    with torch.no_grad():
        trainer.net.out[-1].bias.fill_(float("nan"))
    with pytest.raises(Diverged):
        list(trainer.step(2, report_every=2))


def test_a_saved_model_loads_and_draws_the_same_grid(tmp_path):
    trainer = DT.DigitsTrainer(D.DigitsConfig(**TINY))
    list(trainer.step(2, report_every=2))
    path = trainer.save_model(tmp_path / "m.safetensors", {"note": "test"})
    loaded = D.load_model(path)
    assert loaded.config.width == 8 and loaded.facts["steps"] == 2 and loaded.facts["note"] == "test"
    assert path.with_suffix(".json").exists()
    np.testing.assert_array_equal(loaded.grid(3.0, 3, seed=1), trainer.model().grid(3.0, 3, seed=1))
    with pytest.raises(ValueError, match="no digits model"):
        D.load_model(tmp_path / "missing.safetensors")


# ---------------------------------------------------------------- the shipped model
def test_the_shipped_model_loads_once_and_guidance_raises_its_agreement():
    model = D.load_shipped()
    assert D.load_shipped() is model
    assert model.config.objective in ("ddpm", "flow") and not model.net.training
    agree = {w: D.agreement(model.grid(w, 20, seed=0), D.GRID_LABELS)["agree"] for w in (0.0, 3.0)}
    assert agree[3.0] > agree[0.0], agree


def test_guidance_zero_on_the_shipped_model_is_the_unconditional_sampler():
    model = D.load_shipped()
    cfg = model.config
    null = torch.full((D.GRID,), NULL_LABEL)
    plain = samplers.sample(lambda x, t: model.net(x, t, null), D.grid_noise(4), path=cfg.path,
                            objective=cfg.objective, sampler="ddim", steps=5,
                            clip_x0=D.CLIP_X0 if cfg.objective == "ddpm" else None)
    np.testing.assert_array_equal(model.grid(0.0, 5, seed=4), D.to_images(plain.x))


def test_the_cli_sweeps_guidance_on_the_shipped_model():
    args = argparse.Namespace(seed=0, guidance=3.0, sample_steps=4, sampler="ddim", train_steps=0)
    out = D.run_cli(args)
    assert out["model"] == "shipped" and out["sample_steps"] == 4
    assert [r["guidance"] for r in out["rows"]] == list(D.GUIDANCE_SWEEP)
    assert {"agree", "confidence", "ms_per_grid", "nfe"} <= set(out["rows"][0])
    assert [r["nfe"] for r in out["rows"]] == [4, 4, 8, 8, 8] and out["nfe"] == 8
