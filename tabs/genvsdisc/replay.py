"""Replays of the plane comparison's recording (``gvd-default``): the session keeps from the recorded snapshots
what a live run keeps (``tabs.genvsdisc.session.follow``), and the figures draw them alike; and of the size sweep's
(``gvd_sweep-default``), whose snapshots say everything its figure draws; and of the synthetic-data experiment
(``aug-default``: its snapshots hold the cells and, on the last one, the synthetic digits as 8-bit pixels)."""

from __future__ import annotations

from typing import Iterator

from dataclasses import replace

from playground import replay
from playground.genvsdisc.recorder import from_pixels
from playground.genvsdisc.experiment import GvdConfig
from tabs.genvsdisc.session import GvdSession, follow
from tabs.harness.replay import Replayer


def feed(session: GvdSession, rec: replay.Recording, config: GvdConfig, lang: str) -> Iterator:
    yield from follow(session, config, rec.frames)


REPLAYER = Replayer(feed)


def feed_sweep(session, rec: replay.Recording, config: GvdConfig, lang: str) -> Iterator:
    yield from rec.frames


SWEEP_REPLAYER = Replayer(feed_sweep)


def feed_augment(session, rec: replay.Recording, config, lang: str) -> Iterator:
    session.config, session.drawn_cells, session.drawn_grid = config, -1, -1  # as ``make_augment_run`` does
    for snap in rec.frames:
        yield replace(snap, grid=from_pixels(snap.grid)) if snap.grid is not None else snap


AUGMENT_REPLAYER = Replayer(feed_augment)
