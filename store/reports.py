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
from store.models import (
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
from store.sql import table_of

_E, _P, _R, _W = (table_of(t) for t in (EnrolmentRow, PersonRow, RoundRow, WaitlistRow))
_M, _MM, _K, _F = (table_of(t) for t in (MatchRow, MatchMemberRow, CheckinRow, FeedbackRow))
_G, _MS, _WU, _O = (table_of(t) for t in (GoalRow, MilestoneRow, WrapupRow, OutboxRow))
_A, _T = table_of(AnswerRow), table_of(TrainingRow)
_MENTORING_ROLES = ("mentor", "facilitator")
_RC, _PS, _PC = (table_of(t) for t in (RecognitionRow, ProgramSurveyRow, ProgramChangeRow))

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
                _P.c.id,
                _P.c.external_id,
                _P.c.display_name,
                _E.c.status,
                _E.c.joined_at,
                _E.c.intake_completed_at,
                _E.c.left_at,
            )
            .join(_E, _E.c.person_id == _P.c.id)
            .where(_E.c.program_id == program_id)
            .order_by(_E.c.joined_at, _P.c.id)
        )
        return [
            PersonFact(r[0], r[1], r[2], Status(r[3]), _utc(r[4]), _maybe(r[5]), _maybe(r[6]))
            for r in self._s.execute(query)
        ]

    def _rounds(self, program_id: int) -> list[RoundFact]:
        waiting: dict[int, list[tuple[int, str]]] = defaultdict(list)
        query = (
            select(_W.c.round_id, _W.c.person_id, _W.c.reason)
            .join(_R, _R.c.id == _W.c.round_id)
            .where(_R.c.program_id == program_id)
            .order_by(_W.c.id)
        )
        for round_id, person_id, reason in self._s.execute(query):
            waiting[round_id].append((person_id, reason))
        rounds = select(_R.c.id, _R.c.created_at, _R.c.published_at).where(
            _R.c.program_id == program_id
        )
        return [
            RoundFact(r[0], _utc(r[1]), _maybe(r[2]), tuple(waiting[r[0]]))
            for r in self._s.execute(rounds.order_by(_R.c.id))
        ]

    def _matches(self, program_id: int) -> list[MatchFact]:
        members: dict[int, list[int]] = defaultdict(list)
        query = (
            select(_MM.c.match_id, _MM.c.person_id)
            .join(_M, _M.c.id == _MM.c.match_id)
            .where(_M.c.program_id == program_id, _M.c.status != MatchStatus.PROPOSED.value)
            .order_by(_MM.c.match_id, _MM.c.position)
        )
        for match_id, person_id in self._s.execute(query):
            members[match_id].append(person_id)
        rows = select(
            _M.c.id,
            _M.c.round_id,
            _M.c.status,
            _M.c.kind,
            _M.c.created_at,
            _M.c.started_at,
            _M.c.ended_at,
            _M.c.end_reason,
        ).where(_M.c.program_id == program_id, _M.c.status != MatchStatus.PROPOSED.value)
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
            for r in self._s.execute(rows.order_by(_M.c.id))
        ]

    def _checkins(self, program_id: int) -> list[CheckinFact]:
        query = (
            select(_K.c.match_id, _K.c.person_id, _K.c.cycle, _K.c.due_on, _K.c.answer)
            .join(_M, _M.c.id == _K.c.match_id)
            .where(_M.c.program_id == program_id)
            .order_by(_K.c.due_on, _K.c.id)
        )
        return [
            CheckinFact(r[0], r[1], r[2], r[3], Answer(r[4]) if r[4] else None)
            for r in self._s.execute(query)
        ]

    def _feedback(self, program_id: int) -> list[FeedbackFact]:
        # rating and dates only: helped, next_focus and note are private
        query = (
            select(_F.c.match_id, _F.c.person_id, _F.c.created_at, _F.c.rating, _F.c.completed_at)
            .join(_M, _M.c.id == _F.c.match_id)
            .where(_M.c.program_id == program_id)
            .order_by(_F.c.id)
        )
        return [
            FeedbackFact(r[0], r[1], _utc(r[2]), r[3], _maybe(r[4])) for r in self._s.execute(query)
        ]

    def _goals(self, program_id: int) -> list[GoalFact]:
        # status only: what the goal says is the person's own
        query = (
            select(_G.c.match_id, _G.c.person_id, _G.c.status, _G.c.created_at)
            .join(_M, _M.c.id == _G.c.match_id)
            .where(_M.c.program_id == program_id)
            .order_by(_G.c.id)
        )
        return [GoalFact(r[0], r[1], GoalStatus(r[2]), _utc(r[3])) for r in self._s.execute(query)]

    def _milestones(self, program_id: int) -> list[MilestoneFact]:
        query = (
            select(_MS.c.match_id, _MS.c.person_id, _MS.c.day, _MS.c.created_at, _MS.c.answered_at)
            .join(_M, _M.c.id == _MS.c.match_id)
            .where(_M.c.program_id == program_id)
            .order_by(_MS.c.id)
        )
        return [
            MilestoneFact(r[0], r[1], r[2], _utc(r[3]), _maybe(r[4]))
            for r in self._s.execute(query)
        ]

    def _wrapups(self, program_id: int) -> list[WrapupFact]:
        query = (
            select(
                _WU.c.match_id,
                _WU.c.person_id,
                _WU.c.created_at,
                _WU.c.recommend,
                _WU.c.again,
                _WU.c.answered_at,
                # the comment, only where its writer shared it: unshared text is
                # never even read
                case((_WU.c.shared.is_(True), _WU.c.changed), else_=None),
            )
            .join(_M, _M.c.id == _WU.c.match_id)
            .where(_M.c.program_id == program_id)
            .order_by(_WU.c.id)
        )
        return [
            WrapupFact(r[0], r[1], _utc(r[2]), r[3], r[4], _maybe(r[5]), r[6])
            for r in self._s.execute(query)
        ]

    def _notices(self, program_id: int) -> list[NoticeFact]:
        query = (
            select(_O.c.kind, _O.c.person_id, _O.c.created_at, _O.c.status, _O.c.match_id)
            .where(
                # A reply (the feedback questions after someone's own "yes") knows
                # its match, not its program.
                (_O.c.program_id == program_id)
                | _O.c.match_id.in_(select(_M.c.id).where(_M.c.program_id == program_id)),
                (_O.c.kind.in_(_COUNTED_KINDS)) | (_O.c.status == "failed"),
            )
            .order_by(_O.c.id)
        )
        return [
            NoticeFact(r[0], r[1], _utc(r[2]), r[3] == "failed", r[4])
            for r in self._s.execute(query)
        ]

    def _training(self, program_id: int) -> tuple[list[int], list[int], list[TrainingFact]]:
        """Who mentors, and the training lessons they marked done (no content)."""
        in_matches = (
            select(_MM.c.person_id)
            .join(_M, _M.c.id == _MM.c.match_id)
            .where(
                _M.c.program_id == program_id,
                _M.c.status != MatchStatus.PROPOSED.value,
                _MM.c.role.in_(_MENTORING_ROLES),
            )
            .distinct()
        )
        mentors = sorted(self._s.scalars(in_matches))
        said = (
            select(_E.c.person_id, _A.c.value)
            .join(_A, _A.c.enrolment_id == _E.c.id)
            .where(
                _E.c.program_id == program_id,
                _E.c.intake_completed_at.is_not(None),
                _A.c.question_key == "role",
            )
        )
        joined = sorted({who for who, value in self._s.execute(said) if value == "mentor"})
        everyone = sorted({*mentors, *joined})
        training = []
        for start in range(0, len(everyone), 500):
            query = (
                select(_T.c.person_id, _T.c.lesson, _T.c.done_at)
                .where(_T.c.person_id.in_(everyone[start : start + 500]), _T.c.done_at.is_not(None))
                .order_by(_T.c.id)
            )
            training += [TrainingFact(r[0], r[1], _utc(r[2])) for r in self._s.execute(query)]
        return mentors, joined, training

    def _recognitions(self, program_id: int) -> list[RecognitionFact]:
        # kinds and dates only: the words are between the people they are about
        query = (
            select(_RC.c.kind, _RC.c.author_id, _RC.c.created_at, _RC.c.posted_at)
            .where(_RC.c.program_id == program_id)
            .order_by(_RC.c.id)
        )
        return [
            RecognitionFact(r[0], r[1], _utc(r[2]), _maybe(r[3])) for r in self._s.execute(query)
        ]

    def _surveys(self, program_id: int) -> list[SurveyFact]:
        query = (
            select(
                _PS.c.person_id,
                _PS.c.stage,
                _PS.c.created_at,
                _PS.c.growth,
                _PS.c.supported,
                _PS.c.recommend,
                _PS.c.answered_at,
                # the comment, only where its writer shared it
                case((_PS.c.shared.is_(True), _PS.c.comment), else_=None),
            )
            .where(_PS.c.program_id == program_id)
            .order_by(_PS.c.id)
        )
        return [
            SurveyFact(r[0], r[1], _utc(r[2]), r[3], r[4], r[5], _maybe(r[6]), r[7])
            for r in self._s.execute(query)
        ]

    def _changes(self, program_id: int) -> list[ChangeFact]:
        query = (
            select(_PC.c.changed_at, _PC.c.what, _PC.c.before, _PC.c.after)
            .where(_PC.c.program_id == program_id)
            .order_by(_PC.c.changed_at, _PC.c.id)
        )
        return [ChangeFact(_utc(r[0]), r[1], r[2], r[3]) for r in self._s.execute(query)]


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _maybe(value: datetime | None) -> datetime | None:
    return None if value is None else _utc(value)
