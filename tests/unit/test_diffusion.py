"""Diffusion core (2-D): the forward process against its closed form, the samplers against the exact score of a
Gaussian mixture, a trained denoiser against the exact prediction, config validation, determinism, every sampler
from 1 to 1000 steps, the views the tab draws, export and the CLI."""

from __future__ import annotations

import json
import math
import threading

import numpy as np
import pytest
import torch

from playground.data import toy2d
from playground.diffusion import mixture, samplers, schedules, toy
from playground.kit.runs import Diverged
from playground.kit.runtime import limit_this_thread

PATHS = [("ddpm", "linear"), ("ddpm", "cosine"), ("flow", "linear")]
TINY = dict(width=16, depth=2, batch_size=64, steps=20, seed=0, device="cpu")


@pytest.fixture(autouse=True)
def one_thread():
    limit_this_thread(1)  # the samplers below run outside a trainer's fixed_threads


# ---------------------------------------------------------------- the forward process
@pytest.mark.parametrize("objective,schedule", PATHS)
def test_the_forward_process_matches_its_closed_form(objective, schedule):
    """x_t over many draws: mean a(t) x0 and variance s(t)^2 per coordinate (DDPM: sqrt(alpha_bar) x0 and
    1 - alpha_bar, with alpha_bar the product of (1 - beta) up to the step)."""
    p = schedules.path(objective, schedule)
    x0 = torch.tensor([1.5, -0.7], dtype=torch.float64)
    n = 200_000
    g = torch.Generator().manual_seed(0)
    for t in (0.0, 0.1, 0.5, 0.9, 1.0):
        noise = torch.randn(n, 2, generator=g, dtype=torch.float64)
        x_t = schedules.q_sample(p, x0.expand(n, 2), torch.full((n,), t, dtype=torch.float64), noise)
        a, s = float(p.a(t)), float(p.s(t))
        se = max(s, 1e-12) / math.sqrt(n)
        assert torch.allclose(x_t.mean(0), a * x0, atol=6 * se + 1e-12), (t, x_t.mean(0), a * x0)
        assert torch.allclose(x_t.var(0), torch.full((2,), s * s, dtype=torch.float64), rtol=0.02, atol=1e-12)


def test_the_ddpm_schedules_are_ho_et_al_s_and_nichol_and_dhariwal_s():
    betas = torch.linspace(1e-4, 0.02, schedules.T, dtype=torch.float64)
    alpha_bar = torch.cumprod(1 - betas, 0)
    p = schedules.path("ddpm", "linear")
    for i in (1, 10, 500, 1000):
        assert float(p.alpha_bar(i / schedules.T)) == pytest.approx(float(alpha_bar[i - 1]), rel=1e-9)
    cos = schedules.path("ddpm", "cosine")
    f = lambda t: math.cos((t + 0.008) / 1.008 * math.pi / 2) ** 2  # noqa: E731
    assert float(cos.alpha_bar(0.5)) == pytest.approx(f(0.5) / f(0.0), rel=1e-6)
    assert float(p.a(0.0)) == 1.0 and float(p.s(0.0)) == 0.0 and float(p.s(1.0)) == pytest.approx(1.0, abs=1e-4)
    flow = schedules.path("flow", "cosine")  # the schedule is ignored for flow
    assert flow is schedules.path("flow") and float(flow.a(0.25)) == 0.75 and float(flow.s(0.25)) == 0.25


@pytest.mark.parametrize("objective,schedule", PATHS)
def test_the_derivatives_are_those_of_the_path(objective, schedule):
    p = schedules.path(objective, schedule)
    t = torch.tensor([0.1003, 0.4007, 0.8005], dtype=torch.float64)
    h = 1e-7
    assert torch.allclose((p.a(t + h) - p.a(t)) / h, p.da(t), rtol=1e-4, atol=1e-6)
    assert torch.allclose((p.s(t + h) - p.s(t)) / h, p.ds(t), rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("objective,schedule", PATHS)
def test_the_target_turns_back_into_x0_and_eps(objective, schedule):
    p = schedules.path(objective, schedule)
    g = torch.Generator().manual_seed(1)
    x0, eps = torch.randn(64, 2, generator=g, dtype=torch.float64), torch.randn(64, 2, generator=g, dtype=torch.float64)
    t = torch.rand(64, generator=g, dtype=torch.float64) * 0.98 + 0.01
    x_t = schedules.q_sample(p, x0, t, eps)
    x0_hat, eps_hat = schedules.to_x0_eps(p, objective, x_t, t, schedules.target(p, x0, eps, t))
    assert torch.allclose(x0_hat, x0, atol=1e-8) and torch.allclose(eps_hat, eps, atol=1e-8)
    if objective == "flow":  # the velocity is d x_t / dt along the path
        assert torch.allclose(schedules.target("flow", x0, eps), eps - x0)


# ---------------------------------------------------------------- the exact answers for a mixture
def test_the_exact_score_is_the_gradient_of_the_noised_mixture_s_log_density():
    means, _ = mixture.toy_mixture("ring8")
    std, w = 0.3, torch.tensor([1.0, 2, 1, 2, 1, 2, 1, 2]) / 12
    p = schedules.path("ddpm", "linear")
    x = torch.randn(50, 2, generator=torch.Generator().manual_seed(2), dtype=torch.float64).requires_grad_(True)
    t = 0.2
    a, s = float(p.a(t)), float(p.s(t))
    var = a * a * std * std + s * s
    d2 = ((x[:, None, :] - a * means.double()[None]) ** 2).sum(-1)
    logp = torch.logsumexp(torch.log(w.double())[None] - 0.5 * d2 / var, 1).sum()
    (grad,) = torch.autograd.grad(logp, x)
    assert torch.allclose(mixture.exact_score(x.detach(), t, p, means, std, w), grad, atol=1e-10)
    eps = mixture.exact_prediction(x.detach(), t, p, "ddpm", means, std, w)
    assert torch.allclose(eps, -s * grad, atol=1e-10)  # Tweedie: E[eps | x_t] = -s score


# the samplers with the perfect network: a wider mixture than ring8's (std 0.1 instead of 0.02) so that a
# deterministic sampler's discretisation (which narrows the modes: std 0.012 after 200 DDIM steps of the linear
# schedule at std 0.02) stays small next to the tolerance; unequal weights, so that the mode shares are checked too
EXACT_CASES = [("ddpm", "linear", "ddim", 200), ("ddpm", "cosine", "ddim", 100), ("flow", "linear", "ddim", 100),
               ("flow", "linear", "euler", 100), ("ddpm", "linear", "euler", 200), ("ddpm", "cosine", "ddpm", 400)]


@pytest.mark.parametrize("objective,schedule,sampler,steps", EXACT_CASES)
def test_a_sampler_with_the_exact_prediction_draws_the_mixture(objective, schedule, sampler, steps):
    """Noise -> samples whose per-component share, mean and covariance (samples assigned to the nearest centre)
    match the mixture's."""
    means, _ = mixture.toy_mixture("ring8")
    std = 0.1
    w = torch.tensor([1.0, 2, 1, 2, 1, 2, 1, 2]) / 12
    p = schedules.path(objective, schedule)
    noise = torch.randn(4000, 2, generator=torch.Generator().manual_seed(0))
    out = samplers.sample(lambda x, t: mixture.exact_prediction(x, t, p, objective, means, std, w), noise, path=p,
                          objective=objective, sampler=sampler, steps=steps, generator=torch.Generator().manual_seed(1))
    x = out.x.double().numpy()
    k = ((x[:, None] - means.double().numpy()[None]) ** 2).sum(-1).argmin(1)
    assert np.allclose(np.bincount(k, minlength=8) / len(x), w.numpy(), atol=0.03)
    for j in range(8):
        xs = x[k == j]
        assert np.abs(xs.mean(0) - means[j].numpy()).max() < 0.025, (j, xs.mean(0), means[j])
        cov = np.cov(xs.T)
        assert np.all(np.abs(np.diag(cov) / std**2 - 1) < 0.3), (j, cov)
        assert abs(cov[0, 1]) < 0.2 * std**2, (j, cov)


def test_a_wrong_prediction_fails_the_mixture_check():
    """The check above has teeth: the exact prediction of a mixture twice as wide draws modes twice as wide."""
    means, _ = mixture.toy_mixture("ring8")
    p = schedules.path("flow")
    noise = torch.randn(4000, 2, generator=torch.Generator().manual_seed(0))
    out = samplers.sample(lambda x, t: mixture.exact_prediction(x, t, p, "flow", means, 0.2), noise, path=p,
                          objective="flow", sampler="euler", steps=100)
    x = out.x.double().numpy()
    k = ((x[:, None] - means.numpy()[None]) ** 2).sum(-1).argmin(1)
    assert np.diag(np.cov(x[k == 0].T)).mean() / 0.1**2 > 2.5


def test_ddim_with_the_exact_score_covers_ring8_as_the_data_does():
    means, std = mixture.toy_mixture("ring8")
    p = schedules.path("ddpm", "cosine")
    noise = torch.randn(1000, 2, generator=torch.Generator().manual_seed(0))
    out = samplers.sample(lambda x, t: mixture.exact_prediction(x, t, p, "ddpm", means, std), noise, path=p,
                          objective="ddpm", sampler="ddim", steps=50)
    cov = toy2d.coverage(out.x, "ring8")
    assert cov.modes_covered == 8 and cov.high_quality > 0.95


# ---------------------------------------------------------------- samplers
def test_the_sampler_keeps_evenly_spaced_states_from_noise_to_data():
    p = schedules.path("flow")
    noise = torch.randn(10, 2, generator=torch.Generator().manual_seed(0))
    out = samplers.sample(lambda x, t: torch.zeros_like(x), noise, path=p, objective="flow", sampler="euler",
                          steps=40, keep=5)
    assert out.times == (1.0, 0.75, 0.5, 0.25, 0.0) and out.path.shape == (5, 10, 2) and out.nfe == 40
    assert torch.equal(out.path[0], noise) and torch.equal(out.path[-1], out.x)
    assert samplers.sample(lambda x, t: x, noise, path=p, objective="flow", sampler="ddim", steps=3).path is None
    assert samplers.kept_indices(1, 21) == [0, 1] and samplers.kept_indices(1000, 21)[:3] == [0, 50, 100]


def test_bad_sampler_arguments_are_refused():
    p = schedules.path("ddpm")
    noise = torch.zeros(4, 2)
    f = lambda x, t: x  # noqa: E731
    with pytest.raises(ValueError, match="steps"):
        samplers.sample(f, noise, path=p, objective="ddpm", sampler="ddim", steps=0)
    with pytest.raises(ValueError, match="steps"):
        samplers.sample(f, noise, path=p, objective="ddpm", sampler="ddim", steps=1001)
    with pytest.raises(ValueError, match="sampler"):
        samplers.sample(f, noise, path=p, objective="ddpm", sampler="heun", steps=10)
    with pytest.raises(ValueError, match="Generator"):  # the ancestral noise never comes from the global RNG
        samplers.sample(f, noise, path=p, objective="ddpm", sampler="ddpm", steps=10)


# ---------------------------------------------------------------- config and presets
@pytest.mark.parametrize("field,value", [("data", "circle"), ("objective", "score"), ("schedule", "sqrt"),
                                         ("sampler", "heun"), ("sample_steps", 0), ("sample_steps", 1001),
                                         ("width", 2), ("depth", 0), ("lr", 0.0), ("batch_size", 4), ("steps", 0),
                                         ("ema", 1.0), ("seed", -1), ("width", 10.5)])
def test_bad_config_values_raise_a_value_error_naming_the_field(field, value):
    with pytest.raises(ValueError, match=field):
        toy.DiffusionConfig(**{field: value})


def test_the_presets_are_valid_and_the_issue_s():
    assert {"default", "flow", "grid25", "moons", "spiral"} <= set(toy.PRESETS)
    assert toy.preset_config().data == "ring8" and toy.preset_config("flow").objective == "flow"
    assert toy.preset_config("default", seed=3).seed == 3
    with pytest.raises(ValueError, match="preset"):
        toy.preset_config("nope")


# ---------------------------------------------------------------- training
def _run(config: toy.DiffusionConfig) -> tuple[list, np.ndarray]:
    tr = toy.DiffusionTrainer(config)
    for _ in tr.step(config.steps, report_every=5):
        pass
    return tr.history, tr.visuals(keep=0)[0]


def test_a_seed_reproduces_a_run_also_while_another_trains_in_another_thread():
    cfg = toy.DiffusionConfig(**{**TINY, "steps": 30, "sampler": "ddpm", "sample_steps": 10})
    alone_hist, alone_samples = _run(cfg)
    stop = threading.Event()

    def other():  # another session's run, drawing random numbers all along
        tr = toy.DiffusionTrainer(toy.DiffusionConfig(**{**TINY, "seed": 7, "steps": 100000}))
        for _ in tr.step(100000, report_every=1):
            torch.randn(10)  # and the global RNG too
            if stop.is_set():
                break

    thread = threading.Thread(target=other)
    thread.start()
    try:
        busy_hist, busy_samples = _run(cfg)
    finally:
        stop.set()
        thread.join()
    assert [r[:2] for r in busy_hist] == [r[:2] for r in alone_hist]
    assert np.array_equal(busy_samples, alone_samples)
    other_hist, _ = _run(toy.DiffusionConfig(**{**TINY, "steps": 30, "seed": 1}))
    assert [r[1] for r in other_hist] != [r[1] for r in alone_hist]


def test_training_lowers_the_loss_and_streams_snapshots():
    cfg = toy.DiffusionConfig(**{**TINY, "steps": 200, "width": 32})
    tr = toy.DiffusionTrainer(cfg)
    snaps = list(tr.step(200, report_every=20, sample_every=100))
    assert [s.step for s in snaps] == list(range(20, 201, 20)) and tr.step_count == 200
    assert [s.samples is not None for s in snaps] == [s.step % 100 == 0 for s in snaps]
    assert snaps[-1].samples.shape == (toy.TOY_FIXED, 2) and snaps[-1].coverage.n_modes == 8
    assert snaps[-1].loss < snaps[0].loss
    m = snaps[-1].metrics()
    assert {"step", "loss", "elapsed_s", "modes_covered", "n_modes", "high_quality"} <= set(m)
    assert tr.history_columns()["step"] == [s.step for s in snaps]
    assert len(list(tr.step(3, report_every=1, heartbeats=True))) == 3


def test_heartbeats_come_between_reports():
    tr = toy.DiffusionTrainer(toy.DiffusionConfig(**TINY))
    items = list(tr.step(6, report_every=3, heartbeats=True))
    assert [type(i).__name__ for i in items] == ["NoneType", "NoneType", "DiffusionSnapshot"] * 2


def test_a_nan_loss_raises_diverged():
    tr = toy.DiffusionTrainer(toy.DiffusionConfig(**TINY))
    with torch.no_grad():
        tr.net.out.bias.fill_(float("nan"))
    with pytest.raises(Diverged):
        list(tr.step(2, report_every=1))


@pytest.mark.parametrize("objective", schedules.OBJECTIVES)
@pytest.mark.parametrize("sampler", samplers.SAMPLERS)
def test_every_sampler_works_with_1_and_1000_steps(objective, sampler):
    tr = toy.DiffusionTrainer(toy.DiffusionConfig(**{**TINY, "objective": objective}))
    list(tr.step(5, report_every=5))
    for steps in (1, 1000):
        samples, paths, times, cov = tr.visuals(sampler=sampler, steps=steps)
        assert samples.shape == (toy.TOY_FIXED, 2) and np.isfinite(samples).all()
        assert paths.shape == (min(toy.KEEP, steps + 1), toy.TOY_FIXED, 2) and np.isfinite(paths).all()
        assert times[0] == 1.0 and times[-1] == 0.0 and np.all(np.diff(times) < 0)
        assert np.array_equal(paths[0], tr.fixed_noise.numpy()) and np.array_equal(paths[-1], samples)
        assert 0 <= cov.modes_covered <= 8


def test_the_views_the_tab_draws():
    tr = toy.DiffusionTrainer(toy.DiffusionConfig(**TINY))
    grid, vectors = tr.field(0.5, res=9)
    assert grid.shape == (9,) and vectors.shape == (9, 9, 2) and np.isfinite(vectors).all()
    assert np.isfinite(tr.field(0.0)[1]).all()  # DDPM's score at t = 0 is read at t = 1/T
    noised = tr.forward(1.0, n=5000, seed=0)
    assert noised.shape == (5000, 2) and abs(noised.std() - 1) < 0.05  # pure noise at t = 1 (a(1) = 0.006)
    assert np.allclose(tr.forward(0.0, n=100), toy2d.sample("ring8", 100, torch.Generator().manual_seed(0)))
    rows = tr.quality_vs_steps("ddim", steps_list=(1, 3), n=100)
    assert [r["steps"] for r in rows] == [1, 3] and [r["nfe"] for r in rows] == [1, 3]
    assert {"modes", "of", "high_quality", "ms_per_sample"} <= set(rows[0]) and rows[0]["of"] == 8
    a, b = tr.sample(50, seed=3), tr.sample(50, seed=3)
    assert a.shape == (50, 2) and np.array_equal(a, b)
    with pytest.raises(ValueError, match="t must"):
        tr.field(1.5)


def test_flow_field_is_the_velocity():
    tr = toy.DiffusionTrainer(toy.DiffusionConfig(**{**TINY, "objective": "flow"}))
    grid, vectors = tr.field(0.3, res=5)
    gy, gx = np.meshgrid(grid, grid, indexing="ij")
    pts = torch.tensor(np.stack([gx.ravel(), gy.ravel()], 1), dtype=torch.float32)
    with torch.no_grad():
        v = tr.net_shown(pts, torch.full((25,), 0.3)).numpy()
    assert np.allclose(vectors.reshape(25, 2), v, atol=1e-6)


def test_the_trained_denoiser_agrees_with_the_exact_prediction():
    """1,500 steps of the default preset (~3 s): on a 21 x 21 grid over the plane, the eps it predicts correlates
    >= 0.9 with the mixture's exact E[eps | x_t] at t = 0.1, 0.3 and 0.6 (claims: both objectives, full runs)."""
    cfg = toy.preset_config("default", steps=1500, device="cpu")
    tr = toy.DiffusionTrainer(cfg)
    list(tr.step(cfg.steps, report_every=cfg.steps))
    means, std = mixture.toy_mixture("ring8")
    grid = torch.linspace(-toy2d.EXTENT, toy2d.EXTENT, 21)
    gy, gx = torch.meshgrid(grid, grid, indexing="ij")
    pts = torch.stack([gx.reshape(-1), gy.reshape(-1)], 1)
    for t in (0.1, 0.3, 0.6):
        with torch.no_grad():
            pred = tr.net_shown(pts, torch.full((len(pts),), t))
        exact = mixture.exact_prediction(pts, t, tr.path, "ddpm", means, std)
        for i in range(2):
            assert np.corrcoef(pred[:, i], exact[:, i])[0, 1] >= 0.9, (t, i)


# ---------------------------------------------------------------- export and CLI
def test_save_and_load_model_round_trip(tmp_path):
    tr = toy.DiffusionTrainer(toy.DiffusionConfig(**TINY))
    list(tr.step(3, report_every=3))
    path = tr.save_model(tmp_path / "d.safetensors")
    net, cfg = toy.load_model(path)
    assert cfg.width == 16 and cfg.objective == "ddpm"
    x, t = torch.randn(7, 2), torch.rand(7)
    with torch.no_grad():
        assert torch.allclose(net(x, t), tr.net_shown(x, t))
    csv = tr.save_history_csv(tmp_path / "h.csv").read_text().splitlines()
    assert csv[0] == ",".join(toy.HISTORY_FIELDS) and len(csv) == 2


def test_the_cli_prints_metrics_speed_and_quality(capsys):
    from playground.__main__ import main

    assert main(["diffusion", "--preset", "flow", "--steps", "20", "--width", "16", "--quality-steps", "1", "5",
                 "--seed", "0", "--json"]) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert out["objective"] == "flow" and out["step"] == 20 and out["steps_per_s"] > 0
    assert [r["steps"] for r in out["quality_vs_steps"]] == [1, 5] and "high_quality" in out
    assert main(["diffusion", "--lr", "5", "--json"]) == 2
    assert "lr" in capsys.readouterr().err


def test_a_deep_copied_trainer_goes_on_exactly_as_the_original():
    """A ``gr.State`` deep-copies what it holds: the copy trains on from the same point with the same numbers."""
    import copy

    tr = toy.DiffusionTrainer(toy.DiffusionConfig(**TINY))
    list(tr.step(5, report_every=5))
    twin = copy.deepcopy(tr)
    assert twin.real is tr.real and twin.path is tr.path  # the shared read-only pieces are not copied
    list(tr.step(5, report_every=1))
    list(twin.step(5, report_every=1))
    assert [r[:2] for r in twin.history] == [r[:2] for r in tr.history]


def test_the_cli_hands_mnist_to_the_digit_model(monkeypatch, capsys):
    """``--data mnist`` goes to ``playground.diffusion.digits.run_cli`` with the digit flags (imported only then)."""
    import importlib

    from playground.__main__ import main

    seen = {}

    def fake(args):
        seen.update(guidance=args.guidance, train_steps=args.train_steps, sample_steps=args.sample_steps)
        return {"guidance": args.guidance}

    digits = importlib.import_module("playground.diffusion.digits")
    monkeypatch.setattr(digits, "run_cli", fake)
    assert main(["diffusion", "--data", "mnist", "--guidance", "5", "--sample-steps", "20", "--json"]) == 0
    assert seen == {"guidance": 5.0, "train_steps": 0, "sample_steps": 20}
    assert json.loads(capsys.readouterr().out) == {"guidance": 5.0}
