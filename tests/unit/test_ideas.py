"""The measured transformer ideas behave as the theory says (on tiny, seeded models)."""

import pytest

from playground.lab import ideas

CFG = ideas.IdeasConfig(d_model=32, heads=4, batch=2, lengths=(8, 16), depth=6, seed=0)


def test_rnn_gradient_vanishes_with_distance_but_attention_does_not():
    g = ideas.long_range(CFG, T=48)
    assert g["rnn"][0] < 1e-6 * g["rnn"][-1]  # 47 steps back: vanished
    assert g["attention"][0] > 0.05 * g["attention"][-1]  # one step away, whatever the distance
    assert len(g["lstm"]) == 47


def test_gradients_are_reproducible_for_a_seed():
    assert ideas.ln_gradients(CFG) == ideas.ln_gradients(CFG)
    assert ideas.long_range(CFG, T=16) == ideas.long_range(CFG, T=16)


def test_post_ln_gradients_grow_towards_the_output():
    g = ideas.ln_gradients(ideas.IdeasConfig(d_model=64, depth=12))
    assert g["post_ln"][-1] > g["post_ln"][0]
    assert g["pre_ln"][-1] < g["pre_ln"][0]


def test_parallelism_rows():
    rows = ideas.parallelism(CFG)
    assert [r["T"] for r in rows] == [8, 16] and all(r["lstm_ms"] > 0 and r["attention_ms"] > 0 for r in rows)


@pytest.mark.parametrize("kw", [dict(d_model=30, heads=4), dict(lengths=()), dict(lengths=(1,)), dict(depth=0)])
def test_bad_config_is_refused(kw):
    with pytest.raises(ValueError):
        ideas.IdeasConfig(**kw)


def test_a_seed_gives_the_same_numbers_and_leaves_the_global_rng_alone():
    import torch

    before = torch.random.get_rng_state()
    a, b = ideas.long_range(CFG, T=16), ideas.long_range(CFG, T=16)
    assert a == b and ideas.ln_gradients(CFG) == ideas.ln_gradients(CFG)
    assert torch.equal(torch.random.get_rng_state(), before)  # private generators only
    assert ideas.long_range(ideas.IdeasConfig(d_model=32, heads=4, batch=2, lengths=(8,), depth=6, seed=1),
                            T=16) != a
