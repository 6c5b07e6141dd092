"""Workspaces, people, programs, enrolments and intake answers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    ForeignKey,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from store.tables.base import Base, workspace_column
from store.types import Json


class WorkspaceRow(Base):
    __tablename__ = "workspaces"
    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime]


class PersonRow(Base):
    __tablename__ = "people"
    __table_args__ = (UniqueConstraint("workspace_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_column()
    user_id: Mapped[str] = mapped_column(String(100))
    display_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]


class ProgramRow(Base):
    __tablename__ = "programs"
    __table_args__ = (UniqueConstraint("workspace_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_column()
    slug: Mapped[str] = mapped_column(String(40))
    definition: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class EnrolmentRow(Base):
    __tablename__ = "enrolments"
    __table_args__ = (UniqueConstraint("program_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_column()
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10))
    joined_at: Mapped[datetime]
    intake_completed_at: Mapped[datetime | None]
    paused_until: Mapped[datetime | None]
    left_at: Mapped[datetime | None]


class AnswerRow(Base):
    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("enrolment_id", "question_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_column()
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"))
    question_key: Mapped[str] = mapped_column(String(40))
    # JSON null for a question the person chose to skip.
    value: Mapped[Any] = mapped_column(Json, nullable=True)
    answered_at: Mapped[datetime]
