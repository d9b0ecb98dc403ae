"""The live-run harness: Pause / Step / Stop act within about a second and say so, whatever the core."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import pytest

from playground.kit.runs import Diverged
from tabs.harness import live, runner
from tabs.harness.i18n import t
from tabs.harness.sessions import BrowserSessions


@dataclass(frozen=True)
class Snap:
    step: int


def counter(n: int = 10_000, work: float = 0.01, heartbeat: bool = True, diverge_at: int | None = None,
            fail_at: int | None = None):
    """A fake core: each step takes ``work`` seconds in two halves, with a heartbeat in between."""
    for i in range(1, n + 1):
        time.sleep(work / 2)
        if heartbeat:
            yield None
        time.sleep(work / 2)
        if i == diverge_at:
            raise Diverged(i)
        if i == fail_at:
            raise ValueError("the data set is missing")
        yield Snap(i)


def test_a_run_trains_to_the_end_on_its_own_thread():
    run = runner.Run(lambda: counter(20, work=0.001)).start()
    run._thread.join(5)
    assert run.phase == runner.Phase.DONE and run.latest == Snap(20) and run.version == 20


def test_pause_takes_effect_within_a_second_and_resume_continues_from_there():
    run = runner.Run(lambda: counter(work=0.02)).start()
    time.sleep(0.2)
    t0 = time.perf_counter()
    assert run.pause()
    assert time.perf_counter() - t0 < 1.0 and run.phase == runner.Phase.PAUSED
    at = run.latest.step
    time.sleep(0.2)
    assert run.latest.step == at  # nothing trains while paused
    run.resume()
    time.sleep(0.2)
    assert run.latest.step > at
    assert run.stop() and run.phase == runner.Phase.STOPPED


def test_stop_acts_at_the_next_heartbeat_even_inside_a_long_step():
    # each "step" takes 1.6 s, with a heartbeat in the middle: Stop must not wait for the whole step
    run = runner.Run(lambda: counter(work=1.6)).start()
    time.sleep(0.1)
    t0 = time.perf_counter()
    assert run.stop()
    assert time.perf_counter() - t0 < 1.0
    assert run.phase == runner.Phase.STOPPED and run.latest is None


def test_step_produces_exactly_one_snapshot_then_pauses():
    run = runner.Run(lambda: counter(work=0.001), paused=True).start()
    assert run.step(1)
    assert run.latest == Snap(1) and run.phase == runner.Phase.PAUSED
    assert run.step(3)
    assert run.latest == Snap(4) and run.phase == runner.Phase.PAUSED
    run.stop()


def test_divergence_and_user_errors_end_the_run_and_keep_the_last_snapshot():
    run = runner.Run(lambda: counter(100, work=0.001, diverge_at=7)).start()
    run._thread.join(5)
    assert run.phase == runner.Phase.DIVERGED and run.error.step == 7 and run.latest == Snap(6)
    run = runner.Run(lambda: counter(100, work=0.001, fail_at=3)).start()
    run._thread.join(5)
    assert run.phase == runner.Phase.FAILED and "missing" in str(run.error) and run.latest == Snap(2)


def test_hold_keeps_the_worker_out_while_drawing():
    run = runner.Run(lambda: counter(work=0.0)).start()
    time.sleep(0.05)
    with run.hold():
        v = run.version
        time.sleep(0.1)
        assert run.version <= v + 1  # at most the snapshot already computed lands
    run.stop()


def test_runs_beyond_the_slots_wait_and_say_so():
    slot = threading.BoundedSemaphore(1)
    first = runner.Run(lambda: counter(work=0.01), slot=slot).start()
    time.sleep(0.1)
    second = runner.Run(lambda: counter(work=0.01), slot=slot).start()
    time.sleep(0.3)
    assert first.phase == runner.Phase.RUNNING and second.phase == runner.Phase.WAITING
    first.stop()
    time.sleep(0.5)
    assert second.phase == runner.Phase.RUNNING
    assert second.stop() and second.phase == runner.Phase.STOPPED


class _Session(live.LiveSession):
    pass


class FakePage:
    """A page whose widgets are plain strings (the handlers only use them as keys)."""

    lang, clock = "lang", "page"

    def __init__(self) -> None:
        self.sessions = BrowserSessions()


@pytest.fixture()
def tab():
    """A Live wired to plain objects standing in for components (the handlers only use them as keys)."""
    t = live.Live(FakePage(), "fake", _Session, make_run=lambda s, cfg: counter(work=cfg),
                  render=lambda s, snap, lang: {"fig": snap.step}, where=lambda s, snap, lang: f"step {snap.step}",
                  config=lambda values, lang: values["work"])
    t.state, t.status_output, t.inputs = "state", "status", {"work": "work"}
    return t


def test_stop_answers_with_the_final_status_and_the_stream_ends_on_it(tab):
    session = _Session()
    data = {"state": session, "lang": "en", "work": 0.02}
    stream = tab.start(data)
    first = next(stream)
    assert first["state"] is session
    frames = []
    consumer = threading.Thread(target=lambda: frames.extend(stream))
    consumer.start()
    time.sleep(0.6)
    t0 = time.perf_counter()
    out = tab.stop(data)
    assert time.perf_counter() - t0 < 1.0
    assert out["status"].startswith("■ Stopped at step") and set(out) == {"status"}  # figures stay as drawn
    consumer.join(3)
    assert frames and frames[-1]["status"] == out["status"]  # the last frame agrees with Stop's answer
    assert frames[-1]["fig"] == session.run.latest.step


def test_pause_then_resume_through_the_handlers(tab):
    session = _Session()
    data = {"state": session, "lang": "en", "work": 0.02}
    stream = tab.start(data)
    next(stream)
    threading.Thread(target=lambda: list(stream)).start()
    time.sleep(0.3)
    paused = next(tab.pause_resume(data))
    assert paused["status"].startswith("‖ Paused at step")
    resumed = tab.pause_resume(data)
    frame = next(resumed)
    assert frame["status"].startswith("▶ Training")
    out = tab.stop(data)
    assert out["status"].startswith("■ Stopped")
    list(resumed)


def test_step_from_nothing_builds_a_paused_run(tab):
    session = _Session()
    out = tab.step({"state": session, "lang": "en", "work": 0.001})
    assert out["fig"] == 1 and out["status"].startswith("‖ Paused at step 1")
    out = tab.step({"state": session, "lang": "en", "work": 0.001})
    assert out["fig"] == 2
    session.free()
    assert session.run is None


def test_a_session_copy_never_shares_a_run():
    import copy

    s = _Session()
    s.run = runner.Run(lambda: counter(2, work=0.001))
    assert copy.deepcopy(s).run is None


def test_a_session_that_ends_lets_its_models_go():
    """What a run holds (its models, in the last snapshot here) is freed when the session ends, whether the
    browser tab closed (``release_browser_session``) or the state's time to live ran out (``_free``)."""
    import gc
    import weakref

    import torch

    class Model(torch.nn.Linear):
        pass

    def core():
        yield Model(256, 256)

    for end in ("unload", "ttl"):
        session = live.LiveSession()
        session.run = runner.Run(core).start()
        assert session.run._wait(lambda: session.run.phase.finished, 5)
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


def test_no_frame_of_a_run_goes_out_after_stop_was_asked(tab):
    """Stop answers "Stopped at ..." at once; a frame of the run sent after that answer (the page may draw it
    last) would overwrite it. Here the run has a new snapshot to show when Stop comes, and its update ends later."""
    release = threading.Event()

    def core(session, cfg):
        yield Snap(1)
        yield Snap(2)
        release.wait(5)  # a long update, still running when Stop is asked for
        yield Snap(3)

    tab.make_run = core
    session = _Session()
    data = {"state": session, "lang": "en", "work": 0.0}
    stream = tab.start(data)
    next(stream)
    frames = []
    consumer = threading.Thread(target=lambda: frames.extend(stream))
    consumer.start()
    assert session.run._wait(lambda: session.run.version == 2, 2)
    answer = tab.stop({**data})  # waits STOP_ANSWER for the update, then answers anyway
    after = len(frames)
    assert answer["status"].startswith("■ Stopped at step 2")
    release.set()
    consumer.join(3)
    assert all(not f["status"].startswith("▶") for f in frames[after:]), [f["status"] for f in frames]
    assert frames[-1]["status"].startswith("■ Stopped at")


def test_a_stop_clicked_while_start_waited_in_the_queue_withdraws_it(tab):
    """In the page, Start waits in Gradio's queue when the server is busy; a Stop (not queued) is handled first
    and finds no run. Each click carries the page's clock, so the Start, handled later, knows that it was
    stopped before it began. A Start clicked after that Stop runs as usual; API clients (no clock) are not
    affected."""
    session = _Session()
    start_click, stop_click = 1_000_000.0, 1_000_500.0
    assert tab.stop({"state": session, "lang": "en", "page": stop_click})["status"] == t("live.idle", "en")
    frames = list(tab.start({"state": session, "lang": "en", "work": 0.01, "page": start_click}))
    assert [f["status"] for f in frames] == [t("live.withdrawn", "en")] and session.run is None
    # a Resume that waited behind the same Stop does not start training either
    assert [f["status"] for f in tab.pause_resume({"state": session, "lang": "en", "page": start_click})] == \
        [t("live.idle", "en")]
    assert session.run is None
    # clicked after the Stop: it runs (and the page's stream is paced)
    stream = tab.start({"state": session, "lang": "en", "work": 0.01, "page": stop_click + 1})
    assert next(stream)["status"] in (t("live.preparing", "en"), t("live.waiting", "en"))
    assert session.run is not None
    tab.stop({"state": session, "lang": "en", "page": stop_click + 2})
    list(stream)
    # an API client's Start (no clock) is never withdrawn
    stream = tab.start({"state": session, "lang": "en", "work": 0.01})
    next(stream)
    assert session.run is not None and not session.run.phase.finished
    tab.stop({"state": session, "lang": "en"})
    list(stream)
