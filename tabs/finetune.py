"""Fine-tuning Lab: race feature extraction, layer freezing, full fine-tuning and PEFT side by side."""

from __future__ import annotations

import csv
import math
import tempfile
import time
from pathlib import Path

import gradio as gr
import pandas as pd
import plotly.graph_objects as go

from playground import finetune as core
from tabs.common import device_notice, lesson, user_errors
from tabs.i18n import error, t
from tabs.plots import base_layout

try:  # ZeroGPU Spaces: the decorated call gets a GPU; elsewhere spaces.GPU is a no-op
    import spaces

    gpu = spaces.GPU(duration=240)
except ImportError:  # pragma: no cover - depends on the install
    def gpu(fn):
        return fn

STRATEGY_CHOICES = [(f"ft.s.{s}", s) for s in core.STRATEGIES]
DATA_CHOICES = [("ft.data.tweets", "tweets"), ("ft.data.bbc", "bbc")]
SCHEDULE_CHOICES = [(f"ft.sch.{s}", s) for s in core.SCHEDULES]
OPTIMIZER_CHOICES = [("AdamW", "adamw"), ("Adam", "adam")]
XAXIS_CHOICES = [("ft.x.step", "step"), ("ft.x.time", "time")]
PALETTE = {"blue": "#2563eb", "green": "#16a34a", "lime": "#65a30d", "teal": "#0d9488", "red": "#dc2626",
           "purple": "#9333ea", "pink": "#db2777", "orange": "#ea580c", "amber": "#ca8a04", "slate": "#475569"}
COLOURS = {name: PALETTE[s.colour] for name, s in core.REGISTRY.items()}  # the registry's colour keys
CPU_MAX_LIMIT = 5_000  # beyond this a CPU race takes many minutes: the whole set is for a GPU
UPDATE_EVERY = 0.3  # seconds between streamed updates (evaluations and finishes are always shown)
COLUMNS = ["strategy", "trainable", "pct", "acc", "train_s", "sps", "mem", "state", "drift", "wall", "lr"]


def strategy_name(s: str, lang: str) -> str:
    return t(f"ft.s.{s}", lang)


# ---------------------------------------------------------------- figures and table
def curves_figure(history: dict, metric: str, xaxis: str, lang: str, chance: float | None = None) -> go.Figure:
    """Loss (every report) or test accuracy (evaluations) per strategy, on steps or seconds."""
    fig = go.Figure()
    for s, h in history.items():
        pts = [(p["step"] if xaxis == "step" else p["time"], p[metric]) for p in h if p.get(metric) is not None]
        if not pts:
            continue
        xs, ys = zip(*pts)
        fig.add_trace(go.Scatter(x=xs, y=ys, name=strategy_name(s, lang), line=dict(color=COLOURS[s], width=2),
                                 mode="lines+markers" if metric == "acc" else "lines",
                                 hovertemplate="%{x}: %{y:.4f}<extra>" + strategy_name(s, lang) + "</extra>"))
    if metric == "acc" and chance is not None:
        fig.add_hline(y=chance, line=dict(color="#71717a", dash="dot"), annotation_text=t("ft.fig.chance", lang),
                      annotation_position="bottom right")
    base_layout(fig, t("ft.fig.loss" if metric == "loss" else "ft.fig.acc", lang), 380)
    fig.update_layout(legend=dict(orientation="h", y=-0.28, yanchor="top"), margin=dict(b=110))
    fig.update_xaxes(title_text=t(f"ft.x.{xaxis}", lang))
    if metric == "acc":
        fig.update_yaxes(tickformat=".0%")
    return fig


def params_figure(results: list[dict], lang: str) -> go.Figure:
    """Trainable parameters (log x) against test accuracy; marker area grows with training time."""
    fig = go.Figure()
    longest = max([r["train_s"] for r in results] + [1e-9])
    for r in results:
        fig.add_trace(go.Scatter(
            x=[r["trainable"]], y=[r["test_acc"]], mode="markers", name=strategy_name(r["strategy"], lang),
            marker=dict(color=COLOURS[r["strategy"]], size=12 + 28 * math.sqrt(r["train_s"] / longest),
                        line=dict(color="white", width=1)),
            hovertemplate=f"%{{x:,}} ({r['pct']:.3g}%)<br>%{{y:.1%}}<br>{r['train_s']:.1f} s<extra></extra>"))
    base_layout(fig, t("ft.fig.params", lang), 380)
    fig.update_layout(legend=dict(orientation="v", x=1.02, y=1, yanchor="top"), margin=dict(r=10))
    fig.update_xaxes(type="log", title_text=t("ft.fig.trainable", lang))
    fig.update_yaxes(title_text=t("ft.col.acc", lang), tickformat=".0%")
    return fig


def results_table(results: list[dict], lang: str) -> pd.DataFrame:
    rows = [[strategy_name(r["strategy"], lang), f"{r['trainable']:,}", round(r["pct"], 3), round(r["test_acc"], 4),
             round(r["train_s"], 2), round(r["samples_per_s"], 1), round(r["peak_mem_mb"], 1),
             round(r["state_mem_mb"], 1), None if r["drift"] is None else round(r["drift"], 4),
             round(r["wall_s"], 2), r["lr"]] for r in results]
    return pd.DataFrame(rows, columns=[t(f"ft.col.{c}", lang) for c in COLUMNS])


def write_csv(results: list[dict]) -> str | None:
    """All measured fields, one row per strategy, in a fresh temporary file (per session)."""
    if not results:
        return None
    path = Path(tempfile.mkdtemp(prefix="ft-")) / "finetune_results.csv"
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(results[0]))
        w.writeheader()
        w.writerows(results)
    return str(path)


# ---------------------------------------------------------------- handlers
def _number(value, key: str, lang: str) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise error("ft.err.number", lang, name=t(key, lang)) from None
    if not math.isfinite(v):
        raise error("ft.err.number", lang, name=t(key, lang))
    return v


def _whole(value, key: str, lo: int, hi: int, lang: str) -> int:
    v = _number(value, key, lang)
    if v != int(v) or not lo <= v <= hi:
        raise error("ft.err.range", lang, name=t(key, lang), lo=lo, hi=hi)
    return int(v)


def make_config(data, strategies, epochs, limit, test_limit, batch_size, max_length, lr, optimizer, weight_decay,
                schedule, warmup, clip, seed, freeze_k, freeze_every, lora_r, lora_alpha, lora_dropout,
                lora_targets, prompt_tokens, lang) -> tuple[core.FinetuneConfig, tuple[str, ...]]:
    """Check the widgets (translated messages) and build the core config (which checks the rest)."""
    if not strategies:
        raise error("ft.err.no_strategy", lang)
    lr = _number(lr, "ft.lr", lang)
    if not 0 <= lr <= 1:
        raise error("ft.err.lr", lang)
    limit = int(_number(limit, "ft.limit", lang))
    if limit != 0 and not 8 <= limit <= 10_000_000:
        raise error("ft.err.limit", lang, max="10,000,000")
    test_limit = int(_number(test_limit, "ft.test_limit", lang))
    if test_limit != 0 and not 8 <= test_limit <= 10_000_000:
        raise error("ft.err.test_limit", lang)
    if "lora" in strategies and not lora_targets:
        raise error("ft.err.targets", lang)
    cfg = core.FinetuneConfig(
        data=data, limit=limit or None, test_limit=test_limit or None, epochs=_whole(epochs, "ft.epochs", 1, 100, lang),
        batch_size=_whole(batch_size, "ft.batch_size", 0, 4096, lang) or None,
        max_length=_whole(max_length, "ft.max_length", 0, 512, lang) or None, lr=lr or None, optimizer=optimizer,
        weight_decay=_number(weight_decay, "ft.weight_decay", lang), schedule=schedule,
        warmup=_number(warmup, "ft.warmup", lang), max_grad_norm=_number(clip, "ft.clip", lang),
        seed=_whole(seed, "ft.seed", 0, 2**31 - 1, lang), freeze_k=int(freeze_k), freeze_every=int(freeze_every),
        lora_r=int(lora_r), lora_alpha=int(lora_alpha), lora_dropout=float(lora_dropout),
        lora_targets=tuple(lora_targets or ("query", "value")), prompt_tokens=int(prompt_tokens))
    return cfg, core.check_strategies(strategies)


def _status(snap: core.Snapshot, n: int, lang: str) -> str:
    kw = dict(name=strategy_name(snap.strategy, lang), i=snap.index + 1, n=n)
    if snap.phase == "wait":
        return t("ft.status.wait", lang, s=snap.elapsed)
    if snap.phase == "setup":
        return t("ft.status.setup", lang, **kw)
    if snap.phase == "features":
        return t("ft.status.features", lang, s=snap.elapsed, **kw)
    acc = t("ft.status.acc", lang, acc=snap.test_acc) if snap.test_acc is not None else ""
    return t("ft.status.train", lang, step=snap.step, total=snap.total_steps, loss=snap.loss or 0.0, acc=acc, **kw)


@gpu
def _race_stream(cfg: core.FinetuneConfig, strategies: tuple[str, ...], xaxis: str, lang: str):
    """The race, turned into UI frames: (status, loss fig, acc fig, table, params fig, csv, state)."""
    started = time.perf_counter()
    resolved = cfg.resolved()
    if resolved.device == "cpu" and (resolved.limit or 0) > CPU_MAX_LIMIT:
        raise error("ft.err.cpu_limit", lang, max=f"{CPU_MAX_LIMIT:,}", minutes=15)
    history: dict[str, list] = {s: [] for s in strategies}
    results: list[dict] = []
    chance = core.majority_baseline(cfg)
    # measured inside the (ZeroGPU-decorated) call: on a Space this is where the GPU appears
    skip = gr.skip()
    yield (f"{device_notice(lang)}. {t('ft.status.prepare', lang)}", skip, skip, skip, skip, skip, skip)
    last = 0.0
    for snap in core.race(cfg, strategies):
        if snap is None:  # a heartbeat between reports
            continue
        h = history[snap.strategy]
        if snap.phase == "train":
            h.append(dict(step=snap.step, time=round(snap.elapsed, 3), loss=snap.loss, acc=snap.test_acc))
        if snap.result is not None:
            results.append(core.report(snap.result))
        important = snap.phase != "train" or snap.test_acc is not None
        now = time.perf_counter()
        if not important and now - last < UPDATE_EVERY:
            continue
        last = now
        state = {"history": history, "results": results, "chance": chance}
        curves = (curves_figure(history, "loss", xaxis, lang), curves_figure(history, "acc", xaxis, lang, chance))
        if snap.result is None:
            yield (_status(snap, len(strategies), lang), *curves, skip, skip, skip, state)
        else:  # a strategy finished: its row, its point on the chart and the CSV appear
            yield (_status(snap, len(strategies), lang), *curves, results_table(results, lang),
                   params_figure(results, lang), write_csv(results), state)
    best = max(results, key=lambda r: r["test_acc"])
    done = t("ft.status.done", lang, n=len(results), s=time.perf_counter() - started, device=results[0]["device"],
             best=strategy_name(best["strategy"], lang), acc=best["test_acc"])
    yield (done, curves_figure(history, "loss", xaxis, lang),
           curves_figure(history, "acc", xaxis, lang, chance), results_table(results, lang),
           params_figure(results, lang), write_csv(results), state)


@user_errors
def run_race(data, strategies, epochs, limit, test_limit, batch_size, max_length, lr, optimizer, weight_decay, schedule,
             warmup, clip, seed, freeze_k, freeze_every, lora_r, lora_alpha, lora_dropout, lora_targets,
             prompt_tokens, xaxis, lang):
    cfg, chosen = make_config(data, strategies, epochs, limit, test_limit, batch_size, max_length, lr, optimizer,
                              weight_decay, schedule, warmup, clip, seed, freeze_k, freeze_every, lora_r,
                              lora_alpha, lora_dropout, lora_targets, prompt_tokens, lang)
    yield from _race_stream(cfg, chosen, xaxis, lang)


def redraw(state: dict | None, xaxis: str, lang: str):
    """Re-plot the last race (another x axis or language) without training again."""
    if not state:
        return gr.skip(), gr.skip(), gr.skip(), gr.skip()
    h, r = state["history"], state["results"]
    return (curves_figure(h, "loss", xaxis, lang), curves_figure(h, "acc", xaxis, lang, state["chance"]),
            results_table(r, lang) if r else gr.skip(), params_figure(r, lang) if r else gr.skip())


# ---------------------------------------------------------------- layout
def build(tr, lang: gr.Radio) -> None:
    lesson(tr, "ft.lesson", open=False)
    notice = gr.Markdown(device_notice("en"), elem_id="ft-device")
    state = gr.State(None)
    with gr.Row():
        with gr.Column(scale=1, min_width=330):
            data = tr(gr.Radio, label="ft.data", choices=DATA_CHOICES, value="tweets", elem_id="ft-data")
            strategies = tr(gr.CheckboxGroup, label="ft.strategies", info="ft.strategies_info",
                            choices=STRATEGY_CHOICES, value=list(core.DEFAULT_RACE), elem_id="ft-strategies")
            epochs = tr(gr.Slider, label="ft.epochs", minimum=1, maximum=20, step=1, value=1, elem_id="ft-epochs")
            limit = tr(gr.Number, label="ft.limit", info="ft.limit_info", value=0, precision=0,
                       elem_id="ft-limit")
            test_limit = tr(gr.Number, label="ft.test_limit", value=0, precision=0, elem_id="ft-test-limit")
            with gr.Row():
                batch_size = tr(gr.Number, label="ft.batch_size", value=0, precision=0)
                max_length = tr(gr.Number, label="ft.max_length", value=0, precision=0)
            with tr(gr.Accordion, label="ft.optim", open=False):
                lr = tr(gr.Number, label="ft.lr", info="ft.lr_info", value=0, elem_id="ft-lr")
                optimizer = tr(gr.Radio, label="ft.optimizer", choices=OPTIMIZER_CHOICES, value="adamw")
                weight_decay = tr(gr.Slider, label="ft.weight_decay", minimum=0, maximum=0.3, step=0.005, value=0.01)
                schedule = tr(gr.Radio, label="ft.schedule", choices=SCHEDULE_CHOICES, value="linear")
                warmup = tr(gr.Slider, label="ft.warmup", minimum=0, maximum=0.5, step=0.01, value=0.1)
                clip = tr(gr.Slider, label="ft.clip", minimum=0, maximum=10, step=0.1, value=1.0)
                seed = tr(gr.Number, label="ft.seed", value=0, precision=0)
            with tr(gr.Accordion, label="ft.strategy_settings", open=False):
                freeze_k = tr(gr.Slider, label="ft.freeze_k", info="ft.freeze_k_info", minimum=0, maximum=6, step=1,
                              value=3)
                freeze_every = tr(gr.Slider, label="ft.freeze_every", minimum=1, maximum=6, step=1, value=2)
                with gr.Row():
                    lora_r = tr(gr.Slider, label="ft.lora_r", minimum=1, maximum=64, step=1, value=8)
                    lora_alpha = tr(gr.Slider, label="ft.lora_alpha", minimum=1, maximum=128, step=1, value=16)
                lora_dropout = tr(gr.Slider, label="ft.lora_dropout", minimum=0, maximum=0.5, step=0.05, value=0.1)
                lora_targets = tr(gr.CheckboxGroup, label="ft.lora_targets", choices=list(core.LORA_TARGETS),
                                  value=["query", "value"])
                prompt_tokens = tr(gr.Slider, label="ft.prompt_tokens", minimum=1, maximum=32, step=1, value=8)
        with gr.Column(scale=2):
            with gr.Row():
                start = tr(gr.Button, value="ft.start", variant="primary", elem_id="ft-start")
                stop = tr(gr.Button, value="app.stop", variant="stop", elem_id="ft-stop")
                xaxis = tr(gr.Radio, label="ft.xaxis", choices=XAXIS_CHOICES, value="step", elem_id="ft-xaxis")
            status = tr(gr.Markdown, value="ft.status.idle", elem_id="ft-status")
            with gr.Row():
                loss_plot = gr.Plot(show_label=False, elem_id="ft-loss")
                acc_plot = gr.Plot(show_label=False, elem_id="ft-acc")
            params_plot = gr.Plot(show_label=False, elem_id="ft-params")
    table = tr(gr.Dataframe, label="ft.results", interactive=False, wrap=True, elem_id="ft-table")
    with gr.Row():
        tr(gr.Markdown, value="ft.mem_note", elem_classes=["small-note"])
        csv_file = tr(gr.File, label="ft.csv", interactive=False, elem_id="ft-csv", scale=0, min_width=280)

    inputs = [data, strategies, epochs, limit, test_limit, batch_size, max_length, lr, optimizer, weight_decay, schedule,
              warmup, clip, seed, freeze_k, freeze_every, lora_r, lora_alpha, lora_dropout, lora_targets,
              prompt_tokens, xaxis, lang]
    outputs = [status, loss_plot, acc_plot, table, params_plot, csv_file, state]
    # each race keeps the CPU busy: two at once share it, more would only slow every one down
    event = start.click(run_race, inputs, outputs, api_name="ft_race", concurrency_id="ft_race",
                        concurrency_limit=2)
    stop.click(None, None, None, cancels=[event], api_name="ft_stop", queue=False)
    xaxis.change(redraw, [state, xaxis, lang], [loss_plot, acc_plot, table, params_plot], api_name="ft_redraw",
                 queue=False)
    lang.change(redraw, [state, xaxis, lang], [loss_plot, acc_plot, table, params_plot], api_visibility="private",
                queue=False)
    lang.change(device_notice, lang, notice, api_visibility="private", queue=False)
