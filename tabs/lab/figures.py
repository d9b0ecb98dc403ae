"""Figures of the Transformer Lab tab (plotly) and its Markdown (held-out samples, answers, summaries), drawn
from the core's snapshots and decodings."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from tabs.harness.i18n import t
from tabs.harness.plots import FONT, base_layout

COLOURS = ["#2563eb", "#f97316", "#16a34a", "#9333ea", "#dc2626", "#0891b2", "#ca8a04", "#db2777"]
MASKED = "#e5e7eb"
GRID = "#e5e7eb"


def wrap(text: str, width: int) -> str:
    """``text`` broken at spaces into lines of at most ``width`` characters (plotly's ``<br>``): a panel title
    that runs over its neighbour or off the figure at 1024 px in presenter mode fits its panel instead."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def log_ticks(values) -> dict:
    """Ticks for a log axis over ``values``: the decades when they span one or more, else a few 1-2-5 values
    (plotly's own labelled every minor tick: 5, 2, 1, 5, 2, 0.1 ...). An axis update (``tickvals``/``ticktext``)."""
    v = np.asarray([x for x in values if x is not None and np.isfinite(x) and x > 0], dtype=float)
    if v.size == 0:
        return {}
    lo, hi = float(v.min()), float(v.max())
    k0, k1 = int(np.floor(np.log10(lo))), int(np.ceil(np.log10(hi)))
    decades = [10.0 ** k for k in range(k0, k1 + 1) if lo <= 10.0 ** k <= hi]
    every = max(1, -(-len(decades) // 5))  # at most 5 labels: every 2nd or 3rd decade over a wide range
    ticks = decades[::-1][::every][::-1]  # keeping the top one
    for mantissas in ((1, 2, 5), range(1, 10)):  # within a decade: 1-2-5, else every whole mantissa
        if len(ticks) < 2:
            ticks = sorted(m * 10.0 ** k for k in range(k0 - 1, k1 + 1) for m in mantissas
                           if lo <= m * 10.0 ** k <= hi)
    if len(ticks) < 2:  # a narrow range: its ends
        ticks = [lo, hi] if hi > lo else [lo]
    powers = ticks == decades[::-1][::every][::-1] and any(not -3 <= round(np.log10(x)) <= 3 for x in ticks)

    def label(x: float) -> str:
        if powers:
            return f"10<sup>{round(np.log10(x))}</sup>"  # 10⁻⁹, not 1e-09 or plotly's 1n, for every decade alike
        return f"{x:.3g}"

    return dict(tickmode="array", tickvals=ticks, ticktext=[label(x) for x in ticks])


def _legend_below(fig: go.Figure) -> go.Figure:
    fig.update_layout(legend=dict(LEGEND), margin=dict(b=80))
    return fig


LEGEND = dict(orientation="h", y=-0.3, yanchor="top", x=0)  # below the x axis's title, not on it


def grid(rows: int, cols: int, titles: list[str] | None = None, height: int = 340, title: str = "",
         gap: float = 0.1) -> go.Figure:
    """An empty figure of rows x cols panels, styled like ``tabs.harness.plots.base_layout``. Built by hand: plotly's
    templates and ``make_subplots`` cost ~60 ms of CPU per figure, which a live frame (2.5 a second, sharing
    the cores with training) cannot afford. Panel titles are wrapped to their panel's width (about 70 characters
    across the figure: a half-width figure at 1024 px in presenter mode), the figure's title sits above them."""
    titles = [wrap(x, max(16, 64 // cols)) for x in titles or []]
    lines = max((x.count("<br>") + 1 for x in titles), default=0)
    top = 15 + (24 if title else 0) + 17 * lines + (6 if lines else 0)
    layout = dict(height=height + max(0, top - 40), font=FONT, paper_bgcolor="white", plot_bgcolor="white",
                  hovermode="closest", margin=dict(l=55, r=20, t=top, b=80), legend=dict(LEGEND), annotations=[])
    if title:
        layout["title"] = dict(text=title, x=0.01, y=1, yref="container", yanchor="top", pad=dict(t=8),
                               font=dict(size=14))
    # a row gap that leaves room for the next row's titles and this row's tick labels
    vgap = gap + (0.07 * lines if rows > 1 else 0)
    w, h = (1 - gap * (cols - 1)) / cols, (1 - vgap * (rows - 1)) / rows
    for i in range(rows * cols):
        r, c = divmod(i, cols)
        n = "" if i == 0 else str(i + 1)
        x0, y1 = min(1.0, c * (w + gap)), max(0.0, 1 - r * (h + vgap))
        lo = max(0.0, y1 - h)
        axis = dict(gridcolor=GRID, zerolinecolor=GRID, linecolor="#9ca3af", automargin=True)
        layout[f"xaxis{n}"] = dict(axis, domain=[x0, min(1.0, x0 + w)], anchor=f"y{n}")
        layout[f"yaxis{n}"] = dict(axis, domain=[lo, y1], anchor=f"x{n}")
        if i < len(titles):
            layout["annotations"].append(dict(text=titles[i], x=x0 + w / 2, y=y1, xref="paper", yref="paper",
                                              xanchor="center", yanchor="bottom", yshift=4, showarrow=False,
                                              font=dict(size=13)))
    return go.Figure(layout=layout)


def _add(fig: go.Figure, trace, panel: int = 0) -> None:
    """Add a trace to panel ``panel`` (0 = first, row by row) of a ``grid`` figure."""
    n = "" if panel == 0 else str(panel + 1)
    trace.update(xaxis=f"x{n}", yaxis=f"y{n}")
    fig.add_trace(trace)


def task_label(task: str, lang: str) -> str:
    return t(f"lab.task.{task}", lang)


# ---------------------------------------------------------------- experiment 1
def seq2seq_curves(history: list, lang: str) -> go.Figure:
    """Left: training loss per task. Right: held-out exact match per task."""
    fig = grid(1, 2, [t("lab.fig.task_loss", lang), t("lab.fig.exact", lang)])
    if history:
        tasks = list(history[-1].task_loss) or list(history[-1].exact)
        evals = {s.exact_step: s.exact for s in history if s.exact}
        steps = sorted(evals)
        for i, task in enumerate(tasks):
            colour = COLOURS[i % len(COLOURS)]
            pts = [(s.step, s.task_loss[task]) for s in history if task in s.task_loss]
            _add(fig, go.Scatter(x=[p[0] for p in pts], y=[p[1] for p in pts], mode="lines",
                                 name=task_label(task, lang), line=dict(color=colour), legendgroup=task), 0)
            _add(fig, go.Scatter(x=steps, y=[100 * evals[s].get(task, 0) for s in steps], mode="lines+markers",
                                 name=task_label(task, lang), line=dict(color=colour), legendgroup=task,
                                 showlegend=False), 1)
    fig.update_layout(xaxis_title_text=t("lab.fig.step", lang), xaxis2_title_text=t("lab.fig.step", lang),
                      yaxis_title_text=t("lab.fig.loss", lang), yaxis_type="log", yaxis2_title_text="%",
                      yaxis2_range=[0, 102])
    fig.update_layout(yaxis=log_ticks([y for tr in fig.data if tr.yaxis == "y" for y in tr.y]))
    return fig


def attention_map(w: np.ndarray, rows: list[str], cols: list[str], title: str, lang: str, causal: bool = False,
                  show_rows: int | None = None, height: int = 360) -> go.Figure:
    """One (rows, cols) attention matrix. ``causal``: cells above the diagonal are drawn as masked.
    ``show_rows``: only the first rows are filled in (decoding so far)."""
    z = np.asarray(w, dtype=np.float32).copy()
    n_rows, n_cols = z.shape
    if show_rows is not None:
        z[show_rows:] = np.nan
    fig = go.Figure(go.Heatmap(z=z.tolist(), x=list(range(n_cols)), y=list(range(n_rows)), colorscale="Viridis", zmin=0,
                               zmax=1, hoverongaps=False, colorbar=dict(thickness=10),
                               hovertemplate=t("lab.fig.hover_attn", lang) + "<extra></extra>"))
    if causal:
        masked = np.triu(np.ones((n_rows, n_cols), dtype=bool), 1)
        fig.add_trace(go.Heatmap(z=np.where(masked, 1.0, np.nan).tolist(), colorscale=[[0, MASKED], [1, MASKED]],
                                 showscale=False, hoverongaps=False,
                                 hovertemplate=t("lab.fig.masked", lang) + "<extra></extra>"))
    base_layout(fig, title, height)
    fig.update_xaxes(tickmode="array", tickvals=list(range(n_cols)), ticktext=cols, tickangle=0, side="bottom")
    fig.update_yaxes(tickmode="array", tickvals=list(range(n_rows)), ticktext=rows, autorange="reversed")
    fig.update_layout(plot_bgcolor="white", margin=dict(l=60, r=10, t=40, b=40))
    return fig


def samples_markdown(snap, lang: str) -> str:
    """The latest held-out examples: input, target, the model's output, right or wrong."""
    if not snap.samples:
        return ""
    rows = [f"| `{x}` | `{y}` | `{o}` | {'✓' if o == y else '✗'} |" for x, y, o in snap.samples]
    head = f"| {t('lab.s2s.input', lang)} | {t('lab.s2s.target', lang)} | {t('lab.s2s.output', lang)} | |\n|---|---|---|---|"
    return t("lab.s2s.samples", lang, step=snap.exact_step) + "\n\n" + head + "\n" + "\n".join(rows)


def clamp_note(layer: int, head: int, n_layers: int, n_heads: int, lang: str) -> tuple[int, int, str]:
    """``layer`` and ``head`` brought inside a model of ``n_layers`` x ``n_heads`` (numbered from 0), and a note
    saying so when either was beyond it ("" otherwise): a choice is never remapped silently."""
    want_layer, want_head = int(layer), int(head)
    layer, head = max(0, min(want_layer, n_layers - 1)), max(0, min(want_head, n_heads - 1))
    if (layer, head) == (want_layer, want_head):
        return layer, head, ""
    return layer, head, t("lab.s2s.clamped", lang, layer=want_layer, head=want_head, L=n_layers, H=n_heads,
                          shown_layer=layer, shown_head=head)


def decoding_figures(d, layer: int, head: int, upto: int, lang: str) -> tuple:
    """Cross-attention, decoder self-attention and encoder self-attention of one decoding (layer, head), filled
    in up to output token ``upto``, and the answer written so far (Markdown; it says so when ``layer`` or
    ``head`` is beyond the model and which one is shown instead). Nothing without a decoding."""
    if d is None:
        return None, None, None, ""
    L, H = d.cross.shape[:2]
    layer, head, note = clamp_note(layer, head, L, H, lang)
    upto = min(int(upto), len(d.output_tokens) - 1)
    cross = attention_map(d.cross[layer, head], d.output_tokens, d.input_tokens,
                          t("lab.fig.cross", lang, layer=layer, head=head), lang, show_rows=upto + 1)
    dec = attention_map(d.decoder_self[layer, head], d.output_tokens, d.decoder_inputs,
                        t("lab.fig.dec_self", lang, layer=layer, head=head), lang, causal=True, show_rows=upto + 1)
    enc = attention_map(d.encoder_self[layer, head], d.input_tokens, d.input_tokens,
                        t("lab.fig.enc_self", lang, layer=layer, head=head), lang,
                        height=max(360, 16 * len(d.input_tokens) + 90))
    written = "".join(tok for tok in d.output_tokens[:upto + 1] if tok != "<eos>").replace("␣", " ")
    chips = " ".join(f"`{tok}` {100 * p:.0f}%" for tok, p in zip(d.output_tokens[:upto + 1], d.probs))
    answer = t("lab.s2s.answer", lang, text=written, step=upto + 1, n=len(d.output_tokens), chips=chips)
    return cross, dec, enc, (note + "\n\n" + answer if note else answer)


def reference_markdown(reference: str | None, answer: str, lang: str) -> str:
    """The task's own answer beside the model's (nothing for a text that is no task)."""
    if reference is None:
        return ""
    return t("lab.s2s.reference", lang, ref=reference, ok="✓" if reference == answer else "✗")


# ---------------------------------------------------------------- experiment 2
def run_label(key: str, lang: str) -> str:
    return t(f"lab.ln.run.{key}", lang)


def ln_summary(history: list, lang: str) -> str:
    """Each run's loss at the latest step, or the step it diverged at."""
    last = history[-1]
    lines = []
    for key, loss in last.loss.items():
        stop = last.diverged_at[key]
        state = t("lab.ln.diverged", lang, step=stop) if stop is not None else f"{loss:.3f}"
        lines.append(f"- **{run_label(key, lang)}**: {state}")
    return t("lab.ln.final", lang, step=last.step) + "\n" + "\n".join(lines)


def ln_losses(history: list, lang: str) -> go.Figure:
    fig = grid(1, 1, title=t("lab.fig.ln_loss", lang))
    if history:
        for i, key in enumerate(history[-1].loss):
            pts = [(s.step, s.loss[key]) for s in history if s.loss[key] is not None]
            dash = "dot" if key.startswith("post") else "solid"
            _add(fig, go.Scatter(x=[p[0] for p in pts], y=[p[1] for p in pts], mode="lines",
                                 name=run_label(key, lang), line=dict(color=COLOURS[i], dash=dash)))
            stop = history[-1].diverged_at[key]
            if stop is not None:
                fig.add_vline(x=stop, line=dict(color=COLOURS[i], dash="dash"))
    fig.update_layout(xaxis_title_text=t("lab.fig.step", lang), yaxis_title_text=t("lab.fig.loss", lang))
    return fig


def ln_grads(history: list, lang: str) -> go.Figure:
    """One panel per run: the gradient norm of each layer over steps (darker = deeper layer)."""
    keys = list(history[-1].loss) if history else []
    fig = grid(2, 2, [run_label(k, lang) for k in keys], height=460, title=t("lab.fig.ln_grads", lang), gap=0.12)
    for panel, key in enumerate(keys):
        rows = [(s.step, s.grad_norms[key]) for s in history if s.grad_norms[key]]
        if not rows:
            continue
        n = len(rows[0][1])
        for layer in range(n):
            shade = 0.25 + 0.75 * layer / max(1, n - 1)
            _add(fig, go.Scatter(x=[r[0] for r in rows], y=[r[1][layer] for r in rows], mode="lines",
                                 line=dict(color=f"rgba(37, 99, 235, {shade:.2f})", width=1.5),
                                 name=t("lab.fig.layer_n", lang, n=layer + 1), legendgroup=str(layer),
                                 showlegend=panel == 0), panel)
    fig.update_layout({f"yaxis{n}_type": "log" for n in ("", "2", "3", "4")})
    for n in ("", "2", "3", "4"):  # each panel's own decades
        fig.update_layout({f"yaxis{n}": log_ticks([y for tr in fig.data if tr.yaxis == f"y{n}" for y in tr.y])})
    return fig


# ---------------------------------------------------------------- experiment 3
def timing_figure(rows: list[dict], lang: str) -> go.Figure:
    fig = go.Figure()
    Ts = [r["T"] for r in rows if "lstm_train_ms" in r]
    for i, (name, kind) in enumerate([("transformer", "forward"), ("transformer", "train"), ("lstm", "forward"),
                                      ("lstm", "train")]):
        fig.add_trace(go.Scatter(x=Ts, y=[r[f"{name}_{kind}_ms"] for r in rows if "lstm_train_ms" in r],
                                 mode="lines+markers", name=t(f"lab.fig.{name}_{kind}", lang),
                                 line=dict(color=COLOURS[0 if name == "transformer" else 1],
                                           dash="solid" if kind == "train" else "dot")))
    base_layout(fig, t("lab.fig.timing", lang), 340)
    fig.update_xaxes(title_text=t("lab.fig.length", lang), type="log", tickvals=Ts)
    fig.update_yaxes(title_text="ms", type="log", **log_ticks([y for tr in fig.data for y in tr.y]))
    return _legend_below(fig)


def timing_note(rows: list[dict], lang: str) -> str:
    r = rows[-1]
    return t("lab.lstm.timing_note", lang, T=r["T"], tf=r["transformer_train_ms"], ls=r["lstm_train_ms"],
             tff=r["transformer_forward_ms"], lsf=r["lstm_forward_ms"])


def recall_figures(history: list, lang: str) -> tuple[go.Figure, go.Figure]:
    """Test accuracy against distance d (latest check), and accuracy over steps for each d."""
    by_d = grid(1, 1, title=t("lab.fig.recall_by_d", lang), height=320)
    over = grid(1, 1, title=t("lab.fig.recall_over", lang), height=320)
    last = history[-1] if history else None
    if last is not None and last.accuracy:
        ds = sorted(last.accuracy["transformer"], key=int)  # (a recording's keys may be text)
        for i, name in enumerate(("transformer", "lstm")):
            by_d.add_trace(go.Scatter(x=[int(d) for d in ds], y=[100 * last.accuracy[name][d] for d in ds], mode="lines+markers",
                                      name=t(f"lab.fig.{name}", lang), line=dict(color=COLOURS[i])))
            checks = {s.accuracy_step: s.accuracy for s in history if s.accuracy}
            steps = sorted(checks)
            for j, d in enumerate(ds):
                over.add_trace(go.Scatter(x=steps, y=[100 * checks[s][name][d] for s in steps], mode="lines",
                                          name=f"{t(f'lab.fig.{name}', lang)}, d={d}",
                                          line=dict(color=COLOURS[i], dash=["solid", "dash", "dot", "dashdot"][j % 4])))
        by_d.add_hline(y=100 / 8, line=dict(color="#9ca3af", dash="dot"), annotation_text=t("lab.fig.chance", lang),
                      annotation_position="bottom left")  # away from the LSTM's end, which lies near chance
    by_d.update_xaxes(title_text=t("lab.fig.distance", lang), type="log",
                      tickvals=sorted(map(int, last.accuracy["transformer"])) if last is not None and last.accuracy
                      else None)
    by_d.update_yaxes(title_text="%", range=[0, 102])
    over.update_xaxes(title_text=t("lab.fig.step", lang))
    over.update_yaxes(title_text="%", range=[0, 102])
    return by_d, over


# ---------------------------------------------------------------- experiment 4
def objectives_curves(history: list, lang: str) -> go.Figure:
    fig = grid(1, 2, [t("lab.fig.loss", lang), t("lab.fig.obj_acc", lang)], height=320)
    steps = [s.step for s in history]
    for i, kind in enumerate(("mlm", "clm")):
        name = t(f"lab.obj.{kind}", lang)
        _add(fig, go.Scatter(x=steps, y=[s.loss[kind] for s in history], name=name, mode="lines",
                             line=dict(color=COLOURS[i]), legendgroup=kind), 0)
        _add(fig, go.Scatter(x=steps, y=[100 * s.accuracy[kind] for s in history], name=name, mode="lines",
                             line=dict(color=COLOURS[i]), legendgroup=kind, showlegend=False), 1)
    fig.update_layout(xaxis_title_text=t("lab.fig.step", lang), xaxis2_title_text=t("lab.fig.step", lang),
                      yaxis2_range=[0, 102])
    return fig


def masks_figure(maps: dict, tokens: list[str], lang: str) -> go.Figure:
    """Top: each model's attention mask. Bottom: its attention (last layer, mean over heads) on the sentence."""
    titles = [wrap(t(k, lang), 32) for k in ("lab.fig.mask_mlm", "lab.fig.mask_clm", "lab.fig.attn_mlm",
                                                "lab.fig.attn_clm")]
    lines = max(x.count("<br>") + 1 for x in titles)
    fig = make_subplots(rows=2, cols=2, subplot_titles=titles, vertical_spacing=0.14 + 0.04 * lines,
                        horizontal_spacing=0.14)
    n = len(tokens)
    grid = [(maps["mlm_mask"], 1, 1, "Greys"), (maps["clm_mask"], 1, 2, "Greys"),
            (maps["mlm_attention"][-1].mean(0), 2, 1, "Viridis"), (maps["clm_attention"][-1].mean(0), 2, 2, "Viridis")]
    for z, r, c, scale in grid:
        fig.add_trace(go.Heatmap(z=np.asarray(z).tolist(), x=list(range(n)), y=list(range(n)), colorscale=scale, zmin=0, zmax=1,
                                 showscale=False, hovertemplate=t("lab.fig.hover_attn", lang) + "<extra></extra>"), r, c)
    base_layout(fig, "", 620 + 20 * lines)
    fig.update_layout(margin=dict(t=20 + 17 * lines, l=60, r=20, b=60))  # the top titles inside the figure
    fig.update_xaxes(tickmode="array", tickvals=list(range(n)), ticktext=tokens, tickangle=-45, tickfont=dict(size=10))
    fig.update_yaxes(tickmode="array", tickvals=list(range(n)), ticktext=tokens, autorange="reversed",
                     tickfont=dict(size=10))
    fig.update_layout(font=FONT, plot_bgcolor="white")
    return fig
