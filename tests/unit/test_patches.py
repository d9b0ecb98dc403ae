"""The app's only process-wide changes to Gradio (``tabs.harness.patches``), checked against the pinned release:
each rests on a private detail of Gradio 6.31 (a component's ``preprocess``, ``gr.Plot.postprocess`` returning
``PlotData``), so a new Gradio that changes them must fail here, not in a classroom."""

from __future__ import annotations

import json

import gradio as gr
from gradio.components.plot import PlotData

from tabs.harness import patches

patches.apply()


def test_the_pinned_gradio_is_the_one_these_patches_were_written_for():
    assert gr.__version__.startswith("6.31."), gr.__version__  # requirements.txt pins gradio==6.31.*


def test_every_hardened_input_kind_is_wrapped_once():
    for cls in patches.HARDENED:
        assert getattr(cls.preprocess, "_hardened", False), cls.__name__
    before = gr.Slider.preprocess
    patches.apply()  # a second build of the app does not wrap again
    assert gr.Slider.preprocess is before


def test_a_plotly_figure_gets_the_slide_sized_camera_button():
    plot = gr.Plot(elem_id="gan-plane")
    out = plot.postprocess(PlotData(type="plotly", plot=json.dumps({"data": [], "layout": {"height": 300}})))
    figure = json.loads(out.plot)
    assert figure["config"]["toImageButtonOptions"] == {"format": "png", "scale": 3, "filename": "gan-plane"}
    assert figure["layout"] == {"height": 300}
    own = PlotData(type="plotly", plot='{"config": {"displaylogo": true}, "data": []}')
    assert plot.postprocess(own).plot == own.plot  # a figure's own config is left alone
