"""Rounds, matches and their members, the waitlist and partner requests."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Date,
    Float,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from store.tables.base import Base, workspace_column
from store.types import Json


class RoundRow(Base):
    """A matching round of a program: a draft a coordinator reviews, then published."""

    __tablename__ = "rounds"
    __table_args__ = (
        Index("ix_rounds_program_status", "program_id", "status"),
        # One scheduled round per date: two instances cannot both run it.
        UniqueConstraint("program_id", "scheduled_for"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_column()
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(10))
    seed: Mapped[int]
    exact: Mapped[bool]
    edited: Mapped[bool] = mapped_column(default=False)  # changed by a coordinator
    scheduled_for: Mapped[date | None] = mapped_column(Date)  # rounds the schedule ran
    created_at: Mapped[datetime]
    published_at: Mapped[datetime | None]


class MatchRow(Base):
    __tablename__ = "matches"
    __table_args__ = (Index("ix_matches_program_status", "program_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_column()
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(10))
    topic: Mapped[str | None] = mapped_column(String(80))
    score: Mapped[float] = mapped_column(Float)
    # Structured reasons (codes, handles, skill labels); rendered for each reader.
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(Json)
    created_at: Mapped[datetime]
    started_at: Mapped[datetime | None]
    introduced_at: Mapped[datetime | None]
    organiser_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    ended_at: Mapped[datetime | None]
    end_reason: Mapped[str | None] = mapped_column(String(30))


class MatchMemberRow(Base):
    __tablename__ = "match_members"
    __table_args__ = (UniqueConstraint("match_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_column()
    match_id: Mapped[int] = mapped_column(ForeignKey("matches.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(12))
    position: Mapped[int]
    agreed_at: Mapped[datetime | None]  # accepted the mentoring agreement


class WaitlistRow(Base):
    """Someone a round left without a match, and why (a reason code)."""

    __tablename__ = "waitlist"
    __table_args__ = (UniqueConstraint("round_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_column()
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(30))


class PartnerRequestRow(Base):
    """Someone asking to be paired with a particular colleague in the next round."""

    __tablename__ = "partner_requests"
    __table_args__ = (UniqueConstraint("program_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_column()
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    requested: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime]
