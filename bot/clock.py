"""Time as an argument: every rule that depends on "now" asks a :class:`Clock`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Where the engine gets the current time from."""

    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        ...


class SystemClock:
    """The wall clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """A clock that only moves when told to: tests, the demo and simulations."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs a timezone-aware start time")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> datetime:
        if delta < timedelta(0):
            raise ValueError("time does not run backwards")
        self._now += delta
        return self._now

    def set(self, instant: datetime) -> None:
        self._now = instant.astimezone(UTC)


class ContinuedClock:
    """A clock that goes on from ``start`` at real speed, as if the wall clock had
    read ``start`` when this one was made (stepping into a demo's world, later)."""

    def __init__(self, start: datetime, *, wall: Clock | None = None) -> None:
        if start.tzinfo is None:
            raise ValueError("ContinuedClock needs a timezone-aware start time")
        self._wall = wall or SystemClock()
        self._offset = start.astimezone(UTC) - self._wall.now()

    def now(self) -> datetime:
        return self._wall.now() + self._offset
