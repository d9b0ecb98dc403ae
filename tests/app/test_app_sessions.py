"""Sessions that end let go of their runs: a client that leaves, is killed, or never reads its stream.

A class on a free Space hit each of these: four students who pressed Step and left held every training slot
(a closed tab freed nothing: Gradio passed no request to the handlers, so the harness did not know whose runs
they were), a run still waiting for a slot when its client died took a slot later and trained for nobody, and a
POST to ``/call/gan_start`` whose stream was never read trained 16,761 steps."""

from __future__ import annotations


import httpx
import pytest

from tabs.harness import live, runner, scheduler
from tabs.harness.live import Phase
from tests import waiting
from tests.app import streams

GAN = dict(data="ring8", loss="ns", optimizer="adam", lr_g=1e-3, lr_d=1e-3, d_steps=1, latent_dim=8, width=32,
           depth=2, batch_size=64, arch="mlp", steps=1_000_000, seed=0, lang="en")
CANARY = 60.0  # seconds: a generous bound on what the server does in the background, never a speed budget


def _until(condition, what: str) -> None:
    """Wait (at most ``CANARY`` seconds) for the server to do something in the background."""
    waiting.until(condition, what, CANARY)


_SESSIONS = []  # the running app's browser sessions (set by the autouse fixture)


@pytest.fixture(autouse=True)
def _sessions(demo):
    _SESSIONS[:] = [demo.page.sessions]


def _runs(session_hash: str) -> list[runner.Run]:
    return [s.run for s in _SESSIONS[0].of(session_hash) if s.run is not None]


def test_clients_that_step_and_leave_free_their_runs_slots_and_state(client, demo):
    students = [streams.connect(client.src) for _ in range(runner.MAX_RUNS)]
    held = []
    for student in students:
        student.predict(**GAN, api_name="/gan_step")  # a paused run: its models and its state stay until it ends
        runs = _runs(student.session_hash)
        assert runs and runs[0].phase == Phase.PAUSED, "the harness must know which browser session owns the run"
        held.append(runs[0])
    for student in students:
        student.close()  # its heartbeat ends: Gradio runs the app's unload for its session
    _until(lambda: all(run.phase.finished for run in held), "every left client's run ends")
    assert all(run.phase == Phase.STOPPED for run in held)
    for student in students:
        assert not _runs(student.session_hash)
    _until(lambda: not any(s.session_hash in demo.state_holder for s in students),
           "Gradio's state of every left session is dropped at once, not an hour later")
    # the slots are free: a fifth student's run starts at once instead of waiting behind them
    fifth = streams.connect(client.src)
    try:
        fifth.predict(**dict(GAN, steps=3), api_name="/gan_step")
        run = _runs(fifth.session_hash)[0]
        assert run.phase == Phase.PAUSED and not run.queued
    finally:
        fifth.close()


def test_a_run_waiting_for_a_slot_ends_when_its_client_goes_away(client, monkeypatch):
    held = [scheduler.Ticket("test", owner=n) for n in range(runner.MAX_RUNS)]
    for ticket in held:  # every slot busy: the next run waits in line
        assert scheduler.SCHEDULER.acquire(ticket)
    try:
        student = streams.connect(client.src)
        job = student.submit(**GAN, api_name="/gan_start")
        _until(lambda: _runs(student.session_hash) and _runs(student.session_hash)[0].queued,
               "the run waits for a slot")
        run = _runs(student.session_hash)[0]
        assert run.phase == Phase.WAITING and run.place().position == 1
        _until(lambda: any("**1** in line" in str(out) for out in job.outputs()), "its status gives its place")
        job.cancel()
        student.close()
        _until(lambda: run.phase.finished, "the waiting run ends with its client")
        assert run.phase == Phase.STOPPED and run.latest is None  # it never trained
        assert scheduler.SCHEDULER.waiting == 0  # out of line
    finally:
        for ticket in held:
            scheduler.SCHEDULER.release(ticket)


def test_a_stream_nobody_reads_stops_its_run(client, monkeypatch):
    monkeypatch.setattr(live, "UNREAD_LIMIT", 3)  # frames unread before the run counts as abandoned
    params = client.view_api(return_format="dict", print_info=False)["named_endpoints"]["/gan_start"]["parameters"]
    data = [GAN.get(p["parameter_name"], p["parameter_default"]) for p in params]  # by position, as /call/ wants
    posted = httpx.post(f"{client.src.rstrip('/')}/gradio_api/call/gan_start", json={"data": data}, timeout=30)
    event_id = posted.json()["event_id"]
    _until(lambda: _runs(event_id), "the posted run starts")
    run = _runs(event_id)[0]
    _until(lambda: run.phase.finished, "a run whose frames nobody reads ends")
    assert run.phase == Phase.STOPPED
    assert run.latest is None or run.latest.step < GAN["steps"]


def test_a_client_that_reads_its_stream_keeps_its_run(client, monkeypatch):
    monkeypatch.setattr(live, "UNREAD_LIMIT", 8)  # a client's stream opens a moment after its run starts
    reader = streams.connect(client.src)
    try:
        job = reader.submit(**GAN, api_name="/gan_start")
        seen = 0
        for _frame in job:
            seen += 1
            if seen >= 24:  # three times the limit: a reading client's messages never pile up
                break
        run = _runs(reader.session_hash)[0]
        assert run.phase == Phase.RUNNING
        reader.predict(lang="en", api_name="/gan_stop")
    finally:
        reader.close()


def test_two_students_on_the_same_settings_follow_one_run_and_one_leaving_stops_only_their_view(client):
    """Identical runs are computed once: the second student's Start follows the first's run (its status says so),
    Stop by one ends only that view, and the run ends once both have gone."""
    first, second = streams.connect(client.src), streams.connect(client.src)
    try:
        a = first.submit(**GAN, api_name="/gan_start")
        streams.wait_for(a, "Training")
        b = second.submit(**GAN, api_name="/gan_start")
        status = streams.wait_for(b, "Following a run started by another session")
        assert "Training" in status
        (run_a,), (run_b,) = _runs(first.session_hash), _runs(second.session_hash)
        assert run_a.core is run_b.core and not run_a.left
        core = run_a.core
        stopped = second.predict(lang="en", api_name="/gan_stop")
        assert "Stopped at step" in str(stopped) and run_b.left
        at = streams.step_in(str(stopped))
        _until(lambda: core.latest is not None and core.latest.step > at, "the run goes on for the first student")
        assert not core.phase.finished
        first.predict(lang="en", api_name="/gan_stop")
        _until(lambda: core.phase.finished, "the run ends once nobody follows it")
        assert core.phase == Phase.STOPPED
    finally:
        first.close()
        second.close()
