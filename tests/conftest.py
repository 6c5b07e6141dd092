"""Shared fixtures: databases (SQLite and PostgreSQL), a manual clock, the app."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from adapters.console.chat import WORKSPACE, ConsoleChat, counter
from adapters.console.platform import PLATFORM
from bot.admin import bundled_programs, install_programs
from bot.clock import ManualClock
from store.database import create_db_engine, is_sqlite
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


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: SqliteTemplate
) -> Iterator[str]:
    """A migrated, empty database: each test runs once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        yield sqlite_template.fresh(tmp_path / "tandem.db")
        return
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
    yield url


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def app(database_url: str, clock: ManualClock, tmp_path: Path) -> Iterator[App]:
    """The whole app on a test database, with the example programs installed."""
    application = build(Settings(database_url=database_url, data_dir=tmp_path), clock=clock)
    install_programs(application.uow, clock, PLATFORM, WORKSPACE, bundled_programs())
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
    return is_sqlite(app.settings.database_url)
