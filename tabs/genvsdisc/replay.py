"""Replays of the plane comparison's recording (``gvd-default``): the session keeps from the recorded snapshots
what a live run keeps (``tabs.genvsdisc.session.follow``), and the figures draw them alike; and of the size sweep's
(``gvd_sweep-default``), whose snapshots say everything its figure draws."""

from __future__ import annotations

from typing import Iterator

from playground import replay
from playground.genvsdisc.experiment import GvdConfig
from tabs.genvsdisc.session import GvdSession, follow
from tabs.harness.replay import Replayer


def feed(session: GvdSession, rec: replay.Recording, config: GvdConfig, lang: str) -> Iterator:
    yield from follow(session, config, rec.frames)


REPLAYER = Replayer(feed)


def feed_sweep(session, rec: replay.Recording, config: GvdConfig, lang: str) -> Iterator:
    yield from rec.frames


SWEEP_REPLAYER = Replayer(feed_sweep)
