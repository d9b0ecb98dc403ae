"""Waiting for what a streamed job shows (through gradio_client), with a canary: a generous bound on how long the
server may take to get there on a loaded machine, never a speed budget (speed lives in benchmarks/)."""

from __future__ import annotations

import re

from tests import waiting

CANARY = 120.0  # seconds
CLIENT_TIMEOUT = 60.0  # seconds for one HTTP request of a client (httpx's own default, 5 s, is a speed budget on a
# loaded machine: a test's new Client timed out reading the app's config while two test workers and a third
# process shared the 2 cores)


def connect(src: str):
    """A gradio_client ``Client`` of the app at ``src`` (a session of its own), with a canary's patience."""
    from gradio_client import Client

    return Client(src, verbose=False, httpx_kwargs={"timeout": CLIENT_TIMEOUT})


def until(condition, what: str, timeout: float = CANARY) -> None:
    waiting.until(condition, what, timeout, every=0.1)


def last_status(job) -> str:
    outputs = job.outputs()
    return str(outputs[-1][0]) if outputs else ""


def wait_for(job, text: str, timeout: float = CANARY) -> str:
    """Until a streamed status contains ``text``; that status."""
    until(lambda: text in last_status(job), f"a status with {text!r} (last: {last_status(job)[:120]!r})", timeout)
    return last_status(job)


def step_in(status: str, word: str = "step") -> int:
    """The number after ``word`` in a status ("step 1,234 of ..." -> 1234), 0 when there is none."""
    found = re.search(rf"{word} ([\d,]+)", status)
    return int(found.group(1).replace(",", "")) if found else 0


def wait_for_step(job, at_least: int, word: str = "step", timeout: float = CANARY) -> int:
    """Until a streamed status reads a step of at least ``at_least``; that step."""
    until(lambda: step_in(last_status(job), word) >= at_least, f"{word} {at_least} (last: {last_status(job)[:120]!r})",
          timeout)
    return step_in(last_status(job), word)
