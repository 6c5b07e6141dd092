"""Rounds on the program's schedule: published automatically, or held for review."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from adapters.console.chat import ConsoleChat
from bot.admin import bundled_programs, install_programs
from bot.cadence.due import Cadence
from bot.clock import ManualClock
from tandem.bootstrap import App
from tests.dialog import Contains, verify_dialog
from tests.engine.scripts import answers_for, enrol

Chat = Callable[..., ConsoleChat]
FIRST = date(2026, 11, 30)  # a Monday


def _program(app: App, clock: ManualClock, *, review: bool) -> None:
    spec = bundled_programs()[0]
    schedule = spec.schedule.model_copy(update={"first_round": FIRST, "review_rounds": review})
    install_programs(
        app.uow, clock, "console", "console", [spec.model_copy(update={"schedule": schedule})]
    )


def _people(chat: Chat) -> dict[str, ConsoleChat]:
    people = {"Ana": chat("Ana"), "Bo": chat("Bo")}
    enrol(people["Ana"], answers_for(offers="SQL", wants="Python"))
    enrol(people["Bo"], answers_for(offers="Python", wants="SQL", timezone="London"))
    return people


def _notices(cora: ConsoleChat) -> list[str]:
    """What the coordinator sees, the weekly digest aside."""
    return [x for x in cora.open() if ": your week ==" not in x]


def _at(app: App, clock: ManualClock, when: datetime) -> None:
    clock.set(when)
    Cadence(app.uow, clock).tick()


def test_a_scheduled_round_runs_on_its_date_and_introduces_everyone(
    chat: Chat, app: App, clock: ManualClock
) -> None:
    _program(app, clock, review=False)
    people = _people(chat)
    _at(app, clock, datetime(2026, 11, 29, 10, tzinfo=UTC))
    assert people["Ana"].open() == []
    _at(app, clock, datetime(2026, 11, 30, 10, tzinfo=UTC))
    intro, _goals = people["Ana"].open()
    assert "Meet @ana and @bo" in intro
    # Later rounds only take people who aren't matched yet.
    cy, di = chat("Cy"), chat("Di")
    enrol(cy, answers_for(offers="UX research", wants="Public speaking"))
    enrol(di, answers_for(offers="Public speaking", wants="UX research"))
    _at(app, clock, datetime(2026, 12, 7, 10, tzinfo=UTC))  # one week on: not a round day
    assert cy.open() == []
    _at(app, clock, datetime(2026, 12, 14, 10, tzinfo=UTC))  # two weeks on
    assert "Meet @cy and @di" in cy.open()[0]
    assert people["Ana"].open()[:1] != [intro]  # nobody is introduced twice


def test_a_round_can_wait_for_a_coordinators_review(
    chat: Chat, app: App, clock: ManualClock
) -> None:
    _program(app, clock, review=True)
    people = _people(chat)
    cora = chat("Coordinator")
    _at(app, clock, datetime(2026, 11, 30, 10, tzinfo=UTC))
    assert people["Ana"].open() == []
    notice = " ".join(" ".join(_notices(cora)).split())
    assert notice == (
        "A matching round for Engineering Growth Partners is ready for your "
        "review: 1 match, 0 waiting. Say “round engineering-growth” to see it, "
        "then “round engineering-growth publish”."
    )
    verify_dialog(
        cora,
        [
            ("round engineering-growth", Contains("1 match covering 2 people")),
            ("round engineering-growth publish", Contains("Published: 1 match will")),
        ],
    )
    _at(app, clock, clock.now() + timedelta(minutes=1))
    assert "Meet @ana and @bo" in people["Ana"].open()[0]


def test_a_round_left_unreviewed_is_recalled_to_the_coordinators_once(
    chat: Chat, app: App, clock: ManualClock
) -> None:
    _program(app, clock, review=True)
    people = _people(chat)
    cora = chat("Coordinator")
    _at(app, clock, datetime(2026, 11, 30, 10, tzinfo=UTC))
    assert "is ready for your review" in " ".join(_notices(cora))
    _at(app, clock, datetime(2026, 12, 1, 10, tzinfo=UTC))
    assert cora.open() == []
    _at(app, clock, datetime(2026, 12, 2, 10, tzinfo=UTC))
    reminder = " ".join(" ".join(cora.open()).split())
    assert reminder == (
        "The matching round for Engineering Growth Partners from 30 November is still "
        "waiting for your review: 2 people won't hear about their match until it is "
        "published. Say “round engineering-growth” to see it, then “round "
        "engineering-growth publish”."
    )
    for day in (3, 4):
        _at(app, clock, datetime(2026, 12, day, 10, tzinfo=UTC))
        assert cora.open() == []
    _at(app, clock, datetime(2026, 12, 7, 10, tzinfo=UTC))  # the next week's digest says so
    (digest,) = cora.open()
    assert "The round of 30 November is waiting for your review" in " ".join(digest.split())
    assert people["Ana"].open() == []  # nobody hears of a match before it is published


def test_a_program_file_without_review_settings_waits_for_review(
    chat: Chat, app: App, clock: ManualClock
) -> None:
    spec = bundled_programs()[0]
    assert spec.schedule.review_rounds  # the default, and the shipped programs keep it
    schedule = spec.schedule.model_copy(update={"first_round": FIRST})
    install_programs(
        app.uow, clock, "console", "console", [spec.model_copy(update={"schedule": schedule})]
    )
    people = _people(chat)
    _at(app, clock, datetime(2026, 11, 30, 10, tzinfo=UTC))
    assert people["Ana"].open() == []
    assert "ready for your review" in " ".join(chat("Coordinator").open())
