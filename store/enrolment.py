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
from store.sql import table_of, upsert
from store.tables import AnswerRow, EnrolmentRow

_ENROLMENTS = table_of(EnrolmentRow)
_ANSWERS = table_of(AnswerRow)
_ENROLMENT = select(_ENROLMENTS).where(
    _ENROLMENTS.c.program_id == bindparam("program_id"),
    _ENROLMENTS.c.person_id == bindparam("person_id"),
)
_OF_PERSON = (
    select(_ENROLMENTS)
    .where(_ENROLMENTS.c.person_id == bindparam("person_id"))
    .order_by(_ENROLMENTS.c.id)
)
_IN_PROGRAM = (
    select(_ENROLMENTS)
    .where(_ENROLMENTS.c.program_id == bindparam("program_id"))
    .order_by(_ENROLMENTS.c.id)
)
_SAVE = (
    update(_ENROLMENTS)
    .where(_ENROLMENTS.c.id == bindparam("enrolment_id"))
    .values(
        status=bindparam("status"),
        intake_completed_at=bindparam("done"),
        paused_until=bindparam("until"),
        left_at=bindparam("left"),
    )
)
_ANSWERS_OF_ENROLMENT = (
    select(_ANSWERS.c.question_key, _ANSWERS.c.value)
    .where(_ANSWERS.c.enrolment_id == bindparam("enrolment_id"))
    .order_by(_ANSWERS.c.id)
)

_ANSWERS_IN_PROGRAM = (
    select(_ANSWERS.c.enrolment_id, _ANSWERS.c.question_key, _ANSWERS.c.value)
    .join(_ENROLMENTS, _ENROLMENTS.c.id == _ANSWERS.c.enrolment_id)
    .where(
        _ENROLMENTS.c.program_id == bindparam("program_id"),
        _ANSWERS.c.question_key.in_(bindparam("keys", expanding=True)),
    )
    .order_by(_ANSWERS.c.id)
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
            row = self._s.execute(
                _ENROLMENT, {"program_id": program_id, "person_id": person_id}
            ).first()
            self._known[key] = _enrolment(row) if row else None
        return self._known[key]

    def of_person(self, person_id: int) -> Sequence[Enrolment]:
        return [_enrolment(r) for r in self._s.execute(_OF_PERSON, {"person_id": person_id})]

    def in_program(self, program_id: int, statuses: Sequence[Status] = ()) -> Sequence[Enrolment]:
        found = [_enrolment(r) for r in self._s.execute(_IN_PROGRAM, {"program_id": program_id})]
        return [e for e in found if not statuses or e.status in statuses]

    def add(self, workspace_id: int, program_id: int, person_id: int, now: datetime) -> Enrolment:
        values = {
            "workspace_id": workspace_id,
            "program_id": program_id,
            "person_id": person_id,
            "status": Status.INTAKE.value,
            "joined_at": now,
        }
        new_id = self._s.execute(
            insert(_ENROLMENTS).returning(_ENROLMENTS.c.id), values
        ).scalar_one()
        enrolment = Enrolment(new_id, workspace_id, program_id, person_id, Status.INTAKE, now)
        self._known[(program_id, person_id)] = enrolment
        return enrolment

    def save(self, enrolment: Enrolment) -> None:
        self._s.execute(
            _SAVE,
            {
                "enrolment_id": enrolment.id,
                "status": enrolment.status.value,
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
        rows = self._s.execute(_ANSWERS_OF_ENROLMENT, {"enrolment_id": enrolment_id}).all()
        return {row.question_key: row.value for row in rows}

    def in_program(
        self, program_id: int, keys: Sequence[str]
    ) -> dict[int, dict[str, AnswerValue | None]]:
        found: dict[int, dict[str, AnswerValue | None]] = {}
        for row in self._s.execute(
            _ANSWERS_IN_PROGRAM, {"program_id": program_id, "keys": list(keys)}
        ):
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
