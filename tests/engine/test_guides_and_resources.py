"""Stage guides on the cadence messages of their stage, and the resource library
(``resources [topic]``) with a program's own links (console, SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from adapters.console.chat import ConsoleChat
from bot.admin import bundled_programs, install_programs
from bot.cadence.library import checkin_stage, milestone_stage
from bot.clock import ManualClock
from bot.program.loading import parse_program, program_to_data
from bot.program.problems import ProgramError
from tandem.bootstrap import App
from tests.dialog import Contains, Lacks, say, verify_dialog
from tests.engine.cadence import MATCHED, Program, running

Chat = Callable[..., ConsoleChat]


@pytest.fixture
def pair(chat: Chat, app: App, clock: ManualClock) -> Program:
    return running(chat, app, clock)


def test_the_30_day_milestone_carries_the_30_day_guide(pair: Program) -> None:
    pair.day(30, hour=10)
    shown = pair.screen(pair.ana)
    assert "It's been 30 days with Bo. How are your goals going? [1] Update my goals" in shown
    assert (
        Contains(
            "Guide: after 30 days",
            "A month in is a good moment",
            "Are the meetings at a good time and length for both of you?",
            "To start the conversation",
            "Say “resources” for every guide",
        ).check(shown)
        is None
    ), shown
    verify_dialog(pair.ana, [("Update my goals", Contains("You haven't set any goals yet"))])
    pair.day(60, hour=10)
    later = pair.screen(pair.ana)
    assert "It's been 60 days with Bo" in later and "Guide:" not in later


def test_the_middle_and_the_last_check_in_carry_their_guides(pair: Program) -> None:
    """Six months every two weeks from 23 November: the middle is 21 February, so
    the check-in of 1 March (cycle 7) is the half-way one; the last before the end
    (23 May) is 10 May's (cycle 12). Both answer every check-in."""
    guides: dict[int, str] = {}
    for cycle in range(1, 13):
        pair.day(14 * cycle, hour=10)
        shown = pair.screen(pair.ana)
        assert "Did you and Bo meet in the last two weeks?" in shown, cycle
        guides[cycle] = "half-way" if "Guide: half-way" in shown else ""
        if "Guide: your closing conversation" in shown:
            guides[cycle] = "closing"
        for person in (pair.ana, pair.bo):
            pair.screen(person)
            say(person, "checkin")
            say(person, "Skip this time")
    assert {c: g for c, g in guides.items() if g} == {7: "half-way", 12: "closing"}


def test_which_stage_a_message_is() -> None:
    spec = bundled_programs()[1]  # leadership: monthly for nine months
    start = MATCHED.date()
    stages = {c: checkin_stage(spec, start, c) for c in range(1, 10)}
    assert {c: s for c, s in stages.items() if s} == {5: "midpoint", 9: "closing"}
    assert [milestone_stage(spec, d) for d in (30, 60, 90)] == ["thirty_days", None, None]
    late = spec.model_copy(
        update={"schedule": spec.schedule.model_copy(update={"milestones": (14, 45, 90)})}
    )
    assert [milestone_stage(late, d) for d in (14, 45, 90)] == [None, "thirty_days", None]


def test_resources_lists_topics_and_shows_guides_and_program_links(chat: Chat) -> None:
    ana = chat("Ana")
    verify_dialog(
        ana,
        [
            (
                "resources",
                Contains(
                    "Guides for each stage of a match, and links from your programs:",
                    "first-meeting: your first meeting, 1 link",
                    "30-days: a month in",
                    "midpoint: half-way through",
                    "closing: your closing conversation",
                    "starters: questions to start a conversation",
                    "mentoring: the mentor training, 1 link",
                    "goals: 1 link",
                    "leadership: 1 link",
                ),
            ),
            (
                "resources midpoint",
                Contains("Guide: half-way", "Read your goals together", "To start the"),
            ),
            ("resources Mid-Point", Contains("Guide: half-way")),
            (
                "resources first meeting",
                Contains(
                    "Your first meeting",
                    "Ten minutes each",
                    "Links from your programs",
                    "How to run a good pairing session (Engineering Growth Partners): "
                    "https://intranet.example.com/engineering/pairing",
                ),
            ),
            ("resources starters", Contains("Conversation starters", "What went better")),
            ("resources mentoring", Contains("Mentor training", "7. When your mentee goes")),
            (
                "resources goals",
                Contains(
                    "Links from your programs",
                    "Engineering career ladder (Engineering Growth Partners)",
                ),
            ),
        ],
    )


def test_resources_show_the_links_of_my_programs_only(chat: Chat) -> None:
    from tests.engine.scripts import enrol

    ana = chat("Ana")
    enrol(ana)  # engineering-growth only
    verify_dialog(
        ana,
        [
            ("resources", [Contains("goals: 1 link"), Lacks("leadership")]),
            ("resources mentoring", Lacks("Giving feedback, the company way")),
        ],
    )


def test_bad_topics_get_a_clear_answer(chat: Chat) -> None:
    ana = chat("Ana")
    topics = "first-meeting, 30-days, midpoint, closing, starters, mentoring, goals, leadership"
    verify_dialog(
        ana,
        [
            (
                "resources banana",
                f"There's no topic “banana” in the resources. The topics are: {topics}. "
                "Say “resources TOPIC”.",
            ),
            ("resources midpont", Contains("Did you mean “midpoint”?")),
            (
                "resources " + "<!channel> " * 20,
                Contains("There's no topic “<!channel> <!channel> <!channel> <!ch"),
            ),
            (
                "resources " + "x" * 10_000,
                "That message is 10,010 characters long; the limit here is 300 characters. "
                "Say “help” to see what I can do.",
            ),
        ],
    )


def test_a_program_adds_links_to_the_library(chat: Chat, app: App, clock: ManualClock) -> None:
    growth = bundled_programs()[0]
    data = program_to_data(growth)
    data["resources"] = [
        {"title": "Our on-call handbook", "url": "https://example.com/on-call", "topic": "On Call"}
    ]
    install_programs(app.uow, clock, "console", "console", [parse_program(data)])
    verify_dialog(
        chat("Ana"),
        [
            ("resources", Contains("on-call: 1 link")),
            (
                "resources on call",
                Contains(
                    "Our on-call handbook (Engineering Growth Partners): https://example.com/on-call"
                ),
            ),
        ],
    )


@pytest.mark.parametrize(
    ("resource", "problem"),
    [
        (
            {"title": "A", "url": "http://example.com/a", "topic": "x"},
            "resources[0].url: a resource's url must be a whole https:// address",
        ),
        (
            {"title": "A", "url": "javascript:alert(1)//", "topic": "x"},
            "resources[0].url: a resource's url must be a whole https:// address",
        ),
        (
            {"title": "A", "url": "https://example.com/a", "topic": "no/slashes"},
            "resources[0].topic: a topic is a word or two",
        ),
        (
            {"title": "T" * 101, "url": "https://example.com/a", "topic": "x"},
            "resources[0].title: String should have at most 100 characters",
        ),
        ({"title": "A", "url": "https://example.com/a"}, "resources[0].topic: Field required"),
    ],
)
def test_a_program_s_links_are_checked(resource: dict[str, str], problem: str) -> None:
    data = program_to_data(bundled_programs()[0])
    data["resources"] = [resource]
    with pytest.raises(ProgramError) as error:
        parse_program(data)
    assert problem in str(error.value)


def test_a_program_has_at_most_30_links() -> None:
    data = program_to_data(bundled_programs()[0])
    link = {"title": "A", "url": "https://example.com/a", "topic": "x"}
    data["resources"] = [link] * 31
    with pytest.raises(ProgramError, match="at most 30 items"):
        parse_program(data)
