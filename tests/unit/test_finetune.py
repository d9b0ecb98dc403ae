"""Fine-tuning Lab core: exact parameter counts, what each strategy may change, seeds, the race, the CLI.

Runs are tiny (a few dozen texts, 32 tokens) so the whole file takes seconds, not minutes."""

from __future__ import annotations

import json
from dataclasses import replace
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from playground import finetune as ft
from playground.data import text as textdata
from playground.kit import training
from playground.finetune import loop
from playground.kit.runs import Diverged

ROOT = Path(__file__).resolve().parents[2]  # the repository (tests/unit/../..)

HEAD_3 = 1_155  # 384 * 3 + 3
FULL_3 = 22_714_371  # MiniLM-L6 (22,713,216 with its pooler) + the 3-class head
LAYER = 1_774_464  # one BERT layer of hidden 384, FFN 1536
POOLER = 384 * 384 + 384
EMBEDDINGS = 30_522 * 384 + 512 * 384 + 2 * 384 + 2 * 384
# BitFit by hand: the embeddings' LayerNorm bias; per layer the query/key/value, attention output, its
# LayerNorm, intermediate (1536), output and its LayerNorm biases; the pooler bias; the head
BITFIT_3 = 384 + 6 * (3 * 384 + 384 + 384 + 1536 + 384 + 384) + 384 + HEAD_3
GOLDEN = json.loads((ROOT / "tests" / "data" / "finetune_golden.json").read_text())


def tiny(**kw) -> ft.FinetuneConfig:
    base = dict(data="tweets", limit=48, test_limit=32, max_length=32, batch_size=16, evals=1,
                probe_size=8, device="cpu", seed=0)
    base.update(kw)
    return ft.FinetuneConfig(**base).resolved()


@pytest.fixture(scope="module")
def tweets():
    return ft.prepare(tiny())


def finish(cfg, strategy, data):
    """Run one strategy; returns (snapshots without heartbeats, trained model)."""
    snaps = [s for s in ft.train_strategy(cfg, strategy, data, return_model=True) if s is not None]
    return snaps, snaps[-1].model


# ---------------------------------------------------------------- data
def test_text_sets_have_a_fixed_stratified_split():
    d = textdata.load_texts("tweets")
    assert len(d) == 38_158 and d.classes == ("negative", "neutral", "positive")
    assert len(set(d.train_idx.tolist()) & set(d.test_idx.tolist())) == 0
    assert len(d.train_idx) + len(d.test_idx) == len(d)
    train_share = torch.bincount(d.labels[d.train_idx]) / len(d.train_idx)
    test_share = torch.bincount(d.labels[d.test_idx]) / len(d.test_idx)
    assert torch.allclose(train_share, test_share, atol=0.005)
    again_train, _ = textdata.stratified_split(d.labels, textdata.TEST_FRACTION["tweets"], textdata.SPLIT_SEED)
    assert torch.equal(again_train, d.train_idx)
    b = textdata.load_texts("bbc")
    assert len(b) == 2_225 and b.num_classes == 5
    assert torch.bincount(b.labels).tolist() == [510, 386, 417, 511, 401]


def test_subsample_is_exact_seeded_and_inside_the_split():
    d = textdata.load_texts("bbc")
    a = textdata.subsample(d.train_idx, d.labels, 101, seed=3)
    assert len(a) == 101 and torch.equal(a, textdata.subsample(d.train_idx, d.labels, 101, seed=3))
    assert not torch.equal(a, textdata.subsample(d.train_idx, d.labels, 101, seed=4))
    assert set(a.tolist()) <= set(d.train_idx.tolist())
    assert textdata.subsample(d.train_idx, d.labels, None, 0) is d.train_idx


def test_encode_caches_and_records_real_lengths(tweets):
    d = textdata.load_texts("tweets")
    enc = textdata.encode(d, ft.tokenizer(), 32)
    assert enc is textdata.encode(d, ft.tokenizer(), 32)
    assert enc.input_ids.shape == (len(d), 32)
    assert torch.equal(enc.lengths, enc.attention_mask.sum(1))
    with pytest.raises(ValueError, match="max_length"):
        textdata.encode(d, ft.tokenizer(), 4)


# ---------------------------------------------------------------- config
@pytest.mark.parametrize("kw, msg", [
    (dict(lr=0.0), "lr must be"), (dict(lr=-1e-3), "lr must be"), (dict(lr=float("nan")), "lr must be"),
    (dict(epochs=0), "epochs"), (dict(batch_size=-1), "batch_size"), (dict(data="imdb"), "data must be"),
    (dict(schedule="exp"), "schedule must be"), (dict(optimizer="sgd"), "optimizer must be"),
    (dict(warmup=1.5), "warmup"), (dict(max_grad_norm=-1), "max_grad_norm"), (dict(lora_r=0), "lora_r"),
    (dict(lora_targets=("query", "mlp")), "lora_targets"), (dict(lora_targets=()), "lora_targets"),
    (dict(seed=-1), "seed"), (dict(max_length=4), "max_length"), (dict(limit=2.5), "limit"),
    (dict(device="tpu"), "device"), (dict(step_mode="graphs"), "step_mode"), (dict(lora_dropout=1.0), "lora_dropout"),
])
def test_config_rejects_bad_values_with_a_clear_message(kw, msg):
    with pytest.raises(ValueError, match=msg):
        ft.FinetuneConfig(**kw)


def test_config_fills_device_defaults_and_per_strategy_lr():
    cfg = ft.FinetuneConfig(device="cpu").resolved()
    assert (cfg.limit, cfg.max_length, cfg.batch_size) == (800, 32, 16)
    assert cfg.lr_for("full") < cfg.lr_for("freeze_bottom") < cfg.lr_for("lora") < cfg.lr_for("feature_extraction")
    assert ft.FinetuneConfig(lr=3e-4).lr_for("full") == 3e-4
    assert ft.FinetuneConfig(lora_targets="query, value").lora_targets == ("query", "value")
    with pytest.raises(ValueError, match="unknown strategy"):
        ft.check_strategies("full,magic")
    assert ft.check_strategies("full, lora,full") == ("full", "lora")


def test_cli_flags_come_from_the_knobs():
    import argparse

    p = argparse.ArgumentParser()
    ft.add_arguments(p)
    args = p.parse_args(["--limit", "24", "--lora-targets", "query,key", "--group-by-length", "--lr", "3e-4",
                         "--step-mode", "static", "--device", "cpu"])
    cfg = ft.config_from_args(args)
    assert (cfg.limit, cfg.lora_targets, cfg.group_by_length, cfg.lr, cfg.step_mode) == (
        24, ("query", "key"), True, 3e-4, "static")
    assert cfg.epochs == 1 and cfg.batch_size is None  # untouched flags keep the dataclass defaults
    with pytest.raises(SystemExit):
        p.parse_args(["--optimizer", "sgd"])
    assert ft.FinetuneConfig(limit=0, batch_size=0).limit is None  # 0 = the device default


def test_length_buckets():
    assert ft.length_buckets(64) == (16, 32, 48, 64)
    assert ft.length_buckets(32) == (8, 16, 24, 32)
    assert ft.length_buckets(20) == (8, 16, 20)
    assert [ft.bucket_for(t, (16, 32)) for t in (3, 16, 17, 32)] == [16, 16, 32, 32]
    with pytest.raises(ValueError):
        ft.bucket_for(33, (16, 32))


def test_registry_holds_every_strategy_once():
    assert set(ft.STRATEGIES) == set(ft.REGISTRY) and len(set(s.colour for s in ft.REGISTRY.values())) == len(ft.REGISTRY)
    assert {"bitfit", "from_scratch"} <= set(ft.STRATEGIES)
    assert all(ft.REGISTRY[s].peft for s in ("lora", "ia3", "prompt_tuning"))
    assert not ft.get("from_scratch").pretrained and ft.get("feature_extraction").cached_features


@pytest.mark.parametrize("grouped", [False, True])
def test_epoch_batches_cover_every_text_once(grouped):
    lengths = torch.randint(3, 33, (203,))
    batches = ft.epoch_batches(lengths, 16, torch.Generator().manual_seed(0), grouped)
    assert sorted(torch.cat([b for b, _ in batches]).tolist()) == list(range(203))
    assert all(t == int(lengths[b].max()) for b, t in batches)
    spread = sum(int(lengths[b].max() - lengths[b].min()) for b, _ in batches)
    plain = ft.epoch_batches(lengths, 16, torch.Generator().manual_seed(0), False)
    if grouped:  # similar lengths together: far less padding
        assert spread < sum(int(lengths[b].max() - lengths[b].min()) for b, _ in plain) / 3


# ---------------------------------------------------------------- parameter counts
@pytest.mark.parametrize("strategy, expected", [
    ("feature_extraction", HEAD_3),
    ("full", FULL_3),
    ("freeze_bottom", 3 * LAYER + POOLER + HEAD_3),  # layers 3-5 + pooler + head
    ("freeze_top", EMBEDDINGS + 3 * LAYER + HEAD_3),  # embeddings + layers 0-2 + head
    ("freeze_interval", 3 * LAYER + POOLER + HEAD_3),  # layers 1, 3, 5 + pooler + head
    ("lora", 6 * 2 * (384 * 8 + 8 * 384) + HEAD_3),  # r=8 on query and value of 6 layers
    ("ia3", 6 * (384 + 384 + 1536) + HEAD_3),  # one scale per key/value output and FFN input
    ("prompt_tuning", 8 * 384 + HEAD_3),
    ("bitfit", BITFIT_3),
    ("from_scratch", FULL_3),
])
def test_exact_trainable_counts(strategy, expected):
    model = ft.apply_strategy(ft.fresh_model(3, seed=0, pretrained=ft.get(strategy).pretrained), strategy, tiny())
    trainable, total = ft.count_params(model)
    assert trainable == expected
    if strategy not in ft.PEFT_STRATEGIES:
        assert total == FULL_3


def test_fresh_models_are_private_and_seeded():
    a, b, c = ft.fresh_model(3, 0), ft.fresh_model(3, 0), ft.fresh_model(3, 1)
    assert a.bert.embeddings.word_embeddings.weight.data_ptr() != b.bert.embeddings.word_embeddings.weight.data_ptr()
    assert torch.equal(a.classifier.weight, b.classifier.weight)
    assert not torch.equal(a.classifier.weight, c.classifier.weight)
    assert not ft._template(3).classifier.weight.requires_grad  # the template is never trained


def test_freeze_plans():
    assert ft.frozen_layers("freeze_bottom", 6) == (0, 1, 2)
    assert ft.frozen_layers("freeze_top", 6, 2) == (4, 5)
    assert ft.frozen_layers("freeze_interval", 6, every=3) == (0, 3)
    assert ft.frozen_layers("full", 6) == ()
    with pytest.raises(ValueError, match="freeze_k"):
        ft.frozen_layers("freeze_bottom", 6, 7)


# ---------------------------------------------------------------- what training may change
def _state(model) -> dict[str, torch.Tensor]:
    return {k: v.detach().clone() for k, v in model.state_dict().items()}


@pytest.mark.parametrize("strategy", ["feature_extraction", "freeze_bottom", "freeze_top", "freeze_interval",
                                      "bitfit"])
def test_frozen_weights_stay_bit_identical(tweets, strategy):
    """Every weight that does not train is bit-identical after training; the trainable ones moved."""
    start = ft.fresh_model(3, seed=0)
    fixed = {n for n, p in ft.apply_strategy(ft.fresh_model(3, seed=0), strategy, tiny()).named_parameters()
             if not p.requires_grad}
    _, model = finish(tiny(), strategy, tweets)
    before, after = _state(start), model.state_dict()
    assert fixed and all(torch.equal(before[n], after[n]) for n in fixed)
    moved = [n for n in before if n not in fixed and not torch.equal(before[n], after[n])]
    assert "classifier.weight" in moved
    if strategy == "bitfit":
        assert all(n.endswith(".bias") or n.startswith("classifier.") for n in moved)
        assert "bert.encoder.layer.0.intermediate.dense.bias" in moved


def test_feature_extraction_leaves_the_encoder_and_computes_features_once(tweets, monkeypatch):
    calls = []
    real = loop.features_in_batches
    monkeypatch.setattr(loop, "features_in_batches", lambda *a, **k: calls.append(1) or real(*a, **k))
    stream = list(ft.train_strategy(tiny(epochs=3), "feature_extraction", tweets, return_model=True))
    assert None in stream  # heartbeats: one per batch of features
    snaps = [s for s in stream if s is not None]
    model = snaps[-1].model
    assert len(calls) == 2  # train and test features, once, whatever the number of epochs
    before, after = _state(ft._template(3)), model.state_dict()
    assert all(torch.equal(w, after[k]) for k, w in before.items() if not k.startswith("classifier."))
    r = snaps[-1].result
    assert r.trainable == HEAD_3 and r.feature_s is not None and r.feature_s <= r.train_s
    assert r.drift == pytest.approx(0.0, abs=1e-5)


def test_from_scratch_is_the_same_architecture_with_seeded_random_weights():
    pre, a, b = ft.fresh_model(3, 0), ft.fresh_model(3, 0, pretrained=False), ft.fresh_model(3, 0, pretrained=False)
    assert [n for n, _ in a.named_parameters()] == [n for n, _ in pre.named_parameters()]
    w = "bert.encoder.layer.2.attention.self.query.weight"
    assert torch.equal(a.state_dict()[w], b.state_dict()[w])
    assert not torch.equal(a.state_dict()[w], pre.state_dict()[w])
    assert abs(a.state_dict()[w].std().item() - a.config.initializer_range) < 2e-3
    assert torch.equal(a.classifier.weight, pre.classifier.weight)  # the same head as every strategy
    assert not torch.equal(ft.fresh_model(3, 1, pretrained=False).state_dict()[w], a.state_dict()[w])


def test_lora_changes_only_adapter_and_head_weights(tweets):
    base = _state(ft.fresh_model(3, seed=0))  # the pretrained encoder and the seeded head it starts from
    _, model = finish(tiny(), "lora", tweets)
    changed_adapters = 0
    for name, p in model.named_parameters():
        if "lora_" in name:
            changed_adapters += int("lora_B" in name and p.abs().sum() > 0)  # B starts at 0
            continue
        if "modules_to_save" in name:
            continue
        key = name.removeprefix("base_model.model.").replace(".base_layer.", ".").replace(".original_module.", ".")
        assert torch.equal(p.detach(), base[key]), name
    assert changed_adapters == 12  # query and value of 6 layers
    head = dict(model.named_parameters())["base_model.model.classifier.modules_to_save.default.weight"]
    assert not torch.equal(head.detach(), ft.fresh_model(3, 0).classifier.weight)


def _losses(cfg, strategy, data):
    snaps = [s for s in ft.train_strategy(cfg, strategy, data) if s is not None]
    return [s.loss for s in snaps if s.loss is not None], snaps[-1].result.test_acc


def test_a_seed_reproduces_a_run(tweets):
    def run(seed):  # only the top layer trains: cheap, yet batches and the head depend on the seed
        return _losses(tiny(seed=seed, evals=2, freeze_k=5), "freeze_bottom", tweets)

    first, second, other = run(5), run(5), run(6)
    assert first == second
    assert first != other


def test_the_global_random_generator_is_never_seeded_nor_read(tweets):
    """The loop never touches the global generator; peft reads it while building adapters, but they are
    re-initialised from the run's generator, so the global state does not matter (LoRA with dropout)."""
    torch.manual_seed(123)
    state = torch.random.get_rng_state()
    _losses(tiny(freeze_k=5), "freeze_bottom", tweets)
    assert torch.equal(torch.random.get_rng_state(), state)
    torch.manual_seed(1)
    first = _losses(tiny(lora_dropout=0.2), "lora", tweets)
    torch.manual_seed(2)
    assert _losses(tiny(lora_dropout=0.2), "lora", tweets) == first


def test_concurrent_runs_with_one_seed_match_the_run_alone(tweets):
    """Two runs in threads, while a third thread draws from and reseeds the global generator: each gives
    bit-identical losses and accuracy to the same run alone."""
    import threading

    cfg = tiny(lora_dropout=0.2, evals=2)
    alone = _losses(cfg, "lora", tweets)
    results, stop = [None, None], threading.Event()

    def noise():
        while not stop.is_set():
            torch.manual_seed(int(torch.randint(0, 1000, ())))
            torch.rand(1000)

    def worker(i):
        results[i] = _losses(cfg, "lora", tweets)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
    noisy = threading.Thread(target=noise)
    noisy.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stop.set()
    noisy.join()
    assert results == [alone, alone]


def test_the_eager_loop_is_unchanged(tweets):
    """Losses, accuracy and drift equal those of the loop before the split (same data, dropout off)."""
    cfg = tiny(epochs=2)
    for strategy in ("feature_extraction", "freeze_bottom", "full"):
        snaps = [s for s in ft.train_strategy(cfg, strategy, tweets) if s is not None]
        losses = [s.loss for s in snaps if s.loss is not None]
        want = GOLDEN[strategy]
        assert losses == pytest.approx(want["losses"], rel=1e-5, abs=1e-6), strategy
        assert snaps[-1].result.test_acc == want["acc"] and snaps[-1].result.step_mode == "eager"
        assert snaps[-1].result.drift == pytest.approx(want["drift"], abs=1e-5)


@pytest.mark.parametrize("strategy", ["feature_extraction", "freeze_bottom"])
def test_static_shapes_give_the_same_results(strategy):
    """Length buckets and a fixed padded batch (zero-weight rows) change the arithmetic only at float
    rounding: the same losses within 1e-4 and the same accuracy (40 texts in batches of 16: the last batch
    of each epoch is short, so padded rows are exercised)."""
    data = ft.prepare(tiny(limit=40))
    eager = _losses(tiny(limit=40, epochs=2, freeze_k=5), strategy, data)
    static = _losses(tiny(limit=40, epochs=2, freeze_k=5, step_mode="static"), strategy, data)
    assert static[0] == pytest.approx(eager[0], rel=1e-4, abs=1e-5)
    assert static[1] == eager[1]


def test_bucketed_inference_gives_the_same_outputs(tweets):
    """Padding inference batches up to length buckets (what a GPU does) changes nothing but rounding."""
    model = ft.fresh_model(3, 0)
    args = (model, tweets.test_ids, tweets.test_mask, tweets.test_len)
    lengths = [t for _, t in loop._batches(torch.argsort(tweets.test_len), tweets.test_len, 4, 32, torch.device("cpu"), True)]
    assert set(lengths) <= {8, 16, 24, 32} and len(set(lengths)) > 1  # short texts padded to 8, 16, 24
    plain, padded = (ft.pooled_features(*args, batch_size=4, buckets=b) for b in (False, True))
    assert torch.allclose(plain, padded, atol=1e-5)
    acc = [ft.evaluate(*args, tweets.test_y, batch_size=4, buckets=b) for b in (False, True)]
    assert acc[0] == acc[1]


def test_a_nan_loss_raises_diverged():
    assert training.check_finite(1.5, 3) == 1.5
    with pytest.raises(Diverged, match="step 7"):
        training.check_finite(float("nan"), 7)


def test_one_gpu_race_at_a_time():
    """wait_for_gpu waits (yielding the seconds waited) while another run holds GPU_RACE."""
    import threading

    cuda = torch.device("cuda")  # only the lock is used: no GPU needed
    assert list(training.wait_for_gpu(torch.device("cpu"))) == []
    assert training.GPU_RACE.acquire(blocking=False)
    threading.Timer(0.3, training.GPU_RACE.release).start()
    gen, waited = training.wait_for_gpu(cuda, poll=0.05), []
    while True:
        try:
            waited.append(next(gen))
        except StopIteration as done:
            held = done.value
            break
    assert held and waited and waited[-1] > 0.1
    training.GPU_RACE.release()


def test_snapshots_stream_and_carry_measured_results(tweets):
    stream = list(ft.train_strategy(tiny(evals=2), "ia3", tweets, index=2))
    snaps = [s for s in stream if s is not None]
    assert snaps[0].phase == "setup" and snaps[-1].phase == "done"
    steps = [s.step for s in snaps if s.phase == "train"]
    assert steps == sorted(steps) and steps[-1] == snaps[-1].total_steps == 3
    assert sum(s.test_acc is not None for s in snaps) == 2
    r = snaps[-1].result
    assert r.strategy == "ia3" and all(s.index == 2 for s in snaps)
    assert r.device.startswith("cpu") and r.mem_kind.startswith("cpu rss")
    assert r.train_s > 0 and r.wall_s >= r.train_s and r.samples_per_s > 0
    assert r.peak_mem_mb > 0  # the model copy alone is ~87 MB of new resident memory
    assert 0 <= r.test_acc <= 1 and r.n_train == 48 and r.n_test == 32
    json.dumps(ft.report(r))  # every field is JSON-ready


def test_a_tiny_race_beats_chance():
    """BBC News (5 classes, chance 0.2): a race of head-only (cached features) and top-layer tuning."""
    cfg = ft.FinetuneConfig(data="bbc", limit=80, test_limit=60, max_length=32, batch_size=20, epochs=8,
                            freeze_k=5, evals=2, probe_size=0, device="cpu", seed=0)
    snaps = [s for s in ft.race(cfg, ["feature_extraction", "freeze_bottom"]) if s is not None]
    results = [s.result for s in snaps if s.result is not None]
    assert [r.strategy for r in results] == ["feature_extraction", "freeze_bottom"]
    assert [s.index for s in snaps if s.result is not None] == [0, 1]
    majority = ft.majority_baseline(cfg)
    assert majority == torch.bincount(ft.prepare(cfg.resolved()).test_y).max().item() / 60
    assert max(r.test_acc for r in results) > majority + 0.2, results
    assert results[0].trainable == 384 * 5 + 5 and results[1].trainable == LAYER + POOLER + 384 * 5 + 5


def test_sweep_yields_one_point_per_strategy_and_size():
    cfg = ft.FinetuneConfig(data="bbc", test_limit=16, max_length=16, batch_size=8, evals=1, probe_size=0,
                            device="cpu", seed=0)
    items = list(ft.sweep(cfg, "feature_extraction,from_scratch", "24, 16"))
    points = [p for p in items if isinstance(p, ft.SweepPoint)]
    assert [(p.strategy, p.n_train) for p in points] == [("feature_extraction", 16), ("from_scratch", 16),
                                                         ("feature_extraction", 24), ("from_scratch", 24)]
    assert all(0 <= p.test_acc <= 1 and p.train_s > 0 for p in points)
    assert any(isinstance(s, ft.Snapshot) for s in items)  # the runs stream as they train
    json.dumps([p.as_dict() for p in points])
    with pytest.raises(ValueError, match="sweep sizes"):
        ft.check_sizes("10,abc")
    with pytest.raises(ValueError, match="sweep sizes"):
        ft.check_sizes([4])


def test_sweep_repeats_each_size_with_the_next_seeds():
    cfg = ft.FinetuneConfig(data="bbc", test_limit=16, max_length=16, batch_size=8, evals=1, probe_size=0,
                            device="cpu", seed=3)
    points = [p for p in ft.sweep(cfg, "feature_extraction,bitfit", "16", repeats=2) if isinstance(p, ft.SweepPoint)]
    assert [(p.strategy, p.n_train, p.seed) for p in points] == [
        ("feature_extraction", 16, 3), ("bitfit", 16, 3), ("feature_extraction", 16, 4), ("bitfit", 16, 4)]
    for bad in (0, 1.5, "x", ft.MAX_REPEATS + 1):
        with pytest.raises(ValueError, match="sweep repeats"):
            ft.check_repeats(bad)


def test_first_use_from_many_threads_at_once():
    """A cold process: four threads load the tokenizer and the model and wrap LoRA at the same moment (the
    classroom cold start); every one succeeds, and they share one tokenizer and one template."""
    code = """
import threading
from playground import finetune as ft
barrier, out = threading.Barrier(4), []
def go():
    barrier.wait()
    m = ft.apply_strategy(ft.fresh_model(3, 0), "lora", ft.FinetuneConfig(device="cpu"))
    out.append((id(ft.tokenizer()), id(ft._template(3)), ft.count_params(m)[0]))
threads = [threading.Thread(target=go) for _ in range(4)]
[t.start() for t in threads]; [t.join() for t in threads]
assert len(out) == 4 and len(set(out)) == 1, out
print("ok")
"""
    env = dict(os.environ, PYTHONPATH=str(ROOT), OMP_WAIT_POLICY="PASSIVE")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env,
                          timeout=300)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr[-3000:]


def test_cli_prints_one_json_line_per_strategy():
    env = dict(os.environ, PYTHONPATH=str(ROOT), OMP_WAIT_POLICY="PASSIVE")
    out = subprocess.run(
        [sys.executable, "-m", "playground", "finetune", "--data", "bbc", "--strategies",
         "feature_extraction,freeze_bottom", "--limit", "24", "--test-limit", "16", "--max-length", "32",
         "--evals", "1", "--seed", "1", "--device", "cpu", "--json"],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)
    assert out.returncode == 0, out.stderr
    lines = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
    assert [d["strategy"] for d in lines] == ["feature_extraction", "freeze_bottom"]
    for d in lines:
        assert {"strategy", "trainable", "total", "pct", "train_s", "samples_per_s", "peak_mem_mb",
                "test_acc", "device"} <= d.keys()
    assert lines[0]["trainable"] == 384 * 5 + 5
    bad = subprocess.run([sys.executable, "-m", "playground", "finetune", "--strategies", "magic", "--json"],
                         capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert bad.returncode == 2 and "unknown strategy" in bad.stderr


# ---------------------------------------------------------------- GPU
@pytest.mark.gpu
def test_gpu_autocast_is_bf16():
    """What autocast guarantees: matrix products and linear layers in bf16 (LayerNorm stays float32)."""
    a = torch.randn(4, 4, device="cuda")
    with training.autocast(torch.device("cuda")):
        assert (a @ a).dtype == torch.bfloat16
    model = ft.fresh_model(3, 0).cuda()
    ids = torch.randint(1000, 2000, (2, 8), device="cuda")
    seen = {}
    model.bert.encoder.layer[0].attention.self.query.register_forward_hook(
        lambda m, i, o: seen.update(query=o.dtype))  # returns None: the output is kept
    with training.autocast(torch.device("cuda")):
        logits = model(input_ids=ids, attention_mask=torch.ones_like(ids)).logits
    assert seen["query"] == torch.bfloat16 and logits.dtype == torch.bfloat16


@pytest.mark.gpu
def test_gpu_race_measures_the_cuda_allocator():
    cfg = ft.FinetuneConfig(data="tweets", limit=256, test_limit=128, max_length=32, batch_size=32,
                            evals=1, device="cuda", seed=0)
    results = ft.run(cfg, ["feature_extraction", "full", "lora"])
    for r in results:
        assert r.device.startswith("cuda") and r.mem_kind.startswith("cuda")
        assert r.peak_mem_mb > 80  # at least the fp32 weights of the private copy
        assert 0 <= r.test_acc <= 1 and r.step_mode == "cuda_graphs"
    full = next(r for r in results if r.strategy == "full")
    lora = next(r for r in results if r.strategy == "lora")
    assert lora.peak_mem_mb < full.peak_mem_mb  # no gradients or Adam moments for the frozen 22.6 M
    assert not training.GPU_RACE.locked()  # released at the end of the race


@pytest.mark.gpu
@pytest.mark.parametrize("strategy", ["freeze_bottom", "bitfit"])
def test_gpu_frozen_weights_stay_bit_identical(strategy):
    """Through the CUDA-graph path (warm-up steps on a copy, then replays)."""
    cfg = ft.FinetuneConfig(data="tweets", limit=128, test_limit=64, max_length=32, batch_size=32,
                            evals=1, device="cuda", seed=0).resolved()
    data = ft.prepare(cfg)
    snaps, model = finish(cfg, strategy, data)
    assert snaps[-1].result.step_mode == "cuda_graphs"
    start = ft.fresh_model(3, 0).state_dict()
    fixed = {n for n, p in model.named_parameters() if not p.requires_grad}
    after = model.state_dict()
    assert fixed and all(torch.equal(after[n].cpu(), start[n]) for n in fixed)
    assert not torch.equal(after["classifier.weight"].cpu(), start["classifier.weight"])


@pytest.mark.gpu
@pytest.mark.parametrize("strategy", ["feature_extraction", "freeze_bottom", "full", "lora", "from_scratch"])
def test_gpu_graphs_match_the_eager_loop(strategy):
    """The CUDA-graph path (buckets, capturable fused AdamW, on-device sums) against the eager loop on the
    same data: the same starting loss, close final loss, accuracy within 4 points (bf16 rounding differs)."""
    cfg = ft.FinetuneConfig(data="tweets", limit=1000, test_limit=500, max_length=64, batch_size=64,
                            evals=1, probe_size=0, device="cuda", seed=0).resolved()
    data = ft.prepare(cfg)
    runs = {}
    for mode in ("eager", "static"):
        snaps = [s for s in ft.train_strategy(replace(cfg, step_mode=mode), strategy, data) if s is not None]
        runs[mode] = ([s.loss for s in snaps if s.loss is not None], snaps[-1].result)
    (le, re), (ls, rs) = runs["eager"], runs["static"]
    assert rs.step_mode == "cuda_graphs" and re.step_mode == "eager"
    assert ls[0] == pytest.approx(le[0], abs=0.02)
    assert abs(sum(ls[-3:]) - sum(le[-3:])) / 3 < 0.1
    assert abs(rs.test_acc - re.test_acc) <= 0.04, (rs.test_acc, re.test_acc)


@pytest.mark.gpu
def test_gpu_strategies_that_cannot_be_captured_run_eagerly():
    cfg = ft.FinetuneConfig(data="tweets", limit=128, test_limit=64, max_length=32, batch_size=32, evals=1,
                            probe_size=0, device="cuda", seed=0, lora_dropout=0.1)
    results = {r.strategy: r for r in ft.run(cfg, ["prompt_tuning", "lora"])}
    assert results["prompt_tuning"].step_mode == "static" and results["lora"].step_mode == "static"


def test_wilson_interval_of_an_accuracy():
    from playground.kit.metrics import wilson_interval

    lo, hi = wilson_interval(0.6, 250)
    assert 0.53 < lo < 0.54 and 0.65 < hi < 0.66  # about ±6 points with 250 test texts
    assert wilson_interval(1.0, 10)[1] == 1.0 and wilson_interval(0.0, 10)[0] == 0.0
    assert wilson_interval(0.5, 0) == (0.0, 1.0)
