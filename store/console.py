"""The console adapter's inboxes: what each person's terminal has still to show."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from bot import outbound as m
from bot.codec import message_from_data, message_to_data
from store import redaction
from store.sql import insert_ignoring_duplicates, table_of
from store.tables import ConsoleInboxRow, PersonRow

_INBOX, _PEOPLE = table_of(ConsoleInboxRow), table_of(PersonRow)
_OF_PERSON = (
    (_INBOX.c.person_id == _PEOPLE.c.id)
    & (_PEOPLE.c.workspace_id == bindparam("workspace_id"))
    & (_PEOPLE.c.user_id == bindparam("user_id"))
)
_LAST_SHOWN = (
    select(_INBOX.c.payload)
    .join(_PEOPLE, _OF_PERSON)
    .where(_INBOX.c.shown_at.is_not(None))
    .order_by(_INBOX.c.id.desc())
    .limit(1)
)
_UNREAD = (
    select(_INBOX.c.id, _INBOX.c.key, _INBOX.c.payload)
    .join(_PEOPLE, _OF_PERSON)
    .where(_INBOX.c.shown_at.is_(None))
)


class SqlMailbox:
    """Delivery to the console "platform": one inbox row per message per person."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def deliver(self, workspace_id: int, outbound: m.Outbound, now: datetime) -> int:
        users = m.users_of(outbound.to)
        query = select(_PEOPLE.c.user_id, _PEOPLE.c.id).where(
            _PEOPLE.c.workspace_id == workspace_id, _PEOPLE.c.user_id.in_(users)
        )
        people: dict[str, int] = {row.user_id: row.id for row in self._s.execute(query)}
        payload = message_to_data(outbound.message)
        for user in (u for u in users if u in people):
            insert_ignoring_duplicates(
                self._s,
                ConsoleInboxRow,
                workspace_id=workspace_id,
                person_id=people[user],
                key=outbound.key,
                payload=payload,
                created_at=now,
            )
        return len(people)

    def last_shown(self, workspace_id: int, user_id: str) -> m.Message | None:
        found = self._s.scalar(_LAST_SHOWN, {"workspace_id": workspace_id, "user_id": user_id})
        return message_from_data(found) if found is not None else None

    def redact(self, workspace_id: int, traces: Sequence[str]) -> int:
        found = self._s.execute(
            select(_INBOX.c.id, _INBOX.c.payload).where(
                _INBOX.c.workspace_id == workspace_id, redaction.mentions(_INBOX.c.payload, traces)
            )
        ).all()
        hits = [r.id for r in found if redaction.names_any(r.payload, traces)]
        for row_id in hits:
            self._s.execute(
                update(_INBOX)
                .where(_INBOX.c.id == row_id)
                .values(payload=redaction.erased("erased"))
            )
        return len(hits)

    def take_unread(
        self, workspace_id: int, user_id: str, now: datetime
    ) -> Sequence[tuple[str, m.Message]]:
        rows = self._s.execute(
            _UNREAD.order_by(_INBOX.c.id), {"workspace_id": workspace_id, "user_id": user_id}
        ).all()
        if rows:
            self._s.execute(
                update(_INBOX).where(_INBOX.c.id.in_([r.id for r in rows])).values(shown_at=now)
            )
        return [(r.key, message_from_data(r.payload)) for r in rows]
