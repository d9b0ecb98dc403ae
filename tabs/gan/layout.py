"""GAN Lab: train a GAN live and watch the generator and the discriminator play their game.

``GanTab(page)`` builds the tab for one build of the app: its widgets, its live run (``tabs.harness.live``: each
browser session owns a ``GanSession`` holding its ``GanTrainer``; the run trains on its own thread, one CPU thread
since these nets are small) and its other handlers (presets, Reset, downloads, the film for slides). Start,
Pause / Resume, Step +1, Stop and Replay behave as on every training tab; Resume after the end trains another
``steps`` steps.
"""

from __future__ import annotations

import gradio as gr

from playground.data.images import fashion_available
from playground.gan import trainer as core
from tabs.gan import figures, replay, session, slides
from tabs.gan.session import LABELS, GanSession
from tabs.harness import canvas
from tabs.harness.common import export_path, lesson, user_errors
from tabs.harness.i18n import error, t
from tabs.harness.links import CUSTOM
from tabs.harness.presets import Presets
from tabs.harness.live import ControlSet, Live
from tabs.harness.replay import ReplayWiring
from tabs.harness.stale import Provenance
from tabs.harness.widgets import knob_widget, named

# the last choice says the settings no longer match a preset (edited by hand)
PRESET_CHOICES = [(f"gan.preset.{name}", name) for name in [*core.PRESETS, CUSTOM]]
LOSS_CHOICES = [(f"gan.loss.{name}", name) for name in core.LOSSES]
ARCH_CHOICES = [(f"gan.arch.{name}", name) for name in core.ARCHS]
OPTIMIZER_CHOICES = [("Adam", "adam"), ("SGD", "sgd")]
DECAY_CHOICES = [(f"gan.decay.{name}", name) for name in core.DECAYS]


def data_choices() -> list[tuple[str, str]]:
    """The data picker's choices: the 2-D sets, "Draw your own" (the canvas under the picker), the image sets."""
    images = ["mnist", "digits"] + (["fashion"] if fashion_available() else [])
    return ([(f"gan.data.{name}", name) for name in core.TOY_SETS] + [canvas.CHOICE]
            + [(f"gan.data.{name}", name) for name in images])


PRESETS = Presets(core.PRESETS, core.preset_config, LABELS)
apply_preset, matching_preset = PRESETS.apply, PRESETS.matching


class GanTab:
    def __init__(self, page) -> None:
        self.page, tr = page, page.tr
        lesson(tr, "gan.lesson", open=False)
        self.live = Live(page, "gan", GanSession, make_run=session.make_run, render=self.render, where=session.where,
                         config=session.read, more=session.more, cpu_threads=core.THREADS, replayer=replay.REPLAYER)
        with gr.Row():
            with gr.Column(scale=1, min_width=320):
                self.controls_column()
            with gr.Column(scale=2):
                self.figures_column()
        self.wire()

    # ------------------------------------------------------------ layout
    def controls_column(self) -> None:
        tr, C, p = self.page.tr, core.GanConfig, core.preset_config(core.DEFAULT_PRESET)
        self.preset = tr(gr.Dropdown, label="gan.preset", info="gan.preset_info", choices=PRESET_CHOICES,
                         value=core.DEFAULT_PRESET, elem_id="gan-preset")
        picker = tr(gr.Dropdown, label="gan.data", choices=data_choices(), value=p.data, elem_id="gan-data",
                    info=None if fashion_available() else "gan.data_no_fashion")
        # the setting is the picker's choice, or the drawing's code while "Draw your own" is chosen
        self.drawn = canvas.DrawnData(self.page, "gan", picker, label="gan.data")
        data = self.drawn.data
        loss = tr(gr.Radio, label="gan.loss", choices=LOSS_CHOICES, value=p.loss, elem_id="gan-loss")
        with gr.Row():
            lr_g = knob_widget(tr, C, "lr_g", "gan.lr_g", value=p.lr_g, info="gan.lr_info", elem_id="gan-lr-g")
            lr_d = knob_widget(tr, C, "lr_d", "gan.lr_d", value=p.lr_d, elem_id="gan-lr-d")
        d_steps = knob_widget(tr, C, "d_steps", "gan.d_steps", slider=True, value=p.d_steps)
        with gr.Row():
            steps = knob_widget(tr, C, "steps", "gan.steps", value=p.steps, elem_id="gan-steps")
            seed = knob_widget(tr, C, "seed", "gan.seed", value=p.seed, elem_id="gan-seed")
        with tr(gr.Accordion, label="gan.advanced", open=False):
            optimizer = tr(gr.Radio, label="gan.optimizer", choices=OPTIMIZER_CHOICES, value=p.optimizer)
            decay = tr(gr.Radio, label="gan.decay", info="gan.decay_info", choices=DECAY_CHOICES, value=p.decay,
                       elem_id="gan-decay")
            with gr.Row():
                beta1 = knob_widget(tr, C, "beta1", "gan.beta1", slider=True, value=p.beta1, step=0.01)
                beta2 = knob_widget(tr, C, "beta2", "gan.beta2", slider=True, value=p.beta2, step=0.0001)
            arch = tr(gr.Radio, label="gan.arch", choices=ARCH_CHOICES, value=p.arch)
            latent = knob_widget(tr, C, "latent_dim", "gan.latent_dim", slider=True, value=p.latent_dim)
            width = knob_widget(tr, C, "width", "gan.width", slider=True, value=p.width, step=4)
            depth = knob_widget(tr, C, "depth", "gan.depth", slider=True, value=p.depth)
            batch = knob_widget(tr, C, "batch_size", "gan.batch_size", slider=True, value=p.batch_size, step=8)
            gp_weight = knob_widget(tr, C, "gp_weight", "gan.gp_weight", value=p.gp_weight)
            ema = knob_widget(tr, C, "ema", "gan.ema", info="gan.ema_info", value=p.ema, elem_id="gan-ema")
        # appended settings go last: the API's parameters keep their order (tests/unit/test_interfaces.py)
        self.settings = dict(data=data, loss=loss, optimizer=optimizer, lr_g=lr_g, lr_d=lr_d, beta1=beta1,
                             beta2=beta2, d_steps=d_steps, latent_dim=latent, width=width, depth=depth,
                             batch_size=batch, arch=arch, gp_weight=gp_weight, steps=steps, seed=seed, decay=decay, ema=ema)

    def figures_column(self) -> None:
        tr = self.page.tr
        with gr.Row():
            self.controls = ControlSet.buttons(self.page, "gan", replay=True)
            self.reset_btn = tr(gr.Button, value="gan.reset", elem_id="gan-reset")
        self.status = self.controls.status_line()
        self.controls.replay_note()
        # the figures below belong to the settings of the run that drew them: once a setting differs (another preset,
        # another data set), the note says which, until Start draws them again
        self.made = Provenance(self.page, "gan-result", self.settings, labels=LABELS, action="live.start")
        self.coverage = gr.Markdown(elem_id="gan-coverage")
        self.plane = gr.Plot(figures.empty_plane(), elem_id="gan-plane", show_label=False)
        self.image = gr.Image(interactive=False, visible=False, elem_id="gan-image", show_label=False,
                              elem_classes=["grid-image"], buttons=["download"], height=420)
        with gr.Row():
            self.losses = gr.Plot(elem_id="gan-losses", show_label=False)
            self.d_out = gr.Plot(elem_id="gan-d", show_label=False)
        with gr.Row():
            self.export_btn = tr(gr.Button, value="gan.export", elem_id="gan-export", scale=0, min_width=200)
            self.files = tr(gr.File, label="gan.files", file_count="multiple", interactive=False,
                            elem_id="gan-files", visible=False, height=110)
        with gr.Row():
            self.film_btn = tr(gr.Button, value="film.button", elem_id="gan-film", scale=0, min_width=200,
                               interactive=False)
            self.film_files = tr(gr.File, label="film.files", file_count="multiple", interactive=False,
                                 elem_id="gan-film-files", visible=False, height=110)

    # ------------------------------------------------------------ frames
    def render(self, s: GanSession, snap: core.GanSnapshot, lang: str) -> dict:
        """One frame from the trainer as it is now (the harness holds the run between two updates)."""
        tr = s.trainer
        samples, heat, cov = tr.visuals()
        kind = "plane" if tr.config.is_toy else "image"
        value = figures.plane_figure(tr, samples, heat, lang) if kind == "plane" else figures.samples_image(samples)
        widget = {"plane": self.plane, "image": self.image}
        if s.showing == kind:  # plain values: cheaper, and what an API client expects
            shown = {widget[kind]: value}
        else:  # switch between the plane (2-D data) and the image grid (images) once
            other = "image" if kind == "plane" else "plane"
            shown = {widget[kind]: gr.update(value=value, visible=True), widget[other]: gr.update(visible=False)}
            s.showing = kind
        return {**shown, self.coverage: figures.coverage_markdown(tr, cov, lang),
                self.losses: figures.loss_figure(tr, lang), self.d_out: figures.d_figure(tr, lang)}

    # ------------------------------------------------------------ other handlers
    def choose_preset(self, name: str, lang: str = "en") -> tuple:
        """A preset's settings, and the replay note for them, in one answer: the note is computed from the preset's
        settings alone (the recordings' index is read once and cached), not from the widgets while the page still
        fills them in one by one (each change asked again with half-updated values: "no recording" for a preset that
        has one, and a page busy for seconds on a loaded machine)."""
        values = apply_preset(name)
        if name not in core.PRESETS:
            return (*values, gr.skip(), gr.skip())
        data = {self.page.lang: lang if lang in ("en", "vi") else "en",
                **{self.settings[f]: v for f, v in zip(LABELS, values)}}
        note = self.replay_check.availability(data)
        return (*values, note[self.controls.replay], note[self.controls.note])

    def reset(self, data: dict) -> dict:
        s, lang = data[self.live.state], data[self.page.lang]
        self.live.note_stop(s, data)  # a Start still queued is withdrawn too
        s.free()  # a running stream sees its run gone and ends
        s.film.reset()
        return {self.status: t("gan.status.reset", lang), self.made.made: None,
                self.made.note: gr.update(value="", visible=False), self.coverage: "", self.plane: None, self.image: None,
                self.losses: None, self.d_out: None, self.files: gr.update(value=None, visible=False),
                **self.film_cleared()}

    @user_errors
    def export(self, data: dict) -> list[str]:
        """The generator (.safetensors) and the loss history (.csv), for download."""
        s, lang = data[self.live.state], data[self.page.lang]
        tr = s.trainer
        if tr is None:
            raise error("gan.err.no_run", lang)
        tag = f"{'drawn' if tr.config.is_toy and tr.config.data not in core.TOY_SETS else tr.config.data}" \
              f"-step{tr.step_count}"
        with s.held():
            return [str(tr.save_generator(export_path(f"generator-{tag}.safetensors"))),
                    str(tr.save_history_csv(export_path(f"history-{tag}.csv")))]

    def stepped(self, data: dict) -> dict | None:
        """What the figures were made from after Step +1: the run's own settings (a paused run steps on with the
        settings it started with, a new one takes the widgets')."""
        tr = data[self.live.state].trainer
        return {name: getattr(tr.config, name) for name in LABELS} if tr is not None else data[self.made.made]

    def film_ready(self, data: dict) -> dict:
        """After a stream ends (done, paused, stopped): the film button can be used once there are frames."""
        return {self.film_btn: gr.update(interactive=len(data[self.live.state].film) > 0)}

    def film_cleared(self) -> dict:
        return {self.film_btn: gr.update(interactive=False), self.film_files: gr.update(value=None, visible=False)}

    @user_errors
    def export_film(self, data: dict) -> dict:
        """The run as an animated GIF, and its last frame as PNG (and SVG for the plane), for slides."""
        s, lang = data[self.live.state], data[self.page.lang]
        tr = s.trainer
        if tr is None or not len(s.film):
            raise error("film.err.empty", lang)
        with s.held():
            history = tr.history_columns()
        out = slides.export(s.film, tr, history, lang)
        return {self.film_files: gr.update(value=out.files, visible=True)}

    # ------------------------------------------------------------ wiring
    def wire(self) -> None:
        page, settings = self.page, self.settings
        outputs = [self.coverage, self.plane, self.image, self.losses, self.d_out]
        events = self.live.wire(self.controls, inputs=settings, outputs=outputs)
        # the harness's own replay check, asked for a preset's settings before the widgets show them
        self.replay_check = ReplayWiring(self.live, replay.REPLAYER)
        self.replay_check._button, self.replay_check._note = self.controls.replay, self.controls.note
        # first, alone: the note (two outputs) is on screen before the page applies the settings one by one, each
        # with its own change events (measured 2.9-4.3 s to the note on a loaded machine when it came last)
        self.preset.input(lambda name, lang: self.choose_preset(name, lang)[-2:], [self.preset, page.lang],
                          [self.controls.replay, self.controls.note], api_visibility="private", queue=False,
                          show_progress="hidden")
        self.preset.input(self.choose_preset, [self.preset, page.lang],
                          [*settings.values(), self.controls.replay, self.controls.note], api_name="gan_preset",
                          queue=False, show_progress="hidden")
        for widget in settings.values():  # a preset edited by hand reads "custom" (and its link carries the edits)
            widget.input(matching_preset, [self.preset, *settings.values()], self.preset, api_name=False,
                         queue=False, show_progress="hidden", trigger_mode="always_last")
        for edit in self.drawn.edited:  # the data setting is hidden: the user edits it through the picker or canvas
            edit.then(matching_preset, [self.preset, *settings.values()], self.preset, api_name=False,
                      queue=False, show_progress="hidden")
        page.links.share_preset("gan", self.preset,
                                PRESETS.values_of)
        page.links.share_all("gan", settings)
        page.links.button(page.tr, "gan")
        held = {"session": self.live.state, "lang": page.lang}
        clicked = {**held, "page": page.clock}  # as Stop does (``Live.withdrawn``), not Gradio's cancels
        self.reset_btn.click(*named(self.reset, clicked),
                             [self.status, *outputs, self.files, self.film_btn, self.film_files, self.made.made,
                              self.made.note],
                             js=page.stamp_js(len(clicked)), api_name="gan_reset", queue=False)
        self.export_btn.click(*named(self.export, held), self.files, api_name="gan_export").success(
            lambda: gr.update(visible=True), None, self.files, api_name=False, queue=False)  # shows when filled
        for name in ("start", "pause", "step", "replay"):  # a replay is filmed too
            events[name].then(*named(self.film_ready, {"session": self.live.state}), self.film_btn, api_name=False,
                              queue=False)
        self.made.made_by(self.controls.start)  # Start and Replay draw from the settings on screen
        self.made.made_by(self.controls.replay)
        events["step"].then(*named(self.stepped, {"session": self.live.state, "made": self.made.made}),
                            self.made.made, api_name=False, queue=False, show_progress="hidden").then(
            self.made.check, [page.lang, self.made.made, *settings.values()], self.made.note, api_name=False,
            queue=False, show_progress="hidden")
        self.film_btn.click(*named(self.export_film, held), self.film_files, api_name="gan_film",
                            concurrency_id="film", concurrency_limit=1)
