"""Fine-tuning race: our loop against the standard Hugging Face Trainer + peft recipe, in one run, fairly.

Both sides get the same pretrained MiniLM (the same model config: dropout off, see
playground/finetune/model.py), training subset, test texts, maximum length, epochs, batch size, learning
rate per strategy, warmup + linear schedule, weight decay and gradient clipping.

Fairness:
- an untimed warm-up of BOTH sides for every strategy first (a few batches each), so one-time GPU costs
  (CUDA context, cuBLAS handles, first kernels) are charged to nobody;
- both orders: ``ours-first`` (strategies in the given order, ours then the Trainer) and ``trainer-first``
  (strategies reversed, the Trainer then ours), each reported;
- two speeds per side: the side's own reported throughput (ours: training examples / seconds inside
  training steps, features included, setup and evaluation excluded; the Trainer:
  ``train_samples_per_second``) and a wall-clock throughput (examples / seconds from the model copy to the
  final test accuracy: ours ``wall_s`` incl. graph capture; the Trainer: building it, ``train()`` and
  ``predict()``);
- several epoch counts (default 1 and 3): caching the frozen encoder's features pays from epoch 2 on.

The Trainer recipe is the one in the transformers and peft docs: a Dataset of tokenized texts,
``DataCollatorWithPadding``, ``TrainingArguments(bf16=on a GPU, fused AdamW)``, freezing by
``requires_grad``, LoRA by ``get_peft_model``. Printed: one JSON line per (epochs, order, strategy, side),
one per (epochs, order, strategy) with the ratios, then a summary line.

CPU (a small subset; run here):   python benchmarks/bench_finetune.py --epochs 1
GPU (the whole training set):     python benchmarks/bench_finetune.py --device cuda --limit 0 --test-limit 0 --batch-size 128 --max-length 64
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # a busy shared CPU: sleep instead of spinning
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import argparse  # noqa: E402
import contextlib  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from dataclasses import replace  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playground import finetune as ft  # noqa: E402
from playground.data import text as textdata  # noqa: E402
from playground.kit.runtime import pick_device  # noqa: E402
from playground.kit.training import device_name  # noqa: E402

TRAINER_STRATEGIES = ("feature_extraction", "freeze_bottom", "freeze_top", "freeze_interval", "full", "bitfit",
                      "lora", "from_scratch")


# ---------------------------------------------------------------- the standard recipe
class TextSet(torch.utils.data.Dataset):
    """Tokenized texts without padding, as the HF tutorials build them (the collator pads each batch)."""

    def __init__(self, texts: list[str], labels: list[int], tokenizer, max_length: int) -> None:
        self.enc = tokenizer(texts, truncation=True, max_length=max_length)
        self.labels = labels

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, i: int) -> dict:
        item = {k: v[i] for k, v in self.enc.items()}
        item["labels"] = self.labels[i]
        return item


def trainer_model(strategy: str, cfg: ft.FinetuneConfig, num_labels: int):
    """What a tutorial does: from_pretrained (the same model config as ours), then requires_grad or peft."""
    from peft import LoraConfig, TaskType, get_peft_model
    from transformers import AutoConfig, AutoModelForSequenceClassification

    from playground.kit.pretrained import minilm_path

    if strategy == "from_scratch":
        config = AutoConfig.from_pretrained(minilm_path(), num_labels=num_labels, **ft.NO_DROPOUT)
        return AutoModelForSequenceClassification.from_config(config)
    model = AutoModelForSequenceClassification.from_pretrained(minilm_path(), num_labels=num_labels,
                                                               **ft.NO_DROPOUT)
    if strategy == "full":
        return model
    if strategy == "lora":
        return get_peft_model(model, LoraConfig(task_type=TaskType.SEQ_CLS, r=cfg.lora_r, lora_alpha=cfg.lora_alpha,
                                                lora_dropout=cfg.lora_dropout, target_modules=list(cfg.lora_targets)))
    if strategy == "bitfit":
        for name, p in model.named_parameters():
            p.requires_grad = name.endswith(".bias") or name.startswith("classifier.")
        return model
    for p in model.bert.parameters():
        p.requires_grad = False
    if strategy == "feature_extraction":
        return model
    frozen = ft.frozen_layers(strategy, model.config.num_hidden_layers, cfg.freeze_k, cfg.freeze_every)
    for i, layer in enumerate(model.bert.encoder.layer):
        layer.requires_grad_(i not in frozen)
    model.bert.embeddings.requires_grad_(0 not in frozen)
    model.bert.pooler.requires_grad_(model.config.num_hidden_layers - 1 not in frozen)
    return model


def run_trainer(strategy: str, cfg: ft.FinetuneConfig, train: TextSet, test: TextSet, num_labels: int) -> dict:
    from transformers import DataCollatorWithPadding, Trainer, TrainingArguments

    cuda = pick_device(cfg.device).type == "cuda"
    if cuda:
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
    t_wall = time.perf_counter()
    model = trainer_model(strategy, cfg, num_labels)
    total_steps = -(-len(train) // cfg.batch_size) * cfg.epochs
    with tempfile.TemporaryDirectory() as out:
        args = TrainingArguments(
            output_dir=out, per_device_train_batch_size=cfg.batch_size, per_device_eval_batch_size=256,
            num_train_epochs=cfg.epochs, learning_rate=cfg.lr_for(strategy), weight_decay=cfg.weight_decay,
            warmup_steps=int(round(cfg.warmup * total_steps)), lr_scheduler_type="linear", max_grad_norm=cfg.max_grad_norm,
            optim="adamw_torch_fused" if cuda else "adamw_torch", bf16=cuda, use_cpu=not cuda,
            eval_strategy="no", save_strategy="no", logging_strategy="no", report_to=[], seed=cfg.seed,
            disable_tqdm=True, dataloader_num_workers=0)
        trainer = Trainer(model=model, args=args, train_dataset=train,
                          data_collator=DataCollatorWithPadding(ft.tokenizer()))
        t0 = time.perf_counter()
        with contextlib.redirect_stdout(sys.stderr):  # Trainer prints its metrics: keep stdout JSON only
            metrics = trainer.train().metrics
            train_s = time.perf_counter() - t0
            pred = trainer.predict(test)
    wall_s = time.perf_counter() - t_wall
    acc = float((np.argmax(pred.predictions, -1) == pred.label_ids).mean())
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    n = len(train) * cfg.epochs
    return {"side": "trainer", "strategy": strategy, "trainable": trainable,
            "samples_per_s": round(metrics["train_samples_per_second"], 1), "train_s": round(train_s, 3),
            "wall_s": round(wall_s, 3), "wall_samples_per_s": round(n / wall_s, 1), "test_acc": round(acc, 4),
            "peak_mem_mb": round(torch.cuda.max_memory_allocated() / 2**20, 1) if cuda else None}


def run_ours(strategy: str, cfg: ft.FinetuneConfig, data: ft.RaceData) -> dict:
    r = next(s.result for s in ft.train_strategy(cfg, strategy, data) if s is not None and s.result is not None)
    n = r.n_train * r.epochs
    return {"side": "ours", "strategy": strategy, "trainable": r.trainable, "samples_per_s": round(r.samples_per_s, 1),
            "train_s": round(r.train_s, 3), "wall_s": round(r.wall_s, 3),
            "wall_samples_per_s": round(n / r.wall_s, 1), "test_acc": round(r.test_acc, 4),
            "peak_mem_mb": round(r.peak_mem_mb, 1), "feature_s": None if r.feature_s is None else round(r.feature_s, 3),
            "setup_s": round(r.setup_s, 3), "step_mode": r.step_mode}


# ---------------------------------------------------------------- both, in one run
def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", default="tweets", choices=textdata.TEXT_SETS)
    p.add_argument("--strategies", default="feature_extraction,freeze_bottom,full,lora")
    p.add_argument("--limit", type=int, default=400, help="training texts; 0 = the whole training set")
    p.add_argument("--test-limit", type=int, default=200, help="test texts; 0 = the whole test set")
    p.add_argument("--epochs", default="1,3", help="comma-separated epoch counts, each a separate race")
    p.add_argument("--orders", default="ours-first,trainer-first")
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--max-length", type=int, default=32)
    p.add_argument("--step-mode", default="auto", choices=ft.STEP_MODES)
    p.add_argument("--warmup-batches", type=int, default=4, help="batches of the untimed warm-up per side and strategy")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--device", default="auto")
    args = p.parse_args(argv)
    warnings.filterwarnings("ignore")
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()

    strategies = ft.check_strategies(args.strategies)
    missing = [s for s in strategies if s not in TRAINER_STRATEGIES]
    if missing:
        p.error(f"the Trainer side has no recipe for {', '.join(missing)}")
    epoch_counts = [int(e) for e in args.epochs.split(",") if e.strip()]
    orders = [o.strip() for o in args.orders.split(",") if o.strip()]
    base = ft.FinetuneConfig(data=args.data, limit=args.limit or 10_000_000, test_limit=args.test_limit or 10_000_000,
                             batch_size=args.batch_size, max_length=args.max_length, seed=args.seed,
                             device=args.device, evals=1, probe_size=0, step_mode=args.step_mode).resolved()
    texts = textdata.load_texts(base.data)
    train_idx = textdata.subsample(texts.train_idx, texts.labels, base.limit, base.seed)  # what ft.prepare takes
    test_idx = textdata.subsample(texts.test_idx, texts.labels, base.test_limit, 0)

    def text_set(idx):
        return TextSet([texts.texts[i] for i in idx.tolist()], texts.labels[idx].tolist(), ft.tokenizer(),
                       base.max_length)

    train, test = text_set(train_idx), text_set(test_idx)
    data = ft.prepare(base)
    device = pick_device(base.device)

    # untimed warm-up: every strategy, both sides, a few batches
    t0 = time.perf_counter()
    n_warm = min(len(train), args.warmup_batches * base.batch_size)
    warm_cfg = replace(base, limit=max(8, n_warm), test_limit=max(8, min(len(test), 256)), epochs=1)
    warm_data = ft.prepare(warm_cfg)
    warm_train = torch.utils.data.Subset(train, range(n_warm))
    warm_test = torch.utils.data.Subset(test, range(min(len(test), 256)))
    for s in strategies:
        run_ours(s, warm_cfg, warm_data)
        run_trainer(s, warm_cfg, warm_train, warm_test, texts.num_classes)
    print(json.dumps({"warmup_s": round(time.perf_counter() - t0, 2), "warmup_batches": args.warmup_batches}),
          flush=True)

    summary = {}
    for epochs in epoch_counts:
        cfg = replace(base, epochs=epochs)
        for order in orders:
            sequence = strategies if order == "ours-first" else tuple(reversed(strategies))
            for s in sequence:
                sides = [("ours", lambda: run_ours(s, cfg, data)),
                         ("trainer", lambda: run_trainer(s, cfg, train, test, texts.num_classes))]
                if order == "trainer-first":
                    sides.reverse()
                out = {}
                for side, fn in sides:
                    out[side] = {"epochs": epochs, "order": order, **fn()}
                    print(json.dumps(out[side]), flush=True)
                mine, theirs = out["ours"], out["trainer"]
                row = {"epochs": epochs, "order": order, "strategy": s,
                       "speedup": round(mine["samples_per_s"] / max(theirs["samples_per_s"], 1e-9), 2),
                       "speedup_wall": round(mine["wall_samples_per_s"] / max(theirs["wall_samples_per_s"], 1e-9), 2),
                       "samples_per_s_ours": mine["samples_per_s"], "samples_per_s_trainer": theirs["samples_per_s"],
                       "wall_s_ours": mine["wall_s"], "wall_s_trainer": theirs["wall_s"],
                       "test_acc_ours": mine["test_acc"], "test_acc_trainer": theirs["test_acc"],
                       "acc_diff_points": round(100 * (mine["test_acc"] - theirs["test_acc"]), 2)}
                summary[f"{epochs}ep/{order}/{s}"] = {k: row[k] for k in ("speedup", "speedup_wall", "acc_diff_points")}
                print(json.dumps(row), flush=True)
    print(json.dumps({"benchmark": "finetune", "device": device_name(device), "data": base.data,
                      "n_train": len(train), "n_test": len(test), "epochs": epoch_counts, "orders": orders,
                      "batch_size": base.batch_size, "max_length": base.max_length, "seed": base.seed,
                      "step_mode": base.step_mode, "per_run": summary,
                      "goal": "speedup >= 3 for freeze_bottom, full, lora and acc_diff_points >= -1 (GPU, whole set, "
                              "1 epoch); feature_extraction faster than the Trainer from 2 epochs on"}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
