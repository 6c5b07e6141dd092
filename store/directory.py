"""Repositories for workspaces, people and programs."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.model import Person, Program, Workspace
from bot.program import ProgramSpec, parse_program, program_to_data
from store.models import PersonRow, ProgramRow, WorkspaceRow


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


def _person(row: PersonRow) -> Person:
    return Person(row.id, row.workspace_id, row.external_id, row.display_name)


class SqlPeople:
    def __init__(self, session: Session) -> None:
        self._s = session

    def ensure(self, workspace_id: int, external_id: str, name: str, now: datetime) -> Person:
        # The row lock serialises a person's events across instances (PostgreSQL);
        # SQLite's BEGIN IMMEDIATE serialises everything already.
        query = (
            select(PersonRow)
            .filter_by(workspace_id=workspace_id, external_id=external_id)
            .with_for_update()
        )
        row = self._s.scalars(query).one_or_none()
        if row is None:
            row = PersonRow(
                workspace_id=workspace_id,
                external_id=external_id,
                display_name=name or external_id,
                created_at=now,
            )
            self._s.add(row)
            self._s.flush()
        elif name and row.display_name != name:
            row.display_name = name
        return _person(row)

    def find(self, workspace_id: int, external_id: str) -> Person | None:
        query = select(PersonRow).filter_by(workspace_id=workspace_id, external_id=external_id)
        row = self._s.scalars(query).one_or_none()
        return _person(row) if row else None

    def get(self, person_id: int) -> Person:
        return _person(self._s.get_one(PersonRow, person_id))

    def erase(self, person_id: int) -> None:
        # Every table about a person references people.id with ON DELETE CASCADE
        # (or SET NULL where the row is not about them); tests scan every table.
        self._s.execute(delete(PersonRow).where(PersonRow.id == person_id))
        self._s.expire_all()


def _program(row: ProgramRow) -> Program:
    spec = parse_program(row.definition, f"program {row.slug} (stored)")
    return Program(row.id, row.workspace_id, spec)


class SqlPrograms:
    def __init__(self, session: Session) -> None:
        self._s = session

    def all(self, workspace_id: int) -> Sequence[Program]:
        query = select(ProgramRow).filter_by(workspace_id=workspace_id).order_by(ProgramRow.id)
        return [_program(row) for row in self._s.scalars(query)]

    def get(self, workspace_id: int, slug: str) -> Program | None:
        query = select(ProgramRow).filter_by(workspace_id=workspace_id, slug=slug)
        row = self._s.scalars(query).one_or_none()
        return _program(row) if row else None

    def by_id(self, program_id: int) -> Program:
        return _program(self._s.get_one(ProgramRow, program_id))

    def put(self, workspace_id: int, spec: ProgramSpec, now: datetime) -> Program:
        query = select(ProgramRow).filter_by(workspace_id=workspace_id, slug=spec.slug)
        row = self._s.scalars(query).one_or_none()
        if row is None:
            row = ProgramRow(workspace_id=workspace_id, slug=spec.slug, created_at=now)
            self._s.add(row)
        row.definition = program_to_data(spec)
        row.updated_at = now
        self._s.flush()
        return Program(row.id, workspace_id, spec)
