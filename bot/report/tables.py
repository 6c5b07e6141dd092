"""The report's tables: metrics per cycle, one line per match, one line per person
(statuses, dates and counts only), as the CSV files and the dashboard show them."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from bot.model import MatchStatus, Status
from bot.report.aggregates import mean
from bot.report.cycles import Cycle, per_period, period_of, period_starts, stalled_matches
from bot.report.document import CycleRow, MatchLine, PersonLine
from bot.report.facts import FeedbackFact, MatchFact
from bot.report.responses import feedback_prompts
from bot.report.scope import Scope


def cycle_rows(scope: Scope, cycles: Sequence[Cycle]) -> tuple[CycleRow, ...]:
    """One row per cadence period: check-ins asked and met, feedback and ratings."""
    starts = period_starts(scope)
    # Each fact to its period, in one pass over each list.
    feedback: dict[int, list[FeedbackFact]] = defaultdict(list)
    for f in scope.facts.feedback:
        if scope.in_matches(f.match_id) and scope.window.holds(f.asked_at):
            feedback[period_of(scope, starts, f.asked_at.date())].append(f)
    prompts: Counter[int] = Counter(
        period_of(scope, starts, n.created_at.date()) for n in feedback_prompts(scope)
    )
    rows = []
    for i, (start, asked, met) in enumerate(per_period(scope, cycles)):
        answered = [f for f in feedback.get(i, []) if f.completed_at is not None]
        rated = [f for f in answered if f.rating is not None]
        hidden = len({f.person_id for f in rated}) < scope.min_group
        ratings = [float(f.rating) for f in rated if f.rating is not None]
        rows.append(
            CycleRow(
                start,
                asked,
                met,
                prompts[i],
                len(answered),
                None if hidden else mean(ratings),
                hidden and bool(rated),
            )
        )
    return tuple(rows)


def match_lines(scope: Scope, cycles: Sequence[Cycle]) -> tuple[MatchLine, ...]:
    """One line per match in scope, oldest first: members, status, meetings."""
    stalled = stalled_matches(scope, cycles)
    met: dict[int, list[Cycle]] = defaultdict(list)
    for c in cycles:
        met[c.match_id].append(c)
    people = {p.person_id: p for p in scope.facts.people}
    lines = []
    for x in sorted(scope.matches, key=lambda x: (x.start, x.id)):
        done = met.get(x.id, [])
        lines.append(
            MatchLine(
                x.id,
                tuple(people[w].name if w in people else "someone who left" for w in x.members),
                x.start,
                _status(x),
                sum(c.met for c in done),
                bool(done) and done[-1].met,
                x.id in stalled,
                any(w in people and people[w].status is Status.PAUSED for w in x.members),
                x.round_id,
            )
        )
    return tuple(lines)


def person_lines(scope: Scope, cycles: Sequence[Cycle]) -> tuple[PersonLine, ...]:
    """Everyone in the scope, in the order they joined: status and counts only."""
    matches: dict[int, int] = defaultdict(int)
    meetings: dict[int, int] = defaultdict(int)
    met: dict[int, int] = defaultdict(int)
    for c in cycles:
        met[c.match_id] += c.met
    for x in scope.matches:
        for who in x.members:
            matches[who] += 1
            meetings[who] += met[x.id]
    return tuple(
        PersonLine(
            p.name,
            p.status.value,
            p.joined_at.date(),
            p.surveyed_at.date() if p.surveyed_at else None,
            matches[p.person_id],
            meetings[p.person_id],
        )
        for p in sorted(scope.people.values(), key=lambda p: (p.joined_at, p.person_id))
    )


_status_words = {
    "completed": "completed",
    "not_working": "ended: not working",
    "paused": "ended: a member paused",
    "left": "ended: a member left",
}


def _status(x: MatchFact) -> str:
    if x.status is MatchStatus.ACTIVE:
        return "running"
    return _status_words.get(x.end_reason or "", "ended")
