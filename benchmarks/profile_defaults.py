"""Where each tab's default run spends its time: py-spy samples of the CLI run, sorted into six kinds of work.

    python benchmarks/profile_defaults.py                 # every default of bench_defaults.py (about 15 min)
    python benchmarks/profile_defaults.py --only vision   # rows whose key contains one of these words
    python benchmarks/profile_defaults.py --rate 50       # samples per second (default 25)

Needs ``py-spy`` (``pip install py-spy``; sampling another process needs ptrace, which root or a container with
SYS_PTRACE has). The run is the same fresh subprocess ``bench_defaults.py`` times (``python -m playground ...
--json --seed 0``); py-spy samples its Python threads, so a share is a share of the main thread's wall time (the
intra-op threads of torch work for the frame that called them, which is where their time lands).

Each sample's stack is read from the root to the leaf and given the first kind that matches:

- ``start-up``: importing modules (any frame in ``importlib._bootstrap``);
- ``evaluation``: test accuracy, ELBO, coverage, agreement, probes (a frame whose function name says so);
- ``data and weights``: reading data sets, tokenizing, loading pretrained weights;
- ``figures``: plotly, PIL, the tabs' figure code;
- ``model work``: the leaf is in torch, transformers, peft or the CNN's package (forward, backward, the optimizer);
- ``our Python``: the leaf is in ``playground/`` (the loop's own lines, and tensor operations it calls directly).

Prints one JSON line per row and a Markdown table; writes ``profile.json`` and ``profile.md`` to ``--out``.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_defaults import ROOT, ROWS, Row  # noqa: E402

KINDS = ("start-up", "evaluation", "data and weights", "figures", "model work", "our Python", "other")
EVAL = re.compile(r"evaluat|accuracy|precise_bn|probe|quality|agreement|coverage|elbo|knn|_auc|anomaly|exact_match|"
                  r"held_out|score", re.I)
DATA = re.compile(r"load|prepare|tokeni|from_pretrained|safetensors|read_|fetch|mnist|texts|_cached|subset", re.I)
MODEL_FILES = ("torch/", "transformers/", "peft/", "efficientnet_lite_pytorch/")
FIGURE_FILES = ("plotly/", "PIL/", "tabs/", "matplotlib/")


def frames(stack: str) -> list[tuple[str, str]]:
    """``fn (file:line);fn (file:line);...`` -> [(function, file)], root first."""
    out = []
    for part in stack.split(";"):
        m = re.match(r"(.*) \((.*?)(?::\d+)?\)$", part)
        out.append((m.group(1), m.group(2)) if m else (part, ""))
    return out


def kind(stack: list[tuple[str, str]]) -> str:
    if any("importlib._bootstrap" in f for _, f in stack):
        return "start-up"
    if any(EVAL.search(fn) for fn, _ in stack):
        return "evaluation"
    if any(DATA.search(fn) and ("playground/" in f or "transformers/" in f or "safetensors" in f) for fn, f in stack):
        return "data and weights"
    if any(any(p in f for p in FIGURE_FILES) for _, f in stack):
        return "figures"
    leaf = stack[-1][1] if stack else ""
    if any(p in leaf for p in MODEL_FILES):
        return "model work"
    if "playground/" in leaf:
        return "our Python"
    return "other"


def profile(row: Row, seed: int, rate: int, timeout: float) -> dict:
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw.txt"
        cmd = [spy, "record", "-r", str(rate), "-f", "raw", "-o", str(raw), "--",
               sys.executable, "-m", "playground", *row.argv, "--json", "--seed", str(seed)]
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
        wall = time.perf_counter() - t0
        if proc.returncode != 0 or not raw.exists():
            return {"key": row.key, "status": f"exit {proc.returncode}", "stderr_tail": proc.stderr[-1500:]}
        counts: Counter = Counter()
        for line in raw.read_text().splitlines():
            stack, _, n = line.rpartition(" ")
            if stack and n.isdigit():
                counts[kind(frames(stack))] += int(n)
    total = sum(counts.values()) or 1
    seconds = {k: round(counts[k] / rate, 1) for k in KINDS if counts[k]}
    return {"key": row.key, "tab": row.tab, "status": "ok", "wall_s": round(wall, 1), "samples": total,
            "seconds": seconds, "share": {k: round(counts[k] / total, 3) for k in KINDS if counts[k]}}


def table(results: list[dict]) -> str:
    head = "| default | wall s | " + " | ".join(KINDS) + " |\n|---|---|" + "---|" * len(KINDS) + "\n"
    body = ""
    for r in results:
        if r.get("status") != "ok":
            body += f"| `{r['key']}` | {r.get('status')} |" + " |" * len(KINDS) + "\n"
            continue
        cells = [f"{100 * r['share'][k]:.0f}%" if k in r["share"] else "–" for k in KINDS]
        body += f"| `{r['key']}` | {r['wall_s']} | " + " | ".join(cells) + " |\n"
    return head + body


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--only", nargs="+", default=None, help="rows whose key contains one of these words")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--rate", type=int, default=25, help="samples per second")
    p.add_argument("--timeout", type=float, default=900)
    p.add_argument("--out", default=str(ROOT / "benchmarks" / "results"))
    args = p.parse_args(argv)
    rows = [r for r in ROWS if not args.only or any(w in r.key for w in args.only)]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    old = json.loads((out / "profile.json").read_text()) if (out / "profile.json").exists() else {}
    results = dict(old.get("rows", {}))
    for row in rows:
        r = profile(row, args.seed, args.rate, args.timeout)
        print(json.dumps(r), flush=True)
        results[row.key] = r
        ordered = [results[x.key] for x in ROWS if x.key in results]
        (out / "profile.json").write_text(json.dumps({"rate": args.rate, "seed": args.seed, "rows": results},
                                                     indent=1) + "\n")
        (out / "profile.md").write_text("# Where each default's time goes (`benchmarks/profile_defaults.py`)\n\n"
                                        f"py-spy at {args.rate} samples/s, seed {args.seed}; share of the main "
                                        "thread's samples.\n\n" + table(ordered))
    print(table([results[x.key] for x in ROWS if x.key in results]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
