"""Test databases: a migrated SQLite template per session, a PostgreSQL database per worker.

PostgreSQL comes from TANDEM_TEST_POSTGRES_URL (default: the local server's
``test`` database). Each pytest worker creates its own scratch database next to
it, migrates it once, and empties its tables between tests. Where the server is
not reachable the PostgreSQL cases are skipped and the run says so at the end;
with TANDEM_REQUIRE_POSTGRES=1 (CI) they fail instead.
"""

from __future__ import annotations

import os
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from store.database import create_db_engine
from store.migrate import upgrade
from store.tables import Base

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def admin_url() -> str:
    return os.environ.get("TANDEM_TEST_POSTGRES_URL", DEFAULT_PG)


def postgres_required() -> bool:
    return os.environ.get("TANDEM_REQUIRE_POSTGRES") == "1"


@dataclass
class PostgresServer:
    """The scratch database of this test process, created on first use."""

    url: str | None = None
    problem: str | None = None
    _admin: Engine | None = field(default=None, repr=False)

    def database(self, worker: str) -> str:
        if self.url is None and self.problem is None:
            self._create(worker)
        if self.url is None:
            raise LookupError(self.problem)
        return self.url

    def _create(self, worker: str) -> None:
        name = f"tandem_test_{worker}_{uuid.uuid4().hex[:8]}"
        try:
            self._admin = create_engine(admin_url(), isolation_level="AUTOCOMMIT")
            with self._admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
        except Exception as error:  # noqa: BLE001 - any failure means "no PostgreSQL here"
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
            self.problem = f"PostgreSQL not reachable at {_safe(admin_url())}: {first_line}"
            return
        self.url = make_url(admin_url()).set(database=name).render_as_string(hide_password=False)
        engine = create_db_engine(self.url)
        upgrade(engine)
        engine.dispose()

    def drop(self) -> None:
        if self.url is None or self._admin is None:
            return
        name = make_url(self.url).database
        with self._admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self._admin.dispose()


def admin_url_for_humans() -> str:
    return _safe(admin_url())


def _safe(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def empty_tables(engine: Engine) -> None:
    """Remove every row (PostgreSQL), keeping the migrated schema."""
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@dataclass
class SqliteTemplate:
    """A migrated SQLite file, copied for each test (migrating each time is slow)."""

    folder: Path
    _path: Path | None = None

    def fresh(self, target: Path) -> str:
        if self._path is None:
            self._path = self.folder / "template.db"
            engine = create_db_engine(f"sqlite:///{self._path}")
            upgrade(engine)
            engine.dispose()  # the last connection to close checkpoints the WAL into the file
        shutil.copyfile(self._path, target)
        return f"sqlite:///{target}"
