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
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=sqlite,
        compare_type=True,
    )
    with _foreign_keys_set_aside(connection) if sqlite else nullcontext():
        with context.begin_transaction():
            context.run_migrations()
        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"the migration left {len(broken)} rows without their parent")
        # Alembic leaves SQLite's last statements in an autobegun transaction.
        if connection.in_transaction():
            connection.commit()


@contextmanager
def _foreign_keys_set_aside(connection: Connection) -> Iterator[None]:
    """SQLite foreign keys off for the migration, on again after.

    SQLite changes a table (batch mode) by copying it and dropping the old one.
    With foreign keys on, dropping ``people`` would delete every row that refers
    to it (ON DELETE CASCADE): enrolments, answers, matches. SQLite ignores this
    pragma inside a transaction, so it goes to the driver's connection before
    the migration begins and after it has ended, and the rows are checked before
    it commits (https://www.sqlite.org/lang_altertable.html, "other kinds of
    table schema changes"). The connection goes back to the pool with foreign
    keys on, whatever happened.
    """
    if connection.in_transaction():
        raise RuntimeError("migrate on a connection that has not begun a transaction")
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
    with engine.connect() as fresh:
        _run(fresh)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("Offline (SQL script) migrations are not supported; run them online.")
run()
