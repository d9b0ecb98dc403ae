"""Attention Explorer: heatmaps of every layer and head of a pretrained encoder or decoder."""

from __future__ import annotations

import threading
from collections import OrderedDict

import gradio as gr
import numpy as np
import plotly.graph_objects as go

from playground.attention import maps as core
from playground.kit import pretrained as models
from tabs import generate as generate_tab
from tabs import urlstate
from tabs.attention_figs import (GridGeometry, export_png, grid_geometry, grid_image,  # noqa: F401 (GridGeometry: API)
                                 heatmap_figure, side_figure, token_row_figure, view_matrix, view_title, visible_token)
from tabs.common import export_path, lesson, on_language, user_errors
from tabs.i18n import error, t
from tabs.plots import base_layout
from tabs.widgets import whole

MODEL_CHOICES = [("attn.model.minilm", "minilm"), ("attn.model.smollm2", "smollm2")]
EXAMPLES = [
    ["The animal didn't cross the street because it was too tired.", "minilm"],
    ["The capital of France is", "smollm2"],
    ["Hôm nay trời đẹp, chúng ta đi dạo ở Hà Nội nhé 😀", "minilm"],
    ["Once upon a time, a little robot learned to", "smollm2"],
]
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
def check_run(text: str, model: str, max_tokens, lang: str) -> None:
    """The checks of ``run`` alone, as a first event without outputs: a mistake is a toast, and the figures
    on screen keep their values (an event that fails marks each of its outputs with an "Error" badge)."""
    _check_text(text, lang)
    _check_model(model, lang)
    whole(max_tokens, 4, core.MAX_TOKENS_LIMIT, "attn.max_tokens", lang)


@user_errors
def check_compare(text_a: str, text_b: str, model: str, max_tokens, lang: str) -> None:
    check_run(text_a, model, max_tokens, lang)
    _check_text(text_b, lang)


@user_errors
def check_ablate(state, heads_text: str, lang: str) -> None:
    res = _from_state(state, lang)
    if not res.causal:
        raise error("attn.err.decoder_only", lang)
    heads = core.parse_heads(heads_text)
    if not heads:
        raise error("attn.err.no_heads", lang)
    core.check_heads(heads, *res.attentions.shape[:2])


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
    names = [visible_token(tok) for tok in effect.tokens]
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
            # a number box, not a slider: a slider quietly clamps a typed 100000; run() says what is allowed
            max_tokens = tr(gr.Number, label="attn.max_tokens", info="attn.max_tokens_info", step=8,
                            value=core.MAX_TOKENS, elem_id="attn-max-tokens")
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
            heads_text = tr(gr.Textbox, label="attn.ablate_heads", placeholder="attn.ablate_heads_ph", max_length=2000,
                            elem_id="attn-ablate-heads")
            add_btn = tr(gr.Button, value="attn.ablate_add", scale=0, min_width=160)
            ablate_btn = tr(gr.Button, value="attn.ablate_run", variant="primary", scale=0, min_width=200,
                            elem_id="attn-ablate-run")
        ablate_note = gr.Markdown(elem_id="attn-ablate-note")
        ablate_plot = gr.Plot(show_label=False, elem_id="attn-ablate-plot")
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
    # each button checks its inputs first (no outputs: a mistake leaves every figure as it is), then works
    check = dict(api_name=False, show_progress="hidden", concurrency_limit=None)  # queued: its error is a toast
    run_check = [text, model, max_tokens, lang]
    run_btn.click(check_run, run_check, None, **check).success(
        run, run_inputs, run_outputs, api_name="attention", concurrency_id="attention")
    for box in (text, max_tokens):  # Enter in the text or the cap box
        box.submit(check_run, run_check, None, **check).success(
            run, run_inputs, run_outputs, api_name=False, concurrency_id="attention")
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
    on_language(lang, lambda: (None, "", None, None), [], stale)
    on_language(lang, relabel, [state, layer, head, view, hide_special, query, lang], [summary, heatmap, token_row, side])
    add_btn.click(add_current_head, [heads_text, layer, head], heads_text, api_name=False, queue=False)
    ablate_btn.click(check_ablate, [state, heads_text, lang], None, **check).success(
        ablate, [state, heads_text, lang], [ablate_plot, ablate_note], api_name="ablate", concurrency_id="attention")
    compare_btn.click(check_compare, [text_a, text_b, model, max_tokens, lang], None, **check).success(
        compare, [text_a, text_b, model, max_tokens, layer, head, view, hide_special, lang], [plot_a, plot_b],
        api_name="compare", concurrency_id="attention")
    png_btn.click(do_export_png, [state, layer, head, view, hide_special, lang], export_file, api_name="export_png")
    npz_btn.click(do_export_npz, [state, lang], export_file, api_name="export_npz")
