"""Diffusion Lab benchmark: the issue's budgets (issue 22), each measured beside its budget, over seeds.

    nice python benchmarks/bench_diffusion.py                 # seeds 0 1 2 (MNIST from scratch: seed 0 only)
    python benchmarks/bench_diffusion.py --mnist-seeds 0 1    # MNIST from scratch on more seeds (minutes each)
    python benchmarks/bench_diffusion.py --quick              # tiny budgets into a temporary folder (checks the script)

Budgets (2 CPU cores; each run on its own experiment's threads):
- 2-D DDPM and flow matching: training seconds until 8/8 ring modes with >= 80% high-quality samples: 20 s;
- MNIST from scratch: training seconds until the shared classifier assigns the requested class to >= 80% of the
  samples with guidance on (the trainer's own live check of its fixed-noise grid): 120 s;
- sampling the 8x8 grid with 50 steps (guidance 3, DDIM) on the shipped model: 1 s;
- a guidance or steps change on the shipped model redraws (the tab's handler ``DigitsPanel.draw``: grid, classifier
  agreement, denoising strip; or the same model calls when the app cannot be built here): 1 s.

Training times are the trainer's own clock (time inside ``step``), so the checks between reports are not counted.
Writes ``benchmarks/results/diffusion.json`` and ``diffusion.md`` and prints the JSON.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import torch  # noqa: E402

from playground.diffusion import families  # noqa: E402

OUT = ROOT / "benchmarks" / "results"
BUDGETS = {"toy_to_quality_s": 20.0, "mnist_to_80_s": 120.0, "grid_50_steps_s": 1.0, "redraw_s": 1.0}


# ---------------------------------------------------------------- 2-D
def toy_to_quality(preset: str, seed: int, check_every: int = 100, cap_s: float = 60.0,
                   steps: int | None = None) -> dict:
    """Train a 2-D preset from ``seed`` and check 1,000 samples (``families``' measure, seeded) every
    ``check_every`` steps; the first training time at which 8/8 modes and >= 80% high quality hold. Stops there,
    or at ``cap_s`` of training, or after the preset's steps (``steps`` overrides them)."""
    from playground.data import toy2d
    from playground.diffusion import toy

    cfg = toy.preset_config(preset, seed=seed, **({} if steps is None else {"steps": steps}))
    trainer = toy.DiffusionTrainer(cfg)
    reached, last, cov = None, None, None
    for snap in trainer.step(cfg.steps, report_every=min(check_every, cfg.steps)):
        cov = toy2d.coverage(trainer.sample(families.N_SAMPLES, seed), families.DATA)
        last = snap
        if families.reaches_quality(cov):
            reached = dict(step=snap.step, seconds=round(snap.elapsed, 2), modes=cov.modes_covered,
                           high_quality=round(cov.high_quality, 3))
            break
        if snap.elapsed >= cap_s:
            break
    return dict(preset=preset, objective=cfg.objective, seed=seed, sampler=cfg.sampler, sample_steps=cfg.sample_steps,
                preset_steps=cfg.steps, reached=reached, seconds=reached["seconds"] if reached else None,
                trained_s=round(last.elapsed, 2), last_modes=cov.modes_covered,
                last_high_quality=round(cov.high_quality, 3))


# ---------------------------------------------------------------- MNIST
def mnist_from_scratch(seed: int, need: float = 0.8, cap_s: float = 240.0, steps: int | None = None,
                       every: int | None = None) -> dict:
    """Train the digits preset from ``seed``; the first training time at which the live grid's classifier agreement
    (guidance on) reaches ``need``. Stops there or at ``cap_s`` of training."""
    from playground.diffusion import digits as dg
    from playground.diffusion.digits_training import DigitsTrainer

    cfg = dg.preset_config(dg.DEFAULT_PRESET, seed=seed, **({} if steps is None else {"steps": steps}))
    trainer = DigitsTrainer(cfg)
    every = every or max(1, cfg.steps // 40)
    reached, last, trace = None, None, []
    for snap in trainer.step(cfg.steps, report_every=every, sample_every=every):
        last = snap
        if snap.agreement is None:
            continue
        agree = float(snap.agreement)  # share of the live grid the classifier reads as the requested class
        trace.append(f"{snap.step}:{snap.elapsed:.0f}s:{agree:.2f}")
        if agree >= need:
            reached = dict(step=snap.step, seconds=round(snap.elapsed, 2), agree=round(agree, 3))
            break
        if snap.elapsed >= cap_s:
            break
    return dict(seed=seed, preset_steps=cfg.steps, reached=reached, seconds=reached["seconds"] if reached else None,
                trained_s=round(last.elapsed, 2), trace=trace[:: max(1, len(trace) // 10)])


def grid_time(repeats: int = 3, guidance: float = 3.0, steps: int = 50) -> dict:
    """The shipped model's 8x8 grid with ``steps`` DDIM steps: median and best of ``repeats`` (after a warm-up)."""
    from playground.diffusion import digits as dg

    model = dg.load_shipped()
    model.grid(guidance, steps, sampler="ddim", seed=0)  # warm-up (allocations)
    times = []
    for seed in range(repeats):
        t0 = time.perf_counter()
        model.grid(guidance, steps, sampler="ddim", seed=seed)
        times.append(time.perf_counter() - t0)
    return dict(guidance=guidance, steps=steps, median_s=round(statistics.median(times), 3),
                best_s=round(min(times), 3), runs=[round(t, 3) for t in times])


def _panel():
    """The Diffusion tab's digits panel of a built app (None when the app or the panel cannot be built here)."""
    try:
        import app

        tab = app.build_demo().page.tabs["diffusion"]
    except Exception as e:  # noqa: BLE001 - a missing tab or a page that does not build: time the model calls
        print(f"the app does not build here ({type(e).__name__}: {e}); timing the model calls", file=sys.stderr)
        return None
    for value in vars(tab).values():
        if type(value).__name__ == "DigitsPanel":
            return value
    return None


def redraw_time(changes=((3.0, 50), (5.0, 50), (3.0, 20), (0.0, 50), (8.0, 100))) -> dict:
    """A guidance or steps change on the shipped model, as the tab handles it: ``DigitsPanel.draw`` (grid, the
    classifier's agreement, one sample's strip) when the panel builds, else the same model calls. One warm-up draw
    first (the shipped model loads once per process)."""
    from playground.diffusion import digits as dg

    model = dg.load_shipped()

    def model_calls(w: float, steps: int) -> None:
        images = model.grid(w, steps, sampler="ddim", seed=0)
        model.agreement(images, dg.GRID_LABELS)
        model.strip(7, w, steps, sampler="ddim", seed=0)

    draw, how, panel_error = model_calls, "DigitsModel.grid + agreement + strip (the handler's model calls)", None
    panel = _panel()
    if panel is not None:
        base = {panel.page.lang: "en", panel.model: "shipped", panel.sampler: "ddim", panel.seed: 0,
                panel.label: 7, panel.live.state: None}

        def panel_draw(w: float, steps: int) -> None:
            panel.draw({**base, panel.guidance: w, panel.steps: steps})
        try:
            panel_draw(3.0, 50)
            draw, how = panel_draw, "tabs.diffusion.digits.DigitsPanel.draw"
        except Exception as e:  # noqa: BLE001 - the handler fails here: say so, and time the model calls
            panel_error = f"{type(e).__name__}: {e}"
    draw(3.0, 50)
    runs = []
    for w, steps in changes:
        t0 = time.perf_counter()
        draw(w, steps)
        runs.append(dict(guidance=w, steps=steps, seconds=round(time.perf_counter() - t0, 3)))
    at50 = [r["seconds"] for r in runs if r["steps"] <= 50]
    return dict(timed=how, panel_error=panel_error, runs=runs, median_s_at_most_50_steps=round(statistics.median(at50), 3),
                max_s_at_most_50_steps=max(at50))


# ---------------------------------------------------------------- report
def _verdict(values: list[float | None], budget: float) -> str:
    got = [v for v in values if v is not None]
    if not got:
        return "not reached"
    within = sum(v <= budget for v in got)
    return f"{within} of {len(values)} within budget"


def markdown(out: dict) -> str:
    lines = [f"Diffusion Lab budgets (issue 22), {out['date']}, {out['machine']}", "",
             "| measure | budget | measured | verdict |", "|---|---|---|---|"]
    for preset in ("default", "flow"):
        rows = out["toy"].get(preset, [])
        if rows:
            vals = [r["seconds"] for r in rows]
            shown = ", ".join(f"seed {r['seed']}: " + (f"{r['seconds']:.1f} s" if r["seconds"] is not None
                                                       else f"not in {r['trained_s']:.0f} s "
                                                            f"({r['last_modes']}/8, {r['last_high_quality']:.0%})")
                              for r in rows)
            lines.append(f"| 2-D {rows[0]['objective']} ({preset} preset) to 8/8 modes and ≥ 80% high quality | "
                         f"{BUDGETS['toy_to_quality_s']:.0f} s | {shown} | {_verdict(vals, BUDGETS['toy_to_quality_s'])} |")
    for r in out.get("mnist", []):
        shown = f"{r['seconds']:.0f} s" if r["seconds"] is not None else f"not in {r['trained_s']:.0f} s"
        lines.append(f"| MNIST from scratch to ≥ 80% class agreement (guidance on), seed {r['seed']} | "
                     f"{BUDGETS['mnist_to_80_s']:.0f} s | {shown} | {_verdict([r['seconds']], BUDGETS['mnist_to_80_s'])} |")
    if "grid" in out:
        g = out["grid"]
        lines.append(f"| 8×8 grid, {g['steps']} DDIM steps, guidance {g['guidance']:g} (median / best) | "
                     f"{BUDGETS['grid_50_steps_s']:.0f} s | {g['median_s']:.2f} / {g['best_s']:.2f} s | "
                     f"{_verdict([g['median_s']], BUDGETS['grid_50_steps_s'])} |")
    if "redraw" in out:
        r = out["redraw"]
        runs = ", ".join(f"w {x['guidance']:g} / {x['steps']} steps: {x['seconds']:.2f} s" for x in r["runs"])
        lines.append(f"| guidance or steps change redraws ({r['timed']}) | {BUDGETS['redraw_s']:.0f} s | {runs} | "
                     f"{_verdict([x['seconds'] for x in r['runs'] if x['steps'] <= 50], BUDGETS['redraw_s'])} "
                     f"(≤ 50 steps) |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2], help="seeds of the 2-D runs")
    p.add_argument("--mnist-seeds", type=int, nargs="*", default=[0], help="seeds of MNIST from scratch (none: skip)")
    p.add_argument("--quick", action="store_true", help="tiny budgets, written to a temporary folder")
    p.add_argument("--out", default=None, help="folder of diffusion.json / .md (default benchmarks/results)")
    args = p.parse_args(argv)
    folder = Path(args.out) if args.out else (Path(tempfile.mkdtemp()) if args.quick else OUT)
    from benchmarks.three_families import machine

    out = dict(date=datetime.date.today().isoformat(), machine=machine(), budgets=BUDGETS,
               load_avg=[round(x, 2) for x in os.getloadavg()], torch_threads=torch.get_num_threads())
    out["toy"] = {preset: [toy_to_quality(preset, s, **(dict(steps=40, check_every=20) if args.quick else {}))
                           for s in args.seeds] for preset in ("default", "flow")}
    try:
        from playground.diffusion import digits
    except ImportError as e:
        out["mnist_skipped"] = f"playground.diffusion.digits is not in this copy: {e}"
    else:
        out["mnist"] = [mnist_from_scratch(s, **(dict(steps=4, every=2) if args.quick else {}))
                        for s in args.mnist_seeds]
        if not digits.ASSET.exists():
            out["shipped_skipped"] = f"no shipped digits model at {digits.ASSET}"
        else:
            out["grid"] = grid_time(**(dict(repeats=1, steps=5) if args.quick else {}))
            out["redraw"] = redraw_time(((3.0, 5), (5.0, 5)) if args.quick else
                                        ((3.0, 50), (5.0, 50), (3.0, 20), (0.0, 50), (8.0, 100)))
    out["load_avg_end"] = [round(x, 2) for x in os.getloadavg()]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "diffusion.json").write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
    (folder / "diffusion.md").write_text(markdown(out))
    print(json.dumps(out, indent=1, ensure_ascii=False))
    print(markdown(out))
    print(f"wrote {folder / 'diffusion.json'} and diffusion.md", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
