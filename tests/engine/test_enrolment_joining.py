"""Joining a program through the console adapter: the expectations and the
agreement, saying no, a whole enrolment ending with the welcome and the profile,
and joining again while taking part."""

from __future__ import annotations

from collections.abc import Callable

from adapters.console.chat import ConsoleChat
from bot.model import Status
from tandem.bootstrap import App
from tests.conftest import on_databases
from tests.dialog import Contains, verify_dialog
from tests.engine.scripts import enrol

Chat = Callable[..., ConsoleChat]


def test_join_shows_expectations_and_agreement_then_the_survey(chat: Chat) -> None:
    verify_dialog(
        chat("Ana Lima"),
        [
            (
                "join engineering-growth",
                Contains(
                    "== Engineering Growth Partners ==",
                    "meeting for about 30 minutes every two weeks, for 6 months.",
                    "What's expected of you",
                    "The mentoring agreement",
                    "Either of us can end the partnership at any time, without blame",
                    "Do you agree to take part on these terms?",
                    "[1] I agree  [2] Not now",
                ),
            ),
            (
                "1",
                Contains(
                    "A few quick questions so I can find you a good match.",
                    "Question 1 of 12. What would you most like to get out of the program?",
                    "[1] Grow technical depth",
                    "Pick up to 3",
                ),
            ),
        ],
    )


@on_databases  # a whole flow, end to end, on the real databases too
def test_a_whole_enrolment_ends_with_a_welcome_and_the_profile(chat: Chat, app: App) -> None:
    ana = chat("Ana Lima")
    reply = enrol(ana)
    assert reply.startswith("== You're in, Ana! ==\nWelcome to Engineering Growth Partners.")
    for line in (
        "1. Goals: Grow technical depth, Become a better communicator",
        "2. Can help with: SQL, Cloud infrastructure",
        "3. Wants to learn: Machine learning, Kubernetes",
        "4. Career stage: Experienced (5-10 years)",
        "5. Timezone: Europe/Berlin",
        "6. Working hours: 09:00-17:00",
        "7. Session style: Structured: an agenda and notes",
        "8. Role: Any of these",
        "9. Open to reverse mentoring: yes",
        "10. Reports to: @cy-boss",
        "11. Not paired with: @bo, @carla",
        "12. About me: I build data pipelines and love climbing.",
    ):
        assert f"  {line}" in reply
    with app.uow() as uow:
        ws = uow.workspaces.ensure("console", "console", app.clock.now())
        person = uow.people.find(ws.id, "ana-lima")
        assert person is not None
        (enrolment,) = uow.enrolments.of_person(person.id)
        assert enrolment.status is Status.ACTIVE
        answers = uow.answers.of(enrolment.id)
    assert answers["offers"] == ["SQL", "Cloud infrastructure"]
    assert answers["level"] == 3
    assert answers["working_hours"] == "09:00-17:00"
    assert answers["reverse"] is True
    assert answers["avoid"] == ["bo", "carla"]


def test_not_now_leaves_nothing_half_done(chat: Chat) -> None:
    verify_dialog(
        chat("Bo"),
        [
            ("join engineering-growth", Contains("Do you agree")),
            ("not now", "No problem. Say “join” whenever you're ready."),
            ("profile", "You haven't joined a program yet. Say “join” to start."),
        ],
    )


def test_a_menu_asks_again_when_the_reply_is_neither_an_option_nor_a_command(chat: Chat) -> None:
    verify_dialog(
        chat("Bo"),
        [
            ("join engineering-growth", Contains("Do you agree")),
            (
                "maybe later?",
                "Please reply 1 to agree or 2 for not now (or say “help”).\n"
                "  [1] I agree  [2] Not now",
            ),
            ("help", Contains("I run peer mentoring here.", "join [program]")),
            ("1", Contains("Sorry, I don't know “1”.")),
        ],
    )


def test_joining_again_while_taking_part_says_so(chat: Chat) -> None:
    ana = chat("Ana Lima")
    enrol(ana)
    verify_dialog(
        ana,
        [
            (
                "join engineering-growth",
                "You're already part of Engineering Growth Partners. "
                "Say “profile” to see or change your answers.",
            ),
        ],
    )
