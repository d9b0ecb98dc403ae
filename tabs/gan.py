"""GAN Lab: train a GAN live and watch the generator and the discriminator play their game.

Built on the live-run harness (``tabs/live.py``): each browser session owns a ``GanSession`` holding its
``GanTrainer``; the run trains on its own thread (one CPU thread: these nets are small), and the page draws a
frame at most every ``live.FRAME_INTERVAL`` seconds. Start, Pause / Resume, Step +1 and Stop behave as on
every training tab; Resume after the end trains another ``steps`` steps.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass, field

import gradio as gr
import numpy as np
from gradio.components.plot import PlotData

from playground.gan import trainer as core
from playground.data import toy2d
from playground.kit.classifier import class_coverage, digit_classifier
from playground.data.images import fashion_available
from tabs import film, gan_film, live, replays, urlstate
from tabs.common import export_path, lesson, relabel_live, user_errors
from tabs.i18n import error, t
from tabs.plots import FONT, image_grid
from tabs.widgets import knob_widget, named, read_config

MAX_PLOT_POINTS = 400  # the loss curves are thinned to this many points per frame
REAL_SHOWN = 400  # real points drawn under the generated ones
ORANGE, GREY = "#f97316", "#52525b"

# the last choice says the settings no longer match a preset (edited by hand)
PRESET_CHOICES = [(f"gan.preset.{name}", name) for name in [*core.PRESETS, urlstate.CUSTOM]]
LOSS_CHOICES = [(f"gan.loss.{name}", name) for name in core.LOSSES]
ARCH_CHOICES = [(f"gan.arch.{name}", name) for name in core.ARCHS]
OPTIMIZER_CHOICES = [("Adam", "adam"), ("SGD", "sgd")]
# config field -> string key of its widget's label
LABELS = {"data": "gan.data", "loss": "gan.loss", "optimizer": "gan.optimizer", "lr_g": "gan.lr_g",
          "lr_d": "gan.lr_d", "beta1": "gan.beta1", "beta2": "gan.beta2", "d_steps": "gan.d_steps",
          "latent_dim": "gan.latent_dim", "width": "gan.width", "depth": "gan.depth",
          "batch_size": "gan.batch_size", "arch": "gan.arch", "gp_weight": "gan.gp_weight",
          "steps": "gan.steps", "seed": "gan.seed"}


def data_choices() -> list[tuple[str, str]]:
    names = list(core.TOY_SETS) + ["mnist", "digits"] + (["fashion"] if fashion_available() else [])
    return [(f"gan.data.{name}", name) for name in names]


@dataclass
class GanSession(live.LiveSession):
    """What one browser session owns: its trainer (kept after a run ends, for Resume and downloads)."""

    trainer: core.GanTrainer | None = None
    showing: str = "plane"  # which of the plane / the image grid is visible now
    film: film.Film = field(default_factory=film.Film)  # the main figure as the run goes, for slides

    def free(self) -> None:
        super().free()
        self.trainer = None


# ---------------------------------------------------------------- the run
def read(values: dict, lang: str) -> core.GanConfig:
    """The config the widgets describe; every message in the user's language."""
    if values.get("arch") == "dcgan" and values.get("data") in core.TOY_SETS:
        raise error("gan.err.dcgan_toy", lang)
    if values.get("data") == "fashion" and not fashion_available():
        raise error("gan.err.fashion", lang)
    return read_config(core.GanConfig, values, LABELS, lang)


def make_run(session: GanSession, config: core.GanConfig):
    """A fresh trainer (built on the run's thread, from its own seed) trained for ``config.steps`` steps."""
    if not config.is_toy:
        digit_classifier(config.data)  # trained once per process, cached for everyone
    session.trainer = core.GanTrainer(config)
    steps = session.trainer.step(config.steps, report_every=1, heartbeats=True)
    return film.filmed(steps, session.film, gan_film.capture(session.trainer))


def more(session: GanSession):
    """Resume after the end: another ``steps`` steps of the same trainer."""
    if session.trainer is None:
        return None
    steps = session.trainer.step(session.trainer.config.steps, report_every=1, heartbeats=True)
    return film.filmed(steps, session.film, gan_film.capture(session.trainer), fresh=False)  # the same film


def where(session: GanSession, snap: core.GanSnapshot, lang: str) -> str:
    tr = session.trainer
    pg, pd = tr.n_params
    return t("gan.where", lang, step=snap.step, rate=tr.step_count / max(tr.elapsed, 1e-9), elapsed=tr.elapsed,
             pg=pg, pd=pd, device=str(tr.device))


# ---------------------------------------------------------------- figures (plain JSON: cheap to stream)
def _plot(data: list[dict], layout: dict) -> PlotData:
    """A plotly figure as JSON, skipping plotly's object validation (it costs ~10x more per frame)."""
    base = dict(font=FONT, template=None, paper_bgcolor="white", plot_bgcolor="white",
                margin=dict(l=50, r=20, t=40, b=40),
                legend=dict(orientation="h", x=0, y=-0.28, yanchor="top"))
    return PlotData(type="plotly", plot=json.dumps({"data": data, "layout": {**base, **layout}}))


def _thin(columns: dict[str, list[float]]) -> dict[str, list[float]]:
    n = len(columns["step"])
    stride = max(1, math.ceil(n / MAX_PLOT_POINTS))
    return {k: [None if isinstance(x, float) and not math.isfinite(x) else round(x, 5) for x in v[::stride]]
            for k, v in columns.items()}


def _axis(title: str, **kw) -> dict:
    return dict(title=dict(text=title), gridcolor="#e4e4e7", zeroline=False, **kw)


def loss_figure(trainer: core.GanTrainer, lang: str) -> PlotData:
    h = _thin(trainer.history_columns())
    data = [dict(type="scatter", mode="lines", x=h["step"], y=h["loss_d"], name=t("gan.fig.loss_d", lang),
                 line=dict(color="#6366f1")),
            dict(type="scatter", mode="lines", x=h["step"], y=h["loss_g"], name=t("gan.fig.loss_g", lang),
                 line=dict(color=ORANGE))]
    return _plot(data, dict(title=dict(text=t("gan.fig.losses", lang), x=0.01), height=300, uirevision="loss",
                            margin=dict(l=50, r=20, t=40, b=80),
                            xaxis=_axis(t("gan.fig.step", lang)), yaxis=_axis("")))


def d_figure(trainer: core.GanTrainer, lang: str) -> PlotData:
    h = _thin(trainer.history_columns())
    prob = trainer.config.loss in ("minimax", "ns")
    data = [dict(type="scatter", mode="lines", x=h["step"], y=h["d_real"], name=t("gan.fig.d_real", lang),
                 line=dict(color=GREY)),
            dict(type="scatter", mode="lines", x=h["step"], y=h["d_fake"], name=t("gan.fig.d_fake", lang),
                 line=dict(color=ORANGE))]
    yaxis = _axis("", range=[0, 1]) if prob else _axis("")
    title = t("gan.fig.d_out" if prob else "gan.fig.d_out_raw", lang)
    return _plot(data, dict(title=dict(text=title, x=0.01), height=300, uirevision="d",
                            margin=dict(l=50, r=20, t=40, b=80), xaxis=_axis(t("gan.fig.step", lang)),
                            yaxis=yaxis))


def plane_figure(trainer: core.GanTrainer, samples: np.ndarray, heat: np.ndarray, lang: str) -> PlotData:
    """Real points, generated points and D's output over the plane (2-D data)."""
    grid = np.linspace(-toy2d.EXTENT, toy2d.EXTENT, heat.shape[0]).round(4).tolist()
    prob = trainer.config.loss in ("minimax", "ns")
    real = core.real_data(trainer.config.data)[:REAL_SHOWN].numpy()
    shown = np.clip(samples, -toy2d.EXTENT * 1.5, toy2d.EXTENT * 1.5)  # far outliers stay at the edge
    heat_trace = dict(type="heatmap", x=grid, y=grid, z=np.round(heat, 4).tolist(), colorscale="RdBu",
                      reversescale=False, opacity=0.55, name=t("gan.fig.d_prob", lang),
                      colorbar=dict(title=dict(text=t("gan.fig.d_prob", lang)), thickness=12),
                      hovertemplate="x %{x:.2f}, y %{y:.2f}<br>D %{z:.3f}<extra></extra>")
    if prob:
        heat_trace.update(zmin=0, zmax=1)
    data = [heat_trace,
            dict(type="scatter", mode="markers", x=real[:, 0].round(3).tolist(), y=real[:, 1].round(3).tolist(),
                 name=t("gan.fig.real", lang), marker=dict(size=4, color=GREY, opacity=0.6)),
            dict(type="scatter", mode="markers", x=shown[:, 0].round(3).tolist(), y=shown[:, 1].round(3).tolist(),
                 name=t("gan.fig.fake", lang), marker=dict(size=4, color=ORANGE, opacity=0.8))]
    rng = [-toy2d.EXTENT, toy2d.EXTENT]
    return _plot(data, dict(title=dict(text=t("gan.fig.plane", lang, step=trainer.step_count), x=0.01), height=520,
                            showlegend=False,
                            uirevision="plane", xaxis=_axis("", range=rng, constrain="domain"),
                            yaxis=_axis("", range=rng, scaleanchor="x", scaleratio=1, constrain="domain")))


def empty_plane() -> PlotData:
    """The plane before any run: its axes only (the page loads the plotting library with the tab, so the first
    frame of a run or a replay draws at once)."""
    rng = [-toy2d.EXTENT, toy2d.EXTENT]
    return _plot([], dict(height=520, showlegend=False, uirevision="plane", xaxis=_axis("", range=rng, constrain="domain"),
                          yaxis=_axis("", range=rng, scaleanchor="x", scaleratio=1, constrain="domain")))


def samples_image(samples: np.ndarray) -> np.ndarray:
    """The first 64 fixed-noise images as an 8x8 mosaic, upscaled so 8x8 digits are visible too."""
    h = samples.shape[-1]
    return image_grid(samples[: core.GRID_IMAGES], ncol=8, pad=1, scale=max(1, 448 // (8 * h)))


def coverage_markdown(trainer: core.GanTrainer, cov, lang: str) -> str:
    if isinstance(cov, toy2d.Coverage):
        what = t("gan.cov.centre" if trainer.config.data in ("ring8", "grid25") else "gan.cov.curve", lang)
        text = t("gan.cov.toy", lang, covered=cov.modes_covered, n=cov.n_modes, hq=cov.high_quality, what=what,
                 min=cov.min_count, total=core.TOY_FIXED)
        good = sum(cov.per_mode)
        if good and cov.modes_covered <= cov.n_modes // 2 and cov.high_quality > 0.3:
            text += "\n\n" + t("gan.collapse_hint", lang)
        return text
    # the same score on real digits beside it: noise blobs scored "59% confident" mean little until then.
    # A replay brings both figures as they were when it was recorded (training the classifier takes ~10 s).
    acc, real = getattr(trainer, "classifier_facts", None) or (digit_classifier(trainer.config.data).test_accuracy,
                                                              real_baseline(trainer.config.data))
    per = " ".join(f"{i}:{c}" for i, c in enumerate(cov.per_class))
    return t("gan.cov.images", lang, covered=cov.classes_covered, n=cov.n_classes, thr=cov.threshold,
             conf=cov.confident, mean=cov.mean_confidence, per=per, acc=acc) + t("gan.cov.real", lang, conf=real)


@functools.lru_cache(maxsize=4)
def real_baseline(data: str) -> float:
    """Share of real images the classifier is confident about (at the coverage threshold), as a yardstick."""
    images = core.real_data(data)[: core.IMAGE_FIXED]  # (N, 1, H, W) in [-1, 1]
    return class_coverage(((images + 1) / 2).numpy(), data).confident



def render(session: GanSession, snap: core.GanSnapshot, lang: str) -> dict:
    """One frame from the trainer as it is now (the harness holds the run between two updates)."""
    tr = session.trainer
    samples, heat, cov = tr.visuals()
    kind = "plane" if tr.config.is_toy else "image"
    value = plane_figure(tr, samples, heat, lang) if kind == "plane" else samples_image(samples)
    if session.showing == kind:  # plain values: cheaper, and what an API client expects
        shown = {_out[kind]: value}
    else:  # switch between the plane (2-D data) and the image grid (images) once
        other = "image" if kind == "plane" else "plane"
        shown = {_out[kind]: gr.update(value=value, visible=True), _out[other]: gr.update(visible=False)}
        session.showing = kind
    return {**shown, _out["coverage"]: coverage_markdown(tr, cov, lang), _out["losses"]: loss_figure(tr, lang),
            _out["d"]: d_figure(tr, lang)}


LIVE = live.Live("gan", GanSession, make_run=make_run, render=render, where=where, config=read, more=more,
                 cpu_threads=1)
_out: dict[str, gr.components.Component] = {}  # the output widgets, filled by build()


# ---------------------------------------------------------------- other handlers
def reset(data: dict) -> dict:
    session, lang = data[LIVE.state], data[_out["lang"]]
    LIVE.note_stop(session, data)  # a Start still queued is withdrawn too
    session.free()  # a running stream sees its run gone and ends
    session.film.reset()
    return {_out["status"]: t("gan.status.reset", lang), _out["coverage"]: "", _out["plane"]: None,
            _out["image"]: None, _out["losses"]: None, _out["d"]: None, _out["files"]: gr.update(value=None, visible=False),
            **film_cleared()}


@user_errors
def export(data: dict) -> list[str]:
    """The generator (.safetensors) and the loss history (.csv), for download."""
    session, lang = data[LIVE.state], data[_out["lang"]]
    tr = session.trainer
    if tr is None:
        raise error("gan.err.no_run", lang)
    tag = f"{tr.config.data}-step{tr.step_count}"
    with session.run.hold() if session.run else _nothing():
        return [str(tr.save_generator(export_path(f"generator-{tag}.safetensors"))),
                str(tr.save_history_csv(export_path(f"history-{tag}.csv")))]


def film_ready(data: dict) -> dict:
    """After a stream ends (done, paused, stopped): the film button can be used once there are frames."""
    return {_out["film_btn"]: gr.update(interactive=len(data[LIVE.state].film) > 0)}


def film_cleared() -> dict:
    return {_out["film_btn"]: gr.update(interactive=False), _out["film_files"]: gr.update(value=None, visible=False)}


@user_errors
def export_film(data: dict) -> dict:
    """The run as an animated GIF, and its last frame as PNG (and SVG for the plane), for slides."""
    session, lang = data[LIVE.state], data[_out["lang"]]
    tr = session.trainer
    if tr is None or not len(session.film):
        raise error("film.err.empty", lang)
    with session.run.hold() if session.run else _nothing():
        history = tr.history_columns()
    out = gan_film.export(session.film, tr, history, lang)
    return {_out["film_files"]: gr.update(value=out.files, visible=True)}


def _nothing():
    import contextlib

    return contextlib.nullcontext()


def apply_preset(name: str) -> tuple:
    """Every setting of preset ``name``; "custom" (the user's own settings) leaves them as they are."""
    if name not in core.PRESETS:
        return tuple(gr.skip() for _ in LABELS)
    p = core.preset_config(name)
    return tuple(getattr(p, f) for f in LABELS)


def matching_preset(current: str, *values) -> str:
    """After a setting changed: the preset the settings still equal (the chosen one first), else "custom"."""
    for name in (current, *core.PRESETS):
        if name in core.PRESETS and all(urlstate.same(a, b) for a, b in zip(values, apply_preset(name))):
            return name
    return urlstate.CUSTOM


# ---------------------------------------------------------------- layout
def build(tr, lang: gr.Radio) -> None:
    lesson(tr, "gan.lesson", open=False)
    p = core.preset_config(core.DEFAULT_PRESET)
    C = core.GanConfig
    with gr.Row():
        with gr.Column(scale=1, min_width=320):
            preset = tr(gr.Dropdown, label="gan.preset", info="gan.preset_info", choices=PRESET_CHOICES,
                        value=core.DEFAULT_PRESET, elem_id="gan-preset")
            data = tr(gr.Dropdown, label="gan.data", choices=data_choices(), value=p.data, elem_id="gan-data",
                      info=None if fashion_available() else "gan.data_no_fashion")
            loss = tr(gr.Radio, label="gan.loss", choices=LOSS_CHOICES, value=p.loss, elem_id="gan-loss")
            with gr.Row():
                lr_g = knob_widget(tr, C, "lr_g", "gan.lr_g", value=p.lr_g, info="gan.lr_info", elem_id="gan-lr-g")
                lr_d = knob_widget(tr, C, "lr_d", "gan.lr_d", value=p.lr_d, elem_id="gan-lr-d")
            d_steps = knob_widget(tr, C, "d_steps", "gan.d_steps", slider=True, value=p.d_steps)
            with gr.Row():
                steps = knob_widget(tr, C, "steps", "gan.steps", value=p.steps, elem_id="gan-steps")
                seed = knob_widget(tr, C, "seed", "gan.seed", value=p.seed, elem_id="gan-seed")
            with tr(gr.Accordion, label="gan.advanced", open=False):
                optimizer = tr(gr.Radio, label="gan.optimizer", choices=OPTIMIZER_CHOICES, value=p.optimizer)
                with gr.Row():
                    beta1 = knob_widget(tr, C, "beta1", "gan.beta1", slider=True, value=p.beta1, step=0.01)
                    beta2 = knob_widget(tr, C, "beta2", "gan.beta2", slider=True, value=p.beta2, step=0.0001)
                arch = tr(gr.Radio, label="gan.arch", choices=ARCH_CHOICES, value=p.arch)
                latent = knob_widget(tr, C, "latent_dim", "gan.latent_dim", slider=True, value=p.latent_dim)
                width = knob_widget(tr, C, "width", "gan.width", slider=True, value=p.width, step=4)
                depth = knob_widget(tr, C, "depth", "gan.depth", slider=True, value=p.depth)
                batch = knob_widget(tr, C, "batch_size", "gan.batch_size", slider=True, value=p.batch_size, step=8)
                gp_weight = knob_widget(tr, C, "gp_weight", "gan.gp_weight", value=p.gp_weight)
        with gr.Column(scale=2):
            with gr.Row():
                start_btn = tr(gr.Button, value="live.start", variant="primary", elem_id="gan-start")
                pause_btn = tr(gr.Button, value="live.pause_resume", elem_id="gan-pause")
                step_btn = tr(gr.Button, value="live.step", elem_id="gan-step")
                stop_btn = tr(gr.Button, value="live.stop", variant="stop", elem_id="gan-stop")
                reset_btn = tr(gr.Button, value="gan.reset", elem_id="gan-reset")
                replay = replays.replay_controls(tr, "gan")
            status = tr(gr.Markdown, value="live.idle", elem_id="gan-status")
            replay["note"] = replays.replay_note("gan")
            coverage = gr.Markdown(elem_id="gan-coverage")
            plane = gr.Plot(empty_plane(), elem_id="gan-plane", show_label=False)
            image = gr.Image(interactive=False, visible=False, elem_id="gan-image", show_label=False,
                             elem_classes=["grid-image"], buttons=["download"], height=420)
            with gr.Row():
                loss_plot = gr.Plot(elem_id="gan-losses", show_label=False)
                d_plot = gr.Plot(elem_id="gan-d", show_label=False)
            with gr.Row():
                export_btn = tr(gr.Button, value="gan.export", elem_id="gan-export", scale=0, min_width=200)
                files = tr(gr.File, label="gan.files", file_count="multiple", interactive=False, elem_id="gan-files",
                           visible=False, height=110)
            with gr.Row():
                film_btn = tr(gr.Button, value="film.button", elem_id="gan-film", scale=0, min_width=200,
                              interactive=False)
                film_files = tr(gr.File, label="film.files", file_count="multiple", interactive=False,
                                elem_id="gan-film-files", visible=False, height=110)

    _out.update(status=status, coverage=coverage, plane=plane, image=image, losses=loss_plot, d=d_plot,
                files=files, lang=lang, film_btn=film_btn, film_files=film_files)
    controls = dict(data=data, loss=loss, optimizer=optimizer, lr_g=lr_g, lr_d=lr_d, beta1=beta1, beta2=beta2,
                    d_steps=d_steps, latent_dim=latent, width=width, depth=depth, batch_size=batch, arch=arch,
                    gp_weight=gp_weight, steps=steps, seed=seed)
    events = LIVE.wire(lang, inputs=controls, outputs=[coverage, plane, image, loss_plot, d_plot], status=status,
                       start=start_btn, pause=pause_btn, step=step_btn, stop=stop_btn, replay=replay)
    relabel_live(lang, LIVE, status, [coverage, plane, image, loss_plot, d_plot])
    preset.input(apply_preset, preset, list(controls.values()), api_name="gan_preset", queue=False)
    for widget in controls.values():  # a preset edited by hand reads "custom" (and its link carries the edits)
        widget.input(matching_preset, [preset, *controls.values()], preset, api_name=False, queue=False,
                     show_progress="hidden", trigger_mode="always_last")
    urlstate.share_preset("gan", preset, lambda name: dict(zip(LABELS, apply_preset(name))) if name in core.PRESETS
                          else {})
    for name, widget in controls.items():
        urlstate.share("gan", name, widget)
    urlstate.link_button(tr, "gan")
    session = {"session": LIVE.state, "lang": lang}
    clicked = {**session, "page": live.page_flag(lang)}  # as Stop does (``Live.withdrawn``), not Gradio's cancels
    reset_btn.click(*named(reset, clicked), [status, coverage, plane, image, loss_plot, d_plot, files, film_btn,
                                             film_files], js=live.stamp_js(len(clicked)), api_name="gan_reset",
                    queue=False)
    export_btn.click(*named(export, session), files, api_name="gan_export").success(
        lambda: gr.update(visible=True), None, files, api_name=False, queue=False)  # the tall box shows when filled
    for name in ("start", "pause", "step"):
        events[name].then(*named(film_ready, {"session": LIVE.state}), film_btn, api_name=False, queue=False)
    film_btn.click(*named(export_film, session), film_files, api_name="gan_film", concurrency_id="film",
                   concurrency_limit=1)
