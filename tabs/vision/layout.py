"""Vision Transfer: what a pretrained CNN knows (top-5, feature maps, Grad-CAM) and a transfer race on small image sets.

``VisionTab(page)`` builds the tab for one build of the app. Part 1 is plain request / response handlers on the
shared pretrained EfficientNet-Lite0. Parts 2 (the race) and 3 (the training-set-size sweep) are live runs
(``tabs.harness.live``): each browser session owns a ``RaceSession`` and a ``SweepSession``
(``tabs.vision.session``) that record what the figures need; Start, Pause / Resume, Step +1 and Stop behave as on
every training tab.
"""

from __future__ import annotations

import gradio as gr

from playground.vision import explain
from playground.vision.config import DEFAULT_RACE, SCHEDULES, STRATEGIES, SWEEP_PAIR, VisionConfig
from playground.vision.data import transfer_sets
from playground.vision.net import STAGES
from playground.vision.race import THREADS
from tabs.harness import stills
from tabs.harness.common import device_notice, lesson
from tabs.harness.live import NO_CHANGE, ControlSet, Live
from tabs.harness.stale import Provenance
from tabs.harness.widgets import knob_widget
from tabs.vision import replay, session
from tabs.vision.figures import curves_figure, results_table, sweep_figure
from tabs.vision.session import RaceSession, SweepSession

SAMPLE_CHOICES = [(f"vis.sample.{n}", n) for n in explain.SAMPLES]
STAGE_CHOICES = [(f"vis.stage.{name}", name) for name, _ in STAGES]
STRATEGY_CHOICES = [(f"vis.s.{s}", s) for s in STRATEGIES]
SIZE_CHOICES = [5, 10, 25, 50, 100, 200, 400]


class VisionTab:
    def __init__(self, page) -> None:
        self.page, tr = page, page.tr
        lesson(tr, "vis.lesson", open=False)
        self.notice = gr.Markdown(device_notice("en"), elem_id="vis-device")
        self.race = Live(page, "vision_race", RaceSession, make_run=session.make_race, render=self.render_race,
                         where=session.race_where, config=session.read_race, slot=session.slot,
                         replayer=replay.REPLAYER, cpu_threads=THREADS)
        self.sweep = Live(page, "vision_sweep", SweepSession, make_run=session.make_sweep,
                          render=self.render_sweep, where=session.sweep_where, config=session.read_sweep,
                          slot=session.slot, replayer=replay.SWEEP_REPLAYER, cpu_threads=THREADS)
        self.knows_part()
        self.race_part()
        self.sweep_part()
        self.wire()

    # ------------------------------------------------------------ layout
    def knows_part(self) -> None:
        """1. What the pretrained CNN knows about an image."""
        page, tr = self.page, self.page.tr
        tr(gr.Markdown, value="vis.know.title")
        with gr.Row():
            with gr.Column(scale=1, min_width=320):
                # the labels stand above the images: an image's toolbar covered its own label at 1024 px
                tr(gr.Markdown, value="vis.image_title", elem_classes=["image-title"])
                self.image = tr(gr.ImageEditor, label="vis.image", show_label=False, type="numpy",
                                sources=["upload", "clipboard"],
                                brush=gr.Brush(colors=["#000000", "#ffffff", "#dc2626"], default_size=14),
                                canvas_size=(448, 448), height=380, elem_id="vis-image",
                                placeholder="vis.image_ph", layers=False,  # one layer: no "Layer 1" menu
                                # lossless: the photo the editor holds (and sends back to "Analyse") is the one a
                                # sample pick analysed; webp, the default, shifted the top class (33.8% -> 40.9%)
                                format="png")
                self.sample = tr(gr.Radio, label="vis.sample", choices=SAMPLE_CHOICES, value=None,
                                 elem_id="vis-sample")
                self.stage = tr(gr.Dropdown, label="vis.stage", info="vis.stage_info", choices=STAGE_CHOICES,
                                value="head", elem_id="vis-stage")
                self.analyse_btn = tr(gr.Button, value="vis.analyse", variant="primary", elem_id="vis-analyse")
            with gr.Column(scale=2):
                # which image the editor holds (its size and a hash of its pixels); the note says when the
                # analysis below belongs to an earlier one
                self.image_id = gr.Textbox("—", visible=False, elem_id="vis-image-id")
                self.analysed = Provenance(page, "vis-analysis", {"image": self.image_id},
                                           labels={"image": "vis.image_id"}, action="vis.analyse")
                self.top5 = gr.Plot(show_label=False, elem_id="vis-top5")
                with gr.Row():
                    with gr.Column(min_width=200):
                        tr(gr.Markdown, value="vis.cam_title", elem_classes=["image-title"])
                        self.cam = tr(gr.Image, label="vis.cam", show_label=False, interactive=False, height=300,
                                      elem_id="vis-cam")
                    with gr.Column(min_width=200):
                        tr(gr.Markdown, value="vis.maps_title", elem_classes=["image-title"])
                        self.maps = tr(gr.Image, label="vis.maps", show_label=False, interactive=False, height=300,
                                       elem_id="vis-maps")
                self.info = gr.Markdown(elem_id="vis-info")

    def race_part(self) -> None:
        """2. The race of the transfer strategies."""
        tr = self.page.tr
        tr(gr.Markdown, value="vis.race.title")
        tr(gr.Markdown, value="vis.race.note", elem_classes=["small-note"])
        with gr.Row():
            with gr.Column(scale=1, min_width=330):
                self.settings = self.config_widgets()
            with gr.Column(scale=2):
                with gr.Row():
                    self.race_controls = ControlSet.buttons(self.page, "vis-race", replay=True)
                self.race_controls.status_line()
                self.race_controls.replay_note()
                with gr.Row():
                    self.loss_plot = gr.Plot(show_label=False, elem_id="vis-loss")
                    self.acc_plot = gr.Plot(show_label=False, elem_id="vis-acc")
                self.race_stills = stills.controls(self.page, "vis-race")
        # the headers alone before a run (not Gradio's placeholder "1 2 3")
        self.table = tr(gr.Dataframe, value=results_table([], "en"), label="vis.results", interactive=False,
                        wrap=True, elem_id="vis-table")
        tr(gr.Markdown, value="vis.mem_note", elem_classes=["small-note"])

    def config_widgets(self) -> dict:
        """The race's settings (the sweep shares them, but the strategies), by config field."""
        tr, C, w = self.page.tr, VisionConfig, {}
        data_choices = [(f"vis.data.{d}", d) for d in transfer_sets()]
        w["data"] = tr(gr.Radio, label="vis.data", choices=data_choices, value="mnist", elem_id="vis-data")
        w["strategies"] = tr(gr.CheckboxGroup, label="vis.strategies", choices=STRATEGY_CHOICES,
                             value=list(DEFAULT_RACE), elem_id="vis-strategies")
        with gr.Row():
            w["per_class"] = knob_widget(tr, C, "per_class", "vis.per_class", elem_id="vis-per-class")
            w["resolution"] = knob_widget(tr, C, "resolution", "vis.resolution", elem_id="vis-resolution")
        w["augment"] = tr(gr.Checkbox, label="vis.augment", value=False, elem_id="vis-augment")
        with tr(gr.Accordion, label="vis.settings", open=False):
            with gr.Row():
                w["test_per_class"] = knob_widget(tr, C, "test_per_class", "vis.test_per_class")
                w["batch_size"] = knob_widget(tr, C, "batch_size", "vis.batch_size")
            with gr.Row():
                w["top_blocks"] = knob_widget(tr, C, "top_blocks", "vis.top_blocks")
                w["seed"] = knob_widget(tr, C, "seed", "vis.seed", elem_id="vis-seed")
            with gr.Row():
                w["weight_decay"] = knob_widget(tr, C, "weight_decay", "vis.weight_decay")
                w["warmup"] = knob_widget(tr, C, "warmup", "vis.warmup")
            w["schedule"] = tr(gr.Radio, label="vis.schedule", choices=list(SCHEDULES), value="cosine")
            w["evals"] = knob_widget(tr, C, "evals", "vis.evals")
        with tr(gr.Accordion, label="vis.per_strategy", open=False):
            for s, spec in STRATEGIES.items():
                with gr.Row():
                    w[f"lr_{s}"] = knob_widget(tr, C, f"lr_{s}", f"vis.lr_{s}", value=spec.lr, elem_id=f"vis-lr-{s}")
                    w[f"epochs_{s}"] = knob_widget(tr, C, f"epochs_{s}", f"vis.epochs_{s}", value=spec.epochs,
                                                   elem_id=f"vis-epochs-{s}")
        return w

    def sweep_part(self) -> None:
        """3. Test accuracy against the number of training images per class."""
        tr = self.page.tr
        tr(gr.Markdown, value="vis.sweep.title")
        tr(gr.Markdown, value="vis.sweep.note", elem_classes=["small-note"])
        with gr.Row():
            with gr.Column(scale=1, min_width=330):
                self.sizes = tr(gr.CheckboxGroup, label="vis.sizes", choices=SIZE_CHOICES, value=[10, 25, 50],
                                elem_id="vis-sizes")
                self.sweep_strategies = tr(gr.CheckboxGroup, label="vis.sweep_strategies",
                                           choices=STRATEGY_CHOICES, value=list(SWEEP_PAIR),
                                           elem_id="vis-sweep-strategies")
                with gr.Row():
                    self.sweep_controls = ControlSet.buttons(self.page, "vis-sweep", replay=True)
                self.sweep_controls.status_line()
                self.sweep_controls.replay_note()
            with gr.Column(scale=2):
                self.sweep_plot = gr.Plot(show_label=False, elem_id="vis-sweep")
                self.sweep_stills = stills.controls(self.page, "vis-sweep")

    # ------------------------------------------------------------ frames
    def render_race(self, s: RaceSession, snap, lang: str) -> dict:
        return {self.loss_plot: curves_figure(s.history, "loss", lang),
                self.acc_plot: curves_figure(s.history, "acc", lang),
                self.table: results_table(s.results, lang)}  # a new race empties the last one's table

    def render_sweep(self, s: SweepSession, snap, lang: str) -> dict:
        return {self.sweep_plot: sweep_figure(s.points, lang) if s.points else NO_CHANGE}

    # ------------------------------------------------------------ wiring
    def wire(self) -> None:
        page, lang = self.page, self.page.lang
        knows = [self.top5, self.cam, self.maps, self.info]
        quiet = dict(queue=False, api_visibility="private", show_progress="hidden")
        made = self.analysed.made_by
        made(self.analyse_btn.click(session.analyse, [self.image, self.stage, lang], knows, api_name="vis_analyse"))
        made(self.sample.input(session.pick_sample, [self.sample, self.stage, lang], [self.image, *knows],
                               api_name="vis_sample").then(session.image_key, self.image, self.image_id, **quiet))
        made(self.stage.input(session.reanalyse, [self.image, self.stage, lang], knows, api_visibility="private"))
        # an upload, a paste or a stroke: the analysis on screen is marked as the earlier image's until "Analyse"
        # (the editor sending back the picture it was given changes nothing: same pixels, same key);
        # clearing the editor clears it
        self.image.input(session.image_key, self.image, self.image_id, trigger_mode="always_last", **quiet)
        self.image.clear(session.cleared, None, [*knows, self.analysed.made, self.analysed.note], **quiet)
        # each run: a language switch redraws its status and figures from its last snapshot, without training again
        self.race.wire(self.race_controls, inputs=self.settings, outputs=[self.loss_plot, self.acc_plot, self.table])
        stills.wire(page, self.race, *self.race_stills, "vision-race", "vis_race_stills")
        sweep_inputs = {**{k: v for k, v in self.settings.items() if k != "strategies"}, "sizes": self.sizes,
                        "sweep_strategies": self.sweep_strategies}
        self.sweep.wire(self.sweep_controls, inputs=sweep_inputs, outputs=[self.sweep_plot])
        stills.wire(page, self.sweep, *self.sweep_stills, "vision-sweep", "vis_sweep_stills")
        page.links.share_all("vision", dict(stage=self.stage, sample=self.sample, **self.settings, sizes=self.sizes,
                                            sweep_strategies=self.sweep_strategies))
        # a link that names a sample photo (``vision.sample=cat``) opens on the CNN's analysis of it

        def sample_opened(data: dict, request=None) -> dict:
            out = dict(zip([self.image, *knows], session.pick_sample(data[self.sample], data[self.stage], data[lang])))
            out[self.image_id] = session.image_key(out[self.image])
            return out

        page.on_open(sample_opened, {"sample": self.sample, "stage": self.stage, "lang": lang},
                     [self.image, *knows, self.image_id], dict(api_visibility="private"),
                     when=lambda data: bool(data[self.sample]),
                     lands=lambda values: f"instant view (sample {values[self.sample]})" if values.get(self.sample)
                     else None, after=made)
        page.links.button(page.tr, "vision")
        # the table's headers in the new language, also before any race
        page.on_language(lambda s, lg: results_table(s.results, lg), [self.race.state, lang], [self.table])
        # then the analysis on screen in the new language: it runs the CNN, so it is queued apart, and only once this
        # tab is on screen (a switch elsewhere reaches it when the tab is opened)
        page.on_language(device_notice, [lang], [self.notice],
                         then=dict(fn=session.reanalyse, inputs=[self.image, self.stage, lang], outputs=knows,
                                   api_visibility="private"))
