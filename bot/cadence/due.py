"""What the schedule asks for now, derived from the database each time it looks.

The scheduler only calls :meth:`Cadence.tick`. Every step below works out what
has come due (a round, an introduction, a check-in, a reminder, a milestone, a
wrap-up, a silence to respect, the coordinators' weekly digest) from stored state, and queues
it under a key that names the thing itself (``checkin42``, ``stall:7:2``). A tick
that runs twice queues nothing twice; a tick missed while the process was down is
caught up by the next one; two instances take turns on each program's lock.
"""

from __future__ import annotations

import logging
import zlib
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date, timedelta

from bot.cadence import messages as msg
from bot.cadence.calendar import (
    add_months,
    cycle_due,
    cycles_due,
    first_round_of,
    local_midnight,
    reminder_due,
)
from bot.cadence.content import guides
from bot.cadence.digest import digest
from bot.cadence.library import checkin_stage, milestone_stage, with_stage_guide
from bot.cadence.lifecycle import end_matches_of, started
from bot.cadence.mentors import mentors_circles
from bot.cadence.publish import introduce, publish
from bot.cadence.surveys import program_surveys
from bot.cadence.training import training
from bot.cadence.work import Work
from bot.clock import Clock
from bot.logs import log_failure
from bot.matching.service import pool, propose
from bot.model import Answer, Checkin, MatchStatus, Member, Status
from bot.platform import DEFAULT_CAPABILITIES, Capabilities
from bot.ports import Conflict, UnitOfWorkFactory
from bot.text import counted

log = logging.getLogger(__name__)
_ATTEMPTS = 3


def first_round(work: Work) -> date:
    return first_round_of(work.program, work.now)


def run_round(work: Work) -> None:
    """A scheduled matching round, once per cadence period, for whoever is unmatched."""
    first, weeks = first_round(work), work.spec.cadence_weeks
    today = work.now.date()
    if today < first or work.uow.rounds.draft(work.program.id) is not None:
        return  # not started, or a coordinator is reviewing a round by hand
    day = first + timedelta(days=(today - first).days // (7 * weeks) * 7 * weeks)
    if work.uow.rounds.scheduled(work.program.id, day) is not None:
        return
    if len(pool(work.uow, work.program, work.now).profiles) < 2:
        return
    seed = zlib.crc32(f"{work.program.id}:{day}".encode()) % 2**31
    round_ = propose(work.uow, work.program, work.now, seed, scheduled_for=day)
    if not work.spec.schedule.review_rounds:
        publish(work, round_)
        return
    matches, waiting = work.uow.matches.of_round(round_.id), work.uow.rounds.waiting(round_.id)
    text = guides().round_ready.format(
        program=work.spec.name,
        matches=counted(len(matches), "match", "matches"),
        waiting=len(waiting),
        slug=work.spec.slug,
    )
    for coordinator in work.coordinators():
        work.direct(coordinator, msg.plain(text, "round"), f"round{round_.id}:review")


REVIEW_REMINDER = timedelta(days=2)


def round_reviews(work: Work) -> None:
    """A scheduled round still unpublished two days on: the coordinators are
    reminded, once (its people hear nothing, and no next round runs, until then)."""
    draft = work.uow.rounds.draft(work.program.id)
    if draft is None or draft.scheduled_for is None:
        return  # none, or a coordinator's own preview, which they know about
    if work.now - draft.created_at < REVIEW_REMINDER:
        return
    waiting = sum(len(x.members) for x in work.uow.matches.of_round(draft.id))
    waiting += len(work.uow.rounds.waiting(draft.id))
    text = guides().round_waiting.format(
        program=work.spec.name,
        day=f"{draft.created_at.day} {draft.created_at:%B}",
        people=counted(waiting, "person", "people"),
        slug=work.spec.slug,
    )
    for coordinator in work.coordinators():
        work.direct(coordinator, msg.plain(text, "round"), f"round{draft.id}:reminder")


def introductions(work: Work) -> None:
    introduce(work)


def _taking_part(work: Work, member: Member) -> bool:
    enrolment = work.enrolment(member.person_id)
    return enrolment is not None and enrolment.is_participating(work.now)


def checkins(work: Work) -> None:
    """ "Did you meet?" to each member as each cycle comes due (a day early, delivered
    from the due date in their own timezone)."""
    weeks = work.spec.cadence_weeks
    tomorrow = work.now.date() + timedelta(days=1)
    for match in work.active():
        if match.introduced_at is None:
            continue
        start = started(match)
        cycle = cycles_due(start, weeks, tomorrow)
        due = cycle_due(start, weeks, cycle)
        if cycle == 0 or due >= add_months(start, work.spec.duration_months):
            continue
        asked = {c.person_id for c in work.asked_in(match.id) if c.cycle == cycle}
        for member in match.members:
            if member.person_id in asked or not _taking_part(work, member):
                continue
            item = work.uow.checkins.add(match, member.person_id, cycle, due, work.now)
            if item is not None:
                after = local_midnight(due, work.hours(member.person_id).timezone)
                message = msg.checkin(work.program, match, member, item)
                stage = checkin_stage(work.spec, start, cycle)
                work.direct(
                    member,
                    with_stage_guide(message, stage),
                    f"checkin{item.id}",
                    after=after,
                )


AGREEMENT_REMINDER = timedelta(days=3)
AGREEMENT_TOLD = timedelta(days=7)


def agreements(work: Work) -> None:
    """A member who hasn't accepted the match's agreement three days after the
    introduction gets it again (once, within their weekly budget); after a week the
    coordinators' digest lists them. Nothing else waits on it: the match goes on."""
    for match in work.active():
        if match.introduced_at is None:
            continue
        if not AGREEMENT_REMINDER <= work.now - match.introduced_at < AGREEMENT_TOLD:
            continue
        for member in match.members:
            if member.agreed_at is not None or not _taking_part(work, member):
                continue
            work.direct(
                member,
                msg.agreement_reminder(work.program, match, member),
                f"agree:{match.id}:{member.person_id}",
                droppable=True,
            )


def reminders(work: Work) -> None:
    """One reminder, half-way through the cycle, after "not yet"; never more."""
    weeks, today = work.spec.cadence_weeks, work.now.date()
    for match in work.active():
        asked = work.asked_in(match.id)
        met = {c.cycle for c in asked if c.answer is Answer.YES}
        for item in asked:
            if item.answer is not Answer.NOT_YET or item.reminded_at or item.cycle in met:
                continue
            cycle_ends = item.due_on + timedelta(days=7 * weeks)
            if not reminder_due(item.due_on, weeks) <= today < cycle_ends:
                continue
            work.uow.checkins.reminded(item.id, work.now)
            member = match.member(item.person_id)
            if member is not None:
                work.direct(
                    member, msg.reminder(match, member, item), f"reminder{item.id}", droppable=True
                )


def milestones(work: Work) -> None:
    """Goal check-ins at the program's milestone days (only the latest, if several
    came due while nobody was looking)."""
    today = work.now.date()
    asked = set(work.uow.goals.milestones_of_program(work.program.id))
    for match in work.active():
        if match.introduced_at is None:
            continue
        due = [
            d for d in work.spec.schedule.milestones if started(match) + timedelta(days=d) <= today
        ]
        if not due:
            continue
        for member in match.members:
            if (match.id, member.person_id, due[-1]) in asked or not _taking_part(work, member):
                continue
            for day in due:
                work.uow.goals.milestone(match, member.person_id, day, work.now)
            message = msg.milestone(match, member, due[-1])
            work.direct(
                member,
                with_stage_guide(message, milestone_stage(work.spec, due[-1])),
                f"milestone:{match.id}:{member.person_id}:{due[-1]}",
            )


def wrapups(work: Work) -> None:
    """At the end of the program's duration: close the match, ask the wrap-up."""
    today, ended = work.now.date(), False
    for match in work.active():
        if today < add_months(started(match), work.spec.duration_months):
            continue
        work.uow.matches.set_status(match.id, MatchStatus.ENDED, work.now, "completed")
        ended = True
        for member in match.members:
            if work.uow.wrapups.start(match, member.person_id, work.now):
                work.direct(
                    member,
                    msg.wrapup(work.program, match, member),
                    f"wrapup:{match.id}:{member.person_id}",
                )
    if ended:
        work.changed()


def silences(work: Work) -> None:
    """Someone who answered none of their last three check-ins in their current
    match (within the last few cycles: three silent cycles, not three silences
    months apart) is paused, kindly; their partner is freed for the next round."""
    weeks, today = work.spec.cadence_weeks, work.now.date()
    # Only the matches people are in now: a match that ended (by a pause, a
    # rematch, its end date) leaves its silences behind, so someone who resumes
    # after a pause starts afresh instead of being paused again at the next tick.
    live = {match.id for match in work.active()}
    by_person: dict[int, list[Checkin]] = {}
    for item in work.asked():
        if item.match_id in live:
            by_person.setdefault(item.person_id, []).append(item)
    paused = False
    for person_id, asked in by_person.items():
        enrolment = work.enrolment(person_id)
        if enrolment is None or enrolment.status is not Status.ACTIVE:
            continue
        closed = [c for c in asked if c.due_on + timedelta(days=7 * weeks) <= today]
        if len(closed) < 3 or any(c.answer is not None for c in closed[-3:]):
            continue
        work.uow.enrolments.save(replace(enrolment, status=Status.PAUSED, paused_until=None))
        person = work.uow.people.get(person_id)
        text = guides().paused.format(program=work.spec.name)
        work.direct(person, msg.plain(text, "paused"), f"paused:{enrolment.id}:{closed[-1].id}")
        end_matches_of(work, person_id, "paused")
        paused = True
    if paused:
        work.changed()


Step = Callable[[Work], None]
# Order matters: silences before check-ins (no new question to someone being
# paused), wrap-ups before check-ins (no check-in in a match that just ended).
STEPS: tuple[Step, ...] = (
    run_round,
    round_reviews,
    introductions,
    silences,
    wrapups,
    checkins,
    reminders,
    agreements,
    milestones,
    mentors_circles,
    program_surveys,
    digest,
    training,  # last: it takes a week's place only when the rest has room
)


class Cadence:
    """Runs every program's due work; the scheduler calls :meth:`tick`."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        capabilities: Mapping[str, Capabilities] | None = None,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._capabilities = dict(capabilities or {})  # by platform name

    def tick(self) -> Counter[str]:
        """Queue whatever has come due in every program; the kinds queued, counted."""
        with self._uow() as uow:
            programs = [p.id for p in uow.programs.every()]
        queued: Counter[str] = Counter()
        for program_id in programs:
            queued += self._program(program_id)
        return queued

    def _program(self, program_id: int) -> Counter[str]:
        for _ in range(_ATTEMPTS):
            try:
                return self._once(program_id)
            except Conflict:
                continue  # another instance was at it; look again
            except Exception as error:  # noqa: BLE001 - one program must not stop the rest
                log_failure(log, f"scheduled work for program {program_id}", error)
                return Counter()
        return Counter()

    def _once(self, program_id: int) -> Counter[str]:
        now = self._clock.now()
        with self._uow() as uow:
            uow.programs.lock(program_id)
            program = uow.programs.by_id(program_id)
            platform = uow.workspaces.get(program.workspace_id).platform
            caps = self._capabilities.get(platform, DEFAULT_CAPABILITIES)
            work = Work(uow, program, now, bulk=True, capabilities=caps)
            for step in STEPS:
                step(work)
            uow.commit()
        return work.queued
