"""``help`` lists what each person may do; anything else gets a short answer."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from adapters.console.chat import ConsoleChat
from tests.dialog import Contains, Lacks, verify_dialog

Chat = Callable[..., ConsoleChat]
COORDINATING = ("round [program] preview", "quiet [program]", "stalls [program]", "poll [program]")


def test_a_coordinators_help_lists_their_commands_too(chat: Chat) -> None:
    verify_dialog(
        chat("Coordinator"),
        [
            (
                "help",
                Contains(
                    "join [program]",
                    "As a coordinator (Engineering Growth Partners, Leadership Mentoring), also:",
                    *COORDINATING,
                ),
            )
        ],
    )


def test_everyone_elses_help_does_not(chat: Chat) -> None:
    verify_dialog(chat("Ana"), [("help", [Contains("join [program]"), Lacks(*COORDINATING)])])


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        ("jion", "Sorry, I don't know “jion”. Did you mean “join [program]”?"),
        ("puase for 2 weeks", "Did you mean “pause [until DATE]”?"),
        ("/mentor halp", "Sorry, I don't know “halp”. Did you mean “help”?"),
        ("forget", "Did you mean “forget me”?"),
        ("what is this", "Sorry, I don't know “what is this”. Say “help” to see what I can do."),
    ],
)
def test_an_unknown_command_gets_one_line_and_the_likeliest_command(
    chat: Chat, typed: str, answer: str
) -> None:
    reply = " ".join(" ".join(chat("Ana").send(typed)).split())
    assert answer in reply
    assert reply.endswith("Say “help” to see what I can do.")
    assert "I run peer mentoring here" not in reply  # not the whole list


def test_a_coordinators_typo_finds_a_coordinators_command(chat: Chat) -> None:
    verify_dialog(
        chat("Coordinator"),
        [("rund preview", Contains("Did you mean “round [program] preview”?"))],
    )
    verify_dialog(chat("Ana"), [("rund preview", Lacks("round [program]"))])
