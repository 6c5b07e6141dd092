"""Carrying out what the planners found due, through the unit of work.

Each action is done the same way whoever found it due: the record is written
(a check-in, a milestone, a wrap-up), then its message is queued through the
:class:`~bot.cadence.sender.Sender`, under a key that names the thing itself
(``checkin42``, ``wrapup:7:3``), so doing it twice queues nothing twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from bot.cadence import messages as msg
from bot.cadence.actions import (
    Action,
    AskCheckin,
    AskMilestone,
    AskSurvey,
    Complete,
    FormCircle,
    Introduce,
    PauseSilent,
    Remind,
    RemindAgreement,
    SendDigest,
    SendLesson,
)
from bot.cadence.calendar import local_midnight, started
from bot.cadence.content import guides
from bot.cadence.digest import send_digest
from bot.cadence.library import checkin_stage, milestone_stage, with_stage_guide
from bot.cadence.lifecycle import end_matches_of
from bot.cadence.mentors import send_circle
from bot.cadence.publish import introduce
from bot.cadence.sender import Sender
from bot.cadence.surveys import SPARE, invite
from bot.cadence.training import send_lesson
from bot.model import MatchStatus, Status


def perform(send: Sender, actions: Iterable[Action]) -> None:
    """Carry out ``actions`` in their order."""
    for action in actions:
        perform_one(send, action)


def perform_one(send: Sender, action: Action) -> None:
    """Carry out one action."""
    match action:
        case Introduce(match):
            introduce(send, match)
        case PauseSilent():
            _pause(send, action)
        case Complete():
            _complete(send, action)
        case AskCheckin():
            _checkin(send, action)
        case Remind(match, member, item):
            send.uow.checkins.reminded(item.id, send.now)
            if member is not None:
                reminder = msg.reminder(match, member, item)
                send.direct(member, reminder, f"reminder{item.id}", droppable=True)
        case RemindAgreement(match, member):
            send.direct(
                member,
                msg.agreement_reminder(send.program, match, member),
                f"agree:{match.id}:{member.person_id}",
                droppable=True,
            )
        case AskMilestone():
            _milestone(send, action)
        case AskSurvey():
            _survey(send, action)
        case FormCircle():
            send_circle(send, action)
        case SendDigest():
            send_digest(send, action)
        case SendLesson():
            send_lesson(send, action)


def _pause(send: Sender, action: PauseSilent) -> None:
    uow, enrolment = send.uow, action.enrolment
    uow.enrolments.save(replace(enrolment, status=Status.PAUSED, paused_until=None))
    person = uow.people.get(enrolment.person_id)
    text = guides().paused.format(program=send.program.spec.name)
    send.direct(person, msg.plain(text, "paused"), f"paused:{enrolment.id}:{action.last.id}")
    end_matches_of(send, enrolment.person_id, "paused")


def _complete(send: Sender, action: Complete) -> None:
    match = action.match
    send.uow.matches.set_status(match.id, MatchStatus.ENDED, send.now, "completed")
    for member in match.members:
        if send.uow.wrapups.start(match, member.person_id, send.now):
            send.direct(
                member,
                msg.wrapup(send.program, match, member),
                f"wrapup:{match.id}:{member.person_id}",
            )


def _checkin(send: Sender, action: AskCheckin) -> None:
    match, member = action.match, action.member
    item = send.uow.checkins.add(match, member.person_id, action.cycle, action.due, send.now)
    if item is None:
        return  # asked before
    after = local_midnight(action.due, send.places.hours(member.person_id).timezone)
    message = msg.checkin(send.program, match, member, item)
    stage = checkin_stage(send.program.spec, started(match), action.cycle)
    send.direct(member, with_stage_guide(message, stage), f"checkin{item.id}", after=after)


def _milestone(send: Sender, action: AskMilestone) -> None:
    match, member, last = action.match, action.member, action.days[-1]
    for day in action.days:
        send.uow.goals.milestone(match, member.person_id, day, send.now)
    message = msg.milestone(match, member, last)
    send.direct(
        member,
        with_stage_guide(message, milestone_stage(send.program.spec, last)),
        f"milestone:{match.id}:{member.person_id}:{last}",
    )


def _survey(send: Sender, action: AskSurvey) -> None:
    program = send.program
    survey = send.uow.surveys.start(
        program.workspace_id, program.id, action.member.person_id, action.stage, send.now
    )
    if survey is not None:
        send.direct(
            action.member, invite(program, action.match, survey), f"psurvey{survey.id}", spare=SPARE
        )
