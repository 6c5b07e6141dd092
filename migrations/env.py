"""Alembic environment.

``tandem db upgrade`` (store.migrate) hands over an open connection from our own
engine, so SQLite gets the same pragmas and locking as the running app. Run as
``alembic ...`` from the repository (to write a revision), the URL comes from
DATABASE_URL via the app's settings.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from store.database import create_db_engine
from store.tables import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


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
