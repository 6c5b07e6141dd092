"""The facts a report counts: the window's, and the round's people if one is chosen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from bot.model import MatchStatus, Program
from bot.report.document import ChangeMark
from bot.report.facts import ChangeFact, MatchFact, PersonFact, ProgramFacts
from bot.report.window import Window


@dataclass(frozen=True)
class Scope:
    """The facts a report counts: the window's, and the round's if one is chosen."""

    program: Program
    facts: ProgramFacts
    window: Window
    now: datetime
    people: dict[int, PersonFact]
    matches: list[MatchFact]

    @property
    def min_group(self) -> int:
        return self.program.spec.reporting.min_group

    @cached_property
    def match_ids(self) -> frozenset[int]:
        return frozenset(x.id for x in self.matches)

    @cached_property
    def period_days(self) -> int:
        return 7 * self.program.spec.cadence_weeks

    def in_matches(self, match_id: int) -> bool:
        return match_id in self.match_ids


def scope_of(program: Program, facts: ProgramFacts, now: datetime, window: Window) -> Scope:
    """The published matches and the people a report over ``window`` counts."""
    published = [x for x in facts.matches if x.status is not MatchStatus.PROPOSED]
    if window.round_id is None:
        matches = published
        people = {p.person_id: p for p in facts.people if window.holds(p.joined_at)}
    else:
        matches = [x for x in published if x.round_id == window.round_id]
        chosen = {who for x in matches for who in x.members}
        chosen |= {who for r in facts.rounds if r.id == window.round_id for who, _ in r.waiting}
        people = {p.person_id: p for p in facts.people if p.person_id in chosen}
    started = [x for x in matches if x.start <= window.last_day]
    return Scope(program, facts, window, now, people, started)


def change_marks(scope: Scope) -> tuple[ChangeMark, ...]:
    """The program's changes in the window, as marks on its charts."""
    return tuple(
        ChangeMark(c.changed_at.date(), f"{c.what}: {c.before} → {c.after}")
        for c in changes_in(scope)
    )


def changes_in(scope: Scope) -> list[ChangeFact]:
    """The program's changes within the window."""
    return [c for c in scope.facts.changes if scope.window.holds(c.changed_at)]
