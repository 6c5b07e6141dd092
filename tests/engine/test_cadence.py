"""The program runs itself: introductions, check-ins, feedback, goals, milestones,
wrap-ups, stalls and silences, on an injected clock (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from adapters.console.chat import ConsoleChat
from bot.clock import ManualClock
from bot.events import ChoicePicked
from tandem.bootstrap import App
from tests.conftest import on_databases
from tests.dialog import Contains, Lacks, say, verify_dialog
from tests.engine.cadence import MATCHED, Program, running
from tests.engine.scripts import answers_for, enrol

Chat = Callable[..., ConsoleChat]


@pytest.fixture
def pair(chat: Chat, app: App, clock: ManualClock) -> Program:
    return running(chat, app, clock)


# 1. Introductions -----------------------------------------------------------------


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


# 2. The cadence -------------------------------------------------------------------


def test_did_you_meet_comes_every_two_weeks_in_working_hours(pair: Program) -> None:
    pair.day(13)
    assert pair.screen(pair.ana) == ""
    pair.day(13, hour=23)  # the day before: queued, not shown until Ana's morning
    assert pair.screen(pair.ana) == ""
    pair.day(14, hour=7)  # 08:00 in Berlin
    assert pair.screen(pair.ana) == ""
    pair.day(14, hour=8)  # 09:00 in Berlin
    assert (
        Contains(
            "Did you and Bo meet in the last two weeks?",
            "[1] Yes, we met",
            "[2] Not yet",
            "[3] Skip this time",
            "[4] This match isn't working",
        ).check(pair.screen(pair.ana))
        is None
    )
    assert pair.screen(pair.bo) == ""  # 08:00 in London
    pair.day(14, hour=9)
    assert "Did you and Ana meet" in pair.screen(pair.bo)


def test_yes_brings_each_member_a_private_feedback_prompt(pair: Program) -> None:
    pair.day(14, hour=10)
    pair.screen(pair.ana), pair.screen(pair.bo)
    (question,) = [b for b in pair.bo.on_screen() if b.action.startswith("checkin")]
    verify_dialog(
        pair.ana,
        [
            (
                "1",
                Contains(
                    "Great! A few quick questions about it, just for you.",
                    "How useful was your session with Bo?",
                    "[1] 1",
                    "[5] 5",
                ),
            ),
            ("4", Contains("What helped most?")),
            ("We paired on a real query.", Contains("What will you focus on before your next")),
            ("Window functions.", Contains("Anything else?")),
            ("skip", "Thank you. This stays between you and Tandem: Bo never sees it."),
        ],
    )
    bo_sees = pair.screen(pair.bo)
    assert "Ana told me you met this cycle. How useful was the session?" in bo_sees
    assert "real query" not in bo_sees and "Window functions" not in bo_sees
    # Bo's own check-in had reached him: his answer changes nothing, and says why.
    pressed = ChoicePicked(
        event_id="bo-yes", actor=pair.bo.actor, action=question.action, values=("yes",)
    )
    assert (
        "Ana already told me you met: thank you!"
        in pair.bo.show(pair.app.engine.handle(pressed))[0]
    )
    verify_dialog(pair.bo, [("checkin", Contains("You have no check-ins waiting."))])


def test_a_yes_before_the_partners_check_in_arrives_takes_that_check_in_back(
    pair: Program,
) -> None:
    pair.day(14, hour=8)  # 09:00 in Berlin, 08:00 in London: Bo's question still waits
    pair.screen(pair.ana)
    verify_dialog(pair.ana, [("Yes, we met", Contains("How useful was your session with Bo?"))])
    pair.day(14, hour=9)
    bo_sees = pair.screen(pair.bo)
    assert "Ana told me you met this cycle. How useful was the session?" in bo_sees
    assert "Did you and Ana meet" not in bo_sees
    # The meeting counts for Bo: three such cycles never make him "silent".
    for cycle in (2, 3, 4):
        pair.day(14 * cycle, hour=8)
        pair.screen(pair.ana)
        verify_dialog(pair.ana, [("Yes, we met", Contains("How useful"))])
    pair.day(14 * 5 + 1, hour=10)
    assert "paused" not in pair.screen(pair.bo)


def test_not_yet_brings_exactly_one_reminder_later_in_the_cycle(pair: Program) -> None:
    pair.day(14, hour=10)
    pair.screen(pair.ana)
    verify_dialog(
        pair.ana, [("Not yet", "No problem. I'll check in once more later in this cycle.")]
    )
    pair.day(20, hour=10)
    assert pair.screen(pair.ana) == ""
    pair.day(21, hour=10)
    assert (
        Contains(
            "A gentle nudge: have you and Bo found a time to meet this cycle?", "[1] Yes, we met"
        ).check(pair.screen(pair.ana))
        is None
    )
    for day in (22, 23, 24, 25):
        pair.day(day, hour=10)
        assert "gentle nudge" not in pair.screen(pair.ana)
    verify_dialog(pair.ana, [("Yes, we met", Contains("How useful was your session"))])


def test_skip_this_time_and_a_second_click_changes_nothing(pair: Program, app: App) -> None:
    pair.day(14, hour=10)
    pair.screen(pair.ana)
    (buttons,) = pair.ana.on_screen()
    verify_dialog(
        pair.ana,
        [
            ("Skip this time", "Noted: you're skipping this cycle. See you next time."),
        ],
    )
    again = ChoicePicked(
        event_id="double-click", actor=pair.ana.actor, action=buttons.action, values=("skip",)
    )
    assert app.engine.handle(again).messages == ()


def test_isnt_working_ends_the_match_without_blame(pair: Program) -> None:
    pair.day(14, hour=10)
    pair.screen(pair.ana)
    verify_dialog(
        pair.ana,
        [
            ("This match isn't working", Contains("End your match with Bo? Nobody is blamed")),
            (
                "End the match",
                "Done. Thanks for telling me; I'll find you someone new in the next round.",
            ),
            ("match", Contains("You don't have a match right now.", "you'll be in the next round")),
        ],
    )
    told = pair.screen(pair.bo)
    assert "Your match with Ana in Engineering Growth Partners has ended" in told
    assert "nobody is at fault" in told
    assert "wasn't working" not in told  # only the coordinators hear why
    pair.screen(pair.cora)
    pair.day(21, hour=10)  # the next Monday: the digest says so, and whom it frees
    digest = pair.screen(pair.cora)
    assert "Ended as not working this week (rematched next round): Ana and Bo" in digest
    assert "Ana (their match ended as not working: matched in the next round)" in digest


# 3. Goals -------------------------------------------------------------------------


def test_setting_goals_after_the_introduction(pair: Program) -> None:
    verify_dialog(
        pair.ana,
        [
            ("goals", Contains("With Bo", "No goals yet.", "Add a goal")),
            ("Add a goal", Contains("Goal 1 of up to 3")),
            ("Write one dashboard in SQL by February", Contains("Add another goal?")),
            ("Add another", Contains("Goal 2 of up to 3")),
            ("x" * 400, Contains("the limit here is 300")),
            ("Pair-review a query with Bo by March", Contains("Add another goal?")),
            (
                "That's all",
                Contains(
                    "Saved your goals. I'll ask how they're going at 30, 60, 90 days.",
                    "Write one dashboard",
                ),
            ),
            ("goals", Contains("Write one dashboard in SQL by February (set)")),
        ],
    )


def test_milestones_at_30_60_and_90_days_update_each_goal(pair: Program) -> None:
    for answer in ("goals", "Add a goal", "Learn window functions by January", "That's all"):
        say(pair.ana, answer)
    pair.day(29, hour=10)
    assert "It's been" not in pair.screen(pair.ana)
    pair.day(30, hour=10)
    assert (
        "It's been 30 days with Bo. How are your goals going? [1] Update my goals"
        in pair.screen(pair.ana)
    )
    verify_dialog(
        pair.ana,
        [
            (
                "Update my goals",
                Contains(
                    "“Learn window functions by January”: how is it going?",
                    "[1] On track  [2] Off track  [3] Done!",
                ),
            ),
            ("Done!", "Thanks! 1 of 1 done. Keep going."),
            ("goals", Contains("Learn window functions by January (done)")),
        ],
    )
    # Day 90 is a Sunday, so that milestone arrives on the Monday.
    for day, seen in ((59, False), (60, True), (90, False), (91, True)):
        pair.day(day, hour=10)
        shown = pair.screen(pair.ana)
        label = day if day != 91 else 90
        assert (f"It's been {label} days with Bo" in shown) is seen, (day, shown)


# 4. The end -----------------------------------------------------------------------


@on_databases  # a match's whole life, end to end, on the real databases too
def test_the_wrap_up_closes_the_match_and_offers_the_next_cycle(pair: Program) -> None:
    pair.at(MATCHED + timedelta(days=182, hours=1))  # six months on, a Monday
    shown = pair.screen(pair.ana)
    assert "Your 6 months with Bo in Engineering Growth Partners are over." in shown
    verify_dialog(
        pair.ana,
        [
            (
                "Start",
                Contains("How likely are you to recommend Engineering Growth Partners", "[11] 10"),
            ),
            ("9", Contains("What changed for you?")),
            (
                "I run data reviews on my own now.",
                Contains(
                    "May the program's coordinators read what you wrote",
                    "Never with your name",
                    "[1] Yes, share it",
                ),
            ),
            ("Yes, share it", Contains("Would you like to join the next cycle?")),
            ("Yes, count me in", "Wonderful: you'll be in the next round."),
            ("profile", Contains("Taking part")),
            ("match", Contains("You don't have a match right now.", "you'll be in the next round")),
        ],
    )
    assert "Your 6 months with Ana" in pair.screen(pair.bo)
    with pair.app.uow() as uow:  # what the coordinators' report may read: Ana's, shared
        growth = next(p for p in uow.programs.every() if p.slug == "engineering-growth")
        shared = [w.shared for w in uow.reports.facts(growth.id).wrapups]
    assert shared == ["I run data reviews on my own now.", None]
    verify_dialog(
        pair.bo,
        [
            ("Start", Contains("recommend")),
            ("3", Contains("What changed")),
            ("Not much.", Contains("May the program's coordinators read what you wrote")),
            ("Keep it private", Contains("next cycle")),
            ("Not this time", "Thank you for taking part. Say “join” any time to come back."),
            ("profile", Contains("You've left this program.")),
        ],
    )


# 5. Stalls and silence ------------------------------------------------------------


def test_a_match_that_hasnt_met_for_two_cycles_is_in_the_coordinators_digest(
    pair: Program,
) -> None:
    for day in (14, 28):
        pair.day(day, hour=10)
        pair.screen(pair.ana)
        say(pair.ana, "Not yet")
    pair.screen(pair.cora)
    pair.day(41, hour=10)
    assert pair.screen(pair.cora) == ""
    pair.day(42, hour=10)  # Monday, and the second cycle without a meeting has closed
    note = pair.screen(pair.cora)
    assert "Haven't met for two cycles (a friendly word might help): Ana and Bo" in note
    verify_dialog(pair.cora, [("stalls engineering-growth", Contains("Ana and Bo"))])
    for day in (43, 44, 45):
        pair.day(day, hour=10)
        assert pair.screen(pair.cora) == ""  # one message a week
    pair.day(49, hour=10)
    assert "Ana and Bo" in pair.screen(pair.cora)  # still stalled, still listed


def test_a_stall_ends_when_the_pair_meets(pair: Program) -> None:
    for day in (14, 28):
        pair.day(day, hour=10)
        pair.screen(pair.ana)
        say(pair.ana, "Not yet")
    pair.day(42, hour=10)
    assert "Ana and Bo" in pair.screen(pair.cora)
    pair.screen(pair.ana)
    say(pair.ana, "Yes")  # the third cycle's check-in
    pair.day(56, hour=10)
    assert "Haven't met for two cycles" not in pair.screen(pair.cora)


def _ana_goes_silent_for_three_cycles(pair: Program) -> None:
    for day in (14, 28, 42):  # Bo answers, Ana never does
        pair.day(day, hour=10)
        pair.screen(pair.ana)
        pair.screen(pair.bo)
        say(pair.bo, "Not yet")
    pair.day(55, hour=10)
    assert "paused your place" not in pair.screen(pair.ana)
    pair.day(56, hour=10)


def test_three_silent_cycles_pause_someone_kindly_and_free_their_partner(pair: Program) -> None:
    _ana_goes_silent_for_three_cycles(pair)
    told = pair.screen(pair.ana)
    assert "I haven't heard from you for a while, so I've paused your place" in told
    assert "say “resume” whenever" in told
    assert "Ana is taking a break from Engineering Growth Partners" in pair.screen(pair.bo)
    verify_dialog(pair.ana, [("profile", Contains("On a break."))])


def test_someone_back_from_a_silence_pause_starts_afresh(pair: Program) -> None:
    _ana_goes_silent_for_three_cycles(pair)
    assert "paused your place" in pair.screen(pair.ana)
    verify_dialog(pair.ana, [("resume", Contains("Welcome back!"))])
    for day in (57, 58, 63):
        pair.day(day, hour=10)
        assert "paused your place" not in pair.screen(pair.ana)
    verify_dialog(pair.ana, [("profile", Lacks("On a break."))])


# 6. Respecting people's time ------------------------------------------------------


def test_nothing_arrives_at_the_weekend_or_outside_working_hours(
    chat: Chat, app: App, clock: ManualClock
) -> None:
    pair = running(chat, app, clock, "Australia/Sydney", "Australia/Sydney", accept=False)
    # Matched at 20:00 in Sydney: the introduction waits for Tuesday morning there.
    assert pair.screen(pair.ana) == ""
    pair.day(1, hour=0)  # Tuesday 11:00 in Sydney
    assert "Meet your match" in pair.screen(pair.ana)
    pair.screen(pair.bo)
    say(pair.ana, "I accept"), say(pair.bo, "I accept")
    pair.day(13, hour=12)  # Sunday 23:00 in Sydney: the check-in is queued
    assert pair.screen(pair.ana) == ""
    pair.day(13, hour=22)  # Monday 09:00 in Sydney
    assert "Did you and Bo meet" in pair.screen(pair.ana)


def test_quiet_days_hold_messages_until_they_are_over(pair: Program) -> None:
    verify_dialog(
        pair.cora,
        [
            (
                "quiet engineering-growth add 2026-12-07 2026-12-09 Team offsite",
                "Engineering Growth Partners will send nothing from 7 December to 9 December 2026 "
                "(Team offsite); anything due then waits until the next working day.",
            ),
            ("quiet engineering-growth", Contains("1. 7 Dec 2026 to 9 Dec 2026: Team offsite")),
        ],
    )
    pair.day(14, hour=10)  # 7 December
    assert pair.screen(pair.ana) == ""
    pair.day(17, hour=10)  # 10 December
    assert "Did you and Bo meet" in pair.screen(pair.ana)


def test_a_weekly_budget_holds_extra_messages_for_the_next_week(
    chat: Chat, app: App, clock: ManualClock
) -> None:
    from bot.admin import bundled_programs, install_programs

    spec = bundled_programs()[0]
    tight = spec.model_copy(
        update={"schedule": spec.schedule.model_copy(update={"messages_per_week": 1})}
    )
    install_programs(app.uow, clock, "console", "console", [tight])
    pair = running(chat, app, clock)
    # Wednesday 23 December: the 30-day milestone is due, but the week already has
    # its one message (the second cycle's check-in, due on Monday the 21st).
    pair.day(30, hour=10)
    shown = pair.screen(pair.ana)
    assert "Did you and Bo meet" in shown
    assert "It's been 30 days" not in shown
    pair.day(35, hour=10)  # Monday 28 December: a new week
    assert "It's been 30 days with Bo" in pair.screen(pair.ana)


def test_messages_keep_their_local_time_across_daylight_saving(
    chat: Chat, app: App, clock: ManualClock
) -> None:
    start = MATCHED.replace(year=2027, month=3, day=1)  # Monday 1 March 2027, 09:00 UTC
    clock.set(start)
    pair = running(chat, app, clock, timezone="America/New_York", accept=False)
    pair.at(start.replace(hour=13, minute=59))
    assert pair.screen(pair.ana) == ""  # still 08:59 in New York (UTC-5)
    pair.at(start.replace(hour=14))
    assert "Meet your match" in pair.screen(pair.ana)
    say(pair.ana, "I accept"), say(pair.bo, "I accept")
    # The US moves its clocks on 14 March: 09:00 in New York is now 13:00 UTC.
    checkin_day = start + timedelta(days=14)
    pair.at(checkin_day.replace(hour=12, minute=59))
    assert pair.screen(pair.ana) == ""
    pair.at(checkin_day.replace(hour=13))
    assert "Did you and Bo meet" in pair.screen(pair.ana)


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
