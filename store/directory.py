"""Repositories for workspaces, people and programs."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Text, bindparam, cast, delete, insert, select, update
from sqlalchemy.orm import Session

from bot.adjustment import changes_between
from bot.model import Person, Program, Workspace
from bot.program.loading import parse_program, program_to_data
from bot.program.spec import ProgramSpec
from store.sql import table_of
from store.tables import AddressRow, PersonRow, ProgramChangeRow, ProgramRow, WorkspaceRow


class SqlWorkspaces:
    def __init__(self, session: Session) -> None:
        self._s = session

    def ensure(self, platform: str, external_id: str, now: datetime) -> Workspace:
        query = select(WorkspaceRow).filter_by(platform=platform, external_id=external_id)
        row = self._s.scalars(query).one_or_none()
        if row is None:
            row = WorkspaceRow(platform=platform, external_id=external_id, created_at=now)
            self._s.add(row)
            self._s.flush()
        return Workspace(row.id, row.platform, row.external_id)

    def get(self, workspace_id: int) -> Workspace:
        row = self._s.get(WorkspaceRow, workspace_id)
        if row is None:
            raise LookupError(f"no workspace {workspace_id}")
        return Workspace(row.id, row.platform, row.external_id)


_PEOPLE = table_of(PersonRow)
_PERSON = select(_PEOPLE).where(
    _PEOPLE.c.workspace_id == bindparam("workspace_id"),
    _PEOPLE.c.user_id == bindparam("user_id"),
)
# The row lock serialises a person's events across instances (PostgreSQL); SQLite's
# BEGIN IMMEDIATE serialises everything already.
_PERSON_LOCKED = _PERSON.with_for_update()
_PERSON_BY_ID = select(_PEOPLE).where(_PEOPLE.c.id == bindparam("person_id"))
_RENAME = (
    update(_PEOPLE)
    .where(_PEOPLE.c.id == bindparam("person_id"))
    .values(display_name=bindparam("name"))
)


def _person(row: Row[Any]) -> Person:
    return Person(row.id, row.workspace_id, row.user_id, row.display_name)


class SqlPeople:
    """People are read on every event: prebuilt Core statements, writes at once."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def ensure(self, workspace_id: int, user_id: str, name: str, now: datetime) -> Person:
        row = self._s.execute(
            _PERSON_LOCKED, {"workspace_id": workspace_id, "user_id": user_id}
        ).first()
        if row is None:
            shown = name or user_id
            new_id = self._s.execute(
                insert(_PEOPLE).returning(_PEOPLE.c.id),
                {
                    "workspace_id": workspace_id,
                    "user_id": user_id,
                    "display_name": shown,
                    "created_at": now,
                },
            ).scalar_one()
            return Person(new_id, workspace_id, user_id, shown)
        if name and row.display_name != name:
            self._s.execute(_RENAME, {"person_id": row.id, "name": name})
            return Person(row.id, workspace_id, user_id, name)
        return _person(row)

    def find(self, workspace_id: int, user_id: str) -> Person | None:
        row = self._s.execute(_PERSON, {"workspace_id": workspace_id, "user_id": user_id}).first()
        return _person(row) if row else None

    def get(self, person_id: int) -> Person:
        return _person(self._s.execute(_PERSON_BY_ID, {"person_id": person_id}).one())

    def erase(self, person_id: int) -> None:
        # Every table about a person references people.id with ON DELETE CASCADE
        # (or SET NULL where the row is not about them); tests scan every table.
        # Where a platform reaches them is kept by their platform id, stored before
        # Tandem knew them as a person: it goes by that id.
        person = self.get(person_id)
        self._s.execute(
            delete(AddressRow).where(
                AddressRow.workspace_id == person.workspace_id,
                AddressRow.key == person.user_id,
            )
        )
        self._s.execute(delete(PersonRow).where(PersonRow.id == person_id))
        self._s.expire_all()


# Parsed programs by id and content: a stored definition is validated once per
# process, not on every event that looks at it. The key is the stored JSON text
# (read as text, so an unchanged program costs no decoding), not a timestamp, so a
# definition replaced within the same instant is never served stale.
_PARSED: dict[tuple[int, str], Program] = {}
_PROGRAM_ROWS = table_of(ProgramRow)
_PROGRAMS = select(
    _PROGRAM_ROWS.c.id,
    _PROGRAM_ROWS.c.workspace_id,
    _PROGRAM_ROWS.c.slug,
    _PROGRAM_ROWS.c.created_at,
    cast(_PROGRAM_ROWS.c.definition, Text).label("raw"),
).order_by(_PROGRAM_ROWS.c.id)
_PROGRAM_BY_ID = _PROGRAMS.where(_PROGRAM_ROWS.c.id == bindparam("program_id"))
_PROGRAM_BY_SLUG = _PROGRAMS.where(
    _PROGRAM_ROWS.c.workspace_id == bindparam("workspace_id"),
    _PROGRAM_ROWS.c.slug == bindparam("slug"),
)
_PROGRAMS_OF = _PROGRAMS.where(_PROGRAM_ROWS.c.workspace_id == bindparam("workspace_id"))


def _program(row: Row[Any]) -> Program:
    key = (row.id, row.raw)
    found = _PARSED.get(key)
    if found is None:
        spec = parse_program(json.loads(row.raw), f"program {row.slug} (stored)")
        found = Program(row.id, row.workspace_id, spec, row.created_at)
        if len(_PARSED) > 1000:
            _PARSED.clear()
        _PARSED[key] = found
    return found


class SqlPrograms:
    def __init__(self, session: Session) -> None:
        self._s = session
        self._by_slug: dict[tuple[int, str], Program | None] = {}  # this transaction's
        self._by_id: dict[int, Program] = {}  # this transaction's

    def all(self, workspace_id: int) -> Sequence[Program]:
        return [
            _program(row) for row in self._s.execute(_PROGRAMS_OF, {"workspace_id": workspace_id})
        ]

    def get(self, workspace_id: int, slug: str) -> Program | None:
        key = (workspace_id, slug)
        if key not in self._by_slug:
            row = self._s.execute(
                _PROGRAM_BY_SLUG, {"workspace_id": workspace_id, "slug": slug}
            ).first()
            self._by_slug[key] = _program(row) if row else None
        return self._by_slug[key]

    def by_id(self, program_id: int) -> Program:
        if program_id not in self._by_id:
            self._by_id[program_id] = _program(
                self._s.execute(_PROGRAM_BY_ID, {"program_id": program_id}).one()
            )
        return self._by_id[program_id]

    def put(self, workspace_id: int, spec: ProgramSpec, now: datetime) -> Program:
        query = select(ProgramRow).filter_by(workspace_id=workspace_id, slug=spec.slug)
        row = self._s.scalars(query).one_or_none()
        if row is None:
            row = ProgramRow(workspace_id=workspace_id, slug=spec.slug, created_at=now)
            self._s.add(row)
        else:
            self._record_changes(row, spec, now)
        row.definition = program_to_data(spec)
        row.updated_at = now
        self._s.flush()
        self._by_slug.pop((workspace_id, spec.slug), None)
        self._by_id.pop(row.id, None)
        return Program(row.id, workspace_id, spec, row.created_at)

    def _record_changes(self, row: ProgramRow, spec: ProgramSpec, now: datetime) -> None:
        """A new way of running the program (cadence, meeting length...), dated, so the
        report can mark it on its time line."""
        before = parse_program(row.definition, f"program {row.slug} (stored)")
        for what, old, new in changes_between(before, spec):
            self._s.add(
                ProgramChangeRow(
                    workspace_id=row.workspace_id,
                    program_id=row.id,
                    changed_at=now,
                    what=what,
                    before=old,
                    after=new,
                )
            )

    def every(self) -> Sequence[Program]:
        return [_program(row) for row in self._s.execute(_PROGRAMS)]

    def lock(self, program_id: int) -> None:
        self._s.execute(select(ProgramRow.id).filter_by(id=program_id).with_for_update())
