"""Nothing lost, nothing doubled when ticks repeat or are missed and senders crash:
the outbox sends replies at once, a claim abandoned by a crashed sender is looked
up then sent after its lease, a slow platform never outlasts the lease, and a
result the store could not record is recorded later, not sent again."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest

from adapters.console.chat import PLATFORM
from adapters.console.platform import ConsolePlatform
from bot.clock import ManualClock
from bot.delivery import Courier
from bot.events import CommandIssued
from bot.outbound import Outbound
from bot.ports import Unavailable, UnitOfWork
from tandem.bootstrap import App
from tests.engine.cadence import Program
from tests.engine.delivery import (
    ANA,
    FakePlatform,
    ProcessDied,
    courier_for,
    outbox_rows,
    queue_checkins,
)
from tests.engine.stored import count, rows


def test_a_tick_run_twice_queues_nothing_twice(pair: Program, app: App) -> None:
    pair.day(14, hour=10)
    queued = count(app, "outbox")
    for _ in range(3):
        pair.tick()
    assert count(app, "outbox") == queued
    assert count(app, "checkins") == 2


def test_a_tick_missed_while_down_is_caught_up_by_the_next(pair: Program, app: App) -> None:
    # Nothing ran for a month: the next tick asks about the current cycle (not every
    # missed one) and sends the 30-day milestone.
    pair.day(31, hour=10)
    shown = pair.screen(pair.ana)
    assert "Did you and Bo meet" in shown
    assert "It's been 30 days with Bo" in shown
    assert count(app, "checkins", cycle=2) == 2
    assert count(app, "checkins", cycle=1) == 0


def test_replies_go_out_at_once_through_the_outbox(app: App) -> None:
    reply = app.engine.handle(CommandIssued(event_id="e1", actor=ANA, text="help"))
    platform = FakePlatform()
    assert courier_for(app, platform).run_once() == len(reply.messages) == 1
    assert platform.calls == [(reply.messages[0].key, False)]
    assert courier_for(app, platform).run_once() == 0  # and never again


def test_a_claim_abandoned_by_a_crashed_sender_is_sent_after_the_lease_looked_up_first(
    pair: Program, app: App, clock: ManualClock
) -> None:
    queue_checkins(pair)
    with app.uow() as uow:
        claimed = uow.outbox.claim(clock.now(), "crashed", timedelta(minutes=5), 100, [PLATFORM])
        uow.commit()
    assert claimed  # ...and then that process died, maybe after sending
    survivor = FakePlatform()
    courier = courier_for(app, survivor, "survivor")
    assert courier.run_once() == 0  # still leased
    clock.advance(timedelta(minutes=6))
    assert courier.run_once() == len(claimed)
    # The platform is asked to look for each before sending it again.
    assert sorted(survivor.calls) == sorted((c.outbound.key, True) for c in claimed)
    assert courier.run_once() == 0


def test_a_crash_after_sending_does_not_double_a_message_on_the_console(
    pair: Program, app: App, clock: ManualClock
) -> None:
    queue_checkins(pair)
    console = ConsolePlatform(app.uow, clock)
    with pytest.raises(ProcessDied):
        courier_for(app, FakePlatform(console, crash_after=1), "first").run_once()
    clock.advance(timedelta(minutes=6))
    courier_for(app, FakePlatform(console), "second").run_once()
    # The first message went to the platform twice; its inbox shows it once.
    inbox = Counter((row.key, row.person_id) for row in rows(app, "console_inbox"))
    assert all(n == 1 for n in inbox.values()), inbox
    assert count(app, "outbox", status="sending") == 0


def test_a_slow_platform_never_outlasts_the_lease(
    pair: Program, app: App, clock: ManualClock
) -> None:
    queue_checkins(pair)

    def slow(outbound: Outbound, again: bool, number: int) -> None:
        clock.advance(timedelta(minutes=3))  # each send takes three minutes

    first = FakePlatform(script=slow)
    # Over half the five-minute lease is gone after one send: the rest is given
    # back untried rather than risk another instance sending it as well.
    assert courier_for(app, first, "first", record_every=1).run_once() == 1
    assert count(app, "outbox", status="sending") == 0
    second = FakePlatform()
    assert courier_for(app, second, "second").run_once() == 1
    assert len(first.sent) == 1 and len(second.sent) == 1
    assert not set(first.sent) & set(second.sent)
    untried = outbox_rows(app)[second.sent[0]]
    assert untried.attempts == 1 and untried.failures == 0  # the give-back cost nothing


class Flaky:
    """A unit of work factory whose store is away on the given calls (1-based)."""

    def __init__(self, app: App, away: set[int]) -> None:
        self._app = app
        self._away = away
        self._calls = 0

    def __call__(self) -> UnitOfWork:
        self._calls += 1
        if self._calls in self._away:
            raise Unavailable("the database did not answer")
        return self._app.uow()


def test_a_result_that_could_not_be_recorded_is_recorded_later_not_sent_again(
    pair: Program, app: App, clock: ManualClock
) -> None:
    queue_checkins(pair)
    platform = FakePlatform()
    # Call 1 claims; call 2, recording the first result, finds the store away.
    courier = Courier(Flaky(app, {2}), clock, {PLATFORM: platform}, "w", record_every=1)
    with pytest.raises(Unavailable):
        courier.run_once()
    assert len(platform.calls) == 2  # the other conversation went on regardless
    assert count(app, "outbox", status="sending") == 0  # and both were recorded
    clock.advance(timedelta(minutes=10))
    assert courier_for(app, platform).run_once() == 0
    assert Counter(platform.sent) == Counter(dict.fromkeys(platform.sent, 1))
