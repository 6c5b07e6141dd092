"""Working hours across timezones, as 15-minute slots of a reference week in UTC.

Each person works Monday to Friday in their own timezone. Their hours that week,
converted to UTC, become a set of slots; two people's overlap is the slots they
share, averaged over five working days. Using a real week (the week of the round)
keeps daylight-saving time right, and a Sydney Monday morning correctly meets
nobody's Sunday evening.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

SLOT_MINUTES = 15
# From the Saturday before the week to the Monday after, in UTC: every working
# hour of every timezone lands inside.
_SPAN_DAYS = 10
SLOTS = _SPAN_DAYS * 24 * 60 // SLOT_MINUTES
WORKDAYS = 5

Slots = npt.NDArray[np.bool_]


def week_start(on: date) -> date:
    """The Monday of the week ``on`` falls in."""
    return on - timedelta(days=on.weekday())


def _origin(monday: date) -> datetime:
    return datetime.combine(monday - timedelta(days=2), time(0), ZoneInfo("UTC"))


def parse_window(window: str) -> tuple[int, int]:
    """``"09:00-17:30"`` as minutes after midnight (end may be before start: overnight)."""
    start, end = window.split("-")
    return _minutes(start), _minutes(end)


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


@lru_cache(maxsize=4096)
def availability(timezone: str, window: str, monday: date) -> Slots:
    """The UTC slots of one person's working week (a read-only array)."""
    slots = np.zeros(SLOTS, dtype=np.bool_)
    zone, origin = ZoneInfo(timezone), _origin(monday)
    start, end = parse_window(window)
    length = (end - start) % (24 * 60) or 24 * 60
    for day in range(WORKDAYS):
        local = datetime.combine(monday + timedelta(days=day), time(0), zone)
        begin = local + timedelta(minutes=start)
        first = int((begin - origin).total_seconds() // 60) // SLOT_MINUTES
        slots[max(first, 0) : max(first + length // SLOT_MINUTES, 0)] = True
    slots.flags.writeable = False
    return slots


def overlap_hours(a: Slots, b: Slots) -> float:
    """Hours in common per working day."""
    return float(np.count_nonzero(a & b)) * SLOT_MINUTES / 60 / WORKDAYS


def common_hours(members: list[Slots]) -> float:
    """Hours per working day when all members are working at once (for circles)."""
    together = np.logical_and.reduce(members)
    return float(np.count_nonzero(together)) * SLOT_MINUTES / 60 / WORKDAYS
