"""A language switch (``tabs.harness.language``): one small event for the page's frame, then one for the open tab;
the other tabs when they are opened. Twenty events per switch took 15.1-18.4 s to settle on 2 cores (VAE tab), one
event with all 458 outputs 4.3-6.3 s (the page walks its component tree for each declared output)."""

from __future__ import annotations

import gradio as gr

from tabs.harness.language import LanguageSwitch


def _lang_events(config: dict) -> list[dict]:
    lang = next(c["id"] for c in config["components"] if c.get("props", {}).get("elem_id") == "lang")
    return [d for d in config["dependencies"] if any(t == [lang, "change"] for t in map(list, d["targets"]))]


def test_the_app_switches_language_in_small_events(demo):
    events = _lang_events(demo.get_config_file())
    # the switch itself (Vision's re-analysis of its image follows its tab's redraw, once that tab is on screen)
    assert len(events) == 1, [(d.get("api_name"), len(d["outputs"])) for d in events]
    switch = max(events, key=lambda d: len(d["outputs"]))
    # the frame and the tabs' triggers only (it was every widget of every tab: 458 outputs)
    assert not switch["queue"] and len(switch["outputs"]) < 60, len(switch["outputs"])
    assert demo.get_api_info()["named_endpoints"]["/set_language"]["parameters"][0]["parameter_name"] == "lang"


def test_one_event_relabels_and_redraws_and_a_failing_redraw_stops_nothing():
    with gr.Blocks():
        lang = gr.Radio(["en", "vi"], value="en")
        switch = LanguageSwitch(lang)
        title, plot, other, untouched = gr.Markdown(), gr.Textbox(label="x"), gr.Textbox(), gr.Textbox()
        switch.on_language(lambda code: f"drawn in {code}", [lang], [plot])  # a positional redraw
        switch.on_language(lambda code: 1 / 0, [lang], [other])  # a redraw with a bug
        switch.on_language(lambda data: {untouched: gr.skip(), title: f"# {data[lang]}"}, {lang}, [untouched, title])
        event = switch.wire([title, plot],
                            lambda code, owners=None: [gr.update(value=f"title {code}"), gr.update(label=f"label {code}")],
                            api_name=None)
    fn = event.fn
    outputs = dict(zip([switch.open, switch.shown, title, plot, other, untouched], fn("vi", None, {})))
    assert outputs[plot] == {"__type__": "update", "label": "label vi", "value": "drawn in vi"}  # both kept
    assert outputs[title] == {"__type__": "update", "value": "# vi"}  # the redraw comes after the relabelling
    assert outputs[other] == gr.skip()  # left as it was; the rest still switched
    assert outputs[untouched] == gr.skip()


def _two_tabs():
    """A page's frame and two tabs, each with a widget and a redraw, wired as app.py does."""
    from tabs.harness.i18n import Translator

    with gr.Blocks() as demo:
        tr = Translator()
        lang = gr.Radio(["en", "vi"], value="en")
        switch = LanguageSwitch(lang, "one")
        frame = tr(gr.Button, value="live.start")
        blocks, widgets, figures = {}, {}, {}
        with gr.Tabs():
            for tab in ("one", "two"):
                with gr.Tab(tab) as block:
                    tr.owner = tab
                    blocks[tab] = block
                    widgets[tab] = tr(gr.Button, value="live.stop")
                    figures[tab] = gr.Markdown()
                    switch.on_language(lambda code, tab=tab: f"{tab} in {code}", [lang], [figures[tab]], owner=tab)
                    tr.owner = None
        switch.wire(tr.components, tr.updates, tr.owners, blocks, api_name=None)
    return demo, switch, frame, widgets, figures, blocks


def _run(demo, trigger, event_name, *values):
    fn = next(f for f in demo.fns.values() if (trigger._id, event_name) in [tuple(t) for t in f.targets])
    return dict(zip(fn.outputs, fn.fn(*values)))


def test_a_switch_relabels_the_frame_and_then_the_open_tab_and_another_tab_when_it_is_opened():
    demo, switch, frame, widgets, figures, blocks = _two_tabs()
    out = _run(demo, switch.lang, "change", "vi", "one", {})
    assert out[frame]["value"] == "Bắt đầu"
    assert widgets["one"] not in out and figures["two"] not in out  # the switch's own event is small
    stamps = {c: v for c, v in out.items() if isinstance(c, gr.Textbox) and not c.visible}
    stamped = [c for c, v in stamps.items() if v != gr.skip()]
    assert len(stamped) == 1 and out[stamped[0]].startswith("vi:")  # the open tab's trigger, and only it
    tab_one = _run(demo, stamped[0], "change", "vi", "one", {})
    assert tab_one[widgets["one"]]["value"] == "Dừng" and tab_one[figures["one"]] == "one in vi"
    assert widgets["two"] not in tab_one
    shown = tab_one[switch.shown]
    assert shown == {"one": "vi"}
    opened = _run(demo, blocks["two"], "select", "vi", "one", shown)
    assert opened[widgets["two"]]["value"] == "Dừng" and opened[figures["two"]] == "two in vi"
    assert opened[switch.open] == "two" and opened[switch.shown] == {"one": "vi", "two": "vi"}
    again = _run(demo, blocks["two"], "select", "vi", "two", opened[switch.shown])  # drawn already: nothing
    assert again[switch.open] == "two" and again[figures["two"]] == gr.skip()
    second = _run(demo, switch.lang, "change", "vi", "one", shown)  # the same language again: a new stamp
    assert second[stamped[0]] != out[stamped[0]]


def test_a_core_result_s_device_reads_in_the_page_s_language():
    from tabs.harness.common import device_text

    assert device_text("cpu (2 threads)", "vi") == "CPU (2 luồng)"
    assert device_text("cpu (2 threads)", "en") == "CPU (2 threads)"
    assert device_text("cuda (NVIDIA H200)", "vi") == "GPU (NVIDIA H200)"
