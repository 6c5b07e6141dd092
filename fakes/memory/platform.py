"""What platforms keep with Tandem, in memory: installs, addresses and the console's
inboxes (store/installations.py, store/addresses.py, store/console.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from bot import outbound as m
from bot.codec import message_from_data, message_to_data
from bot.platform import Installation
from fakes.memory.directory import MemoryWorkspaces
from fakes.memory.tables import Transaction, as_json
from store import redaction


class MemoryInstallations:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    def save(self, installation: Installation) -> None:
        workspace = MemoryWorkspaces(self._tx).ensure(
            installation.platform, installation.workspace, installation.installed_at
        )
        self._tx.delete_where("installations", lambda r: r["workspace_id"] == workspace.id)
        self._tx.insert(
            "installations",
            workspace_id=workspace.id,
            token=installation.token,
            bot_user_id=installation.bot_user_id,
            installer=installation.installer,
            installed_at=installation.installed_at,
            details=as_json(dict(installation.details)),
        )

    def _workspace_id(self, platform: str, workspace: str) -> int | None:
        row = self._tx.first("workspaces", platform=platform, external_id=workspace)
        return None if row is None else int(row["id"])

    def find(self, platform: str, workspace: str) -> Installation | None:
        row = self._tx.first("installations", workspace_id=self._workspace_id(platform, workspace))
        if row is None:
            return None
        return Installation(
            platform=platform,
            workspace=workspace,
            token=row["token"],
            bot_user_id=row["bot_user_id"],
            installer=row["installer"],
            installed_at=row["installed_at"],
            details={str(k): str(v) for k, v in (row["details"] or {}).items()},
        )

    def remove(self, platform: str, workspace: str) -> bool:
        workspace_id = self._workspace_id(platform, workspace)
        gone = self._tx.delete_where("installations", lambda r: r["workspace_id"] == workspace_id)
        return gone > 0


class MemoryAddresses:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    def put(self, workspace_id: int, key: str, data: Mapping[str, str], now: datetime) -> None:
        merged = {**(self.get(workspace_id, key) or {}), **{k: v for k, v in data.items() if v}}
        row = self._tx.first("addresses", workspace_id=workspace_id, key=key)
        if row is not None:
            self._tx.update("addresses", row["id"], data=as_json(merged), updated_at=now)
            return
        self._tx.insert(
            "addresses", workspace_id=workspace_id, key=key, data=as_json(merged), updated_at=now
        )

    def get(self, workspace_id: int, key: str) -> Mapping[str, str] | None:
        row = self._tx.first("addresses", workspace_id=workspace_id, key=key)
        found = row["data"] if row else None
        return {str(k): str(v) for k, v in found.items()} if found else None

    def find(self, workspace_id: int, field: str, value: str) -> str | None:
        wanted = value.casefold()
        for row in self._tx.rows("addresses", workspace_id=workspace_id):
            stored = row["data"].get(field)
            if isinstance(stored, str) and stored.lower() == wanted:
                return str(row["key"])
        return None

    def forget(self, workspace_id: int, key: str) -> None:
        self._tx.delete_where(
            "addresses", lambda r: r["workspace_id"] == workspace_id and r["key"] == key
        )


class MemoryMailbox:
    """Delivery to the console "platform": one inbox row per message per person."""

    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    def _person_id(self, workspace_id: int, user_id: str) -> int | None:
        row = self._tx.first("people", workspace_id=workspace_id, user_id=user_id)
        return None if row is None else int(row["id"])

    def deliver(self, workspace_id: int, outbound: m.Outbound, now: datetime) -> int:
        payload = as_json(message_to_data(outbound.message))
        people = {}
        for user in m.users_of(outbound.to):
            person_id = self._person_id(workspace_id, user)
            if person_id is not None:
                people[user] = person_id
        for person_id in people.values():
            self._tx.insert_ignoring(
                "console_inbox",
                workspace_id=workspace_id,
                person_id=person_id,
                key=outbound.key,
                payload=payload,
                created_at=now,
                shown_at=None,
            )
        return len(people)

    def last_shown(self, workspace_id: int, user_id: str) -> m.Message | None:
        person_id = self._person_id(workspace_id, user_id)
        shown = [
            r
            for r in self._tx.rows("console_inbox", person_id=person_id)
            if r["shown_at"] is not None
        ]
        return message_from_data(shown[-1]["payload"]) if shown else None

    def redact(self, workspace_id: int, traces: Sequence[str]) -> int:
        hits = [
            r["id"]
            for r in self._tx.rows("console_inbox", workspace_id=workspace_id)
            if redaction.names_any(r["payload"], traces)
        ]
        for row_id in hits:
            self._tx.update("console_inbox", row_id, payload=as_json(redaction.erased("erased")))
        return len(hits)

    def take_unread(
        self, workspace_id: int, user_id: str, now: datetime
    ) -> Sequence[tuple[str, m.Message]]:
        person_id = self._person_id(workspace_id, user_id)
        rows = [
            r for r in self._tx.rows("console_inbox", person_id=person_id) if r["shown_at"] is None
        ]
        for r in rows:
            self._tx.update("console_inbox", r["id"], shown_at=now)
        return [(r["key"], message_from_data(r["payload"])) for r in rows]
