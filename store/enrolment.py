"""Repositories for enrolments and survey answers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.model import Enrolment, Status
from bot.survey import AnswerValue
from store.models import AnswerRow, EnrolmentRow


def _enrolment(row: EnrolmentRow) -> Enrolment:
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

    def get(self, program_id: int, person_id: int) -> Enrolment | None:
        query = select(EnrolmentRow).filter_by(program_id=program_id, person_id=person_id)
        row = self._s.scalars(query).one_or_none()
        return _enrolment(row) if row else None

    def of_person(self, person_id: int) -> Sequence[Enrolment]:
        query = select(EnrolmentRow).filter_by(person_id=person_id).order_by(EnrolmentRow.id)
        return [_enrolment(row) for row in self._s.scalars(query)]

    def in_program(self, program_id: int, statuses: Sequence[Status] = ()) -> Sequence[Enrolment]:
        query = select(EnrolmentRow).filter_by(program_id=program_id).order_by(EnrolmentRow.id)
        if statuses:
            query = query.where(EnrolmentRow.status.in_([s.value for s in statuses]))
        return [_enrolment(row) for row in self._s.scalars(query)]

    def add(self, workspace_id: int, program_id: int, person_id: int, now: datetime) -> Enrolment:
        row = EnrolmentRow(
            workspace_id=workspace_id,
            program_id=program_id,
            person_id=person_id,
            status=Status.INTAKE.value,
            joined_at=now,
        )
        self._s.add(row)
        self._s.flush()
        return _enrolment(row)

    def save(self, enrolment: Enrolment) -> None:
        row = self._s.get_one(EnrolmentRow, enrolment.id)
        row.status = enrolment.status.value
        row.intake_completed_at = enrolment.intake_completed_at
        row.paused_until = enrolment.paused_until
        row.left_at = enrolment.left_at


class SqlAnswers:
    def __init__(self, session: Session) -> None:
        self._s = session

    def of(self, enrolment_id: int) -> dict[str, AnswerValue | None]:
        query = select(AnswerRow).filter_by(enrolment_id=enrolment_id).order_by(AnswerRow.id)
        return {row.question_key: row.value for row in self._s.scalars(query)}

    def put(self, enrolment: Enrolment, key: str, value: AnswerValue | None, now: datetime) -> None:
        query = select(AnswerRow).filter_by(enrolment_id=enrolment.id, question_key=key)
        row = self._s.scalars(query).one_or_none()
        if row is None:
            row = AnswerRow(
                workspace_id=enrolment.workspace_id, enrolment_id=enrolment.id, question_key=key
            )
            self._s.add(row)
        row.value = value
        row.answered_at = now
        self._s.flush()
