"""Alembic environment.

``tandem db upgrade`` (store.migrate) hands over an open connection from our own
engine, so SQLite gets the same pragmas and locking as the running app. Run as
``alembic ...`` from the repository (to write a revision), the URL comes from
DATABASE_URL via the app's settings.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext

from alembic import context
from sqlalchemy import Connection

from store.database import create_db_engine
from store.tables import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    began_here = not connection.in_transaction()
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=sqlite,
        compare_type=True,
        # All revisions in one transaction on SQLite too (our engine begins its own
        # transactions), so the foreign key check below can still undo them.
        transactional_ddl=True,
    )
    with _foreign_keys_set_aside(connection) if sqlite else nullcontext():
        with context.begin_transaction():
            before = _orphans(connection) if sqlite else 0
            context.run_migrations()
            if sqlite and (after := _orphans(connection)) > before:
                # Rows without their parent that were there before are not ours to
                # judge; new ones mean a table copy lost what they point at.
                raise RuntimeError(
                    f"the migration would leave {after - before} more rows without their parent"
                )
        if began_here and connection.in_transaction():
            connection.commit()


def _orphans(connection: Connection) -> int:
    """Rows whose foreign key points at no row (SQLite's own check)."""
    return len(connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall())


@contextmanager
def _foreign_keys_set_aside(connection: Connection) -> Iterator[None]:
    """SQLite foreign keys off for the migration, on again after.

    SQLite changes a table (batch mode) by copying it and dropping the old one.
    With foreign keys on, dropping ``people`` would delete every row that refers
    to it (ON DELETE CASCADE): enrolments, answers, matches. SQLite ignores this
    pragma inside a transaction, so it goes to the driver's connection before
    the migration begins and after it has ended, and the rows are checked before
    the migration's one transaction commits
    (https://www.sqlite.org/lang_altertable.html, "other kinds of table schema
    changes"). The connection goes back to the pool with foreign keys on,
    whatever happened.
    """
    if connection.in_transaction():
        raise RuntimeError("migrate SQLite on a connection that has not begun a transaction")
    raw = connection.connection.dbapi_connection
    assert raw is not None
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
    finally:
        if connection.in_transaction():
            connection.rollback()
        raw.execute("PRAGMA foreign_keys=ON")
        if raw.execute("PRAGMA foreign_keys").fetchone() != (1,):
            raise RuntimeError("SQLite foreign keys could not be turned on again")


def _url() -> str:
    url = config.get_main_option("sqlalchemy.url")
    if url:
        return url
    from tandem.settings import Settings

    return Settings.from_env().database_url


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_db_engine(_url())
    try:
        with engine.connect() as fresh:
            _run(fresh)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("Offline (SQL script) migrations are not supported; run them online.")
run()
