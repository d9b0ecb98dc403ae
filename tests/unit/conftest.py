"""The unit tier's fixtures."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def slots_of_its_own(monkeypatch):
    """Each test trains in a scheduler of its own: a run an earlier test left waiting on an event (a fake core
    that never ends) holds no slot a later test needs; on one worker, four such runs once made three tests wait
    past their limits for a slot."""
    from tabs.harness import runner
    from tabs.harness.scheduler import Scheduler

    monkeypatch.setattr(runner, "SCHEDULER", Scheduler())
