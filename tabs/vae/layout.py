"""VAE Explorer: train a VAE (or start from the shipped one), walk its latent space, detect anomalies.

``VaeTab(page)`` builds the tab for one build of the app: its widgets, its three live runs (``tabs.harness.live``:
training the VAE, the plain autoencoder beside it, anomaly detection; each browser session owns a ``VaeSession``
that starts as the shipped model, see ``tabs.vae.session``) and the latent tools (``tabs.vae.tools``). Every handler
takes named inputs and checks them first, answering in the user's language; an error leaves the figures on screen
as they were.
"""

from __future__ import annotations

import gradio as gr
import numpy as np

from playground import vae as core
from playground.data.images import available_image_sets
from playground.vae.training import THREADS
from tabs.harness.common import lesson
from tabs.harness.i18n import error, t
from tabs.harness.live import ControlSet, Live
from tabs.harness.stale import Provenance
from tabs.harness.widgets import knob_widget, named
from tabs.vae import figures as fig
from tabs.vae import session, slides
from tabs.vae.session import AeSession, AnomalySession, VaeSession
from tabs.vae.tools import LatentTools

# the training settings, in the order of the API's parameters (``/vae_start``), then the grid's (``grid_inputs``)
TRAINING = ("data", "arch", "latent", "hidden", "beta", "epochs", "lr", "batch_size", "seed")


def _caption(tr, key: str) -> None:
    """An image's title above it (a gr.Image label would sit on top of the picture)."""
    tr(gr.Markdown, value=key, elem_classes=["image-caption"])


def _image(elem_id: str, height: int, **kw) -> gr.Image:
    # PNG: lossless for crisp digit grids, and two to three times faster to encode than WebP here
    return gr.Image(show_label=False, interactive=False, elem_id=elem_id, height=height, format="png", **kw)


class VaeTab(LatentTools):
    def __init__(self, page) -> None:
        self.page = page
        self.tab = gr.context.get_render_context()  # the gr.Tab the app opened for this tab
        lesson(page.tr, "vae.lesson", open=False)
        start = VaeSession()  # the shipped model: what the page opens with
        self.training_panel(start)
        self.map_panel(start)
        self.reparam_panel()
        self.interpolation_panel()
        self.anomaly_panel()
        self.compare_panel()
        page.links.share_all("vae", self.settings)  # ``vae.<name>`` in the address
        page.links.button(page.tr, "vae")
        self.wire()

    # ------------------------------------------------------------ layout
    def training_panel(self, start: VaeSession) -> None:
        tr, C, cfg0 = self.page.tr, core.VaeConfig, core.VaeConfig()
        with gr.Row():
            with gr.Column(scale=2, min_width=320):
                choices = [("MNIST (5,000)", "mnist"), ("scikit-learn digits 8×8", "digits")]
                if "fashion" in available_image_sets():
                    choices.append(("Fashion-MNIST", "fashion"))
                data = tr(gr.Dropdown, label="vae.data", info="vae.data_info", choices=choices, value=cfg0.data,
                          elem_id="vae-data")
                arch = tr(gr.Radio, label="vae.arch", choices=[("vae.arch.mlp", "mlp"), ("vae.arch.conv", "conv")],
                          value=cfg0.arch, elem_id="vae-arch")
                with gr.Row():
                    latent = knob_widget(tr, C, "latent", "vae.latent", slider=True, info="vae.latent_info",
                                         elem_id="vae-latent")
                    beta = knob_widget(tr, C, "beta", "vae.beta", slider=True, info="vae.beta_info", elem_id="vae-beta")
                with gr.Row():
                    epochs = knob_widget(tr, C, "epochs", "vae.epochs", slider=True, elem_id="vae-epochs")
                    hidden = knob_widget(tr, C, "hidden", "vae.hidden", slider=True, elem_id="vae-hidden")
                with gr.Row():
                    lr = knob_widget(tr, C, "lr", "vae.lr", elem_id="vae-lr")
                    batch = knob_widget(tr, C, "batch_size", "vae.batch", elem_id="vae-batch")
                    seed = knob_widget(tr, C, "seed", "app.seed", elem_id="vae-seed")
                with gr.Row():
                    self.controls = ControlSet.buttons(self.page, "vae", ids={"start": "vae-train"})
                self.reset_btn = tr(gr.Button, value="vae.reset", size="sm", elem_id="vae-reset")
                # the shipped model's status (its own words, not the harness's "Ready"), redrawn by ``relabel``
                self.status = self.controls.status = gr.Markdown(session.status_pretrained(start, "en"),
                                                                 elem_id="vae-status")
                self.film_btn = tr(gr.Button, value="film.button", size="sm", elem_id="vae-film", interactive=False)
                self.film_files = tr(gr.File, label="film.files", file_count="multiple", interactive=False,
                                     elem_id="vae-film-files", visible=False, height=110)
            with gr.Column(scale=3):
                self.curves = gr.Plot(fig.curves_figure(start.history, "en"), show_label=False, elem_id="vae-curves")
                tr(gr.Markdown, value="vae.curves_help")
        self.settings = dict(data=data, arch=arch, latent=latent, beta=beta, epochs=epochs, hidden=hidden, lr=lr,
                             batch_size=batch, seed=seed)

    def map_panel(self, start: VaeSession) -> None:
        tr, G = self.page.tr, core.GridSpec
        tr(gr.Markdown, value="vae.map_heading")
        with gr.Row():
            with gr.Column(scale=3):
                _caption(tr, "vae.grid")
                picture, _ = fig.draw_grid(start.vae, core.GridSpec())
                self.grid_img = _image("vae-grid", 600, value=picture, buttons=["download"])
            with gr.Column(scale=2, min_width=280):
                _caption(tr, "vae.cell")
                self.cell = _image("vae-cell", 240, elem_classes=["grid-image"])
                self.cell_info = gr.Markdown(t("vae.cell_hint"), elem_id="vae-cell-info")
                grid_n = knob_widget(tr, G, "n", "vae.grid_n", slider=True, elem_id="vae-grid-n")
                with gr.Row():
                    lo = knob_widget(tr, G, "lo", "vae.lo", elem_id="vae-lo")
                    hi = knob_widget(tr, G, "hi", "vae.hi", elem_id="vae-hi")
                self.mode = tr(gr.Radio, label="vae.mode", choices=[("vae.mode.dims", "dims"), ("vae.mode.pca", "pca")],
                               value="dims", visible=False, elem_id="vae-mode")
                with gr.Row():
                    self.dim_x = knob_widget(tr, G, "dim_x", "vae.dim_x", visible=False)
                    self.dim_y = knob_widget(tr, G, "dim_y", "vae.dim_y", visible=False)
                self.grid_btn = tr(gr.Button, value="vae.redraw", elem_id="vae-redraw")
        self.scatter_plot = gr.Plot(show_label=False, elem_id="vae-scatter")
        self.settings.update(grid_n=grid_n, lo=lo, hi=hi)
        # the grid's widgets by their names in the API (``session.GRID_FIELDS``)
        self.grid_inputs = {"grid_n": grid_n, "grid_lo": lo, "grid_hi": hi, "grid_mode": self.mode,
                            "dim_x": self.dim_x, "dim_y": self.dim_y}

    def reparam_panel(self) -> None:
        tr = self.page.tr
        with tr(gr.Accordion, label="vae.reparam", open=True):
            tr(gr.Markdown, value="vae.reparam_help")
            with gr.Row():
                self.idx = tr(gr.Number, label="vae.image_index", info="vae.image_index_info", value=0, step=1,
                              elem_id="vae-idx")
                self.eps_seed = tr(gr.Number, label="vae.eps_seed", value=0, step=1, elem_id="vae-eps-seed")
                self.eps_btn = tr(gr.Button, value="vae.draw_eps", scale=0, min_width=160, elem_id="vae-eps")
            with gr.Row():
                with gr.Column(scale=2):
                    _caption(tr, "vae.reparam_images")
                    self.reparam_img = _image("vae-reparam-img", 200, elem_classes=["grid-image"])
                    self.reparam_md = gr.Markdown(elem_id="vae-reparam-md")
                self.reparam_plot = gr.Plot(show_label=False)

    def interpolation_panel(self) -> None:
        tr = self.page.tr
        with tr(gr.Accordion, label="vae.interp", open=True):
            with gr.Row():
                self.ia = tr(gr.Number, label="vae.image_a", value=0, step=1, elem_id="vae-ia")
                self.ib = tr(gr.Number, label="vae.image_b", value=1, step=1, elem_id="vae-ib")
                self.steps = tr(gr.Slider, label="vae.steps", minimum=2, maximum=32, step=1, value=10)
            _caption(tr, "vae.interp_strip")
            self.interp = _image("vae-interp", 130, elem_classes=["grid-image"])
            self.interp_md = gr.Markdown()

    def anomaly_panel(self) -> None:
        tr = self.page.tr
        with tr(gr.Accordion, label="vae.anomaly", open=True):
            tr(gr.Markdown, value="vae.anomaly_help")
            fashion = "fashion" in available_image_sets()
            with gr.Row():
                scenarios = [("vae.scenario.other", "other")] if fashion else []
                self.scenario = tr(gr.Radio, label="vae.scenario", value="other" if fashion else "holdout",
                                   choices=scenarios + [("vae.scenario.holdout", "holdout")], elem_id="vae-scenario")
                self.holdout = tr(gr.Dropdown, label="vae.holdout", choices=[(str(i), str(i)) for i in range(10)],
                                  value="0", allow_custom_value=True,  # checked (translated) by the run's config
                                  elem_id="vae-holdout")
                self.score = tr(gr.Radio, label="vae.score", value="recon",
                                choices=[("vae.score.recon", "recon"), ("vae.score.elbo", "elbo")])
                with gr.Column(min_width=200, scale=0):
                    self.anomaly_controls = ControlSet(
                        "vae-anomaly", tr(gr.Button, value="vae.anomaly_run", variant="primary",
                                          elem_id="vae-anomaly-run"),
                        stop=tr(gr.Button, value="live.stop", variant="stop", size="sm", elem_id="vae-anomaly-stop"),
                        page=self.page)
            if not fashion:
                tr(gr.Markdown, value="vae.no_fashion_note")
            self.anomaly_controls.status = gr.Markdown(elem_id="vae-anomaly-status")
            # the result on screen was made from these settings and the session's model (``wire`` marks it when
            # the model is trained again or reset): the note goes above the figures
            self.anomaly_made = Provenance(
                self.page, "vae-anomaly", {"scenario": self.scenario, "holdout": self.holdout, "score": self.score},
                labels={"scenario": "vae.scenario", "holdout": "vae.holdout", "score": "vae.score"},
                action="vae.anomaly_run")
            self.threshold_slider = tr(gr.Slider, label="vae.threshold", minimum=0, maximum=1000, value=200, step=0.1,
                                       elem_id="vae-threshold")
            self.anomaly_md = gr.Markdown(elem_id="vae-anomaly-md")
            with gr.Row():
                self.hist = gr.Plot(show_label=False, elem_id="vae-hist")
                self.roc = gr.Plot(show_label=False, elem_id="vae-roc")

    def compare_panel(self) -> None:
        tr = self.page.tr
        with tr(gr.Accordion, label="vae.compare", open=True):
            tr(gr.Markdown, value="vae.compare_help")
            with gr.Row():
                for key, name in (("vae.compare_vae", "vae_grid"), ("vae.compare_ae", "ae_grid"),
                                  ("vae.compare_ae_zoom", "ae_zoom")):
                    with gr.Column(min_width=200):
                        _caption(tr, key)
                        setattr(self, name, _image(f"vae-compare-{name.replace('_', '-')}", 360))
            with gr.Row():
                self.compare_md = gr.Markdown(elem_id="vae-compare-md")
                ae_status = gr.Markdown(elem_id="vae-ae-status")
                with gr.Column(min_width=220, scale=0):
                    self.ae_controls = ControlSet(
                        "vae-ae", tr(gr.Button, value="vae.ae_train", elem_id="vae-ae-train"),
                        stop=tr(gr.Button, value="live.stop", variant="stop", size="sm", elem_id="vae-ae-stop"),
                        status=ae_status, page=self.page)
            self.ae_scatter = gr.Plot(show_label=False, elem_id="vae-ae-scatter")

    # ------------------------------------------------------------ whole-tab updates
    def reset(self, data: dict) -> dict:
        s, lang = data[self.live.state], data[self.page.lang]
        s.reset()
        s.film.reset()
        s.curves_drawn = (len(s.history), lang)
        return {self.status: session.status_pretrained(s, lang), self.curves: fig.curves_figure(s.history, lang),
                self.film_btn: gr.update(interactive=False), self.film_files: gr.update(value=None, visible=False)}

    def film_ready(self, data: dict) -> dict:
        """After a stream ends (done, paused, stopped): the film button can be used once there are frames."""
        return {self.film_btn: gr.update(interactive=len(data[self.live.state].film) > 0)}

    def export_film(self, data: dict):
        """The training run's grid as an animated GIF and its last frame as PNG, for slides."""
        s, lang = data[self.live.state], data[self.page.lang]
        if not len(s.film):
            raise error("film.err.empty", lang)
        return gr.update(value=slides.export(s.film, lang).files, visible=True)

    def relabel(self, data: dict) -> dict:
        """After a language switch: the curves' texts and, for the shipped model, its status line."""
        s, lang = data[self.live.state], data[self.page.lang]
        status = self.live.status(s, lang) if s.run is not None else session.status_pretrained(s, lang)
        with s.held():
            s.curves_drawn = (len(s.history), lang)
            return {self.curves: fig.curves_figure(s.history, lang), self.status: status}

    def relabel_anomaly(self, data: dict) -> dict:
        """After a language switch: the anomaly run's status, its figures and note, at the threshold chosen."""
        s, lang = data[self.anomaly.state], data[self.page.lang]
        out = {}
        if s.run is not None:
            out[self.anomaly_controls.status] = self.anomaly.status(s, lang)
        if s.result is not None:
            value = data[self.threshold_slider]
            value = float(value) if isinstance(value, (int, float)) and np.isfinite(value) else None
            out[self.hist], out[self.roc], out[self.anomaly_md] = fig.anomaly_figures(s.result, value, lang)
        return out

    # ------------------------------------------------------------ wiring
    def wire(self) -> None:
        page, lang = self.page, self.page.lang
        self.live = Live(page, "vae", VaeSession, make_run=session.make_run,
                         render=session.train_render(self.curves, self.grid_img), where=session.train_where,
                         config=session.train_config, cpu_threads=THREADS)
        inputs = {**{name: self.settings[name] for name in TRAINING}, **self.grid_inputs}
        events = self.live.wire(self.controls, inputs=inputs, outputs=[self.curves, self.grid_img],
                                relabel=False)  # ``relabel`` redraws them, then ``refresh``
        state = self.live.state
        refresh = dict(fn=self.refresh, inputs=self.refresh_inputs, outputs=self.refresh_outputs, api_name=False,
                       show_progress="hidden")
        for name in ("start", "pause", "step"):  # a run paused, stopped or finished: every panel shows its model
            events[name].then(**refresh)
            events[name].then(*named(self.film_ready, {"session": state}), self.film_btn, api_name=False,
                              queue=False)
        base = {"session": state, "lang": lang}
        self.film_btn.click(*named(self.export_film, base), self.film_files, api_name="vae_film",
                            concurrency_id="film", concurrency_limit=1)
        self.wire_side_runs()
        self.reset_btn.click(*named(self.reset, base), [self.status, self.curves, self.film_btn, self.film_files],
                             api_name="vae_reset").then(**refresh)
        page.on_language(self.relabel, {state, lang}, [self.curves, self.status], then=refresh)
        if isinstance(self.tab, gr.Tab):  # opening the tab fills the panels from the session's (pretrained) model
            self.tab.select(**refresh)
            # and so does a link to it (``?tab=vae``, a lecture's moment), which fires no select
            page.on_open(lambda data, request=None: self.refresh(data),
                         {f"in{i}": c for i, c in enumerate(self.refresh_inputs)}, list(self.refresh_outputs),
                         dict(show_progress="hidden"), lands=lambda values: "instant view (the shipped VAE)")
        self.wire_tools(base)

    def wire_side_runs(self) -> None:
        """The autoencoder and the anomaly detection: live runs on the session's model (no Pause or Step)."""
        state = self.live.state
        compared = [self.vae_grid, self.ae_grid, self.ae_zoom, self.compare_md, self.ae_scatter]
        self.ae = Live(self.page, "vae_ae", AeSession, make_run=session.ae_run, render=session.ae_render(*compared),
                       where=session.ae_where, config=session.ae_config, cpu_threads=THREADS,
                       shared=False)  # it trains beside the session's own VAE
        self.ae.wire(self.ae_controls, inputs={"vae_session": state}, outputs=compared, relabel=False)
        scored = [self.hist, self.roc, self.anomaly_md, self.threshold_slider]
        self.anomaly = Live(self.page, "vae_anomaly", AnomalySession, make_run=session.anomaly_run,
                            render=session.anomaly_render(*scored), where=session.anomaly_where,
                            config=session.anomaly_config, cpu_threads=THREADS,
                            shared=False)  # it scores with the session's own VAE
        self.anomaly.wire(self.anomaly_controls, inputs={"vae_session": state, "scenario": self.scenario,
                                                         "holdout": self.holdout, "score": self.score},
                          outputs=scored, relabel=False)  # ``relabel_anomaly`` keeps the threshold chosen
        self.page.on_language(self.relabel_anomaly, {self.anomaly.state, self.page.lang, self.threshold_slider},
                              [self.anomaly_controls.status, self.hist, self.roc, self.anomaly_md])
        self.anomaly_made.made_by(self.anomaly_controls.start)
        # the model the result was made with is gone once the session's VAE trains again or goes back to the shipped one
        for button in (self.controls.start, self.controls.step, self.controls.pause):
            if button is not None:
                self.anomaly_made.invalidated_by(button, "stale.retrained")
        self.anomaly_made.invalidated_by(self.reset_btn, "stale.reset")
