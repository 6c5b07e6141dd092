"""The outbox repository: queue, claim, mark sent, retry or fail, and report what failed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from bot import outbound as m
from bot.codec import message_from_data, message_to_data, recipient_from_data, recipient_to_data
from bot.model import Workspace
from bot.outbox import Claimed, Failure, Retry, Sent, Undelivered
from store import redaction
from store.outbox_statements import (
    CLAIM,
    CLAIMABLE,
    COUNT_FOR,
    DROP,
    NEXT_DUE,
    OUTBOX,
    STATEMENTS,
    UNDELIVERED,
    UNTOUCHED,
    outbound_of,
)
from store.sql import OUTBOX_CLAIMS, insert_ignoring_duplicates, take_turn
from store.tables import OutboxRow, PersonRow
from store.types import as_utc_or_none


class SqlOutbox:
    def __init__(self, session: Session) -> None:
        self._s = session
        self._people: dict[tuple[int, str], int] = {}

    def status(self, workspace_id: int, key: str) -> str | None:
        query = select(OUTBOX.c.status).where(
            OUTBOX.c.workspace_id == workspace_id, OUTBOX.c.key == key
        )
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
        key = (workspace_id, to.user_id)
        if key not in self._people:  # only people found are remembered: one may be added
            query = select(PersonRow.id).filter_by(workspace_id=workspace_id, user_id=to.user_id)
            found = self._s.scalars(query).one_or_none()
            if found is None:
                return None
            self._people[key] = found
        return self._people[key]

    def next_due(self, platforms: Sequence[str]) -> datetime | None:
        found: datetime | None = self._s.scalar(NEXT_DUE, {"platforms": list(platforms)})
        if found is None:
            return None
        return found.replace(tzinfo=UTC) if found.tzinfo is None else found

    def redact(self, workspace_id: int, user_id: str, traces: Sequence[str]) -> int:
        every = [user_id, *traces]
        found = self._s.execute(
            select(
                OUTBOX.c.id,
                OUTBOX.c.status,
                OUTBOX.c.kind,
                OUTBOX.c.payload,
                OUTBOX.c.recipient,
            ).where(
                OUTBOX.c.workspace_id == workspace_id,
                or_(
                    redaction.mentions(OUTBOX.c.payload, every),
                    redaction.mentions(OUTBOX.c.recipient, [user_id]),
                ),
            )
        ).all()
        changed = 0
        for row in found:
            recipient = recipient_from_data(row.recipient)
            left = redaction.without(recipient, user_id)
            about = redaction.refers_to(row.payload, user_id)
            naming = about or redaction.names_any(row.payload, every)
            unsent = row.status in ("pending", "sending")
            if left is None or (unsent and about):
                # For them alone, or (not sent yet) about them: nobody needs it now.
                self._s.execute(delete(OUTBOX).where(OUTBOX.c.id == row.id))
            elif naming or left != recipient:
                values: dict[str, Any] = {}
                if naming and not unsent:
                    values["payload"] = redaction.erased(row.kind)
                if left != recipient:
                    values["recipient"] = recipient_to_data(left)
                    values["conversation"] = m.conversation_of(left)
                if not values:
                    continue  # unsent, and only a word of its text looks like them
                self._s.execute(update(OUTBOX).where(OUTBOX.c.id == row.id).values(**values))
            else:
                continue
            changed += 1
        return changed

    def withdraw(self, workspace_id: int, keys: Sequence[str]) -> int:
        if not keys:
            return 0
        where = (OUTBOX.c.workspace_id == workspace_id) & OUTBOX.c.key.in_(list(keys))
        return self._withdraw(where)

    def withdraw_match(self, match_id: int, kinds: Sequence[str]) -> Sequence[str]:
        where = (OUTBOX.c.match_id == match_id) & OUTBOX.c.kind.in_(list(kinds)) & UNTOUCHED
        keys = list(self._s.scalars(select(OUTBOX.c.key).where(where)))
        self._s.execute(delete(OUTBOX).where(where))
        return keys

    def _withdraw(self, where: Any) -> int:
        gone = self._s.execute(delete(OUTBOX).where(where, UNTOUCHED))
        return int(getattr(gone, "rowcount", 0) or 0)

    def sent(self, sent: Sequence[Sent], now: datetime, worker: str | None = None) -> None:
        if not sent:
            return
        held = worker is not None
        rows = [
            {
                "where_workspace_id": s.workspace_id,
                "where_key": s.key,
                "now": now,
                "platform_id": s.platform_id or None,
            }
            for s in sent
        ]
        self._s.execute(STATEMENTS["sent"][held], [{**r, "worker": worker} for r in rows])
        self._drop([(s.workspace_id, s.key) for s in sent], worker)

    def retry(self, retries: Sequence[Retry], now: datetime, worker: str | None = None) -> None:
        if retries:
            self._s.execute(
                STATEMENTS["retry"][worker is not None],
                [
                    {
                        "where_workspace_id": r.workspace_id,
                        "where_key": r.key,
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
                STATEMENTS["fail"][worker is not None],
                [
                    {
                        "where_workspace_id": f.workspace_id,
                        "where_key": f.key,
                        "worker": worker,
                        "error": f.error[:200],
                    }
                    for f in failures
                ],
            )
            self._drop([(f.workspace_id, f.key) for f in failures], worker)

    def _drop(self, keys: Sequence[tuple[int, str]], worker: str | None) -> None:
        self._s.execute(
            DROP[worker is not None],
            [{"where_workspace_id": ws, "where_key": k, "worker": worker} for ws, k in keys],
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
            CLAIMABLE,
            {"now": now, "limit": limit, "platforms": list(platforms), "held": list(held)},
        ).all()
        if not rows:
            return []
        self._s.execute(
            CLAIM, {"ids": [r.id for r in rows], "worker": worker, "until": now + lease}
        )
        return [
            Claimed(
                Workspace(r.workspace_id, r.platform, r.external_id),
                outbound_of(r),
                r.conversation,
                r.attempts,
                r.failures,
                as_utc_or_none(r.first_failed_at),
                uncertain=bool(r.uncertain or r.status == "sending"),
            )
            for r in rows
        ]

    def count_for(
        self, person_id: int, kinds: Sequence[str], start: datetime, end: datetime
    ) -> int:
        found = self._s.scalar(
            COUNT_FOR, {"person_id": person_id, "kinds": list(kinds), "start": start, "end": end}
        )
        return int(found or 0)

    def by_platform_id(self, workspace_id: int, platform_id: str) -> m.Message | None:
        query = select(OUTBOX.c.payload).where(
            OUTBOX.c.workspace_id == workspace_id, OUTBOX.c.platform_id == platform_id
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
            for r in self._s.execute(UNDELIVERED, {"program": program_id})
        ]

    def reported(self, ids: Sequence[int], now: datetime) -> None:
        if ids:
            self._s.execute(update(OUTBOX).where(OUTBOX.c.id.in_(ids)).values(reported_at=now))
