"""The time axis of meetings: each match's check-in cycles, whether it met, and the
program's cadence periods they fall in."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from bot.cadence.calendar import first_round_of
from bot.model import Answer, MatchStatus
from bot.report.facts import CheckinFact
from bot.report.scope import Scope

_MET = (Answer.YES, Answer.MET)


@dataclass(frozen=True)
class Cycle:
    """One match's one cycle: asked (once a member answered, or the cycle closed)
    and whether the match met."""

    match_id: int
    cycle: int
    due_on: date
    met: bool


def checkin_cycles(scope: Scope) -> list[Cycle]:
    """The check-in cycles in scope that were asked: answered, or closed."""
    by_cycle: dict[tuple[int, int], list[CheckinFact]] = defaultdict(list)
    for c in scope.facts.checkins:
        if scope.in_matches(c.match_id) and scope.window.holds(c.due_on):
            by_cycle[(c.match_id, c.cycle)].append(c)
    # A cycle due on or before this day has closed.
    closed_by = scope.now.date() - timedelta(days=scope.period_days)
    cycles = []
    for (match_id, cycle), items in sorted(by_cycle.items()):
        due = min(c.due_on for c in items)
        answers = [c.answer for c in items if c.answer is not None]
        if due <= closed_by or answers:
            cycles.append(Cycle(match_id, cycle, due, any(a in _MET for a in answers)))
    return cycles


def stalled_matches(scope: Scope, cycles: Sequence[Cycle]) -> set[int]:
    """Running matches whose last two closed cycles both passed without a meeting."""
    by_match: dict[int, list[Cycle]] = defaultdict(list)
    for c in cycles:
        by_match[c.match_id].append(c)
    today = scope.now.date()
    stalled = set()
    for x in scope.matches:
        if x.status is not MatchStatus.ACTIVE:
            continue
        closed = [
            c
            for c in by_match.get(x.id, [])
            if c.due_on + timedelta(days=scope.period_days) <= today
        ]
        if len(closed) >= 2 and not any(c.met for c in closed[-2:]):
            stalled.add(x.id)
    return stalled


def per_period(scope: Scope, cycles: Sequence[Cycle]) -> list[tuple[date, int, int]]:
    """Each cadence period: its first day, the cycles asked and those that met."""
    starts = period_starts(scope)
    asked = [0] * len(starts)
    met = [0] * len(starts)
    for c in cycles:
        i = period_of(scope, starts, c.due_on)
        asked[i] += 1
        met[i] += c.met
    return list(zip(starts, asked, met, strict=True))


def period_starts(scope: Scope) -> list[date]:
    """The program's cadence periods that overlap the window, from its first round."""
    first = first_round_of(scope.program, scope.now)
    days = scope.period_days
    start = first + timedelta(days=(scope.window.first_day - first).days // days * days)
    starts: list[date] = []
    while start <= scope.window.last_day and len(starts) < 400:
        starts.append(start)
        start += timedelta(days=days)
    return starts or [scope.window.first_day]


def period_of(scope: Scope, starts: Sequence[date], day: date) -> int:
    """The index of the period ``day`` falls in (clamped to the periods)."""
    index = (day - starts[0]).days // scope.period_days
    return min(max(index, 0), len(starts) - 1)
