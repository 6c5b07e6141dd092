"""The program survey: after 30 days, mid-program and near the end, in working hours
and within the weekly budget (never pushing out a check-in), answered one question
at a time."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from adapters.console.chat import ConsoleChat
from bot.adjustment import Stage
from bot.cadence.surveys import stage_days
from bot.clock import ManualClock
from tandem.bootstrap import App
from tests.dialog import Contains, Lacks, say, verify_dialog
from tests.engine.cadence import MATCHED, Program, running
from tests.engine.stored import rows

Chat = Callable[..., ConsoleChat]
INVITE = "A short survey about Engineering Growth Partners (after 30 days)"


@pytest.fixture
def pair(chat: Chat, app: App, clock: ManualClock) -> Program:
    return running(chat, app, clock)


def surveys(app: App) -> list[dict[str, object]]:
    return [vars(r) for r in rows(app, "program_surveys")]


def test_the_stages_are_30_days_half_way_and_a_week_before_the_end() -> None:
    days = stage_days(MATCHED.date(), 6)
    assert [f"{days[s]:%d %b %Y}" for s in Stage] == ["23 Dec 2026", "21 Feb 2027", "16 May 2027"]


def test_the_30_day_survey_answered_one_question_at_a_time(pair: Program, app: App) -> None:
    pair.day(30, hour=10)
    pair.screen(pair.ana)
    pair.day(35, hour=10)  # the week after day 30's (see the budget test below)
    assert INVITE in pair.screen(pair.ana)
    verify_dialog(
        pair.ana,
        [
            (
                "Start the survey",
                Contains(
                    "Is Engineering Growth Partners helping you grow? (1 = not at all, 5 = a lot)",
                    "[1] 1",
                    "[5] 5",
                ),
            ),
            ("4", Contains("Do you feel supported by your partner?")),
            ("5", Contains("Would you recommend Engineering Growth Partners to a colleague?")),
            ("10", Contains("Anything else you'd like the coordinators to know?")),
            ("x" * 10_000, Contains("10,000 characters long")),
            (
                "More structure for the first meeting, please.",
                Contains("May the coordinators read your comment (without your name)?"),
            ),
            (
                "Yes, share it",
                "Thank you! Your answers help the coordinators make Engineering Growth "
                "Partners better.",
            ),
        ],
    )
    [answered] = [s for s in surveys(app) if s["answered_at"] is not None]
    # (the console numbers a menu's options: its 10th option is the score 9)
    assert (answered["growth"], answered["supported"], answered["recommend"]) == (4, 5, 9)
    assert answered["comment"] == "More structure for the first meeting, please."
    assert answered["shared"] is True
    assert answered["stage"] == "day30"


def test_skip_leaves_the_comment_out_and_a_survey_is_answered_once(pair: Program, app: App) -> None:
    pair.day(30, hour=10)
    pair.day(35, hour=10)
    pair.screen(pair.bo)
    for line in ("Start the survey", "3", "3", "7"):
        say(pair.bo, line)
    verify_dialog(pair.bo, [("skip", Contains("Thank you!"))])
    [answered] = [s for s in surveys(app) if s["answered_at"] is not None]
    assert answered["comment"] is None and answered["shared"] is False
    # Asked once: later ticks in the same stage ask nothing again.
    pair.day(50, hour=10)
    assert INVITE not in pair.screen(pair.bo)


def test_a_survey_never_pushes_out_a_check_in(pair: Program, app: App) -> None:
    """The week of day 30 holds the check-in (day 28) and the 30-day milestone: a
    survey there would take the budget's last place (3), so it waits for the next
    week; the check-ins keep their weeks."""
    pair.day(30, hour=10)
    ana = pair.screen(pair.ana)
    assert "Did you and Bo meet" in ana and INVITE not in ana
    pair.day(33, hour=10)  # Saturday: nothing on a weekend
    assert INVITE not in pair.screen(pair.ana)
    pair.day(35, hour=10)  # Monday: a week with room
    assert INVITE in pair.screen(pair.ana)
    planned = [
        (r.kind, r.not_before)
        for r in rows(app, "outbox")
        if r.kind in ("checkin", "program_survey") and r.person_id is not None
    ]
    weeks: dict[tuple[int, int], list[str]] = {}
    for kind, at in planned:
        weeks.setdefault(at.isocalendar()[:2], []).append(kind)
    # No week holds a survey and no check-in while a check-in waited elsewhere.
    checkin_weeks = [w for w, kinds in weeks.items() if "checkin" in kinds]
    assert len(checkin_weeks) == len(set(checkin_weeks))
    pair.day(42, hour=10)
    assert "Did you and Bo meet" in pair.screen(pair.ana)


def test_people_who_paused_get_no_survey(pair: Program, app: App) -> None:
    say(pair.bo, "pause")
    pair.day(36, hour=10)
    assert INVITE not in pair.screen(pair.bo)
    assert Lacks("Bo").check(str([s["person_id"] for s in surveys(app)])) is None
