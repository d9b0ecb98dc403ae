"""Replays of Vision Transfer's recordings (the CPU default race and size sweep, ``playground.vision.recorder``): the
recorded snapshots go into the session as a live run's do (``tabs.vision.session.follow_race``, ``follow_sweep``), so
the curves, the table and the sweep's figure read them alike."""

from __future__ import annotations

from typing import Iterator

from playground import replay
from playground.vision import recorder
from tabs.harness.replay import Replayer
from tabs.vision.session import RaceSession, SweepSession, follow_race, follow_sweep


def feed(session: RaceSession, rec: replay.Recording, config, lang: str) -> Iterator:
    yield from follow_race(session, rec.config["strategies"], iter(rec.frames))


REPLAYER = Replayer(feed, key=lambda config: recorder.key(*config))


def feed_sweep(session: SweepSession, rec: replay.Recording, config, lang: str) -> Iterator:
    runs = len(rec.config["sizes"]) * len(rec.config["strategies"])
    yield from follow_sweep(session, runs, iter(rec.frames))


SWEEP_REPLAYER = Replayer(feed_sweep, key=lambda config: recorder.sweep_key(*config))
