"""The facts of a program's report, read in a handful of queries.

Only statuses, dates and numbers are selected: feedback's text columns, goal
texts and unshared wrap-up comments are never read here, so nothing private can
reach a report by mistake.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from bot.model import Answer, GoalStatus, MatchStatus, Status
from bot.report.facts import (
    ChangeFact,
    CheckinFact,
    FeedbackFact,
    GoalFact,
    MatchFact,
    MilestoneFact,
    NoticeFact,
    PersonFact,
    ProgramFacts,
    RecognitionFact,
    RoundFact,
    SurveyFact,
    TrainingFact,
    WrapupFact,
)
from store.sql import table_of
from store.tables import (
    AnswerRow,
    CheckinRow,
    EnrolmentRow,
    FeedbackRow,
    GoalRow,
    MatchMemberRow,
    MatchRow,
    MilestoneRow,
    OutboxRow,
    PersonRow,
    ProgramChangeRow,
    ProgramSurveyRow,
    RecognitionRow,
    RoundRow,
    TrainingRow,
    WaitlistRow,
    WrapupRow,
)

_ENROLMENTS, _PEOPLE, _ROUNDS, _WAITLIST = (
    table_of(t) for t in (EnrolmentRow, PersonRow, RoundRow, WaitlistRow)
)
_MATCHES, _MEMBERS, _CHECKINS, _FEEDBACK = (
    table_of(t) for t in (MatchRow, MatchMemberRow, CheckinRow, FeedbackRow)
)
_GOALS, _MILESTONES, _WRAPUPS, _OUTBOX = (
    table_of(t) for t in (GoalRow, MilestoneRow, WrapupRow, OutboxRow)
)
_ANSWERS, _TRAINING = table_of(AnswerRow), table_of(TrainingRow)
_MENTORING_ROLES = ("mentor", "facilitator")
_RECOGNITIONS, _SURVEYS, _CHANGES = (
    table_of(t) for t in (RecognitionRow, ProgramSurveyRow, ProgramChangeRow)
)

# The kinds of messages a report counts (besides failures of any kind).
_COUNTED_KINDS = ("paused", "feedback")


class SqlReports:
    def __init__(self, session: Session) -> None:
        self._s = session

    def facts(self, program_id: int) -> ProgramFacts:
        matches = self._matches(program_id)
        mentors, joined, training = self._training(program_id)
        return ProgramFacts(
            people=self._people(program_id),
            rounds=self._rounds(program_id),
            matches=matches,
            checkins=self._checkins(program_id),
            feedback=self._feedback(program_id),
            goals=self._goals(program_id),
            milestones=self._milestones(program_id),
            wrapups=self._wrapups(program_id),
            notices=self._notices(program_id),
            mentors=mentors,
            joined_as_mentors=joined,
            training=training,
            recognitions=self._recognitions(program_id),
            surveys=self._surveys(program_id),
            changes=self._changes(program_id),
        )

    def _people(self, program_id: int) -> list[PersonFact]:
        query = (
            select(
                _PEOPLE.c.id,
                _PEOPLE.c.external_id,
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
            PersonFact(r[0], r[1], r[2], Status(r[3]), _utc(r[4]), _maybe(r[5]), _maybe(r[6]))
            for r in self._s.execute(query)
        ]

    def _rounds(self, program_id: int) -> list[RoundFact]:
        waiting: dict[int, list[tuple[int, str]]] = defaultdict(list)
        query = (
            select(_WAITLIST.c.round_id, _WAITLIST.c.person_id, _WAITLIST.c.reason)
            .join(_ROUNDS, _ROUNDS.c.id == _WAITLIST.c.round_id)
            .where(_ROUNDS.c.program_id == program_id)
            .order_by(_WAITLIST.c.id)
        )
        for round_id, person_id, reason in self._s.execute(query):
            waiting[round_id].append((person_id, reason))
        rounds = select(_ROUNDS.c.id, _ROUNDS.c.created_at, _ROUNDS.c.published_at).where(
            _ROUNDS.c.program_id == program_id
        )
        return [
            RoundFact(r[0], _utc(r[1]), _maybe(r[2]), tuple(waiting[r[0]]))
            for r in self._s.execute(rounds.order_by(_ROUNDS.c.id))
        ]

    def _matches(self, program_id: int) -> list[MatchFact]:
        members: dict[int, list[int]] = defaultdict(list)
        query = (
            select(_MEMBERS.c.match_id, _MEMBERS.c.person_id)
            .join(_MATCHES, _MATCHES.c.id == _MEMBERS.c.match_id)
            .where(
                _MATCHES.c.program_id == program_id, _MATCHES.c.status != MatchStatus.PROPOSED.value
            )
            .order_by(_MEMBERS.c.match_id, _MEMBERS.c.position)
        )
        for match_id, person_id in self._s.execute(query):
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
        ).where(
            _MATCHES.c.program_id == program_id, _MATCHES.c.status != MatchStatus.PROPOSED.value
        )
        return [
            MatchFact(
                r[0],
                r[1],
                MatchStatus(r[2]),
                r[3],
                tuple(members[r[0]]),
                _utc(r[4]),
                _maybe(r[5]),
                _maybe(r[6]),
                r[7],
            )
            for r in self._s.execute(rows.order_by(_MATCHES.c.id))
        ]

    def _checkins(self, program_id: int) -> list[CheckinFact]:
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
            for r in self._s.execute(query)
        ]

    def _feedback(self, program_id: int) -> list[FeedbackFact]:
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
            FeedbackFact(r[0], r[1], _utc(r[2]), r[3], _maybe(r[4])) for r in self._s.execute(query)
        ]

    def _goals(self, program_id: int) -> list[GoalFact]:
        # status only: what the goal says is the person's own
        query = (
            select(_GOALS.c.match_id, _GOALS.c.person_id, _GOALS.c.status, _GOALS.c.created_at)
            .join(_MATCHES, _MATCHES.c.id == _GOALS.c.match_id)
            .where(_MATCHES.c.program_id == program_id)
            .order_by(_GOALS.c.id)
        )
        return [GoalFact(r[0], r[1], GoalStatus(r[2]), _utc(r[3])) for r in self._s.execute(query)]

    def _milestones(self, program_id: int) -> list[MilestoneFact]:
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
            MilestoneFact(r[0], r[1], r[2], _utc(r[3]), _maybe(r[4]))
            for r in self._s.execute(query)
        ]

    def _wrapups(self, program_id: int) -> list[WrapupFact]:
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
            WrapupFact(r[0], r[1], _utc(r[2]), r[3], r[4], _maybe(r[5]), r[6])
            for r in self._s.execute(query)
        ]

    def _notices(self, program_id: int) -> list[NoticeFact]:
        query = (
            select(
                _OUTBOX.c.kind,
                _OUTBOX.c.person_id,
                _OUTBOX.c.created_at,
                _OUTBOX.c.status,
                _OUTBOX.c.match_id,
            )
            .where(
                # A reply (the feedback questions after someone's own "yes") knows
                # its match, not its program.
                (_OUTBOX.c.program_id == program_id)
                | _OUTBOX.c.match_id.in_(
                    select(_MATCHES.c.id).where(_MATCHES.c.program_id == program_id)
                ),
                (_OUTBOX.c.kind.in_(_COUNTED_KINDS)) | (_OUTBOX.c.status == "failed"),
            )
            .order_by(_OUTBOX.c.id)
        )
        return [
            NoticeFact(r[0], r[1], _utc(r[2]), r[3] == "failed", r[4])
            for r in self._s.execute(query)
        ]

    def _training(self, program_id: int) -> tuple[list[int], list[int], list[TrainingFact]]:
        """Who mentors, and the training lessons they marked done (no content)."""
        in_matches = (
            select(_MEMBERS.c.person_id)
            .join(_MATCHES, _MATCHES.c.id == _MEMBERS.c.match_id)
            .where(
                _MATCHES.c.program_id == program_id,
                _MATCHES.c.status != MatchStatus.PROPOSED.value,
                _MEMBERS.c.role.in_(_MENTORING_ROLES),
            )
            .distinct()
        )
        mentors = sorted(self._s.scalars(in_matches))
        said = (
            select(_ENROLMENTS.c.person_id, _ANSWERS.c.value)
            .join(_ANSWERS, _ANSWERS.c.enrolment_id == _ENROLMENTS.c.id)
            .where(
                _ENROLMENTS.c.program_id == program_id,
                _ENROLMENTS.c.intake_completed_at.is_not(None),
                _ANSWERS.c.question_key == "role",
            )
        )
        joined = sorted({who for who, value in self._s.execute(said) if value == "mentor"})
        everyone = sorted({*mentors, *joined})
        training = []
        for start in range(0, len(everyone), 500):
            query = (
                select(_TRAINING.c.person_id, _TRAINING.c.lesson, _TRAINING.c.done_at)
                .where(
                    _TRAINING.c.person_id.in_(everyone[start : start + 500]),
                    _TRAINING.c.done_at.is_not(None),
                )
                .order_by(_TRAINING.c.id)
            )
            training += [TrainingFact(r[0], r[1], _utc(r[2])) for r in self._s.execute(query)]
        return mentors, joined, training

    def _recognitions(self, program_id: int) -> list[RecognitionFact]:
        # kinds and dates only: the words are between the people they are about
        query = (
            select(
                _RECOGNITIONS.c.kind,
                _RECOGNITIONS.c.author_id,
                _RECOGNITIONS.c.created_at,
                _RECOGNITIONS.c.posted_at,
            )
            .where(_RECOGNITIONS.c.program_id == program_id)
            .order_by(_RECOGNITIONS.c.id)
        )
        return [
            RecognitionFact(r[0], r[1], _utc(r[2]), _maybe(r[3])) for r in self._s.execute(query)
        ]

    def _surveys(self, program_id: int) -> list[SurveyFact]:
        query = (
            select(
                _SURVEYS.c.person_id,
                _SURVEYS.c.stage,
                _SURVEYS.c.created_at,
                _SURVEYS.c.growth,
                _SURVEYS.c.supported,
                _SURVEYS.c.recommend,
                _SURVEYS.c.answered_at,
                # the comment, only where its writer shared it
                case((_SURVEYS.c.shared.is_(True), _SURVEYS.c.comment), else_=None),
            )
            .where(_SURVEYS.c.program_id == program_id)
            .order_by(_SURVEYS.c.id)
        )
        return [
            SurveyFact(r[0], r[1], _utc(r[2]), r[3], r[4], r[5], _maybe(r[6]), r[7])
            for r in self._s.execute(query)
        ]

    def _changes(self, program_id: int) -> list[ChangeFact]:
        query = (
            select(_CHANGES.c.changed_at, _CHANGES.c.what, _CHANGES.c.before, _CHANGES.c.after)
            .where(_CHANGES.c.program_id == program_id)
            .order_by(_CHANGES.c.changed_at, _CHANGES.c.id)
        )
        return [ChangeFact(_utc(r[0]), r[1], r[2], r[3]) for r in self._s.execute(query)]


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _maybe(value: datetime | None) -> datetime | None:
    return None if value is None else _utc(value)
