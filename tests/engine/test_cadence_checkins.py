"""The fortnightly check-in on an injected clock: “did you meet?” in working hours,
the private feedback after a yes, one reminder after a not yet, skipping, and
ending a match that isn't working."""

from __future__ import annotations

from bot.events import ChoicePicked
from tandem.bootstrap import App
from tests.dialog import Contains, verify_dialog
from tests.engine.cadence import Program


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
