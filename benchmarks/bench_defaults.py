"""Time every tab's default run from the command line: wall seconds, CPU-seconds and the figure the lesson quotes.

    python benchmarks/bench_defaults.py                    # every default, 3 repeats each (an hour or more on 2 cores)
    python benchmarks/bench_defaults.py --repeats 1        # once each
    python benchmarks/bench_defaults.py --only gan vae lab # rows whose key contains one of these words
    python benchmarks/bench_defaults.py --compare old/defaults.json  # a before/after table, runs nothing
    nice -n 10 python benchmarks/bench_defaults.py --timeout 300

Issue #25's budget: each default at most 60 CPU-seconds (30 s of wall time on a free Space's 2 cores) with its
lesson intact. A *default* is what the tab runs when a student presses Start without touching anything: the CLI
with no flags beyond ``--json`` and ``--seed`` (each CLI's defaults are the tab's opening preset), or the flags
that select the tab's other default run (``--sweep``, ``--mode sweep``, ``--data mnist --train-steps 1000``).

Each run is a fresh ``python -m playground <experiment> ... --json`` subprocess, so its time includes what a
student also waits for: importing torch, loading data and models, evaluation, the report. CPU-seconds are the
child's user + system time (``resource.getrusage(RUSAGE_CHILDREN)`` before and after; every experiment fixes its
own intra-op threads, so CPU-seconds / wall is how many cores it kept busy). The lesson's figure is read from
the JSON lines the CLI prints (the last line, or one line per strategy).

Prints one JSON line per row as it finishes, then a Markdown table (min / median / max over ``--repeats``).
Writes ``defaults.json`` (per row: every repeat's wall, CPU-seconds, figure and last JSON lines; the machine)
and ``defaults.md`` (the table) to ``--out`` (default ``benchmarks/results``) after every row, merging into an
existing ``defaults.json`` by row key, so ``--only`` keeps the other rows and a cut-short run keeps what ran.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
BUDGET_CPU_S = 60.0  # issue #25: 60 CPU-seconds = 30 s on 2 cores
BUDGET_WALL_S = 30.0


# ====================================================================== figures read from the JSON lines
def _pct(x: Any) -> str:
    return "?" if x is None else f"{100 * float(x):.1f}%"


def _last_with(lines: list[dict], key: str) -> dict:
    """The last JSON line that has ``key`` (a CLI's final line, or its last progress line)."""
    return next((d for d in reversed(lines) if key in d), {})


def _per(lines: list[dict], name: str, value: str, *extra: str) -> dict[str, Any]:
    """{strategy[@size]: value} from one JSON line per strategy (and size)."""
    out = {}
    for d in lines:
        if name in d and value in d:
            out["@".join([str(d[name]), *(str(d[e]) for e in extra)])] = d[value]
    return out


def _coverage(lines: list[dict]) -> tuple[dict, str]:
    d = _last_with(lines, "modes_covered")
    fig = {"modes_covered": d.get("modes_covered"), "n_modes": d.get("n_modes"), "high_quality": d.get("high_quality")}
    return fig, f"{fig['modes_covered']}/{fig['n_modes']} modes, {_pct(fig['high_quality'])} high quality"


def fig_gan(lines):
    return _coverage(lines)


def fig_vae(lines):
    d = _last_with(lines, "test_elbo")
    fig = {k: d.get(k) for k in ("test_elbo", "test_recon", "test_kl", "latent_knn_accuracy", "anomaly_auc")}
    return fig, f"test ELBO {fig['test_elbo']} nats/image (recon {fig['test_recon']}, KL {fig['test_kl']})"


def fig_seq2seq(lines):
    d = _last_with(lines, "done")
    fig = {"exact_match": d.get("exact_match"), "steps": d.get("steps")}
    em = fig["exact_match"] or {}
    return fig, "held-out exact match " + ", ".join(f"{k} {_pct(v)}" for k, v in em.items()) + f" at step {fig['steps']}"


def fig_ln(lines):
    runs = _last_with(lines, "runs").get("runs") or {}
    fig = {k: {"final_loss": v.get("final_loss"), "diverged_at": v.get("diverged_at")} for k, v in runs.items()}
    words = [f"{k} {v['final_loss']}" + (f" (diverged at {v['diverged_at']})" if v["diverged_at"] else "")
             for k, v in fig.items()]
    return fig, "final loss " + ", ".join(words)


def fig_lstm(lines):
    d = _last_with(lines, "done")
    acc = d.get("accuracy") or {}  # {model: {distance: accuracy}}
    words = "; ".join(f"{m} " + ", ".join(f"d={k} {_pct(v)}" for k, v in by.items()) for m, by in acc.items())
    return {"accuracy": acc, "chance": d.get("chance")}, f"accuracy {words} (chance {_pct(d.get('chance'))})"


def fig_objectives(lines):
    acc = next((d["accuracy"] for d in reversed(lines) if isinstance(d.get("accuracy"), dict)), {})
    return {"accuracy": acc}, "accuracy " + ", ".join(f"{k} {_pct(v)}" for k, v in acc.items())


def fig_gvd_compare(lines):
    d = _last_with(lines, "test_accuracy")
    fig = {"test_accuracy": d.get("test_accuracy"), "anomaly_auc": d.get("anomaly_auc")}
    acc, auc = fig["test_accuracy"] or {}, fig["anomaly_auc"] or {}
    return fig, ("test acc " + ", ".join(f"{k} {_pct(v)}" for k, v in acc.items())
                 + "; anomaly AUC " + ", ".join(f"{k} {v:.2f}" for k, v in auc.items()))


def fig_gvd_sweep(lines):
    d = _last_with(lines, "sizes_per_class")
    fig = {"sizes_per_class": d.get("sizes_per_class"), "accuracy": d.get("accuracy"), "measured": d.get("measured"),
           "total": d.get("total")}
    return fig, f"{fig['measured']}/{fig['total']} fits over sizes {fig['sizes_per_class']} (accuracy in the JSON)"


def fig_augment(lines):
    d = _last_with(lines, "gain")
    fig = {"gain": d.get("gain"), "accuracy": d.get("accuracy"), "n_real": d.get("n_real")}
    gain = fig["gain"]
    text = json.dumps(gain, separators=(",", ":")) if gain is not None else "?"
    return fig, f"mean gain of synthetic data at N = {fig['n_real']}: {text[:200]}"


def fig_race(lines):
    acc = _per(lines, "strategy", "test_acc")
    return {"test_acc": acc}, "test acc " + ", ".join(f"{k} {_pct(v)}" for k, v in acc.items())


def fig_ft_sweep(lines):
    acc: dict[str, list] = {}  # strategy@size -> the seeds' accuracies
    for d in lines:
        if "strategy" in d and "test_acc" in d:
            acc.setdefault(f"{d['strategy']}@{d['n_train']}", []).append(d["test_acc"])
    words = ", ".join(f"{k} {_pct(min(v))}" + (f"-{_pct(max(v))}" if len(v) > 1 else "") for k, v in acc.items())
    return {"test_acc": acc}, "test acc " + words


def fig_vision_sweep(lines):
    acc = _per(lines, "strategy", "test_acc", "per_class")
    return {"test_acc": acc}, "test acc " + ", ".join(f"{k} {_pct(v)}" for k, v in acc.items())


def fig_digits(lines):
    d = _last_with(lines, "agree")
    fig = {k: d.get(k) for k in ("agree", "confidence", "guidance", "train_steps", "train_s", "model")}
    return fig, f"digit classifier agrees {_pct(fig['agree'])} at guidance {fig['guidance']}"


# ====================================================================== the rows
@dataclass(frozen=True)
class Row:
    key: str
    tab: str
    argv: tuple[str, ...]  # after ``python -m playground``; --json and --seed are added
    figure: Callable[[list[dict]], tuple[dict, str]]  # JSON lines -> (figure as data, figure in words)
    note: str = ""
    recording: str = ""  # the shipped recording the tab opens on (assets/replays/<recording>.json.gz), if any


ROWS = (
    Row("gan", "GAN Lab", ("gan",), fig_gan, "default preset, ring of 8"),
    Row("vae", "VAE Explorer", ("vae",), fig_vae, "training from scratch (the tab opens on the shipped model)"),
    Row("lab.seq2seq", "Transformer Lab", ("lab", "seq2seq"), fig_seq2seq, "encoder-decoder, default preset"),
    Row("lab.ln", "Transformer Lab", ("lab", "ln"), fig_ln, "pre-LN vs post-LN, default preset"),
    Row("lab.lstm", "Transformer Lab", ("lab", "lstm"), fig_lstm, "transformer vs LSTM, default preset"),
    Row("lab.objectives", "Transformer Lab", ("lab", "objectives"), fig_objectives, "BERT vs GPT, default preset"),
    Row("genvsdisc.compare", "Gen vs disc", ("genvsdisc", "--mode", "compare"), fig_gvd_compare, "four classifiers"),
    Row("genvsdisc.sweep", "Gen vs disc", ("genvsdisc", "--mode", "sweep"), fig_gvd_sweep, "training-set size sweep"),
    Row("augment", "Gen vs disc", ("augment",), fig_augment, "synthetic data (generators on the pool)"),
    Row("finetune.race", "Fine-tuning", ("finetune",), fig_race, "the race, default strategies",
        recording="ft-cpu_default"),
    Row("finetune.sweep", "Fine-tuning", ("finetune", "--sweep", "50,100,200,400", "--repeats", "3"), fig_ft_sweep,
        "the tab's sizes and 3 seeds per size", recording="ft_sweep-cpu_default"),
    Row("vision.race", "Vision", ("vision",), fig_race, "the transfer race on MNIST"),
    Row("vision.sweep", "Vision", ("vision", "--sweep"), fig_vision_sweep, "the device's default sizes"),
    Row("diffusion.2d", "Diffusion Lab", ("diffusion",), fig_gan, "default preset (DDPM, ring of 8)"),
    Row("diffusion.mnist", "Diffusion Lab", ("diffusion", "--data", "mnist", "--train-steps", "1000"), fig_digits,
        "digits from scratch, the default preset's 1,000 steps"),
)


# ====================================================================== one run
def child_cpu_s() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_once(row: Row, seed: int, timeout: float) -> dict:
    """One fresh subprocess: wall, CPU-seconds of the child, its JSON lines and the figure."""
    cmd = [sys.executable, "-m", "playground", *row.argv, "--json", "--seed", str(seed)]
    cpu0, t0 = child_cpu_s(), time.perf_counter()
    status, stdout, stderr = "ok", "", ""
    try:
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
        stdout, stderr = proc.stdout, proc.stderr
        if proc.returncode != 0:
            status = f"exit {proc.returncode}"
    except subprocess.TimeoutExpired as e:  # run() kills the child and waits for it, so its CPU time is counted
        status = f"timeout after {timeout:.0f} s"
        stdout = e.stdout.decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
        stderr = e.stderr.decode(errors="replace") if isinstance(e.stderr, bytes) else (e.stderr or "")
    wall, cpu = time.perf_counter() - t0, child_cpu_s() - cpu0
    lines = []
    for line in stdout.splitlines():
        try:
            d = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(d, dict):
            lines.append(d)
    try:
        figure, words = row.figure(lines) if lines else ({}, "no output")
    except Exception as e:  # a field renamed: say so, keep the timing
        figure, words = {}, f"figure unreadable: {type(e).__name__}: {e}"
    out = {"status": status, "wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "figure": figure, "figure_text": words,
           "command": " ".join(["python", "-m", "playground", *row.argv, "--json", "--seed", str(seed)]),
           "last_lines": lines[-8:]}
    if status != "ok":
        out["stderr_tail"] = stderr[-2000:]
    return out


# ====================================================================== summary, table, files
def spread(values: list[float]) -> dict:
    return {"min": min(values), "median": statistics.median(values), "max": max(values)}


def summarise(row: Row, runs: list[dict]) -> dict:
    wall, cpu = spread([r["wall_s"] for r in runs]), spread([r["cpu_s"] for r in runs])
    ok = all(r["status"] == "ok" for r in runs)
    over = cpu["median"] - BUDGET_CPU_S
    if not ok:
        verdict = "failed: " + "; ".join(sorted({r["status"] for r in runs if r["status"] != "ok"}))
    elif over <= 0:
        verdict = "within budget"
    else:
        verdict = f"over by {over:.0f} CPU-s ({cpu['median'] / BUDGET_CPU_S:.1f}x)"
        if row.recording and (ROOT / "assets" / "replays" / f"{row.recording}.json.gz").exists():
            verdict += f"; the tab opens on its recording (`{row.recording}`)"
    texts = list(dict.fromkeys(r["figure_text"] for r in runs))
    return {"key": row.key, "tab": row.tab, "note": row.note, "command": runs[0]["command"], "repeats": len(runs),
            "wall_s": wall, "cpu_s": cpu, "cores_busy": round(cpu["median"] / max(wall["median"], 1e-9), 2),
            "verdict": verdict, "figure_text": " | ".join(texts), "runs": runs,
            "commit": git_commit(), "measured": datetime.datetime.now().isoformat(timespec="seconds")}


def git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "?"


def machine() -> dict:
    model = "?"
    try:
        model = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                     if line.startswith("model name"))
    except (OSError, StopIteration):
        model = platform.processor() or "?"
    try:
        torch_version = importlib.metadata.version("torch")
    except importlib.metadata.PackageNotFoundError:
        torch_version = "?"
    return {"cores": os.cpu_count(), "cpu": model, "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
            "torch": torch_version, "python": platform.python_version(), "platform": platform.platform(),
            "date": datetime.datetime.now().isoformat(timespec="seconds"), "commit": git_commit()}


def _mmm(s: dict) -> str:
    return f"{s['min']:.1f} / {s['median']:.1f} / {s['max']:.1f}"


def table(rows: list[dict]) -> str:
    head = ("| default | wall s (min / med / max) | CPU-s (min / med / max) | cores busy | lesson figure | "
            f"budget {BUDGET_CPU_S:.0f} CPU-s |\n|---|---|---|---|---|---|\n")
    body = "".join(f"| `{r['key']}` ({r['tab']}{': ' + r['note'] if r['note'] else ''}) | {_mmm(r['wall_s'])} | "
                   f"{_mmm(r['cpu_s'])} | {r['cores_busy']} | {r['figure_text'].replace('|', '/')} | "
                   f"{r['verdict']} |\n" for r in rows)
    return head + body


def write(out: Path, machine_info: dict, rows: dict[str, dict], repeats: int) -> None:
    out.mkdir(parents=True, exist_ok=True)
    ordered = [rows[r.key] for r in ROWS if r.key in rows] + [v for k, v in rows.items()
                                                               if k not in {r.key for r in ROWS}]
    (out / "defaults.json").write_text(json.dumps({"machine": machine_info, "budget_cpu_s": BUDGET_CPU_S,
                                                   "budget_wall_s": BUDGET_WALL_S, "rows": rows},
                                                  indent=1, ensure_ascii=False) + "\n")
    m = machine_info
    missing = [r.key for r in ROWS if r.key not in rows]
    md = (f"# Every tab's default from the command line (`benchmarks/bench_defaults.py`)\n\n"
          f"{m['date']}, commit {m['commit']}: {m['cores']} cores ({m['cpu']}), load average at start "
          f"{' '.join(map(str, m['load_average_at_start']))}, torch {m['torch']}, Python {m['python']}; "
          f"{repeats} repeat(s) per row in the last run (each row says its own). A fresh subprocess per run: the "
          f"times include importing torch and loading data. Budget (issue #25): {BUDGET_CPU_S:.0f} CPU-seconds "
          f"({BUDGET_WALL_S:.0f} s on 2 cores), verdict on the median.\n\n" + table(ordered)
          + (f"\nNot measured yet: {', '.join(missing)}.\n" if missing else ""))
    (out / "defaults.md").write_text(md)


def compare(before: dict, after: dict) -> str:
    """A Markdown table of two ``defaults.json`` files' rows (before / after a change): CPU-seconds and wall time
    (medians, the after's range), the lesson's figure on each side and the after's verdict."""
    head = ("| default | before: CPU-s, wall s | after: CPU-s median (min-max), wall s median | before → after: the "
            "lesson's figure | after: budget 60 CPU-s |\n|---|---|---|---|---|\n")
    body = ""
    b_rows, a_rows = before.get("rows", {}), after.get("rows", {})
    for row in ROWS:
        a, b = a_rows.get(row.key), b_rows.get(row.key)
        if a is None:
            continue
        was = f"{b['cpu_s']['median']:.0f}, {b['wall_s']['median']:.0f}" if b else "–"
        now = (f"**{a['cpu_s']['median']:.0f}** ({a['cpu_s']['min']:.0f}-{a['cpu_s']['max']:.0f}), "
               f"{a['wall_s']['median']:.0f}")
        figs = (b["figure_text"] if b else "–") + " → " + a["figure_text"]
        body += f"| `{row.key}` ({row.tab}) | {was} | {now} | {figs.replace('|', '/')} | {a['verdict']} |\n"
    return head + body


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeats", type=int, default=3, help="runs per default (min / median / max)")
    p.add_argument("--only", nargs="*", default=None, metavar="WORD", help="rows whose key contains one of these")
    p.add_argument("--timeout", type=float, default=600.0, help="seconds per run before it is killed")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    p.add_argument("--compare", type=Path, default=None, metavar="BEFORE_JSON",
                   help="run nothing: print a before/after table of BEFORE_JSON and --out's defaults.json")
    args = p.parse_args(argv)
    if args.compare is not None:
        print(compare(json.loads(args.compare.read_text()), json.loads((args.out / "defaults.json").read_text())))
        return 0
    if args.repeats < 1:
        p.error("--repeats must be at least 1")
    chosen = [r for r in ROWS if not args.only or any(w in r.key for w in args.only)]
    if not chosen:
        p.error(f"--only matches none of: {', '.join(r.key for r in ROWS)}")
    info = machine()
    path = args.out / "defaults.json"
    rows: dict[str, dict] = json.loads(path.read_text()).get("rows", {}) if path.exists() else {}
    done = []
    for row in chosen:
        runs = [run_once(row, args.seed, args.timeout) for _ in range(args.repeats)]
        summary = summarise(row, runs)
        rows[row.key] = summary
        done.append(summary)
        print(json.dumps({k: v for k, v in summary.items() if k != "runs"}, ensure_ascii=False), flush=True)
        write(args.out, info, rows, args.repeats)  # after every row: a cut-short run keeps what ran
    print()
    print(table(done))
    return 0


if __name__ == "__main__":
    sys.exit(main())
