"""Scripted answers to the example program's intake survey (engineering-growth)."""

from __future__ import annotations

from adapters.console.chat import ConsoleChat
from tests.dialog import say

ANSWERS = (
    "1, 3",  # goals
    "SQL, cloud infrastructure",  # offers, by label
    "4,6",  # wants, by number
    "Experienced (5-10 years)",  # level, by label
    "Berlin",  # timezone, by city
    "ok",  # working hours: the default
    "1",  # style
    "either",  # role, by value
    "yes",  # reverse
    "@cy-boss",  # manager
    "@bo, carla",  # avoid
    "I build data pipelines and love climbing.",
)


def enrol(chat: ConsoleChat, answers: tuple[str, ...] = ANSWERS) -> str:
    """Join engineering-growth and answer every question; the last reply."""
    say(chat, "join engineering-growth")
    say(chat, "I agree")
    reply = ""
    for answer in answers:
        reply = say(chat, answer)
    return reply


def answers_for(
    offers: str = "SQL",
    wants: str = "Python",
    timezone: str = "Berlin",
    manager: str = "skip",
    level: str = "3",
    avoid: str = "none",
) -> tuple[str, ...]:
    """The survey answers with the parts matching cares about chosen."""
    return ("1", offers, wants, level, timezone, "ok", "1", "peer", "yes", manager, avoid, "Hello!")
