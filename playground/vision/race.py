"""The transfer race: strategies trained one after another on the same images, batches and seed.

``train_strategy`` is a generator: it yields ``Snapshot``s (loss on reporting steps, test accuracy at
``evals`` evenly spaced steps) and ``None`` heartbeats about every ``HEARTBEAT`` seconds of work, so a UI can
pause or stop it between any two updates. Its last snapshot carries a ``StrategyResult`` with the measured
figures. ``race`` runs several; ``size_sweep`` trains a pair of strategies at several training-set sizes.

Frozen prefixes are computed once: when a strategy freezes units ``0..k-1`` and augmentation is off, their
outputs for every training and test image are computed in one pass (eval mode, no graph) and the epochs
train on that cache. Feature extraction caches the pooled 1,280 features, top-blocks the activations
entering its first trainable block. With augmentation on, every step recomputes the frozen prefix.

BatchNorm: frozen units stay in eval mode (ImageNet statistics, not updated); trainable units are in train
mode, so they normalise with the statistics of each batch. Before each test evaluation the running averages of
the trainable BatchNorm layers are recomputed from up to ``PRECISE_BN`` training images with the current
weights ("precise BN", Wu & Johnson 2021): averages that trail weights which moved fast in a short run made a
model that trains well (from scratch: loss 0.9) score at chance in eval mode (measured: 10 % before, 77 % after).
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass
from typing import Iterator

import torch
import torch.nn.functional as F
from torch import nn

from playground.kit.runs import Diverged
from playground.kit.runtime import fixed_threads, pick_device
from playground.vision import data as vdata
from playground.vision.config import (DEFAULT_RACE, STRATEGIES, SWEEP_PAIR, VisionConfig, check_strategies,
                                      sweep_sizes)
from playground.vision.net import BN_MOMENTUM, N_UNITS, Lite0, build
from playground.kit.runtime import BusyClock
from playground.kit.training import (PeakMemory, count_params, eval_steps, lr_schedule, n_batches, param_groups,
                                     shuffled_batches, warmup_steps)

THREADS = 2  # intra-op threads of a run, fixed whatever the machine: a seed gives the same figures anywhere

HEARTBEAT = 0.2  # seconds of work between two yields at most (plus one step)
EVAL_BATCH = 256
LOSS_POINTS = 60  # about this many loss reports per strategy
PRECISE_BN = 256  # training images whose statistics set the running averages before an evaluation


@dataclass(frozen=True)
class StrategyResult:
    """The measured figures of one strategy (every number read from the model or a clock)."""

    strategy: str
    pretrained: bool
    trainable: int
    total: int
    frozen_units: int
    cached: bool  # the frozen prefix was computed once
    test_acc: float
    peak_mem_mb: float
    mem_kind: str
    images_per_s: float  # training images processed per second of training (the caching pass included)
    train_s: float
    feature_s: float  # the caching pass (0 without one)
    wall_s: float  # all the strategy's work: building, caching, training, evaluation
    lr: float
    epochs: int
    steps: int
    n_train: int
    n_test: int
    resolution: int
    batch_size: int
    augment: bool
    device: str
    seed: int
    data: str

    @property
    def pct(self) -> float:
        return 100.0 * self.trainable / self.total

    def as_dict(self) -> dict:
        return {**asdict(self), "pct": self.pct}


@dataclass(frozen=True)
class Snapshot:
    strategy: str
    index: int  # position in the race
    phase: str  # "setup", "features", "train", "done"
    step: int
    total_steps: int
    epoch: float
    loss: float | None  # mean training loss since the last report
    acc: float | None  # test accuracy, on evaluation steps
    elapsed: float  # seconds of work of this strategy so far
    per_class: int  # training images per class of this run
    result: StrategyResult | None = None
    model: nn.Module | None = None  # the trained model, only when asked for (tests)


@dataclass(frozen=True)
class SweepPoint:
    per_class: int
    strategy: str
    test_acc: float
    train_s: float
    n_train: int


def _device_name(device: torch.device) -> str:
    if device.type == "cuda":
        return f"cuda ({torch.cuda.get_device_name(device)})"
    return f"cpu ({torch.get_num_threads()} threads)"


def _encode(model: Lite0, x: torch.Tensor, k: int, resolution: int, clock: BusyClock):
    """Outputs of the frozen units 0..k-1 for images ``x`` (N, 1, 28, 28), in chunks with heartbeats.
    A generator whose return value is the (N, ...) tensor."""
    model.eval()
    out, last = [], time.perf_counter()
    with torch.inference_mode():
        for i in range(0, len(x), EVAL_BATCH):
            out.append(model.forward_units(vdata.to_input(x[i:i + EVAL_BATCH], resolution), 0, k))
            if time.perf_counter() - last > HEARTBEAT:
                clock.stop()
                yield None
                clock.start()
                last = time.perf_counter()
    return torch.cat(out).clone()  # a normal tensor (not an inference one), so autograd may read it


def _accuracy(model: Lite0, cfg: VisionConfig, x: torch.Tensor, y: torch.Tensor, start: int, clock: BusyClock):
    """Test accuracy (a generator with heartbeats, returning a float). ``x``: images (start 0) or cached
    outputs of the frozen prefix (start k)."""
    was = [m.training for m in model.modules()]
    model.eval()
    correct = torch.zeros((), dtype=torch.int64, device=y.device)
    last = time.perf_counter()
    with torch.inference_mode():
        for i in range(0, len(x), EVAL_BATCH):
            xb = x[i:i + EVAL_BATCH]
            xb = vdata.to_input(xb, cfg.resolution) if start == 0 else xb
            correct += (model.forward_units(xb, start).argmax(-1) == y[i:i + EVAL_BATCH]).sum()
            if time.perf_counter() - last > HEARTBEAT:
                clock.stop()
                yield None
                clock.start()
                last = time.perf_counter()
    for m, training in zip(model.modules(), was):
        m.training = training
    return correct.item() / len(y)


def _precise_bn(model: Lite0, x: torch.Tensor, k: int, cached: bool, cfg: VisionConfig, clock: BusyClock):
    """Recompute the running averages of the trainable BatchNorm layers from the first ``PRECISE_BN`` training
    images (``x``: images, or cached outputs of the frozen prefix when ``cached``). A generator (heartbeats)."""
    bns = [m for i in range(k, N_UNITS) for unit in model.unit_modules(i) for m in unit.modules()
           if isinstance(m, nn.BatchNorm2d)]
    if not bns:
        return
    for b in bns:
        b.reset_running_stats()
        b.momentum = None  # a plain average over the batches below
    last = time.perf_counter()
    with torch.no_grad():
        for i in range(0, min(len(x), PRECISE_BN), cfg.batch_size):
            xb = x[i:i + cfg.batch_size]
            if len(xb) < 2:
                break
            if not cached:
                xb = vdata.to_input(xb, cfg.resolution)
                xb = model.forward_units(xb, 0, k) if k > 0 else xb
            model.forward_units(xb, k)
            if time.perf_counter() - last > HEARTBEAT:
                clock.stop()
                yield None
                clock.start()
                last = time.perf_counter()
    for b in bns:
        b.momentum = BN_MOMENTUM


@fixed_threads(THREADS)
def train_strategy(cfg: VisionConfig, strategy: str, data: vdata.TransferData, index: int = 0,
                   keep_model: bool = False) -> Iterator[Snapshot | None]:
    """Train one strategy on ``data`` (from ``vdata.prepare``, already on the run's device)."""
    cfg = cfg.resolved()
    device = pick_device(cfg.device)
    spec = STRATEGIES[strategy]
    lr, epochs, k = cfg.lr_for(strategy), cfg.epochs_for(strategy), cfg.first_trainable(strategy)
    cached = k > 0 and not cfg.augment
    per_epoch = n_batches(data.n_train, cfg.batch_size, drop_single=True)  # BatchNorm: no batch of one
    total_steps = per_epoch * epochs
    evals = eval_steps(total_steps, cfg.evals)
    log_every = max(1, total_steps // LOSS_POINTS)
    g_data = torch.Generator().manual_seed(cfg.seed)  # batches and augmentation: the same for every strategy
    g_init = torch.Generator().manual_seed(cfg.seed + 1_000_003)  # new head / random weights
    clock = BusyClock(device)

    def snap(phase, step, loss=None, acc=None, result=None, model=None):
        return Snapshot(strategy, index, phase, step, total_steps, step / per_epoch, loss, acc, clock.seconds,
                        data.n_train // len(data.classes), result, model)

    yield snap("setup", 0)
    clock.start()
    with PeakMemory(device) as mem:
        model = build(len(data.classes), spec.pretrained, g_init).to(device)
        model.set_frozen_prefix(k)
        trainable, total = count_params(model)
        kw = {"fused": True} if device.type == "cuda" else {"foreach": True}
        opt = torch.optim.AdamW(param_groups(model, cfg.weight_decay), lr=lr, **kw)
        sched = torch.optim.lr_scheduler.LambdaLR(
            opt, lr_schedule(cfg.schedule, total_steps, warmup_steps(cfg.warmup, total_steps)))
        clock.stop()
        yield None  # building a model (and loading the weights on first use) takes a while
        clock.start()
        feature_s = 0.0
        train_x, test_x, start = data.train_x, data.test_x, 0  # start: the unit the tensors in train_x enter
        if cached:
            t0 = clock.stop()
            clock.start()
            train_x = yield from _encode(model, data.train_x, k, cfg.resolution, clock)
            feature_s = clock.stop() - t0
            clock.start()
            test_x = yield from _encode(model, data.test_x, k, cfg.resolution, clock)
            start = k
            clock.stop()
            yield snap("features", 0)
            clock.start()
        model.train_from(k)
        eval_s, step, running, n_running, test_acc = 0.0, 0, torch.zeros((), device=device), 0, float("nan")
        last = time.perf_counter()
        for _epoch in range(epochs):
            for idx in shuffled_batches(data.n_train, cfg.batch_size, g_data, drop_single=True):
                idx = idx.to(device)
                xb, enter = train_x[idx], start
                if not cached:
                    if cfg.augment:
                        xb = vdata.augment(xb, g_data)
                    xb = vdata.to_input(xb, cfg.resolution)
                    if k > 0:  # a frozen prefix recomputed every step (augmentation changes its input)
                        with torch.no_grad():
                            xb, enter = model.forward_units(xb, 0, k), k
                loss = F.cross_entropy(model.forward_units(xb, enter), data.train_y[idx])
                loss.backward()
                if time.perf_counter() - last > HEARTBEAT:  # a long step gets a heartbeat in its middle
                    clock.stop()
                    yield None
                    clock.start()
                    last = time.perf_counter()
                opt.step()
                sched.step()
                opt.zero_grad(set_to_none=True)
                running += loss.detach()  # stays on the device: no sync on steps that do not report
                n_running += 1
                step += 1
                if step % log_every and step not in evals:
                    if time.perf_counter() - last > HEARTBEAT:
                        clock.stop()
                        yield None
                        clock.start()
                        last = time.perf_counter()
                    continue
                mean_loss = running.item() / n_running
                if not math.isfinite(mean_loss):
                    raise Diverged(step)
                running.zero_()
                n_running = 0
                acc = None
                if step in evals:
                    t0 = clock.stop()
                    clock.start()
                    yield from _precise_bn(model, train_x, k, cached, cfg, clock)
                    test_acc = acc = yield from _accuracy(model, cfg, test_x, data.test_y, start, clock)
                    eval_s += clock.stop() - t0
                    clock.start()
                clock.stop()
                yield snap("train", step, mean_loss, acc)
                clock.start()
                last = time.perf_counter()
        wall_s = clock.stop()
    train_s = max(wall_s - eval_s, 1e-9)
    result = StrategyResult(
        strategy=strategy, pretrained=spec.pretrained, trainable=trainable, total=total, frozen_units=k,
        cached=cached, test_acc=test_acc, peak_mem_mb=mem.peak_mb, mem_kind=mem.kind,
        images_per_s=data.n_train * epochs / train_s, train_s=train_s, feature_s=feature_s, wall_s=wall_s, lr=lr,
        epochs=epochs, steps=total_steps, n_train=data.n_train, n_test=data.n_test, resolution=cfg.resolution,
        batch_size=cfg.batch_size, augment=cfg.augment, device=_device_name(device), seed=cfg.seed, data=data.name)
    yield snap("done", total_steps, result=result, model=model if keep_model else None)


def prepare(cfg: VisionConfig, per_class: int | None = None) -> vdata.TransferData:
    """The race's images on its device (``per_class`` overrides the config's, for a sweep)."""
    cfg = cfg.resolved()
    return vdata.prepare(cfg.data, per_class or cfg.per_class, cfg.test_per_class, cfg.seed).to(
        pick_device(cfg.device))


@fixed_threads(THREADS)
def race(cfg: VisionConfig, strategies=DEFAULT_RACE) -> Iterator[Snapshot | None]:
    """Run ``strategies`` one after another on the same images, batches and seed."""
    strategies = check_strategies(strategies)
    cfg = cfg.resolved()
    data = prepare(cfg)
    for i, name in enumerate(strategies):
        yield from train_strategy(cfg, name, data, i)


@fixed_threads(THREADS)
def size_sweep(cfg: VisionConfig, sizes=(), strategies=SWEEP_PAIR) -> Iterator[SweepPoint | Snapshot | None]:
    """Test accuracy against training images per class for each strategy (default: pretrained features vs
    from scratch). Yields the inner runs' snapshots and heartbeats, and a ``SweepPoint`` after each run."""
    strategies = check_strategies(strategies)
    cfg = cfg.resolved()
    for n in sweep_sizes(sizes, pick_device(cfg.device)):
        data = prepare(cfg, n)
        for i, name in enumerate(strategies):
            for snap in train_strategy(cfg, name, data, i):
                yield snap
                if snap is not None and snap.result is not None:
                    r = snap.result
                    yield SweepPoint(n, name, r.test_acc, r.train_s, r.n_train)


def run(cfg: VisionConfig, strategies=DEFAULT_RACE) -> list[StrategyResult]:
    """The race to the end; its results (CLI, benchmark, tests)."""
    return [s.result for s in race(cfg, strategies) if s is not None and s.result is not None]
