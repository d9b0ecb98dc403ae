"""Command line of the GAN Lab: ``python -m playground gan --data ring8 --seed 0 --json``.

Every flag of ``GanConfig`` comes from its declared limits; a preset (the data set's own, or ``--preset``)
supplies the values the user does not give."""

from __future__ import annotations

from typing import Iterator

import numpy as np

from playground.data import drawn
from playground.kit import knobs
from playground.gan.trainer import DATA_SETS, PRESETS, GanConfig, GanTrainer, preset_for_data
from playground.kit.runtime import limit_this_thread, pick_device


def trainer_device_is_cpu(config: GanConfig) -> bool:
    return pick_device(config.device).type == "cpu"


def add_arguments(parser) -> None:
    parser.add_argument("--preset", choices=list(PRESETS), default=None,
                        help="start from this preset (default: the data set's own preset, else 'default')")
    knobs.add_arguments(parser, GanConfig, skip=("data",))
    parser.add_argument("--data", default=None, help=f"training data: one of {', '.join(DATA_SETS)}, or a drawn data "
                        "set's code (d1...., as a link carries it)")
    parser.add_argument("--device", default="auto")
    parser.add_argument("--samples-out", default=None, help="save generated samples (.npy): (N, 2) or (N, H, W)")
    parser.add_argument("--n-samples", type=int, default=1000)
    parser.add_argument("--progress", type=int, default=0, help="also print metrics every N steps (0: only the end)")


def config_from_args(args) -> GanConfig:
    data = args.data or "ring8"
    if data not in DATA_SETS and not drawn.is_drawn(data):
        raise ValueError(f"unknown data {data!r}: choose one of {', '.join(DATA_SETS)}, or give a drawn data set's "
                         "code (d1....)")
    preset = dict(PRESETS[args.preset or preset_for_data(data)], data=data)
    return knobs.config_from_args(GanConfig, args, base=preset, device=args.device)


def run_cli(args) -> Iterator[dict]:
    config = config_from_args(args)
    if args.n_samples < 1 or args.n_samples > 100_000:
        raise ValueError(f"--n-samples must be between 1 and 100000, got {args.n_samples}")
    if args.progress < 0:
        raise ValueError(f"--progress must be 0 or positive, got {args.progress}")
    if trainer_device_is_cpu(config):
        limit_this_thread(1)  # these nets are small: one thread is faster than two that wait for each other
    trainer = GanTrainer(config)
    report = args.progress or config.steps
    last = None
    for snap in trainer.step(config.steps, report_every=min(report, config.steps), sample_every=report):
        last = snap
        if args.progress and snap.step < config.steps:
            yield snap.metrics()
    out = {"data": config.data, "loss": config.loss, "device": str(trainer.device), **last.metrics(),
           "steps_per_s": round(trainer.step_count / max(trainer.elapsed, 1e-9), 1)}
    if args.samples_out:
        samples = trainer.sample(args.n_samples, seed=config.seed)
        np.save(args.samples_out, samples)
        out["samples_out"] = str(args.samples_out)
        out["samples_shape"] = list(samples.shape)
    yield out
