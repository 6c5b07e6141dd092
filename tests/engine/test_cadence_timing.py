"""Respecting people's time, on an injected clock: nothing at the weekend or
outside working hours, quiet days, a weekly message budget, and local times kept
across daylight saving."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from adapters.console.chat import ConsoleChat
from bot.clock import ManualClock
from tandem.bootstrap import App
from tests.dialog import Contains, say, verify_dialog
from tests.engine.cadence import MATCHED, Program, running

Chat = Callable[..., ConsoleChat]


def test_nothing_arrives_at_the_weekend_or_outside_working_hours(
    chat: Chat, app: App, clock: ManualClock
) -> None:
    pair = running(chat, app, clock, "Australia/Sydney", "Australia/Sydney", accept=False)
    # Matched at 20:00 in Sydney: the introduction waits for Tuesday morning there.
    assert pair.screen(pair.ana) == ""
    pair.day(1, hour=0)  # Tuesday 11:00 in Sydney
    assert "Meet your match" in pair.screen(pair.ana)
    pair.screen(pair.bo)
    say(pair.ana, "I accept"), say(pair.bo, "I accept")
    pair.day(13, hour=12)  # Sunday 23:00 in Sydney: the check-in is queued
    assert pair.screen(pair.ana) == ""
    pair.day(13, hour=22)  # Monday 09:00 in Sydney
    assert "Did you and Bo meet" in pair.screen(pair.ana)


def test_quiet_days_hold_messages_until_they_are_over(pair: Program) -> None:
    verify_dialog(
        pair.cora,
        [
            (
                "quiet engineering-growth add 2026-12-07 2026-12-09 Team offsite",
                "Engineering Growth Partners will send nothing from 7 December to 9 December 2026 "
                "(Team offsite); anything due then waits until the next working day.",
            ),
            ("quiet engineering-growth", Contains("1. 7 Dec 2026 to 9 Dec 2026: Team offsite")),
        ],
    )
    pair.day(14, hour=10)  # 7 December
    assert pair.screen(pair.ana) == ""
    pair.day(17, hour=10)  # 10 December
    assert "Did you and Bo meet" in pair.screen(pair.ana)


def test_a_weekly_budget_holds_extra_messages_for_the_next_week(
    chat: Chat, app: App, clock: ManualClock
) -> None:
    from bot.admin import bundled_programs, install_programs

    spec = bundled_programs()[0]
    tight = spec.model_copy(
        update={"schedule": spec.schedule.model_copy(update={"messages_per_week": 1})}
    )
    install_programs(app.uow, clock, "console", "console", [tight])
    pair = running(chat, app, clock)
    # Wednesday 23 December: the 30-day milestone is due, but the week already has
    # its one message (the second cycle's check-in, due on Monday the 21st).
    pair.day(30, hour=10)
    shown = pair.screen(pair.ana)
    assert "Did you and Bo meet" in shown
    assert "It's been 30 days" not in shown
    pair.day(35, hour=10)  # Monday 28 December: a new week
    assert "It's been 30 days with Bo" in pair.screen(pair.ana)


def test_messages_keep_their_local_time_across_daylight_saving(
    chat: Chat, app: App, clock: ManualClock
) -> None:
    start = MATCHED.replace(year=2027, month=3, day=1)  # Monday 1 March 2027, 09:00 UTC
    clock.set(start)
    pair = running(chat, app, clock, timezone="America/New_York", accept=False)
    pair.at(start.replace(hour=13, minute=59))
    assert pair.screen(pair.ana) == ""  # still 08:59 in New York (UTC-5)
    pair.at(start.replace(hour=14))
    assert "Meet your match" in pair.screen(pair.ana)
    say(pair.ana, "I accept"), say(pair.bo, "I accept")
    # The US moves its clocks on 14 March: 09:00 in New York is now 13:00 UTC.
    checkin_day = start + timedelta(days=14)
    pair.at(checkin_day.replace(hour=12, minute=59))
    assert pair.screen(pair.ana) == ""
    pair.at(checkin_day.replace(hour=13))
    assert "Did you and Bo meet" in pair.screen(pair.ana)
