"""Transfer learning for vision: what a pretrained CNN knows, and what its weights are worth on small data.

- ``net``: EfficientNet-Lite0 with its packaged ImageNet weights, split into 20 units (stem, 16 MBConv
  blocks, head, pooling, classifier) so a strategy can freeze a prefix; ImageNet class names.
- ``explain``: top-5 predictions, feature maps of a stage, Grad-CAM; sample photos that ship offline.
- ``data``: a small class-balanced subset of MNIST / Fashion-MNIST, resized for the CNN.
- ``config``: the race's knobs and the registry of strategies (from scratch, feature extraction,
  top blocks, full fine-tuning).
- ``race``: the training generator (snapshots and heartbeats), the race and the training-set-size sweep.
- ``training``: generic loop pieces (parameter counts, optimizer groups, warmup schedule, batches,
  peak memory, a clock that does not count suspended time).
- ``cli``: ``python -m playground vision ...``.

Importing this package loads no model; the CNN loads on first use.
"""

from playground.vision.cli import add_arguments, run_cli

from playground.kit.registry import Experiment, register

register(Experiment("vision", "a pretrained CNN's top-5 / transfer race on small image sets (EfficientNet-Lite0)",
                    cli="playground.vision.cli", order=70,
                    recorders={"vision_race": "playground.vision.recorder:recorder",
                               "vision_sweep": "playground.vision.recorder:sweep_recorder"}))

__all__ = ["add_arguments", "run_cli"]
