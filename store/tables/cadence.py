"""A match's life: check-ins, feedback, goals and milestones, wrap-ups, quiet periods, training."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from store.tables.base import Base, match_column, person_column, workspace_column


class CheckinRow(Base):
    """ "Did you meet?" for one member of a match, for one cycle of the cadence."""

    __tablename__ = "checkins"
    __table_args__ = (UniqueConstraint("match_id", "person_id", "cycle"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_column()
    match_id: Mapped[int] = match_column()
    person_id: Mapped[int] = person_column()
    cycle: Mapped[int]
    due_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime]
    answer: Mapped[str | None] = mapped_column(String(12))  # yes, not_yet, skip, stop, met
    answered_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]


class FeedbackRow(Base):
    """One member's private feedback on a cycle's meeting. Never shown to the partner."""

    __tablename__ = "feedback"
    __table_args__ = (UniqueConstraint("match_id", "person_id", "cycle"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_column()
    match_id: Mapped[int] = match_column()
    person_id: Mapped[int] = person_column()
    cycle: Mapped[int]
    created_at: Mapped[datetime]
    rating: Mapped[int | None]
    helped: Mapped[str | None] = mapped_column(Text)
    next_focus: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    completed_at: Mapped[datetime | None]


class GoalRow(Base):
    __tablename__ = "goals"
    __table_args__ = (Index("ix_goals_match_person", "match_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_column()
    match_id: Mapped[int] = match_column()
    person_id: Mapped[int] = person_column()
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10))  # open, on_track, off_track, done
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class MilestoneRow(Base):
    """A 30/60/90-day check-in on goals, for one member."""

    __tablename__ = "milestones"
    __table_args__ = (UniqueConstraint("match_id", "person_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_column()
    match_id: Mapped[int] = match_column()
    person_id: Mapped[int] = person_column()
    day: Mapped[int]
    created_at: Mapped[datetime]
    answered_at: Mapped[datetime | None]


class WrapupRow(Base):
    """The end-of-match survey, for one member."""

    __tablename__ = "wrapups"
    __table_args__ = (UniqueConstraint("match_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_column()
    match_id: Mapped[int] = match_column()
    person_id: Mapped[int] = person_column()
    created_at: Mapped[datetime]
    recommend: Mapped[int | None]
    changed: Mapped[str | None] = mapped_column(Text)
    again: Mapped[bool | None]
    answered_at: Mapped[datetime | None]
    # The writer let the coordinators read ``changed`` (without their name).
    shared: Mapped[bool] = mapped_column(default=False, server_default=false())


class QuietPeriodRow(Base):
    """Days (in each person's own calendar) when a program sends nothing: holidays."""

    __tablename__ = "quiet_periods"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_column()
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime]


class TrainingRow(Base):
    """One person's progress with one lesson of the mentor training (erased with them)."""

    __tablename__ = "training"
    __table_args__ = (UniqueConstraint("person_id", "lesson"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_column()
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    lesson: Mapped[str] = mapped_column(String(40))
    sent_at: Mapped[datetime | None]
    done_at: Mapped[datetime | None]
