"""Transformer Lab: train small transformers live and watch the claims of the course come true (or not).

``LabTab(page)`` builds the tab for one build of the app: four experiments, each a sub-tab with a live run
(``tabs.harness.live``): a T5-style encoder-decoder (with the attention maps of a typed input), pre-LN vs post-LN,
transformer vs LSTM, and BERT vs GPT objectives. Every experiment's run is set up alike (``LabTab.live_run``: its
controls, its session, its link settings, its download); the models and loops live in ``playground/lab``, the
runs in ``tabs.lab.session``, the figures in ``tabs.lab.figures``.
"""

from __future__ import annotations

from typing import Callable

import gradio as gr

from playground.lab import ln, lstm, objectives, seq2seq, tasks
from playground.kit import knobs
from playground.lab.common import THREADS
from tabs.harness import stills
from tabs.harness.common import lesson
from tabs.harness.live import ControlSet, Live
from tabs.harness.widgets import knob_widget, named
from tabs.lab import figures, replay, session
from tabs.lab.session import EXPERIMENTS, LabSession

EXAMPLES = ["date: ngày 9 tháng 11 năm 1989", "date: July 20th, 1969", "date: 2 tháng 9, 1945",
            "reverse: transformer", "sort: 7 3 9 1 4"]
FILL_EXAMPLES = ["_ is the capital of japan .", "the capital of _ is paris .", "_ là thủ đô của việt nam .",
                 "the capital of japan is", "con mèo kêu"]


class LabTab:
    def __init__(self, page) -> None:
        self.page, tr = page, page.tr
        lesson(tr, "lab.lesson", open=False)
        builders = {"seq2seq": self.seq2seq, "ln": self.ln, "lstm": self.lstm, "objectives": self.objectives}
        self.live: dict[str, Live] = {}  # experiment -> its live run
        # which experiment is open, as a value a link can carry (a Tabs has none): set by the sub-tabs, and setting
        # it from an address opens that sub-tab
        self.experiment = gr.Radio(choices=list(builders), value="seq2seq", visible="hidden",
                                   elem_id="lab-experiment")
        with gr.Tabs(elem_id="lab-experiments") as self.experiments:
            for name, build in builders.items():
                with tr(gr.Tab, label=f"lab.tab.{name}", id=name, elem_id=f"lab-tab-{name}"):
                    build()
        self.wire()

    # ------------------------------------------------------------ what every experiment has
    def controls(self, name: str) -> ControlSet:
        """Start / Pause / Step / Stop / Replay of experiment ``name`` in one row, its status and replay note."""
        with gr.Row():
            controls = ControlSet.buttons(self.page, f"lab-{EXPERIMENTS[name].short}", replay=True)
        controls.status_line()
        controls.replay_note()
        return controls

    def live_run(self, name: str, controls: ControlSet, inputs: dict, outputs: list,
                 render: Callable[[LabSession, object, str], dict], linked: dict | None = None) -> Live:
        """Experiment ``name``'s live run: ``render(session, snapshot, lang)`` draws its figures (from the
        session's history: every snapshot so far)."""
        # its settings (and ``linked``, widgets that are no setting of the run) go into the address as
        # lab.<short>.<field>; its download row comes last
        page, ex = self.page, EXPERIMENTS[name]
        live = Live(page, ex.live_name, LabSession, make_run=ex.make_run, render=render,
                    where=ex.where, config=ex.read, replayer=replay.REPLAYERS[name], cpu_threads=THREADS)
        page.links.share_all("lab", {**(linked or {}), **inputs}, prefix=f"{ex.short}.")
        # a link to the Lab lands on the recording of the experiment it opens
        live.wire(controls, inputs=inputs, outputs=outputs, open_when=(self.experiment, name))
        self.live[name] = live
        self.export_row(name, live)
        return live

    def export_row(self, name: str, live: Live) -> None:
        with gr.Row():
            btn = self.page.tr(gr.Button, value="lab.export", size="sm", scale=0, min_width=220,
                               elem_id=f"lab-{name}-export")
            files = gr.File(file_count="multiple", show_label=False, visible=False, elem_id=f"lab-{name}-files")
        stills.wire(self.page, live, *stills.controls(self.page, f"lab-{name}"), f"lab-{name}", f"lab_{name}_stills")

        def download(data: dict) -> dict:
            return gr.update(value=session.export(data[live.state], name, data[self.page.lang]), visible=True)

        # "lg": the name API clients have always passed the language by here
        btn.click(*named(download, {"session": live.state, "lg": self.page.lang}), files,
                  api_name=f"lab_{name}_export")

    # ------------------------------------------------------------ experiment 1: seq2seq
    def seq2seq(self) -> None:
        tr, C = self.page.tr, seq2seq.Seq2SeqConfig
        tr(gr.Markdown, value="lab.s2s.intro")
        with gr.Row():
            inputs = {"tasks": tr(gr.CheckboxGroup, label="lab.s2s.tasks", value=list(tasks.TASKS),
                                  choices=[(f"lab.task.{k}", k) for k in tasks.TASKS], scale=3),
                      "steps": knob_widget(tr, C, "steps", "lab.steps", scale=1, elem_id="lab-s2s-steps"),
                      "d_model": knob_widget(tr, C, "d_model", "lab.d_model", scale=1),
                      "n_layers": knob_widget(tr, C, "n_layers", "lab.n_layers", scale=1),
                      "lr": knob_widget(tr, C, "lr", "lab.lr", scale=1),
                      "seed": knob_widget(tr, C, "seed", "lab.seed", scale=1)}
        controls = self.controls("seq2seq")
        curves = gr.Plot(show_label=False, elem_id="lab-s2s-curves")
        samples = gr.Markdown(elem_id="lab-s2s-samples")
        live = self.live_run("seq2seq", controls, inputs, [curves, samples], lambda s, snap, lang: {
            curves: figures.seq2seq_curves(s.history, lang), samples: figures.samples_markdown(snap, lang)})
        self.ask_panel(live, controls, inputs["n_layers"])

    def ask_panel(self, live: Live, controls: ControlSet, n_layers: gr.components.Component) -> None:
        """Ask the trained model: its answer, and its attention maps token by token. The layer and head sliders
        span the model shown: the session's trained (or replayed) model, else the one the settings describe."""
        tr, lang = self.page.tr, self.page.lang
        tr(gr.Markdown, value="lab.s2s.ask_intro")
        decoding = gr.State(None)  # the last answer: (its decoding, the task's own answer or None)
        with gr.Row():
            question = tr(gr.Textbox, label="lab.s2s.ask", value=EXAMPLES[0], max_length=seq2seq.MAX_IN, scale=3,
                          elem_id="lab-s2s-question")
            ask_btn = tr(gr.Button, value="lab.s2s.ask_btn", variant="primary", scale=1, elem_id="lab-s2s-ask")
        tr(gr.Examples, examples=[[e] for e in EXAMPLES], inputs=[question], label="lab.examples")
        answer = gr.Markdown(elem_id="lab-s2s-answer")
        with gr.Row():
            upto = tr(gr.Slider, label="lab.s2s.upto", minimum=0, maximum=10, step=1, value=10,
                      elem_id="lab-s2s-upto")
            n, h = self.model_shape(None, n_layers.value)
            layer = tr(gr.Slider, label="lab.layer", minimum=0, maximum=max(1, n - 1), step=1, value=n - 1,
                       visible=n > 1, elem_id="lab-s2s-layer")
            head = tr(gr.Slider, label="lab.head", minimum=0, maximum=max(1, h - 1), step=1, value=0,
                      visible=h > 1, elem_id="lab-s2s-head")
        with gr.Row():
            cross = gr.Plot(show_label=False, elem_id="lab-s2s-cross")
            dec = gr.Plot(show_label=False, elem_id="lab-s2s-dec")
        enc = gr.Plot(show_label=False, elem_id="lab-s2s-enc")
        outs = [decoding, upto, cross, dec, enc, answer, layer, head]
        ask_btn.click(self.ask, [live.state, question, layer, head, lang], outs, api_name="lab_ask")
        question.submit(self.ask, [live.state, question, layer, head, lang], outs, api_name=False)
        for widget in (upto, layer, head):
            widget.input(self.answer_view, [decoding, layer, head, upto, lang], [cross, dec, enc, answer],
                         api_name=False, show_progress="hidden", trigger_mode="always_last")
        self.page.on_language(self.answer_view, [decoding, layer, head, upto, lang], [cross, dec, enc, answer])

        # the ranges follow the model: a new depth in the settings (before any run follows the settings), and a
        # run that starts (its new model replaces the one that answered: that answer goes, and a value beyond
        # the new model is brought inside it, with the note saying so)
        def settings_changed(s: LabSession, depth, layer_value, head_value) -> tuple:
            return self.slider_ranges(*self.model_shape(s, depth), layer_value, head_value)

        def run_started(depth, layer_value, head_value, lang_value) -> tuple:
            n, h = self.model_shape(None, depth)
            *_, note = figures.clamp_note(layer_value, head_value, n, h, lang_value)
            return (*self.slider_ranges(n, h, layer_value, head_value), None, None, None, None, note)

        n_layers.change(settings_changed, [live.state, n_layers, layer, head], [layer, head], api_name=False,
                        queue=False, show_progress="hidden")
        controls.start.click(run_started, [n_layers, layer, head, lang], [layer, head, decoding, cross, dec, enc, answer],
                             api_name=False, queue=False, show_progress="hidden")

    @staticmethod
    def model_shape(s: LabSession | None, depth) -> tuple[int, int]:
        """(layers, heads) of the model shown: the session's trained or replayed model if it has one, else the
        model the settings describe (``depth`` layers, the config's heads)."""
        cfg = getattr(getattr(s, "lab", None), "cfg", None)
        if cfg is not None:
            return int(cfg.n_layers), int(cfg.n_heads)
        C = seq2seq.Seq2SeqConfig
        try:
            depth = int(depth)
        except (TypeError, ValueError):
            depth = C.n_layers
        lo, hi = knobs.limits(C)["n_layers"].lo, knobs.limits(C)["n_layers"].hi
        return max(int(lo), min(depth, int(hi))), int(C.n_heads)

    @staticmethod
    def slider_ranges(n_layers: int, n_heads: int, layer, head) -> tuple[dict, dict]:
        """The layer and head sliders' ranges for a model of ``n_layers`` x ``n_heads``, their values brought
        inside (the figures are redrawn by the next answer, whose note says which layer and head it shows)."""
        # one layer (or head): nothing to choose, and a slider's maximum must exceed its minimum: hidden
        def update(value, n: int) -> dict:
            return gr.update(minimum=0, maximum=max(1, n - 1), value=max(0, min(int(value or 0), n - 1)),
                             visible=n > 1)

        return update(layer, n_layers), update(head, n_heads)

    @staticmethod
    def answer_view(asked: tuple | None, layer, head, upto, lang: str) -> tuple:
        """The three attention maps and the answer of the last question (``ask``'s), in ``lang``."""
        if asked is None:
            return figures.decoding_figures(None, layer, head, upto, lang)
        d, reference = asked
        cross, dec, enc, written = figures.decoding_figures(d, layer, head, upto, lang)
        return cross, dec, enc, written + figures.reference_markdown(reference, d.text, lang)

    def ask(self, s: LabSession, text: str, layer: int, head: int, lang: str) -> tuple:
        asked = session.answer(s, text, lang)
        d = asked[0]
        steps = len(d.output_tokens) - 1
        n, h = d.cross.shape[:2]  # the model that answered
        return (asked, gr.update(maximum=max(1, steps), value=steps), *self.answer_view(asked, layer, head, steps, lang),
                *self.slider_ranges(n, h, layer, head))

    # ------------------------------------------------------------ experiment 2: pre-LN vs post-LN
    def ln(self) -> None:
        tr, C = self.page.tr, ln.LnConfig
        tr(gr.Markdown, value="lab.ln.intro")
        with gr.Row():
            inputs = {"n_layers": knob_widget(tr, C, "n_layers", "lab.ln.depth"),
                      "lr": knob_widget(tr, C, "lr", "lab.lr"),
                      "warmup": knob_widget(tr, C, "warmup", "lab.ln.warmup"),
                      "steps": knob_widget(tr, C, "steps", "lab.steps", elem_id="lab-ln-steps"),
                      "seed": knob_widget(tr, C, "seed", "lab.seed")}
        controls = self.controls("ln")
        summary = gr.Markdown(elem_id="lab-ln-summary")
        # one above the other: side by side, each got ~280 px at 1024 px in presenter mode
        losses = gr.Plot(show_label=False, elem_id="lab-ln-loss")
        grads = gr.Plot(show_label=False, elem_id="lab-ln-grads")
        self.live_run("ln", controls, inputs, [losses, grads, summary], lambda s, snap, lang: {
            losses: figures.ln_losses(s.history, lang), grads: figures.ln_grads(s.history, lang),
            summary: figures.ln_summary(s.history, lang)})

    # ------------------------------------------------------------ experiment 3: transformer vs LSTM
    def lstm(self) -> None:
        tr, lang, C = self.page.tr, self.page.lang, lstm.LstmConfig
        tr(gr.Markdown, value="lab.lstm.intro_a")
        with gr.Row():
            lengths = tr(gr.Textbox, label="lab.lstm.lengths", value=", ".join(map(str, C().lengths)), scale=2,
                         elem_id="lab-lstm-lengths")
            width = knob_widget(tr, C, "d_model", "lab.d_model", scale=1)
            time_btn = tr(gr.Button, value="lab.lstm.time_btn", variant="primary", scale=1, elem_id="lab-lstm-time")
        timing_note = gr.Markdown(elem_id="lab-lstm-timing-note")
        timing_plot = gr.Plot(show_label=False, elem_id="lab-lstm-timing")
        timing_rows = gr.State(None)  # what the figure and the note were drawn from
        time_btn.click(session.measure_timing, [lengths, width, lang], [timing_plot, timing_note, timing_rows],
                       api_name="lab_timing", concurrency_limit=1)
        self.page.on_language(session.timing_view, [timing_rows, lang], [timing_plot, timing_note])
        tr(gr.Markdown, value="lab.lstm.intro_b")
        with gr.Row():
            distances = tr(gr.Textbox, label="lab.lstm.distances", value=", ".join(map(str, C().distances)), scale=2,
                           elem_id="lab-lstm-distances")
            steps = knob_widget(tr, C, "steps", "lab.steps", scale=1, elem_id="lab-lstm-steps")
            seed = knob_widget(tr, C, "seed", "lab.seed", scale=1)
        controls = self.controls("lstm")
        by_d = gr.Plot(show_label=False, elem_id="lab-lstm-by-d")  # one above the other, as in experiment 2
        over = gr.Plot(show_label=False, elem_id="lab-lstm-over")
        self.live_run("lstm", controls, {"distances": distances, "steps": steps, "seed": seed, "d_model": width},
                      [by_d, over], lambda s, snap, lang: dict(zip((by_d, over), figures.recall_figures(s.history, lang))),
                      linked={"lengths": lengths})

    # ------------------------------------------------------------ experiment 4: BERT vs GPT objectives
    def objectives(self) -> None:
        tr, lang, C = self.page.tr, self.page.lang, objectives.ObjectivesConfig
        tr(gr.Markdown, value="lab.obj.intro")
        with gr.Row():
            inputs = {"steps": knob_widget(tr, C, "steps", "lab.steps", elem_id="lab-obj-steps"),
                      "d_model": knob_widget(tr, C, "d_model", "lab.d_model"),
                      "mask_rate": knob_widget(tr, C, "mask_rate", "lab.obj.mask_rate"),
                      "seed": knob_widget(tr, C, "seed", "lab.seed")}
        controls = self.controls("objectives")
        curves = gr.Plot(show_label=False, elem_id="lab-obj-curves")
        live = self.live_run("objectives", controls, inputs, [curves],
                             lambda s, snap, lang: {curves: figures.objectives_curves(s.history, lang)})
        tr(gr.Markdown, value="lab.obj.try")
        with gr.Row():
            text = tr(gr.Textbox, label="lab.obj.text", value=FILL_EXAMPLES[0], scale=3, elem_id="lab-obj-text")
            go_btn = tr(gr.Button, value="lab.obj.go", variant="primary", scale=1, elem_id="lab-obj-go")
        tr(gr.Examples, examples=[[e] for e in FILL_EXAMPLES], inputs=[text], label="lab.examples")
        result = gr.Markdown(elem_id="lab-obj-result")
        masks = gr.Plot(show_label=False, elem_id="lab-obj-masks")
        made = gr.State(None)  # what the Markdown and the figure were drawn from
        go_btn.click(session.fill_and_continue, [live.state, text, lang], [result, masks, made], api_name="lab_fill")
        self.page.on_language(session.fill_view, [made, lang], [result, masks])

    # ------------------------------------------------------------ wiring
    def wire(self) -> None:
        page, names = self.page, list(EXPERIMENTS)

        def opened(evt: gr.SelectData):  # (a gr.Tab's own select event reported a neighbour's here)
            return evt.id if getattr(evt, "id", None) in names else gr.skip()

        self.experiments.select(opened, None, self.experiment, api_name=False, queue=False, show_progress="hidden")
        self.experiment.change(lambda name: gr.Tabs(selected=name), self.experiment, self.experiments,
                               api_name=False, queue=False, show_progress="hidden")
        page.links.share("lab", "experiment", self.experiment)
        page.links.button(page.tr, "lab")
