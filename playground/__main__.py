"""Command line: ``python -m playground <experiment> [options] [--json]``.

Each experiment module offers ``add_arguments(parser)`` and ``run_cli(args)``; ``run_cli``
returns one dict (or yields several, one per line of output). Modules are imported only when
their experiment is chosen, so ``--help`` is instant.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # idle OpenMP threads sleep; set before torch loads

EXPERIMENTS = {
    "attention": ("playground.attention", "attention maps of a pretrained encoder or decoder"),
    "ideas": ("playground.ideas", "RNN vs attention (parallelism, long range), pre-LN vs post-LN, measured"),
    "gan": ("playground.gan_cli", "train a GAN on 2-D toy data or small digit images"),
    "vae": ("playground.vae", "train a VAE (or plain autoencoder) and explore its latent space"),
    "genvsdisc": ("playground.genvsdisc", "generative (LDA, QDA) vs discriminative (logistic regression, MLP) on 2-D data"),
    "augment": ("playground.augment", "synthetic digits from a conditional GAN / VAE as extra training data: does it help?"),
    "finetune": ("playground.finetune", "race fine-tuning strategies (head only, freezing, full, LoRA, IA3) on MiniLM"),
    "lab": ("playground.lab.cli", "Transformer Lab: seq2seq, pre/post-LN, transformer vs LSTM, BERT vs GPT objectives"),
    "generate": ("playground.generate", "step-by-step text generation (temperature, top-k, top-p) with SmolLM2"),
    "replay": ("playground.replay_record", "record, list or check the shipped replays of live runs (assets/replays)"),
    "vision": ("playground.vision", "a pretrained CNN's top-5 / transfer race on small image sets (EfficientNet-Lite0)"),
}


def _print(report: dict, as_json: bool) -> None:
    if as_json:
        print(json.dumps(report, ensure_ascii=False), flush=True)
        return
    for key, value in report.items():
        print(f"{key:>24}: {value}")
    print(flush=True)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog="python -m playground", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="experiment", required=True, metavar="experiment")
    chosen = argv[0] if argv and argv[0] in EXPERIMENTS else None
    for name, (module, help_text) in EXPERIMENTS.items():
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--json", action="store_true", help="print machine-readable JSON lines")
        if name == chosen:
            importlib.import_module(module).add_arguments(p)
    args = parser.parse_args(argv)
    module = importlib.import_module(EXPERIMENTS[args.experiment][0])
    try:
        result = module.run_cli(args)
        for report in [result] if isinstance(result, dict) else result:
            _print(report, args.json)
    except ValueError as e:
        print(json.dumps({"error": str(e)}) if args.json else f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
