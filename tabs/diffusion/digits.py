"""The Diffusion Lab's digits: a class-conditional U-Net on MNIST with classifier-free guidance.

The shipped model (``assets/``, trained offline) is explorable at once: the guidance scale, the number of sampling
steps, the sampler and the noise seed redraw the 8x8 grid from the same noise, one sample's denoising strip shows
x_T ... x_0, and the shared digit classifier says how often the samples are the digit asked for. "Train from
scratch" trains a fresh model live on the harness (its fixed-noise grid improves as it trains); the same controls
then explore it."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import gradio as gr

from playground.diffusion import digits as core
from playground.diffusion.digits_training import DigitsTrainer
from playground.diffusion import samplers as sampling
from tabs.diffusion import figures
from tabs.harness.common import device_text, user_errors
from tabs.harness.i18n import error, t
from tabs.harness.live import ControlSet, LiveSession
from tabs.harness.widgets import knob_widget, named, read_config, whole

MODELS = ("shipped", "mine")
GUIDANCE = (0.0, core.GUIDANCE_MAX)
STEPS = (1, 250)  # sampling steps offered on screen (a 250-step grid with guidance takes seconds on a CPU)
SEEDS = (0, 2**31 - 1)
TRAIN_LABELS = {"steps": "diff.dig.train_steps", "seed": "diff.dig.train_seed"}


@dataclass
class DigitsSession(LiveSession):
    """A digits model trained from scratch in this browser session (and its trainer, for Resume)."""

    trainer: Any = None

    def free(self) -> None:
        super().free()
        self.trainer = None


def read(values: dict, lang: str):
    """The default preset with the steps and the seed on screen (the other settings are the shipped model's)."""
    import dataclasses

    base = dataclasses.asdict(core.preset_config(core.DEFAULT_PRESET))
    return read_config(core.DigitsConfig, values, TRAIN_LABELS, lang,
                       **{k: v for k, v in base.items() if k not in values})


def make_run(session: DigitsSession, config):
    session.trainer = DigitsTrainer(config)
    return session.trainer.step(config.steps, report_every=1, sample_every=max(1, config.steps // 40),
                                heartbeats=True)


def where(session: DigitsSession, snap, lang: str) -> str:
    tr = session.trainer
    return t("diff.dig.where", lang, step=snap.step, elapsed=snap.elapsed, params=tr.n_params,
             device=device_text(str(tr.device), lang))


class DigitsPanel:
    def __init__(self, page) -> None:
        from tabs.harness.live import Live

        self.page, tr = page, page.tr
        self.tab = gr.context.get_render_context()
        with tr(gr.Accordion, label="diff.part.digits", open=True, elem_id="diffusion-digits"):
            with gr.Row():
                with gr.Column(scale=1, min_width=320):
                    self.model = tr(gr.Radio, label="diff.dig.model",
                                    choices=[(f"diff.dig.model.{m}", m) for m in MODELS], value="shipped",
                                    elem_id="diffusion-digits-model")
                    self.guidance = tr(gr.Slider, minimum=GUIDANCE[0], maximum=GUIDANCE[1], step=0.5, value=3.0,
                                       label="diff.dig.guidance", info="diff.dig.guidance_info",
                                       elem_id="diffusion-guidance")
                    self.steps = tr(gr.Slider, minimum=STEPS[0], maximum=STEPS[1], step=1, value=50,
                                    label="diff.dig.steps", elem_id="diffusion-digit-steps")
                    self.sampler = tr(gr.Radio, label="diff.dig.sampler", value="ddim", elem_id="diffusion-digit-sampler",
                                      choices=[(f"diff.sampler.{s}", s) for s in sampling.SAMPLERS])
                    with gr.Row():
                        self.seed = tr(gr.Number, value=0, precision=0, label="diff.dig.seed",
                                       elem_id="diffusion-digit-seed")
                        self.label = tr(gr.Dropdown, choices=[(str(d), d) for d in range(10)], value=7,
                                        label="diff.dig.label", elem_id="diffusion-digit-label")
                    self.draw_btn = tr(gr.Button, value="diff.dig.draw", elem_id="diffusion-digit-draw")
                    with tr(gr.Accordion, label="diff.dig.train", open=False, elem_id="diffusion-digits-train"):
                        base = core.preset_config(core.DEFAULT_PRESET)
                        with gr.Row():
                            train_steps = knob_widget(tr, core.DigitsConfig, "steps", "diff.dig.train_steps",
                                                      value=base.steps, elem_id="diffusion-digits-steps")
                            train_seed = knob_widget(tr, core.DigitsConfig, "seed", "diff.dig.train_seed",
                                                     value=base.seed, elem_id="diffusion-digits-train-seed")
                        with gr.Row():
                            self.controls = ControlSet.buttons(page, "diffusion-digits", step=False, pace=False)
                        self.controls.status_line()
                with gr.Column(scale=2):
                    self.readout = gr.Markdown(elem_id="diffusion-digits-readout")
                    self.grid = tr(gr.Image, label="diff.dig.grid", interactive=False, elem_id="diffusion-digits-grid",
                                   buttons=["download"], height=470, elem_classes=["grid-image"])
                    self.strip = tr(gr.Image, label="diff.dig.strip", interactive=False,
                                    elem_id="diffusion-digits-strip", buttons=["download"], height=130,
                                    elem_classes=["strip-image"])
        self.live = Live(page, "diffusion_digits", DigitsSession, make_run=make_run, render=self.render, where=where,
                         config=read, cpu_threads=core.THREADS)
        self.live.wire(self.controls, inputs={"steps": train_steps, "seed": train_seed},
                       outputs=[self.grid, self.readout])
        self.wire()

    # ------------------------------------------------------------ frames
    def render(self, s: DigitsSession, snap, lang: str) -> dict:
        """The fixed-noise grid as the model trains, and the classifier's verdict on it."""
        if snap.grid is None:
            return {}
        out = {self.grid: figures.digit_grid(snap.grid)}
        if snap.agreement is not None:
            out[self.readout] = t("diff.dig.live", lang, w=s.trainer.config.guidance, steps=core.LIVE_STEPS,
                                  step=snap.step, agree=snap.agreement, conf=snap.confidence)
        return out

    # ------------------------------------------------------------ exploring a model
    def model_of(self, data: dict, lang: str):
        if data[self.model] == "mine":
            tr = data[self.live.state].trainer
            if tr is None:
                raise error("diff.dig.err.none", lang)
            return tr.model(), t("diff.dig.model.mine", lang), data[self.live.state]
        return core.load_shipped(), t("diff.dig.model.shipped", lang), None

    @user_errors
    def draw(self, data: dict) -> dict:
        """The grid, its readout and the strip for the controls on screen, from the same noise for the same seed."""
        lang = data[self.page.lang]
        w = float(data[self.guidance]) if data[self.guidance] is not None else -1.0
        if not GUIDANCE[0] <= w <= GUIDANCE[1]:
            raise error("diff.dig.err.guidance", lang, value=data[self.guidance])
        steps = whole(data[self.steps], *STEPS, "diff.dig.steps", lang)
        seed = whole(data[self.seed], *SEEDS, "diff.dig.seed", lang)
        label = whole(data[self.label], 0, 9, "diff.dig.label", lang)
        sampler = data[self.sampler]
        if sampler not in sampling.SAMPLERS:
            raise error("diff.dig.err.sampler", lang, value=sampler)
        model, name, owner = self.model_of(data, lang)
        held = owner.held() if owner is not None else _nothing()
        with held:
            t0 = time.perf_counter()
            images, strip = model.draw(w, steps, sampler=sampler, seed=seed, label=label)  # one sampling pass
            ms = 1000 * (time.perf_counter() - t0)
            verdict = model.agreement(images, core.GRID_LABELS)
        nfe = core.nfe_of(w, steps) * len(core.GRID_LABELS)
        return {self.grid: figures.digit_grid(images), self.strip: figures.digit_strip(strip),
                self.readout: t("diff.dig.readout", lang, agree=verdict["agree"], conf=verdict["confidence"], w=w,
                                steps=steps, nfe=nfe, ms=ms, model=name)}

    def relabel(self, data: dict) -> dict:
        """After a language switch: the explorer's grid drawn again in the new language (the same noise, the same
        grid); while a model trains here, its live frames relabel themselves (the harness's own redraw)."""
        run = data[self.live.state].run
        if not data[self.readout] or (run is not None and not run.phase.finished):
            return {}
        return self.draw(data)

    def wire(self) -> None:
        page = self.page
        inputs = {"session": self.live.state, "lang": page.lang, "model": self.model, "guidance": self.guidance,
                  "steps": self.steps, "sampler": self.sampler, "seed": self.seed, "label": self.label}
        self.inputs = inputs
        outputs = [self.grid, self.strip, self.readout]
        handler, comps = named(self.draw, inputs)
        queue = dict(concurrency_id="diffusion_digits_draw", concurrency_limit=2, show_progress="hidden")
        self.draw_btn.click(handler, comps, outputs, api_name="diffusion_digits_draw", **queue)
        for widget in (self.guidance, self.steps):  # a drag, a typed number, a link: the grid follows (the last value)
            widget.change(handler, comps, outputs, api_name=False, trigger_mode="always_last", **queue)
        for widget in (self.model, self.sampler, self.label):
            widget.input(handler, comps, outputs, api_name=False, trigger_mode="always_last", **queue)
        self.seed.submit(handler, comps, outputs, api_name=False, trigger_mode="always_last", **queue)
        # a language switch redraws the grid's readout in the new language (the same noise: the same grid)
        page.on_language(self.relabel, {*comps, self.readout}, outputs)
        if isinstance(self.tab, gr.Tab):  # opening the tab draws the shipped model's grid (it loads then, once)
            self.tab.select(handler, comps, outputs, api_name=False, **queue)
            # and so does a link to it (``?tab=diffusion``, a lecture's moment), which fires no select
            page.on_open(lambda data, request=None: self.draw(data), inputs, outputs, queue,
                         lands=lambda values: "instant view (the shipped digits model)")


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
