"""VAE Explorer: train a VAE (or load the shipped one), walk its latent space, detect anomalies.

Each browser session keeps its own models as state_dicts in ``gr.State`` (deep-copyable); the shipped
checkpoint and the data sets are module-level and read-only.
"""

from __future__ import annotations

import copy
import functools
import math
import time
from dataclasses import asdict

import gradio as gr
import numpy as np
import plotly.graph_objects as go
import torch

from playground import vae as core
from playground.datasets import available_image_sets
from playground.runtime import pick_device
from tabs.common import device_notice, lesson, user_errors
from tabs.i18n import error, t
from tabs.plots import base_layout, image_grid, lines_figure

CLASS_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                 "#bcbd22", "#17becf"]
GRID_N, GRID_RANGE, CELL_SCALE = 20, 3.0, 3
BIG_PX = 224
YIELD_EVERY_S = 0.3


# ---------------------------------------------------------------- shared, read-only
@functools.lru_cache(maxsize=1)
def default_state() -> dict:
    """The shipped checkpoint (made by ``python -m playground vae --ae --save ...``) as a session state."""
    cfg, models, extra = core.load_checkpoint(core.ASSET)
    return {"cfg": asdict(cfg), "vae": _sd(models["vae"]), "ae": _sd(models["ae"]) if "ae" in models else None,
            "history": extra.get("history", []), "pretrained": True, "anomaly": None}


@functools.lru_cache(maxsize=8)
def _split(data: str, seed: int, test_fraction: float, holdout: int) -> core.Split:
    return core.load_split(core.VaeConfig(data=data, seed=seed, test_fraction=test_fraction, holdout=holdout))


def _sd(model: torch.nn.Module) -> dict:
    return {k: v.detach().cpu().clone() for k, v in model.state_dict().items()}


def _cfg(state: dict, **changes) -> core.VaeConfig:
    return core.VaeConfig.from_dict({**state["cfg"], "device": "cpu", **changes})


def _model(state: dict, name: str = "vae") -> core.VAE:
    """Rebuild a session's model from its state_dict (a few ms for the default size)."""
    cfg = _cfg(state, kind=name)
    model = core.VAE(cfg, _shape(cfg))
    model.load_state_dict(state[name])
    return model.eval()


def _shape(cfg: core.VaeConfig) -> tuple[int, int, int]:
    return (1, 8, 8) if cfg.data == "digits" else (1, 28, 28)


def _test(state: dict) -> core.Split:
    cfg = _cfg(state)
    return _split(cfg.data, cfg.seed, cfg.test_fraction, -1)


# ---------------------------------------------------------------- input checks (translated)
def _config_from_inputs(data, arch, latent, hidden, beta, epochs, lr, batch, seed, lang) -> core.VaeConfig:
    if data not in available_image_sets():
        raise error("vae.err.data", lang, name=data)
    checks = [("latent", latent, 1, 16), ("hidden", hidden, 16, 1024), ("epochs", epochs, 1, 200),
              ("batch", batch, 8, 1024), ("seed", seed, 0, 2**31 - 1)]
    for name, value, lo, hi in checks:
        if value is None or not float(value).is_integer() or not lo <= value <= hi:
            raise error("vae.err.int", lang, name=t(f"vae.{name}", lang), lo=lo, hi=hi, value=value)
    if beta is None or not math.isfinite(beta) or not 0 <= beta <= 10:
        raise error("vae.err.beta", lang, value=beta)
    if lr is None or not math.isfinite(lr) or not 0 < lr <= 0.1:
        raise error("vae.err.lr", lang, value=lr)
    return core.VaeConfig(data=data, arch=arch, latent=int(latent), hidden=int(hidden), beta=float(beta),
                          epochs=int(epochs), lr=float(lr), batch_size=int(batch), seed=int(seed), device="auto")


def _grid_spec(state: dict, n, lo, hi, mode, dim_x, dim_y, lang) -> dict:
    latent = state["cfg"]["latent"]
    if n is None or not 2 <= n <= 40:
        raise error("vae.err.grid_n", lang)
    if lo is None or hi is None or not lo < hi:
        raise error("vae.err.range", lang)
    if latent > 2 and mode == "dims" and (dim_x == dim_y or not (0 <= dim_x < latent and 0 <= dim_y < latent)):
        raise error("vae.err.dims", lang, hi=latent - 1)
    return dict(n=int(n), lo=float(lo), hi=float(hi), mode=mode if latent > 2 else "dims",
                dims=(int(dim_x), int(dim_y)) if latent > 2 else (0, 1))


def _index(value, n: int, lang: str) -> int:
    if value is None or not float(value).is_integer() or not 0 <= value < n:
        raise error("vae.err.index", lang, hi=n - 1)
    return int(value)


# ---------------------------------------------------------------- pictures
def _plane(state: dict, model: core.VAE, spec: dict):
    if spec["mode"] != "pca":
        return None
    mu, _ = core.posterior(model, _test(state).test.x)
    return core.pca_plane(mu)


def grid_picture(state: dict, spec: dict, name: str = "vae", auto_range: bool = False) -> tuple[np.ndarray, tuple]:
    """The decoded N x N grid as one picture, and the range it covers."""
    model = _model(state, name)
    lo, hi = spec["lo"], spec["hi"]
    if auto_range:  # the AE's codes live wherever training put them: cover them, not N(0, I)
        mu, _ = core.posterior(model, _test(state).test.x)
        mu = mu[:, list(spec["dims"])] if spec["mode"] == "dims" else mu
        lo, hi = float(np.quantile(mu.numpy(), 0.01)), float(np.quantile(mu.numpy(), 0.99))
    images, _ = core.latent_grid(model, spec["n"], lo, hi, spec["dims"], _plane(state, model, spec))
    scale = max(1, round(560 / (spec["n"] * (images.shape[-1] + 1))))
    return image_grid(images.numpy(), ncol=spec["n"], scale=scale), (lo, hi)


def cell_from_click(x: int, y: int, n: int, side: int, scale: int) -> tuple[int, int] | None:
    """Pixel (x, y) of the grid picture -> (row, col) of the cell, or None on a border."""
    col, rem_x = divmod(x / scale - 1, side + 1)
    row, rem_y = divmod(y / scale - 1, side + 1)
    if not (0 <= row < n and 0 <= col < n) or rem_x >= side or rem_y >= side:
        return None
    return int(row), int(col)


def big(image: np.ndarray | torch.Tensor) -> np.ndarray:
    img = np.asarray(image, dtype=np.float32)
    return image_grid(img[None], ncol=1, pad=0, scale=max(1, BIG_PX // img.shape[-1]))


def curves_figure(history: list[dict], lang: str) -> go.Figure:
    """Per-epoch train and test terms: reconstruction, KL, and -ELBO = recon + KL (nats per image)."""
    ep = [h["epoch"] for h in history]
    fig = lines_figure(ep, {t("vae.curve.recon", lang): [h["recon"] for h in history],
                            t("vae.curve.kl", lang): [h["kl"] for h in history],
                            t("vae.curve.test_nelbo", lang): [-h["test_elbo"] for h in history if "test_elbo" in h]},
                       title=t("vae.curves_title", lang), xaxis=t("vae.epoch", lang), yaxis=t("vae.nats", lang),
                       height=330)
    for tr_ in fig.data:
        if tr_.name == t("vae.curve.kl", lang):
            tr_.update(yaxis="y2")
    fig.update_layout(yaxis2=dict(title=t("vae.kl_axis", lang), overlaying="y", side="right", showgrid=False))
    return fig


def scatter_figure(state: dict, spec: dict, lang: str, name: str = "vae", n_sigma: int = 40) -> go.Figure:
    """Posterior means of the test set coloured by class; 1-sigma ellipses for a few points."""
    model = _model(state, name)
    test = _test(state).test
    mu, sigma = core.posterior(model, test.x)
    if spec["mode"] == "pca":
        center, basis = core.pca_plane(mu)
        xy = (mu - center) @ basis.T                                  # (N, 2)
        sxy = torch.sqrt((sigma ** 2) @ (basis.T ** 2))               # (N, 2) sigma along the plane's axes
        axes = ("PC1", "PC2")
    else:
        xy, sxy = mu[:, list(spec["dims"])], sigma[:, list(spec["dims"])]
        axes = tuple(f"z{d}" for d in spec["dims"])
    xy, sxy, y = xy.numpy(), sxy.numpy(), test.y.numpy()
    fig = go.Figure()
    for c, label in enumerate(test.classes):
        m = y == c
        fig.add_trace(go.Scattergl(x=xy[m, 0], y=xy[m, 1], mode="markers", name=label,
                                   marker=dict(size=4, color=CLASS_COLOURS[c % 10], opacity=0.7)))
    if name == "vae":
        theta = np.linspace(0, 2 * np.pi, 40)
        pick = np.random.default_rng(0).choice(len(xy), size=min(n_sigma, len(xy)), replace=False)
        ex, ey = [], []
        for i in pick:
            ex += list(xy[i, 0] + sxy[i, 0] * np.cos(theta)) + [None]
            ey += list(xy[i, 1] + sxy[i, 1] * np.sin(theta)) + [None]
        fig.add_trace(go.Scatter(x=ex, y=ey, mode="lines", name=t("vae.sigma_ellipse", lang),
                                 line=dict(color="rgba(0,0,0,0.45)", width=1), hoverinfo="skip"))
    title = t("vae.scatter_title" if name == "vae" else "vae.ae_scatter_title", lang)
    base_layout(fig, title, height=420)
    fig.update_xaxes(title_text=axes[0])
    fig.update_yaxes(title_text=axes[1])
    return fig


# ---------------------------------------------------------------- handlers
def _history_row(s: core.Snapshot) -> dict:
    return {"epoch": s.epoch, "recon": s.recon, "kl": s.kl, "test_recon": s.test_recon, "test_kl": s.test_kl,
            "test_elbo": s.test_elbo}


@user_errors
def train_vae(data, arch, latent, hidden, beta, epochs, lr, batch, seed, n, lo, hi, mode, dim_x, dim_y, lang, state):
    """Train a fresh VAE for this session, streaming curves, status and the latent grid."""
    cfg = _config_from_inputs(data, arch, latent, hidden, beta, epochs, lr, batch, seed, lang)
    split = _split(cfg.data, cfg.seed, cfg.test_fraction, -1)
    torch.manual_seed(cfg.seed)
    model = core.build_model(cfg, split.train.shape).to(pick_device(cfg.device))
    new = {"cfg": {**asdict(cfg), "device": "cpu"}, "vae": None, "ae": None, "history": [], "pretrained": False,
           "anomaly": None}
    spec = _grid_spec(new, n, lo, hi, mode, dim_x, dim_y, lang)
    last = 0.0
    grid = gr.update()
    for snap in core.train(model, cfg, split, report_every=5):
        if snap.test_elbo is not None:
            new["history"].append(_history_row(snap))
            new["vae"] = _sd(model)
            grid = grid_picture(new, spec)[0]
        elif time.perf_counter() - last < YIELD_EVERY_S:
            continue
        last = time.perf_counter()
        status = t("vae.status.training", lang, epoch=snap.epoch, epochs=cfg.epochs, recon=snap.recon, kl=snap.kl,
                   elbo=snap.elbo, s=snap.elapsed)
        if snap.done:
            status = t("vae.status.done", lang, elbo=snap.test_elbo, recon=snap.test_recon, kl=snap.test_kl,
                       s=snap.elapsed) + "  \n" + device_notice(lang)
        yield (curves_figure(new["history"], lang) if new["history"] else gr.update(), status, grid,
               copy.deepcopy(new) if snap.test_elbo is not None else gr.update())


@user_errors
def reset(lang):
    state = copy.deepcopy(default_state())
    return state, curves_figure(state["history"], lang), _status_pretrained(state, lang)


def relabel(state: dict, lang: str):
    """After a language switch: the figure texts and, for the shipped model, its status line."""
    status = _status_pretrained(state, lang) if state.get("pretrained") else gr.update()
    return curves_figure(state["history"], lang), status


def _status_pretrained(state: dict, lang: str) -> str:
    h = state["history"][-1] if state["history"] else {}
    return t("vae.status.pretrained", lang, elbo=h.get("test_elbo", float("nan")), epochs=state["cfg"]["epochs"])


@user_errors
def draw_grid(state, n, lo, hi, mode, dim_x, dim_y, lang):
    spec = _grid_spec(state, n, lo, hi, mode, dim_x, dim_y, lang)
    return grid_picture(state, spec)[0]


@user_errors
def pick_cell(state, n, lo, hi, mode, dim_x, dim_y, lang, evt: gr.SelectData):
    """A click on the latent grid: decode that cell's z, large, and say where it lies."""
    spec = _grid_spec(state, n, lo, hi, mode, dim_x, dim_y, lang)
    model = _model(state)
    side = model.shape[-1]
    scale = max(1, round(560 / (spec["n"] * (side + 1))))
    cell = cell_from_click(int(evt.index[0]), int(evt.index[1]), spec["n"], side, scale)
    if cell is None:
        return gr.update(), t("vae.cell_border", lang)
    row, col = cell
    z = core.grid_latents(spec["n"], spec["lo"], spec["hi"], model.latent, spec["dims"], _plane(state, model, spec))
    zc = z[row * spec["n"] + col]
    image = core.decode_grid(model, zc[None])[0]
    coords = ", ".join(f"{v:+.2f}" for v in zc.tolist()[:8]) + (" …" if model.latent > 8 else "")
    return big(image.numpy()), t("vae.cell_info", lang, row=row, col=col, z=coords)


@user_errors
def show_scatter(state, n, lo, hi, mode, dim_x, dim_y, lang):
    return scatter_figure(state, _grid_spec(state, n, lo, hi, mode, dim_x, dim_y, lang), lang)


def reparam_figure(r: core.Reparameterization, lang: str) -> go.Figure:
    """mu, the 1- and 2-sigma ellipses of q(z|x) in the first two dimensions, and the drawn z."""
    d = (0, 1) if len(r.mu) > 1 else (0, 0)
    mu, s, z = r.mu.numpy(), r.sigma.numpy(), r.z.numpy()
    theta = np.linspace(0, 2 * np.pi, 60)
    fig = go.Figure()
    for k, dash in ((1, "solid"), (2, "dot")):
        fig.add_trace(go.Scatter(x=mu[d[0]] + k * s[d[0]] * np.cos(theta), y=mu[d[1]] + k * s[d[1]] * np.sin(theta),
                                 mode="lines", line=dict(dash=dash, color="#6366f1"), name=f"μ ± {k}σ"))
    fig.add_trace(go.Scatter(x=[0], y=[0], mode="markers", marker=dict(symbol="x", size=9, color="#888"),
                             name=t("vae.prior_centre", lang)))
    fig.add_trace(go.Scatter(x=[mu[d[0]]], y=[mu[d[1]]], mode="markers", marker=dict(size=11, color="#6366f1"),
                             name="μ"))
    fig.add_trace(go.Scatter(x=[z[d[0]]], y=[z[d[1]]], mode="markers", marker=dict(size=11, color="#ef4444",
                                                                                 symbol="star"), name="z = μ + σ·ε"))
    fig.add_annotation(x=z[d[0]], y=z[d[1]], ax=mu[d[0]], ay=mu[d[1]], xref="x", yref="y", axref="x", ayref="y",
                       showarrow=True, arrowhead=2, arrowcolor="#ef4444", text="")
    base_layout(fig, t("vae.reparam_plot", lang), height=320)
    fig.update_xaxes(title_text=f"z{d[0]}")
    fig.update_yaxes(title_text=f"z{d[1]}", scaleanchor="x")
    return fig


@user_errors
def show_reparam(state, index, eps_seed, lang):
    test = _test(state).test
    i = _index(index, len(test), lang)
    if eps_seed is None or not float(eps_seed).is_integer() or eps_seed < 0:
        raise error("vae.err.int", lang, name="ε seed", lo=0, hi=2**31 - 1, value=eps_seed)
    r = core.reparameterization_demo(_model(state), test.x[i], seed=int(eps_seed))
    strip = image_grid(np.stack([r.image.numpy(), r.mean_reconstruction.numpy(), r.reconstruction.numpy()]),
                       ncol=3, pad=1, scale=max(1, 150 // r.image.shape[-1]))
    rows = [f"| z{j} | {r.mu[j]:+.3f} | {r.sigma[j]:.3f} | {r.eps[j]:+.3f} | {r.z[j]:+.3f} |"
            for j in range(min(8, len(r.mu)))]
    table = (t("vae.reparam_caption", lang, label=test.classes[int(test.y[i])]) +
             "\n\n| | μ | σ | ε | z = μ + σ·ε |\n|---|---|---|---|---|\n" + "\n".join(rows))
    return strip, table, reparam_figure(r, lang)


@user_errors
def show_interpolation(state, index_a, index_b, steps, lang):
    test = _test(state).test
    a, b = _index(index_a, len(test), lang), _index(index_b, len(test), lang)
    if steps is None or not 2 <= steps <= 32:
        raise error("vae.err.steps", lang)
    strip = core.interpolate(_model(state), test.x[a], test.x[b], int(steps))  # (steps, H, W)
    images = np.concatenate([test.x[a, :1].numpy(), strip.numpy(), test.x[b, :1].numpy()])
    caption = t("vae.interp_caption", lang, a=test.classes[int(test.y[a])], b=test.classes[int(test.y[b])])
    return image_grid(images, ncol=len(images), pad=2, scale=max(1, 64 // images.shape[-1])), caption


def anomaly_figures(res: dict, threshold: float | None, lang: str) -> tuple[go.Figure, go.Figure, str]:
    normal, anomalous = np.asarray(res["normal"]), np.asarray(res["anomalous"])
    fpr, tpr = np.asarray(res["fpr"]), np.asarray(res["tpr"])
    if threshold is None:
        threshold = float(np.quantile(normal, 0.95))
    hist = go.Figure()
    bins = dict(start=float(min(normal.min(), anomalous.min())), end=float(max(normal.max(), anomalous.max())),
                size=float(max(normal.max(), anomalous.max()) - min(normal.min(), anomalous.min())) / 60 or 1.0)
    hist.add_trace(go.Histogram(x=normal, name=t("vae.normal", lang), xbins=bins, opacity=0.6,
                                histnorm="probability density", marker_color="#3b82f6"))
    hist.add_trace(go.Histogram(x=anomalous, name=t("vae.anomalous", lang), xbins=bins, opacity=0.6,
                                histnorm="probability density", marker_color="#ef4444"))
    hist.add_vline(x=threshold, line=dict(color="black", dash="dash"))
    base_layout(hist, t("vae.hist_title", lang, desc=res["description"]), height=340, barmode="overlay")
    hist.update_xaxes(title_text=t(f"vae.score.{res['score']}", lang))
    fp, tp = float(np.mean(normal > threshold)), float(np.mean(anomalous > threshold))
    roc = go.Figure()
    roc.add_trace(go.Scatter(x=fpr, y=tpr, mode="lines", name=f"ROC (AUC = {res['auc']:.3f})",
                             line=dict(color="#8b5cf6")))
    roc.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", line=dict(dash="dot", color="#aaa"),
                             name=t("vae.chance", lang)))
    roc.add_trace(go.Scatter(x=[fp], y=[tp], mode="markers", marker=dict(size=11, color="black"),
                             name=t("vae.at_threshold", lang)))
    base_layout(roc, f"ROC · AUC = {res['auc']:.3f}", height=340)
    roc.update_xaxes(title_text=t("vae.fpr", lang), range=[0, 1])
    roc.update_yaxes(title_text=t("vae.tpr", lang), range=[0, 1.02])
    note = t("vae.threshold_note", lang, thr=threshold, fp=100 * fp, tp=100 * tp, auc=res["auc"])
    return hist, roc, note


def _anomaly_dict(r: core.AnomalyResult) -> dict:
    return {"normal": r.normal, "anomalous": r.anomalous, "fpr": r.fpr, "tpr": r.tpr, "auc": r.auc,
            "score": r.score, "description": r.description}


@user_errors
def run_anomaly(state, scenario, holdout, score, lang):
    """Score normal and anomalous test images; a held-out class needs a model trained without it (streams)."""
    if scenario == "other":
        cfg = _cfg(state)
        if core.other_set_name(cfg.data) not in available_image_sets():
            raise error("vae.err.no_fashion", lang)
        res = core.anomaly_detection(_model(state), cfg, _test(state), score)
    else:
        if holdout is None or not 0 <= holdout <= 9:
            raise error("vae.err.holdout", lang)
        cfg = _cfg(state, holdout=int(holdout), kind="vae", device="auto")
        split = _split(cfg.data, cfg.seed, cfg.test_fraction, cfg.holdout)
        torch.manual_seed(cfg.seed)
        model = core.build_model(cfg, split.train.shape).to(pick_device(cfg.device))
        last = 0.0
        for snap in core.train(model, cfg, split, report_every=5, evaluate_each_epoch=False):
            if time.perf_counter() - last >= YIELD_EVERY_S or snap.done:
                last = time.perf_counter()
                yield (gr.update(), gr.update(), t("vae.anomaly_training", lang, epoch=snap.epoch, epochs=cfg.epochs,
                                                   digit=split.test.classes[cfg.holdout]), gr.update(), gr.update())
        res = core.anomaly_detection(model.cpu(), cfg, split, score)
    d = _anomaly_dict(res)
    lo, hi = float(min(res.normal.min(), res.anomalous.min())), float(max(res.normal.max(), res.anomalous.max()))
    thr = float(np.quantile(res.normal, 0.95))
    hist, roc, note = anomaly_figures(d, thr, lang)
    new_state = {**state, "anomaly": d}
    yield hist, roc, note, gr.update(minimum=round(lo, 2), maximum=round(hi, 2), value=round(thr, 2)), new_state


@user_errors
def move_threshold(state, threshold, lang):
    if not state.get("anomaly"):
        raise error("vae.err.no_anomaly", lang)
    return anomaly_figures(state["anomaly"], float(threshold), lang)


@user_errors
def train_ae(state, lang):
    """Train the plain autoencoder (same network and settings, no KL) for this session's configuration."""
    cfg = _cfg(state, kind="ae", device="auto")
    split = _split(cfg.data, cfg.seed, cfg.test_fraction, -1)
    torch.manual_seed(cfg.seed)
    model = core.build_model(cfg, split.train.shape).to(pick_device(cfg.device))
    last = 0.0
    for snap in core.train(model, cfg, split, report_every=5, evaluate_each_epoch=False):
        if time.perf_counter() - last >= YIELD_EVERY_S and not snap.done:
            last = time.perf_counter()
            yield gr.update(), gr.update(), t("vae.ae_training", lang, epoch=snap.epoch, epochs=cfg.epochs), gr.update()
    new_state = {**state, "ae": _sd(model)}
    yield (*compare_pictures(new_state, lang), new_state)


def compare_pictures(state: dict, lang: str) -> tuple:
    """(VAE grid, AE grid, note): both over the box that holds 98 % of their test codes, first two dims."""
    if state.get("ae") is None:
        return gr.update(value=None), gr.update(value=None), t("vae.ae_missing", lang)
    spec = dict(n=GRID_N, lo=-GRID_RANGE, hi=GRID_RANGE, mode="dims", dims=(0, 1))
    vae_img, vr = grid_picture(state, spec, "vae", auto_range=True)
    ae_img, ar = grid_picture(state, spec, "ae", auto_range=True)
    return vae_img, ae_img, t("vae.compare_note", lang, vlo=vr[0], vhi=vr[1], alo=ar[0], ahi=ar[1])


@user_errors
def show_compare(state, lang):
    return compare_pictures(state, lang)


@user_errors
def show_ae_scatter(state, lang):
    if state.get("ae") is None:
        return gr.update(value=None)
    return scatter_figure(state, dict(mode="dims", dims=(0, 1)), lang, name="ae")


def _index_max(state: dict) -> int:
    return len(_test(state).test) - 1


@user_errors
def refresh_all(state, n, lo, hi, mode, dim_x, dim_y, idx, eps_seed, ia, ib, steps, lang):
    """Everything that depends on the session's model, after training, a reset or opening the tab."""
    spec = _grid_spec(state, n, lo, hi, mode, dim_x, dim_y, lang)
    top = _index_max(state)
    idx, ia, ib = (min(int(v or 0), top) for v in (idx, ia, ib))
    strip, table, rfig = show_reparam(state, idx, eps_seed, lang)
    interp, caption = show_interpolation(state, ia, ib, steps, lang)
    vae_img, ae_img, note = compare_pictures(state, lang)
    latent = state["cfg"]["latent"]
    dims_visible = gr.update(visible=latent > 2, maximum=latent - 1)
    return (grid_picture(state, spec)[0], scatter_figure(state, spec, lang), strip, table, rfig, interp, caption,
            vae_img, ae_img, note, show_ae_scatter(state, lang),
            gr.update(maximum=top, value=idx), gr.update(maximum=top, value=ia), gr.update(maximum=top, value=ib),
            gr.update(visible=latent > 2), dims_visible, dims_visible, None, t("vae.cell_hint", lang))


# ---------------------------------------------------------------- layout
def build(tr, lang: gr.Radio) -> None:
    lesson(tr, "vae.lesson", open=False)
    start = default_state()
    cfg0 = core.VaeConfig()
    state = gr.State(copy.deepcopy(start))
    test_max = 999 if cfg0.data == "mnist" else 358

    with gr.Row():
        with gr.Column(scale=2, min_width=320):
            data_choices = [("MNIST (5,000)", "mnist"), ("scikit-learn digits 8×8", "digits")]
            if "fashion" in available_image_sets():
                data_choices.append(("Fashion-MNIST", "fashion"))
            data = tr(gr.Dropdown, label="vae.data", info="vae.data_info", choices=data_choices, value=cfg0.data,
                      elem_id="vae-data")
            arch = tr(gr.Radio, label="vae.arch", choices=[("vae.arch.mlp", "mlp"), ("vae.arch.conv", "conv")],
                      value=cfg0.arch, elem_id="vae-arch")
            with gr.Row():
                latent = tr(gr.Slider, label="vae.latent", info="vae.latent_info", minimum=1, maximum=16, step=1,
                            value=cfg0.latent, elem_id="vae-latent")
                beta = tr(gr.Slider, label="vae.beta", info="vae.beta_info", minimum=0, maximum=10, step=0.1,
                          value=cfg0.beta, elem_id="vae-beta")
            with gr.Row():
                epochs = tr(gr.Slider, label="vae.epochs", minimum=1, maximum=100, step=1, value=cfg0.epochs,
                            elem_id="vae-epochs")
                hidden = tr(gr.Slider, label="vae.hidden", minimum=16, maximum=1024, step=16, value=cfg0.hidden)
            with gr.Row():
                lr = tr(gr.Number, label="vae.lr", value=cfg0.lr, minimum=0, elem_id="vae-lr")
                batch = tr(gr.Number, label="vae.batch", value=cfg0.batch_size, precision=0)
                seed = tr(gr.Number, label="app.seed", value=cfg0.seed, precision=0, minimum=0)
            with gr.Row():
                train_btn = tr(gr.Button, value="vae.train", variant="primary", elem_id="vae-train")
                stop_btn = tr(gr.Button, value="app.stop", variant="stop", elem_id="vae-stop")
                reset_btn = tr(gr.Button, value="vae.reset", elem_id="vae-reset")
            status = gr.Markdown(_status_pretrained(start, "en"), elem_id="vae-status")
        with gr.Column(scale=3):
            curves = gr.Plot(curves_figure(start["history"], "en"), show_label=False, elem_id="vae-curves")
            tr(gr.Markdown, value="vae.curves_help")

    tr(gr.Markdown, value="vae.map_heading")
    with gr.Row():
        with gr.Column(scale=3):
            spec0 = dict(n=GRID_N, lo=-GRID_RANGE, hi=GRID_RANGE, mode="dims", dims=(0, 1))
            grid = tr(gr.Image, value=grid_picture(start, spec0)[0], label="vae.grid", interactive=False,
                      elem_id="vae-grid", elem_classes=["grid-image"], buttons=["download"], height=600)
        with gr.Column(scale=2, min_width=280):
            cell = tr(gr.Image, label="vae.cell", interactive=False, elem_id="vae-cell", elem_classes=["grid-image"],
                      height=260)
            cell_info = gr.Markdown(t("vae.cell_hint"), elem_id="vae-cell-info")
            grid_n = tr(gr.Slider, label="vae.grid_n", minimum=2, maximum=40, step=1, value=GRID_N)
            with gr.Row():
                lo = tr(gr.Number, label="vae.lo", value=-GRID_RANGE)
                hi = tr(gr.Number, label="vae.hi", value=GRID_RANGE)
            mode = tr(gr.Radio, label="vae.mode", choices=[("vae.mode.dims", "dims"), ("vae.mode.pca", "pca")],
                      value="dims", visible=False)
            with gr.Row():
                dim_x = tr(gr.Number, label="vae.dim_x", value=0, precision=0, visible=False)
                dim_y = tr(gr.Number, label="vae.dim_y", value=1, precision=0, visible=False)
            grid_btn = tr(gr.Button, value="vae.redraw")
    scatter = gr.Plot(show_label=False, elem_id="vae-scatter")

    with tr(gr.Accordion, label="vae.reparam", open=True):
        tr(gr.Markdown, value="vae.reparam_help")
        with gr.Row():
            idx = tr(gr.Slider, label="vae.image_index", minimum=0, maximum=test_max, step=1, value=0,
                     elem_id="vae-idx")
            eps_seed = tr(gr.Number, label="vae.eps_seed", value=0, precision=0, minimum=0)
            eps_btn = tr(gr.Button, value="vae.draw_eps", scale=0, min_width=160, elem_id="vae-eps")
        with gr.Row():
            with gr.Column(scale=2):
                reparam_img = tr(gr.Image, label="vae.reparam_images", interactive=False, elem_classes=["grid-image"],
                                 height=200, elem_id="vae-reparam-img")
                reparam_md = gr.Markdown(elem_id="vae-reparam-md")
            reparam_plot = gr.Plot(show_label=False)

    with tr(gr.Accordion, label="vae.interp", open=True):
        with gr.Row():
            ia = tr(gr.Slider, label="vae.image_a", minimum=0, maximum=test_max, step=1, value=0)
            ib = tr(gr.Slider, label="vae.image_b", minimum=0, maximum=test_max, step=1, value=1)
            steps = tr(gr.Slider, label="vae.steps", minimum=2, maximum=32, step=1, value=10)
        interp = tr(gr.Image, label="vae.interp_strip", interactive=False, elem_classes=["grid-image"], height=130,
                    elem_id="vae-interp")
        interp_md = gr.Markdown()

    with tr(gr.Accordion, label="vae.anomaly", open=True):
        tr(gr.Markdown, value="vae.anomaly_help")
        with gr.Row():
            scenario = tr(gr.Radio, label="vae.scenario", value="other" if "fashion" in available_image_sets()
                          else "holdout", choices=[("vae.scenario.other", "other"), ("vae.scenario.holdout", "holdout")])
            holdout = tr(gr.Dropdown, label="vae.holdout", choices=[(str(i), i) for i in range(10)], value=0)
            score = tr(gr.Radio, label="vae.score", choices=[("vae.score.recon", "recon"), ("vae.score.elbo", "elbo")],
                       value="recon")
            anomaly_btn = tr(gr.Button, value="vae.anomaly_run", variant="primary", elem_id="vae-anomaly-run")
        threshold = tr(gr.Slider, label="vae.threshold", minimum=0, maximum=1000, value=200, step=0.1,
                       elem_id="vae-threshold")
        anomaly_md = gr.Markdown(elem_id="vae-anomaly-md")
        with gr.Row():
            hist = gr.Plot(show_label=False, elem_id="vae-hist")
            roc = gr.Plot(show_label=False, elem_id="vae-roc")

    with tr(gr.Accordion, label="vae.compare", open=True):
        tr(gr.Markdown, value="vae.compare_help")
        with gr.Row():
            vae_grid = tr(gr.Image, label="vae.compare_vae", interactive=False, elem_classes=["grid-image"],
                          height=420, elem_id="vae-compare-vae")
            ae_grid = tr(gr.Image, label="vae.compare_ae", interactive=False, elem_classes=["grid-image"],
                         height=420, elem_id="vae-compare-ae")
            ae_scatter = gr.Plot(show_label=False, elem_id="vae-ae-scatter")
        with gr.Row():
            compare_md = gr.Markdown(elem_id="vae-compare-md")
            ae_btn = tr(gr.Button, value="vae.ae_train", scale=0, min_width=220, elem_id="vae-ae-train")

    # ---------------------------------------------------------------- events
    spec_inputs = [grid_n, lo, hi, mode, dim_x, dim_y]
    refresh_inputs = [state, *spec_inputs, idx, eps_seed, ia, ib, steps, lang]
    refresh_outputs = [grid, scatter, reparam_img, reparam_md, reparam_plot, interp, interp_md, vae_grid, ae_grid,
                       compare_md, ae_scatter, idx, ia, ib, mode, dim_x, dim_y, cell, cell_info]
    train_ev = train_btn.click(
        train_vae, [data, arch, latent, hidden, beta, epochs, lr, batch, seed, *spec_inputs, lang, state],
        [curves, status, grid, state], api_name="vae_train", concurrency_limit=4, concurrency_id="vae_train")
    train_ev.then(refresh_all, refresh_inputs, refresh_outputs, api_name=False)
    stop_btn.click(None, None, None, cancels=[train_ev], api_name=False)
    reset_btn.click(reset, [lang], [state, curves, status], api_name="vae_reset").then(
        refresh_all, refresh_inputs, refresh_outputs, api_name=False)

    lang.change(relabel, [state, lang], [curves, status], api_name=False, show_progress="hidden").then(
        refresh_all, refresh_inputs, refresh_outputs, api_name=False, show_progress="hidden")

    tab = gr.context.get_render_context()
    if isinstance(tab, gr.Tab):  # opening the tab fills the panels from the session's (pretrained) model
        tab.select(refresh_all, refresh_inputs, refresh_outputs, api_name=False, show_progress="hidden")
    gr.on([grid_btn.click, grid_n.release], draw_grid, [state, *spec_inputs, lang], grid, api_name="vae_grid")
    gr.on([grid_btn.click, mode.input], show_scatter, [state, *spec_inputs, lang], scatter, api_name=False)
    grid.select(pick_cell, [state, *spec_inputs, lang], [cell, cell_info], api_name=False)

    reparam_ev = dict(fn=show_reparam, inputs=[state, idx, eps_seed, lang],
                      outputs=[reparam_img, reparam_md, reparam_plot])
    idx.release(**reparam_ev, api_name="vae_reparam")
    eps_btn.click(lambda s: int(s or 0) + 1, eps_seed, eps_seed, api_name=False, queue=False).then(
        **reparam_ev, api_name=False)
    gr.on([ia.release, ib.release, steps.release], show_interpolation, [state, ia, ib, steps, lang],
          [interp, interp_md], api_name="vae_interpolate")

    anomaly_ev = anomaly_btn.click(run_anomaly, [state, scenario, holdout, score, lang],
                                   [hist, roc, anomaly_md, threshold, state], api_name="vae_anomaly",
                                   concurrency_limit=4, concurrency_id="vae_train")
    threshold.release(move_threshold, [state, threshold, lang], [hist, roc, anomaly_md], api_name="vae_threshold",
                      show_progress="hidden")
    ae_ev = ae_btn.click(train_ae, [state, lang], [vae_grid, ae_grid, compare_md, state], api_name="vae_train_ae",
                         concurrency_limit=4, concurrency_id="vae_train")
    ae_ev.then(show_ae_scatter, [state, lang], ae_scatter, api_name=False)
    stop_btn.click(None, None, None, cancels=[anomaly_ev, ae_ev], api_name=False)
