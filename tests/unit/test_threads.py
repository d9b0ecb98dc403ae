"""A seed gives the same figures whatever the machine's core count: each run fixes its own thread count.

Each experiment below runs the same small config twice, on a thread set to compute with 1 intra-op thread and on
one set to 2 (as a 1-core laptop and a 2-core Space would), and the two runs' numbers must be equal bit for bit.
Before the runs fixed their threads, pre-LN's loss read 2.7749 on one thread and 2.7784 on two.
"""

from __future__ import annotations

import threading

import numpy as np
import pytest
import torch

from playground.kit.runtime import limit_this_thread, this_thread_count


def _on_a_thread(threads: int, fn):
    """``fn()`` on a new thread whose torch work would use ``threads`` intra-op threads if the run did not fix its own."""
    out: dict = {}

    def work():
        limit_this_thread(threads)
        out["seen"] = this_thread_count()
        out["value"] = fn()

    t = threading.Thread(target=work)
    t.start()
    t.join(600)
    assert out["seen"] == threads
    return out["value"]


def _timed(field: str) -> bool:
    return "elapsed" in field or field.endswith(("_s", "_ms", "seconds", "per_s"))


def _numbers(value) -> list[float]:
    """Every number in snapshots, dicts, lists, arrays and tensors, in a fixed order."""
    if isinstance(value, torch.Tensor):
        return value.detach().double().flatten().tolist()
    if isinstance(value, np.ndarray):
        return value.astype(np.float64).flatten().tolist()
    if isinstance(value, dict):
        return [x for k in sorted(value, key=str) for x in _numbers(value[k])]
    if isinstance(value, (list, tuple)):
        return [x for v in value for x in _numbers(v)]
    if hasattr(value, "__dataclass_fields__"):  # times from a clock are not figures of the run
        return [x for f in value.__dataclass_fields__ if not _timed(f) for x in _numbers(getattr(value, f))]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return []
    if isinstance(value, (int, float)):
        return [float(value)]
    return []


def _gan():
    from playground.gan import trainer as gan

    cfg = gan.GanConfig(data="ring8", width=64, depth=3, batch_size=128, steps=60, seed=3)
    t = gan.GanTrainer(cfg)
    snaps = list(t.step(60, report_every=20, sample_every=60))
    return [(s.step, s.loss_d, s.loss_g, s.d_real, s.d_fake) for s in snaps], t.visuals()[0]


def _lab():
    from playground.lab import ln

    lab = ln.LnLab(ln.LnConfig(steps=20, n_layers=2, seed=1))
    return [(s.step, s.loss, s.grad_norms) for s in lab.run() if s is not None]


def _vae():
    from playground.vae import model, training

    cfg = model.VaeConfig(data="digits", epochs=1, seed=2, hidden=32, batch_size=64)
    net, _, history = training.fit(cfg)
    return [(s.recon, s.kl, s.test_elbo) for s in history], [p for p in net.parameters()]


def _genvsdisc():
    from playground.genvsdisc import experiment

    return [s for s in experiment.train(experiment.GvdConfig(steps=40, seed=5)) if s is not None][-1]


def _finetune():
    from playground import finetune as ft

    cfg = ft.FinetuneConfig(data="tweets", limit=48, test_limit=32, max_length=32, batch_size=16, evals=1,
                            probe_size=8, device="cpu", seed=0)
    snaps = [s for s in ft.race(cfg, ("freeze_bottom",)) if s is not None and s.phase != "wait"]
    return [(s.step, s.loss, s.test_acc) for s in snaps] + [s.result.test_acc for s in snaps if s.result is not None]


def _vision():
    from playground.vision import race
    from playground.vision.config import VisionConfig

    cfg = VisionConfig(per_class=2, test_per_class=2, resolution=32, batch_size=8, evals=1, device="cpu",
                       epochs_from_scratch=1)
    snaps = [s for s in race.race(cfg, ("from_scratch",)) if s is not None]
    return [(s.step, s.loss, s.acc) for s in snaps] + [s.result.test_acc for s in snaps if s.result is not None]


@pytest.mark.parametrize("experiment", [_gan, _lab, _vae, _genvsdisc, _finetune, _vision],
                         ids=["gan", "lab", "vae", "genvsdisc", "finetune", "vision"])
def test_one_and_two_threads_give_bit_identical_runs(experiment):
    one, two = _on_a_thread(1, experiment), _on_a_thread(2, experiment)
    a, b = _numbers(one), _numbers(two)
    assert len(a) == len(b) and a, (len(a), len(b))
    differ = [i for i, (x, y) in enumerate(zip(a, b)) if not (x == y or (np.isnan(x) and np.isnan(y)))]
    assert not differ, f"{len(differ)} of {len(a)} numbers differ, e.g. {a[differ[0]]!r} vs {b[differ[0]]!r}"
