"""Statements on every event's path, built once per table and database dialect.

Both work on SQLite and PostgreSQL (``ON CONFLICT``), and run as Core statements
with their values bound at execution, which costs a fraction of building them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Executable, Table, inspect, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

_CACHE: dict[tuple[str, str, str], Executable] = {}


def table_of(model: Any) -> Table:
    """A mapped class's table, typed as one (for prebuilt Core statements)."""
    found = inspect(model).local_table
    assert isinstance(found, Table)
    return found


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def insert_ignoring_duplicates(session: Session, table: Any, **values: Any) -> bool:
    """INSERT unless a row with the same unique key exists; true if inserted.

    RETURNING tells the two cases apart on both databases (rowcount does not:
    through the ORM, psycopg reports -1 either way).
    """
    dialect, core = _dialect(session), inspect(table).local_table
    key = (dialect, core.name, "ignore")
    if key not in _CACHE:
        module = postgresql if dialect == "postgresql" else sqlite
        first = next(iter(core.primary_key.columns))
        _CACHE[key] = module.insert(core).on_conflict_do_nothing().returning(first)
    return session.execute(_CACHE[key], values).first() is not None


def upsert(session: Session, table: Any, unique: Sequence[str], **values: Any) -> None:
    """INSERT, or UPDATE the other given columns of the row with the same ``unique``."""
    dialect, core = _dialect(session), inspect(table).local_table
    changed = sorted(c for c in values if c not in unique)
    key = (dialect, core.name, f"upsert:{','.join(unique)}:{','.join(changed)}")
    if key not in _CACHE:
        module = postgresql if dialect == "postgresql" else sqlite
        statement = module.insert(core)
        _CACHE[key] = statement.on_conflict_do_update(
            index_elements=[core.c[c] for c in unique],
            set_={c: statement.excluded[c] for c in changed},
        )
    session.execute(_CACHE[key], values)


# Advisory lock keys: claimers of the same queue take turns on PostgreSQL.
OUTBOX_CLAIMS = 0x7461_6E64_0001
INBOUND_CLAIMS = 0x7461_6E64_0002


def take_turn(session: Session, key: int) -> None:
    """Wait for this queue's previous claim to commit (PostgreSQL; on SQLite,
    ``BEGIN IMMEDIATE`` already gives one writer at a time).

    SKIP LOCKED alone is not enough: a claimer skips the rows another has locked
    but not yet committed as taken, and may take the next row of the same
    conversation (or person) out of turn. Claims are short, so taking turns
    costs little.
    """
    if _dialect(session) == "postgresql":
        session.execute(_ADVISORY, {"key": key})


_ADVISORY = text("SELECT pg_advisory_xact_lock(:key)")
