"""Start-up cost of the app: seconds from `python app.py` to the first HTTP 200, and idle memory.

    python benchmarks/bench_startup.py [--port 7899]

Also checks that starting the app loaded no model (resident memory stays small), then asks the
server for one attention map of each packaged model and reports memory with both loaded.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playground.kit.runtime import rss_mb  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=7899)
    args = ap.parse_args()
    env = {**os.environ, "GRADIO_SERVER_PORT": str(args.port), "GRADIO_SERVER_NAME": "127.0.0.1",
           "GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1"}
    url = f"http://127.0.0.1:{args.port}/"
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                if urllib.request.urlopen(url, timeout=1).status == 200:
                    break
            except OSError:
                if proc.poll() is not None:
                    raise SystemExit("the app exited during start-up")
                time.sleep(0.05)
        first_200 = time.perf_counter() - t0
        time.sleep(2)
        idle = rss_mb(proc.pid)
        from gradio_client import Client

        client = Client(url, verbose=False)
        for text, model in (("The cat sat on the mat.", "minilm"), ("The capital of France is", "smollm2")):
            client.predict(text, model, 256, 0, 0, "head", False, "en", api_name="/attention")
        loaded = rss_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    print(json.dumps({"benchmark": "startup", "seconds_to_first_200": round(first_200, 2),
                      "idle_rss_mb": round(idle, 1), "rss_mb_both_models_loaded": round(loaded, 1)}))


if __name__ == "__main__":
    main()
