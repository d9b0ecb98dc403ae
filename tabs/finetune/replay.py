"""Replays of the Fine-tuning Lab's recording (the CPU default race, ``playground.finetune.recorder``): the
recorded snapshots go into the session's records as a live race's do (``RaceSession.record``), so the tab's
figures and statuses read them alike."""

from __future__ import annotations

from typing import Iterator

from playground import replay
from playground.finetune import recorder
from tabs.finetune import slides
from tabs.finetune.session import Race, RaceSession
from tabs.harness import film
from tabs.harness.replay import Replayer


def feed(session: RaceSession, rec: replay.Recording, race: Race, lang: str) -> Iterator:
    """The recorded race into the session's records, filmed as a live race is (its slides export after a replay)."""
    return film.filmed(_records(session, rec, race), session.film, slides.capture(session),
                       when=lambda snap: snap.phase == "train")


def _records(session: RaceSession, rec: replay.Recording, race: Race) -> Iterator:
    race_id = session.begin(race, chance=rec.extra["chance"], n_test=rec.extra["n_test"])
    done = 0.0  # seconds of the strategies already finished in the recorded race
    for snap in rec.frames:
        session.record(snap, race_id)
        if snap.result is not None:
            done += snap.result.wall_s
        # the status's "in N s" reads the recorded race's time, not the replay's (and, once ended, keeps it)
        now = session.clock.now()
        session.started = now - (done if snap.result is not None else done + snap.elapsed)
        if session.ended is not None:
            session.ended = now
        yield snap


def key(race: Race) -> dict:
    """What a recording's config must equal: the race's settings as resolved here, and its strategies."""
    return recorder.key(race.config, race.strategies)


REPLAYER = Replayer(feed, key)
