"""Why a match was made, in plain words.

Reasons are rendered for a ``viewer`` (a member, in the second person: "Ana can
help you with SQL") or for nobody in particular (a coordinator, a file: "Ana can
help Bo with SQL"). Teaching in both directions becomes one sentence, the way a
person would say it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from bot.matching.score import Reason

# Reasons people care about first, whatever their points.
_FIRST = ("requested", "topic", "teaches", "facilitates", "goals")


@dataclass(frozen=True)
class Words:
    """Names for ids, labels for skill/goal keys, and who is reading."""

    names: Mapping[str, str]
    labels: Mapping[str, str]
    viewer: str | None = None

    def who(self, person: str) -> str:
        return "you" if person == self.viewer else self.names.get(person, "your partner")

    def things(self, items: Sequence[str], *, lower: bool = False) -> str:
        """Labels as a list in words; ``lower`` for goals ("grow technical depth"), not
        for skills, whose capitals mean something ("SQL")."""
        shown = [self.labels.get(i, i) for i in items]
        if lower:
            shown = [s[:1].lower() + s[1:] for s in shown]
        return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + f" and {shown[-1]}"

    def we(self, who: Sequence[str]) -> str:
        """The members as a subject: "you" to one of them, "they" to anyone else."""
        return "you" if self.viewer in who else "they"


def explain(reasons: Sequence[Reason], words: Words, limit: int = 3) -> list[str]:
    """The top ``limit`` reasons as phrases, most telling first."""
    ordered = sorted(reasons, key=lambda r: (_rank(r.code), -r.points))
    phrases: list[str] = []
    teaching = [r for r in ordered if r.code == "teaches" and r.items]
    if teaching:
        phrases.append(_teaching(teaching, words))
    for reason in ordered:
        render = _PHRASES.get(reason.code)
        phrase = render(reason, words) if render else None
        if phrase and phrase not in phrases:
            phrases.append(phrase)
    return phrases[:limit]


def sentence(reasons: Sequence[Reason], words: Words, limit: int = 3) -> str:
    """The reasons as one sentence: "Ana can help you with SQL; you share 5 hours"."""
    phrases = explain(reasons, words, limit)
    if not phrases:
        return ""
    text = "; ".join(phrases)
    return text[0].upper() + text[1:] + "."


def _rank(code: str) -> int:
    return _FIRST.index(code) if code in _FIRST else len(_FIRST)


def _teaching(reasons: list[Reason], words: Words) -> str:
    # What the reader will learn comes first: "Ana can help you with SQL, and you...".
    reasons = sorted(reasons, key=lambda r: r.who[1] != words.viewer)
    parts = []
    for reason in reasons[:2]:
        teacher, learner = reason.who
        parts.append(
            f"{words.who(teacher)} can help {words.who(learner)} with {words.things(reason.items)}"
        )
    return ", and ".join(parts)


def _goals(reason: Reason, words: Words) -> str | None:
    if not reason.items:
        return None
    return f"{words.we(reason.who)} both want to {words.things(reason.items, lower=True)}"


def _level(reason: Reason, words: Words) -> str | None:
    if abs(reason.value) > 1:
        return None
    we = words.we(reason.who)
    return f"{we}'re at a similar stage of {'your' if we == 'you' else 'their'} careers"


def _experience(reason: Reason, words: Words) -> str | None:
    mentor, mentee = reason.who
    if reason.value <= 0:
        return None
    return f"{words.who(mentor)} can share a few more years of experience with {words.who(mentee)}"


def _fresh_view(reason: Reason, words: Words) -> str | None:
    mentor, _ = reason.who
    return (
        f"{words.who(mentor)} can bring a fresh view from earlier in a career"
        if reason.value < 0
        else None
    )


def _hours(reason: Reason, words: Words) -> str:
    return f"{words.we(reason.who)} share {_hours_text(reason.value)} a day"


def _hours_text(value: float) -> str:
    hours = math.floor(value * 2) / 2  # rounded down: never promise more than there is
    return f"{hours:g} working hour{'s' * (hours != 1)}"


def _style(reason: Reason, words: Words) -> str | None:
    style = reason.items[0] if reason.items else ""
    if not style:
        return None
    return f"{words.we(reason.who)} both like {style.replace('_', '-')} sessions"


def _requested(reason: Reason, words: Words) -> str:
    return "you asked to be paired" if words.viewer in reason.who else "a pairing asked for"


_PHRASES: dict[str, Callable[[Reason, Words], str | None]] = {
    "goals": _goals,
    "level": _level,
    "experience": _experience,
    "fresh_view": _fresh_view,
    "hours": _hours,
    "style": _style,
    "department": lambda r, w: f"{w.we(r.who)} work in different departments",
    "requested": _requested,
    "waited": lambda r, w: (
        "you're first in line after waiting last round" if w.viewer in r.who else None
    ),
    "topic": lambda r, w: (
        f"{'you all' if w.viewer in r.who else 'all'} want to learn {w.things(r.items)}"
    ),
    "facilitates": lambda r, w: (
        f"{w.who(r.who[0])} will facilitate" + (" and can teach it" if r.items else "")
    ),
    "group_hours": lambda r, w: f"the group shares {_hours_text(r.value)} a day",
}
