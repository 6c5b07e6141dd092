"""The report's figures on a hand-built program where every one is known: the
headline numbers, meeting rates per cycle and the funnel, matches and who waits,
would-recommend and net promoter score, and the people in scope."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from bot.report.build import build_report
from bot.report.facts import WrapupFact
from bot.report.window import Window
from tests.unit.report_facts import CREATED, NOW, known_facts, known_program, value_of


def test_every_figure_of_a_known_program() -> None:
    report = build_report(known_program(), known_facts(), NOW)
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
    assert {metric: value_of(report, metric) for metric in expected} == expected
    assert report.figure("average_rating").base == 5


def test_meeting_rate_per_cycle_and_the_funnel() -> None:
    report = build_report(known_program(), known_facts(), NOW)
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
    report = build_report(known_program(), known_facts(), NOW)
    lines = {x.match_id: x for x in report.matches}
    assert (lines[101].meetings, lines[101].met_this_cycle, lines[101].stalled) == (3, True, False)
    assert (lines[102].meetings, lines[102].stalled) == (0, True)
    assert lines[104].status == "ended: not working"
    assert [(w.name, w.why) for w in report.waiting] == [
        ("Person 7", "their match ended as not working: matched in the next round"),
        ("Person 8", "their match ended as not working: matched in the next round"),
        ("Person 9", "the odd one out last round"),
    ]


def test_would_recommend_as_mean_and_net_promoter_score() -> None:
    scores = [10, 10, 9, 8, 7, 6, 3]  # 3 promoters, 2 detractors of 7
    wrapups = [WrapupFact(101, n, NOW, s, n % 2 == 0, NOW) for n, s in enumerate(scores, start=1)]
    report = build_report(known_program(), replace(known_facts(), wrapups=wrapups), NOW)
    assert value_of(report, "recommend_mean") == 7.6
    assert value_of(report, "nps") == 14.3
    assert value_of(report, "would_join_again") == 42.9  # 3 of 7 said yes


def test_people_in_scope_with_status_and_counts_only() -> None:
    report = build_report(known_program(), known_facts(), NOW)
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
    sliced = build_report(
        known_program(), known_facts(), NOW, Window(CREATED.date(), NOW.date(), 1)
    )
    assert {p.name for p in sliced.people} == {f"Person {i}" for i in range(1, 10)}
