"""A result that no longer matches the controls says so (tabs/harness/stale.py)."""

import gradio as gr

from tabs.harness.stale import REASON, Provenance, note_text

LABELS = {"beta": "vae.beta", "epochs": "vae.epochs"}


def test_no_result_yet_or_matching_settings_give_no_note():
    assert note_text(None, {"beta": 1.0}, LABELS, None, "en") == ""
    assert note_text({"beta": 1.0, "epochs": 8}, {"beta": 1, "epochs": 8}, LABELS, None, "en") == ""


def test_the_note_names_each_changed_setting_with_both_values():
    text = note_text({"beta": 1.0, "epochs": 8}, {"beta": 4.0, "epochs": 8}, LABELS, "vae.anomaly_run", "en")
    assert text.startswith("⚠ From the previous settings:")
    assert "1 → 4" in text and "8 →" not in text
    vi = note_text({"beta": 1.0, "epochs": 8}, {"beta": 4.0, "epochs": 3}, LABELS, "vae.anomaly_run", "vi")
    assert "Kết quả của thiết lập trước" in vi and "8 → 3" in vi and "From the" not in vi


def test_an_invalidating_event_marks_the_result_even_with_the_same_settings():
    text = note_text({"beta": 1.0, REASON: "stale.retrained"}, {"beta": 1.0}, LABELS, None, "en")
    assert "trained again" in text


class _Page:
    def __init__(self):
        self.lang = gr.Radio(["en", "vi"], value="en")
        self.redraws = []

    def on_language(self, fn, inputs, outputs, then=None):
        self.redraws.append((fn, inputs, outputs))


def test_making_the_result_clears_the_note_and_a_change_brings_it_back():
    with gr.Blocks():
        page = _Page()
        beta = gr.Number(1.0)
        prov = Provenance(page, "t", {"beta": beta}, {"beta": "vae.beta"}, action="vae.anomaly_run")
    made, note = prov.record(1.0)
    assert made == {"beta": 1.0} and note["visible"] is False
    shown = prov.check("en", made, 2.0)
    assert shown["visible"] is True and "1 → 2" in shown["value"]
    assert prov.check("en", made, 1.0)["visible"] is False  # changed back: it matches again
    made2, note2 = prov.invalidate("stale.reset")("vi", made, 1.0)
    assert note2["visible"] is True and "đặt lại" in note2["value"]
    assert page.redraws and page.redraws[0][2] == [prov.note]  # the note follows the language


def test_a_changed_choice_is_named_by_its_label_in_the_page_s_language():
    import tabs
    from tabs.harness.i18n import Translator

    tabs.discover()
    with gr.Blocks():
        tr = Translator()
        score = tr(gr.Radio, label="vae.score", value="recon",
                   choices=[("vae.score.recon", "recon"), ("vae.score.elbo", "elbo")])
    text = note_text({"score": "recon"}, {"score": "elbo"}, {"score": "vae.score"}, None, "vi", {"score": score})
    from tabs.harness.i18n import t

    assert f"{t('vae.score.recon', 'vi')[:23]}" in text and "recon →" not in text, text


def test_a_drawing_is_named_by_its_points_not_by_its_code():
    import numpy as np

    import tabs
    from playground.data import drawn

    tabs.discover()
    code = drawn.encode(np.array([[0.0, 0.0], [1.0, 1.0], [-1.0, 1.0], [0.5, -0.5]]), [0, 0, 1, 1])
    text = note_text({"data": "ring8"}, {"data": code}, {"data": "gan.data"}, None, "en")
    assert "ring8 → a drawing of 4 points" in text and code not in text and "d1." not in text, text
    vi = note_text({"data": code}, {"data": "d1.#"}, {"data": "gan.data"}, None, "vi")
    assert "hình tự vẽ 4 điểm → hình tự vẽ ? điểm" in vi, vi  # a damaged code still reads as a drawing
