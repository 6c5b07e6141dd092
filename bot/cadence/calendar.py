"""Dates and times of a program: cycles, milestones, ends, and when to message whom.

Cadence is counted in calendar days from a match's start, so "every two weeks"
stays on the same weekday across daylight-saving changes. A message is delivered
at the earliest moment inside its recipients' working hours, on one of their
weekdays, outside quiet days (holidays), in their own timezone: a date here is
always a local date, turned into UTC only at the end.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.matching.hours import parse_window
from bot.model import Match, Program, QuietPeriod

Interval = tuple[datetime, datetime]
WEEKDAYS = range(5)  # Monday..Friday
HORIZON_DAYS = 45


def add_months(day: date, months: int) -> date:
    """``day`` plus whole months, on the same day of the month where it exists."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def first_round_of(program: Program, now: datetime) -> date:
    """The program's first round: as configured, or the Monday at least a week after
    it was added."""
    configured = program.spec.schedule.first_round
    if configured is not None:
        return configured
    added = (program.created_at or now).date() + timedelta(days=7)
    return added + timedelta(days=-added.weekday() % 7)  # the Monday on or after


def next_round_on(program: Program, now: datetime) -> date:
    """The day of the program's next scheduled round (today, if today is one)."""
    first, today = first_round_of(program, now), now.date()
    if today <= first:
        return first
    period = 7 * program.spec.cadence_weeks
    return first + timedelta(days=-(-(today - first).days // period) * period)


def started(match: Match) -> date:
    """The day a live match's cadence counts from."""
    assert match.started_at is not None, "only live matches have a cadence"
    return match.started_at.date()


def cycle_due(start: date, weeks: int, cycle: int) -> date:
    """The day check-in ``cycle`` (1, 2, ...) is due for a match that started on ``start``."""
    return start + timedelta(days=7 * weeks * cycle)


def cycles_due(start: date, weeks: int, today: date) -> int:
    """How many check-in cycles have come due by ``today``."""
    return max(0, (today - start).days // (7 * weeks))


def reminder_due(due: date, weeks: int) -> date:
    """Half a cycle after a check-in: the one reminder after "not yet"."""
    return due + timedelta(days=max(1, 7 * weeks // 2))


@dataclass(frozen=True)
class Hours:
    """When someone works: their timezone and daily window ("09:00-17:00")."""

    timezone: str
    window: str = "09:00-17:00"

    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def local_midnight(day: date, timezone: str) -> datetime:
    """The start of ``day`` in ``timezone``, in UTC."""
    return datetime.combine(day, time(0), ZoneInfo(timezone)).astimezone(UTC)


def local_day(instant: datetime, timezone: str) -> date:
    return instant.astimezone(ZoneInfo(timezone)).date()


def _quiet(day: date, quiet: Sequence[QuietPeriod]) -> bool:
    return any(period.covers(day) for period in quiet)


def working_intervals(
    hours: Hours, first: date, last: date, quiet: Sequence[QuietPeriod]
) -> list[Interval]:
    """UTC intervals of someone's working time on their local days first..last."""
    return list(_working(hours, first, last, quiet))


def _working(
    hours: Hours, first: date, last: date, quiet: Sequence[QuietPeriod]
) -> Iterator[Interval]:
    start, end = parse_window(hours.window)
    length = timedelta(minutes=(end - start) % (24 * 60) or 24 * 60)
    zone = hours.zone()
    day = first
    while day <= last:
        if day.weekday() in WEEKDAYS and not _quiet(day, quiet):
            begin = datetime.combine(day, time(start // 60, start % 60), zone)
            yield begin.astimezone(UTC), (begin + length).astimezone(UTC)
        day += timedelta(days=1)


def _intersect(first: list[Interval], second: list[Interval]) -> list[Interval]:
    result, i, j = [], 0, 0
    while i < len(first) and j < len(second):
        begin, end = max(first[i][0], second[j][0]), min(first[i][1], second[j][1])
        if begin < end:
            result.append((begin, end))
        if first[i][1] < second[j][1]:
            i += 1
        else:
            j += 1
    return result


def next_slot(
    people: Sequence[Hours],
    after: datetime,
    quiet: Sequence[QuietPeriod] = (),
    horizon_days: int = HORIZON_DAYS,
) -> datetime | None:
    """The earliest moment at or after ``after`` when everyone is at work, or ``None``
    if there is none within the horizon."""
    first = after.astimezone(UTC).date() - timedelta(days=1)
    last = first + timedelta(days=horizon_days)
    if not people:
        return None
    # One person (the usual case) is walked lazily, day by day, up to the first fit.
    common: Iterable[Interval] = _working(people[0], first, last, quiet)
    for person in people[1:]:
        common = _intersect(list(common), working_intervals(person, first, last, quiet))
    for begin, end in common:
        if end > after:
            return max(begin, after)
    return None


def week_of(instant: datetime, timezone: str) -> Interval:
    """The local Monday-to-Monday week around ``instant``, in UTC."""
    day = local_day(instant, timezone)
    monday = day - timedelta(days=day.weekday())
    return (local_midnight(monday, timezone), local_midnight(monday + timedelta(days=7), timezone))


Used = Callable[[datetime, datetime], int]


def plan(
    person: Hours,
    after: datetime,
    quiet: Sequence[QuietPeriod],
    used: Used,
    budget: int,
    *,
    droppable: bool = False,
) -> datetime | None:
    """When to deliver a proactive message to one person, keeping to their weekly
    budget: the first working moment in a week that still has room. ``None`` means
    drop it (a droppable message, such as a reminder, in a full week) or no slot."""
    moment = after
    for _ in range(8):  # weeks to look ahead
        slot = next_slot([person], moment, quiet)
        if slot is None:
            return None
        start, end = week_of(slot, person.timezone)
        if used(start, end) < budget:
            return slot
        if droppable:
            return None
        moment = end
    return None
