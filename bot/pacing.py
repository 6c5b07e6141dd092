"""Pacing the outbox: when each conversation and each workspace may take its next
message, at the pace its platform allows (a burst, then so many a second), and
which workspaces are waiting out a rate limit."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from bot.platform import Capabilities


class Pacing:
    """When each conversation and each workspace may take its next message.

    Kept in memory, per process: a conversation is paced by a token bucket (its
    platform's burst, then so many a second), and a workspace that answered 429
    is held until its Retry-After has passed.
    """

    def __init__(self) -> None:
        self._ready: dict[tuple[int, str], datetime] = {}  # theoretical next arrival
        self._held: dict[int, datetime] = {}
        self._lock = threading.Lock()

    def hold(self, workspace_id: int, until: datetime) -> None:
        with self._lock:
            self._held[workspace_id] = max(until, self._held.get(workspace_id, until))

    def held(self, now: datetime) -> list[int]:
        """The workspaces still waiting out a rate limit."""
        with self._lock:
            self._held = {w: t for w, t in self._held.items() if t > now}
            return sorted(self._held)

    def held_until(self, workspace_id: int, now: datetime) -> datetime | None:
        with self._lock:
            until = self._held.get(workspace_id)
        return until if until is not None and until > now else None

    def wait(self, key: tuple[int, str], caps: Capabilities, now: datetime) -> float:
        """Seconds until this conversation, and its workspace, may take another
        message (0: now)."""
        with self._lock:
            return max(
                0.0,
                *(
                    (self._ready.get(bucket, now) - tolerance - now).total_seconds()
                    for bucket, (_, tolerance) in _buckets(key, caps)
                ),
            )

    def took(self, key: tuple[int, str], caps: Capabilities, now: datetime) -> None:
        with self._lock:
            for bucket, (interval, _) in _buckets(key, caps):
                self._ready[bucket] = max(self._ready.get(bucket, now), now) + interval
            if len(self._ready) > 50_000:  # forget conversations long idle
                self._ready = {k: t for k, t in self._ready.items() if t > now}

    def pause(self, key: tuple[int, str], caps: Capabilities, until: datetime) -> None:
        """The platform asked this conversation to wait until then."""
        _, tolerance = _rate(caps.per_second, caps.burst)
        with self._lock:
            self._ready[key] = max(self._ready.get(key, until), until + tolerance)


Bucket = tuple[tuple[int, str], tuple[timedelta, timedelta]]


def _buckets(key: tuple[int, str], caps: Capabilities) -> list[Bucket]:
    """The conversation's token bucket, and its workspace's where the platform limits
    a whole workspace (Teams: 50 a second per tenant)."""
    found = [(key, _rate(caps.per_second, caps.burst))]
    if caps.workspace_per_second:
        rate = caps.workspace_per_second
        found.append(((key[0], ""), _rate(rate, max(1, int(rate)))))
    return found


def _rate(per_second: float, burst: int) -> tuple[timedelta, timedelta]:
    """A bucket's interval between messages, and how far ahead a burst may run."""
    interval = timedelta(seconds=1 / per_second)
    return interval, interval * max(burst - 1, 0)
