"""profile, pause, resume, leave, programs, help."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from adapters.console.chat import ConsoleChat
from bot.clock import ManualClock
from tests.dialog import Contains, say, verify_dialog
from tests.engine.scripts import enrol

Chat = Callable[..., ConsoleChat]


def test_profile_shows_every_answer_and_edits_one_by_number(chat: Chat) -> None:
    ana = chat("Ana Lima")
    enrol(ana)
    verify_dialog(
        ana,
        [
            (
                "profile",
                Contains(
                    "== Your profile in Engineering Growth Partners ==",
                    "Taking part: you'll be included in matching rounds.",
                    "5. Timezone: Europe/Berlin",
                    "To change an answer, reply with its number or name",
                ),
            ),
            ("5", Contains("Which timezone do you work in?", "Reply “cancel” to keep")),
            ("Tokyo", "Saved. Timezone: Asia/Tokyo."),
            ("profile", Contains("5. Timezone: Asia/Tokyo")),
        ],
    )


def test_profile_edit_by_name_rejects_a_bad_answer_and_asks_again(chat: Chat) -> None:
    ana = chat("Ana Lima")
    enrol(ana)
    verify_dialog(
        ana,
        [
            ("profile edit working hours", Contains("What are your usual working hours")),
            (
                "all day",
                Contains(
                    "Please give your working hours as a range", "What are your usual working hours"
                ),
            ),
            ("10-18", "Saved. Working hours: 10:00-18:00."),
            ("profile edit offers", Contains("Which skills could you help someone else with?")),
            ("cancel", "OK, your answer stays as it was."),
            ("profile edit colour", "There's no question “colour” in Engineering Growth Partners."),
        ],
    )


def test_the_profile_menu_lets_commands_through_and_explains_itself(chat: Chat) -> None:
    ana = chat("Ana Lima")
    enrol(ana)
    verify_dialog(
        ana,
        [
            ("profile", Contains("Your profile")),
            ("42", "Reply with a number from 1 to 12 to change that answer, or “done”."),
            ("done", "OK."),
            ("profile", Contains("Your profile")),
            ("pause", Contains("Enjoy the break.")),
        ],
    )


def test_pause_until_a_date_then_resume(chat: Chat, clock: ManualClock) -> None:
    ana = chat("Ana Lima")
    enrol(ana)
    verify_dialog(
        ana,
        [
            (
                "pause until 2027-01-15",
                Contains(
                    "Enjoy the break. Engineering Growth Partners won't match you or send you "
                    "check-ins until 15 January 2027.",
                    "Say “resume” any time to come back early.",
                ),
            ),
            ("profile", Contains("On a break until 15 January 2027.")),
            (
                "resume",
                "Welcome back! You're taking part in Engineering Growth Partners again and "
                "will be in the next matching round.",
            ),
            ("profile", Contains("Taking part")),
        ],
    )


def test_a_pause_ends_by_itself_on_its_date(chat: Chat, clock: ManualClock) -> None:
    ana = chat("Ana Lima")
    enrol(ana)
    say(ana, "pause for 2 weeks")
    assert "On a break until 7 December 2026" in say(ana, "profile")
    clock.advance(timedelta(days=15))
    assert "Taking part" in say(ana, "profile")


def test_pause_refuses_dates_it_cannot_use(chat: Chat) -> None:
    ana = chat("Ana Lima")
    enrol(ana)
    verify_dialog(
        ana,
        [
            (
                "pause until 2026-01-01",
                "1 January 2026 isn't in the future; please pick a later date.",
            ),
            ("pause until 2026-02-30", "“2026-02-30” isn't a real date."),
            (
                "pause until 2031-01-01",
                "A break can last up to a year; please pick an earlier date.",
            ),
            (
                "pause until Christmas",
                "I couldn't read that date. Try “pause until 2027-01-15” or “pause for 3 weeks”.",
            ),
            ("profile", Contains("Taking part")),
        ],
    )


def test_leave_asks_first_and_stay_changes_nothing(chat: Chat) -> None:
    ana = chat("Ana Lima")
    enrol(ana)
    verify_dialog(
        ana,
        [
            ("leave", Contains("Leave Engineering Growth Partners?", "[1] Leave  [2] Stay")),
            ("2", "OK, nothing changed."),
            ("profile", Contains("Taking part")),
            ("leave", Contains("Leave Engineering Growth Partners?")),
            (
                "Leave",
                "You've left Engineering Growth Partners. Thank you for taking part; say "
                "“join engineering-growth” if you'd like to come back.",
            ),
            ("profile", Contains("You've left this program.")),
            (
                "join engineering-growth",
                "Welcome back to Engineering Growth Partners! Your answers "
                "are as you left them; say “profile” to review them. "
                "You'll be in the next matching round.",
            ),
        ],
    )


def test_several_programs_ask_which_one_unless_the_context_says(chat: Chat) -> None:
    verify_dialog(
        chat("Bo"),
        [
            (
                "programs",
                Contains(
                    "Engineering Growth Partners",
                    "(engineering-growth)",
                    "Leadership Mentoring",
                    "(leadership-mentoring)",
                ),
            ),
            (
                "join",
                Contains(
                    "Which program do you mean (join)?",
                    "[1] Engineering Growth Partners  [2] Leadership Mentoring",
                ),
            ),
            ("2", Contains("== Leadership Mentoring ==", "every four weeks, for 9 months")),
        ],
    )
    verify_dialog(
        chat("Cy", program="leadership-mentoring"),
        [
            ("join", Contains("== Leadership Mentoring ==")),
        ],
    )


def test_two_programs_at_once_keep_their_own_answers(chat: Chat) -> None:
    ana = chat("Ana Lima")
    enrol(ana)
    say(ana, "join leadership-mentoring")
    for answer in (
        "I agree",
        "mentee",
        "Lead my first team",
        "none",
        "1, 2",
        "1",
        "ok",
        "ok",
        "skip",
        "none",
    ):
        reply = say(ana, answer)
    assert "You're in, Ana!" in reply
    verify_dialog(
        ana,
        [
            ("programs", Contains("you take part", "you take part")),
            ("profile", Contains("Which program do you mean (profile)?")),
            (
                "leadership-mentoring",
                Contains("Your profile in Leadership Mentoring", "Role: Mentee"),
            ),
            ("done", "OK."),
            (
                "pause",
                Contains("Engineering Growth Partners and Leadership Mentoring won't match you"),
            ),
        ],
    )


def test_help_lists_every_command(chat: Chat) -> None:
    reply = say(chat("Bo"), "help")
    for usage in (
        "join [program]",
        "profile",
        "pause [until DATE]",
        "resume",
        "leave [program]",
        "forget me",
        "programs",
        "help",
    ):
        assert f"- {usage}: " in reply
