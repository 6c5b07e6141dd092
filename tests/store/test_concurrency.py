"""Concurrent writers: no "database is locked", no event handled twice."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from adapters.console.chat import WORKSPACE
from adapters.console.platform import PLATFORM
from bot.events import Actor, TextReplied
from store.database import create_db_engine
from store.tables import InboundEventRow, OutboxRow, WorkspaceRow
from store.uow import SqlUnitOfWork, unit_of_work_factory
from tandem.bootstrap import App, build

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)


def _in_threads(count: int, work: Callable[[int], object]) -> list[object]:
    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(work, range(count)))


def test_concurrent_read_then_write_transactions_never_fail(database_url: str) -> None:
    # The pattern that makes deferred SQLite transactions fail at once with
    # "database is locked": read, then write, in several connections at a time.
    engine = create_db_engine(database_url)
    sessions = unit_of_work_factory(engine)

    def writer(thread: int) -> int:
        for n in range(40):
            with SqlUnitOfWork(sessions) as uow:
                uow.session.scalar(select(func.count()).select_from(WorkspaceRow))
                uow.workspaces.ensure("load", f"{thread}-{n}", NOW)
                uow.commit()
        return thread

    assert _in_threads(4, writer) == [0, 1, 2, 3]
    with engine.connect() as connection:
        count = connection.scalar(select(func.count()).select_from(WorkspaceRow))
    engine.dispose()
    assert count == 160


def test_two_instances_handling_the_same_event_at_once_handle_it_once(app: App) -> None:
    other = build(app.settings, clock=app.clock)  # a second running instance
    engines = [app.engine, other.engine]
    actor = Actor(WORKSPACE, "ana", "Ana", None, PLATFORM)
    start = threading.Barrier(2)
    attempt = 0

    def deliver(instance: int) -> bool:
        start.wait()
        event = TextReplied(event_id=f"same-{attempt}", actor=actor, text="help")
        outcome = engines[instance].handle(event)
        # Whoever handled it queued the reply; the other queued nothing.
        assert bool(outcome.messages) != outcome.duplicate
        return outcome.duplicate

    for attempt in range(10):  # noqa: B007 - read by deliver()
        results = _in_threads(2, deliver)
        assert sorted(results) == [False, True]
    with app.database.connect() as connection:
        handled = connection.execute(InboundEventRow.__table__.select()).all()
        replies = connection.scalar(select(func.count()).select_from(OutboxRow))
    assert len(handled) == 10 and replies == 10
    other.close()


def test_one_persons_events_at_once_are_all_handled(app: App) -> None:
    other = build(app.settings, clock=app.clock)
    engines = [app.engine, other.engine]
    actor = Actor(WORKSPACE, "bo", "Bo", None, PLATFORM)
    start = threading.Barrier(4)

    def deliver(n: int) -> str:
        start.wait()
        event = TextReplied(event_id=f"e{n}", actor=actor, text="programs")
        outcome = engines[n % 2].handle(event)
        return outcome.messages[0].message.summary

    assert _in_threads(4, deliver) == ["Programs running here"] * 4
    other.close()


def test_an_invalidated_connection_gives_its_write_turn_back(tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path}/turns.db")
    connection = engine.connect()
    connection.begin()  # takes this process's write turn
    connection.invalidate()  # and dies without committing or rolling back
    connection.close()
    writer = _in_threads(1, lambda _: _write(engine))  # would wait 30 s for the turn
    assert writer == [1]
    engine.dispose()


def test_a_second_write_transaction_in_one_thread_is_refused_at_once(tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path}/turns.db")
    with engine.begin(), pytest.raises(RuntimeError, match="second write transaction"):
        _write(engine)  # would otherwise wait for itself until the timeout
    assert _write(engine) == 1  # and the turn was given back
    engine.dispose()


def _write(engine: Engine) -> int:
    with engine.begin() as connection:
        return int(connection.scalar(select(1)) or 0)
