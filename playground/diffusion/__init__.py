"""Diffusion Lab's core: denoising diffusion (DDPM) and flow matching, trained live on 2-D toy data and MNIST.

- ``schedules``: the Gaussian paths x_t = a(t) x0 + s(t) eps (DDPM linear / cosine, flow matching), the targets;
- ``samplers``: ancestral DDPM, DDIM and Euler on the ODE, for both objectives;
- ``nets``: the 2-D denoiser MLP; ``mixture``: the exact score and prediction for a Gaussian mixture;
- ``toy``: ``DiffusionConfig``, the presets, ``DiffusionTrainer`` (``step(n)`` streams snapshots);
- ``unet``, ``digits``: the class-conditional digit model with classifier-free guidance;
- ``cli``: ``python -m playground diffusion``; ``recorder``: the shipped recordings of every 2-D preset.
"""

from playground.kit.registry import Experiment, register

register(Experiment("diffusion", "train a diffusion or flow-matching model on 2-D toy data (or sample digits)",
                    cli="playground.diffusion.cli", order=45,
                    recorders={"diffusion": "playground.diffusion.recorder:recorder"}))
