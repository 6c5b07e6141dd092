"""A participant as matching sees them: survey answers turned into typed fields."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.survey.question import AnswerValue

DEFAULT_HOURS = "09:00-17:00"


@dataclass(frozen=True)
class Profile:
    """Everything scoring may use. ``id`` is the platform handle (or the CSV id)."""

    id: str
    name: str
    timezone: str = "UTC"
    hours: str = DEFAULT_HOURS
    level: int = 3
    offers: frozenset[str] = frozenset()
    wants: frozenset[str] = frozenset()
    goals: frozenset[str] = frozenset()
    style: str = ""
    role: str = "either"
    reverse: bool = True
    avoid: frozenset[str] = frozenset()
    manager: str | None = None
    department: str = ""
    requested: frozenset[str] = frozenset()
    waited: bool = False  # left without a partner last round
    # Skill and goal names as the person wrote them, for explanations.
    labels: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)

    def label(self, key: str) -> str:
        return self.labels.get(key, key)


def key(text: str) -> str:
    """How skills, goals and handles are compared: case and spacing do not matter."""
    return " ".join(text.casefold().split())


def profile_from_answers(
    handle: str, name: str, answers: Mapping[str, AnswerValue | None], requested: frozenset[str]
) -> Profile:
    """A profile from a program's stored survey answers."""
    offers, wants, goals = (_items(answers.get(k)) for k in ("offers", "wants", "goals"))
    labels = {key(v): v for v in (*offers, *wants, *goals)}
    manager = _items(answers.get("manager"))
    return Profile(
        id=handle,
        name=name,
        timezone=_text(answers.get("timezone"), "UTC"),
        hours=_text(answers.get("working_hours"), DEFAULT_HOURS),
        level=_number(answers.get("level"), 3),
        offers=frozenset(map(key, offers)),
        wants=frozenset(map(key, wants)),
        goals=frozenset(map(key, goals)),
        style=_text(answers.get("style"), ""),
        role=_text(answers.get("role"), "either"),
        reverse=answers.get("reverse") is not False,
        avoid=frozenset(map(key, _items(answers.get("avoid")))),
        manager=key(manager[0]) if manager else None,
        requested=requested,
        labels=labels,
    )


def _items(value: AnswerValue | None) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return [value] if isinstance(value, str) and value else []


def _text(value: AnswerValue | None, default: str) -> str:
    return value if isinstance(value, str) and value else default


def _number(value: AnswerValue | None, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default
