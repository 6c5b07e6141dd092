"""Revision 0013 renames a person's platform id to ``user_id`` and loses nothing that waits.

Rows are written the way the code before it wrote them (``external_id``, ``user``,
``users``); after the upgrade the code of today reads every one of them, and the
downgrade gives the old names back.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from bot import outbound as m
from bot.codec import event_from_data, message_from_data, recipient_from_data
from store.database import create_db_engine
from store.migrate import downgrade, upgrade

NOW = datetime(2026, 12, 6, 9, tzinfo=UTC)

# A message as the code before 0013 stored it: a mention and a "talk among yourselves".
OLD_MESSAGE = {
    "blocks": [
        {
            "type": "paragraph",
            "spans": [{"type": "plain", "text": "Meet "}, {"type": "mention", "user": "U2"}],
        },
        {
            "type": "bullets",
            "items": [{"type": "paragraph", "spans": [{"type": "mention", "user": "U3"}]}],
        },
        {"type": "together", "users": ["U1", "U2"], "topic": "t", "greeting": "g"},
    ],
    "summary": "Meet U2",
    "kind": "intro",
    "match": None,
}
OLD_EVENT = {
    "event": {
        "type": "command",
        "event_id": "e1",
        "actor": {"workspace": "T1", "user": "U1", "name": "Ana", "timezone": None},
        "surface": {"forms": False},
        "program": None,
        "text": "help",
    },
    "context": {"channel": "D1"},
}


@pytest.fixture
def at_0012(database_url: str) -> Iterator[Engine]:
    engine = create_db_engine(database_url)
    downgrade(engine, "0012")
    try:
        yield engine
    finally:
        upgrade(engine)
        engine.dispose()


def test_people_and_everything_waiting_are_read_after_the_upgrade(at_0012: Engine) -> None:
    _old_rows(at_0012)
    upgrade(at_0012)
    with at_0012.connect() as db:
        person = db.execute(text("SELECT user_id, display_name FROM people")).one()
        outbox = {r.key: r for r in db.execute(text("SELECT key, recipient, payload FROM outbox"))}
        inbox = db.execute(text("SELECT payload FROM console_inbox")).scalar_one()
        queued = db.execute(text("SELECT payload FROM inbound_queue")).scalar_one()
    assert tuple(person) == ("U1", "Ana")
    assert recipient_from_data(_data(outbox["a"].recipient)) == m.ToPerson("U1")
    assert recipient_from_data(_data(outbox["b"].recipient)) == m.ToGroup(("U1", "U2"))
    for payload in (outbox["a"].payload, inbox):
        message = message_from_data(_data(payload))
        assert message.blocks[0].spans[1] == m.Mention("U2")  # type: ignore[union-attr]
        assert message.blocks[1].items[0].spans[0] == m.Mention("U3")  # type: ignore[union-attr]
        assert message.blocks[2] == m.Together(("U1", "U2"), "t", "g")
    event = _data(queued)
    assert event_from_data(event["event"]).actor.user_id == "U1"
    assert event["context"] == {"channel": "D1"}


def test_the_downgrade_gives_the_old_names_back(at_0012: Engine) -> None:
    _old_rows(at_0012)
    upgrade(at_0012)
    downgrade(at_0012, "0012")
    with at_0012.connect() as db:
        assert db.execute(text("SELECT external_id FROM people")).scalar_one() == "U1"
        rows = {r.key: r for r in db.execute(text("SELECT key, recipient, payload FROM outbox"))}
        inbox = db.execute(text("SELECT payload FROM console_inbox")).scalar_one()
        queued = db.execute(text("SELECT payload FROM inbound_queue")).scalar_one()
    assert _data(rows["a"].recipient) == {"type": "person", "user": "U1"}
    assert _data(rows["b"].recipient) == {"type": "group", "users": ["U1", "U2"]}
    assert _data(rows["a"].payload) == OLD_MESSAGE == _data(inbox)
    assert _data(queued) == OLD_EVENT


def _old_rows(engine: Engine) -> None:
    message = json.dumps(OLD_MESSAGE)
    with engine.begin() as db:
        db.execute(
            text(
                "INSERT INTO workspaces (id, platform, external_id, created_at)"
                " VALUES (1, 'slack', 'T1', :now)"
            ),
            {"now": NOW},
        )
        db.execute(
            text(
                "INSERT INTO people (id, workspace_id, external_id, display_name, created_at)"
                " VALUES (1, 1, 'U1', 'Ana', :now)"
            ),
            {"now": NOW},
        )
        for key, recipient in (
            ("a", {"type": "person", "user": "U1"}),
            ("b", {"type": "group", "users": ["U1", "U2"]}),
        ):
            db.execute(
                text(
                    "INSERT INTO outbox (workspace_id, key, recipient, conversation, kind,"
                    " payload, status, created_at, attempts, failures, uncertain, keep)"
                    " VALUES (1, :key, :recipient, :key, 'intro', :payload, 'pending', :now,"
                    " 0, 0, false, true)"
                ),
                {"key": key, "recipient": json.dumps(recipient), "payload": message, "now": NOW},
            )
        db.execute(
            text(
                "INSERT INTO console_inbox (workspace_id, person_id, key, payload, created_at)"
                " VALUES (1, 1, 'a', :payload, :now)"
            ),
            {"payload": message, "now": NOW},
        )
        db.execute(
            text(
                "INSERT INTO inbound_queue (workspace_id, event_id, user_id, payload,"
                " received_at, status, attempts) VALUES (1, 'e1', 'U1', :payload, :now,"
                " 'pending', 0)"
            ),
            {"payload": json.dumps(OLD_EVENT), "now": NOW},
        )


def _data(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def test_after_the_upgrade_foreign_keys_hold_again(at_0012: Engine) -> None:
    """The upgrade sets SQLite's foreign keys aside while it copies ``people``; the
    connections it hands back cascade a person's deletion as before."""
    _old_rows(at_0012)
    upgrade(at_0012)
    with at_0012.begin() as db:
        db.execute(text("DELETE FROM people WHERE user_id = 'U1'"))
    with at_0012.connect() as db:
        assert db.execute(text("SELECT count(*) FROM console_inbox")).scalar_one() == 0


def test_rows_already_without_their_parent_do_not_block_an_upgrade(tmp_path: Path) -> None:
    """SQLite: the upgrade refuses only to add rows without their parent; one left
    by a hand edit before (sqlite3 has foreign keys off) does not stop it."""
    path = tmp_path / "old.db"
    engine = create_db_engine(f"sqlite:///{path}")
    upgrade(engine, "0012")
    with sqlite3.connect(path) as raw:
        raw.execute("PRAGMA foreign_keys=OFF")
        raw.execute(
            "INSERT INTO workspaces (id, platform, external_id, created_at)"
            " VALUES (1, 'slack', 'T1', '2026-12-06')"
        )
        raw.execute(
            "INSERT INTO console_inbox (workspace_id, person_id, key, payload, created_at)"
            " VALUES (1, 999, 'k', '{}', '2026-12-06')"
        )
    upgrade(engine)
    with engine.connect() as db:
        assert db.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "0013"
    engine.dispose()
