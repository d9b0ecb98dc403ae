"""Quality against sampling steps on the Diffusion Lab's default 2-D model, over seeds: the figures the README quotes.

    python benchmarks/quality_vs_steps.py [--preset default] [--seeds 0 1 2] [--steps 10 50 1000]

For each seed: train the preset (one thread, as the tab does), then sample the same 1,000 fixed noise points with each
sampler at each number of steps and score them with the GAN Lab's measure (``toy2d.coverage``). Prints one JSON line
per (seed, sampler, steps) and a Markdown table of the ranges over the seeds; writes
``benchmarks/results/quality_vs_steps.json``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playground.diffusion import samplers, toy  # noqa: E402

OUT = Path(__file__).resolve().parent / "results" / "quality_vs_steps.json"


def measure(preset: str, seed: int, steps: list[int]) -> list[dict]:
    trainer = toy.DiffusionTrainer(toy.preset_config(preset, seed=seed))
    for _ in trainer.step(trainer.config.steps, report_every=trainer.config.steps):
        pass
    rows = []
    for sampler in samplers.SAMPLERS:
        for r in trainer.quality_vs_steps(sampler, steps_list=tuple(steps)):
            rows.append({"seed": seed, "sampler": sampler, **r})
            print(json.dumps(rows[-1]), flush=True)
    return rows


def span(values: list[float]) -> str:
    lo, hi = min(values), max(values)
    return f"{lo:.0%}" if f"{lo:.0%}" == f"{hi:.0%}" else f"{lo:.0%}–{hi:.0%}"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--preset", default="default", choices=list(toy.PRESETS))
    p.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    p.add_argument("--steps", type=int, nargs="+", default=[10, 50, 1000])
    args = p.parse_args(argv)
    rows = [r for seed in args.seeds for r in measure(args.preset, seed, args.steps)]
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps({"preset": args.preset, "seeds": args.seeds, "rows": rows}, indent=1))
    print(f"\nhigh-quality share, preset {args.preset}, seeds {', '.join(map(str, args.seeds))}:\n", file=sys.stderr)
    print("| sampler | " + " | ".join(f"{s} steps" for s in args.steps) + " |", file=sys.stderr)
    print("|---|" + "---|" * len(args.steps), file=sys.stderr)
    for sampler in samplers.SAMPLERS:
        cells = [span([r["high_quality"] for r in rows if r["sampler"] == sampler and r["steps"] == s])
                 for s in args.steps]
        print(f"| {sampler} | " + " | ".join(cells) + " |", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
