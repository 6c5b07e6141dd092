"""The report on a hand-built program where every figure is known, its success
criteria's verdicts, and the privacy thresholds (including a slice so thin that
one person could be singled out)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.admin import bundled_programs
from bot.model import Answer, GoalStatus, MatchStatus, Program, Status
from bot.program.loading import parse_program, program_to_data
from bot.program.problems import ProgramError
from bot.report.build import MIN_COMMENTS, build_report
from bot.report.document import Outcome
from bot.report.facts import (
    CheckinFact,
    FeedbackFact,
    GoalFact,
    MatchFact,
    MilestoneFact,
    NoticeFact,
    PersonFact,
    ProgramFacts,
    RoundFact,
    WrapupFact,
)
from bot.report.window import Window

CREATED = datetime(2026, 1, 5, 9, tzinfo=UTC)  # a Monday; the first round is 12 January
ROUND = datetime(2026, 1, 12, 9, tzinfo=UTC)
NOW = datetime(2026, 3, 2, 12, tzinfo=UTC)


def _program(**changes: object) -> Program:
    spec = next(s for s in bundled_programs() if s.slug == "engineering-growth")
    data = program_to_data(spec) | changes
    return Program(1, 1, parse_program(data), CREATED)


def _person(pid: int, status: Status = Status.ACTIVE, surveyed: bool = True) -> PersonFact:
    joined = CREATED + timedelta(days=1, minutes=pid)
    return PersonFact(
        pid,
        f"U{pid}",
        f"Person {pid}",
        status,
        joined,
        joined + timedelta(hours=1) if surveyed else None,
        NOW - timedelta(days=3) if status is Status.LEFT else None,
    )


def _match(mid: int, a: int, b: int, *, ended: str | None = None, round_id: int = 1) -> MatchFact:
    return MatchFact(
        mid,
        round_id,
        MatchStatus.ENDED if ended else MatchStatus.ACTIVE,
        "pair",
        (a, b),
        ROUND,
        ROUND,
        datetime(2026, 2, 10, tzinfo=UTC) if ended else None,
        ended,
    )


def _due(cycle: int) -> date:
    return ROUND.date() + timedelta(days=14 * cycle)


def _asked(mid: int, members: tuple[int, int], cycle: int, *answers: Answer | None) -> list:
    return [
        CheckinFact(mid, who, cycle, _due(cycle), a)
        for who, a in zip(members, answers, strict=True)
    ]


Y, N, S, M = Answer.YES, Answer.NOT_YET, Answer.SKIP, Answer.MET


def _facts() -> ProgramFacts:
    """Twelve people: 1-8 in four pairs, 9 waiting, 10 paused, 11 mid-survey, 12 left."""
    people = [_person(i) for i in range(1, 10)]
    people += [
        _person(10, Status.PAUSED),
        _person(11, Status.INTAKE, surveyed=False),
        _person(12, Status.LEFT),
    ]
    matches = [
        _match(101, 1, 2),
        _match(102, 3, 4),
        _match(103, 5, 6),
        _match(104, 7, 8, ended="not_working"),
    ]
    checkins = [
        *_asked(101, (1, 2), 1, Y, None),
        *_asked(101, (1, 2), 2, M, Y),
        *_asked(101, (1, 2), 3, Y, None),
        *_asked(102, (3, 4), 1, N, None),
        *_asked(102, (3, 4), 2, None, None),
        *_asked(102, (3, 4), 3, None, None),  # open, unanswered: not counted yet
        *_asked(103, (5, 6), 1, Y, Y),
        *_asked(103, (5, 6), 2, S, None),
        *_asked(103, (5, 6), 3, N, None),  # open but answered: counted
        *_asked(104, (7, 8), 1, None, Y),
    ]
    rated = {1: 5, 2: 4, 3: 3, 5: 4, 6: 4}
    feedback = [
        FeedbackFact(
            101 if p < 3 else 102 if p < 5 else 103,
            p,
            ROUND + timedelta(days=15),
            r,
            ROUND + timedelta(days=16),
        )
        for p, r in rated.items()
    ]
    feedback.append(FeedbackFact(104, 8, ROUND + timedelta(days=15), None, None))
    goals = [
        GoalFact(101, 1, GoalStatus.DONE, ROUND),
        GoalFact(101, 1, GoalStatus.ON_TRACK, ROUND),
        GoalFact(101, 2, GoalStatus.DONE, ROUND),
        GoalFact(102, 3, GoalStatus.OFF_TRACK, ROUND),
        GoalFact(103, 5, GoalStatus.OPEN, ROUND),
        GoalFact(103, 6, GoalStatus.ON_TRACK, ROUND),
    ]
    milestones = [
        MilestoneFact(
            m.id,
            who,
            30,
            ROUND + timedelta(days=30),
            ROUND + timedelta(days=31) if who <= 6 else None,
        )
        for m in matches
        for who in m.members
    ]
    return ProgramFacts(
        people=people,
        rounds=[RoundFact(1, ROUND, ROUND, ((9, "odd_one_out"),))],
        matches=matches,
        checkins=checkins,
        feedback=feedback,
        goals=goals,
        milestones=milestones,
        wrapups=[],
        notices=[
            *(
                NoticeFact("feedback", f.person_id, f.asked_at, failed=False, match_id=f.match_id)
                for f in feedback
            ),
            NoticeFact("paused", 10, NOW - timedelta(days=5), failed=False),
            NoticeFact("checkin", 8, NOW - timedelta(days=4), failed=True),
        ],
    )


def _value(report: object, metric: str) -> float | None:
    figure = report.figure(metric)  # type: ignore[attr-defined]
    return None if figure.value is None else round(figure.value, 1)


def test_every_figure_of_a_known_program() -> None:
    report = build_report(_program(), _facts(), NOW)
    expected = {
        "joined": 12,
        "surveyed": 11,
        "matched": 8,
        "waiting": 3,  # 9, and 7 and 8 whose match ended
        "paused": 1,
        "left": 1,
        "match_rate": 72.7,
        "matches_running": 3,
        "matches_ended": 1,
        "matches_not_working": 1,
        "rematched": 0,
        "meeting_rate": 55.6,  # 5 of 9 match-cycles asked
        "monthly_meeting_rate": 66.7,  # 4 of 6 match-months
        "milestone_response_rate": 75.0,
        "feedback_response_rate": 83.3,
        "average_rating": 4.0,
        "goals_set": 6,
        "goals_on_track": 2,
        "goals_off_track": 1,
        "goals_done": 2,
        "people_with_goal_done": 25.0,
        "recommend_mean": None,
        "nps": None,
        "would_join_again": None,
        "stalled": 1,
        "paused_after_silence": 1,
        "failed_deliveries": 1,
    }
    assert {metric: _value(report, metric) for metric in expected} == expected
    assert report.figure("average_rating").base == 5


def test_meeting_rate_per_cycle_and_the_funnel() -> None:
    report = build_report(_program(), _facts(), NOW)
    meetings = report.chart("meeting_rate")
    assert [(p.label, p.base, p.value) for p in meetings.points if p.base] == [
        ("26 Jan", 4, 75.0),
        ("9 Feb", 3, pytest.approx(100 / 3)),
        ("23 Feb", 2, 50.0),
    ]
    funnel = report.chart("funnel")
    assert [(p.label, p.value) for p in funnel.points] == [
        ("Joined", 12),
        ("Finished the survey", 11),
        ("Matched", 8),
        ("Met at least once", 6),
    ]
    assert [p.value for p in report.chart("ratings").points] == [0, 0, 1, 3, 1]
    assert [(p.label, p.value) for p in report.chart("goals").points] == [
        ("Not yet rated", 1),
        ("On track", 2),
        ("Off track", 1),
        ("Done", 2),
    ]
    row = next(c for c in report.cycles if c.starts_on == date(2026, 1, 26))
    assert (row.asked, row.met, row.feedback_asked, row.feedback_answered) == (4, 3, 6, 5)
    assert row.rating == 4.0


def test_matches_waiting_and_status_only() -> None:
    report = build_report(_program(), _facts(), NOW)
    lines = {x.match_id: x for x in report.matches}
    assert (lines[101].meetings, lines[101].met_this_cycle, lines[101].stalled) == (3, True, False)
    assert (lines[102].meetings, lines[102].stalled) == (0, True)
    assert lines[104].status == "ended: not working"
    assert [(w.name, w.why) for w in report.waiting] == [
        ("Person 7", "their match ended as not working: matched in the next round"),
        ("Person 8", "their match ended as not working: matched in the next round"),
        ("Person 9", "the odd one out last round"),
    ]


def test_success_criteria_met_not_met_and_too_early() -> None:
    report = build_report(_program(), _facts(), NOW)
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
    program = _program(success_criteria=["Everyone feels welcome."])
    (verdict,) = build_report(program, _facts(), NOW).verdicts
    assert (verdict.label, verdict.outcome) == ("Everyone feels welcome.", Outcome.NOT_MEASURED)


def test_an_unknown_metric_is_refused_with_the_closest_name() -> None:
    with pytest.raises(ProgramError, match="unknown metric 'meeting_rat' \\(did you mean"):
        _program(success_criteria=[{"label": "x", "metric": "meeting_rat", "at_least": 5}])
    with pytest.raises(ProgramError, match="needs one threshold"):
        _program(success_criteria=[{"label": "x", "metric": "meeting_rate"}])


# --- privacy -------------------------------------------------------------------------


def _fewer_raters(facts: ProgramFacts, keep: int) -> ProgramFacts:
    kept = [f for f in facts.feedback if f.rating is None or f.person_id <= keep]
    return replace(facts, feedback=kept)


def test_ratings_are_hidden_below_the_minimum_group() -> None:
    report = build_report(_program(), _fewer_raters(_facts(), 3), NOW)  # raters 1, 2, 3
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
    lowered = _program(reporting={"min_group": 3})
    report = build_report(lowered, _fewer_raters(_facts(), 3), NOW)
    assert report.figure("average_rating").value == 4.0
    with pytest.raises(ProgramError, match="min_group"):
        _program(reporting={"min_group": 2})


def test_a_slice_of_one_pair_shows_no_ratings_or_goals() -> None:
    facts = _facts()
    # Round 2: Person 9 and Person 10 (one pair). Both rated; the program as a whole
    # has plenty of raters, the slice has two: each could be singled out.
    pair = _match(201, 9, 10, round_id=2)
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
    whole = build_report(_program(), facts, NOW)
    assert whole.figure("average_rating").value == pytest.approx(23 / 7)
    window = Window(CREATED.date(), NOW.date(), round_id=2)
    thin = build_report(_program(), facts, NOW, window)
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
    return replace(_facts(), wrapups=wrapups)


def test_shared_comments_are_shown_only_as_a_list_of_ten() -> None:
    few = build_report(_program(), _with_comments(MIN_COMMENTS - 1), NOW)
    assert (few.comments, few.comments_shared) == ((), MIN_COMMENTS - 1)
    enough = build_report(_program(), _with_comments(MIN_COMMENTS), NOW)
    assert enough.comments == tuple(f"comment {n:02}" for n in range(MIN_COMMENTS))
    unshared = build_report(_program(), _with_comments(20, shared=False), NOW)
    assert (unshared.comments, unshared.comments_shared) == ((), 0)


def test_would_recommend_as_mean_and_net_promoter_score() -> None:
    scores = [10, 10, 9, 8, 7, 6, 3]  # 3 promoters, 2 detractors of 7
    wrapups = [WrapupFact(101, n, NOW, s, n % 2 == 0, NOW) for n, s in enumerate(scores, start=1)]
    report = build_report(_program(), replace(_facts(), wrapups=wrapups), NOW)
    assert _value(report, "recommend_mean") == 7.6
    assert _value(report, "nps") == 14.3
    assert _value(report, "would_join_again") == 42.9  # 3 of 7 said yes


def test_people_in_scope_with_status_and_counts_only() -> None:
    report = build_report(_program(), _facts(), NOW)
    people = {p.name: p for p in report.people}
    assert len(report.people) == 12
    one = people["Person 1"]
    assert (one.status, one.matches, one.meetings) == ("active", 1, 3)
    assert one.joined == date(2026, 1, 6) and one.surveyed == date(2026, 1, 6)
    assert (people["Person 9"].matches, people["Person 9"].meetings) == (0, 0)
    assert people["Person 10"].status == "paused"
    assert people["Person 11"].surveyed is None and people["Person 11"].status == "intake"
    assert people["Person 12"].status == "left"
    assert (people["Person 7"].matches, people["Person 7"].meetings) == (1, 1)
    sliced = build_report(_program(), _facts(), NOW, Window(CREATED.date(), NOW.date(), 1))
    assert {p.name for p in sliced.people} == {f"Person {i}" for i in range(1, 10)}


def test_a_long_text_is_cut_into_pieces_at_line_ends() -> None:
    from bot.text import pieces

    text = "\n".join(f"line {n:03}" for n in range(1000))
    parts = pieces(text, 100)
    assert all(len(p) <= 100 for p in parts)
    assert "\n".join(parts) == text
    assert pieces("", 10) == [""] and pieces("abc", 10) == ["abc"]
