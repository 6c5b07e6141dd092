"""Repositories for conversation state and the inbound event log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from bot.model import Conversation, ConversationKey
from store.sql import insert_ignoring_duplicates, table_of, upsert
from store.tables import ConversationRow, InboundEventRow

_CONVERSATIONS = table_of(ConversationRow)
_CONVERSATION = (
    select(_CONVERSATIONS.c.flow, _CONVERSATIONS.c.data)
    .where(
        _CONVERSATIONS.c.workspace_id == bindparam("workspace_id"),
        _CONVERSATIONS.c.person_id == bindparam("person_id"),
    )
    .with_for_update()
)
_FORGET = delete(_CONVERSATIONS).where(
    _CONVERSATIONS.c.workspace_id == bindparam("workspace_id"),
    _CONVERSATIONS.c.person_id == bindparam("person_id"),
)


class SqlConversations:
    """Conversation state, read on every event: prebuilt Core statements."""

    def __init__(self, session: Session) -> None:
        self._s = session
        self._known: dict[ConversationKey, Conversation | None] = {}  # this transaction's

    def load(self, key: ConversationKey) -> Conversation | None:
        if key not in self._known:
            row = self._s.execute(
                _CONVERSATION, {"workspace_id": key.workspace_id, "person_id": key.person_id}
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
        self._s.execute(_FORGET, {"workspace_id": key.workspace_id, "person_id": key.person_id})


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
