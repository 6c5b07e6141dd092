"""The program's calendar: cycles across DST, working hours, quiet days, budgets."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.cadence.calendar import (
    Hours,
    add_months,
    cycle_due,
    cycles_due,
    next_slot,
    plan,
    reminder_due,
)
from bot.model import QuietPeriod

BERLIN = Hours("Europe/Berlin")
NEW_YORK = Hours("America/New_York")
SYDNEY = Hours("Australia/Sydney")


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def test_cycles_fall_on_the_same_weekday_every_two_weeks() -> None:
    start = date(2027, 3, 1)  # a Monday; Europe and the US change clocks this month
    assert [cycle_due(start, 2, n) for n in (1, 2, 3)] == [
        date(2027, 3, 15),
        date(2027, 3, 29),
        date(2027, 4, 12),
    ]
    assert cycles_due(start, 2, date(2027, 3, 14)) == 0
    assert cycles_due(start, 2, date(2027, 3, 29)) == 2
    assert reminder_due(date(2027, 3, 15), 2) == date(2027, 3, 22)


@pytest.mark.parametrize(
    ("day", "months", "end"),
    [
        (date(2027, 1, 31), 1, date(2027, 2, 28)),
        (date(2027, 8, 15), 6, date(2028, 2, 15)),
        (date(2027, 11, 30), 3, date(2028, 2, 29)),
    ],
)
def test_months_are_calendar_months(day: date, months: int, end: date) -> None:
    assert add_months(day, months) == end


def test_a_message_waits_for_the_morning_in_the_recipients_timezone() -> None:
    # 06:00 UTC is 07:00 in Berlin in winter: wait until 09:00 local (08:00 UTC).
    assert next_slot([BERLIN], utc(2027, 1, 4, 6)) == utc(2027, 1, 4, 8)
    # In summer Berlin is UTC+2: 09:00 local is 07:00 UTC.
    assert next_slot([BERLIN], utc(2027, 7, 5, 6)) == utc(2027, 7, 5, 7)


def test_the_same_local_time_across_the_daylight_saving_change() -> None:
    before = next_slot([NEW_YORK], utc(2027, 3, 12, 0))  # Friday, EST
    after = next_slot([NEW_YORK], utc(2027, 3, 15, 0))  # Monday, EDT
    assert (before.hour, after.hour) == (14, 13)  # both 09:00 in New York


def test_weekends_are_skipped_in_the_recipients_own_week() -> None:
    # Friday 20:00 UTC is already Saturday morning in Sydney: next is Monday there.
    slot = next_slot([SYDNEY], utc(2027, 1, 8, 20))
    assert slot == utc(2027, 1, 10, 22)  # Monday 09:00 in Sydney (UTC+11)


def test_a_group_message_waits_for_a_time_everyone_works() -> None:
    slot = next_slot([BERLIN, NEW_YORK], utc(2027, 1, 4, 7))
    assert slot == utc(2027, 1, 4, 14)  # 15:00 Berlin, 09:00 New York
    assert next_slot([BERLIN, SYDNEY], utc(2027, 1, 4, 7)) is None  # never both at work


def test_quiet_days_are_skipped() -> None:
    holidays = [QuietPeriod(1, 1, date(2027, 12, 24), date(2028, 1, 2), "Holidays")]
    slot = next_slot([BERLIN], utc(2027, 12, 23, 17), holidays)
    assert slot == utc(2028, 1, 3, 8)


def test_a_full_week_pushes_a_message_to_the_next_week_or_drops_a_reminder() -> None:
    busy = {utc(2027, 1, 3, 23)}  # the Berlin week starting Monday 4 January

    def used(start: datetime, end: datetime) -> int:
        return 3 if start in busy else 0

    assert plan(BERLIN, utc(2027, 1, 5, 9), [], used, 3) == utc(2027, 1, 11, 8)
    assert plan(BERLIN, utc(2027, 1, 5, 9), [], used, 3, droppable=True) is None
    assert plan(BERLIN, utc(2027, 1, 5, 9), [], used, 4) == utc(2027, 1, 5, 9)


def test_overnight_shifts_count_from_their_start_day() -> None:
    night = Hours("Europe/London", "22:00-06:00")
    assert next_slot([night], utc(2027, 1, 4, 12)) == utc(2027, 1, 4, 22)
    assert next_slot([night], utc(2027, 1, 5, 3)) == utc(2027, 1, 5, 3)  # still Monday's shift
