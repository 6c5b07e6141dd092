"""A program's success criteria in the report: met, not met and too early; free-text
criteria are not measured; an unknown metric is refused with the closest name."""

from __future__ import annotations

import pytest

from bot.program.problems import ProgramError
from bot.report.build import build_report
from bot.report.document import Outcome
from tests.unit.report_facts import NOW, known_facts, known_program


def test_success_criteria_met_not_met_and_too_early() -> None:
    report = build_report(known_program(), known_facts(), NOW)
    outcomes = [(v.metric, v.outcome, v.value) for v in report.verdicts]
    assert outcomes == [
        ("monthly_meeting_rate", Outcome.NOT_MET, "67%"),
        ("average_rating", Outcome.MET, "4.0 / 5"),
        # 25% with no match ended yet: not a failure, too early
        ("people_with_goal_done", Outcome.TOO_EARLY, "25%"),
        ("recommend_mean", Outcome.TOO_EARLY, ""),
    ]
    assert report.verdicts[0].threshold == "at least 70%"


def test_free_text_criteria_load_and_are_not_measured() -> None:
    program = known_program(success_criteria=["Everyone feels welcome."])
    (verdict,) = build_report(program, known_facts(), NOW).verdicts
    assert (verdict.label, verdict.outcome) == ("Everyone feels welcome.", Outcome.NOT_MEASURED)


def test_an_unknown_metric_is_refused_with_the_closest_name() -> None:
    with pytest.raises(ProgramError, match="unknown metric 'meeting_rat' \\(did you mean"):
        known_program(success_criteria=[{"label": "x", "metric": "meeting_rat", "at_least": 5}])
    with pytest.raises(ProgramError, match="needs one threshold"):
        known_program(success_criteria=[{"label": "x", "metric": "meeting_rate"}])
