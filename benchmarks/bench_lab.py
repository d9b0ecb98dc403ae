"""Transformer Lab benchmark: each preset's time to its result on this machine's CPU.

    python benchmarks/bench_lab.py [--only seq2seq,ln,lstm,objectives]

Prints one JSON object. Times are the experiments' own training clocks (evaluation excluded) and the
wall clock around the whole preset. The goal is under 60 s per preset on 2 CPU cores; timings taken
while other processes share the cores are noisy (the load average is printed beside them), so the process's
CPU seconds are printed too: on quiet cores the wall time lies between CPU seconds / threads and CPU seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import torch  # noqa: E402

from playground.lab import ln, lstm, objectives, seq2seq  # noqa: E402


def bench_seq2seq() -> dict:
    """Time until held-out exact match reaches 90% on both date tasks."""
    lab = seq2seq.Seq2SeqLab(seq2seq.preset_config())
    reached, trace = None, []
    for snap in lab.run():
        if snap is not None and snap.exact_step == snap.step:
            trace.append({"step": snap.step, "seconds": round(snap.elapsed, 1), **snap.exact})
            if reached is None and min(snap.exact["date_vi"], snap.exact["date_en"]) >= 0.9:
                reached = {"step": snap.step, "seconds": round(snap.elapsed, 1)}
    return {"n_params": lab.n_params, "dates_90pct": reached, "trace": trace,
            "answer": lab.answer("date: ngày 9 tháng 11 năm 1989").text}


def bench_ln() -> dict:
    lab = ln.LnLab(ln.preset_config())
    history = [s for s in lab.run() if s is not None]
    return {"n_params": lab.n_params, "seconds": round(lab.elapsed, 1), "lr": lab.cfg.lr,
            "unigram_entropy": round(ln.unigram_entropy(), 3), "runs": ln.summary(history)}


def bench_lstm() -> dict:
    cfg = lstm.preset_config()
    t0 = time.perf_counter()
    rows = [r for r in lstm.timing(cfg) if r is not None]
    timing_s = time.perf_counter() - t0
    lab = lstm.LongRangeLab(cfg)
    first = None
    d = max(cfg.distances)
    for snap in lab.run():
        if snap is not None and snap.accuracy_step == snap.step and first is None \
                and snap.accuracy["transformer"][d] >= 0.95:
            first = {"step": snap.step, "seconds": round(sum(snap.elapsed.values()), 1)}
    return {"n_params": lab.n_params, "timing_ms": rows, "timing_seconds": round(timing_s, 1),
            "transformer_95pct_at_longest_d": first, "train_seconds": {k: round(v, 1) for k, v in lab.elapsed.items()},
            "final_accuracy": lab.accuracy}


def bench_objectives() -> dict:
    lab = objectives.ObjectivesLab(objectives.preset_config())
    last = [s for s in lab.run() if s is not None][-1]
    return {"n_params": lab.n_params, "seconds": {k: round(v, 1) for k, v in last.elapsed.items()},
            "accuracy": last.accuracy, "fill": lab.fill("_ is the capital of japan .")["mlm"][:2],
            "continue": lab.continue_text("the capital of japan is", 3)}


def bench_ui(steps: int = 300) -> dict:
    """The seq2seq loop bare vs driven by the tab's harness (its own thread, figures drawn every frame)."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    from tabs.lab import figures
    from tabs.harness.live import FRAME_INTERVAL, Run

    cfg = seq2seq.preset_config(steps=steps, eval_every=100_000)
    t0 = time.perf_counter()
    for _ in seq2seq.Seq2SeqLab(cfg).run():
        pass
    bare = time.perf_counter() - t0

    history: list = []

    def gen():
        for snap in seq2seq.Seq2SeqLab(cfg).run():
            if snap is not None:
                history.append(snap)
            yield snap

    t0 = time.perf_counter()
    run = Run(gen).start()
    frames = 0
    while not run.phase.finished:
        run.wait_for_change(run.version, FRAME_INTERVAL)
        with run.hold():
            figures.seq2seq_curves(list(history), "en").to_json()
        frames += 1
    ui = time.perf_counter() - t0
    return {"steps": steps, "bare_seconds": round(bare, 2), "ui_seconds": round(ui, 2), "frames": frames,
            "ui_speed_vs_bare": round(bare / ui, 3)}


BENCHES = {"seq2seq": bench_seq2seq, "ln": bench_ln, "lstm": bench_lstm, "objectives": bench_objectives,
           "ui": bench_ui}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(BENCHES), help="comma-separated presets to time")
    args = parser.parse_args()
    out = {"torch_threads": torch.get_num_threads(), "cpus": os.cpu_count()}
    for name in args.only.split(","):
        t0, c0 = time.perf_counter(), time.process_time()
        out[name] = BENCHES[name]()
        out[name]["wall_seconds"] = round(time.perf_counter() - t0, 1)
        # CPU seconds of this process (all threads): on a quiet machine the wall time lies between this / threads
        # and this, whatever else is running now
        out[name]["cpu_seconds"] = round(time.process_time() - c0, 1)
        out[name]["load_average"] = os.getloadavg()[0]
        print(json.dumps({name: out[name]}, ensure_ascii=False), file=sys.stderr, flush=True)
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
