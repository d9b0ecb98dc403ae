"""``python -m playground vision``: the transfer race, a size sweep, or the top-5 classes of an image.

    python -m playground vision --json                                 # the race, one line per strategy
    python -m playground vision --strategies feature_extraction,full --per-class 10 --json
    python -m playground vision --sweep 10 25 50 --json                # accuracy vs training-set size
    python -m playground vision --predict photo.jpg --json             # top-5 ImageNet classes
    python -m playground vision --sample cat --json                    # a photo that ships offline
"""

from __future__ import annotations

import argparse
from typing import Iterator

from playground.kit import knobs
from playground.vision.config import DEFAULT_RACE, SWEEP_PAIR, VisionConfig, check_strategies

ROUND = {"test_acc": 4, "peak_mem_mb": 1, "images_per_s": 1, "train_s": 2, "feature_s": 2, "wall_s": 2, "pct": 3}


def add_arguments(p: argparse.ArgumentParser) -> None:
    from playground.vision.explain import SAMPLES

    p.add_argument("--predict", metavar="IMAGE_PATH", help="print the top-5 ImageNet classes of an image file")
    p.add_argument("--sample", choices=list(SAMPLES), help="print the top-5 classes of a shipped sample photo")
    p.add_argument("--top", type=int, default=5, help="how many classes --predict prints (default 5)")
    p.add_argument("--strategies", default=",".join(DEFAULT_RACE),
                   help=f"comma-separated, in race order (default {','.join(DEFAULT_RACE)})")
    p.add_argument("--sweep", nargs="*", type=int, metavar="PER_CLASS", default=None,
                   help="accuracy against training images per class (no sizes: the device default); "
                        f"--strategies then defaults to {','.join(SWEEP_PAIR)}")
    p.add_argument("--progress", action="store_true", help="also print a line at each test evaluation")
    knobs.add_arguments(p, VisionConfig)


def _round(d: dict) -> dict:
    return {k: round(v, ROUND[k]) if k in ROUND and isinstance(v, float) else v for k, v in d.items()}


def run_cli(args: argparse.Namespace) -> Iterator[dict] | dict:
    if args.predict or args.sample:
        return _predict(args)
    return _train(args)


def _predict(args: argparse.Namespace) -> dict:
    from playground.vision import explain
    from playground.vision.net import load_pretrained

    if args.predict and args.sample:
        raise ValueError("give either --predict IMAGE_PATH or --sample NAME, not both")
    image = explain.sample_photo(args.sample) if args.sample else args.predict
    preds = explain.predict(image, args.top)
    return {"image": args.sample or str(args.predict), "model": "efficientnet-lite0 (ImageNet)",
            "load_s": round(load_pretrained().load_seconds, 2),
            "top": [{"index": p.index, "name": p.name, "prob": round(p.prob, 4)} for p in preds]}


def _train(args: argparse.Namespace) -> Iterator[dict]:
    from playground.vision import race

    cfg = knobs.config_from_args(VisionConfig, args).resolved()
    if args.sweep is not None:
        given = args.strategies if args.strategies != ",".join(DEFAULT_RACE) else ",".join(SWEEP_PAIR)
        for item in race.size_sweep(cfg, args.sweep, check_strategies(given)):
            if isinstance(item, race.SweepPoint):
                yield _round({"per_class": item.per_class, "strategy": item.strategy, "test_acc": item.test_acc,
                              "train_s": item.train_s, "n_train": item.n_train})
        return
    for snap in race.race(cfg, check_strategies(args.strategies)):
        if snap is None:
            continue
        if args.progress and snap.acc is not None and snap.result is None:
            yield _round({"strategy": snap.strategy, "step": snap.step, "of": snap.total_steps,
                          "loss": round(snap.loss, 4), "test_acc": snap.acc})
        if snap.result is not None:
            yield _round(snap.result.as_dict())
