"""The engine's records: plain frozen dataclasses, loaded and saved through ports."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from bot.program.spec import ProgramSpec


@dataclass(frozen=True)
class Workspace:
    """A tenant: one Slack workspace, one Teams tenant, one console sandbox."""

    id: int
    platform: str
    external_id: str


@dataclass(frozen=True)
class Person:
    id: int
    workspace_id: int
    user_id: str
    display_name: str


@dataclass(frozen=True)
class Program:
    id: int
    workspace_id: int
    spec: ProgramSpec
    created_at: datetime | None = None

    @property
    def slug(self) -> str:
        return self.spec.slug


class Status(StrEnum):
    INTAKE = "intake"  # agreed to the program, survey not finished
    ACTIVE = "active"
    PAUSED = "paused"
    LEFT = "left"


@dataclass(frozen=True)
class Enrolment:
    id: int
    workspace_id: int
    program_id: int
    person_id: int
    status: Status
    joined_at: datetime
    intake_completed_at: datetime | None = None
    paused_until: datetime | None = None
    left_at: datetime | None = None

    def is_paused(self, now: datetime) -> bool:
        """Paused, and the pause (if it has an end) has not run out yet."""
        if self.status is not Status.PAUSED:
            return False
        return self.paused_until is None or now < self.paused_until

    def is_participating(self, now: datetime) -> bool:
        """Counts for matching and the cadence right now."""
        if self.status is Status.ACTIVE:
            return True
        return self.status is Status.PAUSED and not self.is_paused(now)


@dataclass(frozen=True)
class ConversationKey:
    """Whose conversation: conversation state is stored under this key."""

    workspace_id: int
    person_id: int


@dataclass(frozen=True)
class Conversation:
    """Where a person is in a multi-step exchange with the bot."""

    flow: str
    data: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def get(self, name: str, default: Any = None) -> Any:
        return self.data.get(name, default)

    def with_data(self, **changes: Any) -> Conversation:
        return Conversation(self.flow, MappingProxyType({**self.data, **changes}))


class RoundStatus(StrEnum):
    DRAFT = "draft"  # proposed; a coordinator may change it
    PUBLISHED = "published"
    DISCARDED = "discarded"


class MatchStatus(StrEnum):
    PROPOSED = "proposed"  # part of a draft round
    ACTIVE = "active"
    ENDED = "ended"


@dataclass(frozen=True)
class Round:
    id: int
    workspace_id: int
    program_id: int
    status: RoundStatus
    seed: int
    exact: bool
    created_at: datetime
    published_at: datetime | None = None
    edited: bool = False
    scheduled_for: date | None = None


@dataclass(frozen=True)
class Member:
    person_id: int
    user_id: str
    name: str
    role: str  # peer, mentor, mentee, facilitator, member
    agreed_at: datetime | None = None


@dataclass(frozen=True)
class Match:
    id: int
    workspace_id: int
    program_id: int
    round_id: int
    status: MatchStatus
    kind: str  # pair, trio, mentoring, circle
    score: float
    reasons: tuple[Mapping[str, Any], ...]
    members: tuple[Member, ...]
    created_at: datetime
    topic: str | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None
    end_reason: str | None = None
    introduced_at: datetime | None = None
    organiser_id: int | None = None

    def member(self, person_id: int) -> Member | None:
        return next((m for m in self.members if m.person_id == person_id), None)

    def others(self, person_id: int) -> tuple[Member, ...]:
        return tuple(m for m in self.members if m.person_id != person_id)


@dataclass(frozen=True)
class Waiting:
    person_id: int
    user_id: str
    name: str
    reason: str


class Answer(StrEnum):
    """Answers to "did you meet?"."""

    YES = "yes"
    NOT_YET = "not_yet"
    SKIP = "skip"
    STOP = "stop"  # this match isn't working
    MET = "met"  # a partner said first that this cycle's meeting happened


@dataclass(frozen=True)
class Checkin:
    id: int
    match_id: int
    person_id: int
    cycle: int
    due_on: date
    created_at: datetime
    answer: Answer | None = None
    answered_at: datetime | None = None
    reminded_at: datetime | None = None


@dataclass(frozen=True)
class Feedback:
    """A member's private notes on one cycle's meeting."""

    id: int
    match_id: int
    person_id: int
    cycle: int
    rating: int | None = None
    helped: str | None = None
    next_focus: str | None = None
    note: str | None = None
    completed_at: datetime | None = None


class GoalStatus(StrEnum):
    OPEN = "open"
    ON_TRACK = "on_track"
    OFF_TRACK = "off_track"
    DONE = "done"


@dataclass(frozen=True)
class Goal:
    id: int
    match_id: int
    person_id: int
    text: str
    status: GoalStatus
    updated_at: datetime


@dataclass(frozen=True)
class Wrapup:
    id: int
    match_id: int
    person_id: int
    recommend: int | None = None
    changed: str | None = None
    again: bool | None = None
    answered_at: datetime | None = None
    shared: bool = False  # the writer let the coordinators read ``changed``


@dataclass(frozen=True)
class Poll:
    """A question for a program's participants, asked in its channel; only the
    counts per option are ever shown."""

    id: int
    program_id: int
    question: str
    options: tuple[str, ...]
    created_at: datetime


@dataclass(frozen=True)
class QuietPeriod:
    id: int
    program_id: int
    starts_on: date
    ends_on: date
    note: str

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


@dataclass(frozen=True)
class LessonProgress:
    """Where one person is with one lesson of the mentor training."""

    person_id: int
    lesson: str  # the lesson's slug in bot/content/training.yaml
    sent_at: datetime | None = None  # Tandem sent it (the schedule)
    done_at: datetime | None = None  # the person marked it done
