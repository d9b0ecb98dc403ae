"""Attention core: weights are real probabilities, the causal mask is exact, and match transformers."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from playground.attention import maps as core
from playground.kit import pretrained as models

SENTENCE = "The animal didn't cross the street because it was too tired."


@pytest.fixture(scope="module")
def enc():
    return core.extract("minilm", SENTENCE)


@pytest.fixture(scope="module")
def dec():
    return core.extract("smollm2", "The capital of France is")


def test_shapes_match_the_model(enc, dec):
    assert enc.attentions.shape[:2] == (6, 12)
    assert dec.attentions.shape[:2] == (30, 9)  # query heads, although only 3 key/value heads exist
    for res in (enc, dec):
        T = len(res.tokens)
        assert res.attentions.shape[2:] == (T, T) == (len(res.pieces),) * 2


def test_rows_sum_to_one(enc, dec):
    for res in (enc, dec):
        np.testing.assert_allclose(res.attentions.sum(-1), 1.0, atol=1e-5)
        assert (res.attentions >= 0).all()


def test_decoder_upper_triangle_is_exactly_zero(dec):
    T = dec.attentions.shape[-1]
    upper = np.triu(np.ones((T, T), dtype=bool), k=1)
    assert np.all(dec.attentions[..., upper] == 0.0)
    assert np.all(core.future_mass(dec.attentions) == 0.0)


def test_encoder_is_bidirectional(enc):
    # a bidirectional encoder puts real weight on later tokens in every layer
    assert (core.future_mass(enc.attentions) > 0.05).all()


def test_weights_equal_transformers_output(enc):
    lm = models.load("minilm")
    inputs = lm.tokenizer(SENTENCE, return_tensors="pt")
    with torch.no_grad():
        ref = lm.model(**inputs, output_attentions=True).attentions
    np.testing.assert_array_equal(enc.attentions, torch.stack(ref, 1)[0].numpy())


def test_first_layer_recomputed_from_query_and_key_projections(enc):
    """softmax(q k^T / sqrt(d)) written out by hand for layer 0 gives the same weights."""
    lm = models.load("minilm")
    m = lm.model
    ids = lm.tokenizer(SENTENCE, return_tensors="pt")["input_ids"]
    with torch.no_grad():
        h = m.embeddings(input_ids=ids)  # (1, T, C)
        att = m.encoder.layer[0].attention.self
        H, C = lm.num_heads, h.shape[-1]
        hs = C // H
        q = att.query(h).view(1, -1, H, hs).transpose(1, 2)  # (1, H, T, hs)
        k = att.key(h).view(1, -1, H, hs).transpose(1, 2)
        w = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(hs), dim=-1)[0]  # (H, T, T)
    np.testing.assert_allclose(enc.attentions[0], w.numpy(), atol=1e-5)


def test_decoder_predicts_paris(dec):
    assert dec.top_next[0][0].strip() == "Paris"
    assert dec.next_token_probs.sum() == pytest.approx(1.0, abs=1e-3)


def test_ablating_a_head_changes_the_next_token_distribution(dec):
    after = core.extract("smollm2", "The capital of France is", ablate=[(0, 0), (1, 3)])
    effect = core.ablation_effect(dec, after)
    assert effect.kl > 1e-4 and effect.total_variation > 1e-3
    assert after.ablated == ((0, 0), (1, 3))
    # the hooks are gone afterwards: a fresh run gives the original numbers again
    again = core.extract("smollm2", "The capital of France is")
    np.testing.assert_array_equal(again.next_token_probs, dec.next_token_probs)


def test_ablation_leaves_earlier_layers_untouched(dec):
    after = core.extract("smollm2", "The capital of France is", ablate=[(5, 2)])
    np.testing.assert_array_equal(after.attentions[:6], dec.attentions[:6])
    assert not np.array_equal(after.attentions[6:], dec.attentions[6:])


def test_rollout_rows_sum_to_one_and_stay_causal(dec):
    r = core.rollout(dec.attentions)
    np.testing.assert_allclose(r.sum(-1), 1.0, atol=1e-5)
    T = r.shape[-1]
    assert np.all(r[:, np.triu(np.ones((T, T), bool), 1)] == 0)


def test_labels_keep_vietnamese_and_emoji():
    res = core.extract("smollm2", "Tôi yêu Hà Nội 😀")
    joined = "".join(res.tokens)
    for ch in ("ô", "ê", "à", "ộ", "😀"):
        assert ch in joined
    res = core.extract("minilm", "Tôi yêu Hà Nội 😀")
    assert res.tokens[0] == "[CLS]" and res.special[0] and res.tokens[-1] == "[SEP]"
    assert not any(tok.startswith("##") for tok in res.tokens)  # subword markers cleaned


@pytest.mark.parametrize("bad", ["", "   ", "\n\t"])
def test_empty_text_is_refused(bad):
    with pytest.raises(ValueError, match="empty"):
        core.extract("minilm", bad)


def test_long_text_is_truncated_at_the_cap():
    res = core.extract("minilm", "word " * 1000, max_tokens=64)
    assert len(res.tokens) == 64 and res.truncated and res.n_input_tokens > 1000
    assert res.tokens[-1] == "[SEP]"  # the encoder still ends with its separator
    res = core.extract("minilm", "word " * 62, max_tokens=64)  # 62 words + CLS + SEP: exactly at the cap
    assert len(res.tokens) == 64 and not res.truncated


@pytest.mark.parametrize("cap", [0, 3, 10_000, 2.5])
def test_bad_caps_are_refused(cap):
    with pytest.raises(ValueError, match="max_tokens"):
        core.extract("minilm", "hello", max_tokens=cap)


def test_bad_heads_are_refused():
    with pytest.raises(ValueError, match="does not exist"):
        core.extract("minilm", "hello there", ablate=[(6, 0)])
    with pytest.raises(ValueError, match="layer:head"):
        core.parse_heads("3-1")


@pytest.mark.parametrize("name", ["no-such-owner/no-such-model", "bad id with spaces", ""])
def test_unknown_model_gets_a_clear_message(name):
    with pytest.raises(ValueError, match="model|Choose|valid"):
        models.load(name)


def test_models_load_once_and_are_shared():
    assert models.load("minilm") is models.load("minilm")
    lm = models.load("smollm2")
    assert not any(p.requires_grad for p in lm.model.parameters()) and not lm.model.training
    assert lm.n_params == sum(p.numel() for p in lm.model.parameters())
    assert lm.num_kv_heads == 3 and lm.causal


def test_head_patterns_find_a_previous_token_head():
    T = 8
    prev = np.zeros((1, 2, T, T), dtype=np.float32)
    prev[0, 0, 0, 0] = 1
    prev[0, 0, np.arange(1, T), np.arange(T - 1)] = 1  # head 0: always the previous token
    prev[0, 1] = np.tril(np.ones((T, T))) / np.arange(1, T + 1)[:, None]  # head 1: uniform over the past
    names = core.dominant_pattern(core.head_patterns(prev, causal=True))
    assert names[0, 0] == "previous" and names[0, 1] == "broad"


def test_decoder_weights_equal_transformers_output(dec):
    lm = models.load("smollm2")
    inputs = lm.tokenizer("The capital of France is", return_tensors="pt")
    with torch.no_grad():
        out = lm.model(**inputs, output_attentions=True)
    np.testing.assert_array_equal(dec.attentions, torch.stack(out.attentions, 1)[0].numpy())
    probs = torch.softmax(out.logits[0, -1], -1).numpy()
    np.testing.assert_allclose(dec.next_token_probs, probs, atol=1e-6)


# ---------------------------------------------------------------- what a name offers before loading (catalog)
from playground.attention import catalog  # noqa: E402


@pytest.fixture()
def no_network(monkeypatch):
    """Any DNS lookup, connection or model load fails the test: a refusal must come before all of them."""
    import socket

    calls = []

    def refuse(what):
        def fail(*args, **kwargs):
            calls.append(what)
            raise AssertionError(f"{what} was called")
        return fail

    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    monkeypatch.setattr(socket.socket, "connect", refuse("connect"))
    monkeypatch.setattr(models, "_load_uncached", refuse("a model load"))
    monkeypatch.setattr(catalog, "_probe", {})
    return calls


def test_offline_an_unknown_hub_id_is_refused_without_any_network_call(monkeypatch, no_network):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ValueError, match="'gpt2' is not packaged and not in this machine's model cache"):
        catalog.check_available("gpt2")
    assert no_network == []
    for packaged in ("minilm", "smollm2"):
        assert catalog.check_available(packaged) == packaged


def test_without_a_network_one_failed_lookup_refuses_at_once(monkeypatch, no_network):
    """HF_HUB_OFFLINE unset and no DNS: one lookup (kept for a while), no connection, no load."""
    import socket

    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("TRANSFORMERS_OFFLINE", raising=False)
    lookups = []

    def no_dns(host, *args, **kwargs):
        lookups.append(host)
        raise socket.gaierror(-2, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    for _ in range(2):
        with pytest.raises(ValueError, match="cannot be reached"):
            catalog.check_available("gpt2")
    assert lookups == ["huggingface.co"] and no_network == []


def test_a_hub_id_in_the_local_cache_is_accepted_offline_and_its_shape_read(monkeypatch, tmp_path, no_network):
    import huggingface_hub.constants

    snap = tmp_path / "models--owner--tiny" / "snapshots" / "abc123"
    snap.mkdir(parents=True)
    (snap / "config.json").write_text('{"num_hidden_layers": 3, "num_attention_heads": 5}')
    (tmp_path / "models--owner--tiny" / "refs").mkdir()
    (tmp_path / "models--owner--tiny" / "refs" / "main").write_text("abc123")
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(tmp_path))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert catalog.check_available("owner/tiny") == "owner/tiny"
    assert catalog.shape("owner/tiny") == (3, 5)
    assert catalog.shape("owner/absent") is None and no_network == []


def test_the_packaged_models_shapes_come_from_their_configs_without_loading(no_network):
    assert catalog.shape("minilm") == (6, 12)
    assert catalog.shape("smollm2") == (30, 9)  # the GGUF header's block and head counts
    assert catalog.shape("/etc") is None


def test_a_grid_tile_click_redraws_from_the_cached_run_without_the_model(enc, monkeypatch):
    """The click path (issue 21, item 11) opens the tile's head from the run's cached attention: no extraction,
    no forward pass of the model (a spy counts both)."""
    import gradio as gr

    from tabs.attention import session
    from tabs.attention.figures import grid_geometry

    state = {"model": "minilm", "text": SENTENCE, "max_tokens": core.MAX_TOKENS}
    session.CACHE.get(state["model"], state["text"], state["max_tokens"])  # the run that drew the grid
    calls = []
    monkeypatch.setattr(core, "extract", lambda *a, **k: calls.append("extract"))
    hook = models.load("minilm").model.register_forward_hook(lambda *a: calls.append("forward"))
    try:
        x, y = grid_geometry(enc).origin(layer=2, head=3)
        evt = gr.SelectData(None, {"index": [x + 5, y + 5], "value": None})
        layer, head, view, heat, row = session.open_tile(state, False, 3, "en", evt)
    finally:
        hook.remove()
    assert (layer, head, view) == (2, 3, "head") and calls == []
    assert "Layer 2, head 3" in heat.layout.title.text
    np.testing.assert_array_equal(np.asarray(heat.data[0].z, dtype=np.float32), enc.attentions[2, 3])
