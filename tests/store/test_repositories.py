"""Repository behaviour the engine relies on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from bot import messages as m
from bot.ports import Sent
from store.database import create_db_engine
from store.models import WorkspaceRow
from store.uow import SqlUnitOfWork, unit_of_work_factory

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)


@pytest.fixture
def uow(database_url: str):  # type: ignore[no-untyped-def]
    engine = create_db_engine(database_url)
    yield lambda: SqlUnitOfWork(unit_of_work_factory(engine))
    engine.dispose()


def test_times_come_back_aware_and_in_utc(uow) -> None:  # type: ignore[no-untyped-def]
    berlin = timezone(timedelta(hours=1))
    with uow() as unit:
        unit.session.add(
            WorkspaceRow(
                platform="x", external_id="y", created_at=datetime(2026, 1, 1, 10, tzinfo=berlin)
            )
        )
        unit.commit()
    with uow() as unit:
        stored = unit.session.scalars(select(WorkspaceRow.created_at)).one()
    assert stored == datetime(2026, 1, 1, 9, tzinfo=UTC) and stored.tzinfo is not None


def test_naive_times_are_refused(uow) -> None:  # type: ignore[no-untyped-def]
    with uow() as unit:
        unit.session.add(
            WorkspaceRow(platform="x", external_id="y", created_at=datetime(2026, 1, 1, 10))
        )
        with pytest.raises(Exception, match="naive datetime"):
            unit.session.flush()


def test_the_outbox_keeps_one_message_per_key(uow) -> None:  # type: ignore[no-untyped-def]
    message = m.Message((m.para("hi"),), "hi")
    with uow() as unit:
        ws = unit.workspaces.ensure("console", "w", NOW)
        unit.people.ensure(ws.id, "ana", "Ana", NOW)
        unit.outbox.add(ws.id, m.Outbound("k1", m.ToPerson("ana"), message), "e1", NOW)
        other = m.Message((m.para("changed"),), "changed")
        unit.outbox.add(ws.id, m.Outbound("k1", m.ToPerson("ana"), other), "e1", NOW)
        unit.commit()
    with uow() as unit:
        (pending,) = unit.outbox.pending_for(ws.id, "ana", NOW)
        assert pending.message == message
        unit.outbox.mark_sent([Sent(ws.id, "k1", "ts-1")], NOW)
        unit.commit()
    with uow() as unit:
        assert unit.outbox.pending_for(ws.id, "ana", NOW) == []


def test_an_event_id_is_new_only_once(uow) -> None:  # type: ignore[no-untyped-def]
    with uow() as unit:
        ws = unit.workspaces.ensure("console", "w", NOW)
        person = unit.people.ensure(ws.id, "ana", "Ana", NOW)
        assert unit.inbox.first_time(ws.id, "e1", person.id, NOW)
        assert not unit.inbox.first_time(ws.id, "e1", person.id, NOW)
        assert unit.inbox.first_time(ws.id, "e2", person.id, NOW)
