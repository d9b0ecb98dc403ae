"""Vision transfer race: the default race's time on this device, and each strategy's measured figures.

Run: ``python benchmarks/bench_vision.py [--device cpu|cuda] [--sweep] [race flags as in the CLI]``;
prints one JSON object per line: one per strategy, then a summary.

- ``race``: the default race (from scratch, feature extraction, top blocks, full fine-tuning) with the
  device's defaults (CPU: 50 MNIST digits per class at 32 px; GPU: 200 per class at 224 px), driven by the
  same generator the tab and the CLI use. ``race_s`` is the wall time of the whole race, image preparation and
  model building included; the CPU target is 90 s on 2 cores.
- ``load``: loading the pretrained CNN (first use in the process) and one top-5 prediction on the cat photo.
- ``--sweep``: also the training-set-size sweep (pretrained features vs from scratch), accuracy per size.

Timings taken while other work shares the cores are noisy: pin the run (``taskset -c 0,1``) on a quiet machine.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch  # noqa: E402

from playground.kit import knobs  # noqa: E402
from playground.vision import explain, race  # noqa: E402
from playground.vision.config import SWEEP_PAIR, VisionConfig  # noqa: E402
from playground.vision.net import load_pretrained  # noqa: E402

KEEP = ("strategy", "test_acc", "trainable", "total", "pct", "peak_mem_mb", "images_per_s", "train_s", "feature_s",
        "wall_s", "lr", "epochs", "steps", "n_train", "n_test", "resolution", "cached", "device")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sweep", action="store_true", help="also run the training-set-size sweep")
    p.add_argument("--sizes", nargs="*", type=int, default=(), help="sweep sizes per class (default: device's)")
    p.add_argument("--strategies", default=",".join(race.DEFAULT_RACE))
    knobs.add_arguments(p, VisionConfig)
    args = p.parse_args()
    cfg = knobs.config_from_args(VisionConfig, args).resolved()

    t0 = time.perf_counter()
    load_pretrained()
    top = explain.predict(explain.sample_photo("cat"))[0]
    load = {"load_and_predict_s": round(time.perf_counter() - t0, 2), "cat_top1": top.name}

    start, cpu0 = time.perf_counter(), time.process_time()
    results, heartbeats, longest, last = [], 0, 0.0, time.perf_counter()
    for snap in race.race(cfg, args.strategies):
        now = time.perf_counter()
        longest, last = max(longest, now - last), now
        heartbeats += snap is None
        if snap is not None and snap.result is not None:
            r = snap.result.as_dict()
            results.append(r)
            print(json.dumps({k: round(r[k], 4) if isinstance(r[k], float) else r[k] for k in KEEP}), flush=True)
    race_s = time.perf_counter() - start
    # CPU seconds of this process: less sensitive than wall time to other work sharing the cores
    summary = {"race_s": round(race_s, 1), "race_cpu_s": round(time.process_time() - cpu0, 1),
               "load_avg_1min": round(os.getloadavg()[0], 1), "threads": torch.get_num_threads(), "heartbeats": heartbeats,
               "longest_gap_between_yields_s": round(longest, 3), **load,
               "config": {k: getattr(cfg, k) for k in ("data", "per_class", "test_per_class", "resolution",
                                                        "batch_size", "augment", "seed", "device")}}
    if args.sweep:
        t1 = time.perf_counter()
        points = [s for s in race.size_sweep(cfg, args.sizes, SWEEP_PAIR) if isinstance(s, race.SweepPoint)]
        summary["sweep"] = [{"per_class": s.per_class, "strategy": s.strategy, "test_acc": round(s.test_acc, 4),
                             "train_s": round(s.train_s, 2)} for s in points]
        summary["sweep_s"] = round(time.perf_counter() - t1, 1)
    print(json.dumps(summary), flush=True)


if __name__ == "__main__":
    main()
