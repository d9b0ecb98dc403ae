"""Slide pictures from plotly figures (``tabs.harness.stills``): what the slide draws is the figure's own data."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest
from PIL import Image

from tabs.harness import plots, stills
from tabs.harness.film import SLIDE


def test_lines_keep_their_data_names_and_axes():
    fig = plots.lines_figure(range(5), {"pre-LN": [3.0, 2.5, 2.2, 2.1, 2.0], "post-LN": [3.4] * 5}, "Loss",
                             "step", "nats", log_y=True)
    out = stills.slide(fig)
    ax = out.axes[0]
    lines = {tuple(line.get_ydata()) for line in ax.get_lines()}
    assert lines == {(3.0, 2.5, 2.2, 2.1, 2.0), (3.4,) * 5}
    assert ax.get_yscale() == "log" and ax.get_xlabel() == "step" and ax.get_ylabel() == "nats"
    assert [t.get_text() for t in out.legends[0].get_texts()] == ["pre-LN", "post-LN"]
    assert any(t.get_text() == "Loss" for t in out.texts)
    assert tuple(round(v) for v in out.get_size_inches() * out.dpi) == SLIDE


def test_a_heatmap_is_its_matrix_and_panels_keep_their_places():
    z = [[0.1, 0.9], [0.6, 0.4]]
    spec = {"data": [{"type": "scatter", "x": [1, 2], "y": [3, 4], "xaxis": "x", "yaxis": "y"},
                     {"type": "heatmap", "z": z, "x": ["the", "cat"], "y": ["the", "cat"], "xaxis": "x2",
                      "yaxis": "y2", "colorscale": "Viridis"}],
            "layout": {"xaxis": {"domain": [0, 0.45]}, "xaxis2": {"domain": [0.55, 1]},
                       "yaxis2": {"autorange": "reversed"},
                       "annotations": [{"text": "<b>layer 1</b>", "x": 0.2, "y": 1.02, "xref": "paper",
                                        "yref": "paper"}]}}
    out = stills.slide(plots.plot_json(spec["data"], spec["layout"]))
    left, right = out.axes[0], out.axes[1]  # then the colour bar
    assert left.get_position().x1 < right.get_position().x0  # side by side, as the domains say
    assert np.array_equal(right.images[0].get_array(), np.array(z))
    assert [t.get_text() for t in right.get_xticklabels()] == ["the", "cat"]
    assert right.yaxis_inverted()
    assert any(t.get_text() == "layer 1" for t in out.texts)  # the panel's title, its HTML gone


def test_text_markup_and_colours_are_read_as_plotly_writes_them():
    assert stills.text_of("a<br>b") == "a\nb" and stills.text_of({"text": "10<sup>-3</sup>"}) == "10$^{-3}$"
    assert stills.text_of("<b>x</b> &amp; y") == "x & y"
    assert stills.colour("rgba(255, 0, 0, 0.5)") == (1.0, 0.0, 0.0, 0.5) and stills.colour("#2563eb") == "#2563eb"
    assert stills.colour("not a colour", "black") == "black"


def test_a_long_legend_takes_more_rows_within_the_slide_and_the_panels_make_room():
    names = [f"a strategy with a long descriptive name {i}" for i in range(5)]
    fig = go.Figure([go.Scatter(x=[0, 1], y=[i, i + 1], name=n) for i, n in enumerate(names)])
    out = stills.slide(fig)
    renderer = out.canvas.get_renderer()
    box = out.legends[0].get_window_extent(renderer)
    assert box.x0 >= 0 and box.x1 <= out.bbox.width  # every name on the slide
    assert out.axes[0].get_position().y0 > box.y1 / out.bbox.height  # the panel above the legend


def test_save_writes_a_png_at_slide_size_and_an_svg_per_figure():
    fig = plots.lines_figure(range(3), {"a": [1, 2, 3]}, "A", "x", "y")
    paths = stills.save({"lab-ln-loss": fig, "empty": None}, "lab ln")
    assert [p.name for p in paths] == ["lab-ln-lab-ln-loss.png", "lab-ln-lab-ln-loss.svg"]
    assert Image.open(paths[0]).size == SLIDE and "<svg" in paths[1].read_text()[:3000]


def test_what_is_not_a_figure_is_refused():
    with pytest.raises(ValueError, match="no figure"):
        stills.plotly_dict(None)
    with pytest.raises(ValueError, match="not a plotly figure"):
        stills.plotly_dict(42)


def test_a_live_tab_exports_its_still_frame_drawn_into_a_copy_and_refuses_while_training():
    """The export draws the frame on screen through the tab's own render, into a copy of the session: what a render
    remembers of its last frame stays the stream's. While the run trains it says to pause first."""
    import gradio as gr

    from tabs.harness.clock import ManualClock
    from tabs.harness.runner import Phase
    from tests.unit.fakes import CANARY, Session, Steps, fake_live

    with gr.Blocks():
        plot = gr.Plot(elem_id="toy-loss")

    def render(session, snap, lang):
        session.drawn_step = snap.step  # a render's memory of what it drew
        return {plot: plots.lines_figure(range(snap.step), {"loss": list(range(snap.step))}, "Loss")}

    core = Steps()
    tab = fake_live(core, ManualClock())
    tab.render, tab.shared = render, False  # a run of the session's own: Pause acts on it
    session = Session()
    data = {"state": session, "lang": "vi", "work": None}
    with pytest.raises(gr.Error, match="Chưa có hình"):
        stills.live_plots(tab, session, "vi")
    stream = tab.start(data)
    next(stream)
    core.allow(3)
    assert session.run.wait_until(lambda: session.run.version == 3, CANARY)
    with pytest.raises(gr.Error, match="still training"):
        stills.live_plots(tab, session, "en")
    assert session.run.pause(wait=CANARY) and session.run.phase == Phase.PAUSED
    out = stills.live_plots(tab, session, "en")
    assert list(out) == ["toy-loss"] and not hasattr(session, "drawn_step")
    assert stills.slide(out["toy-loss"]).axes[0].get_lines()[0].get_ydata().tolist() == [0, 1, 2]
    session.run.stop(wait=CANARY)
    stream.close()
