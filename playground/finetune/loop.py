"""Training one strategy, and the race of several on the same data, batches and seed.

``train_strategy`` is a generator: it yields ``Snapshot``s at report points (about 100 loss points and
``evals`` test evaluations per strategy) and ``None`` as a heartbeat after every other step, so a
live-run harness can pause or stop it at any batch. Losses stay on the device between reports.
"""

from __future__ import annotations

import math
import time
from dataclasses import replace
from typing import Iterator

import torch
import torch.nn.functional as F
from torch import nn

from playground.kit import training
from playground.finetune.config import THREADS, Checkpoint, FinetuneConfig, Snapshot, StrategyResult
from playground.finetune.data import RaceData, bucket_for, epoch_batches, length_buckets, prepare
from playground.finetune.fast import StaticStep
from playground.finetune.model import fresh_model
from playground.finetune.resume import restore_optimizer, restore_run, to_cpu
from playground.finetune.strategies import DEFAULT_RACE, apply_strategy, check_strategies, get
from playground.kit.runtime import fixed_threads, pick_device
from playground.kit.training import GPU_RACE, PeakMemory, autocast, sync

EVAL_BATCH = {"cpu": 64, "cuda": 1024}  # CPU: about 0.25 s a batch on 2 cores, so a stop lands soon


def _batches(order: torch.Tensor, lengths: torch.Tensor, batch_size: int, max_length: int, device: torch.device,
             buckets: bool | None = None):
    """(indices, padded length) of inference batches. On CUDA (or with ``buckets=True``) each length is rounded
    up to a length bucket: a handful of shapes instead of one per batch, so first-use kernel loading and
    heuristics are paid a few times, not dozens (padded tokens are masked: the outputs do not change)."""
    edges = length_buckets(max_length) if (device.type == "cuda" if buckets is None else buckets) else None
    for b in range(0, len(order), batch_size):
        idx = order[b:b + batch_size]
        t = int(lengths[idx].max())
        yield idx, bucket_for(t, edges) if edges else t


def accuracy_in_batches(model: nn.Module, ids: torch.Tensor, mask: torch.Tensor, lengths: torch.Tensor,
                        y: torch.Tensor, batch_size: int | None = None, buckets: bool | None = None) -> Iterator[None]:
    """Generator: accuracy on (ids, mask) with labels y, texts sorted by length so batches carry little
    padding; yields ``None`` after each batch (a stop can land), returns the accuracy."""
    was_training = model.training
    model.eval()
    correct = torch.zeros((), dtype=torch.int64, device=y.device)
    for idx, t in _batches(torch.argsort(lengths), lengths, batch_size or EVAL_BATCH[y.device.type], ids.shape[1],
                           y.device, buckets):
        with torch.inference_mode(), autocast(y.device):
            idx = idx.to(y.device)
            logits = model(input_ids=ids[idx, :t], attention_mask=mask[idx, :t]).logits
            correct += (logits.argmax(-1) == y[idx]).sum()
        yield None
    model.train(was_training)
    return correct.item() / max(1, len(y))


def _drain(gen):
    while True:
        try:
            next(gen)
        except StopIteration as done:
            return done.value


def evaluate(model: nn.Module, ids: torch.Tensor, mask: torch.Tensor, lengths: torch.Tensor,
             y: torch.Tensor, batch_size: int | None = None, buckets: bool | None = None) -> float:
    """``accuracy_in_batches`` in one call."""
    return _drain(accuracy_in_batches(model, ids, mask, lengths, y, batch_size, buckets))


def features_in_batches(model: nn.Module, ids: torch.Tensor, mask: torch.Tensor, lengths: torch.Tensor,
                        batch_size: int | None = None, buckets: bool | None = None) -> Iterator[None]:
    """Generator: the frozen encoder's pooler output (what the head reads), (N, hidden) float32 in input
    order, computed in inference mode at a large batch; yields ``None`` after each batch, returns the
    features (``feats = yield from features_in_batches(...)``)."""
    model.eval()
    out = torch.empty(len(ids), model.config.hidden_size, device=ids.device)
    for idx, t in _batches(torch.argsort(lengths), lengths, batch_size or EVAL_BATCH[ids.device.type], ids.shape[1],
                           ids.device, buckets):
        with torch.inference_mode(), autocast(ids.device):
            idx = idx.to(ids.device)
            out[idx] = model.bert(input_ids=ids[idx, :t], attention_mask=mask[idx, :t]).pooler_output.float()
        yield None
    return out


def pooled_features(model: nn.Module, ids: torch.Tensor, mask: torch.Tensor, lengths: torch.Tensor,
                    batch_size: int | None = None, buckets: bool | None = None) -> torch.Tensor:
    """``features_in_batches`` in one call."""
    return _drain(features_in_batches(model, ids, mask, lengths, batch_size, buckets))


@torch.inference_mode()
def probe_representations(model: nn.Module, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean-pooled last-layer encoder outputs, (N, hidden) float32: the forgetting probe.

    Prompt tuning prepends virtual tokens; only the positions of the real tokens are pooled."""
    was_training = model.training
    model.eval()
    with autocast(ids.device):
        hs = model(input_ids=ids, attention_mask=mask, output_hidden_states=True).hidden_states[-1]
    hs = hs[:, -ids.shape[1]:].float()  # (N, T, H): drop virtual tokens, if any
    m = mask.unsqueeze(-1).to(hs.dtype)  # (N, T, 1)
    model.train(was_training)
    return (hs * m).sum(1) / m.sum(1).clamp_min(1)


@torch.inference_mode()
def _head_accuracy(model: nn.Module, head, feats: torch.Tensor, y: torch.Tensor) -> float:
    model.eval()
    acc = (head(feats).argmax(-1) == y).float().mean().item()
    model.train()
    return acc


# ---------------------------------------------------------------- one strategy
class _StrategyRun:
    """One call of ``train_strategy``: its configuration, clocks and model, trained phase by phase."""

    def __init__(self, cfg: FinetuneConfig, strategy: str, data: RaceData, index: int, until_epoch: int | None,
                 resume: Checkpoint | None) -> None:
        """Setup: the resolved config, the step counts, the clocks and the epochs this call trains (from
        ``resume``'s, if any, to ``until_epoch`` or the end)."""
        self.cfg = cfg = cfg.resolved()  # fills the device defaults; a no-op on a resolved config
        self.strategy, self.data, self.index, self.resume = strategy, data, index, resume
        self.spec = get(strategy)
        self.device = pick_device(cfg.device)
        self.lr = cfg.lr_for(strategy)
        self.steps_per_epoch = math.ceil(data.n_train / cfg.batch_size)
        self.total_steps = self.steps_per_epoch * cfg.epochs
        self.evals = training.eval_steps(self.total_steps, cfg.evals)
        self.log_every = max(1, self.total_steps // 100)  # about 100 loss points per strategy
        self.start = time.perf_counter() - (resume.elapsed if resume else 0.0)
        self.train_s, self.feature_s, self.test_acc = ((resume.train_s, None, resume.test_acc) if resume
                                                       else (0.0, None, float("nan")))
        self.first_epoch = resume.epoch if resume else 0
        self.last_epoch = cfg.epochs if until_epoch is None else min(until_epoch, cfg.epochs)
        if not self.first_epoch < self.last_epoch:
            raise ValueError(f"nothing to train: epochs {self.first_epoch} to {self.last_epoch} of {cfg.epochs}")
        self.train_feats = self.test_feats = self.stepper = self.buckets = None  # set by the phases that use them

    def snap(self, phase, step, loss=None, acc=None, result=None, model=None, checkpoint=None) -> Snapshot:
        return Snapshot(self.strategy, self.index, phase, step, self.total_steps, step / self.steps_per_epoch, loss,
                        acc, time.perf_counter() - self.start, result, model, checkpoint)

    def build_model(self) -> None:
        """A fresh model with the strategy applied (the probe's representations read before), its optimizer,
        schedule and generators; a resumed run's weights and generators put back."""
        cfg, spec, data, device = self.cfg, self.spec, self.data, self.device
        model = fresh_model(len(data.classes), cfg.seed, pretrained=spec.pretrained).to(device)
        self.n_layers = model.config.num_hidden_layers
        probe = slice(0, min(cfg.probe_size, data.n_test))
        self.probe_ids, self.probe_mask = data.test_ids[probe], data.test_mask[probe]
        self.before = probe_representations(model, self.probe_ids, self.probe_mask) if cfg.probe_size else None
        self.model = model = apply_strategy(model, self.strategy, cfg, torch.Generator().manual_seed(cfg.seed))
        model.train()
        self.trainable, self.total = training.count_params(model)
        self.static = cfg.static_shapes()
        # a private generator's draws cannot be replayed by a CUDA graph: seeded dropout runs eagerly
        seeded = any(isinstance(m, training.SeededDropout) for m in model.modules())
        self.graphs = self.static and device.type == "cuda" and spec.graphable and not seeded
        self.optimizer = training.make_optimizer(model, cfg.optimizer, self.lr, cfg.weight_decay, device,
                                                 capturable=self.graphs)
        self.factor = training.lr_schedule(cfg.schedule, self.total_steps,
                                           training.warmup_steps(cfg.warmup, self.total_steps),
                                           step_every=cfg.step_every, step_gamma=cfg.step_gamma)
        self.params = [p for p in model.parameters() if p.requires_grad]
        self.g = torch.Generator().manual_seed(cfg.seed)  # the same batches for every strategy
        self.dropouts = [m.generator for m in model.modules() if isinstance(m, training.SeededDropout)]
        if self.resume is not None:
            restore_run(self.model, self.g, self.dropouts, self.resume)

    def cache_features(self) -> Iterator[Snapshot | None]:
        """Strategies with a frozen encoder: its outputs for every training and test text, computed once and
        reused by every epoch (the training pass counts as training time); a "features" snapshot after."""
        if not self.spec.cached_features:
            return
        data = self.data
        sync(self.device)
        t0 = time.perf_counter()
        self.train_feats = yield from features_in_batches(self.model, data.train_ids, data.train_mask,
                                                          data.train_len)
        sync(self.device)
        self.feature_s = time.perf_counter() - t0
        self.train_s += self.feature_s
        self.test_feats = yield from features_in_batches(self.model, data.test_ids, data.test_mask, data.test_len)
        yield self.snap("features", 0)
        self.model.train()

    def _head(self, x: torch.Tensor) -> torch.Tensor:
        """The head of BertForSequenceClassification, on pooled features."""
        return self.model.classifier(self.model.dropout(x))

    def _forward(self, idx: torch.Tensor, t: int) -> torch.Tensor:
        """Logits of the training batch ``idx`` (padded to length ``t``): the head on cached features, or
        the whole model."""
        if self.spec.cached_features:
            return self._head(self.train_feats[idx])
        return self.model(input_ids=self.data.train_ids[idx, :t], attention_mask=self.data.train_mask[idx, :t]).logits

    def prepare_steps(self) -> None:
        """The stepper (``StaticStep`` with static shapes, captured before any state is restored, or the eager
        step), the running loss, and a resumed run's optimizer moments, running loss and step counts."""
        cfg, spec = self.cfg, self.spec
        self.step_mode = "eager"
        if self.static:
            self.buckets = (1,) if spec.cached_features else length_buckets(cfg.max_length)
            self.stepper = StaticStep(forward=self._forward, labels=self.data.train_y, params=self.params,
                                      optimizer=self.optimizer, batch_size=cfg.batch_size, buckets=self.buckets,
                                      max_grad_norm=cfg.max_grad_norm, device=self.device, graphs=self.graphs)
            self.stepper.capture()
            self.step_mode = self.stepper.mode
            self.running = self.stepper.loss_sum
        else:
            self.running = torch.zeros((), device=self.device)
        self.n_running, self.step = 0, 0
        if self.resume is not None:
            restore_optimizer(self.optimizer, self.resume.optimizer)
            self.running.copy_(self.resume.running)
            self.n_running, self.step = self.resume.n_running, self.resume.step

    def train(self) -> Iterator[Snapshot | None]:
        """The epochs of this call, one step per batch: a report on logging and evaluation steps, a ``None``
        heartbeat after every other step. The training clock runs during steps only."""
        sync(self.device)
        self.seg_start = time.perf_counter()
        for _epoch in range(self.first_epoch, self.last_epoch):
            batches = epoch_batches(self.data.train_len, self.cfg.batch_size, self.g, self.cfg.group_by_length)
            # one host-to-device copy of the epoch's indices instead of one per step
            on_device = torch.cat([b for b, _ in batches]).to(self.device).split([len(b) for b, _ in batches])
            for idx, (_, t) in zip(on_device, batches):
                self._step(idx, t)
                if self.step in self.evals or not self.step % self.log_every:
                    yield from self._report()
                else:
                    yield None  # heartbeat: the harness may pause or stop here

    def _step(self, idx: torch.Tensor, t: int) -> None:
        """One optimizer step on the batch ``idx`` (padded to length ``t``) at the scheduled learning rate."""
        cfg = self.cfg
        training.set_lr(self.optimizer, self.lr * self.factor(self.step))
        if self.static:
            self.stepper.run(idx, 1 if self.spec.cached_features else bucket_for(t, self.buckets))
        else:
            with autocast(self.device):
                loss = F.cross_entropy(self._forward(idx, t).float(), self.data.train_y[idx])
            loss.backward()
            if cfg.max_grad_norm > 0:
                torch.nn.utils.clip_grad_norm_(self.params, cfg.max_grad_norm, foreach=True)
            self.optimizer.step()
            self.optimizer.zero_grad(set_to_none=True)
            self.running += loss.detach()  # stays on the device: no sync on steps that do not report
        self.n_running += 1
        self.step += 1

    def _report(self) -> Iterator[Snapshot | None]:
        """The mean loss since the last report (checked finite), the test accuracy on evaluation steps, and
        their "train" snapshot; the training clock stops meanwhile."""
        data = self.data
        mean_loss = (self.running / self.n_running).item()  # syncs, so the clock below is honest on a GPU
        self.train_s += time.perf_counter() - self.seg_start
        training.check_finite(mean_loss, self.step)
        self.running.zero_()
        self.n_running = 0
        acc = None
        if self.step in self.evals:
            if self.spec.cached_features:
                acc = _head_accuracy(self.model, self._head, self.test_feats, data.test_y)
            else:
                acc = yield from accuracy_in_batches(self.model, data.test_ids, data.test_mask, data.test_len,
                                                     data.test_y)
            self.test_acc = acc
        yield self.snap("train", self.step, mean_loss, acc)
        sync(self.device)
        self.seg_start = time.perf_counter()

    def _setup_s(self) -> float:
        """Seconds spent preparing the static step (capture included), over every chunk so far."""
        return (self.resume.setup_s if self.resume else 0.0) + (self.stepper.setup_s if self.static else 0.0)

    def chunk_state(self) -> dict | None:
        """Where a chunk ends (before the last epoch): everything the next call needs, on the CPU (the
        ``Checkpoint``'s fields but its clock and memory); ``None`` at the end of the training."""
        if self.last_epoch >= self.cfg.epochs:
            return None
        sync(self.device)
        self.train_s += time.perf_counter() - self.seg_start
        return dict(epoch=self.last_epoch, step=self.step, train_s=self.train_s, test_acc=self.test_acc,
                    running=self.running.detach().cpu().clone(), n_running=self.n_running,
                    params={n: p.detach().cpu().clone() for n, p in self.model.named_parameters() if p.requires_grad},
                    optimizer=to_cpu(self.optimizer.state_dict()), batch_rng=self.g.get_state(),
                    dropout_rngs=tuple(d.get_state() for d in self.dropouts), setup_s=self._setup_s())

    def drift(self) -> float | None:
        """The forgetting probe: how far the encoder's representations of the probe texts moved (1 - mean
        cosine similarity, at least 0); ``None`` without a probe."""
        if self.before is None:
            return None
        after = probe_representations(self.model, self.probe_ids, self.probe_mask)
        return max(0.0, 1.0 - F.cosine_similarity(self.before, after, dim=-1).mean().item())

    def result(self, mem: PeakMemory, peak_mb: float, drift: float | None) -> StrategyResult:
        """The measured figures of the whole training (the last step is always an evaluation step, so
        ``test_acc`` is the final model's accuracy)."""
        cfg, data, spec, trainable, total = self.cfg, self.data, self.spec, self.trainable, self.total
        return StrategyResult(
            strategy=self.strategy, trainable=trainable, total=total, pct=100.0 * trainable / total,
            train_s=self.train_s, wall_s=time.perf_counter() - self.start,
            samples_per_s=data.n_train * cfg.epochs / max(self.train_s, 1e-9), peak_mem_mb=peak_mb,
            mem_kind=mem.kind, state_mem_mb=(total * 4 + trainable * 4 * 3) / 2**20,  # fp32 weights, grads, 2 moments
            test_acc=self.test_acc, device=training.device_name(self.device), lr=self.lr, steps=self.total_steps,
            epochs=cfg.epochs, n_train=data.n_train, n_test=data.n_test, feature_s=self.feature_s, drift=drift,
            frozen_layers=spec.frozen(self.n_layers, cfg), seed=cfg.seed, data=data.name, max_length=cfg.max_length,
            batch_size=cfg.batch_size, step_mode=self.step_mode, setup_s=self._setup_s())


@fixed_threads(THREADS)
def train_strategy(cfg: FinetuneConfig, strategy: str, data: RaceData, index: int = 0,
                   return_model: bool = False, until_epoch: int | None = None,
                   resume: Checkpoint | None = None) -> Iterator[Snapshot | None]:
    """Train one strategy from a fresh copy of the model; yields Snapshots (the last with a result, and
    the trained model when ``return_model``) and ``None`` heartbeats. ``data`` comes from ``prepare(cfg)``.

    In chunks (``playground.finetune.chunks``): ``until_epoch`` stops after that many epochs with a last
    snapshot of phase "chunk" that carries a ``Checkpoint``; ``resume`` goes on from one. A strategy
    trained in chunks gives the same numbers as in one go (the tests check it on the CPU).

    The run owns its randomness: the head, the adapters (or the random encoder of from_scratch), the
    batch order and LoRA dropout each come from a generator seeded with ``cfg.seed``; the global random
    generator is never seeded nor read."""
    run = _StrategyRun(cfg, strategy, data, index, until_epoch, resume)
    yield run.snap("setup", 0)
    with PeakMemory(run.device) as mem:
        run.build_model()
        yield from run.cache_features()
        run.prepare_steps()
        yield from run.train()
        checkpoint = run.chunk_state()
        drift = run.drift() if checkpoint is None else None
    peak_mb = max(mem.peak_mb, resume.peak_mem_mb if resume else 0.0)
    if checkpoint is not None:
        yield run.snap("chunk", run.step, checkpoint=Checkpoint(
            strategy=strategy, elapsed=time.perf_counter() - run.start, peak_mem_mb=peak_mb, **checkpoint))
        return
    result = run.result(mem, peak_mb, drift)
    yield run.snap("done", run.total_steps, result=result, model=run.model if return_model else None)


# ---------------------------------------------------------------- the race
@fixed_threads(THREADS)
def race(config: FinetuneConfig, strategies=DEFAULT_RACE, data: RaceData | None = None) -> Iterator[Snapshot | None]:
    """Run ``strategies`` one after another on the same data, batches and seed; yield their Snapshots
    (and ``None`` heartbeats). On a GPU the race first waits for ``training.GPU_RACE`` (one GPU race at a
    time, so each peak-memory figure belongs to its run), yielding "wait" snapshots meanwhile."""
    strategies = check_strategies(strategies)
    cfg = config.resolved()
    device = pick_device(cfg.device)
    waited = 0.0
    for waited in training.wait_for_gpu(device):
        yield Snapshot(strategies[0], 0, "wait", 0, 0, 0.0, None, None, waited)
    held = device.type == "cuda"
    try:
        data = data if data is not None else prepare(cfg)
        for i, strategy in enumerate(strategies):
            for snap in train_strategy(cfg, strategy, data, index=i):
                if snap is not None and snap.result is not None and waited:
                    snap = replace(snap, result=replace(snap.result, gpu_wait_s=waited))
                yield snap
    finally:
        if held:
            GPU_RACE.release()


def run(config: FinetuneConfig, strategies=DEFAULT_RACE) -> list[StrategyResult]:
    """The race without the live view: the list of results."""
    return [s.result for s in race(config, strategies) if s is not None and s.result is not None]
