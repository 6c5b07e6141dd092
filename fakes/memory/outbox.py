"""The in-memory outbox (store/messaging.py's SqlOutbox): keys, leases, retries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from bot import outbound as m
from bot.codec import message_from_data, message_to_data, recipient_from_data, recipient_to_data
from bot.model import Workspace
from bot.outbox import Claimed, Failure, Retry, Sent, Undelivered
from fakes.memory.tables import Row, Transaction, as_json
from store import redaction


def _due(row: Row, now: datetime) -> bool:
    return (
        row["status"] == "pending"
        and (row["not_before"] is None or row["not_before"] <= now)
        and (row["retry_at"] is None or row["retry_at"] <= now)
    )


def _untouched(row: Row) -> bool:
    """What may be taken back: nobody holds it and no call may have delivered it."""
    return row["status"] == "pending" and row["claimed_by"] is None and not row["uncertain"]


_FINISH = {"claimed_by": None, "claimed_until": None}


class MemoryOutbox:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    def _row(self, workspace_id: int, key: str) -> Row | None:
        return self._tx.first("outbox", workspace_id=workspace_id, key=key)

    def status(self, workspace_id: int, key: str) -> str | None:
        row = self._row(workspace_id, key)
        return None if row is None else str(row["status"])

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
        if not keep:
            person_id = None  # nothing links it to anyone: it is for someone erased
        elif person_id is None or not isinstance(outbound.to, m.ToPerson):
            person_id = self._person_id(workspace_id, outbound.to)
        added = self._tx.insert_ignoring(
            "outbox",
            workspace_id=workspace_id,
            key=outbound.key,
            source=source,
            person_id=person_id,
            program_id=program_id,
            match_id=outbound.message.match,
            recipient=as_json(recipient_to_data(outbound.to)),
            conversation=m.conversation_of(outbound.to),
            kind=outbound.message.kind,
            payload=as_json(message_to_data(outbound.message)),
            status="pending",
            created_at=now,
            not_before=not_before,
            retry_at=None,
            attempts=0,
            failures=0,
            first_failed_at=None,
            uncertain=False,
            keep=keep,
            claimed_by=None,
            claimed_until=None,
            sent_at=None,
            platform_id=None,
            last_error=None,
            reported_at=None,
        )
        return added is not None

    def _person_id(self, workspace_id: int, to: m.Recipient) -> int | None:
        if not isinstance(to, m.ToPerson):
            return None
        row = self._tx.first("people", workspace_id=workspace_id, user_id=to.user_id)
        return None if row is None else int(row["id"])

    def _platforms(self, platforms: Sequence[str]) -> dict[int, Workspace]:
        return {
            r["id"]: Workspace(r["id"], r["platform"], r["external_id"])
            for r in self._tx.table("workspaces").values()
            if r["platform"] in platforms
        }

    def next_due(self, platforms: Sequence[str]) -> datetime | None:
        workspaces = self._platforms(platforms)
        times = [
            r["retry_at"] or r["not_before"] or r["created_at"]
            for r in self._tx.table("outbox").values()
            if r["status"] == "pending" and r["workspace_id"] in workspaces
        ]
        return min(times, default=None)

    def claim(
        self,
        now: datetime,
        worker: str,
        lease: timedelta,
        limit: int,
        platforms: Sequence[str],
        held: Sequence[int] = (),
    ) -> Sequence[Claimed]:
        workspaces = self._platforms(platforms)
        rows = self._tx.table("outbox").values()
        busy = {
            (r["workspace_id"], r["conversation"])
            for r in rows
            if r["status"] == "sending" and r["claimed_until"] >= now
        }
        found = [
            r
            for r in rows
            if (_due(r, now) or (r["status"] == "sending" and r["claimed_until"] < now))
            and r["workspace_id"] in workspaces
            and r["workspace_id"] not in held
            and (r["workspace_id"], r["conversation"]) not in busy
        ][: max(limit, 0)]
        claimed = []
        for r in found:
            uncertain = bool(r["uncertain"] or r["status"] == "sending")
            self._tx.update(
                "outbox",
                r["id"],
                uncertain=uncertain,
                status="sending",
                claimed_by=worker,
                claimed_until=now + lease,
            )
            outbound = m.Outbound(
                r["key"], recipient_from_data(r["recipient"]), message_from_data(r["payload"])
            )
            claimed.append(
                Claimed(
                    workspaces[r["workspace_id"]],
                    outbound,
                    r["conversation"],
                    r["attempts"],
                    r["failures"],
                    r["first_failed_at"],
                    uncertain=uncertain,
                )
            )
        return claimed

    def _held(self, workspace_id: int, key: str, worker: str | None) -> Row | None:
        """The message, if ``worker`` holds it (or, without a worker, nobody does)."""
        row = self._row(workspace_id, key)
        if row is None:
            return None
        if worker is None:
            return row if row["status"] == "pending" else None
        return row if row["status"] == "sending" and row["claimed_by"] == worker else None

    def _finish(self, row: Row, **values: Any) -> None:
        if row["keep"]:
            self._tx.update("outbox", row["id"], **values, **_FINISH)
        else:  # not to keep (a farewell to someone erased): nothing of it stays
            self._tx.delete("outbox", row["id"])

    def sent(self, sent: Sequence[Sent], now: datetime, worker: str | None = None) -> None:
        for s in sent:
            row = self._held(s.workspace_id, s.key, worker)
            if row is not None:
                self._finish(
                    row,
                    status="sent",
                    sent_at=now,
                    platform_id=s.platform_id or None,
                    attempts=row["attempts"] + 1,
                )

    def retry(self, retries: Sequence[Retry], now: datetime, worker: str | None = None) -> None:
        for r in retries:
            row = self._held(r.workspace_id, r.key, worker)
            if row is None:
                continue
            first_failed = row["first_failed_at"]
            self._tx.update(
                "outbox",
                row["id"],
                status="pending",
                retry_at=r.at,
                attempts=row["attempts"] + int(r.called),
                failures=row["failures"] + int(r.failed),
                first_failed_at=(first_failed or now) if r.failed else first_failed,
                uncertain=bool(row["uncertain"] or r.ambiguous),
                last_error=r.error[:200] or row["last_error"],
                **_FINISH,
            )

    def fail(self, failures: Sequence[Failure], now: datetime, worker: str | None = None) -> None:
        for f in failures:
            row = self._held(f.workspace_id, f.key, worker)
            if row is not None:
                self._finish(
                    row, status="failed", attempts=row["attempts"] + 1, last_error=f.error[:200]
                )

    def count_for(
        self, person_id: int, kinds: Sequence[str], start: datetime, end: datetime
    ) -> int:
        return sum(
            1
            for r in self._tx.rows("outbox", person_id=person_id, source=None)
            if r["kind"] in kinds
            and r["not_before"] is not None
            and start <= r["not_before"] < end
            and r["status"] != "failed"
        )

    def withdraw_match(self, match_id: int, kinds: Sequence[str]) -> Sequence[str]:
        found = [r for r in self._tx.rows("outbox", match_id=match_id) if r["kind"] in kinds]
        keys = [r["key"] for r in found if _untouched(r)]
        for r in found:
            if _untouched(r):
                self._tx.delete("outbox", r["id"])
        return keys

    def withdraw(self, workspace_id: int, keys: Sequence[str]) -> int:
        wanted = set(keys)
        return self._tx.delete_where(
            "outbox",
            lambda r: r["workspace_id"] == workspace_id and r["key"] in wanted and _untouched(r),
        )

    def redact(self, workspace_id: int, user_id: str, traces: Sequence[str]) -> int:
        every = [user_id, *traces]
        changed = 0
        for row in list(self._tx.rows("outbox", workspace_id=workspace_id)):
            recipient = recipient_from_data(row["recipient"])
            left = redaction.without(recipient, user_id)
            about = redaction.refers_to(row["payload"], user_id)
            naming = about or redaction.names_any(row["payload"], every)
            unsent = row["status"] in ("pending", "sending")
            if left is None or (unsent and about):
                # For them alone, or (not sent yet) about them: nobody needs it now.
                self._tx.delete("outbox", row["id"])
            elif naming or left != recipient:
                values: dict[str, Any] = {}
                if naming and not unsent:
                    values["payload"] = as_json(redaction.erased(row["kind"]))
                if left != recipient:
                    values["recipient"] = as_json(recipient_to_data(left))
                    values["conversation"] = m.conversation_of(left)
                if not values:
                    continue  # unsent, and only a word of its text looks like them
                self._tx.update("outbox", row["id"], **values)
            else:
                continue
            changed += 1
        return changed

    def by_platform_id(self, workspace_id: int, platform_id: str) -> m.Message | None:
        row = self._tx.first("outbox", workspace_id=workspace_id, platform_id=platform_id)
        return message_from_data(row["payload"]) if row is not None else None

    def undelivered(self, program_id: int) -> Sequence[Undelivered]:
        return [
            Undelivered(
                r["id"],
                r["kind"],
                r["person_id"],
                m.users_of(recipient_from_data(r["recipient"])),
                r["last_error"] or "",
            )
            for r in self._tx.rows("outbox", program_id=program_id, status="failed")
            if r["reported_at"] is None
        ]

    def reported(self, ids: Sequence[int], now: datetime) -> None:
        for row_id in ids:
            if self._tx.get("outbox", row_id) is not None:
                self._tx.update("outbox", row_id, reported_at=now)
