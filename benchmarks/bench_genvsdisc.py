"""Generative vs discriminative and synthetic-data speed: each default run, timed end to end.

Run: ``python benchmarks/bench_genvsdisc.py [--only compare|sweep|augment]``; prints one JSON line per run.

- ``compare``: the live comparison (``playground.genvsdisc.train``) with its default config on each 2-D
  data set, consumed as the UI does (every snapshot and heartbeat, the plane's maps every 50 steps).
- ``sweep``: the training-set size sweep with its default config (7 sizes x 5 repeats x 4 models).
- ``augment``: the synthetic-data experiment with its default config (MNIST, N = 5, 10, 20, 3 repeats,
  conditional GAN and VAE trained on each real subset); the shared digit classifier is loaded (or trained
  once and cached) before the clock starts.

Each line gives wall-clock seconds (``perf_counter``) and this process's CPU seconds (``process_time``):
on a machine whose cores other jobs share, wall time is inflated and CPU time is the steadier figure.
The target is each default under 60 s wall on 2 idle cores.
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

from playground import genvsdisc
from playground.genvsdisc import augment  # noqa: E402
from playground.kit.classifier import digit_classifier  # noqa: E402

TARGET_S = 60.0


def timed(items) -> tuple[object, float, float, int]:
    """Consume a snapshot generator: (last snapshot, wall s, CPU s, heartbeats)."""
    wall, cpu = time.perf_counter(), time.process_time()
    last, beats = None, 0
    for item in items:
        if item is None:
            beats += 1
        else:
            last = item
    return last, time.perf_counter() - wall, time.process_time() - cpu, beats


def line(name: str, wall: float, cpu: float, **extra) -> dict:
    return {"bench": name, "wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "target_s": TARGET_S,
            "within_target": wall <= TARGET_S, "torch_threads": torch.get_num_threads(),
            "load_avg_1min": round(os.getloadavg()[0], 2), **extra}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("compare", "sweep", "augment"), default=None)
    args = parser.parse_args()
    if args.only in (None, "compare"):
        for data in genvsdisc.DATA_SETS:
            snap, wall, cpu, beats = timed(genvsdisc.train(genvsdisc.GvdConfig(data=data)))
            print(json.dumps(line(f"compare:{data}", wall, cpu, heartbeats=beats, steps=snap.step,
                                  test_accuracy={k: round(v, 4) for k, v in snap.test_accuracy.items()})),
                  flush=True)
    if args.only in (None, "sweep"):
        config = genvsdisc.GvdConfig()
        snap, wall, cpu, beats = timed(genvsdisc.sweep(config))
        print(json.dumps(line(f"sweep:{config.data}", wall, cpu, heartbeats=beats, fits=snap.measured * 4)),
              flush=True)
    if args.only in (None, "augment"):
        config = augment.AugmentConfig()
        digit_classifier(config.data)  # the shared judge: trained once and cached, not part of the run
        snap, wall, cpu, beats = timed(augment.run(config))
        print(json.dumps(line("augment", wall, cpu, heartbeats=beats, cells=len(snap.cells),
                              accuracy=snap.summary(), gain=snap.gains())), flush=True)


if __name__ == "__main__":
    main()
