"""The in-memory inbound side: the log of event ids (SqlInbox) and the queue of events
acknowledged and waiting for the engine (store/queue.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.inbound import NewEvent, Queued
from bot.model import Workspace
from fakes.memory.tables import Transaction, as_json


class MemoryInbox:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    def first_time(self, workspace_id: int, event_id: str, person_id: int, now: datetime) -> bool:
        added = self._tx.insert_ignoring(
            "inbound_events",
            workspace_id=workspace_id,
            event_id=event_id,
            person_id=person_id,
            received_at=now,
        )
        return added is not None


class MemoryInboundQueue:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    def add(self, events: Sequence[NewEvent], now: datetime) -> list[bool]:
        added = []
        for event in events:  # a second copy, here or queued before, is a duplicate
            row = self._tx.insert_ignoring(
                "inbound_queue",
                workspace_id=event.workspace_id,
                event_id=event.event_id,
                user_id=event.user_id,
                payload=as_json(dict(event.payload)),
                received_at=now,
                status="pending",
                attempts=0,
                claimed_by=None,
                claimed_until=None,
            )
            added.append(row is not None)
        return added

    def claim(self, now: datetime, worker: str, lease: timedelta, limit: int) -> Sequence[Queued]:
        rows = list(self._tx.table("inbound_queue").values())
        # A person's events are handled in the order they came: none of theirs is
        # taken while a worker holds an earlier one.
        busy: dict[tuple[int, str], int] = {}
        for r in rows:
            if r["status"] == "working" and r["claimed_until"] >= now:
                person = (r["workspace_id"], r["user_id"])
                busy[person] = min(busy.get(person, r["id"]), r["id"])
        found = [
            r
            for r in rows
            if (r["status"] == "pending" or (r["status"] == "working" and r["claimed_until"] < now))
            and busy.get((r["workspace_id"], r["user_id"]), r["id"]) >= r["id"]
        ][: max(limit, 0)]
        claimed = []
        for r in found:
            self._tx.update(
                "inbound_queue",
                r["id"],
                status="working",
                claimed_by=worker,
                claimed_until=now + lease,
                attempts=r["attempts"] + 1,
            )
            workspace = self._tx.one("workspaces", r["workspace_id"])
            claimed.append(
                Queued(
                    r["id"],
                    Workspace(workspace["id"], workspace["platform"], workspace["external_id"]),
                    r["user_id"],
                    as_json(r["payload"]),
                    r["received_at"],
                    r["attempts"] + 1,
                )
            )
        return claimed

    def done(self, ids: Sequence[int]) -> None:
        for row_id in ids:
            self._tx.delete("inbound_queue", row_id)
