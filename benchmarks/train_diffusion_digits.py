"""Train the Diffusion Lab's shipped MNIST model: ``assets/diffusion_mnist_default.safetensors`` (+ ``.json``).

Run: ``nice python benchmarks/train_diffusion_digits.py [--steps N] [--seed S] [--out PATH] [--dry-run]``.

The ``shipped`` preset of ``playground.diffusion.digits`` (flow matching, width 16, EMA 0.999) trained from one
seed on one CPU thread (``digits.THREADS``): the same seed gives the same weights on any machine with the same
kind of CPU. After training it measures what the tab and the claims quote, all at 50 DDIM steps unless noted, and
writes them beside the weights:

- ``sweep``: class agreement and confidence of the shared digit classifier on the 8x8 grid (labels 0..9 in
  reading order) for guidance 0, 1, 3, 5, 8 on grid seeds 0, 1, 2, with milliseconds per grid;
- ``history``: loss and the live grid's agreement (20 DDIM steps, guidance 3) every ``--every`` steps, with the
  training time (wall clock and this thread's CPU time, which the other users of a shared machine do not inflate).

``--dry-run``: 20 steps into a temporary folder (a smoke test of the script; the asset is not touched).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # as app.py runs torch (idle OpenMP threads sleep); before torch

import torch  # noqa: E402

from playground.diffusion import digits  # noqa: E402
from playground.diffusion.digits_training import DigitsTrainer  # noqa: E402

SEEDS = (0, 1, 2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=None, help="training steps (default: the shipped preset's)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--every", type=int, default=500, help="history row (and live grid) every N steps")
    parser.add_argument("--out", default=str(digits.ASSET))
    parser.add_argument("--dry-run", action="store_true", help="20 steps into a temporary folder")
    args = parser.parse_args(argv)
    over = dict(seed=args.seed, device="cpu")
    if args.dry_run:
        over["steps"] = 20
        args.every = 10
        args.out = str(Path(tempfile.mkdtemp()) / "digits.safetensors")
    elif args.steps is not None:
        over["steps"] = args.steps
    config = digits.preset_config("shipped", **over)
    trainer = DigitsTrainer(config)
    print(f"training {config} ({trainer.n_params:,} parameters) -> {args.out}", file=sys.stderr, flush=True)

    history = []
    cpu = 0.0
    t0 = time.thread_time()
    for snap in trainer.step(config.steps, report_every=args.every, sample_every=args.every):
        cpu += time.thread_time() - t0  # includes the live grid's sampling, a few percent
        history.append({**snap.metrics(), "cpu_s": round(cpu, 1)})
        print(json.dumps(history[-1]), file=sys.stderr, flush=True)
        t0 = time.thread_time()

    model = trainer.model()
    sweep = {seed: digits.sweep(model, 50, "ddim", seed) for seed in SEEDS}
    by_w = {}
    for row in (r for rows in sweep.values() for r in rows):
        by_w.setdefault(row["guidance"], []).append(row["agree"])
    facts = {
        "preset": "shipped", "seed": args.seed, "n_params": trainer.n_params, "threads": digits.THREADS,
        "train_wall_s": round(trainer.elapsed, 1), "train_cpu_s": round(cpu, 1),
        "torch": torch.__version__, "machine": platform.processor() or platform.machine(),
        "agree_mean_by_guidance": {str(w): round(sum(v) / len(v), 4) for w, v in by_w.items()},
        "sweep_ddim50": {str(seed): rows for seed, rows in sweep.items()},
        "history": history,
        "made_by": "benchmarks/train_diffusion_digits.py",
    }
    path = trainer.save_model(args.out, facts)
    print(json.dumps({"out": str(path), "bytes": path.stat().st_size, "steps": trainer.step_count,
                      "train_wall_s": facts["train_wall_s"], "train_cpu_s": facts["train_cpu_s"],
                      "agree_mean_by_guidance": facts["agree_mean_by_guidance"]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
