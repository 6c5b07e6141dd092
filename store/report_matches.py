"""What a report reads about people, rounds and matches: dates, statuses and counts, never words."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from bot.model import Answer, GoalStatus, MatchStatus, Status
from bot.report.facts import (
    CheckinFact,
    FeedbackFact,
    GoalFact,
    MatchFact,
    MilestoneFact,
    PersonFact,
    RoundFact,
    WrapupFact,
)
from store.sql import table_of
from store.tables import (
    CheckinRow,
    EnrolmentRow,
    FeedbackRow,
    GoalRow,
    MatchMemberRow,
    MatchRow,
    MilestoneRow,
    PersonRow,
    RoundRow,
    WaitlistRow,
    WrapupRow,
)
from store.types import as_utc, as_utc_or_none

_ENROLMENTS = table_of(EnrolmentRow)
_PEOPLE = table_of(PersonRow)
_ROUNDS = table_of(RoundRow)
_WAITLIST = table_of(WaitlistRow)
_MATCHES = table_of(MatchRow)
_MEMBERS = table_of(MatchMemberRow)
_CHECKINS = table_of(CheckinRow)
_FEEDBACK = table_of(FeedbackRow)
_GOALS = table_of(GoalRow)
_MILESTONES = table_of(MilestoneRow)
_WRAPUPS = table_of(WrapupRow)


def read_people(session: Session, program_id: int) -> list[PersonFact]:
    query = (
        select(
            _PEOPLE.c.id,
            _PEOPLE.c.user_id,
            _PEOPLE.c.display_name,
            _ENROLMENTS.c.status,
            _ENROLMENTS.c.joined_at,
            _ENROLMENTS.c.intake_completed_at,
            _ENROLMENTS.c.left_at,
        )
        .join(_ENROLMENTS, _ENROLMENTS.c.person_id == _PEOPLE.c.id)
        .where(_ENROLMENTS.c.program_id == program_id)
        .order_by(_ENROLMENTS.c.joined_at, _PEOPLE.c.id)
    )
    return [
        PersonFact(
            r[0], r[1], r[2], Status(r[3]), as_utc(r[4]), as_utc_or_none(r[5]), as_utc_or_none(r[6])
        )
        for r in session.execute(query)
    ]


def read_rounds(session: Session, program_id: int) -> list[RoundFact]:
    waiting: dict[int, list[tuple[int, str]]] = defaultdict(list)
    query = (
        select(_WAITLIST.c.round_id, _WAITLIST.c.person_id, _WAITLIST.c.reason)
        .join(_ROUNDS, _ROUNDS.c.id == _WAITLIST.c.round_id)
        .where(_ROUNDS.c.program_id == program_id)
        .order_by(_WAITLIST.c.id)
    )
    for round_id, person_id, reason in session.execute(query):
        waiting[round_id].append((person_id, reason))
    rounds = select(_ROUNDS.c.id, _ROUNDS.c.created_at, _ROUNDS.c.published_at).where(
        _ROUNDS.c.program_id == program_id
    )
    return [
        RoundFact(r[0], as_utc(r[1]), as_utc_or_none(r[2]), tuple(waiting[r[0]]))
        for r in session.execute(rounds.order_by(_ROUNDS.c.id))
    ]


def read_matches(session: Session, program_id: int) -> list[MatchFact]:
    members: dict[int, list[int]] = defaultdict(list)
    query = (
        select(_MEMBERS.c.match_id, _MEMBERS.c.person_id)
        .join(_MATCHES, _MATCHES.c.id == _MEMBERS.c.match_id)
        .where(_MATCHES.c.program_id == program_id, _MATCHES.c.status != MatchStatus.PROPOSED.value)
        .order_by(_MEMBERS.c.match_id, _MEMBERS.c.position)
    )
    for match_id, person_id in session.execute(query):
        members[match_id].append(person_id)
    rows = select(
        _MATCHES.c.id,
        _MATCHES.c.round_id,
        _MATCHES.c.status,
        _MATCHES.c.kind,
        _MATCHES.c.created_at,
        _MATCHES.c.started_at,
        _MATCHES.c.ended_at,
        _MATCHES.c.end_reason,
    ).where(_MATCHES.c.program_id == program_id, _MATCHES.c.status != MatchStatus.PROPOSED.value)
    return [
        MatchFact(
            r[0],
            r[1],
            MatchStatus(r[2]),
            r[3],
            tuple(members[r[0]]),
            as_utc(r[4]),
            as_utc_or_none(r[5]),
            as_utc_or_none(r[6]),
            r[7],
        )
        for r in session.execute(rows.order_by(_MATCHES.c.id))
    ]


def read_checkins(session: Session, program_id: int) -> list[CheckinFact]:
    query = (
        select(
            _CHECKINS.c.match_id,
            _CHECKINS.c.person_id,
            _CHECKINS.c.cycle,
            _CHECKINS.c.due_on,
            _CHECKINS.c.answer,
        )
        .join(_MATCHES, _MATCHES.c.id == _CHECKINS.c.match_id)
        .where(_MATCHES.c.program_id == program_id)
        .order_by(_CHECKINS.c.due_on, _CHECKINS.c.id)
    )
    return [
        CheckinFact(r[0], r[1], r[2], r[3], Answer(r[4]) if r[4] else None)
        for r in session.execute(query)
    ]


def read_feedback(session: Session, program_id: int) -> list[FeedbackFact]:
    # rating and dates only: helped, next_focus and note are private
    query = (
        select(
            _FEEDBACK.c.match_id,
            _FEEDBACK.c.person_id,
            _FEEDBACK.c.created_at,
            _FEEDBACK.c.rating,
            _FEEDBACK.c.completed_at,
        )
        .join(_MATCHES, _MATCHES.c.id == _FEEDBACK.c.match_id)
        .where(_MATCHES.c.program_id == program_id)
        .order_by(_FEEDBACK.c.id)
    )
    return [
        FeedbackFact(r[0], r[1], as_utc(r[2]), r[3], as_utc_or_none(r[4]))
        for r in session.execute(query)
    ]


def read_goals(session: Session, program_id: int) -> list[GoalFact]:
    # status only: what the goal says is the person's own
    query = (
        select(_GOALS.c.match_id, _GOALS.c.person_id, _GOALS.c.status, _GOALS.c.created_at)
        .join(_MATCHES, _MATCHES.c.id == _GOALS.c.match_id)
        .where(_MATCHES.c.program_id == program_id)
        .order_by(_GOALS.c.id)
    )
    return [GoalFact(r[0], r[1], GoalStatus(r[2]), as_utc(r[3])) for r in session.execute(query)]


def read_milestones(session: Session, program_id: int) -> list[MilestoneFact]:
    query = (
        select(
            _MILESTONES.c.match_id,
            _MILESTONES.c.person_id,
            _MILESTONES.c.day,
            _MILESTONES.c.created_at,
            _MILESTONES.c.answered_at,
        )
        .join(_MATCHES, _MATCHES.c.id == _MILESTONES.c.match_id)
        .where(_MATCHES.c.program_id == program_id)
        .order_by(_MILESTONES.c.id)
    )
    return [
        MilestoneFact(r[0], r[1], r[2], as_utc(r[3]), as_utc_or_none(r[4]))
        for r in session.execute(query)
    ]


def read_wrapups(session: Session, program_id: int) -> list[WrapupFact]:
    query = (
        select(
            _WRAPUPS.c.match_id,
            _WRAPUPS.c.person_id,
            _WRAPUPS.c.created_at,
            _WRAPUPS.c.recommend,
            _WRAPUPS.c.again,
            _WRAPUPS.c.answered_at,
            # the comment, only where its writer shared it: unshared text is
            # never even read
            case((_WRAPUPS.c.shared.is_(True), _WRAPUPS.c.changed), else_=None),
        )
        .join(_MATCHES, _MATCHES.c.id == _WRAPUPS.c.match_id)
        .where(_MATCHES.c.program_id == program_id)
        .order_by(_WRAPUPS.c.id)
    )
    return [
        WrapupFact(r[0], r[1], as_utc(r[2]), r[3], r[4], as_utc_or_none(r[5]), r[6])
        for r in session.execute(query)
    ]
