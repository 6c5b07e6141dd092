"""People and matches: who joined, was matched or waits (and why), matches run and ended."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from bot.model import MatchStatus, Status
from bot.report.aggregates import rate
from bot.report.document import Figure, WaitingLine
from bot.report.facts import MatchFact, PersonFact
from bot.report.scope import Scope


def funnel_figures(scope: Scope) -> tuple[Figure, ...]:
    """From joining to being matched: counts, and the match rate."""
    people = scope.people.values()
    surveyed = [p for p in people if p.surveyed_at is not None]
    matched = {who for x in scope.matches for who in x.members} & scope.people.keys()
    statuses = [p.status for p in people]
    return (
        Figure("joined", len(scope.people)),
        Figure("surveyed", len(surveyed)),
        Figure("matched", len(matched)),
        Figure("waiting", len(waiting_people(scope))),
        Figure("paused", statuses.count(Status.PAUSED)),
        Figure("left", statuses.count(Status.LEFT)),
        rate("match_rate", len(matched), len(surveyed)),
    )


def match_figures(scope: Scope) -> tuple[Figure, ...]:
    """Matches running and ended, and people rematched after one that failed."""
    ended = [x for x in scope.matches if scope.window.holds(x.ended_at)]
    failed = [x for x in ended if x.end_reason == "not_working"]
    later: dict[int, list[MatchFact]] = defaultdict(list)
    for x in scope.facts.matches:
        for who in x.members:
            later[who].append(x)
    rematched = {
        who
        for x in failed
        for who in x.members
        if any(y.created_at > (x.ended_at or x.created_at) for y in later[who])
    }
    running = [x for x in scope.matches if x.status is MatchStatus.ACTIVE]
    return (
        Figure("matches_running", len(running)),
        Figure("matches_ended", len(ended)),
        Figure("matches_not_working", len(failed)),
        Figure("rematched", len(rematched)),
    )


def waiting_people(scope: Scope) -> list[PersonFact]:
    """The active, surveyed people in scope without a running match."""
    busy = {who for x in scope.matches if x.status is MatchStatus.ACTIVE for who in x.members}
    return [
        p
        for p in scope.people.values()
        if p.status is Status.ACTIVE and p.surveyed_at is not None and p.person_id not in busy
    ]


def waiting_lines(scope: Scope) -> tuple[WaitingLine, ...]:
    """Everyone waiting for a match, since when and why (a rule, never whose)."""
    # The latest that happened to each person: a round left them out, or a match ended.
    latest: dict[int, tuple[datetime, str]] = {}
    for r in scope.facts.rounds:
        if r.published_at is not None:
            for who, reason in r.waiting:
                latest[who] = max(latest.get(who, (r.published_at, "")), (r.published_at, reason))
    for x in scope.facts.matches:
        if x.ended_at is not None:
            for who in x.members:
                entry = (x.ended_at, f"ended:{x.end_reason or ''}")
                latest[who] = max(latest.get(who, entry), entry)
    return tuple(
        WaitingLine(
            p.name,
            latest[p.person_id][0].date() if p.person_id in latest else _since(p),
            _why_waiting(latest[p.person_id][1] if p.person_id in latest else None),
        )
        for p in sorted(waiting_people(scope), key=lambda p: p.joined_at)
    )


def _since(person: PersonFact) -> date:
    return (person.surveyed_at or person.joined_at).date()


_WAITING_WHY = {
    "odd_one_out": "the odd one out last round",
    "no_shared_hours": "nobody shares enough of their working hours",
    "no_mentor_capacity": "every mentor's places were taken",
    "no_mentee": "more mentors than mentees",
    "no_circle": "no circle fitted",
    "no_circle_topic": "no circle fitted",
    "no_group": "no mentoring group fitted",
    "held_back": "held back to be matched by hand",
}


_ENDED_WHY = {
    "not_working": "their match ended as not working",
    "paused": "their partner paused",
    "left": "their partner left",
    "completed": "their match completed",
}


def _why_waiting(reason: str | None) -> str:
    if reason is None:
        return "joined after the last round: matched in the next one"
    if reason.startswith("ended:"):
        how = _ENDED_WHY.get(reason.removeprefix("ended:"), "their match ended")
        return f"{how}: matched in the next round"
    # Any other reason is a rule (history, someone's "not with"): never whose.
    return _WAITING_WHY.get(reason, "ruled out by the program's rules")
