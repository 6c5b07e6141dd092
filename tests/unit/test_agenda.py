"""What is due, planned from hand-built snapshots: no database, no clock, no sleeping."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.adjustment import Stage
from bot.cadence import agenda
from bot.cadence.actions import (
    AskCheckin,
    AskMilestone,
    AskSurvey,
    Complete,
    Introduce,
    PauseSilent,
    Remind,
    RemindAgreement,
)
from bot.cadence.calendar import Hours
from bot.cadence.scheduled_rounds import review_overdue, round_day
from bot.cadence.sender import Places, hours_from
from bot.cadence.snapshot import Snapshot
from bot.model import (
    Answer,
    Checkin,
    Enrolment,
    Match,
    MatchStatus,
    Member,
    Program,
    Round,
    RoundStatus,
    Status,
)
from bot.program.loading import load_program

EXAMPLE = Path(__file__).parents[2] / "bot/content/programs/engineering-growth.yaml"
START = datetime(2026, 11, 23, 9, tzinfo=UTC)  # a Monday
ANA = Member(1, "ana", "Ana", "peer")
BO = Member(2, "bo", "Bo", "peer")


@pytest.fixture(scope="module")
def program() -> Program:
    spec = load_program(EXAMPLE)
    assert (spec.cadence_weeks, spec.duration_months) == (2, 6)
    assert spec.schedule.milestones == (30, 60, 90)
    return Program(1, 1, spec, START - timedelta(days=30))


def _match(introduced: bool = True, **changes: Any) -> Match:
    match = Match(
        7,
        1,
        1,
        1,
        MatchStatus.ACTIVE,
        "pair",
        80.0,
        (),
        (ANA, BO),
        START,
        started_at=START,
        introduced_at=START if introduced else None,
    )
    return replace(match, **changes)


def _enrolled(person_id: int, status: Status = Status.ACTIVE) -> Enrolment:
    return Enrolment(10 + person_id, 1, 1, person_id, status, START - timedelta(days=20))


def _state(
    program: Program, *matches: Match, asked: tuple[Checkin, ...] = (), **more: Any
) -> Snapshot:
    enrolments = {p: _enrolled(p) for p in (1, 2)}
    state = Snapshot(program, matches, asked, enrolments)
    return replace(state, **more)


def _checkin(id_: int, person_id: int, cycle: int, answer: Answer | None = None) -> Checkin:
    due = START.date() + timedelta(days=14 * cycle)
    return Checkin(id_, 7, person_id, cycle, due, START, answer)


def _day(days: float) -> datetime:
    return START + timedelta(days=days)


def test_a_match_not_yet_introduced_is_introduced_once(program: Program) -> None:
    fresh, known = _match(introduced=False), _match(id=8)
    assert agenda.introductions(_state(program, fresh, known), START) == [Introduce(fresh)]


def test_the_first_check_in_is_due_a_day_before_its_cycle(program: Program) -> None:
    match = _match()
    state = _state(program, match)
    assert agenda.checkins(state, _day(12)) == []
    due = date(2026, 12, 7)
    assert agenda.checkins(state, _day(13)) == [
        AskCheckin(match, ANA, 1, due),
        AskCheckin(match, BO, 1, due),
    ]


def test_no_check_in_twice_nor_to_someone_on_a_break(program: Program) -> None:
    match = _match()
    paused = {1: _enrolled(1), 2: _enrolled(2, Status.PAUSED)}
    state = _state(program, match, asked=(_checkin(1, 1, 1),), enrolments=paused)
    assert agenda.checkins(state, _day(14)) == []


def test_no_check_in_in_a_match_not_yet_introduced(program: Program) -> None:
    assert agenda.checkins(_state(program, _match(introduced=False)), _day(14)) == []


def test_one_reminder_half_way_after_not_yet(program: Program) -> None:
    match = _match()
    item = _checkin(3, 1, 1, Answer.NOT_YET)
    state = _state(program, match, asked=(item,))
    assert agenda.reminders(state, _day(20)) == []
    assert agenda.reminders(state, _day(21)) == [Remind(match, ANA, item)]
    reminded = replace(item, reminded_at=_day(21))
    assert agenda.reminders(_state(program, match, asked=(reminded,)), _day(22)) == []
    met = (item, _checkin(4, 2, 1, Answer.YES))
    assert agenda.reminders(_state(program, match, asked=met), _day(21)) == []


def test_the_agreement_is_sent_again_between_three_and_seven_days(program: Program) -> None:
    match = _match(members=(replace(ANA, agreed_at=START), BO))
    state = _state(program, match)
    assert agenda.agreements(state, _day(2.9)) == []
    assert agenda.agreements(state, _day(3)) == [RemindAgreement(match, BO)]
    assert agenda.agreements(state, _day(7)) == []


def test_only_the_latest_milestone_is_asked_of_those_not_asked(program: Program) -> None:
    match = _match()
    state = _state(program, match, milestones=frozenset({(7, 1, 60)}))
    assert agenda.milestones(state, _day(29)) == []
    assert agenda.milestones(state, _day(61)) == [AskMilestone(match, BO, (30, 60))]


def test_three_silent_cycles_pause_someone(program: Program) -> None:
    match = _match()
    silent = tuple(_checkin(n, 1, n) for n in (1, 2, 3))
    answered = tuple(_checkin(10 + n, 2, n, Answer.YES) for n in (1, 2, 3))
    state = _state(program, match, asked=silent + answered)
    closed = silent[-1].due_on + timedelta(days=14)
    assert (
        agenda.silences(state, datetime.combine(closed, START.timetz()) - timedelta(days=1)) == []
    )
    paused = agenda.silences(state, datetime.combine(closed, START.timetz()))
    assert paused == [PauseSilent(state.enrolments[1], silent[-1])]
    # Silences in a match that has ended are left behind.
    assert agenda.silences(_state(program, asked=silent), _day(100)) == []


def test_the_match_completes_at_the_end_of_its_duration(program: Program) -> None:
    match = _match()
    state = _state(program, match)
    assert agenda.wrapups(state, datetime(2027, 5, 22, 23, tzinfo=UTC)) == []
    assert agenda.wrapups(state, datetime(2027, 5, 23, 0, tzinfo=UTC)) == [Complete(match)]


def test_a_survey_stage_is_asked_once_per_person_across_matches(program: Program) -> None:
    first, second = _match(), _match(id=8)
    state = _state(program, first, second, surveyed={2: frozenset({Stage.DAY_30})})
    assert agenda.surveys(state, _day(29)) == []
    assert agenda.surveys(state, _day(30)) == [AskSurvey(first, ANA, Stage.DAY_30)]


def test_a_scheduled_round_belongs_to_its_cadence_period(program: Program) -> None:
    first = program.spec.schedule.model_copy(update={"first_round": date(2026, 12, 7)})
    spec = program.spec.model_copy(update={"schedule": first})
    starting = replace(program, spec=spec)
    assert round_day(starting, datetime(2026, 12, 6, 23, tzinfo=UTC)) is None
    assert round_day(starting, datetime(2026, 12, 7, tzinfo=UTC)) == date(2026, 12, 7)
    assert round_day(starting, datetime(2026, 12, 20, tzinfo=UTC)) == date(2026, 12, 7)
    assert round_day(starting, datetime(2026, 12, 21, tzinfo=UTC)) == date(2026, 12, 21)


def test_a_round_left_in_review_is_overdue_after_two_days() -> None:
    draft = Round(3, 1, 1, RoundStatus.DRAFT, 5, True, START, scheduled_for=START.date())
    assert not review_overdue(draft, _day(1.9))
    assert review_overdue(draft, _day(2))
    assert not review_overdue(replace(draft, scheduled_for=None), _day(9))  # a preview
    assert not review_overdue(None, _day(9))


def test_working_hours_come_from_the_answers_or_default_to_nine_to_five() -> None:
    places = Places({1: hours_from({"timezone": "Europe/Berlin"})}, ())
    assert places.hours(1) == Hours("Europe/Berlin", "09:00-17:00")
    assert places.hours(2) == Hours("UTC", "09:00-17:00")
