"""The console adapter's inbox: what each person's terminal has still to show."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from bot import messages as m
from bot.codec import message_from_data, message_to_data
from store.directory import SqlWorkspaces
from store.models import ConsoleInboxRow, PersonRow, WorkspaceRow
from store.sql import insert_ignoring_duplicates


class ConsoleMailbox:
    """Delivery to the console "platform": one inbox row per message per person."""

    def __init__(self, sessions: sessionmaker[Session], platform: str = "console") -> None:
        self._sessions = sessions
        self._platform = platform

    def deliver(
        self, workspace: str, outbound: Sequence[m.Outbound], now: datetime
    ) -> set[tuple[str, str]]:
        """Put each message in the inbox of everyone it is for (idempotent per key).

        Returns the (key, user) pairs that are in an inbox; a message for someone
        with no inbox (no longer a person here) is left out.
        """
        stored = set()
        with self._sessions.begin() as session:
            ws = SqlWorkspaces(session).ensure(self._platform, workspace, now)
            users = {u for o in outbound for u in m.users_of(o.to)}
            people = self._people(session, ws.id, users)
            for message in outbound:
                for user in (u for u in m.users_of(message.to) if u in people):
                    insert_ignoring_duplicates(
                        session,
                        ConsoleInboxRow,
                        workspace_id=ws.id,
                        person_id=people[user],
                        key=message.key,
                        payload=message_to_data(message.message),
                        created_at=now,
                    )
                    stored.add((message.key, user))
        return stored

    @staticmethod
    def _people(session: Session, workspace_id: int, users: set[str]) -> dict[str, int]:
        query = select(PersonRow.external_id, PersonRow.id).where(
            PersonRow.workspace_id == workspace_id, PersonRow.external_id.in_(users)
        )
        return dict(session.execute(query).all())

    def last_shown(self, workspace: str, user: str) -> m.Message | None:
        """The most recent message this person has seen (what is on their screen)."""
        with self._sessions() as session:
            query = (
                select(ConsoleInboxRow)
                .join(PersonRow, PersonRow.id == ConsoleInboxRow.person_id)
                .join(WorkspaceRow, WorkspaceRow.id == ConsoleInboxRow.workspace_id)
                .where(
                    WorkspaceRow.platform == self._platform,
                    WorkspaceRow.external_id == workspace,
                    PersonRow.external_id == user,
                    ConsoleInboxRow.shown_at.is_not(None),
                )
                .order_by(ConsoleInboxRow.id.desc())
                .limit(1)
            )
            row = session.scalars(query).first()
            return message_from_data(row.payload) if row else None

    def take_unread(self, workspace: str, user: str, now: datetime) -> list[m.Message]:
        """This person's messages not shown yet, oldest first; they count as shown now."""
        with self._sessions.begin() as session:
            ws = SqlWorkspaces(session).ensure(self._platform, workspace, now)
            query = (
                select(ConsoleInboxRow)
                .join(PersonRow, PersonRow.id == ConsoleInboxRow.person_id)
                .where(
                    ConsoleInboxRow.workspace_id == ws.id,
                    PersonRow.external_id == user,
                    ConsoleInboxRow.shown_at.is_(None),
                )
                .order_by(ConsoleInboxRow.id)
            )
            rows = list(session.scalars(query))
            if rows:
                session.execute(
                    update(ConsoleInboxRow)
                    .where(ConsoleInboxRow.id.in_([r.id for r in rows]))
                    .values(shown_at=now)
                )
            return [message_from_data(r.payload) for r in rows]
