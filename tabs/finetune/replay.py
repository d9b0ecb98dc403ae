"""Replays of the Fine-tuning Lab's recordings (the CPU default race and size sweep, ``playground.finetune.recorder``):
the recorded snapshots go into the session's records as a live run's do (``RaceSession.record``,
``SweepSession.record``), so the tab's figures and statuses read them alike. The tab opens on both (their live runs
are longer than a class should wait)."""

from __future__ import annotations

from typing import Iterator

from playground import replay
from playground.finetune import recorder
from tabs.finetune import slides
from tabs.finetune.session import Race, RaceSession, SweepSession
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


def feed_sweep(session: SweepSession, rec: replay.Recording, race: Race, lang: str) -> Iterator:
    """The recorded sweep's points into the session's records; the status reads the recorded sweep's time."""
    race_id = session.begin(race, chance=rec.extra["chance"], n_test=rec.extra["n_test"])
    done = 0.0
    for item in rec.frames:
        session.record(item, race_id)
        if getattr(item, "result", None) is not None:
            done += item.result.wall_s
        now = session.clock.now()
        session.started = now - done
        if session.ended is not None:
            session.ended = now
        yield item


def sweep_key(race: Race) -> dict:
    return recorder.sweep_key(race.config, race.strategies, race.sizes, race.repeats)


SWEEP_REPLAYER = Replayer(feed_sweep, sweep_key)
