"""The Transformer Lab's recordings: each experiment's default run (``lab_seq2seq``, ``lab_ln``, ``lab_lstm``,
``lab_objectives``)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from playground import replay
from playground.lab import ln, lstm, objectives, seq2seq
from playground.replay.recorders import CHECK_STEPS, Recorder, close_fields, first


@dataclass(frozen=True)
class LabExperiment:
    """One lab experiment as the recorder and the tab's replay see it."""

    config: type
    lab: type
    snapshot: type


EXPERIMENTS = {"lab_seq2seq": LabExperiment(seq2seq.Seq2SeqConfig, seq2seq.Seq2SeqLab, seq2seq.Seq2SeqSnapshot),
               "lab_ln": LabExperiment(ln.LnConfig, ln.LnLab, ln.LnSnapshot),
               "lab_lstm": LabExperiment(lstm.LstmConfig, lstm.LongRangeLab, lstm.LstmSnapshot),
               "lab_objectives": LabExperiment(objectives.ObjectivesConfig, objectives.ObjectivesLab,
                                               objectives.ObjectivesSnapshot)}
CHECKED = ("loss", "task_loss", "accuracy", "grad_norms", "exact")


def _recorder(tab: str) -> Recorder:
    ex = EXPERIMENTS[tab]

    def record(name: str, config) -> replay.Recording:
        start = time.perf_counter()
        frames = [s for s in ex.lab(config).run() if s is not None]
        # the curves are drawn from every snapshot so far: keep them all (a few hundred at most)
        return replay.Recording(tab=tab, name=name, config=config, seed=config.seed, frames=replay.thin(frames),
                                seconds=time.perf_counter() - start)

    def check(rec: replay.Recording, steps: int = CHECK_STEPS) -> None:
        fresh = list(first(ex.lab(ex.config(**rec.config)).run(), min(steps, 2)))
        close_fields(fresh, rec.frames, CHECKED)

    return Recorder(names=lambda: ["default"], config=lambda name: ex.config(), record=record,
                    types=lambda: [ex.snapshot], check=check)


def seq2seq_recorder() -> Recorder:
    return _recorder("lab_seq2seq")


def ln_recorder() -> Recorder:
    return _recorder("lab_ln")


def lstm_recorder() -> Recorder:
    return _recorder("lab_lstm")


def objectives_recorder() -> Recorder:
    return _recorder("lab_objectives")
