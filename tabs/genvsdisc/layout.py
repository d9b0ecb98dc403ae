"""Generative vs Discriminative: Gaussian class models (LDA, QDA) beside logistic regression and an MLP on
2-D data, the training-set size sweep, and synthetic digits from conditional generators as training data.

Three live runs on the harness of ``tabs/live.py`` (each with Start / Pause-Resume / Step / Stop): the
plane comparison (``gvd``), the size sweep (``gvd_sweep``) and the synthetic-data experiment (``aug``).
Each has a session dataclass holding what its figures need, a ``make_run`` that wraps the core generator
(recording history as snapshots pass), a ``render`` and a ``where``. Figures live in ``genvsdisc_figs``.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass, field
from typing import Any

import gradio as gr

from playground import genvsdisc
from playground.genvsdisc import augment
from playground.genvsdisc.augment import AugmentConfig
from playground.genvsdisc import GvdConfig
from tabs import genvsdisc_figs as figs
from tabs import replays, urlstate
from tabs.common import lesson, relabel_live
from tabs.i18n import t
from tabs.live import NO_CHANGE, Live, LiveSession, Phase
from tabs.widgets import default_of, knob_widget, read_config

GVD_LABELS = {"data": "gvd.data", "n_train": "gvd.n_train", "spread": "gvd.spread", "seed": "gvd.seed",
              "outliers": "gvd.outliers", "outlier_class": "gvd.outlier_class",
              "outlier_distance": "gvd.outlier_distance", "outlier_side": "gvd.outlier_side", "steps": "gvd.steps",
              "lr": "gvd.lr", "hidden": "gvd.hidden", "weight_decay": "gvd.weight_decay", "reg": "gvd.reg",
              "n_samples": "gvd.n_samples", "sweep_max": "gvd.sweep_max", "sweep_repeats": "gvd.sweep_repeats"}
AUG_LABELS = {"data": "aug.data", "n_real": "aug.n_real", "synthetic": "aug.synthetic", "repeats": "aug.repeats",
              "generator_data": "aug.generator_data", "gan_steps": "aug.gan_steps", "vae_steps": "aug.vae_steps",
              "clf_steps": "aug.clf_steps", "seed": "aug.seed"}
N_REAL_CHOICES = [1, 2, 5, 10, 20, 50]
LATEX = [{"left": "$", "right": "$", "display": False}]
PLANE_INTERVAL = 3.0  # seconds between redraws of the plane and the loss curves while a run trains
# (measured: redrawing the four-panel plane 2.5 times a second froze headless Chromium on 2 busy cores)


def _running(session: LiveSession) -> bool:
    """True while the session's run trains. A paused or finished run's frame redraws everything, so the
    figures on screen always match the status even if the browser missed an earlier frame."""
    return session.run is not None and session.run.phase == Phase.RUNNING


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


def gvd_run(session: GvdSession, config: GvdConfig):
    session.config, session.history, session.view, session.view_snap, session.drawn = config, [], None, None, -1
    run = genvsdisc.GvdRun(config)  # built on the run's own thread
    for item in run.step(config.steps, report_every=10, view_every=50):
        if item is not None:
            if item.loss:
                session.history.append((item.step, item.loss))
            if item.view is not None:
                session.view, session.view_snap = item.view, item
        yield item


def gvd_metrics(snap: genvsdisc.GvdSnapshot, view_snap: genvsdisc.GvdSnapshot | None, lang: str) -> str:
    """The four models in a table: accuracies from the latest snapshot, outlier and anomaly figures from the
    latest one that measured them (they are measured with the plane's maps)."""
    view_snap = snap if snap.anomaly_auc is not None else view_snap
    outliers = snap.clean_test_accuracy is not None
    head = [t("gvd.tbl.model", lang), t("gvd.tbl.kind", lang), t("gvd.tbl.train", lang), t("gvd.tbl.test", lang)]
    if outliers:
        head += [t("gvd.tbl.clean", lang), t("gvd.tbl.flipped", lang)]
    head.append(t("gvd.tbl.auc", lang))
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for m in genvsdisc.MODEL_NAMES:
        kind = t("gvd.kind.gen" if m in genvsdisc.GENERATIVE else "gvd.kind.disc", lang)
        cells = [t(f"gvd.model.{m}", lang), kind, f"{snap.train_accuracy[m]:.1%}", f"{snap.test_accuracy[m]:.1%}"]
        if outliers:
            flipped = view_snap.flipped[m] if view_snap and view_snap.flipped else None
            cells += [f"{snap.clean_test_accuracy[m]:.1%}", "…" if flipped is None else f"{flipped:.1%}"]
        auc = view_snap.anomaly_auc[m] if view_snap and view_snap.anomaly_auc else None
        cells.append("…" if auc is None else f"{auc:.2f}")
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows) + "\n\n" + t("gvd.tbl.note", lang)


def gvd_render(c: dict, session: GvdSession, snap, lang: str) -> dict:
    """One frame; ``c`` maps names to this tab's components.

    The plane is redrawn when new maps came, at most every ``PLANE_INTERVAL`` seconds while training (four
    panels are heavy for a browser); the density figure once per run, since the Gaussian models are fitted
    in closed form at the start and do not change."""
    out = {c["metrics"]: gvd_metrics(snap, session.view_snap, lang)}
    if session.view is None:
        return out
    running = _running(session)
    new = id(session.view) != session.drawn or session.lang_drawn != lang
    if not running or (new and time.perf_counter() - session.drawn_at >= PLANE_INTERVAL):
        session.drawn, session.lang_drawn, session.drawn_at = id(session.view), lang, time.perf_counter()
        out[c["plane"]] = figs.boundaries_figure(session.view, session.view_snap, lang)
        out[c["loss"]] = figs.loss_figure(session.history, lang) if session.history else NO_CHANGE
    if session.density_drawn != (id(session.run), lang) or not running:
        session.density_drawn = (id(session.run), lang)
        out[c["density"]] = figs.density_figure(session.view, lang)
    return out


def gvd_where(session: GvdSession, snap, lang: str) -> str:
    steps = session.config.steps if session.config else snap.step
    return t("gvd.where", lang, step=f"{snap.step:,}", steps=f"{steps:,}", seconds=f"{snap.elapsed:.1f}")


# ---------------------------------------------------------------- size sweep
@dataclass
class SweepSession(LiveSession):
    pass


def sweep_render(c: dict, session: SweepSession, snap, lang: str) -> dict:
    return {c["plot"]: figs.sweep_figure(snap, lang)}


def sweep_where(session: SweepSession, snap, lang: str) -> str:
    return t("gvd.sweep.where", lang, done=snap.measured, total=snap.total, seconds=f"{snap.elapsed:.0f}")


# ---------------------------------------------------------------- synthetic data
@dataclass
class AugSession(LiveSession):
    config: AugmentConfig | None = None
    drawn_cells: int = -1
    drawn_grid: int = -1
    lang_drawn: str = ""


def aug_run(session: AugSession, config: AugmentConfig):
    session.config, session.drawn_cells, session.drawn_grid = config, -1, -1
    yield from augment.run(config)


def aug_verdict(snap: augment.AugmentSnapshot, lang: str) -> str:
    """Per source and N: the mean gain over real-only, and whether every repeat agreed on its sign."""
    gains, summary = snap.gains(), snap.summary()
    lines = []
    for source in ("gan", "vae"):
        for n, g in gains.get(source, {}).items():
            key = "aug.verdict.helps" if g["min"] > 0 else "aug.verdict.hurts" if g["max"] < 0 else "aug.verdict.mixed"
            agree = summary[source][n].get("agreement")
            pts = lambda v: f"{100 * v:+.1f}"  # noqa: E731  (percentage points)
            lines.append(t(key, lang, source=t(f"aug.source.{source}", lang), n=n, mean=pts(g["mean"]),
                           lo=pts(g["min"]), hi=pts(g["max"]),
                           agree="?" if agree is None else f"{agree:.0%}"))
    if not lines:
        return t("aug.verdict.wait", lang)
    return "\n".join(f"- {line}" for line in lines) + "\n\n" + t("aug.verdict.note", lang)


def aug_render(c: dict, session: AugSession, snap, lang: str) -> dict:
    out = {}
    if len(snap.cells) != session.drawn_cells or session.lang_drawn != lang or not _running(session):
        session.drawn_cells, session.lang_drawn = len(snap.cells), lang
        out[c["plot"]] = figs.augment_figure(snap, lang)
        out[c["verdict"]] = aug_verdict(snap, lang)
    if snap.grid is not None and (id(snap.grid) != session.drawn_grid or not _running(session)):
        session.drawn_grid = id(snap.grid)
        out[c["gan_grid"]] = figs.synthetic_image(snap.grid["gan"])
        out[c["vae_grid"]] = figs.synthetic_image(snap.grid["vae"])
    return out


def aug_where(session: AugSession, snap, lang: str) -> str:
    c = session.config
    common = dict(n=snap.n_real, repeat=snap.repeat + 1, repeats=c.repeats, done=len(snap.cells), total=snap.total,
                  seconds=f"{snap.elapsed:.0f}")
    if snap.stage in ("gan", "vae"):
        steps = c.gan_steps if snap.stage == "gan" else c.vae_steps
        return t(f"aug.where.{snap.stage}", lang, step=snap.step, steps=steps, **common)
    return t("aug.where.cells", lang, **common)


# ---------------------------------------------------------------- layout
def gvd_config(values: dict, lang: str) -> GvdConfig:
    return read_config(GvdConfig, values, GVD_LABELS, lang)


def aug_config(values: dict, lang: str) -> AugmentConfig:
    return read_config(AugmentConfig, values, AUG_LABELS, lang)


def _buttons(tr, prefix: str, step: bool = True, replay: bool = False) -> dict:
    with gr.Row():
        b = {"start": tr(gr.Button, value="live.start", variant="primary", elem_id=f"{prefix}-start"),
             "pause": tr(gr.Button, value="live.pause_resume", elem_id=f"{prefix}-pause")}
        if step:
            b["step"] = tr(gr.Button, value="live.step", elem_id=f"{prefix}-step")
        b["stop"] = tr(gr.Button, value="live.stop", variant="stop", elem_id=f"{prefix}-stop")
        if replay:
            b["replay"] = replays.replay_controls(tr, prefix)
    return b


def _knob(tr, cls, name: str, labels: dict, prefix: str, **kw):
    return knob_widget(tr, cls, name, labels[name], elem_id=f"{prefix}-{name.replace('_', '-')}", **kw)


def build(tr, lang: gr.Radio) -> None:
    """The tab's layout and its three live runs (each build makes its own ``Live``s and components)."""
    _gvd, _sweep, _aug = {}, {}, {}
    lesson(tr, "gvd.lesson", open=False)
    tr(gr.Markdown, value="gvd.part1", latex_delimiters=LATEX)
    g = {}
    with gr.Row():
        with gr.Column(scale=1, min_width=300):
            g["data"] = tr(gr.Radio, label="gvd.data", info="gvd.data_info", elem_id="gvd-data",
                           choices=[(f"gvd.data.{d}", d) for d in genvsdisc.DATA_SETS], value=default_of(GvdConfig, "data"))
            for name in ("n_train", "spread", "seed"):
                g[name] = _knob(tr, GvdConfig, name, GVD_LABELS, "gvd")
            with tr(gr.Accordion, label="gvd.outlier_box", open=True):
                tr(gr.Markdown, value="gvd.outlier_help")
                g["outliers"] = _knob(tr, GvdConfig, "outliers", GVD_LABELS, "gvd", slider=True)
                g["outlier_class"] = _knob(tr, GvdConfig, "outlier_class", GVD_LABELS, "gvd")
                g["outlier_distance"] = _knob(tr, GvdConfig, "outlier_distance", GVD_LABELS, "gvd", slider=True)
                g["outlier_side"] = tr(gr.Radio, label="gvd.outlier_side", elem_id="gvd-outlier-side",
                                       choices=[("gvd.side.away", "away"), ("gvd.side.across", "across")],
                                       value="away")
            with tr(gr.Accordion, label="gvd.advanced", open=False):
                for name in ("steps", "lr", "hidden", "weight_decay", "reg", "n_samples"):
                    g[name] = _knob(tr, GvdConfig, name, GVD_LABELS, "gvd")
        with gr.Column(scale=2):
            buttons = _buttons(tr, "gvd", replay=True)
            status = tr(gr.Markdown, value="live.idle", elem_id="gvd-status")
            buttons["replay"]["note"] = replays.replay_note("gvd")
            _gvd["metrics"] = gr.Markdown(elem_id="gvd-metrics", latex_delimiters=[])  # no KaTeX 2.5 times a second
            _gvd["plane"] = gr.Plot(elem_id="gvd-plane", show_label=False)
            _gvd["density"] = gr.Plot(elem_id="gvd-density", show_label=False)
            _gvd["loss"] = gr.Plot(elem_id="gvd-loss", show_label=False)
    gvd_live = Live("gvd", GvdSession, make_run=gvd_run, render=functools.partial(gvd_render, _gvd), where=gvd_where,
                    config=gvd_config)
    gvd_out = [_gvd["metrics"], _gvd["plane"], _gvd["density"], _gvd["loss"]]
    gvd_live.wire(lang, inputs=g, outputs=gvd_out, status=status, **buttons)
    relabel_live(lang, gvd_live, status, gvd_out)

    tr(gr.Markdown, value="gvd.sweep_intro")
    with gr.Row():
        with gr.Column(scale=1, min_width=300):
            s = {name: g[name] for name in ("data", "spread", "seed", "steps", "lr", "hidden", "weight_decay", "reg")}
            s["sweep_max"] = _knob(tr, GvdConfig, "sweep_max", GVD_LABELS, "gvd")
            s["sweep_repeats"] = _knob(tr, GvdConfig, "sweep_repeats", GVD_LABELS, "gvd")
        with gr.Column(scale=2):
            buttons = _buttons(tr, "gvd-sweep", step=False)
            status = tr(gr.Markdown, value="live.idle", elem_id="gvd-sweep-status")
            _sweep["plot"] = gr.Plot(elem_id="gvd-sweep-plot", show_label=False)
    sweep_live = Live("gvd_sweep", SweepSession, make_run=lambda session, config: genvsdisc.sweep(config),
                      render=functools.partial(sweep_render, _sweep), where=sweep_where, config=gvd_config)
    sweep_live.wire(lang, inputs=s, outputs=[_sweep["plot"]], status=status, **buttons)
    relabel_live(lang, sweep_live, status, [_sweep["plot"]])

    lesson(tr, "aug.lesson", open=False)
    tr(gr.Markdown, value="aug.part2", latex_delimiters=LATEX)
    a = {}
    with gr.Row():
        with gr.Column(scale=1, min_width=300):
            a["data"] = tr(gr.Radio, label="aug.data", elem_id="aug-data", value="mnist",
                           choices=[("aug.data.mnist", "mnist"), ("aug.data.digits", "digits")])
            a["n_real"] = tr(gr.CheckboxGroup, label="aug.n_real", info="aug.n_real_info", elem_id="aug-n-real",
                             choices=N_REAL_CHOICES, value=list(AugmentConfig().n_real))
            for name in ("synthetic", "repeats", "seed"):
                a[name] = _knob(tr, AugmentConfig, name, AUG_LABELS, "aug")
            a["generator_data"] = tr(gr.Radio, label="aug.generator_data", elem_id="aug-generator-data",
                                     choices=[("aug.gen.subset", "subset"), ("aug.gen.pool", "pool")],
                                     value=default_of(AugmentConfig, "generator_data"),
                                     info="aug.generator_data_info")
            with tr(gr.Accordion, label="gvd.advanced", open=False):
                for name in ("gan_steps", "vae_steps", "clf_steps"):
                    a[name] = _knob(tr, AugmentConfig, name, AUG_LABELS, "aug")
        with gr.Column(scale=2):
            buttons = _buttons(tr, "aug", step=False)
            status = tr(gr.Markdown, value="live.idle", elem_id="aug-status")
            _aug["verdict"] = gr.Markdown(elem_id="aug-verdict")
            _aug["plot"] = gr.Plot(elem_id="aug-plot", show_label=False)
            with gr.Row():
                for kind in ("gan", "vae"):
                    with gr.Column():
                        tr(gr.Markdown, value=f"aug.{kind}_grid")  # above the image: a label would cover row 0
                        _aug[f"{kind}_grid"] = gr.Image(show_label=False, interactive=False, buttons=["download"],
                                                        elem_id=f"aug-{kind}-grid", height=440)
    linked = {**g, "sweep_max": s["sweep_max"], "sweep_repeats": s["sweep_repeats"],
              **{f"aug.{name}": widget for name, widget in a.items()}}
    for name, widget in linked.items():
        urlstate.share("genvsdisc", name, widget)
    urlstate.link_button(tr, "genvsdisc")
    aug_live = Live("aug", AugSession, make_run=aug_run, render=functools.partial(aug_render, _aug), where=aug_where,
                    config=aug_config)
    aug_out = [_aug["verdict"], _aug["plot"], _aug["gan_grid"], _aug["vae_grid"]]
    aug_live.wire(lang, inputs=a, outputs=aug_out, status=status, **buttons)
    relabel_live(lang, aug_live, status, aug_out)
