"""Addresses: where a platform reaches a person or a channel."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.orm import Session

from store.sql import table_of, upsert
from store.tables import AddressRow

_ADDRESSES = table_of(AddressRow)
_ADDRESS = select(_ADDRESSES.c.data).where(
    _ADDRESSES.c.workspace_id == bindparam("workspace_id"), _ADDRESSES.c.key == bindparam("key")
)


class SqlAddresses:
    def __init__(self, session: Session) -> None:
        self._s = session

    def put(self, workspace_id: int, key: str, data: Mapping[str, str], now: datetime) -> None:
        merged = {**(self.get(workspace_id, key) or {}), **{k: v for k, v in data.items() if v}}
        upsert(
            self._s,
            AddressRow,
            ("workspace_id", "key"),
            workspace_id=workspace_id,
            key=key,
            data=merged,
            updated_at=now,
        )

    def get(self, workspace_id: int, key: str) -> Mapping[str, str] | None:
        found = self._s.scalar(_ADDRESS, {"workspace_id": workspace_id, "key": key})
        return {str(k): str(v) for k, v in found.items()} if found else None

    def find(self, workspace_id: int, field: str, value: str) -> str | None:
        query = select(_ADDRESSES.c.key).where(
            _ADDRESSES.c.workspace_id == workspace_id,
            func.lower(_ADDRESSES.c.data[field].as_string()) == value.casefold(),
        )
        return self._s.scalars(query.limit(1)).first()

    def forget(self, workspace_id: int, key: str) -> None:
        self._s.execute(
            delete(_ADDRESSES).where(
                _ADDRESSES.c.workspace_id == workspace_id, _ADDRESSES.c.key == key
            )
        )
