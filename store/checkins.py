"""Repository for check-ins ("did you meet?") and the private feedback after them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from bot.model import (
    Answer,
    Checkin,
    Feedback,
    Match,
)
from store.sql import insert_ignoring_duplicates, table_of
from store.tables import (
    CheckinRow,
    FeedbackRow,
    MatchRow,
)

_CHECKINS, _FEEDBACK, _MATCHES = table_of(CheckinRow), table_of(FeedbackRow), table_of(MatchRow)
# Check-ins and feedback are read on every tick and answer: prebuilt Core
# statements, and only Core (the ORM never caches a row that a Core update changes).
_CHECKINS_SINCE = (
    select(_CHECKINS)
    .join(_MATCHES, _MATCHES.c.id == _CHECKINS.c.match_id)
    .where(
        _MATCHES.c.program_id == bindparam("program_id"), _CHECKINS.c.due_on >= bindparam("since")
    )
    .order_by(_CHECKINS.c.due_on, _CHECKINS.c.id)
)
_CHECKINS_OF_MATCH = (
    select(_CHECKINS)
    .where(_CHECKINS.c.match_id == bindparam("match_id"))
    .order_by(_CHECKINS.c.cycle, _CHECKINS.c.id)
)
_CHECKIN = select(_CHECKINS).where(_CHECKINS.c.id == bindparam("id"))
_CHECKIN_OF = select(_CHECKINS).where(
    _CHECKINS.c.match_id == bindparam("match_id"),
    _CHECKINS.c.person_id == bindparam("person_id"),
    _CHECKINS.c.cycle == bindparam("cycle"),
)
_ANSWER = (
    update(_CHECKINS)
    .where(_CHECKINS.c.id == bindparam("checkin_id"))
    .values(answer=bindparam("answer"), answered_at=bindparam("now"))
)
_REMINDED = (
    update(_CHECKINS)
    .where(_CHECKINS.c.id == bindparam("checkin_id"))
    .values(reminded_at=bindparam("now"))
)
_FEEDBACK_BY_ID = select(_FEEDBACK).where(_FEEDBACK.c.id == bindparam("feedback_id"))
_FEEDBACK_OF = select(_FEEDBACK).where(
    _FEEDBACK.c.match_id == bindparam("match_id"),
    _FEEDBACK.c.person_id == bindparam("person_id"),
    _FEEDBACK.c.cycle == bindparam("cycle"),
)

_SAVE_FEEDBACK = (
    update(_FEEDBACK)
    .where(_FEEDBACK.c.id == bindparam("feedback_id"))
    .values(
        rating=bindparam("rating"),
        helped=bindparam("helped"),
        next_focus=bindparam("next"),
        note=bindparam("note"),
        completed_at=bindparam("done"),
    )
)


def _checkin(row: Any) -> Checkin:
    return Checkin(
        row.id,
        row.match_id,
        row.person_id,
        row.cycle,
        row.due_on,
        row.created_at,
        Answer(row.answer) if row.answer else None,
        row.answered_at,
        row.reminded_at,
    )


def _feedback(row: Any) -> Feedback:
    return Feedback(
        row.id,
        row.match_id,
        row.person_id,
        row.cycle,
        row.rating,
        row.helped,
        row.next_focus,
        row.note,
        row.completed_at,
    )


class SqlCheckins:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(
        self, match: Match, person_id: int, cycle: int, due_on: date, now: datetime
    ) -> Checkin | None:
        inserted = insert_ignoring_duplicates(
            self._s,
            CheckinRow,
            workspace_id=match.workspace_id,
            match_id=match.id,
            person_id=person_id,
            cycle=cycle,
            due_on=due_on,
            created_at=now,
        )
        if not inserted:
            return None
        found = self._s.execute(
            _CHECKIN_OF, {"match_id": match.id, "person_id": person_id, "cycle": cycle}
        )
        return _checkin(found.one())

    def get(self, checkin_id: int) -> Checkin | None:
        self._s.flush()  # Core reads see this transaction's ORM changes only once flushed
        row = self._s.execute(_CHECKIN, {"id": checkin_id}).first()
        return _checkin(row) if row else None

    def of_match(self, match_id: int) -> Sequence[Checkin]:
        self._s.flush()
        return [_checkin(r) for r in self._s.execute(_CHECKINS_OF_MATCH, {"match_id": match_id})]

    def of_program(self, program_id: int, since: date) -> Sequence[Checkin]:
        self._s.flush()
        found = self._s.execute(_CHECKINS_SINCE, {"program_id": program_id, "since": since})
        return [_checkin(r) for r in found]

    def answer(self, checkin_id: int, answer: Answer, now: datetime) -> None:
        self._s.execute(_ANSWER, {"checkin_id": checkin_id, "answer": answer.value, "now": now})

    def reminded(self, checkin_id: int, now: datetime) -> None:
        self._s.execute(_REMINDED, {"checkin_id": checkin_id, "now": now})

    def feedback(self, match: Match, person_id: int, cycle: int, now: datetime) -> Feedback:
        self._s.flush()
        key = {"match_id": match.id, "person_id": person_id, "cycle": cycle}
        found = self._s.execute(_FEEDBACK_OF, key).first()
        if found is not None:
            return _feedback(found)
        insert_ignoring_duplicates(
            self._s,
            FeedbackRow,
            workspace_id=match.workspace_id,
            match_id=match.id,
            person_id=person_id,
            cycle=cycle,
            created_at=now,
        )
        return _feedback(self._s.execute(_FEEDBACK_OF, key).one())

    def feedback_by_id(self, feedback_id: int) -> Feedback | None:
        row = self._s.execute(_FEEDBACK_BY_ID, {"feedback_id": feedback_id}).first()
        return _feedback(row) if row else None

    def save_feedback(self, feedback: Feedback) -> None:
        self._s.execute(
            _SAVE_FEEDBACK,
            {
                "feedback_id": feedback.id,
                "rating": feedback.rating,
                "helped": feedback.helped,
                "next": feedback.next_focus,
                "note": feedback.note,
                "done": feedback.completed_at,
            },
        )

    def feedback_of(self, program_id: int) -> Sequence[Feedback]:
        """All feedback in a program: Core rows, so the ORM never holds a stale copy
        of what :meth:`save_feedback` updates."""
        self._s.flush()
        query = (
            select(_FEEDBACK)
            .join(_MATCHES, _MATCHES.c.id == _FEEDBACK.c.match_id)
            .where(_MATCHES.c.program_id == program_id)
            .order_by(_FEEDBACK.c.id)
        )
        return [_feedback(r) for r in self._s.execute(query)]
