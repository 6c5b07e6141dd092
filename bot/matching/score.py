"""Compatibility of two people: the reference scoring, as a pure function.

A pair scores points for each kind of fit (skills both ways, goals, career level,
shared hours, session style, departments, requests), weighted by the program's
settings, and carries the reasons behind those points. A pair a hard rule forbids
gets :class:`Blocked` with the rule instead: someone asked not to be paired with
the other, they share a reporting line, they met in this program recently, or
their working hours overlap too little.

``candidates.py`` computes the same numbers for whole pools with numpy; a test
keeps the two in agreement.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from bot.matching.hours import availability, overlap_hours, week_start
from bot.matching.participant import Profile
from bot.matching.tuning import MatchingSettings

MAX_COUNTED_SKILLS = 3
MAX_COUNTED_GOALS = 2
FULL_HOURS = 6.0


class Mode(StrEnum):
    """How two people relate: equals, or a mentor (first) and a mentee (second)."""

    PEER = "peer"
    MENTOR = "mentor"  # the more experienced mentors the less experienced
    REVERSE = "reverse"  # the less experienced mentors the more experienced


class Rule(StrEnum):
    """Hard rules: a pair breaking one is never matched."""

    SAME_PERSON = "same_person"
    AVOID = "avoid_list"
    REPORTING_LINE = "reporting_line"
    REPEAT = "repeat_partner"
    HOURS = "no_shared_hours"
    DIRECTION = "level_direction"


@dataclass(frozen=True)
class Blocked:
    rule: Rule


@dataclass(frozen=True)
class Reason:
    """One reason a pair fits: ``code`` says which, ``points`` how much it counted.

    ``who`` names the profiles involved in order (for ``teaches``: teacher, learner);
    ``items`` are skill or goal keys; ``value`` a measure (hours, level gap).
    """

    code: str
    points: float
    who: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    value: float = 0.0


@dataclass(frozen=True)
class PairScore:
    total: float
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Context:
    """Everything about a round that scoring needs besides the two profiles."""

    settings: MatchingSettings
    on: date
    mode: Mode = Mode.PEER
    # Pairs (as frozensets of two ids) who met within the no-repeat window.
    history: frozenset[frozenset[str]] = frozenset()
    lines: ReportingLines = field(default_factory=lambda: ReportingLines({}))

    @property
    def monday(self) -> date:
        return week_start(self.on)


class ReportingLines:
    """Who is above whom, from each person's manager."""

    def __init__(self, managers: Mapping[str, str | None]) -> None:
        self._managers = {k: v for k, v in managers.items() if v}

    def chain(self, person: str) -> frozenset[str]:
        """Everyone above ``person`` (cycle-safe)."""
        above: list[str] = []
        current = self._managers.get(person)
        while current is not None and current not in above and current != person:
            above.append(current)
            current = self._managers.get(current)
        return frozenset(above)

    def same_line(self, a: str, b: str) -> bool:
        return b in self.chain(a) or a in self.chain(b)


def level_fit(gap: int, mode: Mode) -> float:
    """How well a level gap suits the format, 0..1 (``gap`` = first minus second)."""
    if mode is Mode.PEER:
        return max(0.0, 1 - abs(gap) / 3)
    direction = gap if mode is Mode.MENTOR else -gap
    return {0: 0.2, 1: 1.0, 2: 1.0, 3: 0.6}.get(direction, 0.3 if direction > 0 else 0.0)


def blocked_by(a: Profile, b: Profile, ctx: Context) -> Rule | None:
    """The hard rule a pair breaks, if any (hours are checked in :func:`score_pair`)."""
    if a.id == b.id:
        return Rule.SAME_PERSON
    if a.id in b.avoid or b.id in a.avoid:
        return Rule.AVOID
    if not ctx.settings.same_reporting_line and ctx.lines.same_line(a.id, b.id):
        return Rule.REPORTING_LINE
    if frozenset((a.id, b.id)) in ctx.history:
        return Rule.REPEAT
    if ctx.mode is Mode.MENTOR and a.level < b.level and not b.reverse:
        return Rule.DIRECTION
    return None


def score_pair(a: Profile, b: Profile, ctx: Context) -> PairScore | Blocked:
    """Score ``a`` with ``b`` (in mentor modes ``a`` is the mentor)."""
    rule = blocked_by(a, b, ctx)
    if rule is not None:
        return Blocked(rule)
    hours = overlap_hours(
        availability(a.timezone, a.hours, ctx.monday), availability(b.timezone, b.hours, ctx.monday)
    )
    if hours < ctx.settings.min_overlap_hours:
        return Blocked(Rule.HOURS)
    reasons = [r for r in (*_skills(a, b, ctx), *_others(a, b, ctx, hours)) if r.points > 0]
    reasons.sort(key=lambda r: (-r.points, r.code))
    return PairScore(sum(r.points for r in reasons), tuple(reasons))


def _teaching(teacher: Profile, learner: Profile) -> tuple[str, ...]:
    return tuple(sorted(learner.wants & teacher.offers))


def _skills(a: Profile, b: Profile, ctx: Context) -> list[Reason]:
    w = ctx.settings.weights
    if ctx.mode is not Mode.PEER:
        taught = _teaching(a, b)
        share = min(len(taught), MAX_COUNTED_SKILLS) / MAX_COUNTED_SKILLS
        return [Reason("teaches", w.skills * share, (a.id, b.id), taught)]
    a_to_b, b_to_a = _teaching(a, b), _teaching(b, a)
    half = w.skills / 2 / MAX_COUNTED_SKILLS
    reasons = [
        Reason("teaches", half * min(len(a_to_b), MAX_COUNTED_SKILLS), (a.id, b.id), a_to_b),
        Reason("teaches", half * min(len(b_to_a), MAX_COUNTED_SKILLS), (b.id, a.id), b_to_a),
    ]
    if a_to_b and b_to_a:
        reasons.append(Reason("mutual", w.mutual, (a.id, b.id)))
    return reasons


# Level fit means something different in each mode, and is explained differently.
_LEVEL_CODES = {Mode.PEER: "level", Mode.MENTOR: "experience", Mode.REVERSE: "fresh_view"}


def _others(a: Profile, b: Profile, ctx: Context, hours: float) -> list[Reason]:
    w = ctx.settings.weights
    goals = tuple(sorted(a.goals & b.goals))
    gap = a.level - b.level
    requested = tuple(p.id for p, other in ((a, b), (b, a)) if other.id in p.requested)
    waited = tuple(p.id for p in (a, b) if p.waited)
    return [
        Reason(
            "goals",
            w.goals * min(len(goals), MAX_COUNTED_GOALS) / MAX_COUNTED_GOALS,
            (a.id, b.id),
            goals,
        ),
        Reason(_LEVEL_CODES[ctx.mode], w.level * level_fit(gap, ctx.mode), (a.id, b.id), value=gap),
        Reason("hours", w.hours * min(hours, FULL_HOURS) / FULL_HOURS, (a.id, b.id), value=hours),
        Reason("style", w.style * (a.style == b.style != ""), (a.id, b.id), (a.style,)),
        Reason("department", w.department * _different_departments(a, b), (a.id, b.id)),
        Reason("requested", w.requested * bool(requested), requested),
        Reason("waited", w.waited * bool(waited), waited),
    ]


def _different_departments(a: Profile, b: Profile) -> bool:
    return bool(a.department and b.department and a.department != b.department)
