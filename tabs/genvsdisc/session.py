"""What one browser session of Generative vs Discriminative owns, and its three runs: the plane comparison
(``gvd``: config, run, where it is), the size sweep (its snapshots say everything) and the synthetic-data
experiment (``augment``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from playground import genvsdisc
from playground.data import drawn
from playground.genvsdisc import augment
from playground.genvsdisc.augment import AugmentConfig
from playground.genvsdisc.experiment import GvdConfig, GvdRun
from tabs.harness import canvas
from tabs.harness.i18n import error, t
from tabs.harness.live import LiveSession
from tabs.harness.widgets import read_config

# config field -> string key of its widget's label
GVD_LABELS = {"data": "gvd.data", "n_train": "gvd.n_train", "spread": "gvd.spread", "seed": "gvd.seed",
              "outliers": "gvd.outliers", "outlier_class": "gvd.outlier_class",
              "outlier_distance": "gvd.outlier_distance", "outlier_side": "gvd.outlier_side", "steps": "gvd.steps",
              "lr": "gvd.lr", "hidden": "gvd.hidden", "weight_decay": "gvd.weight_decay", "reg": "gvd.reg",
              "n_samples": "gvd.n_samples", "sweep_max": "gvd.sweep_max", "sweep_repeats": "gvd.sweep_repeats"}
AUGMENT_LABELS = {"data": "aug.data", "n_real": "aug.n_real", "synthetic": "aug.synthetic", "repeats": "aug.repeats",
                  "generator_data": "aug.generator_data", "gan_steps": "aug.gan_steps",
                  "vae_steps": "aug.vae_steps", "clf_steps": "aug.clf_steps", "seed": "aug.seed"}


# ---------------------------------------------------------------- plane comparison
@dataclass
class GvdSession(LiveSession):
    config: GvdConfig | None = None
    history: list = field(default_factory=list)  # (step, {model: loss})
    view: Any = None  # the latest PlaneView and the snapshot it came with
    view_snap: Any = None
    drawn: int = -1  # id of the view last drawn (a frame redraws the plane only when it changed)
    drawn_at: float = 0.0  # when (perf_counter) the plane was last drawn
    density_drawn: tuple = ()  # (run, lang) the density figure was drawn for: its models do not train
    lang_drawn: str = ""


def read_gvd(values: dict, lang: str) -> GvdConfig:
    """The comparison's (and the sweep's) config from the widgets; every message in the user's language. ``data``
    may be a drawing's code (``tabs.harness.canvas``): its colours are the classes, so it needs two at least."""
    values, extra = dict(values), {}
    if drawn.is_drawn(values.get("data")) or values.get("data") == canvas.DRAWN:
        canvas.check(values.get("data"), lang)
        extra["data"] = values.pop("data")
        if len(drawn.classes(extra["data"])) < 2:
            raise error("gvd.err.one_colour", lang)
    return read_config(GvdConfig, values, GVD_LABELS, lang, **extra)


def follow(session: GvdSession, config: GvdConfig, snapshots: Iterable) -> Iterator:
    """Keep what the figures read (the loss history, the latest plane view) as the snapshots pass, a live run's
    or a recording's."""
    session.config, session.history, session.view, session.view_snap, session.drawn = config, [], None, None, -1
    for item in snapshots:
        if item is not None:
            if item.loss:
                session.history.append((item.step, item.loss))
            if item.view is not None:
                session.view, session.view_snap = item.view, item
        yield item


def make_gvd_run(session: GvdSession, config: GvdConfig) -> Iterator:
    """A fresh comparison (built on the run's own thread) at the core's cadence (``GvdRun.step``'s defaults,
    which the recording shares)."""
    run = GvdRun(config)
    yield from follow(session, config, run.step(config.steps))


def gvd_where(session: GvdSession, snap, lang: str) -> str:
    steps = session.config.steps if session.config else snap.step
    return t("gvd.where", lang, step=f"{snap.step:,}", steps=f"{steps:,}", seconds=f"{snap.elapsed:.1f}")


# ---------------------------------------------------------------- size sweep
def make_sweep_run(session: LiveSession, config: GvdConfig) -> Iterator:
    return genvsdisc.sweep(config)


def sweep_where(session: LiveSession, snap, lang: str) -> str:
    return t("gvd.sweep.where", lang, done=snap.measured, total=snap.total, seconds=f"{snap.elapsed:.0f}")


# ---------------------------------------------------------------- synthetic data
@dataclass
class AugmentSession(LiveSession):
    config: AugmentConfig | None = None
    drawn_cells: int = -1  # cells in the figure and the verdict last drawn
    drawn_grid: int = -1  # id of the synthetic digits last drawn
    lang_drawn: str = ""


def read_augment(values: dict, lang: str) -> AugmentConfig:
    return read_config(AugmentConfig, values, AUGMENT_LABELS, lang)


def make_augment_run(session: AugmentSession, config: AugmentConfig) -> Iterator:
    session.config, session.drawn_cells, session.drawn_grid = config, -1, -1
    yield from augment.run(config)


def augment_where(session: AugmentSession, snap, lang: str) -> str:
    c = session.config
    common = dict(n=snap.n_real, repeat=snap.repeat + 1, repeats=c.repeats, done=len(snap.cells), total=snap.total,
                  seconds=f"{snap.elapsed:.0f}")
    if snap.stage in ("gan", "vae"):
        steps = c.gan_steps if snap.stage == "gan" else c.vae_steps
        return t(f"aug.where.{snap.stage}", lang, step=snap.step, steps=steps, **common)
    return t("aug.where.cells", lang, **common)
