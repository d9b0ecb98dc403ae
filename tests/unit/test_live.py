"""The live-run harness: Pause / Step / Stop act at the run's next yield and say so, whatever the core.

The cores here are ``fakes.Steps``: each step runs only when the test allows it, so what a run has done when a
control acts is exact; the streams run on a ``ManualClock``, whose time moves only when a test advances it."""

from __future__ import annotations

import copy
import gc
import threading
import weakref

import gradio as gr
import pytest
import torch

from tabs.harness import live
from tabs.harness.clock import ManualClock
from tabs.harness.i18n import t
from tabs.harness.runner import Phase, Run
from tabs.harness.sessions import BrowserSessions
from tests.unit.fakes import CANARY, Reader, Session, Snap, Steps, fake_live, until


def _finished(run: Run) -> bool:
    return run.wait_until(lambda: run.phase.finished, CANARY)


# ---------------------------------------------------------------- the run thread
def test_a_run_trains_to_the_end_on_its_own_thread():
    run = Run(Steps(20, free=True)).start()
    assert _finished(run)
    assert run.phase == Phase.DONE and run.latest == Snap(20) and run.version == 20


def test_pause_acts_at_the_next_yield_and_resume_goes_on_from_there():
    core = Steps()
    run = Run(core).start()
    core.allow(3)
    assert run.wait_until(lambda: run.version == 3, CANARY)
    core.allow_half()  # the run is inside step 4, at its heartbeat: Pause acts there, before the second half
    assert run.pause(wait=CANARY) and run.phase == Phase.PAUSED
    core.allow(5)
    assert run.phase == Phase.PAUSED and run.version == 3 and core.done == 3  # nothing trains while paused
    assert run.resume(wait=CANARY)
    assert run.wait_until(lambda: run.version == 8, CANARY) and run.latest == Snap(8)
    run.stop(wait=0)
    core.allow(1)
    assert _finished(run) and run.phase == Phase.STOPPED


def test_stop_acts_at_the_next_heartbeat_even_inside_a_long_step():
    core = Steps()
    run = Run(core).start()
    run.stop(wait=0)  # asked while the first half of step 1 still computes
    core.allow_half()  # it reaches the heartbeat in the middle of step 1: the run ends there
    assert _finished(run)
    assert run.phase == Phase.STOPPED and run.latest is None and core.done == 0


def test_step_produces_exactly_one_snapshot_then_pauses():
    run = Run(Steps(free=True), paused=True).start()
    assert run.step(1, wait=CANARY)
    assert run.latest == Snap(1) and run.phase == Phase.PAUSED
    assert run.step(3, wait=CANARY)
    assert run.latest == Snap(4) and run.phase == Phase.PAUSED
    run.stop(wait=CANARY)


def test_divergence_and_user_errors_end_the_run_and_keep_the_last_snapshot():
    run = Run(Steps(100, diverge_at=7, free=True)).start()
    assert _finished(run)
    assert run.phase == Phase.DIVERGED and run.error.step == 7 and run.latest == Snap(6)
    run = Run(Steps(100, fail_at=3, free=True)).start()
    assert _finished(run)
    assert run.phase == Phase.FAILED and "missing" in str(run.error) and run.latest == Snap(2)


def test_hold_keeps_the_worker_out_while_drawing():
    core = Steps()
    run = Run(core).start()
    core.allow(1)
    assert run.wait_until(lambda: run.version == 1, CANARY)
    core.allow_half()
    assert run.pause(wait=CANARY)  # at the heartbeat of step 2: the worker holds no model now
    with run.hold():
        assert run.resume(wait=CANARY)
        core.allow(5)
        assert run.version == 1 and core.done == 1  # it waits for the drawing to end
    assert run.wait_until(lambda: run.version == 6, CANARY)
    run.stop(wait=0)
    core.allow(1)
    assert _finished(run)


def test_runs_beyond_the_slots_wait_and_say_so():
    slot = threading.BoundedSemaphore(1)
    first_core, second_core = Steps(), Steps(free=True)
    first = Run(first_core, slot=slot).start()
    second = Run(second_core, slot=slot).start()
    until(lambda: second.queued, "the second run waits for the slot")
    assert first.phase in (Phase.WAITING, Phase.RUNNING) and second.phase == Phase.WAITING and not first.queued
    first.stop(wait=0)
    first_core.allow_half()  # the first run reaches a yield and ends: the second takes its slot
    assert _finished(first)
    until(lambda: second.phase == Phase.RUNNING, "the second run starts once the slot is free")
    assert second.stop(wait=CANARY) and second.phase == Phase.STOPPED


def test_slow_motion_waits_its_pace_after_each_snapshot_and_stop_still_acts_at_once():
    clock = ManualClock()
    run = Run(Steps(free=True), clock=clock)
    run.set_pace(2.0)
    run.start()
    assert run.wait_until(lambda: run.version == 1, CANARY)
    clock.settle()  # the run waits after its first snapshot...
    assert run.version == 1
    clock.advance(1.5)
    clock.settle()
    assert run.version == 1  # ...for its whole pace...
    clock.advance(0.5)
    assert run.wait_until(lambda: run.version == 2, CANARY)  # ...then trains the next update
    clock.settle()
    assert run.version == 2
    assert run.stop(wait=CANARY) and run.phase == Phase.STOPPED and run.version == 2  # no wait for the pace


def test_a_new_pace_applies_during_the_wait_and_step_ignores_it():
    clock = ManualClock()
    run = Run(Steps(free=True), clock=clock)
    run.set_pace(60.0)
    run.start()
    assert run.wait_until(lambda: run.version == 1, CANARY)
    clock.settle()
    run.set_pace(0.0)  # full speed again: the wait ends now
    assert run.wait_until(lambda: run.version > 50, CANARY)
    run.set_pace(60.0)
    assert run.pause(wait=CANARY)
    shown = run.version
    assert run.step(1, wait=CANARY) and run.version == shown + 1  # Step makes its one update without a pace
    run.stop(wait=CANARY)


# ---------------------------------------------------------------- the handlers and the stream
@pytest.fixture()
def clock(monkeypatch):
    monkeypatch.setattr(live, "FRAME_INTERVAL", 0.5)  # exact binary fractions: sums of them compare exactly
    monkeypatch.setattr(live, "PACE_POLL", 0.125)
    return ManualClock()


def _start(tab, data: dict) -> Reader:
    stream = tab.start(data)
    first = next(stream)
    assert first["state"] is data["state"] and set(first) == {"state", "status"}  # the state first, no figure yet
    return Reader(stream)


def test_stop_answers_with_the_final_status_and_the_stream_ends_on_it(clock):
    tab = fake_live(Steps(free=True), clock)
    session = Session()
    data = {"state": session, "lang": "en", "work": None}
    reader = _start(tab, data)
    clock.advance(live.FRAME_INTERVAL)  # a frame is due
    until(lambda: reader.frames, "the first frame")
    assert reader.statuses()[0].startswith("▶ Training")
    out = tab.stop(data)
    assert out["status"].startswith("■ Stopped at step") and set(out) == {"status"}  # figures stay as drawn
    reader.join()
    assert reader.frames[-1]["status"] == out["status"]  # the last frame agrees with Stop's answer
    assert reader.frames[-1]["fig"] == session.run.latest.step


def test_the_pace_control_sets_the_run_s_pace_at_start_and_while_it_runs(clock):
    tab = fake_live(Steps(free=True), clock)
    tab.pace_input = "pace"
    data = {"state": Session(), "lang": "vi", "work": None, "pace": "3"}
    reader = _start(tab, data)
    run = data["state"].run
    assert run.pace == live.PACES["3"] == 3.0
    tab.set_pace({**data, "pace": "full"})
    assert run.pace == 0.0
    with pytest.raises(gr.Error, match="Nhịp chạy"):  # an API client's unknown pace: a message, the run untouched
        tab.set_pace({**data, "pace": "warp"})
    assert run.pace == 0.0 and not run.phase.finished
    tab.stop(data)
    reader.join()


def test_frames_come_once_per_frame_interval_however_fast_the_run(clock):
    tab = fake_live(Steps(free=True), clock)
    data = {"state": Session(), "lang": "en", "work": None}
    reader = _start(tab, data)
    for n in range(1, 4):
        clock.advance(live.FRAME_INTERVAL)
        until(lambda: len(reader.frames) == n, f"frame {n}")
        clock.settle()  # the stream waits for the next frame to be due...
        assert len(reader.frames) == n  # ...and sends nothing before, though the run made many snapshots
    tab.stop(data)
    reader.join()


def test_pause_then_resume_through_the_handlers(clock):
    tab = fake_live(Steps(free=True), clock)
    data = {"state": Session(), "lang": "en", "work": None}
    reader = _start(tab, data)
    paused = next(tab.pause_resume(data))
    assert paused["status"].startswith("‖ Paused at step")
    reader.join()  # the first stream ends on the pause
    resumed = tab.pause_resume(data)
    clock.advance(live.FRAME_INTERVAL)
    assert next(resumed)["status"].startswith("▶ Training")
    assert tab.stop(data)["status"].startswith("■ Stopped")
    list(resumed)


def test_step_from_nothing_builds_a_paused_run(clock):
    tab = fake_live(Steps(free=True), clock)
    session = Session()
    out = tab.step({"state": session, "lang": "en", "work": None})
    assert out["fig"] == 1 and out["status"].startswith("‖ Paused at step 1")
    out = tab.step({"state": session, "lang": "en", "work": None})
    assert out["fig"] == 2
    session.free()
    assert session.run is None


def test_a_session_copy_never_shares_a_run():
    s = Session()
    s.run = Run(Steps(2, free=True))
    assert copy.deepcopy(s).run is None


def test_a_session_that_ends_lets_its_models_go():
    """What a run holds (its models, in the last snapshot here) is freed when the session ends, whether the
    browser tab closed (``BrowserSessions.release``) or the state's time to live ran out (``forget``)."""

    class Model(torch.nn.Linear):
        pass

    def core():
        yield Model(256, 256)

    for end in ("unload", "ttl"):
        session = live.LiveSession()
        session.run = Run(core).start()
        assert _finished(session.run)
        held = weakref.ref(session.run.latest)
        request = type("Request", (), {"session_hash": f"browser-{end}"})()
        sessions = BrowserSessions()
        sessions.remember(request, session)
        assert len(sessions) == 1
        if end == "unload":
            sessions.release(request)
        else:
            sessions.forget(session)
        gc.collect()
        assert held() is None, end
        assert not sessions.of(f"browser-{end}") and len(sessions) == 0  # nothing of the session stays behind


def test_no_frame_of_a_run_goes_out_after_stop_was_asked(clock):
    """Stop answers "Stopped at ..." after at most ``STOP_ANSWER`` seconds; a frame of the run sent after that
    answer (the page may draw it last) would overwrite it. Here the run has a new snapshot to show when Stop comes,
    and its update ends only later."""
    release = threading.Event()

    def core():
        yield Snap(1)
        yield Snap(2)
        release.wait(CANARY)  # a long update, still running when Stop is asked for
        yield Snap(3)

    tab = fake_live(Steps(), clock)
    tab.make_run = lambda s, cfg: core()
    tab.shared = False  # a run of the session's own (slow motion, a run that is never shared): Stop waits for it; a
    session = Session()  # view of a shared run stops at once (tests/unit/test_shared.py)
    data = {"state": session, "lang": "en", "work": None}
    reader = _start(tab, data)
    assert session.run.wait_until(lambda: session.run.version == 2, CANARY)
    answers = []
    stopper = threading.Thread(target=lambda: answers.append(tab.stop(dict(data))))
    stopper.start()
    clock.settle(2)  # the Stop waits for the run (the stream for its next frame)
    clock.advance(live.STOP_ANSWER)  # the update goes on: Stop answers anyway
    stopper.join(CANARY)
    after = len(reader.frames)
    assert answers[0]["status"].startswith("■ Stopped at step 2")
    release.set()
    reader.join()
    assert all(not s.startswith("▶") for s in reader.statuses()[after:]), reader.statuses()
    # the snapshot the update made after Stop is not the run's: the last frame says what Stop's answer said
    assert reader.statuses()[-1] == answers[0]["status"], (reader.statuses()[-1], answers[0]["status"])
    assert session.run.latest.step == 2


def test_a_stop_clicked_while_start_waited_in_the_queue_withdraws_it(clock):
    """In the page, Start waits in Gradio's queue when the server is busy; a Stop (not queued) is handled first
    and finds no run. Each click carries the page's clock, so the Start, handled later, knows that it was
    stopped before it began. A Start clicked after that Stop runs as usual; API clients (no clock) are not
    affected."""
    tab = fake_live(Steps(free=True), clock)
    session = Session()
    start_click, stop_click = 1_000_000.0, 1_000_500.0
    assert tab.stop({"state": session, "lang": "en", "page": stop_click})["status"] == t("live.idle", "en")
    frames = list(tab.start({"state": session, "lang": "en", "work": None, "page": start_click}))
    assert [f["status"] for f in frames] == [t("live.withdrawn", "en")] and session.run is None
    # a Resume that waited behind the same Stop does not start training either
    assert [f["status"] for f in tab.pause_resume({"state": session, "lang": "en", "page": start_click})] == \
        [t("live.idle", "en")]
    assert session.run is None
    # clicked after the Stop: it runs
    stream = tab.start({"state": session, "lang": "en", "work": None, "page": stop_click + 1})
    assert next(stream)["status"] != t("live.withdrawn", "en")
    assert session.run is not None
    tab.stop({"state": session, "lang": "en", "page": stop_click + 2})
    list(stream)
    # an API client's Start (no clock) is never withdrawn
    stream = tab.start({"state": session, "lang": "en", "work": None})
    next(stream)
    assert session.run is not None and not session.run.phase.finished
    tab.stop({"state": session, "lang": "en"})
    list(stream)


def test_a_run_waiting_for_a_slot_says_the_figures_on_screen_are_not_its_own(clock, monkeypatch):
    """A tab that opened on a recording (or a run that was drawn) keeps those figures while the next Start waits
    in line: its status says they are the earlier run's, so nobody reads them as the new settings' result."""
    from tabs.harness import runner
    from tabs.harness.scheduler import Scheduler

    monkeypatch.setattr(runner, "SCHEDULER", Scheduler(slots=1))
    tab = fake_live(Steps(free=True), clock)
    drawn, fresh = Session(), Session()
    data = {"state": drawn, "lang": "vi", "work": None}
    assert tab.step(data)["fig"] == 1  # a figure on this page; the paused run gives the slot back
    blocker_core = Steps()
    blocker = Run(blocker_core).start()  # holds the one slot
    until(lambda: blocker.phase == Phase.RUNNING, "the other run takes the slot")
    readers = []
    for session, work in ((drawn, 1), (fresh, 2)):  # other settings each: two runs of their own
        readers.append(_start(tab, {"state": session, "lang": "vi", "work": work}))
        until(lambda: session.run.queued, "the Start waits in line")
    clock.advance(live.FRAME_INTERVAL)  # a status frame is due for each
    until(lambda: all(r.frames for r in readers), "each waiting run's status")
    earlier = t("live.earlier_figures", "vi")
    waiting_drawn, waiting_fresh = readers[0].statuses()[-1], readers[1].statuses()[-1]
    assert "trong hàng" in waiting_drawn and waiting_drawn.endswith(earlier)
    assert "trong hàng" in waiting_fresh and earlier not in waiting_fresh  # nothing on that page yet
    assert all("fig" not in f for r in readers for f in r.frames)  # no figure comes before the run has one
    for session in (drawn, fresh):
        session.end_run()
    blocker.stop(wait=0)
    blocker_core.allow_half()
    assert _finished(blocker)
    for r in readers:
        r.join()
