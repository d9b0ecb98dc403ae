"""Rerun, over several seeds, every figure the README and the lessons quote from a single seed.

    python benchmarks/claims.py                        # everything (30-90 minutes on 2 CPU cores)
    python benchmarks/claims.py --only gan lab.ln      # claims whose id or experiment contains a word
    python benchmarks/claims.py --seeds 0 1 2          # other seeds (expensive runs keep only their first few)
    python benchmarks/claims.py --quick                # tiny settings, seeds 0-1: checks this script works

The README (and the lesson texts in ``tabs/*/strings.py``) quote figures measured once, usually with seed 0:
"LDA 15% of the plane flipped", "the masked LM fills the blank with tokyo (58%)". This script reruns each of
them for seeds 0-4 (0-9 for the GAN presets, 0-2 or 0-1 where one run takes minutes) with the settings the text
says were used, by running the project's own code: ``python -m playground <experiment> ... --json`` in a
subprocess (its JSON lines parsed), or the experiment's classes imported in this process (the Transformer Lab
and the GAN Lab, as ``benchmarks/bench_lab.py`` and ``bench_gan.py`` do). No figure is written here by hand;
the README's own number is kept beside each claim only to say whether it lies inside the range over seeds.

A *claim* is an id, the README's words (short), the experiment run it reads, a unit and a function of the
seed. It is either a **figure** (a number, or a word) or a **check** (a qualitative statement: "the
transformer beats the LSTM at d = 64"); a check gives a margin in its unit that is positive where the
statement holds (or just true / false), and the table says on how many seeds it held.

Prints one JSON line per (claim, seed) as it goes, then the table. Writes ``claims.md`` (the table) and
``claims.json`` (per claim and seed: the value, the commit and the date it was measured; plus the machine)
to ``--out`` (default ``benchmarks/results``), merging into an existing ``claims.json`` by claim id and seed,
so a rerun of a few claims (``--only``) keeps the others. ``--quick`` writes to a temporary folder instead
(its figures mean nothing). Every experiment fixes its own intra-op thread count (one thread for the small
nets, two for fine-tuning and the CNN); this script does not touch torch's thread settings.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # idle OpenMP threads sleep (set before torch loads)

SEEDS = (0, 1, 2, 3, 4)
QUICK_SEEDS = (0, 1)


# ====================================================================== runs and claims
@dataclass(frozen=True)
class Run:
    """One experiment with fixed settings; ``go(seed, quick)`` runs it and returns what the claims read."""

    key: str
    experiment: str
    settings: str  # what the README says was used, in words or as the command line
    go: Callable[[int, bool], dict]
    seeds: tuple[int, ...] = SEEDS  # default seeds
    max_seeds: int | None = None  # expensive runs: at most this many seeds (the first of those asked for)
    cost: str = ""  # why max_seeds (shown in the table)


@dataclass(frozen=True)
class Claim:
    """A figure or a qualitative check the README states from one seed.

    ``value`` gets a function ``r(run_key) -> that run's result for the seed being measured`` and returns
    the figure (a number or a word) or, for a check, a margin (holds when > 0; >= 0 if not ``strict``) or a
    bool. ``quoted`` is the README's own figure, ``digits`` the decimals it was given with."""

    id: str
    text: str
    runs: tuple[str, ...]
    unit: str
    value: Callable[[Callable[[str], dict]], Any]
    check: bool = False
    quoted: float | str | None = None
    digits: int = 1
    strict: bool = True

    def holds(self, v: Any) -> bool | None:
        if not self.check or v is None:
            return None
        if isinstance(v, bool):
            return v
        return v > 0 if self.strict else v >= 0


class Results:
    """Each run's result per seed, computed once on first use (an exception is kept and re-raised)."""

    def __init__(self, runs: dict[str, Run], quick: bool) -> None:
        self.runs, self.quick = runs, quick
        self.cache: dict[tuple[str, int], tuple[dict | None, BaseException | None, float]] = {}

    def get(self, key: str, seed: int) -> dict:
        if (key, seed) not in self.cache:
            t0 = time.perf_counter()
            try:
                self.cache[key, seed] = (self.runs[key].go(seed, self.quick), None, time.perf_counter() - t0)
            except Exception as e:  # noqa: BLE001 - one failed run must not stop the others
                self.cache[key, seed] = (None, e, time.perf_counter() - t0)
        result, error, _ = self.cache[key, seed]
        if error is not None:
            raise RuntimeError(f"run {key} (seed {seed}) failed: {error}") from error
        return result

    def seconds(self, key: str, seed: int) -> float | None:
        entry = self.cache.get((key, seed))
        return None if entry is None else round(entry[2], 1)


# ====================================================================== helpers
def cli(*args: Any) -> list[dict]:
    """``python -m playground ARGS --json`` in a subprocess of this repository: its JSON lines."""
    cmd = [sys.executable, "-m", "playground", *map(str, args), "--json"]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-6:]
        raise RuntimeError(f"`{' '.join(cmd[2:])}` exited with {proc.returncode}: " + " | ".join(tail))
    lines = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"`{' '.join(cmd[2:])}` printed no JSON")
    return lines


def pct(x: float | None) -> float | None:
    return None if x is None else 100.0 * x


def at(seq: list, i: int):
    """seq[i], or a KeyError naming what is missing (a quick run has fewer points)."""
    if i >= len(seq):
        raise KeyError(f"no point {i} (only {len(seq)})")
    return seq[i]


# ====================================================================== Generative vs discriminative
def gvd_compare(side: str) -> Callable[[int, bool], dict]:
    def go(seed: int, quick: bool) -> dict:
        tiny = ["--steps", 30, "--n-test", 200, "--resolution", 20] if quick else []
        return cli("genvsdisc", "--data", "blobs", "--n-train", 200, "--outliers", 20, "--outlier-distance", 6,
                   "--outlier-side", side, "--mode", "compare", "--seed", seed, *tiny)[-1]
    return go


def gvd_sweep(data: str) -> Callable[[int, bool], dict]:
    def go(seed: int, quick: bool) -> dict:
        tiny = ["--steps", 30, "--sweep-repeats", 1, "--n-test", 200] if quick else []
        out = cli("genvsdisc", "--data", data, "--mode", "sweep", "--sweep-repeats", 5, "--seed", seed, *tiny)[-1]
        sizes = out["sizes_per_class"]
        return {"sizes": sizes,  # accuracy (%) per model and points per class
                "acc": {m: {n: 100 * v for n, v in zip(sizes, a["mean"])} for m, a in out["accuracy"].items()}}
    return go


def sweep_acc(r, key: str, model: str, n: int) -> float:
    acc = r(key)["acc"][model]
    if n not in acc:
        raise KeyError(f"{key} has no size {n} per class (sizes: {r(key)['sizes']})")
    return acc[n]


def gvd_runs() -> list[Run]:
    return [
        Run("gvd.away", "genvsdisc", "blobs, 200 points, 20 outliers 6 units away, placed away",
            gvd_compare("away")),
        Run("gvd.across", "genvsdisc", "blobs, 200 points, 20 outliers 6 units away, placed across",
            gvd_compare("across")),
        Run("gvd.sweep.circles", "genvsdisc", "circles, size sweep 2..128 per class, 5 sets per size",
            gvd_sweep("circles")),
        Run("gvd.sweep.blobs", "genvsdisc", "blobs, size sweep 2..128 per class, 5 sets per size",
            gvd_sweep("blobs")),
    ]


def gvd_claims() -> list[Claim]:
    def flip(key: str, model: str):
        return lambda r: pct(r(key)["flipped"][model])

    def acc(key, model, n):
        return lambda r: sweep_acc(r, key, model, n)

    c = "gvd.sweep.circles"
    b = "gvd.sweep.blobs"
    models = ("lda", "qda", "logreg", "mlp")
    return [
        Claim("gvd.away.flipped.lda", "outliers away: LDA 15% of the plane flipped", ("gvd.away",), "% of plane",
              flip("gvd.away", "lda"), quoted=15, digits=0),
        Claim("gvd.away.flipped.qda", "outliers away: QDA 12% flipped", ("gvd.away",), "% of plane",
              flip("gvd.away", "qda"), quoted=12, digits=0),
        Claim("gvd.away.flipped.logreg", "outliers away: logistic regression 0.3%", ("gvd.away",), "% of plane",
              flip("gvd.away", "logreg"), quoted=0.3, digits=1),
        Claim("gvd.away.flipped.mlp", "outliers away: the MLP 2.5%", ("gvd.away",), "% of plane",
              flip("gvd.away", "mlp"), quoted=2.5, digits=1),
        Claim("gvd.away.generative_move_more",
              "outliers away: LDA and QDA flip more of the plane than logistic regression and the MLP "
              "(margin: min(LDA, QDA) - max(logreg, MLP))", ("gvd.away",), "points",
              lambda r: min(pct(r("gvd.away")["flipped"][m]) for m in ("lda", "qda"))
              - max(pct(r("gvd.away")["flipped"][m]) for m in ("logreg", "mlp")), check=True),
        Claim("gvd.across.flipped.logreg", "placed across, logistic regression moves too (25%)", ("gvd.across",),
              "% of plane", flip("gvd.across", "logreg"), quoted=25, digits=0),
        Claim("gvd.across.logreg_moves",
              "placed across, logistic regression moves too: it flips over 10x as much of the plane as with the "
              "outliers away (margin: across - 10 x away)", ("gvd.across", "gvd.away"), "points",
              lambda r: pct(r("gvd.across")["flipped"]["logreg"]) - 10 * pct(r("gvd.away")["flipped"]["logreg"]),
              check=True),
        Claim("gvd.circles.qda@8", "circles: QDA at 8 points per class (lesson: 85%)", (c,), "% test accuracy",
              acc(c, "qda", 8), quoted=85, digits=0),
        Claim("gvd.circles.mlp@8", "circles: the MLP at 8 per class (lesson: 83%)", (c,), "% test accuracy",
              acc(c, "mlp", 8), quoted=83, digits=0),
        Claim("gvd.circles.qda@16", "circles: QDA at 16 per class (lesson: 90%)", (c,), "% test accuracy",
              acc(c, "qda", 16), quoted=90, digits=0),
        Claim("gvd.circles.mlp@16", "circles: the MLP at 16 per class (lesson: 89%)", (c,), "% test accuracy",
              acc(c, "mlp", 16), quoted=89, digits=0),
        Claim("gvd.circles.qda_leads_8_16", "on circles QDA leads the MLP at 8 and 16 points per class "
              "(margin: the smaller lead)", (c,), "points",
              lambda r: min(sweep_acc(r, c, "qda", n) - sweep_acc(r, c, "mlp", n) for n in (8, 16)), check=True),
        Claim("gvd.circles.mlp_passes_from_64", "on circles the MLP passes QDA from 64 per class (at 64 and 128; "
              "margin: the smaller lead)", (c,), "points",
              lambda r: min(sweep_acc(r, c, "mlp", n) - sweep_acc(r, c, "qda", n) for n in (64, 128)), check=True),
        Claim("gvd.blobs.lda_leads_8", "on blobs LDA leads at 8 per class (margin: LDA - best other)", (b,),
              "points", lambda r: sweep_acc(r, b, "lda", 8) - max(sweep_acc(r, b, m, 8) for m in models[1:]),
              check=True),
        Claim("gvd.blobs.logreg_ahead_2", "on blobs logistic regression is ahead of both Gaussian models at 2 "
              "per class (margin: logreg - max(LDA, QDA))", (b,), "points",
              lambda r: sweep_acc(r, b, "logreg", 2) - max(sweep_acc(r, b, m, 2) for m in ("lda", "qda")),
              check=True),
        Claim("gvd.blobs.qda_last_2", "lesson: on blobs at 2 per class QDA was last (margin: worst other - QDA)",
              (b,), "points",
              lambda r: min(sweep_acc(r, b, m, 2) for m in ("lda", "logreg", "mlp")) - sweep_acc(r, b, "qda", 2),
              check=True),
    ]


# ====================================================================== synthetic data (augment)
N_REAL = (5, 10, 20)


def augment(generator_data: str) -> Callable[[int, bool], dict]:
    def go(seed: int, quick: bool) -> dict:
        tiny = ["--repeats", 1, "--gan-steps", 20, "--vae-steps", 20, "--clf-steps", 20] if quick else []
        out = cli("augment", "--data", "mnist", "--generator-data", generator_data, "--seed", seed, *tiny)[-1]
        return {"repeats": out["repeats"],
                "gain": {s: {int(n): {k: 100 * v for k, v in g.items()} for n, g in by_n.items()}
                         for s, by_n in out["gain"].items()},  # points: mean / min / max over repeats
                "agreement": {s: {int(n): 100 * a["agreement"] for n, a in by_n.items() if "agreement" in a}
                              for s, by_n in out["accuracy"].items() if s != "real"}}
    return go


def augment_runs() -> list[Run]:
    cost = "30-60 s a run here; two seeds, as planned for this experiment"
    return [
        Run("aug.subset", "augment", "MNIST, defaults, 3 repeats, generators trained on the same N images "
            "(--generator-data subset)", augment("subset"), seeds=(0, 1), max_seeds=2, cost=cost),
        Run("aug.pool", "augment", "MNIST, defaults, 3 repeats, generators trained on all 4,000 training digits "
            "(--generator-data pool)", augment("pool"), seeds=(0, 1), max_seeds=2, cost=cost),
    ]


def augment_claims() -> list[Claim]:
    out: list[Claim] = []
    quoted = {("aug.subset", "gan"): (-1.6, -0.5, -1.3), ("aug.subset", "vae"): (-5.4, -2.8, -3.4),
              ("aug.pool", "gan"): (4.3, 1.0, -0.9), ("aug.pool", "vae"): (9.4, 5.2, 2.7)}
    where = {"aug.subset": "same N images", "aug.pool": "all 4,000 digits"}
    for (key, source), figures in quoted.items():
        for n, q in zip(N_REAL, figures):
            out.append(Claim(f"{key}.{source}.gain@{n}", f"generators on {where[key]}: {source.upper()} gain at "
                             f"N = {n} ({q:+.1f} points)", (key,), "points (mean of repeats)",
                             lambda r, key=key, s=source, n=n: r(key)["gain"][s][n]["mean"], quoted=q, digits=1))
    for source, (lo, hi) in {"gan": (81, 90), "vae": (48, 56)}.items():
        for name, pick, q in (("min", min, lo), ("max", max, hi)):
            out.append(Claim(f"aug.subset.{source}.judge_{name}", f"same N images: the judge recognised {lo}-{hi}% "
                             f"of the {source.upper()}'s digits ({name} over N)", ("aug.subset",), "% recognised",
                             lambda r, s=source, pick=pick: pick(r("aug.subset")["agreement"][s].values()),
                             quoted=q, digits=0))
    out += [
        Claim("aug.subset.hurt_every_repeat", "same N images: synthetic data hurt in every repeat, GAN and VAE, "
              "every N (margin: minus the largest gain of any repeat)", ("aug.subset",), "points",
              lambda r: -max(g["max"] for s in ("gan", "vae") for g in r("aug.subset")["gain"][s].values()),
              check=True),
        Claim("aug.pool.vae_helped_every_repeat", "all training digits: the VAE's digits helped in every repeat, "
              "every N (margin: the smallest gain)", ("aug.pool",), "points",
              lambda r: min(g["min"] for g in r("aug.pool")["gain"]["vae"].values()), check=True),
        Claim("aug.pool.gan_helped_5_every_repeat", "all training digits: the GAN's helped at N = 5 in every "
              "repeat (margin: the smallest gain)", ("aug.pool",), "points",
              lambda r: r("aug.pool")["gain"]["gan"][5]["min"], check=True),
    ]
    return out


# ====================================================================== Transformer Lab
def lab_seq2seq(seed: int, quick: bool) -> dict:
    from playground.lab import seq2seq

    mid = 20 if quick else 1000  # the README's "at step 1,000"
    cfg = seq2seq.preset_config(seed=seed, **({"steps": 40, "eval_every": 20, "test_per_task": 10} if quick else {}))
    lab = seq2seq.Seq2SeqLab(cfg)
    checks = {snap.step: {k: 100 * v for k, v in snap.exact.items()}
              for snap in lab.run() if snap is not None and snap.exact_step == snap.step}
    if mid not in checks:
        raise KeyError(f"no exact-match check at step {mid} (checks at {sorted(checks)})")
    return {"mid": checks[mid], "end": checks[max(checks)], "end_step": max(checks),
            "answer": lab.answer("date: ngày 9 tháng 11 năm 1989").text}


def lab_ln(preset: str) -> Callable[[int, bool], dict]:
    def go(seed: int, quick: bool) -> dict:
        from playground.lab import ln

        lab = ln.LnLab(ln.preset_config(preset, seed=seed, **({"steps": 20} if quick else {})))
        history = [snap for snap in lab.run() if snap is not None]
        return {"entropy": ln.unigram_entropy(), "runs": ln.summary(history)}
    return go


def lstm_final(r, model: str) -> dict:
    """The Transformer Lab's long-range run: ``model``'s accuracy (%) at each d at its last check."""
    return r("lab.lstm")["checks"][-1][1][model]


def smallest_drop(by_d: dict) -> float:
    """How much less accurate at each d than at the next shorter one, at least (positive: it falls all along)."""
    acc = [by_d[d] for d in sorted(by_d)]
    return min(a - b for a, b in zip(acc, acc[1:]))


def lab_lstm(seed: int, quick: bool) -> dict:
    from playground.lab import lstm

    cfg = lstm.preset_config(seed=seed, **({"steps": 20, "eval_every": 10} if quick else {}))
    lab = lstm.LongRangeLab(cfg)  # part (b) only: the README quotes no timing (too noisy)
    checks = [(snap.step, {k: {d: 100 * a for d, a in v.items()} for k, v in snap.accuracy.items()})
              for snap in lab.run() if snap is not None and snap.accuracy_step == snap.step]
    return {"distances": list(cfg.distances), "checks": checks, "n_params": lab.n_params,
            "seconds": sum(lab.elapsed.values())}


def lab_objectives(seed: int, quick: bool) -> dict:
    from playground.lab import objectives

    lab = objectives.ObjectivesLab(objectives.preset_config(seed=seed, **({"steps": 20} if quick else {})))
    for _ in lab.run():
        pass
    fill = lab.fill("_ is the capital of japan .", top=lab.vocab.size)  # every word, so tokyo's share is known
    mlm = dict(fill["mlm"])
    return {"mlm_top": fill["mlm"][0][0], "mlm_tokyo": 100 * mlm.get("tokyo", 0.0),
            "clm_continue": lab.continue_text("the capital of japan is")["clm"]}


def lab_runs() -> list[Run]:
    return [
        Run("lab.seq2seq", "lab seq2seq", "default preset (1,250 steps, checks every 250)", lab_seq2seq),
        Run("lab.ln", "lab ln", "default preset: lr 0.01, 6 layers, 200 steps", lab_ln("default")),
        Run("lab.ln.low_lr", "lab ln", "preset low_lr: lr 0.003, 300 steps", lab_ln("low_lr")),
        Run("lab.lstm", "lab lstm", "default preset: d = 2, 8, 32 (a pair of models each), 400 steps, checks "
            "every 50", lab_lstm),
        Run("lab.objectives", "lab objectives", "default preset (500 steps each)", lab_objectives),
    ]


def lab_claims() -> list[Claim]:
    s = "lab.seq2seq"
    out = [
        Claim("lab.seq2seq.date_vi@1000", "Vietnamese dates: held-out exact match at step 1,000 (97%)", (s,),
              "% exact match", lambda r: r(s)["mid"]["date_vi"], quoted=97, digits=0),
        Claim("lab.seq2seq.date_en@1000", "English dates at step 1,000 (90%)", (s,), "% exact match",
              lambda r: r(s)["mid"]["date_en"], quoted=90, digits=0),
        Claim("lab.seq2seq.dates_90@1000", "README and lesson: both date tasks passed 90% at step 1,000 "
              "(margin: the lower one - 90)", (s,), "points",
              lambda r: min(r(s)["mid"]["date_vi"], r(s)["mid"]["date_en"]) - 90, check=True, strict=False),
    ]
    for task, q in (("date_vi", 100), ("date_en", 96), ("reverse", 70), ("sort", 99)):
        out.append(Claim(f"lab.seq2seq.{task}@end", f"{task} at step 1,250, the end ({q}%)", (s,), "% exact match",
                         lambda r, task=task: r(s)["end"][task], quoted=q, digits=0))
    out.append(Claim("lab.seq2seq.answer", "answers `date: ngày 9 tháng 11 năm 1989` with `1989-11-09`", (s,),
                     "true / false", lambda r: r(s)["answer"] == "1989-11-09", check=True))

    def final(key: str, run: str):
        return lambda r: r(key)["runs"][run]["final_loss"]

    ln = "lab.ln"
    post, pre = ("post_nowarmup", "post_warmup"), ("pre_nowarmup", "pre_warmup")
    out += [
        Claim("lab.ln.post_nowarmup", "lr 0.01: post-LN without warm-up stalled at 3.40 nats", (ln,), "nats",
              final(ln, "post_nowarmup"), quoted=3.40, digits=2),
        Claim("lab.ln.post_warmup", "lr 0.01: post-LN with warm-up stalled at 3.40 nats", (ln,), "nats",
              final(ln, "post_warmup"), quoted=3.40, digits=2),
        Claim("lab.ln.pre_nowarmup", "lr 0.01: pre-LN reached 2.81 (no warm-up)", (ln,), "nats",
              final(ln, "pre_nowarmup"), quoted=2.81, digits=2),
        Claim("lab.ln.pre_warmup", "lr 0.01: pre-LN reached 2.39 (warm-up)", (ln,), "nats",
              final(ln, "pre_warmup"), quoted=2.39, digits=2),
        Claim("lab.ln.post_stalls", "lr 0.01: both post-LN runs stall near the letter-frequency loss, 3.37 "
              "(margin: 0.1 - the larger distance to it)", (ln,), "nats",
              lambda r: 0.1 - max(abs(r(ln)["runs"][k]["final_loss"] - r(ln)["entropy"]) for k in post), check=True),
        Claim("lab.ln.pre_trains", "lr 0.01: pre-LN trains while post-LN stalls: both pre-LN runs end below both "
              "post-LN runs (margin)", (ln,), "nats",
              lambda r: min(r(ln)["runs"][k]["final_loss"] for k in post)
              - max(r(ln)["runs"][k]["final_loss"] for k in pre), check=True),
        Claim("lab.ln.post_lower_grads_0", "lr 0.01: post-LN's four lower layers' gradients at about 0 at the "
              "end (margin: 0.001 - the largest)", (ln,), "gradient norm",
              lambda r: 0.001 - max(g for k in post for g in r(ln)["runs"][k]["grad_norms_last"][:4]), check=True,
              digits=3),
    ]
    low = "lab.ln.low_lr"
    out += [
        Claim("lab.ln.low_lr.best_post", "lr 0.003: post-LN 2.05 after 300 steps (the better post-LN run)", (low,),
              "nats", lambda r: min(r(low)["runs"][k]["final_loss"] for k in post), quoted=2.05, digits=2),
        Claim("lab.ln.low_lr.best_pre", "lr 0.003: 2.26 for the best pre-LN run", (low,), "nats",
              lambda r: min(r(low)["runs"][k]["final_loss"] for k in pre), quoted=2.26, digits=2),
        Claim("lab.ln.low_lr.all_train", "lr 0.003: all four trained (each ends 0.5 nats or more below the "
              "letter-frequency loss; margin)", (low,), "nats",
              lambda r: r(low)["entropy"] - 0.5 - max(v["final_loss"] for v in r(low)["runs"].values()),
              check=True, strict=False),
        Claim("lab.ln.low_lr.post_ahead", "lr 0.003: post-LN slightly ahead (margin: best pre-LN - best post-LN)",
              (low,), "nats", lambda r: min(r(low)["runs"][k]["final_loss"] for k in pre)
              - min(r(low)["runs"][k]["final_loss"] for k in post), check=True),
    ]
    m = "lab.lstm"
    out += [
        Claim("lab.lstm.transformer_all", "the transformer at 100% at every d after 400 steps (margin: lowest "
              "- 99.5)", (m,), "points", lambda r: min(lstm_final(r, "transformer").values()) - 99.5, check=True,
              strict=False),
        Claim("lab.lstm.lstm_short", "LSTM at the shortest d (2) after 400 steps", (m,), "% accuracy",
              lambda r: lstm_final(r, "lstm")[min(r(m)["distances"])], digits=0),
        Claim("lab.lstm.lstm_middle", "LSTM at d = 8 after 400 steps", (m,), "% accuracy",
              lambda r: lstm_final(r, "lstm")[sorted(r(m)["distances"])[1]], digits=0),
        Claim("lab.lstm.lstm_long", "LSTM at the longest d (32) after 400 steps (chance 12.5%)", (m,),
              "% accuracy", lambda r: lstm_final(r, "lstm")[max(r(m)["distances"])], digits=0),
        Claim("lab.lstm.lstm_falls_with_d", "the LSTM's accuracy falls as d grows (margin: the smallest drop "
              "from one d to the next)", (m,), "points", lambda r: smallest_drop(lstm_final(r, "lstm")), check=True),
        Claim("lab.lstm.transformer_beats_lstm", "the transformer beats the LSTM at the longest d after 400 steps "
              "(margin)", (m,), "points",
              lambda r: lstm_final(r, "transformer")[max(r(m)["distances"])] - lstm_final(r, "lstm")[max(r(m)["distances"])],
              check=True),
        Claim("lab.lstm.seconds", "default run: seconds of training, both models, every d", (m,), "s",
              lambda r: r(m)["seconds"], digits=0),
    ]
    o = "lab.objectives"
    out += [
        Claim("lab.objectives.tokyo_p", "the masked LM fills `_ is the capital of japan .` with tokyo (58%)", (o,),
              "% probability", lambda r: r(o)["mlm_tokyo"], quoted=58, digits=0),
        Claim("lab.objectives.mlm_top", "the masked LM's top fill for `_ is the capital of japan .`", (o,), "word",
              lambda r: r(o)["mlm_top"], quoted="tokyo"),
        Claim("lab.objectives.mlm_tokyo_top", "the masked LM fills the blank with tokyo (its top word)", (o,),
              "true / false", lambda r: r(o)["mlm_top"] == "tokyo", check=True),
        Claim("lab.objectives.clm_continues", "the causal LM continues `the capital of japan is` with `tokyo .`",
              (o,), "true / false", lambda r: r(o)["clm_continue"].startswith("tokyo ."), check=True),
    ]
    return out


# ====================================================================== Vision transfer
VISION_SWEEP = (10, 25, 50)


def vision_race(seed: int, quick: bool) -> dict:
    tiny = ["--per-class", 2, "--test-per-class", 2, "--resolution", 32, "--evals", 1,
            *[a for s in ("from-scratch", "feature-extraction", "top-blocks", "full")
              for a in (f"--epochs-{s}", 1)]] if quick else ["--per-class", 40, "--resolution", 48]
    lines = cli("vision", "--device", "cpu", "--data", "mnist", "--seed", seed, *tiny)
    return {"acc": {line["strategy"]: line["test_acc"] for line in lines if "test_acc" in line}}


def vision_sweep(seed: int, quick: bool) -> dict:
    sizes = (2, 3, 4) if quick else VISION_SWEEP
    tiny = ["--test-per-class", 2, "--resolution", 32, "--evals", 1, "--epochs-from-scratch", 1,
            "--epochs-feature-extraction", 1] if quick else []
    lines = cli("vision", "--device", "cpu", "--data", "mnist", "--sweep", *sizes, "--seed", seed, *tiny)
    acc: dict = {}
    for line in lines:
        acc.setdefault(line["strategy"], {})[line["per_class"]] = line["test_acc"]
    # keyed by position in the README's sizes (a quick run measures smaller ones)
    return {"sizes": list(sizes), "acc": {s: [by[n] for n in sizes] for s, by in acc.items()}}


def vision_runs() -> list[Run]:
    cost = "about 45-65 s a race on 2 cores"
    return [
        Run("vision.race", "vision", "MNIST, 40 per class, 48 px, CPU defaults, the four strategies", vision_race,
            seeds=(0, 1, 2), max_seeds=3, cost=cost),
        Run("vision.sweep", "vision", "MNIST, 48 px, sweep 10 / 25 / 50 per class, feature extraction vs from "
            "scratch", vision_sweep, seeds=(0, 1, 2), max_seeds=3, cost=cost),
    ]


def vision_claims() -> list[Claim]:
    out = [Claim(f"vision.race.{s}", f"MNIST, 40 per class, 48 px: {label} {q:.2f}", ("vision.race",),
                 "test accuracy", lambda r, s=s: r("vision.race")["acc"][s], quoted=q, digits=2)
           for s, label, q in (("from_scratch", "from scratch", 0.83),
                               ("feature_extraction", "feature extraction", 0.88),
                               ("top_blocks", "top blocks", 0.91), ("full", "full fine-tuning", 0.87))]
    sw = "vision.sweep"
    for s, label, qs in (("feature_extraction", "feature extraction", (0.78, 0.83, 0.89)),
                         ("from_scratch", "from scratch", (0.50, 0.79, 0.87))):
        for i, (n, q) in enumerate(zip(VISION_SWEEP, qs)):
            out.append(Claim(f"vision.sweep.{s}@{n}", f"sweep: {label} at {n} images per class ({q:.2f})", (sw,),
                             "test accuracy", lambda r, s=s, i=i: at(r(sw)["acc"][s], i), quoted=q, digits=2))

    def gap(r, i: int) -> float:
        a = r(sw)["acc"]
        return 100 * (at(a["feature_extraction"], i) - at(a["from_scratch"], i))

    out += [
        Claim("vision.sweep.fe_beats_scratch@10", "feature extraction beats from scratch at 10 images per class "
              "(margin)", (sw,), "points", lambda r: gap(r, 0), check=True),
        Claim("vision.sweep.gap_largest@10", "the pretrained weights are worth most when data is scarce: the gap is "
              "largest at 10 per class (margin: gap at 10 - the larger of 25, 50)", (sw,), "points",
              lambda r: gap(r, 0) - max(gap(r, 1), gap(r, 2)), check=True),
    ]
    return out


# ====================================================================== Fine-tuning race
FT_STRATEGIES = ("feature_extraction", "freeze_bottom", "full", "lora")


def finetune_race(seed: int, quick: bool) -> dict:
    tiny = ["--limit", 32, "--test-limit", 16, "--max-length", 16] if quick else []
    lines = cli("finetune", "--data", "tweets", "--strategies", ",".join(FT_STRATEGIES), "--device", "cpu",
                "--seed", seed, *tiny)
    return {"acc": {line["strategy"]: 100 * line["test_acc"] for line in lines if "test_acc" in line},
            "n_test": lines[-1]["n_test"]}


def finetune_runs() -> list[Run]:
    return [Run("finetune.race", "finetune", "tweets, CPU default race (800 texts, 250 test, 32 tokens, 1 epoch)",
                finetune_race, seeds=(0, 1, 2), max_seeds=3, cost="about 2.5 min a race on 2 cores")]


def finetune_claims() -> list[Claim]:
    return [Claim(f"finetune.race.{s}", f"CPU default race: {s} test accuracy (no CPU figure quoted in the README)",
                  ("finetune.race",), "% test accuracy", lambda r, s=s: r("finetune.race")["acc"][s], digits=1)
            for s in FT_STRATEGIES]


# ====================================================================== GAN Lab
def gan_run(preset: str) -> Callable[[int, bool], dict]:
    def go(seed: int, quick: bool) -> dict:
        from playground.gan import trainer as gan

        cfg = gan.preset_config(preset, seed=seed, **({"steps": 30} if quick else {}))
        t = gan.GanTrainer(cfg)
        for _ in t.step(cfg.steps, report_every=cfg.steps):
            pass
        cov = t.visuals()[2]
        return {"steps": cfg.steps, "modes": cov.modes_covered, "n_modes": cov.n_modes,
                "hq": 100 * cov.high_quality}
    return go


def gan_presets() -> dict[str, dict]:
    """The GAN presets on ring8, read now (the presets change; their settings are never copied here)."""
    from playground.gan import trainer as gan

    return {name: p for name, p in gan.PRESETS.items() if p.get("data", gan.GanConfig.data) == "ring8"}


def gan_runs() -> list[Run]:
    seeds = tuple(range(10))
    return [Run(f"gan.{name}", "gan", "preset " + name + ": " + ", ".join(f"{k}={v}" for k, v in p.items()
                                                                     if k != "seed"),
                gan_run(name), seeds=seeds) for name, p in gan_presets().items()]


def gan_claims() -> list[Claim]:
    out = []
    for name in gan_presets():
        k = f"gan.{name}"
        out += [
            Claim(f"{k}.modes", f"preset {name}: modes covered (of 8) at the last step", (k,), "modes",
                  lambda r, k=k: r(k)["modes"], digits=0),
            Claim(f"{k}.high_quality", f"preset {name}: high-quality samples at the last step", (k,), "% of samples",
                  lambda r, k=k: r(k)["hq"], digits=0),
            Claim(f"{k}.reliable", f"preset {name}: 8/8 modes with >= 80% high-quality samples at the last step",
                  (k,), "true / false", lambda r, k=k: r(k)["modes"] == r(k)["n_modes"] and r(k)["hq"] >= 80,
                  check=True),
        ]
        if "collapse" in name:
            out.append(Claim(f"{k}.collapses", f"preset {name} shows mode collapse: fewer than 8 modes at the last "
                             "step", (k,), "true / false", lambda r, k=k: r(k)["modes"] < r(k)["n_modes"],
                             check=True))
    return out


# ====================================================================== VAE
def vae_default(seed: int, quick: bool) -> dict:
    epochs = 1 if quick else 30
    out = cli("vae", "--data", "mnist", "--latent", 2, "--epochs", epochs, "--beta", 1, "--device", "cpu",
              "--seed", seed)[-1]
    return {"elbo": out["test_elbo"]}


def vae_runs() -> list[Run]:
    return [Run("vae.default", "vae", "MNIST, latent 2, 30 epochs, beta 1 (the default)", vae_default)]


def vae_claims() -> list[Claim]:
    return [Claim("vae.default.test_elbo", "the default VAE trains 30 epochs (test ELBO -155.4 nats)",
                  ("vae.default",), "nats per image", lambda r: r("vae.default")["elbo"], quoted=-155.4, digits=1)]


# ====================================================================== the registry
def registry() -> tuple[dict[str, Run], list[Claim]]:
    runs = gvd_runs() + augment_runs() + lab_runs() + vision_runs() + finetune_runs() + vae_runs()
    claims = gvd_claims() + augment_claims() + lab_claims() + vision_claims() + finetune_claims() + vae_claims()
    try:
        runs, claims = runs + gan_runs(), claims + gan_claims()
    except Exception as e:  # noqa: BLE001 - the GAN module may be broken mid-edit; the rest still runs
        print(json.dumps({"warning": f"GAN presets not readable, GAN claims skipped: {e}"}), file=sys.stderr)
    by_key = {r.key: r for r in runs}
    ids = [c.id for c in claims]
    assert len(ids) == len(set(ids)), "claim ids must be unique"
    for c in claims:
        assert all(k in by_key for k in c.runs), c.id
    return by_key, claims


NOT_RERUN = [
    ("speed, latency, start-up and memory figures", "wall times, not seed figures (their own benchmarks/*.py)"),
    ("fine-tuning on an H100 (speed-ups, 0.8090 / 0.8087 ...)", "no GPU on this machine"),
    ("the shipped VAE's grid misses 2 and 4", "a property of one shipped file, not of a seed"),
    ("Transformer Lab parameter counts (28,169 vs 28,429)", "do not depend on the seed"),
]


# ====================================================================== measuring
def seeds_for(claim: Claim, runs: dict[str, Run], asked: tuple[int, ...] | None) -> tuple[int, ...]:
    chosen = [runs[k] for k in claim.runs]
    seeds = asked if asked is not None else chosen[0].seeds
    caps = [r.max_seeds for r in chosen if r.max_seeds]
    return tuple(seeds[:min(caps)]) if caps else tuple(seeds)


def jsonable(v: Any) -> Any:
    if isinstance(v, float):
        return None if not math.isfinite(v) else round(v, 4)
    return v


def measure(claims: list[Claim], runs: dict[str, Run], asked: tuple[int, ...] | None, quick: bool,
            stamp: dict) -> dict[str, dict]:
    """{claim id: {seed: entry}}, printing one JSON line per (claim, seed)."""
    results = Results(runs, quick)
    out: dict[str, dict] = {}
    for claim in claims:
        for seed in seeds_for(claim, runs, asked):
            entry: dict[str, Any] = {"commit": stamp["commit"], "date": stamp["date"]}
            try:
                v = jsonable(claim.value(lambda key, seed=seed: results.get(key, seed)))
                entry["value"] = v
                if claim.check:
                    entry["holds"] = claim.holds(v)
            except Exception as e:  # noqa: BLE001 - recorded, shown in the table
                entry["error"] = f"{type(e).__name__}: {e}"
            entry["run_seconds"] = {k: results.seconds(k, seed) for k in claim.runs}
            out.setdefault(claim.id, {})[str(seed)] = entry
            print(json.dumps({"claim": claim.id, "seed": seed, **entry}, ensure_ascii=False), flush=True)
    return out


# ====================================================================== the table
def fmt(v: Any, digits: int) -> str:
    if v is None:
        return "–"
    if isinstance(v, bool):
        return "✓" if v else "✗"
    if isinstance(v, (int, float)):
        text = f"{v:.{digits}f}"
        return text[1:] if text.startswith("-") and float(text) == 0 else text  # no "-0.0"
    return f"`{v}`"


def summarize(claim: Claim, seeds: dict[str, dict]) -> dict:
    """min / median / max (numbers), the per-seed values, holds on (checks), README in range (figures)."""
    order = sorted(seeds, key=int)
    values = [seeds[s].get("value") for s in order]
    errors = {s: seeds[s]["error"] for s in order if "error" in seeds[s]}
    nums = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    digits = claim.digits + (1 if claim.check else 0)
    row: dict[str, Any] = {"seeds": order, "errors": errors}
    if nums:
        row["min"], row["median"], row["max"] = min(nums), statistics.median(nums), max(nums)
    words = [v for v in values if isinstance(v, str)]
    if words:
        row["counts"] = {w: words.count(w) for w in dict.fromkeys(words)}
    if claim.check:
        held = [seeds[s].get("holds") for s in order if "error" not in seeds[s]]
        row["holds_on"] = f"{sum(1 for h in held if h)}/{len(held)}"
    if isinstance(claim.quoted, (int, float)) and nums:
        lo, hi = round(row["min"], claim.digits), round(row["max"], claim.digits)
        row["in_range"] = lo <= claim.quoted <= hi
        row["seed0_matches"] = (round(values[order.index("0")], claim.digits) == claim.quoted
                                if "0" in order and isinstance(values[order.index("0")], (int, float)) else None)
    elif isinstance(claim.quoted, str) and words:
        row["in_range"] = claim.quoted in words
    per = []
    for s, v in zip(order, values):
        if s in errors:
            per.append(f"{s}: error")
        elif claim.check and not isinstance(v, bool):
            per.append(f"{s}: {fmt(v, digits)} {'✓' if seeds[s].get('holds') else '✗'}")
        else:
            per.append(f"{s}: {fmt(v, digits)}")
    row["per_seed"] = per
    return row


def seed_span(seeds: list[str]) -> str:
    ints = sorted(int(s) for s in seeds)
    if ints and ints == list(range(ints[0], ints[-1] + 1)) and len(ints) > 2:
        return f"{ints[0]}-{ints[-1]}"
    return ", ".join(map(str, ints))


def markdown(claims: list[Claim], runs: dict[str, Run], data: dict, machine: dict, quick: bool) -> str:
    commits = sorted({e.get("commit") for c in data.values() for e in c.get("seeds", {}).values()} - {None})
    lines = [
        "# The README's single-seed figures, rerun over seeds",
        "",
        *(["**--quick run: tiny settings, the figures below mean nothing.**", ""] if quick else []),
        f"Made by `benchmarks/claims.py` (commit `{machine['commit']}`"
        f"{' + uncommitted changes' if machine['dirty'] else ''}, "
        f"{machine['date']}, {machine['cpus']} CPU cores, {machine['platform']}). Every value was computed by the "
        "project's own code with the settings the README names; *README* is the figure it quotes (usually seed 0); "
        "*in range* says whether that figure lies inside [min, max] over the seeds, at the README's rounding. "
        "A *check* is a qualitative statement: its value is a margin in its unit (positive where it holds) or "
        "✓ / ✗, and *holds on* counts the seeds where it held. Rows of one experiment share its runs; "
        "`python benchmarks/claims.py --only ID` reruns some and merges them into `claims.json`.",
        "",
        *([f"Figures from several commits ({', '.join(commits)}): `claims.json` names each seed's.", ""]
          if len(commits) > 1 else []),
        "| id | claim (README's words) | unit | README | seeds | min / median / max | per seed | in range "
        "| seed 0 = README | holds on |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for claim in claims:
        seeds = data.get(claim.id, {}).get("seeds", {})
        if not seeds:
            lines.append(f"| {claim.id} | {claim.text} | {claim.unit} | {fmt(claim.quoted, claim.digits)} | "
                         "– | not measured yet | | | | |")
            continue
        row = summarize(claim, seeds)
        digits = claim.digits + (1 if claim.check else 0)
        capped = [runs[k] for k in claim.runs if runs[k].max_seeds]
        span = seed_span(row["seeds"]) + (f" (cost: {capped[0].cost})" if capped else "")
        if "min" in row:
            mmm = " / ".join(fmt(row[k], digits) for k in ("min", "median", "max"))
        elif "counts" in row:
            mmm = ", ".join(f"`{w}` ×{n}" for w, n in row["counts"].items())
        else:
            mmm = "–"
        in_range = {True: "yes", False: "**no**", None: ""}[row.get("in_range")]
        seed0 = {True: "yes", False: "no", None: ""}[row.get("seed0_matches")]
        quoted = fmt(claim.quoted, claim.digits) if claim.quoted is not None else ""
        err = f" (errors: {'; '.join(f'seed {s}: {e}' for s, e in row['errors'].items())})" if row["errors"] else ""
        lines.append(f"| {claim.id} | {claim.text}{err} | {claim.unit} | {quoted} | {span} | {mmm} | "
                     f"{' · '.join(row['per_seed'])} | {in_range} | {seed0} | {row.get('holds_on', '')} |")
    lines += ["", "## Runs", "", "| run | experiment | settings (when measured) | seconds per run (median) | commit |",
              "|---|---|---|---|---|"]
    for key, run in runs.items():
        entries = [e for c in claims if key in c.runs for e in data.get(c.id, {}).get("seeds", {}).values()]
        secs = [sec for e in entries if (sec := (e.get("run_seconds") or {}).get(key)) is not None]
        median = f"{statistics.median(secs):.1f}" if secs else "–"
        # the settings stored with the figures (a preset may have changed since), else today's
        stored = [data[c.id]["settings"] for c in claims if c.runs[0] == key and data.get(c.id, {}).get("settings")]
        commits = ", ".join(sorted({e.get("commit") for e in entries} - {None}))
        lines.append(f"| {key} | {run.experiment} | {stored[0] if stored else run.settings} | {median} | {commits} |")
    lines += ["", "## Not rerun", ""] + [f"- {what}: {why}." for what, why in NOT_RERUN] + [""]
    return "\n".join(lines)


def text_table(claims: list[Claim], data: dict) -> str:
    rows = []
    for claim in claims:
        seeds = data.get(claim.id, {}).get("seeds", {})
        if not seeds:
            continue
        row = summarize(claim, seeds)
        digits = claim.digits + (1 if claim.check else 0)
        mmm = (" / ".join(fmt(row[k], digits) for k in ("min", "median", "max")) if "min" in row
               else ", ".join(f"{w} x{n}" for w, n in row.get("counts", {}).items()))
        flag = {True: "", False: "  <- README outside range", None: ""}[row.get("in_range")]
        rows.append(f"{claim.id:44} {str(claim.quoted if claim.quoted is not None else ''):>7}  {mmm:28} "
                    f"{row.get('holds_on', ''):>5}{flag}  [{' · '.join(row['per_seed'])}]")
    return "\n".join(rows)


# ====================================================================== main
def git(*args: str) -> str:
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return ""


def machine_info() -> dict:
    changed = [line[3:] for line in git("status", "--porcelain", "--untracked-files=no").splitlines() if line]
    return {"commit": git("rev-parse", "--short", "HEAD").strip() or "unknown", "dirty": bool(changed),
            "changed_files": changed, "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
            "cpus": os.cpu_count(), "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
            else os.cpu_count(),
            "platform": f"{platform.system()} {platform.machine()}, Python {platform.python_version()}",
            "python": sys.executable}


def select(claims: list[Claim], runs: dict[str, Run], only: list[str] | None) -> list[Claim]:
    if not only:
        return claims
    return [c for c in claims if any(w in c.id or any(w in k or w in runs[k].experiment for k in c.runs)
                                     for w in only)]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seeds", type=int, nargs="+", default=None,
                   help="seeds (default: 0-4; GAN presets 0-9; vision and fine-tuning 0-2, augment 0-1: an expensive "
                        "run keeps only the first of the seeds given)")
    p.add_argument("--only", nargs="+", default=None, metavar="ID",
                   help="only claims whose id, run or experiment contains one of these words")
    p.add_argument("--quick", action="store_true", help="tiny settings, seeds 0-1: checks the script, not the README")
    p.add_argument("--out", default=None, help="folder of claims.md / claims.json (default benchmarks/results; "
                                               "--quick: a temporary folder)")
    p.add_argument("--list", action="store_true", help="list the claims and exit")
    p.add_argument("--table", action="store_true", help="only rewrite claims.md from the claims.json in --out")
    args = p.parse_args(argv)

    runs, claims = registry()
    chosen = select(claims, runs, args.only)
    if args.list:
        for c in chosen:
            print(f"{c.id:44} {'check ' if c.check else 'figure'} {', '.join(c.runs):22} {c.text}")
        return 0
    if not chosen:
        p.error(f"no claim matches {args.only}")
    out_dir = Path(args.out) if args.out else (Path(tempfile.gettempdir()) / "claims-quick" if args.quick
                                                else ROOT / "benchmarks" / "results")
    out_dir.mkdir(parents=True, exist_ok=True)
    if args.table:
        data = json.loads((out_dir / "claims.json").read_text())
        (out_dir / "claims.md").write_text(markdown(claims, runs, data["claims"], data["machine"], data["quick"]))
        print(text_table(chosen, data["claims"]))
        return 0
    stamp = machine_info()
    asked = tuple(QUICK_SEEDS) if args.quick else (tuple(args.seeds) if args.seeds else None)

    t0 = time.perf_counter()
    measured = measure(chosen, runs, asked, args.quick, stamp)

    path = out_dir / "claims.json"
    data = json.loads(path.read_text()) if path.exists() else {}
    if data.get("quick") and not args.quick:
        data = {}  # never merge real figures into a quick run's file
    store = {cid: entry for cid, entry in data.get("claims", {}).items() if cid in {c.id for c in claims}}
    for claim in chosen:
        entry = store.setdefault(claim.id, {"seeds": {}})
        entry.update(text=claim.text, runs=list(claim.runs), experiment=runs[claim.runs[0]].experiment,
                     settings=runs[claim.runs[0]].settings, unit=claim.unit, kind="check" if claim.check else "figure",
                     quoted=claim.quoted)
        entry["seeds"].update(measured.get(claim.id, {}))
        entry["summary"] = {k: v for k, v in summarize(claim, entry["seeds"]).items() if k != "per_seed"}
    ordered = {c.id: store[c.id] for c in claims if c.id in store}
    history = data.get("history", []) + [{**stamp, "only": args.only, "claims": len(chosen),
                                          "seeds": list(asked) if asked else "defaults",
                                          "seconds": round(time.perf_counter() - t0, 1)}]
    data = {"about": "benchmarks/claims.py: the README's single-seed figures rerun over seeds", "quick": args.quick,
            "machine": stamp, "history": history[-20:], "claims": ordered}
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    (out_dir / "claims.md").write_text(markdown(claims, runs, ordered, stamp, args.quick))
    print()
    print(text_table(chosen, ordered))
    print(f"\nwrote {out_dir / 'claims.md'} and {path} ({time.perf_counter() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
