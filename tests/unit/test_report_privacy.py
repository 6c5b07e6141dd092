"""The report's privacy thresholds: ratings hidden below the minimum group (which a
program may lower to three, no further), a slice so thin that one person could be
singled out, and shared comments shown only as a list of ten."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from bot.model import GoalStatus
from bot.program.problems import ProgramError
from bot.report.build import MIN_COMMENTS, build_report
from bot.report.document import Outcome
from bot.report.facts import FeedbackFact, GoalFact, ProgramFacts, RoundFact, WrapupFact
from bot.report.window import Window
from tests.unit.report_facts import CREATED, NOW, known_facts, known_program, match_fact


def _fewer_raters(facts: ProgramFacts, keep: int) -> ProgramFacts:
    kept = [f for f in facts.feedback if f.rating is None or f.person_id <= keep]
    return replace(facts, feedback=kept)


def test_ratings_are_hidden_below_the_minimum_group() -> None:
    report = build_report(known_program(), _fewer_raters(known_facts(), 3), NOW)  # raters 1, 2, 3
    rating = report.figure("average_rating")
    assert (rating.value, rating.suppressed, rating.shown) == (
        None,
        True,
        "hidden (too few answers)",
    )
    ratings = report.chart("ratings")
    assert ratings.suppressed and all(p.value is None for p in ratings.points)
    assert all(c.rating is None for c in report.cycles)
    verdict = next(v for v in report.verdicts if v.metric == "average_rating")
    assert (verdict.outcome, verdict.why) == (Outcome.TOO_EARLY, "3 of the 5 answers needed so far")


def test_the_program_may_lower_the_minimum_to_three_and_no_further() -> None:
    lowered = known_program(reporting={"min_group": 3})
    report = build_report(lowered, _fewer_raters(known_facts(), 3), NOW)
    assert report.figure("average_rating").value == 4.0
    with pytest.raises(ProgramError, match="min_group"):
        known_program(reporting={"min_group": 2})


def test_a_slice_of_one_pair_shows_no_ratings_or_goals() -> None:
    facts = known_facts()
    # Round 2: Person 9 and Person 10 (one pair). Both rated; the program as a whole
    # has plenty of raters, the slice has two: each could be singled out.
    pair = match_fact(201, 9, 10, round_id=2)
    facts = replace(
        facts,
        rounds=[*facts.rounds, RoundFact(2, NOW - timedelta(days=20), NOW, ())],
        matches=[*facts.matches, pair],
        feedback=[
            *facts.feedback,
            FeedbackFact(201, 9, NOW - timedelta(days=5), 1, NOW - timedelta(days=4)),
            FeedbackFact(201, 10, NOW - timedelta(days=5), 2, NOW - timedelta(days=4)),
        ],
        goals=[*facts.goals, GoalFact(201, 9, GoalStatus.OFF_TRACK, NOW - timedelta(days=9))],
    )
    whole = build_report(known_program(), facts, NOW)
    assert whole.figure("average_rating").value == pytest.approx(23 / 7)
    window = Window(CREATED.date(), NOW.date(), round_id=2)
    thin = build_report(known_program(), facts, NOW, window)
    assert thin.figure("joined").value == 2
    for metric in ("average_rating", "goals_set", "goals_off_track", "people_with_goal_done"):
        assert thin.figure(metric).value is None and thin.figure(metric).suppressed, metric
    assert thin.chart("ratings").suppressed and thin.chart("goals").suppressed
    assert [x.match_id for x in thin.matches] == [201]


def _with_comments(count: int, shared: bool = True) -> ProgramFacts:
    wrapups = [
        WrapupFact(
            101,
            100 + n,
            NOW - timedelta(days=2),
            8,
            True,
            NOW - timedelta(days=1),
            f"comment {n:02}" if shared else None,
        )
        for n in range(count)
    ]
    return replace(known_facts(), wrapups=wrapups)


def test_shared_comments_are_shown_only_as_a_list_of_ten() -> None:
    few = build_report(known_program(), _with_comments(MIN_COMMENTS - 1), NOW)
    assert (few.comments, few.comments_shared) == ((), MIN_COMMENTS - 1)
    enough = build_report(known_program(), _with_comments(MIN_COMMENTS), NOW)
    assert enough.comments == tuple(f"comment {n:02}" for n in range(MIN_COMMENTS))
    unshared = build_report(known_program(), _with_comments(20, shared=False), NOW)
    assert (unshared.comments, unshared.comments_shared) == ((), 0)
