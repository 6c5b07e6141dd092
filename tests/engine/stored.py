"""What the store holds, read (or changed) straight in it, whichever store the app
runs on: the in-memory one (fakes/memory) or a SQL database. For tests that check
rows no port shows (what the outbox kept, that nothing about someone is left)."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from sqlalchemy import delete, select

from fakes.memory import MemoryStore
from fakes.memory.tables import Transaction
from store.tables import Base
from tandem.bootstrap import App

Row = SimpleNamespace  # columns as attributes, as SQLAlchemy's rows have them


def table_names() -> list[str]:
    return [table.name for table in Base.metadata.sorted_tables]


def _memory(app: App) -> MemoryStore | None:
    store = app.core.uow
    return store if isinstance(store, MemoryStore) else None


def rows(app: App, table: str, **equal: Any) -> list[Row]:
    """The committed rows of ``table`` whose columns equal these values, in id order."""
    memory = _memory(app)
    if memory is not None:
        found = [dict(r) for r in memory.database.tables.get(table, {}).values()]
    else:
        sql = Base.metadata.tables[table]
        query = select(sql).order_by(*(sql.c.id,) if "id" in sql.c else ())
        with app.database.connect() as connection:
            found = [dict(r) for r in connection.execute(query).mappings()]
    return [Row(**r) for r in found if all(r[column] == value for column, value in equal.items())]


def count(app: App, table: str, **equal: Any) -> int:
    return len(rows(app, table, **equal))


def delete_rows(app: App, table: str, test: Callable[[Row], bool]) -> None:
    """Delete the rows of ``table`` that pass ``test`` (what a test does not look at)."""
    ids = [r.id for r in rows(app, table) if test(r)]
    memory = _memory(app)
    if memory is not None:
        tx = Transaction(memory.database)
        for row_id in ids:
            tx.delete(table, row_id)
        tx.commit()
        return
    sql = Base.metadata.tables[table]
    with app.database.begin() as connection:
        connection.execute(delete(sql).where(sql.c.id.in_(ids)))
