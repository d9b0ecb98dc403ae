"""GAN Lab's core: a generator and a discriminator trained live on 2-D toy data or small digit images.

- ``trainer``: ``GanConfig`` (limits declared once), the presets, ``GanTrainer`` (``step(n)`` streams snapshots);
- ``losses``: the four games (minimax, non-saturating, least squares, WGAN-GP); ``nets``: MLP and DCGAN-style nets;
- ``cli``: ``python -m playground gan``; ``recorder``: the shipped recordings of every preset.
"""

from playground.kit.registry import Experiment, register

register(Experiment("gan", "train a GAN on 2-D toy data or small digit images", cli="playground.gan.cli",
                    order=30, recorders={"gan": "playground.gan.recorder:recorder"}))
