"""Bad input gets a clear message and the question again, never a traceback."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from adapters.console.chat import ConsoleChat
from tests.dialog import Contains, Lacks, say, verify_dialog
from tests.engine.scripts import ANSWERS

Chat = Callable[..., ConsoleChat]
NO_TRACEBACK = Lacks("Traceback", "Error:", "Exception")


def _at_question(chat: Chat, number: int) -> ConsoleChat:
    """A person in the survey, at question ``number`` (1-based)."""
    person = chat("Eve")
    say(person, "join engineering-growth")
    say(person, "I agree")
    for answer in ANSWERS[: number - 1]:
        say(person, answer)
    return person


@pytest.mark.parametrize(
    ("question", "answer", "message"),
    [
        (1, "9", "“9” isn't one of the options. Reply with a number from 1 to 7"),
        (1, "0", "“0” isn't one of the options."),
        (1, "1, 2, 3, 4", "Please pick at most 3 (you picked 4)."),
        (2, "SQL, Cobol", "“Cobol” isn't one of the options."),
        (2, "none", "Please pick at least 1."),
        (4, "6", "“6” isn't one of the options. Reply with a number from 1 to 5"),
        (4, "-1", "“-1” isn't one of the options."),
        (5, "Mars/Olympus_Mons", "I don't know the timezone “Mars/Olympus_Mons”."),
        (5, "PST", "I don't know the timezone “PST”. Please give a city-based name"),
        (6, "25-30", "25:00 isn't a time of day."),
        (6, "9-9:30", "That window is shorter than an hour"),
        (6, "whenever", "Please give your working hours as a range, like 9-17"),
        (9, "perhaps", "Please answer yes or no."),
        (11, "bo; <script>", "“bo; <script>” doesn't look like colleagues' handles"),
        (
            12,
            "x" * 10_000,
            "That message is 10,000 characters long; the limit here is 500 characters.",
        ),
        (12, "y" * 501, "That answer is 501 characters long; the limit here is 500."),
        (12, "hi \x1b[31mred\x1b[0m", "Your answer contains a control character (U+001B)."),
        (12, "bell\x07", "Your answer contains a control character (U+0007)."),
        (12, "evil\u202egnp.exe", "invisible text-direction characters"),
    ],
    ids=lambda value: value[:20] if isinstance(value, str) else str(value),
)
def test_a_bad_answer_is_explained_and_the_question_asked_again(
    chat: Chat, question: int, answer: str, message: str
) -> None:
    person = _at_question(chat, question)
    verify_dialog(
        person,
        [
            (answer, [Contains(message, f"Question {question} of 12."), NO_TRACEBACK]),
        ],
    )
    # And the survey carries on with a good answer.
    assert f"Question {question + 1} of 12." in say(person, ANSWERS[question - 1]) or question == 12


def test_the_rejected_text_is_not_echoed_back_in_full(chat: Chat) -> None:
    person = _at_question(chat, 1)
    reply = say(person, "z" * 3000)
    assert "z" * 41 not in reply


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("dance", "Sorry, I don't know “dance”. Say “help” to see what I can do."),
        (
            "x" * 10_000,
            Contains(
                "That message is 10,000 characters long; the limit here is 300",
                "Say “help” to see what I can do.",
            ),
        ),
        ("join \x00", Contains("control character (U+0000)")),
        (
            "join nonsense-program",
            "There's no program called “nonsense-program”. "
            "Programs here: engineering-growth, leadership-mentoring.",
        ),
        (
            "pause until tomorrow-ish",
            "You're not taking part in a program right now, so there's nothing to pause.",
        ),
        ("resume", "You're not on a break, so there's nothing to resume."),
        ("leave", "You're not taking part in a program right now."),
        ("profile edit colour", "You haven't joined a program yet. Say “join” to start."),
    ],
    ids=lambda value: value[:16] if isinstance(value, str) else "",
)
def test_commands_that_cannot_be_done_say_why(
    chat: Chat, line: str, expected: str | Contains
) -> None:
    checks = [expected, NO_TRACEBACK] if isinstance(expected, Contains) else expected
    verify_dialog(chat("Mallory"), [(line, checks)])


def test_a_display_name_with_control_characters_does_not_reach_the_terminal(chat: Chat) -> None:
    person = chat("Eve\x1b[2J")
    reply = say(person, "hello")
    assert "\x1b" not in reply
