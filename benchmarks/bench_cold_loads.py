"""Five sessions asking for the same cold data at once (the VAE tab's MNIST split): with ``functools.lru_cache``
each computes it, with ``playground.kit.pretrained.loaded_once`` one loads and the others wait for its result.

    python benchmarks/bench_cold_loads.py lru|once     (a fresh process each: the caches start cold)

Prints one JSON line: the slowest and the mean caller's seconds, and the RSS the five calls added.
"""

import functools
import json
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
mode = sys.argv[1] if len(sys.argv) > 1 else "once"
import playground.data.images as images  # noqa: E402
from playground import vae as core  # noqa: E402
from playground.kit.runtime import rss_mb  # noqa: E402

if mode == "lru":
    images._load = functools.lru_cache(maxsize=None)(images._load.__wrapped__)
    split_of = functools.lru_cache(maxsize=8)(lambda data, seed, fraction, holdout: core.load_split(
        core.VaeConfig(data=data, seed=seed, test_fraction=fraction, holdout=holdout)))
else:
    from tabs.vae.session import split_of
before, took = rss_mb(), []


def one() -> None:
    t0 = time.perf_counter()
    split_of("mnist", 0, 0.2, -1)
    took.append(time.perf_counter() - t0)


callers = [threading.Thread(target=one) for _ in range(5)]
for c in callers:
    c.start()
for c in callers:
    c.join()
print(json.dumps(dict(mode=mode, max_s=round(max(took), 2), mean_s=round(sum(took) / len(took), 2),
                      rss_added_mb=round(rss_mb() - before))))
