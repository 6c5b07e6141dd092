"""Repositories for conversation state, the inbound event log and the outbox."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Boolean, Integer, String, bindparam, case, delete, func, or_, select, update
from sqlalchemy.orm import Session

from bot import outbound as m
from bot.codec import message_from_data, message_to_data, recipient_from_data, recipient_to_data
from bot.model import Conversation, ConversationKey, Workspace
from bot.ports import Claimed, Failure, Retry, Sent, Undelivered
from store import redaction
from store.models import ConversationRow, InboundEventRow, OutboxRow, PersonRow, WorkspaceRow
from store.sql import OUTBOX_CLAIMS, insert_ignoring_duplicates, table_of, take_turn, upsert
from store.types import UTCDateTime

_C = table_of(ConversationRow)
_CONVERSATION = (
    select(_C.c.flow, _C.c.data)
    .where(_C.c.workspace_id == bindparam("ws"), _C.c.person_id == bindparam("who"))
    .with_for_update()
)
_FORGET = delete(_C).where(_C.c.workspace_id == bindparam("ws"), _C.c.person_id == bindparam("who"))


class SqlConversations:
    """Conversation state, read on every event: prebuilt Core statements."""

    def __init__(self, session: Session) -> None:
        self._s = session
        self._known: dict[ConversationKey, Conversation | None] = {}  # this transaction's

    def load(self, key: ConversationKey) -> Conversation | None:
        if key not in self._known:
            row = self._s.execute(
                _CONVERSATION, {"ws": key.workspace_id, "who": key.person_id}
            ).first()
            self._known[key] = Conversation(row.flow, dict(row.data)) if row else None
        return self._known[key]

    def save(self, key: ConversationKey, conversation: Conversation, now: datetime) -> None:
        upsert(
            self._s,
            ConversationRow,
            ("workspace_id", "person_id"),
            workspace_id=key.workspace_id,
            person_id=key.person_id,
            flow=conversation.flow,
            data=dict(conversation.data),
            updated_at=now,
        )
        self._known[key] = conversation

    def clear(self, key: ConversationKey) -> None:
        self._known[key] = None
        self._s.execute(_FORGET, {"ws": key.workspace_id, "who": key.person_id})


class SqlInbox:
    def __init__(self, session: Session) -> None:
        self._s = session

    def first_time(self, workspace_id: int, event_id: str, person_id: int, now: datetime) -> bool:
        return insert_ignoring_duplicates(
            self._s,
            InboundEventRow,
            workspace_id=workspace_id,
            event_id=event_id,
            person_id=person_id,
            received_at=now,
        )


def _outbound(row: Any) -> m.Outbound:
    return m.Outbound(row.key, recipient_from_data(row.recipient), message_from_data(row.payload))


_O, _W = table_of(OutboxRow), table_of(WorkspaceRow)
_BUSY = _O.alias("busy")
_FINISH = {"claimed_by": None, "claimed_until": None}
_KEY = (_O.c.workspace_id == bindparam("ws")) & (_O.c.key == bindparam("k"))
# Whoever records a result must hold the message: a sender whose lease ran out
# (another took the message over) records nothing. Without a worker, only a
# message nobody holds (a reply its adapter delivered, in the simulation).
_HELD = (_O.c.status == "sending") & (_O.c.claimed_by == bindparam("worker"))
_FREE = _O.c.status == "pending"
_FINISH = {"claimed_by": None, "claimed_until": None}
_NOW = bindparam("now", type_=UTCDateTime())


def _mark_sent(holder: Any) -> Any:
    return (
        update(_O)
        .where(_KEY, holder, _O.c.keep)
        .values(
            status="sent",
            sent_at=_NOW,
            platform_id=bindparam("pid"),
            attempts=_O.c.attempts + 1,
            **_FINISH,
        )
    )


def _retry(holder: Any) -> Any:
    failed = bindparam("failed", type_=Integer())
    return (
        update(_O)
        .where(_KEY, holder)
        .values(
            status="pending",
            retry_at=bindparam("at", type_=UTCDateTime()),
            attempts=_O.c.attempts + bindparam("called", type_=Integer()),
            failures=_O.c.failures + failed,
            first_failed_at=case(
                (failed > 0, func.coalesce(_O.c.first_failed_at, _NOW)),
                else_=_O.c.first_failed_at,
            ),
            uncertain=_O.c.uncertain | bindparam("ambiguous", type_=Boolean()),
            last_error=func.coalesce(bindparam("error", type_=String()), _O.c.last_error),
            **_FINISH,
        )
    )


def _fail(holder: Any) -> Any:
    return (
        update(_O)
        .where(_KEY, holder, _O.c.keep)
        .values(
            status="failed", attempts=_O.c.attempts + 1, last_error=bindparam("error"), **_FINISH
        )
    )


_STATEMENTS = {
    "sent": {True: _mark_sent(_HELD), False: _mark_sent(_FREE)},
    "retry": {True: _retry(_HELD), False: _retry(_FREE)},
    "fail": {True: _fail(_HELD), False: _fail(_FREE)},
}
# A message not to keep (a farewell to someone who was just erased) goes once
# sent, and equally once refused for good: nothing of it stays.
_DROP = {
    True: delete(_O).where(_KEY, _HELD, ~_O.c.keep),
    False: delete(_O).where(_KEY, _FREE, ~_O.c.keep),
}
_DUE = (
    (_O.c.status == "pending")
    & (_O.c.not_before.is_(None) | (_O.c.not_before <= bindparam("now")))
    & (_O.c.retry_at.is_(None) | (_O.c.retry_at <= bindparam("now")))
)
# Another sender holds a message of the same conversation: this one waits its turn.
_IN_FLIGHT = (
    select(_BUSY.c.id)
    .where(
        _BUSY.c.workspace_id == _O.c.workspace_id,
        _BUSY.c.conversation == _O.c.conversation,
        _BUSY.c.status == "sending",
        _BUSY.c.claimed_until >= bindparam("now"),
    )
    .exists()
)
# Due, or claimed by a sender whose lease ran out (it died). SKIP LOCKED lets
# instances share the queue on PostgreSQL; SQLite's BEGIN IMMEDIATE already gives
# one claimer at a time.
_CLAIMABLE = (
    select(
        _O.c.id,
        _O.c.key,
        _O.c.recipient,
        _O.c.conversation,
        _O.c.payload,
        _O.c.attempts,
        _O.c.failures,
        _O.c.first_failed_at,
        _O.c.uncertain,
        _O.c.status,
        _O.c.workspace_id,
        _W.c.platform,
        _W.c.external_id,
    )
    .join(_W, _W.c.id == _O.c.workspace_id)
    .where(
        _DUE | ((_O.c.status == "sending") & (_O.c.claimed_until < bindparam("now"))),
        _W.c.platform.in_(bindparam("platforms", expanding=True)),
        _O.c.workspace_id.not_in(bindparam("held", expanding=True)),
        ~_IN_FLIGHT,
    )
    .order_by(_O.c.id)
    .limit(bindparam("n"))
    .with_for_update(skip_locked=True, of=_O)
)
_CLAIM = (
    update(_O)
    .where(_O.c.id.in_(bindparam("ids", expanding=True)))
    .values(
        # The old status, on the right: a row taken back from a dead sender may
        # have reached the platform.
        uncertain=_O.c.uncertain | (_O.c.status == "sending"),
        status="sending",
        claimed_by=bindparam("worker"),
        claimed_until=bindparam("until"),
    )
)


# Replies (rows with a source event) never count: only what Tandem sent unasked.
_COUNT_FOR = (
    select(func.count())
    .select_from(_O)
    .where(
        _O.c.person_id == bindparam("who"),
        _O.c.kind.in_(bindparam("kinds", expanding=True)),
        _O.c.not_before >= bindparam("start"),
        _O.c.not_before < bindparam("end"),
        _O.c.status != "failed",
        _O.c.source.is_(None),
    )
)
_NEXT_DUE = (
    select(func.min(func.coalesce(_O.c.retry_at, _O.c.not_before, _O.c.created_at)))
    .join(_W, _W.c.id == _O.c.workspace_id)
    .where(_O.c.status == "pending", _W.c.platform.in_(bindparam("platforms", expanding=True)))
)
_UNDELIVERED = (
    select(_O.c.id, _O.c.kind, _O.c.person_id, _O.c.recipient, _O.c.last_error)
    .where(
        _O.c.program_id == bindparam("program"),
        _O.c.status == "failed",
        _O.c.reported_at.is_(None),
    )
    .order_by(_O.c.id)
)


# What may be taken back: no sender holds it and no earlier call may have delivered it.
_UNTOUCHED = _FREE & _O.c.claimed_by.is_(None) & _O.c.uncertain.is_(False)


class SqlOutbox:
    def __init__(self, session: Session) -> None:
        self._s = session
        self._people: dict[tuple[int, str], int] = {}

    def status(self, workspace_id: int, key: str) -> str | None:
        query = select(_O.c.status).where(_O.c.workspace_id == workspace_id, _O.c.key == key)
        found = self._s.execute(query.limit(1)).scalar()
        return None if found is None else str(found)

    def add(
        self,
        workspace_id: int,
        outbound: m.Outbound,
        source: str | None,
        now: datetime,
        not_before: datetime | None = None,
        person_id: int | None = None,
        *,
        program_id: int | None = None,
        keep: bool = True,
    ) -> bool:
        direct = isinstance(outbound.to, m.ToPerson)
        if not keep:
            person_id = None  # nothing links it to anyone: it is for someone erased
        elif person_id is None or not direct:
            person_id = self._person_id(workspace_id, outbound.to)
        return insert_ignoring_duplicates(
            self._s,
            OutboxRow,
            workspace_id=workspace_id,
            key=outbound.key,
            source=source,
            person_id=person_id,
            program_id=program_id,
            match_id=outbound.message.match,
            recipient=recipient_to_data(outbound.to),
            conversation=m.conversation_of(outbound.to),
            kind=outbound.message.kind,
            payload=message_to_data(outbound.message),
            status="pending",
            created_at=now,
            not_before=not_before,
            attempts=0,
            failures=0,
            uncertain=False,
            keep=keep,
        )

    def _person_id(self, workspace_id: int, to: m.Recipient) -> int | None:
        if not isinstance(to, m.ToPerson):
            return None
        key = (workspace_id, to.user)
        if key not in self._people:  # only people found are remembered: one may be added
            query = select(PersonRow.id).filter_by(workspace_id=workspace_id, external_id=to.user)
            found = self._s.scalars(query).one_or_none()
            if found is None:
                return None
            self._people[key] = found
        return self._people[key]

    def next_due(self, platforms: Sequence[str]) -> datetime | None:
        found: datetime | None = self._s.scalar(_NEXT_DUE, {"platforms": list(platforms)})
        if found is None:
            return None
        return found.replace(tzinfo=UTC) if found.tzinfo is None else found

    def redact(self, workspace_id: int, handle: str, traces: Sequence[str]) -> int:
        every = [handle, *traces]
        found = self._s.execute(
            select(_O.c.id, _O.c.status, _O.c.kind, _O.c.payload, _O.c.recipient).where(
                _O.c.workspace_id == workspace_id,
                or_(
                    redaction.mentions(_O.c.payload, every),
                    redaction.mentions(_O.c.recipient, [handle]),
                ),
            )
        ).all()
        changed = 0
        for row in found:
            recipient = recipient_from_data(row.recipient)
            left = redaction.without(recipient, handle)
            about = redaction.refers_to(row.payload, handle)
            naming = about or redaction.names_any(row.payload, every)
            unsent = row.status in ("pending", "sending")
            if left is None or (unsent and about):
                # For them alone, or (not sent yet) about them: nobody needs it now.
                self._s.execute(delete(_O).where(_O.c.id == row.id))
            elif naming or left != recipient:
                values: dict[str, Any] = {}
                if naming and not unsent:
                    values["payload"] = redaction.erased(row.kind)
                if left != recipient:
                    values["recipient"] = recipient_to_data(left)
                    values["conversation"] = m.conversation_of(left)
                if not values:
                    continue  # unsent, and only a word of its text looks like them
                self._s.execute(update(_O).where(_O.c.id == row.id).values(**values))
            else:
                continue
            changed += 1
        return changed

    def withdraw(self, workspace_id: int, keys: Sequence[str]) -> int:
        if not keys:
            return 0
        where = (_O.c.workspace_id == workspace_id) & _O.c.key.in_(list(keys))
        return self._withdraw(where)

    def withdraw_match(self, match_id: int, kinds: Sequence[str]) -> Sequence[str]:
        where = (_O.c.match_id == match_id) & _O.c.kind.in_(list(kinds)) & _UNTOUCHED
        keys = list(self._s.scalars(select(_O.c.key).where(where)))
        self._s.execute(delete(_O).where(where))
        return keys

    def _withdraw(self, where: Any) -> int:
        gone = self._s.execute(delete(_O).where(where, _UNTOUCHED))
        return int(getattr(gone, "rowcount", 0) or 0)

    def sent(self, sent: Sequence[Sent], now: datetime, worker: str | None = None) -> None:
        if not sent:
            return
        held = worker is not None
        rows = [
            {"ws": s.workspace_id, "k": s.key, "now": now, "pid": s.platform_id or None}
            for s in sent
        ]
        self._s.execute(_STATEMENTS["sent"][held], [{**r, "worker": worker} for r in rows])
        self._drop([(s.workspace_id, s.key) for s in sent], worker)

    def retry(self, retries: Sequence[Retry], now: datetime, worker: str | None = None) -> None:
        if retries:
            self._s.execute(
                _STATEMENTS["retry"][worker is not None],
                [
                    {
                        "ws": r.workspace_id,
                        "k": r.key,
                        "worker": worker,
                        "at": r.at,
                        "now": now,
                        "called": int(r.called),
                        "failed": int(r.failed),
                        "ambiguous": r.ambiguous,
                        "error": r.error[:200] or None,
                    }
                    for r in retries
                ],
            )

    def fail(self, failures: Sequence[Failure], now: datetime, worker: str | None = None) -> None:
        if failures:
            self._s.execute(
                _STATEMENTS["fail"][worker is not None],
                [
                    {"ws": f.workspace_id, "k": f.key, "worker": worker, "error": f.error[:200]}
                    for f in failures
                ],
            )
            self._drop([(f.workspace_id, f.key) for f in failures], worker)

    def _drop(self, keys: Sequence[tuple[int, str]], worker: str | None) -> None:
        self._s.execute(
            _DROP[worker is not None], [{"ws": ws, "k": k, "worker": worker} for ws, k in keys]
        )

    def claim(
        self,
        now: datetime,
        worker: str,
        lease: timedelta,
        limit: int,
        platforms: Sequence[str],
        held: Sequence[int] = (),
    ) -> Sequence[Claimed]:
        take_turn(self._s, OUTBOX_CLAIMS)
        rows = self._s.execute(
            _CLAIMABLE,
            {"now": now, "n": limit, "platforms": list(platforms), "held": list(held)},
        ).all()
        if not rows:
            return []
        self._s.execute(
            _CLAIM, {"ids": [r.id for r in rows], "worker": worker, "until": now + lease}
        )
        return [
            Claimed(
                Workspace(r.workspace_id, r.platform, r.external_id),
                _outbound(r),
                r.conversation,
                r.attempts,
                r.failures,
                _aware(r.first_failed_at),
                uncertain=bool(r.uncertain or r.status == "sending"),
            )
            for r in rows
        ]

    def count_for(
        self, person_id: int, kinds: Sequence[str], start: datetime, end: datetime
    ) -> int:
        found = self._s.scalar(
            _COUNT_FOR, {"who": person_id, "kinds": list(kinds), "start": start, "end": end}
        )
        return int(found or 0)

    def by_platform_id(self, workspace_id: int, platform_id: str) -> m.Message | None:
        query = select(_O.c.payload).where(
            _O.c.workspace_id == workspace_id, _O.c.platform_id == platform_id
        )
        found = self._s.scalars(query.limit(1)).first()
        return message_from_data(found) if found is not None else None

    def undelivered(self, program_id: int) -> Sequence[Undelivered]:
        return [
            Undelivered(
                r.id,
                r.kind,
                r.person_id,
                m.users_of(recipient_from_data(r.recipient)),
                r.last_error or "",
            )
            for r in self._s.execute(_UNDELIVERED, {"program": program_id})
        ]

    def reported(self, ids: Sequence[int], now: datetime) -> None:
        if ids:
            self._s.execute(update(_O).where(_O.c.id.in_(ids)).values(reported_at=now))


def _aware(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)
