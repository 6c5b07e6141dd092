"""Nothing lost, nothing doubled: repeated and missed ticks, crashes, two instances."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from adapters.console.chat import PLATFORM, WORKSPACE, ConsoleChat
from adapters.console.sender import ConsoleSender
from bot.cadence.due import Cadence
from bot.clock import ManualClock
from bot.dispatch import Dispatcher, SendError
from bot.engine import REPLY_GRACE
from bot.events import Actor, CommandIssued
from bot.messages import Outbound
from bot.model import Workspace
from store.models import CheckinRow, ConsoleInboxRow, OutboxRow
from tandem.bootstrap import App, build
from tests.engine.cadence import Program, running

Chat = Callable[..., ConsoleChat]
ANA = Actor(WORKSPACE, "ana", "Ana", None, PLATFORM)


@pytest.fixture
def pair(chat: Chat, app: App, clock: ManualClock) -> Program:
    return running(chat, app, clock)


def _count(app: App, table: object, **where: object) -> int:
    query = select(func.count()).select_from(table)  # type: ignore[arg-type]
    for column, value in where.items():
        query = query.where(getattr(table, column) == value)
    with app.database.connect() as connection:
        return int(connection.scalar(query) or 0)


def test_a_tick_run_twice_queues_nothing_twice(pair: Program, app: App) -> None:
    pair.day(14, hour=10)
    queued = _count(app, OutboxRow)
    for _ in range(3):
        pair.tick()
    assert _count(app, OutboxRow) == queued
    assert _count(app, CheckinRow) == 2


def test_a_tick_missed_while_down_is_caught_up_by_the_next(pair: Program, app: App) -> None:
    # Nothing ran for a month: the next tick asks about the current cycle (not every
    # missed one) and sends the 30-day milestone.
    pair.day(31, hour=10)
    shown = pair.screen(pair.ana)
    assert "Did you and Bo meet" in shown
    assert "It's been 30 days with Bo" in shown
    assert _count(app, CheckinRow, cycle=2) == 2
    assert _count(app, CheckinRow, cycle=1) == 0


class Recorder:
    """A platform that records every send (and can crash after delivering)."""

    def __init__(self, inner: ConsoleSender | None = None, crash_after: int = 0) -> None:
        self.sent: list[str] = []
        self._inner = inner
        self._crash_after = crash_after
        self._lock = threading.Lock()

    def send(self, workspace: Workspace, outbound: Outbound, *, again: bool = False) -> str:
        with self._lock:
            self.sent.append(outbound.key)
            crash = self._crash_after and len(self.sent) == self._crash_after
        if self._inner is not None:
            self._inner.send(workspace, outbound)
        if crash:
            raise RuntimeError("the process died after the platform took the message")
        return f"sent:{outbound.key}"


def _queue_checkins(pair: Program) -> None:
    pair.day(14, hour=10)  # two check-ins due now (Berlin and London mornings)


def test_a_claim_abandoned_by_a_crashed_sender_is_sent_after_the_lease(
    pair: Program, app: App, clock: ManualClock
) -> None:
    _queue_checkins(pair)
    with app.uow() as uow:
        claimed = uow.outbox.claim(clock.now(), "crashed", timedelta(minutes=5), 100)
        uow.commit()
    assert claimed  # ...and then that process died without sending
    survivor = Recorder()
    dispatcher = Dispatcher(app.uow, clock, {"console": survivor}, "survivor")
    assert dispatcher.run_once() == 0  # still leased
    clock.advance(timedelta(minutes=6))
    assert dispatcher.run_once() == len(claimed)
    assert sorted(survivor.sent) == sorted(c.outbound.key for c in claimed)
    assert dispatcher.run_once() == 0


def test_a_crash_after_sending_does_not_double_a_message_on_the_console(
    pair: Program, app: App, clock: ManualClock
) -> None:
    _queue_checkins(pair)
    console = ConsoleSender(app.mailbox, clock)
    crashing = Recorder(console, crash_after=1)
    with pytest.raises(RuntimeError):
        Dispatcher(app.uow, clock, {"console": crashing}, "first").run_once()
    clock.advance(timedelta(minutes=6))
    Dispatcher(app.uow, clock, {"console": Recorder(console)}, "second").run_once()
    # The first message went to the platform twice; its inbox shows it once.
    with app.database.connect() as connection:
        rows = connection.execute(select(ConsoleInboxRow.key, ConsoleInboxRow.person_id)).all()
    inbox = Counter((key, person) for key, person in rows)
    assert all(n == 1 for n in inbox.values()), inbox
    assert _count(app, OutboxRow, status="sending") == 0


def test_a_reply_the_adapter_never_reported_is_sent_after_a_grace_period(
    app: App, clock: ManualClock
) -> None:
    # The adapter got the reply back from the engine and died before reporting it
    # delivered. The dispatcher must not race a live adapter, so it waits.
    reply = app.engine.handle(CommandIssued(event_id="e1", actor=ANA, text="help"))
    assert reply.messages
    recorder = Recorder()
    dispatcher = Dispatcher(app.uow, clock, {"console": recorder}, "dispatcher")
    assert dispatcher.run_once() == 0
    clock.advance(REPLY_GRACE - timedelta(seconds=1))
    assert dispatcher.run_once() == 0
    clock.advance(timedelta(seconds=1))
    assert dispatcher.run_once() == len(reply.messages)
    assert recorder.sent == [o.key for o in reply.messages]


def test_a_reply_the_adapter_delivered_is_never_sent_again(app: App, clock: ManualClock) -> None:
    reply = app.engine.handle(CommandIssued(event_id="e1", actor=ANA, text="help"))
    app.engine.delivered(ANA, [o.key for o in reply.messages])
    clock.advance(REPLY_GRACE * 10)
    recorder = Recorder()
    assert Dispatcher(app.uow, clock, {"console": recorder}, "d").run_once() == 0
    assert recorder.sent == []


def test_a_slow_platform_never_outlasts_the_lease(
    pair: Program, app: App, clock: ManualClock
) -> None:
    _queue_checkins(pair)

    class Slow(Recorder):
        def send(self, workspace: Workspace, outbound: Outbound, *, again: bool = False) -> str:
            clock.advance(timedelta(minutes=3))  # each send takes three minutes
            return super().send(workspace, outbound)

    slow = Slow()
    first = Dispatcher(app.uow, clock, {"console": slow}, "first", record_every=1)
    # Over half the five-minute lease is gone after one send: the other waits for
    # the lease to run out rather than risk another instance sending it as well.
    assert first.run_once() == 1
    assert _count(app, OutboxRow, status="sending") == 1
    second = Recorder()
    dispatcher = Dispatcher(app.uow, clock, {"console": second}, "second")
    assert dispatcher.run_once() == 0  # still leased to the first
    clock.advance(timedelta(minutes=6))
    assert dispatcher.run_once() == 1
    assert len(slow.sent) == 1 and len(second.sent) == 1
    assert not set(slow.sent) & set(second.sent)
    assert _count(app, OutboxRow, status="pending") == 0
    assert _count(app, OutboxRow, status="sending") == 0


def test_a_platform_error_is_retried_later_and_a_permanent_one_is_recorded(
    pair: Program, app: App, clock: ManualClock
) -> None:
    _queue_checkins(pair)

    class Busy:
        def send(self, workspace: Workspace, outbound: Outbound, *, again: bool = False) -> str:
            raise SendError("ratelimited", retry_after=30)

    dispatcher = Dispatcher(app.uow, clock, {"console": Busy()}, "busy")
    assert dispatcher.run_once() == 0
    assert _count(app, OutboxRow, status="pending") >= 2
    clock.advance(timedelta(seconds=31))

    class Gone:
        def send(self, workspace: Workspace, outbound: Outbound, *, again: bool = False) -> str:
            raise SendError("channel_not_found", permanent=True)

    Dispatcher(app.uow, clock, {"console": Gone()}, "gone").run_once()
    assert _count(app, OutboxRow, status="failed") >= 2


def test_two_instances_side_by_side_send_every_message_exactly_once(
    chat: Chat, app: App, clock: ManualClock
) -> None:
    running(chat, app, clock)
    second = build(app.settings, clock=clock)
    recorder = Recorder(ConsoleSender(app.mailbox, clock))
    instances = [
        (
            Cadence(instance.uow, clock),
            Dispatcher(instance.uow, clock, {"console": recorder}, f"instance-{n}"),
        )
        for n, instance in enumerate((app, second))
    ]
    start = threading.Barrier(2)

    def run(n: int) -> None:
        cadence, dispatcher = instances[n]
        start.wait()
        for _ in range(5):
            cadence.tick()
            dispatcher.run_once()

    already = {key for key, status in _scheduled(app) if status == "sent"}
    base = clock.now().replace(hour=10)
    for day in (0, 14, 21, 28, 30, 42, 60):
        clock.set(base + timedelta(days=day))
        threads = [threading.Thread(target=run, args=(n,)) for n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    counts = Counter(recorder.sent)
    assert counts and all(n == 1 for n in counts.values()), counts.most_common(3)
    scheduled = _scheduled(app)
    assert {key for key, _ in scheduled} - already == set(counts)  # each went out, once
    assert {status for _, status in scheduled} == {"sent"}
    second.close()


def _scheduled(app: App) -> list[tuple[str, str]]:
    """(key, status) of every message the schedule queued (not replies)."""
    with app.database.connect() as connection:
        rows = connection.execute(
            select(OutboxRow.key, OutboxRow.status).where(OutboxRow.source.is_(None))
        )
        return [(key, status) for key, status in rows]
