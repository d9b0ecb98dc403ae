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

# Intra-op threads of a run, fixed whatever the machine: a seed gives the same figures anywhere. One: a
# channels-last step took 150 ms of wall and 150 of CPU on 1 thread, 139 ms and 275 on 2 (48 px, batch 32).
THREADS = 1

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


class _StrategyRun:
    """One call of ``train_strategy``: its configuration, generators, busy clock and model, trained phase by
    phase. Every phase runs with the clock started and stops it around each of its yields."""

    def __init__(self, cfg: VisionConfig, strategy: str, data: vdata.TransferData, index: int) -> None:
        """Setup: the resolved config, the frozen prefix and whether it is cached, the step counts, the
        generators and the clock."""
        self.cfg = cfg = cfg.resolved()
        self.strategy, self.data, self.index = strategy, data, index
        self.device = pick_device(cfg.device)
        self.spec = STRATEGIES[strategy]
        self.lr, self.epochs, self.k = cfg.lr_for(strategy), cfg.epochs_for(strategy), cfg.first_trainable(strategy)
        self.cached = self.k > 0 and not cfg.augment
        self.per_epoch = n_batches(data.n_train, cfg.batch_size, drop_single=True)  # BatchNorm: no batch of one
        self.total_steps = self.per_epoch * self.epochs
        self.evals = eval_steps(self.total_steps, cfg.evals)
        self.log_every = max(1, self.total_steps // LOSS_POINTS)
        self.g_data = torch.Generator().manual_seed(cfg.seed)  # batches and augmentation: the same for every strategy
        self.g_init = torch.Generator().manual_seed(cfg.seed + 1_000_003)  # new head / random weights
        self.clock = BusyClock(self.device)

    def snap(self, phase, step, loss=None, acc=None, result=None, model=None) -> Snapshot:
        return Snapshot(self.strategy, self.index, phase, step, self.total_steps, step / self.per_epoch, loss, acc,
                        self.clock.seconds, self.data.n_train // len(self.data.classes), result, model)

    def _pause(self, *snap) -> Iterator[Snapshot | None]:
        """Yield a heartbeat (or the snapshot of ``snap``'s arguments) with the clock stopped; ``last``, the
        time of the latest yield, is now."""
        self.clock.stop()
        yield self.snap(*snap) if snap else None
        self.clock.start()
        self.last = time.perf_counter()

    def build_model(self) -> Iterator[None]:
        """The model with its frozen prefix, the optimizer and the learning-rate schedule, then a heartbeat
        (building a model, and loading the weights on first use, takes a while)."""
        cfg = self.cfg
        self.model = build(len(self.data.classes), self.spec.pretrained, self.g_init).to(self.device)
        self.model.set_frozen_prefix(self.k)
        self.trainable, self.total = count_params(self.model)
        kw = {"fused": True} if self.device.type == "cuda" else {"foreach": True}
        self.opt = torch.optim.AdamW(param_groups(self.model, cfg.weight_decay), lr=self.lr, **kw)
        self.sched = torch.optim.lr_scheduler.LambdaLR(
            self.opt, lr_schedule(cfg.schedule, self.total_steps, warmup_steps(cfg.warmup, self.total_steps)))
        yield from self._pause()

    def cache_features(self) -> Iterator[Snapshot | None]:
        """The tensors the training reads: the images, or, when the frozen prefix is cached, its outputs for
        every training and test image (computed once; the training pass is ``feature_s``), then a "features"
        snapshot. ``start`` is the unit the tensors in ``train_x`` enter."""
        data, clock = self.data, self.clock
        self.feature_s = 0.0
        self.train_x, self.test_x, self.start = data.train_x, data.test_x, 0
        if not self.cached:
            return
        t0 = clock.stop()
        clock.start()
        self.train_x = yield from _encode(self.model, data.train_x, self.k, self.cfg.resolution, clock)
        self.feature_s = clock.stop() - t0
        clock.start()
        self.test_x = yield from _encode(self.model, data.test_x, self.k, self.cfg.resolution, clock)
        self.start = self.k
        yield from self._pause("features", 0)

    def train(self) -> Iterator[Snapshot | None]:
        """The epochs, one step per batch: a report on logging and evaluation steps, a heartbeat after a
        step when ``HEARTBEAT`` seconds have passed since the latest yield."""
        self.model.train_from(self.k)
        self.eval_s, self.step, self.running, self.n_running = 0.0, 0, torch.zeros((), device=self.device), 0
        self.test_acc = float("nan")
        self.last = time.perf_counter()
        for _epoch in range(self.epochs):
            for idx in shuffled_batches(self.data.n_train, self.cfg.batch_size, self.g_data, drop_single=True):
                yield from self._step(idx.to(self.device))
                if self.step % self.log_every and self.step not in self.evals:
                    if time.perf_counter() - self.last > HEARTBEAT:
                        yield from self._pause()
                else:
                    yield from self._report()

    def _step(self, idx: torch.Tensor) -> Iterator[None]:
        """One optimizer step on the batch ``idx`` (augmented, and through the frozen prefix, unless cached);
        a long step gets a heartbeat between its backward pass and its update."""
        cfg, model, k = self.cfg, self.model, self.k
        xb, enter = self.train_x[idx], self.start
        if not self.cached:
            if cfg.augment:
                xb = vdata.augment(xb, self.g_data)
            xb = vdata.to_input(xb, cfg.resolution)
            if k > 0:  # a frozen prefix recomputed every step (augmentation changes its input)
                with torch.no_grad():
                    xb, enter = model.forward_units(xb, 0, k), k
        loss = F.cross_entropy(model.forward_units(xb, enter), self.data.train_y[idx])
        loss.backward()
        if time.perf_counter() - self.last > HEARTBEAT:
            yield from self._pause()
        self.opt.step()
        self.sched.step()
        self.opt.zero_grad(set_to_none=True)
        self.running += loss.detach()  # stays on the device: no sync on steps that do not report
        self.n_running += 1
        self.step += 1

    def _report(self) -> Iterator[Snapshot | None]:
        """The mean loss since the last report (``Diverged`` if not finite), on evaluation steps the test
        accuracy after precise BN (its time is ``eval_s``), and their "train" snapshot."""
        clock = self.clock
        mean_loss = self.running.item() / self.n_running
        if not math.isfinite(mean_loss):
            raise Diverged(self.step)
        self.running.zero_()
        self.n_running = 0
        acc = None
        if self.step in self.evals:
            t0 = clock.stop()
            clock.start()
            yield from _precise_bn(self.model, self.train_x, self.k, self.cached, self.cfg, clock)
            self.test_acc = acc = yield from _accuracy(self.model, self.cfg, self.test_x, self.data.test_y,
                                                       self.start, clock)
            self.eval_s += clock.stop() - t0
            clock.start()
        yield from self._pause("train", self.step, mean_loss, acc)

    def result(self, mem: PeakMemory, wall_s: float) -> StrategyResult:
        """The measured figures; training time is the busy time ``wall_s`` less the evaluations'."""
        cfg, data = self.cfg, self.data
        train_s = max(wall_s - self.eval_s, 1e-9)
        return StrategyResult(
            strategy=self.strategy, pretrained=self.spec.pretrained, trainable=self.trainable, total=self.total,
            frozen_units=self.k, cached=self.cached, test_acc=self.test_acc, peak_mem_mb=mem.peak_mb,
            mem_kind=mem.kind, images_per_s=data.n_train * self.epochs / train_s, train_s=train_s,
            feature_s=self.feature_s, wall_s=wall_s, lr=self.lr, epochs=self.epochs, steps=self.total_steps,
            n_train=data.n_train, n_test=data.n_test, resolution=cfg.resolution, batch_size=cfg.batch_size,
            augment=cfg.augment, device=_device_name(self.device), seed=cfg.seed, data=data.name)


@fixed_threads(THREADS)
def train_strategy(cfg: VisionConfig, strategy: str, data: vdata.TransferData, index: int = 0,
                   keep_model: bool = False) -> Iterator[Snapshot | None]:
    """Train one strategy on ``data`` (from ``vdata.prepare``, already on the run's device)."""
    run = _StrategyRun(cfg, strategy, data, index)
    yield run.snap("setup", 0)
    run.clock.start()
    with PeakMemory(run.device) as mem:
        yield from run.build_model()
        yield from run.cache_features()
        yield from run.train()
        wall_s = run.clock.stop()
    yield run.snap("done", run.total_steps, result=run.result(mem, wall_s), model=run.model if keep_model else None)


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
