"""GAN Lab: train a GAN live and watch the generator and the discriminator play their game.

Each browser session owns a ``GanSession`` (in ``gr.State``) holding its ``GanTrainer``; the training
loop is a generator handler that streams a frame about every ``RENDER_INTERVAL`` seconds. Pause,
Stop, Reset and Start end a running loop by changing the session's run token (checked every few
steps), so a loop never trains a step after it has been superseded; Stop also cancels the event.
"""

from __future__ import annotations

import json
import math
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import gradio as gr
import numpy as np
from gradio.components.plot import PlotData

from playground import gan as core
from playground import toy2d
from playground.datasets import fashion_available
from tabs.common import lesson, user_errors
from tabs.i18n import error, t
from tabs.plots import FONT, image_grid

RENDER_INTERVAL = 0.4  # seconds between streamed frames: 2.5 a second (the issue asks for >= 2)
CHUNK = 10  # steps between checks of the run token (pause / stop react within one chunk)
MAX_PLOT_POINTS = 400  # the loss curves are thinned to this many points per frame
REAL_SHOWN = 400  # real points drawn under the generated ones
ORANGE, GREY = "#f97316", "#52525b"

PRESET_CHOICES = [(f"gan.preset.{name}", name) for name in core.PRESETS]
LOSS_CHOICES = [(f"gan.loss.{name}", name) for name in core.LOSSES]
ARCH_CHOICES = [(f"gan.arch.{name}", name) for name in core.ARCHS]
OPTIMIZER_CHOICES = [("Adam", "adam"), ("SGD", "sgd")]
# (config field, string key of its label) in the order of the inputs after `session`
FIELDS = [("data", "gan.data"), ("loss", "gan.loss"), ("optimizer", "gan.optimizer"), ("lr_g", "gan.lr_g"),
          ("lr_d", "gan.lr_d"), ("beta1", "gan.beta1"), ("beta2", "gan.beta2"), ("d_steps", "gan.d_steps"),
          ("latent_dim", "gan.latent_dim"), ("width", "gan.width"), ("depth", "gan.depth"),
          ("batch_size", "gan.batch_size"), ("arch", "gan.arch"), ("gp_weight", "gan.gp_weight"),
          ("steps", "gan.steps"), ("seed", "gan.seed")]


def data_choices() -> list[tuple[str, str]]:
    names = list(core.TOY_SETS) + ["mnist", "digits"] + (["fashion"] if fashion_available() else [])
    return [(f"gan.data.{name}", name) for name in names]


# ---------------------------------------------------------------- per-session state
@dataclass
class GanSession:
    """What one browser session owns. Deep-copyable: gr.State copies the empty default per session."""

    trainer: core.GanTrainer | None = None
    token: int = 0  # a loop trains only while the token it started with is still current
    running: bool = False
    target: int = 0  # the step the current run trains to
    loops: int = 0  # training loops of this session still inside run_loop
    last_frame: float = field(default=0.0, repr=False)

    def supersede(self) -> None:
        """End whatever loop is running (it notices within one chunk of steps)."""
        self.token += 1
        self.running = False

    def halt(self, timeout: float = 3.0) -> None:
        """Supersede, then wait until every loop has left run_loop, so that no frame of theirs can
        arrive after (and overwrite) the status the caller is about to show."""
        self.supersede()
        deadline = time.perf_counter() + timeout
        while self.loops > 0 and time.perf_counter() < deadline:
            time.sleep(0.01)


# ---------------------------------------------------------------- reading the controls
def config_from_inputs(values: list, lang: str) -> core.GanConfig:
    """Build a ``GanConfig`` from the widgets' values; bad values raise a translated ``gr.Error``."""
    raw = dict(zip([name for name, _ in FIELDS], values))
    labels = dict(FIELDS)
    for name, allowed in core.CHOICES.items():
        if raw[name] not in allowed:
            raise error("gan.err.choice", lang, name=t(labels[name], lang), value=raw[name])
    clean = {}
    for name, value in raw.items():
        if name in core.CHOICES:
            clean[name] = value
            continue
        label = t(labels[name], lang)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise error("gan.err.missing", lang, name=label)
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise error("gan.err.range", lang, name=label, lo="?", hi="?", value=value) from None
        lo, hi, integer = core.limits(name, raw["data"])
        if name in core.OPEN_LOW and not (math.isfinite(value) and lo < value <= hi):
            raise error("gan.err.lr", lang, name=label, value=value)
        if not (math.isfinite(value) and lo <= value <= hi):
            raise error("gan.err.range", lang, name=label, lo=_fmt(lo), hi=_fmt(hi), value=_fmt(value))
        if integer and value != int(value):
            raise error("gan.err.integer", lang, name=label, value=value)
        clean[name] = int(value) if integer else value
    if clean["arch"] == "dcgan" and clean["data"] in core.TOY_SETS:
        raise error("gan.err.dcgan_toy", lang)
    if clean["data"] == "fashion" and not fashion_available():
        raise error("gan.err.fashion", lang)
    try:
        return core.GanConfig(**clean)
    except ValueError as e:  # anything the checks above did not phrase
        raise error("gan.err.config", lang, msg=str(e)) from e


def _fmt(x: float) -> str:
    return f"{x:g}" if isinstance(x, float) else str(x)


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
    acc = core.digit_classifier(trainer.config.data).test_accuracy
    per = " ".join(f"{i}:{c}" for i, c in enumerate(cov.per_class))
    return t("gan.cov.images", lang, covered=cov.classes_covered, n=cov.n_classes, thr=cov.threshold,
             conf=cov.confident, mean=cov.mean_confidence, per=per, acc=acc)


def status_markdown(session: GanSession, key: str, lang: str) -> str:
    tr = session.trainer
    rate = tr.step_count / tr.elapsed if tr.elapsed > 0 else 0.0
    pg, pd = tr.n_params
    device = str(tr.device)
    return t(key, lang, step=tr.step_count, target=session.target, rate=rate, elapsed=tr.elapsed, pg=pg, pd=pd,
             device=device, more=tr.config.steps)


def render(session: GanSession, status_key: str, lang: str, show: bool = False) -> tuple:
    """One frame: (status, coverage, plane, image, losses, D outputs).

    ``show``: also switch between the plane (2-D data) and the image grid (images)."""
    tr = session.trainer
    samples, heat, cov = tr.visuals()
    if tr.config.is_toy:
        plane, image = plane_figure(tr, samples, heat, lang), gr.skip()
        if show:
            plane, image = gr.update(value=plane, visible=True), gr.update(visible=False)
    else:
        plane, image = gr.skip(), samples_image(samples)
        if show:
            plane, image = gr.update(visible=False), gr.update(value=image, visible=True)
    return (status_markdown(session, status_key, lang), coverage_markdown(tr, cov, lang), plane, image,
            loss_figure(tr, lang), d_figure(tr, lang))


# ---------------------------------------------------------------- the streaming loop
def run_loop(session: GanSession, lang: str) -> Iterator[tuple]:
    """Train ``session.trainer`` up to ``session.target``, yielding a frame every RENDER_INTERVAL seconds.

    Ends (after a last frame) when done, or at once, without another step, when superseded."""
    session.supersede()
    token = session.token
    session.running = True
    session.loops += 1
    trainer = session.trainer
    last = 0.0
    try:
        while trainer.step_count < session.target:
            n = min(CHUNK, session.target - trainer.step_count)
            for _ in trainer.step(n, report_every=CHUNK):
                pass
            if session.token != token:
                return  # paused, stopped, reset or restarted elsewhere: the other handler draws
            now = time.perf_counter()
            if now - last >= RENDER_INTERVAL:
                last = now
                yield render(session, "gan.status.running", lang)
        session.running = False
        yield render(session, "gan.status.done", lang)
    finally:
        session.loops -= 1
        if session.token == token:
            session.running = False


# ---------------------------------------------------------------- handlers
N_OUT = 6  # status, coverage, plane, image, losses, d outputs


def _blank(lang: str, status_key: str) -> tuple:
    return (t(status_key, lang), "", None, None, None, None)


@user_errors
def start(session: GanSession, *args):
    """Start a new run with the settings on screen (ends this session's running one)."""
    *values, lang = args
    config = config_from_inputs(values, lang)
    session.supersede()
    if not config.is_toy:
        yield (t("gan.status.classifier", lang), *[gr.skip()] * (N_OUT - 1))
        core.digit_classifier(config.data)  # trained once, cached for everyone
    session.trainer = core.GanTrainer(config)
    session.target = config.steps
    yield render(session, "gan.status.running", lang, show=True)
    yield from run_loop(session, lang)


@user_errors
def pause_resume(session: GanSession, lang: str):
    """Pause a running loop, or resume a paused one (to its target, or another ``steps`` when done)."""
    if session.running:
        session.halt()
        yield (status_markdown(session, "gan.status.paused", lang), *[gr.skip()] * (N_OUT - 1))
        return
    if session.trainer is None:
        raise error("gan.err.no_run", lang)
    if session.trainer.step_count >= session.target:
        session.target = session.trainer.step_count + session.trainer.config.steps
    yield from run_loop(session, lang)


@user_errors
def single_step(session: GanSession, *args):
    """Exactly one more step (d_steps D updates and one G update); pauses a running loop first."""
    *values, lang = args
    session.supersede()
    if session.trainer is None:
        config = config_from_inputs(values, lang)
        session.trainer = core.GanTrainer(config)
        session.target = config.steps
    for _ in session.trainer.step(1):
        pass
    return render(session, "gan.status.stepped", lang, show=True)


def stop(session: GanSession, lang: str):
    """Stop the running loop (its event is cancelled too); the model stays for Resume and downloads."""
    session.halt()
    if session.trainer is None:
        return t("gan.status.idle", lang)
    return status_markdown(session, "gan.status.stopped", lang)


def reset(session: GanSession, lang: str):
    session.supersede()
    session.trainer = None
    session.target = 0
    return (*_blank(lang, "gan.status.reset"), gr.update(value=None, visible=False))


@user_errors
def export(session: GanSession, lang: str) -> list[str]:
    """Write the generator (.safetensors) and the loss history (.csv) for download."""
    if session.trainer is None:
        raise error("gan.err.no_run", lang)
    folder = Path(tempfile.mkdtemp(prefix="gan-"))
    tag = f"{session.trainer.config.data}-step{session.trainer.step_count}"
    return [str(session.trainer.save_generator(folder / f"generator-{tag}.safetensors")),
            str(session.trainer.save_history_csv(folder / f"history-{tag}.csv"))]


def apply_preset(name: str) -> tuple:
    p = core.preset_config(name)
    return tuple(getattr(p, f) for f, _ in FIELDS)


# ---------------------------------------------------------------- layout
def build(tr, lang: gr.Radio) -> None:
    lesson(tr, "gan.lesson", open=False)
    session = gr.State(GanSession())
    p = core.preset_config(core.DEFAULT_PRESET)
    with gr.Row():
        with gr.Column(scale=1, min_width=320):
            preset = tr(gr.Dropdown, label="gan.preset", info="gan.preset_info", choices=PRESET_CHOICES,
                        value=core.DEFAULT_PRESET, elem_id="gan-preset")
            data = tr(gr.Dropdown, label="gan.data", choices=data_choices(), value=p.data, elem_id="gan-data")
            loss = tr(gr.Radio, label="gan.loss", choices=LOSS_CHOICES, value=p.loss, elem_id="gan-loss")
            with gr.Row():
                lr_g = tr(gr.Number, label="gan.lr_g", info="gan.lr_info", value=p.lr_g, elem_id="gan-lr-g")
                lr_d = tr(gr.Number, label="gan.lr_d", value=p.lr_d, elem_id="gan-lr-d")
            d_steps = tr(gr.Slider, label="gan.d_steps", minimum=1, maximum=10, step=1, value=p.d_steps)
            with gr.Row():
                steps = tr(gr.Number, label="gan.steps", value=p.steps, precision=0, elem_id="gan-steps")
                seed = tr(gr.Number, label="gan.seed", value=p.seed, precision=0, elem_id="gan-seed")
            with tr(gr.Accordion, label="gan.advanced", open=False):
                optimizer = tr(gr.Radio, label="gan.optimizer", choices=OPTIMIZER_CHOICES, value=p.optimizer)
                with gr.Row():
                    beta1 = tr(gr.Slider, label="gan.beta1", minimum=0.0, maximum=0.99, step=0.01, value=p.beta1)
                    beta2 = tr(gr.Slider, label="gan.beta2", minimum=0.5, maximum=0.9999, step=0.0001, value=p.beta2)
                arch = tr(gr.Radio, label="gan.arch", choices=ARCH_CHOICES, value=p.arch)
                latent = tr(gr.Slider, label="gan.latent_dim", minimum=1, maximum=256, step=1, value=p.latent_dim)
                width = tr(gr.Slider, label="gan.width", minimum=4, maximum=1024, step=4, value=p.width)
                depth = tr(gr.Slider, label="gan.depth", minimum=1, maximum=6, step=1, value=p.depth)
                batch = tr(gr.Slider, label="gan.batch_size", minimum=8, maximum=2048, step=8, value=p.batch_size)
                gp_weight = tr(gr.Number, label="gan.gp_weight", value=p.gp_weight)
        with gr.Column(scale=2):
            with gr.Row():
                start_btn = tr(gr.Button, value="gan.start", variant="primary", elem_id="gan-start")
                pause_btn = tr(gr.Button, value="gan.pause_resume", elem_id="gan-pause")
                step_btn = tr(gr.Button, value="gan.step", elem_id="gan-step")
                stop_btn = tr(gr.Button, value="gan.stop", variant="stop", elem_id="gan-stop")
                reset_btn = tr(gr.Button, value="gan.reset", elem_id="gan-reset")
            status = tr(gr.Markdown, value="gan.status.idle", elem_id="gan-status")
            coverage = gr.Markdown(elem_id="gan-coverage")
            plane = gr.Plot(elem_id="gan-plane", show_label=False)
            image = tr(gr.Image, label="gan.samples_image", interactive=False, visible=False, elem_id="gan-image",
                       elem_classes=["grid-image"], buttons=["download"], height=420)
            with gr.Row():
                loss_plot = gr.Plot(elem_id="gan-losses", show_label=False)
                d_plot = gr.Plot(elem_id="gan-d", show_label=False)
            with gr.Row():
                export_btn = tr(gr.Button, value="gan.export", elem_id="gan-export", scale=0, min_width=200)
                files = tr(gr.File, label="gan.files", file_count="multiple", interactive=False, elem_id="gan-files",
                           visible=False,
                           height=110)

    controls = [data, loss, optimizer, lr_g, lr_d, beta1, beta2, d_steps, latent, width, depth, batch, arch,
                gp_weight, steps, seed]
    # the buttons stay out of the outputs: a streaming event's outputs are locked while it runs
    frame = [status, coverage, plane, image, loss_plot, d_plot]
    train = dict(concurrency_id="gan_train", concurrency_limit=8)  # 8 slots: 4 users, each with a pause click
    preset.input(apply_preset, preset, controls, api_name="gan_preset", queue=False)
    start_evt = start_btn.click(start, [session, *controls, lang], frame, api_name="gan_start", **train)
    resume_evt = pause_btn.click(pause_resume, [session, lang], frame, api_name="gan_pause_resume", **train)
    step_evt = step_btn.click(single_step, [session, *controls, lang], frame, api_name="gan_step", **train)
    stop_btn.click(stop, [session, lang], status, cancels=[start_evt, resume_evt], api_name="gan_stop",
                   queue=False)
    reset_btn.click(reset, [session, lang], frame + [files], cancels=[start_evt, resume_evt, step_evt],
                    api_name="gan_reset", queue=False)
    export_btn.click(export, [session, lang], files, api_name="gan_export").success(
        lambda: gr.update(visible=True), None, files, api_name=False, queue=False)  # the tall box shows when filled
