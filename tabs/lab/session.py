"""What one browser session of the Transformer Lab owns, and the runs of its four experiments.

The four experiments (``EXPERIMENTS``: seq2seq, ln, lstm, objectives) run alike: a lab from ``playground.lab``
(its config, lab and snapshot types are ``playground.lab.recorder.EXPERIMENTS``) trains, and the session keeps the
lab (its models) and every snapshot so far, which is all the figures need. What differs is said by each
``Experiment``: its public short name, its labels, how far a run is, and how its widgets' values are read. Here
too: the handlers beside the runs (ask the seq2seq model, fill a blank, time the LSTM) and the downloads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

from playground.lab import common, lstm, objectives, recorder, tasks
from tabs.harness.common import export_path, user_errors
from tabs.harness.i18n import error, t
from tabs.harness.live import LiveSession
from tabs.harness.widgets import read_config
from tabs.lab import figures


@dataclass
class LabSession(LiveSession):
    """A lab (the models) and the snapshots so far: enough for every figure of the four experiments."""

    lab: Any = field(default=None, repr=False)
    history: list = field(default_factory=list)

    def free(self) -> None:
        super().free()
        self.lab = None


def follow(session: LabSession, lab: Any, snapshots: Iterable) -> Iterator:
    """Keep ``lab`` and every snapshot in ``session`` as they pass (a live run's, or a recording's)."""
    session.lab, session.history = lab, []
    for snap in snapshots:
        if snap is not None:
            session.history.append(snap)
        yield snap


def ints(text: Any, lang: str, key: str) -> list[int]:
    """'4, 16, 64' -> [4, 16, 64] (a list from an API client passes through)."""
    if isinstance(text, (list, tuple)):
        return list(text)
    try:
        return [int(x) for x in str(text).replace(";", ",").split(",") if x.strip()]
    except ValueError:
        raise error("lab.err.ints", lang, name=t(key, lang)) from None


# ---------------------------------------------------------------- how far a run is
def seq2seq_where(session: LabSession, snap, lang: str) -> str:
    exact = ", ".join(f"{figures.task_label(k, lang)} {100 * v:.0f}%" for k, v in snap.exact.items())
    return t("lab.where", lang, step=snap.step, total=session.lab.cfg.steps, s=snap.elapsed,
             loss=snap.loss) + (f" · {exact}" if exact else "")


def steps_where(session: LabSession, step: int, seconds: float, lang: str) -> str:
    return t("lab.where_short", lang, step=step, total=session.lab.cfg.steps, s=seconds)


def count(n: int, lang: str) -> str:
    """A whole number with its thousands apart: 28,169 in English; 28 169 in Vietnamese, where "28,169" reads as a
    decimal and "28.169" would sit beside the app's decimal points."""
    return f"{n:,}" if lang == "en" else f"{n:,}".replace(",", "\u202f")


def lstm_where(session: LabSession, snap, lang: str) -> str:
    return t("lab.lstm.where", lang, step=snap.step, total=session.lab.cfg.steps, tf=snap.elapsed["transformer"],
             ls=snap.elapsed["lstm"], ptf=count(snap.n_params["transformer"], lang),
             pls=count(snap.n_params["lstm"], lang))


# ---------------------------------------------------------------- the four experiments
@dataclass(frozen=True)
class Experiment:
    """One experiment of the lab, as its live run sees it."""

    name: str  # seq2seq, ln, lstm, objectives: its sub-tab, its live run (lab_<name>), its download
    short: str  # s2s, ln, lstm, obj: its element ids (lab-<short>-start) and link keys (lab.<short>.steps)
    labels: dict[str, str]  # config field -> string key of its widget's label
    where: Callable[[LabSession, Any, str], str]
    parse: Callable[[dict, str], dict] = lambda values, lang: values  # values as the config takes them

    @property
    def live_name(self) -> str:
        return f"lab_{self.name}"

    @property
    def core(self) -> recorder.LabExperiment:
        return recorder.EXPERIMENTS[self.live_name]

    def read(self, values: dict, lang: str):
        """The config the widgets describe; every message in the user's language."""
        return read_config(self.core.config, self.parse(values, lang), self.labels, lang)

    def make_run(self, session: LabSession, config) -> Iterator:
        """A fresh lab (built on the run's thread) trained to the end."""
        lab = self.core.lab(config)
        yield from follow(session, lab, lab.run())


def _distances(values: dict, lang: str) -> dict:
    return dict(values, distances=tuple(ints(values["distances"], lang, "lab.lstm.distances")))


EXPERIMENTS = {e.name: e for e in (
    Experiment("seq2seq", "s2s", {"tasks": "lab.s2s.tasks", "steps": "lab.steps", "d_model": "lab.d_model",
                                  "n_layers": "lab.n_layers", "lr": "lab.lr", "seed": "lab.seed"}, seq2seq_where),
    Experiment("ln", "ln", {"n_layers": "lab.ln.depth", "lr": "lab.lr", "warmup": "lab.ln.warmup", "steps": "lab.steps",
                            "seed": "lab.seed"},
               lambda s, snap, lang: steps_where(s, snap.step, snap.elapsed, lang)),
    Experiment("lstm", "lstm", {"steps": "lab.steps", "seed": "lab.seed", "d_model": "lab.d_model",
                                "distances": "lab.lstm.distances"}, lstm_where, parse=_distances),
    Experiment("objectives", "obj", {"steps": "lab.steps", "d_model": "lab.d_model",
                                     "mask_rate": "lab.obj.mask_rate", "seed": "lab.seed"},
               lambda s, snap, lang: steps_where(s, snap.step, sum(snap.elapsed.values()), lang)),
)}


# ---------------------------------------------------------------- beside the runs
def export(session: LabSession, name: str, lang: str) -> list[str]:
    """The run's curves (CSV) and its trained weights (safetensors), for download."""
    if session.lab is None or not session.history:
        raise error("lab.err.train_first", lang)
    lab = session.lab
    models = lab.models if hasattr(lab, "models") else {"model": lab.model}  # a replay has none: it says so
    with session.held():
        return [common.history_csv(session.history, export_path(f"{name}-curves.csv")),
                common.save_models(models, export_path(f"{name}-model.safetensors"), lab.cfg)]


@user_errors
def answer(session: LabSession, text: str, lang: str):
    """The trained seq2seq model's decoding of ``text``, and the task's own answer (None for free text)."""
    if session.lab is None:
        raise error("lab.err.train_first", lang)
    with session.held():
        decoding = session.lab.answer(text)
    return decoding, tasks.reference(text)


@user_errors
def fill_and_continue(session: LabSession, text: str, lang: str):
    """What the two objectives' models make of ``text`` (a blank filled, or a continuation), and their attention:
    the Markdown, the figure, and what they were drawn from (``fill_view`` draws them again in another language)."""
    if session.lab is None:
        raise error("lab.err.train_first", lang)
    lab = session.lab
    with session.held():
        if any(b in lab.vocab.encode_words(text) for b in objectives.BLANKS):
            f = lab.fill(text)
            made = {"kind": "filled", "mlm": _top(f["mlm"]), "clm": _top(f["clm"])}
        else:
            c = lab.continue_text(text)
            made = {"kind": "continued", "mlm": c["mlm"], "clm": c["clm"]}
        made.update(maps=lab.attention(text), tokens=lab.tokens(text))
    return (*fill_view(made, lang), made)


def fill_view(made: dict | None, lang: str) -> tuple:
    """The Markdown and the mask figure of a fill (``fill_and_continue``'s last answer) in ``lang``."""
    if not made:
        return "", None
    md = t(f"lab.obj.{made['kind']}", lang, mlm=made["mlm"], clm=made["clm"])
    return md, figures.masks_figure(made["maps"], made["tokens"], lang)


def _top(pairs: list) -> str:
    return ", ".join(f"**{w}** {100 * p:.0f}%" for w, p in pairs[:3])


@user_errors
def measure_timing(lengths: Any, d_model: float, lang: str):
    """Forward and training-step times of both models against length, one length at a time: the figure, the
    note, and the rows so far (``timing_view`` draws them again in another language)."""
    cfg = lstm.LstmConfig(lengths=tuple(ints(lengths, lang, "lab.lstm.lengths")), d_model=d_model)
    rows = []
    for row in lstm.timing(cfg):
        if row is not None:
            rows.append(row)
            yield (*timing_view(rows, lang), list(rows))


def timing_view(rows: list[dict] | None, lang: str) -> tuple:
    """The timing figure and note of ``rows`` in ``lang`` (nothing before a measurement)."""
    if not rows:
        return None, ""
    return figures.timing_figure(rows, lang), figures.timing_note(rows, lang)
