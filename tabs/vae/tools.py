"""The VAE Explorer's latent tools on the session's model: the latent map (redraw, a click decodes a cell, the
scatter of codes), z = μ + σ·ε, interpolation, the anomaly threshold, and ``refresh``, which brings every panel up
to date with the session's model (after training, a reset, a language switch, opening the tab).

``LatentTools`` holds the handlers and their wiring; ``tabs.vae.layout.VaeTab`` builds the widgets they read.
"""

from __future__ import annotations

import gradio as gr
import numpy as np

from playground import vae as core
from playground.kit import knobs
from tabs.harness.i18n import error, t
from tabs.harness.live import NO_CHANGE
from tabs.harness.plots import image_grid
from tabs.harness.widgets import named, whole
from tabs.vae import figures as fig
from tabs.vae import session

EPS_SEED_MAX = 2**31 - 1


class LatentTools:
    """The handlers of the latent tools, each reading its inputs by name (a part of ``VaeTab``)."""

    def _spec(self, data: dict) -> core.GridSpec:
        return session.grid_spec({k: data[w] for k, w in self.grid_inputs.items()}, data[self.page.lang])

    def grid(self, data: dict) -> dict:
        s, lang = data[self.live.state], data[self.page.lang]
        spec = self._spec(data)
        with s.held():
            return {self.grid_img: session.draw_grid(s, spec, lang), self.cell: None,
                    self.cell_info: t("vae.cell_hint", lang)}

    def scatter(self, data: dict):
        s, lang = data[self.live.state], data[self.page.lang]
        spec = self._spec(data)
        try:
            spec = spec.for_latent(s.vae.latent)
        except ValueError:
            raise error("vae.err.dims", lang, hi=s.vae.latent - 1) from None
        with s.held():
            return fig.scatter_figure(s.vae, s.test, spec, lang)

    def pick_cell(self, data: dict, evt: gr.SelectData) -> dict:
        """A click on the latent grid: decode the z of that cell of the grid on screen, large."""
        s, lang = data[self.live.state], data[self.page.lang]
        view = s.view
        if view is None or view.z is None:
            raise error("vae.err.no_grid", lang)
        cell = view.cell_at(float(evt.index[0]), float(evt.index[1]))
        if cell is None:
            return {self.cell: NO_CHANGE, self.cell_info: t("vae.cell_border", lang)}
        row, col = cell
        z = view.z[row * view.spec.n + col]
        with s.held():
            image = core.decode_grid(s.vae, z[None])[0]
        coords = ", ".join(f"{v:+.2f}" for v in z.tolist()[:8]) + (" …" if len(z) > 8 else "")
        return {self.cell: fig.big(image.numpy()), self.cell_info: t("vae.cell_info", lang, row=row, col=col, z=coords)}

    def reparam(self, data: dict) -> dict:
        s, lang = data[self.live.state], data[self.page.lang]
        test = s.test
        i = whole(data[self.idx], 0, len(test) - 1, "vae.image_index", lang)
        seed = whole(data[self.eps_seed], 0, EPS_SEED_MAX, "vae.eps_seed", lang)
        with s.held():
            r = core.reparameterization_demo(s.vae, test.x[i], seed=seed)
        label = test.classes[int(test.y[i])]
        return {self.reparam_img: fig.reparam_strip(r), self.reparam_md: fig.reparam_table(r, label, lang),
                self.reparam_plot: fig.reparam_figure(r, lang)}

    def next_eps(self, data: dict) -> dict:
        """"Draw a new epsilon": the next seed and its z, in one event (two chained events took one more round
        trip through the queue, about half the wait on a busy machine)."""
        seed = whole(data[self.eps_seed], 0, EPS_SEED_MAX, "vae.eps_seed", data[self.page.lang])
        data = {**data, self.eps_seed: (seed + 1) % (EPS_SEED_MAX + 1)}
        return {self.eps_seed: data[self.eps_seed], **self.reparam(data)}

    def interpolate(self, data: dict) -> dict:
        s, lang = data[self.live.state], data[self.page.lang]
        test = s.test
        a = whole(data[self.ia], 0, len(test) - 1, "vae.image_a", lang)
        b = whole(data[self.ib], 0, len(test) - 1, "vae.image_b", lang)
        steps = whole(data[self.steps], 2, 32, "vae.steps", lang)
        with s.held():
            strip = core.interpolate(s.vae, test.x[a], test.x[b], steps)  # (steps, H, W)
        images = np.concatenate([test.x[a, :1].numpy(), strip.numpy(), test.x[b, :1].numpy()])
        caption = t("vae.interp_caption", lang, a=test.classes[int(test.y[a])], b=test.classes[int(test.y[b])])
        return {self.interp: image_grid(images, ncol=len(images), pad=2, scale=max(1, 64 // images.shape[-1])),
                self.interp_md: caption}

    def threshold(self, data: dict) -> dict:
        lang, res = data[self.page.lang], data[self.anomaly.state].result
        if res is None:
            raise error("vae.err.no_anomaly", lang)
        try:
            value = knobs.coerce("threshold", knobs.Limit(-1e9, 1e9), data[self.threshold_slider])
        except knobs.KnobError:
            raise error("vae.err.threshold", lang) from None
        h, r, n = fig.anomaly_figures(res, value, lang)
        return {self.hist: h, self.roc: r, self.anomaly_md: n}

    # ------------------------------------------------------------ every panel from the session's model
    def _clean_boxes(self, data: dict, top: int) -> dict:
        """Values out of range in the tools' boxes (a model with fewer test images) go back to what they can be."""
        out = {}
        for box in (self.idx, self.ia, self.ib):
            value = data[box] if isinstance(data[box], (int, float)) and 0 <= data[box] <= top else 0
            data[box] = out[box] = int(value)
        if not isinstance(data[self.eps_seed], (int, float)) or not 0 <= data[self.eps_seed] < 2**31:
            data[self.eps_seed] = 0
        if not isinstance(data[self.steps], (int, float)) or not 2 <= data[self.steps] <= 32:
            data[self.steps] = 10
        return out

    def refresh(self, data: dict) -> dict:
        """Everything that depends on the session's model (after training, a reset, a language switch)."""
        s, lang = data[self.live.state], data[self.page.lang]
        out = {self.cell: None, self.cell_info: t("vae.cell_hint", lang), **self._clean_boxes(data, len(s.test) - 1)}
        latent = s.vae.latent
        out[self.mode] = gr.update(visible=latent > 2)
        out[self.dim_x] = out[self.dim_y] = gr.update(visible=latent > 2, maximum=latent - 1)
        try:
            spec = self._spec(data).for_latent(latent)
        except (gr.Error, ValueError):
            spec = s.view.spec if s.view is not None else core.GridSpec()
        with s.held():
            epochs = len(s.history)
            if s.curves_drawn != (epochs, lang):
                out[self.curves] = fig.curves_figure(s.history, lang)
                s.curves_drawn = (epochs, lang)
            trained = s.run is not None and s.run.latest is not None  # the model moved since drawn
            if trained or s.view is None or s.view.spec != spec or s.view.z is None:
                out[self.grid_img], s.view = fig.draw_grid(s.vae, spec, s.test.x)
            out[self.scatter_plot] = fig.scatter_figure(s.vae, s.test, s.view.spec, lang)
            v, a, w, note = session.compare_pictures(s, lang)
            out.update({self.vae_grid: v, self.ae_grid: a, self.ae_zoom: w, self.compare_md: note})
            out[self.ae_scatter] = (fig.scatter_figure(s.ae, s.test, core.GridSpec(), lang)
                                    if s.ae is not None else None)
        out.update(self.reparam(data))
        out.update(self.interpolate(data))
        return out

    @property
    def refresh_outputs(self) -> set:
        return {self.curves, self.grid_img, self.scatter_plot, self.reparam_img, self.reparam_md, self.reparam_plot,
                self.interp, self.interp_md, self.vae_grid, self.ae_grid, self.ae_zoom, self.compare_md,
                self.ae_scatter, self.idx, self.ia, self.ib, self.mode, self.dim_x, self.dim_y, self.cell,
                self.cell_info}

    @property
    def refresh_inputs(self) -> set:
        return {self.live.state, self.page.lang, *self.grid_inputs.values(), self.idx, self.eps_seed, self.ia, self.ib,
                self.steps}

    # ------------------------------------------------------------ wiring
    def wire_tools(self, base: dict) -> None:
        """``base``: the session and the language, by their names in the API."""
        state, lang = self.live.state, self.page.lang
        quiet = dict(show_progress="hidden")  # an error leaves the figures as they were (a toast says why)
        gr.on([self.grid_btn.click, self.grid_inputs["grid_n"].release, self.grid_inputs["grid_lo"].submit,
               self.grid_inputs["grid_hi"].submit],
              *named(self.grid, {**base, **self.grid_inputs}), [self.grid_img, self.cell, self.cell_info],
              api_name="vae_grid", **quiet)
        gr.on([self.grid_btn.click, self.mode.input], self.scatter, {state, lang, *self.grid_inputs.values()},
              self.scatter_plot, api_name=False, **quiet)
        self.grid_img.select(self.pick_cell, {state, lang}, {self.cell, self.cell_info}, api_name=False, **quiet)
        reparam = named(self.reparam, {**base, "image": self.idx, "eps_seed": self.eps_seed})
        reparam_out = [self.reparam_img, self.reparam_md, self.reparam_plot]
        gr.on([self.idx.submit, self.idx.blur, self.eps_seed.submit], *reparam, reparam_out, api_name="vae_reparam",
              trigger_mode="always_last", **quiet)
        self.eps_btn.click(self.next_eps, {state, lang, self.idx, self.eps_seed}, [self.eps_seed, *reparam_out],
                           api_name=False, **quiet)
        gr.on([self.ia.submit, self.ia.blur, self.ib.submit, self.ib.blur, self.steps.release],
              *named(self.interpolate, {**base, "image_a": self.ia, "image_b": self.ib, "steps": self.steps}),
              [self.interp, self.interp_md], api_name="vae_interpolate", trigger_mode="always_last", **quiet)
        self.threshold_slider.release(*named(self.threshold, {"anomaly_session": self.anomaly.state, "lang": lang,
                                                              "threshold": self.threshold_slider}),
                                      [self.hist, self.roc, self.anomaly_md], api_name="vae_threshold", **quiet)
