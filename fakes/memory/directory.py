"""In-memory workspaces, people, programs, enrolments, answers and conversations
(store/directory.py, store/enrolment.py and the conversations of store/messaging.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.adjustment import changes_between
from bot.model import (
    Conversation,
    ConversationKey,
    Enrolment,
    Person,
    Program,
    Status,
    Workspace,
)
from bot.program.loading import parse_program, program_to_data
from bot.program.spec import ProgramSpec
from bot.survey.question import AnswerValue
from fakes.memory.tables import Row, Transaction, as_json


class MemoryWorkspaces:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    def ensure(self, platform: str, external_id: str, now: datetime) -> Workspace:
        row = self._tx.first("workspaces", platform=platform, external_id=external_id)
        if row is None:
            row = self._tx.insert(
                "workspaces", platform=platform, external_id=external_id, created_at=now
            )
        return Workspace(row["id"], platform, external_id)

    def get(self, workspace_id: int) -> Workspace:
        row = self._tx.get("workspaces", workspace_id)
        if row is None:
            raise LookupError(f"no workspace {workspace_id}")
        return Workspace(row["id"], row["platform"], row["external_id"])


def _person(row: Row) -> Person:
    return Person(row["id"], row["workspace_id"], row["user_id"], row["display_name"])


class MemoryPeople:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    def ensure(self, workspace_id: int, user_id: str, name: str, now: datetime) -> Person:
        row = self._tx.first("people", workspace_id=workspace_id, user_id=user_id)
        if row is None:
            row = self._tx.insert(
                "people",
                workspace_id=workspace_id,
                user_id=user_id,
                display_name=name or user_id,
                created_at=now,
            )
        elif name and row["display_name"] != name:
            row = self._tx.update("people", row["id"], display_name=name)
        return _person(row)

    def find(self, workspace_id: int, user_id: str) -> Person | None:
        row = self._tx.first("people", workspace_id=workspace_id, user_id=user_id)
        return _person(row) if row else None

    def get(self, person_id: int) -> Person:
        return _person(self._tx.one("people", person_id))

    def erase(self, person_id: int) -> None:
        # As in SQL: the person's rows go by cascade; their address by platform id.
        person = self.get(person_id)
        address = self._tx.first("addresses", workspace_id=person.workspace_id, key=person.user_id)
        if address is not None:
            self._tx.delete("addresses", address["id"])
        self._tx.delete("people", person_id)


def _program(row: Row) -> Program:
    return Program(row["id"], row["workspace_id"], row["spec"], row["created_at"])


class MemoryPrograms:
    """Programs keep the spec as a stored definition reads back (through its data)."""

    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    def all(self, workspace_id: int) -> Sequence[Program]:
        return [_program(r) for r in self._tx.rows("programs", workspace_id=workspace_id)]

    def get(self, workspace_id: int, slug: str) -> Program | None:
        row = self._tx.first("programs", workspace_id=workspace_id, slug=slug)
        return _program(row) if row else None

    def by_id(self, program_id: int) -> Program:
        return _program(self._tx.one("programs", program_id))

    def put(self, workspace_id: int, spec: ProgramSpec, now: datetime) -> Program:
        stored = parse_program(as_json(program_to_data(spec)), f"program {spec.slug} (stored)")
        row = self._tx.first("programs", workspace_id=workspace_id, slug=spec.slug)
        if row is None:
            row = self._tx.insert(
                "programs",
                workspace_id=workspace_id,
                slug=spec.slug,
                spec=stored,
                created_at=now,
                updated_at=now,
            )
        else:
            for what, old, new in changes_between(row["spec"], spec):
                self._tx.insert(
                    "program_changes",
                    workspace_id=workspace_id,
                    program_id=row["id"],
                    changed_at=now,
                    what=what,
                    before=old,
                    after=new,
                )
            row = self._tx.update("programs", row["id"], spec=stored, updated_at=now)
        return Program(row["id"], workspace_id, spec, row["created_at"])

    def every(self) -> Sequence[Program]:
        return [_program(r) for r in self._tx.rows("programs")]

    def lock(self, program_id: int) -> None:
        """Nothing to do: a transaction here holds the whole store already."""


def _enrolment(row: Row) -> Enrolment:
    return Enrolment(
        row["id"],
        row["workspace_id"],
        row["program_id"],
        row["person_id"],
        Status(row["status"]),
        row["joined_at"],
        row["intake_completed_at"],
        row["paused_until"],
        row["left_at"],
    )


class MemoryEnrolments:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx
        # As the SQL one: an enrolment read once is the same for the transaction.
        self._known: dict[tuple[int, int], Enrolment | None] = {}

    def get(self, program_id: int, person_id: int) -> Enrolment | None:
        key = (program_id, person_id)
        if key not in self._known:
            row = self._tx.first("enrolments", program_id=program_id, person_id=person_id)
            self._known[key] = _enrolment(row) if row else None
        return self._known[key]

    def of_person(self, person_id: int) -> Sequence[Enrolment]:
        return [_enrolment(r) for r in self._tx.rows("enrolments", person_id=person_id)]

    def in_program(self, program_id: int, statuses: Sequence[Status] = ()) -> Sequence[Enrolment]:
        found = [_enrolment(r) for r in self._tx.rows("enrolments", program_id=program_id)]
        return [e for e in found if not statuses or e.status in statuses]

    def add(self, workspace_id: int, program_id: int, person_id: int, now: datetime) -> Enrolment:
        row = self._tx.insert(
            "enrolments",
            workspace_id=workspace_id,
            program_id=program_id,
            person_id=person_id,
            status=Status.INTAKE.value,
            joined_at=now,
            intake_completed_at=None,
            paused_until=None,
            left_at=None,
        )
        self._known[(program_id, person_id)] = enrolment = _enrolment(row)
        return enrolment

    def save(self, enrolment: Enrolment) -> None:
        self._known[(enrolment.program_id, enrolment.person_id)] = enrolment
        if self._tx.get("enrolments", enrolment.id) is None:
            return  # an UPDATE of no row changes nothing
        self._tx.update(
            "enrolments",
            enrolment.id,
            status=enrolment.status.value,
            intake_completed_at=enrolment.intake_completed_at,
            paused_until=enrolment.paused_until,
            left_at=enrolment.left_at,
        )


class MemoryAnswers:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    def of(self, enrolment_id: int) -> dict[str, AnswerValue | None]:
        rows = self._tx.rows("answers", enrolment_id=enrolment_id)
        return {r["question_key"]: as_json(r["value"]) for r in rows}

    def in_program(
        self, program_id: int, keys: Sequence[str]
    ) -> dict[int, dict[str, AnswerValue | None]]:
        enrolments = {r["id"] for r in self._tx.rows("enrolments", program_id=program_id)}
        wanted = set(keys)
        found: dict[int, dict[str, AnswerValue | None]] = {}
        for row in self._tx.table("answers").values():
            if row["enrolment_id"] in enrolments and row["question_key"] in wanted:
                found.setdefault(row["enrolment_id"], {})[row["question_key"]] = as_json(
                    row["value"]
                )
        return found

    def put(self, enrolment: Enrolment, key: str, value: AnswerValue | None, now: datetime) -> None:
        values: dict[str, Any] = {"value": as_json(value), "answered_at": now}
        row = self._tx.first("answers", enrolment_id=enrolment.id, question_key=key)
        if row is not None:
            self._tx.update("answers", row["id"], **values)
            return
        self._tx.insert(
            "answers",
            workspace_id=enrolment.workspace_id,
            enrolment_id=enrolment.id,
            question_key=key,
            **values,
        )


class MemoryConversations:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx
        self._known: dict[ConversationKey, Conversation | None] = {}  # as the SQL one

    def load(self, key: ConversationKey) -> Conversation | None:
        if key not in self._known:
            row = self._tx.first(
                "conversations", workspace_id=key.workspace_id, person_id=key.person_id
            )
            self._known[key] = Conversation(row["flow"], as_json(row["data"])) if row else None
        return self._known[key]

    def save(self, key: ConversationKey, conversation: Conversation, now: datetime) -> None:
        self._known[key] = conversation
        values = {"flow": conversation.flow, "data": as_json(dict(conversation.data))}
        row = self._tx.first(
            "conversations", workspace_id=key.workspace_id, person_id=key.person_id
        )
        if row is not None:
            self._tx.update("conversations", row["id"], updated_at=now, **values)
            return
        self._tx.insert(
            "conversations",
            workspace_id=key.workspace_id,
            person_id=key.person_id,
            updated_at=now,
            **values,
        )

    def clear(self, key: ConversationKey) -> None:
        self._known[key] = None
        self._tx.delete_where(
            "conversations",
            lambda r: r["workspace_id"] == key.workspace_id and r["person_id"] == key.person_id,
        )
