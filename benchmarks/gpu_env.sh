# Sourced by the GPU check scripts: the environment of a bare GPU machine (.gpu/ on PYTHONPATH, offline), $OUT,
# the timing helpers, and env.txt (commit, GPU, library versions).
set -u -o pipefail
OUT="${OUT:-artifacts/gpu}"
mkdir -p "$OUT"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PYTHONPATH="$ROOT/.gpu/site:$ROOT" PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false
export DL_PLAYGROUND_CACHE="${DL_PLAYGROUND_CACHE:-/tmp/dl-playground-cache}"
PY="${PYTHON:-python3}"
stamp() { date +%s.%N; }
since() { "$PY" -c "import sys, time; print(round(time.time() - float(sys.argv[1]), 2))" "$1"; }
{
  cat COMMIT 2>/dev/null || git log -1 --format="commit %H %s" 2>/dev/null
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
  "$PY" -c "import torch, transformers, peft; print('torch', torch.__version__, 'transformers', transformers.__version__, 'peft', peft.__version__)"
} > "$OUT/env.txt" 2>&1
cat "$OUT/env.txt"
