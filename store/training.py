"""The mentor training's progress: which lessons each person was sent and marked done."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.model import LessonProgress
from store.tables import TrainingRow


def _progress(row: TrainingRow) -> LessonProgress:
    return LessonProgress(row.person_id, row.lesson, row.sent_at, row.done_at)


class SqlTraining:
    def __init__(self, session: Session) -> None:
        self._s = session

    def of(self, person_id: int) -> Sequence[LessonProgress]:
        return self.of_people([person_id]).get(person_id, ())

    def of_people(self, person_ids: Sequence[int]) -> Mapping[int, Sequence[LessonProgress]]:
        found: dict[int, list[LessonProgress]] = defaultdict(list)
        wanted = sorted(set(person_ids))
        for start in range(0, len(wanted), 500):
            query = (
                select(TrainingRow)
                .where(TrainingRow.person_id.in_(wanted[start : start + 500]))
                .order_by(TrainingRow.id)
            )
            for row in self._s.scalars(query):
                found[row.person_id].append(_progress(row))
        return dict(found)

    def _row(self, workspace_id: int, person_id: int, lesson: str) -> TrainingRow:
        row = self._s.scalars(
            select(TrainingRow).where(
                TrainingRow.person_id == person_id, TrainingRow.lesson == lesson
            )
        ).first()
        if row is None:
            row = TrainingRow(workspace_id=workspace_id, person_id=person_id, lesson=lesson)
            self._s.add(row)
        return row

    def sent(self, workspace_id: int, person_id: int, lesson: str, now: datetime) -> None:
        row = self._row(workspace_id, person_id, lesson)
        if row.sent_at is None:
            row.sent_at = now
        self._s.flush()  # two instances sending the same lesson: one fails, and retries

    def done(self, workspace_id: int, person_id: int, lesson: str, now: datetime) -> bool:
        row = self._row(workspace_id, person_id, lesson)
        if row.done_at is not None:
            return False
        row.done_at = now
        self._s.flush()
        return True
