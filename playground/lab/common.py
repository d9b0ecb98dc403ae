"""What every lab experiment shares beyond the training kit (``playground.kit.training``): its optimizer, and the
exports of a run (the curves as CSV, the weights as safetensors)."""

from __future__ import annotations

import torch
from torch import nn

THREADS = 1  # intra-op threads of a lab run: small nets train fastest on one, and a seed gives the same figures on any machine


def adam(model: nn.Module, lr: float) -> torch.optim.Optimizer:
    # foreach=False: the plain per-tensor loop (the multi-tensor path measured no faster for these tiny tensors)
    return torch.optim.AdamW(model.parameters(), lr=lr, betas=(0.9, 0.98), weight_decay=0.0, foreach=False)


# ---------------------------------------------------------------- exports
def _flatten(prefix: str, value, out: dict) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(f"{prefix}.{k}" if prefix else str(k), v, out)
    elif isinstance(value, (list, tuple)):
        if all(isinstance(v, (int, float)) for v in value):
            for i, v in enumerate(value):
                out[f"{prefix}.{i}"] = v
    elif isinstance(value, (int, float, str)) or value is None:
        out[prefix] = value


def history_csv(history: list, path) -> str:
    """The snapshots of a run as CSV: one row per snapshot, nested numbers flattened ('loss.pre_warmup')."""
    import csv
    import dataclasses

    rows = []
    for snap in history:
        row: dict = {}
        for f in dataclasses.fields(snap):
            if f.name != "samples":
                _flatten(f.name, getattr(snap, f.name), row)
        rows.append(row)
    columns = list(dict.fromkeys(k for r in rows for k in r))
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, columns)
        writer.writeheader()
        writer.writerows(rows)
    return str(path)


def save_models(models: dict[str, nn.Module], path, config=None) -> str:
    """Every model's weights in one safetensors file, keys prefixed by the model's name; the config as metadata."""
    import dataclasses
    import json

    from safetensors.torch import save_file

    tensors = {f"{name}.{k}": v.detach().contiguous().clone() for name, m in models.items()
               for k, v in m.state_dict().items()}
    meta = {"config": json.dumps(dataclasses.asdict(config), default=list)} if config is not None else None
    save_file(tensors, str(path), metadata=meta)
    return str(path)
