"""Database engines: SQLite (the embedded default) and PostgreSQL (production).

SQLite runs in WAL mode with a busy timeout, and every transaction starts with
``BEGIN IMMEDIATE``. pysqlite's default is to start a transaction lazily and
upgrade it to a write lock at the first write; when two transactions that have
both read try that upgrade at once, SQLite fails one of them with "database is
locked" at once, without waiting for the busy timeout. Taking the write lock at
BEGIN makes the second transaction wait its turn instead.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

SQLITE_BUSY_TIMEOUT_MS = 30_000


def default_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / 'tandem.db'}"


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def create_db_engine(url: str, *, echo: bool = False, durable: bool = True) -> Engine:
    """An engine for ``url``, set up for safe concurrent use.

    ``durable=False`` is for scratch SQLite databases (a simulation's): it skips
    the fsyncs at WAL checkpoints, so a power cut may lose the latest commits.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed, echo=echo, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        parsed,
        echo=echo,
        connect_args={
            "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000,
            # More than the distinct statements Tandem runs (pysqlite keeps 128),
            # so none is parsed again after its first use.
            "cached_statements": 512,
        },
    )
    event.listen(engine, "connect", partial(_sqlite_connect, durable=durable))
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection: Any, _record: Any, *, durable: bool = True) -> None:
    # Stop pysqlite from issuing its own (deferred) BEGIN; _sqlite_begin does it.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in (
        "journal_mode=WAL",
        f"busy_timeout={SQLITE_BUSY_TIMEOUT_MS}",
        "foreign_keys=ON",
        "synchronous=NORMAL" if durable else "synchronous=OFF",
    ):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def health_probe(url: str) -> Callable[[], None]:
    """A check that the database answers, bounded to about a second.

    It has a connection of its own, outside the application's pool (which may be
    busy), and takes no lock: on SQLite a plain read, not ``BEGIN IMMEDIATE``.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(parsed, poolclass=NullPool, connect_args={"timeout": 1})
    else:
        engine = create_engine(
            parsed,
            pool_size=1,
            max_overflow=0,
            pool_timeout=1,
            pool_pre_ping=True,
            connect_args={"connect_timeout": 1, "options": "-c statement_timeout=1000"},
        )

    def probe() -> None:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    return probe
