"""People enrolled for the matching-round tests: two clear pairs and one person
who shares nobody's working hours."""

from __future__ import annotations

from collections.abc import Callable

from adapters.console.chat import ConsoleChat
from tests.engine.scripts import answers_for, enrol

Chat = Callable[..., ConsoleChat]


def enrolled_people(chat: Chat) -> dict[str, ConsoleChat]:
    """Four people who make two clear pairs: Ana and Bo swap SQL and Python, Cy and
    Di swap design and speaking; Ed can't share hours with anyone."""
    plans = {
        "Ana": answers_for(offers="SQL", wants="Python"),
        "Bo": answers_for(offers="Python", wants="SQL", timezone="London"),
        "Cy": answers_for(offers="UX research", wants="Public speaking"),
        "Di": answers_for(offers="Public speaking", wants="UX research", timezone="Lisbon"),
        "Ed": answers_for(timezone="Pacific/Kiritimati"),
    }
    people = {name: chat(name) for name in plans}
    for name, answers in plans.items():
        assert "You're in" in enrol(people[name], answers)
    return people
