"""What a browser session of the VAE Explorer holds, and its three live runs (through ``tabs.harness.live``):

- ``vae``: train a fresh VAE (Start / Pause-Resume / Step / Stop), the curves and the latent grid live;
- ``vae_ae``: train the plain autoencoder beside it (same network and settings, no KL);
- ``vae_anomaly``: score normal and anomalous images (training a second model when a class is held out).

The shipped checkpoint is read once (at build time); every session starts from a copy of it.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass, field
from typing import Any, Iterator

import gradio as gr
import numpy as np

from playground import vae as core
from playground.data.images import available_image_sets
from playground.kit import knobs
from playground.kit.pretrained import loaded_once
from playground.kit.runtime import pick_device
from tabs.harness import film
from tabs.harness.common import device_notice
from tabs.harness.i18n import error, t
from tabs.harness.live import LiveSession
from tabs.harness.widgets import read_config
from tabs.harness.runner import Phase
from tabs.vae import figures as fig
from tabs.vae import slides

# string keys of the widgets' labels, for the translated messages
LABELS = {"data": "vae.data", "arch": "vae.arch", "latent": "vae.latent", "hidden": "vae.hidden",
          "beta": "vae.beta", "epochs": "vae.epochs", "lr": "vae.lr", "batch_size": "vae.batch", "seed": "app.seed",
          "n": "vae.grid_n", "lo": "vae.lo", "hi": "vae.hi", "mode": "vae.mode", "dim_x": "vae.dim_x",
          "dim_y": "vae.dim_y", "holdout": "vae.holdout"}
GRID_FIELDS = {"grid_n": "n", "grid_lo": "lo", "grid_hi": "hi", "grid_mode": "mode", "dim_x": "dim_x",
               "dim_y": "dim_y"}
REPORT_EVERY = 5  # updates per snapshot: one "Step" of the UI
REDRAW_EVERY = 1.5  # seconds between two redraws of the curves and the grid while training
FILM_FRAMES = 60  # the film of the grid for slides: a grid is large, so half the frames of other films (~7 MB)


# ---------------------------------------------------------------- shared, read-only
@loaded_once(maxsize=1)
def shipped() -> dict:
    """The shipped checkpoint (made by ``python -m playground vae --ae --save ...``)."""
    cfg, models, extra = core.load_checkpoint(core.ASSET)
    return {"cfg": cfg, "vae": models["vae"], "ae": models.get("ae"), "history": extra.get("history", [])}


@loaded_once(maxsize=8)
def split_of(data: str, seed: int, test_fraction: float, holdout: int) -> core.Split:
    return core.load_split(core.VaeConfig(data=data, seed=seed, test_fraction=test_fraction, holdout=holdout))


def _copy_of(name: str):
    return lambda: copy.deepcopy(shipped()[name])


@dataclass
class VaeSession(LiveSession):
    """The models on screen and what their figures need. Starts as the shipped model."""

    cfg: core.VaeConfig = field(default_factory=_copy_of("cfg"))
    vae: core.VAE = field(default_factory=_copy_of("vae"))
    ae: core.VAE | None = field(default_factory=_copy_of("ae"))
    history: list = field(default_factory=_copy_of("history"))
    pretrained: bool = True
    view: fig.GridView | None = None  # the latent grid on screen (a click maps through it)
    view_epoch: int = -1
    curves_drawn: tuple = ()          # (epochs in the curves on screen, language): redraw only when it changes
    redrawn: float = 0.0              # perf_counter of the last redraw of the curves or the grid
    film: film.Film = field(default_factory=lambda: film.Film(cap=FILM_FRAMES))  # the grid as it trains, for slides

    @property
    def split(self) -> core.Split:
        return split_of(self.cfg.data, self.cfg.seed, self.cfg.test_fraction, -1)

    @property
    def test(self):
        """The test images of the session's model."""
        return self.split.test

    def reset(self) -> None:
        """Back to the shipped model."""
        self.end_run()
        fresh = VaeSession()
        for name in ("cfg", "vae", "ae", "history", "pretrained", "view", "view_epoch",
                     "curves_drawn"):
            setattr(self, name, getattr(fresh, name))


def status_pretrained(session: VaeSession, lang: str) -> str:
    h = session.history[-1] if session.history else {}
    return t("vae.status.pretrained", lang, elbo=h.get("test_elbo", float("nan")), epochs=session.cfg.epochs)


def grid_spec(values: dict, lang: str) -> core.GridSpec:
    """The grid widgets' values, checked (translated messages)."""
    values = {GRID_FIELDS[k]: v for k, v in values.items() if k in GRID_FIELDS}
    limits = knobs.limits(core.GridSpec)
    try:
        lo, hi = (knobs.coerce(k, limits[k], values.get(k, 0)) for k in ("lo", "hi"))
    except knobs.KnobError:
        lo, hi = 0, 1  # read_config names the bad value
    if not lo < hi:
        raise error("vae.err.range", lang)
    return read_config(core.GridSpec, values, LABELS, lang)


def draw_grid(session: VaeSession, spec: core.GridSpec, lang: str) -> np.ndarray:
    """Draw the session's grid and remember it as the one on screen."""
    try:
        spec = spec.for_latent(session.vae.latent)
    except ValueError:
        raise error("vae.err.dims", lang, hi=session.vae.latent - 1) from None
    picture, session.view = fig.draw_grid(session.vae, spec, session.test.x)
    return picture


# ---------------------------------------------------------------- live run 1: train a VAE
@dataclass(frozen=True)
class Plan:
    cfg: core.VaeConfig
    spec: core.GridSpec


def train_config(values: dict, lang: str) -> Plan:
    values = dict(values)
    spec = grid_spec(values, lang)
    data = values.get("data")
    if data not in available_image_sets():
        raise error("vae.err.data", lang, name=str(data)[:40])
    cfg = read_config(core.VaeConfig, {k: v for k, v in values.items() if k not in GRID_FIELDS}, LABELS, lang)
    try:
        spec = spec.for_latent(cfg.latent)
    except ValueError:
        raise error("vae.err.dims", lang, hi=cfg.latent - 1) from None
    return Plan(cfg, spec)


def train_run(session: VaeSession, plan: Plan) -> Iterator[core.Snapshot | None]:
    """Build a fresh model (it becomes the session's model at once) and train it."""
    cfg = plan.cfg
    split = split_of(cfg.data, cfg.seed, cfg.test_fraction, -1)
    model = core.build_model(cfg, split.train.shape, pick_device(cfg.device))
    session.cfg, session.vae, session.ae, session.history = cfg, model, None, []
    session.pretrained, session.view, session.view_epoch, session.curves_drawn = False, None, -1, ()
    spec = plan.spec
    for snap in core.train(model, cfg, split, report_every=REPORT_EVERY):
        if snap is not None and snap.epoch_end:
            session.history.append({"epoch": snap.epoch, "recon": snap.recon, "kl": snap.kl,
                                    "test_recon": snap.test_recon, "test_kl": snap.test_kl,
                                    "test_elbo": snap.test_elbo})
        if session.view is None:
            session.view = fig.GridView(spec, None, 0, 1, spec.lo, spec.hi)  # drawn at the first frame
        yield snap


def make_run(session: VaeSession, plan: Plan) -> Iterator[core.Snapshot | None]:
    """``train_run``, with the grid recorded into the session's film for slides as it trains."""
    return film.filmed(train_run(session, plan), session.film, slides.capture(session))


def train_render(curves, grid):
    """Frames of a training run. Drawing holds the run (the harness draws between two updates), so the curves and
    the grid are redrawn only when an epoch has ended and at most every ``REDRAW_EVERY`` seconds; the panels are
    brought up to date when the run pauses or ends (``tabs.vae.layout.VaeTab.refresh``)."""
    def render(session: VaeSession, snap: core.Snapshot, lang: str) -> dict:
        out = {}
        # a paused or ended run's frame (done, stopped, failed) is never skipped: API clients get no `.then` refresh
        run = session.run
        last = snap.done or (run is not None and (run.phase.finished or run.phase == Phase.PAUSED))
        now = time.perf_counter()
        if now - session.redrawn < REDRAW_EVERY and not last and session.view_epoch >= 0:
            return out
        if session.history and session.curves_drawn != (len(session.history), lang):  # a new epoch ended
            out[curves] = fig.LaterFigure(fig.curves_figure, list(session.history), lang)
            session.curves_drawn = (len(session.history), lang)
        if session.view is not None and (session.view.z is None or snap.epoch != session.view_epoch or last):
            picture, session.view = fig.draw_grid(session.vae, session.view.spec, session.test.x)
            session.view_epoch = snap.epoch
            out[grid] = picture
        if out:
            session.redrawn = time.perf_counter()
        return out
    return render


def train_where(session: VaeSession, snap: core.Snapshot, lang: str) -> str:
    text = t("vae.where", lang, epoch=snap.epoch, epochs=snap.epochs, step=snap.step, recon=snap.recon, kl=snap.kl,
             elbo=snap.elbo, s=snap.elapsed)
    if snap.done and snap.test_elbo is not None:
        text += t("vae.where_test", lang, elbo=snap.test_elbo, recon=snap.test_recon, kl=snap.test_kl)
        text += "  \n" + device_notice(lang)
    return text


# ---------------------------------------------------------------- live run 2: the plain autoencoder
@dataclass
class AeSession(LiveSession):
    base: Any = field(default=None, repr=False)  # set by the run: the VaeSession it trains for


@dataclass(frozen=True)
class AePlan:
    base: Any  # the VaeSession whose settings the autoencoder copies (and which receives it)
    cfg: core.VaeConfig


def ae_config(values: dict, lang: str) -> AePlan:
    base = values["vae_session"]
    return AePlan(base, base.cfg.replace(kind="ae"))


def ae_run(session: AeSession, plan: AePlan) -> Iterator[core.Snapshot | None]:
    cfg = plan.cfg
    session.base = plan.base
    split = split_of(cfg.data, cfg.seed, cfg.test_fraction, -1)
    model = core.build_model(cfg, split.train.shape, pick_device(cfg.device))
    for snap in core.train(model, cfg, split, report_every=REPORT_EVERY, evaluate_each_epoch=False):
        if snap is not None and snap.done:
            with plan.base.held():
                if plan.base.cfg.replace(kind="ae") == cfg:  # the VAE on screen still has these settings
                    plan.base.ae = model.eval()
        yield snap


def ae_where(session: AeSession, snap: core.Snapshot, lang: str) -> str:
    return t("vae.ae_where", lang, epoch=snap.epoch, epochs=snap.epochs, recon=snap.recon, s=snap.elapsed)


# ---------------------------------------------------------------- live run 3: anomaly detection
@dataclass
class AnomalySession(LiveSession):
    result: dict | None = None  # the last anomaly scores (the threshold slider reads them)
    label: str = ""             # the held-out class being trained without


@dataclass(frozen=True)
class AnomalyPlan:
    base: Any
    cfg: core.VaeConfig  # the model to score with: the session's, or one trained without ``holdout``
    scenario: str
    score: str


@dataclass(frozen=True)
class AnomalyDone:
    result: core.AnomalyResult
    epochs: int
    data: str                 # the data set of the model that scored
    label: str | None = None  # the held-out class (None: the other data set played the anomaly)


SCENARIOS = ("other", "holdout")


def anomaly_config(values: dict, lang: str) -> AnomalyPlan:
    base, scenario, score = values["vae_session"], values["scenario"], values["score"]
    if scenario not in SCENARIOS:
        raise error("vae.err.scenario", lang)
    if score not in core.SCORES:
        raise error("vae.err.score", lang)
    if scenario == "other":
        if core.other_set_name(base.cfg.data) not in available_image_sets():
            raise error("vae.err.no_fashion", lang)
        return AnomalyPlan(base, base.cfg, scenario, score)
    holdout = read_config(core.VaeConfig, {"holdout": values["holdout"]}, LABELS, lang).holdout
    if holdout < 0:
        raise error("vae.err.holdout", lang)
    return AnomalyPlan(base, base.cfg.replace(holdout=holdout, kind="vae"), scenario, score)


def anomaly_run(session: AnomalySession, plan: AnomalyPlan) -> Iterator[Any]:
    cfg = plan.cfg
    if plan.scenario == "other":
        with plan.base.held():
            result = core.anomaly_detection(plan.base.vae, cfg, plan.base.split, plan.score)
        yield AnomalyDone(result, 0, cfg.data)
        return
    split = split_of(cfg.data, cfg.seed, cfg.test_fraction, cfg.holdout)
    session.label = split.test.classes[cfg.holdout]
    model = core.build_model(cfg, split.train.shape, pick_device(cfg.device))
    yield from core.train(model, cfg, split, report_every=REPORT_EVERY, evaluate_each_epoch=False)
    yield AnomalyDone(core.anomaly_detection(model, cfg, split, plan.score), cfg.epochs, cfg.data, session.label)


def anomaly_render(hist, roc, note, threshold):
    def render(session: AnomalySession, snap: Any, lang: str) -> dict:
        if not isinstance(snap, AnomalyDone):
            return {}
        res = fig.anomaly_dict(snap.result, snap.data, snap.label)
        session.result = res
        lo = float(min(res["normal"].min(), res["anomalous"].min()))
        hi = float(max(res["normal"].max(), res["anomalous"].max()))
        thr = float(np.quantile(res["normal"], 0.95))
        h, r, n = fig.anomaly_figures(res, thr, lang)
        return {hist: h, roc: r, note: n, threshold: gr.update(minimum=round(lo, 2), maximum=round(hi, 2),
                                                                 value=round(thr, 2))}
    return render


def anomaly_where(session: AnomalySession, snap: Any, lang: str) -> str:
    if isinstance(snap, AnomalyDone):
        return t("vae.anomaly_where_done", lang, auc=snap.result.auc,
                 desc=fig.describe(fig.anomaly_dict(snap.result, snap.data, snap.label), lang))
    return t("vae.anomaly_training", lang, digit=session.label, epoch=snap.epoch, epochs=snap.epochs)


# ---------------------------------------------------------------- the comparison with the autoencoder
def compare_pictures(session: VaeSession, lang: str) -> tuple:
    """(VAE grid, AE grid, AE zoomed grid, note): each model over the box holding 98 % of its test codes, and
    the autoencoder again over [-3, 3], the range a VAE's prior N(0, I) samples from."""
    if session.ae is None:
        return None, None, None, t("vae.ae_missing", lang)
    spec = core.GridSpec(n=16)
    x = session.test.x
    vae_img, vv = fig.draw_grid(session.vae, spec, x, auto_range=True)
    ae_img, av = fig.draw_grid(session.ae, spec, x, auto_range=True)
    zoom_img, zv = fig.draw_grid(session.ae, spec, x)
    return vae_img, ae_img, zoom_img, t("vae.compare_note", lang, vlo=vv.lo, vhi=vv.hi, alo=av.lo, ahi=av.hi,
                                        wlo=zv.lo, whi=zv.hi)


def ae_render(vae_grid, ae_grid, ae_zoom, compare_md, ae_scatter):
    def render(session: AeSession, snap: core.Snapshot, lang: str) -> dict:
        if not snap.done or session.base is None:
            return {}
        base = session.base
        with base.held():
            v, a, w, note = compare_pictures(base, lang)
            scatter = fig.scatter_figure(base.ae, base.test, core.GridSpec(), lang) if base.ae is not None else None
        return {vae_grid: v, ae_grid: a, ae_zoom: w, compare_md: note, ae_scatter: scatter}
    return render
