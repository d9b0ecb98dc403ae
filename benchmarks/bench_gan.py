"""GAN Lab benchmark: time to cover the ring, MNIST class coverage, UI streaming overhead.

    python benchmarks/bench_gan.py [--quick]

Prints one JSON object. Training times are the trainer's own clock (time inside ``step``), so the
coverage checks between reports are not counted. Runs on CUDA when present (device "auto").
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import torch  # noqa: E402

from playground.gan import trainer as gan  # noqa: E402


def ring_time_to_modes(preset: str = "default", need: int = 7, every: int = 250) -> dict:
    """Train a preset on ring8; the first training time at which >= need modes are covered."""
    cfg = gan.preset_config(preset)
    first = None
    trace = []
    for snap in gan.GanTrainer(cfg).step(cfg.steps, report_every=every, sample_every=every):
        c = snap.coverage
        trace.append((snap.step, c.modes_covered, round(c.high_quality, 3)))
        if first is None and c.modes_covered >= need:
            first = dict(step=snap.step, seconds=round(snap.elapsed, 2), high_quality=round(c.high_quality, 3))
    return dict(preset=preset, steps=cfg.steps, seconds_total=round(snap.elapsed, 2), first_at_least=need,
                reached=first, final_modes=trace[-1][1], final_high_quality=trace[-1][2],
                trace=[f"{s}:{m}/{q}" for s, m, q in trace[:: max(1, len(trace) // 8)]])


def mnist_class_coverage(budget_s: float = 90.0, need: int = 8, every: int = 250) -> dict:
    cfg = gan.preset_config("mnist", steps=1_000_000)
    t0 = time.perf_counter()
    from playground.kit.classifier import digit_classifier

    clf = digit_classifier("mnist")
    clf_s = time.perf_counter() - t0
    first, last = None, None
    for snap in gan.GanTrainer(cfg).step(cfg.steps, report_every=every, sample_every=every):
        last = snap
        c = snap.coverage
        if first is None and c.classes_covered >= need:
            first = dict(step=snap.step, seconds=round(snap.elapsed, 2), confident=round(c.confident, 3))
        if snap.elapsed >= budget_s:
            break
    return dict(budget_s=budget_s, classifier_test_accuracy=round(clf.test_accuracy, 4),
                classifier_ready_s=round(clf_s, 2), first_at_least=need, reached=first, steps_in_budget=last.step,
                final=last.coverage.as_dict())


def ui_vs_bare(steps: int = 1500, repeats: int = 2) -> dict:
    """The tab's live run (its own thread, one CPU thread, a frame every FRAME_INTERVAL s drawn by the
    caller's thread) against the same trainer loop bare, on one CPU thread too."""
    import threading

    import app
    from playground.kit.runtime import limit_this_thread
    from tabs.gan.session import LABELS
    from tabs.harness.live import FRAME_INTERVAL
    from tabs.harness.shared import SharedRuns

    live = app.build_demo().page.tabs["gan"].live  # this build's GAN tab and its live run
    cfg = gan.preset_config("default", steps=steps)
    values = {k: getattr(cfg, k) for k in LABELS}
    runs = []
    for _ in range(repeats):
        bare = {}

        def bare_loop():
            limit_this_thread(1)
            trainer = gan.GanTrainer(cfg)
            t0 = time.perf_counter()
            for _snap in trainer.step(steps, report_every=1):
                pass
            bare["rate"] = steps / (time.perf_counter() - t0)

        th = threading.Thread(target=bare_loop)
        th.start()
        th.join()
        live.runs = SharedRuns()  # a run of its own each repeat, not the one the last repeat left kept
        t0 = time.perf_counter()
        frames = sum(1 for _frame in live.drive(values))
        wall = time.perf_counter() - t0
        ui = steps / wall
        runs.append(dict(bare_steps_per_s=round(bare["rate"], 1), ui_steps_per_s=round(ui, 1),
                         ratio=round(ui / bare["rate"], 3), frames=frames, frames_per_s=round(frames / wall, 2)))
    return dict(steps=steps, frame_interval_s=FRAME_INTERVAL, runs=runs, ratio_min=min(r["ratio"] for r in runs),
                goal=0.9)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="skip MNIST and the collapse/stable presets")
    args = parser.parse_args()
    from playground.kit.runtime import limit_this_thread

    limit_this_thread(1)  # as the app's runs and the CLI do: these nets are small
    out = dict(device=str(gan.pick_device("auto")), torch_threads=torch.get_num_threads(),
               cpu_count=os.cpu_count(), load_avg=[round(x, 2) for x in os.getloadavg()])
    out["ring8_default"] = ring_time_to_modes("default")
    out["ui_streaming"] = ui_vs_bare()
    if not args.quick:
        out["ring8_mode_collapse"] = ring_time_to_modes("mode_collapse")
        out["ring8_stable"] = ring_time_to_modes("stable")
        out["mnist"] = mnist_class_coverage()
    out["load_avg_end"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
