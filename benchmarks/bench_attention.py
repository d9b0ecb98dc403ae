"""Attention Explorer speed, measured against a bare transformers forward pass in the same run.

    python benchmarks/bench_attention.py [--repeats 20] [--tokens 32]

Prints one JSON object: median milliseconds (warm) for
- bare:      model(**inputs, output_attentions=True) on pre-tokenised inputs (the baseline);
- extract:   playground.attention.extract (tokenise, forward, stack to numpy, labels, top-k);
- heatmap:   the UI's whole "Show attention" handler on a cache miss (extract + figures + grid);
- grid:      the overview picture of all layers x heads alone;
plus extract/bare ratios (goal <= 1.2) and the process's resident memory with both models loaded.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import torch  # noqa: E402

from playground.attention import maps as core  # noqa: E402
from playground.kit import pretrained as models  # noqa: E402
from playground.kit.runtime import rss_mb  # noqa: E402

WORDS = ("the quick brown fox jumps over the lazy dog while a small robot learns to read every word "
         "of a long sentence about attention heads layers and tokens in transformers").split()


def sentence(lm: models.LoadedModel, n_tokens: int) -> str:
    """A sentence whose tokenised length (specials included) is exactly n_tokens."""
    words: list[str] = []
    i = 0
    while len(lm.tokenizer(" ".join(words))["input_ids"]) < n_tokens:
        words.append(WORDS[i % len(WORDS)])
        i += 1
    while len(lm.tokenizer(" ".join(words))["input_ids"]) > n_tokens:
        words[-1] = words[-1][:-1] or words.pop()
    return " ".join(words)


def median_ms(fn, repeats: int) -> float:
    fn()  # warm
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=20)
    ap.add_argument("--tokens", type=int, default=32)
    args = ap.parse_args()
    from tabs.attention import figures, session  # the UI handler, timed as the server runs it

    report = {"benchmark": "attention", "tokens": args.tokens, "repeats": args.repeats,
              "torch_threads": torch.get_num_threads(), "device": "cpu", "models": {}}
    for name in ("minilm", "smollm2"):
        lm = models.load(name)
        text = sentence(lm, args.tokens)
        inputs = lm.tokenizer(text, return_tensors="pt")

        def bare():
            with torch.inference_mode():
                lm.model(**inputs, output_attentions=True)

        def extract():
            core.extract(name, text)

        def handler():
            session.CACHE.clear()  # a cache miss: the server does everything
            out = session.run(text, name, 256, 0, 0, "head", False, "en")
            for fig in (out[1], out[3], out[4]):
                fig.to_json()  # Gradio serialises every figure it sends

        res = core.extract(name, text)
        r = {"T": len(res.tokens), "shape": list(res.shape),
             "bare_ms": median_ms(bare, args.repeats), "extract_ms": median_ms(extract, args.repeats),
             "heatmap_handler_ms": median_ms(handler, max(5, args.repeats // 2)),
             "grid_ms": median_ms(lambda: figures.grid_image(res), args.repeats)}
        r["extract_over_bare"] = r["extract_ms"] / r["bare_ms"]
        report["models"][name] = {k: round(v, 3) if isinstance(v, float) else v for k, v in r.items()}
    report["rss_mb_both_models"] = round(rss_mb(), 1)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
