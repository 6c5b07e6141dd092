"""Matching rounds in chat: a coordinator previews, reviews and publishes; people
hear about their match (or why they wait), and can ask for a partner."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from adapters.console.chat import ConsoleChat
from bot.clock import ManualClock
from tandem.bootstrap import App
from tests.dialog import Contains, Lacks, say, verify_dialog
from tests.engine.scripts import answers_for, enrol

Chat = Callable[..., ConsoleChat]


@pytest.fixture
def cora(chat: Chat) -> ConsoleChat:
    """The coordinator of the example programs (handle "coordinator")."""
    return chat("Coordinator")


def _people(chat: Chat) -> dict[str, ConsoleChat]:
    """Four people who make two clear pairs: Ana and Bo swap SQL and Python, Cy and
    Di swap design and speaking; Ed can't share hours with anyone."""
    plans = {
        "Ana": answers_for(offers="SQL", wants="Python"),
        "Bo": answers_for(offers="Python", wants="SQL", timezone="London"),
        "Cy": answers_for(offers="UX research", wants="Public speaking"),
        "Di": answers_for(offers="Public speaking", wants="UX research", timezone="Lisbon"),
        "Ed": answers_for(timezone="Pacific/Kiritimati"),
    }
    people = {name: chat(name) for name in plans}
    for name, answers in plans.items():
        assert "You're in" in enrol(people[name], answers)
    return people


def test_only_coordinators_run_rounds(chat: Chat) -> None:
    verify_dialog(
        chat("Ana"),
        [
            ("round preview", "Only a program's coordinators can run its matching rounds."),
        ],
    )


def test_a_preview_shows_each_match_with_its_score_and_reasons(
    chat: Chat, cora: ConsoleChat
) -> None:
    _people(chat)
    verify_dialog(
        cora,
        [
            (
                "round engineering-growth preview seed 1",
                [
                    Contains(
                        "== Proposed round for Engineering Growth Partners ==",
                        "2 matches covering 4 people, 1 waiting;",
                        "(the best possible round)",
                    ),
                    Contains(
                        "Ana (@ana) + Bo (@bo)",
                        "Ana can help Bo with SQL, and Bo can help Ana with Python",
                    ),
                    Contains("Cy (@cy) + Di (@di)"),
                    Contains("Waiting: Ed (@ed), nobody shares enough working hours"),
                    Contains("Say “round swap @a @b”"),
                ],
            ),
        ],
    )


def test_nothing_is_sent_until_the_round_is_published(
    chat: Chat, cora: ConsoleChat, clock: ManualClock
) -> None:
    people = _people(chat)
    say(cora, "round engineering-growth preview")
    assert people["Ana"].open() == []
    verify_dialog(
        cora,
        [
            (
                "round engineering-growth publish",
                "Published: 2 matches will be introduced and 1 person told why they're waiting, "
                "each at a good time in their own working hours.",
            ),
            (
                "round engineering-growth publish",
                "There's no draft round to publish. Say “round preview” first.",
            ),
        ],
    )
    intro, goals = people["Ana"].open()
    assert (
        Contains(
            "== Meet your match ==",
            "Meet @ana and @bo: you're matched in Engineering Growth Partners.",
            "Why you: Ana can help Bo with SQL",
            "Your mentoring agreement",
            "[1] I accept",
        ).check(intro)
        is None
    ), intro
    assert "Set one to three goals" in goals
    assert people["Bo"].open()[0] == intro  # the same message, in their group chat
    # Ed works in Kiritimati (UTC+14): it is 23:00 there, so his message waits.
    assert people["Ed"].open() == []
    clock.advance(timedelta(hours=11))
    (waiting,) = people["Ed"].open()
    assert "About Engineering Growth Partners: Nobody else in the program shares" in waiting
    verify_dialog(
        people["Ana"],
        [
            (
                "match",
                Contains(
                    "Engineering Growth Partners: you're matched with Bo.",
                    "Bo can help you with Python, and you can help Bo with SQL",
                ),
            ),
        ],
    )


def test_swaps_are_checked_against_the_rules(chat: Chat, cora: ConsoleChat) -> None:
    _people(chat)
    say(cora, "round engineering-growth preview")
    verify_dialog(
        cora,
        [
            (
                "round engineering-growth swap @ana @ed",
                "I can't put Ed and Bo together: their working hours don't overlap enough.",
            ),
            (
                "round engineering-growth swap @ana @cy",
                Contains("Cy (@cy) + Bo (@bo)", "Ana (@ana) + Di (@di)"),
            ),
            (
                "round engineering-growth swap @ana @nobody",
                "@nobody isn't taking part in this round.",
            ),
        ],
    )


def test_unpair_and_pair_by_hand(chat: Chat, cora: ConsoleChat) -> None:
    _people(chat)
    say(cora, "round engineering-growth preview")
    verify_dialog(
        cora,
        [
            (
                "round engineering-growth unpair @ana",
                Contains("1 match covering 2 people, 3 waiting", "Ana (@ana), held back by you"),
            ),
            ("round engineering-growth pair @ana @bo", Contains("2 matches covering 4 people")),
            (
                "round engineering-growth pair @ana @cy",
                "Both must be waiting; use “round swap” to move matched people.",
            ),
            ("round engineering-growth discard", "Draft discarded; nothing was sent."),
            (
                "round engineering-growth",
                "There's no draft round for Engineering Growth Partners. "
                "Say “round preview” to propose one.",
            ),
        ],
    )


def test_a_requested_partner_is_honoured_and_partners_do_not_repeat(
    chat: Chat, cora: ConsoleChat, app: App
) -> None:
    people = _people(chat)
    verify_dialog(
        people["Ana"],
        [
            (
                "request @cy",
                "Noted: I'll try to pair you with @cy in the next round of Engineering "
                "Growth Partners, if the program's rules allow it.",
            ),
        ],
    )
    verify_dialog(
        cora,
        [
            ("round engineering-growth preview", Contains("Ana (@ana) + Cy (@cy)")),
            ("round engineering-growth publish", Contains("Published: 2 matches")),
            # Everyone matched is busy: only Ed, who shares nobody's hours, is left.
            (
                "round engineering-growth preview",
                "There's nobody to match in Engineering Growth Partners yet: a round needs "
                "at least two people waiting (1 person waiting, 4 people in running matches). "
                "No draft was made.",
            ),
            ("round engineering-growth discard", "There's no draft round to discard."),
        ],
    )
    _end_match_of(app, people["Ana"])
    verify_dialog(
        cora,
        [
            (
                "round engineering-growth preview",
                [Lacks("Ana (@ana) + Cy (@cy)"), Contains("Waiting: Ana (@ana)", "Cy (@cy)")],
            ),
        ],
    )


def _end_match_of(app: App, person: ConsoleChat) -> None:
    """The person says "this match isn't working" on a check-in, and confirms."""
    from bot.cadence.due import Cadence

    app.clock.advance(timedelta(days=14))
    Cadence(app.uow, app.clock).tick()
    screen = "\n".join(person.open())
    assert "This match isn't working" in screen
    say(person, "This match isn't working")
    assert "Done." in say(person, "End the match")


def test_an_odd_person_out_joins_a_pair_as_a_trio(
    chat: Chat, cora: ConsoleChat, clock: ManualClock
) -> None:
    people = _people(chat)
    fay = chat("Fay")
    enrol(fay, answers_for(offers="Python", wants="SQL"))
    say(cora, "round engineering-growth preview")
    say(cora, "round engineering-growth publish")
    intro, _ = fay.open()
    assert "== Meet your match ==" in intro
    assert sum(f"@{n}" in intro for n in ("ana", "bo", "cy", "di")) == 2
    clock.advance(timedelta(hours=11))  # Ed's morning in Kiritimati
    assert "first in line" in "".join(people["Ed"].open())  # nobody shares his hours


def test_forget_me_ends_the_match_and_the_partner_is_unmatched(
    chat: Chat, cora: ConsoleChat, app: App
) -> None:
    people = _people(chat)
    say(cora, "round engineering-growth preview")
    say(cora, "round engineering-growth publish")
    say(people["Ana"], "forget me")
    say(people["Ana"], "Erase everything")
    people["Bo"].open()  # the introduction they had not read yet
    verify_dialog(
        people["Bo"],
        [
            (
                "match",
                Contains(
                    "You don't have a match right now.",
                    "Engineering Growth Partners: your last match ended on",
                    "you'll be in the next round, on Monday",
                ),
            ),
        ],
    )


def test_mentoring_rounds_pair_mentors_with_mentees(chat: Chat, cora: ConsoleChat) -> None:
    def join(name: str, role: str, offers: str, wants: str, level: str) -> None:
        person = chat(name)
        say(person, "join leadership-mentoring")
        for answer in (
            "I agree",
            role,
            "Grow as a leader",
            offers,
            wants,
            level,
            "Berlin",
            "ok",
            "skip",
            "none",
        ):
            reply = say(person, answer)
        assert "You're in" in reply

    join("Max", "mentor", "Hiring, Delegation", "none", "4")
    join("Nia", "mentee", "none", "Hiring", "2")
    join("Oli", "mentee", "none", "Delegation", "1")
    verify_dialog(
        cora,
        [
            (
                "round leadership-mentoring preview",
                Contains(
                    "2 matches covering 4 people, 0 waiting",
                    "Max (@max) + Nia (@nia)",
                    "Max can help Nia with Hiring",
                    "Max (@max) + Oli (@oli)",
                    "Max can help Oli with Delegation",
                ),
            ),
        ],
    )


def test_a_round_with_nobody_waiting_is_not_proposed(cora: ConsoleChat) -> None:
    verify_dialog(
        cora,
        [
            (
                "round engineering-growth preview",
                "There's nobody to match in Engineering Growth Partners yet: a round needs "
                "at least two people waiting (0 people waiting). No draft was made.",
            ),
            ("round engineering-growth", Contains("There's no draft round")),
        ],
    )
