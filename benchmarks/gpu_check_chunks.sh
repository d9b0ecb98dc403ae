#!/usr/bin/env bash
# The ZeroGPU split path on a real GPU, in one short run (about 4 minutes on an H100): the UI's GPU race in
# one call and split into calls (state handed over on the CPU), 1 and 3 epochs, and the GPU tests.
#   python benchmarks/make_gpu_assets.py   # here, once
#   device run: carry [".gpu"], command "bash benchmarks/gpu_check_chunks.sh"
# Writes under $OUT (default artifacts/gpu): env.txt, chunks.jsonl (+ .err), pytest_gpu.log, summary.txt.
source "$(dirname "$0")/gpu_env.sh"  # $OUT, $PY, stamp/since, env.txt

# the UI's default GPU race (4 strategies, whole tweets training set): one call, then calls of at most 60 s;
# then 3 epochs in one call and in calls of at most 120 s (ZeroGPU's setting in the app)
for args in "" "--chunk-s 60" "--epochs 3" "--epochs 3 --chunk-s 120"; do
  t0=$(stamp)
  timeout "${RACE_LIMIT_S:-120}" "$PY" -m playground finetune --device cuda --json $args >> "$OUT/chunks.jsonl" 2>> "$OUT/chunks.err"
  echo "{\"args\": \"$args\", \"rc\": $?, \"process_wall_s\": $(since "$t0")}" | tee -a "$OUT/chunks.jsonl"
done

t0=$(stamp)
timeout "${PYTEST_LIMIT_S:-150}" "$PY" -m pytest -m gpu -q -p no:cacheprovider tests/test_finetune_chunks.py tests/test_finetune.py > "$OUT/pytest_gpu.log" 2>&1
echo "pytest -m gpu: rc $? in $(since "$t0") s; $(tail -1 "$OUT/pytest_gpu.log")" | tee "$OUT/summary.txt"
"$PY" - "$OUT/chunks.jsonl" <<'PY' | tee -a "$OUT/summary.txt"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
run, runs = [], []
for r in rows:
    if "args" in r:
        runs.append((r["args"] or "(one call)", r["process_wall_s"], run))
        run = []
    else:
        run.append(r)
for args, wall, results in runs:
    print(f"{args:24s} process {wall:6.1f} s  " + "  ".join(
        f"{r['strategy']}: acc {r['test_acc']:.4f} train {r['train_s']:.1f}s calls {r.get('calls', 1)}" for r in results))
PY
