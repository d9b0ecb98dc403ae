"""Films for slides: what filming costs a run, and the GIF of a 400-step GAN run (size, build time).

    python benchmarks/bench_film.py [--steps 400]

Prints one JSON object. Training runs on one CPU thread as in the app (``cpu_threads=1``); "train_s" is the
wall time of the whole generator (the film's captures included), once without and once with the film.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from playground.gan import trainer as gan  # noqa: E402
from playground.kit.runtime import limit_this_thread  # noqa: E402
from tabs import film, gan_film  # noqa: E402


def main() -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=400)
    args = parser.parse_args()
    limit_this_thread(1)
    cfg = dataclasses.replace(gan.preset_config(gan.DEFAULT_PRESET), steps=args.steps)
    t0 = time.perf_counter()
    for _ in gan.GanTrainer(cfg).step(cfg.steps, report_every=1, heartbeats=True):
        pass
    plain = time.perf_counter() - t0
    trainer, the_film = gan.GanTrainer(cfg), film.Film()
    t0 = time.perf_counter()
    for _ in film.filmed(trainer.step(cfg.steps, report_every=1, heartbeats=True), the_film,
                         gan_film.capture(trainer)):
        pass
    filmed = time.perf_counter() - t0
    grab, snap = gan_film.capture(trainer), gan.GanSnapshot(cfg.steps, 0.0, 0.0, 0.0, 0.0, 0.0)
    t0 = time.perf_counter()
    for _ in range(50):
        grab(snap)
    capture_ms = (time.perf_counter() - t0) / 50 * 1000
    cpu0 = time.process_time()
    out = gan_film.export(the_film, trainer, trainer.history_columns(), "en")
    export_cpu = time.process_time() - cpu0  # CPU seconds: less sensitive to a busy machine than the wall clock
    return {"steps": cfg.steps, "data": cfg.data, "train_s": round(plain, 2), "train_filmed_s": round(filmed, 2),
            "capture_ms": round(capture_ms, 2), "captures": the_film.captures, "film_frames": len(the_film),
            "film_stride": the_film.stride, "gif_frames": out.frames, "gif_mb": round(out.gif_bytes / 1e6, 2),
            "export_s": round(out.seconds, 2), "export_cpu_s": round(export_cpu, 2),
            "files": [Path(f).name for f in out.files], "load_avg": os.getloadavg()[0]}


if __name__ == "__main__":
    print(json.dumps(main()))
