"""Conversations, the inbound dedupe and queue, the outbox, installations and addresses."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from store.tables.base import Base, workspace_column


class ConversationRow(Base):
    """Where a person is in a multi-step exchange (the key: workspace + person)."""

    __tablename__ = "conversations"
    __table_args__ = (UniqueConstraint("workspace_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_column()
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
    workspace_id: Mapped[int] = workspace_column()
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
    workspace_id: Mapped[int] = workspace_column()
    event_id: Mapped[str] = mapped_column(String(200))
    user_id: Mapped[str] = mapped_column(String(100))  # one person's events in order
    payload: Mapped[dict[str, Any]]
    received_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[datetime | None]


class ConsoleInboxRow(Base):
    """The console adapter's own "platform": what each person's terminal has to show.

    Delivering a message to the console copies it into the inbox of every person it
    is for (all members, for a group message), as a chat platform would.
    """

    __tablename__ = "console_inbox"
    __table_args__ = (UniqueConstraint("workspace_id", "person_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_column()
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(200))
    payload: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]
    shown_at: Mapped[datetime | None]


class InstallationRow(Base):
    """A chat platform's install of Tandem in one workspace.

    ``token`` is what lets Tandem act there (a Slack bot token); ``details`` holds
    what else the platform said about the install. Uninstalling deletes the row.
    """

    __tablename__ = "installations"
    __table_args__ = (UniqueConstraint("workspace_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = workspace_column()
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
    workspace_id: Mapped[int] = workspace_column()
    key: Mapped[str] = mapped_column(String(200))  # a person's platform id, or a channel's
    data: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime]
