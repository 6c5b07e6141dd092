"""Ports: what the engine needs from storage, as Protocols the store implements.

One :class:`UnitOfWork` spans one inbound event (or one scheduler step): the engine
reads and writes through its repositories and commits once, so an event's state
changes and the messages it produces land together or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import TracebackType
from typing import Any, Protocol, Self

from bot.messages import Outbound
from bot.model import (
    Answer,
    Checkin,
    Conversation,
    ConversationKey,
    Enrolment,
    Feedback,
    Goal,
    GoalStatus,
    Match,
    MatchStatus,
    Person,
    Poll,
    Program,
    QuietPeriod,
    Round,
    RoundStatus,
    Status,
    Waiting,
    Workspace,
    Wrapup,
)
from bot.program import ProgramSpec
from bot.survey import AnswerValue


class Workspaces(Protocol):
    def ensure(self, platform: str, external_id: str, now: datetime) -> Workspace:
        """The workspace with these platform ids, created on first sight."""
        ...


class People(Protocol):
    def ensure(self, workspace_id: int, external_id: str, name: str, now: datetime) -> Person:
        """The person with this platform id, created on first sight; refreshes the name."""
        ...

    def find(self, workspace_id: int, external_id: str) -> Person | None: ...

    def get(self, person_id: int) -> Person: ...

    def erase(self, person_id: int) -> None:
        """Delete the person and every row that is about them."""
        ...


class Programs(Protocol):
    def all(self, workspace_id: int) -> Sequence[Program]: ...

    def get(self, workspace_id: int, slug: str) -> Program | None: ...

    def by_id(self, program_id: int) -> Program: ...

    def put(self, workspace_id: int, spec: ProgramSpec, now: datetime) -> Program:
        """Add the program, or replace the definition of the one with its slug."""
        ...

    def every(self) -> Sequence[Program]:
        """Every program in every workspace (for the scheduler)."""
        ...

    def lock(self, program_id: int) -> None:
        """Hold the program's row until commit: one instance works on it at a time."""
        ...


class Enrolments(Protocol):
    def get(self, program_id: int, person_id: int) -> Enrolment | None: ...

    def of_person(self, person_id: int) -> Sequence[Enrolment]: ...

    def in_program(self, program_id: int, statuses: Sequence[Status] = ()) -> Sequence[Enrolment]:
        """Enrolments of a program, optionally only those with the given statuses."""
        ...

    def add(
        self, workspace_id: int, program_id: int, person_id: int, now: datetime
    ) -> Enrolment: ...

    def save(self, enrolment: Enrolment) -> None: ...


class Answers(Protocol):
    def of(self, enrolment_id: int) -> dict[str, AnswerValue | None]: ...

    def in_program(
        self, program_id: int, keys: Sequence[str]
    ) -> dict[int, dict[str, AnswerValue | None]]:
        """The answers to ``keys`` of every enrolment in a program, by enrolment id
        (one query, for work that walks the whole program)."""
        ...

    def put(self, enrolment: Enrolment, key: str, value: AnswerValue | None, now: datetime) -> None:
        """Store an answer, replacing an earlier answer to the same question."""
        ...


class Conversations(Protocol):
    def load(self, key: ConversationKey) -> Conversation | None:
        """The stored state, locked against concurrent changes until commit."""
        ...

    def save(self, key: ConversationKey, conversation: Conversation, now: datetime) -> None: ...

    def clear(self, key: ConversationKey) -> None: ...


class Inbox(Protocol):
    def first_time(self, workspace_id: int, event_id: str, person_id: int, now: datetime) -> bool:
        """Record an inbound event id; false if it was recorded before."""
        ...


@dataclass(frozen=True)
class Claimed:
    """An outbox message a sender has claimed, with where it goes."""

    workspace: Workspace
    outbound: Outbound
    attempts: int
    # A reply (to an event) that its adapter was to deliver at once: it reaches the
    # outbox only when that failed, or when the adapter crashed after sending.
    reply: bool = False

    @property
    def maybe_sent(self) -> bool:
        """Whether an earlier attempt may have reached the platform unrecorded."""
        return self.attempts > 1 or self.reply


@dataclass(frozen=True)
class Sent:
    """An outbox message the platform took, and the platform's id for it."""

    workspace_id: int
    key: str
    platform_id: str = ""


class Outbox(Protocol):
    def add(
        self,
        workspace_id: int,
        outbound: Outbound,
        source: str | None,
        now: datetime,
        not_before: datetime | None = None,
        person_id: int | None = None,
    ) -> bool:
        """Queue a message (not to be sent before ``not_before``); false, and nothing
        changed, if a message with its key is already queued. ``person_id`` is the
        direct recipient's, when the caller knows it (it saves a lookup)."""
        ...

    def pending_for(self, workspace_id: int, user: str, now: datetime) -> Sequence[Outbound]:
        """Unsent messages for this person (directly or in a group): replies to
        their events, and scheduled messages due by ``now``."""
        ...

    def claim(self, now: datetime, worker: str, lease: timedelta, limit: int) -> Sequence[Claimed]:
        """Due messages no other sender holds, now held by ``worker`` for ``lease``."""
        ...

    def retry(self, workspace_id: int, key: str, at: datetime, error: str) -> None: ...

    def fail(self, workspace_id: int, key: str, error: str) -> None: ...

    def count_for(
        self, person_id: int, kinds: Sequence[str], start: datetime, end: datetime
    ) -> int:
        """Scheduled (not reply) direct messages of these kinds to this person,
        planned for start..end."""
        ...

    def pending_from(self, workspace_id: int, source: str) -> Sequence[Outbound]:
        """Unsent messages that this inbound event produced."""
        ...

    def next_due(self) -> datetime | None:
        """When the earliest unsent message is due, if any is queued."""
        ...

    def mark_sent(self, sent: Sequence[Sent], now: datetime) -> None:
        """Record that these messages reached their platform (one statement)."""
        ...


class Rounds(Protocol):
    def draft(self, program_id: int) -> Round | None:
        """The program's draft round, if a coordinator is reviewing one."""
        ...

    def latest_published(self, program_id: int) -> Round | None: ...

    def add(
        self,
        workspace_id: int,
        program_id: int,
        seed: int,
        exact: bool,
        now: datetime,
        scheduled_for: date | None = None,
    ) -> Round: ...

    def scheduled(self, program_id: int, day: date) -> Round | None:
        """The round the schedule ran for ``day``, if it did."""
        ...

    def set_status(self, round_id: int, status: RoundStatus, now: datetime) -> None: ...

    def mark_edited(self, round_id: int) -> None:
        """A coordinator changed the draft: it is no longer the solver's round."""
        ...

    def waiting(self, round_id: int) -> Sequence[Waiting]: ...

    def add_waiting(self, round_: Round, person_id: int, reason: str) -> None: ...

    def remove_waiting(self, round_id: int, person_id: int) -> None: ...


NewMember = tuple[int, str]  # person id, role


class Matches(Protocol):
    def add(
        self,
        round_: Round,
        kind: str,
        score: float,
        reasons: Sequence[Mapping[str, Any]],
        members: Sequence[NewMember],
        now: datetime,
        topic: str | None = None,
    ) -> int:
        """A proposed match in a draft round; its id."""
        ...

    def get(self, match_id: int) -> Match | None: ...

    def of_round(self, round_id: int) -> Sequence[Match]: ...

    def revise(
        self,
        match_id: int,
        score: float,
        reasons: Sequence[Mapping[str, Any]],
        members: Sequence[NewMember],
    ) -> None:
        """Replace a proposed match's members, score and reasons (a coordinator's swap)."""
        ...

    def delete(self, match_id: int) -> None: ...

    def set_status(
        self, match_id: int, status: MatchStatus, now: datetime, reason: str | None = None
    ) -> None: ...

    def of_person(self, person_id: int, statuses: Sequence[MatchStatus]) -> Sequence[Match]: ...

    def active(self, program_id: int) -> Sequence[Match]: ...

    def introduced(self, match_id: int, organiser_id: int, now: datetime) -> None: ...

    def agreed(self, match_id: int, person_id: int, now: datetime) -> bool:
        """Record that a member accepted the agreement; false if they had already."""
        ...

    def pairs_since(self, program_id: int, since: datetime) -> Sequence[tuple[str, str]]:
        """Handles of every two people matched (active or ended) in the program since then."""
        ...

    def forget_person(self, person_id: int, now: datetime) -> Sequence[int]:
        """Before erasing a person: end their live matches and scrub every match's
        reasons that name them. The ids of the matches that ended."""
        ...


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
    def start(self, match: Match, person_id: int, now: datetime) -> bool:
        """Record that the wrap-up was sent; false if it was already."""
        ...

    def get(self, match_id: int, person_id: int) -> Wrapup | None: ...

    def save(self, wrapup: Wrapup) -> None: ...

    def of_program(self, program_id: int) -> Sequence[Wrapup]: ...


class QuietPeriods(Protocol):
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


class PartnerRequests(Protocol):
    def put(
        self, workspace_id: int, program_id: int, person_id: int, handle: str, now: datetime
    ) -> None: ...

    def clear(self, program_id: int, person_id: int) -> None: ...

    def of_program(self, program_id: int) -> Mapping[int, str]:
        """Requested handle by requesting person id."""
        ...


class Polls(Protocol):
    def add(
        self,
        workspace_id: int,
        program_id: int,
        question: str,
        options: Sequence[str],
        now: datetime,
    ) -> Poll: ...

    def get(self, poll_id: int) -> Poll | None: ...

    def answer(self, poll: Poll, person_id: int, option: int, now: datetime) -> int:
        """Record (or change) this person's answer: one per person. The poll's new
        version (it goes up with every answer)."""
        ...

    def counts(self, poll_id: int) -> list[int]:
        """Answers per option, in the poll's option order."""
        ...


class UnitOfWork(Protocol):
    """One transaction over every repository."""

    @property
    def workspaces(self) -> Workspaces: ...

    @property
    def people(self) -> People: ...

    @property
    def programs(self) -> Programs: ...

    @property
    def enrolments(self) -> Enrolments: ...

    @property
    def answers(self) -> Answers: ...

    @property
    def conversations(self) -> Conversations: ...

    @property
    def inbox(self) -> Inbox: ...

    @property
    def outbox(self) -> Outbox: ...

    @property
    def rounds(self) -> Rounds: ...

    @property
    def matches(self) -> Matches: ...

    @property
    def requests(self) -> PartnerRequests: ...

    @property
    def checkins(self) -> Checkins: ...

    @property
    def goals(self) -> Goals: ...

    @property
    def wrapups(self) -> Wrapups: ...

    @property
    def quiet(self) -> QuietPeriods: ...

    @property
    def polls(self) -> Polls: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Roll back whatever was not committed."""
        ...

    def commit(self) -> None: ...


class Conflict(Exception):
    """A concurrent transaction got there first (e.g. the same event, twice)."""


UnitOfWorkFactory = Callable[[], UnitOfWork]
