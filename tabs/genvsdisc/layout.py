"""Generative vs Discriminative: Gaussian class models (LDA, QDA) beside logistic regression and an MLP on
2-D data, the training-set size sweep, and synthetic digits from conditional generators as training data.

``GenVsDiscTab(page)`` builds the tab for one build of the app, with three live runs (``tabs.harness.live``, each
with Start / Pause-Resume / Stop): the plane comparison (``gvd``, with Step and Replay), the size sweep
(``gvd_sweep``) and the synthetic-data experiment (``aug``). The sessions and runs live in
``tabs.genvsdisc.session``, the figures in ``tabs.genvsdisc.figures``; this module lays them out and draws frames.
"""

from __future__ import annotations

import time

import gradio as gr

from playground import genvsdisc
from playground.genvsdisc.augment import THREADS as AUGMENT_THREADS
from playground.genvsdisc.augment import AugmentConfig, AugmentSnapshot
from playground.genvsdisc.experiment import THREADS, GvdConfig, GvdSnapshot
from tabs.genvsdisc import figures, replay, session
from tabs.genvsdisc.session import AUGMENT_LABELS, GVD_LABELS, AugmentSession, GvdSession
from tabs.harness import canvas, stills
from tabs.harness.common import lesson
from tabs.harness.live import NO_CHANGE, ControlSet, Live, LiveSession
from tabs.harness.runner import Phase
from tabs.harness.widgets import default_of, knob_widget

N_REAL_CHOICES = [1, 2, 5, 10, 20, 50]
LATEX = [{"left": "$", "right": "$", "display": False}]
PLANE_INTERVAL = 3.0  # seconds between redraws of the plane and the loss curves while a run trains
# (measured: redrawing the four-panel plane 2.5 times a second froze headless Chromium on 2 busy cores)


def _running(s: LiveSession) -> bool:
    """True while the session's run trains. A paused or finished run's frame redraws everything, so the
    figures on screen always match the status even if the browser missed an earlier frame."""
    return s.run is not None and s.run.phase == Phase.RUNNING


def _controls(page, prefix: str, step: bool = True, replay: bool = False) -> ControlSet:
    """A run's buttons in one row, then its status line."""
    with gr.Row():
        controls = ControlSet.buttons(page, prefix, step=step, replay=replay)
    controls.status_line()
    return controls


class GenVsDiscTab:
    def __init__(self, page) -> None:
        self.page, tr = page, page.tr
        lesson(tr, "gvd.lesson", open=False)
        tr(gr.Markdown, value="gvd.part1", latex_delimiters=LATEX)
        self.panel(self.gvd_settings, self.gvd_figures)
        self.gvd = Live(page, "gvd", GvdSession, make_run=session.make_gvd_run, render=self.render_gvd,
                        where=session.gvd_where, config=session.read_gvd, replayer=replay.REPLAYER,
                        cpu_threads=THREADS)
        self.gvd.wire(self.gvd_controls, inputs=self.gvd_inputs,
                      outputs=[self.metrics, self.plane, self.density, self.loss])
        stills.wire(page, self.gvd, *self.gvd_stills, "genvsdisc", "gvd_stills")
        tr(gr.Markdown, value="gvd.sweep_intro")
        self.panel(self.sweep_settings, self.sweep_figures)
        self.sweep = Live(page, "gvd_sweep", LiveSession, make_run=session.make_sweep_run, render=self.render_sweep,
                          where=session.sweep_where, config=session.read_gvd, replayer=replay.SWEEP_REPLAYER,
                          cpu_threads=THREADS)
        self.sweep.wire(self.sweep_controls, inputs=self.sweep_inputs, outputs=[self.sweep_plot])
        stills.wire(page, self.sweep, *self.sweep_stills, "genvsdisc-sweep", "gvd_sweep_stills")
        lesson(tr, "aug.lesson", open=False)
        tr(gr.Markdown, value="aug.part2", latex_delimiters=LATEX)
        self.panel(self.augment_settings, self.augment_figures)
        self.share_links()
        self.augment = Live(page, "aug", AugmentSession, make_run=session.make_augment_run,
                            render=self.render_augment, where=session.augment_where, config=session.read_augment,
                            replayer=replay.AUGMENT_REPLAYER, cpu_threads=AUGMENT_THREADS)
        self.augment.wire(self.augment_controls, inputs=self.augment_inputs,
                          outputs=[self.verdict, self.augment_plot, self.gan_grid, self.vae_grid])
        stills.wire(page, self.augment, *self.augment_stills, "synthetic-data", "aug_stills")

    # ------------------------------------------------------------ layout
    @staticmethod
    def panel(settings, figures) -> None:
        """A run's settings (left) beside its controls and figures (right)."""
        with gr.Row():
            with gr.Column(scale=1, min_width=300):
                settings()
            with gr.Column(scale=2):
                figures()

    def knob(self, cls, name: str, labels: dict, prefix: str, **kw):
        return knob_widget(self.page.tr, cls, name, labels[name], elem_id=f"{prefix}-{name.replace('_', '-')}", **kw)

    def gvd_settings(self) -> None:
        tr, C, L = self.page.tr, GvdConfig, GVD_LABELS
        picker = tr(gr.Radio, label="gvd.data", info="gvd.data_info", elem_id="gvd-data",
                    choices=[(f"gvd.data.{d}", d) for d in genvsdisc.DATA_SETS] + [canvas.CHOICE],
                    value=default_of(C, "data"))
        # the setting is the picker's choice, or the drawing's code (its colours are the classes)
        self.drawn = canvas.DrawnData(self.page, "gvd", picker, label="gvd.data")
        g = {"data": self.drawn.data}
        for name in ("n_train", "spread", "seed"):
            g[name] = self.knob(C, name, L, "gvd")
        with tr(gr.Accordion, label="gvd.outlier_box", open=True):
            tr(gr.Markdown, value="gvd.outlier_help")
            g["outliers"] = self.knob(C, "outliers", L, "gvd", slider=True)
            g["outlier_class"] = self.knob(C, "outlier_class", L, "gvd")
            g["outlier_distance"] = self.knob(C, "outlier_distance", L, "gvd", slider=True)
            g["outlier_side"] = tr(gr.Radio, label="gvd.outlier_side", elem_id="gvd-outlier-side",
                                   choices=[("gvd.side.away", "away"), ("gvd.side.across", "across")], value="away")
        with tr(gr.Accordion, label="gvd.advanced", open=False):
            for name in ("steps", "lr", "hidden", "weight_decay", "reg", "n_samples"):
                g[name] = self.knob(C, name, L, "gvd")
        self.gvd_inputs = g

    def gvd_figures(self) -> None:
        self.gvd_controls = _controls(self.page, "gvd", replay=True)
        self.gvd_controls.replay_note()
        self.metrics = gr.Markdown(elem_id="gvd-metrics", latex_delimiters=[])  # no KaTeX 2.5 times a second
        self.plane = gr.Plot(elem_id="gvd-plane", show_label=False)
        self.density = gr.Plot(elem_id="gvd-density", show_label=False)
        self.loss = gr.Plot(elem_id="gvd-loss", show_label=False)
        self.gvd_stills = stills.controls(self.page, "gvd")

    def sweep_settings(self) -> None:
        """The sweep shares the comparison's data and training settings, and adds its own two."""
        shared = ("data", "spread", "seed", "steps", "lr", "hidden", "weight_decay", "reg")
        self.sweep_inputs = {name: self.gvd_inputs[name] for name in shared}
        for name in ("sweep_max", "sweep_repeats"):
            self.sweep_inputs[name] = self.knob(GvdConfig, name, GVD_LABELS, "gvd")

    def sweep_figures(self) -> None:
        self.sweep_controls = _controls(self.page, "gvd-sweep", step=False, replay=True)
        self.sweep_controls.replay_note()
        self.sweep_plot = gr.Plot(elem_id="gvd-sweep-plot", show_label=False)
        self.sweep_stills = stills.controls(self.page, "gvd-sweep")

    def augment_settings(self) -> None:
        tr, C, L = self.page.tr, AugmentConfig, AUGMENT_LABELS
        a = {"data": tr(gr.Radio, label="aug.data", elem_id="aug-data", value="mnist",
                        choices=[("aug.data.mnist", "mnist"), ("aug.data.digits", "digits")]),
             "n_real": tr(gr.CheckboxGroup, label="aug.n_real", info="aug.n_real_info", elem_id="aug-n-real",
                          choices=N_REAL_CHOICES, value=list(C().n_real))}
        for name in ("synthetic", "repeats", "seed"):
            a[name] = self.knob(C, name, L, "aug")
        a["generator_data"] = tr(gr.Radio, label="aug.generator_data", elem_id="aug-generator-data",
                                 choices=[("aug.gen.subset", "subset"), ("aug.gen.pool", "pool")],
                                 value=default_of(C, "generator_data"), info="aug.generator_data_info")
        with tr(gr.Accordion, label="gvd.advanced", open=False):
            for name in ("gan_steps", "vae_steps", "clf_steps"):
                a[name] = self.knob(C, name, L, "aug")
        self.augment_inputs = a

    def augment_figures(self) -> None:
        tr = self.page.tr
        self.augment_controls = _controls(self.page, "aug", step=False, replay=True)
        self.augment_controls.replay_note()
        self.verdict = gr.Markdown(elem_id="aug-verdict")
        self.augment_plot = gr.Plot(elem_id="aug-plot", show_label=False)
        self.augment_stills = stills.controls(self.page, "aug")
        grids = {}
        with gr.Row():
            for kind in ("gan", "vae"):
                with gr.Column():
                    tr(gr.Markdown, value=f"aug.{kind}_grid")  # above the image: a label would cover row 0
                    grids[kind] = gr.Image(show_label=False, interactive=False, buttons=["download"],
                                           elem_id=f"aug-{kind}-grid", height=440)
        self.gan_grid, self.vae_grid = grids["gan"], grids["vae"]

    def share_links(self) -> None:
        """Every setting in the address: ``genvsdisc.<field>`` (the comparison's and the sweep's), and
        ``genvsdisc.aug.<field>``."""
        links = self.page.links
        sweep_only = {name: self.sweep_inputs[name] for name in ("sweep_max", "sweep_repeats")}
        links.share_all("genvsdisc", {**self.gvd_inputs, **sweep_only})
        links.share_all("genvsdisc", self.augment_inputs, prefix="aug.")
        links.button(self.page.tr, "genvsdisc")

    # ------------------------------------------------------------ frames
    def render_gvd(self, s: GvdSession, snap: GvdSnapshot, lang: str) -> dict:
        """One frame of the comparison. The plane is redrawn when new maps came, at most every ``PLANE_INTERVAL``
        seconds while training (four panels are heavy for a browser); the density figure once per run, since the
        Gaussian models are fitted in closed form at the start and do not change."""
        out = {self.metrics: figures.gvd_metrics(snap, s.view_snap, lang)}
        if s.view is None:
            return out
        running = _running(s)
        new = id(s.view) != s.drawn or s.lang_drawn != lang
        if not running or (new and time.perf_counter() - s.drawn_at >= PLANE_INTERVAL):
            s.drawn, s.lang_drawn, s.drawn_at = id(s.view), lang, time.perf_counter()
            out[self.plane] = figures.boundaries_figure(s.view, s.view_snap, lang)
            out[self.loss] = figures.loss_figure(s.history, lang) if s.history else NO_CHANGE
        if s.density_drawn != (id(s.run), lang) or not running:
            s.density_drawn = (id(s.run), lang)
            out[self.density] = figures.density_figure(s.view, lang)
        return out

    def render_sweep(self, s: LiveSession, snap, lang: str) -> dict:
        return {self.sweep_plot: figures.sweep_figure(snap, lang)}

    def render_augment(self, s: AugmentSession, snap: AugmentSnapshot, lang: str) -> dict:
        """The accuracy figure and the verdict when a cell was added; the synthetic digits when new ones came."""
        out = {}
        if len(snap.cells) != s.drawn_cells or s.lang_drawn != lang or not _running(s):
            s.drawn_cells, s.lang_drawn = len(snap.cells), lang
            out[self.augment_plot] = figures.augment_figure(snap, lang)
            out[self.verdict] = figures.augment_verdict(snap, lang)
        if snap.grid is not None and (id(snap.grid) != s.drawn_grid or not _running(s)):
            s.drawn_grid = id(snap.grid)
            out[self.gan_grid] = figures.synthetic_image(snap.grid["gan"])
            out[self.vae_grid] = figures.synthetic_image(snap.grid["vae"])
        return out
