"""The inbound side's ports: the log of event ids handled, and the queue of events
acknowledged to their platform and waiting for the engine."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from bot.model import Workspace


class Inbox(Protocol):
    """The inbound event ids already handled: a platform's retry changes nothing."""

    def first_time(self, workspace_id: int, event_id: str, person_id: int, now: datetime) -> bool:
        """Record an inbound event id; false if it was recorded before."""
        ...


@dataclass(frozen=True)
class Queued:
    """An inbound event taken in before its acknowledgement, as stored."""

    id: int
    workspace: Workspace
    user_id: str
    payload: Mapping[str, Any]
    received_at: datetime
    attempts: int = 0


@dataclass(frozen=True)
class NewEvent:
    """An inbound event to queue: whose, and what (the payload is plain JSON data)."""

    workspace_id: int
    event_id: str
    user_id: str
    payload: Mapping[str, Any]


class InboundQueue(Protocol):
    """Events acknowledged to their platform and waiting for the engine."""

    def add(self, events: Sequence[NewEvent], now: datetime) -> list[bool]:
        """Queue events, in one statement; for each, false (and nothing changed) if
        its id is queued already."""
        ...

    def claim(self, now: datetime, worker: str, lease: timedelta, limit: int) -> Sequence[Queued]:
        """The oldest waiting events, held by ``worker`` for ``lease``; never an event
        of a person whose earlier event another worker is handling."""
        ...

    def done(self, ids: Sequence[int]) -> None:
        """The engine has these events (their effects are committed): forget them."""
        ...
