"""Diffusion Lab's core: denoising diffusion (DDPM) and flow matching, trained live on 2-D toy data and MNIST.

- ``schedules``: the Gaussian paths x_t = a(t) x0 + s(t) eps (DDPM linear / cosine, flow matching), the targets;
- ``samplers``: ancestral DDPM, DDIM and Euler on the ODE, for both objectives.
"""
