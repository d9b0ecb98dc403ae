"""Vision: what a pretrained CNN knows (top-5, feature maps, Grad-CAM) and a transfer race on small image sets.

Part 1 is plain request/response handlers on the shared pretrained EfficientNet-Lite0. Parts 2 (the race) and 3
(the training-set-size sweep) are built on the live-run harness (``tabs/live.py``): each has a per-session
dataclass (``RaceSession``, ``SweepSession``) that records what its figures need, a ``make_run`` wrapping the
core generator, a ``render`` and a ``where``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import gradio as gr
import numpy as np

from playground.kit.runtime import pick_device
from playground.vision import explain, race
from playground.vision.config import DEFAULT_RACE, STRATEGIES, SWEEP_PAIR, VisionConfig, check_strategies
from playground.vision.data import transfer_sets
from playground.vision.net import IMAGE_SIZE, STAGES, load_pretrained
from playground.vision.training import SCHEDULES
from tabs import live, urlstate
from tabs.common import device_notice, lesson, on_language, user_errors
from tabs.i18n import error, t
from tabs.vision_figures import (cam_overlay, curves_figure, maps_mosaic, results_table, strategy_name, sweep_figure,
                                 top5_figure)
from tabs.widgets import knob_widget, read_config

SAMPLE_CHOICES = [(f"vis.sample.{n}", n) for n in explain.SAMPLES]
STAGE_CHOICES = [name for name, _ in STAGES]
STRATEGY_CHOICES = [(f"vis.s.{s}", s) for s in STRATEGIES]
SIZE_CHOICES = [5, 10, 25, 50, 100, 200, 400]
N_MAPS = 16
LABELS = {f: f"vis.{f}" for f in VisionConfig.__dataclass_fields__}


# ---------------------------------------------------------------- 1. what the CNN knows
def _image_of(value) -> np.ndarray | None:
    """The picture in an ImageEditor value (its composite: background plus what was drawn)."""
    if isinstance(value, dict):
        value = value.get("composite") if value.get("composite") is not None else value.get("background")
    if value is None or np.asarray(value).size == 0:
        return None
    return np.asarray(value)


@user_errors
def analyse(image, stage: str, lang: str):
    """(top-5 figure, Grad-CAM overlay, feature-map mosaic, explanation) for an image."""
    img = _image_of(image)
    if img is None:
        raise error("vis.err.no_image", lang)
    preds = explain.predict(img)
    cam = explain.grad_cam(img, stage)
    maps, _ = explain.feature_maps(img, stage, N_MAPS)
    cnn = load_pretrained()
    load = t("vis.loaded", lang, s=cnn.load_seconds, source=cnn.source)
    info = t("vis.info", lang, name=cam.name, p=cam.prob, idx=cam.target, stage=stage, h=cam.grid[0], w=cam.grid[1],
             n=len(maps), size=IMAGE_SIZE, load=load)
    return top5_figure(preds, lang), cam_overlay(cam.image, cam.heatmap), maps_mosaic(maps), info


def pick_sample(name: str, stage: str, lang: str):
    photo = explain.sample_photo(name)
    return (photo, *analyse(photo, stage, lang))


def reanalyse(image, stage: str, lang: str):
    """A new stage or language: redraw when there is an image, else leave everything as it is."""
    if _image_of(image) is None:
        return (live.NO_CHANGE,) * 4
    return analyse(image, stage, lang)


# ---------------------------------------------------------------- 2. the race
@dataclass
class RaceSession(live.LiveSession):
    history: dict = field(default_factory=dict)  # strategy -> [{epoch, loss, acc}]
    results: list = field(default_factory=list)  # StrategyResult.as_dict() per finished strategy
    strategies: tuple = ()


def _read(values: dict, lang: str, key: str) -> tuple[VisionConfig, tuple[str, ...]]:
    chosen = values.pop(key)
    if not chosen:
        raise error("vis.err.no_strategy", lang)
    cfg = read_config(VisionConfig, values, LABELS, lang)
    return cfg, check_strategies(chosen)


def read_race(values: dict, lang: str):
    return _read(dict(values), lang, "strategies")


def make_race(session: RaceSession, config):
    cfg, strategies = config
    session.history, session.results, session.strategies = {s: [] for s in strategies}, [], strategies
    for snap in race.race(cfg, strategies):
        if snap is not None and snap.phase == "train":
            session.history[snap.strategy].append({"epoch": snap.epoch, "loss": snap.loss, "acc": snap.acc})
        if snap is not None and snap.result is not None:
            session.results.append(snap.result.as_dict())
        yield snap


def race_where(session: RaceSession, snap, lang: str) -> str:
    kw = dict(name=strategy_name(snap.strategy, lang), i=snap.index + 1, n=len(session.strategies))
    if snap.result is not None:
        best = max(session.results, key=lambda r: r["test_acc"])
        return t("vis.where.done", lang, k=len(session.results), n=len(session.strategies),
                 best=strategy_name(best["strategy"], lang), acc=best["test_acc"])
    if snap.phase in ("setup", "features"):
        return t(f"vis.where.{snap.phase}", lang, **kw)
    acc = t("vis.where.acc", lang, acc=snap.acc) if snap.acc is not None else ""
    return t("vis.where", lang, step=snap.step, total=snap.total_steps, acc=acc, **kw)


# ---------------------------------------------------------------- 3. the size sweep
@dataclass
class SweepSession(live.LiveSession):
    points: list = field(default_factory=list)  # SweepPoint as dicts
    runs: int = 0


def read_sweep(values: dict, lang: str):
    values = dict(values)
    sizes = values.pop("sizes")
    if not sizes:
        raise error("vis.err.no_size", lang)
    cfg, strategies = _read(values, lang, "sweep_strategies")
    return cfg, tuple(int(s) for s in sizes), strategies


def make_sweep(session: SweepSession, config):
    cfg, sizes, strategies = config
    session.points, session.runs = [], len(sizes) * len(strategies)
    for item in race.size_sweep(cfg, sizes, strategies):
        if isinstance(item, race.SweepPoint):
            session.points.append(asdict(item))
            continue
        yield item


def sweep_where(session: SweepSession, snap, lang: str) -> str:
    if snap.result is not None:
        return t("vis.sweep.where_done", lang, k=len(session.points), n=session.runs)
    return t("vis.sweep.where", lang, size=snap.per_class, name=strategy_name(snap.strategy, lang), step=snap.step,
             total=snap.total_steps)


def _slot(config):
    """Peak GPU memory is measured device-wide: a GPU run trains alone."""
    return live.GPU_SLOT if pick_device(config[0].device).type == "cuda" else None


# ---------------------------------------------------------------- layout
def _config_widgets(tr) -> dict:
    w = {}
    data_choices = [(f"vis.data.{d}", d) for d in transfer_sets()]
    w["data"] = tr(gr.Radio, label="vis.data", choices=data_choices, value="mnist", elem_id="vis-data")
    w["strategies"] = tr(gr.CheckboxGroup, label="vis.strategies", choices=STRATEGY_CHOICES, value=list(DEFAULT_RACE),
                         elem_id="vis-strategies")
    with gr.Row():
        w["per_class"] = knob_widget(tr, VisionConfig, "per_class", "vis.per_class", elem_id="vis-per-class")
        w["resolution"] = knob_widget(tr, VisionConfig, "resolution", "vis.resolution", elem_id="vis-resolution")
    w["augment"] = tr(gr.Checkbox, label="vis.augment", value=False, elem_id="vis-augment")
    with tr(gr.Accordion, label="vis.settings", open=False):
        with gr.Row():
            w["test_per_class"] = knob_widget(tr, VisionConfig, "test_per_class", "vis.test_per_class")
            w["batch_size"] = knob_widget(tr, VisionConfig, "batch_size", "vis.batch_size")
        with gr.Row():
            w["top_blocks"] = knob_widget(tr, VisionConfig, "top_blocks", "vis.top_blocks")
            w["seed"] = knob_widget(tr, VisionConfig, "seed", "vis.seed", elem_id="vis-seed")
        with gr.Row():
            w["weight_decay"] = knob_widget(tr, VisionConfig, "weight_decay", "vis.weight_decay")
            w["warmup"] = knob_widget(tr, VisionConfig, "warmup", "vis.warmup")
        w["schedule"] = tr(gr.Radio, label="vis.schedule", choices=list(SCHEDULES), value="cosine")
        w["evals"] = knob_widget(tr, VisionConfig, "evals", "vis.evals")
    with tr(gr.Accordion, label="vis.per_strategy", open=False):
        for s, spec in STRATEGIES.items():
            with gr.Row():
                w[f"lr_{s}"] = knob_widget(tr, VisionConfig, f"lr_{s}", f"vis.lr_{s}", value=spec.lr,
                                           elem_id=f"vis-lr-{s}")
                w[f"epochs_{s}"] = knob_widget(tr, VisionConfig, f"epochs_{s}", f"vis.epochs_{s}", value=spec.epochs,
                                               elem_id=f"vis-epochs-{s}")
    return w


def _controls(tr, prefix: str):
    with gr.Row():
        start = tr(gr.Button, value="live.start", variant="primary", elem_id=f"{prefix}-start")
        pause = tr(gr.Button, value="live.pause_resume", elem_id=f"{prefix}-pause")
        step = tr(gr.Button, value="live.step", elem_id=f"{prefix}-step")
        stop = tr(gr.Button, value="live.stop", variant="stop", elem_id=f"{prefix}-stop")
    status = tr(gr.Markdown, value="live.idle", elem_id=f"{prefix}-status")
    return dict(start=start, pause=pause, step=step, stop=stop, status=status)


def build(tr, lang: gr.Radio) -> None:
    lesson(tr, "vis.lesson", open=False)
    notice = gr.Markdown(device_notice("en"), elem_id="vis-device")

    # 1. what it knows
    tr(gr.Markdown, value="vis.know.title")
    with gr.Row():
        with gr.Column(scale=1, min_width=320):
            image = tr(gr.ImageEditor, label="vis.image", type="numpy", sources=["upload", "clipboard"],
                       brush=gr.Brush(colors=["#000000", "#ffffff", "#dc2626"], default_size=14),
                       canvas_size=(448, 448), height=380, elem_id="vis-image")
            sample = tr(gr.Radio, label="vis.sample", choices=SAMPLE_CHOICES, value=None, elem_id="vis-sample")
            stage = tr(gr.Dropdown, label="vis.stage", info="vis.stage_info", choices=STAGE_CHOICES, value="head",
                       elem_id="vis-stage")
            go_btn = tr(gr.Button, value="vis.analyse", variant="primary", elem_id="vis-analyse")
        with gr.Column(scale=2):
            top5 = gr.Plot(show_label=False, elem_id="vis-top5")
            with gr.Row():
                cam = tr(gr.Image, label="vis.cam", interactive=False, height=300, elem_id="vis-cam")
                maps = tr(gr.Image, label="vis.maps", interactive=False, height=300, elem_id="vis-maps")
            info = gr.Markdown(elem_id="vis-info")
    know_out = [top5, cam, maps, info]
    go_btn.click(analyse, [image, stage, lang], know_out, api_name="vis_analyse")
    sample.input(pick_sample, [sample, stage, lang], [image, *know_out], api_name="vis_sample")
    stage.input(reanalyse, [image, stage, lang], know_out, api_visibility="private")

    # 2. the race
    tr(gr.Markdown, value="vis.race.title")
    tr(gr.Markdown, value="vis.race.note", elem_classes=["small-note"])
    with gr.Row():
        with gr.Column(scale=1, min_width=330):
            widgets = _config_widgets(tr)
        with gr.Column(scale=2):
            rc = _controls(tr, "vis-race")
            with gr.Row():
                loss_plot = gr.Plot(show_label=False, elem_id="vis-loss")
                acc_plot = gr.Plot(show_label=False, elem_id="vis-acc")
    table = tr(gr.Dataframe, value=results_table([], "en"), label="vis.results", interactive=False, wrap=True,
               elem_id="vis-table")  # the headers alone before a run (not Gradio's placeholder "1 2 3")
    tr(gr.Markdown, value="vis.mem_note", elem_classes=["small-note"])

    def race_render(session: RaceSession, snap, lang: str) -> dict:
        out = {loss_plot: curves_figure(session.history, "loss", lang),
               acc_plot: curves_figure(session.history, "acc", lang)}
        out[table] = results_table(session.results, lang)  # a new race empties the last one's table
        return out

    race_live = live.Live("vision_race", RaceSession, make_run=make_race, render=race_render, where=race_where,
                          config=read_race, slot=_slot)
    race_live.wire(lang, inputs=widgets, outputs=[loss_plot, acc_plot, table], status=rc["status"],
                   start=rc["start"], pause=rc["pause"], step=rc["step"], stop=rc["stop"])

    # 3. the sweep
    tr(gr.Markdown, value="vis.sweep.title")
    tr(gr.Markdown, value="vis.sweep.note", elem_classes=["small-note"])
    with gr.Row():
        with gr.Column(scale=1, min_width=330):
            sizes = tr(gr.CheckboxGroup, label="vis.sizes", choices=SIZE_CHOICES, value=[10, 25, 50],
                       elem_id="vis-sizes")
            pair = tr(gr.CheckboxGroup, label="vis.sweep_strategies", choices=STRATEGY_CHOICES, value=list(SWEEP_PAIR),
                      elem_id="vis-sweep-strategies")
            sc = _controls(tr, "vis-sweep")
        with gr.Column(scale=2):
            sweep_plot = gr.Plot(show_label=False, elem_id="vis-sweep")

    def sweep_render(session: SweepSession, snap, lang: str) -> dict:
        return {sweep_plot: sweep_figure(session.points, lang) if session.points else live.NO_CHANGE}

    sweep_live = live.Live("vision_sweep", SweepSession, make_run=make_sweep, render=sweep_render, where=sweep_where,
                           config=read_sweep, slot=_slot)
    sweep_inputs = {**{k: v for k, v in widgets.items() if k != "strategies"}, "sizes": sizes, "sweep_strategies": pair}
    sweep_live.wire(lang, inputs=sweep_inputs, outputs=[sweep_plot], status=sc["status"], start=sc["start"],
                    pause=sc["pause"], step=sc["step"], stop=sc["stop"])

    for name, widget in dict(stage=stage, **widgets, sizes=sizes, sweep_strategies=pair).items():
        urlstate.share("vision", name, widget)
    urlstate.link_button(tr, "vision")

    # a language switch redraws every figure from the sessions' records, without training again
    def relabel(data: dict) -> dict:
        race = data[race_live.state]
        return {table: results_table(race.results, data[lang]), **race_live.frame(race, data[lang]),
                **sweep_live.frame(data[sweep_live.state], data[lang])}

    on_language(lang, relabel, {race_live.state, sweep_live.state, lang},
                [rc["status"], loss_plot, acc_plot, table, sc["status"], sweep_plot])
    on_language(lang, device_notice, [lang], [notice])
    lang.change(reanalyse, [image, stage, lang], know_out, api_visibility="private")  # runs the CNN: queued apart
