"""Build the shipped recordings: ``python -m playground replay record [--tab gan] [--preset NAME]``.

Each recorder runs the same core generator a live tab runs, from the preset's config and seed, keeps its
snapshots (thinned to at most ``replay.MAX_FRAMES``) and what the figures need besides them. The tab name is
the live harness's name for the run (``gan``, ``lab_seq2seq``...), so the tab finds its recordings by it.

``python -m playground replay list`` prints what is shipped (size, frames, config, code version, date);
``python -m playground replay check`` reruns the first snapshots of every recording and compares.
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

import numpy as np

from playground import replay

GAN_FRAMES = {"toy": 100, "image": 40}  # frames with samples: the plane is ~9 kB a frame, an image grid ~25 kB
CHECK_STEPS = 5  # snapshots compared by ``check`` (and the staleness test)


@dataclass(frozen=True)
class Recorder:
    """How to record one live run: its presets, a config per preset, and the recording itself."""

    names: Callable[[], list[str]]
    config: Callable[[str], Any]
    record: Callable[[str, Any], replay.Recording]
    types: Callable[[], list[type]]
    check: Callable[[replay.Recording, int], None]  # raises AssertionError when the code now differs
    key: Callable[[Any], Any] = lambda config: config  # what the recording stores as its config


# ---------------------------------------------------------------- GAN Lab
def _gan_types() -> list[type]:
    from playground import gan, toy2d
    from playground.classifier import ClassCoverage

    return [gan.GanSnapshot, toy2d.Coverage, ClassCoverage]


def _gan_frame0(trainer) -> Any:
    from playground import gan

    samples, heat, cov = trainer.visuals()  # the untrained generator: the replay's first frame
    return gan.GanSnapshot(0, 0.0, 0.0, 0.0, 0.0, 0.0, samples, heat, cov)


def _gan_compact(snap) -> Any:
    """Images keep the 64 drawn ones, as uint8 (the coverage was computed on all of them already)."""
    from playground import gan

    if snap.samples is None or snap.samples.ndim != 3:
        return snap
    grid = np.round(snap.samples[: gan.GRID_IMAGES] * 255).clip(0, 255).astype(np.uint8)
    return dataclasses.replace(snap, samples=grid)


def record_gan(name: str, config) -> replay.Recording:
    from playground import gan

    trainer = gan.GanTrainer(config)
    n_frames = GAN_FRAMES["toy" if config.is_toy else "image"]
    every = max(1, config.steps // n_frames)
    frames = [_gan_compact(_gan_frame0(trainer))]
    for snap in trainer.step(config.steps, report_every=1, sample_every=every):
        if snap.samples is not None:
            frames.append(_gan_compact(snap))
    history = np.asarray(trainer.history, dtype=np.float32)  # (steps, 6): every step's losses, for the curves
    extra = {"history": history, "n_params": list(trainer.n_params)}
    if not config.is_toy:  # the coverage's yardsticks: the classifier's accuracy, its confidence on real images
        from playground.classifier import class_coverage, digit_classifier

        real = gan.real_data(config.data)[: gan.IMAGE_FIXED]  # (N, 1, H, W) in [-1, 1]
        extra["classifier"] = [digit_classifier(config.data).test_accuracy,
                               class_coverage(((real + 1) / 2).numpy(), config.data).confident]
    return replay.Recording(tab="gan", name=name, config=config, seed=config.seed, frames=replay.thin(frames),
                            extra=extra, seconds=trainer.elapsed, device=str(trainer.device))


def check_gan(rec: replay.Recording, steps: int = CHECK_STEPS) -> None:
    """The first ``steps`` losses and the untrained generator's samples, from the recorded config and seed."""
    from playground import gan

    config = gan.GanConfig(**rec.config)
    trainer = gan.GanTrainer(config)
    first = _gan_compact(_gan_frame0(trainer))
    _close(first.samples, rec.frames[0].samples, "the untrained generator's samples")
    for _ in trainer.step(steps, report_every=1):
        pass
    _close(np.asarray(trainer.history, np.float32)[:, 1:5], rec.extra["history"][:steps, 1:5],
           f"the losses of the first {steps} steps")


# ---------------------------------------------------------------- Transformer Lab
def _lab_module(tab: str):
    from playground.lab import ln, lstm, objectives, seq2seq

    return {"lab_seq2seq": (seq2seq, seq2seq.Seq2SeqConfig, seq2seq.Seq2SeqLab, seq2seq.Seq2SeqSnapshot),
            "lab_ln": (ln, ln.LnConfig, ln.LnLab, ln.LnSnapshot),
            "lab_lstm": (lstm, lstm.LstmConfig, lstm.LongRangeLab, lstm.LstmSnapshot),
            "lab_objectives": (objectives, objectives.ObjectivesConfig, objectives.ObjectivesLab,
                               objectives.ObjectivesSnapshot)}[tab]


def _lab_recorder(tab: str) -> Recorder:
    def record(name: str, config) -> replay.Recording:
        _, _, lab_cls, _ = _lab_module(tab)
        start = time.perf_counter()
        frames = [s for s in lab_cls(config).run() if s is not None]
        # the curves are drawn from every snapshot so far: keep them all (a few hundred at most)
        return replay.Recording(tab=tab, name=name, config=config, seed=config.seed, frames=replay.thin(frames),
                                seconds=time.perf_counter() - start)

    def check(rec: replay.Recording, steps: int = CHECK_STEPS) -> None:
        _, cls, lab_cls, _ = _lab_module(tab)
        run = lab_cls(cls(**rec.config)).run()
        fresh = [s for s in _first(run, min(steps, 2))]
        for i, (a, b) in enumerate(zip(fresh, rec.frames)):
            for f in ("loss", "task_loss", "accuracy", "grad_norms", "exact"):
                if hasattr(a, f):
                    _close(_numbers(getattr(a, f)), _numbers(getattr(b, f)), f"snapshot {i}'s {f}")

    return Recorder(names=lambda: ["default"], config=lambda name: _lab_module(tab)[1](),
                    record=record, types=lambda: [_lab_module(tab)[3]], check=check)


def _first(gen: Iterator, n: int) -> Iterator:
    got = 0
    try:
        for item in gen:
            if item is not None:
                yield item
                got += 1
                if got >= n:
                    return
    finally:
        gen.close()


def _numbers(value: Any) -> np.ndarray:
    """Every number in a nested dict/list, in a fixed order (None -> nan)."""
    if isinstance(value, dict):
        return np.concatenate([_numbers(value[k]) for k in sorted(value, key=str)] or [np.zeros(0)])
    if isinstance(value, (list, tuple)):
        return np.concatenate([_numbers(v) for v in value] or [np.zeros(0)])
    return np.asarray([np.nan if value is None else value], dtype=np.float64)


def _close(now: np.ndarray, recorded: np.ndarray, what: str) -> None:
    """float16 storage keeps ~3 significant digits: equal within 1e-3 relative (plus 2e-3 absolute, for the
    values near 0 and the uint8 images' 1/255 steps). A change in the code moves them by far more."""
    now, recorded = np.asarray(now, np.float32), np.asarray(recorded, np.float32)
    if now.dtype != recorded.dtype or now.shape != recorded.shape:
        raise AssertionError(f"{what}: shape {now.shape} now, {recorded.shape} in the recording")
    if recorded.size and np.issubdtype(np.asarray(recorded).dtype, np.floating):
        if not np.allclose(now, recorded, rtol=1e-3, atol=5e-3, equal_nan=True):
            worst = float(np.nanmax(np.abs(now - recorded)))
            raise AssertionError(f"{what} differ from the recording by up to {worst:.4g}: the code changed since "
                                 f"it was recorded; rebuild it with `python -m playground replay record`")


# ---------------------------------------------------------------- Fine-tuning Lab (the CPU default race)
def ft_key(config, strategies) -> dict:
    """What a race recording must match: the settings as resolved on this machine, and the strategies (a
    GPU resolves "auto" to other sizes than the CPU, so a CPU recording never stands for a GPU race)."""
    return {"config": replay.config_dict(config.resolved(), ()), "strategies": list(strategies)}


def _ft_types() -> list[type]:
    from playground.finetune import config as c

    return [c.Snapshot, c.StrategyResult]


def _ft_thin(frames: list) -> list:
    """Every snapshot that ends a phase or carries a result or an accuracy; the others thinned evenly."""
    key = [f for f in frames if f.phase != "train" or f.result is not None or f.test_acc is not None]
    rest = [f for f in frames if f not in key]
    kept = {id(f) for f in key} | {id(f) for f in replay.thin(rest, max(2, replay.MAX_FRAMES - len(key)))}
    return [f for f in frames if id(f) in kept]


def record_ft(name: str, config) -> replay.Recording:
    from playground import finetune as core

    strategies = core.DEFAULT_RACE
    start = time.perf_counter()
    frames = [s for s in core.race(config, strategies) if s is not None and s.phase != "wait"]
    return replay.Recording(tab="ft", name=name, config=ft_key(config, strategies), seed=config.seed,
                            frames=_ft_thin(frames), seconds=time.perf_counter() - start, device="cpu",
                            extra={"chance": core.majority_baseline(config), "n_test": len(core.test_labels(config))})


def check_ft(rec: replay.Recording, steps: int = CHECK_STEPS) -> None:
    """The first strategy's first training losses, from the recorded settings and seed."""
    from playground import finetune as core

    cfg = core.FinetuneConfig(**{**rec.config["config"], "device": "cpu"})
    first = rec.config["strategies"][:1]
    recorded = [f.loss for f in rec.frames if f.phase == "train" and f.loss is not None][:2]
    fresh = []
    gen = core.race(cfg, tuple(first))
    try:
        for snap in gen:
            if snap is not None and snap.phase == "train" and snap.loss is not None:
                fresh.append(snap.loss)
                if len(fresh) == len(recorded):
                    break
    finally:
        gen.close()
    _close(np.asarray(fresh), np.asarray(recorded), "the first training losses of the race")


def _ft_recorder() -> Recorder:
    from playground import finetune as core

    return Recorder(names=lambda: ["cpu_default"], record=record_ft, types=_ft_types, check=check_ft,
                    key=lambda config: ft_key(config, core.DEFAULT_RACE),
                    config=lambda name: core.FinetuneConfig(device="cpu", freeze_k=3))  # the tab's defaults


# ---------------------------------------------------------------- Generative vs discriminative
def _gvd_types() -> list[type]:
    from playground.genvsdisc import experiment as ex

    return [ex.GvdSnapshot, ex.PlaneView]


def _gvd_run(config):
    from playground import genvsdisc

    # the tab's own cadence (tabs/genvsdisc.py gvd_run): a report every 10 steps, the maps every 50
    return genvsdisc.GvdRun(config).step(config.steps, report_every=10, view_every=50)


def record_gvd(name: str, config) -> replay.Recording:
    start = time.perf_counter()
    frames = [s for s in _gvd_run(config) if s is not None]
    return replay.Recording(tab="gvd", name=name, config=config, seed=config.seed, frames=replay.thin(frames),
                            seconds=time.perf_counter() - start)


def check_gvd(rec: replay.Recording, steps: int = CHECK_STEPS) -> None:
    from playground import genvsdisc

    fresh = list(_first(_gvd_run(genvsdisc.GvdConfig(**rec.config)), 2))
    for i, (a, b) in enumerate(zip(fresh, rec.frames)):
        for f in ("loss", "train_accuracy", "test_accuracy"):
            _close(_numbers(getattr(a, f)), _numbers(getattr(b, f)), f"snapshot {i}'s {f}")


def _gvd_recorder() -> Recorder:
    from playground import genvsdisc

    return Recorder(names=lambda: ["default"], config=lambda name: genvsdisc.GvdConfig(), record=record_gvd,
                    types=_gvd_types, check=check_gvd)


# ---------------------------------------------------------------- registry
def _gan_recorder() -> Recorder:
    from playground import gan

    return Recorder(names=lambda: list(gan.PRESETS), config=lambda name: gan.preset_config(name),
                    record=record_gan, types=_gan_types, check=check_gan)


RECORDERS: dict[str, Callable[[], Recorder]] = {
    "gan": _gan_recorder,
    "ft": _ft_recorder,
    "gvd": _gvd_recorder,
    **{tab: (lambda tab=tab: _lab_recorder(tab)) for tab in ("lab_seq2seq", "lab_ln", "lab_lstm", "lab_objectives")},
}


def recorder(tab: str) -> Recorder:
    if tab not in RECORDERS:
        raise ValueError(f"no recorder for {tab!r}; choose one of {', '.join(RECORDERS)}")
    return RECORDERS[tab]()


def load(path: str | Path) -> replay.Recording:
    """A shipped recording, with the snapshot types of its tab."""
    tab = Path(path).name.split("-", 1)[0]
    return replay.load(path, recorder(tab).types() if tab in RECORDERS else [])


def record(tab: str, name: str, folder: Path = replay.REPLAY_DIR) -> Path:
    r = recorder(tab)
    if name not in r.names():
        raise ValueError(f"{tab} has no preset {name!r}; choose one of {', '.join(r.names())}")
    rec = r.record(name, r.config(name))
    return replay.save(rec, replay.path_for(tab, name, folder), keep=("history",))


# ---------------------------------------------------------------- command line
def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=("record", "list", "check"), help="build, list or verify the recordings")
    parser.add_argument("--tab", choices=tuple(RECORDERS), default=None, help="only this tab's runs (default: all)")
    parser.add_argument("--preset", default=None, help="only this preset (default: all of the tab's)")
    parser.add_argument("--folder", default=str(replay.REPLAY_DIR), help="where the recordings live")


def run_cli(args: argparse.Namespace) -> Iterator[dict]:
    folder = Path(args.folder)
    tabs = [args.tab] if args.tab else list(RECORDERS)
    for tab in tabs:
        r = recorder(tab)
        for name in [args.preset] if args.preset else r.names():
            path = replay.path_for(tab, name, folder)
            if args.action == "record":
                start = time.perf_counter()
                record(tab, name, folder)
                yield {"recorded": str(path), "bytes": path.stat().st_size,
                       "seconds": round(time.perf_counter() - start, 1)}
            elif not path.exists():
                yield {"missing": str(path)}
            elif args.action == "list":
                head = replay.header(path)
                yield {"file": str(path), "bytes": path.stat().st_size, **head}
            else:
                rec = load(path)
                r.check(rec, CHECK_STEPS)
                yield {"checked": str(path), "ok": True}
