"""Figures from counts and answers: rates, and aggregates of what people answered,
which are hidden when fewer than the program's ``min_group`` people answered."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from bot.report.document import Figure


def rate(metric: str, part: int, whole: int) -> Figure:
    """A percentage of ``whole`` (nothing to show when it is 0)."""
    return Figure(metric, 100 * part / whole if whole else None, whole)


def private(
    metric: str,
    values: Sequence[float],
    people: Iterable[int],
    min_group: int,
    reduce: Callable[[Sequence[float]], float | None],
) -> Figure:
    """An aggregate of answers, or nothing when fewer than ``min_group`` answered."""
    respondents = len(set(people))
    if respondents < min_group:
        return Figure(metric, None, respondents, suppressed=respondents > 0)
    return Figure(metric, reduce(values), respondents)


def mean(values: Sequence[float]) -> float | None:
    """The average, or None for no values."""
    return sum(values) / len(values) if values else None


def nps(scores: Sequence[float]) -> float | None:
    """Net promoter score: promoters (9-10) less detractors (0-6), in percent."""
    if not scores:
        return None
    promoters = sum(1 for s in scores if s >= 9)
    detractors = sum(1 for s in scores if s <= 6)
    return 100 * (promoters - detractors) / len(scores)
