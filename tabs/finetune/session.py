"""What a browser session of the Fine-tuning Lab holds, and its two live runs (through ``tabs.harness.live``):

- the race of the chosen strategies (``/ft_start`` ... in the API: Start / Pause-Resume / Step / Stop / Replay),
  curves, table, chart and CSV;
- the sweep (``/ft_sweep_start``, ``/ft_sweep_stop``): accuracy against the number of training texts for a pair
  of strategies.

Each run records every snapshot of the core generator (the harness shows only the latest) into its session, on
the run's own thread (``RaceSession.record``, which a replay's feed uses too: ``tabs.finetune.replay``); a newer
run of the session starts from empty records (``begin``), and a stopped older run that is still finishing one
update cannot write into them (``race_id``).

ZeroGPU: where the ``spaces`` package is installed, the core generators run inside ``spaces.GPU`` with a
duration computed from the configuration (``race_duration``). The harness trains on a thread of its own, so
the request's context (which ``spaces`` reads to charge the visitor's quota) is copied when Start is pressed
and every step of the generator runs inside that copy.
"""

from __future__ import annotations

import abc
import contextvars
import csv
import os
from dataclasses import dataclass, field

from playground import finetune as core
from playground.data import text as textdata
from playground.finetune import chunks
from tabs.finetune import figures as fig
from tabs.finetune import slides
from tabs.harness import film
from tabs.harness.clock import REAL, Clock
from tabs.harness.common import device_text, export_path
from tabs.harness.i18n import error, t
from tabs.harness.live import LiveSession
from tabs.harness.widgets import read_config

try:  # ZeroGPU Spaces: a decorated call gets a GPU; elsewhere spaces.GPU does nothing
    import spaces
except ImportError:  # pragma: no cover - depends on the install
    spaces = None
ZERO_GPU = spaces is not None and bool(os.environ.get("SPACES_ZERO_GPU"))
GPU_MAX_S = 300  # the longest one ZeroGPU call may ask for (a sweep longer than this is refused)
# a race is split into calls of at most this many seconds (ZeroGPU); PLAYGROUND_GPU_CALL_S=0 forces one call
# off ZeroGPU it is 0 unless set (a GPU machine can try the split path with PLAYGROUND_GPU_CALL_S=60)
CALL_S = int(os.environ.get("PLAYGROUND_GPU_CALL_S", 120 if ZERO_GPU else 0))
CPU_MAX_LIMIT = 5_000  # beyond this a CPU race takes many minutes: the whole set is for a GPU
MODEL_LAYERS = 6  # MiniLM-L6: freeze_k and freeze_every are counted in its layers
XAXES = ("step", "time")
# config field -> string key of its widget's label (for the messages)
LABELS = {"data": "ft.data", "epochs": "ft.epochs", "limit": "ft.limit", "test_limit": "ft.test_limit",
          "batch_size": "ft.batch_size", "max_length": "ft.max_length", "lr": "ft.lr", "optimizer": "ft.optimizer",
          "weight_decay": "ft.weight_decay", "schedule": "ft.schedule", "warmup": "ft.warmup",
          "max_grad_norm": "ft.clip", "seed": "ft.seed", "freeze_k": "ft.freeze_k", "freeze_every": "ft.freeze_every",
          "lora_r": "ft.lora_r", "lora_alpha": "ft.lora_alpha", "lora_dropout": "ft.lora_dropout",
          "lora_targets": "ft.lora_targets", "prompt_tokens": "ft.prompt_tokens"}


@dataclass(frozen=True)
class Race:
    """What Start asked for: the core config, the strategies, and (a sweep) the training-set sizes."""

    config: core.FinetuneConfig
    strategies: tuple[str, ...]
    xaxis: str = "step"
    sizes: tuple[int, ...] = ()
    repeats: int = 1  # a sweep: seeds per size
    context: contextvars.Context | None = field(default=None, compare=False)
    shown: dict | None = field(default=None, compare=False)  # the widgets' values it was read from (for the stale note)


# ---------------------------------------------------------------- reading the widgets
def _strategies(chosen, lang: str, exactly: int | None = None) -> tuple[str, ...]:
    if isinstance(chosen, str):
        chosen = [chosen]
    if not chosen:
        raise error("ft.err.no_strategy", lang)
    if not isinstance(chosen, (list, tuple)) or not all(isinstance(s, str) and s in core.REGISTRY for s in chosen):
        raise error("ft.err.strategy", lang, choices=", ".join(core.REGISTRY))
    out = tuple(dict.fromkeys(chosen))
    if exactly is not None and len(out) != exactly:
        raise error("ft.err.pair", lang)
    return out


def _config(values: dict, strategies: tuple[str, ...], lang: str) -> core.FinetuneConfig:
    """The core config from the shared widgets; every message in the user's language."""
    values = dict(values)
    if values.get("lr") in (0, 0.0):  # 0 = each strategy's own default
        values["lr"] = None
    if not values.get("lora_targets"):
        if "lora" in strategies:
            raise error("ft.err.targets", lang)
        values.pop("lora_targets", None)
    cfg = read_config(core.FinetuneConfig, values, LABELS, lang)
    for name in ("freeze_k", "freeze_every"):
        value = getattr(cfg, name)
        if value is not None and value > MODEL_LAYERS:
            raise error("ft.err.layers", lang, name=t(LABELS[name], lang), n=MODEL_LAYERS, value=value)
    return cfg


def _check_size(cfg: core.FinetuneConfig, strategies: tuple[str, ...], lang: str, sizes=(), repeats: int = 1) -> None:
    resolved = cfg.resolved()
    biggest = max([resolved.limit or 0, *sizes])
    if resolved.device == "cpu" and (resolved.limit is None or biggest > CPU_MAX_LIMIT):
        raise error("ft.err.cpu_limit", lang, max=f"{CPU_MAX_LIMIT:,}", minutes=15)
    if ZERO_GPU and sizes:
        need = race_duration(cfg, strategies, sizes, repeats)
        if need > GPU_MAX_S:
            raise error("ft.err.gpu_long", lang, s=need, max=GPU_MAX_S)
    elif CALL_S and not sizes:
        try:
            chunks.plan(cfg, strategies, CALL_S)
        except ValueError:
            raise error("ft.err.gpu_epoch", lang, s=chunks.estimate_s(1, chunks.steps_per_epoch(cfg)),
                        max=CALL_S) from None


def read_race(values: dict, lang: str) -> Race:
    values = dict(values)
    strategies = _strategies(values.pop("strategies", None), lang)
    xaxis = values.pop("xaxis", "step")
    if xaxis not in XAXES:
        raise error("ft.err.xaxis", lang, choices=", ".join(XAXES))
    cfg = _config(values, strategies, lang)
    shown = dict(values, strategies=list(strategies), xaxis=xaxis)
    _check_size(cfg, strategies, lang)
    return Race(cfg, strategies, xaxis, context=contextvars.copy_context() if ZERO_GPU else None, shown=shown)


def read_sweep(values: dict, lang: str) -> Race:
    values = dict(values)
    pair = _strategies([values.pop("sweep_a", None), values.pop("sweep_b", None)], lang, exactly=2)
    raw = values.pop("sizes", None)
    try:
        sizes = core.check_sizes(raw if isinstance(raw, (list, tuple, str)) else [raw])
    except ValueError:
        raise error("ft.err.sizes", lang) from None
    try:
        repeats = core.check_repeats(values.pop("repeats", 1))
    except ValueError:
        raise error("ft.err.repeats", lang, max=core.MAX_REPEATS) from None
    cfg = _config(values, pair, lang)
    _check_size(cfg, pair, lang, sizes, repeats)
    return Race(cfg, pair, sizes=sizes, repeats=repeats, context=contextvars.copy_context() if ZERO_GPU else None)


# ---------------------------------------------------------------- ZeroGPU
def race_duration(cfg: core.FinetuneConfig, strategies, sizes=(), repeats: int = 1) -> int:
    """Seconds of GPU to ask ZeroGPU for the whole race (or size sweep) in one call: ``chunks.estimate_s`` of its
    set-ups and steps. The same arguments as the decorated generator (``spaces.GPU(duration=callable)``)."""
    if not sizes:
        return chunks.estimate_s(len(strategies), chunks.steps_per_epoch(cfg) * cfg.epochs * len(strategies))
    n_all = len(textdata.load_texts(cfg.data).train_idx)
    steps = sum(chunks.steps_per_epoch(cfg, min(n, n_all)) * cfg.epochs for n in sizes) * len(strategies) * repeats
    return chunks.estimate_s(len(strategies) * len(sizes) * repeats, steps)


def _sweep_duration(cfg, strategies, sizes, repeats=1) -> int:
    return race_duration(cfg, strategies, sizes, repeats)


def _race_on_gpu(cfg: core.FinetuneConfig, strategies):
    yield from core.race(cfg, strategies)


def call_duration(cfg: core.FinetuneConfig, call: chunks.Call, resume=None) -> int:
    """What one piece of a split race asks ZeroGPU for: its planned estimate."""
    return call.seconds


def _call_on_gpu(cfg: core.FinetuneConfig, call: chunks.Call, resume):
    yield from chunks.run_call(cfg, call, resume)


def _sweep_on_gpu(cfg: core.FinetuneConfig, strategies, sizes, repeats=1):
    yield from core.sweep(cfg, strategies, sizes, repeats)


if spaces is not None:  # pragma: no cover - only on a Space
    _race_on_gpu = spaces.GPU(duration=race_duration)(_race_on_gpu)
    _call_on_gpu = spaces.GPU(duration=call_duration)(_call_on_gpu)
    _sweep_on_gpu = spaces.GPU(duration=_sweep_duration)(_sweep_on_gpu)


def _in_context(context: contextvars.Context | None, make, *args):
    """Iterate ``make(*args)``, each step inside ``context`` (the request's, copied when Start was pressed)."""
    if context is None:
        yield from make(*args)
        return
    gen = context.run(make, *args)
    try:
        while True:
            try:
                item = context.run(next, gen)
            except StopIteration:
                return
            yield item
    finally:
        context.run(gen.close)


def _race_stream(race: Race):
    """The race in one GPU call or, where calls are bounded (``CALL_S``), in several: each piece runs in the
    request's context and hands its checkpoint (on the CPU) to the next."""
    if not CALL_S:
        yield from _in_context(race.context, _race_on_gpu, race.config, race.strategies)
        return

    def call(cfg, piece, resume):
        return _in_context(race.context, _call_on_gpu, cfg, piece, resume)

    yield from chunks.chunked_race(race.config, race.strategies, CALL_S, call=call)


# ---------------------------------------------------------------- the records
@dataclass
class Records(LiveSession, abc.ABC):
    """What a race and a sweep both keep: what Start asked for, which run may write (``race_id``), when it began and
    ended (on ``clock``), and the majority baseline of its test texts."""

    race: Race | None = None
    race_id: int = 0
    chance: float | None = None
    n_test: int = 0
    started: float = 0.0
    ended: float | None = None  # when its last result came (None: still running); a finished run's time stays put
    clock: Clock = field(default=REAL, repr=False, compare=False)

    def begin(self, race: Race, chance: float | None = None, n_test: int = 0) -> int:
        """Fresh records for ``race`` (a table never mixes two runs); returns the id its snapshots are recorded by."""
        self.race_id += 1
        self.race, self.started, self.ended, self.chance, self.n_test = race, self.clock.now(), None, chance, n_test
        self.clear()
        return self.race_id

    def seconds(self) -> float:
        """How long the run took (a finished one: to its last result, however late this is asked), or runs so far."""
        return (self.ended if self.ended is not None else self.clock.now()) - self.started

    @abc.abstractmethod
    def clear(self) -> None:
        """Empty the records of the run (``begin``)."""

    @abc.abstractmethod
    def record(self, item, race_id: int) -> None:
        """One item of run ``race_id`` into the records (a stopped older run writes nothing)."""


def recorded(session: Records, race: Race, race_id: int, stream):
    """A run's items, each recorded into ``session`` on the run's thread, after the baseline is measured."""
    yield _prepare_snapshot(race.strategies[0])  # the first frame clears the previous run's figures
    chance, n_test = core.majority_baseline(race.config), len(core.test_labels(race.config))
    if session.race_id == race_id:
        session.chance, session.n_test = chance, n_test
    for item in stream:
        session.record(item, race_id)
        yield item


def _prepare_snapshot(strategy: str, phase: str = "prepare") -> core.Snapshot:
    return core.Snapshot(strategy, 0, phase, 0, 0, 0.0, None, None, 0.0)


# ---------------------------------------------------------------- the race
@dataclass
class RaceSession(Records):
    """The records of the session's latest race: loss and accuracy points, finished strategies' results."""

    history: dict = field(default_factory=dict)  # strategy -> [{"step", "time", "loss", "acc"}]
    results: list = field(default_factory=list)  # core.report() of each finished strategy
    xaxis: str = "step"
    csv_path: str | None = None
    csv_rows: int = 0
    film: film.Film = field(default_factory=film.Film)  # the curves as they grow, for slides

    def clear(self) -> None:
        self.xaxis = self.race.xaxis
        self.history, self.results = {s: [] for s in self.race.strategies}, []
        self.csv_path, self.csv_rows = None, 0

    def record(self, snap: core.Snapshot | None, race_id: int) -> None:
        if snap is None or self.race_id != race_id:
            return
        if snap.phase == "train":
            self.history[snap.strategy].append(dict(step=snap.step, time=round(snap.elapsed, 3), loss=snap.loss,
                                                    acc=snap.test_acc))
        if snap.result is not None:
            self.results.append(core.report(snap.result))
            if len(self.results) == len(self.race.strategies):
                self.ended = self.clock.now()

    def free(self) -> None:
        super().free()
        self.history, self.results = {}, []


def make_run(session: RaceSession, race: Race):
    """Fresh records, then the core race, recorded snapshot by snapshot, and filmed (each training report) for
    slides."""
    frames = recorded(session, race, session.begin(race), _race_stream(race))
    return film.filmed(frames, session.film, slides.capture(session), when=lambda snap: snap.phase == "train")


def csv_file(session: RaceSession) -> str | None:
    """Every measured field, one row per strategy (written again only when a strategy finished)."""
    if not session.results:
        return None
    if session.csv_rows != len(session.results):
        path = export_path("finetune_results.csv")
        with open(path, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(session.results[0]))
            w.writeheader()
            w.writerows(session.results)
        session.csv_path, session.csv_rows = str(path), len(session.results)
    return session.csv_path


def race_figures(session: RaceSession, lang: str) -> dict:
    """Every figure of the session's race by name (``loss``, ``acc``, ``table``, ``params``, ``csv``)."""
    h = session.history
    return dict(loss=fig.curves_figure(h, "loss", session.xaxis, lang),
                acc=fig.curves_figure(h, "acc", session.xaxis, lang, session.chance, session.n_test),
                table=fig.results_table(session.results, lang), params=fig.params_figure(session.results, lang),
                csv=csv_file(session))


def _acc(acc: float, n: int, lang: str) -> str:
    return t("ft.where.acc", lang, acc=100 * acc, ci=fig.half_width(acc, n))


def _where_snapshot(snap: core.Snapshot, n: int, n_test: int, lang: str) -> str:
    kw = dict(name=fig.strategy_name(snap.strategy, lang), i=snap.index + 1, n=n)
    if snap.phase == "prepare":
        return t("ft.where.prepare", lang)
    if snap.phase == "wait":
        return t("ft.where.wait", lang, s=snap.elapsed)
    if snap.phase == "chunk":
        return t("ft.where.chunk", lang, epoch=snap.checkpoint.epoch, **kw)
    if snap.phase in ("setup", "features"):
        return t(f"ft.where.{snap.phase}", lang, **kw)
    if snap.phase == "done":
        return t("ft.where.finished", lang, acc=_acc(snap.result.test_acc, snap.result.n_test, lang), **kw)
    text = t("ft.where.train", lang, step=snap.step, total=snap.total_steps, **kw)
    if snap.loss is not None:
        text += t("ft.where.loss", lang, loss=snap.loss)
    if snap.test_acc is not None:
        text += ", " + _acc(snap.test_acc, n_test, lang)
    return text


def race_where(session: RaceSession, snap: core.Snapshot, lang: str) -> str:
    n = len(session.race.strategies) if session.race else 1
    if snap.phase == "done" and snap.index == n - 1 and len(session.results) == n:
        best = max(session.results, key=lambda r: r["test_acc"])
        return t("ft.where.done" if n > 1 else "ft.where.done_one", lang, n=n, s=session.seconds(),
                 device=device_text(best["device"], lang), best=fig.strategy_name(best["strategy"], lang),
                 acc=_acc(best["test_acc"], best["n_test"], lang))
    return _where_snapshot(snap, n, session.n_test, lang)


# ---------------------------------------------------------------- the size sweep
@dataclass
class SweepSession(Records):
    points: list = field(default_factory=list)  # {"strategy", "n_train", "seed", "test_acc", "n_test", "train_s"}

    def clear(self) -> None:
        self.points = []

    def record(self, item, race_id: int) -> None:
        if isinstance(item, core.SweepPoint) and self.race_id == race_id:
            self.points.append(dict(strategy=item.strategy, n_train=item.n_train, seed=item.seed,
                                    test_acc=item.test_acc, n_test=self.n_test, train_s=item.train_s))
            if len(self.points) == len(self.race.strategies) * len(self.race.sizes) * self.race.repeats:
                self.ended = self.clock.now()


def sweep_run(session: SweepSession, race: Race):
    stream = _in_context(race.context, _sweep_on_gpu, race.config, race.strategies, race.sizes, race.repeats)
    return recorded(session, race, session.begin(race), stream)


def sweep_where(session: SweepSession, item, lang: str) -> str:
    race = session.race
    n_pairs = len(race.strategies)
    done = len(session.points)
    k = min(done // (n_pairs * race.repeats), len(race.sizes) - 1)
    if isinstance(item, core.SweepPoint):
        if done == n_pairs * len(race.sizes) * race.repeats:
            return t("ft.where.sweep_done", lang, n=done, s=session.seconds())
        return t("ft.where.point", lang, name=fig.strategy_name(item.strategy, lang), n_train=item.n_train,
                 acc=_acc(item.test_acc, session.n_test, lang))
    if race.repeats > 1:
        r = min(done % (n_pairs * race.repeats) // n_pairs, race.repeats - 1)
        size = t("ft.where.size_seed", lang, n_train=race.sizes[k], k=k + 1, K=len(race.sizes), r=r + 1,
                 R=race.repeats)
    else:
        size = t("ft.where.size", lang, n_train=race.sizes[k], k=k + 1, K=len(race.sizes))
    return size + _where_snapshot(item, n_pairs, session.n_test, lang)
