"""Command line: ``python -m playground augment`` (does synthetic data help?
``--n-real 5 10 20 --synthetic 50 --repeats 3``)."""

from __future__ import annotations

from typing import Iterator

from playground.genvsdisc.augment import AugmentConfig, run
from playground.kit import knobs


def add_arguments(parser) -> None:
    knobs.add_arguments(parser, AugmentConfig)
    parser.add_argument("--n-real", type=int, nargs="+", default=None, metavar="N",
                        help="real images per class, one experiment each (default 5 10 20)")
    parser.add_argument("--progress", action="store_true", help="also print a line after each measured cell")


def run_cli(args) -> Iterator[dict]:
    extra = {"n_real": tuple(args.n_real)} if args.n_real else {}
    config = knobs.config_from_args(AugmentConfig, args, base=extra)
    last = None
    for snap in run(config):
        if snap is None:
            continue
        last = snap
        if args.progress and snap.stage == "classifier":
            c = snap.cells[-1]
            yield {"repeat": c.repeat, "n_real": c.n_real, "source": c.source, "accuracy": round(c.accuracy, 4),
                   "agreement": None if c.agreement is None else round(c.agreement, 4),
                   "elapsed_s": round(snap.elapsed, 2)}
    yield {"experiment": "augment", "data": config.data, "n_real": list(config.n_real),
           "synthetic": config.synthetic, "repeats": config.repeats, "generator_data": config.generator_data,
           "seed": config.seed, **last.metrics()}
