"""Nothing lost, nothing doubled: repeated and missed ticks, crashes, rate limits,
failures, two instances. The platform is a scripted fake of the port."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from adapters.console.chat import PLATFORM, WORKSPACE, ConsoleChat
from adapters.console.platform import CAPABILITIES, ConsolePlatform
from bot.cadence.due import Cadence
from bot.clock import ManualClock
from bot.delivery import BACKOFF_CAP, GIVE_UP_AFTER, Courier, backoff
from bot.events import Actor, CommandIssued
from bot.model import Workspace
from bot.outbound import Message, Outbound
from bot.platform import Capabilities, Delivered, Rejected, RetryLater, Scope, SendResult
from bot.ports import Unavailable, UnitOfWork
from tandem.bootstrap import App
from tests.conftest import another_instance, on_databases
from tests.engine.cadence import Program, running
from tests.engine.stored import count, delete_rows, rows

Chat = Callable[..., ConsoleChat]
ANA = Actor(WORKSPACE, "ana", "Ana", None, PLATFORM)
Script = Callable[[Outbound, bool, int], SendResult | None]


class ProcessDied(BaseException):
    """The process died mid-send (not an error the courier may catch)."""


class FakePlatform:
    """A platform that records every call and answers as scripted (``script``
    returns None for "the platform took it")."""

    name = PLATFORM

    def __init__(
        self,
        inner: ConsolePlatform | None = None,
        script: Script | None = None,
        *,
        crash_after: int = 0,
        capabilities: Capabilities = CAPABILITIES,
    ) -> None:
        self.calls: list[tuple[str, bool]] = []  # (key, again)
        self.capabilities = capabilities
        self._inner = inner
        self._script = script
        self._crash_after = crash_after
        self._lock = threading.Lock()

    @property
    def sent(self) -> list[str]:
        return [key for key, _ in self.calls]

    def send(self, workspace: Workspace, outbound: Outbound, *, again: bool = False) -> SendResult:
        with self._lock:
            self.calls.append((outbound.key, again))
            number = len(self.calls)
        result = self._script(outbound, again, number) if self._script else None
        if result is None and self._inner is not None:
            self._inner.send(workspace, outbound)
        if self._crash_after and number == self._crash_after:
            raise ProcessDied
        return result or Delivered(f"sent:{outbound.key}")

    def update(self, workspace: Workspace, platform_id: str, message: Message) -> SendResult:
        return Delivered(platform_id)


def _courier(app: App, platform: FakePlatform, worker: str = "test", **options: Any) -> Courier:
    options.setdefault("jitter", lambda: 1.0)
    return Courier(app.uow, app.clock, {PLATFORM: platform}, worker, **options)


@pytest.fixture
def pair(chat: Chat, app: App, clock: ManualClock) -> Program:
    return running(chat, app, clock)


def _rows(app: App) -> dict[str, Any]:
    return {row.key: row for row in rows(app, "outbox")}


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


def _queue_checkins(pair: Program) -> None:
    pair.day(14, hour=10)  # two check-ins due now (Berlin and London mornings)
    # The coordinators' weekly digest comes due on this Monday too: not what these
    # tests are about.
    delete_rows(pair.app, "outbox", lambda row: row.kind == "digest")


def test_replies_go_out_at_once_through_the_outbox(app: App) -> None:
    reply = app.engine.handle(CommandIssued(event_id="e1", actor=ANA, text="help"))
    platform = FakePlatform()
    assert _courier(app, platform).run_once() == len(reply.messages) == 1
    assert platform.calls == [(reply.messages[0].key, False)]
    assert _courier(app, platform).run_once() == 0  # and never again


def test_a_claim_abandoned_by_a_crashed_sender_is_sent_after_the_lease_looked_up_first(
    pair: Program, app: App, clock: ManualClock
) -> None:
    _queue_checkins(pair)
    with app.uow() as uow:
        claimed = uow.outbox.claim(clock.now(), "crashed", timedelta(minutes=5), 100, [PLATFORM])
        uow.commit()
    assert claimed  # ...and then that process died, maybe after sending
    survivor = FakePlatform()
    courier = _courier(app, survivor, "survivor")
    assert courier.run_once() == 0  # still leased
    clock.advance(timedelta(minutes=6))
    assert courier.run_once() == len(claimed)
    # The platform is asked to look for each before sending it again.
    assert sorted(survivor.calls) == sorted((c.outbound.key, True) for c in claimed)
    assert courier.run_once() == 0


def test_a_crash_after_sending_does_not_double_a_message_on_the_console(
    pair: Program, app: App, clock: ManualClock
) -> None:
    _queue_checkins(pair)
    console = ConsolePlatform(app.uow, clock)
    with pytest.raises(ProcessDied):
        _courier(app, FakePlatform(console, crash_after=1), "first").run_once()
    clock.advance(timedelta(minutes=6))
    _courier(app, FakePlatform(console), "second").run_once()
    # The first message went to the platform twice; its inbox shows it once.
    inbox = Counter((row.key, row.person_id) for row in rows(app, "console_inbox"))
    assert all(n == 1 for n in inbox.values()), inbox
    assert count(app, "outbox", status="sending") == 0


def test_a_slow_platform_never_outlasts_the_lease(
    pair: Program, app: App, clock: ManualClock
) -> None:
    _queue_checkins(pair)

    def slow(outbound: Outbound, again: bool, number: int) -> None:
        clock.advance(timedelta(minutes=3))  # each send takes three minutes

    first = FakePlatform(script=slow)
    # Over half the five-minute lease is gone after one send: the rest is given
    # back untried rather than risk another instance sending it as well.
    assert _courier(app, first, "first", record_every=1).run_once() == 1
    assert count(app, "outbox", status="sending") == 0
    second = FakePlatform()
    assert _courier(app, second, "second").run_once() == 1
    assert len(first.sent) == 1 and len(second.sent) == 1
    assert not set(first.sent) & set(second.sent)
    untried = _rows(app)[second.sent[0]]
    assert untried.attempts == 1 and untried.failures == 0  # the give-back cost nothing


def test_a_rate_limit_is_waited_out_and_never_counted_as_a_failure(
    pair: Program, app: App, clock: ManualClock
) -> None:
    _queue_checkins(pair)

    def limited(outbound: Outbound, again: bool, number: int) -> SendResult | None:
        if number == 1:
            return RetryLater("ratelimited", 30, Scope.WORKSPACE, failure=False)
        return None

    platform = FakePlatform(script=limited)
    courier = _courier(app, platform)
    assert courier.run_once() == 0
    # One call was made; the other check-in was not even tried, and nothing more
    # goes to the workspace until Slack's 30 seconds have passed.
    assert len(platform.calls) == 1
    clock.advance(timedelta(seconds=29))
    assert courier.run_once() == 0 and len(platform.calls) == 1
    clock.advance(timedelta(seconds=2))
    assert courier.run_once() == 2
    rows = [r for r in _rows(app).values() if r.key.startswith("checkin")]
    assert sorted(r.attempts for r in rows) == [1, 2] and {r.failures for r in rows} == {0}
    assert {r.status for r in rows} == {"sent"}


def test_failures_back_off_to_a_cap_and_give_up_only_after_a_day(
    pair: Program, app: App, clock: ManualClock
) -> None:
    _queue_checkins(pair)
    platform = FakePlatform(script=lambda o, again, n: RetryLater("http 500"))
    courier = _courier(app, platform)
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
    _queue_checkins(pair)
    gone = FakePlatform(script=lambda o, again, n: Rejected("the account is deactivated"))
    _courier(app, gone).run_once()
    assert count(app, "outbox", status="failed") == 2
    for day in (21, 21, 28):  # the next weeks' digests: told once, not at every look
        pair.day(day, hour=10)
    digests = [r for r in _rows(app).values() if r.kind == "digest"]
    assert len(digests) == 2  # one a week, for the one coordinator
    told = [str(r.payload) for r in digests if "a check-in to Ana" in str(r.payload)]
    assert len(told) == 1
    assert "a check-in to Bo" in told[0] and "the account is deactivated" in told[0]


def test_an_ambiguous_answer_is_looked_up_before_it_is_sent_again(
    pair: Program, app: App, clock: ManualClock
) -> None:
    _queue_checkins(pair)

    def posted_then_500(outbound: Outbound, again: bool, number: int) -> SendResult | None:
        return RetryLater("http 500", ambiguous=True) if number <= 2 else None

    platform = FakePlatform(script=posted_then_500)
    courier = _courier(app, platform)
    courier.run_once()
    clock.advance(timedelta(minutes=1))
    assert courier.run_once() == 2
    assert [again for _, again in platform.calls] == [False, False, True, True]


def test_a_message_waiting_to_be_retried_does_not_hold_back_its_conversation(
    app: App, clock: ManualClock
) -> None:
    for n in range(3):
        app.engine.handle(CommandIssued(event_id=f"e{n}", actor=ANA, text="help"))

    def first_fails(outbound: Outbound, again: bool, number: int) -> SendResult | None:
        return RetryLater("http 503") if number == 1 else None

    platform = FakePlatform(script=first_fails)
    courier = _courier(app, platform)
    assert courier.run_once() == 2 and platform.sent == ["e0#0", "e1#0", "e2#0"]
    clock.advance(timedelta(seconds=16))
    assert courier.run_once() == 1
    assert platform.sent == ["e0#0", "e1#0", "e2#0", "e0#0"]


def test_a_conversation_asked_to_wait_holds_its_later_messages_back(
    app: App, clock: ManualClock
) -> None:
    for n in range(3):
        app.engine.handle(CommandIssued(event_id=f"e{n}", actor=ANA, text="help"))

    def slow_down(outbound: Outbound, again: bool, number: int) -> SendResult | None:
        return (
            RetryLater("slow down", 5, Scope.CONVERSATION, failure=False) if number == 1 else None
        )

    platform = FakePlatform(script=slow_down)
    courier = _courier(app, platform)
    assert courier.run_once() == 0 and platform.sent == ["e0#0"]
    clock.advance(timedelta(seconds=5))
    assert courier.run_once() == 3
    assert platform.sent == ["e0#0", "e0#0", "e1#0", "e2#0"]


@pytest.mark.parametrize(("per_second", "waited"), [(4.0, [0.25, 0.25]), (1.0, [])])
def test_a_conversation_takes_a_burst_then_is_paced(
    app: App, clock: ManualClock, per_second: float, waited: list[float]
) -> None:
    for n in range(5):
        app.engine.handle(CommandIssued(event_id=f"e{n}", actor=ANA, text="help"))
    paced = Capabilities(False, False, False, False, 100, 10, burst=3, per_second=per_second)
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(round(seconds, 3))
        clock.advance(timedelta(seconds=seconds))

    platform = FakePlatform(capabilities=paced)
    courier = _courier(app, platform, sleep=sleep)
    # Three at once. A short wait is waited out in place; a longer one gives the
    # rest back to the outbox, untried, until the conversation is ready again.
    courier.run_once()
    while (due := courier.next_due()) is not None:
        assert due - clock.now() == timedelta(seconds=1 / per_second)
        clock.set(due)
        courier.run_once()
    assert waits == waited
    assert platform.sent == [f"e{n}#0" for n in range(5)]
    assert {row.attempts for row in _rows(app).values()} == {1}  # the waits cost nothing


@on_databases  # instances racing on a shared database
def test_two_instances_side_by_side_send_every_message_exactly_once(
    chat: Chat, app: App, clock: ManualClock
) -> None:
    running(chat, app, clock)
    second = another_instance(app, clock)
    recorder = FakePlatform(ConsolePlatform(app.uow, clock))
    instances = [
        (Cadence(instance.uow, clock), _courier(instance, recorder, f"instance-{n}"))
        for n, instance in enumerate((app, second))
    ]
    start = threading.Barrier(2)

    def run(n: int) -> None:
        cadence, courier = instances[n]
        start.wait()
        for _ in range(5):
            cadence.tick()
            courier.run_once()

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
    return [(row.key, row.status) for row in rows(app, "outbox", source=None)]


@on_databases  # instances racing on a shared database
def test_replies_go_out_once_when_two_instances_race_a_slow_platform(
    app: App, clock: ManualClock
) -> None:
    for n in range(30):
        actor = Actor(WORKSPACE, f"user{n}", f"User {n}", None, PLATFORM)
        app.engine.handle(CommandIssued(event_id=f"e{n}", actor=actor, text="help"))
    lock = threading.Lock()

    def slow(outbound: Outbound, again: bool, number: int) -> None:
        with lock:
            clock.advance(timedelta(seconds=20))  # a slow Slack: leases run down

    platform = FakePlatform(script=slow)
    second = another_instance(app, clock)
    couriers = [_courier(app, platform, "one"), _courier(second, platform, "two")]
    start = threading.Barrier(2)

    def run(courier: Courier) -> None:
        start.wait()
        for _ in range(40):
            courier.run_once()

    threads = [threading.Thread(target=run, args=(c,)) for c in couriers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    counts = Counter(platform.sent)
    assert len(counts) == 30 and set(counts.values()) == {1}, counts.most_common(3)
    assert count(app, "outbox", status="sent") == 30
    second.close()


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
    _queue_checkins(pair)
    platform = FakePlatform()
    # Call 1 claims; call 2, recording the first result, finds the store away.
    courier = Courier(Flaky(app, {2}), clock, {PLATFORM: platform}, "w", record_every=1)
    with pytest.raises(Unavailable):
        courier.run_once()
    assert len(platform.calls) == 2  # the other conversation went on regardless
    assert count(app, "outbox", status="sending") == 0  # and both were recorded
    clock.advance(timedelta(minutes=10))
    assert _courier(app, platform).run_once() == 0
    assert Counter(platform.sent) == Counter(dict.fromkeys(platform.sent, 1))


def test_a_workspace_the_platform_limits_is_paced_as_a_whole(app: App, clock: ManualClock) -> None:
    for n in range(6):  # six people, one message each: six conversations, one workspace
        actor = Actor(WORKSPACE, f"user{n}", f"User {n}", None, PLATFORM)
        app.engine.handle(CommandIssued(event_id=f"e{n}", actor=actor, text="help"))
    tenant = Capabilities(
        False, False, False, False, 100, 10, burst=5, per_second=1.0, workspace_per_second=4.0
    )
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(round(seconds, 3))
        clock.advance(timedelta(seconds=seconds))

    platform = FakePlatform(capabilities=tenant)
    assert _courier(app, platform, sleep=sleep).run_once() == 6
    assert waits == [0.25, 0.25]  # four at once for the workspace, then four a second
