"""The dashboard's sign-in link, asked for in chat (SQLite and PostgreSQL): one-time,
only its hash kept, for coordinators only, and none without a public URL."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import select, text

from bot.clock import ManualClock
from store.tables import DashboardLinkRow
from tandem.bootstrap import App
from tests.dashboard.conftest import PUBLIC, Chat, app_with, ask_for_link
from tests.dialog import say
from tests.engine.cadence import Program

# --- the link, from chat -------------------------------------------------------------


def test_a_coordinator_gets_a_one_time_link_and_only_its_hash_is_kept(
    pair: Program, app: App
) -> None:
    reply = say(pair.cora, "dashboard")
    link = ask_for_link(pair.cora)
    assert link.startswith(f"{PUBLIC}/dashboard/login/")
    assert "works once, for the next 10 minutes, and only for you" in " ".join(reply.split())
    token = link.rsplit("/", 1)[1]
    with app.database.connect() as db:
        hashes = db.execute(select(DashboardLinkRow.token_hash)).scalars().all()
        outbox = db.execute(text("SELECT payload FROM outbox")).all()
    assert hashlib.sha256(token.encode()).hexdigest() in hashes
    assert all(token not in h for h in hashes)
    # The reply carrying the link is not kept once the console had it.
    assert all(token not in str(row) for row in outbox)


def test_only_coordinators_get_a_link(pair: Program) -> None:
    assert "Only a program's coordinators can do that." in say(pair.ana, "dashboard")


def test_without_a_public_url_the_dashboard_is_not_set_up(
    database_url: str, clock: ManualClock, tmp_path: Path
) -> None:
    plain = app_with(database_url, clock, tmp_path, None)
    try:
        reply = say(plain.chat("Coordinator"), "dashboard")
    finally:
        plain.close()
    assert "The web dashboard isn't set up here" in reply
    assert "/dashboard/login/" not in reply


def test_help_lists_dashboard_for_coordinators_only(chat: Chat) -> None:
    assert "dashboard" in say(chat("Coordinator"), "help")
    assert "dashboard" not in say(chat("Eve"), "help")
