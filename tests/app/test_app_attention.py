"""The attention endpoints through gradio_client, as a script or another service would call them."""

from __future__ import annotations

import base64
import json

import numpy as np
import gradio as gr
import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError
from tests.app import streams


def _arr(value) -> np.ndarray:
    """A plotly array: a plain list, or plotly's typed-array form {dtype, bdata (base64), shape}."""
    if isinstance(value, dict) and "bdata" in value:
        a = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        shape = value.get("shape")
        if isinstance(shape, str):
            shape = [int(x) for x in shape.split(",")]
        return a.reshape(shape) if shape else a
    return np.array(value, dtype=float)


def _heatmap(plot: dict) -> dict:
    assert plot["type"] == "plotly"
    return json.loads(plot["plot"])


def test_attention_endpoint_returns_heatmap_and_grid(client: Client):
    out = client.predict("The cat sat on the mat.", "minilm", 64, 1, 2, "head", False, "en", api_name="/attention")
    summary, heat, grid, side, row, layer, head, query = out
    assert "minilm" in summary and "6 layers" in summary
    fig = _heatmap(heat)
    z = _arr(fig["data"][0]["z"])
    assert z.shape == (9, 9)  # [CLS] the cat sat on the mat . [SEP]
    np.testing.assert_allclose(z.sum(1), 1.0, atol=1e-4)
    assert "Layer 1, head 2" in fig["layout"]["title"]["text"]
    assert grid.endswith((".png", ".webp", ".jpeg", ".jpg"))


def test_decoder_heatmap_masks_the_future_and_predicts(client: Client):
    out = client.predict("The capital of France is", "smollm2", 64, 0, 0, "head", False, "vi", api_name="/attention")
    summary, heat = out[0], _heatmap(out[1])
    assert "bộ giải mã" in summary  # the answer speaks the requested language
    z = _arr(heat["data"][0]["z"])
    assert np.isnan(z[np.triu_indices(len(z), 1)]).all()  # masked, not "low attention"
    mask = _arr(heat["data"][1]["z"])
    assert np.nansum(mask) == len(z) * (len(z) - 1) / 2
    side = _heatmap(out[3])
    assert side["data"][0]["y"][-1].strip() == "Paris"


def test_empty_and_unknown_inputs_give_messages(client: Client):
    with pytest.raises(AppError, match="^The text is empty: type a sentence first.$"):
        client.predict("  ", "minilm", 64, 0, 0, "head", False, "en", api_name="/attention")
    with pytest.raises(AppError, match="'nobody/nonexistent-model-xyz' cannot be loaded here.*cannot be reached"):
        client.predict("hello", "nobody/nonexistent-model-xyz", 64, 0, 0, "head", False, "en", api_name="/attention")
    # and the app still answers afterwards
    out = client.predict("still here", "minilm", 64, 0, 0, "head", False, "en", api_name="/attention")
    assert "minilm" in out[0]


def test_truncation_notice(client: Client):
    out = client.predict("word " * 400, "minilm", 32, 0, 0, "head", False, "en", api_name="/attention")
    assert "only the first 32" in out[0]


def test_ablation_and_export_in_one_session(app_url):
    client = streams.connect(app_url)  # its own session: the state below is this client's
    client.predict("The capital of France is", "smollm2", 64, 0, 0, "head", False, "en", api_name="/attention")
    plot, note = client.predict("0:0, 1:3", "en", api_name="/ablate")
    assert "KL" in note
    fig = _heatmap(plot)
    assert len(fig["data"]) == 2 and not np.array_equal(_arr(fig["data"][0]["y"]), _arr(fig["data"][1]["y"]))
    path = client.predict("en", api_name="/export_npz")
    data = np.load(path)
    assert data["attentions"].shape[:2] == (30, 9) and data["attentions"].ndim == 4
    png = client.predict(0, 0, "head", False, "en", api_name="/export_png")
    assert open(png, "rb").read(8) == b"\x89PNG\r\n\x1a\n"
    from PIL import Image

    assert Image.open(png).size == (1280, 720)  # a slide's size, whatever the prompt's length
    svg = client.predict(0, 0, "head", False, "en", api_name="/export_svg")
    assert svg.endswith(".svg") and "<svg" in open(svg, encoding="utf-8").read(2000)


def test_language_switch_endpoint(client: Client):
    updates = client.predict("vi", api_name="/set_language")
    labels = [u.get("label") for u in updates if isinstance(u, dict)]
    assert "Lớp" in labels and "Câu văn" in labels and "Layer" not in labels


@pytest.mark.parametrize("model", [7, "x" * 100_000, "/etc", "/no/such/dir", "assets", "tests/../assets", ""])
def test_a_model_name_is_never_a_server_path_and_always_gets_the_same_message(client: Client, model):
    expected = "is not an available model: choose MiniLM or SmolLM2" if model != "" else None
    if model == "":  # an empty box means the default model
        assert "minilm" in client.predict("hi", model, 64, 0, 0, "head", False, "en", api_name="/attention")[0]
        return
    with pytest.raises(AppError, match=expected):
        client.predict("hi", model, 64, 0, 0, "head", False, "en", api_name="/attention")


def call_raw(app_url: str, api: str, data: list) -> str:
    """Call an endpoint over plain HTTP with JSON that may hold NaN / Infinity (gradio_client refuses to
    send those, but any other client can); returns the event stream's text."""
    import httpx

    body = json.dumps({"data": data})  # allow_nan: NaN and Infinity tokens, as a JavaScript client may send
    r = httpx.post(f"{app_url}/gradio_api/call/{api}", content=body, headers={"Content-Type": "application/json"})
    r.raise_for_status()
    return httpx.get(f"{app_url}/gradio_api/call/{api}/{r.json()['event_id']}", timeout=60).text


@pytest.mark.parametrize("field, bad", [(2, float("nan")), (3, float("nan")), (4, float("inf")), (2, 1e308),
                                        (3, "abc"), (2, 2.5)])
def test_numbers_are_checked_with_a_message_not_a_python_error(app_url, field, bad):
    args = ["hello", "minilm", 64, 0, 0, "head", False, "en"]
    args[field] = bad
    text = call_raw(app_url, "attention", args)
    # ours, or Gradio's own range check of a slider (which answers first for an infinity)
    assert "event: error" in text and ("must be a whole number from" in text or "maximum value" in text
                                      or "minimum value" in text or "expected a number, got 'abc'" in text), text[-500:]
    assert "cannot convert" not in text and "NaN to integer" not in text


def test_layer_is_checked_against_the_model_chosen_in_a_fresh_session(app_url):
    fresh = streams.connect(app_url)
    out = fresh.predict("The capital of France is", "smollm2", 64, 25, 8, "head", False, "en", api_name="/attention")
    assert "Layer 25, head 8" in _heatmap(out[1])["layout"]["title"]["text"]
    with pytest.raises(AppError, match="Layer must be a whole number from 0 to 5"):
        fresh.predict("hi", "minilm", 64, 25, 0, "head", False, "en", api_name="/attention")


@pytest.mark.parametrize("lang, message", [
    ("en", "^'gpt2' cannot be loaded here: it is not packaged, it is not in this machine's model cache"),
    ("vi", "^Không nạp được 'gpt2' trên máy này"),
])
def test_offline_an_unknown_model_is_refused_with_one_message_and_the_result_stays(app_url, lang, message):
    """The test server runs with HF_HUB_OFFLINE=1: 'gpt2' is neither packaged nor cached, so it is refused before
    any load, in the page's language; the session's result on screen is still the last good run's."""
    fresh = streams.connect(app_url)
    good = fresh.predict("The cat sat on the mat.", "minilm", 64, 1, 2, "head", False, lang, api_name="/attention")
    with pytest.raises(AppError, match=message):
        fresh.predict("The cat sat on the mat.", "gpt2", 64, 1, 2, "head", False, lang, api_name="/attention")
    with pytest.raises(AppError, match=message):  # the generation panel says the same
        fresh.predict("Hello", "gpt2", 4, 0.7, 50, 0.95, 0, lang, api_name="/generate")
    data = np.load(fresh.predict(lang, api_name="/export_npz"))
    assert str(data["model"]) == "minilm" and data["attentions"].shape[:2] == (6, 12)
    again = fresh.predict(1, 2, "head", False, lang, api_name="/export_png")
    assert open(again, "rb").read(8) == b"\x89PNG\r\n\x1a\n" and "minilm" in good[0]


def test_the_run_buttons_check_the_model_in_an_event_without_outputs(demo):
    """In the page, a refused name is a toast from a first event that has no outputs, so no figure gets an
    "Error" badge: the check of each Run button (attention, generation) refuses 'gpt2' offline."""
    from tabs.attention import generate, session

    checks = [d for d in demo.fns.values() if d.fn in (session.check_run, generate.check)]
    assert {d.fn for d in checks} == {session.check_run, generate.check}
    assert all(not d.outputs for d in checks)
    with pytest.raises(Exception, match="cannot be loaded here"):
        session.check_run("hi", "gpt2", 64, "en")
    with pytest.raises(Exception, match="cannot be loaded here"):
        generate.check("gpt2", "en")


def _slider(demo, elem_id: str):
    return next(b for b in demo.blocks.values() if getattr(b, "elem_id", None) == elem_id)


def test_the_sliders_follow_the_model_shown_before_any_run(demo):
    """Before any run the sliders span the default model (MiniLM: 6 layers x 12 heads, from its config), not 0-127;
    choosing another model refits them from its config, with no run and no weights loaded."""
    from tabs.attention import session

    assert (_slider(demo, "attn-layer").maximum, _slider(demo, "attn-head").maximum) == (5, 11)
    layer, head = session.fit_views("smollm2", 3, 2)
    assert (layer["maximum"], layer["value"], head["maximum"], head["value"]) == (29, 3, 8, 2)
    layer, head = session.fit_views("minilm", 25, 8)
    assert (layer["maximum"], layer["value"], head["maximum"], head["value"]) == (5, 5, 11, 8)
    assert session.fit_views("nobody/not-cached", 3, 2) == (gr.update(), gr.update())  # no config: left as is
    wired = [d for d in demo.fns.values() if d.fn is session.fit_views]
    assert len(wired) == 1 and [b.elem_id for b in wired[0].outputs] == ["attn-layer", "attn-head"]


def test_the_vietnamese_page_offers_vietnamese_example_sentences(client: Client, demo):
    """Issue 21, item 7: the examples follow the page's language (a redraw of the language switch), and the
    Vietnamese label says the models are English-trained; the summary says where the model came from in Vietnamese."""
    from tabs.attention import layout

    dataset = next(b for b in demo.blocks.values() if isinstance(b, gr.Dataset)
                   and ["The capital of France is", "smollm2"] in b.samples)
    assert any(dataset in d.outputs for d in demo.fns.values()
               if getattr(d.fn, "__qualname__", "").startswith("LanguageSwitch."))  # redrawn by the switch
    assert ["Thủ đô của nước Pháp là", "smollm2"] in layout.examples_for("vi")["samples"]
    assert layout.examples_for("en")["samples"] == layout.EXAMPLES
    texts = json.dumps(client.predict("vi", api_name="/set_language"), ensure_ascii=False)
    assert "huấn luyện trên tiếng Anh" in texts
    summary = client.predict("Con mèo ngồi trên chiếu.", "minilm", 64, 0, 0, "head", False, "vi",
                             api_name="/attention")[0]
    assert "package" not in summary and "nạp từ gói cài đặt" in summary
