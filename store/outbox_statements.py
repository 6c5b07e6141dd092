"""The outbox's SQL (claiming, finishing, counting rows) as statements built once."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, Integer, String, bindparam, case, delete, func, select, update

from bot import outbound as m
from bot.codec import message_from_data, recipient_from_data
from store.sql import table_of
from store.tables import OutboxRow, WorkspaceRow
from store.types import UTCDateTime


def outbound_of(row: Any) -> m.Outbound:
    """The outbound message a row holds."""
    return m.Outbound(row.key, recipient_from_data(row.recipient), message_from_data(row.payload))


OUTBOX, _WORKSPACES = table_of(OutboxRow), table_of(WorkspaceRow)
_BUSY = OUTBOX.alias("busy")
_FINISH = {"claimed_by": None, "claimed_until": None}
# SQLAlchemy keeps a column's own name for the SET side of an UPDATE, so the parameters
# that pick the row say so.
_KEY = (OUTBOX.c.workspace_id == bindparam("where_workspace_id")) & (
    OUTBOX.c.key == bindparam("where_key")
)
# Whoever records a result must hold the message: a sender whose lease ran out
# (another took the message over) records nothing. Without a worker, only a
# message nobody holds (a reply its adapter delivered, in the simulation).
_HELD = (OUTBOX.c.status == "sending") & (OUTBOX.c.claimed_by == bindparam("worker"))
_FREE = OUTBOX.c.status == "pending"
_FINISH = {"claimed_by": None, "claimed_until": None}
_NOW = bindparam("now", type_=UTCDateTime())


def _mark_sent(holder: Any) -> Any:
    return (
        update(OUTBOX)
        .where(_KEY, holder, OUTBOX.c.keep)
        .values(
            status="sent",
            sent_at=_NOW,
            platform_id=bindparam("platform_id"),
            attempts=OUTBOX.c.attempts + 1,
            **_FINISH,
        )
    )


def _retry(holder: Any) -> Any:
    failed = bindparam("failed", type_=Integer())
    return (
        update(OUTBOX)
        .where(_KEY, holder)
        .values(
            status="pending",
            retry_at=bindparam("at", type_=UTCDateTime()),
            attempts=OUTBOX.c.attempts + bindparam("called", type_=Integer()),
            failures=OUTBOX.c.failures + failed,
            first_failed_at=case(
                (failed > 0, func.coalesce(OUTBOX.c.first_failed_at, _NOW)),
                else_=OUTBOX.c.first_failed_at,
            ),
            uncertain=OUTBOX.c.uncertain | bindparam("ambiguous", type_=Boolean()),
            last_error=func.coalesce(bindparam("error", type_=String()), OUTBOX.c.last_error),
            **_FINISH,
        )
    )


def _fail(holder: Any) -> Any:
    return (
        update(OUTBOX)
        .where(_KEY, holder, OUTBOX.c.keep)
        .values(
            status="failed",
            attempts=OUTBOX.c.attempts + 1,
            last_error=bindparam("error"),
            **_FINISH,
        )
    )


STATEMENTS = {
    "sent": {True: _mark_sent(_HELD), False: _mark_sent(_FREE)},
    "retry": {True: _retry(_HELD), False: _retry(_FREE)},
    "fail": {True: _fail(_HELD), False: _fail(_FREE)},
}
# A message not to keep (a farewell to someone who was just erased) goes once
# sent, and equally once refused for good: nothing of it stays.
DROP = {
    True: delete(OUTBOX).where(_KEY, _HELD, ~OUTBOX.c.keep),
    False: delete(OUTBOX).where(_KEY, _FREE, ~OUTBOX.c.keep),
}
_DUE = (
    (OUTBOX.c.status == "pending")
    & (OUTBOX.c.not_before.is_(None) | (OUTBOX.c.not_before <= bindparam("now")))
    & (OUTBOX.c.retry_at.is_(None) | (OUTBOX.c.retry_at <= bindparam("now")))
)
# Another sender holds a message of the same conversation: this one waits its turn.
_IN_FLIGHT = (
    select(_BUSY.c.id)
    .where(
        _BUSY.c.workspace_id == OUTBOX.c.workspace_id,
        _BUSY.c.conversation == OUTBOX.c.conversation,
        _BUSY.c.status == "sending",
        _BUSY.c.claimed_until >= bindparam("now"),
    )
    .exists()
)
# Due, or claimed by a sender whose lease ran out (it died). SKIP LOCKED lets
# instances share the queue on PostgreSQL; SQLite's BEGIN IMMEDIATE already gives
# one claimer at a time.
CLAIMABLE = (
    select(
        OUTBOX.c.id,
        OUTBOX.c.key,
        OUTBOX.c.recipient,
        OUTBOX.c.conversation,
        OUTBOX.c.payload,
        OUTBOX.c.attempts,
        OUTBOX.c.failures,
        OUTBOX.c.first_failed_at,
        OUTBOX.c.uncertain,
        OUTBOX.c.status,
        OUTBOX.c.workspace_id,
        _WORKSPACES.c.platform,
        _WORKSPACES.c.external_id,
    )
    .join(_WORKSPACES, _WORKSPACES.c.id == OUTBOX.c.workspace_id)
    .where(
        _DUE | ((OUTBOX.c.status == "sending") & (OUTBOX.c.claimed_until < bindparam("now"))),
        _WORKSPACES.c.platform.in_(bindparam("platforms", expanding=True)),
        OUTBOX.c.workspace_id.not_in(bindparam("held", expanding=True)),
        ~_IN_FLIGHT,
    )
    .order_by(OUTBOX.c.id)
    .limit(bindparam("limit"))
    .with_for_update(skip_locked=True, of=OUTBOX)
)
CLAIM = (
    update(OUTBOX)
    .where(OUTBOX.c.id.in_(bindparam("ids", expanding=True)))
    .values(
        # The old status, on the right: a row taken back from a dead sender may
        # have reached the platform.
        uncertain=OUTBOX.c.uncertain | (OUTBOX.c.status == "sending"),
        status="sending",
        claimed_by=bindparam("worker"),
        claimed_until=bindparam("until"),
    )
)


# Replies (rows with a source event) never count: only what Tandem sent unasked.
COUNT_FOR = (
    select(func.count())
    .select_from(OUTBOX)
    .where(
        OUTBOX.c.person_id == bindparam("person_id"),
        OUTBOX.c.kind.in_(bindparam("kinds", expanding=True)),
        OUTBOX.c.not_before >= bindparam("start"),
        OUTBOX.c.not_before < bindparam("end"),
        OUTBOX.c.status != "failed",
        OUTBOX.c.source.is_(None),
    )
)
NEXT_DUE = (
    select(func.min(func.coalesce(OUTBOX.c.retry_at, OUTBOX.c.not_before, OUTBOX.c.created_at)))
    .join(_WORKSPACES, _WORKSPACES.c.id == OUTBOX.c.workspace_id)
    .where(
        OUTBOX.c.status == "pending",
        _WORKSPACES.c.platform.in_(bindparam("platforms", expanding=True)),
    )
)
UNDELIVERED = (
    select(OUTBOX.c.id, OUTBOX.c.kind, OUTBOX.c.person_id, OUTBOX.c.recipient, OUTBOX.c.last_error)
    .where(
        OUTBOX.c.program_id == bindparam("program"),
        OUTBOX.c.status == "failed",
        OUTBOX.c.reported_at.is_(None),
    )
    .order_by(OUTBOX.c.id)
)


# What may be taken back: no sender holds it and no earlier call may have delivered it.
UNTOUCHED = _FREE & OUTBOX.c.claimed_by.is_(None) & OUTBOX.c.uncertain.is_(False)
