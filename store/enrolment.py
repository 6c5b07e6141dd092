"""Repositories for enrolments and survey answers.

Every event reads these, so they run prebuilt Core statements (several times
cheaper than building ORM queries each time); they are the only writers of their
tables, and every write is executed at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, bindparam, insert, select, update
from sqlalchemy.orm import Session

from bot.model import Enrolment, Status
from bot.survey.question import AnswerValue
from store.models import AnswerRow, EnrolmentRow
from store.sql import table_of, upsert

_E = table_of(EnrolmentRow)
_A = table_of(AnswerRow)
_ENROLMENT = select(_E).where(_E.c.program_id == bindparam("p"), _E.c.person_id == bindparam("who"))
_OF_PERSON = select(_E).where(_E.c.person_id == bindparam("who")).order_by(_E.c.id)
_IN_PROGRAM = select(_E).where(_E.c.program_id == bindparam("p")).order_by(_E.c.id)
_SAVE = (
    update(_E)
    .where(_E.c.id == bindparam("e"))
    .values(
        status=bindparam("s"),
        intake_completed_at=bindparam("done"),
        paused_until=bindparam("until"),
        left_at=bindparam("left"),
    )
)
_ANSWERS = (
    select(_A.c.question_key, _A.c.value)
    .where(_A.c.enrolment_id == bindparam("e"))
    .order_by(_A.c.id)
)

_ANSWERS_IN_PROGRAM = (
    select(_A.c.enrolment_id, _A.c.question_key, _A.c.value)
    .join(_E, _E.c.id == _A.c.enrolment_id)
    .where(
        _E.c.program_id == bindparam("p"), _A.c.question_key.in_(bindparam("keys", expanding=True))
    )
    .order_by(_A.c.id)
)


def _enrolment(row: Row[Any]) -> Enrolment:
    return Enrolment(
        id=row.id,
        workspace_id=row.workspace_id,
        program_id=row.program_id,
        person_id=row.person_id,
        status=Status(row.status),
        joined_at=row.joined_at,
        intake_completed_at=row.intake_completed_at,
        paused_until=row.paused_until,
        left_at=row.left_at,
    )


class SqlEnrolments:
    def __init__(self, session: Session) -> None:
        self._s = session
        # An event asks for the same enrolment several times (within one transaction).
        self._known: dict[tuple[int, int], Enrolment | None] = {}

    def get(self, program_id: int, person_id: int) -> Enrolment | None:
        key = (program_id, person_id)
        if key not in self._known:
            row = self._s.execute(_ENROLMENT, {"p": program_id, "who": person_id}).first()
            self._known[key] = _enrolment(row) if row else None
        return self._known[key]

    def of_person(self, person_id: int) -> Sequence[Enrolment]:
        return [_enrolment(r) for r in self._s.execute(_OF_PERSON, {"who": person_id})]

    def in_program(self, program_id: int, statuses: Sequence[Status] = ()) -> Sequence[Enrolment]:
        found = [_enrolment(r) for r in self._s.execute(_IN_PROGRAM, {"p": program_id})]
        return [e for e in found if not statuses or e.status in statuses]

    def add(self, workspace_id: int, program_id: int, person_id: int, now: datetime) -> Enrolment:
        values = {
            "workspace_id": workspace_id,
            "program_id": program_id,
            "person_id": person_id,
            "status": Status.INTAKE.value,
            "joined_at": now,
        }
        new_id = self._s.execute(insert(_E).returning(_E.c.id), values).scalar_one()
        enrolment = Enrolment(new_id, workspace_id, program_id, person_id, Status.INTAKE, now)
        self._known[(program_id, person_id)] = enrolment
        return enrolment

    def save(self, enrolment: Enrolment) -> None:
        self._s.execute(
            _SAVE,
            {
                "e": enrolment.id,
                "s": enrolment.status.value,
                "done": enrolment.intake_completed_at,
                "until": enrolment.paused_until,
                "left": enrolment.left_at,
            },
        )
        self._known[(enrolment.program_id, enrolment.person_id)] = enrolment


class SqlAnswers:
    def __init__(self, session: Session) -> None:
        self._s = session

    def of(self, enrolment_id: int) -> dict[str, AnswerValue | None]:
        rows = self._s.execute(_ANSWERS, {"e": enrolment_id}).all()
        return {row.question_key: row.value for row in rows}

    def in_program(
        self, program_id: int, keys: Sequence[str]
    ) -> dict[int, dict[str, AnswerValue | None]]:
        found: dict[int, dict[str, AnswerValue | None]] = {}
        for row in self._s.execute(_ANSWERS_IN_PROGRAM, {"p": program_id, "keys": list(keys)}):
            found.setdefault(row.enrolment_id, {})[row.question_key] = row.value
        return found

    def put(self, enrolment: Enrolment, key: str, value: AnswerValue | None, now: datetime) -> None:
        upsert(
            self._s,
            AnswerRow,
            ("enrolment_id", "question_key"),
            workspace_id=enrolment.workspace_id,
            enrolment_id=enrolment.id,
            question_key=key,
            value=value,
            answered_at=now,
        )
