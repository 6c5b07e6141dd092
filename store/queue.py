"""The inbound queue: events acknowledged to their platform, waiting for the engine."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.inbound import NewEvent, Queued
from bot.model import Workspace
from store.sql import INBOUND_CLAIMS, table_of, take_turn
from store.tables import QueuedEventRow, WorkspaceRow

_QUEUE, _WORKSPACES = table_of(QueuedEventRow), table_of(WorkspaceRow)
_EARLIER = _QUEUE.alias("earlier")
# A person's events are handled in the order they came: none of theirs is taken
# while a worker holds an earlier one.
_PERSON_BUSY = (
    select(_EARLIER.c.id)
    .where(
        _EARLIER.c.workspace_id == _QUEUE.c.workspace_id,
        _EARLIER.c.user_id == _QUEUE.c.user_id,
        _EARLIER.c.status == "working",
        _EARLIER.c.claimed_until >= bindparam("now"),
        _EARLIER.c.id < _QUEUE.c.id,
    )
    .exists()
)
_CLAIMABLE = (
    select(
        _QUEUE.c.id,
        _QUEUE.c.workspace_id,
        _QUEUE.c.user_id,
        _QUEUE.c.payload,
        _QUEUE.c.received_at,
        _QUEUE.c.attempts,
        _WORKSPACES.c.platform,
        _WORKSPACES.c.external_id,
    )
    .join(_WORKSPACES, _WORKSPACES.c.id == _QUEUE.c.workspace_id)
    .where(
        (_QUEUE.c.status == "pending")
        | ((_QUEUE.c.status == "working") & (_QUEUE.c.claimed_until < bindparam("now"))),
        ~_PERSON_BUSY,
    )
    .order_by(_QUEUE.c.id)
    .limit(bindparam("limit"))
    .with_for_update(skip_locked=True, of=_QUEUE)
)
_CLAIM = (
    update(_QUEUE)
    .where(_QUEUE.c.id.in_(bindparam("ids", expanding=True)))
    .values(
        status="working",
        claimed_by=bindparam("worker"),
        claimed_until=bindparam("until"),
        attempts=_QUEUE.c.attempts + 1,
    )
)
_DONE = delete(_QUEUE).where(_QUEUE.c.id.in_(bindparam("ids", expanding=True)))


class SqlInboundQueue:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, events: Sequence[NewEvent], now: datetime) -> list[bool]:
        fresh: dict[tuple[int, str], NewEvent] = {}
        for event in events:  # in the order they came, the first copy of each
            fresh.setdefault((event.workspace_id, event.event_id), event)
        if not fresh:
            return []
        module = postgresql if self._s.get_bind().dialect.name == "postgresql" else sqlite
        statement = (
            module.insert(_QUEUE)
            .values(
                [
                    {
                        "workspace_id": e.workspace_id,
                        "event_id": e.event_id,
                        "user_id": e.user_id,
                        "payload": dict(e.payload),
                        "received_at": now,
                        "status": "pending",
                        "attempts": 0,
                    }
                    for e in fresh.values()
                ]
            )
            .on_conflict_do_nothing()
            .returning(_QUEUE.c.workspace_id, _QUEUE.c.event_id)
        )
        inserted = {(r.workspace_id, r.event_id) for r in self._s.execute(statement)}
        added = []
        for event in events:
            key = (event.workspace_id, event.event_id)
            added.append(key in inserted)
            inserted.discard(key)  # a second copy in the same batch is a duplicate
        return added

    def claim(self, now: datetime, worker: str, lease: timedelta, limit: int) -> Sequence[Queued]:
        take_turn(self._s, INBOUND_CLAIMS)
        rows = self._s.execute(_CLAIMABLE, {"now": now, "limit": limit}).all()
        if not rows:
            return []
        self._s.execute(
            _CLAIM, {"ids": [r.id for r in rows], "worker": worker, "until": now + lease}
        )
        return [
            Queued(
                r.id,
                Workspace(r.workspace_id, r.platform, r.external_id),
                r.user_id,
                r.payload,
                r.received_at,
                r.attempts + 1,
            )
            for r in rows
        ]

    def done(self, ids: Sequence[int]) -> None:
        if ids:
            self._s.execute(_DONE, {"ids": list(ids)})
