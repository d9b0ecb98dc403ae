"""The training slots are shared fairly between browser sessions, a waiting run knows its place and when it should
start, and a run's thread yields the CPU to the server's requests (``tabs.harness.scheduler``, ``Run``)."""

from __future__ import annotations

import os
import threading

import pytest

from tabs.harness.clock import ManualClock
from tabs.harness.runner import TRAINING_NICE, Run
from tabs.harness.scheduler import Scheduler, Ticket
from tests.unit.fakes import CANARY, until


class _Line:
    """Tickets that wait for a slot on threads of their own."""

    def __init__(self, scheduler: Scheduler) -> None:
        self.scheduler, self.granted, self.cancelled = scheduler, [], set()

    def join(self, ticket: Ticket) -> Ticket:
        def wait():
            if self.scheduler.acquire(ticket, cancelled=lambda: ticket in self.cancelled):
                self.granted.append(ticket)

        before = self.scheduler.waiting
        threading.Thread(target=wait, daemon=True).start()
        until(lambda: self.scheduler.waiting == before + 1 or ticket in self.granted, "the ticket is in line")
        return ticket


def test_the_next_slot_goes_to_the_session_with_fewest_runs_training_not_to_the_first_in_line():
    s = Scheduler(slots=1, per_session=2)
    a1 = Ticket("sweep", owner="a")
    assert s.acquire(a1)
    line = _Line(s)
    a2, a3 = line.join(Ticket("sweep", owner="a")), line.join(Ticket("sweep", owner="a"))
    b1 = line.join(Ticket("gan", owner="b"))  # came last, but its session trains nothing
    assert [s.place(t).position for t in (b1, a2, a3)] == [1, 2, 3]
    s.release(a1)
    until(lambda: b1 in line.granted, "b's run takes the freed slot")
    assert line.granted == [b1] and s.place(a2).position == 1
    s.release(b1)
    until(lambda: a2 in line.granted, "then a's runs, in the order they came")
    s.release(a2)
    until(lambda: a3 in line.granted, "and the last")
    s.release(a3)
    assert s.training == 0 and s.waiting == 0


def test_a_session_trains_at_most_its_share_even_with_slots_free():
    s = Scheduler(slots=3, per_session=2)
    a1, a2 = Ticket("gan", owner="a"), Ticket("gan", owner="a")
    assert s.acquire(a1) and s.acquire(a2)
    line = _Line(s)
    a3 = line.join(Ticket("gan", owner="a"))
    assert a3 not in line.granted and s.place(a3).position == 1  # a slot is free, but not for a third of a's runs
    b1 = line.join(Ticket("gan", owner="b"))
    until(lambda: b1 in line.granted, "another session's run takes the free slot at once")
    s.release(a1)
    until(lambda: a3 in line.granted, "a's third run starts once one of its two ends")
    for t in (a2, a3, b1):
        s.release(t)


def test_an_unowned_run_counts_as_a_session_of_its_own():
    s = Scheduler(slots=3, per_session=1)
    tickets = [Ticket("api") for _ in range(3)]  # API clients without a browser session
    assert all(s.acquire(t) for t in tickets)
    for t in tickets:
        s.release(t)


def test_the_estimate_adds_the_runs_ahead_each_as_long_as_the_finished_runs_of_its_kind():
    clock = ManualClock()
    s = Scheduler(slots=1, per_session=2)
    for took in (8.0, 10.0, 30.0):  # finished gan runs here: median 10 s
        done = Ticket("gan", owner="x", clock=clock)
        assert s.acquire(done)
        clock.advance(took)
        s.release(done, finished=True)
    stopped = Ticket("gan", owner="x", clock=clock)  # a stopped run says nothing of how long a run takes
    assert s.acquire(stopped)
    clock.advance(1.0)
    s.release(stopped, finished=False)
    assert s.expected("gan") == 10.0 and s.expected("vae") is None
    running = Ticket("gan", owner="a", clock=clock)
    assert s.acquire(running)
    clock.advance(4.0)
    line = _Line(s)
    first, second = line.join(Ticket("gan", owner="b", clock=clock)), line.join(Ticket("gan", owner="c", clock=clock))
    assert (s.place(first).position, s.place(first).eta, s.place(first).training) == (1, 6.0, 1)
    assert (s.place(second).position, s.place(second).eta) == (2, 16.0)  # after the one ahead: 6 + 10
    third = line.join(Ticket("vae", owner="d", clock=clock))
    fourth = line.join(Ticket("gan", owner="e", clock=clock))
    assert s.place(third).eta == 26.0 and s.place(fourth).eta is None  # a vae run ahead: nobody can tell
    clock.advance(20.0)  # the running one is overdue: it is still given a second more
    assert s.place(first).eta == 1.0
    line.cancelled.update({first, second, third, fourth})
    until(lambda: s.waiting == 0, "cancelled tickets leave the line")
    assert s.place(first) is None and not line.granted
    s.release(running)


def test_a_stopped_run_leaves_the_line_without_ever_training(monkeypatch):
    from tabs.harness import runner

    s = Scheduler(slots=1)
    blocker = Ticket("gan", owner="z")
    assert s.acquire(blocker)
    monkeypatch.setattr(runner, "SCHEDULER", s)
    try:
        ran = []
        run = Run(lambda: iter(ran.append(1) or ()), name="gan", owner="y").start()
        until(lambda: run.queued and run.place() is not None, "the run waits in line")
        assert run.place().position == 1
        assert run.stop(wait=CANARY) and ran == [] and s.waiting == 0
    finally:
        s.release(blocker)


@pytest.mark.skipif(not hasattr(os, "getpriority"), reason="thread priorities are a Linux feature")
def test_a_run_trains_at_a_lower_priority_than_the_server_and_leaves_the_server_s_own():
    seen = []

    def core():
        seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
        yield 1

    server = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    run = Run(core, slotless=True).start()
    assert run.wait_until(lambda: run.phase.finished, CANARY)
    assert seen == [max(server, TRAINING_NICE)]
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == server


def _counting(n: int):
    def core():
        yield from range(n)
    return core


def test_a_paused_run_gives_its_slot_to_the_next_in_line_and_takes_its_turn_again_on_resume(monkeypatch):
    """Four students who pause to look at a figure must not hold the class's runs behind theirs: a paused run
    computes nothing, so its slot goes to the next run in line; on Resume it waits in line, then trains on."""
    from tabs.harness import runner

    s = Scheduler(slots=1)
    monkeypatch.setattr(runner, "SCHEDULER", s)
    gate = threading.Event()

    def blocking():
        yield 0
        gate.wait(CANARY)
        yield 1

    paused = Run(_counting(1000), name="gan", owner="a", paused=True).start()
    assert paused.step(2, wait=CANARY) and paused.phase.value == "paused" and paused.version == 2
    other = Run(blocking, name="vae", owner="b").start()
    until(lambda: other.version == 1, "the other session's run trains in the slot the paused run gave back")
    assert s.training == 1
    paused.resume(wait=0)
    until(lambda: paused.place() is not None, "the resumed run waits in line")
    assert paused.phase.value == "waiting" and paused.version == 2 and paused.place().position == 1
    gate.set()
    assert other.wait_until(lambda: other.phase.finished, CANARY)
    assert paused.wait_until(lambda: paused.version > 2, CANARY)  # from where it was, not from the start
    assert paused.stop(wait=CANARY) and s.training == 0


def test_a_run_s_estimate_counts_the_time_it_trained_not_the_time_it_was_paused(monkeypatch):
    from tabs.harness import runner

    clock = ManualClock()
    s = Scheduler(slots=2)
    monkeypatch.setattr(runner, "SCHEDULER", s)
    seen = []

    def core():
        for i in range(3):
            clock.advance(10.0)  # each update takes 10 s
            seen.append(i)
            yield i

    run = Run(core, name="gan", owner="a", clock=clock, paused=True).start()
    assert run.step(1, wait=CANARY)
    clock.advance(500.0)  # paused for a long look
    run.resume(wait=0)
    assert run.wait_until(lambda: run.phase.finished, CANARY)
    until(lambda: s.expected("gan") is not None, "the finished run's time is counted")
    assert s.expected("gan") == 30.0 and seen == [0, 1, 2]


def test_a_resumed_run_waiting_for_its_slot_says_its_place_and_where_it_goes_on_from(monkeypatch):
    from tabs.harness import runner
    from tests.unit.fakes import Session, Steps, fake_live

    s = Scheduler(slots=1)
    monkeypatch.setattr(runner, "SCHEDULER", s)
    core = Steps()
    tab = fake_live(core, ManualClock())
    session = Session()
    run = tab.new_run(session, "w", paused=False)
    core.allow(2)
    until(lambda: run.version == 2, "two steps")
    assert run.pause(wait=CANARY) and s.training == 0  # paused: its slot is free
    blocker = Ticket("other", owner="b")
    assert s.acquire(blocker)  # another session's run takes it
    run.resume(wait=0)
    until(lambda: run.place() is not None, "the resumed run waits in line")
    status = tab.status(session, "en")
    assert "**1** in line" in status and "It goes on from step 2" in status, status
    assert "Chờ" in tab.status(session, "vi") or "chờ" in tab.status(session, "vi")
    s.release(blocker)
    core.allow(1)
    until(lambda: run.version == 3, "it trains on once the slot is free")
    assert run.stop(wait=CANARY)
