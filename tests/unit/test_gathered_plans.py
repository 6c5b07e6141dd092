"""The plans that need more than the snapshot (mentors' circles, the digest, the
mentor training), planned from hand-built snapshots and hand-built readings: no
database, no clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.cadence.calendar import Hours
from bot.cadence.digest import DigestFacts, plan_digest
from bot.cadence.lessons import track
from bot.cadence.mentors import CircleFacts, plan_circles
from bot.cadence.snapshot import Snapshot
from bot.cadence.training import TrainingFacts, Week, plan_training
from bot.model import (
    Enrolment,
    LessonProgress,
    Match,
    MatchStatus,
    Member,
    Person,
    Program,
    Status,
)
from bot.program.loading import load_program
from bot.report.facts import PersonFact, ProgramFacts

PROGRAMS = Path(__file__).parents[2] / "bot/content/programs"
NOW = datetime(2027, 3, 1, 10, tzinfo=UTC)  # a Monday
BERLIN, TOKYO = Hours("Europe/Berlin", "09:00-17:00"), Hours("Asia/Tokyo", "09:00-17:00")


@pytest.fixture(scope="module")
def mentoring() -> Program:
    return Program(1, 1, load_program(PROGRAMS / "leadership-mentoring.yaml"), NOW)


def _pair(match_id: int, mentor: int) -> Match:
    members = (
        Member(mentor, f"u{mentor}", f"Mentor {mentor}", "mentor"),
        Member(100 + mentor, f"u{100 + mentor}", f"Mentee {mentor}", "mentee"),
    )
    start = NOW - timedelta(days=20)
    return Match(
        match_id,
        1,
        1,
        1,
        MatchStatus.ACTIVE,
        "mentoring",
        50.0,
        (),
        members,
        start,
        started_at=start,
        introduced_at=start,
    )


def _state(program: Program, *matches: Match) -> Snapshot:
    people = {x.person_id for match in matches for x in match.members}
    enrolments = {
        p: Enrolment(p, 1, program.id, p, Status.ACTIVE, NOW - timedelta(days=30)) for p in people
    }
    return Snapshot(program, matches, (), enrolments)


# --- mentors' circles ---------------------------------------------------------------


def test_mentors_who_share_hours_meet_in_circles_once_a_month(mentoring: Program) -> None:
    state = _state(mentoring, *(_pair(n, n) for n in range(1, 9)))
    facts = CircleFacts(formed=False, hours=dict.fromkeys(range(1, 9), BERLIN))
    circles = plan_circles(state, facts, NOW)
    assert [(c.month, c.number) for c in circles] == [("2027-03", 1), ("2027-03", 2)]
    assert sorted(x.person_id for c in circles for x in c.mentors) == list(range(1, 9))
    assert all(x.role == "mentor" for c in circles for x in c.mentors)
    formed = CircleFacts(formed=True, hours=facts.hours)
    assert plan_circles(state, formed, NOW) == []


def test_a_circle_that_cannot_meet_is_not_formed(mentoring: Program) -> None:
    state = _state(mentoring, *(_pair(n, n) for n in range(1, 5)))
    apart = {1: BERLIN, 2: TOKYO, 3: BERLIN, 4: TOKYO}
    assert plan_circles(state, CircleFacts(False, apart), NOW) == []
    together = dict.fromkeys(range(1, 5), TOKYO)
    assert len(plan_circles(state, CircleFacts(False, together), NOW)) == 1


def test_two_mentors_are_no_circle(mentoring: Program) -> None:
    state = _state(mentoring, _pair(1, 1), _pair(2, 2))
    assert plan_circles(state, CircleFacts(False, dict.fromkeys((1, 2), BERLIN)), NOW) == []


# --- the digest ---------------------------------------------------------------------


def _facts(*people: PersonFact) -> ProgramFacts:
    return ProgramFacts(people, (), (), (), (), (), (), (), ())


def _digest(facts: ProgramFacts | None, sent: bool = False) -> DigestFacts:
    cora = Person(9, 1, "cora", "Cora")
    return DigestFacts(((cora, "digest:1:2027-W09:9"),), sent, facts, (), {}, NOW)


def test_the_digest_goes_once_a_week_once_people_have_joined(mentoring: Program) -> None:
    state = _state(mentoring)
    joined = PersonFact(1, "u1", "Ana", Status.ACTIVE, NOW - timedelta(days=2), None, None)
    (planned,) = plan_digest(state, _digest(_facts(joined)), NOW)
    assert [key for _, key in planned.to] == ["digest:1:2027-W09:9"]
    text = str(planned.message)
    assert "your week" in text and "waiting for your review" in text  # the draft round
    assert plan_digest(state, _digest(_facts(joined), sent=True), NOW) == []
    assert plan_digest(state, _digest(_facts()), NOW) == []  # nobody has joined yet


# --- the mentor training ------------------------------------------------------------


def _week(used: int = 0) -> Week:
    return Week(NOW, (date(2027, 3, 1), date(2027, 3, 7)), used, {})


def test_a_mentor_gets_the_first_lesson_in_a_week_with_room(mentoring: Program) -> None:
    state = _state(mentoring, _pair(1, 1))
    facts = TrainingFacts({}, {}, {1: _week()})
    (lesson,) = plan_training(state, facts, NOW)
    assert (lesson.person_id, lesson.lesson, lesson.first, lesson.at) == (
        1,
        track().lessons[0].slug,
        True,
        NOW,
    )
    full = mentoring.spec.schedule.messages_per_week
    assert plan_training(state, TrainingFacts({}, {}, {1: _week(used=full)}), NOW) == []


def test_the_next_lesson_waits_for_done_and_a_week(mentoring: Program) -> None:
    state = _state(mentoring, _pair(1, 1))
    first = track().lessons[0].slug
    waiting = [LessonProgress(1, first, sent_at=NOW - timedelta(days=8))]
    assert plan_training(state, TrainingFacts({1: waiting}, {}, {1: _week()}), NOW) == []
    recent = [LessonProgress(1, first, NOW - timedelta(days=3), NOW - timedelta(days=1))]
    assert plan_training(state, TrainingFacts({1: recent}, {}, {1: _week()}), NOW) == []
    done = [LessonProgress(1, first, NOW - timedelta(days=8), NOW - timedelta(days=1))]
    (lesson,) = plan_training(state, TrainingFacts({1: done}, {}, {1: _week()}), NOW)
    assert (lesson.lesson, lesson.first) == (track().lessons[1].slug, False)
