"""Fine-tuning Lab: race feature extraction, layer freezing, full fine-tuning, BitFit, PEFT and training from
scratch side by side, and sweep the training-set size for a pair of them.

Built on the live-run harness (``tabs/live.py``): the race (``ft``) and the sweep (``ft_sweep``) each train on
a thread of their own with Start / Pause-Resume / Step / Stop; the session's records live in
``tabs/finetune/session.py``, the figures in ``tabs/finetune/figures.py``. Every widget is built from the
limits ``FinetuneConfig`` declares, and every check answers in the user's language.
"""

from __future__ import annotations

import gradio as gr

from playground import finetune as core
from tabs import live, replays, urlstate
from tabs.common import device_notice, lesson, on_language
from tabs.finetune import figures as fig
from tabs.finetune import session as ses
from tabs.finetune import slides
from tabs.i18n import error, t
from tabs.widgets import knob_widget, named

STRATEGY_CHOICES = [(f"ft.s.{s}", s) for s in core.STRATEGIES]  # from the registry
DATA_CHOICES = [("ft.data.tweets", "tweets"), ("ft.data.bbc", "bbc")]
SCHEDULE_CHOICES = [(f"ft.sch.{s}", s) for s in core.SCHEDULES]
OPTIMIZER_CHOICES = [("AdamW", "adamw"), ("Adam", "adam")]
XAXIS_CHOICES = [("ft.x.step", "step"), ("ft.x.time", "time")]
SIZE_CHOICES = [25, 50, 100, 200, 400, 800, 1600]


class FinetuneTab:
    """The tab's widgets (built in ``build``) and the handlers that are not the harness's."""

    def relabel(self, data: dict) -> dict:
        """Another language or x axis: redraw the race and the sweep from the records, without training."""
        session, sweep, lang = data[self.race.state], data[self.sweep.state], data[self.lang]
        if data[self.xaxis] in ses.XAXES:
            session.xaxis = data[self.xaxis]
        with session.run.hold() if session.run else _nothing():
            out = ses.figures(session, lang, self.out)
            out[self.status] = self.race.status(session, lang) if session.run else t("ft.status.idle", lang)
        with sweep.run.hold() if sweep.run else _nothing():
            out[self.sweep_plot] = fig.sweep_figure(sweep.points, lang, sweep.chance)
            out[self.sweep_status] = self.sweep.status(sweep, lang) if sweep.run else t("ft.sweep_idle", lang)
        out[self.notice] = device_notice(lang)
        return out


    def export_film(self, data: dict):
        """The race's curves as they grew, as an animated GIF, and the last frame as PNG and SVG."""
        session, lang = data[self.race.state], data[self.lang]
        if not len(session.film):
            raise error("film.err.empty", lang)
        with session.run.hold() if session.run else _nothing():  # a copy of the records, between two updates
            history = {s: list(points) for s, points in session.history.items()}
        return gr.update(value=slides.export(session.film, history, session.chance, lang).files, visible=True)


def _nothing():
    import contextlib

    return contextlib.nullcontext()


def build(tr, lang: gr.Radio) -> None:
    ui = FinetuneTab()
    ui.lang = lang
    C = core.FinetuneConfig
    lesson(tr, "ft.lesson", open=False)
    ui.notice = gr.Markdown(device_notice("en"), elem_id="ft-device")
    with gr.Row():
        with gr.Column(scale=1, min_width=330):
            data = tr(gr.Radio, label="ft.data", choices=DATA_CHOICES, value="tweets", elem_id="ft-data")
            strategies = tr(gr.CheckboxGroup, label="ft.strategies", info="ft.strategies_info",
                            choices=STRATEGY_CHOICES, value=list(core.DEFAULT_RACE), elem_id="ft-strategies")
            epochs = knob_widget(tr, C, "epochs", "ft.epochs", elem_id="ft-epochs")
            limit = knob_widget(tr, C, "limit", "ft.limit", value=0, info="ft.limit_info", elem_id="ft-limit")
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
        with gr.Column(scale=2):
            with gr.Row():
                start = tr(gr.Button, value="ft.start", variant="primary", elem_id="ft-start")
                pause = tr(gr.Button, value="live.pause_resume", elem_id="ft-pause")
                step = tr(gr.Button, value="live.step", elem_id="ft-step")
                stop = tr(gr.Button, value="live.stop", variant="stop", elem_id="ft-stop")
                replay = replays.replay_controls(tr, "ft")
            ui.xaxis = tr(gr.Radio, label="ft.xaxis", choices=XAXIS_CHOICES, value="step", elem_id="ft-xaxis")
            ui.status = tr(gr.Markdown, value="ft.status.idle", elem_id="ft-status")
            replay["note"] = replays.replay_note("ft")
            with gr.Row():
                loss_plot = gr.Plot(fig.curves_figure({}, "loss", "step", "en"), show_label=False, elem_id="ft-loss")
                acc_plot = gr.Plot(fig.curves_figure({}, "acc", "step", "en"), show_label=False, elem_id="ft-acc")
            params_plot = gr.Plot(fig.params_figure([], "en"), show_label=False, elem_id="ft-params")
            with gr.Row():
                film_btn = tr(gr.Button, value="film.button", elem_id="ft-film", scale=0, min_width=200,
                              interactive=False)
                film_files = tr(gr.File, label="film.files", file_count="multiple", interactive=False,
                                elem_id="ft-film-files", visible=False, height=110)
    table = tr(gr.Dataframe, value=fig.results_table([], "en"), label="ft.results", interactive=False, wrap=True,
               elem_id="ft-table")
    with gr.Row():
        tr(gr.Markdown, value="ft.mem_note", elem_classes=["small-note"])
        csv_file = tr(gr.File, label="ft.csv", interactive=False, elem_id="ft-csv", scale=0, min_width=280)
    with tr(gr.Accordion, label="ft.sweep", open=False, elem_id="ft-sweep-box"):
        tr(gr.Markdown, value="ft.sweep_intro")
        with gr.Row():
            sweep_a = tr(gr.Dropdown, label="ft.sweep_a", choices=STRATEGY_CHOICES, value=core.SWEEP_PAIR[0],
                         elem_id="ft-sweep-a")
            sweep_b = tr(gr.Dropdown, label="ft.sweep_b", choices=STRATEGY_CHOICES, value=core.SWEEP_PAIR[1],
                         elem_id="ft-sweep-b")
            sizes = tr(gr.CheckboxGroup, label="ft.sweep_sizes", choices=SIZE_CHOICES, value=list(core.SWEEP_SIZES),
                       elem_id="ft-sweep-sizes")
        with gr.Row():
            sweep_start = tr(gr.Button, value="ft.sweep_start", variant="primary", elem_id="ft-sweep-start")
            sweep_stop = tr(gr.Button, value="live.stop", variant="stop", elem_id="ft-sweep-stop")
        ui.sweep_status = tr(gr.Markdown, value="ft.sweep_idle", elem_id="ft-sweep-status")
        ui.sweep_plot = gr.Plot(fig.sweep_figure([], "en"), show_label=False, elem_id="ft-sweep-plot")

    ui.out = dict(loss=loss_plot, acc=acc_plot, table=table, params=params_plot, csv=csv_file)
    shared = dict(data=data, epochs=epochs, test_limit=test_limit, batch_size=batch_size, max_length=max_length,
                  lr=lr, optimizer=optimizer, weight_decay=weight_decay, schedule=schedule, warmup=warmup,
                  max_grad_norm=clip, seed=seed, freeze_k=freeze_k, freeze_every=freeze_every, lora_r=lora_r,
                  lora_alpha=lora_alpha, lora_dropout=lora_dropout, lora_targets=lora_targets,
                  prompt_tokens=prompt_tokens)
    ui.race = live.Live("ft", ses.FtSession, make_run=slides.filmed_run(ses.make_run), render=ses.race_render(ui.out),
                        where=ses.race_where, config=ses.read_race)
    events = ui.race.wire(lang, inputs=dict(strategies=strategies, limit=limit, **shared, xaxis=ui.xaxis),
                          outputs=list(ui.out.values()), status=ui.status, start=start, pause=pause, step=step,
                          stop=stop, replay=replay)
    for name in ("start", "pause", "step"):  # the run paused or ended: its film can be exported
        events[name].then(lambda s: gr.update(interactive=len(s.film) > 0), ui.race.state, film_btn,
                          api_name=False, queue=False)
    film_btn.click(*named(ui.export_film, {"session": ui.race.state, "lang": lang}), film_files, api_name="ft_film",
                   concurrency_id="film", concurrency_limit=1)
    ui.sweep = live.Live("ft_sweep", ses.SweepSession, make_run=ses.sweep_run, render=ses.sweep_render(ui.sweep_plot),
                         where=ses.sweep_where, config=ses.read_sweep)
    ui.sweep.wire(lang, inputs=dict(sweep_a=sweep_a, sweep_b=sweep_b, sizes=sizes, **shared),
                  outputs=[ui.sweep_plot], status=ui.sweep_status, start=sweep_start, stop=sweep_stop)

    for name, widget in dict(strategies=strategies, limit=limit, **shared, sweep_a=sweep_a, sweep_b=sweep_b,
                             sizes=sizes).items():
        urlstate.share("finetune", name, widget)
    urlstate.link_button(tr, "finetune")
    views = {"session": ui.race.state, "sweep": ui.sweep.state, "lang": lang, "xaxis": ui.xaxis}
    redraw = [ui.status, *ui.out.values(), ui.sweep_plot, ui.sweep_status, ui.notice]
    ui.xaxis.change(*named(ui.relabel, views), redraw, api_name="ft_redraw", queue=False, show_progress="hidden")
    on_language(lang, *named(ui.relabel, views), redraw)
