"""What a report covers: a window of days and, optionally, one round's people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.model import Program


@dataclass(frozen=True)
class Window:
    """What a report covers: days (inclusive) and, optionally, one round's people."""

    first_day: date
    last_day: date
    round_id: int | None = None

    def holds(self, when: date | datetime | None) -> bool:
        if when is None:
            return False
        day = when.date() if isinstance(when, datetime) else when
        return self.first_day <= day <= self.last_day


def default_window(program: Program, now: datetime) -> Window:
    """From the day the program was added to today."""
    start = (program.created_at or now).date()
    return Window(min(start, now.date()), now.date())
