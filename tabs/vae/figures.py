"""Pictures and plots of the VAE Explorer (no widgets here): latent grids, curves, scatter, q(z|x), ROC."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
import torch
from gradio.components.plot import PlotData

from playground import vae as core
from tabs.harness.i18n import t
from tabs.harness.plots import axis, base_layout, image_grid, lines_figure, plot_json

CLASS_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                 "#bcbd22", "#17becf"]
GRID_PX = 600  # the grid picture's side in pixels, about its size on screen; the browser scales it smoothly (even cells)
BIG_PX = 224


@dataclass(frozen=True)
class GridView:
    """A latent grid as drawn on screen: its spec, every cell's z, and how cells map to pixels."""

    spec: core.GridSpec
    z: torch.Tensor  # (n*n, latent): cell (row r, column c) is z[r*n + c]
    side: int        # pixels of one decoded image before scaling
    scale: int       # each decoded pixel is drawn scale x scale
    lo: float        # the range actually drawn (an automatic range may differ from the spec's)
    hi: float

    def cell_at(self, x: float, y: float) -> tuple[int, int] | None:
        """Pixel (x, y) of the picture -> (row, col), or None on a border."""
        n = self.spec.n
        col, rem_x = divmod(x / self.scale - 1, self.side + 1)
        row, rem_y = divmod(y / self.scale - 1, self.side + 1)
        if not (0 <= row < n and 0 <= col < n) or rem_x >= self.side or rem_y >= self.side:
            return None
        return int(row), int(col)


def grid_scale(n: int, side: int) -> int:
    """Pixels per decoded pixel so that the picture is about GRID_PX wide (the one place this is computed)."""
    return max(1, round(GRID_PX / (n * (side + 1) + 1)))


def draw_grid(model: core.VAE, spec: core.GridSpec, test_x: torch.Tensor | None = None,
              auto_range: bool = False) -> tuple[np.ndarray, GridView]:
    """The decoded N x N grid as one picture, and the view that maps a click on it back to its z.

    ``auto_range``: cover the box holding 98 % of the test codes (a plain AE's codes live wherever training
    put them, not in N(0, I))."""
    spec = spec.for_latent(model.latent)
    if auto_range:
        mu, _ = core.posterior(model, test_x)
        mu = mu[:, list(spec.dims)] if spec.mode == "dims" else mu
        lo, hi = float(np.quantile(mu.numpy(), 0.01)), float(np.quantile(mu.numpy(), 0.99))
        spec = core.GridSpec(spec.n, max(lo, -core.latent.Z_LIMIT), min(hi, core.latent.Z_LIMIT), spec.mode,
                             spec.dim_x, spec.dim_y)
    z = core.spec_latents(model, spec, test_x)
    images = core.decode_grid(model, z)  # (n*n, H, W)
    side = images.shape[-1]
    scale = grid_scale(spec.n, side)
    picture = image_grid(images.numpy(), ncol=spec.n, scale=scale)
    return picture, GridView(spec, z, side, scale, spec.lo, spec.hi)


def big(image: np.ndarray | torch.Tensor) -> np.ndarray:
    img = np.asarray(image, dtype=np.float32)
    return image_grid(img[None], ncol=1, pad=0, scale=max(1, BIG_PX // img.shape[-1]))


class LaterFigure:
    """A plotly figure built when Gradio serialises it (``gr.Plot`` calls ``to_json()``), i.e. after the live
    harness has let the run go on: building a figure takes longer than an update of a small model."""

    def __init__(self, build, *args) -> None:
        self._build, self._args = build, args

    def to_json(self) -> str:
        return self._build(*self._args).to_json()


def curves_figure(history: list[dict], lang: str) -> go.Figure:
    """Per-epoch train and test terms: reconstruction, KL, and -ELBO = recon + KL (nats per image)."""
    ep = [h["epoch"] for h in history]
    fig = lines_figure(ep, {t("vae.curve.recon", lang): [h["recon"] for h in history],
                            t("vae.curve.kl", lang): [h["kl"] for h in history],
                            t("vae.curve.test_nelbo", lang): [-h["test_elbo"] for h in history
                                                             if h.get("test_elbo") is not None]},
                       title=t("vae.curves_title", lang), xaxis=t("vae.epoch", lang), yaxis=t("vae.nats", lang),
                       height=330)
    if len(ep) <= 40:  # a line needs two points: a short run shows its epochs as dots too
        fig.update_traces(mode="lines+markers", marker=dict(size=5))
    for trace in fig.data:
        if trace.name == t("vae.curve.kl", lang):
            trace.update(yaxis="y2")
    fig.update_layout(yaxis2=dict(title=t("vae.kl_axis", lang), overlaying="y", side="right", showgrid=False))
    return fig


def scatter_figure(model: core.VAE, test, spec: core.GridSpec, lang: str, n_sigma: int = 40) -> go.Figure:
    """Posterior means of the test set coloured by class; 1-sigma ellipses for a few points (VAE only)."""
    spec = spec.for_latent(model.latent)
    mu, sigma = core.posterior(model, test.x)
    if spec.mode == "pca":
        center, basis = core.pca_plane(mu)
        xy = (mu - center) @ basis.T                                  # (N, 2)
        sxy = torch.sqrt((sigma ** 2) @ (basis.T ** 2))               # (N, 2) sigma along the plane's axes
        axes = ("PC1", "PC2")
    else:
        xy, sxy = mu[:, list(spec.dims)], sigma[:, list(spec.dims)]
        axes = tuple(f"z{d}" for d in spec.dims)
    xy, sxy, y = xy.numpy(), sxy.numpy(), test.y.numpy()
    fig = go.Figure()
    for c, label in enumerate(test.classes):
        m = y == c
        fig.add_trace(go.Scattergl(x=xy[m, 0], y=xy[m, 1], mode="markers", name=label,
                                   marker=dict(size=4, color=CLASS_COLOURS[c % 10], opacity=0.7)))
    if model.variational:
        theta = np.linspace(0, 2 * np.pi, 40)
        pick = np.random.default_rng(0).choice(len(xy), size=min(n_sigma, len(xy)), replace=False)
        ex, ey = [], []
        for i in pick:
            ex += list(xy[i, 0] + sxy[i, 0] * np.cos(theta)) + [None]
            ey += list(xy[i, 1] + sxy[i, 1] * np.sin(theta)) + [None]
        fig.add_trace(go.Scatter(x=ex, y=ey, mode="lines", name=t("vae.sigma_ellipse", lang),
                                 line=dict(color="rgba(0,0,0,0.45)", width=1), hoverinfo="skip"))
    title = t("vae.scatter_title" if model.variational else "vae.ae_scatter_title", lang)
    base_layout(fig, title, height=420)
    fig.update_xaxes(title_text=axes[0])
    # equal aspect: one unit of z is as long across as up, so a 1-sigma ellipse keeps its true shape
    fig.update_yaxes(title_text=axes[1], scaleanchor="x", scaleratio=1)
    return fig


def reparam_figure(r: core.Reparameterization, lang: str) -> PlotData:
    """mu, the 1- and 2-sigma ellipses of q(z|x) in the first two dimensions, and the drawn z. Plain plotly JSON
    (``plot_json``): building it as a ``go.Figure`` took 40-70 ms of the click's answer, this under 1 ms."""
    d = (0, 1) if len(r.mu) > 1 else (0, 0)
    mu, s, z = r.mu.numpy().astype(float), r.sigma.numpy().astype(float), r.z.numpy().astype(float)
    theta = np.linspace(0, 2 * np.pi, 60)
    data = [dict(type="scatter", x=_r(mu[d[0]] + k * s[d[0]] * np.cos(theta)),
                 y=_r(mu[d[1]] + k * s[d[1]] * np.sin(theta)), mode="lines",
                 line=dict(dash=dash, color="#6366f1"), name=f"μ ± {k}σ") for k, dash in ((1, "solid"), (2, "dot"))]
    data += [dict(type="scatter", x=[0], y=[0], mode="markers", marker=dict(symbol="x", size=9, color="#888"),
                  name=t("vae.prior_centre", lang)),
             dict(type="scatter", x=[mu[d[0]]], y=[mu[d[1]]], mode="markers", marker=dict(size=11, color="#6366f1"),
                  name="μ"),
             dict(type="scatter", x=[z[d[0]]], y=[z[d[1]]], mode="markers",
                  marker=dict(size=11, color="#ef4444", symbol="star"), name="z = μ + σ·ε")]
    arrow = dict(x=z[d[0]], y=z[d[1]], ax=mu[d[0]], ay=mu[d[1]], xref="x", yref="y", axref="x", ayref="y",
                 showarrow=True, arrowhead=2, arrowcolor="#ef4444", text="")
    layout = dict(title=dict(text=t("vae.reparam_plot", lang), x=0.01, font=dict(size=14)), height=320,
                  margin=dict(l=50, r=20, t=40, b=40), legend=dict(orientation="h", y=-0.18), annotations=[arrow],
                  xaxis=axis(f"z{d[0]}"), yaxis=axis(f"z{d[1]}", scaleanchor="x", scaleratio=1))
    return plot_json(data, layout)


def _r(values, digits: int = 4) -> list:
    return np.round(np.asarray(values, dtype=np.float64), digits).tolist()


def reparam_table(r: core.Reparameterization, label: str, lang: str) -> str:
    rows = [f"| z{j} | {r.mu[j]:+.3f} | {r.sigma[j]:.3f} | {r.eps[j]:+.3f} | {r.z[j]:+.3f} |"
            for j in range(min(8, len(r.mu)))]
    return (t("vae.reparam_caption", lang, label=label) +
            "\n\n| | μ | σ | ε | z = μ + σ·ε |\n|---|---|---|---|---|\n" + "\n".join(rows))


def reparam_strip(r: core.Reparameterization) -> np.ndarray:
    return image_grid(np.stack([r.image.numpy(), r.mean_reconstruction.numpy(), r.reconstruction.numpy()]),
                      ncol=3, pad=1, scale=max(1, 150 // r.image.shape[-1]))


def anomaly_dict(r: core.AnomalyResult, data: str, label: str | None) -> dict:
    """The scores and what they compare: ``data`` the model's data set, ``label`` the held-out class (None: the
    other data set played the anomaly)."""
    return {"normal": r.normal, "anomalous": r.anomalous, "fpr": r.fpr, "tpr": r.tpr, "auc": r.auc,
            "score": r.score, "data": data, "label": label}


def describe(res: dict, lang: str) -> str:
    """What the anomaly result compares, in ``lang`` ("MNIST: class 3 held out", "MNIST vs Fashion-MNIST")."""
    data = t(f"vae.set.{res['data']}", lang)
    if res["label"] is not None:
        return t("vae.desc.holdout", lang, data=data, label=res["label"])
    return t("vae.desc.other", lang, data=data, other=t(f"vae.set.{core.other_set_name(res['data'])}", lang))


def anomaly_figures(res: dict, threshold: float | None, lang: str) -> tuple[go.Figure, go.Figure, str]:
    normal, anomalous = np.asarray(res["normal"]), np.asarray(res["anomalous"])
    fpr, tpr = np.asarray(res["fpr"]), np.asarray(res["tpr"])
    if threshold is None:
        threshold = float(np.quantile(normal, 0.95))
    lo, hi = float(min(normal.min(), anomalous.min())), float(max(normal.max(), anomalous.max()))
    bins = dict(start=lo, end=hi, size=(hi - lo) / 60 or 1.0)
    hist = go.Figure()
    hist.add_trace(go.Histogram(x=normal, name=t("vae.normal", lang), xbins=bins, opacity=0.6,
                                histnorm="probability density", marker_color="#3b82f6"))
    hist.add_trace(go.Histogram(x=anomalous, name=t("vae.anomalous", lang), xbins=bins, opacity=0.6,
                                histnorm="probability density", marker_color="#ef4444"))
    hist.add_vline(x=threshold, line=dict(color="black", dash="dash"))
    base_layout(hist, t("vae.hist_title", lang, desc=describe(res, lang)), height=340, barmode="overlay")
    hist.update_xaxes(title_text=t(f"vae.score.{res['score']}", lang))
    fp, tp = float(np.mean(normal > threshold)), float(np.mean(anomalous > threshold))
    roc = go.Figure()
    roc.add_trace(go.Scatter(x=fpr, y=tpr, mode="lines", name=f"ROC (AUC = {res['auc']:.3f})",
                             line=dict(color="#8b5cf6")))
    roc.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", line=dict(dash="dot", color="#aaa"),
                             name=t("vae.chance", lang)))
    roc.add_trace(go.Scatter(x=[fp], y=[tp], mode="markers", marker=dict(size=11, color="black"),
                             name=t("vae.at_threshold", lang)))
    base_layout(roc, t("vae.roc_title", lang, auc=res["auc"]), height=340)
    roc.update_xaxes(title_text=t("vae.fpr", lang), range=[0, 1])
    roc.update_yaxes(title_text=t("vae.tpr", lang), range=[0, 1.02])
    note = t("vae.threshold_note", lang, thr=threshold, fp=100 * fp, tp=100 * tp, auc=res["auc"])
    return hist, roc, note
