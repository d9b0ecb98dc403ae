"""The Vision tab's work: what the pretrained CNN says about an image (plain request / response handlers on the
shared EfficientNet-Lite0), and what one browser session owns for its two live runs (``tabs.harness.live``): the
transfer race (``RaceSession``: each strategy's curves and results) and the training-set-size sweep
(``SweepSession``: its points); for each run, the config from the widgets, the run, and where it is."""

from __future__ import annotations

from typing import Iterator

import functools
import hashlib
from dataclasses import asdict, dataclass, field

import gradio as gr
import numpy as np

from playground.kit.runtime import pick_device
from playground.vision import explain, race
from playground.vision.config import VisionConfig, check_strategies
from playground.vision.net import IMAGE_SIZE, load_pretrained
from tabs.harness.common import user_errors
from tabs.harness.i18n import error, t
from tabs.harness.live import NO_CHANGE, LiveSession
from tabs.harness.runner import GPU_SLOT
from tabs.harness.widgets import read_config
from tabs.vision.figures import cam_overlay, maps_mosaic, strategy_name, top5_figure

# config field -> string key of its widget's label
LABELS = {f: f"vis.{f}" for f in VisionConfig.__dataclass_fields__}
N_MAPS = 16  # feature maps shown for a stage
SAMPLE_ANSWERS = 32  # sample photos' answers kept (photo, stage, language), about 0.5 MB each


# ---------------------------------------------------------------- what the CNN knows
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
    load = t("vis.loaded", lang, s=cnn.load_seconds, source=t(f"vis.source.{cnn.source}", lang))
    info = t("vis.info", lang, name=cam.name, p=cam.prob, idx=cam.target, stage=t(f"vis.stage.{stage}", lang), h=cam.grid[0], w=cam.grid[1],
             n=len(maps), size=IMAGE_SIZE, load=load)
    return top5_figure(preds, lang), cam_overlay(cam.image, cam.heatmap), maps_mosaic(maps), info


def pick_sample(name: str, stage: str, lang: str):
    if name not in explain.SAMPLES:  # None or a stranger's value from an API client
        raise error("vis.err.sample", lang, name=repr(name)[:40],
                    names=", ".join(t(f"vis.sample.{k}", lang) for k in explain.SAMPLES))
    return _sample_answer(name, stage, lang)


@functools.lru_cache(maxsize=SAMPLE_ANSWERS)
def _sample_answer(name: str, stage: str, lang: str) -> tuple:
    """A sample photo and what the CNN says about it, computed once for the whole class: a lecturer's "pick the cat"
    is thirty identical requests (the network is in eval mode: the same answer every time). Read-only; an unknown
    stage raises, and a raise is not kept."""
    photo = explain.sample_photo(name)
    return (photo, *analyse(photo, stage, lang))


def image_key(image) -> str:
    """What the editor holds, as the stale note names it: its size and a short hash of its pixels ("—": none).
    The same picture gives the same key however it came (a sample pick, or the editor sending it back)."""
    img = _image_of(image)
    if img is None:
        return "—"
    a = np.ascontiguousarray(img)
    return f"{a.shape[1]}×{a.shape[0]} #{hashlib.blake2b(a.tobytes(), digest_size=3).hexdigest()}"


def cleared():
    """The editor was cleared: the analysis goes too (and with it its provenance and note)."""
    return None, None, None, "", None, gr.update(value="", visible=False)


def reanalyse(image, stage: str, lang: str):
    """A new stage or language: redraw when there is an image, else leave everything as it is."""
    if _image_of(image) is None:
        return (NO_CHANGE,) * 4
    return analyse(image, stage, lang)


def _read(values: dict, lang: str, key: str) -> tuple[VisionConfig, tuple[str, ...]]:
    """The config and the strategies (the field ``key``) the widgets describe."""
    chosen = values.pop(key)
    if not chosen:
        raise error("vis.err.no_strategy", lang)
    cfg = read_config(VisionConfig, values, LABELS, lang)
    return cfg, check_strategies(chosen)


def slot(config):
    """Peak GPU memory is measured device-wide: a GPU run trains alone."""
    return GPU_SLOT if pick_device(config[0].device).type == "cuda" else None


# ---------------------------------------------------------------- the race
@dataclass
class RaceSession(LiveSession):
    history: dict = field(default_factory=dict)  # strategy -> [{epoch, loss, acc}]
    results: list = field(default_factory=list)  # StrategyResult.as_dict() per finished strategy
    strategies: tuple = ()


def read_race(values: dict, lang: str):
    return _read(dict(values), lang, "strategies")


def make_race(session: RaceSession, config):
    cfg, strategies = config
    return follow_race(session, strategies, race.race(cfg, strategies))


def follow_race(session: RaceSession, strategies, snapshots) -> Iterator:
    """A race's snapshots (live, or a recording's) into what the figures read: each strategy's curve, the results."""
    session.history, session.results, session.strategies = {s: [] for s in strategies}, [], tuple(strategies)
    for snap in snapshots:
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


# ---------------------------------------------------------------- the size sweep
@dataclass
class SweepSession(LiveSession):
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
    return follow_sweep(session, len(sizes) * len(strategies), race.size_sweep(cfg, sizes, strategies))


def follow_sweep(session: SweepSession, runs: int, items) -> Iterator:
    """A sweep's items (live, or a recording's) into what its figure reads: the points; the snapshots go on."""
    session.points, session.runs = [], runs
    for item in items:
        if isinstance(item, race.SweepPoint):
            session.points.append(asdict(item))
            continue
        yield item


def sweep_where(session: SweepSession, snap, lang: str) -> str:
    if snap.result is not None:
        return t("vis.sweep.where_done", lang, k=len(session.points), n=session.runs)
    return t("vis.sweep.where", lang, size=snap.per_class, name=strategy_name(snap.strategy, lang), step=snap.step,
             total=snap.total_steps)
