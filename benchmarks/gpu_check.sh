#!/usr/bin/env bash
# The Fine-tuning Lab's GPU check: ONE script, under 8 minutes on an H100, nothing fetched from the internet.
#
# Needs, beside the repository: ".gpu" (built here by `python benchmarks/make_gpu_assets.py`: MiniLM as fp16
# with "dtype": "float32" in its config.json, and the tweets CSV, as stand-in packages on PYTHONPATH; 48 MiB).
# The GPU image already has torch, transformers, peft, accelerate, tokenizers and pytest.
#   device run: carry [".gpu"], command "bash benchmarks/gpu_check.sh"
# Writes under $OUT (default artifacts/gpu): env.txt, ui_race.jsonl (+ .err), pytest_gpu.log, bench.jsonl
# (+ .err) and summary.txt; each stage has its own time limit so a failure leaves the others' output.
source "$(dirname "$0")/gpu_env.sh"  # $OUT, $PY, stamp/since, env.txt

# 1. the UI's GPU default race through the CLI (4 strategies, whole training set, device defaults), twice:
#    cold (a new process: imports, CUDA start, loading, tokenizing 38k tweets, graph capture) and with the
#    tokens cached on disk, as a running app has them
for run in cold warm; do
  t0=$(stamp)
  timeout "${UI_LIMIT_S:-150}" "$PY" -m playground finetune --device cuda --json >> "$OUT/ui_race.jsonl" 2>> "$OUT/ui_race.err"
  echo "{\"ui_race\": \"$run\", \"rc\": $?, \"process_wall_s\": $(since "$t0")}" | tee -a "$OUT/ui_race.jsonl"
done

# 2. the GPU tests of the Fine-tuning Lab
t0=$(stamp)
timeout "${PYTEST_LIMIT_S:-150}" "$PY" -m pytest -m gpu -q -p no:cacheprovider tests/test_finetune.py > "$OUT/pytest_gpu.log" 2>&1
echo "pytest -m gpu: rc $? in $(since "$t0") s; $(tail -1 "$OUT/pytest_gpu.log")" | tee "$OUT/summary.txt"

# 3. the fair benchmark: whole tweets set, batch 128, 64 tokens, both orders, 1 and 3 epochs
t0=$(stamp)
timeout "${BENCH_LIMIT_S:-300}" "$PY" benchmarks/bench_finetune.py --device cuda --limit 0 --test-limit 0 \
  --batch-size 128 --max-length 64 ${BENCH_ARGS:-} > "$OUT/bench.jsonl" 2> "$OUT/bench.err"
echo "bench: rc $? in $(since "$t0") s" | tee -a "$OUT/summary.txt"
grep -h '"speedup"' "$OUT/bench.jsonl" | tee -a "$OUT/summary.txt"
