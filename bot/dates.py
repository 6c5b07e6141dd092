"""Dates people type ("until 2027-01-10", "for 3 weeks"), read in their timezone."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

_ISO = re.compile(r"^(?:until\s+)?(\d{4})-(\d{1,2})-(\d{1,2})$")
_SPAN = re.compile(r"^(?:for\s+)?(\d{1,3})\s*(day|week|month)s?$")
_DAYS = {"day": 1, "week": 7, "month": 30}


class BadDate(ValueError):
    """Not a date we can use; ``str(error)`` says why, for the person."""


def parse_until(text: str, now: datetime, zone: str, *, most_days: int = 366) -> datetime:
    """The UTC instant a pause typed as ``text`` ends: the start of that local day.

    Accepts ``until YYYY-MM-DD``, ``YYYY-MM-DD``, ``for N days|weeks|months``.
    """
    words = " ".join(text.casefold().split())
    local_today = now.astimezone(ZoneInfo(zone)).date()
    day = _iso_day(words) or _span_day(words, local_today)
    if day is None:
        raise BadDate(
            "I couldn't read that date. Try “pause until 2027-01-15” or “pause for 3 weeks”."
        )
    if day <= local_today:
        raise BadDate(f"{day:%-d %B %Y} isn't in the future; please pick a later date.")
    if (day - local_today).days > most_days:
        raise BadDate("A break can last up to a year; please pick an earlier date.")
    return datetime.combine(day, time(0, 0), ZoneInfo(zone)).astimezone(ZoneInfo("UTC"))


def _iso_day(words: str) -> date | None:
    match = _ISO.match(words)
    if match is None:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        raise BadDate(f"“{words.removeprefix('until ')}” isn't a real date.") from None


def _span_day(words: str, today: date) -> date | None:
    match = _SPAN.match(words)
    if match is None:
        return None
    return today + timedelta(days=int(match.group(1)) * _DAYS[match.group(2)])
