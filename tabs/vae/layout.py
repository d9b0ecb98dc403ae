"""The VAE Explorer's layout and event wiring (the handlers are ``tabs.vae.VaeTab`` methods)."""

from __future__ import annotations

import gradio as gr

from playground import vae as core
from playground.data.images import available_image_sets
from tabs import urlstate
from tabs.common import lesson, on_language
from tabs.i18n import t
from tabs.live import Live
from tabs.vae import figures as fig
from tabs.vae import session as ses
from tabs.vae import slides
from tabs.widgets import knob_widget, named


def _caption(tr, key: str) -> None:
    """An image's title above it (a gr.Image label would sit on top of the picture)."""
    tr(gr.Markdown, value=key, elem_classes=["image-caption"])


def _image(elem_id: str, height: int, **kw) -> gr.Image:
    # PNG: lossless for crisp digit grids, and two to three times faster to encode than WebP here
    return gr.Image(show_label=False, interactive=False, elem_id=elem_id, height=height, format="png", **kw)


def layout(tr, ui) -> None:
    lesson(tr, "vae.lesson", open=False)
    start = ses.VaeSession()
    cfg0 = core.VaeConfig()
    C = core.VaeConfig
    with gr.Row():
        with gr.Column(scale=2, min_width=320):
            choices = [("MNIST (5,000)", "mnist"), ("scikit-learn digits 8×8", "digits")]
            if "fashion" in available_image_sets():
                choices.append(("Fashion-MNIST", "fashion"))
            ui.data = tr(gr.Dropdown, label="vae.data", info="vae.data_info", choices=choices, value=cfg0.data,
                         elem_id="vae-data")
            ui.arch = tr(gr.Radio, label="vae.arch", choices=[("vae.arch.mlp", "mlp"), ("vae.arch.conv", "conv")],
                         value=cfg0.arch, elem_id="vae-arch")
            with gr.Row():
                ui.latent = knob_widget(tr, C, "latent", "vae.latent", slider=True, info="vae.latent_info",
                                        elem_id="vae-latent")
                ui.beta = knob_widget(tr, C, "beta", "vae.beta", slider=True, info="vae.beta_info",
                                      elem_id="vae-beta")
            with gr.Row():
                ui.epochs = knob_widget(tr, C, "epochs", "vae.epochs", slider=True, elem_id="vae-epochs")
                ui.hidden = knob_widget(tr, C, "hidden", "vae.hidden", slider=True, elem_id="vae-hidden")
            with gr.Row():
                ui.lr = knob_widget(tr, C, "lr", "vae.lr", elem_id="vae-lr")
                ui.batch = knob_widget(tr, C, "batch_size", "vae.batch", elem_id="vae-batch")
                ui.seed = knob_widget(tr, C, "seed", "app.seed", elem_id="vae-seed")
            with gr.Row():
                ui.start = tr(gr.Button, value="live.start", variant="primary", elem_id="vae-train")
                ui.pause = tr(gr.Button, value="live.pause_resume", elem_id="vae-pause")
                ui.step = tr(gr.Button, value="live.step", elem_id="vae-step")
                ui.stop = tr(gr.Button, value="live.stop", variant="stop", elem_id="vae-stop")
            ui.reset_btn = tr(gr.Button, value="vae.reset", size="sm", elem_id="vae-reset")
            ui.status = gr.Markdown(ses.status_pretrained(start, "en"), elem_id="vae-status")
            ui.film_btn = tr(gr.Button, value="film.button", size="sm", elem_id="vae-film", interactive=False)
            ui.film_files = tr(gr.File, label="film.files", file_count="multiple", interactive=False,
                               elem_id="vae-film-files", visible=False, height=110)
        with gr.Column(scale=3):
            ui.curves = gr.Plot(fig.curves_figure(start.history, "en"), show_label=False, elem_id="vae-curves")
            tr(gr.Markdown, value="vae.curves_help")

    tr(gr.Markdown, value="vae.map_heading")
    with gr.Row():
        with gr.Column(scale=3):
            _caption(tr, "vae.grid")
            picture, _ = fig.draw_grid(start.vae, core.GridSpec())
            ui.grid_img = _image("vae-grid", 600, value=picture, buttons=["download"])
        with gr.Column(scale=2, min_width=280):
            _caption(tr, "vae.cell")
            ui.cell = _image("vae-cell", 240, elem_classes=["grid-image"])
            ui.cell_info = gr.Markdown(t("vae.cell_hint"), elem_id="vae-cell-info")
            G = core.GridSpec
            ui.grid_n = knob_widget(tr, G, "n", "vae.grid_n", slider=True, elem_id="vae-grid-n")
            with gr.Row():
                ui.lo = knob_widget(tr, G, "lo", "vae.lo", elem_id="vae-lo")
                ui.hi = knob_widget(tr, G, "hi", "vae.hi", elem_id="vae-hi")
            ui.mode = tr(gr.Radio, label="vae.mode", choices=[("vae.mode.dims", "dims"), ("vae.mode.pca", "pca")],
                         value="dims", visible=False, elem_id="vae-mode")
            with gr.Row():
                ui.dim_x = knob_widget(tr, G, "dim_x", "vae.dim_x", visible=False)
                ui.dim_y = knob_widget(tr, G, "dim_y", "vae.dim_y", visible=False)
            ui.grid_btn = tr(gr.Button, value="vae.redraw", elem_id="vae-redraw")
    ui.scatter_plot = gr.Plot(show_label=False, elem_id="vae-scatter")

    with tr(gr.Accordion, label="vae.reparam", open=True):
        tr(gr.Markdown, value="vae.reparam_help")
        with gr.Row():
            ui.idx = tr(gr.Number, label="vae.image_index", info="vae.image_index_info", value=0, step=1,
                        elem_id="vae-idx")
            ui.eps_seed = tr(gr.Number, label="vae.eps_seed", value=0, step=1, elem_id="vae-eps-seed")
            ui.eps_btn = tr(gr.Button, value="vae.draw_eps", scale=0, min_width=160, elem_id="vae-eps")
        with gr.Row():
            with gr.Column(scale=2):
                _caption(tr, "vae.reparam_images")
                ui.reparam_img = _image("vae-reparam-img", 200, elem_classes=["grid-image"])
                ui.reparam_md = gr.Markdown(elem_id="vae-reparam-md")
            ui.reparam_plot = gr.Plot(show_label=False)

    with tr(gr.Accordion, label="vae.interp", open=True):
        with gr.Row():
            ui.ia = tr(gr.Number, label="vae.image_a", value=0, step=1, elem_id="vae-ia")
            ui.ib = tr(gr.Number, label="vae.image_b", value=1, step=1, elem_id="vae-ib")
            ui.steps = tr(gr.Slider, label="vae.steps", minimum=2, maximum=32, step=1, value=10)
        _caption(tr, "vae.interp_strip")
        ui.interp = _image("vae-interp", 130, elem_classes=["grid-image"])
        ui.interp_md = gr.Markdown()

    with tr(gr.Accordion, label="vae.anomaly", open=True):
        tr(gr.Markdown, value="vae.anomaly_help")
        fashion = "fashion" in available_image_sets()
        with gr.Row():
            scenarios = [("vae.scenario.other", "other")] if fashion else []
            ui.scenario = tr(gr.Radio, label="vae.scenario", value="other" if fashion else "holdout",
                             choices=scenarios + [("vae.scenario.holdout", "holdout")], elem_id="vae-scenario")
            ui.holdout = tr(gr.Dropdown, label="vae.holdout", choices=[(str(i), str(i)) for i in range(10)], value="0",
                            allow_custom_value=True, elem_id="vae-holdout")  # checked (translated) by the handler
            ui.score = tr(gr.Radio, label="vae.score", choices=[("vae.score.recon", "recon"),
                                                                ("vae.score.elbo", "elbo")], value="recon")
            with gr.Column(min_width=200, scale=0):
                ui.anomaly_btn = tr(gr.Button, value="vae.anomaly_run", variant="primary", elem_id="vae-anomaly-run")
                ui.anomaly_stop = tr(gr.Button, value="live.stop", variant="stop", size="sm", elem_id="vae-anomaly-stop")
        if not fashion:
            tr(gr.Markdown, value="vae.no_fashion_note")
        ui.anomaly_status = gr.Markdown(elem_id="vae-anomaly-status")
        ui.threshold_slider = tr(gr.Slider, label="vae.threshold", minimum=0, maximum=1000, value=200, step=0.1,
                                 elem_id="vae-threshold")
        ui.anomaly_md = gr.Markdown(elem_id="vae-anomaly-md")
        with gr.Row():
            ui.hist = gr.Plot(show_label=False, elem_id="vae-hist")
            ui.roc = gr.Plot(show_label=False, elem_id="vae-roc")

    with tr(gr.Accordion, label="vae.compare", open=True):
        tr(gr.Markdown, value="vae.compare_help")
        with gr.Row():
            for key, name in (("vae.compare_vae", "vae_grid"), ("vae.compare_ae", "ae_grid"),
                              ("vae.compare_ae_zoom", "ae_zoom")):
                with gr.Column(min_width=200):
                    _caption(tr, key)
                    setattr(ui, name, _image(f"vae-compare-{name.replace('_', '-')}", 360))
        with gr.Row():
            ui.compare_md = gr.Markdown(elem_id="vae-compare-md")
            ui.ae_status = gr.Markdown(elem_id="vae-ae-status")
            with gr.Column(min_width=220, scale=0):
                ui.ae_btn = tr(gr.Button, value="vae.ae_train", elem_id="vae-ae-train")
                ui.ae_stop = tr(gr.Button, value="live.stop", variant="stop", size="sm", elem_id="vae-ae-stop")
        ui.ae_scatter = gr.Plot(show_label=False, elem_id="vae-ae-scatter")

    for name, widget in dict(data=ui.data, arch=ui.arch, latent=ui.latent, beta=ui.beta, epochs=ui.epochs,
                             hidden=ui.hidden, lr=ui.lr, batch_size=ui.batch, seed=ui.seed, grid_n=ui.grid_n,
                             lo=ui.lo, hi=ui.hi).items():
        urlstate.share("vae", name, widget)
    urlstate.link_button(tr, "vae")


def _quiet(events: dict) -> None:
    """A live run's status line is its progress: no overlay on its outputs, so an error (a toast) never puts
    an "Error" badge over the figures on screen. (``Live.wire`` has no ``show_progress`` argument yet.)"""
    for event in events.values():
        gr.context.Context.root_block.fns[event["id"]].show_progress = "hidden"


def wire(ui) -> None:
    lang = ui.lang
    ui.grid_inputs = {"grid_n": ui.grid_n, "grid_lo": ui.lo, "grid_hi": ui.hi, "grid_mode": ui.mode,
                      "dim_x": ui.dim_x, "dim_y": ui.dim_y}
    train = Live("vae", ses.VaeSession, make_run=slides.filmed_run(ses.train_run), render=ses.train_render(ui.curves, ui.grid_img),
                 where=ses.train_where, config=ses.train_config)
    events = train.wire(lang, inputs={"data": ui.data, "arch": ui.arch, "latent": ui.latent, "hidden": ui.hidden,
                                      "beta": ui.beta, "epochs": ui.epochs, "lr": ui.lr, "batch_size": ui.batch,
                                      "seed": ui.seed, **ui.grid_inputs},
                        outputs=[ui.curves, ui.grid_img], status=ui.status, start=ui.start, pause=ui.pause,
                        step=ui.step, stop=ui.stop)
    _quiet(events)
    ui.state, ui.live = train.state, train
    refresh = dict(fn=ui.refresh, inputs=ui.refresh_inputs, outputs=ui.refresh_outputs, api_name=False,
                   show_progress="hidden")
    for name in ("start", "pause", "step"):  # a run paused, stopped or finished: every panel shows its model
        events[name].then(**refresh)
        events[name].then(lambda s: gr.update(interactive=len(s.film) > 0), ui.state, ui.film_btn, api_name=False,
                          queue=False)
    ui.film_btn.click(*named(ui.export_film, {"session": ui.state, "lang": lang}), ui.film_files,
                      api_name="vae_film", concurrency_id="film", concurrency_limit=1)

    ae = Live("vae_ae", ses.AeSession, make_run=ses.ae_run,
              render=ses.ae_render(ui.vae_grid, ui.ae_grid, ui.ae_zoom, ui.compare_md, ui.ae_scatter),
              where=ses.ae_where, config=ses.ae_config)
    ae_events = ae.wire(lang, inputs={"vae_session": ui.state},
                        outputs=[ui.vae_grid, ui.ae_grid, ui.ae_zoom, ui.compare_md, ui.ae_scatter],
                        status=ui.ae_status, start=ui.ae_btn, stop=ui.ae_stop)
    _quiet(ae_events)

    ui.anomaly = Live("vae_anomaly", ses.AnomalySession, make_run=ses.anomaly_run,
                      render=ses.anomaly_render(ui.hist, ui.roc, ui.anomaly_md, ui.threshold_slider),
                      where=ses.anomaly_where, config=ses.anomaly_config)
    anomaly_events = ui.anomaly.wire(
        lang, inputs={"vae_session": ui.state, "scenario": ui.scenario, "holdout": ui.holdout, "score": ui.score},
        outputs=[ui.hist, ui.roc, ui.anomaly_md, ui.threshold_slider], status=ui.anomaly_status,
        start=ui.anomaly_btn, stop=ui.anomaly_stop)
    _quiet(anomaly_events)

    quiet = dict(show_progress="hidden")  # an error leaves the figures as they were (a toast says why)
    base = {"session": ui.state, "lang": lang}
    ui.reset_btn.click(*named(ui.reset, base), [ui.status, ui.curves, ui.film_btn, ui.film_files],
                       api_name="vae_reset").then(**refresh)
    on_language(lang, ui.relabel, {ui.state, lang}, [ui.curves, ui.status], then=refresh)
    tab = gr.context.get_render_context()
    if isinstance(tab, gr.Tab):  # opening the tab fills the panels from the session's (pretrained) model
        tab.select(**refresh)

    gr.on([ui.grid_btn.click, ui.grid_n.release, ui.lo.submit, ui.hi.submit],
          *named(ui.grid, {**base, **ui.grid_inputs}), [ui.grid_img, ui.cell, ui.cell_info], api_name="vae_grid",
          **quiet)
    gr.on([ui.grid_btn.click, ui.mode.input], ui.scatter, {ui.state, lang, *ui.grid_inputs.values()},
          ui.scatter_plot, api_name=False, **quiet)
    ui.grid_img.select(ui.pick_cell, {ui.state, lang}, {ui.cell, ui.cell_info}, api_name=False, **quiet)

    reparam = named(ui.reparam, {**base, "image": ui.idx, "eps_seed": ui.eps_seed})
    reparam_out = [ui.reparam_img, ui.reparam_md, ui.reparam_plot]
    gr.on([ui.idx.submit, ui.idx.blur, ui.eps_seed.submit], *reparam, reparam_out, api_name="vae_reparam",
          trigger_mode="always_last", **quiet)
    ui.eps_btn.click(ui.next_eps, {ui.eps_seed, lang}, ui.eps_seed, api_name=False, **quiet).then(
        *reparam, reparam_out, api_name=False, **quiet)
    gr.on([ui.ia.submit, ui.ia.blur, ui.ib.submit, ui.ib.blur, ui.steps.release],
          *named(ui.interpolate, {**base, "image_a": ui.ia, "image_b": ui.ib, "steps": ui.steps}),
          [ui.interp, ui.interp_md], api_name="vae_interpolate", trigger_mode="always_last", **quiet)
    ui.threshold_slider.release(*named(ui.threshold, {"anomaly_session": ui.anomaly.state, "lang": lang,
                                                      "threshold": ui.threshold_slider}),
                                [ui.hist, ui.roc, ui.anomaly_md], api_name="vae_threshold", **quiet)
