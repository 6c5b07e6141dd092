"""Pacing, one conversation and one workspace at a time: a message waiting to be
retried does not hold back its conversation, a conversation asked to wait holds its
later messages back, a burst then a steady pace, and a workspace paced as a whole."""

from __future__ import annotations

from datetime import timedelta

import pytest

from adapters.console.chat import PLATFORM, WORKSPACE
from bot.clock import ManualClock
from bot.events import Actor, CommandIssued
from bot.outbound import Outbound
from bot.platform import Capabilities, RetryLater, Scope, SendResult
from tandem.bootstrap import App
from tests.engine.delivery import ANA, FakePlatform, courier_for, outbox_rows


def test_a_message_waiting_to_be_retried_does_not_hold_back_its_conversation(
    app: App, clock: ManualClock
) -> None:
    for n in range(3):
        app.engine.handle(CommandIssued(event_id=f"e{n}", actor=ANA, text="help"))

    def first_fails(outbound: Outbound, again: bool, number: int) -> SendResult | None:
        return RetryLater("http 503") if number == 1 else None

    platform = FakePlatform(script=first_fails)
    courier = courier_for(app, platform)
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
    courier = courier_for(app, platform)
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
    courier = courier_for(app, platform, sleep=sleep)
    # Three at once. A short wait is waited out in place; a longer one gives the
    # rest back to the outbox, untried, until the conversation is ready again.
    courier.run_once()
    while (due := courier.next_due()) is not None:
        assert due - clock.now() == timedelta(seconds=1 / per_second)
        clock.set(due)
        courier.run_once()
    assert waits == waited
    assert platform.sent == [f"e{n}#0" for n in range(5)]
    assert {row.attempts for row in outbox_rows(app).values()} == {1}  # the waits cost nothing


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
    assert courier_for(app, platform, sleep=sleep).run_once() == 6
    assert waits == [0.25, 0.25]  # four at once for the workspace, then four a second
