"""Shared fixtures: stores (in memory, SQLite and PostgreSQL), a manual clock, the app."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from adapters.console.chat import WORKSPACE, ConsoleChat, counter
from adapters.console.platform import PLATFORM
from bot.admin import bundled_programs, install_programs
from bot.clock import ManualClock
from bot.ports import UnitOfWorkFactory
from fakes.memory import MemoryStore
from store.database import create_db_engine, is_sqlite
from store.uow import SqlUnitOfWork, unit_of_work_factory
from tandem.bootstrap import App, build
from tandem.settings import Settings
from tests.databases import (
    PostgresServer,
    SqliteTemplate,
    admin_url_for_humans,
    empty_tables,
    postgres_required,
)

# A Monday morning; tests move the clock explicitly.
START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

_postgres = PostgresServer()
SKIP_REASON = "PostgreSQL not available"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _postgres.drop()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    # Counted from the reports, so it also works when pytest-xdist workers ran the tests.
    skipped = [
        report
        for report in terminalreporter.stats.get("skipped", [])
        if SKIP_REASON in str(getattr(report, "longrepr", ""))
    ]
    if not skipped:
        return
    terminalreporter.section("PostgreSQL", sep="=", yellow=True, bold=True)
    terminalreporter.line(
        f"SKIPPED {len(skipped)} PostgreSQL test(s): {SKIP_REASON} at "
        f"{admin_url_for_humans()}. Only SQLite was tested."
    )
    terminalreporter.line(
        "Start the server with: pg_ctlcluster --skip-systemctl-redirect "
        "$(ls /etc/postgresql) main start"
    )


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> SqliteTemplate:
    return SqliteTemplate(tmp_path_factory.mktemp("template"))


MEMORY = "memory"  # the tests' in-memory store (fakes/memory)
POSTGRES = pytest.param("postgresql", marks=pytest.mark.postgres)
SQL_STORES = ["sqlite", POSTGRES]  # the databases Tandem runs on
STORES = [MEMORY, *SQL_STORES]


def _database(kind: str, tmp_path: Path, sqlite_template: SqliteTemplate) -> str:
    """A migrated, empty database of this kind (``sqlite`` or ``postgresql``)."""
    if kind == "sqlite":
        return sqlite_template.fresh(tmp_path / "tandem.db")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    try:
        url = _postgres.database(worker)
    except LookupError as error:
        if postgres_required():
            pytest.fail(f"TANDEM_REQUIRE_POSTGRES=1 but {error}")
        pytest.skip(f"{SKIP_REASON}: {error}")
    engine = create_db_engine(url)
    empty_tables(engine)
    engine.dispose()
    return url


@pytest.fixture(params=SQL_STORES)
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: SqliteTemplate
) -> str:
    """A migrated, empty database: each test runs once on SQLite and once on PostgreSQL."""
    return _database(request.param, tmp_path, sqlite_template)


@pytest.fixture(params=STORES)
def uow_factory(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: SqliteTemplate
) -> Iterator[UnitOfWorkFactory]:
    """An empty store, for the repositories' contract: each test runs on the
    in-memory store, on SQLite and on PostgreSQL, and all three must agree."""
    if request.param == MEMORY:
        yield MemoryStore()
        return
    engine = create_db_engine(_database(request.param, tmp_path, sqlite_template))
    sessions = unit_of_work_factory(engine)
    yield lambda: SqlUnitOfWork(sessions)
    engine.dispose()


@pytest.fixture(params=SQL_STORES)
def app_store(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: SqliteTemplate
) -> str:
    """What the ``app`` fixture runs on: ``memory``, or a database's URL. SQLite and
    PostgreSQL here; tests/engine runs on the in-memory store unless a test asks
    for the databases (``on_databases``)."""
    return store_for(request.param, tmp_path, sqlite_template)


def store_for(kind: str, tmp_path: Path, sqlite_template: SqliteTemplate) -> str:
    """``memory``, or the URL of a migrated, empty database of this kind."""
    return MEMORY if kind == MEMORY else _database(kind, tmp_path, sqlite_template)


# For a test (or a module's ``pytestmark``) that must run on the real databases.
on_databases = pytest.mark.parametrize("app_store", SQL_STORES, indirect=True)
on_every_store = pytest.mark.parametrize("app_store", STORES, indirect=True)


def build_app(store: str, clock: ManualClock, tmp_path: Path, **settings: Any) -> App:
    """The whole app on ``store`` (see ``app_store``), with the example programs."""
    if store == MEMORY:
        # No database: the URL says so, should anything try to open it.
        options = Settings(database_url="memory://", data_dir=tmp_path, **settings)
        application = build(options, clock=clock, store=MemoryStore())
    else:
        options = Settings(database_url=store, data_dir=tmp_path, **settings)
        application = build(options, clock=clock)
    install_programs(application.uow, clock, PLATFORM, WORKSPACE, bundled_programs())
    return application


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


def another_instance(app: App, clock: ManualClock) -> App:
    """Another instance of Tandem on the app's store (or the app, restarted): on a
    database, a new engine and pool, as a second process has."""
    store = app.core.uow if app.sql is None else None
    return build(app.settings, clock=clock, store=store)


@pytest.fixture
def app(app_store: str, clock: ManualClock, tmp_path: Path) -> Iterator[App]:
    """The whole app on its store (``app_store``), with the example programs installed."""
    application = build_app(app_store, clock, tmp_path)
    yield application
    application.close()


@pytest.fixture
def chat(app: App) -> Callable[..., ConsoleChat]:
    """A console chat for a named person, with deterministic event ids."""

    sessions = iter(range(1, 1000))

    def open_chat(name: str, **options: object) -> ConsoleChat:
        ids = counter(f"chat{next(sessions)}")  # opaque, like a platform's event ids
        return app.chat(name, event_ids=ids, **options)

    return open_chat


def on_sqlite(app: App) -> bool:
    return app.sql is not None and is_sqlite(app.settings.database_url)
