"""Synthetic-data experiment: conditional generators draw the class asked for; the experiment repeats."""

from __future__ import annotations

import pytest
import torch

from playground.genvsdisc import augment
from playground.genvsdisc import conditional
from playground.genvsdisc.augment import AugmentSnapshot, Cell, agreement, pick_per_class, split

# 8x8 scikit-learn digits and tiny budgets: the whole experiment in a few seconds
TINY = dict(data="digits", n_real=(2, 3), synthetic=4, repeats=2, gan_steps=15, vae_steps=15, gen_hidden=16,
            gan_latent=4, vae_latent=2, clf_steps=10, clf_hidden=16, grid_per_class=2)


@pytest.fixture(scope="module")
def digits_pool():
    return split(augment.AugmentConfig(data="digits"))[0]


@pytest.mark.parametrize("kind", conditional.KINDS)
def test_conditional_samples_are_judged_the_class_asked_for(kind, digits_pool):
    """The shared digit classifier (playground.classifier.digit_classifier) puts most samples in the asked class."""
    g = torch.Generator().manual_seed(0)
    model = conditional.build(kind, digits_pool.shape, 10, 8, 64, g)
    for _ in conditional.train(kind, model, digits_pool.x, digits_pool.y, 300, 64, 1e-3, g, report_every=100):
        pass
    x, y = conditional.per_class(model, 20, torch.Generator().manual_seed(1))
    assert x.shape == (200, 1, 8, 8) and 0 <= x.min() and x.max() <= 1
    assert torch.equal(y, torch.arange(10).repeat_interleave(20))
    assert agreement(x, y, "digits") > 0.4  # chance is 0.1


def test_training_loops_report_and_heartbeat(digits_pool):
    g = torch.Generator().manual_seed(0)
    model = conditional.build("gan", digits_pool.shape, 10, 4, 16, g)
    items = list(conditional.train("gan", model, digits_pool.x, digits_pool.y, 10, 8, 1e-3, g, report_every=5))
    assert items.count(None) == 8 and [i[0] for i in items if i is not None] == [5, 10]
    assert set(items[-1][1]) == {"loss_d", "loss_g"}


def test_real_picks_are_nested_and_per_class(digits_pool):
    small = pick_per_class(digits_pool, 3, torch.Generator().manual_seed(4))
    big = pick_per_class(digits_pool, 7, torch.Generator().manual_seed(4))
    assert small.shape == (10, 3) and torch.equal(big[:, :3], small)
    assert torch.equal(digits_pool.y[big], torch.arange(10)[:, None].expand(10, 7))


def test_experiment_is_reproducible_on_a_seed():
    runs = [augment.final(augment.AugmentConfig(**TINY, seed=s)) for s in (3, 3, 4)]
    assert runs[0].done and len(runs[0].cells) == runs[0].total == 2 * 2 * 3
    assert runs[0].cells == runs[1].cells  # every accuracy and agreement, exactly
    assert runs[0].cells != runs[2].cells
    assert {c.source for c in runs[0].cells} == {"real", "gan", "vae"}
    assert runs[0].grid["vae"].shape == (10, 2, 8, 8)
    summary = runs[0].summary()
    assert summary["real"][2]["runs"] == 2 and "agreement" in summary["gan"][3]


def test_the_experiment_streams_heartbeats_and_stages():
    items = list(augment.run(augment.AugmentConfig(**{**TINY, "repeats": 1, "n_real": (2,)})))
    stages = [i.stage for i in items if i is not None]
    assert None in items and stages[-1] == "done"
    assert {"gan", "vae", "classifier"} <= set(stages)


def test_pool_mode_trains_the_generators_once_per_repeat():
    items = list(augment.run(augment.AugmentConfig(**{**TINY, "repeats": 1, "generator_data": "pool"})))
    finished = [i for i in items if i is not None and i.stage in conditional.KINDS and i.step == 15]
    assert len(finished) == 2  # one GAN and one VAE for both N


def test_no_synthetic_images_measures_the_baseline_only():
    last = augment.final(augment.AugmentConfig(**{**TINY, "synthetic": 0, "repeats": 1}))
    assert {c.source for c in last.cells} == {"real"} and last.total == 2 and last.grid is None


def test_gains_are_differences_to_real_only():
    cells = (Cell(0, 5, "real", 0.5, None), Cell(0, 5, "gan", 0.6, 0.9), Cell(0, 5, "vae", 0.4, 0.8),
             Cell(1, 5, "real", 0.7, None), Cell(1, 5, "gan", 0.6, 0.9), Cell(1, 5, "vae", 0.7, 0.8))
    snap = AugmentSnapshot("done", 1, 5, 0, {}, cells, 6, 1.0, None, True)
    assert snap.gains()["gan"][5] == {"mean": 0.0, "min": -0.1, "max": 0.1}
    assert snap.gains()["vae"][5]["mean"] == pytest.approx(-0.05)
    assert snap.summary()["real"][5] == {"mean": 0.6, "std": 0.1, "runs": 2}


@pytest.mark.parametrize("bad", [dict(n_real=(0,)), dict(n_real=(5, 101)), dict(n_real=()), dict(synthetic=-1),
                                 dict(generator_data="all"), dict(data="fashion")])
def test_bad_settings_are_clear_errors(bad):
    with pytest.raises(ValueError):
        augment.AugmentConfig(**bad)


def test_the_shared_classifier_trains_on_a_cold_cache_inside_no_grad(tmp_path, monkeypatch):
    # the synthetic-data experiment asks for it inside a no_grad function: on an empty cache its first training
    # failed with "element 0 of tensors does not require grad" (the first student on a fresh Space saw an error)
    import torch

    from playground.kit import classifier

    monkeypatch.setenv("DL_PLAYGROUND_CACHE", str(tmp_path))
    classifier._classifier_cached.cache_clear()
    try:
        with torch.no_grad():
            clf = classifier.digit_classifier("digits")
        assert clf.test_accuracy > 0.9
        assert list(tmp_path.glob("gan-classifier-digits-*.safetensors"))
        with torch.inference_mode():
            classifier._classifier_cached.cache_clear()
            again = classifier.digit_classifier("digits")  # read back from the cache file
        assert again.test_accuracy == clf.test_accuracy
    finally:
        classifier._classifier_cached.cache_clear()  # the other tests get the classifier of the real cache
