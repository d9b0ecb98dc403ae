"""Attention Explorer: heatmaps of every layer and head of a pretrained encoder or decoder.

``AttentionTab(page)`` builds the tab for one build of the app: the sentence and the model, the views of one head
(heatmap, side chart, token row, the overview grid of every layer and head), head ablation, two sentences side by
side, the generation panel (``tabs.attention.generate``) and the exports. Its handlers are in
``tabs.attention.session``; a session keeps what its last run was in the tab's ``gr.State``.
"""

from __future__ import annotations

import gradio as gr

from playground.attention import catalog, maps as core
from tabs.attention import session
from tabs.attention.generate import GenerationPanel
from tabs.harness.common import lesson
from tabs.harness.stale import Provenance

MODEL_CHOICES = [("attn.model.minilm", "minilm"), ("attn.model.smollm2", "smollm2")]
VIEW_CHOICES = [("attn.view.head", "head"), ("attn.view.mean", "mean"), ("attn.view.rollout", "rollout")]
EXAMPLES = [
    ["The animal didn't cross the street because it was too tired.", "minilm"],
    ["The capital of France is", "smollm2"],
    ["Hôm nay trời đẹp, chúng ta đi dạo ở Hà Nội nhé 😀", "minilm"],
    ["Once upon a time, a little robot learned to", "smollm2"],
]
# the models are English-trained: the Vietnamese examples show how they cut and read another language
EXAMPLES_VI = [
    ["Con mèo không băng qua đường vì nó quá mệt.", "minilm"],
    ["Thủ đô của nước Pháp là", "smollm2"],
    ["Hôm nay trời đẹp, chúng ta đi dạo ở Hà Nội nhé 😀", "minilm"],
    ["Ngày xửa ngày xưa, có một chú rô-bốt nhỏ học cách", "smollm2"],
]


def examples_for(lang: str):
    """The examples table's sentences in the page's language."""
    return gr.update(samples=EXAMPLES_VI if lang == "vi" else EXAMPLES)


COMPARED = ("The trophy didn't fit in the suitcase because it was too big.",
            "The trophy didn't fit in the suitcase because it was too small.")
MAX_VIEW = 127  # the sliders' range for a model whose config is not at hand (a hub id not cached yet)


def checked_by_the_handlers(slider: gr.Slider) -> gr.Slider:
    """A layer or head slider whose range is the model shown, and whose value the handlers check against the
    model actually used (``session.check_view``), with the tab's message: Gradio's own bounds check would hold an
    API client's fresh session to the default model's range (0-5) even when it asks for SmolLM2's layer 25. (Set on
    the instance: a subclass of a Gradio component makes Gradio write a ``.pyi`` stub beside this file.)"""
    slider.preprocess = lambda payload: payload
    return slider


# a tile clicked in the overview grid opens large: the page scrolls to the heatmap
SCROLL_TO_HEATMAP = ("() => document.getElementById('attn-heatmap')"
                     "?.scrollIntoView({behavior: 'smooth', block: 'start'})")
# the first event of each button checks its inputs (no outputs: a mistake leaves every figure as it is); queued, so
# its error is a toast
CHECK = dict(api_name=False, show_progress="hidden", concurrency_limit=None)


class AttentionTab:
    def __init__(self, page) -> None:
        self.page, tr = page, page.tr
        lesson(tr, "attn.lesson", open=False)
        self.state = gr.State(None)  # {"model", "text", "max_tokens"} of the session's last run
        self.inputs()
        self.views()
        self.ablation_panel()
        self.compare_panel()
        self.generation = GenerationPanel(page)  # text generation step by step
        self.export_panel()
        self.wire()

    # ------------------------------------------------------------ layout
    def inputs(self) -> None:
        tr = self.page.tr
        with gr.Row():
            with gr.Column(scale=2):
                self.text = tr(gr.Textbox, label="attn.text", placeholder="attn.text_ph", lines=2,
                               max_length=core.MAX_CHARS, value=EXAMPLES[0][0], elem_id="attn-text")
            with gr.Column(scale=1, min_width=260):
                self.model = tr(gr.Dropdown, label="attn.model", info="attn.model_info", choices=MODEL_CHOICES,
                                value=session.DEFAULT_MODEL, allow_custom_value=True, elem_id="attn-model")
                # a number box, not a slider: a slider quietly clamps a typed 100000; run() says what is allowed
                self.max_tokens = tr(gr.Number, label="attn.max_tokens", info="attn.max_tokens_info", step=8,
                                     value=core.MAX_TOKENS, elem_id="attn-max-tokens")
        with gr.Row():
            self.run_btn = tr(gr.Button, value="attn.run", variant="primary", elem_id="attn-run", scale=0,
                              min_width=200)
            self.summary = gr.Markdown(elem_id="attn-summary")
        self.examples = tr(gr.Examples, examples=EXAMPLES, inputs=[self.text, self.model], label="attn.examples")

    def views(self) -> None:
        tr = self.page.tr
        with gr.Row():
            # the range of the model shown, from its config (no weights load); a change of model narrows or
            # widens them (session.fit_views), a run sets them to the model it used
            layers, heads = catalog.shape(session.DEFAULT_MODEL) or (MAX_VIEW + 1, MAX_VIEW + 1)
            self.layer = checked_by_the_handlers(tr(gr.Slider, label="attn.layer", minimum=0, maximum=layers - 1,
                                                    step=1, value=0, elem_id="attn-layer"))
            self.head = checked_by_the_handlers(tr(gr.Slider, label="attn.head", minimum=0, maximum=heads - 1,
                                                   step=1, value=0, elem_id="attn-head"))
            self.view = tr(gr.Radio, label="attn.view", value="head", elem_id="attn-view", choices=VIEW_CHOICES)
            self.hide_special = tr(gr.Checkbox, label="attn.hide_special", info="attn.hide_special_info",
                                   value=False)
        # the views below are of the last run's sentence: once the box holds another (or another model or cap),
        # the note says so until "Show attention" runs it
        self.result = Provenance(self.page, "attn-result",
                                 {"text": self.text, "model": self.model, "max_tokens": self.max_tokens},
                                 labels={"text": "attn.text", "model": "attn.model", "max_tokens": "attn.max_tokens"},
                                 action="attn.run")
        with gr.Row():
            with gr.Column(scale=3):
                self.heatmap = gr.Plot(elem_id="attn-heatmap", show_label=False)
            with gr.Column(scale=2):
                self.side = gr.Plot(show_label=False, elem_id="attn-side")
        tr(gr.Markdown, value="attn.grid_title")
        self.grid = tr(gr.Image, label="attn.grid", show_label=False, interactive=False, elem_id="attn-grid",
                       elem_classes=["grid-image"], buttons=["download"])
        tr(gr.Markdown, value="attn.grid_legend")
        with gr.Row():
            self.query = tr(gr.Dropdown, label="attn.query", choices=[], value=None, elem_id="attn-query", scale=1)
            with gr.Column(scale=4):
                self.token_row = gr.Plot(show_label=False, elem_id="attn-token-row")

    def ablation_panel(self) -> None:
        tr = self.page.tr
        with tr(gr.Accordion, label="attn.ablate", open=False):
            tr(gr.Markdown, value="attn.ablate_help")
            with gr.Row():
                self.heads_text = tr(gr.Textbox, label="attn.ablate_heads", placeholder="attn.ablate_heads_ph",
                                     max_length=2000, elem_id="attn-ablate-heads")
                self.add_btn = tr(gr.Button, value="attn.ablate_add", scale=0, min_width=160)
                self.ablate_btn = tr(gr.Button, value="attn.ablate_run", variant="primary", scale=0, min_width=200,
                                     elem_id="attn-ablate-run")
            self.ablate_note = gr.Markdown(elem_id="attn-ablate-note")
            self.ablate_plot = gr.Plot(show_label=False, elem_id="attn-ablate-plot")

    def compare_panel(self) -> None:
        tr = self.page.tr
        with tr(gr.Accordion, label="attn.compare", open=False):
            with gr.Row():
                self.text_a = tr(gr.Textbox, label="attn.text", value=COMPARED[0], max_length=core.MAX_CHARS)
                self.text_b = tr(gr.Textbox, label="attn.text_b", value=COMPARED[1], max_length=core.MAX_CHARS)
            self.compare_btn = tr(gr.Button, value="attn.compare_run")
            with gr.Row():
                self.plot_a = gr.Plot(show_label=False)
                self.plot_b = gr.Plot(show_label=False)

    def export_panel(self) -> None:
        tr = self.page.tr
        with tr(gr.Accordion, label="attn.export", open=False):
            with gr.Row():
                self.png_btn = tr(gr.Button, value="attn.export_png", elem_id="attn-export-png")
                self.svg_btn = tr(gr.Button, value="attn.export_svg", elem_id="attn-export-svg")
                self.npz_btn = tr(gr.Button, value="attn.export_npz")
            self.export_file = tr(gr.File, label="attn.export_file", interactive=False)

    # ------------------------------------------------------------ wiring
    def wire(self) -> None:
        page = self.page
        page.links.share_all("attention", dict(text=self.text, model=self.model, layer=self.layer, head=self.head,
                                               view=self.view))
        page.links.button(page.tr, "attention")
        self.wire_run()
        self.wire_views()
        # outputs that belong to another model or language are cleared, not left on screen mislabelled
        stale = [self.ablate_plot, self.ablate_note, self.plot_a, self.plot_b]
        self.model.change(lambda: (None, "", None, None), None, stale, api_name=False, queue=False)
        self.model.change(session.fit_views, [self.model, self.layer, self.head], [self.layer, self.head],
                          api_name=False, queue=False, show_progress="hidden")
        page.on_language(lambda: (None, "", None, None), [], stale)
        page.on_language(session.relabel, self.view_inputs, [self.summary, self.heatmap, self.token_row, self.side])
        page.on_language(examples_for, [page.lang], [self.examples.dataset])
        self.wire_tools()

    def wire_run(self) -> None:
        lang = self.page.lang
        run_inputs = [self.text, self.model, self.max_tokens, self.layer, self.head, self.view, self.hide_special,
                      lang]
        run_outputs = [self.summary, self.heatmap, self.grid, self.side, self.token_row, self.layer, self.head,
                       self.query, self.state]
        run_check = [self.text, self.model, self.max_tokens, lang]
        ran = self.run_btn.click(session.check_run, run_check, None, **CHECK).success(
            session.run, run_inputs, run_outputs, api_name="attention", concurrency_id="attention")
        self.result.made_by(ran)
        # a link (or a lecture's moment) draws its sentence's attention at once, as Run would
        self.page.on_open(lambda data, request=None: dict(zip(run_outputs, session.run(*[data[c] for c in run_inputs]))),
                          {f"in{i}": c for i, c in enumerate(run_inputs)}, run_outputs,
                          dict(concurrency_id="attention"), lands=lambda values: "instant view (attention)",
                          after=self.result.made_by)
        for box in (self.text, self.max_tokens):  # Enter in the text or the cap box
            ran = box.submit(session.check_run, run_check, None, **CHECK).success(
                session.run, run_inputs, run_outputs, api_name=False, concurrency_id="attention")
            self.result.made_by(ran)

    @property
    def view_inputs(self) -> list:
        return [self.state, self.layer, self.head, self.view, self.hide_special, self.query, self.page.lang]

    def wire_views(self) -> None:
        lang, view_inputs, drawn = self.page.lang, self.view_inputs, [self.heatmap, self.token_row]
        quiet = dict(api_name=False, show_progress="hidden")
        for slider in (self.layer, self.head):  # dragging or typing a number; only the latest value is drawn
            slider.input(session.redraw, view_inputs, drawn, trigger_mode="always_last", **quiet)
        for widget in (self.view, self.query):
            widget.input(session.redraw, view_inputs, drawn, **quiet)
        self.hide_special.input(session.redraw, view_inputs, drawn, **quiet).then(
            session.redraw_grid, [self.state, self.hide_special, lang], self.grid, **quiet)
        # one unqueued answer from the cached attention (it was two queued events: 1.0-2.0 s on a loaded machine)
        self.grid.select(session.open_tile, [self.state, self.hide_special, self.query, lang],
                         [self.layer, self.head, self.view, *drawn], queue=False, **quiet).then(
            None, js=SCROLL_TO_HEATMAP)

    def wire_tools(self) -> None:
        """Ablation, comparison and the exports."""
        lang, state = self.page.lang, self.state
        self.add_btn.click(session.add_current_head, [self.heads_text, self.layer, self.head], self.heads_text,
                           api_name=False, queue=False)
        self.ablate_btn.click(session.check_ablate, [state, self.heads_text, lang], None, **CHECK).success(
            session.ablate, [state, self.heads_text, lang], [self.ablate_plot, self.ablate_note], api_name="ablate",
            concurrency_id="attention")
        compared = [self.text_a, self.text_b, self.model, self.max_tokens]
        self.compare_btn.click(session.check_compare, [*compared, lang], None, **CHECK).success(
            session.compare, [*compared, self.layer, self.head, self.view, self.hide_special, lang],
            [self.plot_a, self.plot_b], api_name="compare", concurrency_id="attention")
        shown = [state, self.layer, self.head, self.view, self.hide_special, lang]  # the heatmap on screen
        self.png_btn.click(session.export_heatmap_png, shown, self.export_file, api_name="export_png")
        self.svg_btn.click(session.export_heatmap_svg, shown, self.export_file, api_name="export_svg")
        self.npz_btn.click(session.export_npz, [state, lang], self.export_file, api_name="export_npz")
