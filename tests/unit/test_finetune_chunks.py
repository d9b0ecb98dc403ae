"""A race split into calls (ZeroGPU): the plan fits every call, and a strategy trained in pieces, its state
carried between them on the CPU, gives exactly the numbers of one uninterrupted run."""

from __future__ import annotations

import pytest
import torch

from playground import finetune as ft
from playground.finetune import chunks


def tiny(**kw) -> ft.FinetuneConfig:
    base = dict(data="tweets", limit=48, test_limit=32, max_length=32, batch_size=16, evals=3, probe_size=8,
                device="cpu", seed=0, epochs=3, step_mode="static")
    base.update(kw)
    return ft.FinetuneConfig(**base).resolved()


def _covered(calls) -> dict[str, list[tuple[int, int]]]:
    seen: dict[str, list[tuple[int, int]]] = {}
    for call in calls:
        for seg in call.segments:
            seen.setdefault(seg.strategy, []).append((seg.first, seg.last))
    return seen


@pytest.mark.parametrize("epochs, max_s", [(1, 300), (1, 120), (3, 120), (3, 60), (10, 55)])
def test_the_plan_covers_every_epoch_once_in_order_and_each_call_fits(epochs, max_s):
    cfg = ft.FinetuneConfig(data="tweets", epochs=epochs, device="cpu", batch_size=64)
    race = ("feature_extraction", "freeze_bottom", "full", "lora")
    calls = chunks.plan(cfg, race, max_s)
    assert all(0 < c.seconds <= max_s for c in calls)
    per_epoch = chunks.steps_per_epoch(cfg)
    for c in calls:  # the asked duration is the estimate of what the call holds
        steps = sum((s.last - s.first) * per_epoch for s in c.segments)
        assert c.seconds == min(max_s, chunks.estimate_s(len(c.segments), steps))
    order = [s.strategy for c in calls for s in c.segments]
    assert sorted(set(order), key=order.index) == list(race)  # race order, each strategy's pieces together
    for strategy, pieces in _covered(calls).items():
        assert pieces[0][0] == 0 and pieces[-1][1] == epochs
        assert all(a[1] == b[0] for a, b in zip(pieces, pieces[1:]))  # contiguous, no epoch twice


def test_the_default_gpu_race_is_one_call_and_a_long_race_several():
    one = ft.FinetuneConfig(data="tweets", device="cpu", batch_size=64)
    assert len(chunks.plan(one, ft.DEFAULT_RACE, 120)) == 1  # 2,148 steps: asks for 115 s
    three = ft.FinetuneConfig(data="tweets", epochs=3, device="cpu", batch_size=64)
    assert len(chunks.plan(three, ft.DEFAULT_RACE, 120)) > 1


def test_an_epoch_too_long_for_one_call_is_refused_with_a_reason():
    with pytest.raises(ValueError, match="one epoch needs about"):
        chunks.plan(ft.FinetuneConfig(data="tweets", device="cpu", batch_size=8), ["full"], 60)


def _trace(stream):
    """What a user sees of a run: every report's step, loss and accuracy, then the result's figures."""
    snaps = [s for s in stream if s is not None]
    reports = [(s.strategy, s.step, s.loss, s.test_acc) for s in snaps if s.phase == "train"]
    results = [(r.strategy, r.test_acc, r.steps, r.n_train) for r in (s.result for s in snaps) if r is not None]
    return reports, results, [s for s in snaps if s.phase == "chunk"]


@pytest.mark.parametrize("strategy", ["lora", "feature_extraction"])  # seeded dropout; cached features
def test_a_strategy_trained_in_pieces_matches_one_run_exactly(strategy):
    cfg = tiny(lora_dropout=0.2, freeze_k=5)  # LoRA with dropout: its generator's state crosses calls too
    whole = _trace(ft.race(cfg, [strategy]))
    calls = chunks.plan(cfg, [strategy], max_s=40)  # 40 s holds one epoch of 3 steps, not two
    assert [(s.first, s.last) for c in calls for s in c.segments] == [(0, 1), (1, 2), (2, 3)]
    pieces = _trace(chunks.chunked_race(cfg, [strategy], max_s=40))
    assert len(pieces[2]) == 2  # two hand-overs
    assert pieces[0] == whole[0] and pieces[1] == whole[1]  # bit-identical losses and accuracies
    assert len(whole[0]) >= 3 and len(whole[1]) == 1  # something to compare: a report per epoch, a result


def test_the_checkpoint_is_on_the_cpu_and_holds_only_what_trains():
    cfg = tiny()
    call = chunks.plan(cfg, ["lora"], max_s=40)[0]
    last = [s for s in chunks.run_call(cfg, call) if s is not None][-1]
    ckpt = last.checkpoint
    assert last.phase == "chunk" and ckpt.epoch == 1 and ckpt.step == 3
    tensors = list(ckpt.params.values()) + [ckpt.running, ckpt.batch_rng]
    assert all(t.device.type == "cpu" for t in tensors)
    assert all(("lora_" in n) or ("classifier" in n) for n in ckpt.params)  # adapters and head, no frozen weight
    assert sum(t.numel() for t in ckpt.params.values()) < 0.02 * ft.count_params(ft.fresh_model(3, 0))[1]


def test_a_call_that_goes_on_without_its_checkpoint_is_refused():
    cfg = tiny()
    second = chunks.plan(cfg, ["full"], max_s=40)[1]
    with pytest.raises(ValueError, match="checkpoint is missing"):
        next(chunks.run_call(cfg, second, None))


def test_a_checkpoint_of_another_strategy_does_not_fit():
    cfg = tiny()
    calls = chunks.plan(cfg, ["lora"], max_s=40)
    ckpt = [s for s in chunks.run_call(cfg, calls[0]) if s is not None][-1].checkpoint
    wrong = chunks.Call((chunks.Segment("lora", 0, 1, 2),), 40)
    with pytest.raises(ValueError, match="another configuration"):
        list(chunks.run_call(tiny(lora_r=4), wrong, ckpt))


def test_the_tab_runs_a_split_race_says_so_and_records_every_piece(monkeypatch):
    """The numbers are the core's (checked above); here: the tab goes through the pieces and says so."""
    from tabs.finetune import session as S

    monkeypatch.setattr(S, "CALL_S", 40)  # one epoch per call
    sess = S.RaceSession()
    snaps = [x for x in S.make_run(sess, S.Race(tiny(epochs=2, limit=32), ("lora",))) if x is not None]
    hand_over = [x for x in snaps if x.phase == "chunk"]
    assert len(hand_over) == 1
    assert "handing over to the next GPU call" in S.race_where(sess, hand_over[0], "en")
    assert "chuyển sang lần gọi GPU tiếp theo" in S.race_where(sess, hand_over[0], "vi")
    steps = [p["step"] for p in sess.history["lora"]]
    assert steps == sorted(steps) and steps[-1] == snaps[-1].total_steps == 4  # both epochs, in order
    assert len(sess.results) == 1 and sess.results[0]["steps"] == 4


@pytest.mark.gpu
@pytest.mark.parametrize("strategy", ["freeze_bottom", "full", "lora", "feature_extraction"])
def test_gpu_pieces_through_cuda_graphs_match_one_run(strategy):
    """On CUDA the optimizer's moments go back into the tensors the captured graphs hold (in place)."""
    cfg = ft.FinetuneConfig(data="tweets", limit=256, test_limit=128, max_length=32, batch_size=32, evals=3,
                            epochs=3, device="cuda", seed=0).resolved()
    per_epoch = chunks.steps_per_epoch(cfg, 256)
    max_s = chunks.estimate_s(1, per_epoch)  # one epoch per call
    whole = _trace(ft.race(cfg, [strategy]))
    pieces = _trace(chunks.chunked_race(cfg, [strategy], max_s=max_s))
    assert len(pieces[2]) == 2
    (w_reports, w_results), (p_reports, p_results) = whole[:2], pieces[:2]
    assert [r[1] for r in p_reports] == [r[1] for r in w_reports]
    losses = torch.tensor([r[2] for r in w_reports]), torch.tensor([r[2] for r in p_reports])
    assert torch.allclose(*losses, rtol=1e-3, atol=1e-4), losses  # same arithmetic, kernels may reorder sums
    assert abs(p_results[0][1] - w_results[0][1]) <= 2 / 128  # at most two test texts flip
