"""A coordinator's draft round in chat: only coordinators run rounds; the preview
with scores and reasons; swaps, unpairing and pairing by hand, checked against the
rules; nothing is sent until the round is published; no round with nobody waiting."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from adapters.console.chat import ConsoleChat
from bot.clock import ManualClock
from tests.dialog import Contains, say, verify_dialog
from tests.engine.rounds import enrolled_people

Chat = Callable[..., ConsoleChat]


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
    enrolled_people(chat)
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
    people = enrolled_people(chat)
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
    enrolled_people(chat)
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
    enrolled_people(chat)
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
