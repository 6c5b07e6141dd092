"""Ports: what the engine needs from storage, as Protocols the store implements.

One :class:`UnitOfWork` spans one inbound event (or one scheduler step): the engine
reads and writes through its repositories and commits once, so an event's state
changes and the messages it produces land together or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from types import TracebackType
from typing import Any, Protocol, Self

from bot.messages import Outbound
from bot.model import (
    Conversation,
    ConversationKey,
    Enrolment,
    Match,
    MatchStatus,
    Person,
    Program,
    Round,
    RoundStatus,
    Status,
    Waiting,
    Workspace,
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


class Outbox(Protocol):
    def add(self, workspace_id: int, outbound: Outbound, source: str, now: datetime) -> None:
        """Queue a message; a message whose key is already queued is left as it is."""
        ...

    def pending_for(self, workspace_id: int, user: str) -> Sequence[Outbound]:
        """Unsent messages addressed to this person (directly or in a group)."""
        ...

    def pending_from(self, workspace_id: int, source: str) -> Sequence[Outbound]:
        """Unsent messages that this inbound event produced."""
        ...

    def mark_sent(self, workspace_id: int, key: str, now: datetime, platform_id: str) -> None: ...


class Rounds(Protocol):
    def draft(self, program_id: int) -> Round | None:
        """The program's draft round, if a coordinator is reviewing one."""
        ...

    def latest_published(self, program_id: int) -> Round | None: ...

    def add(
        self, workspace_id: int, program_id: int, seed: int, exact: bool, now: datetime
    ) -> Round: ...

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

    def pairs_since(self, program_id: int, since: datetime) -> Sequence[tuple[str, str]]:
        """Handles of every two people matched (active or ended) in the program since then."""
        ...

    def forget_person(self, person_id: int, now: datetime) -> Sequence[int]:
        """Before erasing a person: end their live matches and scrub every match's
        reasons that name them. The ids of the matches that ended."""
        ...


class PartnerRequests(Protocol):
    def put(
        self, workspace_id: int, program_id: int, person_id: int, handle: str, now: datetime
    ) -> None: ...

    def clear(self, program_id: int, person_id: int) -> None: ...

    def of_program(self, program_id: int) -> Mapping[int, str]:
        """Requested handle by requesting person id."""
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
