"""Database engines: SQLite (the embedded default) and PostgreSQL (production).

SQLite runs in WAL mode with a busy timeout, and every transaction starts with
``BEGIN IMMEDIATE``. pysqlite's default is to start a transaction lazily and
upgrade it to a write lock at the first write; when two transactions that have
both read try that upgrade at once, SQLite fails one of them with "database is
locked" at once, without waiting for the busy timeout. Taking the write lock at
BEGIN makes the second transaction wait its turn instead.

Within one process the turn is kept here (:class:`Writers`), not by SQLite's
busy handler: that one sleeps and polls (1, 2, 5... up to 100 ms), so under load
a waiter can lose the race again and again for seconds. Here writers wait in
order and each wakes the moment the one before it is done, and the request path
(storing events before their acknowledgement) goes first.
"""

from __future__ import annotations

import heapq
import itertools
import threading
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
    writers = Writers()
    event.listen(engine, "begin", partial(_sqlite_begin, writers))
    _release_after(engine, writers)
    return engine


_local = threading.local()


def first_in_line() -> None:
    """This thread's transactions go before others waiting to write (the request
    path: an acknowledgement waits on it). Called once, at the thread's start."""
    _local.first = True


class Writers:
    """One SQLite writer at a time in this process: in order, the first in line first.

    The turn belongs to a connection (the one that began the transaction) and
    ends when that connection commits, rolls back, or goes back to the pool or
    away (an invalidated connection must not keep the turn forever).
    """

    def __init__(self, timeout: float = SQLITE_BUSY_TIMEOUT_MS / 1000) -> None:
        self._turns = threading.Condition()
        self._owner: int | None = None  # the connection whose turn it is
        self._owner_thread: int | None = None
        self._waiting: list[tuple[int, int, int]] = []  # (rank, arrival, connection)
        self._arrivals = itertools.count()
        self._timeout = timeout

    def acquire(self, connection: int) -> None:
        if self._owner_thread == threading.get_ident() and self._owner != connection:
            # Waiting here would wait for ourselves until the timeout: say so now.
            raise RuntimeError("a second write transaction in a thread that holds one")
        entry = (0 if getattr(_local, "first", False) else 1, next(self._arrivals), connection)
        with self._turns:
            heapq.heappush(self._waiting, entry)
            if not self._turns.wait_for(
                lambda: self._owner is None and self._waiting[0] == entry, self._timeout
            ):
                self._waiting.remove(entry)
                heapq.heapify(self._waiting)
                self._turns.notify_all()
                raise TimeoutError("waited too long for the database")
            heapq.heappop(self._waiting)
            self._owner, self._owner_thread = connection, threading.get_ident()

    def release(self, connection: int) -> None:
        with self._turns:
            if self._owner == connection:
                self._owner = self._owner_thread = None
                self._turns.notify_all()


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


def _raw(connection: Any) -> int:
    """The DBAPI connection under SQLAlchemy's wrappers, as a key."""
    inner = getattr(connection, "dbapi_connection", connection)
    return id(getattr(inner, "dbapi_connection", inner))


def _sqlite_begin(writers: Writers, connection: Any) -> None:
    key = _raw(connection.connection)
    writers.acquire(key)
    try:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    except BaseException:
        writers.release(key)
        raise


def _release_after(engine: Engine, writers: Writers) -> None:
    """The turn ends once SQLite has committed or rolled back (SQLAlchemy's own
    commit event comes just before, too early), or once the connection goes
    back to the pool, is invalidated or is closed, whatever happened to it."""
    dialect = engine.dialect
    commit, rollback = dialect.do_commit, dialect.do_rollback

    def do_commit(dbapi_connection: Any) -> None:
        try:
            commit(dbapi_connection)
        finally:
            writers.release(_raw(dbapi_connection))

    def do_rollback(dbapi_connection: Any) -> None:
        try:
            rollback(dbapi_connection)
        finally:
            writers.release(_raw(dbapi_connection))

    dialect.do_commit = do_commit  # type: ignore[method-assign]
    dialect.do_rollback = do_rollback  # type: ignore[method-assign]

    def gone(dbapi_connection: Any, *_: Any) -> None:
        writers.release(id(dbapi_connection))

    for name in ("checkin", "invalidate", "soft_invalidate", "close", "close_detached"):
        event.listen(engine, name, gone)


def health_probe(url: str) -> tuple[Callable[[], None], Callable[[], None]]:
    """A check that the database answers, bounded to about a second, and how to
    close its connection.

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

    return probe, engine.dispose
