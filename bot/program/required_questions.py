"""The questions matching and scheduling rely on: the keys a program must ask, and
the kinds those questions may be. Checked once, when a program is loaded."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from bot.survey.choices import ChoiceQuestion, MultiQuestion
from bot.survey.colleagues import PeopleQuestion
from bot.survey.kinds import Question

# Keys that mean something to matching and scheduling, and the kinds they may be.
WELL_KNOWN: dict[str, tuple[str, ...]] = {
    "goals": ("multi", "text"),
    "offers": ("multi",),
    "wants": ("multi",),
    "level": ("choice",),
    "timezone": ("timezone",),
    "working_hours": ("hours",),
    "style": ("choice",),
    "role": ("choice",),
    "reverse": ("yesno",),
    "avoid": ("people",),
    "manager": ("people",),
    "intro": ("text",),
}
REQUIRED_KEYS = ("offers", "wants", "level", "timezone", "working_hours")
ROLES = frozenset({"peer", "mentor", "mentee", "either"})


def duplicates(what: str, items: Sequence[str]) -> list[str]:
    """A problem naming the items repeated (case aside), if any are."""
    counts = Counter(i.casefold() for i in items)
    dupes = sorted({i for i in items if counts[i.casefold()] > 1})
    return [f"{what} are repeated: {', '.join(dupes)}"] if dupes else []


def question_problems(q: Question) -> list[str]:
    """What is wrong with one question, given what its key means to matching."""
    problems: list[str] = []
    allowed = WELL_KNOWN.get(q.key)
    if allowed and q.kind not in allowed:
        problems.append(f"the question '{q.key}' must be of kind {' or '.join(allowed)}")
    if isinstance(q, MultiQuestion):
        if not q.options:
            problems.append(f"the question '{q.key}' needs options (or options_from: skills)")
        if q.min > q.max:
            problems.append(f"the question '{q.key}' has min greater than max")
    if isinstance(q, ChoiceQuestion):
        problems += _choice_problems(q)
    if isinstance(q, PeopleQuestion) and q.key == "manager" and q.max != 1:
        problems.append("the question 'manager' names one person: set max: 1")
    return problems


def _choice_problems(q: ChoiceQuestion) -> list[str]:
    values = [o.value for o in q.options]
    problems = [] if len(values) >= 2 else [f"the question '{q.key}' needs at least 2 options"]
    problems += duplicates(f"options of '{q.key}'", [str(v) for v in values])
    if q.key == "level" and not all(isinstance(v, int) for v in values):
        problems.append("the options of 'level' need numeric values (1 = most junior)")
    if q.key == "role" and not set(map(str, values)) <= ROLES:
        problems.append(f"the options of 'role' must be among {', '.join(sorted(ROLES))}")
    return problems
