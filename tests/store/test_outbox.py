"""The outbox and the inbound queue, as each store keeps them (in memory, SQLite and
PostgreSQL alike)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from bot import outbound as m
from bot.inbound import NewEvent
from bot.outbox import Failure, Retry, Sent
from bot.ports import UnitOfWork
from store.database import create_db_engine
from store.uow import SqlUnitOfWork, unit_of_work_factory

NOW = datetime(2027, 1, 4, 9, tzinfo=UTC)
LEASE = timedelta(minutes=5)
Uow = Callable[[], UnitOfWork]


@pytest.fixture
def uow(uow_factory: Uow) -> Uow:
    return uow_factory


@pytest.fixture
def sql_uow(database_url: str) -> Iterator[Uow]:
    engine = create_db_engine(database_url)
    yield lambda: SqlUnitOfWork(unit_of_work_factory(engine))
    engine.dispose()


def _message(text: str, kind: str = "response") -> m.Message:
    return m.Message((m.para(text),), text, kind)


def _queue(uow: Uow, *outbound: m.Outbound, platform: str = "slack", **options: object) -> int:
    with uow() as unit:
        ws = unit.workspaces.ensure(platform, "T1", NOW)
        for item in outbound:
            unit.outbox.add(ws.id, item, None, NOW, NOW, **options)  # type: ignore[arg-type]
        unit.commit()
    return ws.id


def _claim(uow: Uow, at: datetime = NOW, worker: str = "w1", **options: object) -> list[str]:
    with uow() as unit:
        claimed = unit.outbox.claim(at, worker, LEASE, 100, ["slack"], **options)  # type: ignore[arg-type]
        unit.commit()
    return [c.outbound.key for c in claimed]


def _to(user: str, key: str) -> m.Outbound:
    return m.Outbound(key, m.ToPerson(user), _message(key))


def test_a_conversation_is_sent_by_one_sender_at_a_time_in_order(uow: Uow) -> None:
    _queue(uow, _to("ana", "a1"), _to("bo", "b1"), _to("ana", "a2"))
    assert _claim(uow, worker="w1") == ["a1", "b1", "a2"]
    _queue(uow, _to("ana", "a3"), _to("cy", "c1"))
    # Ana's conversation is held by w1: her next message waits for it, Cy's does not.
    assert _claim(uow, worker="w2") == ["c1"]


def test_a_held_workspace_is_not_claimed_at_all(uow: Uow) -> None:
    ws = _queue(uow, _to("ana", "a1"))
    assert _claim(uow, held=[ws]) == []
    with uow() as unit:
        assert unit.outbox.claim(NOW, "w", LEASE, 10, ["console"]) == []  # other platforms'
    assert _claim(uow) == ["a1"]


def test_a_claim_taken_back_from_a_dead_sender_is_uncertain(uow: Uow) -> None:
    _queue(uow, _to("ana", "a1"))
    assert _claim(uow, worker="dead") == ["a1"]
    assert _claim(uow, at=NOW + LEASE - timedelta(seconds=1), worker="w2") == []
    with uow() as unit:
        (again,) = unit.outbox.claim(NOW + LEASE + timedelta(seconds=1), "w2", LEASE, 10, ["slack"])
    assert again.uncertain and again.attempts == 0


def test_retries_count_calls_and_failures_apart(uow: Uow) -> None:
    ws = _queue(uow, _to("ana", "a1"), _to("bo", "b1"), _to("cy", "c1"))
    _claim(uow)
    later = NOW + timedelta(seconds=30)
    with uow() as unit:
        unit.outbox.retry(
            [
                Retry(ws, "a1", later, "ratelimited", failed=False),  # a 429
                Retry(ws, "b1", later, "http 500", ambiguous=True),  # an error, maybe posted
                Retry(ws, "c1", later, called=False, failed=False),  # given back untried
            ],
            NOW,
            "w1",
        )
        unit.commit()
    assert _claim(uow, at=later - timedelta(seconds=1)) == []
    with uow() as unit:
        found = {c.outbound.key: c for c in unit.outbox.claim(later, "w", LEASE, 10, ["slack"])}
    assert (found["a1"].attempts, found["a1"].failures, found["a1"].uncertain) == (1, 0, False)
    assert (found["b1"].attempts, found["b1"].failures, found["b1"].uncertain) == (1, 1, True)
    assert found["b1"].first_failed_at == NOW
    assert (found["c1"].attempts, found["c1"].failures, found["c1"].uncertain) == (0, 0, False)


def test_a_message_not_kept_is_gone_once_sent(uow: Uow) -> None:
    ws = _queue(uow, _to("ana", "bye"), keep=False)
    _claim(uow)
    with uow() as unit:
        unit.outbox.sent([Sent(ws, "bye", "D1:1")], NOW, "w1")
        unit.commit()
    with uow() as unit:
        assert unit.outbox.next_due(["slack"]) is None
        assert unit.outbox.claim(NOW + LEASE * 2, "w", LEASE, 10, ["slack"]) == []


def test_failures_of_a_program_are_reported_once(uow: Uow) -> None:
    with uow() as unit:
        ws = unit.workspaces.ensure("slack", "T1", NOW)
        person = unit.people.ensure(ws.id, "ana", "Ana", NOW)
        program = unit.programs.put(ws.id, _spec(), NOW)
        unit.outbox.add(ws.id, _to("ana", "k1"), None, NOW, NOW, person.id, program_id=program.id)
        unit.commit()
    _claim(uow)
    with uow() as unit:
        unit.outbox.fail([Failure(ws.id, "k1", "the account is deactivated")], NOW, "w1")
        unit.commit()
    with uow() as unit:
        (failed,) = unit.outbox.undelivered(program.id)
        assert (failed.person_id, failed.error, failed.recipient) == (
            person.id,
            "the account is deactivated",
            ("ana",),
        )
        unit.outbox.reported([failed.id], NOW)
        unit.commit()
    with uow() as unit:
        assert unit.outbox.undelivered(program.id) == []


def test_next_due_counts_a_retry_time(uow: Uow) -> None:
    ws = _queue(uow, _to("ana", "a1"))
    _claim(uow)
    with uow() as unit:
        unit.outbox.retry([Retry(ws, "a1", NOW + timedelta(minutes=3), "x")], NOW, "w1")
        unit.commit()
    with uow() as unit:
        assert unit.outbox.next_due(["slack"]) == NOW + timedelta(minutes=3)
        assert unit.outbox.next_due(["console"]) is None


# --- the inbound queue -------------------------------------------------------------------


def _event(unit: UnitOfWork, ws: int, event_id: str, user: str) -> bool:
    [added] = unit.queue.add([NewEvent(ws, event_id, user, {"event": {"id": event_id}})], NOW)
    return added


def test_an_event_is_queued_once(uow: Uow) -> None:
    with uow() as unit:
        ws = unit.workspaces.ensure("slack", "T1", NOW).id
        assert _event(unit, ws, "e1", "U1")
        assert not _event(unit, ws, "e1", "U1")  # Slack's retry of it
        batch = [NewEvent(ws, e, "U2", {}) for e in ("e2", "e3", "e2", "e1")]
        assert unit.queue.add(batch, NOW) == [True, True, False, False]
        unit.commit()


def test_events_stored_together_are_taken_in_the_order_they_came(uow: Uow) -> None:
    with uow() as unit:
        ws = unit.workspaces.ensure("slack", "T1", NOW).id
        batch = [NewEvent(ws, f"e{n}", "U1", {"event": {"id": f"e{n}"}}) for n in range(5)]
        unit.queue.add(batch, NOW)
        unit.commit()
    with uow() as unit:
        taken = unit.queue.claim(NOW, "w1", LEASE, 10)
    assert [q.payload["event"]["id"] for q in taken] == [f"e{n}" for n in range(5)]


def test_one_persons_events_are_taken_in_order_by_one_worker(uow: Uow) -> None:
    with uow() as unit:
        ws = unit.workspaces.ensure("slack", "T1", NOW).id
        for event_id, user in (("e1", "U1"), ("e2", "U2")):
            _event(unit, ws, event_id, user)
        unit.commit()
    with uow() as unit:
        first = unit.queue.claim(NOW, "w1", LEASE, 1)
        unit.commit()
    with uow() as unit:
        _event(unit, ws, "e3", "U1")
        unit.commit()
    with uow() as unit:
        # U1's e3 waits while w1 holds e1; U2's e2 is free.
        second = unit.queue.claim(NOW, "w2", LEASE, 10)
        unit.commit()
    assert [q.payload["event"]["id"] for q in first] == ["e1"]
    assert [q.payload["event"]["id"] for q in second] == ["e2"]
    with uow() as unit:
        unit.queue.done([q.id for q in first])
        unit.commit()
    with uow() as unit:
        third = unit.queue.claim(NOW, "w2", LEASE, 10)
    assert [q.payload["event"]["id"] for q in third] == ["e3"]


def test_an_event_a_dead_worker_held_is_taken_again_after_its_lease(uow: Uow) -> None:
    with uow() as unit:
        ws = unit.workspaces.ensure("slack", "T1", NOW).id
        _event(unit, ws, "e1", "U1")
        unit.commit()
    with uow() as unit:
        assert unit.queue.claim(NOW, "dead", LEASE, 10)
        unit.commit()
    with uow() as unit:
        assert unit.queue.claim(NOW + LEASE / 2, "w2", LEASE, 10) == []
        (again,) = unit.queue.claim(NOW + LEASE * 2, "w2", LEASE, 10)
    assert again.attempts == 2


def _spec():  # type: ignore[no-untyped-def]
    from bot.admin import bundled_programs

    return bundled_programs()[0]


@pytest.mark.parametrize(
    "database_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_two_claimers_at_once_never_share_a_conversation(sql_uow: Uow) -> None:
    # Two claimers in two transactions at once: only a database has that.
    uow = sql_uow
    _queue(uow, _to("ana", "a1"), _to("ana", "a2"), _to("bo", "b1"))
    first = uow()
    with first:
        (taken,) = first.outbox.claim(NOW, "w1", LEASE, 1, ["slack"])  # a1, not committed
        assert taken.outbound.key == "a1"
        second: list[str] = []
        thread = threading.Thread(target=lambda: second.extend(_claim(uow, worker="w2")))
        thread.start()
        _until_waiting(first)  # the second claimer waits for its turn...
        first.commit()  # ...which comes when the first one's claim is committed
    thread.join(timeout=10)
    assert second == ["b1"]  # a2 waits behind a1, held by w1


def _until_waiting(unit: UnitOfWork) -> None:
    """Until another transaction waits for a lock this one holds (bounded)."""
    deadline = time.monotonic() + 10
    query = text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
    while time.monotonic() < deadline:
        with unit.session.get_bind().connect() as probe:  # type: ignore[attr-defined]
            if probe.scalar(query):
                return
    raise AssertionError("the second claimer never waited")


def test_only_the_holder_of_a_message_records_what_happened_to_it(uow: Uow) -> None:
    ws = _queue(uow, _to("ana", "a1"))
    assert _claim(uow, worker="slow") == ["a1"]
    later = NOW + LEASE + timedelta(seconds=1)  # the slow sender's lease ran out...
    assert _claim(uow, at=later, worker="w2") == ["a1"]  # ...and w2 took the message over
    with uow() as unit:
        unit.outbox.retry(
            [Retry(ws, "a1", later + timedelta(minutes=1), "http 500")], later, "slow"
        )
        unit.commit()
    with uow() as unit:  # the stale result changed nothing: w2 still holds it
        assert unit.outbox.claim(later, "w3", LEASE, 10, ["slack"]) == []
        unit.outbox.sent([Sent(ws, "a1", "D1:2")], later, "w2")
        unit.commit()
    with uow() as unit:
        assert unit.outbox.next_due(["slack"]) is None


def test_a_farewell_refused_for_good_is_gone_too(uow: Uow) -> None:
    ws = _queue(uow, _to("ana", "bye"), keep=False)
    _claim(uow)
    with uow() as unit:
        unit.outbox.fail([Failure(ws, "bye", "the account is deactivated")], NOW, "w1")
        unit.commit()
    with uow() as unit:
        assert unit.outbox.status(ws, "bye") is None  # nothing of it stays
        assert unit.outbox.next_due(["slack"]) is None
