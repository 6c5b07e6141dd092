"""The dashboard's sign-in links and sessions: hashes, whose, and until when."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.dashboard_sessions import Holder
from store.tables import DashboardLinkRow, DashboardSessionRow

_KEEP = timedelta(days=1)  # spent or expired rows linger this long, then go


class SqlDashboards:
    """A :class:`bot.dashboard_sessions.Dashboards` over one session."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def add_link(
        self, holder: Holder, token_hash: str, now: datetime, expires_at: datetime
    ) -> None:
        self._s.execute(delete(DashboardLinkRow).where(DashboardLinkRow.expires_at < now - _KEEP))
        self._s.add(
            DashboardLinkRow(
                workspace_id=holder.workspace_id,
                person_id=holder.person_id,
                token_hash=token_hash,
                created_at=now,
                expires_at=expires_at,
                used_at=None,
            )
        )
        self._s.flush()

    def spend_link(self, token_hash: str, now: datetime) -> Holder | None:
        # One statement decides: of two transactions opening the same link, the
        # second waits for the first's row lock, then finds it used.
        spent = self._s.execute(
            update(DashboardLinkRow)
            .where(
                DashboardLinkRow.token_hash == token_hash,
                DashboardLinkRow.used_at.is_(None),
                DashboardLinkRow.expires_at > now,
            )
            .values(used_at=now)
            .execution_options(synchronize_session=False)
        )
        if getattr(spent, "rowcount", 0) != 1:
            return None
        row = self._s.execute(
            select(DashboardLinkRow.workspace_id, DashboardLinkRow.person_id).where(
                DashboardLinkRow.token_hash == token_hash
            )
        ).one()
        return Holder(row.workspace_id, row.person_id)

    def add_session(
        self, holder: Holder, session_hash: str, now: datetime, expires_at: datetime
    ) -> None:
        self._s.execute(
            delete(DashboardSessionRow).where(DashboardSessionRow.expires_at < now - _KEEP)
        )
        self._s.add(
            DashboardSessionRow(
                workspace_id=holder.workspace_id,
                person_id=holder.person_id,
                session_hash=session_hash,
                created_at=now,
                expires_at=expires_at,
                ended_at=None,
            )
        )
        self._s.flush()

    def session(self, session_hash: str, now: datetime) -> Holder | None:
        row = self._s.execute(
            select(DashboardSessionRow.workspace_id, DashboardSessionRow.person_id).where(
                DashboardSessionRow.session_hash == session_hash,
                DashboardSessionRow.ended_at.is_(None),
                DashboardSessionRow.expires_at > now,
            )
        ).one_or_none()
        return None if row is None else Holder(row.workspace_id, row.person_id)

    def end_session(self, session_hash: str, now: datetime) -> None:
        self._s.execute(
            update(DashboardSessionRow)
            .where(
                DashboardSessionRow.session_hash == session_hash,
                DashboardSessionRow.ended_at.is_(None),
            )
            .values(ended_at=now)
            .execution_options(synchronize_session=False)
        )
