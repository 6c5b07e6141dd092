"""The schema: SQLAlchemy 2 typed models. Change it only with an Alembic revision.

Every table carries ``workspace_id``: rows never mix tenants, and a workspace's
data can be found (and removed) by that one column.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    Date,
    Float,
    ForeignKey,
    Index,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from store.types import Json, UTCDateTime

# Named constraints, so migrations can refer to them on every database.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: Json,
    }


def _workspace() -> Mapped[int]:
    return mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)


class WorkspaceRow(Base):
    __tablename__ = "workspaces"
    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime]


class PersonRow(Base):
    __tablename__ = "people"
    __table_args__ = (UniqueConstraint("workspace_id", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = _workspace()
    external_id: Mapped[str] = mapped_column(String(100))
    display_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]


class ProgramRow(Base):
    __tablename__ = "programs"
    __table_args__ = (UniqueConstraint("workspace_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = _workspace()
    slug: Mapped[str] = mapped_column(String(40))
    definition: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class EnrolmentRow(Base):
    __tablename__ = "enrolments"
    __table_args__ = (UniqueConstraint("program_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = _workspace()
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
    workspace_id: Mapped[int] = _workspace()
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolments.id", ondelete="CASCADE"))
    question_key: Mapped[str] = mapped_column(String(40))
    # JSON null for a question the person chose to skip.
    value: Mapped[Any] = mapped_column(Json, nullable=True)
    answered_at: Mapped[datetime]


class ConversationRow(Base):
    """Where a person is in a multi-step exchange (the key: workspace + person)."""

    __tablename__ = "conversations"
    __table_args__ = (UniqueConstraint("workspace_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = _workspace()
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    flow: Mapped[str] = mapped_column(String(20))
    data: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime]


class InboundEventRow(Base):
    """Platform event ids already handled: a retry of one of them changes nothing."""

    __tablename__ = "inbound_events"

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    event_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    received_at: Mapped[datetime] = mapped_column(index=True)


class OutboxRow(Base):
    """A message to deliver exactly once, under its idempotency key."""

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("workspace_id", "key"),
        Index("ix_outbox_pending", "status", "not_before"),
        # A conversation's messages go out in order, one sender at a time.
        Index("ix_outbox_conversation", "workspace_id", "conversation", "status"),
        # A message found again by the platform's id for it (a button pressed on it).
        Index("ix_outbox_platform_id", "workspace_id", "platform_id"),
        # What a match that ends takes back.
        Index("ix_outbox_match", "match_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = _workspace()
    key: Mapped[str] = mapped_column(String(200))
    # The inbound event that produced it (None for scheduled messages).
    source: Mapped[str | None] = mapped_column(String(200), index=True)
    # Set for direct messages, so erasing a person erases what was meant for them.
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    # The program a scheduled message belongs to: its coordinators hear of a failure.
    program_id: Mapped[int | None] = mapped_column(
        ForeignKey("programs.id", ondelete="SET NULL"), index=True
    )
    # The match it is about, if any (bot.outbound.Message.match).
    match_id: Mapped[int | None] = mapped_column(ForeignKey("matches.id", ondelete="SET NULL"))
    recipient: Mapped[dict[str, Any]]
    # The conversation it goes to (bot.outbound.conversation_of), for ordering and pacing.
    conversation: Mapped[str] = mapped_column(String(300), default="")
    kind: Mapped[str] = mapped_column(String(30))
    payload: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(10), default="pending")
    created_at: Mapped[datetime]
    # When it is meant to go out (scheduled messages: the planned moment, which
    # the weekly budget counts); retry_at holds it back after a refusal.
    not_before: Mapped[datetime | None]
    retry_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)  # calls made to the platform
    failures: Mapped[int] = mapped_column(default=0)  # of those, errors (not rate limits)
    first_failed_at: Mapped[datetime | None]
    # An earlier call may have reached the platform unrecorded (a sender died
    # holding it, or the platform answered an error after taking it).
    uncertain: Mapped[bool] = mapped_column(default=False)
    keep: Mapped[bool] = mapped_column(default=True)  # false: deleted once sent
    # A sender that claims a row holds it until claimed_until; if it dies before
    # recording the send, the row can be claimed again after that.
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    platform_id: Mapped[str | None] = mapped_column(String(200))
    last_error: Mapped[str | None] = mapped_column(String(200))
    reported_at: Mapped[datetime | None]  # a failure, told to the coordinators


class QueuedEventRow(Base):
    """An inbound event taken in and acknowledged, waiting for the engine.

    The request path stores the event and acknowledges; a worker hands it to the
    engine. A crash in between leaves the row here, to be taken after its lease.
    """

    __tablename__ = "inbound_queue"
    __table_args__ = (
        UniqueConstraint("workspace_id", "event_id"),
        Index("ix_inbound_queue_status", "status", "id"),
        # Whose events a worker holds: one person's events are handled in order.
        Index("ix_inbound_queue_person", "workspace_id", "user_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = _workspace()
    event_id: Mapped[str] = mapped_column(String(200))
    user_id: Mapped[str] = mapped_column(String(100))  # one person's events in order
    payload: Mapped[dict[str, Any]]
    received_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[datetime | None]


class RoundRow(Base):
    """A matching round of a program: a draft a coordinator reviews, then published."""

    __tablename__ = "rounds"
    __table_args__ = (
        Index("ix_rounds_program_status", "program_id", "status"),
        # One scheduled round per date: two instances cannot both run it.
        UniqueConstraint("program_id", "scheduled_for"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = _workspace()
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
    workspace_id: Mapped[int] = _workspace()
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
    workspace_id: Mapped[int] = _workspace()
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
    workspace_id: Mapped[int] = _workspace()
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(30))


class PartnerRequestRow(Base):
    """Someone asking to be paired with a particular colleague in the next round."""

    __tablename__ = "partner_requests"
    __table_args__ = (UniqueConstraint("program_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = _workspace()
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    requested: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime]


class ConsoleInboxRow(Base):
    """The console adapter's own "platform": what each person's terminal has to show.

    Delivering a message to the console copies it into the inbox of every person it
    is for (all members, for a group message), as a chat platform would.
    """

    __tablename__ = "console_inbox"
    __table_args__ = (UniqueConstraint("workspace_id", "person_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = _workspace()
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(200))
    payload: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]
    shown_at: Mapped[datetime | None]


def _match() -> Mapped[int]:
    return mapped_column(ForeignKey("matches.id", ondelete="CASCADE"))


def _person() -> Mapped[int]:
    return mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)


class CheckinRow(Base):
    """ "Did you meet?" for one member of a match, for one cycle of the cadence."""

    __tablename__ = "checkins"
    __table_args__ = (UniqueConstraint("match_id", "person_id", "cycle"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = _workspace()
    match_id: Mapped[int] = _match()
    person_id: Mapped[int] = _person()
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
    workspace_id: Mapped[int] = _workspace()
    match_id: Mapped[int] = _match()
    person_id: Mapped[int] = _person()
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
    workspace_id: Mapped[int] = _workspace()
    match_id: Mapped[int] = _match()
    person_id: Mapped[int] = _person()
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10))  # open, on_track, off_track, done
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class MilestoneRow(Base):
    """A 30/60/90-day check-in on goals, for one member."""

    __tablename__ = "milestones"
    __table_args__ = (UniqueConstraint("match_id", "person_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = _workspace()
    match_id: Mapped[int] = _match()
    person_id: Mapped[int] = _person()
    day: Mapped[int]
    created_at: Mapped[datetime]
    answered_at: Mapped[datetime | None]


class WrapupRow(Base):
    """The end-of-match survey, for one member."""

    __tablename__ = "wrapups"
    __table_args__ = (UniqueConstraint("match_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = _workspace()
    match_id: Mapped[int] = _match()
    person_id: Mapped[int] = _person()
    created_at: Mapped[datetime]
    recommend: Mapped[int | None]
    changed: Mapped[str | None] = mapped_column(Text)
    again: Mapped[bool | None]
    answered_at: Mapped[datetime | None]
    # The writer let the coordinators read ``changed`` (without their name).
    shared: Mapped[bool] = mapped_column(default=False, server_default=false())


class RecognitionRow(Base):
    """A kudos or a coordinator's spotlight. Every person in it is referenced with ON
    DELETE CASCADE: a kudos someone gave or got, a story about them, is about them."""

    __tablename__ = "recognitions"
    __table_args__ = (Index("ix_recognitions_program_author", "program_id", "author_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = _workspace()
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))  # kudos, spotlight
    author_id: Mapped[int] = _person()
    first_id: Mapped[int] = _person()
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
    workspace_id: Mapped[int] = _workspace()
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = _person()
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
    workspace_id: Mapped[int] = _workspace()
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    changed_at: Mapped[datetime]
    what: Mapped[str] = mapped_column(String(40))
    before: Mapped[str] = mapped_column(String(200))
    after: Mapped[str] = mapped_column(String(200))


class QuietPeriodRow(Base):
    """Days (in each person's own calendar) when a program sends nothing: holidays."""

    __tablename__ = "quiet_periods"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = _workspace()
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime]


class InstallationRow(Base):
    """A chat platform's install of Tandem in one workspace.

    ``token`` is what lets Tandem act there (a Slack bot token); ``details`` holds
    what else the platform said about the install. Uninstalling deletes the row.
    """

    __tablename__ = "installations"
    __table_args__ = (UniqueConstraint("workspace_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = _workspace()
    token: Mapped[str] = mapped_column(String(400))
    bot_user_id: Mapped[str] = mapped_column(String(100))
    installer: Mapped[str] = mapped_column(String(100))
    installed_at: Mapped[datetime]
    details: Mapped[dict[str, Any]]


class AddressRow(Base):
    """Where a platform reaches a person or a channel (a Teams conversation reference),
    refreshed on every request from them; erased with the person."""

    __tablename__ = "addresses"
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = _workspace()
    key: Mapped[str] = mapped_column(String(200))  # a person's platform id, or a channel's
    data: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime]


class PollRow(Base):
    __tablename__ = "polls"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = _workspace()
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
    workspace_id: Mapped[int] = _workspace()
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    option: Mapped[int]
    answered_at: Mapped[datetime]


class DashboardLinkRow(Base):
    """A sign-in link to the dashboard, sent in chat: only the hash of its token is
    kept. It works once (``used_at``), until ``expires_at``, for one person."""

    __tablename__ = "dashboard_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = _workspace()
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
    workspace_id: Mapped[int] = _workspace()
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    session_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]


class TrainingRow(Base):
    """One person's progress with one lesson of the mentor training (erased with them)."""

    __tablename__ = "training"
    __table_args__ = (UniqueConstraint("person_id", "lesson"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = _workspace()
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    lesson: Mapped[str] = mapped_column(String(40))
    sent_at: Mapped[datetime | None]
    done_at: Mapped[datetime | None]
