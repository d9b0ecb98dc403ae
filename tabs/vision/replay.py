"""Replays of Vision Transfer's recording (the CPU default race, ``playground.vision.recorder``): the recorded
snapshots go into the session as a live race's do (``tabs.vision.session.follow_race``), so the curves and the table
read them alike."""

from __future__ import annotations

from typing import Iterator

from playground import replay
from playground.vision import recorder
from tabs.harness.replay import Replayer
from tabs.vision.session import RaceSession, follow_race


def feed(session: RaceSession, rec: replay.Recording, config, lang: str) -> Iterator:
    yield from follow_race(session, rec.config["strategies"], iter(rec.frames))


REPLAYER = Replayer(feed, key=lambda config: recorder.key(*config))
