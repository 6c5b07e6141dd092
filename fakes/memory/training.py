"""The mentor training's progress, in memory (store/training.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from bot.model import LessonProgress
from fakes.memory.tables import Row, Transaction


class MemoryTraining:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    def of(self, person_id: int) -> Sequence[LessonProgress]:
        return self.of_people([person_id]).get(person_id, ())

    def of_people(self, person_ids: Sequence[int]) -> Mapping[int, Sequence[LessonProgress]]:
        wanted = set(person_ids)
        found: dict[int, list[LessonProgress]] = {}
        for r in self._tx.where("training", lambda r: r["person_id"] in wanted):
            progress = LessonProgress(r["person_id"], r["lesson"], r["sent_at"], r["done_at"])
            found.setdefault(r["person_id"], []).append(progress)
        return found

    def _row(self, workspace_id: int, person_id: int, lesson: str) -> Row:
        row = self._tx.first("training", person_id=person_id, lesson=lesson)
        if row is None:
            row = self._tx.insert(
                "training",
                workspace_id=workspace_id,
                person_id=person_id,
                lesson=lesson,
                sent_at=None,
                done_at=None,
            )
        return row

    def sent(self, workspace_id: int, person_id: int, lesson: str, now: datetime) -> None:
        row = self._row(workspace_id, person_id, lesson)
        if row["sent_at"] is None:
            self._tx.update("training", row["id"], sent_at=now)

    def done(self, workspace_id: int, person_id: int, lesson: str, now: datetime) -> bool:
        row = self._row(workspace_id, person_id, lesson)
        if row["done_at"] is not None:
            return False
        self._tx.update("training", row["id"], done_at=now)
        return True
