"""VAE Explorer: train a VAE (or start from the shipped one), walk its latent space, detect anomalies.

Training runs through the live-run harness (``tabs.live``: Start / Pause-Resume / Step / Stop); the
session's models live in its ``VaeSession`` (``tabs/vae/session.py``), figures are drawn in
``tabs/vae/figures.py``. Every handler takes named inputs and checks them first, answering in the user's
language; an error leaves the figures on screen as they were.
"""

from __future__ import annotations

import gradio as gr
import numpy as np

from playground.kit import knobs
from playground import vae as core
from tabs.i18n import error, t
from tabs.live import NO_CHANGE
from tabs.plots import image_grid
from tabs.vae import figures as fig
from tabs.vae import session as ses
from tabs.vae import slides
from tabs.widgets import whole

EPS_SEED_MAX = 2**31 - 1


class VaeTab:
    """The tab's widgets (built in ``build``) and its handlers, each reading its inputs by name."""

    # ------------------------------------------------------------ latent tools
    def grid(self, data: dict):
        lang, session = data[self.lang], data[self.state]
        spec = ses.grid_spec({k: data[w] for k, w in self.grid_inputs.items()}, lang)
        with session.models():
            return {self.grid_img: ses.draw_grid(session, spec, lang), self.cell: None,
                    self.cell_info: t("vae.cell_hint", lang)}

    def scatter(self, data: dict):
        lang, session = data[self.lang], data[self.state]
        spec = ses.grid_spec({k: data[w] for k, w in self.grid_inputs.items()}, lang)
        try:
            spec = spec.for_latent(session.vae.latent)
        except ValueError:
            raise error("vae.err.dims", lang, hi=session.vae.latent - 1) from None
        with session.models():
            return fig.scatter_figure(session.vae, session.test, spec, lang)

    def pick_cell(self, data: dict, evt: gr.SelectData):
        """A click on the latent grid: decode the z of that cell of the grid on screen, large."""
        lang, session = data[self.lang], data[self.state]
        view = session.view
        if view is None or view.z is None:
            raise error("vae.err.no_grid", lang)
        cell = view.cell_at(float(evt.index[0]), float(evt.index[1]))
        if cell is None:
            return {self.cell: NO_CHANGE, self.cell_info: t("vae.cell_border", lang)}
        row, col = cell
        z = view.z[row * view.spec.n + col]
        with session.models():
            image = core.decode_grid(session.vae, z[None])[0]
        coords = ", ".join(f"{v:+.2f}" for v in z.tolist()[:8]) + (" …" if len(z) > 8 else "")
        return {self.cell: fig.big(image.numpy()), self.cell_info: t("vae.cell_info", lang, row=row, col=col, z=coords)}

    def reparam(self, data: dict):
        lang, session = data[self.lang], data[self.state]
        test = session.test
        i = whole(data[self.idx], 0, len(test) - 1, "vae.image_index", lang)
        seed = whole(data[self.eps_seed], 0, EPS_SEED_MAX, "vae.eps_seed", lang)
        with session.models():
            r = core.reparameterization_demo(session.vae, test.x[i], seed=seed)
        label = test.classes[int(test.y[i])]
        return {self.reparam_img: fig.reparam_strip(r), self.reparam_md: fig.reparam_table(r, label, lang),
                self.reparam_plot: fig.reparam_figure(r, lang)}

    def next_eps(self, data: dict):
        seed = whole(data[self.eps_seed], 0, EPS_SEED_MAX, "vae.eps_seed", data[self.lang])
        return (seed + 1) % (EPS_SEED_MAX + 1)

    def interpolate(self, data: dict):
        lang, session = data[self.lang], data[self.state]
        test = session.test
        a = whole(data[self.ia], 0, len(test) - 1, "vae.image_a", lang)
        b = whole(data[self.ib], 0, len(test) - 1, "vae.image_b", lang)
        steps = whole(data[self.steps], 2, 32, "vae.steps", lang)
        with session.models():
            strip = core.interpolate(session.vae, test.x[a], test.x[b], steps)  # (steps, H, W)
        images = np.concatenate([test.x[a, :1].numpy(), strip.numpy(), test.x[b, :1].numpy()])
        caption = t("vae.interp_caption", lang, a=test.classes[int(test.y[a])], b=test.classes[int(test.y[b])])
        return {self.interp: image_grid(images, ncol=len(images), pad=2, scale=max(1, 64 // images.shape[-1])),
                self.interp_md: caption}

    def threshold(self, data: dict):
        lang, res = data[self.lang], data[self.anomaly.state].result
        if res is None:
            raise error("vae.err.no_anomaly", lang)
        try:
            value = knobs.coerce("threshold", knobs.Limit(-1e9, 1e9), data[self.threshold_slider])
        except knobs.KnobError:
            raise error("vae.err.threshold", lang) from None
        h, r, n = fig.anomaly_figures(res, value, lang)
        return {self.hist: h, self.roc: r, self.anomaly_md: n}

    # ------------------------------------------------------------ whole-tab updates
    def reset(self, data: dict):
        session, lang = data[self.state], data[self.lang]
        session.reset()
        session.film.reset()
        session.curves_drawn = (len(session.history), lang)
        return {self.status: ses.status_pretrained(session, lang), self.curves: fig.curves_figure(session.history, lang),
                self.film_btn: gr.update(interactive=False), self.film_files: gr.update(value=None, visible=False)}

    def export_film(self, data: dict):
        """The training run's grid as an animated GIF and its last frame as PNG, for slides."""
        session, lang = data[self.state], data[self.lang]
        if not len(session.film):
            raise error("film.err.empty", lang)
        return gr.update(value=slides.export(session.film, lang).files, visible=True)

    def relabel(self, data: dict):
        """After a language switch: the curves' texts and, for the shipped model, its status line."""
        session, lang = data[self.state], data[self.lang]
        status = self.live.status(session, lang) if session.run is not None else ses.status_pretrained(session, lang)
        with session.models():
            session.curves_drawn = (len(session.history), lang)
            return {self.curves: fig.curves_figure(session.history, lang), self.status: status}

    def refresh(self, data: dict):
        """Everything that depends on the session's model (after training, a reset, a language switch)."""
        session, lang = data[self.state], data[self.lang]
        out = {self.cell: None, self.cell_info: t("vae.cell_hint", lang)}
        top = len(session.test) - 1
        for box in (self.idx, self.ia, self.ib):
            value = data[box] if isinstance(data[box], (int, float)) and 0 <= data[box] <= top else 0
            data[box] = int(value)
            out[box] = int(value)
        if not isinstance(data[self.eps_seed], (int, float)) or not 0 <= data[self.eps_seed] < 2**31:
            data[self.eps_seed] = 0
        if not isinstance(data[self.steps], (int, float)) or not 2 <= data[self.steps] <= 32:
            data[self.steps] = 10
        latent = session.vae.latent
        out[self.mode] = gr.update(visible=latent > 2)
        out[self.dim_x] = out[self.dim_y] = gr.update(visible=latent > 2, maximum=latent - 1)
        try:
            spec = ses.grid_spec({k: data[w] for k, w in self.grid_inputs.items()}, lang).for_latent(latent)
        except (gr.Error, ValueError):
            spec = session.view.spec if session.view is not None else core.GridSpec()
        with session.models():
            epochs = len(session.history)
            if session.curves_drawn != (epochs, lang):
                out[self.curves] = fig.curves_figure(session.history, lang)
                session.curves_drawn = (epochs, lang)
            trained = session.run is not None and session.run.latest is not None  # the model moved since drawn
            if trained or session.view is None or session.view.spec != spec or session.view.z is None:
                out[self.grid_img], session.view = fig.draw_grid(session.vae, spec, session.test.x)
            out[self.scatter_plot] = fig.scatter_figure(session.vae, session.test, session.view.spec, lang)
            v, a, w, note = ses.compare_pictures(session, lang)
            out.update({self.vae_grid: v, self.ae_grid: a, self.ae_zoom: w, self.compare_md: note})
            out[self.ae_scatter] = (fig.scatter_figure(session.ae, session.test, core.GridSpec(), lang)
                                    if session.ae is not None else None)
        out.update(self.reparam(data))
        out.update(self.interpolate(data))
        return out

    @property
    def refresh_outputs(self) -> set:
        return {self.curves, self.grid_img, self.scatter_plot, self.reparam_img, self.reparam_md, self.reparam_plot, self.interp,
                self.interp_md, self.vae_grid, self.ae_grid, self.ae_zoom, self.compare_md, self.ae_scatter,
                self.idx, self.ia, self.ib, self.mode, self.dim_x, self.dim_y, self.cell, self.cell_info}

    @property
    def refresh_inputs(self) -> set:
        return {self.state, self.lang, *self.grid_inputs.values(), self.idx, self.eps_seed, self.ia, self.ib,
                self.steps}


def build(tr, lang: gr.Radio) -> None:
    from tabs.vae.layout import layout, wire  # the layout module imports this one's neighbours

    ui = VaeTab()
    ui.lang = lang
    layout(tr, ui)
    wire(ui)
