"""The store's contract, part one: transactions, people and programs, conversations,
and what platforms keep. Every test runs on each store (``uow_factory``: in memory,
SQLite, PostgreSQL); the engine tests rely on the fake behaving as these say."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot import outbound as m
from bot.admin import bundled_programs
from bot.dashboard_sessions import Holder
from bot.model import Conversation, ConversationKey, Status
from bot.platform import Installation
from bot.ports import Conflict, UnitOfWork

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
Uow = Callable[[], UnitOfWork]


def test_what_is_not_committed_is_rolled_back(uow_factory: Uow) -> None:
    with uow_factory() as unit:
        ws = unit.workspaces.ensure("console", "w", NOW)
        unit.commit()
    with uow_factory() as unit:
        unit.people.ensure(ws.id, "ana", "Ana", NOW)  # left without a commit
    with uow_factory() as unit:
        assert unit.people.find(ws.id, "ana") is None
        unit.people.ensure(ws.id, "bo", "Bo", NOW)
        unit.commit()
        unit.people.ensure(ws.id, "cy", "Cy", NOW)  # after the commit, not committed
    with uow_factory() as unit:
        assert unit.people.find(ws.id, "bo") is not None
        assert unit.people.find(ws.id, "cy") is None


def test_a_duplicate_enrolment_is_a_conflict(uow_factory: Uow) -> None:
    with uow_factory() as unit:
        ws = unit.workspaces.ensure("console", "w", NOW)
        program = unit.programs.put(ws.id, bundled_programs()[0], NOW)
        ana = unit.people.ensure(ws.id, "ana", "Ana", NOW)
        unit.enrolments.add(ws.id, program.id, ana.id, NOW)
        unit.commit()
    # SQL raises on leaving the block, the fake at once: the whole block is the subject.
    with pytest.raises(Conflict), uow_factory() as unit:  # noqa: PT012
        unit.enrolments.add(ws.id, program.id, ana.id, NOW)
        unit.commit()


def test_people_are_found_by_platform_id_and_keep_their_latest_name(uow_factory: Uow) -> None:
    with uow_factory() as unit:
        ws = unit.workspaces.ensure("console", "w", NOW)
        assert unit.workspaces.ensure("console", "w", NOW) == ws
        ana = unit.people.ensure(ws.id, "ana", "", NOW)
        assert ana.display_name == "ana"  # no name yet: the platform id stands in
        renamed = unit.people.ensure(ws.id, "ana", "Ana Lima", NOW)
        assert (renamed.id, renamed.display_name) == (ana.id, "Ana Lima")
        assert unit.people.ensure(ws.id, "ana", "", NOW).display_name == "Ana Lima"
        assert unit.people.get(ana.id) == renamed
        unit.commit()
    with uow_factory() as unit:
        assert unit.people.find(ws.id, "ana") == renamed
        assert unit.people.find(ws.id, "nobody") is None


def test_a_program_put_again_records_how_it_changed(uow_factory: Uow) -> None:
    spec = bundled_programs()[0]
    with uow_factory() as unit:
        ws = unit.workspaces.ensure("console", "w", NOW)
        first = unit.programs.put(ws.id, spec, NOW)
        again = spec.model_copy(update={"meeting_minutes": spec.meeting_minutes + 15})
        later = NOW + timedelta(days=1)
        assert unit.programs.put(ws.id, again, later).id == first.id
        unit.commit()
    with uow_factory() as unit:
        stored = unit.programs.get(ws.id, spec.slug)
        assert stored is not None and stored.spec.meeting_minutes == again.meeting_minutes
        assert [p.slug for p in unit.programs.all(ws.id)] == [spec.slug]
        assert unit.programs.by_id(first.id).spec == stored.spec
        (change,) = unit.changes.of_program(first.id)
        assert (change.what, change.changed_at) == ("meeting length", later)


def test_enrolments_and_answers_are_saved_and_read_back(uow_factory: Uow) -> None:
    with uow_factory() as unit:
        ws = unit.workspaces.ensure("console", "w", NOW)
        program = unit.programs.put(ws.id, bundled_programs()[0], NOW)
        ana = unit.people.ensure(ws.id, "ana", "Ana", NOW)
        enrolment = unit.enrolments.add(ws.id, program.id, ana.id, NOW)
        unit.answers.put(enrolment, "skills", ["sql", "python"], NOW)
        unit.answers.put(enrolment, "skills", ["go"], NOW)  # an answer replaced
        unit.answers.put(enrolment, "bio", None, NOW)  # a question skipped
        done = replace(enrolment, status=Status.ACTIVE, intake_completed_at=NOW)
        unit.enrolments.save(done)
        unit.commit()
    with uow_factory() as unit:
        assert unit.answers.of(enrolment.id) == {"skills": ["go"], "bio": None}
        assert unit.enrolments.get(program.id, ana.id) == done
        assert unit.enrolments.of_person(ana.id) == [done]
        assert unit.enrolments.in_program(program.id, [Status.INTAKE]) == []
        assert unit.enrolments.in_program(program.id) == [done]


def test_a_conversation_comes_back_as_json_keeps_it(uow_factory: Uow) -> None:
    with uow_factory() as unit:
        ws = unit.workspaces.ensure("console", "w", NOW)
        key = ConversationKey(ws.id, unit.people.ensure(ws.id, "ana", "Ana", NOW).id)
        unit.conversations.save(key, Conversation("intake", {"done": ("a", "b"), "n": 1}), NOW)
        unit.commit()
    with uow_factory() as unit:
        loaded = unit.conversations.load(key)
        assert loaded is not None
        assert (loaded.flow, dict(loaded.data)) == ("intake", {"done": ["a", "b"], "n": 1})
        unit.conversations.clear(key)
        unit.commit()
    with uow_factory() as unit:
        assert unit.conversations.load(key) is None


def test_addresses_merge_and_are_found_by_a_field(uow_factory: Uow) -> None:
    with uow_factory() as unit:
        ws = unit.workspaces.ensure("teams", "t", NOW)
        unit.addresses.put(ws.id, "u1", {"email": "Ana@Example.com", "service": "s1"}, NOW)
        unit.addresses.put(ws.id, "u1", {"service": "s2", "email": ""}, NOW)
        unit.commit()
    with uow_factory() as unit:
        assert unit.addresses.get(ws.id, "u1") == {"email": "Ana@Example.com", "service": "s2"}
        assert unit.addresses.find(ws.id, "email", "ana@example.com") == "u1"
        assert unit.addresses.find(ws.id, "email", "bo@example.com") is None
        unit.addresses.forget(ws.id, "u1")
        assert unit.addresses.get(ws.id, "u1") is None


def test_a_second_install_replaces_the_first(uow_factory: Uow) -> None:
    def install(token: str) -> Installation:
        return Installation("slack", "T1", token, "B1", "U1", NOW, {"team": "Acme"})

    with uow_factory() as unit:
        unit.installations.save(install("xoxb-1"))
        unit.installations.save(install("xoxb-2"))
        unit.commit()
    with uow_factory() as unit:
        found = unit.installations.find("slack", "T1")
        assert found is not None and (found.token, found.details) == ("xoxb-2", {"team": "Acme"})
        assert unit.installations.find("slack", "T2") is None
        assert unit.installations.remove("slack", "T1")
        assert not unit.installations.remove("slack", "T1")


def test_the_console_inbox_shows_each_message_once(uow_factory: Uow) -> None:
    hello = m.Message((m.para("hello"),), "hello")
    with uow_factory() as unit:
        ws = unit.workspaces.ensure("console", "w", NOW)
        for who in ("ana", "bo"):
            unit.people.ensure(ws.id, who, who.title(), NOW)
        group = m.Outbound("k1", m.ToGroup(("ana", "bo", "nobody")), hello)
        assert unit.mailbox.deliver(ws.id, group, NOW) == 2
        assert unit.mailbox.deliver(ws.id, group, NOW) == 2  # delivered again: kept once
        unit.commit()
    with uow_factory() as unit:
        assert unit.mailbox.last_shown(ws.id, "ana") is None
        assert unit.mailbox.take_unread(ws.id, "ana", NOW) == [("k1", hello)]
        assert unit.mailbox.take_unread(ws.id, "ana", NOW) == []
        assert unit.mailbox.last_shown(ws.id, "ana") == hello
        assert unit.mailbox.redact(ws.id, ["hello"]) == 2
        unit.commit()


def test_a_sign_in_link_works_once_and_a_session_until_it_ends(uow_factory: Uow) -> None:
    with uow_factory() as unit:
        ws = unit.workspaces.ensure("console", "w", NOW)
        holder = Holder(ws.id, unit.people.ensure(ws.id, "ana", "Ana", NOW).id)
        unit.dashboards.add_link(holder, "l1", NOW, NOW + timedelta(minutes=10))
        unit.dashboards.add_link(holder, "l2", NOW, NOW + timedelta(minutes=10))
        unit.dashboards.add_session(holder, "s1", NOW, NOW + timedelta(hours=8))
        unit.commit()
    with uow_factory() as unit:
        assert unit.dashboards.spend_link("l1", NOW) == holder
        assert unit.dashboards.spend_link("l1", NOW) is None  # used
        assert unit.dashboards.spend_link("l2", NOW + timedelta(minutes=10)) is None  # expired
        assert unit.dashboards.spend_link("nope", NOW) is None
        assert unit.dashboards.session("s1", NOW + timedelta(hours=1)) == holder
        assert unit.dashboards.session("s1", NOW + timedelta(hours=8)) is None
        unit.dashboards.end_session("s1", NOW)
        assert unit.dashboards.session("s1", NOW) is None
