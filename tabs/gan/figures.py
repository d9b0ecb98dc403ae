"""The GAN Lab's figures, as plain plotly JSON (cheap to stream): the losses, D's outputs, the plane of real and
generated points over D's map (2-D data), the fixed-noise grid (images), and the coverage in words."""

from __future__ import annotations

import functools
import math

import numpy as np
from gradio.components.plot import PlotData

from playground.data import toy2d
from playground.gan import trainer as core
from playground.kit.classifier import class_coverage, digit_classifier
from tabs.harness.i18n import t
from tabs.harness.plots import axis, image_grid, plot_json

MAX_PLOT_POINTS = 400  # the loss curves are thinned to this many points per frame
REAL_SHOWN = 400  # real points drawn under the generated ones (on screen and on the slides)
ORANGE, GREY = "#f97316", "#52525b"


def _thin(columns: dict[str, list[float]]) -> dict[str, list[float]]:
    n = len(columns["step"])
    stride = max(1, math.ceil(n / MAX_PLOT_POINTS))
    return {k: [None if isinstance(x, float) and not math.isfinite(x) else round(x, 5) for x in v[::stride]]
            for k, v in columns.items()}


def loss_figure(trainer: core.GanTrainer, lang: str) -> PlotData:
    h = _thin(trainer.history_columns())
    data = [dict(type="scatter", mode="lines", x=h["step"], y=h["loss_d"], name=t("gan.fig.loss_d", lang),
                 line=dict(color="#6366f1")),
            dict(type="scatter", mode="lines", x=h["step"], y=h["loss_g"], name=t("gan.fig.loss_g", lang),
                 line=dict(color=ORANGE))]
    return plot_json(data, dict(title=dict(text=t("gan.fig.losses", lang), x=0.01), height=300, uirevision="loss",
                            margin=dict(l=50, r=20, t=40, b=80),
                            xaxis=axis(t("gan.fig.step", lang)), yaxis=axis("")))


def d_figure(trainer: core.GanTrainer, lang: str) -> PlotData:
    h = _thin(trainer.history_columns())
    prob = trainer.config.loss in ("minimax", "ns")
    data = [dict(type="scatter", mode="lines", x=h["step"], y=h["d_real"], name=t("gan.fig.d_real", lang),
                 line=dict(color=GREY)),
            dict(type="scatter", mode="lines", x=h["step"], y=h["d_fake"], name=t("gan.fig.d_fake", lang),
                 line=dict(color=ORANGE))]
    yaxis = axis("", range=[0, 1]) if prob else axis("")
    title = t("gan.fig.d_out" if prob else "gan.fig.d_out_raw", lang)
    return plot_json(data, dict(title=dict(text=title, x=0.01), height=300, uirevision="d",
                            margin=dict(l=50, r=20, t=40, b=80), xaxis=axis(t("gan.fig.step", lang)),
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
    title = t("gan.fig.plane_avg" if trainer.config.ema > 0 else "gan.fig.plane", lang, step=trainer.step_count)
    return plot_json(data, dict(title=dict(text=title, x=0.01), height=520, margin=dict(l=50, r=20, t=70, b=40),
                            showlegend=False,  # the title's two lines name the colours
                            uirevision="plane", xaxis=axis("", range=rng, constrain="domain"),
                            yaxis=axis("", range=rng, scaleanchor="x", scaleratio=1, constrain="domain")))


def empty_plane() -> PlotData:
    """The plane before any run: its axes only (the page loads the plotting library with the tab, so the first
    frame of a run or a replay draws at once)."""
    rng = [-toy2d.EXTENT, toy2d.EXTENT]
    return plot_json([], dict(height=520, showlegend=False, uirevision="plane", xaxis=axis("", range=rng, constrain="domain"),
                          yaxis=axis("", range=rng, scaleanchor="x", scaleratio=1, constrain="domain")))


def samples_image(samples: np.ndarray) -> np.ndarray:
    """The first 64 fixed-noise images as an 8x8 mosaic, upscaled so 8x8 digits are visible too."""
    h = samples.shape[-1]
    return image_grid(samples[: core.GRID_IMAGES], ncol=8, pad=1, scale=max(1, 448 // (8 * h)))


def coverage_markdown(trainer: core.GanTrainer, cov, lang: str) -> str:
    if isinstance(cov, toy2d.Coverage):
        data = trainer.config.data
        what = t("gan.cov.centre" if data in ("ring8", "grid25") else
                 "gan.cov.drawn" if toy2d.is_drawn(data) else "gan.cov.curve", lang)
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
