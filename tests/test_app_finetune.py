"""Fine-tuning Lab through the running app (gradio_client): a streamed race, the table, the CSV, errors."""

from __future__ import annotations

import csv
import json
import time

import pytest
import torch
from gradio_client.exceptions import AppError

# data, strategies, epochs, limit, test_limit, batch, max_length, lr, optimizer, weight_decay, schedule, warmup,
# clip, seed, freeze_k, freeze_every, lora_r, lora_alpha, lora_dropout, lora_targets, prompt_tokens, xaxis, lang
TINY = ["bbc", ["feature_extraction", "lora"], 1, 32, 16, 16, 32, 0, "adamw", 0.01, "linear", 0.1,
        1.0, 0, 3, 2, 4, 8, 0.1, ["query", "value"], 8, "step", "en"]


def test_race_streams_curves_table_chart_and_csv(client):
    frames = list(client.submit(*TINY, api_name="/ft_race"))
    assert len(frames) > 3, "the race should stream updates while it trains"
    status, loss_plot, acc_plot, table, params_plot, csv_path = frames[-1]
    assert "Race finished: 2 strategies" in status and "cpu" in status.lower()
    loss = json.loads(loss_plot["plot"])
    assert {tr["name"] for tr in loss["data"]} == {"Feature extraction (head only)", "LoRA (peft)"}
    assert all(tr["x"] == sorted(tr["x"]) and tr["x"][-1] == 2 for tr in loss["data"])  # 32 texts / 16
    acc = json.loads(acc_plot["plot"])
    assert all(0 <= y <= 1 for tr in acc["data"] for y in tr["y"])
    assert table["headers"][:4] == ["strategy", "trainable params", "% trainable", "test accuracy"]
    rows = {r[0]: r for r in table["data"]}
    assert rows["Feature extraction (head only)"][1] == "1,925"  # 384 * 5 + 5: the 5-class head only
    assert len(json.loads(params_plot["plot"])["data"]) == 2
    with open(csv_path) as f:
        lines = list(csv.DictReader(f))
    assert [r["strategy"] for r in lines] == ["feature_extraction", "lora"]
    assert {"trainable", "total", "pct", "train_s", "samples_per_s", "peak_mem_mb", "test_acc", "device",
            "mem_kind", "drift"} <= set(lines[0])
    assert int(lines[1]["trainable"]) == 6 * 2 * (384 * 4 * 2) + 1925  # LoRA r=4 on query and value


@pytest.mark.parametrize("index, value, message", [
    (1, [], "Choose at least one strategy"),
    (7, -0.1, "learning rate must be a positive number"),
    (3, 3, "Training texts must be 0"),
    (5, -2, r"Batch size \(0 = device default\): expected a whole number from 0 to 4096"),
])
def test_bad_inputs_are_clear_errors(client, index, value, message):
    bad = list(TINY)
    bad[index] = value
    with pytest.raises(AppError, match=message):
        client.predict(*bad, api_name="/ft_race")


def test_vietnamese_error(client):
    bad = list(TINY)
    bad[1], bad[-1] = [], "vi"
    with pytest.raises(AppError, match="Hãy chọn ít nhất một chiến lược"):
        client.predict(*bad, api_name="/ft_race")


@pytest.mark.skipif(torch.cuda.is_available(), reason="the limit applies to CPU races only")
def test_cpu_race_size_is_capped(client):
    bad = list(TINY)
    bad[0], bad[3] = "tweets", 6000  # the whole set is for a GPU: a CPU race stays a few minutes at most
    with pytest.raises(AppError, match="On the CPU at most 5,000 training texts"):
        client.predict(*bad, api_name="/ft_race")


def test_stop_cancels_a_running_race(client):
    longer = list(TINY)
    longer[2], longer[3] = 5, 400  # 5 epochs of 400 texts: minutes, unless stopped
    job = client.submit(*longer, api_name="/ft_race")
    for i, _frame in enumerate(job):
        if i == 2:
            break
    job.cancel()
    deadline = time.time() + 60
    while not job.done() and time.time() < deadline:
        time.sleep(0.5)
    assert job.done()
    assert "Race finished" not in (job.outputs()[-1][0] if job.outputs() else "")
