"""Text generation step by step (SmolLM2), shown inside the Attention Explorer.

``GenerationPanel(page)`` adds one accordion; the Attention Explorer (``tabs.attention.layout``) builds it with one
line. The work is done by ``playground.attention.generate``: each streamed step shows the chosen token, its
probability after temperature / top-k / top-p, the model's own alternatives, and where the newest position looked
when it chose.
"""

from __future__ import annotations

import html

import gradio as gr
import pandas as pd
import plotly.graph_objects as go

from playground.attention import generate as core
from tabs.attention.session import check_model
from tabs.harness.common import user_errors
from tabs.harness.i18n import t
from tabs.harness.plots import base_layout
from tabs.harness.widgets import knob_widget, read_config

LABELS = {"max_new_tokens": "gen.max_new_tokens", "temperature": "gen.temperature", "top_k": "gen.top_k",
          "top_p": "gen.top_p", "seed": "gen.seed"}
COLUMNS = ("step", "token", "p", "p_model", "kept", "alternatives")


def _show(piece: str) -> str:
    return piece.replace("\n", "↵").replace(" ", "␣") or "∅"


def text_markdown(prompt: str, steps: list[core.GenStep], upto: int | None = None) -> str:
    """The prompt, then each generated token in bold (the one being inspected underlined)."""
    out = [html.escape(prompt).replace("\n", "<br>")]
    for s in steps:
        token = html.escape(s.token).replace("\n", "↵<br>")
        out.append(f"<u><b>{token}</b></u>" if s.index == upto else f"<b>{token}</b>")
    return "".join(out)


def table(steps: list[core.GenStep], lang: str) -> pd.DataFrame:
    """One row per generated token, headers in ``lang`` (the headers alone before a run)."""
    rows = []
    for s in steps:
        alts = ", ".join(f"{_show(a[0])} {100 * a[3]:.1f}%" for a in s.alternatives)
        rows.append([s.index + 1, _show(s.token), round(100 * s.prob, 1), round(100 * s.model_prob, 1), s.kept, alts])
    return pd.DataFrame(rows, columns=[t(f"gen.col.{c}", lang) for c in COLUMNS])


def attention_figure(step: core.GenStep | None, lang: str) -> go.Figure:
    """The newest position's attention over the context when it chose ``step``'s token: layers x tokens
    (mean over heads)."""
    fig = go.Figure()
    if step is not None:
        z = step.attention.mean(1)  # (L, T)
        labels = [_show(c) for c in step.context]
        fig.add_trace(go.Heatmap(z=z.tolist(), x=list(range(len(labels))), colorscale="Viridis", zmin=0,
                                 colorbar=dict(thickness=10),
                                 hovertemplate=t("gen.hover", lang) + "<extra></extra>"))
        step_ticks = max(1, len(labels) // 40)
        fig.update_xaxes(tickmode="array", tickvals=list(range(0, len(labels), step_ticks)),
                         ticktext=labels[::step_ticks], tickangle=-60)
        title = t("gen.attn_title", lang, token=_show(step.token), n=step.index + 1)
    else:
        title = ""
    base_layout(fig, title, 420)
    fig.update_yaxes(title_text=t("gen.layer", lang), autorange="reversed")
    return fig


@user_errors
def check(model: str, lang: str) -> None:
    """The model's check alone, as a first event without outputs: a name that cannot load here is a toast, and
    what is on screen stays (no "Error" badge on every output)."""
    check_model(model or "smollm2", lang)


@user_errors
def run(prompt: str, model: str, max_new_tokens, temperature, top_k, top_p, seed, lang: str):
    cfg = read_config(core.SamplingConfig, {"max_new_tokens": max_new_tokens, "temperature": temperature,
                                            "top_k": top_k, "top_p": top_p, "seed": seed}, LABELS, lang)
    steps: list[core.GenStep] = []
    yield t("gen.loading", lang), table([], lang), None, gr.update(), []
    for s in core.stream(check_model(model or "smollm2", lang), prompt, cfg):
        steps.append(s)
        ids = " ".join(str(x.token_id) for x in steps)
        note = t("gen.progress", lang, n=len(steps), ms=s.ms, ids=ids)
        yield (text_markdown(prompt, steps) + "\n\n" + note, table(steps, lang), attention_figure(s, lang),
               gr.update(maximum=max(2, len(steps)), value=len(steps)), steps)


def inspect(prompt: str, steps: list, k: int, lang: str):
    if not steps:
        return gr.update(), None
    k = min(max(int(k), 1), len(steps)) - 1
    return text_markdown(prompt, steps, upto=k), attention_figure(steps[k], lang)


def relabel(prompt: str, steps: list, k: int, lang: str):
    """After a language switch: the table's headers and the figure's texts in the new language."""
    if not steps:
        return table([], lang), gr.update()
    return table(steps, lang), inspect(prompt, steps, k, lang)[1]


class GenerationPanel:
    """The 'Generate text step by step' accordion, built inside the Attention Explorer for one page."""

    def __init__(self, page) -> None:
        self.page, tr, C = page, page.tr, core.SamplingConfig
        with tr(gr.Accordion, label="gen.title", open=False, elem_id="gen-panel"):
            tr(gr.Markdown, value="gen.help")
            with gr.Row():
                self.prompt = tr(gr.Textbox, label="gen.prompt", value="The capital of France is", lines=2, scale=3,
                                 max_length=core.MAX_PROMPT_CHARS, elem_id="gen-prompt")
                self.model = tr(gr.Dropdown, label="gen.model", choices=[("attn.model.smollm2", "smollm2")],
                                value="smollm2", allow_custom_value=True, scale=1)
            with gr.Row():
                self.settings = dict(
                    max_new_tokens=knob_widget(tr, C, "max_new_tokens", "gen.max_new_tokens", slider=True),
                    temperature=knob_widget(tr, C, "temperature", "gen.temperature", slider=True,
                                            info="gen.temperature_info"),
                    top_k=knob_widget(tr, C, "top_k", "gen.top_k", info="gen.top_k_info"),
                    top_p=knob_widget(tr, C, "top_p", "gen.top_p", slider=True, info="gen.top_p_info"),
                    seed=knob_widget(tr, C, "seed", "gen.seed"))
            self.run_btn = tr(gr.Button, value="gen.run", variant="primary", elem_id="gen-run")
            self.text = gr.Markdown(elem_id="gen-text")
            self.steps = gr.State([])  # the session's generated steps, for inspecting one of them
            with gr.Row():
                with gr.Column(scale=3):
                    self.rows = tr(gr.Dataframe, value=table([], "en"), label="gen.table", interactive=False,
                                   wrap=True, elem_id="gen-table")
                with gr.Column(scale=2):
                    self.pick = tr(gr.Slider, label="gen.pick", minimum=1, maximum=20, step=1, value=1,
                                   elem_id="gen-pick")
                    self.attention = gr.Plot(show_label=False, elem_id="gen-attention")
        self.wire()

    def wire(self) -> None:
        lang = self.page.lang
        self.run_btn.click(check, [self.model, lang], None, api_name=False, show_progress="hidden",
                           concurrency_limit=None).success(
            run, [self.prompt, self.model, *self.settings.values(), lang],
            [self.text, self.rows, self.attention, self.pick, self.steps], api_name="generate",
            concurrency_id="attention")
        self.page.on_language(relabel, [self.prompt, self.steps, self.pick, lang], [self.rows, self.attention])
        self.pick.input(inspect, [self.prompt, self.steps, self.pick, lang], [self.text, self.attention],
                        api_name=False, show_progress="hidden", trigger_mode="always_last")
