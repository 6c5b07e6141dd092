"""Success criteria, measured: met, not met, or too early to tell, with the number."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bot.program.spec import ProgramSpec
from bot.program.success_criteria import Criterion
from bot.report.document import Figure, Outcome, Verdict
from bot.report.metrics import METRICS, Unit, formatted

# Measured at the end of a match: before any match has ended, a criterion on one of
# these that is not met yet is too early to tell, not a failure.
AT_THE_END = frozenset({"people_with_goal_done", "recommend_mean", "nps", "would_join_again"})
# A rate over fewer than this many check-ins or prompts says little yet.
_FEW = 5


def verdicts(spec: ProgramSpec, figures: Sequence[Figure], ended: bool) -> tuple[Verdict, ...]:
    """Each of the program's criteria against the report's figures."""
    by_metric = {f.metric: f for f in figures}
    return tuple(
        _verdict(c, by_metric[c.metric] if c.metric else None, ended, spec.reporting.min_group)
        for c in spec.success_criteria
    )


def _verdict(criterion: Criterion, figure: Figure | None, ended: bool, k: int) -> Verdict:
    if criterion.metric is None or figure is None:
        return Verdict(criterion.label, Outcome.NOT_MEASURED)
    unit = METRICS[criterion.metric].unit
    threshold = _threshold(criterion, unit)
    base = Verdict(criterion.label, Outcome.TOO_EARLY, criterion.metric, threshold)
    if figure.suppressed:
        return replace(base, why=f"{figure.base} of the {k} answers needed so far")
    if figure.value is None or figure.base == 0:
        return replace(base, why="nothing to measure yet")
    value = formatted(figure.value, unit)
    if unit is Unit.PERCENT and figure.base is not None and figure.base < _FEW:
        return replace(base, value=value, why=f"measured over only {figure.base} so far")
    met = _holds(criterion, figure.value)
    if not met and criterion.metric in AT_THE_END and not ended:
        return replace(base, value=value, why="measured when matches end")
    return replace(base, outcome=Outcome.MET if met else Outcome.NOT_MET, value=value)


def _holds(criterion: Criterion, value: float) -> bool:
    if criterion.at_least is not None:
        return value >= criterion.at_least
    return criterion.at_most is not None and value <= criterion.at_most


def _threshold(criterion: Criterion, unit: Unit) -> str:
    if criterion.at_least is not None:
        return f"at least {formatted(criterion.at_least, unit)}"
    return f"at most {formatted(criterion.at_most, unit)}"
