"""Saving and loading trained models (safetensors, float16 by default; the config in the metadata)."""

from __future__ import annotations

import json
from pathlib import Path

from playground.vae.model import KINDS, VAE, VaeConfig, empty_model

ASSET = Path(__file__).resolve().parents[2] / "assets" / "vae_mnist_default.safetensors"


def save_checkpoint(path: str | Path, models: dict[str, VAE], cfg: VaeConfig, extra: dict | None = None,
                    half: bool = True) -> Path:
    """Save named models (e.g. {"vae": ..., "ae": ...}) in one safetensors file, the config in its metadata
    and in a ``.json`` next to it. ``half`` stores float16 (half the size; loads back as float32)."""
    from safetensors.torch import save_file

    path = Path(path)
    tensors = {}
    for name, model in models.items():
        for k, v in model.state_dict().items():
            v = v.detach().cpu().contiguous()
            tensors[f"{name}.{k}"] = v.half() if half and v.is_floating_point() else v
    meta = {"config": cfg.to_json(), "models": json.dumps(sorted(models)),
            "shape": json.dumps(list(next(iter(models.values())).shape)), "extra": json.dumps(extra or {})}
    path.parent.mkdir(parents=True, exist_ok=True)
    save_file(tensors, str(path), metadata=meta)
    path.with_suffix(".json").write_text(json.dumps({"config": json.loads(meta["config"]), **(extra or {})},
                                                    indent=1) + "\n")
    return path


def load_checkpoint(path: str | Path = ASSET, device: str = "cpu") -> tuple[VaeConfig, dict[str, VAE], dict]:
    """(config, {name: model in eval mode}, extra) from ``save_checkpoint``'s file."""
    from safetensors import safe_open

    path = Path(path)
    if not path.exists():
        raise ValueError(f"no checkpoint at {path}")
    with safe_open(str(path), framework="pt") as f:
        meta = f.metadata()
        tensors = {k: f.get_tensor(k) for k in f.keys()}
    cfg = VaeConfig.from_dict(json.loads(meta["config"]))
    shape = tuple(json.loads(meta["shape"]))
    models = {}
    for name in json.loads(meta["models"]):
        model = empty_model(cfg.replace(kind=name if name in KINDS else cfg.kind), shape)
        state = {k[len(name) + 1:]: v.float() for k, v in tensors.items() if k.startswith(name + ".")}
        model.load_state_dict(state, assign=True)
        models[name] = model.to(device).eval()
    return cfg, models, json.loads(meta.get("extra", "{}"))
