"""Transformer Lab core: the from-scratch transformer and its four experiments (tiny configs)."""

from __future__ import annotations

import json

import pytest
import torch

from playground.kit.knobs import KnobError
from playground.lab import ln, lstm, objectives, seq2seq
from playground.lab.model import Block, LanguageModel, TransformerConfig, init_weights

TINY = dict(vocab_size=20, d_model=16, n_heads=2, n_layers=2, d_ff=32, max_len=12)


def _g(seed: int = 0) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


# ---------------------------------------------------------------- the model
def test_pre_and_post_ln_blocks_differ_only_in_where_the_norm_sits():
    pre = init_weights(Block(TransformerConfig(**TINY, norm="pre")), _g())
    post = init_weights(Block(TransformerConfig(**TINY, norm="post")), _g())
    # the same parameters, value for value: only the wiring differs
    assert pre.state_dict().keys() == post.state_dict().keys()
    for k, v in pre.state_dict().items():
        assert torch.equal(v, post.state_dict()[k]), k
    with torch.no_grad():
        for block in (pre, post):  # LayerNorms away from identity, so where they sit shows
            for ln_ in (block.ln1, block.ln2):
                ln_.weight.uniform_(0.5, 2.0, generator=_g(1))
                ln_.bias.uniform_(-1, 1, generator=_g(2))
    x = torch.randn(3, 5, 16, generator=_g(3))
    with torch.no_grad():
        h = x + pre.attn(pre.ln1(x))[0]
        expected_pre = h + pre.ff(pre.ln2(h))
        h = post.ln1(x + post.attn(x)[0])
        expected_post = post.ln2(h + post.ff(h))
        assert torch.allclose(pre(x)[0], expected_pre, atol=1e-6)
        assert torch.allclose(post(x)[0], expected_post, atol=1e-6)
        assert not torch.allclose(pre(x)[0], post(x)[0], atol=1e-3)


@pytest.fixture(scope="module")
def decoding():
    lab = seq2seq.Seq2SeqLab(seq2seq.Seq2SeqConfig(d_model=16, n_heads=2, n_layers=2, steps=2, batch=4,
                                                   test_per_task=2))
    list(lab.run())
    return lab.answer("date: ngày 3 tháng 4 năm 2021")


def test_cross_attention_has_one_row_per_output_and_one_column_per_input(decoding):
    L, H = 2, 2
    out_len, in_len = len(decoding.output_tokens), len(decoding.input_tokens)
    assert in_len == len("date: ngày 3 tháng 4 năm 2021")
    assert decoding.cross.shape == (L, H, out_len, in_len)
    assert decoding.decoder_self.shape == (L, H, out_len, out_len)
    assert decoding.encoder_self.shape == (L, H, in_len, in_len)
    for w in (decoding.cross, decoding.decoder_self, decoding.encoder_self):
        assert abs(w.sum(-1) - 1).max() < 1e-5


def test_causal_mask_in_the_decoder_and_none_in_the_encoder(decoding):
    T = decoding.decoder_self.shape[-1]
    above = torch.ones(T, T).triu(1).bool().numpy()
    assert (decoding.decoder_self[..., above] == 0).all()  # exactly zero, not merely small
    assert (decoding.decoder_self[..., ~above] > 0).all()
    assert (decoding.encoder_self > 0).all()  # every input character sees every other one


@pytest.mark.parametrize("causal", [False, True])
def test_masked_lm_reads_both_sides_and_causal_lm_only_the_left(causal):
    model = init_weights(LanguageModel(TransformerConfig(**TINY), causal=causal), _g()).eval()
    ids = torch.tensor([[3, 4, 5, 6, 7, 8]])
    changed = ids.clone()
    changed[0, 4] = 11  # a token to the right of position 2
    with torch.no_grad():
        a, b = model(ids)[0, 2], model(changed)[0, 2]
    if causal:
        assert torch.equal(a, b)
    else:
        assert not torch.allclose(a, b)


def test_objectives_masks_are_drawn_from_the_models():
    lab = objectives.ObjectivesLab(objectives.ObjectivesConfig(d_model=16, n_heads=2, n_layers=1, steps=1, batch=2))
    maps = lab.attention("the cat says meow .")
    T = maps["clm_mask"].shape[0]
    assert (maps["clm_mask"] == torch.ones(T, T).tril().numpy()).all() and maps["mlm_mask"].all()
    assert (maps["clm_attention"][..., maps["clm_mask"] == 0] == 0).all()
    assert (maps["mlm_attention"] > 0).all()
    filled = lab.fill("the _ says meow .")
    assert filled["tokens"][filled["blank"]] == "<mask>" and len(filled["mlm"]) == len(filled["clm"]) == 5
    with pytest.raises(ValueError, match="blank"):
        lab.fill("no blank here")


# ---------------------------------------------------------------- seeds
def _run(lab_cls, cfg):
    lab = lab_cls(cfg)
    snaps = [s for s in lab.run() if s is not None]
    models = lab.models.values() if hasattr(lab, "models") else [lab.model]
    return snaps, [p.detach().clone() for m in models for p in m.parameters()]


@pytest.mark.parametrize("lab_cls,cfg", [
    (seq2seq.Seq2SeqLab, seq2seq.Seq2SeqConfig(d_model=16, n_heads=2, n_layers=1, steps=3, batch=4, test_per_task=2, seed=5)),
    (ln.LnLab, ln.LnConfig(n_layers=2, d_model=16, n_heads=2, steps=3, batch=2, context=16, seed=5)),
    (lstm.LongRangeLab, lstm.LstmConfig(d_model=8, n_heads=2, n_layers=1, steps=3, batch=4, distances=(2, 5), seed=5)),
    (objectives.ObjectivesLab, objectives.ObjectivesConfig(d_model=16, n_heads=2, n_layers=1, steps=3, batch=2, seed=5)),
], ids=["seq2seq", "ln", "lstm", "objectives"])
def test_a_seed_reproduces_a_run_bit_for_bit(lab_cls, cfg):
    snaps_a, params_a = _run(lab_cls, cfg)
    snaps_b, params_b = _run(lab_cls, cfg)
    strip = lambda s: {k: v for k, v in vars(s).items() if k != "elapsed"}
    assert [strip(s) for s in snaps_a] == [strip(s) for s in snaps_b]
    assert all(torch.equal(a, b) for a, b in zip(params_a, params_b))


def test_ln_runs_start_from_the_same_weights_and_see_the_same_batches():
    lab = ln.LnLab(ln.LnConfig(n_layers=2, d_model=16, n_heads=2, steps=2, batch=2, context=16))
    blocks = [m.stack.blocks.state_dict() for m in lab.models.values()]
    assert all(torch.equal(blocks[0][k], b[k]) for b in blocks for k in b)
    snaps = [s for s in lab.run(report_every=1) if s is not None]
    assert len(snaps) == 2 and all(len(v) == 2 for v in snaps[-1].grad_norms.values())
    assert snaps[0].lr["post_warmup"] < snaps[0].lr["post_nowarmup"] == lab.cfg.lr  # warm-up starts low


def test_bad_values_say_what_is_allowed():
    with pytest.raises(KnobError, match="lr must be a number greater than 0"):
        ln.LnConfig(lr=0)
    with pytest.raises(ValueError, match="divisible"):
        seq2seq.Seq2SeqConfig(d_model=30, n_heads=4)
    with pytest.raises(KnobError, match="distances"):
        lstm.LstmConfig(distances=(0, 4))
    with pytest.raises(KnobError, match="tasks"):
        seq2seq.Seq2SeqConfig(tasks=("date_vi", "translate"))
    with pytest.raises(ValueError, match="at most"):
        seq2seq.encode_inputs(["x" * 100])


def test_lstm_gets_the_transformers_parameter_budget():
    lab = lstm.LongRangeLab(lstm.LstmConfig(steps=1))
    counts = lab.n_params
    assert abs(counts["lstm"] - counts["transformer"]) / counts["transformer"] < 0.05


# ---------------------------------------------------------------- what the presets must show


# ---------------------------------------------------------------- command line
def test_cli_lab_seq2seq_answers_what_it_is_asked(capsys):
    from playground.__main__ import main

    code = main(["lab", "seq2seq", "--steps", "2", "--d-model", "16", "--n-heads", "2", "--batch", "4",
                 "--test-per-task", "2", "--ask", "reverse: abc", "--ask", "date: April 3rd, 2021", "--json"])
    assert code == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert lines[0]["experiment"] == "lab seq2seq" and lines[-1]["done"]
    assert set(lines[-1]["answers"]) == {"reverse: abc", "date: April 3rd, 2021"}


def test_cli_lab_rejects_a_bad_value(capsys):
    from playground.__main__ import main

    assert main(["lab", "ln", "--lr", "-1", "--json"]) == 2
    assert "lr must be" in capsys.readouterr().err


def test_a_run_that_diverges_stops_while_the_others_go_on():
    lab = ln.LnLab(ln.LnConfig(n_layers=2, d_model=16, n_heads=2, steps=6, batch=2, context=16))
    with torch.no_grad():  # poison one run: its loss becomes NaN at the first step
        lab.models["post_nowarmup"].head.weight.fill_(float("nan"))
    snaps = [s for s in lab.run(report_every=2) if s is not None]
    assert snaps[-1].diverged_at == {"post_nowarmup": 2, "post_warmup": None, "pre_nowarmup": None, "pre_warmup": None}
    assert snaps[-1].loss["post_nowarmup"] is None and snaps[-1].loss["pre_warmup"] is not None
    assert snaps[-1].step == 6
