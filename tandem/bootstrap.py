"""The composition root: builds the engine from settings, a clock and the store.

Called from the CLI's commands and from test fixtures, never at import time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine as Database

from adapters.console.chat import ConsoleChat
from bot.clock import Clock, SystemClock
from bot.engine import Engine
from bot.flows import build_router
from bot.ports import UnitOfWork
from store.console import ConsoleMailbox
from store.database import create_db_engine, is_sqlite
from store.installations import SqlInstallations
from store.migrate import is_current, upgrade
from store.uow import SqlUnitOfWork, unit_of_work_factory
from tandem.settings import Settings, SettingsError


@dataclass
class App:
    settings: Settings
    database: Database
    clock: Clock
    engine: Engine
    mailbox: ConsoleMailbox
    installations: SqlInstallations

    def uow(self) -> UnitOfWork:
        return SqlUnitOfWork(unit_of_work_factory(self.database))

    def close(self) -> None:
        self.database.dispose()

    def chat(self, name: str, **options: Any) -> ConsoleChat:
        """A console chat for ``name`` on this app (its clock, its console inbox)."""
        return ConsoleChat(self.engine, self.mailbox, name, clock=self.clock, **options)


def build(settings: Settings, clock: Clock | None = None, *, durable: bool = True) -> App:
    database = create_db_engine(settings.database_url, durable=durable)
    sessions = unit_of_work_factory(database)
    clock = clock or SystemClock()
    engine = Engine(lambda: SqlUnitOfWork(sessions), clock, build_router())
    return App(
        settings, database, clock, engine, ConsoleMailbox(sessions), SqlInstallations(sessions)
    )


def prepare_database(app: App) -> None:
    """Make sure the schema is current before the app uses it.

    The embedded SQLite database is upgraded on the spot, so a newcomer never
    has to think about it. A shared (PostgreSQL) database is only checked: its
    upgrades are an operator's deliberate step (``tandem db upgrade``), not
    something every starting instance races to do.
    """
    if is_sqlite(app.settings.database_url):
        upgrade(app.database)
    elif not is_current(app.database):
        raise SettingsError("The database schema is out of date. Run `tandem db upgrade` first.")
