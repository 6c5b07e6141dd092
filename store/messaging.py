"""Repositories for conversation state, the inbound event log and the outbox."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.orm import Session

from bot import messages as m
from bot.codec import message_from_data, message_to_data, recipient_from_data, recipient_to_data
from bot.model import Conversation, ConversationKey, Workspace
from bot.ports import Claimed, Sent
from store.models import ConversationRow, InboundEventRow, OutboxRow, PersonRow, WorkspaceRow
from store.sql import insert_ignoring_duplicates, table_of, upsert

_C = table_of(ConversationRow)
_CONVERSATION = (
    select(_C.c.flow, _C.c.data)
    .where(_C.c.workspace_id == bindparam("ws"), _C.c.person_id == bindparam("who"))
    .with_for_update()
)
_FORGET = delete(_C).where(_C.c.workspace_id == bindparam("ws"), _C.c.person_id == bindparam("who"))


class SqlConversations:
    """Conversation state, read on every event: prebuilt Core statements."""

    def __init__(self, session: Session) -> None:
        self._s = session
        self._known: dict[ConversationKey, Conversation | None] = {}  # this transaction's

    def load(self, key: ConversationKey) -> Conversation | None:
        if key not in self._known:
            row = self._s.execute(
                _CONVERSATION, {"ws": key.workspace_id, "who": key.person_id}
            ).first()
            self._known[key] = Conversation(row.flow, dict(row.data)) if row else None
        return self._known[key]

    def save(self, key: ConversationKey, conversation: Conversation, now: datetime) -> None:
        upsert(
            self._s,
            ConversationRow,
            ("workspace_id", "person_id"),
            workspace_id=key.workspace_id,
            person_id=key.person_id,
            flow=conversation.flow,
            data=dict(conversation.data),
            updated_at=now,
        )
        self._known[key] = conversation

    def clear(self, key: ConversationKey) -> None:
        self._known[key] = None
        self._s.execute(_FORGET, {"ws": key.workspace_id, "who": key.person_id})


class SqlInbox:
    def __init__(self, session: Session) -> None:
        self._s = session

    def first_time(self, workspace_id: int, event_id: str, person_id: int, now: datetime) -> bool:
        return insert_ignoring_duplicates(
            self._s,
            InboundEventRow,
            workspace_id=workspace_id,
            event_id=event_id,
            person_id=person_id,
            received_at=now,
        )


def _outbound(row: Any) -> m.Outbound:
    return m.Outbound(row.key, recipient_from_data(row.recipient), message_from_data(row.payload))


_O, _W = table_of(OutboxRow), table_of(WorkspaceRow)
_MARK_SENT = (
    update(_O)
    .where(
        _O.c.workspace_id == bindparam("ws"),
        _O.c.key == bindparam("k"),
        (_O.c.status == "pending") | (_O.c.status == "sending"),
    )
    .values(
        status="sent",
        sent_at=bindparam("now"),
        platform_id=bindparam("pid"),
        claimed_by=None,
        claimed_until=None,
    )
)
# Due, or claimed by a sender whose lease ran out (it died). SKIP LOCKED lets
# instances share the queue on PostgreSQL; SQLite's BEGIN IMMEDIATE already gives
# one claimer at a time.
_CLAIMABLE = (
    select(
        _O.c.id,
        _O.c.key,
        _O.c.recipient,
        _O.c.payload,
        _O.c.attempts,
        _O.c.source,
        _O.c.workspace_id,
        _W.c.platform,
        _W.c.external_id,
    )
    .join(_W, _W.c.id == _O.c.workspace_id)
    .where(
        (
            (_O.c.status == "pending")
            & (_O.c.not_before.is_(None) | (_O.c.not_before <= bindparam("now")))
        )
        | ((_O.c.status == "sending") & (_O.c.claimed_until < bindparam("now")))
    )
    .order_by(_O.c.id)
    .limit(bindparam("n"))
    .with_for_update(skip_locked=True, of=_O)
)
_CLAIM = (
    update(_O)
    .where(_O.c.id.in_(bindparam("ids", expanding=True)))
    .values(
        status="sending",
        claimed_by=bindparam("worker"),
        claimed_until=bindparam("until"),
        attempts=_O.c.attempts + 1,
    )
)


# Replies (rows with a source event) never count: only what Tandem sent unasked.
_COUNT_FOR = (
    select(func.count())
    .select_from(_O)
    .where(
        _O.c.person_id == bindparam("who"),
        _O.c.kind.in_(bindparam("kinds", expanding=True)),
        _O.c.not_before >= bindparam("start"),
        _O.c.not_before < bindparam("end"),
        _O.c.status != "failed",
        _O.c.source.is_(None),
    )
)


_NEXT_DUE = select(func.min(_O.c.not_before)).where(_O.c.status == "pending")


class SqlOutbox:
    def __init__(self, session: Session) -> None:
        self._s = session
        self._people: dict[tuple[int, str], int] = {}

    def add(
        self,
        workspace_id: int,
        outbound: m.Outbound,
        source: str | None,
        now: datetime,
        not_before: datetime | None = None,
        person_id: int | None = None,
    ) -> bool:
        direct = isinstance(outbound.to, m.ToPerson)
        return insert_ignoring_duplicates(
            self._s,
            OutboxRow,
            workspace_id=workspace_id,
            key=outbound.key,
            source=source,
            person_id=(
                person_id
                if person_id is not None and direct
                else self._person_id(workspace_id, outbound.to)
            ),
            recipient=recipient_to_data(outbound.to),
            kind=outbound.message.kind,
            payload=message_to_data(outbound.message),
            status="pending",
            created_at=now,
            not_before=not_before,
            attempts=0,
        )

    def _person_id(self, workspace_id: int, to: m.Recipient) -> int | None:
        if not isinstance(to, m.ToPerson):
            return None
        key = (workspace_id, to.user)
        if key not in self._people:  # only people found are remembered: one may be added
            query = select(PersonRow.id).filter_by(workspace_id=workspace_id, external_id=to.user)
            found = self._s.scalars(query).one_or_none()
            if found is None:
                return None
            self._people[key] = found
        return self._people[key]

    def pending_for(self, workspace_id: int, user: str, now: datetime) -> Sequence[m.Outbound]:
        person = self._person_id(workspace_id, m.ToPerson(user))
        query = (
            select(OutboxRow)
            .where(
                OutboxRow.workspace_id == workspace_id,
                OutboxRow.status == "pending",
                (OutboxRow.person_id == person) | OutboxRow.person_id.is_(None),
                # A reply is due at once to the adapter asking (its grace period
                # only holds the dispatcher back); scheduled messages when due.
                OutboxRow.not_before.is_(None)
                | (OutboxRow.not_before <= now)
                | OutboxRow.source.is_not(None),
            )
            .order_by(OutboxRow.id)
        )
        found = (_outbound(row) for row in self._s.scalars(query))
        return [o for o in found if user in m.users_of(o.to)]

    def pending_from(self, workspace_id: int, source: str) -> Sequence[m.Outbound]:
        query = (
            select(OutboxRow)
            .filter_by(workspace_id=workspace_id, source=source, status="pending")
            .order_by(OutboxRow.id)
        )
        return [_outbound(row) for row in self._s.scalars(query)]

    def next_due(self) -> datetime | None:
        found: datetime | None = self._s.scalar(_NEXT_DUE)
        if found is None:
            return None
        return found.replace(tzinfo=UTC) if found.tzinfo is None else found

    def mark_sent(self, sent: Sequence[Sent], now: datetime) -> None:
        if sent:
            self._s.execute(
                _MARK_SENT,
                [
                    {"ws": s.workspace_id, "k": s.key, "now": now, "pid": s.platform_id or None}
                    for s in sent
                ],
            )

    def claim(self, now: datetime, worker: str, lease: timedelta, limit: int) -> Sequence[Claimed]:
        rows = self._s.execute(_CLAIMABLE, {"now": now, "n": limit}).all()
        if not rows:
            return []
        self._s.execute(
            _CLAIM, {"ids": [r.id for r in rows], "worker": worker, "until": now + lease}
        )
        return [
            Claimed(
                Workspace(r.workspace_id, r.platform, r.external_id),
                _outbound(r),
                r.attempts + 1,
                reply=r.source is not None,
            )
            for r in rows
        ]

    def retry(self, workspace_id: int, key: str, at: datetime, error: str) -> None:
        self._s.execute(
            update(OutboxRow)
            .filter_by(workspace_id=workspace_id, key=key)
            .values(
                status="pending",
                not_before=at,
                claimed_by=None,
                claimed_until=None,
                last_error=error[:200],
            )
        )

    def fail(self, workspace_id: int, key: str, error: str) -> None:
        self._s.execute(
            update(OutboxRow)
            .filter_by(workspace_id=workspace_id, key=key)
            .values(status="failed", claimed_by=None, claimed_until=None, last_error=error[:200])
        )

    def count_for(
        self, person_id: int, kinds: Sequence[str], start: datetime, end: datetime
    ) -> int:
        found = self._s.scalar(
            _COUNT_FOR, {"who": person_id, "kinds": list(kinds), "start": start, "end": end}
        )
        return int(found or 0)
