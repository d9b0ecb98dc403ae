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
def _restore_optimizer(optimizer, saved: dict) -> None:
    """The optimizer's moments and step counts from ``saved``. Captured CUDA graphs hold the addresses of
    the state tensors, so where the state exists already it is copied in place, never replaced."""
    current = optimizer.state_dict()["state"]  # the live tensors, not copies
    if not current:  # created lazily at the first step (eager and CPU paths): load it the ordinary way
        optimizer.load_state_dict(saved)
        return
    if current.keys() != saved["state"].keys():
        raise ValueError("this checkpoint's optimizer state does not fit the rebuilt run")
    with torch.no_grad():
        for i, state in saved["state"].items():
            for key, value in state.items():
                if isinstance(value, torch.Tensor):
                    current[i][key].copy_(value)
                else:
                    current[i][key] = value


def _to_cpu(value):
    """A copy of a nested optimizer state with every tensor on the CPU."""
    if isinstance(value, torch.Tensor):
        return value.detach().cpu().clone()
    if isinstance(value, dict):
        return {k: _to_cpu(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_to_cpu(v) for v in value)
    return value


def _restore(model: nn.Module, g: torch.Generator, dropouts: list, resume: Checkpoint) -> None:
    """Put a rebuilt run back where ``resume`` left it: trained weights and generators (the optimizer's
    moments go back after any graph capture: ``_restore_optimizer``)."""
    trainable = {n: p for n, p in model.named_parameters() if p.requires_grad}
    if (set(trainable) != set(resume.params) or len(dropouts) != len(resume.dropout_rngs)
            or any(p.shape != resume.params[n].shape for n, p in trainable.items())):
        raise ValueError(f"this checkpoint belongs to another configuration than {resume.strategy}'s")
    with torch.no_grad():
        for name, p in trainable.items():
            p.copy_(resume.params[name])
    g.set_state(resume.batch_rng)
    for d, state in zip(dropouts, resume.dropout_rngs):
        d.set_state(state)


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
    cfg = cfg.resolved()  # fills the device defaults; a no-op on a resolved config
    spec = get(strategy)
    device = pick_device(cfg.device)
    lr = cfg.lr_for(strategy)
    steps_per_epoch = math.ceil(data.n_train / cfg.batch_size)
    total_steps = steps_per_epoch * cfg.epochs
    evals = training.eval_steps(total_steps, cfg.evals)
    log_every = max(1, total_steps // 100)  # about 100 loss points per strategy
    start = time.perf_counter() - (resume.elapsed if resume else 0.0)
    train_s, feature_s, test_acc = (resume.train_s, None, resume.test_acc) if resume else (0.0, None, float("nan"))
    first_epoch = resume.epoch if resume else 0
    last_epoch = cfg.epochs if until_epoch is None else min(until_epoch, cfg.epochs)
    if not first_epoch < last_epoch:
        raise ValueError(f"nothing to train: epochs {first_epoch} to {last_epoch} of {cfg.epochs}")
    checkpoint = None

    def snap(phase, step, loss=None, acc=None, result=None, model=None, checkpoint=None):
        return Snapshot(strategy, index, phase, step, total_steps, step / steps_per_epoch, loss, acc,
                        time.perf_counter() - start, result, model, checkpoint)

    yield snap("setup", 0)
    with PeakMemory(device) as mem:
        model = fresh_model(len(data.classes), cfg.seed, pretrained=spec.pretrained).to(device)
        n_layers = model.config.num_hidden_layers
        probe = slice(0, min(cfg.probe_size, data.n_test))
        probe_ids, probe_mask = data.test_ids[probe], data.test_mask[probe]
        before = probe_representations(model, probe_ids, probe_mask) if cfg.probe_size else None
        model = apply_strategy(model, strategy, cfg, torch.Generator().manual_seed(cfg.seed))
        model.train()
        trainable, total = training.count_params(model)
        static = cfg.static_shapes()
        # a private generator's draws cannot be replayed by a CUDA graph: seeded dropout runs eagerly
        seeded = any(isinstance(m, training.SeededDropout) for m in model.modules())
        graphs = static and device.type == "cuda" and spec.graphable and not seeded
        optimizer = training.make_optimizer(model, cfg.optimizer, lr, cfg.weight_decay, device, capturable=graphs)
        factor = training.lr_schedule(cfg.schedule, total_steps, training.warmup_steps(cfg.warmup, total_steps),
                                      step_every=cfg.step_every, step_gamma=cfg.step_gamma)
        params = [p for p in model.parameters() if p.requires_grad]
        g = torch.Generator().manual_seed(cfg.seed)  # the same batches for every strategy
        dropouts = [m.generator for m in model.modules() if isinstance(m, training.SeededDropout)]
        if resume is not None:
            _restore(model, g, dropouts, resume)

        if spec.cached_features:
            # the encoder never changes, so its outputs are computed once and reused by every epoch
            sync(device)
            t0 = time.perf_counter()
            train_feats = yield from features_in_batches(model, data.train_ids, data.train_mask, data.train_len)
            sync(device)
            feature_s = time.perf_counter() - t0
            train_s += feature_s
            test_feats = yield from features_in_batches(model, data.test_ids, data.test_mask, data.test_len)
            yield snap("features", 0)
            model.train()
            head = lambda x: model.classifier(model.dropout(x))  # noqa: E731 - the head of BertForSequenceClassification

            def forward(idx, t):
                return head(train_feats[idx])
        else:
            def forward(idx, t):
                return model(input_ids=data.train_ids[idx, :t], attention_mask=data.train_mask[idx, :t]).logits

        step_mode = "eager"
        if static:
            buckets = (1,) if spec.cached_features else length_buckets(cfg.max_length)
            stepper = StaticStep(forward=forward, labels=data.train_y, params=params, optimizer=optimizer,
                                 batch_size=cfg.batch_size, buckets=buckets, max_grad_norm=cfg.max_grad_norm,
                                 device=device, graphs=graphs)
            stepper.capture()
            step_mode = stepper.mode
            running = stepper.loss_sum
        else:
            running = torch.zeros((), device=device)
        n_running, step = 0, 0
        if resume is not None:
            _restore_optimizer(optimizer, resume.optimizer)
            running.copy_(resume.running)
            n_running, step = resume.n_running, resume.step
        sync(device)
        seg_start = time.perf_counter()  # the clock runs during training steps only
        for _epoch in range(first_epoch, last_epoch):
            batches = epoch_batches(data.train_len, cfg.batch_size, g, cfg.group_by_length)
            # one host-to-device copy of the epoch's indices instead of one per step
            on_device = torch.cat([b for b, _ in batches]).to(device).split([len(b) for b, _ in batches])
            for idx, (_, t) in zip(on_device, batches):
                training.set_lr(optimizer, lr * factor(step))
                if static:
                    stepper.run(idx, 1 if spec.cached_features else bucket_for(t, buckets))
                else:
                    with autocast(device):
                        loss = F.cross_entropy(forward(idx, t).float(), data.train_y[idx])
                    loss.backward()
                    if cfg.max_grad_norm > 0:
                        torch.nn.utils.clip_grad_norm_(params, cfg.max_grad_norm, foreach=True)
                    optimizer.step()
                    optimizer.zero_grad(set_to_none=True)
                    running += loss.detach()  # stays on the device: no sync on steps that do not report
                n_running += 1
                step += 1
                if step not in evals and step % log_every:
                    yield None  # heartbeat: the harness may pause or stop here
                    continue
                mean_loss = (running / n_running).item()  # syncs, so the clock below is honest on a GPU
                train_s += time.perf_counter() - seg_start
                training.check_finite(mean_loss, step)
                running.zero_()
                n_running = 0
                acc = None
                if step in evals:
                    if spec.cached_features:
                        acc = _head_accuracy(model, head, test_feats, data.test_y)
                    else:
                        acc = yield from accuracy_in_batches(model, data.test_ids, data.test_mask, data.test_len,
                                                             data.test_y)
                    test_acc = acc
                yield snap("train", step, mean_loss, acc)
                sync(device)
                seg_start = time.perf_counter()

        if last_epoch < cfg.epochs:  # a chunk ends here: everything the next call needs, on the CPU
            sync(device)
            train_s += time.perf_counter() - seg_start
            checkpoint = dict(epoch=last_epoch, step=step, train_s=train_s, test_acc=test_acc,
                              running=running.detach().cpu().clone(), n_running=n_running,
                              params={n: p.detach().cpu().clone() for n, p in model.named_parameters()
                                      if p.requires_grad},
                              optimizer=_to_cpu(optimizer.state_dict()), batch_rng=g.get_state(),
                              dropout_rngs=tuple(d.get_state() for d in dropouts),
                              setup_s=(resume.setup_s if resume else 0.0) + (stepper.setup_s if static else 0.0))
        # the last step is always an evaluation step, so test_acc is the final model's accuracy
        drift = None
        if checkpoint is None and before is not None:
            after = probe_representations(model, probe_ids, probe_mask)
            drift = max(0.0, 1.0 - F.cosine_similarity(before, after, dim=-1).mean().item())
        state_mb = (total * 4 + trainable * 4 * 3) / 2**20  # fp32 weights + grads + two Adam moments
    peak_mb = max(mem.peak_mb, resume.peak_mem_mb if resume else 0.0)
    if checkpoint is not None:
        yield snap("chunk", step, checkpoint=Checkpoint(strategy=strategy, elapsed=time.perf_counter() - start,
                                                         peak_mem_mb=peak_mb, **checkpoint))
        return
    wall_s = time.perf_counter() - start
    result = StrategyResult(
        strategy=strategy, trainable=trainable, total=total, pct=100.0 * trainable / total,
        train_s=train_s, wall_s=wall_s, samples_per_s=data.n_train * cfg.epochs / max(train_s, 1e-9),
        peak_mem_mb=peak_mb, mem_kind=mem.kind, state_mem_mb=state_mb, test_acc=test_acc,
        device=training.device_name(device), lr=lr, steps=total_steps, epochs=cfg.epochs, n_train=data.n_train,
        n_test=data.n_test, feature_s=feature_s, drift=drift, frozen_layers=spec.frozen(n_layers, cfg),
        seed=cfg.seed, data=data.name, max_length=cfg.max_length, batch_size=cfg.batch_size,
        step_mode=step_mode, setup_s=(resume.setup_s if resume else 0.0) + (stepper.setup_s if static else 0.0))
    yield snap("done", total_steps, result=result, model=model if return_model else None)


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
