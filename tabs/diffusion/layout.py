"""Diffusion Lab: a denoiser trained live on 2-D data (DDPM or flow matching), the reverse process scrubbed with a
time slider, a class-conditional digit model with classifier-free guidance, and the three families measured side by
side.

``DiffusionTab(page)`` builds the tab for one build of the app. Its 2-D part runs on the live-run harness
(``tabs.harness.live``: each browser session owns a ``DiffusionSession`` holding its ``DiffusionTrainer``, trained on
a thread of its own, one CPU thread since the net is small): Start, Pause / Resume, Step +1, Stop and Replay behave
as on every training tab. The sampler, the number of sampling steps and the time slider redraw from the model on
screen at once (no retraining); the digits part (``tabs.diffusion.digits``) and the table (``tabs.diffusion.families``)
are built below it.
"""

from __future__ import annotations

import gradio as gr

from playground.data import toy2d
from playground.diffusion import samplers as sampling
from playground.diffusion import schedules
from playground.diffusion import toy as core
from tabs.diffusion import figures, replay, session, slides
from tabs.diffusion.digits import DigitsPanel
from tabs.diffusion.families import families_panel
from tabs.diffusion.session import LABELS, DiffusionSession
from tabs.harness import canvas
from tabs.harness.common import export_path, lesson, user_errors
from tabs.harness.i18n import error, t
from tabs.harness.links import CUSTOM
from tabs.harness.presets import Presets
from tabs.harness.live import ControlSet, Live
from tabs.harness.stale import Provenance
from tabs.harness.widgets import knob_widget, named

PRESET_CHOICES = [(f"diff.preset.{name}", name) for name in [*core.PRESETS, CUSTOM]]
DATA_CHOICES = [(f"diff.data.{name}", name) for name in toy2d.DISTRIBUTIONS] + [canvas.CHOICE]
OBJECTIVE_CHOICES = [(f"diff.objective.{name}", name) for name in schedules.OBJECTIVES]
SCHEDULE_CHOICES = [(f"diff.schedule.{name}", name) for name in schedules.SCHEDULES]
SAMPLER_CHOICES = [(f"diff.sampler.{name}", name) for name in sampling.SAMPLERS]
VIEW_FIELDS = ("sampler", "sample_steps")  # redrawn from the model on screen, never a reason to train again
TRAINED_FIELDS = {k: v for k, v in LABELS.items() if k not in VIEW_FIELDS}


PRESETS = Presets(core.PRESETS, core.preset_config, LABELS)
apply_preset, matching_preset = PRESETS.apply, PRESETS.matching


def time_value(value, lang: str) -> float:
    """The time slider's value from the page or an API client, checked."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise error("diff.err.t", lang, value=value) from None
    if not 0.0 <= v <= 1.0:
        raise error("diff.err.t", lang, value=value)
    return v


class DiffusionTab:
    def __init__(self, page) -> None:
        self.page = page
        lesson(page.tr, "diff.lesson", open=False)
        page.tr(gr.Markdown, value="diff.part.toy")
        self.live = Live(page, "diffusion", DiffusionSession, make_run=session.make_run, render=self.render,
                         where=session.where, config=session.read, more=session.more, cpu_threads=core.THREADS,
                         replayer=replay.REPLAYER)
        with gr.Row():
            with gr.Column(scale=1, min_width=320):
                self.controls_column()
            with gr.Column(scale=2):
                self.figures_column()
        self.wire()
        self.digits = DigitsPanel(page)
        families_panel(page)

    # ------------------------------------------------------------ layout
    def controls_column(self) -> None:
        tr, C, p = self.page.tr, core.DiffusionConfig, core.preset_config(core.DEFAULT_PRESET)
        self.preset = tr(gr.Dropdown, label="diff.preset", info="diff.preset_info", choices=PRESET_CHOICES,
                         value=core.DEFAULT_PRESET, elem_id="diffusion-preset")
        picker = tr(gr.Dropdown, label="diff.data", choices=DATA_CHOICES, value=p.data, elem_id="diffusion-data")
        # the setting is the picker's choice, or the drawing's code while "Draw your own" is chosen
        self.drawn = canvas.DrawnData(self.page, "diffusion", picker, label="diff.data")
        data = self.drawn.data
        objective = tr(gr.Radio, label="diff.objective", choices=OBJECTIVE_CHOICES, value=p.objective,
                       elem_id="diffusion-objective")
        schedule = tr(gr.Radio, label="diff.schedule", choices=SCHEDULE_CHOICES, value=p.schedule,
                      elem_id="diffusion-schedule")
        sampler = tr(gr.Radio, label="diff.sampler", choices=SAMPLER_CHOICES, value=p.sampler,
                     elem_id="diffusion-sampler")
        sample_steps = knob_widget(tr, C, "sample_steps", "diff.sample_steps", slider=True, value=p.sample_steps,
                                   info="diff.sample_steps_info", elem_id="diffusion-sample-steps")
        with gr.Row():
            steps = knob_widget(tr, C, "steps", "diff.steps", value=p.steps, elem_id="diffusion-steps")
            seed = knob_widget(tr, C, "seed", "diff.seed", value=p.seed, elem_id="diffusion-seed")
        with tr(gr.Accordion, label="diff.advanced", open=False):
            lr = knob_widget(tr, C, "lr", "diff.lr", value=p.lr, elem_id="diffusion-lr")
            width = knob_widget(tr, C, "width", "diff.width", slider=True, value=p.width, step=8)
            depth = knob_widget(tr, C, "depth", "diff.depth", slider=True, value=p.depth)
            batch = knob_widget(tr, C, "batch_size", "diff.batch_size", slider=True, value=p.batch_size, step=8)
            ema = knob_widget(tr, C, "ema", "diff.ema", value=p.ema, elem_id="diffusion-ema")
        self.settings = dict(data=data, objective=objective, schedule=schedule, sampler=sampler,
                             sample_steps=sample_steps, lr=lr, width=width, depth=depth, batch_size=batch, ema=ema,
                             steps=steps, seed=seed)

    def figures_column(self) -> None:
        tr = self.page.tr
        with gr.Row():
            self.controls = ControlSet.buttons(self.page, "diffusion", replay=True)
            self.reset_btn = tr(gr.Button, value="diff.reset", elem_id="diffusion-reset")
        self.status = self.controls.status_line()
        self.controls.replay_note()
        trained = {k: self.settings[k] for k in TRAINED_FIELDS}
        self.made = Provenance(self.page, "diffusion-result", trained, labels=TRAINED_FIELDS, action="live.start")
        self.coverage = gr.Markdown(elem_id="diffusion-coverage")
        self.time = tr(gr.Slider, minimum=0.0, maximum=1.0, step=0.01, value=0.0, label="diff.t", info="diff.t_info",
                       elem_id="diffusion-t")
        with gr.Row():
            self.reverse = gr.Plot(figures.empty_plane(), elem_id="diffusion-reverse", show_label=False, scale=3)
            self.forward = gr.Plot(figures.empty_plane(360), elem_id="diffusion-forward", show_label=False, scale=2)
        with gr.Row():
            self.loss = gr.Plot(elem_id="diffusion-loss", show_label=False)
            with gr.Column():
                self.quality_btn = tr(gr.Button, value="diff.quality", elem_id="diffusion-quality-btn")
                tr(gr.Markdown, value="diff.quality_hint", elem_classes=["small-note"])
                self.quality = gr.Plot(figures.empty_quality(), elem_id="diffusion-quality", show_label=False)
                self.quality_note = gr.Markdown(elem_id="diffusion-quality-note")
        with gr.Row():
            self.export_btn = tr(gr.Button, value="diff.export", elem_id="diffusion-export", scale=0, min_width=200)
            self.files = tr(gr.File, label="diff.files", file_count="multiple", interactive=False,
                            elem_id="diffusion-files", visible=False, height=110)
        with gr.Row():
            self.film_btn = tr(gr.Button, value="diff.film", elem_id="diffusion-film", scale=0, min_width=200)
            self.film_files = tr(gr.File, label="diff.film_files", file_count="multiple", interactive=False,
                                 elem_id="diffusion-film-files", visible=False, height=110)

    # ------------------------------------------------------------ frames
    def views(self, s: DiffusionSession, t_value: float, lang: str) -> dict:
        """The reverse process and the forward process at ``t_value``, from the session's last samples."""
        tr, view = s.trainer, s.view
        data = tr.config.data
        field = tr.field(t_value, res=figures.FIELD_RES) if hasattr(tr, "field") else None
        noised = tr.forward(t_value, n=600, seed=0)
        return {self.reverse: figures.reverse_figure(data, view, t_value, field, tr.config.objective, lang),
                self.forward: figures.forward_figure(data, noised, t_value, lang)}

    def render(self, s: DiffusionSession, snap, lang: str) -> dict:
        """One frame from the trainer as it is now (the harness holds the run between two updates)."""
        view = session.look(s)
        return {**self.views(s, s.t, lang), self.coverage: figures.coverage_markdown(s.trainer.config.data, view, lang),
                self.loss: figures.loss_figure(s.trainer.history_columns(), lang)}

    # ------------------------------------------------------------ other handlers
    def scrub(self, data: dict) -> dict:
        """The time slider moved: redraw both planes at the new time (no training, no sampling)."""
        s, lang = data[self.live.state], data[self.page.lang]
        t_value = time_value(data[self.time], lang)
        s.t = t_value
        if s.trainer is None or s.view is None:
            return {self.reverse: gr.skip(), self.forward: gr.skip()}
        with s.held():
            return self.views(s, t_value, lang)

    @user_errors
    def resample(self, data: dict) -> dict:
        """The sampler or the number of steps changed: sample again from the model on screen, from the same noise.
        A replay has no network to sample with: it says so, and its recorded samples stay, labelled as recorded."""
        s, lang = data[self.live.state], data[self.page.lang]
        if s.trainer is None or s.view is None:
            return {self.reverse: gr.skip(), self.forward: gr.skip(), self.coverage: gr.skip()}
        if not hasattr(s.trainer, "run_sampler"):
            raise error("diff.err.replay_model", lang)
        sampler = data[self.settings["sampler"]]
        steps = data[self.settings["sample_steps"]]
        config = session.read({**{k: getattr(s.trainer.config, k) for k in LABELS}, "sampler": sampler,
                               "sample_steps": steps}, lang)  # checks both, in the user's language
        with s.held():
            view = session.look(s, config.sampler, config.sample_steps)
            return {**self.views(s, s.t, lang), self.coverage: figures.coverage_markdown(config.data, view, lang)}

    @user_errors
    def measure_quality(self, data: dict) -> dict:
        """Quality against the number of sampling steps, on the model on screen, with the chosen sampler."""
        s, lang = data[self.live.state], data[self.page.lang]
        tr = s.trainer
        if tr is None or not hasattr(tr, "quality_vs_steps"):
            raise error("diff.err.no_run" if tr is None else "diff.err.replay_model", lang)
        sampler = data[self.settings["sampler"]]
        if sampler not in sampling.SAMPLERS:
            raise error("diff.dig.err.sampler", lang, value=sampler)
        with s.held():
            rows = tr.quality_vs_steps(sampler)
            step = tr.step_count
        s.quality = (rows, sampler, step)
        return self.quality_views(s, lang)

    def quality_views(self, s: DiffusionSession, lang: str) -> dict:
        """The last measured quality against steps, in ``lang`` (after a measurement, and after a language switch)."""
        if s.quality is None:
            return {self.quality: gr.skip(), self.quality_note: gr.skip()}
        rows, sampler, step = s.quality
        last = rows[-1]
        return {self.quality: figures.quality_figure(rows, sampler, lang),
                self.quality_note: t("diff.quality.md", lang, step=step, ms=last["ms_per_sample"], steps=last["steps"])}

    def reset(self, data: dict) -> dict:
        s, lang = data[self.live.state], data[self.page.lang]
        self.live.note_stop(s, data)  # a Start still queued is withdrawn too
        s.free()  # a running stream sees its run gone and ends
        return {self.status: t("diff.status.reset", lang), self.made.made: None,
                self.made.note: gr.update(value="", visible=False), self.coverage: "",
                self.reverse: figures.empty_plane(), self.forward: figures.empty_plane(360), self.loss: None,
                self.quality: figures.empty_quality(), self.quality_note: "", self.files: gr.update(value=None, visible=False),
                self.film_files: gr.update(value=None, visible=False)}

    @user_errors
    def export(self, data: dict) -> list[str]:
        """The denoiser (.safetensors) and the loss history (.csv), for download."""
        s, lang = data[self.live.state], data[self.page.lang]
        tr = s.trainer
        if tr is None:
            raise error("diff.err.no_run", lang)
        if not hasattr(tr, "save_model"):
            raise error("diff.err.replay_model", lang)
        tag = f"{tr.config.data}-{tr.config.objective}-step{tr.step_count}"
        with s.held():
            return [str(tr.save_model(export_path(f"denoiser-{tag}.safetensors"))),
                    str(tr.save_history_csv(export_path(f"history-{tag}.csv")))]

    @user_errors
    def export_film(self, data: dict) -> dict:
        """The reverse process of the samples on screen as an animated GIF, and its last frame as PNG, for slides."""
        s, lang = data[self.live.state], data[self.page.lang]
        if s.trainer is None or s.view is None:
            raise error("diff.err.no_run", lang)
        with s.held():
            view, config = s.view, s.trainer.config
        out = slides.export(view, config, lang)
        return {self.film_files: gr.update(value=out.files, visible=True)}

    def stepped(self, data: dict) -> dict | None:
        """What the figures were made from after Step +1: the run's own settings."""
        tr = data[self.live.state].trainer
        return {name: getattr(tr.config, name) for name in TRAINED_FIELDS} if tr is not None else data[self.made.made]

    # ------------------------------------------------------------ wiring
    def wire(self) -> None:
        page, settings = self.page, self.settings
        outputs = [self.coverage, self.reverse, self.forward, self.loss]
        events = self.live.wire(self.controls, inputs=settings, outputs=outputs)
        self.preset.input(apply_preset, self.preset, list(settings.values()), api_name="diffusion_preset",
                          queue=False, show_progress="hidden")
        for widget in settings.values():  # a preset edited by hand reads "custom" (and its link carries the edits)
            widget.input(matching_preset, [self.preset, *settings.values()], self.preset, api_name=False,
                         queue=False, show_progress="hidden", trigger_mode="always_last")
        for edit in self.drawn.edited:  # the data setting is hidden: the user edits it through the picker or canvas
            edit.then(matching_preset, [self.preset, *settings.values()], self.preset, api_name=False,
                      queue=False, show_progress="hidden")
        page.links.share_preset("diffusion", self.preset,
                                PRESETS.values_of)
        page.links.share_all("diffusion", settings)
        page.links.button(page.tr, "diffusion")
        held = {"session": self.live.state, "lang": page.lang}
        self.time.change(*named(self.scrub, {**held, "t": self.time}), [self.reverse, self.forward],
                          api_name="diffusion_scrub", show_progress="hidden", trigger_mode="always_last",
                          concurrency_id="diffusion_view", concurrency_limit=8)
        view = {**held, "sampler": settings["sampler"], "sample_steps": settings["sample_steps"]}
        for name in VIEW_FIELDS:
            settings[name].input(*named(self.resample, view), [self.reverse, self.forward, self.coverage],
                                 api_name=f"diffusion_resample_{name}", show_progress="hidden",
                                 trigger_mode="always_last", concurrency_id="diffusion_view", concurrency_limit=8)
        self.quality_btn.click(*named(self.measure_quality, {**held, "sampler": settings["sampler"]}),
                               [self.quality, self.quality_note], api_name="diffusion_quality",
                               concurrency_id="diffusion_quality", concurrency_limit=2)
        clicked = {**held, "page": page.clock}  # as Stop does (``Live.withdrawn``), not Gradio's cancels
        self.reset_btn.click(*named(self.reset, clicked),
                             [self.status, *outputs, self.quality, self.quality_note, self.files, self.film_files,
                              self.made.made, self.made.note],
                             js=page.stamp_js(len(clicked)), api_name="diffusion_reset", queue=False)
        self.export_btn.click(*named(self.export, held), self.files, api_name="diffusion_export").success(
            lambda: gr.update(visible=True), None, self.files, api_name=False, queue=False)
        self.film_btn.click(*named(self.export_film, held), self.film_files, api_name="diffusion_film",
                            concurrency_id="film", concurrency_limit=1)
        page.on_language(lambda data: self.quality_views(data[self.live.state], data[page.lang]),
                         {self.live.state, page.lang}, [self.quality, self.quality_note])
        self.made.made_by(self.controls.start)
        self.made.made_by(self.controls.replay)
        events["step"].then(*named(self.stepped, {"session": self.live.state, "made": self.made.made}),
                            self.made.made, api_name=False, queue=False, show_progress="hidden").then(
            self.made.check, [page.lang, self.made.made, *self.made.inputs], self.made.note, api_name=False,
            queue=False, show_progress="hidden")
