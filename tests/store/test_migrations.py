"""The schema only changes through migrations, and they match the models exactly."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from store.database import create_db_engine
from store.migrate import current_revision, downgrade, head_revision, is_current, upgrade
from store.tables import Base

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)


def test_migrations_and_models_agree(database_url: str) -> None:
    engine = create_db_engine(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert differences == []


def test_the_test_database_is_at_the_newest_revision(database_url: str) -> None:
    engine = create_db_engine(database_url)
    assert current_revision(engine) == head_revision()
    assert is_current(engine)
    upgrade(engine)  # upgrading a current database is a no-op
    assert is_current(engine)
    engine.dispose()


def test_every_table_carries_its_workspace() -> None:
    for table in Base.metadata.sorted_tables:
        if table.name != "workspaces":
            assert "workspace_id" in table.columns, table.name


def test_an_empty_database_is_brought_up_to_date(tmp_path: object) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path}/fresh.db")
    assert current_revision(engine) is None
    upgrade(engine)
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert {t.name for t in Base.metadata.sorted_tables} <= tables


def test_the_delivery_core_revision_carries_installs_and_the_outbox_over(
    database_url: str,
) -> None:
    engine = create_db_engine(database_url)
    downgrade(engine, "0005")
    try:
        with engine.begin() as db:
            db.execute(
                text(
                    "INSERT INTO workspaces (id, platform, external_id, created_at) "
                    "VALUES (1, 'slack', 'T1', :now)"
                ),
                {"now": NOW},
            )
            db.execute(
                text(
                    "INSERT INTO installations (workspace_id, enterprise_id, bot_token, bot_id,"
                    " bot_user_id, scopes, installer, installed_at) VALUES (1, 'E1', 'xoxb-1',"
                    " 'B1', 'U0BOT', 'chat:write', 'U0ME', :now)"
                ),
                {"now": NOW},
            )
            for key, recipient, status, attempts in (
                ("a", '{"type": "person", "user": "U1"}', "pending", 2),
                ("b", '{"type": "group", "users": ["U3", "U2"]}', "sent", 1),
                ("c", '{"type": "channel", "channel": "C1"}', "pending", 0),
            ):
                db.execute(
                    text(
                        "INSERT INTO outbox (workspace_id, key, recipient, kind, payload, status,"
                        " created_at, attempts) VALUES (1, :key, :recipient, 'checkin', '{}',"
                        " :status, :now, :attempts)"
                    ),
                    {
                        "key": key,
                        "recipient": recipient,
                        "status": status,
                        "now": NOW,
                        "attempts": attempts,
                    },
                )
    finally:
        upgrade(engine)
    with engine.connect() as db:
        install = db.execute(text("SELECT token, bot_user_id, details FROM installations")).one()
        outbox = {
            row.key: row
            for row in db.execute(text("SELECT key, conversation, uncertain, attempts FROM outbox"))
        }
    engine.dispose()
    details = install.details if isinstance(install.details, dict) else json.loads(install.details)
    assert (install.token, install.bot_user_id) == ("xoxb-1", "U0BOT")
    assert details == {"bot_id": "B1", "scopes": "chat:write", "enterprise_id": "E1"}
    assert outbox["a"].conversation == "person:U1"
    assert outbox["b"].conversation == "group:U2,U3"
    assert outbox["c"].conversation == "channel:C1"
    # Claimed before, under the old rules: it may have been sent, so it is looked up.
    assert (bool(outbox["a"].uncertain), outbox["a"].attempts) == (True, 0)
    assert not outbox["b"].uncertain and not outbox["c"].uncertain


def test_the_delivery_core_revision_gives_installs_back_on_the_way_down(
    database_url: str,
) -> None:
    engine = create_db_engine(database_url)
    with engine.begin() as db:
        db.execute(
            text(
                "INSERT INTO workspaces (id, platform, external_id, created_at) "
                "VALUES (1, 'slack', 'T1', :now)"
            ),
            {"now": NOW},
        )
        db.execute(
            text(
                "INSERT INTO installations (workspace_id, token, bot_user_id, installer,"
                " installed_at, details) VALUES (1, 'xoxb-1', 'U0BOT', 'U0ME', :now, :details)"
            ),
            {"now": NOW, "details": json.dumps({"bot_id": "B1", "scopes": "chat:write"})},
        )
    downgrade(engine, "0005")
    try:
        with engine.connect() as db:
            row = db.execute(text("SELECT bot_token, bot_id, scopes FROM installations")).one()
        assert tuple(row) == ("xoxb-1", "B1", "chat:write")
    finally:
        upgrade(engine)
        engine.dispose()
