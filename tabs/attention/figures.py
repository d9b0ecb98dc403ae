"""The Attention Explorer's pictures: heatmaps, the token row, the side chart, the ablation chart, the summary,
the overview grid, PNG export.

Pure drawing from an ``AttentionResult`` (no widgets, no events); ``tabs.attention.session`` calls them and
``tabs.attention.layout`` wires them to the page.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from PIL import Image, ImageDraw, ImageFont

from playground.attention import maps as core
from playground.kit import pretrained as models
from tabs.harness.common import export_path
from tabs.harness.i18n import t
from tabs.harness.plots import base_layout, colormap

PATTERN_COLOURS = {"previous": (249, 115, 22), "first": (239, 68, 68), "broad": (6, 182, 212)}
MASKED_GREY = "#d4d4d8"


# ---------------------------------------------------------------- matrices for a view
def view_matrix(res: core.AttentionResult, layer: int, head: int, view: str) -> np.ndarray:
    """The (T, T) map a view shows: one head, the layer's head average, or rollout up to the layer."""
    layer = int(np.clip(layer, 0, res.attentions.shape[0] - 1))
    head = int(np.clip(head, 0, res.attentions.shape[1] - 1))
    if view == "mean":
        return res.attentions[layer].mean(0)
    if view == "rollout":
        return core.rollout(res.attentions[: layer + 1])[layer]
    return res.attentions[layer, head]


def _keep(res: core.AttentionResult, hide_special: bool) -> np.ndarray:
    keep = np.array([not s for s in res.special]) if hide_special else np.ones(len(res.tokens), bool)
    return np.flatnonzero(keep) if keep.any() else np.arange(len(res.tokens))


def _ticks(idx: np.ndarray, labels: list[str]) -> dict:
    step = max(1, len(idx) // 48)  # beyond ~48 labels, show every n-th so they stay readable
    pos = list(range(0, len(idx), step))
    return dict(tickmode="array", tickvals=pos, ticktext=[labels[idx[p]] for p in pos])


def heatmap_figure(res: core.AttentionResult, matrix: np.ndarray, title: str, lang: str,
                   hide_special: bool = False, height: int = 520) -> go.Figure:
    idx = _keep(res, hide_special)
    z = matrix[np.ix_(idx, idx)].astype(np.float32)
    n = len(idx)
    labels = res.tokens
    masked = None
    if res.causal:
        masked = np.triu(np.ones((n, n), dtype=bool), k=1) & (idx[None, :] > idx[:, None])
        z = np.where(masked, np.nan, z)
    hover = f"{t('attn.fig.query', lang)}: %{{y}}<br>{t('attn.fig.key', lang)}: %{{x}}<br>{t('attn.fig.weight', lang)}: %{{z:.4f}}<extra></extra>"
    custom = None
    if n <= 96:  # token names in the hover; for long inputs the positions are enough (keeps the payload small)
        names = np.array([f"{i}: {labels[i]}" for i in idx], dtype=object)
        custom = np.stack([np.broadcast_to(names[:, None], (n, n)), np.broadcast_to(names[None, :], (n, n))], -1)
        hover = (f"{t('attn.fig.query', lang)}: %{{customdata[0]}}<br>{t('attn.fig.key', lang)}: %{{customdata[1]}}"
                 f"<br>{t('attn.fig.weight', lang)}: %{{z:.4f}}<extra></extra>")
    fig = go.Figure(go.Heatmap(z=z, colorscale="Viridis", zmin=0, zmax=float(np.nanmax(z)) or 1.0,
                               customdata=custom, hovertemplate=hover, hoverongaps=False,
                               colorbar=dict(title=t("attn.fig.weight", lang), thickness=12)))
    if masked is not None and masked.any():
        fig.add_trace(go.Heatmap(z=np.where(masked, 1.0, np.nan), colorscale=[[0, MASKED_GREY], [1, MASKED_GREY]],
                                 showscale=False, hoverongaps=False,
                                 hovertemplate=t("attn.fig.masked", lang) + "<extra></extra>"))
    base_layout(fig, title, height)
    fig.update_xaxes(title_text=t("attn.fig.key", lang), side="bottom", tickangle=-60, **_ticks(idx, labels))
    fig.update_yaxes(title_text=t("attn.fig.query", lang), autorange="reversed", **_ticks(idx, labels))
    fig.update_layout(plot_bgcolor="white")
    return fig


def view_title(res: core.AttentionResult, layer: int, head: int, view: str, lang: str) -> str:
    if view == "mean":
        return t("attn.fig.title_mean", lang, layer=layer, n=res.attentions.shape[1])
    if view == "rollout":
        return t("attn.fig.title_rollout", lang, layer=layer)
    return t("attn.fig.title_head", lang, layer=layer, head=head)


def token_row_figure(res: core.AttentionResult, layer: int, query: int, lang: str, hide_special: bool) -> go.Figure:
    """(heads x keys) for one query token of one layer."""
    idx = _keep(res, hide_special)
    query = int(np.clip(query, 0, len(res.tokens) - 1))
    z = res.attentions[layer, :, query, :][:, idx]  # (H, T')
    if res.causal:
        z = np.where(idx[None, :] > query, np.nan, z)
    fig = go.Figure(go.Heatmap(z=z, colorscale="Viridis", zmin=0, hoverongaps=False,
                               hovertemplate=f"{t('attn.fig.heads', lang)} %{{y}}<br>%{{x}}<br>{t('attn.fig.weight', lang)}: %{{z:.4f}}<extra></extra>",
                               colorbar=dict(thickness=12)))
    base_layout(fig, t("attn.fig.row_title", lang, layer=layer, token=res.tokens[query]), 300)
    fig.update_xaxes(tickangle=-60, **_ticks(idx, res.tokens))
    fig.update_yaxes(title_text=t("attn.fig.heads", lang), autorange="reversed", dtick=1)
    return fig


def side_figure(res: core.AttentionResult, lang: str) -> go.Figure:
    """Decoder: top next tokens. Encoder: how much attention goes to later tokens, per layer."""
    if res.causal and res.top_next:
        toks = [visible_token(tok) for tok, _ in res.top_next][::-1]
        fig = go.Figure(go.Bar(x=[p for _, p in res.top_next][::-1], y=toks, orientation="h",
                               marker_color="#6366f1", hovertemplate="%{y}: %{x:.4f}<extra></extra>"))
        base_layout(fig, t("attn.side_next", lang), 360)
        fig.update_xaxes(title_text=t("attn.fig.prob", lang), range=[0, 1])
        return fig
    share = core.future_mass(res.attentions)
    fig = go.Figure(go.Bar(x=list(range(len(share))), y=share, marker_color="#10b981",
                           hovertemplate="%{x}: %{y:.3f}<extra></extra>"))
    base_layout(fig, t("attn.side_future", lang), 360)
    fig.update_xaxes(title_text=t("attn.layer", lang), dtick=1)
    fig.update_yaxes(title_text=t("attn.fig.share", lang), range=[0, 1])
    return fig


def ablation_figure(effect: core.AblationEffect, lang: str) -> go.Figure:
    """The decoder's top next tokens with all heads and with the chosen heads switched off."""
    names = [visible_token(tok) for tok in effect.tokens]
    fig = go.Figure([
        go.Bar(name=t("attn.fig.before", lang), x=names, y=effect.p_base, marker_color="#6366f1"),
        go.Bar(name=t("attn.fig.after", lang), x=names, y=effect.p_ablated, marker_color="#f97316"),
    ])
    base_layout(fig, t("attn.side_next", lang), 360, barmode="group")
    fig.update_yaxes(title_text=t("attn.fig.prob", lang))
    return fig


def summary_markdown(res: core.AttentionResult, lang: str) -> str:
    """The model, its shape, the input's length and the forward's time; the causal note; a truncation notice."""
    lm = models.load(res.model)
    parts = [t("attn.summary", lang, model=res.model, kind=t(f"attn.kind.{lm.kind}", lang), layers=lm.num_layers,
               heads=lm.num_heads, kv=lm.num_kv_heads, params=lm.n_params, n=len(res.tokens), ms=res.forward_ms,
               source=t(f"attn.source.{lm.source}", lang), load=lm.load_seconds)]
    parts.append(t("attn.future_note", lang, pct=100 * float(core.future_mass(res.attentions).mean())))
    if res.truncated:
        parts.append(t("attn.truncated", lang, n=res.n_input_tokens, cap=len(res.tokens)))
    return "\n\n".join(parts)


def visible_token(token: str) -> str:
    """A token as a readable label: spaces shown as ␣, control characters escaped (a lone space was blank)."""
    return repr(token)[1:-1].replace(" ", "␣") if token.strip() == "" else repr(token)[1:-1]


# ---------------------------------------------------------------- overview grid (one image)
@dataclass(frozen=True)
class GridGeometry:
    """Where each head's tile sits in the overview picture; the longer of layers/heads runs across."""

    layers: int
    heads: int
    tile: int
    gap: int = 4
    left: int = 34
    top: int = 18

    @property
    def layers_across(self) -> bool:
        return self.layers > self.heads

    def origin(self, layer: int, head: int) -> tuple[int, int]:
        row, col = (head, layer) if self.layers_across else (layer, head)
        return self.left + col * (self.tile + self.gap), self.top + row * (self.tile + self.gap)

    def head_at(self, x: int, y: int) -> tuple[int, int] | None:
        col, row = (x - self.left) // (self.tile + self.gap), (y - self.top) // (self.tile + self.gap)
        layer, head = (col, row) if self.layers_across else (row, col)
        if x < self.left or y < self.top or not (0 <= layer < self.layers and 0 <= head < self.heads):
            return None
        return int(layer), int(head)

    @property
    def size(self) -> tuple[int, int]:
        rows, cols = (self.heads, self.layers) if self.layers_across else (self.layers, self.heads)
        return self.top + rows * (self.tile + self.gap), self.left + cols * (self.tile + self.gap)


def grid_geometry(res: core.AttentionResult) -> GridGeometry:
    L, H = res.attentions.shape[:2]
    return GridGeometry(L, H, tile=48 if L * H <= 96 else 34)


def grid_image(res: core.AttentionResult, hide_special: bool = False) -> np.ndarray:
    """All layers x heads as small heatmaps in one RGB picture (fast, and clickable through gr.Image)."""
    idx = _keep(res, hide_special)
    att = res.attentions[:, :, idx][:, :, :, idx]  # (L, H, T', T')
    n = len(idx)
    geo = grid_geometry(res)
    tile = geo.tile
    # nearest-neighbour resample each map to tile x tile pixels
    pick = np.minimum((np.arange(tile) * n) // tile, n - 1)
    small = att[:, :, pick][:, :, :, pick]  # (L, H, tile, tile)
    peak = small.max(axis=(2, 3), keepdims=True)
    rgb = colormap(small / np.maximum(peak, 1e-9))  # (L, H, tile, tile, 3)
    if res.causal:
        rgb[:, :, idx[pick][None, :] > idx[pick][:, None]] = (212, 212, 216)
    patterns = core.dominant_pattern(core.head_patterns(res.attentions, res.causal))
    canvas = np.full((*geo.size, 3), 255, dtype=np.uint8)
    for layer in range(geo.layers):
        for head in range(geo.heads):
            x, y = geo.origin(layer, head)
            colour = PATTERN_COLOURS.get(patterns[layer, head])
            if colour is not None:
                canvas[y - 2:y + tile + 2, x - 2:x + tile + 2] = colour
            canvas[y:y + tile, x:x + tile] = rgb[layer, head]
    img = Image.fromarray(canvas)
    draw = ImageDraw.Draw(img)
    font = ImageFont.load_default(size=11)
    across, down = ("L", geo.layers), ("H", geo.heads)
    if not geo.layers_across:
        across, down = down, across
    for i in range(across[1]):
        x = geo.left + i * (tile + geo.gap) + tile // 2
        draw.text((x, 2), f"{across[0]}{i}", fill=(60, 60, 60), font=font, anchor="mt")
    for i in range(down[1]):
        y = geo.top + i * (tile + geo.gap) + tile // 2
        draw.text((geo.left - 4, y), f"{down[0]}{i}", fill=(60, 60, 60), font=font, anchor="rm")
    return np.asarray(img)


# ---------------------------------------------------------------- export


def export_png(res: core.AttentionResult, matrix: np.ndarray, title: str, hide_special: bool,
               fmt: str = "png") -> str:
    """The heatmap on screen as a slide (1280 x 720, type sized for a projector) in ``fmt`` ("png" or "svg"): the
    tokens on both axes, the causal mask's cells grey. Drawn on an Agg canvas of its own (no pyplot: requests on
    other threads draw at the same time)."""
    from matplotlib import colormaps

    from tabs.harness.film import SLIDE
    from tabs.harness.slides import TICK, TITLE, figure

    if fmt not in ("png", "svg"):
        raise ValueError(f"unknown picture format {fmt!r}: png or svg")
    idx = _keep(res, hide_special)
    z = matrix[np.ix_(idx, idx)]
    if res.causal:
        z = np.ma.masked_where(idx[None, :] > idx[:, None], z)
    n = len(idx)
    fig = figure(SLIDE)
    side = 0.74  # of the slide's height: a square heatmap, centred, room for the tokens on its left and below
    width = side * SLIDE[1] / SLIDE[0]
    ax = fig.add_axes(((1 - width) / 2, 0.2, width, side))
    im = ax.imshow(z, cmap=colormaps["viridis"].with_extremes(bad=MASKED_GREY), vmin=0, interpolation="nearest")
    step = max(1, -(-n // 40))
    size = TICK if n <= 16 else max(7, TICK - (n - 16) // 3)
    labels = [res.tokens[idx[i]] for i in range(0, n, step)]
    ax.set_xticks(range(0, n, step), labels, rotation=70, fontsize=size, ha="right", rotation_mode="anchor")
    ax.set_yticks(range(0, n, step), labels, fontsize=size)
    fig.text(0.01, 0.985, f"{res.model} · {title}", fontsize=TITLE, ha="left", va="top")
    bar = fig.colorbar(im, ax=ax, fraction=0.04, pad=0.02)
    bar.ax.tick_params(labelsize=TICK)
    path = export_path(f"attention.{fmt}")
    fig.savefig(path, dpi=fig.dpi)
    return str(path)
