"""Repository for matching rounds and their waitlists."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.model import Round, RoundStatus, Waiting
from store.tables import (
    PersonRow,
    RoundRow,
    WaitlistRow,
)


def _round(row: RoundRow) -> Round:
    return Round(
        row.id,
        row.workspace_id,
        row.program_id,
        RoundStatus(row.status),
        row.seed,
        row.exact,
        row.created_at,
        row.published_at,
        row.edited,
        row.scheduled_for,
    )


class SqlRounds:
    def __init__(self, session: Session) -> None:
        self._s = session

    def _latest(self, program_id: int, status: RoundStatus) -> Round | None:
        query = (
            select(RoundRow)
            .filter_by(program_id=program_id, status=status.value)
            .order_by(RoundRow.id.desc())
            .limit(1)
        )
        row = self._s.scalars(query).first()
        return _round(row) if row else None

    def draft(self, program_id: int) -> Round | None:
        return self._latest(program_id, RoundStatus.DRAFT)

    def latest_published(self, program_id: int) -> Round | None:
        return self._latest(program_id, RoundStatus.PUBLISHED)

    def add(
        self,
        workspace_id: int,
        program_id: int,
        seed: int,
        exact: bool,
        now: datetime,
        scheduled_for: date | None = None,
    ) -> Round:
        row = RoundRow(
            workspace_id=workspace_id,
            program_id=program_id,
            seed=seed,
            exact=exact,
            edited=False,
            status=RoundStatus.DRAFT.value,
            created_at=now,
            scheduled_for=scheduled_for,
        )
        self._s.add(row)
        self._s.flush()
        return _round(row)

    def scheduled(self, program_id: int, day: date) -> Round | None:
        query = select(RoundRow).filter_by(program_id=program_id, scheduled_for=day)
        row = self._s.scalars(query).first()
        return _round(row) if row else None

    def mark_edited(self, round_id: int) -> None:
        self._s.get_one(RoundRow, round_id).edited = True

    def set_status(self, round_id: int, status: RoundStatus, now: datetime) -> None:
        row = self._s.get_one(RoundRow, round_id)
        row.status = status.value
        if status is RoundStatus.PUBLISHED:
            row.published_at = now

    def waiting(self, round_id: int) -> Sequence[Waiting]:
        query = (
            select(WaitlistRow, PersonRow)
            .join(PersonRow, PersonRow.id == WaitlistRow.person_id)
            .where(WaitlistRow.round_id == round_id)
            .order_by(WaitlistRow.id)
        )
        return [
            Waiting(w.person_id, p.user_id, p.display_name, w.reason)
            for w, p in self._s.execute(query)
        ]

    def add_waiting(self, round_: Round, person_id: int, reason: str) -> None:
        self._s.add(
            WaitlistRow(
                workspace_id=round_.workspace_id,
                round_id=round_.id,
                person_id=person_id,
                reason=reason,
            )
        )
        self._s.flush()

    def remove_waiting(self, round_id: int, person_id: int) -> None:
        self._s.execute(delete(WaitlistRow).filter_by(round_id=round_id, person_id=person_id))
