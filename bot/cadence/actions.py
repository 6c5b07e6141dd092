"""The things the schedule can find due: small immutable values.

The planners (:mod:`bot.cadence.agenda`) return them; :mod:`bot.cadence.perform`
carries each out through the unit of work. Message texts, outbox keys and the
order of sending are decided there, not here: an action says what is due, for
whom, and nothing about how it is worded. The digest is the one exception: what
it says is what its planner found, so its message is the plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot import outbound as m
from bot.adjustment import Stage
from bot.model import Checkin, Enrolment, Match, Member, Person


@dataclass(frozen=True)
class Introduce:
    """A live match nobody has introduced yet."""

    match: Match


@dataclass(frozen=True)
class PauseSilent:
    """Someone who answered none of their last three check-ins: paused, kindly."""

    enrolment: Enrolment
    last: Checkin  # the last of the unanswered check-ins (it names the pause)


@dataclass(frozen=True)
class Complete:
    """A match at the end of the program's duration: closed, wrap-up asked."""

    match: Match


@dataclass(frozen=True)
class AskCheckin:
    """ "Did you meet?" for one member and cycle (a check-in asked before is not
    asked again: the store refuses a second one)."""

    match: Match
    member: Member
    cycle: int
    due: date


@dataclass(frozen=True)
class Remind:
    """The one reminder after "not yet"; ``member`` is None for someone who is
    no longer in the match (the check-in is marked reminded all the same)."""

    match: Match
    member: Member | None
    checkin: Checkin


@dataclass(frozen=True)
class RemindAgreement:
    """The match's agreement again, for a member who hasn't accepted it."""

    match: Match
    member: Member


@dataclass(frozen=True)
class AskMilestone:
    """A goal check-in: every milestone day in ``days`` is recorded, the last asked."""

    match: Match
    member: Member
    days: tuple[int, ...]


@dataclass(frozen=True)
class AskSurvey:
    """A program survey at ``stage`` for one member of a live match."""

    match: Match
    member: Member
    stage: Stage


@dataclass(frozen=True)
class FormCircle:
    """One of this month's mentors' circles: its number and its mentors."""

    month: str  # 2027-03
    number: int
    mentors: tuple[Member, ...]


@dataclass(frozen=True)
class SendDigest:
    """This week's digest, to each coordinator under their own key; the failed
    deliveries it lists are marked reported once one copy is queued."""

    to: tuple[tuple[Person, str], ...]  # coordinator, outbox key
    message: m.Message
    failed: tuple[int, ...]  # outbox ids


@dataclass(frozen=True)
class SendLesson:
    """The next mentor-training lesson for one person, at their next working moment."""

    target: Member | Person
    person_id: int
    lesson: str  # its slug
    first: bool  # the track's first lesson for them: it comes with the track's intro
    at: datetime


Action = (
    Introduce
    | PauseSilent
    | Complete
    | AskCheckin
    | Remind
    | RemindAgreement
    | AskMilestone
    | AskSurvey
    | FormCircle
    | SendDigest
    | SendLesson
)
