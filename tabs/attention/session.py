"""What the Attention Explorer keeps, and its handlers.

A browser session keeps only what its last run was (``{"model", "text", "max_tokens"}`` in a ``gr.State``); the
attention maps themselves live in ``CACHE``, shared read-only by every session of every build (the same inputs
always give the same weights). Each handler checks what it was sent (against the model actually used, in the
user's language) and returns its outputs in the order the tab wires them (``tabs.attention.layout``).
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import gradio as gr
import numpy as np

from playground.attention import catalog, maps as core
from playground.kit import pretrained as models
from tabs.attention.figures import (ablation_figure, export_png, grid_geometry, grid_image, heatmap_figure,
                                    side_figure, summary_markdown, token_row_figure, view_matrix, view_title)
from tabs.harness.common import export_path, user_errors
from tabs.harness.i18n import error, t
from tabs.harness.widgets import whole

DEFAULT_MODEL = "minilm"


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

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


CACHE = ResultCache()


# ---------------------------------------------------------------- checks
def model_name(model: str | None) -> str:
    """An empty model box means the default model."""
    return (model or "").strip() or DEFAULT_MODEL


def check_text(text: str, lang: str) -> str:
    if not isinstance(text, str) or not text.strip():
        raise error("attn.err.empty", lang)
    return text


def check_model(model, lang: str) -> str:
    """A packaged name or a hub id (never a path on the server); one message for every other name. Offline, a
    hub id that is not in the local cache is refused at once (transformers would retry the hub for 26 s)."""
    try:
        name = models.resolve_name(model_name(model) if isinstance(model, str) or model is None else model)
    except ValueError:
        shown = str(model)[:60] if model is not None else ""
        raise error("attn.err.model", lang, name=shown) from None
    try:
        return catalog.check_available(name)
    except ValueError:
        raise error("attn.err.offline", lang, name=name[:60]) from None


def check_cap(max_tokens, lang: str) -> int:
    return whole(max_tokens, 4, core.MAX_TOKENS_LIMIT, "attn.max_tokens", lang)


def check_view(layer, head, res: core.AttentionResult, lang: str) -> tuple[int, int]:
    """Layer and head checked against the model actually used (not against a widget's old maximum)."""
    L, H = res.attentions.shape[:2]
    return (whole(layer, 0, L - 1, "attn.layer", lang), whole(head, 0, H - 1, "attn.head", lang))


def check_heads(res: core.AttentionResult, heads_text: str, lang: str) -> list[tuple[int, int]]:
    """The heads to switch off, for a decoder run: at least one, each of them existing."""
    if not res.causal:
        raise error("attn.err.decoder_only", lang)
    heads = core.parse_heads(heads_text)
    if not heads:
        raise error("attn.err.no_heads", lang)
    return core.check_heads(heads, *res.attentions.shape[:2])


def from_state(state: dict | None, lang: str) -> core.AttentionResult:
    """The result of the session's last run (from the cache, or computed again)."""
    if not state:
        raise error("attn.err.no_run", lang)
    return CACHE.get(state["model"], state["text"], state["max_tokens"])


# ---------------------------------------------------------------- the checks alone (first events, no outputs)
@user_errors
def check_run(text: str, model: str, max_tokens, lang: str) -> None:
    """The checks of ``run`` alone, as a first event without outputs: a mistake is a toast, and the figures
    on screen keep their values (an event that fails marks each of its outputs with an "Error" badge)."""
    check_text(text, lang)
    check_model(model, lang)
    check_cap(max_tokens, lang)


@user_errors
def check_compare(text_a: str, text_b: str, model: str, max_tokens, lang: str) -> None:
    check_run(text_a, model, max_tokens, lang)
    check_text(text_b, lang)


@user_errors
def check_ablate(state, heads_text: str, lang: str) -> None:
    check_heads(from_state(state, lang), heads_text, lang)


# ---------------------------------------------------------------- handlers
def _render(res, layer, head, view, hide_special, query, lang):
    layer = int(np.clip(layer, 0, res.attentions.shape[0] - 1))
    head = int(np.clip(head, 0, res.attentions.shape[1] - 1))
    matrix = view_matrix(res, layer, head, view)
    heat = heatmap_figure(res, matrix, view_title(res, layer, head, view, lang), lang, hide_special)
    row = token_row_figure(res, layer, query if query is not None else len(res.tokens) - 1, lang, hide_special)
    return heat, row


@user_errors
def run(text: str, model: str, max_tokens: int, layer: int, head: int, view: str, hide_special: bool,
        lang: str, progress=gr.Progress()):
    """Extract attention for a sentence and draw every view."""
    check_text(text, lang)
    model = check_model(model, lang)
    max_tokens = check_cap(max_tokens, lang)
    if model not in models.loaded_names():
        progress(0.1, desc=f"loading {model} (once)…")
    res = CACHE.get(model, text, max_tokens)
    L, H, T = res.attentions.shape[0], res.attentions.shape[1], len(res.tokens)
    layer, head = check_view(layer, head, res, lang)
    query = T - 1
    heat, row = _render(res, layer, head, view, hide_special, query, lang)
    state = {"model": model, "text": text, "max_tokens": int(max_tokens)}
    return (summary_markdown(res, lang), heat, grid_image(res, hide_special), side_figure(res, lang), row,
            gr.update(maximum=L - 1, value=layer), gr.update(maximum=H - 1, value=head),
            gr.update(choices=[(f"{i}: {tok}", i) for i, tok in enumerate(res.tokens)], value=query), state)


def fit_views(model, layer, head):
    """The layer and head sliders' ranges for the model now in the box, read from its config before any run
    (values beyond the new range come down to its last layer / head); unchanged when no config is at hand."""
    found = catalog.shape(model_name(model)) if isinstance(model, str) or model is None else None
    if found is None:
        return gr.update(), gr.update()
    L, H = found

    def fit(value, n):
        try:
            return min(max(int(value), 0), n - 1)
        except (TypeError, ValueError, OverflowError):
            return 0

    return gr.update(maximum=L - 1, value=fit(layer, L)), gr.update(maximum=H - 1, value=fit(head, H))


@user_errors
def redraw(state, layer, head, view, hide_special, query, lang):
    res = from_state(state, lang)
    L, H = res.attentions.shape[:2]
    if model_shown_since(layer, head, L, H):
        return gr.skip(), gr.skip()
    layer, head = check_view(layer, head, res, lang)
    return _render(res, layer, head, view, hide_special, query, lang)


def model_shown_since(layer, head, L: int, H: int) -> bool:
    """The sliders reach past the run on screen: they span another model chosen since (its note says so, and
    "Show attention" draws it). The run's figures stay as they are rather than turn into an error."""
    try:
        return not (0 <= float(layer) < L and 0 <= float(head) < H)
    except (TypeError, ValueError):
        return False


def relabel(state, layer, head, view, hide_special, query, lang):
    """After a language switch, redraw the texts that live inside figures."""
    if not state:
        return gr.update(), gr.update(), gr.update(), gr.update()
    res = from_state(state, lang)
    heat, row = _render(res, layer, head, view, hide_special, query, lang)
    return summary_markdown(res, lang), heat, row, side_figure(res, lang)


@user_errors
def redraw_grid(state, hide_special, lang):
    return grid_image(from_state(state, lang), hide_special)


@user_errors
def open_tile(state, hide_special, query, lang, evt: gr.SelectData):
    """A tile of the grid clicked: (layer, head, view "head", its heatmap, the token row), drawn from the run's
    cached attention in one answer: nothing is computed again, the model does not run. A click between tiles
    changes nothing."""
    res = from_state(state, lang)
    hit = grid_geometry(res).head_at(*map(int, evt.index[:2])) if evt.index is not None else None
    if hit is None:
        return (gr.skip(),) * 5
    layer, head = hit
    return (layer, head, "head", *_render(res, layer, head, "head", hide_special, query, lang))


@user_errors
def ablate(state, heads_text: str, lang: str):
    res = from_state(state, lang)
    heads = check_heads(res, heads_text, lang)
    after = CACHE.get(state["model"], state["text"], state["max_tokens"], heads)
    effect = core.ablation_effect(res, after)
    note = t("attn.ablation_result", lang, heads=", ".join(f"{a}:{b}" for a, b in after.ablated), kl=effect.kl,
             tv=effect.total_variation, a=effect.top_base, b=effect.top_ablated)
    return ablation_figure(effect, lang), note


def add_current_head(heads_text: str, layer: int, head: int) -> str:
    current = [h.strip() for h in (heads_text or "").split(",") if h.strip()]
    item = f"{int(layer)}:{int(head)}"
    return ", ".join(current if item in current else current + [item])


@user_errors
def compare(text_a, text_b, model, max_tokens, layer, head, view, hide_special, lang):
    figs = []
    model = check_model(model, lang)
    max_tokens = check_cap(max_tokens, lang)
    for text in (text_a, text_b):
        check_text(text, lang)
        res = CACHE.get(model, text, max_tokens)
        lyr, hd = check_view(layer, head, res, lang)
        figs.append(heatmap_figure(res, view_matrix(res, lyr, hd, view), view_title(res, lyr, hd, view, lang),
                                   lang, hide_special, height=460))
    return figs[0], figs[1]


@user_errors
def export_heatmap_png(state, layer, head, view, hide_special, lang):
    return _export_heatmap(state, layer, head, view, hide_special, lang, "png")


@user_errors
def export_heatmap_svg(state, layer, head, view, hide_special, lang):
    return _export_heatmap(state, layer, head, view, hide_special, lang, "svg")


def _export_heatmap(state, layer, head, view, hide_special, lang, fmt: str) -> str:
    res = from_state(state, lang)
    layer, head = check_view(layer, head, res, lang)
    return export_png(res, view_matrix(res, layer, head, view), view_title(res, layer, head, view, lang), hide_special,
                      fmt)


@user_errors
def export_npz(state, lang):
    path = export_path("attention.npz")
    core.save_npz(path, from_state(state, lang))
    return str(path)
