"""How often matches met, and what went wrong: stalls, pauses after silence, failed deliveries."""

from __future__ import annotations

from collections.abc import Sequence

from bot.report.aggregates import rate
from bot.report.cycles import Cycle, stalled_matches
from bot.report.document import Figure
from bot.report.scope import Scope


def meeting_figures(scope: Scope, cycles: Sequence[Cycle]) -> tuple[Figure, ...]:
    """How often matches met: per check-in, per month, and goal check-ins answered."""
    months: dict[tuple[int, int], bool] = {}
    weeks = scope.program.spec.cadence_weeks
    for c in cycles:
        key = (c.match_id, (c.cycle - 1) * weeks // 4)
        months[key] = months.get(key, False) or c.met
    milestones = [
        x
        for x in scope.facts.milestones
        if scope.in_matches(x.match_id) and scope.window.holds(x.asked_at)
    ]
    return (
        rate("meeting_rate", sum(c.met for c in cycles), len(cycles)),
        rate("monthly_meeting_rate", sum(months.values()), len(months)),
        rate(
            "milestone_response_rate",
            sum(x.answered_at is not None for x in milestones),
            len(milestones),
        ),
    )


def trouble_figures(scope: Scope, cycles: Sequence[Cycle]) -> tuple[Figure, ...]:
    """What went wrong: stalled matches, pauses after silence, failed deliveries."""
    notices = [n for n in scope.facts.notices if scope.window.holds(n.created_at)]
    if scope.window.round_id is not None:
        notices = [n for n in notices if n.person_id in scope.people]
    stalled = stalled_matches(scope, cycles)
    return (
        Figure("stalled", len(stalled)),
        Figure(
            "paused_after_silence",
            sum(1 for n in notices if n.kind == "paused" and not n.failed),
        ),
        Figure("failed_deliveries", sum(1 for n in notices if n.failed)),
    )
