"""Vision Transfer's claim: pretrained weights are worth most when data is scarce (slow: four real races)."""

from __future__ import annotations

from playground.vision import race
from playground.vision.config import VisionConfig


def test_pretrained_weights_beat_random_weights_on_little_data():
    """The outline's claim, measured at the CPU default resolution (48 px) on MNIST, seed 0.

    Measured: 10 images per class, feature extraction 0.74 vs from scratch 0.55; 50 per class, fine-tuning the top
    blocks 0.94 vs from scratch 0.88. (At 50 per class a linear probe on 48-px features, 0.89, is only level with
    from scratch, 0.88: the sweep shows the gap closing as data grows, so that pair is not asserted here.)"""
    few = {r.strategy: r.test_acc for r in race.run(VisionConfig(device="cpu", per_class=10, test_per_class=30,
                                                                 resolution=48), ["feature_extraction", "from_scratch"])}
    assert few["feature_extraction"] > few["from_scratch"] + 0.1
    more = {r.strategy: r.test_acc for r in race.run(VisionConfig(device="cpu", per_class=50, test_per_class=30,
                                                                  resolution=48), ["top_blocks", "from_scratch"])}
    assert more["top_blocks"] > more["from_scratch"] + 0.02 and more["top_blocks"] > 0.9
