"""A hand-built program where every figure of the report is known: twelve people,
four pairs, their check-ins, feedback, goals and milestones (for the report tests
here and in tests/teams)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.admin import bundled_programs
from bot.model import Answer, GoalStatus, MatchStatus, Program, Status
from bot.program.loading import parse_program, program_to_data
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
)

CREATED = datetime(2026, 1, 5, 9, tzinfo=UTC)  # a Monday; the first round is 12 January


ROUND = datetime(2026, 1, 12, 9, tzinfo=UTC)


NOW = datetime(2026, 3, 2, 12, tzinfo=UTC)


def known_program(**changes: object) -> Program:
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


def match_fact(
    mid: int, a: int, b: int, *, ended: str | None = None, round_id: int = 1
) -> MatchFact:
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


def known_facts() -> ProgramFacts:
    """Twelve people: 1-8 in four pairs, 9 waiting, 10 paused, 11 mid-survey, 12 left."""
    people = [_person(i) for i in range(1, 10)]
    people += [
        _person(10, Status.PAUSED),
        _person(11, Status.INTAKE, surveyed=False),
        _person(12, Status.LEFT),
    ]
    matches = [
        match_fact(101, 1, 2),
        match_fact(102, 3, 4),
        match_fact(103, 5, 6),
        match_fact(104, 7, 8, ended="not_working"),
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


def value_of(report: object, metric: str) -> float | None:
    figure = report.figure(metric)  # type: ignore[attr-defined]
    return None if figure.value is None else round(figure.value, 1)
