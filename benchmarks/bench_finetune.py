"""Fine-tuning race: our loop against the standard Hugging Face Trainer + peft recipe, in one run.

Both sides get the same pretrained MiniLM, training subset, test texts, maximum length, epochs, batch
size, learning rate per strategy, warmup + linear schedule, weight decay and gradient clipping. Printed:
one JSON line per strategy and side, then one per strategy with the ratio of samples per second
(ours / Trainer) and the accuracy difference (ours - Trainer), then a summary line.

The Trainer recipe is the one in the transformers and peft docs: a Dataset of tokenized texts,
``DataCollatorWithPadding``, ``TrainingArguments(bf16=on a GPU)``, freezing by ``requires_grad``,
LoRA by ``get_peft_model``; its speed is ``train_samples_per_second`` from ``trainer.train()``.

CPU (a small subset; run here):   python benchmarks/bench_finetune.py
GPU (the whole training set):     python benchmarks/bench_finetune.py --device cuda --limit 0 --batch-size 128 --max-length 64
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
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playground import finetune as ft  # noqa: E402
from playground import textdata  # noqa: E402
from playground.runtime import pick_device, set_seed  # noqa: E402


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
    """What a tutorial does: from_pretrained, then requires_grad=False, or get_peft_model."""
    from peft import LoraConfig, TaskType, get_peft_model
    from transformers import AutoModelForSequenceClassification

    from playground.models import minilm_path

    model = AutoModelForSequenceClassification.from_pretrained(minilm_path(), num_labels=num_labels)
    if strategy == "full":
        return model
    if strategy == "lora":
        return get_peft_model(model, LoraConfig(task_type=TaskType.SEQ_CLS, r=cfg.lora_r, lora_alpha=cfg.lora_alpha,
                                                lora_dropout=cfg.lora_dropout, target_modules=list(cfg.lora_targets)))
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

    set_seed(cfg.seed)
    model = trainer_model(strategy, cfg, num_labels)
    cuda = pick_device(cfg.device).type == "cuda"
    total_steps = -(-len(train) // cfg.batch_size) * cfg.epochs
    with tempfile.TemporaryDirectory() as out:
        args = TrainingArguments(
            output_dir=out, per_device_train_batch_size=cfg.batch_size, per_device_eval_batch_size=256,
            num_train_epochs=cfg.epochs, learning_rate=cfg.lr_for(strategy), weight_decay=cfg.weight_decay,
            warmup_steps=int(round(cfg.warmup * total_steps)), lr_scheduler_type="linear", max_grad_norm=cfg.max_grad_norm,
            optim="adamw_torch_fused" if cuda else "adamw_torch", bf16=cuda, use_cpu=not cuda,
            eval_strategy="no", save_strategy="no", logging_strategy="no", report_to=[], seed=cfg.seed,
            disable_tqdm=True, dataloader_num_workers=0)
        trainer = Trainer(model=model, args=args, train_dataset=train, data_collator=DataCollatorWithPadding(
            ft.tokenizer()))
        if cuda:
            torch.cuda.reset_peak_memory_stats()
        t0 = time.perf_counter()
        with contextlib.redirect_stdout(sys.stderr):  # Trainer prints its metrics: keep stdout JSON only
            metrics = trainer.train().metrics
            train_s = time.perf_counter() - t0
            pred = trainer.predict(test)
    acc = float((np.argmax(pred.predictions, -1) == pred.label_ids).mean())
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    return {"side": "trainer", "strategy": strategy, "trainable": trainable,
            "samples_per_s": round(metrics["train_samples_per_second"], 1), "train_s": round(train_s, 3),
            "test_acc": round(acc, 4),
            "peak_mem_mb": round(torch.cuda.max_memory_allocated() / 2**20, 1) if cuda else None}


# ---------------------------------------------------------------- both, in one run
def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", default="tweets", choices=textdata.TEXT_SETS)
    p.add_argument("--strategies", default="feature_extraction,freeze_bottom,full,lora")
    p.add_argument("--limit", type=int, default=400, help="training texts; 0 = the whole training set")
    p.add_argument("--test-limit", type=int, default=200, help="test texts; 0 = the whole test set")
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--max-length", type=int, default=32)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--device", default="auto")
    args = p.parse_args(argv)
    warnings.filterwarnings("ignore")
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()

    strategies = ft.check_strategies(args.strategies)
    cfg = ft.FinetuneConfig(data=args.data, limit=args.limit or 10_000_000, test_limit=args.test_limit or 10_000_000,
                            epochs=args.epochs, batch_size=args.batch_size, max_length=args.max_length,
                            seed=args.seed, device=args.device, evals=1).resolved()
    data = textdata.load_texts(cfg.data)
    train_idx = textdata.subsample(data.train_idx, data.labels, cfg.limit, cfg.seed)  # what ft.prepare takes
    test_idx = textdata.subsample(data.test_idx, data.labels, cfg.test_limit, 0)

    def text_set(idx):
        return TextSet([data.texts[i] for i in idx.tolist()], data.labels[idx].tolist(), ft.tokenizer(), cfg.max_length)

    train, test = text_set(train_idx), text_set(test_idx)
    ours = {r.strategy: r for r in ft.run(cfg, strategies)}
    summary = {}
    for s in strategies:
        mine = ft.report(ours[s])
        print(json.dumps({"side": "ours", **{k: mine[k] for k in ("strategy", "trainable", "samples_per_s", "train_s",
                                                                  "test_acc", "peak_mem_mb", "feature_s")}}),
              flush=True)
        theirs = run_trainer(s, cfg, train, test, data.num_classes)
        print(json.dumps(theirs), flush=True)
        ratio = mine["samples_per_s"] / max(theirs["samples_per_s"], 1e-9)
        diff = mine["test_acc"] - theirs["test_acc"]
        summary[s] = {"speedup": round(ratio, 2), "acc_diff_points": round(100 * diff, 2)}
        print(json.dumps({"strategy": s, "samples_per_s_ours": mine["samples_per_s"],
                          "samples_per_s_trainer": theirs["samples_per_s"], "speedup": round(ratio, 2),
                          "test_acc_ours": mine["test_acc"], "test_acc_trainer": theirs["test_acc"],
                          "acc_diff_points": round(100 * diff, 2)}), flush=True)
    print(json.dumps({"benchmark": "finetune", "device": ours[strategies[0]].device, "data": cfg.data,
                      "n_train": len(train), "n_test": len(test), "epochs": cfg.epochs, "batch_size": cfg.batch_size,
                      "max_length": cfg.max_length, "seed": cfg.seed, "per_strategy": summary,
                      "goal": "speedup >= 3 and acc_diff_points >= -1 (GPU, whole set)"}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
