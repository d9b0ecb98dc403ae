"""``python -m playground lab seq2seq|ln|lstm|objectives [options] [--json]``: the Transformer Lab's four
experiments from the command line, each printing what it measured as JSON lines (progress, then a summary).
"""

from __future__ import annotations

import argparse
from typing import Iterator

import torch

from playground.kit import knobs
from playground.lab import ln, lstm, objectives, seq2seq

EXPERIMENTS = {
    "seq2seq": (seq2seq, seq2seq.Seq2SeqConfig, "encoder-decoder on T5-style text-to-text tasks (dates, reverse, sort)"),
    "ln": (ln, ln.LnConfig, "pre-LN vs post-LN, with and without warm-up: four runs of a character LM"),
    "lstm": (lstm, lstm.LstmConfig, "transformer vs LSTM: time against length, and recall over distance d"),
    "objectives": (objectives, objectives.ObjectivesConfig, "BERT vs GPT: masked-LM vs next-token on the same corpus"),
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="lab", required=True, metavar="experiment")
    for name, (module, cls, help_text) in EXPERIMENTS.items():
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--json", action="store_true", help="print machine-readable JSON lines")
        p.add_argument("--preset", default="default", choices=tuple(module.PRESETS), help="starting settings")
        lists = tuple(n for n, lim in knobs.limits(cls).items() if lim.lo is None and lim.choices is None)
        knobs.add_arguments(p, cls, skip=lists)
        for name in lists:  # lists of whole numbers (checked by the config itself)
            p.add_argument("--" + name.replace("_", "-"), dest=name, type=int, nargs="+", default=None,
                           metavar="N", help=knobs.limits(cls)[name].help)
    sub.choices["seq2seq"].add_argument("--ask", action="append", default=[], metavar="TEXT",
                                        help="after training, answer this input (repeatable), e.g. "
                                             "--ask 'date: ngày 9 tháng 11 năm 1989'")
    sub.choices["objectives"].add_argument("--fill", action="append", default=[], metavar="TEXT",
                                           help="after training, fill the blank '_' in this sentence (repeatable)")
    sub.choices["objectives"].add_argument("--continue", dest="cont", action="append", default=[],
                                           metavar="TEXT", help="after training, continue this text (repeatable)")


def _config(args: argparse.Namespace):
    module, cls, _ = EXPERIMENTS[args.lab]
    preset = dict(module.PRESETS[args.preset])
    return knobs.config_from_args(cls, args, base=preset)


def run_cli(args: argparse.Namespace) -> Iterator[dict]:
    cfg = _config(args)
    head = {"experiment": f"lab {args.lab}", "preset": args.preset, "torch_threads": torch.get_num_threads()}
    yield from {"seq2seq": _seq2seq, "ln": _ln, "lstm": _lstm, "objectives": _objectives}[args.lab](cfg, args, head)


def _seq2seq(cfg, args, head) -> Iterator[dict]:
    lab = seq2seq.Seq2SeqLab(cfg)
    yield {**head, "n_params": lab.n_params, "config": vars(cfg) | {"tasks": list(cfg.tasks)}}
    for snap in lab.run():
        if snap is not None and snap.exact_step == snap.step:
            yield {"step": snap.step, "seconds": round(snap.elapsed, 2), "loss": round(snap.loss, 4),
                   "task_loss": {k: round(v, 4) for k, v in snap.task_loss.items()}, "exact_match": snap.exact}
    answers = {q: lab.answer(q).text for q in args.ask}
    yield {"done": True, "steps": lab.step_count, "seconds": round(lab.elapsed, 2), "exact_match": lab.exact,
           "answers": answers}


def _ln(cfg, args, head) -> Iterator[dict]:
    lab = ln.LnLab(cfg)
    yield {**head, "n_params": lab.n_params, "config": vars(cfg), "runs": [ln.run_key(*r) for r in ln.RUNS]}
    history = []
    for snap in lab.run():
        if snap is None:
            continue
        history.append(snap)
        if snap.step % 50 == 0 or snap.done:
            yield {"step": snap.step, "seconds": round(snap.elapsed, 2),
                   "loss": {k: None if v is None else round(v, 4) for k, v in snap.loss.items()}}
    yield {"done": True, "seconds": round(lab.elapsed, 2), "unigram_entropy": round(ln.unigram_entropy(), 4),
           "runs": ln.summary(history)}


def _lstm(cfg, args, head) -> Iterator[dict]:
    rows = [row for row in lstm.timing(cfg) if row is not None]
    lab = lstm.LongRangeLab(cfg)
    yield {**head, "n_params": lab.n_params, "config": vars(cfg), "timing_ms": rows}
    for snap in lab.run():
        if snap is not None and snap.accuracy_step == snap.step:
            yield {"step": snap.step, "seconds": {k: round(v, 2) for k, v in snap.elapsed.items()},
                   "loss": {k: round(v, 4) for k, v in snap.loss.items()}, "accuracy": snap.accuracy}
    yield {"done": True, "accuracy": lab.accuracy, "chance": 1 / lstm.SYMBOLS}


def _objectives(cfg, args, head) -> Iterator[dict]:
    lab = objectives.ObjectivesLab(cfg)
    yield {**head, "n_params": lab.n_params, "vocab": lab.vocab.size, "config": vars(cfg)}
    for snap in lab.run():
        if snap is not None and (snap.step % 100 == 0 or snap.done):
            yield {"step": snap.step, "seconds": {k: round(v, 2) for k, v in snap.elapsed.items()},
                   "loss": {k: round(v, 4) for k, v in snap.loss.items()},
                   "accuracy": {k: round(v, 4) for k, v in snap.accuracy.items()}}
    fills = {q: {k: lab.fill(q)[k] for k in objectives.KINDS} for q in args.fill}
    conts = {q: lab.continue_text(q) for q in args.cont}
    yield {"done": True, "fill": fills, "continue": conts}
