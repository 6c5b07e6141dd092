"""Coordinators in chat: the report on demand, the weekly digest, objectives on joining
(SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from adapters.console.chat import ConsoleChat
from bot.clock import ManualClock
from tandem.bootstrap import App
from tests.dialog import Contains, say, verify_dialog
from tests.engine.cadence import Program, running
from tests.engine.stored import Row, rows

Chat = Callable[..., ConsoleChat]


@pytest.fixture
def pair(chat: Chat, app: App, clock: ManualClock) -> Program:
    return running(chat, app, clock)


def _digests(app: App) -> list[Row]:
    return rows(app, "outbox", kind="digest")


def test_the_report_in_chat_has_numbers_verdicts_and_charts(pair: Program) -> None:
    pair.day(14, hour=10)
    pair.screen(pair.ana)
    say(pair.ana, "Yes")
    pair.day(15, hour=10)
    pair.screen(pair.cora)  # this week's digest
    verify_dialog(
        pair.cora,
        [
            (
                "report engineering-growth",
                Contains(
                    "== Engineering Growth Partners: how it's going ==",
                    "People: joined 2 · surveyed 2 · matched 2 · waiting 0",
                    "Meetings: met, of check-ins 100%",
                    "… Too early to tell: At least 70% of pairs meet at least once a month.",
                    "measured over only 1 so far",
                    "-- Matches that met, per cycle --",
                    "-- Session ratings --",
                ),
            ),
            ("report engineering-growth round 99", Contains("has no round 99")),
            ("report engineering-growth from 2026-02-30", Contains("I couldn't read that")),
            (
                "report engineering-growth from 2026-12-01 to 2026-11-01",
                Contains("The first day comes after the last one"),
            ),
        ],
    )
    verify_dialog(pair.ana, [("report", "Only a program's coordinators can do that.")])


def test_the_report_never_shows_what_anyone_wrote(pair: Program) -> None:
    pair.day(14, hour=10)
    pair.screen(pair.ana)
    verify_dialog(
        pair.ana,
        [
            ("Yes, we met", Contains("How useful was your session with Bo?")),
            ("5", Contains("What helped most?")),
            ("My secret plan to leave the company", Contains("What will you focus on")),
            ("skip", Contains("Anything else?")),
            ("skip", Contains("This stays between you and Tandem")),
        ],
    )
    shown = " ".join(say(pair.cora, "report engineering-growth").split())
    assert "secret" not in shown
    assert "rating hidden (too few answers)" in shown  # one rating: below five people


def test_one_digest_a_week_for_each_coordinator(pair: Program, app: App) -> None:
    pair.screen(pair.cora)
    before = len(_digests(app))
    for day in (7, 7, 8, 10, 13):  # Monday twice, then the rest of the week
        pair.day(day, hour=10)
    assert len(_digests(app)) == before + 1
    digest = pair.screen(pair.cora)
    assert "Engineering Growth Partners: your week" in digest
    assert "Running matches: 1" in digest
    pair.day(14, hour=10)
    assert len(_digests(app)) == before + 2


def test_no_digest_for_a_program_nobody_has_joined(pair: Program, app: App) -> None:
    pair.day(14, hour=10)
    programs = {row.program_id for row in _digests(app)}
    assert len(programs) == 1  # engineering-growth; leadership-mentoring has nobody


def test_joining_shows_what_the_program_is_for(chat: Chat) -> None:
    verify_dialog(
        chat("Eve"),
        [
            (
                "join engineering-growth",
                Contains(
                    "What the program is for",
                    "Spread hard-won skills across teams",
                    "What's expected of you",
                ),
            )
        ],
    )


def test_help_lists_report_for_coordinators_only(chat: Chat) -> None:
    assert "report [program]" in say(chat("Coordinator"), "help")
    assert "report [program]" not in say(chat("Eve"), "help")


def test_export_sends_three_csv_files_with_status_only(pair: Program) -> None:
    pair.day(14, hour=10)
    pair.screen(pair.ana)
    say(pair.ana, "Yes")
    pair.screen(pair.cora)
    reply = say(pair.cora, "export engineering-growth")
    assert "3 CSV files" in reply
    for what in ("matches", "participation", "cycles"):
        assert f"engineering-growth-{what}-" in reply, what
    verify_dialog(
        pair.cora,
        [
            ("export engineering-growth round 99", Contains("has no round 99")),
            ("export engineering-growth from yesterday", Contains("I couldn't read that")),
        ],
    )
    verify_dialog(pair.ana, [("export", "Only a program's coordinators can do that.")])


def test_a_coordinator_of_one_program_cannot_look_into_another(
    chat: Chat, app: App, clock: ManualClock
) -> None:
    from bot.admin import bundled_programs, install_programs

    leadership = next(s for s in bundled_programs() if s.slug == "leadership-mentoring")
    install_programs(
        app.uow,
        clock,
        "console",
        "console",
        [leadership.model_copy(update={"coordinators": ("lea",)})],
    )
    lea = chat("Lea")
    for command in (
        "report engineering-growth",
        "export engineering-growth",
        "stalls engineering-growth",
        "quiet engineering-growth add 2027-12-24 2028-01-02 Holidays",
        "poll engineering-growth How is it going? | Well | Badly",
    ):
        assert say(lea, command) == (
            "Only Engineering Growth Partners's coordinators can do that."
        ), command
    assert "Leadership Mentoring: how it's going" in say(lea, "report leadership-mentoring")
