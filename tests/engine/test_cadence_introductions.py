"""A match's start on an injected clock: one introduction with the reasons, the
guide, the agreement and the organiser, never sent twice; an agreement left
unaccepted is sent again, then listed in the coordinator's digest."""

from __future__ import annotations

from collections.abc import Callable

from adapters.console.chat import ConsoleChat
from bot.clock import ManualClock
from tandem.bootstrap import App
from tests.dialog import Contains, Lacks, say, verify_dialog
from tests.engine.cadence import Program, running
from tests.engine.scripts import answers_for, enrol

Chat = Callable[..., ConsoleChat]


def test_one_introduction_with_reasons_guide_agreement_and_organiser(
    chat: Chat, app: App, clock: ManualClock
) -> None:
    ana, bo, cora = chat("Ana"), chat("Bo"), chat("Coordinator")
    enrol(ana, answers_for(offers="SQL", wants="Python"))
    enrol(bo, answers_for(offers="Python", wants="SQL", timezone="London"))
    say(cora, "round engineering-growth preview")
    say(cora, "round engineering-growth publish")
    intro, goals = ana.open()
    assert (
        Contains(
            "== Meet your match ==",
            "Meet @ana and @bo",
            "Why you: Ana can help Bo with SQL, and Bo can help Ana with Python",
            "will suggest a time for the first meeting this week.",
            "Your first meeting",
            "Ten minutes each",
            "Two questions to start with",
            "Good goals are specific and have a date",
            "Your mentoring agreement",
            "We meet for about 30 minutes every two weeks, for 6 months.",
            "stays between us",
            "either of us can say a topic is off limits",
            "end the partnership at any time, without blame",
            "[1] I accept",
        ).check(intro)
        is None
    ), intro
    assert intro.count("will suggest a time") == 1
    assert "Set one to three goals" in goals
    assert bo.open()[0] == intro
    verify_dialog(
        ana,
        [
            (
                "I accept",
                "Thank you, Ana: you've accepted the agreement. Enjoy your first meeting!",
            ),
        ],
    )
    verify_dialog(bo, [("accept", Lacks("already"))])


def test_running_the_schedule_again_introduces_nobody_twice(pair: Program) -> None:
    for _ in range(3):
        pair.tick()
    assert pair.screen(pair.ana) == ""


def test_an_agreement_left_unaccepted_is_sent_again_then_the_digest_lists_it(
    chat: Chat, app: App, clock: ManualClock
) -> None:
    pair = running(chat, app, clock, accept=False)
    verify_dialog(pair.bo, [("I accept", Contains("you've accepted the agreement"))])
    pair.day(2, hour=10)
    assert pair.screen(pair.ana) == ""
    pair.day(3, hour=10)
    again = pair.screen(pair.ana)
    assert "Your match with Bo in Engineering Growth Partners began on" in again
    assert "is still waiting for your “I accept”" in again
    assert "We meet for about 30 minutes every two weeks" in again
    assert pair.screen(pair.bo) == ""  # Bo accepted: nothing more for him
    pair.screen(pair.cora)  # this week's digest, from before the week is up
    for day in (4, 5, 6):
        pair.day(day, hour=10)
        assert pair.screen(pair.ana) == "" and pair.screen(pair.cora) == ""
    pair.day(7, hour=10)  # Monday: the coordinator's weekly digest
    told = pair.screen(pair.cora)
    assert "Engineering Growth Partners: your week" in told
    assert "Haven't accepted their mentoring agreement after a week: Ana (with Bo)" in told
    for day in (8, 12):
        pair.day(day, hour=10)
        assert pair.screen(pair.cora) == ""  # one message a week
    pair.day(28, hour=10)
    assert "Haven't accepted" not in pair.screen(pair.cora)  # three weeks on: old news
    assert "still waiting" not in pair.screen(pair.ana)


def test_accepting_from_the_reminder_ends_the_reminding(
    chat: Chat, app: App, clock: ManualClock
) -> None:
    pair = running(chat, app, clock, accept=False)
    pair.day(3, hour=10)
    pair.screen(pair.ana), pair.screen(pair.bo)
    verify_dialog(pair.ana, [("I accept", Contains("Thank you, Ana: you've accepted"))])
    verify_dialog(pair.bo, [("I accept", Contains("Thank you, Bo: you've accepted"))])
    pair.day(7, hour=10)
    assert "Haven't accepted" not in pair.screen(pair.cora)
