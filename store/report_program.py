"""What a report reads about the program around its matches.

Notices, training, recognition, surveys and changes: kinds, dates and counts, never words.
"""

from __future__ import annotations

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from bot.model import MatchStatus
from bot.report.facts import (
    ChangeFact,
    NoticeFact,
    RecognitionFact,
    SurveyFact,
    TrainingFact,
)
from store.sql import table_of
from store.tables import (
    AnswerRow,
    EnrolmentRow,
    MatchMemberRow,
    MatchRow,
    OutboxRow,
    ProgramChangeRow,
    ProgramSurveyRow,
    RecognitionRow,
    TrainingRow,
)
from store.types import as_utc, as_utc_or_none

_ENROLMENTS, _MATCHES, _MEMBERS = (
    table_of(EnrolmentRow),
    table_of(MatchRow),
    table_of(MatchMemberRow),
)
_OUTBOX, _ANSWERS, _TRAINING = table_of(OutboxRow), table_of(AnswerRow), table_of(TrainingRow)
_RECOGNITIONS, _SURVEYS, _CHANGES = (
    table_of(t) for t in (RecognitionRow, ProgramSurveyRow, ProgramChangeRow)
)
_MENTORING_ROLES = ("mentor", "facilitator")
# The kinds of messages a report counts (besides failures of any kind).
_COUNTED_KINDS = ("paused", "feedback")


def read_notices(session: Session, program_id: int) -> list[NoticeFact]:
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
        NoticeFact(r[0], r[1], as_utc(r[2]), r[3] == "failed", r[4]) for r in session.execute(query)
    ]


def read_training(
    session: Session, program_id: int
) -> tuple[list[int], list[int], list[TrainingFact]]:
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
    mentors = sorted(session.scalars(in_matches))
    said = (
        select(_ENROLMENTS.c.person_id, _ANSWERS.c.value)
        .join(_ANSWERS, _ANSWERS.c.enrolment_id == _ENROLMENTS.c.id)
        .where(
            _ENROLMENTS.c.program_id == program_id,
            _ENROLMENTS.c.intake_completed_at.is_not(None),
            _ANSWERS.c.question_key == "role",
        )
    )
    joined = sorted({who for who, value in session.execute(said) if value == "mentor"})
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
        training += [TrainingFact(r[0], r[1], as_utc(r[2])) for r in session.execute(query)]
    return mentors, joined, training


def read_recognitions(session: Session, program_id: int) -> list[RecognitionFact]:
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
        RecognitionFact(r[0], r[1], as_utc(r[2]), as_utc_or_none(r[3]))
        for r in session.execute(query)
    ]


def read_surveys(session: Session, program_id: int) -> list[SurveyFact]:
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
        SurveyFact(r[0], r[1], as_utc(r[2]), r[3], r[4], r[5], as_utc_or_none(r[6]), r[7])
        for r in session.execute(query)
    ]


def read_changes(session: Session, program_id: int) -> list[ChangeFact]:
    query = (
        select(_CHANGES.c.changed_at, _CHANGES.c.what, _CHANGES.c.before, _CHANGES.c.after)
        .where(_CHANGES.c.program_id == program_id)
        .order_by(_CHANGES.c.changed_at, _CHANGES.c.id)
    )
    return [ChangeFact(as_utc(r[0]), r[1], r[2], r[3]) for r in session.execute(query)]
