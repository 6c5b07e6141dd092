"""Doing a program's scheduled work: one program, one transaction, one "now".

Every proactive message goes through :meth:`Work.direct` or :meth:`Work.group`,
which decide when it may be delivered: inside the recipients' working hours, on
their weekdays, outside the program's quiet days, within each person's weekly
budget. The outbox key makes queuing idempotent.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot import outbound as m
from bot.cadence.calendar import Hours, next_slot, plan
from bot.model import Checkin, Enrolment, Match, Member, Person, Program, QuietPeriod, Waiting
from bot.ports import DEFAULT_CAPABILITIES, Capabilities, UnitOfWork
from bot.program.spec import ProgramSpec
from bot.survey.question import AnswerValue

log = logging.getLogger(__name__)

_WHERE = ("timezone", "working_hours")  # the answers that place someone's day
# How far back (in cycles) a tick reads check-ins; see :meth:`Work.asked`.
RECENT_CYCLES = 5

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


@dataclass
class Work:
    uow: UnitOfWork
    program: Program
    now: datetime
    bulk: bool = False  # read whole-program data in one go (a tick), not per person
    capabilities: Capabilities = DEFAULT_CAPABILITIES  # of the program's platform
    _hours: dict[int, Hours] = field(default_factory=dict)
    _quiet: Sequence[QuietPeriod] | None = None
    queued: Counter[str] = field(default_factory=Counter)  # kinds queued, for reports
    # Read once per tick for every step (a few queries, not a few per match);
    # a step that ends matches or pauses people calls :meth:`changed`.
    _active: list[Match] | None = None
    _asked: list[Checkin] | None = None
    _asked_by_match: dict[int, list[Checkin]] | None = None
    _enrolled: dict[int, Enrolment] | None = None
    _where: dict[int, dict[str, AnswerValue | None]] | None = None  # timezone, hours

    def active(self) -> list[Match]:
        """The program's live matches."""
        if self._active is None:
            self._active = list(self.uow.matches.active(self.program.id))
        return self._active

    def asked(self) -> list[Checkin]:
        """The program's check-ins of the last few cycles, oldest first: all that the
        steps look at (the current cycle, the two before it for stalls, the last
        three closed ones for silences), without reading the whole history."""
        if self._asked is None:
            days = 7 * self.spec.cadence_weeks * RECENT_CYCLES
            since = self.now.date() - timedelta(days=days)
            self._asked = list(self.uow.checkins.of_program(self.program.id, since))
        return self._asked

    def asked_in(self, match_id: int) -> list[Checkin]:
        """A match's check-ins, oldest first."""
        if self._asked_by_match is None:
            self._asked_by_match = {}
            for item in self.asked():
                self._asked_by_match.setdefault(item.match_id, []).append(item)
        return self._asked_by_match.get(match_id, [])

    def enrolment(self, person_id: int) -> Enrolment | None:
        """A person's enrolment in the program: one by one for the few people of an
        answer, all at once for a tick that walks the whole program."""
        if not self.bulk:
            return self.uow.enrolments.get(self.program.id, person_id)
        if self._enrolled is None:
            self._enrolled = {
                e.person_id: e for e in self.uow.enrolments.in_program(self.program.id)
            }
        return self._enrolled.get(person_id)

    def changed(self) -> None:
        """Forget the matches and enrolments read: a step changed them. Check-ins
        stay as read at the start of the tick: the only ones added since are this
        cycle's, unanswered, which no later step looks at."""
        self._active = self._enrolled = None

    @property
    def spec(self) -> ProgramSpec:
        return self.program.spec

    def hours(self, person_id: int) -> Hours:
        """Where and when a person works, from their answers in this program."""
        if person_id not in self._hours:
            enrolment = self.enrolment(person_id)
            answers = self._answers(enrolment.id) if enrolment else {}
            zone, window = answers.get("timezone"), answers.get("working_hours")
            self._hours[person_id] = Hours(
                zone if isinstance(zone, str) else "UTC",
                window if isinstance(window, str) else "09:00-17:00",
            )
        return self._hours[person_id]

    def _answers(self, enrolment_id: int) -> Mapping[str, AnswerValue | None]:
        if not self.bulk:
            return self.uow.answers.of(enrolment_id)
        if self._where is None:
            self._where = self.uow.answers.in_program(self.program.id, _WHERE)
        return self._where.get(enrolment_id, {})

    def quiet(self) -> Sequence[QuietPeriod]:
        if self._quiet is None:
            self._quiet = self.uow.quiet.of_program(self.program.id)
        return self._quiet

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
        budget = self.spec.schedule.messages_per_week - spare if budgeted else 1

        def used(begin: datetime, end: datetime) -> int:
            if not budgeted:
                return 0
            return self.uow.outbox.count_for(person_id, PROACTIVE, begin, end)

        quiet = self.quiet() if mind_quiet else ()
        at = plan(self.hours(person_id), start, quiet, used, budget, droppable=droppable)
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
        hours = [self.hours(x.person_id) for x in members]
        at = next_slot(hours, self.now, self.quiet()) or next_slot(hours[:1], self.now)
        return self._add(
            m.Outbound(key, m.ToGroup(tuple(x.handle for x in members)), message), at or self.now
        )

    def _to_each(
        self, member: Member, members: Sequence[Member], message: m.Message, key: str
    ) -> bool:
        others = tuple(x.handle for x in members if x.person_id != member.person_id)
        greeting = f"Hi! Tandem matched us in {self.spec.name}. When suits you to meet?"
        together = m.Together((member.handle, *others), self.spec.name, greeting)
        blocks = (*message.blocks[:-1], together, *message.blocks[-1:])
        personal = m.Message(blocks, message.summary, message.kind, message.match)
        hours = self.hours(member.person_id)
        at = next_slot([hours], self.now, self.quiet()) or self.now
        outbound = m.Outbound(f"{key}:{member.person_id}", m.ToPerson(member.handle), personal)
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
        people = self.uow.people
        workspace = self.program.workspace_id
        return [
            people.find(workspace, handle) or people.ensure(workspace, handle, handle, self.now)
            for handle in self.spec.coordinators
        ]


def _who(member: Member | Person | Waiting) -> tuple[str, int]:
    if isinstance(member, Person):
        return member.external_id, member.id
    return member.handle, member.person_id
