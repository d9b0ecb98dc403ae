"""The Diffusion Lab's digit claims, on the shipped model (assets/diffusion_mnist_default.safetensors): classifier-
free guidance raises the share of samples that the shared digit classifier assigns to the requested class, from
guidance 0 (the unconditional model: about one in ten by chance) to 3, on grid seeds 0, 1 and 2, and at guidance 3
at least 80% agree (the issue's bar). 50 DDIM steps, the explorer's default: a few seconds a seed on one core.

A second claim trains from scratch, as the tab's "train" button does: the default preset reaches 80% agreement at
guidance 3 on the live grid within its 1,000 steps (the issue's budget is 120 s of training; the benchmark times
it, this test only counts steps, and stops there: under a minute on one core)."""

from __future__ import annotations

import pytest

from playground.diffusion import digits as D
from playground.diffusion import digits_training as DT

SEEDS = (0, 1, 2)


@pytest.fixture(scope="module")
def shipped() -> D.DigitsModel:
    return D.load_shipped()


@pytest.mark.parametrize("seed", SEEDS)
def test_guidance_raises_the_shipped_models_agreement(shipped, seed):
    agree = {w: D.agreement(shipped.grid(w, 50, "ddim", seed), D.GRID_LABELS)["agree"] for w in (0.0, 1.0, 3.0)}
    assert agree[0.0] < agree[3.0], agree
    assert agree[1.0] < agree[3.0], agree
    assert agree[3.0] >= 0.8, agree


def test_the_default_preset_reaches_80_percent_agreement_from_scratch():
    config = D.preset_config(seed=0, device="cpu")
    trainer = DT.DigitsTrainer(config)
    reached = None
    for snap in trainer.step(config.steps, report_every=250, sample_every=250):
        if snap.agreement >= D.TARGET_AGREEMENT:
            reached = snap.step  # seeds 0-2 got there at steps 500-700 (benchmarked every 50 steps)
            break
    assert reached is not None, trainer.history[-1]
