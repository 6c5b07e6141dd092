"""Repositories for conversation state, the inbound event log and the outbox."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Insert, delete, inspect, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot import messages as m
from bot.codec import message_from_data, message_to_data, recipient_from_data, recipient_to_data
from bot.model import Conversation, ConversationKey
from store.models import ConversationRow, InboundEventRow, OutboxRow, PersonRow


def insert_ignoring_duplicates(session: Session, table: Any, **values: Any) -> bool:
    """INSERT unless a row with the same unique key exists; true if inserted.

    RETURNING tells the two cases apart on both databases (rowcount does not:
    through the ORM, psycopg reports -1 either way).
    """
    dialect = session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    key = inspect(table).primary_key[0]
    statement: Insert = (
        module.insert(table).values(**values).on_conflict_do_nothing().returning(key)
    )
    return session.execute(statement).first() is not None


class SqlConversations:
    def __init__(self, session: Session) -> None:
        self._s = session

    def _row(self, key: ConversationKey) -> ConversationRow | None:
        query = (
            select(ConversationRow)
            .filter_by(workspace_id=key.workspace_id, person_id=key.person_id)
            .with_for_update()
        )
        return self._s.scalars(query).one_or_none()

    def load(self, key: ConversationKey) -> Conversation | None:
        row = self._row(key)
        return Conversation(row.flow, dict(row.data)) if row else None

    def save(self, key: ConversationKey, conversation: Conversation, now: datetime) -> None:
        row = self._row(key)
        if row is None:
            row = ConversationRow(workspace_id=key.workspace_id, person_id=key.person_id)
            self._s.add(row)
        row.flow = conversation.flow
        row.data = dict(conversation.data)
        row.updated_at = now
        self._s.flush()

    def clear(self, key: ConversationKey) -> None:
        self._s.execute(
            delete(ConversationRow).filter_by(
                workspace_id=key.workspace_id, person_id=key.person_id
            )
        )


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


def _outbound(row: OutboxRow) -> m.Outbound:
    return m.Outbound(row.key, recipient_from_data(row.recipient), message_from_data(row.payload))


class SqlOutbox:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, workspace_id: int, outbound: m.Outbound, source: str, now: datetime) -> None:
        insert_ignoring_duplicates(
            self._s,
            OutboxRow,
            workspace_id=workspace_id,
            key=outbound.key,
            source=source,
            person_id=self._person_id(workspace_id, outbound.to),
            recipient=recipient_to_data(outbound.to),
            kind=outbound.message.kind,
            payload=message_to_data(outbound.message),
            status="pending",
            created_at=now,
            attempts=0,
        )

    def _person_id(self, workspace_id: int, to: m.Recipient) -> int | None:
        if not isinstance(to, m.ToPerson):
            return None
        query = select(PersonRow.id).filter_by(workspace_id=workspace_id, external_id=to.user)
        return self._s.scalars(query).one_or_none()

    def pending_for(self, workspace_id: int, user: str) -> Sequence[m.Outbound]:
        query = (
            select(OutboxRow)
            .join(PersonRow, PersonRow.id == OutboxRow.person_id)
            .where(
                OutboxRow.workspace_id == workspace_id,
                PersonRow.external_id == user,
                OutboxRow.status == "pending",
            )
            .order_by(OutboxRow.id)
        )
        return [_outbound(row) for row in self._s.scalars(query)]

    def pending_from(self, workspace_id: int, source: str) -> Sequence[m.Outbound]:
        query = (
            select(OutboxRow)
            .filter_by(workspace_id=workspace_id, source=source, status="pending")
            .order_by(OutboxRow.id)
        )
        return [_outbound(row) for row in self._s.scalars(query)]

    def mark_sent(self, workspace_id: int, key: str, now: datetime, platform_id: str) -> None:
        self._s.execute(
            update(OutboxRow)
            .filter_by(workspace_id=workspace_id, key=key, status="pending")
            .values(status="sent", sent_at=now, platform_id=platform_id or None)
        )
