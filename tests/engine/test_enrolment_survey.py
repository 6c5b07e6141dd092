"""The intake survey while joining a program: resuming after a pause or a restart,
back and skip, the forms an answer can take, defaults offered for timezone and hours,
commands mid-survey and answers that start with a command word."""

from __future__ import annotations

from collections.abc import Callable

from adapters.console.chat import ConsoleChat
from bot.clock import ManualClock
from tandem.bootstrap import App
from tests.conftest import another_instance
from tests.dialog import Contains, say, verify_dialog
from tests.engine.scripts import ANSWERS, enrol

Chat = Callable[..., ConsoleChat]


def test_a_half_finished_survey_resumes_where_it_stopped_after_a_restart(
    chat: Chat, app: App, clock: ManualClock
) -> None:
    ana = chat("Ana Lima")
    say(ana, "join engineering-growth")
    say(ana, "I agree")
    for answer in ANSWERS[:4]:
        say(ana, answer)
    verify_dialog(
        ana,
        [
            (
                "later",
                "No problem: your answers so far are saved. "
                "Say “join” to pick up where you left off.",
            ),
        ],
    )
    # A new process on the same database: nothing was held in memory.
    restarted = another_instance(app, clock)
    again = restarted.chat("Ana Lima")
    verify_dialog(
        again,
        [
            (
                "join",
                Contains(
                    "Welcome back! Let's carry on where you left off (4 of 12 answered).",
                    "Question 5 of 12. Which timezone do you work in?",
                ),
            ),
            ("Lisbon", Contains("Question 6 of 12.")),
        ],
    )
    restarted.close()


def test_the_survey_continues_from_the_next_message_after_a_restart(
    chat: Chat, app: App, clock: ManualClock
) -> None:
    ana = chat("Ana Lima")
    say(ana, "join engineering-growth")
    say(ana, "I agree")
    say(ana, ANSWERS[0])
    restarted = another_instance(app, clock)
    reply = say(restarted.chat("Ana Lima"), ANSWERS[1])
    assert "Question 3 of 12. Which skills would you like to learn" in reply
    restarted.close()


def test_back_returns_to_the_previous_question_and_replaces_its_answer(chat: Chat) -> None:
    ana = chat("Ana Lima")
    say(ana, "join engineering-growth")
    say(ana, "I agree")
    verify_dialog(
        ana,
        [
            ("2", Contains("Question 2 of 12.")),
            ("back", Contains("Going back one question.", "Question 1 of 12.")),
            ("1, 3", Contains("Question 2 of 12.")),
        ],
    )
    reply = enrol(ana, ANSWERS)
    assert "1. Goals: Grow technical depth, Become a better communicator" in reply


def test_skip_works_for_optional_questions_only(chat: Chat) -> None:
    ana = chat("Ana Lima")
    say(ana, "join engineering-growth")
    say(ana, "I agree")
    verify_dialog(
        ana,
        [
            (
                "skip",
                Contains(
                    "This one helps me match you well, so I can't skip it.", "Question 1 of 12."
                ),
            ),
        ],
    )
    for answer in ANSWERS[:9]:
        say(ana, answer)
    verify_dialog(
        ana,
        [
            ("skip", Contains("Question 11 of 12.")),
            ("skip", Contains("Question 12 of 12.")),
            (
                "Hello!",
                Contains(
                    "You're in", "10. Reports to: (skipped)", "11. Not paired with: (skipped)"
                ),
            ),
        ],
    )


def test_choices_accept_numbers_labels_and_values_in_any_case(chat: Chat) -> None:
    ana = chat("Ana Lima")
    answers = (
        "GROW TECHNICAL DEPTH",
        "python; sql",
        "16",
        "5",
        "asia/kolkata",
        "8:30-16:30",
        "Hands-on: work through real problems together",
        "MENTOR",
        "n",
        "skip",
        "none",
        "Hi!",
    )
    reply = enrol(ana, answers)
    assert (
        Contains(
            "1. Goals: Grow technical depth",
            "2. Can help with: Python, SQL",
            "3. Wants to learn: Public speaking",
            "4. Career stage: Principal or executive (15+ years)",
            "5. Timezone: Asia/Kolkata",
            "6. Working hours: 08:30-16:30",
            "7. Session style: Hands-on",
            "8. Role: Mostly mentor others",
            "9. Open to reverse mentoring: no",
            "11. Not paired with: nobody",
        ).check(reply)
        is None
    ), reply


def test_the_timezone_from_the_platform_profile_is_offered_as_the_default(chat: Chat) -> None:
    ana = chat("Ana Lima", timezone="America/Sao_Paulo")
    say(ana, "join engineering-growth")
    say(ana, "I agree")
    for answer in ANSWERS[:3]:
        say(ana, answer)
    verify_dialog(
        ana,
        [
            (ANSWERS[3], Contains("Question 5 of 12.", "Reply “ok” to use America/Sao_Paulo.")),
            ("ok", Contains("Question 6 of 12.")),
            ("back", Contains("Question 5 of 12.", "Reply “ok” to use America/Sao_Paulo.")),
        ],
    )


def test_a_second_program_offers_the_timezone_and_hours_given_in_the_first(chat: Chat) -> None:
    ana = chat("Ana Lima")
    enrol(ana)  # Berlin, 09:00-17:00
    say(ana, "join leadership-mentoring")
    for answer in ("I agree", "mentee", "Lead my first team", "none", "1, 2"):
        say(ana, answer)
    verify_dialog(
        ana,
        [
            ("1", Contains("Question 6 of 9. Which timezone", "Reply “ok” to use Europe/Berlin.")),
            ("ok", Contains("Question 7 of 9.", "Reply “ok” to use 09:00-17:00.")),
        ],
    )


def test_bare_commands_work_mid_survey_and_the_survey_carries_on_after(chat: Chat) -> None:
    ana = chat("Ana Lima")
    say(ana, "join engineering-growth")
    say(ana, "I agree")
    say(ana, ANSWERS[0])
    verify_dialog(
        ana,
        [
            ("profile", Contains("Survey in progress: 1 of 12 answered.")),
            ("done", "OK."),
            ("join", Contains("Welcome back!", "Question 2 of 12.")),
        ],
    )


def test_a_free_text_answer_that_starts_with_a_command_word_is_an_answer(chat: Chat) -> None:
    ana = chat("Ana Lima")
    reply = enrol(ana, (*ANSWERS[:11], "Join me for a climb! Pause for coffee, then resume."))
    assert "12. About me: Join me for a climb!" in reply
