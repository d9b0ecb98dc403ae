"""Fine-tuning Lab: race feature extraction, layer freezing, full fine-tuning, BitFit, PEFT and training from
scratch side by side, and sweep the training-set size for a pair of them.

``FinetuneTab(page)`` builds the tab for one build of the app: its widgets, its two live runs
(``tabs.harness.live``: the race and the sweep each train on a thread of their own; each browser session owns a
``RaceSession`` and a ``SweepSession``, ``tabs.finetune.session``), the race's replays and film, and the redraw
for another x axis or language. Every widget is built from the limits ``FinetuneConfig`` declares, and every check
answers in the user's language.
"""

from __future__ import annotations

import gradio as gr

from playground import finetune as core
from tabs.finetune import figures as fig
from tabs.finetune import replay, session, slides
from tabs.finetune.session import RaceSession, SweepSession
from tabs.harness.common import device_notice, lesson
from tabs.harness.i18n import error, t
from tabs.harness.live import ControlSet, Live
from tabs.harness.replay import controls as replay_controls
from tabs.harness.stale import Provenance
from tabs.harness.widgets import knob_widget, named

STRATEGY_CHOICES = [(f"ft.s.{s}", s) for s in core.STRATEGIES]  # from the registry
DATA_CHOICES = [("ft.data.tweets", "tweets"), ("ft.data.bbc", "bbc")]
SCHEDULE_CHOICES = [(f"ft.sch.{s}", s) for s in core.SCHEDULES]
OPTIMIZER_CHOICES = [("AdamW", "adamw"), ("Adam", "adam")]
XAXIS_CHOICES = [("ft.x.step", "step"), ("ft.x.time", "time")]
SIZE_CHOICES = [25, 50, 100, 200, 400, 800, 1600]


class FinetuneTab:
    def __init__(self, page) -> None:
        self.page, tr = page, page.tr
        lesson(tr, "ft.lesson", open=False)
        self.notice = gr.Markdown(device_notice("en"), elem_id="ft-device")
        with gr.Row():
            with gr.Column(scale=1, min_width=330):
                self.settings_column()
            with gr.Column(scale=2):
                self.race_column()
        self.table = tr(gr.Dataframe, value=fig.results_table([], "en"), label="ft.results", interactive=False,
                        wrap=True, elem_id="ft-table")
        with gr.Row():
            tr(gr.Markdown, value="ft.mem_note", elem_classes=["small-note"])
            self.csv_file = tr(gr.File, label="ft.csv", interactive=False, elem_id="ft-csv", scale=0, min_width=280)
        self.sweep_panel()
        page.links.share_all("finetune", dict(strategies=self.strategies, limit=self.limit, **self.shared,
                                              sweep_a=self.sweep_a, sweep_b=self.sweep_b, sizes=self.sizes,
                                              repeats=self.repeats))
        page.links.button(tr, "finetune")
        # the race's outputs by the names of ``session.race_figures``, in the order of the API's outputs
        self.race_outputs = dict(loss=self.loss_plot, acc=self.acc_plot, table=self.table, params=self.params_plot,
                                 csv=self.csv_file)
        self.wire()

    # ------------------------------------------------------------ layout
    def settings_column(self) -> None:
        tr, C = self.page.tr, core.FinetuneConfig
        data = tr(gr.Radio, label="ft.data", choices=DATA_CHOICES, value="tweets", elem_id="ft-data")
        self.strategies = tr(gr.CheckboxGroup, label="ft.strategies", info="ft.strategies_info",
                             choices=STRATEGY_CHOICES, value=list(core.DEFAULT_RACE), elem_id="ft-strategies")
        epochs = knob_widget(tr, C, "epochs", "ft.epochs", elem_id="ft-epochs")
        self.limit = knob_widget(tr, C, "limit", "ft.limit", value=0, info="ft.limit_info", elem_id="ft-limit")
        test_limit = knob_widget(tr, C, "test_limit", "ft.test_limit", value=0, elem_id="ft-test-limit")
        with gr.Row():
            batch_size = knob_widget(tr, C, "batch_size", "ft.batch_size", value=0, elem_id="ft-batch")
            max_length = knob_widget(tr, C, "max_length", "ft.max_length", value=0, elem_id="ft-max-length")
        with tr(gr.Accordion, label="ft.optim", open=False):
            lr = knob_widget(tr, C, "lr", "ft.lr", value=0, step=1e-5, info="ft.lr_info", elem_id="ft-lr")
            optimizer = tr(gr.Radio, label="ft.optimizer", choices=OPTIMIZER_CHOICES, value="adamw")
            weight_decay = knob_widget(tr, C, "weight_decay", "ft.weight_decay", slider=True, step=0.005)
            schedule = tr(gr.Radio, label="ft.schedule", choices=SCHEDULE_CHOICES, value="linear")
            warmup = knob_widget(tr, C, "warmup", "ft.warmup", slider=True, step=0.01)
            clip = knob_widget(tr, C, "max_grad_norm", "ft.clip", step=0.1, elem_id="ft-clip")
            seed = knob_widget(tr, C, "seed", "ft.seed", elem_id="ft-seed")
        with tr(gr.Accordion, label="ft.strategy_settings", open=False):
            with gr.Row():
                freeze_k = knob_widget(tr, C, "freeze_k", "ft.freeze_k", value=3, info="ft.freeze_k_info")
                freeze_every = knob_widget(tr, C, "freeze_every", "ft.freeze_every")
            with gr.Row():
                lora_r = knob_widget(tr, C, "lora_r", "ft.lora_r")
                lora_alpha = knob_widget(tr, C, "lora_alpha", "ft.lora_alpha")
            lora_dropout = knob_widget(tr, C, "lora_dropout", "ft.lora_dropout", slider=True, step=0.05,
                                       info="ft.lora_dropout_info", elem_id="ft-lora-dropout")
            lora_targets = tr(gr.CheckboxGroup, label="ft.lora_targets", choices=list(core.LORA_TARGETS),
                              value=list(C().lora_targets))
            prompt_tokens = knob_widget(tr, C, "prompt_tokens", "ft.prompt_tokens", slider=True)
        # the settings the race and the sweep share, by their config field names
        self.shared = dict(data=data, epochs=epochs, test_limit=test_limit, batch_size=batch_size,
                           max_length=max_length, lr=lr, optimizer=optimizer, weight_decay=weight_decay,
                           schedule=schedule, warmup=warmup, max_grad_norm=clip, seed=seed, freeze_k=freeze_k,
                           freeze_every=freeze_every, lora_r=lora_r, lora_alpha=lora_alpha, lora_dropout=lora_dropout,
                           lora_targets=lora_targets, prompt_tokens=prompt_tokens)

    def race_column(self) -> None:
        page, tr = self.page, self.page.tr
        with gr.Row():
            # the harness's set, but Start names the race
            self.race_controls = ControlSet(
                "ft", tr(gr.Button, value="ft.start", variant="primary", elem_id="ft-start"),
                pause=tr(gr.Button, value="live.pause_resume", elem_id="ft-pause"),
                step=tr(gr.Button, value="live.step", elem_id="ft-step"),
                stop=tr(gr.Button, value="live.stop", variant="stop", elem_id="ft-stop"), page=page)
            self.race_controls.replay, self.race_controls.speed = replay_controls(tr, "ft")
        self.xaxis = tr(gr.Radio, label="ft.xaxis", choices=XAXIS_CHOICES, value="step", elem_id="ft-xaxis")
        self.status = self.race_controls.status = tr(gr.Markdown, value="ft.status.idle", elem_id="ft-status")
        self.race_controls.replay_note()
        # the curves, the table and the bubbles belong to the settings of the race that drew them: once one differs,
        # the note says which, until Start draws them again (the x axis only redraws: not a setting of the race)
        self.race_made = Provenance(page, "ft-result", dict(strategies=self.strategies, limit=self.limit, **self.shared),
                                    labels={"strategies": "ft.strategies", **session.LABELS}, action="ft.start")
        with gr.Row():
            self.loss_plot = gr.Plot(fig.curves_figure({}, "loss", "step", "en"), show_label=False,
                                     elem_id="ft-loss")
            self.acc_plot = gr.Plot(fig.curves_figure({}, "acc", "step", "en"), show_label=False, elem_id="ft-acc")
        self.params_plot = gr.Plot(fig.params_figure([], "en"), show_label=False, elem_id="ft-params")
        with gr.Row():
            self.film_btn = tr(gr.Button, value="film.button", elem_id="ft-film", scale=0, min_width=200,
                               interactive=False)
            self.film_files = tr(gr.File, label="film.files", file_count="multiple", interactive=False,
                                 elem_id="ft-film-files", visible=False, height=110)

    def sweep_panel(self) -> None:
        page, tr = self.page, self.page.tr
        with tr(gr.Accordion, label="ft.sweep", open=False, elem_id="ft-sweep-box") as self.sweep_box:
            tr(gr.Markdown, value="ft.sweep_intro")
            with gr.Row():
                self.sweep_a = tr(gr.Dropdown, label="ft.sweep_a", choices=STRATEGY_CHOICES,
                                  value=core.SWEEP_PAIR[0], elem_id="ft-sweep-a")
                self.sweep_b = tr(gr.Dropdown, label="ft.sweep_b", choices=STRATEGY_CHOICES,
                                  value=core.SWEEP_PAIR[1], elem_id="ft-sweep-b")
                self.sizes = tr(gr.CheckboxGroup, label="ft.sweep_sizes", choices=SIZE_CHOICES,
                                value=list(core.SWEEP_SIZES), elem_id="ft-sweep-sizes")
                self.repeats = tr(gr.Slider, label="ft.sweep_repeats", info="ft.sweep_repeats_info", minimum=1,
                                  maximum=core.MAX_REPEATS, step=1, value=core.SWEEP_REPEATS,
                                  elem_id="ft-sweep-repeats")
            with gr.Row():
                self.sweep_controls = ControlSet(
                    "ft-sweep", tr(gr.Button, value="ft.sweep_start", variant="primary", elem_id="ft-sweep-start"),
                    stop=tr(gr.Button, value="live.stop", variant="stop", elem_id="ft-sweep-stop"), page=page)
                self.sweep_controls.replay, self.sweep_controls.speed = replay_controls(tr, "ft-sweep")
            self.sweep_status = self.sweep_controls.status = tr(gr.Markdown, value="ft.sweep_idle",
                                                                elem_id="ft-sweep-status")
            self.sweep_controls.replay_note()
            self.sweep_made = Provenance(page, "ft-sweep-result",
                                         dict(sweep_a=self.sweep_a, sweep_b=self.sweep_b, sizes=self.sizes,
                                              repeats=self.repeats, **self.shared),
                                         labels={"sweep_a": "ft.sweep_a", "sweep_b": "ft.sweep_b",
                                                 "sizes": "ft.sweep_sizes", "repeats": "ft.sweep_repeats",
                                                 **session.LABELS},
                                         action="ft.sweep_start")
            self.sweep_plot = gr.Plot(fig.sweep_figure([], "en"), show_label=False, elem_id="ft-sweep-plot")

    # ------------------------------------------------------------ frames
    def render(self, s: RaceSession, snap, lang: str) -> dict:
        """Every figure of the race from its records (the harness holds the run between two updates)."""
        return {self.race_outputs[name]: value for name, value in session.race_figures(s, lang).items()}

    def render_sweep(self, s: SweepSession, item, lang: str) -> dict:
        return {self.sweep_plot: fig.sweep_figure(s.points, lang, s.chance)}

    def relabel(self, data: dict) -> dict:
        """Another language or x axis: redraw the race and the sweep from the records, without training."""
        s, sweep_s, lang = data[self.race.state], data[self.sweep.state], data[self.page.lang]
        if data[self.xaxis] in session.XAXES:
            s.xaxis = data[self.xaxis]
        with s.held():
            out = self.render(s, None, lang)
            out[self.status] = self.race.status(s, lang) if s.run else t("ft.status.idle", lang)
        with sweep_s.held():
            out.update(self.render_sweep(sweep_s, None, lang))
            out[self.sweep_status] = self.sweep.status(sweep_s, lang) if sweep_s.run else t("ft.sweep_idle", lang)
        out[self.notice] = device_notice(lang)
        return out

    def stepped(self, data: dict) -> dict | None:
        """What the race's figures were made from after Step +1: the race's own settings (a paused race steps on with
        those it started with, a new one takes the widgets')."""
        race = data[self.race.state].race
        if race is None or race.shown is None:
            return data[self.race_made.made]
        return {name: race.shown.get(name) for name in self.race_made.names}

    # ------------------------------------------------------------ the film
    def film_ready(self, data: dict) -> dict:
        """After a stream ends (done, paused, stopped): the film button can be used once there are frames."""
        return {self.film_btn: gr.update(interactive=len(data[self.race.state].film) > 0)}

    def export_film(self, data: dict):
        """The race's curves as they grew, as an animated GIF, and the last frame as PNG and SVG."""
        s, lang = data[self.race.state], data[self.page.lang]
        if not len(s.film):
            raise error("film.err.empty", lang)
        with s.held():  # a copy of the records, between two updates
            history = {strategy: list(points) for strategy, points in s.history.items()}
        return gr.update(value=slides.export(s.film, history, s.chance, lang).files, visible=True)

    # ------------------------------------------------------------ wiring
    def wire(self) -> None:
        page, shared = self.page, self.shared
        self.race = Live(page, "ft", RaceSession, make_run=session.make_run, render=self.render,
                         where=session.race_where, config=session.read_race, replayer=replay.REPLAYER,
                         cpu_threads=core.THREADS)
        # The CPU default race takes about two minutes of CPU (issue #25's budget is one): the tab opens on its
        # recording, and Start trains it live
        events = self.race.wire(self.race_controls,
                                inputs=dict(strategies=self.strategies, limit=self.limit, **shared, xaxis=self.xaxis),
                                outputs=list(self.race_outputs.values()), relabel=False,  # ``relabel`` redraws
                                open_on=page.blocks.get(page.building))
        for name in ("start", "pause", "step", "replay", "opened"):  # the run paused or ended: its film can be exported
            if name in events:
                events[name].then(*named(self.film_ready, {"session": self.race.state}), self.film_btn, api_name=False,
                                  queue=False)
        made = self.race_made
        made.made_by(self.race_controls.start)  # Start and Replay draw from the settings on screen
        made.made_by(self.race_controls.replay)
        if "opened" in events:
            made.made_by(events["opened"])
        events["step"].then(*named(self.stepped, {"session": self.race.state, "made": made.made}), made.made,
                            api_name=False, queue=False, show_progress="hidden").then(
            made.check, [page.lang, made.made, *made.inputs], made.note, api_name=False, queue=False,
            show_progress="hidden")
        self.film_btn.click(*named(self.export_film, {"session": self.race.state, "lang": page.lang}),
                            self.film_files, api_name="ft_film", concurrency_id="film", concurrency_limit=1)
        self.sweep = Live(page, "ft_sweep", SweepSession, make_run=session.sweep_run, render=self.render_sweep,
                          where=session.sweep_where, config=session.read_sweep, replayer=replay.SWEEP_REPLAYER,
                          cpu_threads=core.THREADS)
        # "repeats" last: the API's parameters keep their order (tests/unit/test_interfaces.py). The default sweep
        # (3 seeds x 4 sizes x 2 strategies) takes about 300 CPU-seconds: opening the panel shows its recording
        sweep_events = self.sweep.wire(self.sweep_controls,
                                       inputs=dict(sweep_a=self.sweep_a, sweep_b=self.sweep_b, sizes=self.sizes,
                                                   **shared, repeats=self.repeats),
                                       outputs=[self.sweep_plot], relabel=False, open_on=self.sweep_box)
        self.sweep_made.made_by(self.sweep_controls.start)
        self.sweep_made.made_by(self.sweep_controls.replay)
        self.sweep_made.made_by(sweep_events["opened"])
        views = {"session": self.race.state, "sweep": self.sweep.state, "lang": page.lang, "xaxis": self.xaxis}
        redraw = [self.status, *self.race_outputs.values(), self.sweep_plot, self.sweep_status, self.notice]
        self.xaxis.change(*named(self.relabel, views), redraw, api_name="ft_redraw", queue=False,
                          show_progress="hidden")
        page.on_language(*named(self.relabel, views), redraw)
