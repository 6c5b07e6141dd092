"""In-memory check-ins, feedback, goals, milestones, wrap-ups and quiet days
(store/cadence.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from bot.model import (
    Answer,
    Checkin,
    Feedback,
    Goal,
    GoalStatus,
    Match,
    QuietPeriod,
    Wrapup,
)
from fakes.memory.tables import Row, Transaction


def _checkin(r: Row) -> Checkin:
    answer = Answer(r["answer"]) if r["answer"] else None
    return Checkin(
        r["id"],
        r["match_id"],
        r["person_id"],
        r["cycle"],
        r["due_on"],
        r["created_at"],
        answer,
        r["answered_at"],
        r["reminded_at"],
    )


def _feedback(r: Row) -> Feedback:
    return Feedback(
        r["id"],
        r["match_id"],
        r["person_id"],
        r["cycle"],
        r["rating"],
        r["helped"],
        r["next_focus"],
        r["note"],
        r["completed_at"],
    )


def in_program(tx: Transaction, table: str, program_id: int) -> list[Row]:
    """The rows of ``table`` about a match of the program, in id order."""
    matches = {r["id"] for r in tx.rows("matches", program_id=program_id)}
    return tx.where(table, lambda r: r["match_id"] in matches)


def _update_if_there(tx: Transaction, table: str, row_id: int, **changes: object) -> None:
    if tx.get(table, row_id) is not None:  # an UPDATE of no row changes nothing
        tx.update(table, row_id, **changes)


class MemoryCheckins:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    def add(
        self, match: Match, person_id: int, cycle: int, due_on: date, now: datetime
    ) -> Checkin | None:
        row = self._tx.insert_ignoring(
            "checkins",
            workspace_id=match.workspace_id,
            match_id=match.id,
            person_id=person_id,
            cycle=cycle,
            due_on=due_on,
            created_at=now,
            answer=None,
            answered_at=None,
            reminded_at=None,
        )
        return _checkin(row) if row else None

    def get(self, checkin_id: int) -> Checkin | None:
        row = self._tx.get("checkins", checkin_id)
        return _checkin(row) if row else None

    def of_match(self, match_id: int) -> Sequence[Checkin]:
        found = sorted(self._tx.rows("checkins", match_id=match_id), key=lambda r: r["cycle"])
        return [_checkin(r) for r in found]

    def of_program(self, program_id: int, since: date) -> Sequence[Checkin]:
        found = [r for r in in_program(self._tx, "checkins", program_id) if r["due_on"] >= since]
        return [_checkin(r) for r in sorted(found, key=lambda r: r["due_on"])]

    def answer(self, checkin_id: int, answer: Answer, now: datetime) -> None:
        _update_if_there(self._tx, "checkins", checkin_id, answer=answer.value, answered_at=now)

    def reminded(self, checkin_id: int, now: datetime) -> None:
        _update_if_there(self._tx, "checkins", checkin_id, reminded_at=now)

    def feedback(self, match: Match, person_id: int, cycle: int, now: datetime) -> Feedback:
        key = {"match_id": match.id, "person_id": person_id, "cycle": cycle}
        row = self._tx.first("feedback", **key)
        if row is None:
            row = self._tx.insert(
                "feedback",
                workspace_id=match.workspace_id,
                created_at=now,
                rating=None,
                helped=None,
                next_focus=None,
                note=None,
                completed_at=None,
                **key,
            )
        return _feedback(row)

    def feedback_by_id(self, feedback_id: int) -> Feedback | None:
        row = self._tx.get("feedback", feedback_id)
        return _feedback(row) if row else None

    def save_feedback(self, feedback: Feedback) -> None:
        _update_if_there(
            self._tx,
            "feedback",
            feedback.id,
            rating=feedback.rating,
            helped=feedback.helped,
            next_focus=feedback.next_focus,
            note=feedback.note,
            completed_at=feedback.completed_at,
        )

    def feedback_of(self, program_id: int) -> Sequence[Feedback]:
        return [_feedback(r) for r in in_program(self._tx, "feedback", program_id)]


def _goal(r: Row) -> Goal:
    status = GoalStatus(r["status"])
    return Goal(r["id"], r["match_id"], r["person_id"], r["text"], status, r["updated_at"])


class MemoryGoals:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    def of(self, match_id: int, person_id: int) -> Sequence[Goal]:
        return [_goal(r) for r in self._tx.rows("goals", match_id=match_id, person_id=person_id)]

    def add(self, match: Match, person_id: int, text: str, now: datetime) -> Goal:
        row = self._tx.insert(
            "goals",
            workspace_id=match.workspace_id,
            match_id=match.id,
            person_id=person_id,
            text=text,
            status=GoalStatus.OPEN.value,
            created_at=now,
            updated_at=now,
        )
        return _goal(row)

    def set_status(self, goal_id: int, status: GoalStatus, now: datetime) -> None:
        _update_if_there(self._tx, "goals", goal_id, status=status.value, updated_at=now)

    def of_program(self, program_id: int) -> Sequence[Goal]:
        return [_goal(r) for r in in_program(self._tx, "goals", program_id)]

    def milestone(self, match: Match, person_id: int, day: int, now: datetime) -> bool:
        row = self._tx.insert_ignoring(
            "milestones",
            workspace_id=match.workspace_id,
            match_id=match.id,
            person_id=person_id,
            day=day,
            created_at=now,
            answered_at=None,
        )
        return row is not None

    def milestones_of_program(self, program_id: int) -> Sequence[tuple[int, int, int]]:
        found = in_program(self._tx, "milestones", program_id)
        return [(r["match_id"], r["person_id"], r["day"]) for r in found]

    def milestones_asked(self, match_id: int) -> Sequence[tuple[int, int]]:
        return [(r["person_id"], r["day"]) for r in self._tx.rows("milestones", match_id=match_id)]


def _wrapup(r: Row) -> Wrapup:
    return Wrapup(
        r["id"],
        r["match_id"],
        r["person_id"],
        r["recommend"],
        r["changed"],
        r["again"],
        r["answered_at"],
        r["shared"],
    )


class MemoryWrapups:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    def start(self, match: Match, person_id: int, now: datetime) -> bool:
        row = self._tx.insert_ignoring(
            "wrapups",
            workspace_id=match.workspace_id,
            match_id=match.id,
            person_id=person_id,
            created_at=now,
            recommend=None,
            changed=None,
            again=None,
            answered_at=None,
            shared=False,
        )
        return row is not None

    def get(self, match_id: int, person_id: int) -> Wrapup | None:
        row = self._tx.first("wrapups", match_id=match_id, person_id=person_id)
        return _wrapup(row) if row else None

    def save(self, wrapup: Wrapup) -> None:
        self._tx.update(
            "wrapups",
            wrapup.id,
            recommend=wrapup.recommend,
            changed=wrapup.changed,
            again=wrapup.again,
            answered_at=wrapup.answered_at,
            shared=wrapup.shared,
        )

    def of_program(self, program_id: int) -> Sequence[Wrapup]:
        return [_wrapup(r) for r in in_program(self._tx, "wrapups", program_id)]


def _quiet(r: Row) -> QuietPeriod:
    return QuietPeriod(r["id"], r["program_id"], r["starts_on"], r["ends_on"], r["note"])


class MemoryQuietPeriods:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    def of_program(self, program_id: int) -> Sequence[QuietPeriod]:
        found = sorted(self._tx.rows("quiet_periods", program_id=program_id), key=_starts)
        return [_quiet(r) for r in found]

    def add(
        self,
        workspace_id: int,
        program_id: int,
        starts_on: date,
        ends_on: date,
        note: str,
        now: datetime,
    ) -> QuietPeriod:
        row = self._tx.insert(
            "quiet_periods",
            workspace_id=workspace_id,
            program_id=program_id,
            starts_on=starts_on,
            ends_on=ends_on,
            note=note,
            created_at=now,
        )
        return _quiet(row)

    def remove(self, period_id: int) -> None:
        self._tx.delete("quiet_periods", period_id)


def _starts(row: Row) -> date:
    starts: date = row["starts_on"]
    return starts
