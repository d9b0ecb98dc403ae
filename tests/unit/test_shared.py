"""Identical runs computed once (``tabs.harness.shared``): two sessions that Start the same config follow one run;
Stop by one ends its view only; a finished run is kept for the next identical Start; a session that changes
something gets a run of its own (the run itself when nobody else follows it, else a copy caught up to its frame)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from tabs.harness import live
from tabs.harness.clock import ManualClock
from tabs.harness.live import Phase
from tabs.harness.shared import SharedRuns, View, share_key
from tests.unit.fakes import CANARY, Reader, Steps, fake_live, until


@pytest.fixture
def clock():
    return ManualClock()


@dataclass
class Trained(live.LiveSession):
    model: Any = None  # what the run builds (a trainer)
    history: list = field(default_factory=list)  # what it appends to as it trains
    showing: str = "plane"  # a view the visitor chose; the run never sets it


def _tab(clock, n: int = 10**9):
    """A Live whose run builds a ``model`` and a history in the session it trains into; ``made`` counts runs."""
    made = []

    def make_run(session, config):
        made.append(config)
        session.model = {"config": config, "number": len(made)}
        for snap in Steps(n, free=True)():
            if snap is not None:
                session.history.append(snap.step)
            yield snap

    tab = fake_live(Steps(), clock)
    tab.make_run, tab.session_cls = make_run, Trained
    return tab, made


def _data(session, work="a", **more) -> dict:
    return {"state": session, "lang": "en", "work": work, **more}


def _start(tab, data) -> Reader:
    stream = tab.start(data)
    next(stream)
    return Reader(stream)


def test_two_sessions_that_start_the_same_config_follow_one_run_and_each_sees_its_figures(clock):
    tab, made = _tab(clock)
    first, second = Trained(), Trained(showing="grid")
    r1 = _start(tab, _data(first))
    until(lambda: first.run.version >= 3, "the run trains")
    r2 = _start(tab, _data(second))
    assert len(made) == 1 and second.run.core is first.run.core  # computed once
    clock.advance(live.FRAME_INTERVAL)
    until(lambda: r2.frames, "the follower's first frame")
    assert r2.frames[0]["status"].startswith("⇉ **Following a run started by another session**")
    assert not r1.statuses() or not r1.statuses()[0].startswith("⇉")  # the one that started it is not told so
    assert second.model is first.run.shared.hub.model and second.model["number"] == 1  # what the run built
    assert second.history is first.run.shared.hub.history  # its curves from the start
    assert second.showing == "grid"  # what the visitor chose stays
    assert len(second.history) >= r2.frames[0]["fig"] >= 3
    tab.stop(_data(first))
    tab.stop(_data(second))
    r1.join(), r2.join()
    assert first.run.core.wait_until(lambda: first.run.core.phase.finished, CANARY)


def test_stop_by_one_ends_its_view_only_and_the_run_ends_with_its_last_view(clock):
    tab, made = _tab(clock)
    a, b = Trained(), Trained()
    ra, rb = _start(tab, _data(a)), _start(tab, _data(b))
    core = a.run.core
    until(lambda: core.version >= 2, "the run trains")
    out = tab.stop(_data(b))
    assert "■ Stopped at step" in out["status"] and "it goes on for those still following it" in out["status"]
    rb.join()
    at = b.run.version
    until(lambda: core.version > at + 5, "the run goes on for the other session")
    assert b.run.version == at and b.run.phase == Phase.STOPPED  # the view kept the frame it stopped at
    assert not core.phase.finished
    tab.stop(_data(a))
    ra.join()
    assert core.wait_until(lambda: core.phase.finished, CANARY) and core.phase == Phase.STOPPED
    assert len(made) == 1


def test_a_finished_run_is_kept_for_the_next_identical_start_least_recently_used_first_out(clock):
    tab, made = _tab(clock, n=5)
    tab.runs = SharedRuns(keep=1)
    a = Trained()
    _start(tab, _data(a)).join()
    assert a.run.phase == Phase.DONE and a.history == [1, 2, 3, 4, 5]
    later = Trained()
    reader = _start(tab, _data(later))
    reader.join()
    assert len(made) == 1 and reader.frames[-1]["fig"] == 5  # shown at once, not trained again
    assert reader.frames[-1]["status"].startswith("⇉ **Following") and later.history == [1, 2, 3, 4, 5]
    _start(tab, _data(Trained(), work="b")).join()  # another config: the kept one makes room for it
    assert len(made) == 2
    _start(tab, _data(Trained())).join()  # "a" was dropped: trained again
    assert len(made) == 3 and tab.runs.counts()["kept"] == 1


def test_pause_by_a_follower_makes_it_a_private_copy_caught_up_to_its_frame(clock):
    tab, made = _tab(clock)
    a, b = Trained(), Trained()
    ra, rb = _start(tab, _data(a)), _start(tab, _data(b))
    core = a.run.core
    until(lambda: core.version >= 4, "the run trains")
    frames = list(tab.pause_resume(_data(b)))  # drawn until the copy has caught up and paused
    own = b.run
    assert not isinstance(own, View) and own is not core and len(made) == 2
    assert own.phase == Phase.PAUSED and own.version >= 4
    assert b.history == list(range(1, own.version + 1))  # the same seed: the same frames, up to where it paused
    assert frames[-1]["status"].startswith("‖ Paused at step")
    assert not core.phase.finished and a.run.core is core  # the other session's run goes on
    tab.stop(_data(a)), tab.stop(_data(b))
    ra.join(), rb.join()


def test_pause_by_the_only_viewer_takes_the_run_over_and_nobody_joins_it_after(clock):
    tab, made = _tab(clock)
    a = Trained()
    ra = _start(tab, _data(a))
    core = a.run.core
    until(lambda: core.version >= 2, "the run trains")
    out = next(tab.pause_resume(_data(a)))
    assert a.run is core and core.phase == Phase.PAUSED and out["status"].startswith("‖ Paused")
    ra.join()
    b = Trained()
    rb = _start(tab, _data(b))  # the same config, but that run is a's now: a run of its own
    assert len(made) == 2 and b.run.core is not core
    tab.stop(_data(b))
    rb.join()
    resumed = tab.pause_resume(_data(a))  # a's own run resumes as any run does
    clock.advance(live.FRAME_INTERVAL)
    assert next(resumed)["status"].startswith("▶ Training")
    tab.stop(_data(a))
    list(resumed)


def test_a_step_by_a_follower_is_one_snapshot_past_its_view(clock):
    tab, made = _tab(clock)
    a, b = Trained(), Trained()
    ra, rb = _start(tab, _data(a)), _start(tab, _data(b))
    until(lambda: a.run.core.version >= 3, "the run trains")
    seen = b.run.version
    out = tab.step(_data(b))
    assert b.run.phase == Phase.PAUSED and b.run.version == seen + 1 == out["fig"]
    tab.stop(_data(a))
    ra.join(), rb.join()


def test_clients_that_go_away_stop_the_run_once_the_last_has_gone(clock):
    tab, _ = _tab(clock)
    a, b = Trained(), Trained()
    sa, sb = tab.start(_data(a)), tab.start(_data(b))
    next(sa), next(sb)
    clock.advance(live.FRAME_INTERVAL)
    next(sa), next(sb)  # each stream has drawn a frame: the browser is there
    core = a.run.core
    sa.close()  # the browser went away (GeneratorExit in the stream)
    assert not core.stopping
    sb.close()
    assert core.wait_until(lambda: core.phase.finished, CANARY) and tab.runs.counts()["training"] == 0


def test_slow_motion_and_other_configs_are_runs_of_their_own(clock):
    tab, made = _tab(clock)
    tab.pace_input = "pace"
    a, b, c = Trained(), Trained(), Trained()
    readers = [_start(tab, _data(a, pace="full")), _start(tab, _data(b, pace="3")),
               _start(tab, _data(c, work="other", pace="full"))]
    assert len(made) == 3 and not isinstance(b.run, View) and a.run.core is not c.run.core
    for s in (a, b, c):
        tab.stop(_data(s, pace="full"))
    for r in readers:
        r.join()


def test_a_config_is_shared_by_what_it_compares_and_never_when_it_holds_anything_else():
    @dataclass(frozen=True)
    class Plan:
        steps: int
        sizes: tuple = (1, 2)
        context: Any = field(default=None, compare=False)  # a request's context: not part of the run

    assert share_key("x", Plan(3, context=object())) == share_key("x", Plan(3)) != share_key("y", Plan(3))
    assert share_key("x", Plan(3)) != share_key("x", Plan(4))
    assert share_key("x", {"model": object()}) is None


def test_a_follower_s_stream_ends_quietly_when_its_session_is_freed(clock):
    """A closed tab frees the session (its run set to None) while its stream waits: the stream ends, no error
    (it once took the freed session's None for the run that replaced the view)."""
    import threading

    tab, _ = _tab(clock)
    a, b = Trained(), Trained()
    ra = _start(tab, _data(a))
    stream, errors = tab.start(_data(b)), []
    next(stream)

    def read():
        try:
            list(stream)
        except Exception as e:  # noqa: BLE001 - what the test looks for
            errors.append(e)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    until(lambda: a.run.core.version >= 2, "the run trains")
    b.free()
    clock.advance(live.FRAME_INTERVAL)
    reader.join(CANARY)
    assert not reader.is_alive() and errors == [] and b.run is None and not a.run.left
    tab.stop(_data(a))
    ra.join()


def _holding(clock, mb: dict):
    """A tab whose run of work ``w`` leaves ``mb[w]`` MB of tensors in its session, then ends."""
    import torch

    tab, made = _tab(clock, n=2)
    make_run = tab.make_run

    def holding(session, config):
        yield from make_run(session, config)
        session.model = torch.zeros(int(mb[config] * 2**20) // 4)  # 4 bytes each

    tab.make_run = holding
    return tab, made


def test_the_kept_runs_hold_at_most_their_budget_least_recently_used_first_out_and_a_big_one_is_not_kept(clock):
    tab, made = _holding(clock, {"a": 1, "b": 1, "c": 3, "huge": 5})
    tab.runs = SharedRuns(keep=8, keep_mb=4)
    for work in ("a", "b"):
        _start(tab, _data(Trained(), work=work)).join()
    assert tab.runs.counts()["kept"] == 2 and tab.runs.counts()["kept_mb"] == 2.0  # measured from the tensors
    _start(tab, _data(Trained(), work="c")).join()  # 1 + 1 + 3 > 4: "a", used longest ago, makes room
    assert tab.runs.counts()["kept_mb"] == 4.0
    _start(tab, _data(Trained(), work="huge")).join()  # more than all may hold: not kept, and drops nothing
    assert tab.runs.counts()["kept_mb"] == 4.0 and len(made) == 4
    for work, trained_again in (("b", False), ("c", False), ("a", True)):
        before = len(made)
        _start(tab, _data(Trained(), work=work)).join()
        assert (len(made) > before) == trained_again, work
    tab.runs.clear()


def test_a_kept_run_goes_when_its_time_is_up_with_nobody_starting_a_run(clock):
    """After the class leaves, nobody presses Start: the sweeper still lets the kept runs go (memory returns)."""
    tab, made = _tab(clock, n=3)
    tab.runs = SharedRuns(keep_s=0.05, sweep_s=0.01)
    a = Trained()
    _start(tab, _data(a)).join()
    core = a.run.core
    a.free()  # the tab closed: its view leaves
    until(lambda: core.latest is None, "the kept run's time runs out: its last snapshot (the models) goes")
    assert tab.runs.counts() == dict(training=0, kept=0, kept_mb=0.0, views=0)
    tab.runs.clear()


def test_a_step_on_a_run_others_follow_says_how_far_its_copy_has_caught_up(clock):
    """The copy retrains from the start, which can take a while: the Step's answer streams the copy's progress
    instead of a silent wait, then the frame one snapshot past the view."""
    core = Steps()
    tab = fake_live(core, clock)
    a, b = live.LiveSession(), live.LiveSession()
    ra = _start(tab, _data(a))
    core.allow(3)
    until(lambda: a.run.version == 3, "the run trains")
    rb = _start(tab, _data(b))
    stepping = Reader(tab.stepping(_data(b)))
    until(lambda: not isinstance(b.run, View), "the follower gets a copy of its own")
    tab.stop(_data(a))  # the run it followed ends: every permit now goes to the copy
    ra.join(), rb.join()
    until(lambda: clock.advance(live.FRAME_INTERVAL) or stepping.frames, "a word on the copy's progress")
    assert stepping.frames[0]["status"].startswith("⋯ Training your own copy of this run")
    assert "of 4" in stepping.frames[0]["status"]
    core.allow(4)
    until(lambda: clock.advance(live.FRAME_INTERVAL) or not stepping.thread.is_alive(), "the copy catches up")
    stepping.join()
    assert stepping.frames[-1]["fig"] == 4 and b.run.phase == Phase.PAUSED
    b.run.stop(wait=CANARY)


def test_the_sweeper_gives_freed_memory_back_once_nothing_trains(clock, monkeypatch):
    """glibc keeps up to 256 MB of freed memory for the next training step (``keep_freed_memory``); once no run
    trains, a sweep gives it back, though no kept run went."""
    from tabs.harness import shared

    trims = []
    monkeypatch.setattr(shared, "return_free_memory", lambda: trims.append(tab.runs.counts()["training"]))
    tab, made = _tab(clock, n=3)
    tab.runs = SharedRuns(keep_s=3600, sweep_s=0.01)
    _start(tab, _data(Trained())).join()  # trains to its end and is kept (for an hour: none goes)
    until(lambda: len(trims) >= 2, "sweeps after the run ended")
    assert set(trims) == {0} and tab.runs.counts()["kept"] == 1  # never while a run trained; the run still kept
    tab.runs.clear()
