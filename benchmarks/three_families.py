"""Three families of generative models on one table: GAN, VAE, diffusion and flow matching, measured alike.

    nice python benchmarks/three_families.py                 # seeds 0 1 2: writes assets/three_families.json
    python benchmarks/three_families.py --seeds 0            # one seed
    python benchmarks/three_families.py --part digits        # remeasure the MNIST table, keep the ring's
    python benchmarks/three_families.py --quick              # tiny budgets into a temporary folder (checks the script)

Every figure comes from ``playground.diffusion.families`` (one function per family, the same measures from the same
code): on the ring of 8 Gaussians each family is trained from each seed with its lab's preset; on MNIST the shipped
VAE and diffusion models are sampled from each seed and the GAN Lab's "mnist" preset is trained from it (no GAN
weights ship). Writes the table the Diffusion Lab's tab reads (``assets/three_families.json``, format in
``tabs/diffusion/families.py``), the per-seed details (traces, the VAE's decoder-mean quality, the digits'
class agreement) to ``benchmarks/results/three_families_runs.json``, and prints the table as Markdown for the
README. Prints one JSON line per (family, seed) to stderr as it goes. Takes several minutes on 2 CPU cores.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # idle OpenMP threads sleep (set before torch loads)

import torch  # noqa: E402

from playground.diffusion import families  # noqa: E402

OUT = ROOT / "assets" / "three_families.json"
DETAILS = ROOT / "benchmarks" / "results" / "three_families_runs.json"
RING_ORDER = ("gan", "vae", "diffusion", "flow")
QUICK = dict(steps=40, check_every=20, batches=1, n=200)


def cpu_name() -> str:
    """The CPU's model name (from /proc/cpuinfo on Linux; platform's word elsewhere)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine(lang: str = "en") -> str:
    """The machine the table was measured on, in ``lang`` (the tab shows it on an English or a Vietnamese page)."""
    cores = os.cpu_count()
    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else None
    if lang == "vi":
        return (f"{cores} nhân CPU ({cpu_name()}), {f'GPU {gpu}' if gpu else 'không có GPU'}, {platform.system()}, "
                f"torch {torch.__version__}; mỗi lần chạy một luồng tính toán")
    return (f"{cores} CPU cores ({cpu_name()}), {f'GPU {gpu}' if gpu else 'no GPU'}, {platform.system()}, "
            f"torch {torch.__version__}; one intra-op thread per run")  # each part's load is in the details file


def log(row: dict) -> None:
    shown = {k: v for k, v in row.items() if k not in ("trace", "config", "label")}
    print(json.dumps(shown), file=sys.stderr, flush=True)


def ring_rows(seeds: list[int], quick: bool) -> tuple[list[dict], list[dict]]:
    table, details = [], []
    for family in RING_ORDER:
        runs = []
        for seed in seeds:
            kw = dict(QUICK) if quick else {}
            if quick and family in ("diffusion", "flow"):
                kw["sample_steps"] = 5
            row = families.ring_family(family, seed, **kw)
            log(row)
            runs.append(row)
        table.append(families.collect(runs, families.RING_KEYS))
        details += runs
    return table, details


def digit_rows(seeds: list[int], quick: bool) -> tuple[list[dict], list[dict]]:
    table, details = [], []
    n = 64 if quick else families.DIGIT_SAMPLES
    makers = [("gan", lambda s: families.gan_digits(s, steps=5 if quick else None, n=n, batches=1 if quick else 5)),
              ("vae", lambda s: families.vae_digits(s, n=n, batches=1 if quick else 5))]
    for w in families.DIGIT_GUIDANCE:
        makers.append((f"diffusion-{w:g}", lambda s, w=w: families.diffusion_digits(
            s, guidance=w, steps=5 if quick else families.DIGIT_STEPS, n=n, batches=1 if quick else 3)))
    for name, make in makers:
        try:
            runs = [make(seed) for seed in seeds]
        except ImportError as e:  # the digits model's code is not in this copy yet
            print(f"skipping {name}: {e}", file=sys.stderr)
            continue
        for row in runs:
            log(row)
        table.append(families.collect(runs, families.DIGIT_KEYS))
        details += runs
    return table, details


def span(values, fmt: str) -> str:
    vals = [v for v in values if v is not None]
    if not vals:
        return "–"
    a, b = format(min(vals), fmt), format(max(vals), fmt)
    return a if a == b else f"{a}–{b}"


def markdown(results: dict) -> str:
    """The table as the README shows it (English): each cell the range over the seeds."""
    seeds = ", ".join(map(str, results["seeds"]))
    lines = [f"{results['data_label']['en']}, seeds {seeds} (each cell: the range over the seeds; "
             f"{results['machine']}, {results['date']}):", "",
             "| model | modes covered | high quality | network evaluations per sample | ms per sample | "
             "training time | time to 8/8 modes and ≥ 80% high quality |", "|---|---|---|---|---|---|---|"]
    for row in results["rows"]:
        reached = [v for v in row["to_quality_s"] if v is not None]
        to_q = (span(reached, ".1f") + " s") if reached else "not reached"
        if reached and len(reached) < len(row["to_quality_s"]):
            to_q += f" ({len(reached)} of {len(row['to_quality_s'])} seeds)"
        lines.append(f"| {row['label']['en']} | {span(row['modes'], 'd')} / {row['of']} | "
                     f"{span(row['high_quality'], '.0%')} | {span(row['nfe'], ',d')} | "
                     f"{span(row['ms_per_sample'], '.4f')} | {span(row['train_s'], '.1f')} s | {to_q} |")
    if results.get("digits"):
        lines += ["", "MNIST (256 samples per seed; the shared digit classifier: a class is covered when it gets at "
                      "least a tenth of its share of confident samples, confident = top probability ≥ 0.9):", "",
                  "| model | classes covered | confident samples | network evaluations per sample | ms per sample |",
                  "|---|---|---|---|---|"]
        for row in results["digits"]:
            lines.append(f"| {row['label']['en']} | {span(row['classes'], 'd')} / {row['of']} | "
                         f"{span(row['confident'], '.0%')} | {span(row['nfe'], ',d')} | "
                         f"{span(row['ms_per_sample'], '.3f')} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    p.add_argument("--quick", action="store_true", help="tiny budgets, written to a temporary folder")
    p.add_argument("--part", choices=("all", "ring", "digits"), default="all",
                   help="measure one table only and keep the other from the existing file")
    p.add_argument("--out", default=None, help=f"the table's JSON (default {OUT.relative_to(ROOT)}; "
                                                "--quick: a temporary folder)")
    args = p.parse_args(argv)
    out = Path(args.out) if args.out else (Path(tempfile.mkdtemp()) / OUT.name if args.quick else OUT)
    details_path = out.parent / DETAILS.name if (args.quick or args.out) else DETAILS

    t0 = time.perf_counter()
    load_start = os.getloadavg()  # 1, 5 and 15 minutes
    results = {"machine": machine(), "machine_label": {lang: machine(lang) for lang in ("en", "vi")}, "date": datetime.date.today().isoformat(), "data": families.DATA,
               "data_label": families.DATA_LABEL, "seeds": list(args.seeds)}
    kept, kept_details = {}, {}
    if args.part != "all" and out.exists():  # the other table as it was measured before
        kept = json.loads(out.read_text())
        if details_path.exists():
            kept_details = json.loads(details_path.read_text())
    ring_details, digit_details = kept_details.get("ring", []), kept_details.get("digits", [])
    if args.part in ("all", "ring"):
        results["rows"], ring_details = ring_rows(args.seeds, args.quick)
    else:
        results["rows"] = kept.get("rows", [])
    if args.part in ("all", "digits"):
        results["digits"], digit_details = digit_rows(args.seeds, args.quick)
    elif kept.get("digits"):
        results["digits"] = kept["digits"]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    details_path.parent.mkdir(parents=True, exist_ok=True)
    load = {**kept_details.get("load_avg", {}),
            **{part: [round(x, 2) for x in load_start] for part in ("ring", "digits") if args.part in ("all", part)}}
    details_path.write_text(json.dumps({"machine": results["machine"], "date": results["date"], "load_avg": load,
                                        "wall_s": round(time.perf_counter() - t0, 1), "ring": ring_details,
                                        "digits": digit_details}, indent=1, ensure_ascii=False) + "\n")
    print(markdown(results))
    print(f"\nwrote {out} and {details_path} in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
