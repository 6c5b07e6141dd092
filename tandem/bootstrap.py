"""The composition root: every part of Tandem, built from settings, in one place.

Called from the CLI's commands and from test fixtures, never at import time.
Adding a platform is a folder under ``adapters/`` (an :class:`adapters.wiring.Adapter`)
and one line in :data:`ADAPTERS`.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine as Database

from adapters.console.adapter import ADAPTER as CONSOLE
from adapters.console.attachments import Attachments
from adapters.console.chat import ConsoleChat
from adapters.slack.adapter import ADAPTER as SLACK
from adapters.teams.adapter import ADAPTER as TEAMS
from adapters.wiring import Adapter, Core
from bot.clock import Clock, SystemClock
from bot.delivery import Courier
from bot.engine import Engine
from bot.flows import build_router
from bot.handoff import Handoff, Receiver
from bot.platform import Capabilities, Platform
from bot.ports import UnitOfWork, UnitOfWorkFactory
from store.database import create_db_engine, is_sqlite
from store.migrate import is_current, upgrade
from store.uow import SqlUnitOfWork, unit_of_work_factory
from tandem.settings import Settings, SettingsError

ADAPTERS: tuple[Adapter, ...] = (
    CONSOLE,
    SLACK,
    TEAMS,
)


def load_settings(env: Mapping[str, str] | None = None, *, socket_mode: bool = False) -> Settings:
    """Settings from the environment, every platform's included."""
    return Settings.from_env(env, adapters=ADAPTERS, socket_mode=socket_mode)


def worker_name() -> str:
    """Who holds a lease: this process, on this host."""
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass
class App:
    """Tandem, built: the engine, the store, and a platform for each one that is on."""

    settings: Settings
    sql: Database | None  # None: the app runs on a store given to build()
    clock: Clock
    engine: Engine
    core: Core
    configs: dict[str, Any]  # each platform's settings, by name
    platforms: dict[str, Platform]
    worker: str
    receivers: dict[str, Receiver] = field(default_factory=dict)

    @property
    def database(self) -> Database:
        """The SQL database the app runs on."""
        if self.sql is None:
            raise RuntimeError("this app runs on a store it was given, not on a database")
        return self.sql

    def uow(self) -> UnitOfWork:
        return self.core.uow()

    @property
    def capabilities(self) -> dict[str, Capabilities]:
        return {name: platform.capabilities for name, platform in self.platforms.items()}

    @property
    def lease(self) -> timedelta:
        return timedelta(seconds=self.settings.lease_seconds)

    def courier(self, *only: str, **options: Any) -> Courier:
        """The outbox's sender for every platform (or ``only`` those named)."""
        platforms = {n: p for n, p in self.platforms.items() if not only or n in only}
        options.setdefault("lease", self.lease)
        return Courier(self.uow, self.clock, platforms, self.worker, **options)

    def handoff(self, **options: Any) -> Handoff:
        """The worker side of the inbound queue (see :mod:`bot.handoff`)."""
        return Handoff(self.uow, self.engine, self.clock, self.worker, self.receivers, **options)

    def chat(self, name: str, **options: Any) -> ConsoleChat:
        """A console chat for ``name`` on this app (its clock, the console's outbox);
        charts and files it shows are saved under ``<data dir>/files/<person>/``."""
        courier = self.courier(CONSOLE.name)
        options.setdefault("attachments", Attachments(self.settings.data_dir / "files"))
        return ConsoleChat(self.engine, self.uow, courier, name, clock=self.clock, **options)

    def adapter(self, name: str) -> Adapter:
        return next(a for a in ADAPTERS if a.name == name)

    def close(self) -> None:
        if self.sql is not None:
            self.sql.dispose()


def build(
    settings: Settings,
    clock: Clock | None = None,
    *,
    durable: bool = True,
    worker: str | None = None,
    store: UnitOfWorkFactory | None = None,
) -> App:
    """Tandem on the database of ``settings``, or on ``store`` when one is given
    (the tests' in-memory store): everything else is built the same way."""
    database = None
    if store is None:
        database = create_db_engine(settings.database_url, durable=durable)
        store = _sql_store(database)
    uow = store
    clock = clock or SystemClock()

    engine = Engine(
        uow, clock, build_router(), admins=settings.admins, public_url=settings.public_url
    )
    core = Core(engine, uow, clock)
    configs: dict[str, Any] = {}
    platforms: dict[str, Platform] = {}
    receivers: dict[str, Receiver] = {}
    for adapter in ADAPTERS:
        # A platform that needs no settings (the console) is on however the
        # settings were made.
        config = settings.platform(adapter.name) or adapter.configure({})
        if config is None:
            continue
        configs[adapter.name] = config
        platform = platforms[adapter.name] = adapter.platform(config, core)
        receiver = adapter.receiver(config, platform, core)
        if receiver is not None:
            receivers[adapter.name] = receiver
    # The engine adapts to what each platform can do (group chats, forms).
    engine.capabilities.update({name: p.capabilities for name, p in platforms.items()})
    return App(
        settings,
        database,
        clock,
        engine,
        core,
        configs,
        platforms,
        worker or worker_name(),
        receivers,
    )


def _sql_store(database: Database) -> UnitOfWorkFactory:
    sessions = unit_of_work_factory(database)

    def uow() -> UnitOfWork:
        return SqlUnitOfWork(sessions)

    return uow


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
