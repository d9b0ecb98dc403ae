"""Replays of the Transformer Lab's recordings (one per experiment, ``lab_<experiment>-default``): a stand-in for
the lab, with its config and no models, and the recorded snapshots as the session's history."""

from __future__ import annotations

from typing import Any, Iterator

from playground import replay
from tabs.harness.i18n import error
from tabs.harness.replay import Replayer
from tabs.lab.session import EXPERIMENTS, LabSession, follow


class RecordedLab:
    """A lab's config without its models: the figures need only the config and the snapshots."""

    def __init__(self, cfg: Any, lang: str) -> None:
        self.cfg, self._lang = cfg, lang

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        raise error("live.replay.no_weights", self._lang)  # asking, filling, downloading: no models to use


def replayer(name: str) -> Replayer:
    """The replays of experiment ``name``'s recordings."""
    config = EXPERIMENTS[name].core.config

    def feed(session: LabSession, rec: replay.Recording, _config, lang: str) -> Iterator:
        yield from follow(session, RecordedLab(config(**rec.config), lang), rec.frames)

    return Replayer(feed)


REPLAYERS = {name: replayer(name) for name in EXPERIMENTS}
