"""The directory's ports: workspaces, people, programs, enrolments, their survey
answers and where each person is in a conversation with Tandem."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from bot.model import Conversation, ConversationKey, Enrolment, Person, Program, Status, Workspace
from bot.program.spec import ProgramSpec
from bot.survey.question import AnswerValue


class Workspaces(Protocol):
    """Tenants: one per platform workspace (a Slack team, a Teams tenant, the console)."""

    def ensure(self, platform: str, external_id: str, now: datetime) -> Workspace:
        """The workspace with these platform ids, created on first sight."""
        ...

    def get(self, workspace_id: int) -> Workspace: ...


class People(Protocol):
    """Everyone Tandem has talked to, by their platform id within a workspace."""

    def ensure(self, workspace_id: int, user_id: str, name: str, now: datetime) -> Person:
        """The person with this platform id, created on first sight; refreshes the name."""
        ...

    def find(self, workspace_id: int, user_id: str) -> Person | None: ...

    def get(self, person_id: int) -> Person: ...

    def erase(self, person_id: int) -> None:
        """Delete the person and every row that is about them."""
        ...


class Programs(Protocol):
    """The programs of a workspace, each a validated definition under its slug."""

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
    """Who takes part in which program, and how (intake, active, paused, left)."""

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
    """The intake survey's answers of each enrolment, one per question."""

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
    """Where each person is in a multi-step exchange with Tandem."""

    def load(self, key: ConversationKey) -> Conversation | None:
        """The stored state, locked against concurrent changes until commit."""
        ...

    def save(self, key: ConversationKey, conversation: Conversation, now: datetime) -> None: ...

    def clear(self, key: ConversationKey) -> None: ...
