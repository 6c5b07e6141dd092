"""The report's series, for its charts: meetings per cycle, the funnel, ratings, goals."""

from __future__ import annotations

from collections.abc import Sequence

from bot.model import GoalStatus
from bot.report.cycles import Cycle, per_period, period_of
from bot.report.document import Figure, Point, Series
from bot.report.metrics import Unit
from bot.report.scope import Scope, changes_in

_GOAL_LABELS = {
    GoalStatus.OPEN: "Not yet rated",
    GoalStatus.ON_TRACK: "On track",
    GoalStatus.OFF_TRACK: "Off track",
    GoalStatus.DONE: "Done",
}


def report_series(
    scope: Scope, figures: Sequence[Figure], cycles: Sequence[Cycle]
) -> tuple[Series, ...]:
    """Every series of the report, in the order its charts are shown."""
    value = {f.metric: f for f in figures}
    met_once = {c.match_id for c in cycles if c.met}
    met_people = {who for x in scope.matches if x.id in met_once for who in x.members}
    funnel = Series(
        "funnel",
        "From joining to meeting",
        Unit.COUNT,
        tuple(
            Point(label, n, int(n))
            for label, n in (
                ("Joined", value["joined"].value or 0),
                ("Finished the survey", value["surveyed"].value or 0),
                ("Matched", value["matched"].value or 0),
                ("Met at least once", len(met_people & scope.people.keys())),
            )
        ),
    )
    return (
        _meeting_series(scope, cycles),
        funnel,
        _ratings_series(scope),
        _goals_series(scope, value["goals_set"]),
    )


def _meeting_series(scope: Scope, cycles: Sequence[Cycle]) -> Series:
    periods = per_period(scope, cycles)
    points = tuple(
        Point(f"{start:%-d %b}", 100 * met / asked if asked else None, asked)
        for start, asked, met in periods
    )
    # A change marks the cycle it took effect in: before and after, side by side.
    starts = [start for start, _, _ in periods]
    changes = changes_in(scope)
    marked = tuple(
        dict.fromkeys(points[period_of(scope, starts, c.changed_at.date())].label for c in changes)
    )
    note = "share of the matches asked “did you meet?” that said yes"
    if changes:
        note += "; the program changed in " + ", ".join(f"the cycle of {x}" for x in marked)
    return Series(
        "meeting_rate",
        "Matches that met, per cycle",
        Unit.PERCENT,
        points,
        kind="line",
        note=note,
        markers=marked,
    )


def _ratings_series(scope: Scope) -> Series:
    rated = [
        f
        for f in scope.facts.feedback
        if scope.in_matches(f.match_id)
        and scope.window.holds(f.asked_at)
        and f.completed_at is not None
        and f.rating is not None
    ]
    hidden = 0 < len({f.person_id for f in rated}) < scope.min_group
    counts = [sum(1 for f in rated if f.rating == n) for n in range(1, 6)]
    return Series(
        "ratings",
        "Session ratings",
        Unit.COUNT,
        tuple(
            Point(f"{n} of 5", None if hidden else c, 0 if hidden else c, hidden)
            for n, c in enumerate(counts, start=1)
        ),
        suppressed=hidden,
        note=_hidden_note(scope) if hidden else "",
    )


def _goals_series(scope: Scope, goals_set: Figure) -> Series:
    goals = [
        g
        for g in scope.facts.goals
        if scope.in_matches(g.match_id) and g.created_at.date() <= scope.window.last_day
    ]
    hidden = goals_set.suppressed
    return Series(
        "goals",
        "Goals by status",
        Unit.COUNT,
        tuple(
            Point(label, None if hidden else n, 0 if hidden else n, hidden)
            for status, label in _GOAL_LABELS.items()
            for n in [sum(1 for g in goals if g.status is status)]
        ),
        suppressed=hidden,
        note=_hidden_note(scope) if hidden else "",
    )


def _hidden_note(scope: Scope) -> str:
    return f"hidden until at least {scope.min_group} people have answered"
