"""What the courier does when the platform says no: rate limits waited out and never
counted as failures, backing off to a cap and giving up after a day, permanent
refusals told to the coordinators, ambiguous answers looked up before a resend."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import ManualClock
from bot.delivery import BACKOFF_CAP, GIVE_UP_AFTER, backoff
from bot.outbound import Outbound
from bot.platform import Rejected, RetryLater, Scope, SendResult
from tandem.bootstrap import App
from tests.engine.cadence import Program
from tests.engine.delivery import FakePlatform, courier_for, outbox_rows, queue_checkins
from tests.engine.stored import count


def test_a_rate_limit_is_waited_out_and_never_counted_as_a_failure(
    pair: Program, app: App, clock: ManualClock
) -> None:
    queue_checkins(pair)

    def limited(outbound: Outbound, again: bool, number: int) -> SendResult | None:
        if number == 1:
            return RetryLater("ratelimited", 30, Scope.WORKSPACE, failure=False)
        return None

    platform = FakePlatform(script=limited)
    courier = courier_for(app, platform)
    assert courier.run_once() == 0
    # One call was made; the other check-in was not even tried, and nothing more
    # goes to the workspace until Slack's 30 seconds have passed.
    assert len(platform.calls) == 1
    clock.advance(timedelta(seconds=29))
    assert courier.run_once() == 0 and len(platform.calls) == 1
    clock.advance(timedelta(seconds=2))
    assert courier.run_once() == 2
    rows = [r for r in outbox_rows(app).values() if r.key.startswith("checkin")]
    assert sorted(r.attempts for r in rows) == [1, 2] and {r.failures for r in rows} == {0}
    assert {r.status for r in rows} == {"sent"}


def test_failures_back_off_to_a_cap_and_give_up_only_after_a_day(
    pair: Program, app: App, clock: ManualClock
) -> None:
    queue_checkins(pair)
    platform = FakePlatform(script=lambda o, again, n: RetryLater("http 500"))
    courier = courier_for(app, platform)
    waits = []
    while True:
        courier.run_once()
        due = courier.next_due()
        if due is None:
            break
        waits.append(due - clock.now())
        clock.set(due)
    assert count(app, "outbox", status="failed") == 2
    assert waits[0] == timedelta(seconds=15) and max(waits) == BACKOFF_CAP
    assert sum(waits, timedelta()) >= GIVE_UP_AFTER  # repeated failures over a day
    assert backoff(1, 0.0) == timedelta(seconds=7.5)  # jitter scatters the upper half


def test_a_permanent_refusal_fails_at_once_and_the_coordinators_hear_of_it(
    pair: Program, app: App, clock: ManualClock
) -> None:
    queue_checkins(pair)
    gone = FakePlatform(script=lambda o, again, n: Rejected("the account is deactivated"))
    courier_for(app, gone).run_once()
    assert count(app, "outbox", status="failed") == 2
    for day in (21, 21, 28):  # the next weeks' digests: told once, not at every look
        pair.day(day, hour=10)
    digests = [r for r in outbox_rows(app).values() if r.kind == "digest"]
    assert len(digests) == 2  # one a week, for the one coordinator
    told = [str(r.payload) for r in digests if "a check-in to Ana" in str(r.payload)]
    assert len(told) == 1
    assert "a check-in to Bo" in told[0] and "the account is deactivated" in told[0]


def test_an_ambiguous_answer_is_looked_up_before_it_is_sent_again(
    pair: Program, app: App, clock: ManualClock
) -> None:
    queue_checkins(pair)

    def posted_then_500(outbound: Outbound, again: bool, number: int) -> SendResult | None:
        return RetryLater("http 500", ambiguous=True) if number <= 2 else None

    platform = FakePlatform(script=posted_then_500)
    courier = courier_for(app, platform)
    courier.run_once()
    clock.advance(timedelta(minutes=1))
    assert courier.run_once() == 2
    assert [again for _, again in platform.calls] == [False, False, True, True]
