"""Waiting for another thread or the server to do something: a canary (a generous bound on how long it may take
on a loaded machine), never a speed budget; speed lives in benchmarks/. The only real-time wait in the tests
outside the browser tier, shared by the tiers."""

from __future__ import annotations

import threading


def until(condition, what: str, timeout: float, every: float = 0.05) -> None:
    """Return once ``condition()`` is true, checking every ``every`` seconds; fail after ``timeout`` seconds."""
    tick = threading.Event()  # never set: waits `every` seconds between two checks
    for _ in range(max(1, round(timeout / every))):
        if condition():
            return
        tick.wait(every)
    if condition():
        return
    raise AssertionError(f"within {timeout:.0f} s: {what}")
