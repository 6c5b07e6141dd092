"""``forget me`` erases every personal row: proven by scanning every table."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from adapters.console.chat import PLATFORM, WORKSPACE, ConsoleChat
from bot.admin import bundled_programs, install_programs
from bot.cadence.due import Cadence
from bot.clock import ManualClock
from store.tables import Base
from tandem.bootstrap import App
from tests.conftest import on_every_store
from tests.dialog import Contains, say, verify_dialog
from tests.engine.cadence import Program
from tests.engine.scripts import ANSWERS, answers_for, enrol
from tests.engine.stored import rows, table_names

Chat = Callable[..., ConsoleChat]

# Things only Ana said or is: her id, her name, her free text, her avoid list.
TRACES = ("ana-lima", "Ana Lima", "data pipelines", "climbing", "carla")


def _every_row(app: App) -> list[tuple[str, dict[str, Any]]]:
    return [(table, vars(row)) for table in table_names() for row in rows(app, table)]


def _person_id(app: App, user_id: str) -> int:
    (person,) = rows(app, "people", user_id=user_id)
    return int(person.id)


def _person_columns() -> dict[str, list[str]]:
    """Every column, by table, that refers to a person (person_id, author_id...)."""
    return {
        table.name: [
            c.name
            for c in table.columns
            if any(k.column.table.name == "people" for k in c.foreign_keys)
        ]
        for table in Base.metadata.sorted_tables
    }


def _mentions(rows: list[tuple[str, dict[str, Any]]], person_id: int) -> list[str]:
    found = []
    columns = _person_columns()
    for table, row in rows:
        text = json.dumps(row, default=str)
        found += [f"{table}: {trace!r}" for trace in TRACES if trace in text]
        about = [c for c in columns[table] if row.get(c) == person_id]
        if about or (table == "people" and row["id"] == person_id):
            found.append(f"{table}: row of person {person_id} ({', '.join(about) or 'id'})")
    return found


@on_every_store  # the scan of every table proves each store's cascade
def test_forget_me_erases_every_row_about_the_person_and_nothing_else(chat: Chat, app: App) -> None:
    ana, bo = chat("Ana Lima"), chat("Bo")
    enrol(ana)
    enrol(bo, (*ANSWERS[:9], "skip", "none", "I design mobile apps."))
    say(ana, "join leadership-mentoring")
    say(ana, "I agree")
    say(ana, "mentee")  # a second program, half-way through its survey
    say(ana, "later")
    say(ana, "training 2")  # she reads the mentor training, and marks a lesson done
    assert say(ana, "Done").startswith("Done: 1 of 7.")
    ana_id = _person_id(app, "ana-lima")
    before = _mentions(_every_row(app), ana_id)
    assert before, "the scan must see Ana before she is forgotten"
    assert any(x.startswith(f"training: row of person {ana_id}") for x in before)

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


# --- forgotten in the middle of a match ---------------------------------------------

DANA_SAID = (
    "Dana Cohen",
    "dana-cohen",
    "I restore vintage synthesizers on weekends.",  # her bio
    "Ship the billing export on my own by March",  # her goal
    "Walking through the schema together.",  # her private feedback
)


def _dana_and_felix(chat: Chat, app: App, clock: ManualClock) -> Program:
    dana, felix, cora = chat("Dana Cohen"), chat("Felix"), chat("Coordinator")
    bio = DANA_SAID[2]
    enrol(dana, (*answers_for(offers="SQL", wants="Python")[:-1], bio))
    enrol(felix, answers_for(offers="Python", wants="SQL", timezone="London"))
    say(cora, "round engineering-growth preview")  # the coordinator's copy names her too
    say(cora, "round engineering-growth publish")
    pair = Program(app, clock, dana, felix, cora)
    pair.screen(dana), pair.screen(felix)
    for person in (dana, felix):
        say(person, "I accept")
    for line in ("goals", "Add a goal", DANA_SAID[3], "That's all"):
        say(dana, line)
    for line in ("goals", "Add a goal", "Write my first Python service by April", "That's all"):
        say(felix, line)
    pair.day(14, hour=10)
    pair.screen(dana), pair.screen(felix)
    for line in ("Yes, we met", "4", DANA_SAID[4], "More SQL.", "skip"):
        say(dana, line)
    pair.day(15, hour=10)  # Felix's feedback prompt and the like, delivered
    pair.screen(felix)
    return pair


def _text_columns_naming(app: App, traces: tuple[str, ...]) -> list[str]:
    found = []
    for table, row in _every_row(app):
        text = json.dumps(row, default=str, ensure_ascii=False)
        found += [f"{table} #{row.get('id')}: {t!r}" for t in traces if t in text]
    return found


def test_forgotten_mid_match_her_partner_is_told_kindly_and_keeps_his_own(
    chat: Chat, app: App, clock: ManualClock
) -> None:
    pair = _dana_and_felix(chat, app, clock)
    dana, felix = pair.ana, pair.bo
    assert _text_columns_naming(app, DANA_SAID), "the scan must see her before"
    say(dana, "forget me")
    assert "everything Tandem held about you has been erased" in say(dana, "Erase everything")

    told = pair.screen(felix)
    assert (
        "Your match in Engineering Growth Partners has ended: your partner has left Tandem. "
        "Nobody is at fault" in told
    )
    verify_dialog(
        felix,
        [
            (
                "match",
                Contains(
                    "You don't have a match right now.",
                    "Engineering Growth Partners: your last match ended on",
                    "you'll be in the next round, on Monday",
                ),
            ),
            (
                "goals",
                Contains("Earlier match (ended", "Write my first Python service by April (set)"),
            ),
        ],
    )
    # Nothing of the match is still on its way to him.
    pair.day(28, hour=10)
    assert "Did you and" not in pair.screen(felix)
    left = _text_columns_naming(app, DANA_SAID)
    assert left == [], "\n".join(left)


def test_an_introduction_not_yet_delivered_is_not_delivered_after_she_goes(
    chat: Chat, app: App, clock: ManualClock
) -> None:
    dana, felix, cora = chat("Dana Cohen"), chat("Felix"), chat("Coordinator")
    enrol(dana, answers_for(offers="SQL", wants="Python", timezone="Tokyo"))
    enrol(felix, answers_for(offers="Python", wants="SQL", timezone="Tokyo"))
    clock.set(clock.now().replace(hour=12))  # 21:00 in Tokyo: the introduction waits
    say(cora, "round engineering-growth preview")
    say(cora, "round engineering-growth publish")
    say(dana, "forget me")
    say(dana, "Erase everything")
    clock.advance(timedelta(days=1))
    Cadence(app.uow, clock).tick()
    # He never heard of the match, so he hears nothing of its end either.
    assert felix.open() == []
    assert "You don't have a match right now." in say(felix, "match")


def test_after_forget_me_tandem_says_it_holds_nothing(chat: Chat, app: App) -> None:
    ana = chat("Ana Lima")
    enrol(ana)
    say(ana, "forget me")
    say(ana, "Erase everything")
    verify_dialog(
        ana,
        [
            (
                "match",
                "You're not taking part in a program, so there's no match to show. "
                "Say “join” to take part.",
            ),
            (
                "forget me",
                "Tandem holds nothing about you: no answers, no matches, no history. "
                "There's nothing to erase.",
            ),
        ],
    )
    assert _text_columns_naming(app, ("ana-lima", "Ana Lima")) == []


def test_a_request_for_someone_tandem_does_not_know_is_refused(chat: Chat) -> None:
    ana, bo = chat("Ana Lima"), chat("Bo")
    enrol(ana)
    enrol(bo, answers_for())
    verify_dialog(
        ana,
        [
            (
                "request @nobody",
                "I don't know anyone called @nobody here yet. You can ask for a colleague "
                "who has talked to Tandem; ask them to say “join” first.",
            ),
            ("request @Bo", Contains("Noted: I'll try to pair you with @bo")),
        ],
    )


def test_forget_me_erases_kudos_given_and_received_spotlights_and_survey_answers(
    chat: Chat, app: App, clock: ManualClock
) -> None:
    """Kudos someone gave or got, a story about them and their program surveys are
    about them: every row goes, whichever column names them."""
    pair = _dana_and_felix(chat, app, clock)
    dana, felix = pair.ana, pair.bo
    growth = bundled_programs()[0].model_copy(update={"channel": "C0PROGRAM"})
    install_programs(app.uow, clock, PLATFORM, WORKSPACE, [growth])
    said = "Thanks for the patient schema review, Felix"
    assert "Sent:" in say(dana, f"kudos @felix {said}")
    assert "Sent:" in say(felix, "kudos @dana-cohen thanks for the SQL tips")
    say(pair.cora, "spotlight engineering-growth @dana-cohen @felix They shipped the export")
    pair.day(30, hour=10)
    pair.day(35, hour=10)
    assert "A short survey about" in pair.screen(dana)
    comment = "Dana would like longer sessions in the second month"
    for line in ("Start the survey", "4", "4", "9", comment, "Yes, share it"):
        say(dana, line)
    dana_id = _person_id(app, "dana-cohen")
    before = _mentions(_every_row(app), dana_id)
    for table in ("recognitions", "program_surveys"):
        assert any(x.startswith(table) for x in before), (table, before)
    say(dana, "forget me")
    assert "erased" in say(dana, "Erase everything")
    left = _mentions(_every_row(app), dana_id)
    left += _text_columns_naming(app, (said, comment))
    assert left == [], "\n".join(left)
    # Felix's own part of the program is his: his survey (if any) and the rest stay.
    assert "Taking part" in say(felix, "profile")
