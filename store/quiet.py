"""Repository for a program's quiet periods."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from bot.model import (
    QuietPeriod,
)
from store.sql import table_of
from store.tables import (
    QuietPeriodRow,
)

_QUIET = table_of(QuietPeriodRow)
_QUIET_OF = (
    select(_QUIET)
    .where(_QUIET.c.program_id == bindparam("program_id"))
    .order_by(_QUIET.c.starts_on)
)


def _quiet(row: Any) -> QuietPeriod:
    return QuietPeriod(row.id, row.program_id, row.starts_on, row.ends_on, row.note)


class SqlQuietPeriods:
    def __init__(self, session: Session) -> None:
        self._s = session

    def of_program(self, program_id: int) -> Sequence[QuietPeriod]:
        self._s.flush()  # a Core read: periods added through the ORM must be written
        return [_quiet(r) for r in self._s.execute(_QUIET_OF, {"program_id": program_id})]

    def add(
        self,
        workspace_id: int,
        program_id: int,
        starts_on: date,
        ends_on: date,
        note: str,
        now: datetime,
    ) -> QuietPeriod:
        row = QuietPeriodRow(
            workspace_id=workspace_id,
            program_id=program_id,
            starts_on=starts_on,
            ends_on=ends_on,
            note=note,
            created_at=now,
        )
        self._s.add(row)
        self._s.flush()
        return _quiet(row)

    def remove(self, period_id: int) -> None:
        self._s.execute(delete(QuietPeriodRow).filter_by(id=period_id))
