"""Goals and a match's end on an injected clock: setting goals, the milestones at
30, 60 and 90 days, and the wrap-up that closes the match and offers the next
cycle (SQLite and PostgreSQL too)."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import on_databases
from tests.dialog import Contains, say, verify_dialog
from tests.engine.cadence import MATCHED, Program

# Goals ----------------------------------------------------------------------------


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


# The end --------------------------------------------------------------------------


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
