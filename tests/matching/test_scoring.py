"""The reference scoring, and its matrix form agreeing with it exactly."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.matching.candidates import build
from bot.matching.participant import Profile
from bot.matching.score import Blocked, Context, Mode, PairScore, Rule, level_fit, score_pair
from bot.matching.tuning import MatchingSettings
from tests.matching.pools import context, pools

ANA = Profile(
    "ana",
    "Ana",
    "Europe/Berlin",
    offers=frozenset({"sql"}),
    wants=frozenset({"speaking"}),
    level=3,
    goals=frozenset({"grow"}),
)
BO = Profile(
    "bo",
    "Bo",
    "Europe/London",
    offers=frozenset({"speaking"}),
    wants=frozenset({"sql"}),
    level=3,
    goals=frozenset({"grow"}),
)


def _ctx(**changes: object) -> Context:
    return Context(MatchingSettings(), date(2027, 1, 6), **changes)  # type: ignore[arg-type]


def test_a_two_way_skill_exchange_scores_both_directions_and_the_mutual_bonus() -> None:
    result = score_pair(ANA, BO, _ctx())
    assert isinstance(result, PairScore)
    codes = {(r.code, r.who): r.points for r in result.reasons}
    assert codes[("teaches", ("ana", "bo"))] == pytest.approx(7.5)
    assert codes[("teaches", ("bo", "ana"))] == pytest.approx(7.5)
    assert codes[("mutual", ("ana", "bo"))] == 15
    # skills 7.5 each way, mutual 15, one shared goal of two counted 5, same level 10,
    # 7 shared hours (capped at 6) 10
    assert result.total == pytest.approx(7.5 + 7.5 + 15 + 5 + 10 + 10)


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        ({"avoid": frozenset({"bo"})}, Rule.AVOID),
        ({"manager": "bo"}, Rule.REPORTING_LINE),
        ({"timezone": "Australia/Sydney"}, Rule.HOURS),
        ({"id": "bo"}, Rule.SAME_PERSON),
    ],
)
def test_hard_rules_block_a_pair(change: dict[str, object], rule: Rule) -> None:
    from dataclasses import replace

    ana = replace(ANA, **change)  # type: ignore[arg-type]
    from bot.matching.score import ReportingLines

    lines = ReportingLines({"ana": ana.manager})
    assert score_pair(ana, BO, _ctx(lines=lines)) == Blocked(rule)


def test_a_repeat_partner_inside_the_window_is_blocked() -> None:
    history = frozenset({frozenset({"ana", "bo"})})
    assert score_pair(ANA, BO, _ctx(history=history)) == Blocked(Rule.REPEAT)


def test_a_manager_further_up_the_line_also_blocks() -> None:
    from bot.matching.score import ReportingLines

    lines = ReportingLines({"ana": "cy", "cy": "bo", "bo": "ana"})  # a cycle, too
    assert lines.same_line("ana", "bo")
    assert score_pair(ANA, BO, _ctx(lines=lines)) == Blocked(Rule.REPORTING_LINE)


def test_the_reporting_line_rule_can_be_switched_off() -> None:
    from bot.matching.score import ReportingLines

    allowed = MatchingSettings(same_reporting_line=True)
    ctx = Context(allowed, date(2027, 1, 6), lines=ReportingLines({"ana": "bo"}))
    assert isinstance(score_pair(ANA, BO, ctx), PairScore)


def test_the_minimum_overlap_is_a_setting() -> None:
    ny = Profile("ny", "Ny", "America/New_York")  # 2 hours with Berlin in January
    assert isinstance(score_pair(ANA, ny, _ctx()), PairScore)
    strict = Context(MatchingSettings(min_overlap_hours=3), date(2027, 1, 6))
    assert score_pair(ANA, ny, strict) == Blocked(Rule.HOURS)


@pytest.mark.parametrize(
    ("gap", "mode", "fit"),
    [
        (0, Mode.PEER, 1.0),
        (1, Mode.PEER, 2 / 3),
        (3, Mode.PEER, 0.0),
        (2, Mode.MENTOR, 1.0),
        (0, Mode.MENTOR, 0.2),
        (-1, Mode.MENTOR, 0.0),
        (-2, Mode.REVERSE, 1.0),
        (2, Mode.REVERSE, 0.0),
    ],
)
def test_level_fit_suits_the_format(gap: int, mode: Mode, fit: float) -> None:
    assert level_fit(gap, mode) == pytest.approx(fit)


def test_a_mentee_more_senior_than_the_mentor_must_be_open_to_reverse_mentoring() -> None:
    from dataclasses import replace

    senior = replace(BO, level=5, reverse=False)
    assert score_pair(ANA, senior, _ctx(mode=Mode.MENTOR)) == Blocked(Rule.DIRECTION)
    assert isinstance(
        score_pair(ANA, replace(senior, reverse=True), _ctx(mode=Mode.MENTOR)), PairScore
    )


@settings(max_examples=60, deadline=None)
@given(pools(min_size=2, max_size=12), st.sampled_from(list(Mode)))
def test_the_matrix_scores_are_the_reference_scores(people: list[Profile], mode: Mode) -> None:
    ctx = context(people, mode, frozenset({frozenset({"p0", "p1"})}))
    if mode is Mode.PEER:
        graph = build(people, None, ctx, None)
        pairs = [
            (i, j, people[i], people[j])
            for i in range(len(people))
            for j in range(i + 1, len(people))
        ]
    else:
        half = len(people) // 2
        mentees, mentors = people[:half], people[half:]
        graph = build(mentees, mentors, ctx, None)
        pairs = [
            (i, j, mentors[j], mentees[i]) for i in range(len(mentees)) for j in range(len(mentors))
        ]
    for i, j, first, second in pairs:
        reference = score_pair(first, second, ctx)
        edge = graph.edges.get((i, j))
        if isinstance(reference, Blocked):
            assert edge is None, (first.id, second.id, reference)
        else:
            assert edge == pytest.approx(reference.total, abs=1e-9), (first.id, second.id)
