"""The cadence's ports: check-ins and private feedback, goals and milestones,
wrap-ups, quiet days and the mentor training's progress."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Protocol

from bot.model import (
    Answer,
    Checkin,
    Feedback,
    Goal,
    GoalStatus,
    LessonProgress,
    Match,
    QuietPeriod,
    Wrapup,
)


class Checkins(Protocol):
    """ "Did you meet?" per member per cycle, and the private feedback that follows."""

    def add(
        self, match: Match, person_id: int, cycle: int, due_on: date, now: datetime
    ) -> Checkin | None:
        """A new check-in; ``None`` if this member already has one for the cycle."""
        ...

    def get(self, checkin_id: int) -> Checkin | None: ...

    def of_match(self, match_id: int) -> Sequence[Checkin]: ...

    def of_program(self, program_id: int, since: date) -> Sequence[Checkin]:
        """A program's check-ins due on or after ``since``, oldest first (one query)."""
        ...

    def answer(self, checkin_id: int, answer: Answer, now: datetime) -> None: ...

    def reminded(self, checkin_id: int, now: datetime) -> None: ...

    def feedback(self, match: Match, person_id: int, cycle: int, now: datetime) -> Feedback:
        """This member's feedback for the cycle, started if it wasn't."""
        ...

    def feedback_by_id(self, feedback_id: int) -> Feedback | None: ...

    def save_feedback(self, feedback: Feedback) -> None: ...

    def feedback_of(self, program_id: int) -> Sequence[Feedback]: ...


class Goals(Protocol):
    """Each member's goals in a match, and the 30/60/90-day milestones asked."""

    def of(self, match_id: int, person_id: int) -> Sequence[Goal]: ...

    def add(self, match: Match, person_id: int, text: str, now: datetime) -> Goal: ...

    def set_status(self, goal_id: int, status: GoalStatus, now: datetime) -> None: ...

    def of_program(self, program_id: int) -> Sequence[Goal]: ...

    def milestone(self, match: Match, person_id: int, day: int, now: datetime) -> bool:
        """Record that the day-N milestone was asked; false if it was already."""
        ...

    def milestones_asked(self, match_id: int) -> Sequence[tuple[int, int]]:
        """(person id, day) of every milestone asked in a match."""
        ...

    def milestones_of_program(self, program_id: int) -> Sequence[tuple[int, int, int]]:
        """(match id, person id, day) of every milestone asked in a program."""
        ...


class Wrapups(Protocol):
    """The end-of-match survey, one per member."""

    def start(self, match: Match, person_id: int, now: datetime) -> bool:
        """Record that the wrap-up was sent; false if it was already."""
        ...

    def get(self, match_id: int, person_id: int) -> Wrapup | None: ...

    def save(self, wrapup: Wrapup) -> None: ...

    def of_program(self, program_id: int) -> Sequence[Wrapup]: ...


class QuietPeriods(Protocol):
    """Days a program sends nothing (holidays), in each person's own calendar."""

    def of_program(self, program_id: int) -> Sequence[QuietPeriod]: ...

    def add(
        self,
        workspace_id: int,
        program_id: int,
        starts_on: date,
        ends_on: date,
        note: str,
        now: datetime,
    ) -> QuietPeriod: ...

    def remove(self, period_id: int) -> None: ...


class Training(Protocol):
    """The mentor training's progress, per person and lesson."""

    def of(self, person_id: int) -> Sequence[LessonProgress]: ...

    def of_people(self, person_ids: Sequence[int]) -> Mapping[int, Sequence[LessonProgress]]:
        """Progress by person id (people with none are left out)."""
        ...

    def sent(self, workspace_id: int, person_id: int, lesson: str, now: datetime) -> None:
        """Tandem sent this lesson (a second time changes nothing)."""
        ...

    def done(self, workspace_id: int, person_id: int, lesson: str, now: datetime) -> bool:
        """The person marked the lesson done; false if they had already."""
        ...
