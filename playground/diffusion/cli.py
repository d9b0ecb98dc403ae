"""Command line of the Diffusion Lab: ``python -m playground diffusion --preset flow --seed 0 --json``.

2-D data: every flag of ``DiffusionConfig`` comes from its declared limits; a preset (the data set's own, or
``--preset``) supplies the values the user does not give. Prints the final metrics, the training speed and the
quality against the number of sampling steps. ``--data mnist``: the class-conditional digit model with
classifier-free guidance (``playground.diffusion.digits``, imported only then).
"""

from __future__ import annotations

import importlib
from typing import Iterator

import numpy as np

from playground.data import drawn, toy2d
from playground.diffusion.toy import PRESETS, QUALITY_STEPS, DiffusionConfig, DiffusionTrainer, preset_for_data
from playground.kit import knobs
from playground.kit.runtime import limit_this_thread, pick_device

IMAGE_SETS = ("mnist",)


def add_arguments(parser) -> None:
    parser.add_argument("--preset", choices=list(PRESETS), default=None,
                        help="start from this preset (default: the data set's own preset, else 'default')")
    knobs.add_arguments(parser, DiffusionConfig, skip=("data",))
    parser.add_argument("--data", default=None, help=f"training data: a 2-D set ({', '.join(toy2d.DISTRIBUTIONS)}), "
                        "a drawn data set's code (d1...., as a link carries it), or mnist (the digit model with "
                        "guidance)")
    parser.add_argument("--device", default="auto")
    parser.add_argument("--quality-steps", type=int, nargs="*", default=list(QUALITY_STEPS),
                        help="sampling steps at which quality is measured at the end (none: skip)")
    parser.add_argument("--samples-out", default=None, help="save generated samples (.npy), (N, 2)")
    parser.add_argument("--n-samples", type=int, default=1000)
    parser.add_argument("--progress", type=int, default=0, help="also print metrics every N steps (0: only the end)")
    parser.add_argument("--guidance", type=float, default=3.0, help="mnist only: classifier-free guidance scale")
    parser.add_argument("--train-steps", type=int, default=0,
                        help="mnist only: train from scratch for this many steps (0: use the shipped model)")


def config_from_args(args) -> DiffusionConfig:
    data = args.data or "ring8"
    if data not in toy2d.DISTRIBUTIONS and not drawn.is_drawn(data):
        raise ValueError(f"unknown data {data!r}: choose one of {', '.join([*toy2d.DISTRIBUTIONS, *IMAGE_SETS])}, "
                         "or give a drawn data set's code (d1....)")
    preset = dict(PRESETS[args.preset or preset_for_data(data)], data=data)
    return knobs.config_from_args(DiffusionConfig, args, base=preset, device=args.device)


def run_cli(args) -> Iterator[dict] | dict:
    if args.data in IMAGE_SETS:
        return importlib.import_module("playground.diffusion.digits").run_cli(args)
    return _run_toy(args)


def _run_toy(args) -> Iterator[dict]:
    config = config_from_args(args)
    if args.n_samples < 1 or args.n_samples > 100_000:
        raise ValueError(f"--n-samples must be between 1 and 100000, got {args.n_samples}")
    if args.progress < 0:
        raise ValueError(f"--progress must be 0 or positive, got {args.progress}")
    bad = [s for s in args.quality_steps if not 1 <= s <= 1000]
    if bad:
        raise ValueError(f"--quality-steps must be between 1 and 1000, got {bad}")
    if pick_device(config.device).type == "cpu":
        limit_this_thread(1)  # a small MLP: one thread is faster than two that wait for each other
    trainer = DiffusionTrainer(config)
    report = args.progress or config.steps
    last = None
    for snap in trainer.step(config.steps, report_every=min(report, config.steps), sample_every=report):
        last = snap
        if args.progress and snap.step < config.steps:
            yield snap.metrics()
    out = {"data": config.data, "objective": config.objective, "schedule": config.schedule,
           "sampler": config.sampler, "sample_steps": config.sample_steps, "device": str(trainer.device),
           **last.metrics(), "steps_per_s": round(trainer.step_count / max(trainer.elapsed, 1e-9), 1),
           "n_params": trainer.n_params}
    if args.quality_steps:
        out["quality_vs_steps"] = trainer.quality_vs_steps(config.sampler, tuple(args.quality_steps))
    if args.samples_out:
        samples = trainer.sample(args.n_samples, seed=config.seed)
        np.save(args.samples_out, samples)
        out["samples_out"] = str(args.samples_out)
        out["samples_shape"] = list(samples.shape)
    yield out
