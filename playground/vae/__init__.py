"""Variational autoencoder (Kingma & Welling, 2014) and a plain autoencoder beside it.

- ``model``: ``VaeConfig`` (limits declared once), the networks, the loss terms;
- ``training``: the seeded split and the streaming ``train`` generator (snapshots and heartbeats);
- ``latent``: posterior means, latent grids (``GridSpec``), the reparameterization demo, interpolation;
- ``anomaly``: anomaly scores and their ROC;
- ``checkpoint``: the shipped model's file format; ``cli``: ``python -m playground vae``.

Everything returns tensors, numbers and frozen dataclasses; the tab, the CLI, the benchmark and the tests all
drive the same ``train`` generator. The names below are the public API.
"""

from playground.vae.anomaly import (SCORES, AnomalyResult, anomaly_detection, anomaly_inputs, anomaly_scores,
                                    other_set_name)
from playground.vae.checkpoint import ASSET, load_checkpoint, save_checkpoint
from playground.vae.cli import add_arguments, run_cli
from playground.vae.latent import (GridSpec, Reparameterization, decode_grid, grid_latents, interpolate,
                                   latent_grid, pca_plane, posterior, reparameterization_demo, spec_latents)
from playground.vae.model import (ARCHS, KINDS, VAE, VaeConfig, build_model, image_shape, init_parameters,
                                  kl_divergence, loss_terms, reconstruction_loss)
from playground.vae.training import Snapshot, Split, evaluate, evaluate_steps, fit, load_split, train

from playground.kit.registry import Experiment, register

register(Experiment("vae", "train a VAE (or plain autoencoder) and explore its latent space", cli="playground.vae.cli",
                    order=40))

__all__ = ["SCORES", "AnomalyResult", "anomaly_detection", "anomaly_inputs", "anomaly_scores", "other_set_name",
           "ASSET", "load_checkpoint", "save_checkpoint", "add_arguments",
           "run_cli", "GridSpec", "Reparameterization", "decode_grid", "grid_latents", "interpolate",
           "latent_grid", "pca_plane", "posterior", "reparameterization_demo", "spec_latents", "ARCHS", "KINDS",
           "VAE", "VaeConfig", "build_model", "image_shape", "init_parameters", "kl_divergence", "loss_terms",
           "reconstruction_loss", "Snapshot", "Split", "evaluate", "evaluate_steps", "fit", "load_split", "train"]
