"""Every input widget answers a value it cannot take with one clear message, never a bare exception.

Before ``tabs.harness.patches.harden_inputs`` a ``None`` in a slider or a number in a checkbox group failed inside
Gradio with a ``TypeError`` (an API client got ``{"error": null}``), and Gradio's own range and choice
checks printed a full traceback in the server log for each such call."""

from __future__ import annotations

import gradio as gr
import pytest

from tabs.harness.patches import harden_inputs

harden_inputs()


def _refused(widget, payload) -> gr.Error:
    with pytest.raises(gr.Error) as info:
        widget.preprocess(payload)
    assert info.value.print_exception is False  # a user's mistake: one log line, no traceback
    return info.value


@pytest.mark.parametrize("widget, payload, words", [
    (gr.Slider(1, 5, label="Depth"), None, "Depth: a number is needed"),
    (gr.Slider(1, 5, label="Depth"), "abc", "Depth: expected a number, got 'abc'"),
    (gr.Slider(1, 5, label="Depth"), 9, "Depth: Value 9 is greater than maximum value 5"),
    (gr.Number(label="Seed", minimum=0), -1, "Seed: Value -1 is less than minimum value 0"),
    (gr.Number(label="Seed"), [1, 2], "Seed: expected a number, got [1, 2]"),
    (gr.CheckboxGroup(["a", "b"], label="Strategies"), 0, "Strategies: this value cannot be used here: 0"),
    (gr.Dropdown(["en", "vi"], label="Language"), "x" * 100_000, "Language: Value"),
    (gr.Radio(["adam", "sgd"], label="Optimizer"), 2.5, "Optimizer: Value"),
])
def test_a_value_the_widget_cannot_take_gets_a_message_naming_the_field(widget, payload, words):
    message = str(_refused(widget, payload).message)
    assert message.startswith(words), message
    assert len(message) < 300  # a 100,000-character value is not echoed back


def test_good_values_pass_unchanged():
    assert gr.Slider(1, 5).preprocess(3) == 3
    assert gr.CheckboxGroup(["a", "b"]).preprocess(["b"]) == ["b"]
    assert gr.Dropdown(["en", "vi"]).preprocess("vi") == "vi"
    assert gr.Number().preprocess(None) is None  # an empty number box is the handler's to judge


@pytest.mark.parametrize("widget", [gr.Textbox(label="Text"), gr.Dropdown(["a"], allow_custom_value=True, label="Model")])
def test_a_lone_surrogate_in_a_text_is_refused_with_a_message(widget):
    # the tokenizers fail on one with "TextEncodeInput must be Union[...]", which reached clients as {"error": null}
    assert "lone surrogate" in str(_refused(widget, "abc\ud800def").message)
    assert widget.preprocess("Xin chào 👋") == "Xin chào 👋"


def test_a_refusal_speaks_both_languages():
    # a widget's preprocessing does not know the page's language: the message gives English and Vietnamese
    message = str(_refused(gr.Slider(1, 5, label="Depth"), None).message)
    assert message == "Depth: a number is needed / cần nhập một số."


def _png(path, width: int, height: int) -> str:
    from PIL import Image

    Image.new("L", (width, height)).save(path)
    return str(path)


def _image(path: str):
    from gradio.data_classes import ImageData

    return ImageData(path=path)


def _editor(path: str):
    from gradio.components.image_editor import EditorData
    from gradio.data_classes import FileData

    return EditorData(background=FileData(path=path), layers=[], composite=FileData(path=path))


@pytest.mark.parametrize("widget, wrap", [(gr.Image(label="Photo", type="pil"), _image),
                                          (gr.ImageEditor(label="Photo", type="pil"), _editor)])
def test_an_image_is_measured_from_its_header_before_it_is_decoded(tmp_path, monkeypatch, widget, wrap):
    """A picture larger than MAX_IMAGE_SIDE a side is refused with its size, one past Pillow's own limit and a file
    that is no image each with a message; the decoder never runs on any of them."""
    from PIL import Image

    from tabs.harness import patches

    harden_inputs()
    patches.harden_images()
    wide, huge = _png(tmp_path / "wide.png", 5000, 10), _png(tmp_path / "huge.png", 20000, 20000)
    (tmp_path / "text.png").write_text("not an image")
    decoded = []
    monkeypatch.setattr(Image.Image, "load", lambda self, *a: decoded.append(self.size))
    assert "Photo: the image is 5000x10 pixels; at most 4096 a side" in str(_refused(widget, wrap(wide)).message)
    assert "far larger than 4096" in str(_refused(widget, wrap(huge)).message)
    assert "not an image the app can read" in str(_refused(widget, wrap(str(tmp_path / "text.png"))).message)
    assert decoded == []


def test_an_editor_value_with_too_many_layers_is_refused(tmp_path):
    from tabs.harness import patches

    patches.harden_images()
    path = _png(tmp_path / "small.png", 8, 8)
    from gradio.components.image_editor import EditorData
    from gradio.data_classes import FileData

    value = EditorData(background=FileData(path=path), layers=[FileData(path=path)] * (patches.MAX_LAYERS + 1),
                       composite=None)
    assert f"at most {patches.MAX_LAYERS}" in str(_refused(gr.ImageEditor(type="pil"), value).message)
    picture = gr.Image(type="pil").preprocess(_image(path))  # a small one passes, decoded
    assert picture.size == (8, 8)
