"""Repository behaviour the engine relies on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from bot import outbound as m
from bot.outbox import Sent
from store.database import create_db_engine
from store.tables import WorkspaceRow
from store.uow import SqlUnitOfWork, unit_of_work_factory

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)


@pytest.fixture
def sql_uow(database_url: str):  # type: ignore[no-untyped-def]
    engine = create_db_engine(database_url)
    yield lambda: SqlUnitOfWork(unit_of_work_factory(engine))
    engine.dispose()


@pytest.fixture
def uow(uow_factory):  # type: ignore[no-untyped-def]
    return uow_factory


def test_times_come_back_aware_and_in_utc(sql_uow) -> None:  # type: ignore[no-untyped-def]
    berlin = timezone(timedelta(hours=1))
    uow = sql_uow
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


def test_naive_times_are_refused(sql_uow) -> None:  # type: ignore[no-untyped-def]
    with sql_uow() as unit:
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
        assert unit.outbox.add(ws.id, m.Outbound("k1", m.ToPerson("ana"), message), "e1", NOW)
        other = m.Message((m.para("changed"),), "changed")
        assert not unit.outbox.add(ws.id, m.Outbound("k1", m.ToPerson("ana"), other), "e1", NOW)
        unit.commit()
    with uow() as unit:
        (claimed,) = unit.outbox.claim(NOW, "w1", timedelta(minutes=5), 10, ["console"])
        assert claimed.outbound.message == message
        unit.outbox.sent([Sent(ws.id, "k1", "ts-1")], NOW, "w1")
        unit.commit()
    with uow() as unit:
        assert unit.outbox.next_due(["console"]) is None  # sent: nothing left


def test_an_event_id_is_new_only_once(uow) -> None:  # type: ignore[no-untyped-def]
    with uow() as unit:
        ws = unit.workspaces.ensure("console", "w", NOW)
        person = unit.people.ensure(ws.id, "ana", "Ana", NOW)
        assert unit.inbox.first_time(ws.id, "e1", person.id, NOW)
        assert not unit.inbox.first_time(ws.id, "e1", person.id, NOW)
        assert unit.inbox.first_time(ws.id, "e2", person.id, NOW)


def _two_programs_with_a_match(unit):  # type: ignore[no-untyped-def]
    from bot.admin import bundled_programs

    ws = unit.workspaces.ensure("console", "w", NOW)
    spec = bundled_programs()[0]
    mine = unit.programs.put(ws.id, spec, NOW)
    other = unit.programs.put(ws.id, spec.model_copy(update={"slug": "other"}), NOW)
    ana = unit.people.ensure(ws.id, "ana", "Ana", NOW)
    bo = unit.people.ensure(ws.id, "bo", "Bo", NOW)
    round_ = unit.rounds.add(ws.id, mine.id, 1, True, NOW)
    match_id = unit.matches.add(round_, "peer", 1.0, [], [(ana.id, "peer"), (bo.id, "peer")], NOW)
    return mine, other, ana, bo, unit.matches.get(match_id)


def test_a_programs_answers_come_in_one_read_by_enrolment(uow) -> None:  # type: ignore[no-untyped-def]
    with uow() as unit:
        mine, other, ana, bo, _ = _two_programs_with_a_match(unit)
        enrolled = unit.enrolments.add(mine.workspace_id, mine.id, ana.id, NOW)
        elsewhere = unit.enrolments.add(other.workspace_id, other.id, bo.id, NOW)
        unit.answers.put(enrolled, "timezone", "Europe/Berlin", NOW)
        unit.answers.put(enrolled, "working_hours", "08:00-16:00", NOW)
        unit.answers.put(enrolled, "goals", "learn SQL", NOW)
        unit.answers.put(elsewhere, "timezone", "Europe/London", NOW)
        unit.commit()
    with uow() as unit:
        found = unit.answers.in_program(mine.id, ["timezone", "working_hours"])
    assert found == {enrolled.id: {"timezone": "Europe/Berlin", "working_hours": "08:00-16:00"}}


def test_a_programs_check_ins_can_be_read_from_a_day_on(uow) -> None:  # type: ignore[no-untyped-def]
    first = NOW.date()
    with uow() as unit:
        _, _, ana, bo, match = _two_programs_with_a_match(unit)
        for cycle in (1, 2, 3):
            for person in (ana, bo):
                due = first + timedelta(days=14 * cycle)
                unit.checkins.add(match, person.id, cycle, due, NOW)
        unit.commit()
    with uow() as unit:
        every = unit.checkins.of_program(match.program_id, first)
        recent = unit.checkins.of_program(match.program_id, first + timedelta(days=28))
    assert [c.cycle for c in every] == [1, 1, 2, 2, 3, 3]
    assert [c.cycle for c in recent] == [2, 2, 3, 3]


def test_a_scratch_database_skips_fsyncs_and_a_real_one_does_not(tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = {}
    for durable in (True, False):
        engine = create_db_engine(f"sqlite:///{tmp_path}/{durable}.db", durable=durable)
        with engine.connect() as connection:
            settings[durable] = connection.exec_driver_sql("PRAGMA synchronous").scalar()
        engine.dispose()
    assert settings == {True: 1, False: 0}  # NORMAL (safe in WAL mode), OFF
