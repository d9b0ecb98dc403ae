"""Attention Explorer: heatmaps of every layer and head of a pretrained encoder or decoder."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

import gradio as gr
import numpy as np
import plotly.graph_objects as go
from PIL import Image, ImageDraw, ImageFont

from playground import attention as core
from playground import models
from tabs import generate as generate_tab
from tabs import urlstate
from tabs.common import export_path, lesson, user_errors
from tabs.i18n import error, t
from tabs.plots import base_layout, colormap
from tabs.widgets import whole

MODEL_CHOICES = [("attn.model.minilm", "minilm"), ("attn.model.smollm2", "smollm2")]
EXAMPLES = [
    ["The animal didn't cross the street because it was too tired.", "minilm"],
    ["The capital of France is", "smollm2"],
    ["Hôm nay trời đẹp, chúng ta đi dạo ở Hà Nội nhé 😀", "minilm"],
    ["Once upon a time, a little robot learned to", "smollm2"],
]
PATTERN_COLOURS = {"previous": (249, 115, 22), "first": (239, 68, 68), "broad": (6, 182, 212)}
MASKED_GREY = "#d4d4d8"
MAX_VIEW = 127  # the largest layer / head index a slider accepts before a model is chosen


# ---------------------------------------------------------------- shared result cache
class ResultCache:
    """Extraction results keyed by their inputs, shared read-only by all sessions.

    The same (model, text, cap, ablated heads) always gives the same weights, so sharing is safe;
    a byte budget keeps a few 256-token decoder runs (~70 MB each) from filling memory."""

    def __init__(self, max_bytes: int = 400 * 2**20) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[tuple, core.AttentionResult] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, model: str, text: str, max_tokens: int, ablate: tuple = ()) -> core.AttentionResult:
        key = (model, text, int(max_tokens), tuple(ablate))
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        result = core.extract(model, text, max_tokens=int(max_tokens), ablate=list(ablate))
        with self._lock:
            self._items[key] = result
            while len(self._items) > 1 and sum(r.attentions.nbytes for r in self._items.values()) > self.max_bytes:
                self._items.popitem(last=False)
        return result


CACHE = ResultCache()


def _check_text(text: str, lang: str) -> str:
    if not isinstance(text, str) or not text.strip():
        raise error("attn.err.empty", lang)
    return text


def _check_model(model, lang: str) -> str:
    """A packaged name or a hub id (never a path on the server); one message for every other name."""
    try:
        return models.resolve_name(_model_name(model) if isinstance(model, str) or model is None else model)
    except ValueError:
        shown = str(model)[:60] if model is not None else ""
        raise error("attn.err.model", lang, name=shown) from None


def _check_view(layer, head, res: core.AttentionResult, lang: str) -> tuple[int, int]:
    """Layer and head checked against the model actually used (not against a widget's old maximum)."""
    L, H = res.attentions.shape[:2]
    return (whole(layer, 0, L - 1, "attn.layer", lang), whole(head, 0, H - 1, "attn.head", lang))


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
        toks = [_visible(tok) for tok, _ in res.top_next][::-1]
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


def _visible(token: str) -> str:
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


def export_png(res: core.AttentionResult, matrix: np.ndarray, title: str, hide_special: bool) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    idx = _keep(res, hide_special)
    z = matrix[np.ix_(idx, idx)]
    if res.causal:
        z = np.ma.masked_where(idx[None, :] > idx[:, None], z)
    n = len(idx)
    size = min(4 + 0.22 * n, 24)
    fig, ax = plt.subplots(figsize=(size + 1.5, size), dpi=110)
    cmap = plt.get_cmap("viridis").with_extremes(bad=MASKED_GREY)
    im = ax.imshow(z, cmap=cmap, vmin=0)
    step = max(1, n // 48)
    ax.set_xticks(range(0, n, step), [res.tokens[idx[i]] for i in range(0, n, step)], rotation=70, fontsize=8)
    ax.set_yticks(range(0, n, step), [res.tokens[idx[i]] for i in range(0, n, step)], fontsize=8)
    ax.set_title(f"{res.model} · {title}")
    fig.colorbar(im, ax=ax, fraction=0.04)
    fig.tight_layout()
    path = export_path("attention.png")
    fig.savefig(path)
    plt.close(fig)
    return str(path)


# ---------------------------------------------------------------- handlers
def _model_name(model: str | None) -> str:
    return (model or "").strip() or "minilm"


def _render(res, layer, head, view, hide_special, query, lang):
    layer = int(np.clip(layer, 0, res.attentions.shape[0] - 1))
    head = int(np.clip(head, 0, res.attentions.shape[1] - 1))
    matrix = view_matrix(res, layer, head, view)
    heat = heatmap_figure(res, matrix, view_title(res, layer, head, view, lang), lang, hide_special)
    row = token_row_figure(res, layer, query if query is not None else len(res.tokens) - 1, lang, hide_special)
    return heat, row


def summary_markdown(res: core.AttentionResult, lang: str) -> str:
    lm = models.load(res.model)
    parts = [t("attn.summary", lang, model=res.model, kind=t(f"attn.kind.{lm.kind}", lang), layers=lm.num_layers,
               heads=lm.num_heads, kv=lm.num_kv_heads, params=lm.n_params, n=len(res.tokens), ms=res.forward_ms,
               source=lm.source, load=lm.load_seconds)]
    parts.append(t("attn.future_note", lang, pct=100 * float(core.future_mass(res.attentions).mean())))
    if res.truncated:
        parts.append(t("attn.truncated", lang, n=res.n_input_tokens, cap=len(res.tokens)))
    return "\n\n".join(parts)


@user_errors
def run(text: str, model: str, max_tokens: int, layer: int, head: int, view: str, hide_special: bool,
        lang: str, progress=gr.Progress()):
    """Extract attention for a sentence and draw every view."""
    _check_text(text, lang)
    model = _check_model(model, lang)
    max_tokens = whole(max_tokens, 4, core.MAX_TOKENS_LIMIT, "attn.max_tokens", lang)
    if model not in models.loaded_names():
        progress(0.1, desc=f"loading {model} (once)…")
    res = CACHE.get(model, text, max_tokens)
    L, H, T = res.attentions.shape[0], res.attentions.shape[1], len(res.tokens)
    layer, head = _check_view(layer, head, res, lang)
    query = T - 1
    heat, row = _render(res, layer, head, view, hide_special, query, lang)
    state = {"model": model, "text": text, "max_tokens": int(max_tokens)}
    return (summary_markdown(res, lang), heat, grid_image(res, hide_special), side_figure(res, lang), row,
            gr.update(maximum=L - 1, value=layer), gr.update(maximum=H - 1, value=head),
            gr.update(choices=[(f"{i}: {tok}", i) for i, tok in enumerate(res.tokens)], value=query), state)


def _from_state(state: dict | None, lang: str) -> core.AttentionResult:
    if not state:
        raise error("attn.err.no_run", lang)
    return CACHE.get(state["model"], state["text"], state["max_tokens"])


@user_errors
def redraw(state, layer, head, view, hide_special, query, lang):
    res = _from_state(state, lang)
    layer, head = _check_view(layer, head, res, lang)
    return _render(res, layer, head, view, hide_special, query, lang)


def relabel(state, layer, head, view, hide_special, query, lang):
    """After a language switch, redraw the texts that live inside figures."""
    if not state:
        return gr.update(), gr.update(), gr.update(), gr.update()
    res = _from_state(state, lang)
    heat, row = _render(res, layer, head, view, hide_special, query, lang)
    return summary_markdown(res, lang), heat, row, side_figure(res, lang)


@user_errors
def redraw_grid(state, hide_special, lang):
    return grid_image(_from_state(state, lang), hide_special)


@user_errors
def pick_from_grid(state, lang, evt: gr.SelectData):
    res = _from_state(state, lang)
    hit = grid_geometry(res).head_at(*map(int, evt.index[:2])) if evt.index is not None else None
    if hit is None:
        return gr.update(), gr.update(), gr.update()
    return hit[0], hit[1], "head"


@user_errors
def ablate(state, heads_text: str, lang: str):
    res = _from_state(state, lang)
    if not res.causal:
        raise error("attn.err.decoder_only", lang)
    heads = core.parse_heads(heads_text)
    if not heads:
        raise error("attn.err.no_heads", lang)
    after = CACHE.get(state["model"], state["text"], state["max_tokens"],
                      core.check_heads(heads, *res.attentions.shape[:2]))
    effect = core.ablation_effect(res, after)
    names = [_visible(tok) for tok in effect.tokens]
    fig = go.Figure([
        go.Bar(name=t("attn.fig.before", lang), x=names, y=effect.p_base, marker_color="#6366f1"),
        go.Bar(name=t("attn.fig.after", lang), x=names, y=effect.p_ablated, marker_color="#f97316"),
    ])
    base_layout(fig, t("attn.side_next", lang), 360, barmode="group")
    fig.update_yaxes(title_text=t("attn.fig.prob", lang))
    note = t("attn.ablation_result", lang, heads=", ".join(f"{a}:{b}" for a, b in after.ablated), kl=effect.kl,
             tv=effect.total_variation, a=effect.top_base, b=effect.top_ablated)
    return fig, note


def add_current_head(heads_text: str, layer: int, head: int) -> str:
    current = [h.strip() for h in (heads_text or "").split(",") if h.strip()]
    item = f"{int(layer)}:{int(head)}"
    return ", ".join(current if item in current else current + [item])


@user_errors
def compare(text_a, text_b, model, max_tokens, layer, head, view, hide_special, lang):
    figs = []
    model = _check_model(model, lang)
    max_tokens = whole(max_tokens, 4, core.MAX_TOKENS_LIMIT, "attn.max_tokens", lang)
    for text in (text_a, text_b):
        _check_text(text, lang)
        res = CACHE.get(model, text, max_tokens)
        lyr, hd = _check_view(layer, head, res, lang)
        figs.append(heatmap_figure(res, view_matrix(res, lyr, hd, view), view_title(res, lyr, hd, view, lang),
                                   lang, hide_special, height=460))
    return figs[0], figs[1]


@user_errors
def do_export_png(state, layer, head, view, hide_special, lang):
    res = _from_state(state, lang)
    layer, head = _check_view(layer, head, res, lang)
    return export_png(res, view_matrix(res, layer, head, view), view_title(res, layer, head, view, lang), hide_special)


@user_errors
def do_export_npz(state, lang):
    path = export_path("attention.npz")
    core.save_npz(path, _from_state(state, lang))
    return str(path)


# ---------------------------------------------------------------- layout
def build(tr, lang: gr.Radio) -> None:
    lesson(tr, "attn.lesson", open=False)
    state = gr.State(None)
    with gr.Row():
        with gr.Column(scale=2):
            text = tr(gr.Textbox, label="attn.text", placeholder="attn.text_ph", lines=2, max_length=core.MAX_CHARS,
                      value=EXAMPLES[0][0], elem_id="attn-text")
        with gr.Column(scale=1, min_width=260):
            model = tr(gr.Dropdown, label="attn.model", info="attn.model_info", choices=MODEL_CHOICES,
                       value="minilm", allow_custom_value=True, elem_id="attn-model")
            max_tokens = tr(gr.Slider, label="attn.max_tokens", info="attn.max_tokens_info", minimum=8,
                            maximum=512, step=8, value=core.MAX_TOKENS)
    with gr.Row():
        run_btn = tr(gr.Button, value="attn.run", variant="primary", elem_id="attn-run", scale=0, min_width=200)
        summary = gr.Markdown(elem_id="attn-summary")
    tr(gr.Examples, examples=EXAMPLES, inputs=[text, model], label="attn.examples")
    with gr.Row():
        # generous maxima: an API client's fresh session has not seen the model yet; run() checks the real
        # range of the model chosen and then narrows the sliders to it
        layer = tr(gr.Slider, label="attn.layer", minimum=0, maximum=MAX_VIEW, step=1, value=0, elem_id="attn-layer")
        head = tr(gr.Slider, label="attn.head", minimum=0, maximum=MAX_VIEW, step=1, value=0, elem_id="attn-head")
        view = tr(gr.Radio, label="attn.view", value="head", elem_id="attn-view",
                  choices=[("attn.view.head", "head"), ("attn.view.mean", "mean"), ("attn.view.rollout", "rollout")])
        hide_special = tr(gr.Checkbox, label="attn.hide_special", info="attn.hide_special_info", value=False)
    with gr.Row():
        with gr.Column(scale=3):
            heatmap = gr.Plot(elem_id="attn-heatmap", show_label=False)
        with gr.Column(scale=2):
            side = gr.Plot(show_label=False, elem_id="attn-side")
    tr(gr.Markdown, value="attn.grid_title")
    grid = tr(gr.Image, label="attn.grid", show_label=False, interactive=False, elem_id="attn-grid",
              elem_classes=["grid-image"], buttons=["download"])
    tr(gr.Markdown, value="attn.grid_legend")
    with gr.Row():
        query = tr(gr.Dropdown, label="attn.query", choices=[], value=None, elem_id="attn-query", scale=1)
        with gr.Column(scale=4):
            token_row = gr.Plot(show_label=False, elem_id="attn-token-row")
    with tr(gr.Accordion, label="attn.ablate", open=False):
        tr(gr.Markdown, value="attn.ablate_help")
        with gr.Row():
            heads_text = tr(gr.Textbox, label="attn.ablate_heads", placeholder="attn.ablate_heads_ph", max_length=2000)
            add_btn = tr(gr.Button, value="attn.ablate_add", scale=0, min_width=160)
            ablate_btn = tr(gr.Button, value="attn.ablate_run", variant="primary", scale=0, min_width=200)
        ablate_note = gr.Markdown()
        ablate_plot = gr.Plot(show_label=False)
    with tr(gr.Accordion, label="attn.compare", open=False):
        with gr.Row():
            text_a = tr(gr.Textbox, label="attn.text", value="The trophy didn't fit in the suitcase because it was too big.",
                        max_length=core.MAX_CHARS)
            text_b = tr(gr.Textbox, label="attn.text_b", value="The trophy didn't fit in the suitcase because it was too small.",
                        max_length=core.MAX_CHARS)
        compare_btn = tr(gr.Button, value="attn.compare_run")
        with gr.Row():
            plot_a = gr.Plot(show_label=False)
            plot_b = gr.Plot(show_label=False)
    generate_tab.build(tr, lang)  # text generation step by step (tabs/generate.py)
    with tr(gr.Accordion, label="attn.export", open=False):
        with gr.Row():
            png_btn = tr(gr.Button, value="attn.export_png")
            npz_btn = tr(gr.Button, value="attn.export_npz")
        export_file = tr(gr.File, label="attn.export_file", interactive=False)

    for name, widget in (("text", text), ("model", model), ("layer", layer), ("head", head), ("view", view)):
        urlstate.share("attention", name, widget)
    urlstate.link_button(tr, "attention")
    run_inputs = [text, model, max_tokens, layer, head, view, hide_special, lang]
    run_outputs = [summary, heatmap, grid, side, token_row, layer, head, query, state]
    view_inputs = [state, layer, head, view, hide_special, query, lang]
    run_btn.click(run, run_inputs, run_outputs, api_name="attention", concurrency_id="attention")
    text.submit(run, run_inputs, run_outputs, api_name=False, concurrency_id="attention")
    for slider in (layer, head):  # dragging or typing a number; only the latest value is drawn
        slider.input(redraw, view_inputs, [heatmap, token_row], api_name=False, show_progress="hidden",
                     trigger_mode="always_last")
    for widget in (view, query):
        widget.input(redraw, view_inputs, [heatmap, token_row], api_name=False, show_progress="hidden")
    hide_special.input(redraw, view_inputs, [heatmap, token_row], api_name=False, show_progress="hidden").then(
        redraw_grid, [state, hide_special, lang], grid, api_name=False, show_progress="hidden")
    grid.select(pick_from_grid, [state, lang], [layer, head, view], api_name=False).then(
        redraw, view_inputs, [heatmap, token_row], api_name=False, show_progress="hidden").then(
        None, js="() => document.getElementById('attn-heatmap')?.scrollIntoView({behavior: 'smooth', block: 'start'})")
    # outputs that belong to another model or language are cleared, not left on screen mislabelled
    stale = [ablate_plot, ablate_note, plot_a, plot_b]
    model.change(lambda: (None, "", None, None), None, stale, api_name=False, queue=False)
    lang.change(lambda: (None, "", None, None), None, stale, api_name=False, queue=False)
    lang.change(relabel, [state, layer, head, view, hide_special, query, lang], [summary, heatmap, token_row, side],
                api_name=False, show_progress="hidden")
    add_btn.click(add_current_head, [heads_text, layer, head], heads_text, api_name=False, queue=False)
    ablate_btn.click(ablate, [state, heads_text, lang], [ablate_plot, ablate_note], api_name="ablate",
                     concurrency_id="attention")
    compare_btn.click(compare, [text_a, text_b, model, max_tokens, layer, head, view, hide_special, lang],
                      [plot_a, plot_b], api_name="compare", concurrency_id="attention")
    png_btn.click(do_export_png, [state, layer, head, view, hide_special, lang], export_file, api_name="export_png")
    npz_btn.click(do_export_npz, [state, lang], export_file, api_name="export_npz")
