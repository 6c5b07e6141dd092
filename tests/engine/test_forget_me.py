"""``forget me`` erases every personal row: proven by scanning every table."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from adapters.console.chat import ConsoleChat
from store.models import Base, PersonRow
from tandem.bootstrap import App
from tests.dialog import Contains, say, verify_dialog
from tests.engine.scripts import ANSWERS, enrol

Chat = Callable[..., ConsoleChat]

# Things only Ana said or is: her id, her name, her free text, her avoid list.
TRACES = ("ana-lima", "Ana Lima", "data pipelines", "climbing", "carla")


def _every_row(app: App) -> list[tuple[str, dict[str, Any]]]:
    rows: list[tuple[str, dict[str, Any]]] = []
    with app.database.connect() as connection:
        for table in Base.metadata.sorted_tables:
            for row in connection.execute(select(table)).mappings():
                rows.append((table.name, dict(row)))
    return rows


def _person_id(app: App, external_id: str) -> int:
    with app.database.connect() as connection:
        found = connection.execute(
            select(PersonRow.id).where(PersonRow.external_id == external_id)
        ).scalar_one()
    return int(found)


def _mentions(rows: list[tuple[str, dict[str, Any]]], person_id: int) -> list[str]:
    found = []
    for table, row in rows:
        text = json.dumps(row, default=str)
        found += [f"{table}: {trace!r}" for trace in TRACES if trace in text]
        if row.get("person_id") == person_id or (table == "people" and row["id"] == person_id):
            found.append(f"{table}: row of person {person_id}")
    return found


def test_forget_me_erases_every_row_about_the_person_and_nothing_else(chat: Chat, app: App) -> None:
    ana, bo = chat("Ana Lima"), chat("Bo")
    enrol(ana)
    enrol(bo, (*ANSWERS[:9], "skip", "none", "I design mobile apps."))
    say(ana, "join leadership-mentoring")
    say(ana, "I agree")
    say(ana, "mentee")  # a second program, half-way through its survey
    ana_id = _person_id(app, "ana-lima")
    assert _mentions(_every_row(app), ana_id), "the scan must see Ana before she is forgotten"

    verify_dialog(
        ana,
        [
            (
                "forget me",
                Contains(
                    "This erases everything Tandem holds about you",
                    "[1] Erase everything  [2] Cancel",
                ),
            ),
            (
                "1",
                "Done: everything Tandem held about you has been erased. If you join again, "
                "you'll start afresh.",
            ),
        ],
    )
    left = _mentions(_every_row(app), ana_id)
    assert left == [], "\n".join(left)
    # Bo is untouched.
    assert "Taking part" in say(bo, "profile")


def test_forget_me_can_be_cancelled(chat: Chat) -> None:
    ana = chat("Ana Lima")
    enrol(ana)
    verify_dialog(
        ana,
        [
            ("forget me", Contains("Erase everything?")),
            ("cancel", "OK, nothing changed."),
            ("profile", Contains("Taking part")),
        ],
    )


def test_after_forget_me_joining_starts_afresh(chat: Chat) -> None:
    ana = chat("Ana Lima")
    enrol(ana)
    say(ana, "forget me")
    say(ana, "Erase everything")
    verify_dialog(
        ana,
        [
            ("profile", "You haven't joined a program yet. Say “join” to start."),
            ("join engineering-growth", Contains("Do you agree")),
        ],
    )
