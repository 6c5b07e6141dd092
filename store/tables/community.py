"""A program's community: recognitions, program surveys and changes, polls, dashboard sign-ins."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from store.tables.base import Base, person_column, workspace_column


class RecognitionRow(Base):
    """A kudos or a coordinator's spotlight. Every person in it is referenced with ON
    DELETE CASCADE: a kudos someone gave or got, a story about them, is about them."""

    __tablename__ = "recognitions"
    __table_args__ = (Index("ix_recognitions_program_author", "program_id", "author_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_column()
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))  # kudos, spotlight
    author_id: Mapped[int] = person_column()
    first_id: Mapped[int] = person_column()
    second_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    words: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    author_ok: Mapped[bool | None]
    first_ok: Mapped[bool | None]
    second_ok: Mapped[bool | None]
    posted_at: Mapped[datetime | None]


class ProgramSurveyRow(Base):
    """One participant's program survey at one stage (30 days, mid-program, end)."""

    __tablename__ = "program_surveys"
    __table_args__ = (UniqueConstraint("program_id", "person_id", "stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_column()
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = person_column()
    stage: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime]
    growth: Mapped[int | None]
    supported: Mapped[int | None]
    recommend: Mapped[int | None]
    comment: Mapped[str | None] = mapped_column(Text)
    shared: Mapped[bool] = mapped_column(default=False, server_default=false())
    answered_at: Mapped[datetime | None]


class ProgramChangeRow(Base):
    """A coordinator changed how a program runs: what, from, to, when."""

    __tablename__ = "program_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_column()
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    changed_at: Mapped[datetime]
    what: Mapped[str] = mapped_column(String(40))
    before: Mapped[str] = mapped_column(String(200))
    after: Mapped[str] = mapped_column(String(200))


class PollRow(Base):
    __tablename__ = "polls"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_column()
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    question: Mapped[str] = mapped_column(String(300))
    options: Mapped[dict[str, Any]]  # {"options": [...]}
    created_at: Mapped[datetime]
    # Goes up with every answer (a changed one too): the tally's version, so a
    # platform never shows an older tally over a newer one.
    version: Mapped[int] = mapped_column(default=0)


class PollAnswerRow(Base):
    """One person's answer to a poll. Shown to nobody: only counts leave the store."""

    __tablename__ = "poll_answers"
    __table_args__ = (UniqueConstraint("poll_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_column()
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    option: Mapped[int]
    answered_at: Mapped[datetime]


class DashboardLinkRow(Base):
    """A sign-in link to the dashboard, sent in chat: only the hash of its token is
    kept. It works once (``used_at``), until ``expires_at``, for one person."""

    __tablename__ = "dashboard_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_column()
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class DashboardSessionRow(Base):
    """A signed-in browser: only the hash of its cookie is kept. Signing out ends it
    (``ended_at``); erasing the person deletes it."""

    __tablename__ = "dashboard_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_column()
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    session_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
