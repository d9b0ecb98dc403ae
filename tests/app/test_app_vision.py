"""Vision tab through the running app (gradio_client): predictions, a streamed race, the sweep, errors."""

from __future__ import annotations

import json

import pytest
from gradio_client import handle_file
from gradio_client.exceptions import AppError
from PIL import Image

from playground.vision import explain
from tabs.harness.i18n import t

# lang, data, strategies, per_class, resolution, augment, test_per_class, batch, top_blocks, seed, weight_decay,
# warmup, schedule, evals, then (lr, epochs) for from_scratch, feature_extraction, top_blocks, full
TINY = ["en", "mnist", ["feature_extraction", "top_blocks"], 2, 32, False, 2, 8, 5, 0, 1e-4, 0.1, "cosine", 1,
        0, 1, 0, 2, 0, 1, 0, 1]


def _plot(value) -> dict:
    return json.loads(value["plot"])


def test_a_sample_photo_gets_top5_gradcam_and_feature_maps(client):
    image, top5, cam, maps, info = client.predict("cat", "head", "en", api_name="/vis_sample")
    bars = _plot(top5)["data"][0]
    assert len(bars["y"]) == 5 and bars["y"][-1] == "Egyptian cat (285)"  # the top class is drawn on top
    assert Image.open(cam).size == (224, 224)
    assert Image.open(maps).size[0] >= 200
    assert "Egyptian cat" in info and "7×7" in info


def test_an_uploaded_image_is_analysed(client, tmp_path):
    path = tmp_path / "coffee.png"
    Image.fromarray(explain.sample_photo("coffee")).save(path)
    value = {"background": handle_file(str(path)), "layers": [], "composite": handle_file(str(path))}
    top5, cam, maps, info = client.predict(value, "stage3", "en", api_name="/vis_analyse")
    assert _plot(top5)["data"][0]["y"][-1] == "espresso (967)"
    assert "28×28" in info


def _bars(top5) -> list[tuple[str, float]]:
    bars = _plot(top5)["data"][0]
    return list(zip(bars["y"], bars["x"]))


def _as_upload(editor: dict) -> dict:
    """An ImageEditor value the client got back, sent again as the editor would send it."""
    return {"background": handle_file(editor["background"]), "layers": [handle_file(x) for x in editor["layers"]],
            "composite": handle_file(editor["composite"])}


@pytest.mark.parametrize("name", list(explain.SAMPLES))
def test_a_sample_photo_gets_one_prediction_whichever_button_shows_it(client, name):
    """Picking a sample analyses the photo the editor then holds: "Analyse" on it gives the same top-5."""
    image, top5, *_ = client.predict(name, "head", "en", api_name="/vis_sample")
    again, *_ = client.predict(_as_upload(image), "head", "en", api_name="/vis_analyse")
    picked, analysed = _bars(top5), _bars(again)
    assert [n for n, _ in picked] == [n for n, _ in analysed]
    assert [p for _, p in picked] == pytest.approx([p for _, p in analysed], abs=1e-6)


def test_no_image_is_a_clear_error(client):
    with pytest.raises(AppError, match="Upload, paste or draw an image first"):
        client.predict(None, "head", "en", api_name="/vis_analyse")


def test_race_streams_curves_then_the_table(client):
    frames = list(client.submit(*TINY, api_name="/vision_race_start"))
    assert len(frames) >= 2
    status, loss_plot, acc_plot, table = frames[-1]
    assert status.startswith("✓ Done: 2 of 2 strategies finished"), status
    names = {tr["name"] for tr in _plot(loss_plot)["data"]}
    assert names == {"Feature extraction (linear head)", "Fine-tune the top blocks"}
    assert all(0 <= y <= 1 for tr in _plot(acc_plot)["data"] for y in tr["y"])
    assert table["headers"][:4] == ["strategy", "trainable params", "% trainable", "test accuracy %"]
    rows = {r[0]: r for r in table["data"]}
    assert rows["Feature extraction (linear head)"][1] == "12,810"  # 1280 x 10 + 10: the new head only
    assert all(0 <= r[3] <= 100 for r in table["data"])  # in %, as in the status and the fine-tuning table


def test_empty_race_table_has_headers_before_any_run(demo):
    table = next(b for b in demo.blocks.values() if getattr(b, "elem_id", None) == "vis-table")
    assert table.value["headers"][:2] == ["strategy", "trainable params"] and table.value["data"] in ([], [[]])


@pytest.mark.parametrize("index, value, message", [
    (2, [], "Choose at least one strategy"),
    (4, 16, "Resolution in pixels"),
    (3, 450, "at most 500"),
])
def test_bad_race_inputs_are_clear_errors(client, index, value, message):
    bad = list(TINY)
    bad[index] = value
    if index == 3:
        bad[6] = 100  # 450 training + 100 test images per class: MNIST has 500
    with pytest.raises(AppError, match=message):
        client.submit(*bad, api_name="/vision_race_start").result()


def test_vietnamese_error(client):
    bad = list(TINY)
    bad[0], bad[2] = "vi", []
    with pytest.raises(AppError, match="Hãy chọn ít nhất một chiến lược"):
        client.submit(*bad, api_name="/vision_race_start").result()


def test_sweep_draws_accuracy_against_size(client):
    args = [a for i, a in enumerate(TINY) if i != 2] + [[5], ["feature_extraction"]]
    frames = list(client.submit(*args, api_name="/vision_sweep_start"))
    status, sweep = frames[-1]
    assert status.startswith("✓ Done: 1 of 1 runs finished"), status
    line = _plot(sweep)["data"][0]
    assert line["x"] == [5] and 0 <= line["y"][0] <= 1


def test_the_vietnamese_page_has_no_english_left_in_the_analysis(client, demo):
    """Issue 21, item 7: the stage names, the editor's placeholder (and no "Layer 1" menu), and a word that the
    class names are ImageNet's English ones."""
    image, top5, cam, maps, info = client.predict("china", "head", "vi", api_name="/vis_sample")
    assert "tên tiếng Anh" in _plot(top5)["layout"]["title"]["text"]
    assert "tên lớp là tên tiếng Anh gốc của ImageNet" in info and t("vis.stage.head", "vi") in info
    assert "package" not in info and "cache" not in info
    updates = client.predict("vi", api_name="/set_language")
    texts = json.dumps(updates, ensure_ascii=False)
    assert "Tải lên hoặc dán ảnh" in texts and "giai đoạn 3" in texts and t("vis.stage.stem", "vi") in texts
    editor = next(b for b in demo.blocks.values() if getattr(b, "elem_id", None) == "vis-image")
    assert editor.layers.disabled  # no "Layer 1" menu
