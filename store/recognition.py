"""Kudos and spotlights, program surveys, and the dated changes to a program."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.adjustment import ProgramChange, ProgramSurvey, Stage
from bot.recognition import Kind, Recognition
from store.tables import ProgramChangeRow, ProgramSurveyRow, RecognitionRow


def _recognition(row: RecognitionRow) -> Recognition:
    return Recognition(
        row.id,
        row.workspace_id,
        row.program_id,
        Kind(row.kind),
        row.author_id,
        row.first_id,
        row.second_id,
        row.words,
        row.created_at,
        row.author_ok,
        row.first_ok,
        row.second_ok,
        row.posted_at,
    )


class SqlRecognitions:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(
        self,
        workspace_id: int,
        program_id: int,
        kind: Kind,
        author_id: int,
        first_id: int,
        second_id: int | None,
        words: str,
        now: datetime,
    ) -> Recognition:
        row = RecognitionRow(
            workspace_id=workspace_id,
            program_id=program_id,
            kind=kind.value,
            author_id=author_id,
            first_id=first_id,
            second_id=second_id,
            words=words,
            created_at=now,
        )
        self._s.add(row)
        self._s.flush()
        return _recognition(row)

    def get(self, recognition_id: int) -> Recognition | None:
        row = self._s.get(RecognitionRow, recognition_id)
        return _recognition(row) if row else None

    def consent(self, recognition_id: int, person_id: int, ok: bool) -> Recognition | None:
        row = self._s.get(RecognitionRow, recognition_id, with_for_update=True)
        if row is None:
            return None
        found = _recognition(row)
        if person_id not in found.consents():
            return None
        if found.kind is Kind.KUDOS and row.author_id == person_id:
            row.author_ok = ok
        if row.first_id == person_id:
            row.first_ok = ok
        if found.kind is Kind.SPOTLIGHT and row.second_id == person_id:
            row.second_ok = ok
        self._s.flush()
        return _recognition(row)

    def posted(self, recognition_id: int, now: datetime) -> bool:
        changed = self._s.execute(
            update(RecognitionRow)
            .where(RecognitionRow.id == recognition_id, RecognitionRow.posted_at.is_(None))
            .values(posted_at=now)
        )
        self._s.expire_all()
        return bool(getattr(changed, "rowcount", 0))

    def sent_since(self, program_id: int, author_id: int, since: datetime) -> int:
        query = select(func.count()).where(
            RecognitionRow.program_id == program_id,
            RecognitionRow.author_id == author_id,
            RecognitionRow.kind == Kind.KUDOS.value,
            RecognitionRow.created_at >= since,
        )
        return int(self._s.scalar(query) or 0)

    def written_by(self, person_id: int) -> Sequence[str]:
        query = select(RecognitionRow.words).where(
            RecognitionRow.author_id == person_id, RecognitionRow.kind == Kind.KUDOS.value
        )
        return list(self._s.scalars(query))


def _survey(row: ProgramSurveyRow) -> ProgramSurvey:
    return ProgramSurvey(
        row.id,
        row.program_id,
        row.person_id,
        Stage(row.stage),
        row.created_at,
        row.growth,
        row.supported,
        row.recommend,
        row.comment,
        row.shared,
        row.answered_at,
    )


class SqlProgramSurveys:
    def __init__(self, session: Session) -> None:
        self._s = session

    def start(
        self, workspace_id: int, program_id: int, person_id: int, stage: Stage, now: datetime
    ) -> ProgramSurvey | None:
        query = select(ProgramSurveyRow.id).filter_by(
            program_id=program_id, person_id=person_id, stage=stage.value
        )
        if self._s.scalar(query) is not None:
            return None
        row = ProgramSurveyRow(
            workspace_id=workspace_id,
            program_id=program_id,
            person_id=person_id,
            stage=stage.value,
            created_at=now,
        )
        self._s.add(row)
        self._s.flush()
        return _survey(row)

    def asked(self, program_id: int) -> Sequence[tuple[int, Stage]]:
        query = select(ProgramSurveyRow.person_id, ProgramSurveyRow.stage).where(
            ProgramSurveyRow.program_id == program_id
        )
        return [(int(r[0]), Stage(r[1])) for r in self._s.execute(query)]

    def get(self, survey_id: int) -> ProgramSurvey | None:
        row = self._s.get(ProgramSurveyRow, survey_id)
        return _survey(row) if row else None

    def save(self, survey: ProgramSurvey) -> None:
        row = self._s.get(ProgramSurveyRow, survey.id)
        if row is None:
            return
        row.growth, row.supported, row.recommend = survey.growth, survey.supported, survey.recommend
        row.comment, row.shared, row.answered_at = survey.comment, survey.shared, survey.answered_at
        self._s.flush()

    def comments_of(self, person_id: int) -> Sequence[str]:
        query = select(ProgramSurveyRow.comment).where(
            ProgramSurveyRow.person_id == person_id, ProgramSurveyRow.comment.is_not(None)
        )
        return [c for c in self._s.scalars(query) if c]


class SqlProgramChanges:
    def __init__(self, session: Session) -> None:
        self._s = session

    def of_program(self, program_id: int) -> Sequence[ProgramChange]:
        query = (
            select(ProgramChangeRow)
            .where(ProgramChangeRow.program_id == program_id)
            .order_by(ProgramChangeRow.changed_at, ProgramChangeRow.id)
        )
        return [
            ProgramChange(r.program_id, r.changed_at, r.what, r.before, r.after)
            for r in self._s.scalars(query)
        ]
