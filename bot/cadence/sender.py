"""Queuing a proactive message for the right moment: the delivery rules, as a service.

Every proactive message, whether the schedule or a flow sends it, goes through
:meth:`Sender.direct` or :meth:`Sender.group`, which decide when it may be
delivered: inside the recipients' working hours, on their weekdays, outside the
program's quiet days, within each person's weekly budget. The outbox key makes
queuing idempotent.

Where people are (:class:`Places`) is read once for a tick, which walks the
whole program; a flow, which writes to one or two people, reads it person by
person (:class:`PlacesAsked`). Both read the same answers.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from bot import outbound as m
from bot.cadence.calendar import Hours, next_slot, plan
from bot.model import Member, Person, Program, QuietPeriod, Waiting
from bot.platform import DEFAULT_CAPABILITIES, Capabilities
from bot.ports import UnitOfWork
from bot.survey.question import AnswerValue

log = logging.getLogger(__name__)

WHERE = ("timezone", "working_hours")  # the answers that place someone's day
DEFAULT_HOURS = Hours("UTC", "09:00-17:00")  # someone who never said (a coordinator)

# Messages that count towards a person's weekly budget (replies never do).
PROACTIVE = (
    "checkin",
    "reminder",
    "agreement",
    "feedback",
    "goals",
    "milestone",
    "wrapup",
    "paused",
    "rematch",
    "waitlist",
    "training",
    "program_survey",
)


class Whereabouts(Protocol):
    """Where and when a program's people work, and the program's quiet days."""

    def hours(self, person_id: int) -> Hours: ...

    def quiet(self) -> Sequence[QuietPeriod]: ...


def hours_from(answers: Mapping[str, AnswerValue | None]) -> Hours:
    """Someone's working day from their answers (UTC, nine to five, if unsaid)."""
    zone, window = answers.get("timezone"), answers.get("working_hours")
    return Hours(
        zone if isinstance(zone, str) else DEFAULT_HOURS.timezone,
        window if isinstance(window, str) else DEFAULT_HOURS.window,
    )


@dataclass(frozen=True)
class Places:
    """Everyone's working hours in one program, read at once (for a tick). Nobody's
    timezone or hours change while a tick runs, so it is read once per tick."""

    by_person: Mapping[int, Hours]
    quiet_days: tuple[QuietPeriod, ...]

    @classmethod
    def load(cls, uow: UnitOfWork, program: Program) -> Places:
        answers = uow.answers.in_program(program.id, WHERE)
        by_person = {
            e.person_id: hours_from(answers.get(e.id, {}))
            for e in uow.enrolments.in_program(program.id)
        }
        return cls(by_person, tuple(uow.quiet.of_program(program.id)))

    def hours(self, person_id: int) -> Hours:
        return self.by_person.get(person_id, DEFAULT_HOURS)

    def quiet(self) -> Sequence[QuietPeriod]:
        return self.quiet_days


class PlacesAsked:
    """Working hours read person by person, for the few people a flow writes to."""

    def __init__(self, uow: UnitOfWork, program: Program) -> None:
        self._uow, self._program = uow, program
        self._hours: dict[int, Hours] = {}
        self._quiet: Sequence[QuietPeriod] | None = None

    def hours(self, person_id: int) -> Hours:
        if person_id not in self._hours:
            enrolment = self._uow.enrolments.get(self._program.id, person_id)
            answers = self._uow.answers.of(enrolment.id) if enrolment else {}
            self._hours[person_id] = hours_from(answers)
        return self._hours[person_id]

    def quiet(self) -> Sequence[QuietPeriod]:
        if self._quiet is None:
            self._quiet = self._uow.quiet.of_program(self._program.id)
        return self._quiet


@dataclass
class Sender:
    """Queues one program's proactive messages at one "now", and counts them."""

    uow: UnitOfWork
    program: Program
    now: datetime
    places: Whereabouts
    capabilities: Capabilities = DEFAULT_CAPABILITIES  # of the program's platform
    queued: Counter[str] = field(default_factory=Counter)  # kinds queued, for reports

    @classmethod
    def live(
        cls,
        uow: UnitOfWork,
        program: Program,
        now: datetime,
        capabilities: Capabilities = DEFAULT_CAPABILITIES,
    ) -> Sender:
        """A sender for a flow: people's hours are read as they are written to."""
        return cls(uow, program, now, PlacesAsked(uow, program), capabilities)

    def direct(
        self,
        member: Member | Person | Waiting,
        message: m.Message,
        key: str,
        *,
        after: datetime | None = None,
        droppable: bool = False,
        mind_quiet: bool = True,
        spare: int = 0,
        budgeted: bool = True,
    ) -> bool:
        """Queue a direct message for the right moment; false if it was dropped or
        was queued before. ``mind_quiet``: keep off the program's quiet days.
        ``spare``: places of the week's budget to leave free (a survey leaves one for
        a check-in, so it never pushes one out). ``budgeted=False``: working hours
        only, for what a colleague started (a kudos), which Tandem's budget never counts."""
        handle, person_id = _who(member)
        start = max(after or self.now, self.now)
        budget = self.program.spec.schedule.messages_per_week - spare if budgeted else 1

        def used(begin: datetime, end: datetime) -> int:
            if not budgeted:
                return 0
            return self.uow.outbox.count_for(person_id, PROACTIVE, begin, end)

        quiet = self.places.quiet() if mind_quiet else ()
        at = plan(self.places.hours(person_id), start, quiet, used, budget, droppable=droppable)
        if at is None:
            log.info("dropped %s (%s): no room in the recipient's week", key, message.kind)
            return False
        return self._add(m.Outbound(key, m.ToPerson(handle), message), at, person_id)

    def group(self, members: Sequence[Member], message: m.Message, key: str) -> bool:
        """Queue a message to a match's group chat, when all of them are at work.

        Where the platform cannot open a group conversation (Teams), each member
        gets it in their own chat, at their own working time, with a way to start
        the conversation themselves."""
        if not self.capabilities.group_conversations:
            added = [self._to_each(member, members, message, key) for member in members]
            return any(added)
        hours = [self.places.hours(x.person_id) for x in members]
        quiet = self.places.quiet()
        at = next_slot(hours, self.now, quiet) or next_slot(hours[:1], self.now)
        return self._add(
            m.Outbound(key, m.ToGroup(tuple(x.user_id for x in members)), message), at or self.now
        )

    def _to_each(
        self, member: Member, members: Sequence[Member], message: m.Message, key: str
    ) -> bool:
        others = tuple(x.user_id for x in members if x.person_id != member.person_id)
        name = self.program.spec.name
        greeting = f"Hi! Tandem matched us in {name}. When suits you to meet?"
        together = m.Together((member.user_id, *others), name, greeting)
        blocks = (*message.blocks[:-1], together, *message.blocks[-1:])
        personal = m.Message(blocks, message.summary, message.kind, message.match)
        hours = self.places.hours(member.person_id)
        at = next_slot([hours], self.now, self.places.quiet()) or self.now
        outbound = m.Outbound(f"{key}:{member.person_id}", m.ToPerson(member.user_id), personal)
        return self._add(outbound, at, member.person_id)

    def _add(self, outbound: m.Outbound, at: datetime, person_id: int | None = None) -> bool:
        added = self.uow.outbox.add(
            self.program.workspace_id,
            outbound,
            None,
            self.now,
            at,
            person_id,
            program_id=self.program.id,
        )
        self.queued[outbound.message.kind] += added
        return added

    def coordinators(self) -> list[Person]:
        """The program's coordinators as people of this workspace."""
        people, workspace = self.uow.people, self.program.workspace_id
        return [
            people.find(workspace, handle) or people.ensure(workspace, handle, handle, self.now)
            for handle in self.program.spec.coordinators
        ]


def _who(member: Member | Person | Waiting) -> tuple[str, int]:
    if isinstance(member, Person):
        return member.user_id, member.id
    return member.user_id, member.person_id
