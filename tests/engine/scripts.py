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
