"""Repositories for goals and wrap-ups."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from bot.model import (
    Goal,
    GoalStatus,
    Match,
    Wrapup,
)
from store.sql import insert_ignoring_duplicates, table_of
from store.tables import (
    GoalRow,
    MatchRow,
    MilestoneRow,
    WrapupRow,
)


def _goal(row: Any) -> Goal:
    return Goal(
        row.id, row.match_id, row.person_id, row.text, GoalStatus(row.status), row.updated_at
    )


_GOALS, _MATCHES = table_of(GoalRow), table_of(MatchRow)
# Goals are read at every goal answer and check-in: prebuilt Core statements only.
_GOALS_OF = (
    select(_GOALS)
    .where(_GOALS.c.match_id == bindparam("match_id"), _GOALS.c.person_id == bindparam("person_id"))
    .order_by(_GOALS.c.id)
)
_GOALS_OF_PROGRAM = (
    select(_GOALS)
    .join(_MATCHES, _MATCHES.c.id == _GOALS.c.match_id)
    .where(_MATCHES.c.program_id == bindparam("program_id"))
).order_by(_GOALS.c.id)
_ADD_GOAL = insert(_GOALS).returning(_GOALS.c.id)
_SET_GOAL = (
    update(_GOALS)
    .where(_GOALS.c.id == bindparam("goal_id"))
    .values(status=bindparam("status"), updated_at=bindparam("now"))
)


class SqlGoals:
    def __init__(self, session: Session) -> None:
        self._s = session

    def of(self, match_id: int, person_id: int) -> Sequence[Goal]:
        return [
            _goal(r)
            for r in self._s.execute(_GOALS_OF, {"match_id": match_id, "person_id": person_id})
        ]

    def add(self, match: Match, person_id: int, text: str, now: datetime) -> Goal:
        values = {
            "workspace_id": match.workspace_id,
            "match_id": match.id,
            "person_id": person_id,
            "text": text,
            "status": GoalStatus.OPEN.value,
            "created_at": now,
            "updated_at": now,
        }
        goal_id = self._s.execute(_ADD_GOAL, values).scalar_one()
        return Goal(goal_id, match.id, person_id, text, GoalStatus.OPEN, now)

    def set_status(self, goal_id: int, status: GoalStatus, now: datetime) -> None:
        self._s.execute(_SET_GOAL, {"goal_id": goal_id, "status": status.value, "now": now})

    def of_program(self, program_id: int) -> Sequence[Goal]:
        return [_goal(r) for r in self._s.execute(_GOALS_OF_PROGRAM, {"program_id": program_id})]

    def milestone(self, match: Match, person_id: int, day: int, now: datetime) -> bool:
        return insert_ignoring_duplicates(
            self._s,
            MilestoneRow,
            workspace_id=match.workspace_id,
            match_id=match.id,
            person_id=person_id,
            day=day,
            created_at=now,
        )

    def milestones_of_program(self, program_id: int) -> Sequence[tuple[int, int, int]]:
        query = (
            select(MilestoneRow.match_id, MilestoneRow.person_id, MilestoneRow.day)
            .join(MatchRow, MatchRow.id == MilestoneRow.match_id)
            .where(MatchRow.program_id == program_id)
        )
        return [(match, person, day) for match, person, day in self._s.execute(query)]

    def milestones_asked(self, match_id: int) -> Sequence[tuple[int, int]]:
        query = select(MilestoneRow.person_id, MilestoneRow.day).filter_by(match_id=match_id)
        return [(person, day) for person, day in self._s.execute(query)]


def _wrapup(row: WrapupRow) -> Wrapup:
    return Wrapup(
        row.id,
        row.match_id,
        row.person_id,
        row.recommend,
        row.changed,
        row.again,
        row.answered_at,
        row.shared,
    )


class SqlWrapups:
    def __init__(self, session: Session) -> None:
        self._s = session

    def start(self, match: Match, person_id: int, now: datetime) -> bool:
        return insert_ignoring_duplicates(
            self._s,
            WrapupRow,
            workspace_id=match.workspace_id,
            match_id=match.id,
            person_id=person_id,
            created_at=now,
        )

    def get(self, match_id: int, person_id: int) -> Wrapup | None:
        query = select(WrapupRow).filter_by(match_id=match_id, person_id=person_id)
        row = self._s.scalars(query).one_or_none()
        return _wrapup(row) if row else None

    def save(self, wrapup: Wrapup) -> None:
        row = self._s.get_one(WrapupRow, wrapup.id)
        row.recommend, row.changed, row.again = wrapup.recommend, wrapup.changed, wrapup.again
        row.answered_at = wrapup.answered_at
        row.shared = wrapup.shared

    def of_program(self, program_id: int) -> Sequence[Wrapup]:
        query = (
            select(WrapupRow)
            .join(MatchRow, MatchRow.id == WrapupRow.match_id)
            .where(MatchRow.program_id == program_id)
            .order_by(WrapupRow.id)
        )
        return [_wrapup(r) for r in self._s.scalars(query)]
