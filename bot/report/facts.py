"""What the store hands the report: statuses, dates and numbers of one program.

Nothing here is what someone wrote: feedback arrives as its rating, a wrap-up as
its score, a goal as its status. The only text is a wrap-up comment its writer
chose to share with the coordinators (and the report shows those only as a list
long enough that nobody is singled out).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from bot.model import Answer, GoalStatus, MatchStatus, Status


@dataclass(frozen=True)
class PersonFact:
    person_id: int
    user_id: str
    name: str
    status: Status
    joined_at: datetime
    surveyed_at: datetime | None
    left_at: datetime | None


@dataclass(frozen=True)
class MatchFact:
    id: int
    round_id: int
    status: MatchStatus
    kind: str
    members: tuple[int, ...]  # person ids
    created_at: datetime
    started_at: datetime | None
    ended_at: datetime | None
    end_reason: str | None

    @property
    def start(self) -> date:
        return (self.started_at or self.created_at).date()


@dataclass(frozen=True)
class CheckinFact:
    match_id: int
    person_id: int
    cycle: int
    due_on: date
    answer: Answer | None


@dataclass(frozen=True)
class FeedbackFact:
    match_id: int
    person_id: int
    asked_at: datetime
    rating: int | None
    completed_at: datetime | None


@dataclass(frozen=True)
class GoalFact:
    match_id: int
    person_id: int
    status: GoalStatus
    created_at: datetime


@dataclass(frozen=True)
class MilestoneFact:
    match_id: int
    person_id: int
    day: int
    asked_at: datetime
    answered_at: datetime | None


@dataclass(frozen=True)
class WrapupFact:
    match_id: int
    person_id: int
    asked_at: datetime
    recommend: int | None
    again: bool | None
    answered_at: datetime | None
    shared: str | None = None  # a comment its writer let the coordinators read


@dataclass(frozen=True)
class NoticeFact:
    """A message Tandem sent (or could not send) that a report counts."""

    kind: str  # "paused" (after silence), "feedback" (a prompt), or any that failed
    person_id: int | None
    created_at: datetime
    failed: bool
    match_id: int | None = None


@dataclass(frozen=True)
class RoundFact:
    id: int
    created_at: datetime
    published_at: datetime | None
    waiting: tuple[tuple[int, str], ...]  # (person id, reason)


@dataclass(frozen=True)
class TrainingFact:
    """A lesson of the mentor training one of the program's mentors marked done."""

    person_id: int
    lesson: str
    done_at: datetime


@dataclass(frozen=True)
class RecognitionFact:
    """A kudos or a spotlight, as a count: its kind and dates, never its words."""

    kind: str  # kudos, spotlight
    author_id: int
    created_at: datetime
    posted_at: datetime | None


@dataclass(frozen=True)
class SurveyFact:
    """One program survey: its scores, and its comment only where its writer shared it."""

    person_id: int
    stage: str  # day30, midpoint, end
    asked_at: datetime
    growth: int | None
    supported: int | None
    recommend: int | None
    answered_at: datetime | None
    shared: str | None = None


@dataclass(frozen=True)
class ChangeFact:
    """The program changed how it runs: what, from, to, when."""

    changed_at: datetime
    what: str
    before: str
    after: str


@dataclass(frozen=True)
class ProgramFacts:
    people: Sequence[PersonFact]
    rounds: Sequence[RoundFact]
    matches: Sequence[MatchFact]  # published ones (active or ended)
    checkins: Sequence[CheckinFact]
    feedback: Sequence[FeedbackFact]
    goals: Sequence[GoalFact]
    milestones: Sequence[MilestoneFact]
    wrapups: Sequence[WrapupFact]
    notices: Sequence[NoticeFact]
    # People who mentor: a mentor's or facilitator's place in a published match;
    # and those who joined as mentors (a mentoring program's intake answer).
    mentors: Sequence[int] = ()
    joined_as_mentors: Sequence[int] = ()
    training: Sequence[TrainingFact] = ()  # lessons done, by those people
    recognitions: Sequence[RecognitionFact] = ()
    surveys: Sequence[SurveyFact] = ()
    changes: Sequence[ChangeFact] = ()


class Reports(Protocol):
    """What a program's report is made of, read in one go."""

    def facts(self, program_id: int) -> ProgramFacts:
        """Every fact of the program the report counts (no private text)."""
        ...
