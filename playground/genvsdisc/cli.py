"""Command line: ``python -m playground genvsdisc`` (the four classifiers on 2-D data, then the size sweep)."""

from __future__ import annotations

from typing import Iterator

from playground.genvsdisc.data import DATA_SETS
from playground.genvsdisc.experiment import GvdConfig, train
from playground.genvsdisc.sweep import sweep
from playground.kit import knobs

MODES = ("compare", "sweep", "all")


def add_arguments(parser) -> None:
    knobs.add_arguments(parser, GvdConfig, skip=("data",))
    # a data set's name, or a drawn data set's code (playground.data.drawn), which argparse's choices would refuse
    parser.add_argument("--data", default=None, help=f"2-D data set: one of {', '.join(DATA_SETS)}, or a drawn data "
                        "set's code (d1...., as the tab's link carries it; its colours are the classes); default moons")
    parser.add_argument("--mode", choices=MODES, default="all",
                        help="compare: train the four models once; sweep: accuracy against training-set size")
    parser.add_argument("--progress", type=int, default=0, help="also print metrics every N steps (0: only the end)")


def run_cli(args) -> Iterator[dict]:
    config = knobs.config_from_args(GvdConfig, args)
    if args.progress < 0:
        raise ValueError(f"--progress must be 0 or positive, got {args.progress}")
    head = {"data": config.data, "seed": config.seed}  # a drawn set's code as given: the run can be repeated
    if args.mode in ("compare", "all"):
        last = None
        for snap in train(config, report_every=args.progress or config.steps):
            if snap is None:
                continue
            last = snap
            if args.progress and not snap.done:
                yield {"experiment": "compare", **head, **snap.metrics()}
        yield {"experiment": "compare", **head, "n_train": config.n_train, "outliers": config.outliers,
               **last.metrics()}
    if args.mode in ("sweep", "all"):
        last = None
        for snap in sweep(config):
            if snap is not None:
                last = snap
        yield {"experiment": "sweep", **head, "steps": config.steps, "repeats": config.sweep_repeats,
               **last.metrics()}
